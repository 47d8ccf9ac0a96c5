//! Duties (issue 5 §1): the queues of duties by owner, team and state, and the escalation
//! sweep that records a supervisor's duty for every late one.

use bluelamp_domain::access::{Action, Role};
use bluelamp_domain::audit::Operation;
use bluelamp_domain::calendar::{end_of_day, london_date};
use bluelamp_domain::duty::{self, Owner};
use bluelamp_domain::field::Fields;
use bluelamp_domain::ids::{TeamId, UserId};
use bluelamp_store::duty_queue::{self as store, Queued, StateFilter};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{App, Ctx, Page, Result, authorise};

/// Which duties, as asked for (`GET /api/v1/duties`).
#[derive(Debug, Clone, Default)]
pub struct DutyQuery {
    /// `me` or a user id: the duties owed by that user.
    pub owner: Option<String>,
    /// A team id: the duties owed by that team.
    pub team: Option<String>,
    /// A role: the duties owed by everyone holding it.
    pub role: Option<String>,
    /// `unmet` (the default: open and overdue), `open`, `due` (due by the end of today),
    /// `overdue`, `met` or `breached`.
    pub state: Option<String>,
}

/// A page of duties.
#[derive(Debug, Clone)]
pub struct DutyPage {
    pub items: Vec<Queued>,
    pub total: i64,
    pub page: Page,
    pub owners: Vec<Owner>,
    pub state: &'static str,
    pub at: DateTime<Utc>,
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Late duties examined.
    pub late: usize,
    /// Escalations recorded.
    pub escalated: usize,
}

/// The late duties a sweep takes and escalates in one transaction: big enough that the
/// backlog of a million open duties (about 144,000 late) takes three commits, small enough
/// to hold in memory and to keep other writers waiting no more than a few seconds.
const SWEEP_BATCH: i64 = 50_000;

impl App {
    /// The duties owed by a user, a team or a role, in a state, about records the actor may
    /// see. With no owner, team or role: everything the actor owes, personally, through
    /// their teams and through their roles.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `view_duties`; [`crate::AppError::Invalid`] naming
    /// a bad owner, team, role or state.
    pub async fn duties(&self, ctx: &Ctx, query: &DutyQuery, page: Page) -> Result<DutyPage> {
        authorise(ctx, Action::ViewDuties)?;
        let now = self.now();
        let mut f = Fields::new();
        let mut owners = Vec::new();
        match query.owner.as_deref().map(str::trim) {
            None | Some("") => {}
            Some("me") => owners.push(Owner::User(ctx.actor.user_id)),
            Some(u) => {
                if let Some(u) = f.check(
                    "/owner",
                    Uuid::parse_str(u).map_err(|_| "must be me or a user id"),
                ) {
                    owners.push(Owner::User(UserId::from_uuid(u)));
                }
            }
        }
        if let Some(t) = query
            .team
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            && let Some(t) = f.check("/team", Uuid::parse_str(t).map_err(|_| "must be a team id"))
        {
            owners.push(Owner::Team(TeamId::from_uuid(t)));
        }
        if let Some(r) = query
            .role
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            && let Some(r) = f.check("/role", r.parse::<Role>())
        {
            owners.push(Owner::Role(r));
        }
        let (state, name) = match query.state.as_deref().map(str::trim) {
            None | Some("") | Some("unmet") => (StateFilter::Unmet, "unmet"),
            Some("open") => (StateFilter::Open, "open"),
            Some("due") => (StateFilter::DueBy(end_of_day(london_date(now))), "due"),
            Some("overdue") => (StateFilter::Overdue, "overdue"),
            Some("met") => (StateFilter::Met, "met"),
            Some("breached") => (StateFilter::Breached, "breached"),
            Some(_) => {
                f.error(
                    "/state",
                    "must be unmet, open, due, overdue, met or breached",
                );
                (StateFilter::Unmet, "unmet")
            }
        };
        f.finish(|| Some(()))?;
        if owners.is_empty() {
            owners = ctx.actor.owners();
        }
        let mut tx = self.begin().await?;
        let (items, total) = store::list(
            &mut tx,
            self.force.id,
            &owners,
            state,
            now,
            &ctx.actor.audience(),
            i64::from(page.size),
            page.offset() as i64,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "duty.list",
            None,
            serde_json::json!({
                "owners": owners.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "state": name, "page": page.number, "total": total,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(DutyPage {
            items,
            total,
            page,
            owners,
            state: name,
            at: now,
        })
    }

    /// Finds every duty late now whose escalation is not yet recorded, and records the
    /// supervisor's duty for each kind that escalates ([`duty::escalate`]), a batch per
    /// transaction, with one audit entry per batch. Run by `bluelamp duties sweep` and
    /// periodically by the server.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `sweep_duties` (the operator and the server's
    /// own sweep hold it as admins); the database failed.
    pub async fn sweep_escalations(&self, ctx: &Ctx) -> Result<Sweep> {
        authorise(ctx, Action::SweepDuties)?;
        let now = self.now();
        let mut out = Sweep::default();
        loop {
            let mut tx = self.begin().await?;
            // One statement takes the batch and marks it escalated; its escalations follow
            // in the same transaction.
            let late = store::claim_late(&mut tx, self.force.id, now, SWEEP_BATCH).await?;
            if late.is_empty() {
                tx.commit().await?;
                break;
            }
            let escalations: Vec<(Uuid, bluelamp_domain::duty::Duty)> = late
                .iter()
                .filter_map(|(_, d)| {
                    duty::escalate(d, now, &self.config.duty_rules, &self.config.calendar)
                })
                .map(|e| (Uuid::now_v7(), e))
                .collect();
            // Multi-row inserts, as many rows a statement as the parameter limit allows.
            bluelamp_store::bulk::duties(&mut tx, self.force.id, &escalations).await?;
            self.audit(
                &mut tx,
                ctx,
                Operation::Alteration,
                "duty.sweep",
                None,
                serde_json::json!({"late": late.len(), "escalated": escalations.len()}),
            )
            .await?;
            tx.commit().await?;
            out.late += late.len();
            out.escalated += escalations.len();
        }
        Ok(out)
    }
}

impl App {
    /// A record's duties with the escalation of each late one: those the sweep recorded,
    /// and, for a duty late since the last sweep, the escalation it will record.
    pub(crate) fn with_escalations(
        &self,
        mut duties: Vec<bluelamp_domain::duty::Duty>,
        now: DateTime<Utc>,
    ) -> Vec<bluelamp_domain::duty::Duty> {
        let recorded = |d: &bluelamp_domain::duty::Duty| {
            duties.iter().any(|e| {
                e.is_escalation()
                    && e.kind == d.kind
                    && e.owed_to == d.owed_to
                    && e.raised_at == d.due
            })
        };
        let pending: Vec<_> = duties
            .iter()
            .filter(|d| !recorded(d))
            .filter_map(|d| duty::escalate(d, now, &self.config.duty_rules, &self.config.calendar))
            .collect();
        duties.extend(pending);
        duties
    }
}

//! What a user sees first: what is waiting for them, their recent records, and (for roles
//! that may see aggregates) the force's figures.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::calendar::{end_of_day, london_date};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::record::RecordKind;
use bluelamp_store::duty_queue::{self, Queued, StateFilter};
use bluelamp_store::{Tx, location, object, person, record};
use chrono::{DateTime, Utc};

use crate::{App, Ctx, Result};

/// A record in a list: enough to recognise and open it.
#[derive(Debug, Clone)]
pub struct RecordSummary {
    pub id: RecordId,
    pub kind: RecordKind,
    pub label: String,
}

/// The home page's contents.
#[derive(Debug, Clone)]
pub struct Home {
    /// Records this user created lately, newest first.
    pub recent: Vec<RecordSummary>,
    /// Records held by kind, for roles allowed aggregates.
    pub counts: Option<Vec<(RecordKind, i64)>>,
    /// The duties the user owes (personally, through their teams and roles), for roles
    /// that owe duties.
    pub waiting: Option<Waiting>,
}

/// What is waiting for a user: their overdue duties, the most pressing first, and how many
/// fall due today.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub overdue: Vec<Queued>,
    pub overdue_total: i64,
    pub due_today: i64,
    pub at: DateTime<Utc>,
}

/// How many recent records the home page lists.
const RECENT: i64 = 10;

impl App {
    /// The home page for the acting user. Listing their recent records is a consultation
    /// of those records, and is audited as one.
    ///
    /// # Errors
    /// The database failed.
    pub async fn home(&self, ctx: &Ctx) -> Result<Home> {
        let mut tx = self.begin().await?;
        let heads = record::recent_created_by(
            &mut tx,
            self.force.id,
            ctx.actor.user_id,
            &ctx.actor.audience(),
            RECENT,
        )
        .await?;
        let mut recent = Vec::with_capacity(heads.len());
        for (id, kind) in heads {
            let label = self.label(&mut tx, id, kind).await?;
            recent.push(RecordSummary { id, kind, label });
        }
        let counts = if ctx.actor.authorise(Action::ViewAggregates).is_ok() {
            Some(record::count_by_kind(&mut tx, self.force.id).await?)
        } else {
            None
        };
        let waiting = if ctx.actor.authorise(Action::ViewDuties).is_ok() {
            let now = self.now();
            let owners = ctx.actor.owners();
            let audience = ctx.actor.audience();
            let f = self.force.id;
            let (overdue, overdue_total) = duty_queue::list(
                &mut tx,
                f,
                &owners,
                StateFilter::Overdue,
                now,
                &audience,
                5,
                0,
            )
            .await?;
            let today = StateFilter::DueBy(end_of_day(london_date(now)));
            let (_, due_today) =
                duty_queue::list(&mut tx, f, &owners, today, now, &audience, 0, 0).await?;
            Some(Waiting {
                overdue,
                overdue_total,
                due_today,
                at: now,
            })
        } else {
            None
        };
        if !recent.is_empty() {
            let ids: Vec<String> = recent.iter().map(|r| r.id.to_string()).collect();
            self.audit(
                &mut tx,
                ctx,
                Operation::Consultation,
                "records.recent",
                None,
                serde_json::json!({ "records": ids }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Home {
            recent,
            counts,
            waiting,
        })
    }

    /// A one-line description of a record the actor may already see.
    async fn label(&self, tx: &mut Tx, id: RecordId, kind: RecordKind) -> Result<String> {
        let force = self.force.id;
        Ok(match kind {
            RecordKind::Person => {
                let p = person::load(tx, force, id).await?;
                format!("{}, {}", p.name.surname.to_uppercase(), p.name.forenames)
            }
            RecordKind::Location => location::load(tx, force, id).await?.label(),
            RecordKind::Object => {
                let o = object::load(tx, force, id).await?;
                match o.identifier {
                    Some(i) => format!("{}: {i} {}", o.kind, o.description),
                    None => format!("{}: {}", o.kind, o.description),
                }
            }
            RecordKind::Incident => {
                let i = bluelamp_store::incident::load(tx, force, id).await?;
                format!("Incident {}: {}", i.reference, i.summary)
            }
            RecordKind::Crime => {
                let c = bluelamp_store::crime::load(tx, force, id).await?;
                format!(
                    "Crime {}: {}",
                    c.reference,
                    c.offence_code.offence().description
                )
            }
        })
    }
}

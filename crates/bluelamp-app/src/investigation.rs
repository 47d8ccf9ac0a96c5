//! Investigation (issue 5): allocate, plan, review, hand over, record developments and
//! steps, and finalise with an outcome (approved by a supervisor where policy says so).
//!
//! Each action opens the crime for the actor (need-to-know), checks the state machine
//! ([`State::after`]), writes the change and its history row, passes its events to the
//! duties engine ([`App::duty_event`]) and writes one audit entry, in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use bluelamp_domain::access::{Action, Role};
use bluelamp_domain::audit::Operation;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::dated::Dated;
use bluelamp_domain::duty::{Duty, DutyKind, Event, Notifiable, Owner};
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{RecordId, TeamId, UserId};
use bluelamp_domain::incident::instant_or_now;
use bluelamp_domain::investigation::{
    ChecklistAnswerInput, ChecklistItem, HandoverDecision, ItemState, NOTE_MAX, PlanItemKind,
    PlanSource, Seriousness, State, Step, check_accreditation, parse_checklist,
    proposed_seriousness, required_pip, supervision_risk,
};
use bluelamp_domain::outcome::{
    Finalisation, Framework, Outcome, OutcomeFacts, OutcomeInput, OutcomeStatus,
};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::Level;
use bluelamp_store::investigation::{
    self as store, Development, Handover, HandoverDecided, Holder, Investigation, Listed,
    OutcomeRow, PlanItem, Review, StepRow,
};
use bluelamp_store::victim::{self as victims, Victim};
use bluelamp_store::{Tx, duty_queue, link, user};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{App, AppError, Ctx, Page, Result, authorise};

/// Everything recorded about a crime's investigation and its victims.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub investigation: Investigation,
    pub steps: Vec<StepRow>,
    pub plan: Vec<PlanItem>,
    pub reviews: Vec<Review>,
    pub handovers: Vec<Handover>,
    pub developments: Vec<Development>,
    pub outcomes: Vec<OutcomeRow>,
    pub victims: Vec<Victim>,
    /// Its duties: supervision, victims' referral and updates.
    pub duties: Vec<Duty>,
    /// The names of the users and teams it mentions, for pages.
    pub names: BTreeMap<Uuid, String>,
}

impl CaseFile {
    /// Lines of enquiry and actions not yet done.
    pub fn open_actions(&self) -> usize {
        self.plan.iter().filter(|p| p.done_at.is_none()).count()
    }

    /// The outcome awaiting a supervisor's approval, if any.
    pub fn proposed(&self) -> Option<&OutcomeRow> {
        self.outcomes
            .iter()
            .find(|o| o.status == OutcomeStatus::Proposed)
    }

    /// Every user the file mentions.
    fn mentioned_users(&self) -> impl Iterator<Item = UserId> + '_ {
        let v = &self.investigation;
        v.investigator
            .into_iter()
            .chain(self.steps.iter().map(|s| s.user))
            .chain(
                self.plan
                    .iter()
                    .flat_map(|p| [Some(p.created_by), p.assigned_to, p.done_by])
                    .flatten(),
            )
            .chain(self.reviews.iter().map(|r| r.supervisor))
            .chain(
                self.handovers
                    .iter()
                    .flat_map(|h| [Some(h.by), h.decision.as_ref().map(|d| d.by)])
                    .flatten(),
            )
            .chain(self.developments.iter().map(|d| d.by))
            .chain(
                self.outcomes
                    .iter()
                    .flat_map(|o| [Some(o.recorded_by), o.decided_by])
                    .flatten(),
            )
            .chain(self.duties.iter().filter_map(|d| match d.owed_by {
                Owner::User(u) => Some(u),
                _ => None,
            }))
    }

    /// The name of a user or team the file mentions, or its id.
    pub fn name(&self, id: Uuid) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The handover awaiting the receiving team, if any.
    pub fn pending_handover(&self) -> Option<&Handover> {
        self.handovers.iter().find(|h| h.decision.is_none())
    }
}

/// Whose open investigations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Those the actor is the investigator of.
    Mine,
    /// Those held by the actor's teams.
    MyTeams,
}

/// An allocation as sent.
#[derive(Debug, Clone, Default)]
pub struct AllocationInput {
    pub team_id: String,
    pub investigator_id: Option<String>,
    /// `standard` or `serious`; proposed from the offence when blank.
    pub seriousness: Option<String>,
    pub complex: bool,
    /// `low`, `medium` or `high`: the risk the investigation is supervised at.
    pub risk: String,
    pub rationale: String,
}

/// One plan action or direction as sent.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub text: String,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub assigned_to: Option<String>,
}

/// One completed plan item as sent.
#[derive(Debug, Clone, Default)]
pub struct CompletionInput {
    pub id: String,
    pub result: String,
}

/// Additions to a plan as sent.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub lines_of_enquiry: Vec<ActionInput>,
    pub actions: Vec<ActionInput>,
    pub completed: Vec<CompletionInput>,
}

/// A supervisor's review as sent.
#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    /// The risk from now on: `low`, `medium` or `high`.
    pub risk: String,
    pub note: String,
    pub directions: Vec<ActionInput>,
}

/// A handover as sent.
#[derive(Debug, Clone, Default)]
pub struct HandoverInput {
    pub to_team_id: String,
    pub note: Option<String>,
    /// Each checklist item's answer, by item.
    pub checklist: Vec<(ChecklistItem, Option<ChecklistAnswerInput>)>,
}

/// The receiving team's decision as sent.
#[derive(Debug, Clone, Default)]
pub struct HandoverDecisionInput {
    /// `accepted` or `returned`.
    pub decision: String,
    /// Required when returned.
    pub reasons: Option<String>,
}

/// A step as sent: refer to the CPS, back from the CPS, reopen.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub step: String,
    pub note: String,
}

/// A development as sent.
#[derive(Debug, Clone, Default)]
pub struct DevelopmentInput {
    /// What happened (a [`Notifiable`]): `arrest`, `charged`, `released_on_bail`, ...
    pub what: String,
    /// When: RFC 3339; now when blank.
    pub at: Option<String>,
    pub note: Option<String>,
}

/// A supervisor's decision on a proposed outcome, as sent.
#[derive(Debug, Clone, Default)]
pub struct ApprovalInput {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required when rejected.
    pub reason: Option<String>,
}

/// The force's outcome rules: which numbers are valid when, and which need approval.
#[derive(Debug, Clone)]
pub struct OutcomeRules {
    pub framework: Framework,
    pub approval: Dated<BTreeSet<Outcome>>,
}

impl OutcomeRules {
    /// Whether an outcome given at `at` waits for a supervisor's approval: force policy
    /// names it then (issue 5 §4), and whoever recorded it may not approve it themselves.
    pub fn needs_approval(&self, outcome: Outcome, at: DateTime<Utc>, may_approve: bool) -> bool {
        !may_approve && self.approval.at_instant(at).contains(&outcome)
    }
}

impl Default for OutcomeRules {
    fn default() -> Self {
        OutcomeRules {
            framework: bluelamp_domain::outcome::default_framework(),
            approval: bluelamp_domain::outcome::default_approval(),
        }
    }
}

fn an_id(raw: &str) -> std::result::Result<Uuid, &'static str> {
    Uuid::parse_str(raw.trim()).map_err(|_| "must be an id")
}

fn uuid_at(f: &mut Fields, at: &str, raw: &str) -> Option<Uuid> {
    f.check(at, an_id(raw))
}

/// An optional user id.
fn user_at(f: &mut Fields, at: &str, raw: Option<&str>) -> Option<Option<UserId>> {
    f.optional_parsed(at, raw, |r| an_id(r).map(UserId::from_uuid))
}

fn parse_date(f: &mut Fields, at: &str, raw: Option<&str>) -> Option<Option<NaiveDate>> {
    f.optional_parsed(at, raw, |d| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| "must be a date such as 2024-03-09")
    })
}

/// Parses plan lines (lines of enquiry, actions, directions) into items.
fn parse_items(
    f: &mut Fields,
    at: &str,
    raw: &[ActionInput],
    kind: PlanItemKind,
) -> Vec<(PlanItemKind, String, Option<NaiveDate>, Option<UserId>)> {
    raw.iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let text = f.prose(&format!("{at}/{i}/text"), &a.text, NOTE_MAX);
            let due = parse_date(f, &format!("{at}/{i}/due_on"), a.due_on.as_deref());
            let who = user_at(
                f,
                &format!("{at}/{i}/assigned_to"),
                a.assigned_to.as_deref(),
            );
            Some((kind, text?, due?, who?))
        })
        .collect()
}

fn json_outcome(o: &OutcomeRow) -> serde_json::Value {
    serde_json::json!({
        "outcome_id": o.id.to_string(), "outcome": o.outcome.number(), "at": o.at,
        "charge_date": o.charge_date, "suspect_id": o.suspect.map(|s| s.to_string()),
        "victim_position": o.victim_position.map(|p| p.as_str()), "status": o.status.as_str(),
    })
}

impl App {
    /// Starts the investigation of a crime just recorded, in the caller's transaction:
    /// recorded, seriousness proposed from the offence, supervised at low risk until it is
    /// allocated.
    pub(crate) async fn start_investigation(
        &self,
        tx: &mut Tx,
        crime_id: RecordId,
        crime: &Crime,
    ) -> Result<()> {
        let v = Investigation {
            crime: crime_id,
            state: State::Recorded,
            seriousness: proposed_seriousness(crime.offence_code),
            complex: false,
            risk: Level::Low,
            team: None,
            investigator: None,
            allocated_at: None,
            finalised_at: None,
            outcome: None,
            updated_at: self.now(),
        };
        store::save(tx, self.force.id, &v).await?;
        Ok(())
    }

    /// Loads a crime's case file.
    pub(crate) async fn case_file(&self, tx: &mut Tx, crime: RecordId) -> Result<CaseFile> {
        let f = self.force.id;
        let investigation = store::get(tx, f, crime).await?.ok_or(AppError::NotFound)?;
        let mut file = CaseFile {
            investigation,
            steps: store::steps(tx, f, crime).await?,
            plan: store::plan(tx, f, crime).await?,
            reviews: store::reviews(tx, f, crime).await?,
            handovers: store::handovers(tx, f, crime).await?,
            developments: store::developments(tx, f, crime).await?,
            outcomes: store::outcomes(tx, f, crime).await?,
            victims: victims::of_crime(tx, f, crime).await?,
            duties: self.with_escalations(
                bluelamp_store::duty::of_subject(tx, f, crime).await?,
                self.now(),
            ),
            names: BTreeMap::new(),
        };
        let users: BTreeSet<UserId> = file.mentioned_users().collect();
        let users: Vec<UserId> = users.into_iter().collect();
        for (id, name) in user::display_names(tx, f, &users).await? {
            file.names.insert(id.uuid(), name);
        }
        for (id, name) in user::teams(tx, f).await? {
            file.names.insert(id.uuid(), name);
        }
        Ok(file)
    }

    /// Opens a crime for an investigation action: the crime must exist and be visible, and
    /// its investigation started.
    async fn open_case(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        crime: RecordId,
    ) -> Result<(Crime, Investigation)> {
        self.open(tx, ctx, crime, Some(RecordKind::Crime)).await?;
        let c = bluelamp_store::crime::load(tx, self.force.id, crime).await?;
        let v = store::get(tx, self.force.id, crime)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((c, v))
    }

    /// Moves the investigation by `step`, or refuses naming the state.
    fn step(v: &Investigation, step: Step) -> Result<State> {
        v.state
            .after(step)
            .map_err(|e| AppError::Conflict(e.to_string()))
    }

    /// Appends a step to the history and writes where the investigation now stands.
    #[allow(clippy::too_many_arguments)]
    async fn record_step(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        v: &mut Investigation,
        step: Step,
        state: State,
        at: DateTime<Utc>,
        note: Option<String>,
    ) -> Result<()> {
        v.state = state;
        v.updated_at = self.now();
        store::insert_step(
            tx,
            self.force.id,
            v.crime,
            &StepRow {
                id: Uuid::now_v7(),
                step,
                state_after: state,
                at,
                user: ctx.actor.user_id,
                team: v.team,
                investigator: v.investigator,
                note,
            },
        )
        .await?;
        store::save(tx, self.force.id, v).await?;
        Ok(())
    }

    /// Who owes the victims' updates: the investigator, else the team, else victim care.
    fn victim_owner(v: &Investigation) -> Owner {
        match (v.investigator, v.team) {
            (Some(u), _) => Owner::User(u),
            (None, Some(t)) => Owner::Team(t),
            (None, None) => Owner::Role(Role::VictimCare),
        }
    }

    /// Starts a victim's next period of agreed updates at `at`, while the investigation is
    /// open (a finalised one owes no further updates; its outcome is told as a development).
    pub(crate) async fn agree_updates(
        &self,
        tx: &mut Tx,
        victim: &bluelamp_store::victim::Victim,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let Some(v) = store::get(tx, self.force.id, victim.crime).await? else {
            return Ok(());
        };
        if !v.state.is_open() {
            return Ok(());
        }
        self.duty_event(
            tx,
            &Event::UpdateAgreed {
                crime: victim.crime,
                victim: victim.person,
                at,
                every_days: victim.update_every_days,
                owner: Self::victim_owner(&v),
            },
        )
        .await
    }

    /// Tells the duties engine of a development for each victim of the crime.
    async fn notify_victims(
        &self,
        tx: &mut Tx,
        v: &Investigation,
        what: Notifiable,
        at: DateTime<Utc>,
    ) -> Result<()> {
        for victim in victims::of_crime(tx, self.force.id, v.crime).await? {
            self.duty_event(
                tx,
                &Event::VictimNotifiable {
                    crime: v.crime,
                    victim: victim.person,
                    at,
                    what,
                    entitlement: victim.entitlement,
                    owner: Self::victim_owner(v),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Ends an action on a crime's investigation: its audit entry (an alteration), the
    /// commit, and the case file as it now stands.
    async fn altered(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        crime: RecordId,
        action: &str,
        details: serde_json::Value,
    ) -> Result<CaseFile> {
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            action,
            Some(crime),
            details,
        )
        .await?;
        self.commit_case(tx, crime).await
    }

    async fn commit_case(&self, mut tx: Tx, crime: RecordId) -> Result<CaseFile> {
        let file = self.case_file(&mut tx, crime).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// Allocates (or reallocates) an investigation to a team and, optionally, an
    /// investigator accredited for it. The first allocation starts the supervision
    /// schedule; a reallocation passes the open duties to the new holders.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `allocate_investigation`; [`AppError::Invalid`] naming
    /// each bad field (an unknown team, an investigator not in it or not accredited to the
    /// level the investigation needs); [`AppError::Conflict`] when finalised.
    pub async fn allocate(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &AllocationInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::AllocateInvestigation)?;
        let mut f = Fields::new();
        let team = uuid_at(&mut f, "/team_id", &input.team_id).map(TeamId::from_uuid);
        let investigator = user_at(&mut f, "/investigator_id", input.investigator_id.as_deref());
        let seriousness = f.optional_parsed(
            "/seriousness",
            input.seriousness.as_deref(),
            str::parse::<Seriousness>,
        );
        let risk = f.check("/risk", input.risk.parse::<Level>());
        let rationale = f.prose("/rationale", &input.rationale, NOTE_MAX);
        let (team, investigator, seriousness, risk, rationale) =
            f.finish(|| Some((team?, investigator?, seriousness?, risk?, rationale?)))?;

        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let state = Self::step(&v, Step::Allocate)?;
        let seriousness = seriousness.unwrap_or(v.seriousness);
        let mut f = Fields::new();
        if bluelamp_store::optional(user::team_name(&mut tx, self.force.id, team).await)?.is_none()
        {
            f.error("/team_id", "must be a team of the force");
        }
        if let Some(u) = investigator {
            match bluelamp_store::optional(user::by_id(&mut tx, self.force.id, u).await)? {
                None => f.error("/investigator_id", "must be a user of the force"),
                Some(found) => {
                    if !found.teams.iter().any(|(t, _)| *t == team) {
                        f.error("/investigator_id", "must be a member of the team");
                    }
                    let held = user::pip_level(&mut tx, self.force.id, u).await?;
                    if let Err(e) =
                        check_accreditation(required_pip(seriousness, input.complex), held)
                    {
                        f.error("/investigator_id", e);
                    }
                }
            }
        }
        f.finish(|| Some(()))?;
        let first = v.state == State::Recorded;
        let now = self.now();
        v.team = Some(team);
        v.investigator = investigator;
        v.seriousness = seriousness;
        v.complex = input.complex;
        v.risk = supervision_risk(risk, seriousness);
        v.allocated_at = Some(now);
        self.record_step(
            &mut tx,
            ctx,
            &mut v,
            Step::Allocate,
            state,
            now,
            Some(rationale),
        )
        .await?;
        if first {
            self.duty_event(
                &mut tx,
                &Event::SupervisionStarted {
                    crime,
                    at: now,
                    risk: v.risk,
                    team,
                },
            )
            .await?;
        } else {
            duty_queue::reassign(
                &mut tx,
                self.force.id,
                crime,
                &[DutyKind::ReviewInvestigation],
                Owner::Team(team),
            )
            .await?;
        }
        duty_queue::reassign(
            &mut tx,
            self.force.id,
            crime,
            &[DutyKind::InformVictim, DutyKind::AgreedUpdate],
            Self::victim_owner(&v),
        )
        .await?;
        self.altered(
            tx,
            ctx,
            crime,
            "investigation.allocate",
            serde_json::json!({
                "team_id": team.to_string(), "investigator_id": investigator.map(|u| u.to_string()),
                "seriousness": seriousness.as_str(), "complex": input.complex,
                "risk": v.risk.as_str(), "state": state.as_str(),
            }),
        )
        .await
    }

    /// Adds lines of enquiry and actions to the plan and marks items done. The first plan
    /// of an allocated investigation starts the work (under investigation).
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation`; [`AppError::Invalid`] naming each
    /// bad field (an item that is not an open item of this plan); [`AppError::Conflict`]
    /// when unallocated or finalised.
    pub async fn plan(&self, ctx: &Ctx, crime: RecordId, input: &PlanInput) -> Result<CaseFile> {
        authorise(ctx, Action::WorkInvestigation)?;
        let mut f = Fields::new();
        let mut items = parse_items(
            &mut f,
            "/lines_of_enquiry",
            &input.lines_of_enquiry,
            PlanItemKind::LineOfEnquiry,
        );
        items.extend(parse_items(
            &mut f,
            "/actions",
            &input.actions,
            PlanItemKind::Action,
        ));
        let completed: Vec<(usize, Uuid, String)> = input
            .completed
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let id = uuid_at(&mut f, &format!("/completed/{i}/id"), &c.id);
                let result = f.prose(&format!("/completed/{i}/result"), &c.result, NOTE_MAX);
                Some((i, id?, result?))
            })
            .collect();
        if items.is_empty() && completed.is_empty() && input.completed.is_empty() {
            f.error(
                "",
                "must add a line of enquiry or an action, or complete one",
            );
        }
        f.finish(|| Some(()))?;

        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let state = Self::step(&v, Step::Investigate)?;
        let now = self.now();
        let mut f = Fields::new();
        for (i, id, result) in &completed {
            if !store::complete_plan_item(
                &mut tx,
                self.force.id,
                crime,
                *id,
                now,
                ctx.actor.user_id,
                result,
            )
            .await?
            {
                f.error(
                    format!("/completed/{i}/id"),
                    "must be an open line of enquiry or action of this plan",
                );
            }
        }
        f.finish(|| Some(()))?;
        let rows = self.plan_rows(ctx, &items, PlanSource::Plan, None, now);
        store::insert_plan_items(&mut tx, self.force.id, crime, &rows).await?;
        if state != v.state {
            self.record_step(&mut tx, ctx, &mut v, Step::Investigate, state, now, None)
                .await?;
        }
        self.altered(tx, ctx, crime, "investigation.plan", serde_json::json!({
                "added": rows.iter().map(|r| serde_json::json!({"id": r.id.to_string(), "kind": r.kind.as_str(), "text": r.text})).collect::<Vec<_>>(),
                "completed": completed.iter().map(|(_, id, _)| id.to_string()).collect::<Vec<_>>(),
            }))
            .await
    }

    fn plan_rows(
        &self,
        ctx: &Ctx,
        items: &[(PlanItemKind, String, Option<NaiveDate>, Option<UserId>)],
        source: PlanSource,
        source_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Vec<PlanItem> {
        items
            .iter()
            .map(|(kind, text, due, who)| PlanItem {
                id: Uuid::now_v7(),
                kind: *kind,
                text: text.clone(),
                source,
                source_id,
                assigned_to: *who,
                due_on: *due,
                created_at: now,
                created_by: ctx.actor.user_id,
                done_at: None,
                done_by: None,
                result: None,
            })
            .collect()
    }

    /// A supervisor's review: records the risk from now on and the note, turns each
    /// direction into an action, meets the review that was due and schedules the next.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `review_investigation`; [`AppError::Invalid`] naming
    /// each bad field; [`AppError::Conflict`] when unallocated or finalised.
    pub async fn review(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &ReviewInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::ReviewInvestigation)?;
        let mut f = Fields::new();
        let risk = f.check("/risk", input.risk.parse::<Level>());
        let note = f.prose("/note", &input.note, NOTE_MAX);
        let directions = parse_items(
            &mut f,
            "/directions",
            &input.directions,
            PlanItemKind::Action,
        );
        let (risk, note) = f.finish(|| Some((risk?, note?)))?;

        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let team = match (v.state, v.team) {
            (State::Recorded | State::Finalised, _) | (_, None) => {
                return Err(AppError::Conflict(format!(
                    "an investigation that is {} cannot be reviewed",
                    v.state.describe()
                )));
            }
            (_, Some(t)) => t,
        };
        let now = self.now();
        let id = Uuid::now_v7();
        v.risk = supervision_risk(risk, v.seriousness);
        store::insert_review(
            &mut tx,
            self.force.id,
            crime,
            &Review {
                id,
                at: now,
                supervisor: ctx.actor.user_id,
                risk: v.risk,
                note: note.clone(),
            },
        )
        .await?;
        let rows = self.plan_rows(ctx, &directions, PlanSource::Review, Some(id), now);
        store::insert_plan_items(&mut tx, self.force.id, crime, &rows).await?;
        v.updated_at = now;
        store::save(&mut tx, self.force.id, &v).await?;
        self.duty_event(
            &mut tx,
            &Event::InvestigationReviewed {
                crime,
                at: now,
                risk: v.risk,
                team,
            },
        )
        .await?;
        self.altered(tx, ctx, crime, "investigation.review", serde_json::json!({"review_id": id.to_string(), "risk": v.risk.as_str(), "directions": rows.len()}))
            .await
    }

    /// Hands an investigation to another team with the quality checklist.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation`; [`AppError::Invalid`] naming each
    /// bad field (every checklist item must be answered; an unknown team; the team that
    /// holds it); [`AppError::Conflict`] when unallocated, finalised, or a handover is
    /// already awaiting its decision.
    pub async fn hand_over(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &HandoverInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::WorkInvestigation)?;
        let mut f = Fields::new();
        let to = uuid_at(&mut f, "/to_team_id", &input.to_team_id).map(TeamId::from_uuid);
        let note = f.optional_prose("/note", input.note.as_deref(), NOTE_MAX);
        let checklist = parse_checklist(&mut f, "/checklist", &input.checklist);
        let (to, checklist) = f.finish(|| Some((to?, checklist?)))?;

        let mut tx = self.begin().await?;
        let (_, v) = self.open_case(&mut tx, ctx, crime).await?;
        if v.state == State::Recorded || !v.state.is_open() {
            return Err(AppError::Conflict(format!(
                "an investigation that is {} cannot be handed over",
                v.state.describe()
            )));
        }
        let mut f = Fields::new();
        if bluelamp_store::optional(user::team_name(&mut tx, self.force.id, to).await)?.is_none() {
            f.error("/to_team_id", "must be a team of the force");
        } else if v.team == Some(to) {
            f.error(
                "/to_team_id",
                "must be another team than the one that holds it",
            );
        }
        f.finish(|| Some(()))?;
        if store::handovers(&mut tx, self.force.id, crime)
            .await?
            .iter()
            .any(|h| h.decision.is_none())
        {
            return Err(AppError::Conflict(
                "a handover of this investigation is already awaiting the receiving team".into(),
            ));
        }
        let id = Uuid::now_v7();
        let h = Handover {
            id,
            from_team: v.team,
            to_team: to,
            at: self.now(),
            by: ctx.actor.user_id,
            note,
            checklist,
            decision: None,
        };
        store::insert_handover(&mut tx, self.force.id, crime, &h).await?;
        self.duty_event(
            &mut tx,
            &Event::HandoverProposed {
                crime,
                at: h.at,
                to_team: to,
            },
        )
        .await?;
        self.altered(tx, ctx, crime, "investigation.handover", serde_json::json!({
                "handover_id": id.to_string(), "to_team_id": to.to_string(),
                "checklist": h.checklist.iter().map(|a| (a.item.as_str(), a.state.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
            }))
            .await
    }

    /// The receiving team accepts a handover (the investigation moves to it, awaiting an
    /// investigator; outstanding checklist items become its actions) or returns it with
    /// reasons.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation`, or when the actor is not in the
    /// receiving team and not a supervisor; [`AppError::Invalid`] for a bad decision or a
    /// return without reasons; [`AppError::NotFound`] for no such handover awaiting one.
    pub async fn decide_handover(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        handover: Uuid,
        input: &HandoverDecisionInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::WorkInvestigation)?;
        let mut f = Fields::new();
        let decision = f.check("/decision", input.decision.parse::<HandoverDecision>());
        let reasons = f.optional_prose("/reasons", input.reasons.as_deref(), NOTE_MAX);
        if decision == Some(HandoverDecision::Returned) && reasons.is_none() {
            f.error("/reasons", "must say why the handover is returned");
        }
        let decision = f.finish(|| decision)?;

        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let h = store::handovers(&mut tx, self.force.id, crime)
            .await?
            .into_iter()
            .find(|h| h.id == handover && h.decision.is_none())
            .ok_or(AppError::NotFound)?;
        let receiving =
            ctx.actor.teams.contains(&h.to_team) || ctx.actor.roles.contains(&Role::Supervisor);
        if !receiving {
            return Err(AppError::Denied(bluelamp_domain::access::Denied(
                Action::WorkInvestigation,
            )));
        }
        let now = self.now();
        store::decide_handover(
            &mut tx,
            self.force.id,
            crime,
            handover,
            &HandoverDecided {
                decision,
                at: now,
                by: ctx.actor.user_id,
                reasons: reasons.clone(),
            },
        )
        .await?;
        self.duty_event(&mut tx, &Event::HandoverDecided { crime, at: now })
            .await?;
        if decision == HandoverDecision::Accepted {
            v.team = Some(h.to_team);
            v.investigator = None;
            let state = Self::step(&v, Step::Allocate)?;
            self.record_step(
                &mut tx,
                ctx,
                &mut v,
                Step::Allocate,
                state,
                now,
                h.note.clone(),
            )
            .await?;
            let outstanding: Vec<_> = h
                .checklist
                .iter()
                .filter(|a| a.state == ItemState::Outstanding)
                .map(|a| {
                    (
                        PlanItemKind::Action,
                        format!(
                            "{} (outstanding at handover): {}",
                            a.item.label(),
                            a.note.as_deref().unwrap_or_default()
                        ),
                        None,
                        None,
                    )
                })
                .collect();
            let rows = self.plan_rows(ctx, &outstanding, PlanSource::Handover, Some(h.id), now);
            store::insert_plan_items(&mut tx, self.force.id, crime, &rows).await?;
            duty_queue::reassign(
                &mut tx,
                self.force.id,
                crime,
                &[
                    DutyKind::ReviewInvestigation,
                    DutyKind::InformVictim,
                    DutyKind::AgreedUpdate,
                ],
                Owner::Team(h.to_team),
            )
            .await?;
        }
        self.altered(tx, ctx, crime, "investigation.handover_decision", serde_json::json!({"handover_id": handover.to_string(), "decision": decision.as_str(), "reasons": reasons}))
            .await
    }

    /// Refers the investigation to the CPS, records its return, or reopens it.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation` (reopening: without
    /// `review_investigation`); [`AppError::Invalid`] for a step that is not one of these
    /// or no note; [`AppError::Conflict`] for a step the state does not allow.
    pub async fn take_step(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &StepInput,
    ) -> Result<CaseFile> {
        let mut f = Fields::new();
        let step = f.check(
            "/step",
            match input.step.parse::<Step>() {
                Ok(s @ (Step::ReferToCps | Step::ReturnFromCps | Step::Reopen)) => Ok(s),
                _ => Err("must be refer_to_cps, return_from_cps or reopen"),
            },
        );
        let note = f.prose("/note", &input.note, NOTE_MAX);
        let (step, note) = f.finish(|| Some((step?, note?)))?;
        authorise(
            ctx,
            if step == Step::Reopen {
                Action::ReviewInvestigation
            } else {
                Action::WorkInvestigation
            },
        )?;
        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let state = Self::step(&v, step)?;
        let now = self.now();
        if step == Step::Reopen {
            v.finalised_at = None;
            v.outcome = None;
            if let Some(team) = v.team {
                self.duty_event(
                    &mut tx,
                    &Event::SupervisionStarted {
                        crime,
                        at: now,
                        risk: v.risk,
                        team,
                    },
                )
                .await?;
            }
        }
        self.record_step(&mut tx, ctx, &mut v, step, state, now, Some(note))
            .await?;
        if step == Step::Reopen {
            // Reopened, the victims are owed updates as agreed again.
            for victim in victims::of_crime(&mut tx, self.force.id, crime).await? {
                self.agree_updates(&mut tx, &victim, now).await?;
            }
        }
        self.altered(
            tx,
            ctx,
            crime,
            "investigation.step",
            serde_json::json!({"step": step.as_str(), "state": state.as_str()}),
        )
        .await
    }

    /// Records a development the victims must be told of (an arrest, a release, bail, a
    /// first hearing): each victim's update falls due under the Victims' Code.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation`; [`AppError::Invalid`] naming each
    /// bad field (a time in the future, or before the crime was recorded).
    pub async fn record_development(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &DevelopmentInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::WorkInvestigation)?;
        let now = self.now();
        let mut f = Fields::new();
        let what = f.check("/what", input.what.parse::<Notifiable>());
        let at = instant_or_now(&mut f, "/at", input.at.as_deref(), now);
        let note = f.optional_prose("/note", input.note.as_deref(), NOTE_MAX);
        let (what, at) = f.finish(|| Some((what?, at?)))?;
        let mut tx = self.begin().await?;
        let (c, v) = self.open_case(&mut tx, ctx, crime).await?;
        if at < c.recorded_at {
            return Err(Invalid::one("/at", "must not be before the crime was recorded").into());
        }
        let id = Uuid::now_v7();
        store::insert_development(
            &mut tx,
            self.force.id,
            crime,
            &Development {
                id,
                what,
                at,
                by: ctx.actor.user_id,
                note,
            },
        )
        .await?;
        self.notify_victims(&mut tx, &v, what, at).await?;
        self.altered(
            tx,
            ctx,
            crime,
            "investigation.development",
            serde_json::json!({"development_id": id.to_string(), "what": what.as_str(), "at": at}),
        )
        .await
    }

    /// Records an outcome. It must meet the framework in force at its date and the rule its
    /// number carries; where force policy asks for approval and the actor is not a
    /// supervisor, it is proposed and the investigation waits for a supervisor.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `record_outcome`; [`AppError::Invalid`] naming each
    /// broken rule and field (nothing is written); [`AppError::Conflict`] when finalised
    /// or an outcome already awaits approval.
    pub async fn record_outcome(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &OutcomeInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::RecordOutcome)?;
        let mut tx = self.begin().await?;
        let (c, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        Self::step(&v, Step::Finalise)?;
        let plan = store::plan(&mut tx, self.force.id, crime).await?;
        let facts = OutcomeFacts {
            recorded_at: c.recorded_at,
            offence_group: c.offence_code.group(),
            open_actions: plan.iter().filter(|p| p.done_at.is_none()).count(),
        };
        let now = self.now();
        let fin = Finalisation::parse(input, facts, &self.config.outcomes.framework, now)?;
        if let Some(s) = fin.suspect {
            self.referenced(&mut tx, ctx, s, RecordKind::Person, "/suspect_id")
                .await?;
        }
        if store::outcomes(&mut tx, self.force.id, crime)
            .await?
            .iter()
            .any(|o| o.status == OutcomeStatus::Proposed)
        {
            return Err(AppError::Conflict(
                "an outcome of this investigation is already awaiting approval".into(),
            ));
        }
        let needs_approval = self.config.outcomes.needs_approval(
            fin.outcome,
            fin.at,
            ctx.actor.authorise(Action::ApproveOutcome).is_ok(),
        );
        let row = OutcomeRow {
            id: Uuid::now_v7(),
            outcome: fin.outcome,
            at: fin.at,
            charge_date: fin.charge_date,
            suspect: fin.suspect,
            victim_position: fin.victim_position,
            rationale: fin.rationale.clone(),
            recorded_by: ctx.actor.user_id,
            status: if needs_approval {
                OutcomeStatus::Proposed
            } else {
                OutcomeStatus::Approved
            },
            decided_at: (!needs_approval).then_some(now),
            decided_by: (!needs_approval).then_some(ctx.actor.user_id),
            decision_reason: None,
        };
        store::insert_outcome(&mut tx, self.force.id, crime, &row).await?;
        if let Some(s) = fin.suspect {
            self.ensure_suspect_link(&mut tx, ctx, s, crime).await?;
        }
        if needs_approval {
            self.duty_event(
                &mut tx,
                &Event::OutcomeProposed {
                    crime,
                    at: now,
                    team: v.team,
                },
            )
            .await?;
        } else {
            self.finalise(&mut tx, ctx, &mut v, &row, now).await?;
        }
        self.altered(tx, ctx, crime, "investigation.outcome", json_outcome(&row))
            .await
    }

    /// Links the named suspect to the crime, unless already linked as suspect or offender.
    async fn ensure_suspect_link(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        person: RecordId,
        crime: RecordId,
    ) -> Result<()> {
        let linked = link::of_record(tx, self.force.id, crime, &ctx.actor.audience())
            .await?
            .iter()
            .any(|l| {
                l.from == person && matches!(l.role, LinkRole::SuspectIn | LinkRole::OffenderIn)
            });
        if !linked {
            self.link_person(tx, ctx, person, LinkRole::SuspectIn, crime)
                .await?;
        }
        Ok(())
    }

    /// Finalises with an approved outcome: the state, the end of the supervision schedule,
    /// and each victim's duty to be told.
    async fn finalise(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        v: &mut Investigation,
        row: &OutcomeRow,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let investigated = v.allocated_at.is_some();
        let state = Self::step(v, Step::Finalise)?;
        v.outcome = Some(row.outcome);
        v.finalised_at = Some(now);
        self.record_step(
            tx,
            ctx,
            v,
            Step::Finalise,
            state,
            now,
            Some(format!("Outcome {}: {}", row.outcome, row.outcome.label())),
        )
        .await?;
        self.duty_event(
            tx,
            &Event::InvestigationFinalised {
                crime: v.crime,
                at: now,
            },
        )
        .await?;
        self.notify_victims(tx, v, row.outcome.notifiable(investigated), now)
            .await
    }

    /// A supervisor approves the proposed outcome (the investigation is finalised) or
    /// rejects it with a reason (it stays open).
    ///
    /// # Errors
    /// [`AppError::Denied`] without `approve_outcome`; [`AppError::Invalid`] for a bad
    /// decision or a rejection without a reason; [`AppError::NotFound`] when no outcome
    /// awaits approval.
    pub async fn decide_outcome(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &ApprovalInput,
    ) -> Result<CaseFile> {
        authorise(ctx, Action::ApproveOutcome)?;
        let mut f = Fields::new();
        let approve = f.check(
            "/decision",
            match input.decision.trim() {
                "approve" => Ok(true),
                "reject" => Ok(false),
                _ => Err("must be approve or reject"),
            },
        );
        let reason = f.optional_prose("/reason", input.reason.as_deref(), NOTE_MAX);
        if approve == Some(false) && reason.is_none() {
            f.error("/reason", "must say why the outcome is rejected");
        }
        let approve = f.finish(|| approve)?;
        let mut tx = self.begin().await?;
        let (_, mut v) = self.open_case(&mut tx, ctx, crime).await?;
        let mut row = store::outcomes(&mut tx, self.force.id, crime)
            .await?
            .into_iter()
            .find(|o| o.status == OutcomeStatus::Proposed)
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        row.status = if approve {
            OutcomeStatus::Approved
        } else {
            OutcomeStatus::Rejected
        };
        store::decide_outcome(
            &mut tx,
            self.force.id,
            crime,
            row.status,
            now,
            ctx.actor.user_id,
            reason.as_deref(),
        )
        .await?;
        self.duty_event(&mut tx, &Event::OutcomeDecided { crime, at: now })
            .await?;
        if approve {
            self.finalise(&mut tx, ctx, &mut v, &row, now).await?;
        }
        self.altered(tx, ctx, crime, "investigation.outcome_decision", serde_json::json!({"outcome_id": row.id.to_string(), "decision": row.status.as_str(), "reason": reason}))
            .await
    }

    /// The open investigations held by the actor (as investigator) or by their teams, the
    /// most pressing review first, a page at a time, with their number.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_duties`.
    pub async fn held_investigations(
        &self,
        ctx: &Ctx,
        holding: Holding,
        page: Page,
    ) -> Result<(Vec<Listed>, i64)> {
        authorise(ctx, Action::ViewDuties)?;
        let holder = match holding {
            Holding::Mine => Holder::Investigator(ctx.actor.user_id),
            Holding::MyTeams => Holder::Teams(ctx.actor.teams.clone()),
        };
        let mut tx = self.begin().await?;
        let (items, total) = store::open_held(
            &mut tx,
            self.force.id,
            &holder,
            &ctx.actor.audience(),
            i64::from(page.size),
            page.offset() as i64,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "investigation.list",
            None,
            serde_json::json!({
                "holding": match holding { Holding::Mine => "mine", Holding::MyTeams => "my_teams" },
                "page": page.number,
                "results": items.iter().map(|l| l.investigation.crime.to_string()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok((items, total))
    }
}

/// The teams, and the users who can be given investigations, for the allocation and
/// handover forms.
#[derive(Debug, Clone, Default)]
pub struct StaffOptions {
    pub teams: Vec<(TeamId, String)>,
    /// Each with their first team's name and PIP level.
    pub investigators: Vec<(UserId, String, String, Option<i64>)>,
}

impl App {
    /// The teams and investigators to choose from.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `work_investigation` or `allocate_investigation`.
    pub async fn staff_options(&self, ctx: &Ctx) -> Result<StaffOptions> {
        if ctx.actor.authorise(Action::AllocateInvestigation).is_err() {
            authorise(ctx, Action::WorkInvestigation)?;
        }
        let mut tx = self.begin().await?;
        let out = StaffOptions {
            teams: user::teams(&mut tx, self.force.id).await?,
            investigators: user::investigators(&mut tx, self.force.id).await?,
        };
        tx.commit().await?;
        Ok(out)
    }
}

impl App {
    /// What awaits the actor's teams: proposed outcomes of their investigations and
    /// handovers to them.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_duties`.
    pub async fn awaiting_my_teams(&self, ctx: &Ctx) -> Result<Vec<store::Awaiting>> {
        authorise(ctx, Action::ViewDuties)?;
        let mut tx = self.begin().await?;
        let out = store::awaiting(
            &mut tx,
            self.force.id,
            &ctx.actor.teams,
            &ctx.actor.audience(),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}

impl App {
    /// The investigation and victim-care measures of a period (issue 5 §7), over every crime
    /// of the force: counts reveal no record. By default the 12 months to now.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_aggregates`; [`AppError::Invalid`] for a bad
    /// bound or an empty period.
    pub async fn investigation_measures(
        &self,
        ctx: &Ctx,
        query: &crate::first_contact::MeasuresQuery,
    ) -> Result<bluelamp_store::investigation_review::InvestigationMeasures> {
        authorise(ctx, Action::ViewAggregates)?;
        let now = self.now();
        let period =
            crate::incident::measures_period(query.from.as_deref(), query.to.as_deref(), now, 365)?;
        let mut tx = self.begin().await?;
        let m = bluelamp_store::investigation_review::measures(&mut tx, self.force.id, period, now)
            .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "measures.investigation",
            None,
            serde_json::json!({"from": period.from, "to": period.to}),
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }
}

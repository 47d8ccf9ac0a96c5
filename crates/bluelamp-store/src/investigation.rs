//! Investigations: where each stands (`investigation`), its history of steps, its plan,
//! supervision reviews, handovers with their checklist, developments the victims must be
//! told of, and outcomes.
//!
//! History rows are written once; `investigation` is kept in step with them by the service
//! in the same transaction, and plan items and handovers and outcomes are updated once,
//! when done or decided.

use bluelamp_domain::access::Audience;
use bluelamp_domain::duty::Notifiable;
use bluelamp_domain::ids::{ForceId, RecordId, TeamId, UserId};
use bluelamp_domain::investigation::{
    ChecklistAnswer, HandoverDecision, PlanItemKind, PlanSource, Seriousness, State, Step,
};
use bluelamp_domain::offence::HoOffenceCode;
use bluelamp_domain::outcome::{Outcome, OutcomeStatus, VictimPosition};
use bluelamp_domain::thrive::Level;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, StoreError, Tx, decode, exec, on};

/// Where an investigation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investigation {
    pub crime: RecordId,
    pub state: State,
    pub seriousness: Seriousness,
    pub complex: bool,
    /// The risk supervision is scheduled at.
    pub risk: Level,
    pub team: Option<TeamId>,
    pub investigator: Option<UserId>,
    pub allocated_at: Option<DateTime<Utc>>,
    pub finalised_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct InvestigationRow {
    crime_id: Uuid,
    state: String,
    seriousness: String,
    complex: bool,
    risk: String,
    team_id: Option<Uuid>,
    investigator_id: Option<Uuid>,
    allocated_at: Option<DateTime<Utc>>,
    finalised_at: Option<DateTime<Utc>>,
    outcome: Option<i64>,
    updated_at: DateTime<Utc>,
}

fn outcome_of(n: i64) -> Result<Outcome> {
    u8::try_from(n)
        .ok()
        .and_then(Outcome::new)
        .ok_or_else(|| StoreError::Corrupt(format!("outcome: {n}")))
}

impl InvestigationRow {
    fn into_investigation(self) -> Result<Investigation> {
        Ok(Investigation {
            crime: RecordId::from_uuid(self.crime_id),
            state: decode("investigation state", &self.state)?,
            seriousness: decode("seriousness", &self.seriousness)?,
            complex: self.complex,
            risk: decode("risk", &self.risk)?,
            team: self.team_id.map(TeamId::from_uuid),
            investigator: self.investigator_id.map(UserId::from_uuid),
            allocated_at: self.allocated_at,
            finalised_at: self.finalised_at,
            outcome: self.outcome.map(outcome_of).transpose()?,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: &str = "v.crime_id, v.state, v.seriousness, v.complex, v.risk, v.team_id,
     v.investigator_id, v.allocated_at, v.finalised_at, v.outcome, v.updated_at";

/// The investigation of a crime, if one has been started.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn get(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Option<Investigation>> {
    let sql =
        format!("SELECT {COLUMNS} FROM investigation v WHERE v.force_id = $1 AND v.crime_id = $2");
    let row: Option<InvestigationRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(crime.uuid()).fetch_optional(c).await)?;
    row.map(InvestigationRow::into_investigation).transpose()
}

/// Writes where an investigation stands, creating it the first time.
///
/// # Errors
/// The database failed.
pub async fn save(tx: &mut Tx, force: ForceId, v: &Investigation) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO investigation (force_id, crime_id, state, seriousness, complex, risk,
             team_id, investigator_id, allocated_at, finalised_at, outcome, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (force_id, crime_id) DO UPDATE SET state = excluded.state,
             seriousness = excluded.seriousness, complex = excluded.complex,
             risk = excluded.risk, team_id = excluded.team_id,
             investigator_id = excluded.investigator_id, allocated_at = excluded.allocated_at,
             finalised_at = excluded.finalised_at, outcome = excluded.outcome,
             updated_at = excluded.updated_at")
        .bind(force.uuid()).bind(v.crime.uuid()).bind(v.state.as_str())
        .bind(v.seriousness.as_str()).bind(v.complex).bind(v.risk.as_str())
        .bind(v.team.map(|t| t.uuid())).bind(v.investigator.map(|u| u.uuid()))
        .bind(v.allocated_at).bind(v.finalised_at).bind(v.outcome.map(|o| i64::from(o.number())))
        .bind(v.updated_at)
        .execute(c).await)?;
    Ok(())
}

/// One step in an investigation's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: Uuid,
    pub step: Step,
    pub state_after: State,
    pub at: DateTime<Utc>,
    pub user: UserId,
    pub team: Option<TeamId>,
    pub investigator: Option<UserId>,
    pub note: Option<String>,
}

/// Appends a step to an investigation's history.
///
/// # Errors
/// The database failed.
pub async fn insert_step(tx: &mut Tx, force: ForceId, crime: RecordId, s: &StepRow) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO investigation_step (force_id, id, crime_id, step, state_after, at, user_id,
             team_id, investigator_id, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(force.uuid()).bind(s.id).bind(crime.uuid()).bind(s.step.as_str())
        .bind(s.state_after.as_str()).bind(s.at).bind(s.user.uuid())
        .bind(s.team.map(|t| t.uuid())).bind(s.investigator.map(|u| u.uuid()))
        .bind(s.note.as_deref())
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StepDbRow {
    id: Uuid,
    step: String,
    state_after: String,
    at: DateTime<Utc>,
    user_id: Uuid,
    team_id: Option<Uuid>,
    investigator_id: Option<Uuid>,
    note: Option<String>,
}

/// An investigation's steps, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn steps(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<StepRow>> {
    let rows: Vec<StepDbRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, step, state_after, at, user_id, team_id, investigator_id, note
         FROM investigation_step WHERE force_id = $1 AND crime_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(StepRow {
                id: r.id,
                step: decode("investigation step", &r.step)?,
                state_after: decode("investigation state", &r.state_after)?,
                at: r.at,
                user: UserId::from_uuid(r.user_id),
                team: r.team_id.map(TeamId::from_uuid),
                investigator: r.investigator_id.map(UserId::from_uuid),
                note: r.note,
            })
        })
        .collect()
}

/// A line of enquiry or action in an investigation plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    pub id: Uuid,
    pub kind: PlanItemKind,
    pub text: String,
    /// Where it came from: the plan, a review's directions, or a handover's outstanding
    /// items.
    pub source: PlanSource,
    /// The review or handover it came from.
    pub source_id: Option<Uuid>,
    pub assigned_to: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub created_by: UserId,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<UserId>,
    pub result: Option<String>,
}

/// Stores new plan items.
///
/// # Errors
/// The database failed.
pub async fn insert_plan_items(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    items: &[PlanItem],
) -> Result<()> {
    for p in items {
        exec!(tx, c => sqlx::query(
            "INSERT INTO plan_item (force_id, id, crime_id, kind, text, source, source_id,
                 assigned_to, due_on, created_at, created_by, done_at, done_by, result)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
            .bind(force.uuid()).bind(p.id).bind(crime.uuid()).bind(p.kind.as_str())
            .bind(&p.text).bind(p.source.as_str()).bind(p.source_id)
            .bind(p.assigned_to.map(|u| u.uuid())).bind(p.due_on).bind(p.created_at)
            .bind(p.created_by.uuid()).bind(p.done_at).bind(p.done_by.map(|u| u.uuid()))
            .bind(p.result.as_deref())
            .execute(c).await)?;
    }
    Ok(())
}

/// Marks an open plan item of the crime done; gives whether one was.
///
/// # Errors
/// The database failed.
pub async fn complete_plan_item(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    item: Uuid,
    at: DateTime<Utc>,
    by: UserId,
    result: &str,
) -> Result<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE plan_item SET done_at = $4, done_by = $5, result = $6
         WHERE force_id = $1 AND crime_id = $2 AND id = $3 AND done_at IS NULL")
        .bind(force.uuid()).bind(crime.uuid()).bind(item).bind(at).bind(by.uuid()).bind(result)
        .execute(c).await)?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: Uuid,
    kind: String,
    text: String,
    source: String,
    source_id: Option<Uuid>,
    assigned_to: Option<Uuid>,
    due_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    created_by: Uuid,
    done_at: Option<DateTime<Utc>>,
    done_by: Option<Uuid>,
    result: Option<String>,
}

/// The plan of an investigation, in the order written.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn plan(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<PlanItem>> {
    let rows: Vec<PlanRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, kind, text, source, source_id, assigned_to, due_on, created_at, created_by,
                done_at, done_by, result
         FROM plan_item WHERE force_id = $1 AND crime_id = $2 ORDER BY created_at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(PlanItem {
                id: r.id,
                kind: decode("plan item kind", &r.kind)?,
                text: r.text,
                source: decode("plan item source", &r.source)?,
                source_id: r.source_id,
                assigned_to: r.assigned_to.map(UserId::from_uuid),
                due_on: r.due_on,
                created_at: r.created_at,
                created_by: UserId::from_uuid(r.created_by),
                done_at: r.done_at,
                done_by: r.done_by.map(UserId::from_uuid),
                result: r.result,
            })
        })
        .collect()
}

/// A supervisor's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub supervisor: UserId,
    pub risk: Level,
    pub note: String,
}

/// Stores a review.
///
/// # Errors
/// The database failed.
pub async fn insert_review(tx: &mut Tx, force: ForceId, crime: RecordId, r: &Review) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO supervision_review (force_id, id, crime_id, at, supervisor_id, risk, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(force.uuid()).bind(r.id).bind(crime.uuid()).bind(r.at).bind(r.supervisor.uuid())
        .bind(r.risk.as_str()).bind(&r.note)
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: Uuid,
    at: DateTime<Utc>,
    supervisor_id: Uuid,
    risk: String,
    note: String,
}

/// The reviews of an investigation, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn reviews(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<Review>> {
    let rows: Vec<ReviewRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, at, supervisor_id, risk, note FROM supervision_review
         WHERE force_id = $1 AND crime_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Review {
                id: r.id,
                at: r.at,
                supervisor: UserId::from_uuid(r.supervisor_id),
                risk: decode("risk", &r.risk)?,
                note: r.note,
            })
        })
        .collect()
}

/// A handover between teams, with its checklist and the receiving team's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub id: Uuid,
    pub from_team: Option<TeamId>,
    pub to_team: TeamId,
    pub at: DateTime<Utc>,
    pub by: UserId,
    pub note: Option<String>,
    pub checklist: Vec<ChecklistAnswer>,
    pub decision: Option<HandoverDecided>,
}

/// The receiving team's decision on a handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverDecided {
    pub decision: HandoverDecision,
    pub at: DateTime<Utc>,
    pub by: UserId,
    pub reasons: Option<String>,
}

/// Stores a handover and its checklist.
///
/// # Errors
/// The database failed.
pub async fn insert_handover(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    h: &Handover,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO handover (force_id, id, crime_id, from_team_id, to_team_id, at, by_user,
             note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(force.uuid()).bind(h.id).bind(crime.uuid()).bind(h.from_team.map(|t| t.uuid()))
        .bind(h.to_team.uuid()).bind(h.at).bind(h.by.uuid()).bind(h.note.as_deref())
        .execute(c).await)?;
    for a in &h.checklist {
        exec!(tx, c => sqlx::query(
            "INSERT INTO handover_item (force_id, handover_id, item, state, note)
             VALUES ($1, $2, $3, $4, $5)")
            .bind(force.uuid()).bind(h.id).bind(a.item.as_str()).bind(a.state.as_str())
            .bind(a.note.as_deref())
            .execute(c).await)?;
    }
    Ok(())
}

/// Records the receiving team's decision on a handover still awaiting one; gives whether
/// there was one to decide.
///
/// # Errors
/// The database failed.
pub async fn decide_handover(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    handover: Uuid,
    d: &HandoverDecided,
) -> Result<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE handover SET decision = $4, decided_at = $5, decided_by = $6, reasons = $7
         WHERE force_id = $1 AND crime_id = $2 AND id = $3 AND decision IS NULL")
        .bind(force.uuid()).bind(crime.uuid()).bind(handover).bind(d.decision.as_str())
        .bind(d.at).bind(d.by.uuid()).bind(d.reasons.as_deref())
        .execute(c).await)?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct HandoverRow {
    id: Uuid,
    from_team_id: Option<Uuid>,
    to_team_id: Uuid,
    at: DateTime<Utc>,
    by_user: Uuid,
    note: Option<String>,
    decision: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decided_by: Option<Uuid>,
    reasons: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    handover_id: Uuid,
    item: String,
    state: String,
    note: Option<String>,
}

/// The handovers of an investigation, oldest first, each with its checklist in the order of
/// the checklist's items.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn handovers(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<Handover>> {
    let rows: Vec<HandoverRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, from_team_id, to_team_id, at, by_user, note, decision, decided_at,
                decided_by, reasons
         FROM handover WHERE force_id = $1 AND crime_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    let items: Vec<ItemRow> = on!(tx, c => sqlx::query_as(
        "SELECT i.handover_id, i.item, i.state, i.note FROM handover_item i
         JOIN handover h ON h.force_id = i.force_id AND h.id = i.handover_id
         WHERE i.force_id = $1 AND h.crime_id = $2")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    let mut out = Vec::new();
    for r in rows {
        let mut checklist = items
            .iter()
            .filter(|i| i.handover_id == r.id)
            .map(|i| {
                Ok(ChecklistAnswer {
                    item: decode("checklist item", &i.item)?,
                    state: decode("checklist state", &i.state)?,
                    note: i.note.clone(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        checklist.sort_by_key(|a| a.item);
        let decision = match (r.decision, r.decided_at, r.decided_by) {
            (Some(d), Some(at), Some(by)) => Some(HandoverDecided {
                decision: decode("handover decision", &d)?,
                at,
                by: UserId::from_uuid(by),
                reasons: r.reasons,
            }),
            _ => None,
        };
        out.push(Handover {
            id: r.id,
            from_team: r.from_team_id.map(TeamId::from_uuid),
            to_team: TeamId::from_uuid(r.to_team_id),
            at: r.at,
            by: UserId::from_uuid(r.by_user),
            note: r.note,
            checklist,
            decision,
        });
    }
    Ok(out)
}

/// A development the victims must be told of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Development {
    pub id: Uuid,
    pub what: Notifiable,
    pub at: DateTime<Utc>,
    pub by: UserId,
    pub note: Option<String>,
}

/// Stores a development.
///
/// # Errors
/// The database failed.
pub async fn insert_development(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    d: &Development,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO crime_development (force_id, id, crime_id, what, at, by_user, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(force.uuid()).bind(d.id).bind(crime.uuid()).bind(d.what.as_str()).bind(d.at)
        .bind(d.by.uuid()).bind(d.note.as_deref())
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DevelopmentRow {
    id: Uuid,
    what: String,
    at: DateTime<Utc>,
    by_user: Uuid,
    note: Option<String>,
}

/// The developments of a crime, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn developments(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
) -> Result<Vec<Development>> {
    let rows: Vec<DevelopmentRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, what, at, by_user, note FROM crime_development
         WHERE force_id = $1 AND crime_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Development {
                id: r.id,
                what: decode("development", &r.what)?,
                at: r.at,
                by: UserId::from_uuid(r.by_user),
                note: r.note,
            })
        })
        .collect()
}

/// An outcome proposed or recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    pub id: Uuid,
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub charge_date: Option<NaiveDate>,
    pub suspect: Option<RecordId>,
    pub victim_position: Option<VictimPosition>,
    pub rationale: String,
    pub recorded_by: UserId,
    pub status: OutcomeStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<UserId>,
    pub decision_reason: Option<String>,
}

/// Stores an outcome.
///
/// # Errors
/// The database failed.
pub async fn insert_outcome(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    o: &OutcomeRow,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO crime_outcome (force_id, id, crime_id, outcome, at, charge_date, suspect_id,
             victim_position, rationale, recorded_by, status, decided_at, decided_by,
             decision_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
        .bind(force.uuid()).bind(o.id).bind(crime.uuid()).bind(i64::from(o.outcome.number()))
        .bind(o.at).bind(o.charge_date).bind(o.suspect.map(|s| s.uuid()))
        .bind(o.victim_position.map(|p| p.as_str())).bind(&o.rationale)
        .bind(o.recorded_by.uuid()).bind(o.status.as_str()).bind(o.decided_at)
        .bind(o.decided_by.map(|u| u.uuid())).bind(o.decision_reason.as_deref())
        .execute(c).await)?;
    Ok(())
}

/// Approves or rejects the crime's proposed outcome; gives whether there was one.
///
/// # Errors
/// The database failed.
pub async fn decide_outcome(
    tx: &mut Tx,
    force: ForceId,
    crime: RecordId,
    status: OutcomeStatus,
    at: DateTime<Utc>,
    by: UserId,
    reason: Option<&str>,
) -> Result<bool> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE crime_outcome SET status = $3, decided_at = $4, decided_by = $5,
             decision_reason = $6
         WHERE force_id = $1 AND crime_id = $2 AND status = 'proposed'")
        .bind(force.uuid()).bind(crime.uuid()).bind(status.as_str()).bind(at).bind(by.uuid())
        .bind(reason)
        .execute(c).await)?;
    Ok(n > 0)
}

#[derive(sqlx::FromRow)]
struct OutcomeDbRow {
    id: Uuid,
    outcome: i64,
    at: DateTime<Utc>,
    charge_date: Option<NaiveDate>,
    suspect_id: Option<Uuid>,
    victim_position: Option<String>,
    rationale: String,
    recorded_by: Uuid,
    status: String,
    decided_at: Option<DateTime<Utc>>,
    decided_by: Option<Uuid>,
    decision_reason: Option<String>,
}

/// The outcomes proposed and recorded for a crime, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn outcomes(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<OutcomeRow>> {
    let rows: Vec<OutcomeDbRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, outcome, at, charge_date, suspect_id, victim_position, rationale,
                recorded_by, status, decided_at, decided_by, decision_reason
         FROM crime_outcome WHERE force_id = $1 AND crime_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(OutcomeRow {
                id: r.id,
                outcome: outcome_of(r.outcome)?,
                at: r.at,
                charge_date: r.charge_date,
                suspect: r.suspect_id.map(RecordId::from_uuid),
                victim_position: r
                    .victim_position
                    .as_deref()
                    .map(|p| decode("victim position", p))
                    .transpose()?,
                rationale: r.rationale,
                recorded_by: UserId::from_uuid(r.recorded_by),
                status: decode("outcome status", &r.status)?,
                decided_at: r.decided_at,
                decided_by: r.decided_by.map(UserId::from_uuid),
                decision_reason: r.decision_reason,
            })
        })
        .collect()
}

/// An investigation in a list: the crime's reference and offence beside where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub investigation: Investigation,
    pub reference: String,
    pub offence_code: HoOffenceCode,
    pub recorded_at: DateTime<Utc>,
    /// When the next supervision review is due, if one is pending.
    pub review_due: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    v: InvestigationRow,
    reference: String,
    offence_code: String,
    recorded_at: DateTime<Utc>,
    review_due: Option<DateTime<Utc>>,
}

/// Whose investigations to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    Investigator(UserId),
    Teams(Vec<TeamId>),
}

/// The open investigations held by an investigator or by teams that the audience may see,
/// the most pressing review first (unreviewed ones by age), with their number.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn open_held(
    tx: &mut Tx,
    force: ForceId,
    holder: &Holder,
    audience: &Audience,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Listed>, i64)> {
    let (partner, user, agency) = audience_binds(audience);
    let (who, ids): (&str, Vec<Uuid>) = match holder {
        Holder::Investigator(u) => ("v.investigator_id = $5", vec![u.uuid()]),
        Holder::Teams(ts) => ("", ts.iter().map(TeamId::uuid).collect()),
    };
    // Teams: one placeholder each, after the fixed ones.
    let who = if who.is_empty() {
        if ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let ps: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 5)).collect();
        format!("v.team_id IN ({})", ps.join(", "))
    } else {
        who.to_string()
    };
    let filter = format!(
        "v.force_id = $1 AND {who} AND v.state <> 'finalised'
         AND (SELECT {} FROM record r WHERE r.force_id = $1 AND r.id = v.crime_id)",
        visible("r", 2)
    );
    let next = ids.len() + 5;
    // PostgreSQL orders by an output column only by its bare name, so the list is a derived
    // table ordered outside.
    let sql = format!(
        "SELECT * FROM (
             SELECT {COLUMNS}, cr.reference, cr.offence_code, cr.recorded_at,
                    (SELECT MIN(d.due) FROM duty d WHERE d.force_id = v.force_id
                       AND d.subject_id = v.crime_id AND d.kind = 'review_investigation'
                       AND d.met_at IS NULL AND d.rule <> 'escalation') AS review_due
             FROM investigation v
             JOIN crime cr ON cr.force_id = v.force_id AND cr.id = v.crime_id
             WHERE {filter}) AS held
         ORDER BY held.review_due IS NULL, held.review_due, held.recorded_at, held.crime_id
         LIMIT CAST(${next} AS BIGINT) OFFSET CAST(${} AS BIGINT)",
        next + 1
    );
    let count = format!("SELECT COUNT(*) FROM investigation v WHERE {filter}");
    let rows: Vec<ListedRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone());
        for id in &ids { q = q.bind(*id); }
        q.bind(limit).bind(offset).fetch_all(c).await
    })?;
    let total: i64 = on!(tx, c => {
        let mut q = sqlx::query_scalar(AssertSqlSafe(count))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone());
        for id in &ids { q = q.bind(*id); }
        q.fetch_one(c).await
    })?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(Listed {
                investigation: r.v.into_investigation()?,
                reference: r.reference,
                offence_code: decode("offence code", &r.offence_code)?,
                recorded_at: r.recorded_at,
                review_due: r.review_due,
            })
        })
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// Something waiting for a team's supervisor or the team itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Awaiting {
    pub crime: RecordId,
    pub reference: String,
    /// `outcome` (a proposed outcome awaiting approval) or `handover` (awaiting the
    /// receiving team).
    pub what: String,
    pub since: DateTime<Utc>,
}

/// Proposed outcomes of investigations held by `teams`, and handovers to them, awaiting a
/// decision, oldest first, about crimes the audience may see.
///
/// # Errors
/// The database failed.
pub async fn awaiting(
    tx: &mut Tx,
    force: ForceId,
    teams: &[TeamId],
    audience: &Audience,
) -> Result<Vec<Awaiting>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    let (partner, user, agency) = audience_binds(audience);
    let ps: Vec<String> = (0..teams.len()).map(|i| format!("${}", i + 5)).collect();
    let ps = ps.join(", ");
    let vis = visible("r", 2);
    let sql = format!(
        "SELECT crime_id, reference, what, since FROM (
             SELECT o.crime_id, cr.reference, 'outcome' AS what, o.at AS since
             FROM crime_outcome o
             JOIN investigation v ON v.force_id = o.force_id AND v.crime_id = o.crime_id
             JOIN crime cr ON cr.force_id = o.force_id AND cr.id = o.crime_id
             JOIN record r ON r.force_id = o.force_id AND r.id = o.crime_id
             WHERE o.force_id = $1 AND o.status = 'proposed' AND v.team_id IN ({ps}) AND {vis}
             UNION ALL
             SELECT h.crime_id, cr.reference, 'handover' AS what, h.at AS since
             FROM handover h
             JOIN crime cr ON cr.force_id = h.force_id AND cr.id = h.crime_id
             JOIN record r ON r.force_id = h.force_id AND r.id = h.crime_id
             WHERE h.force_id = $1 AND h.decision IS NULL AND h.to_team_id IN ({ps}) AND {vis}
         ) AS waiting ORDER BY since, crime_id LIMIT 200"
    );
    let rows: Vec<(Uuid, String, String, DateTime<Utc>)> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone());
        for t in teams { q = q.bind(t.uuid()); }
        q.fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(crime, reference, what, since)| Awaiting {
            crime: RecordId::from_uuid(crime),
            reference,
            what,
            since,
        })
        .collect())
}

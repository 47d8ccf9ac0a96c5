//! First contact: an incident's THRIVE assessments, advice checklist, attendance, crime-
//! recording decision, closure, and the incident-management queue.
//!
//! Assessments, attendance rows and decisions are written once and never updated; the
//! incident's `grade` and closure columns and the queue are kept in step with them by the
//! service, in the same transaction.

use std::collections::BTreeSet;

use bluelamp_domain::access::Audience;
use bluelamp_domain::first_contact::{
    Advice, AdviceItem, AttendanceKind, CrimeRecording, IncidentResult, QueueEntry, level_rank,
};
use bluelamp_domain::ids::{AreaId, ForceId, RecordId, UserId};
use bluelamp_domain::incident::IncidentCategory;
use bluelamp_domain::thrive::{
    Assessment, GradeDecision, Judgement, Level, Proposal, ResponseGrade, Setting, Thrive,
    VulnerabilityFactor,
};
use chrono::{DateTime, TimeDelta, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, StoreError, Tx, decode, exec, on};

/// An incident's state beside its details: where it is, its grade and its closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentState {
    pub opened_at: DateTime<Utc>,
    pub area_id: Option<AreaId>,
    /// The grade of the latest assessment; `None` until THRIVE is complete.
    pub grade: Option<ResponseGrade>,
    pub closure: Option<Closure>,
    /// Whether it is waiting in the incident-management queue.
    pub queued: bool,
}

/// How an incident was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub closed_at: DateTime<Utc>,
    pub category: IncidentCategory,
    pub result: IncidentResult,
    /// Closed as a crime without attendance where THRIVE found lines of enquiry.
    pub review_flag: bool,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    created_at: DateTime<Utc>,
    area_id: Option<Uuid>,
    grade: Option<String>,
    closed_at: Option<DateTime<Utc>>,
    closing_category: Option<String>,
    result: Option<String>,
    review_flag: bool,
    queued: i64,
}

/// Loads an incident's state.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such incident.
pub async fn state(tx: &mut Tx, force: ForceId, incident: RecordId) -> Result<IncidentState> {
    let row: StateRow = on!(tx, c => sqlx::query_as(
        "SELECT r.created_at, i.area_id, i.grade, i.closed_at, i.closing_category, i.result,
                i.review_flag,
                (SELECT COUNT(*) FROM incident_queue q
                 WHERE q.force_id = i.force_id AND q.incident_id = i.id) AS queued
         FROM incident i JOIN record r ON r.force_id = i.force_id AND r.id = i.id
         WHERE i.force_id = $1 AND i.id = $2")
        .bind(force.uuid()).bind(incident.uuid()).fetch_one(c).await)?;
    let closure = match (row.closed_at, row.closing_category, row.result) {
        (Some(closed_at), Some(category), Some(result)) => Some(Closure {
            closed_at,
            category: decode("closing category", &category)?,
            result: decode("incident result", &result)?,
            review_flag: row.review_flag,
        }),
        _ => None,
    };
    Ok(IncidentState {
        opened_at: row.created_at,
        area_id: row.area_id.map(AreaId::from_uuid),
        grade: row
            .grade
            .as_deref()
            .map(|g| decode("grade", g))
            .transpose()?,
        closure,
        queued: row.queued > 0,
    })
}

/// The urban or rural setting of an area, or of the area it lies in.
///
/// # Errors
/// The database failed.
pub async fn area_setting(tx: &mut Tx, force: ForceId, area: AreaId) -> Result<Setting> {
    let raw: String = on!(tx, c => sqlx::query_scalar(
        "SELECT setting FROM area WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(area.uuid()).fetch_one(c).await)?;
    decode("area setting", &raw)
}

/// Sets whether an area counts as urban or rural.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown area.
pub async fn set_area_setting(
    tx: &mut Tx,
    force: ForceId,
    area: AreaId,
    setting: Setting,
) -> Result<()> {
    let n = exec!(tx, c => sqlx::query("UPDATE area SET setting = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(area.uuid()).bind(setting.as_str()).execute(c).await)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// One stored assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssessment {
    pub id: Uuid,
    /// 1 for the first, then 2, 3, ...
    pub seq: i32,
    /// The assessment this one revises.
    pub revises: Option<Uuid>,
    pub assessed_at: DateTime<Utc>,
    pub assessed_by: UserId,
    pub assessment: Assessment,
    pub setting: Setting,
}

fn factors_text(f: &BTreeSet<VulnerabilityFactor>) -> String {
    f.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
}

/// Stores an assessment of `incident`; [`set_grade`] makes its grade the incident's when it
/// differs.
///
/// # Errors
/// [`StoreError::Conflict`] when an assessment with the same sequence number exists.
pub async fn insert_assessment(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    a: &StoredAssessment,
) -> Result<()> {
    let t = &a.assessment.thrive;
    let d = &a.assessment.decision;
    exec!(tx, c => sqlx::query(
        "INSERT INTO thrive_assessment (force_id, id, incident_id, seq, revises_id, assessed_at,
             assessed_by, threat_level, threat_rationale, harm_level, harm_rationale, risk_level,
             risk_rationale, investigation_level, investigation_rationale, vulnerability_level,
             vulnerability_rationale, vulnerability_factors, engagement_level,
             engagement_rationale, proposed_grade, proposal_reason, grade, previous_grade,
             grade_rationale, setting, inconsistent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                 $19, $20, $21, $22, $23, $24, $25, $26, $27)")
        .bind(force.uuid()).bind(a.id).bind(incident.uuid()).bind(a.seq).bind(a.revises)
        .bind(a.assessed_at).bind(a.assessed_by.uuid())
        .bind(t.threat.level.as_str()).bind(&t.threat.rationale)
        .bind(t.harm.level.as_str()).bind(&t.harm.rationale)
        .bind(t.risk.level.as_str()).bind(&t.risk.rationale)
        .bind(t.investigation.level.as_str()).bind(&t.investigation.rationale)
        .bind(t.vulnerability.level.as_str()).bind(&t.vulnerability.rationale)
        .bind(factors_text(&t.factors))
        .bind(t.engagement.level.as_str()).bind(&t.engagement.rationale)
        .bind(a.assessment.proposal.grade.as_str()).bind(&a.assessment.proposal.reason)
        .bind(d.chosen.as_str()).bind(d.previous.map(|p| p.as_str())).bind(&d.rationale)
        .bind(a.setting.as_str()).bind(!t.inconsistencies().is_empty())
        .execute(c).await)?;
    Ok(())
}

/// Makes `grade` the incident's (that of its latest assessment).
///
/// # Errors
/// The database failed.
pub async fn set_grade(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    grade: ResponseGrade,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE incident SET grade = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(incident.uuid()).bind(grade.as_str()).execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: Uuid,
    seq: i32,
    revises_id: Option<Uuid>,
    assessed_at: DateTime<Utc>,
    assessed_by: Uuid,
    threat_level: String,
    threat_rationale: String,
    harm_level: String,
    harm_rationale: String,
    risk_level: String,
    risk_rationale: String,
    investigation_level: String,
    investigation_rationale: String,
    vulnerability_level: String,
    vulnerability_rationale: String,
    vulnerability_factors: String,
    engagement_level: String,
    engagement_rationale: String,
    proposed_grade: String,
    proposal_reason: String,
    grade: String,
    previous_grade: Option<String>,
    grade_rationale: Option<String>,
    setting: String,
}

fn judged(level: &str, rationale: String) -> Result<Judgement> {
    Ok(Judgement {
        level: decode::<Level>("THRIVE level", level)?,
        rationale,
    })
}

impl AssessmentRow {
    fn into_stored(self) -> Result<StoredAssessment> {
        let factors = self
            .vulnerability_factors
            .split(',')
            .filter(|f| !f.is_empty())
            .map(|f| decode("vulnerability factor", f))
            .collect::<Result<BTreeSet<VulnerabilityFactor>>>()?;
        let thrive = Thrive {
            threat: judged(&self.threat_level, self.threat_rationale)?,
            harm: judged(&self.harm_level, self.harm_rationale)?,
            risk: judged(&self.risk_level, self.risk_rationale)?,
            investigation: judged(&self.investigation_level, self.investigation_rationale)?,
            vulnerability: judged(&self.vulnerability_level, self.vulnerability_rationale)?,
            factors,
            engagement: judged(&self.engagement_level, self.engagement_rationale)?,
        };
        let proposed: ResponseGrade = decode("grade", &self.proposed_grade)?;
        Ok(StoredAssessment {
            id: self.id,
            seq: self.seq,
            revises: self.revises_id,
            assessed_at: self.assessed_at,
            assessed_by: UserId::from_uuid(self.assessed_by),
            assessment: Assessment {
                thrive,
                proposal: Proposal {
                    grade: proposed,
                    reason: self.proposal_reason,
                },
                decision: GradeDecision {
                    proposed,
                    chosen: decode("grade", &self.grade)?,
                    previous: self
                        .previous_grade
                        .as_deref()
                        .map(|g| decode("grade", g))
                        .transpose()?,
                    rationale: self.grade_rationale,
                },
            },
            setting: decode("setting", &self.setting)?,
        })
    }
}

/// Every assessment of an incident, first to latest.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn assessments(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
) -> Result<Vec<StoredAssessment>> {
    let rows: Vec<AssessmentRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, seq, revises_id, assessed_at, assessed_by, threat_level, threat_rationale,
                harm_level, harm_rationale, risk_level, risk_rationale, investigation_level,
                investigation_rationale, vulnerability_level, vulnerability_rationale,
                vulnerability_factors, engagement_level, engagement_rationale, proposed_grade,
                proposal_reason, grade, previous_grade, grade_rationale, setting
         FROM thrive_assessment WHERE force_id = $1 AND incident_id = $2 ORDER BY seq")
        .bind(force.uuid()).bind(incident.uuid()).fetch_all(c).await)?;
    rows.into_iter().map(AssessmentRow::into_stored).collect()
}

/// Stores the advice checklist of an incident.
///
/// # Errors
/// [`StoreError::Conflict`] when it already has one.
pub async fn insert_advice(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    advice: &Advice,
    at: DateTime<Utc>,
    by: UserId,
) -> Result<()> {
    let e = &advice.evidence_preservation;
    let p = &advice.crime_prevention;
    exec!(tx, c => sqlx::query(
        "INSERT INTO incident_advice (force_id, incident_id, evidence_given, evidence_reason,
             prevention_given, prevention_reason, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(force.uuid()).bind(incident.uuid()).bind(e.is_given()).bind(e.reason())
        .bind(p.is_given()).bind(p.reason()).bind(at).bind(by.uuid())
        .execute(c).await)?;
    Ok(())
}

fn advice_item(given: bool, reason: Option<String>) -> AdviceItem {
    if given {
        AdviceItem::Given
    } else {
        AdviceItem::NotApplicable {
            reason: reason.unwrap_or_default(),
        }
    }
}

/// The advice checklist of an incident, if recorded.
///
/// # Errors
/// The database failed.
pub async fn advice(tx: &mut Tx, force: ForceId, incident: RecordId) -> Result<Option<Advice>> {
    let row: Option<(bool, Option<String>, bool, Option<String>)> = on!(tx, c => sqlx::query_as(
        "SELECT evidence_given, evidence_reason, prevention_given, prevention_reason
         FROM incident_advice WHERE force_id = $1 AND incident_id = $2")
        .bind(force.uuid()).bind(incident.uuid()).fetch_optional(c).await)?;
    Ok(row.map(|(eg, er, pg, pr)| Advice {
        evidence_preservation: advice_item(eg, er),
        crime_prevention: advice_item(pg, pr),
    }))
}

/// One attendance decision or arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub id: Uuid,
    pub kind: AttendanceKind,
    pub at: DateTime<Utc>,
    pub rationale: Option<String>,
    /// For an arrival: the grade then, and whether its target was met (`None` when the
    /// grade has no target).
    pub grade: Option<ResponseGrade>,
    pub target_met: Option<bool>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: UserId,
}

/// Stores an attendance decision or arrival.
///
/// # Errors
/// The database failed.
pub async fn insert_attendance(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    a: &AttendanceRow,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO incident_attendance (force_id, id, incident_id, kind, happened_at, rationale, grade,
             target_met, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(force.uuid()).bind(a.id).bind(incident.uuid()).bind(a.kind.as_str()).bind(a.at)
        .bind(&a.rationale).bind(a.grade.map(|g| g.as_str())).bind(a.target_met)
        .bind(a.recorded_at).bind(a.recorded_by.uuid())
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AttendanceDbRow {
    id: Uuid,
    kind: String,
    happened_at: DateTime<Utc>,
    rationale: Option<String>,
    grade: Option<String>,
    target_met: Option<bool>,
    recorded_at: DateTime<Utc>,
    recorded_by: Uuid,
}

/// An incident's attendance decisions and arrivals, in order.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn attendance(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
) -> Result<Vec<AttendanceRow>> {
    let rows: Vec<AttendanceDbRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, kind, happened_at, rationale, grade, target_met, recorded_at, recorded_by
         FROM incident_attendance WHERE force_id = $1 AND incident_id = $2
         ORDER BY happened_at, id")
        .bind(force.uuid()).bind(incident.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(AttendanceRow {
                id: r.id,
                kind: decode("attendance kind", &r.kind)?,
                at: r.happened_at,
                rationale: r.rationale,
                grade: r.grade.as_deref().map(|g| decode("grade", g)).transpose()?,
                target_met: r.target_met,
                recorded_at: r.recorded_at,
                recorded_by: UserId::from_uuid(r.recorded_by),
            })
        })
        .collect()
}

/// A crime-recording decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub decision: CrimeRecording,
    /// Why it is not a crime.
    pub reason: Option<String>,
    pub decided_at: DateTime<Utc>,
    pub decided_by: UserId,
}

/// Stores the crime-recording decision of an incident.
///
/// # Errors
/// [`StoreError::Conflict`] when it already has one.
pub async fn insert_decision(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    d: &Decision,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO crime_recording_decision (force_id, incident_id, decision, reason, decided_at,
             decided_by)
         VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(force.uuid()).bind(incident.uuid()).bind(d.decision.as_str()).bind(&d.reason)
        .bind(d.decided_at).bind(d.decided_by.uuid())
        .execute(c).await)?;
    Ok(())
}

/// The crime-recording decision of an incident, if made.
///
/// # Errors
/// The database failed.
pub async fn decision(tx: &mut Tx, force: ForceId, incident: RecordId) -> Result<Option<Decision>> {
    let row: Option<(String, Option<String>, DateTime<Utc>, Uuid)> = on!(tx, c => sqlx::query_as(
        "SELECT decision, reason, decided_at, decided_by FROM crime_recording_decision
         WHERE force_id = $1 AND incident_id = $2")
        .bind(force.uuid()).bind(incident.uuid()).fetch_optional(c).await)?;
    row.map(|(d, reason, decided_at, by)| {
        Ok(Decision {
            decision: decode("crime-recording decision", &d)?,
            reason,
            decided_at,
            decided_by: UserId::from_uuid(by),
        })
    })
    .transpose()
}

/// The crimes recorded from an incident that the audience may see.
///
/// # Errors
/// The database failed.
pub async fn crimes_of(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    audience: &Audience,
) -> Result<Vec<RecordId>> {
    let (partner, user, agency) = audience_binds(audience);
    let sql = format!(
        "SELECT c.id FROM crime c JOIN record r ON r.force_id = c.force_id AND r.id = c.id
         WHERE c.force_id = $1 AND c.incident_id = $5 AND {} ORDER BY c.id",
        visible("r", 2)
    );
    let ids: Vec<Uuid> = on!(tx, c => sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(incident.uuid())
        .fetch_all(c).await)?;
    Ok(ids.into_iter().map(RecordId::from_uuid).collect())
}

/// Closes an incident.
///
/// # Errors
/// The database failed.
pub async fn close(tx: &mut Tx, force: ForceId, incident: RecordId, c: &Closure) -> Result<()> {
    exec!(tx, conn => sqlx::query(
        "UPDATE incident SET closed_at = $3, closing_category = $4, result = $5, review_flag = $6
         WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(incident.uuid()).bind(c.closed_at).bind(c.category.as_str())
        .bind(c.result.as_str()).bind(c.review_flag).execute(conn).await)?;
    Ok(())
}

/// Puts an incident in the queue at its place; it must not be in it already
/// ([`dequeue`] first to move it).
///
/// # Errors
/// The database failed.
pub async fn enqueue(
    tx: &mut Tx,
    force: ForceId,
    incident: RecordId,
    e: &QueueEntry,
    area: Option<AreaId>,
) -> Result<()> {
    let factors = i32::try_from(e.factors.len()).unwrap_or(i32::MAX);
    exec!(tx, c => sqlx::query(
        "INSERT INTO incident_queue (force_id, incident_id, grade, urgency, risk, vulnerability,
             factors, received_at, queued_at, wait_allowed, area_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(force.uuid()).bind(incident.uuid()).bind(e.grade.as_str())
        .bind(i32::from(e.grade.urgency())).bind(level_rank(e.risk))
        .bind(level_rank(e.vulnerability)).bind(factors).bind(e.received_at).bind(e.queued_at)
        .bind(e.wait_allowed.map(|w| w.num_seconds())).bind(area.map(|a| a.uuid()))
        .execute(c).await)?;
    Ok(())
}

/// Takes an incident off the queue; `false` when it was not on it.
///
/// # Errors
/// The database failed.
pub async fn dequeue(tx: &mut Tx, force: ForceId, incident: RecordId) -> Result<bool> {
    let n = exec!(tx, c => sqlx::query(
        "DELETE FROM incident_queue WHERE force_id = $1 AND incident_id = $2")
        .bind(force.uuid()).bind(incident.uuid()).execute(c).await)?;
    Ok(n > 0)
}

/// Which part of the queue to show.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// A neighbourhood, or a local policing area (its neighbourhoods).
    pub area: Option<AreaId>,
    pub grade: Option<ResponseGrade>,
}

/// One incident in the queue as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub incident: RecordId,
    pub reference: String,
    pub category: IncidentCategory,
    pub summary: String,
    pub area_id: Option<AreaId>,
    pub entry: QueueEntry,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    incident_id: Uuid,
    reference: String,
    category: String,
    summary: String,
    area_id: Option<Uuid>,
    grade: String,
    risk: i32,
    vulnerability: i32,
    received_at: DateTime<Utc>,
    queued_at: DateTime<Utc>,
    wait_allowed: Option<i64>,
    vulnerability_factors: Option<String>,
}

fn level_of(rank: i32) -> Level {
    match rank {
        2 => Level::High,
        1 => Level::Medium,
        _ => Level::Low,
    }
}

/// The part of the queue the audience may see, in queue order, skipping `offset` and
/// answering at most `limit`, with the number of items in that part.
///
/// The order is [`QueueEntry::queue_order`]'s, by the columns of the queue's index.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn queue(
    tx: &mut Tx,
    force: ForceId,
    filter: &QueueFilter,
    audience: &Audience,
    limit: i64,
    offset: i64,
) -> Result<(Vec<QueueItem>, i64)> {
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2..$4 audience, $5 area, $6 grade; $7 limit, $8 offset. The LIMIT is a
    // cast, not a bare parameter: SQLite plans around a bound LIMIT's value, so binding one
    // makes it prepare the statement afresh on every call.
    let filter_sql = format!(
        "q.force_id = $1
         AND ($5 IS NULL OR q.area_id = $5 OR q.area_id IN
              (SELECT a.id FROM area a WHERE a.force_id = $1 AND a.parent_id = $5))
         AND ($6 IS NULL OR q.grade = $6)
         AND (SELECT {} FROM record r WHERE r.force_id = $1 AND r.id = q.incident_id)",
        visible("r", 2)
    );
    let sql = format!(
        "SELECT q.incident_id, i.reference, i.category, i.summary, q.area_id, q.grade, q.risk,
                q.vulnerability, q.received_at, q.queued_at, q.wait_allowed,
                (SELECT t.vulnerability_factors FROM thrive_assessment t
                 WHERE t.force_id = q.force_id AND t.incident_id = q.incident_id
                 ORDER BY t.seq DESC LIMIT 1) AS vulnerability_factors
         FROM incident_queue q
         JOIN incident i ON i.force_id = q.force_id AND i.id = q.incident_id
         WHERE {filter_sql}
         ORDER BY q.urgency DESC, q.risk DESC, q.vulnerability DESC, q.factors DESC,
                  q.received_at, q.incident_id
         LIMIT CAST($7 AS BIGINT) OFFSET $8"
    );
    let count_sql = format!("SELECT COUNT(*) FROM incident_queue q WHERE {filter_sql}");
    let area = filter.area.map(|a| a.uuid());
    let grade = filter.grade.map(|g| g.as_str());
    let rows: Vec<QueueRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(area).bind(grade)
        .bind(limit).bind(offset).fetch_all(c).await)?;
    let total: i64 = on!(tx, c => sqlx::query_scalar(AssertSqlSafe(count_sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(area).bind(grade)
        .fetch_one(c).await)?;
    let items = rows
        .into_iter()
        .map(|r| {
            let factors = r
                .vulnerability_factors
                .as_deref()
                .unwrap_or("")
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| decode("vulnerability factor", f))
                .collect::<Result<Vec<VulnerabilityFactor>>>()?;
            Ok(QueueItem {
                incident: RecordId::from_uuid(r.incident_id),
                reference: r.reference,
                category: decode("incident category", &r.category)?,
                summary: r.summary,
                area_id: r.area_id.map(AreaId::from_uuid),
                entry: QueueEntry {
                    grade: decode("grade", &r.grade)?,
                    risk: level_of(r.risk),
                    vulnerability: level_of(r.vulnerability),
                    factors,
                    received_at: r.received_at,
                    queued_at: r.queued_at,
                    wait_allowed: r.wait_allowed.map(TimeDelta::seconds),
                },
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

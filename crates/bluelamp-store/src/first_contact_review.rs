//! First contact seen from above: the measures of issue 4 §7 over a period (aggregates
//! over every record, revealing none), and the supervisor's lists of what needs looking at
//! (downgrades, missed attendance targets, overdue crime-recording decisions, crimes closed
//! without attendance, inconsistent assessments), each limited to records the viewer may
//! see.

use bluelamp_domain::access::Audience;
use bluelamp_domain::duty::{DutyKind, RuleId};
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::thrive::ResponseGrade;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, Tx, decode, on};

/// A period: from (inclusive) to (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// How the duties of one rule raised in a period stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DutyCounts {
    pub raised: i64,
    pub met_on_time: i64,
    pub met_late: i64,
    /// Unmet and past due.
    pub overdue: i64,
}

impl DutyCounts {
    /// Unmet and not yet due.
    pub fn open(&self) -> i64 {
        self.raised - self.met_on_time - self.met_late - self.overdue
    }
}

/// Re-assessments in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Regrades {
    /// Every assessment in the period.
    pub assessments: i64,
    /// Of those, re-assessments ("re-THRIVE").
    pub reassessments: i64,
    /// Re-assessments that changed the grade.
    pub regrades: i64,
    /// Re-assessments to a lower grade.
    pub downgrades: i64,
    /// Assessments whose grade differs from what THRIVE proposed.
    pub overrides: i64,
    /// Assessments with an inconsistency for a supervisor to look at.
    pub inconsistent: i64,
}

/// Arrivals at one grade in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceCounts {
    pub grade: ResponseGrade,
    pub arrivals: i64,
    pub within_target: i64,
}

/// The advice checklist over incidents opened as crimes in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdviceCounts {
    pub crime_incidents: i64,
    /// With the checklist recorded.
    pub recorded: i64,
    pub evidence_given: i64,
    pub prevention_given: i64,
}

/// Incidents opened as crimes and closed in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClosureCounts {
    pub closed: i64,
    pub without_attendance: i64,
    /// Of those, flagged: THRIVE found lines of enquiry.
    pub flagged: i64,
}

/// The first-contact measures of a period (issue 4 §7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measures {
    pub period: Period,
    /// Incidents received in the period.
    pub incidents: i64,
    /// THRIVE completed within the force's set time of the incident being opened.
    pub thrive_completion: DutyCounts,
    pub regrades: Regrades,
    pub attendance: Vec<AttendanceCounts>,
    pub advice: AdviceCounts,
    /// Crime-recording decisions within 24 hours of the report.
    pub crime_recording: DutyCounts,
    pub closures: ClosureCounts,
}

/// `CASE column WHEN 'emergency' THEN 3 ... END`: a grade's urgency in SQL, from
/// [`ResponseGrade::urgency`].
fn urgency_sql(column: &str) -> String {
    let arms: String = ResponseGrade::ALL
        .iter()
        .map(|g| format!(" WHEN '{}' THEN {}", g.as_str(), g.urgency()))
        .collect();
    format!("(CASE {column}{arms} ELSE 0 END)")
}

/// The columns of a [`DutyCounts`] over duties `d`, as they stand at the instant `$6`.
/// Escalations are never counted: the index a statement counting duties raised in a period
/// reads (`duty_raised`) leaves them out, so it says `d.rule <> 'escalation'` for SQLite to
/// use it.
pub(crate) const DUTY_COUNTS: &str = "COUNT(*),
    COALESCE(SUM(CASE WHEN d.met_at IS NOT NULL AND d.met_at <= d.due THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN d.met_at IS NOT NULL AND d.met_at > d.due THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN d.met_at IS NULL AND d.due < $6 THEN 1 ELSE 0 END), 0)";

/// The duties of `kind` raised by `rule` in `period`, by how they stand at `now`.
pub(crate) async fn duty_counts(
    tx: &mut Tx,
    force: ForceId,
    kind: DutyKind,
    rule: RuleId,
    period: Period,
    now: DateTime<Utc>,
) -> Result<DutyCounts> {
    let sql = format!(
        "SELECT {DUTY_COUNTS} FROM duty d WHERE d.force_id = $1 AND d.kind = $2 AND d.rule = $3
           AND d.rule <> 'escalation' AND d.raised_at >= $4 AND d.raised_at < $5"
    );
    let (raised, on_time, late, overdue): (i64, i64, i64, i64) = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql.as_str()))
        .bind(force.uuid()).bind(kind.as_str()).bind(rule.as_str())
        .bind(period.from).bind(period.to).bind(now)
        .fetch_one(c).await)?;
    Ok(DutyCounts {
        raised,
        met_on_time: on_time,
        met_late: late,
        overdue,
    })
}

/// The measures of `period` as they stand at `now`, over every record of the force.
///
/// # Errors
/// The database failed.
pub async fn measures(
    tx: &mut Tx,
    force: ForceId,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Measures> {
    let f = force.uuid();
    let incidents: i64 = on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM incident WHERE force_id = $1 AND received_at >= $2 AND received_at < $3")
        .bind(f).bind(period.from).bind(period.to).fetch_one(c).await)?;
    let thrive_completion = duty_counts(
        tx,
        force,
        DutyKind::CompleteThrive,
        RuleId::ThriveCompletion,
        period,
        now,
    )
    .await?;
    let crime_recording = duty_counts(
        tx,
        force,
        DutyKind::DecideCrimeRecording,
        RuleId::NcrsDecision,
        period,
        now,
    )
    .await?;
    let sql = format!(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN previous_grade IS NOT NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN previous_grade IS NOT NULL AND grade <> previous_grade
                                  THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN previous_grade IS NOT NULL AND {} < {}
                                  THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN grade <> proposed_grade THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN inconsistent THEN 1 ELSE 0 END), 0)
         FROM thrive_assessment
         WHERE force_id = $1 AND assessed_at >= $2 AND assessed_at < $3",
        urgency_sql("grade"),
        urgency_sql("previous_grade")
    );
    let r: (i64, i64, i64, i64, i64, i64) = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(f).bind(period.from).bind(period.to).fetch_one(c).await)?;
    let regrades = Regrades {
        assessments: r.0,
        reassessments: r.1,
        regrades: r.2,
        downgrades: r.3,
        overrides: r.4,
        inconsistent: r.5,
    };
    let rows: Vec<(String, i64, i64)> = on!(tx, c => sqlx::query_as(
        "SELECT grade, COUNT(*), COALESCE(SUM(CASE WHEN target_met THEN 1 ELSE 0 END), 0)
         FROM incident_attendance
         WHERE force_id = $1 AND kind = 'arrived' AND target_met IS NOT NULL
           AND happened_at >= $2 AND happened_at < $3
         GROUP BY grade")
        .bind(f).bind(period.from).bind(period.to).fetch_all(c).await)?;
    let mut attendance = rows
        .into_iter()
        .map(|(g, arrivals, within_target)| {
            Ok(AttendanceCounts {
                grade: decode("grade", &g)?,
                arrivals,
                within_target,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    attendance.sort_by_key(|a| std::cmp::Reverse(a.grade.urgency()));
    let a: (i64, i64, i64, i64) = on!(tx, c => sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN a.incident_id IS NOT NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN a.evidence_given THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN a.prevention_given THEN 1 ELSE 0 END), 0)
         FROM incident i
         LEFT JOIN incident_advice a ON a.force_id = i.force_id AND a.incident_id = i.id
         WHERE i.force_id = $1 AND i.category = 'crime'
           AND i.received_at >= $2 AND i.received_at < $3")
        .bind(f).bind(period.from).bind(period.to).fetch_one(c).await)?;
    let advice = AdviceCounts {
        crime_incidents: a.0,
        recorded: a.1,
        evidence_given: a.2,
        prevention_given: a.3,
    };
    let c: (i64, i64, i64) = on!(tx, conn => sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN NOT EXISTS (
                    SELECT 1 FROM incident_attendance t
                    WHERE t.force_id = i.force_id AND t.incident_id = i.id
                      AND t.kind IN ('deployed', 'arrived')) THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN i.review_flag THEN 1 ELSE 0 END), 0)
         FROM incident i
         WHERE i.force_id = $1 AND i.category = 'crime' AND i.closed_at IS NOT NULL
           AND i.closed_at >= $2 AND i.closed_at < $3")
        .bind(f).bind(period.from).bind(period.to).fetch_one(conn).await)?;
    let closures = ClosureCounts {
        closed: c.0,
        without_attendance: c.1,
        flagged: c.2,
    };
    Ok(Measures {
        period,
        incidents,
        thrive_completion,
        regrades,
        attendance,
        advice,
        crime_recording,
        closures,
    })
}

/// One line of a supervisor's list: the incident, when, and what to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewLine {
    pub incident: RecordId,
    pub reference: String,
    /// When it happened: the assessment, arrival, closure, or the decision's due time.
    pub at: DateTime<Utc>,
    /// What happened, in words.
    pub what: String,
}

/// What a supervisor should look at, newest first, each list at most `limit` long.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub downgrades: Vec<ReviewLine>,
    pub missed_attendance: Vec<ReviewLine>,
    pub overdue_decisions: Vec<ReviewLine>,
    pub closed_without_attendance: Vec<ReviewLine>,
    pub inconsistent: Vec<ReviewLine>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: Uuid,
    reference: String,
    happened_at: DateTime<Utc>,
    a: Option<String>,
    b: Option<String>,
    c: Option<String>,
}

async fn lines(
    tx: &mut Tx,
    force: ForceId,
    audience: &Audience,
    body: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<LineRow>> {
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2..$4 audience, $5 now, $6 limit. `body` selects id, reference, happened_at,
    // a, b, c from incident i (and what it joins) with its conditions.
    let sql = format!(
        "{body} AND (SELECT {} FROM record r WHERE r.force_id = $1 AND r.id = i.id)
         ORDER BY happened_at DESC LIMIT $6",
        visible("r", 2)
    );
    let rows: Vec<LineRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(now).bind(limit)
        .fetch_all(c).await)?;
    Ok(rows)
}

fn grade_words(raw: Option<&str>) -> String {
    raw.and_then(|g| g.parse::<ResponseGrade>().ok())
        .map_or_else(|| "?".to_string(), |g| g.describe().to_string())
}

/// The supervisor's lists at `now`.
///
/// # Errors
/// The database failed.
pub async fn review(
    tx: &mut Tx,
    force: ForceId,
    audience: &Audience,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Review> {
    let to_line = |r: LineRow, what: String| ReviewLine {
        incident: RecordId::from_uuid(r.id),
        reference: r.reference,
        at: r.happened_at,
        what,
    };
    let downgrades = format!(
        "SELECT i.id, i.reference, t.assessed_at AS happened_at, t.previous_grade AS a, t.grade AS b,
                t.grade_rationale AS c
         FROM thrive_assessment t JOIN incident i ON i.force_id = t.force_id AND i.id = t.incident_id
         WHERE t.force_id = $1 AND t.previous_grade IS NOT NULL AND {} < {} AND t.assessed_at <= $5",
        urgency_sql("t.grade"),
        urgency_sql("t.previous_grade")
    );
    let downgrades = lines(tx, force, audience, &downgrades, now, limit)
        .await?
        .into_iter()
        .map(|r| {
            let what = format!(
                "Downgraded from {} to {}: {}",
                grade_words(r.a.as_deref()),
                grade_words(r.b.as_deref()),
                r.c.as_deref().unwrap_or("")
            );
            to_line(r, what)
        })
        .collect();
    let missed = "SELECT i.id, i.reference, t.happened_at AS happened_at, t.grade AS a, NULL AS b, NULL AS c
         FROM incident_attendance t JOIN incident i ON i.force_id = t.force_id AND i.id = t.incident_id
         WHERE t.force_id = $1 AND t.kind = 'arrived' AND t.target_met = FALSE AND t.happened_at <= $5";
    let missed_attendance = lines(tx, force, audience, missed, now, limit)
        .await?
        .into_iter()
        .map(|r| {
            let what = format!(
                "Arrived outside the {} attendance target",
                grade_words(r.a.as_deref()).to_lowercase()
            );
            to_line(r, what)
        })
        .collect();
    // An escalation is never a decision; saying so lets SQLite read the index duty_due.
    let overdue = "SELECT i.id, i.reference, d.due AS happened_at, NULL AS a, NULL AS b, NULL AS c
         FROM duty d JOIN incident i ON i.force_id = d.force_id AND i.id = d.subject_id
         WHERE d.force_id = $1 AND d.kind = 'decide_crime_recording' AND d.rule = 'ncrs_decision'
           AND d.rule <> 'escalation' AND d.met_at IS NULL AND d.due < $5";
    let overdue_decisions = lines(tx, force, audience, overdue, now, limit)
        .await?
        .into_iter()
        .map(|r| to_line(r, "Crime-recording decision overdue".to_string()))
        .collect();
    let closed =
        "SELECT i.id, i.reference, i.closed_at AS happened_at, i.result AS a, NULL AS b, NULL AS c
         FROM incident i
         WHERE i.force_id = $1 AND i.review_flag = TRUE AND i.closed_at <= $5";
    let closed_without_attendance = lines(tx, force, audience, closed, now, limit)
        .await?
        .into_iter()
        .map(|r| {
            to_line(
                r,
                "Closed as a crime without attendance although THRIVE found lines of enquiry"
                    .to_string(),
            )
        })
        .collect();
    let inconsistent = "SELECT i.id, i.reference, t.assessed_at AS happened_at, t.grade AS a, NULL AS b, NULL AS c
         FROM thrive_assessment t JOIN incident i ON i.force_id = t.force_id AND i.id = t.incident_id
         WHERE t.force_id = $1 AND t.inconsistent = TRUE AND t.assessed_at <= $5";
    let inconsistent = lines(tx, force, audience, inconsistent, now, limit)
        .await?
        .into_iter()
        .map(|r| {
            let what = format!(
                "THRIVE inconsistent with its own factors (graded {})",
                grade_words(r.a.as_deref()).to_lowercase()
            );
            to_line(r, what)
        })
        .collect();
    Ok(Review {
        downgrades,
        missed_attendance,
        overdue_decisions,
        closed_without_attendance,
        inconsistent,
    })
}

//! Queues of duties by owner and state, the escalation sweep, and passing open duties to a
//! new owner when work changes hands.

use bluelamp_domain::access::Audience;
use bluelamp_domain::duty::{Duty, DutyKind, Owner};
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::record::RecordKind;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible_ids};
use crate::{Result, Tx, decode, exec, on};

/// The states a queue is filtered by (issue 5 §6), as [`bluelamp_domain::duty::Status`]
/// names them, plus `due`: unmet and falling due before the end of today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Unmet, late or not.
    Unmet,
    /// Unmet and not yet due.
    Open,
    /// Unmet, not yet late, due by `until` (the end of today, Europe/London).
    DueBy(DateTime<Utc>),
    /// Unmet and past due.
    Overdue,
    /// Met on time.
    Met,
    /// Met late.
    Breached,
}

impl StateFilter {
    /// The SQL condition with its placeholders numbered from `$first`, and the instants to
    /// bind to them in order.
    fn condition(&self, now: DateTime<Utc>, first: usize) -> (String, Vec<DateTime<Utc>>) {
        let (a, b) = (first, first + 1);
        match *self {
            StateFilter::Unmet => ("d.met_at IS NULL".into(), vec![]),
            StateFilter::Open => (format!("d.met_at IS NULL AND d.due >= ${a}"), vec![now]),
            StateFilter::DueBy(until) => (
                format!("d.met_at IS NULL AND d.due >= ${a} AND d.due <= ${b}"),
                vec![now, until],
            ),
            StateFilter::Overdue => (format!("d.met_at IS NULL AND d.due < ${a}"), vec![now]),
            StateFilter::Met => ("d.met_at IS NOT NULL AND d.met_at <= d.due".into(), vec![]),
            StateFilter::Breached => ("d.met_at IS NOT NULL AND d.met_at > d.due".into(), vec![]),
        }
    }

    fn order(&self) -> &'static str {
        match self {
            StateFilter::Met | StateFilter::Breached => "d.met_at DESC, d.id",
            _ => "d.due, d.id",
        }
    }
}

/// A duty in a queue, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub id: Uuid,
    pub duty: Duty,
    pub subject_kind: RecordKind,
    /// The crime or incident reference.
    pub reference: Option<String>,
    /// When the escalation sweep recorded this duty's escalation.
    pub escalated_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: Uuid,
    kind: String,
    rule: String,
    owed_by: String,
    owed_to: Option<Uuid>,
    subject_id: Uuid,
    raised_at: DateTime<Utc>,
    due: DateTime<Utc>,
    met_at: Option<DateTime<Utc>>,
    development: Option<String>,
    escalated_at: Option<DateTime<Utc>>,
    subject_kind: String,
    reference: Option<String>,
}

/// The duties owed by any of `owners` in `state`, about records the audience may see, a
/// page at a time, with their number.
///
/// # Errors
/// The database failed or a row is corrupt.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    tx: &mut Tx,
    force: ForceId,
    owners: &[Owner],
    state: StateFilter,
    now: DateTime<Utc>,
    audience: &Audience,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Queued>, i64)> {
    if owners.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let (partner, user, agency) = audience_binds(audience);
    // $1 the force, $2..$4 the audience, then the state's instants, then one per owner.
    let (condition, times) = state.condition(now, 5);
    let first_owner = 5 + times.len();
    let owner_ps: Vec<String> = (0..owners.len())
        .map(|i| format!("${}", i + first_owner))
        .collect();
    let next = first_owner + owners.len();
    let filter = format!(
        "d.force_id = $1 AND d.owed_by IN ({}) AND {condition} AND {}",
        owner_ps.join(", "),
        visible_ids(tx.backend(), "d.subject_id", 1, 2)
    );
    // The page and the count read the index duty_queue alone (owner, state, order and the
    // record need-to-know checks are all there); only the page's rows are then read whole,
    // with the record and the crime or incident that give their reference.
    let sql = format!(
        "SELECT d.id, d.kind, d.rule, d.owed_by, d.owed_to, d.subject_id, d.raised_at, d.due,
                d.met_at, d.development, d.escalated_at, r.kind AS subject_kind,
                COALESCE(cr.reference, i.reference) AS reference
         FROM (SELECT d.id FROM duty d WHERE {filter}
               ORDER BY {order} LIMIT CAST(${next} AS BIGINT) OFFSET CAST(${} AS BIGINT)) AS p
         JOIN duty d ON d.force_id = $1 AND d.id = p.id
         JOIN record r ON r.force_id = d.force_id AND r.id = d.subject_id
         LEFT JOIN crime cr ON cr.force_id = d.force_id AND cr.id = d.subject_id
         LEFT JOIN incident i ON i.force_id = d.force_id AND i.id = d.subject_id
         ORDER BY {order}",
        next + 1,
        order = state.order(),
    );
    let count = format!("SELECT COUNT(*) FROM duty d WHERE {filter}");
    let owner_strings: Vec<String> = owners.iter().map(ToString::to_string).collect();
    let rows: Vec<QueuedRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone());
        for t in &times { q = q.bind(*t); }
        for o in &owner_strings { q = q.bind(o.as_str()); }
        q.bind(limit).bind(offset).fetch_all(c).await
    })?;
    let total: i64 = on!(tx, c => {
        let mut q = sqlx::query_scalar(AssertSqlSafe(count))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone());
        for t in &times { q = q.bind(*t); }
        for o in &owner_strings { q = q.bind(o.as_str()); }
        q.fetch_one(c).await
    })?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(Queued {
                id: r.id,
                duty: Duty {
                    kind: decode("duty kind", &r.kind)?,
                    rule: decode("duty rule", &r.rule)?,
                    owed_by: decode("duty owner", &r.owed_by)?,
                    owed_to: r.owed_to.map(RecordId::from_uuid),
                    subject: RecordId::from_uuid(r.subject_id),
                    raised_at: r.raised_at,
                    due: r.due,
                    met_at: r.met_at,
                    development: r
                        .development
                        .map(|w| decode("development", &w))
                        .transpose()?,
                },
                subject_kind: decode("record kind", &r.subject_kind)?,
                reference: r.reference,
                escalated_at: r.escalated_at,
            })
        })
        .collect::<Result<_>>()?;
    Ok((items, total))
}

#[derive(sqlx::FromRow)]
struct LateRow {
    id: Uuid,
    kind: String,
    rule: String,
    owed_by: String,
    owed_to: Option<Uuid>,
    subject_id: Uuid,
    raised_at: DateTime<Utc>,
    due: DateTime<Utc>,
    development: Option<String>,
}

/// Marks as escalated at `now` up to `limit` duties late at `now` whose escalation has not
/// been recorded, and answers them, most overdue first, so that the caller records their
/// escalations in the same transaction. Escalations themselves are never escalated.
///
/// One statement finds and marks them (the partial index `duty_unescalated` holds exactly
/// the duties it may take). It takes them in the order they were raised (their ids, which
/// is the table's order), so that a batch rewrites one stretch of the table rather than a
/// scatter of pages over all of it. A duty is taken once: the statement checks again, row
/// by row, that it is not yet escalated, so a sweep running at the same time on PostgreSQL
/// skips what this one took.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn claim_late(
    tx: &mut Tx,
    force: ForceId,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(Uuid, Duty)>> {
    let mut rows: Vec<LateRow> = on!(tx, c => sqlx::query_as(
        "UPDATE duty SET escalated_at = $2
         WHERE force_id = $1 AND met_at IS NULL AND escalated_at IS NULL AND due < $2
           AND rule <> 'escalation'
           AND id IN (SELECT l.id FROM duty l
                      WHERE l.force_id = $1 AND l.met_at IS NULL AND l.escalated_at IS NULL
                        AND l.due < $2 AND l.rule <> 'escalation'
                      ORDER BY l.id LIMIT CAST($3 AS BIGINT))
         RETURNING id, kind, rule, owed_by, owed_to, subject_id, raised_at, due, development")
        .bind(force.uuid()).bind(now).bind(limit).fetch_all(c).await)?;
    rows.sort_unstable_by_key(|r| (r.due, r.id));
    rows.into_iter()
        .map(|r| {
            Ok((
                r.id,
                Duty {
                    kind: decode("duty kind", &r.kind)?,
                    rule: decode("duty rule", &r.rule)?,
                    owed_by: decode("duty owner", &r.owed_by)?,
                    owed_to: r.owed_to.map(RecordId::from_uuid),
                    subject: RecordId::from_uuid(r.subject_id),
                    raised_at: r.raised_at,
                    due: r.due,
                    met_at: None,
                    development: r
                        .development
                        .map(|w| decode("development", &w))
                        .transpose()?,
                },
            ))
        })
        .collect()
}

/// Passes the unmet duties of `kinds` about `subject` to a new owner (a reallocation, an
/// accepted handover); escalations stay with the supervisors they went to.
///
/// # Errors
/// The database failed.
pub async fn reassign(
    tx: &mut Tx,
    force: ForceId,
    subject: RecordId,
    kinds: &[DutyKind],
    to: Owner,
) -> Result<u64> {
    let mut n = 0;
    for kind in kinds {
        n += exec!(tx, c => sqlx::query(
            "UPDATE duty SET owed_by = $4
             WHERE force_id = $1 AND subject_id = $2 AND kind = $3 AND met_at IS NULL
               AND rule <> 'escalation'")
            .bind(force.uuid()).bind(subject.uuid()).bind(kind.as_str()).bind(to.to_string())
            .execute(c).await)?;
    }
    Ok(n)
}

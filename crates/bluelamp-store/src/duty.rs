//! Duties with deadlines, as the duties engine (bluelamp-domain::duty) raises and meets
//! them. A duty is written when raised and updated once, when met.

use bluelamp_domain::access::Audience;
use bluelamp_domain::duty::{Discharge, Duty, DutyKind};
use bluelamp_domain::ids::{ForceId, RecordId};
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, Tx, decode, exec, on};

/// Stores duties just raised, in one statement.
///
/// # Errors
/// The database failed.
pub async fn insert(tx: &mut Tx, force: ForceId, duties: &[Duty]) -> Result<()> {
    if duties.is_empty() {
        return Ok(());
    }
    // A handful per action: eleven values a row, well under either database's limit.
    let rows: Vec<String> = (0..duties.len())
        .map(|i| {
            let b = i * 11;
            format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO duty (force_id, id, kind, rule, owed_by, owed_to, subject_id, raised_at, due,
             met_at, development) VALUES {}",
        rows.join(", ")
    );
    exec!(tx, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for d in duties {
            q = q.bind(force.uuid()).bind(Uuid::now_v7()).bind(d.kind.as_str()).bind(d.rule.as_str())
                .bind(d.owed_by.to_string()).bind(d.owed_to.map(|p| p.uuid()))
                .bind(d.subject.uuid()).bind(d.raised_at).bind(d.due).bind(d.met_at)
                .bind(d.development.map(|w| w.as_str()));
        }
        q.execute(c).await
    })?;
    Ok(())
}

/// Marks the duties a discharge matches as met ([`Discharge::matches`]); gives how many.
///
/// # Errors
/// The database failed.
pub async fn discharge(tx: &mut Tx, force: ForceId, d: &Discharge) -> Result<u64> {
    exec!(tx, c => sqlx::query(
        "UPDATE duty SET met_at = $5
         WHERE force_id = $1 AND subject_id = $2 AND kind = $3
           AND ($4 IS NULL OR owed_to = $4) AND met_at IS NULL AND raised_at <= $5")
        .bind(force.uuid()).bind(d.subject.uuid()).bind(d.kind.as_str())
        .bind(d.owed_to.map(|p| p.uuid())).bind(d.at)
        .execute(c).await)
    .map_err(Into::into)
}

#[derive(sqlx::FromRow)]
struct DutyRow {
    kind: String,
    rule: String,
    owed_by: String,
    owed_to: Option<Uuid>,
    subject_id: Uuid,
    raised_at: DateTime<Utc>,
    due: DateTime<Utc>,
    met_at: Option<DateTime<Utc>>,
    development: Option<String>,
}

impl DutyRow {
    fn into_duty(self) -> Result<Duty> {
        Ok(Duty {
            kind: decode("duty kind", &self.kind)?,
            rule: decode("duty rule", &self.rule)?,
            owed_by: decode("duty owner", &self.owed_by)?,
            owed_to: self.owed_to.map(RecordId::from_uuid),
            subject: RecordId::from_uuid(self.subject_id),
            raised_at: self.raised_at,
            due: self.due,
            met_at: self.met_at,
            development: self
                .development
                .map(|w| decode("development", &w))
                .transpose()?,
        })
    }
}

const COLUMNS: &str =
    "d.kind, d.rule, d.owed_by, d.owed_to, d.subject_id, d.raised_at, d.due, d.met_at,
     d.development";

/// The duties about one record, in the order raised.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn of_subject(tx: &mut Tx, force: ForceId, subject: RecordId) -> Result<Vec<Duty>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM duty d WHERE d.force_id = $1 AND d.subject_id = $2
         ORDER BY d.raised_at, d.id"
    );
    let rows: Vec<DutyRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(subject.uuid()).fetch_all(c).await)?;
    rows.into_iter().map(DutyRow::into_duty).collect()
}

/// The unmet duties of `kind` due before `now` about records the audience may see, most
/// overdue first, with their number.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn overdue(
    tx: &mut Tx,
    force: ForceId,
    kind: DutyKind,
    now: DateTime<Utc>,
    audience: &Audience,
    limit: i64,
) -> Result<(Vec<Duty>, i64)> {
    let (partner, user, agency) = audience_binds(audience);
    let filter = format!(
        "d.force_id = $1 AND d.kind = $5 AND d.met_at IS NULL AND d.due < $6
         AND d.rule <> 'escalation'
         AND (SELECT {} FROM record r WHERE r.force_id = $1 AND r.id = d.subject_id)",
        visible("r", 2)
    );
    // The LIMIT is a cast, not a bare parameter: SQLite plans around a bound LIMIT's value, so
    // binding one makes it prepare the statement afresh on every call.
    let sql = format!(
        "SELECT {COLUMNS} FROM duty d WHERE {filter} ORDER BY d.due, d.id LIMIT CAST($7 AS BIGINT)"
    );
    let count = format!("SELECT COUNT(*) FROM duty d WHERE {filter}");
    let rows: Vec<DutyRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone())
        .bind(kind.as_str()).bind(now).bind(limit).fetch_all(c).await)?;
    let total: i64 = on!(tx, c => sqlx::query_scalar(AssertSqlSafe(count))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone())
        .bind(kind.as_str()).bind(now).fetch_one(c).await)?;
    Ok((
        rows.into_iter()
            .map(DutyRow::into_duty)
            .collect::<Result<_>>()?,
        total,
    ))
}

//! Incidents: calls for service and other reports, listed by when they were received.

use bluelamp_domain::access::Audience;
use bluelamp_domain::ids::{AreaId, ForceId, RecordId};
use bluelamp_domain::incident::{Incident, IncidentCategory};
use bluelamp_domain::thrive::ResponseGrade;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct IncidentRow {
    id: Uuid,
    reference: String,
    channel: String,
    received_at: DateTime<Utc>,
    occurred_at: Option<DateTime<Utc>>,
    category: String,
    location_id: Option<Uuid>,
    summary: String,
}

impl IncidentRow {
    fn into_incident(self) -> Result<(RecordId, Incident)> {
        Ok((
            RecordId::from_uuid(self.id),
            Incident {
                reference: self.reference,
                channel: decode("incident channel", &self.channel)?,
                received_at: self.received_at,
                occurred_at: self.occurred_at,
                category: decode("incident category", &self.category)?,
                location_id: self.location_id.map(RecordId::from_uuid),
                summary: self.summary,
            },
        ))
    }
}

const COLUMNS: &str = "i.id, i.reference, i.channel, i.received_at, i.occurred_at, i.category, \
                       i.location_id, i.summary";

/// Stores a new incident, in the neighbourhood `area` when its location is known to be in
/// one, with the grade of the assessment taken with the call, if any. The record must be
/// registered first.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the reference is already used or the location does
/// not exist.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    i: &Incident,
    area: Option<AreaId>,
    grade: Option<ResponseGrade>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO incident (force_id, id, reference, channel, received_at, occurred_at, category,
                               location_id, summary, area_id, grade)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(force.uuid()).bind(id.uuid()).bind(&i.reference).bind(i.channel.as_str())
        .bind(i.received_at).bind(i.occurred_at)
        .bind(i.category.as_str()).bind(i.location_id.map(|l| l.uuid())).bind(&i.summary)
        .bind(area.map(|a| a.uuid())).bind(grade.map(|g| g.as_str()))
        .execute(c).await)?;
    Ok(())
}

/// The next number of the force's calls on `day` (a Europe/London date), from 1: the
/// day's counter incremented in the caller's transaction, so that concurrent calls get
/// different numbers (SQLite's single writer; PostgreSQL's row lock, held until the
/// transaction ends).
///
/// # Errors
/// The database failed.
pub async fn next_call_number(tx: &mut Tx, force: ForceId, day: NaiveDate) -> Result<i64> {
    let (last,): (i64,) = on!(tx, c => sqlx::query_as(
        "INSERT INTO call_reference_counter (force_id, day, last) VALUES ($1, $2, 1)
         ON CONFLICT (force_id, day) DO UPDATE SET last = call_reference_counter.last + 1
         RETURNING last")
        .bind(force.uuid()).bind(day).fetch_one(c).await)?;
    Ok(last)
}

/// Whether an incident of the force already has this reference.
///
/// # Errors
/// The database failed.
pub async fn reference_taken(tx: &mut Tx, force: ForceId, reference: &str) -> Result<bool> {
    let (n,): (i64,) = on!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM incident WHERE force_id = $1 AND reference = $2")
        .bind(force.uuid()).bind(reference).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Loads an incident.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such incident.
pub async fn load(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<Incident> {
    let sql = format!("SELECT {COLUMNS} FROM incident i WHERE i.force_id = $1 AND i.id = $2");
    let row: IncidentRow = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(id.uuid()).fetch_one(c).await)?;
    Ok(row.into_incident()?.1)
}

/// Which incidents to list.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    /// Received at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Received before this time.
    pub to: Option<DateTime<Utc>>,
    pub category: Option<IncidentCategory>,
}

/// The incidents the audience may see that match the filter, newest first, skipping
/// `offset` and answering at most `limit`.
///
/// # Errors
/// The database failed.
pub async fn list(
    tx: &mut Tx,
    force: ForceId,
    filter: &IncidentFilter,
    audience: &Audience,
    limit: i64,
    offset: i64,
) -> Result<Vec<(RecordId, Incident)>> {
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2..$4 audience, $5 limit, $6 offset, then the filter's values.
    let mut conditions = Vec::new();
    let mut n = 6;
    let mut next = || {
        n += 1;
        n
    };
    if filter.from.is_some() {
        conditions.push(format!("i.received_at >= ${}", next()));
    }
    if filter.to.is_some() {
        conditions.push(format!("i.received_at < ${}", next()));
    }
    if filter.category.is_some() {
        conditions.push(format!("i.category = ${}", next()));
    }
    // The need-to-know check is a correlated subquery so that the newest rows, read in
    // order from the time index, drive the query: as a join, SQLite reads every record of
    // the force and sorts (a second at a force-year). The LIMIT is a cast, not a bare
    // parameter: SQLite plans around a bound LIMIT's value, so binding one makes it prepare
    // the statement afresh on every call.
    let sql = format!(
        "SELECT {COLUMNS} FROM incident i
         WHERE i.force_id = $1
           AND (SELECT {} FROM record r WHERE r.force_id = i.force_id AND r.id = i.id) {}
         ORDER BY i.received_at DESC, i.id DESC LIMIT CAST($5 AS BIGINT) OFFSET $6",
        visible("r", 2),
        conditions
            .iter()
            .map(|c| format!("AND {c} "))
            .collect::<String>()
    );
    let rows: Vec<IncidentRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(limit).bind(offset);
        if let Some(from) = filter.from {
            q = q.bind(from);
        }
        if let Some(to) = filter.to {
            q = q.bind(to);
        }
        if let Some(cat) = filter.category {
            q = q.bind(cat.as_str());
        }
        q.fetch_all(c).await
    })?;
    rows.into_iter().map(IncidentRow::into_incident).collect()
}

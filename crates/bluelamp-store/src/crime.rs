//! Crimes: each classified by its Home Office offence code, listed by when recorded.

use bluelamp_domain::access::Audience;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::offence::HoOffenceCode;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct CrimeRow {
    id: Uuid,
    reference: String,
    offence_code: String,
    committed_from: DateTime<Utc>,
    committed_to: Option<DateTime<Utc>>,
    recorded_at: DateTime<Utc>,
    domestic_abuse: bool,
    location_id: Option<Uuid>,
    incident_id: Option<Uuid>,
}

impl CrimeRow {
    fn into_crime(self) -> Result<(RecordId, Crime)> {
        Ok((
            RecordId::from_uuid(self.id),
            Crime {
                reference: self.reference,
                offence_code: decode("offence code", &self.offence_code)?,
                committed_from: self.committed_from,
                committed_to: self.committed_to,
                recorded_at: self.recorded_at,
                domestic_abuse: self.domestic_abuse,
                location_id: self.location_id.map(RecordId::from_uuid),
                incident_id: self.incident_id.map(RecordId::from_uuid),
            },
        ))
    }
}

const COLUMNS: &str = "c.id, c.reference, c.offence_code, c.committed_from, c.committed_to, c.recorded_at, \
                       c.domestic_abuse, c.location_id, c.incident_id";

/// Stores a new crime. The record must be registered first.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the reference is already used, or the location or
/// incident does not exist.
pub async fn insert(tx: &mut Tx, force: ForceId, id: RecordId, c: &Crime) -> Result<()> {
    exec!(tx, conn => sqlx::query(
        "INSERT INTO crime (force_id, id, reference, offence_code, committed_from, committed_to, recorded_at,
            domestic_abuse, location_id, incident_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(force.uuid()).bind(id.uuid()).bind(&c.reference).bind(c.offence_code.as_str())
        .bind(c.committed_from).bind(c.committed_to).bind(c.recorded_at).bind(c.domestic_abuse)
        .bind(c.location_id.map(|l| l.uuid())).bind(c.incident_id.map(|i| i.uuid()))
        .execute(conn).await)?;
    Ok(())
}

/// Loads a crime.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such crime.
pub async fn load(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<Crime> {
    let sql = format!("SELECT {COLUMNS} FROM crime c WHERE c.force_id = $1 AND c.id = $2");
    let row: CrimeRow = on!(tx, conn => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(id.uuid()).fetch_one(conn).await)?;
    Ok(row.into_crime()?.1)
}

/// Which crimes to list.
#[derive(Debug, Clone, Default)]
pub struct CrimeFilter {
    /// Only these offence codes (an offence group is the list of its codes); `None` for all.
    pub offence_codes: Option<Vec<HoOffenceCode>>,
    /// Recorded at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Recorded before this time.
    pub to: Option<DateTime<Utc>>,
    pub domestic_abuse: Option<bool>,
}

/// The crimes the audience may see that match the filter, newest first, skipping `offset`
/// and answering at most `limit`.
///
/// # Errors
/// The database failed.
pub async fn list(
    tx: &mut Tx,
    force: ForceId,
    filter: &CrimeFilter,
    audience: &Audience,
    limit: i64,
    offset: i64,
) -> Result<Vec<(RecordId, Crime)>> {
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2..$4 audience, $5 limit, $6 offset, then the filter's values.
    let mut conditions = Vec::new();
    let mut n = 6;
    let mut next = || {
        n += 1;
        n
    };
    if filter.from.is_some() {
        conditions.push(format!("c.recorded_at >= ${}", next()));
    }
    if filter.to.is_some() {
        conditions.push(format!("c.recorded_at < ${}", next()));
    }
    if filter.domestic_abuse.is_some() {
        conditions.push(format!("c.domestic_abuse = ${}", next()));
    }
    if let Some(codes) = &filter.offence_codes {
        if codes.is_empty() {
            return Ok(vec![]);
        }
        let params: Vec<String> = codes.iter().map(|_| format!("${}", next())).collect();
        conditions.push(format!("c.offence_code IN ({})", params.join(", ")));
    }
    // The need-to-know check is a correlated subquery so that the newest rows drive the
    // query (see `incident::list`).
    let sql = format!(
        "SELECT {COLUMNS} FROM crime c
         WHERE c.force_id = $1
           AND (SELECT {} FROM record r WHERE r.force_id = c.force_id AND r.id = c.id) {}
         ORDER BY c.recorded_at DESC, c.id DESC LIMIT $5 OFFSET $6",
        visible("r", 2),
        conditions
            .iter()
            .map(|c| format!("AND {c} "))
            .collect::<String>()
    );
    let rows: Vec<CrimeRow> = on!(tx, conn => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(partner).bind(user).bind(agency.clone()).bind(limit).bind(offset);
        if let Some(from) = filter.from {
            q = q.bind(from);
        }
        if let Some(to) = filter.to {
            q = q.bind(to);
        }
        if let Some(da) = filter.domestic_abuse {
            q = q.bind(da);
        }
        for code in filter.offence_codes.iter().flatten() {
            q = q.bind(code.as_str());
        }
        q.fetch_all(conn).await
    })?;
    rows.into_iter().map(CrimeRow::into_crime).collect()
}

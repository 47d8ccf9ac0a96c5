//! The force's own changes to the working-day calendar: days added as bank holidays or
//! taken away, kept beside the computed and proclaimed ones of `bluelamp-domain::calendar`.

use bluelamp_domain::ids::{ForceId, UserId};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Result, Tx, exec, on};

/// One change: a day added (with its name) or removed (`name` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    pub day: NaiveDate,
    /// The holiday's name when added; `None` when removed.
    pub added: Option<String>,
}

/// The force's changes, in date order.
///
/// # Errors
/// The database failed.
pub async fn changes(tx: &mut Tx, force: ForceId) -> Result<Vec<StoredChange>> {
    let rows: Vec<(NaiveDate, String, Option<String>)> = on!(tx, c => sqlx::query_as(
        "SELECT day, change, name FROM calendar_change WHERE force_id = $1 ORDER BY day")
        .bind(force.uuid()).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(day, change, name)| StoredChange {
            day,
            added: (change == "add").then(|| name.unwrap_or_default()),
        })
        .collect())
}

/// Records a change, replacing any earlier one for the same day.
///
/// # Errors
/// The database failed.
pub async fn put(
    tx: &mut Tx,
    force: ForceId,
    change: &StoredChange,
    at: DateTime<Utc>,
    by: Option<UserId>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO calendar_change (force_id, day, change, name, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (force_id, day) DO UPDATE SET change = excluded.change,
             name = excluded.name, recorded_at = excluded.recorded_at,
             recorded_by = excluded.recorded_by")
        .bind(force.uuid()).bind(change.day)
        .bind(if change.added.is_some() { "add" } else { "remove" })
        .bind(change.added.as_deref()).bind(at).bind(by.map(|u| u.uuid()))
        .execute(c).await)?;
    Ok(())
}

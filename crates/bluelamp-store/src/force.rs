//! Forces: the unit of data ownership. A deployment serves one force; the national tier
//! holds many in one database, distributed by force.

use bluelamp_domain::ids::ForceId;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Result, Tx, exec, on};

/// A configured force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Force {
    pub id: ForceId,
    pub code: String,
    pub name: String,
}

#[derive(sqlx::FromRow)]
struct ForceRow {
    id: Uuid,
    code: String,
    name: String,
}

impl From<ForceRow> for Force {
    fn from(r: ForceRow) -> Self {
        Force {
            id: ForceId::from_uuid(r.id),
            code: r.code,
            name: r.name,
        }
    }
}

/// Every configured force, by code.
///
/// # Errors
/// The database failed.
pub async fn all(tx: &mut Tx) -> Result<Vec<Force>> {
    let rows: Vec<ForceRow> = on!(tx, c => sqlx::query_as("SELECT id, code, name FROM force ORDER BY code").fetch_all(c).await)?;
    Ok(rows.into_iter().map(Force::from).collect())
}

/// Configures a new force and starts its audit chain.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the code is taken.
pub async fn insert(tx: &mut Tx, force: &Force, now: DateTime<Utc>) -> Result<()> {
    exec!(tx, c => sqlx::query("INSERT INTO force (id, code, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(force.id.uuid()).bind(&force.code).bind(&force.name).bind(now)
        .execute(c).await)?;
    exec!(tx, c => sqlx::query("INSERT INTO audit_head (force_id, seq, hash) VALUES ($1, 0, $2)")
        .bind(force.id.uuid()).bind(bluelamp_domain::audit::GENESIS)
        .execute(c).await)?;
    Ok(())
}

//! Objects: vehicles, phones, weapons and property.

use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::object::Object;

use crate::{Result, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct ObjectRow {
    kind: String,
    identifier: Option<String>,
    description: String,
}

/// Stores a new object. The record must be registered first.
///
/// # Errors
/// The database failed.
pub async fn insert(tx: &mut Tx, force: ForceId, id: RecordId, o: &Object) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO object (force_id, id, kind, identifier, description) VALUES ($1, $2, $3, $4, $5)")
        .bind(force.uuid()).bind(id.uuid()).bind(o.kind.as_str()).bind(&o.identifier).bind(&o.description)
        .execute(c).await)?;
    Ok(())
}

/// Loads an object.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such object.
pub async fn load(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<Object> {
    let r: ObjectRow = on!(tx, c => sqlx::query_as(
        "SELECT kind, identifier, description FROM object WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).fetch_one(c).await)?;
    Ok(Object {
        kind: decode("object kind", &r.kind)?,
        identifier: r.identifier,
        description: r.description,
    })
}

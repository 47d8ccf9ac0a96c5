//! The force's geography: local policing areas, neighbourhoods and their LSOAs.

use bluelamp_domain::area::AreaKind;
use bluelamp_domain::ids::{AreaId, ForceId};
use bluelamp_domain::thrive::Setting;
use uuid::Uuid;

use crate::{Result, Tx, decode, exec, on};

/// An area with its LSOAs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: AreaId,
    pub kind: AreaKind,
    pub code: String,
    pub name: String,
    pub parent: Option<AreaId>,
    pub lsoa_codes: Vec<String>,
    /// Whose attendance targets apply to incidents in it: urban or rural.
    pub setting: Setting,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: Uuid,
    kind: String,
    code: String,
    name: String,
    parent_id: Option<Uuid>,
    setting: String,
}

/// Stores an area and assigns its LSOAs.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the code is taken or an LSOA is in another area.
pub async fn insert(tx: &mut Tx, force: ForceId, a: &Area) -> Result<()> {
    let f = force.uuid();
    exec!(tx, c => sqlx::query(
        "INSERT INTO area (force_id, id, kind, code, name, parent_id, setting)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(f).bind(a.id.uuid()).bind(a.kind.as_str()).bind(&a.code).bind(&a.name).bind(a.parent.map(|p| p.uuid()))
        .bind(a.setting.as_str())
        .execute(c).await)?;
    for l in &a.lsoa_codes {
        exec!(tx, c => sqlx::query("INSERT INTO area_lsoa (force_id, lsoa_code, area_id) VALUES ($1, $2, $3)")
            .bind(f).bind(l).bind(a.id.uuid()).execute(c).await)?;
    }
    Ok(())
}

async fn complete(tx: &mut Tx, force: ForceId, r: AreaRow) -> Result<Area> {
    let lsoa_codes: Vec<String> = on!(tx, c => sqlx::query_scalar(
        "SELECT lsoa_code FROM area_lsoa WHERE force_id = $1 AND area_id = $2 ORDER BY lsoa_code")
        .bind(force.uuid()).bind(r.id).fetch_all(c).await)?;
    Ok(Area {
        id: AreaId::from_uuid(r.id),
        kind: decode("area kind", &r.kind)?,
        code: r.code,
        name: r.name,
        parent: r.parent_id.map(AreaId::from_uuid),
        lsoa_codes,
        setting: decode("area setting", &r.setting)?,
    })
}

/// Loads an area.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is none.
pub async fn load(tx: &mut Tx, force: ForceId, id: AreaId) -> Result<Area> {
    let r: AreaRow = on!(tx, c => sqlx::query_as(
        "SELECT id, kind, code, name, parent_id, setting FROM area WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).fetch_one(c).await)?;
    complete(tx, force, r).await
}

/// Every area, local policing areas first, then by name.
///
/// # Errors
/// The database failed.
pub async fn all(tx: &mut Tx, force: ForceId) -> Result<Vec<Area>> {
    let rows: Vec<AreaRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, kind, code, name, parent_id, setting FROM area WHERE force_id = $1 ORDER BY kind, name")
        .bind(force.uuid()).fetch_all(c).await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(complete(tx, force, r).await?);
    }
    Ok(out)
}

/// The neighbourhood an LSOA belongs to, if any.
///
/// # Errors
/// The database failed.
pub async fn neighbourhood_of(
    tx: &mut Tx,
    force: ForceId,
    lsoa_code: &str,
) -> Result<Option<AreaId>> {
    let id: Option<Uuid> = on!(tx, c => sqlx::query_scalar(
        "SELECT area_id FROM area_lsoa WHERE force_id = $1 AND lsoa_code = $2")
        .bind(force.uuid()).bind(lsoa_code).fetch_optional(c).await)?;
    Ok(id.map(AreaId::from_uuid))
}

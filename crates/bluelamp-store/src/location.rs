//! Locations: addresses, postcodes, UPRNs, points and the LSOA they fall in.

use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::location::Location;

use crate::{Result, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct LocationRow {
    address: String,
    postcode: Option<String>,
    uprn: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    lsoa_code: Option<String>,
}

/// Stores a new location. The record must be registered first.
///
/// # Errors
/// The database failed.
pub async fn insert(tx: &mut Tx, force: ForceId, id: RecordId, l: &Location) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO location (force_id, id, address, postcode, uprn, latitude, longitude, lsoa_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(force.uuid()).bind(id.uuid()).bind(l.address_lines.join("\n"))
        .bind(l.postcode.as_ref().map(|p| p.as_str())).bind(&l.uprn)
        .bind(l.point.map(|p| p.0)).bind(l.point.map(|p| p.1)).bind(&l.lsoa_code)
        .execute(c).await)?;
    Ok(())
}

/// Loads a location.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such location.
pub async fn load(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<Location> {
    let r: LocationRow = on!(tx, c => sqlx::query_as(
        "SELECT address, postcode, uprn, latitude, longitude, lsoa_code FROM location WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).fetch_one(c).await)?;
    Ok(Location {
        address_lines: if r.address.is_empty() {
            vec![]
        } else {
            r.address.split('\n').map(str::to_string).collect()
        },
        postcode: r
            .postcode
            .as_deref()
            .map(|p| decode("postcode", p))
            .transpose()?,
        uprn: r.uprn,
        point: r.latitude.zip(r.longitude),
        lsoa_code: r.lsoa_code,
    })
}

//! Links between records, each with a role.

use bluelamp_domain::access::Audience;
use bluelamp_domain::ids::{ForceId, LinkId, RecordId, UserId};
use bluelamp_domain::offence::HoOffenceCode;
use bluelamp_domain::record::{LinkRole, RecordKind};
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Result, Tx, decode, exec, on};

/// A link as seen from one of its ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: LinkId,
    pub from: RecordId,
    pub role: LinkRole,
    pub to: RecordId,
    /// The kind of the record at the other end from the one asked about.
    pub other_kind: RecordKind,
    /// A one-line description of the other end: a person's name, an address, an object, an
    /// incident's reference and category, a crime's reference and offence.
    pub other_label: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: Uuid,
    from_id: Uuid,
    role: String,
    to_id: Uuid,
    other_kind: String,
    created_at: DateTime<Utc>,
    person_name: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    object_label: Option<String>,
    incident_reference: Option<String>,
    incident_category: Option<String>,
    crime_reference: Option<String>,
    crime_offence_code: Option<String>,
}

/// A link about to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewLink {
    pub id: LinkId,
    pub from: RecordId,
    pub role: LinkRole,
    pub to: RecordId,
}

/// Stores a link.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the same link exists already.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    link: &NewLink,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let NewLink { id, from, role, to } = *link;
    exec!(tx, c => sqlx::query(
        "INSERT INTO link (force_id, id, from_id, role, to_id, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(force.uuid()).bind(id.uuid()).bind(from.uuid()).bind(role.as_str()).bind(to.uuid())
        .bind(now).bind(by.uuid())
        .execute(c).await)?;
    Ok(())
}

/// Every link of a record whose other end the audience may see, newest first.
///
/// # Errors
/// The database failed.
pub async fn of_record(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    audience: &Audience,
) -> Result<Vec<Link>> {
    let (partner, user, agency) = audience_binds(audience);
    // Each half joins the record at the far end and whichever detail table describes it.
    let half = |near: &str, far: &str| {
        format!(
            "SELECT l.id, l.from_id, l.role, l.to_id, r.kind AS other_kind, l.created_at,
                    p.surname || ', ' || p.forenames AS person_name,
                    loc.address AS address, loc.postcode AS postcode,
                    o.kind || ': ' || COALESCE(o.identifier || ' ', '') || o.description AS object_label,
                    i.reference AS incident_reference, i.category AS incident_category,
                    cr.reference AS crime_reference, cr.offence_code AS crime_offence_code
             FROM link l
             JOIN record r ON r.force_id = l.force_id AND r.id = l.{far}
             LEFT JOIN person p ON p.force_id = l.force_id AND p.id = l.{far}
             LEFT JOIN location loc ON loc.force_id = l.force_id AND loc.id = l.{far}
             LEFT JOIN object o ON o.force_id = l.force_id AND o.id = l.{far}
             LEFT JOIN incident i ON i.force_id = l.force_id AND i.id = l.{far}
             LEFT JOIN crime cr ON cr.force_id = l.force_id AND cr.id = l.{far}
             WHERE l.force_id = $1 AND l.{near} = $2 AND {v}",
            v = visible("r", 3)
        )
    };
    let sql = format!(
        "SELECT * FROM ({} UNION ALL {}) u ORDER BY u.created_at DESC, u.id",
        half("from_id", "to_id"),
        half("to_id", "from_id"),
    );
    let rows: Vec<LinkRow> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(id.uuid()).bind(partner).bind(user).bind(agency)
        .fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Link {
                id: LinkId::from_uuid(r.id),
                from: RecordId::from_uuid(r.from_id),
                role: decode("link role", &r.role)?,
                to: RecordId::from_uuid(r.to_id),
                other_kind: decode("record kind", &r.other_kind)?,
                created_at: r.created_at,
                other_label: r
                    .person_name
                    .or_else(|| {
                        let mut parts: Vec<&str> = r
                            .address
                            .as_deref()?
                            .split('\n')
                            .filter(|l| !l.is_empty())
                            .collect();
                        parts.extend(r.postcode.as_deref());
                        Some(parts.join(", "))
                    })
                    .or(r.object_label)
                    .or_else(|| {
                        Some(format!(
                            "incident {} ({})",
                            r.incident_reference?,
                            r.incident_category?.replace('_', " ")
                        ))
                    })
                    .or_else(|| {
                        let code = r.crime_offence_code?;
                        let description = code
                            .parse::<HoOffenceCode>()
                            .map(|c| c.offence().description.as_str())
                            .unwrap_or(code.as_str());
                        Some(format!("crime {}: {description}", r.crime_reference?))
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

//! The JSON API under `/api/v1`: one file per resource, each handler parsing its input,
//! calling one service and rendering the result.

use bluelamp_app::views::Link;
use bluelamp_domain::ids::RecordId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub mod areas;
pub mod audit;
pub mod crimes;
pub mod first_contact;
pub mod incidents;
pub mod investigations;
pub mod links;
pub mod locations;
pub mod objects;
pub mod persons;
pub mod records;
pub mod users;

/// A link seen from the record being shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub id: Uuid,
    /// `outgoing` when this record is the link's `from` ("lives_at" that location);
    /// `incoming` otherwise.
    pub direction: String,
    pub role: String,
    /// The record at the other end.
    pub record_id: Uuid,
    /// `person`, `location`, `object`, ...
    pub record_kind: String,
    /// A name, an address or an object's description.
    pub label: String,
    pub created_at: DateTime<Utc>,
}

impl LinkView {
    /// Describes the link from the end `this`.
    pub fn from_end(l: Link, this: RecordId) -> Self {
        let outgoing = l.from == this;
        LinkView {
            id: l.id.uuid(),
            direction: if outgoing { "outgoing" } else { "incoming" }.into(),
            role: l.role.as_str().into(),
            record_id: if outgoing { l.to.uuid() } else { l.from.uuid() },
            record_kind: l.other_kind.as_str().into(),
            label: l.other_label,
            created_at: l.created_at,
        }
    }
}

//! The registry of what an export holds: one [`Kind`] per record type, each a file of JSON
//! Lines. Adding a table to the export is one entry here (or, for a table that is not the
//! force's data, one name in [`SKIPPED_TABLES`]); the engine in the parent module reads
//! and writes every entry alike.

use super::{Column, Kind, Nested, Ty};

/// A column that is never null.
pub(super) const fn col(name: &'static str, ty: Ty) -> Column {
    Column {
        name,
        ty,
        nullable: false,
    }
}

/// A column that may be null.
pub(super) const fn opt(name: &'static str, ty: Ty) -> Column {
    Column {
        name,
        ty,
        nullable: true,
    }
}

/// What every record carries, from the `record` registry.
pub(super) const RECORD_COLUMNS: &[Column] = &[
    col("restricted", Ty::Bool),
    col("created_at", Ty::Time),
    opt("created_by", Ty::Id),
    col("updated_at", Ty::Time),
    opt("archived_at", Ty::Time),
    opt("erased_at", Ty::Time),
];

/// A record's restriction and its partner shares, nested in its `"record"` object.
pub(super) const RECORD_NESTED: &[Nested] = &[
    Nested {
        field: "restricted_to_users",
        table: "record_restriction_user",
        parent: "record_id",
        ordinal: None,
        columns: &[col("user_id", Ty::Id)],
    },
    Nested {
        field: "restricted_to_teams",
        table: "record_restriction_team",
        parent: "record_id",
        ordinal: None,
        columns: &[col("team_id", Ty::Id)],
    },
    Nested {
        field: "shared_with",
        table: "record_share",
        parent: "record_id",
        ordinal: None,
        columns: &[
            col("agency", Ty::Text),
            col("shared_at", Ty::Time),
            col("shared_by", Ty::Id),
        ],
    },
];

/// Every record type an export holds, in the order an import writes them: each file
/// refers only to rows of the files before it (users to areas and teams, crimes to
/// incidents and locations, links to any record, the audit log to anything).
pub static KINDS: &[Kind] = &[
    Kind {
        name: "areas",
        table: "area",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("kind", Ty::Text),
            col("code", Ty::Text),
            col("name", Ty::Text),
            opt("parent_id", Ty::Id),
            col("setting", Ty::Text),
        ],
        nested: &[Nested {
            field: "lsoa_codes",
            table: "area_lsoa",
            parent: "area_id",
            ordinal: None,
            columns: &[col("lsoa_code", Ty::Text)],
        }],
        deferred: &["parent_id"],
    },
    Kind {
        name: "teams",
        table: "team",
        record_kind: None,
        columns: &[col("id", Ty::Id), col("name", Ty::Text)],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "users",
        table: "app_user",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("username", Ty::Text),
            col("display_name", Ty::Text),
            opt("password_hash", Ty::Text),
            opt("agency", Ty::Text),
            col("created_at", Ty::Time),
        ],
        nested: &[
            Nested {
                field: "roles",
                table: "user_role",
                parent: "user_id",
                ordinal: None,
                columns: &[col("role", Ty::Text)],
            },
            Nested {
                field: "teams",
                table: "team_member",
                parent: "user_id",
                ordinal: None,
                columns: &[col("team_id", Ty::Id)],
            },
            Nested {
                field: "areas",
                table: "user_area",
                parent: "user_id",
                ordinal: None,
                columns: &[col("area_id", Ty::Id)],
            },
        ],
        deferred: &[],
    },
    Kind {
        name: "locations",
        table: "location",
        record_kind: Some("location"),
        columns: &[
            col("id", Ty::Id),
            col("address", Ty::Text),
            opt("postcode", Ty::Text),
            opt("uprn", Ty::Text),
            opt("latitude", Ty::Real),
            opt("longitude", Ty::Real),
            opt("lsoa_code", Ty::Text),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "objects",
        table: "object",
        record_kind: Some("object"),
        columns: &[
            col("id", Ty::Id),
            col("kind", Ty::Text),
            opt("identifier", Ty::Text),
            col("description", Ty::Text),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "persons",
        table: "person",
        record_kind: Some("person"),
        columns: &[
            col("id", Ty::Id),
            col("forenames", Ty::Text),
            col("surname", Ty::Text),
            opt("date_of_birth", Ty::Text),
            col("dob_approximate", Ty::Bool),
            col("sex", Ty::Text),
            opt("ethnicity", Ty::Text),
        ],
        nested: &[
            Nested {
                field: "aliases",
                table: "person_alias",
                parent: "person_id",
                ordinal: Some("ordinal"),
                columns: &[col("forenames", Ty::Text), col("surname", Ty::Text)],
            },
            Nested {
                field: "warning_markers",
                table: "warning_marker",
                parent: "person_id",
                ordinal: Some("ordinal"),
                columns: &[
                    col("kind", Ty::Text),
                    col("valid_from", Ty::Date),
                    opt("valid_until", Ty::Date),
                    opt("note", Ty::Text),
                ],
            },
        ],
        deferred: &[],
    },
    Kind {
        name: "incidents",
        table: "incident",
        record_kind: Some("incident"),
        columns: &[
            col("id", Ty::Id),
            col("reference", Ty::Text),
            col("channel", Ty::Text),
            col("received_at", Ty::Time),
            opt("occurred_at", Ty::Time),
            col("category", Ty::Text),
            opt("location_id", Ty::Id),
            col("summary", Ty::Text),
            opt("area_id", Ty::Id),
            opt("grade", Ty::Text),
            opt("closed_at", Ty::Time),
            opt("closing_category", Ty::Text),
            opt("result", Ty::Text),
            col("review_flag", Ty::Bool),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "crimes",
        table: "crime",
        record_kind: Some("crime"),
        columns: &[
            col("id", Ty::Id),
            col("reference", Ty::Text),
            col("offence_code", Ty::Text),
            col("committed_from", Ty::Time),
            opt("committed_to", Ty::Time),
            col("recorded_at", Ty::Time),
            col("domestic_abuse", Ty::Bool),
            opt("location_id", Ty::Id),
            opt("incident_id", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "thrive_assessments",
        table: "thrive_assessment",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("incident_id", Ty::Id),
            col("seq", Ty::Int),
            opt("revises_id", Ty::Id),
            col("assessed_at", Ty::Time),
            col("assessed_by", Ty::Id),
            col("threat_level", Ty::Text),
            col("threat_rationale", Ty::Text),
            col("harm_level", Ty::Text),
            col("harm_rationale", Ty::Text),
            col("risk_level", Ty::Text),
            col("risk_rationale", Ty::Text),
            col("investigation_level", Ty::Text),
            col("investigation_rationale", Ty::Text),
            col("vulnerability_level", Ty::Text),
            col("vulnerability_rationale", Ty::Text),
            col("vulnerability_factors", Ty::Text),
            col("engagement_level", Ty::Text),
            col("engagement_rationale", Ty::Text),
            col("proposed_grade", Ty::Text),
            col("proposal_reason", Ty::Text),
            col("grade", Ty::Text),
            opt("previous_grade", Ty::Text),
            opt("grade_rationale", Ty::Text),
            col("setting", Ty::Text),
            col("inconsistent", Ty::Bool),
        ],
        nested: &[],
        deferred: &["revises_id"],
    },
    Kind {
        name: "incident_advice",
        table: "incident_advice",
        record_kind: None,
        columns: &[
            col("incident_id", Ty::Id),
            col("evidence_given", Ty::Bool),
            opt("evidence_reason", Ty::Text),
            col("prevention_given", Ty::Bool),
            opt("prevention_reason", Ty::Text),
            col("recorded_at", Ty::Time),
            col("recorded_by", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "incident_attendance",
        table: "incident_attendance",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("incident_id", Ty::Id),
            col("kind", Ty::Text),
            col("happened_at", Ty::Time),
            opt("rationale", Ty::Text),
            opt("grade", Ty::Text),
            opt("target_met", Ty::Bool),
            col("recorded_at", Ty::Time),
            col("recorded_by", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "crime_recording_decisions",
        table: "crime_recording_decision",
        record_kind: None,
        columns: &[
            col("incident_id", Ty::Id),
            col("decision", Ty::Text),
            opt("reason", Ty::Text),
            col("decided_at", Ty::Time),
            col("decided_by", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "incident_queue",
        table: "incident_queue",
        record_kind: None,
        columns: &[
            col("incident_id", Ty::Id),
            col("grade", Ty::Text),
            col("urgency", Ty::Int),
            col("risk", Ty::Int),
            col("vulnerability", Ty::Int),
            col("factors", Ty::Int),
            col("received_at", Ty::Time),
            col("queued_at", Ty::Time),
            opt("wait_allowed", Ty::BigInt),
            opt("area_id", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "duties",
        table: "duty",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("kind", Ty::Text),
            col("rule", Ty::Text),
            col("owed_by", Ty::Text),
            opt("owed_to", Ty::Id),
            col("subject_id", Ty::Id),
            col("raised_at", Ty::Time),
            col("due", Ty::Time),
            opt("met_at", Ty::Time),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "links",
        table: "link",
        record_kind: None,
        columns: &[
            col("id", Ty::Id),
            col("from_id", Ty::Id),
            col("role", Ty::Text),
            col("to_id", Ty::Id),
            col("created_at", Ty::Time),
            opt("created_by", Ty::Id),
        ],
        nested: &[],
        deferred: &[],
    },
    Kind {
        name: "audit",
        table: "audit_event",
        record_kind: None,
        columns: &[
            col("seq", Ty::BigInt),
            col("at", Ty::Time),
            opt("user_id", Ty::Id),
            col("username", Ty::Text),
            col("channel", Ty::Text),
            opt("os_user", Ty::Text),
            col("operation", Ty::Text),
            col("action", Ty::Text),
            opt("record_id", Ty::Id),
            opt("reason", Ty::Text),
            opt("request_id", Ty::Text),
            opt("details", Ty::Text),
            col("details_hash", Ty::Text),
            col("prev_hash", Ty::Text),
            col("hash", Ty::Text),
        ],
        nested: &[],
        deferred: &[],
    },
];

/// Tables an export leaves out because they are rebuilt on import: the nominal search keys
/// (recomputed from the persons by the application), and the force and its chain head (the
/// manifest carries them).
pub const DERIVED_TABLES: &[&str] = &["force", "audit_head", "person_name_key"];

/// Tables an export leaves out because they are not the force's data but credentials and
/// throttling state: API tokens, page sessions and failed sign-ins. After a restore everyone
/// signs in again.
pub const SKIPPED_TABLES: &[&str] = &[
    "api_token",
    "sign_in_failure",
    "web_session",
    "web_session_reason",
];

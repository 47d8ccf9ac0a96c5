//! Bulk loading: many records at once in one large transaction, with multi-row `INSERT`s,
//! for the synthetic force generator (and, later, imports).
//!
//! The rows written are exactly those the per-record functions write (`record`, `person`
//! with its aliases, markers and search keys, `location`, `link`, `incident`, `crime`,
//! areas, teams and users, first contact's THRIVE assessments, advice checklists,
//! attendance, crime-recording decisions, queue entries and duties as
//! `first_contact` and `duty` leave them, and investigations with their steps, plans,
//! reviews, handovers, developments and outcomes, and victims with their contacts and
//! surveys, as `investigation` and `victim` leave them), so that bulk-loaded records cannot
//! be told apart from ones created through the application. Each statement carries as many
//! rows as the backend's bind-parameter limit allows (SQLite: 32,766), the force id bound
//! once as `$1`.
//!
//! On SQLite, [`begin`] sets the connection up for the load: foreign-key checks off (the
//! loader writes parents before children and the tests check the result with
//! `PRAGMA foreign_key_check`), the rollback journal instead of the write-ahead log (a
//! transaction that only adds pages to the file journals almost nothing, where the WAL would
//! copy every page twice), and a larger page cache. `synchronous` stays `FULL`, so the commit
//! is durable; [`finish`] commits and restores the WAL, foreign keys and the cache.

use std::collections::BTreeSet;
use std::sync::Arc;

use bluelamp_domain::access::Role;
use bluelamp_domain::area::AreaKind;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::duty::Duty;
use bluelamp_domain::first_contact::{Advice, AttendanceKind, QueueEntry, level_rank};
use bluelamp_domain::ids::{AreaId, ForceId, LinkId, RecordId, TeamId, UserId};
use bluelamp_domain::incident::Incident;
use bluelamp_domain::investigation::PipLevel;
use bluelamp_domain::location::Location;
use bluelamp_domain::person::Person;
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::{Level, ResponseGrade, Setting, VulnerabilityFactor};
use bluelamp_domain::victim::Survey;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::first_contact::{Closure, Decision};
use crate::investigation::{Development, Handover, OutcomeRow, PlanItem, Review, StepRow};
use crate::victim::{LoggedContact, Victim};
use crate::{Backend, Db, Result, Tx, exec};

/// The most bind parameters one statement may carry on either backend (SQLite's
/// `SQLITE_MAX_VARIABLE_NUMBER` since 3.32; PostgreSQL allows 65,535).
pub const MAX_PARAMS: usize = 32_766;

/// The page cache during a bulk load on SQLite, in KiB (the normal cache is 64 MiB).
const LOAD_CACHE_KIB: i64 = 128 * 1024;
/// The normal page cache, as `Db::connect` sets it.
const NORMAL_CACHE_KIB: i64 = 64 * 1024;

/// One value bound into a multi-row insert.
#[derive(Debug, Clone)]
enum Value<'a> {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Str(&'a str),
    Shared(Arc<str>),
    OptShared(Option<Arc<str>>),
    Owned(String),
    OptStr(Option<&'a str>),
    OptOwned(Option<String>),
    Int(i32),
    OptBigInt(Option<i64>),
    Bool(bool),
    OptBool(Option<bool>),
    OptReal(Option<f64>),
    Time(DateTime<Utc>),
    OptTime(Option<DateTime<Utc>>),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
}

/// Inserts rows of `columns.len()` values each (the force id first) into `table`, in as
/// few statements as the parameter limit allows. `values` holds each row's values after the
/// force id, row after row.
///
/// On PostgreSQL the force id is bound once, as `$1`. On SQLite every parameter is an
/// anonymous `?`: SQLite files each named or numbered parameter (`$7`, `?7`) in a list it
/// searches from the start, when preparing and again when binding, so a statement of
/// thirty thousand of them takes seconds where anonymous ones take microseconds.
async fn insert_rows<'a>(
    tx: &mut Tx,
    force: ForceId,
    table: &str,
    columns: &[&str],
    values: Vec<Value<'a>>,
) -> Result<()> {
    let per_row = columns.len() - 1;
    if per_row == 0 || values.is_empty() {
        return Ok(());
    }
    let sqlite = tx.backend() == Backend::Sqlite;
    let rows_per_statement = if sqlite {
        MAX_PARAMS / columns.len()
    } else {
        (MAX_PARAMS - 1) / per_row
    };
    let mut values = values.into_iter();
    let total_rows = values.len() / per_row;
    let mut done = 0;
    while done < total_rows {
        let rows = rows_per_statement.min(total_rows - done);
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut p = 2;
        for r in 0..rows {
            if r > 0 {
                sql.push_str(", ");
            }
            if sqlite {
                sql.push_str("(?");
                sql.push_str(&", ?".repeat(per_row));
            } else {
                sql.push_str("($1");
                for _ in 0..per_row {
                    sql.push_str(&format!(", ${p}"));
                    p += 1;
                }
            }
            sql.push(')');
        }
        let chunk: Vec<Value<'a>> = values.by_ref().take(rows * per_row).collect();
        exec!(tx, c => {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            if !sqlite {
                q = q.bind(force.uuid());
            }
            for (i, v) in chunk.into_iter().enumerate() {
                if sqlite && i % per_row == 0 {
                    q = q.bind(force.uuid());
                }
                q = match v {
                    Value::Uuid(x) => q.bind(x),
                    Value::OptUuid(x) => q.bind(x),
                    Value::Str(x) => q.bind(x),
                    Value::Shared(x) => q.bind(x),
                    Value::OptShared(x) => q.bind(x),
                    Value::Owned(x) => q.bind(x),
                    Value::OptStr(x) => q.bind(x),
                    Value::OptOwned(x) => q.bind(x),
                    Value::Int(x) => q.bind(x),
                    Value::OptBigInt(x) => q.bind(x),
                    Value::Bool(x) => q.bind(x),
                    Value::OptBool(x) => q.bind(x),
                    Value::OptReal(x) => q.bind(x),
                    Value::Time(x) => q.bind(x),
                    Value::OptTime(x) => q.bind(x),
                    Value::Date(x) => q.bind(x),
                    Value::OptDate(x) => q.bind(x),
                };
            }
            q.execute(c).await
        })?;
        done += rows;
    }
    Ok(())
}

/// Begins a bulk load: one transaction, with SQLite set up as the module describes.
///
/// # Errors
/// The database cannot be reached.
pub async fn begin(db: &Db) -> Result<Tx> {
    let set_up = async {
        if let Db::Sqlite(p) = db {
            sqlx::query("PRAGMA foreign_keys = OFF").execute(p).await?;
            sqlx::query("PRAGMA journal_mode = DELETE")
                .execute(p)
                .await?;
            sqlx::query(AssertSqlSafe(format!(
                "PRAGMA cache_size = -{LOAD_CACHE_KIB}"
            )))
            .execute(p)
            .await?;
        }
        db.begin().await
    };
    match set_up.await {
        Ok(tx) => Ok(tx),
        Err(e) => {
            restore(db).await?;
            Err(e)
        }
    }
}

/// Commits a bulk load and puts the connection back as `Db::connect` left it.
///
/// # Errors
/// The commit failed (nothing was written), or the settings could not be restored.
pub async fn finish(db: &Db, tx: Tx) -> Result<()> {
    let committed = tx.commit().await;
    restore(db).await?;
    committed
}

/// Puts a SQLite connection back as `Db::connect` left it, after a bulk load that
/// committed or failed.
///
/// # Errors
/// The database failed.
pub async fn restore(db: &Db) -> Result<()> {
    if let Db::Sqlite(p) = db {
        sqlx::query("PRAGMA journal_mode = WAL").execute(p).await?;
        sqlx::query("PRAGMA foreign_keys = ON").execute(p).await?;
        sqlx::query(AssertSqlSafe(format!(
            "PRAGMA cache_size = -{NORMAL_CACHE_KIB}"
        )))
        .execute(p)
        .await?;
    }
    Ok(())
}

/// A record to register.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: RecordId,
    pub kind: RecordKind,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<UserId>,
}

/// Registers records, unrestricted, as `record::insert` does.
///
/// # Errors
/// The database failed.
pub async fn records(tx: &mut Tx, force: ForceId, rows: &[NewRecord]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    for r in rows {
        v.extend([
            Value::Uuid(r.id.uuid()),
            Value::Str(r.kind.as_str()),
            Value::Bool(false),
            Value::Time(r.created_at),
            Value::OptUuid(r.created_by.map(|u| u.uuid())),
            Value::Time(r.created_at),
        ]);
    }
    insert_rows(
        tx,
        force,
        "record",
        &[
            "force_id",
            "id",
            "kind",
            "restricted",
            "created_at",
            "created_by",
            "updated_at",
        ],
        v,
    )
    .await
}

/// A person to store, with the search keys `bluelamp_domain::nominal::index_keys` gives.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: RecordId,
    pub person: Person,
}

/// Stores persons with their aliases and warning markers, as `person::insert` does. Their
/// search keys are written by [`name_keys`].
///
/// # Errors
/// The database failed.
pub async fn persons(tx: &mut Tx, force: ForceId, rows: &[NewPerson]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 7);
    let mut aliases = Vec::new();
    let mut markers = Vec::new();
    for r in rows {
        let p = &r.person;
        v.extend([
            Value::Uuid(r.id.uuid()),
            Value::Str(&p.name.forenames),
            Value::Str(&p.name.surname),
            Value::OptOwned(p.date_of_birth.map(|d| d.to_string())),
            Value::Bool(p.date_of_birth_approximate),
            Value::Str(p.sex.as_str()),
            Value::OptStr(p.ethnicity.map(|e| e.as_str())),
        ]);
        for (i, a) in p.aliases.iter().enumerate() {
            aliases.extend([
                Value::Uuid(r.id.uuid()),
                Value::Int(i32::try_from(i).unwrap_or(i32::MAX)),
                Value::Str(&a.forenames),
                Value::Str(&a.surname),
            ]);
        }
        for (i, m) in p.warning_markers.iter().enumerate() {
            markers.extend([
                Value::Uuid(r.id.uuid()),
                Value::Int(i32::try_from(i).unwrap_or(i32::MAX)),
                Value::Str(m.kind.as_str()),
                Value::Date(m.from),
                Value::OptDate(m.until),
                Value::OptStr(m.note.as_deref()),
            ]);
        }
    }
    insert_rows(
        tx,
        force,
        "person",
        &[
            "force_id",
            "id",
            "forenames",
            "surname",
            "date_of_birth",
            "dob_approximate",
            "sex",
            "ethnicity",
        ],
        v,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "person_alias",
        &["force_id", "person_id", "ordinal", "forenames", "surname"],
        aliases,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "warning_marker",
        &[
            "force_id",
            "person_id",
            "ordinal",
            "kind",
            "valid_from",
            "valid_until",
            "note",
        ],
        markers,
    )
    .await
}

/// Stores persons' search keys. Sorted by key and then person, the rows append to the
/// key index instead of landing all over it.
///
/// # Errors
/// The database failed.
pub async fn name_keys(tx: &mut Tx, force: ForceId, rows: &[(Arc<str>, RecordId)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 2);
    for (key, person) in rows {
        v.push(Value::Shared(Arc::clone(key)));
        v.push(Value::Uuid(person.uuid()));
    }
    insert_rows(
        tx,
        force,
        "person_name_key",
        &["force_id", "key", "person_id"],
        v,
    )
    .await
}

/// A location to store.
#[derive(Debug, Clone)]
pub struct NewLocation {
    pub id: RecordId,
    pub location: Location,
}

/// Stores locations, as `location::insert` does.
///
/// # Errors
/// The database failed.
pub async fn locations(tx: &mut Tx, force: ForceId, rows: &[NewLocation]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 7);
    for r in rows {
        let l = &r.location;
        v.extend([
            Value::Uuid(r.id.uuid()),
            Value::Owned(l.address_lines.join("\n")),
            Value::OptStr(l.postcode.as_ref().map(|p| p.as_str())),
            Value::OptStr(l.uprn.as_deref()),
            Value::OptReal(l.point.map(|p| p.0)),
            Value::OptReal(l.point.map(|p| p.1)),
            Value::OptStr(l.lsoa_code.as_deref()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "location",
        &[
            "force_id",
            "id",
            "address",
            "postcode",
            "uprn",
            "latitude",
            "longitude",
            "lsoa_code",
        ],
        v,
    )
    .await
}

/// A link to store, with when and by whom it was made.
#[derive(Debug, Clone, Copy)]
pub struct NewLink {
    pub id: LinkId,
    pub from: RecordId,
    pub role: LinkRole,
    pub to: RecordId,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<UserId>,
}

/// Stores links, as `link::insert` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a link is stored twice.
pub async fn links(tx: &mut Tx, force: ForceId, rows: &[NewLink]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    for l in rows {
        v.extend([
            Value::Uuid(l.id.uuid()),
            Value::Uuid(l.from.uuid()),
            Value::Str(l.role.as_str()),
            Value::Uuid(l.to.uuid()),
            Value::Time(l.created_at),
            Value::OptUuid(l.created_by.map(|u| u.uuid())),
        ]);
    }
    insert_rows(
        tx,
        force,
        "link",
        &[
            "force_id",
            "id",
            "from_id",
            "role",
            "to_id",
            "created_at",
            "created_by",
        ],
        v,
    )
    .await
}

/// An incident with what first contact keeps beside its details: its neighbourhood, the
/// grade of its latest assessment and its closure.
#[derive(Debug, Clone)]
pub struct NewIncident {
    pub id: RecordId,
    pub incident: Incident,
    pub area_id: Option<AreaId>,
    /// `None` until THRIVE is complete.
    pub grade: Option<ResponseGrade>,
    pub closure: Option<Closure>,
}

/// Stores incidents, as `incident::insert` does, with the grade and closure that
/// `first_contact::insert_assessment` and `first_contact::close` set.
///
/// # Errors
/// The database failed.
pub async fn incidents(tx: &mut Tx, force: ForceId, rows: &[NewIncident]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 14);
    for r in rows {
        let i = &r.incident;
        let c = r.closure.as_ref();
        v.extend([
            Value::Uuid(r.id.uuid()),
            Value::Str(&i.reference),
            Value::Str(i.channel.as_str()),
            Value::Time(i.received_at),
            Value::OptTime(i.occurred_at),
            Value::Str(i.category.as_str()),
            Value::OptUuid(i.location_id.map(|l| l.uuid())),
            Value::Str(&i.summary),
            Value::OptUuid(r.area_id.map(|a| a.uuid())),
            Value::OptStr(r.grade.map(|g| g.as_str())),
            Value::OptTime(c.map(|c| c.closed_at)),
            Value::OptStr(c.map(|c| c.category.as_str())),
            Value::OptStr(c.map(|c| c.result.as_str())),
            Value::Bool(c.is_some_and(|c| c.review_flag)),
        ]);
    }
    insert_rows(
        tx,
        force,
        "incident",
        &[
            "force_id",
            "id",
            "reference",
            "channel",
            "received_at",
            "occurred_at",
            "category",
            "location_id",
            "summary",
            "area_id",
            "grade",
            "closed_at",
            "closing_category",
            "result",
            "review_flag",
        ],
        v,
    )
    .await
}

/// Stores crimes, as `crime::insert` does.
///
/// # Errors
/// The database failed.
pub async fn crimes(tx: &mut Tx, force: ForceId, rows: &[(RecordId, Crime)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 9);
    for (id, c) in rows {
        v.extend([
            Value::Uuid(id.uuid()),
            Value::Str(&c.reference),
            Value::Str(c.offence_code.as_str()),
            Value::Time(c.committed_from),
            Value::OptTime(c.committed_to),
            Value::Time(c.recorded_at),
            Value::Bool(c.domestic_abuse),
            Value::OptUuid(c.location_id.map(|l| l.uuid())),
            Value::OptUuid(c.incident_id.map(|i| i.uuid())),
        ]);
    }
    insert_rows(
        tx,
        force,
        "crime",
        &[
            "force_id",
            "id",
            "reference",
            "offence_code",
            "committed_from",
            "committed_to",
            "recorded_at",
            "domestic_abuse",
            "location_id",
            "incident_id",
        ],
        v,
    )
    .await
}

/// Stores investigations, as `investigation::save` does.
///
/// # Errors
/// The database failed.
pub async fn investigations(
    tx: &mut Tx,
    force: ForceId,
    rows: &[crate::investigation::Investigation],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 11);
    for i in rows {
        v.extend([
            Value::Uuid(i.crime.uuid()),
            Value::Str(i.state.as_str()),
            Value::Str(i.seriousness.as_str()),
            Value::Bool(i.complex),
            Value::Str(i.risk.as_str()),
            Value::OptUuid(i.team.map(|t| t.uuid())),
            Value::OptUuid(i.investigator.map(|u| u.uuid())),
            Value::OptTime(i.allocated_at),
            Value::OptTime(i.finalised_at),
            Value::OptBigInt(i.outcome.map(|o| i64::from(o.number()))),
            Value::Time(i.updated_at),
        ]);
    }
    insert_rows(
        tx,
        force,
        "investigation",
        &[
            "force_id",
            "crime_id",
            "state",
            "seriousness",
            "complex",
            "risk",
            "team_id",
            "investigator_id",
            "allocated_at",
            "finalised_at",
            "outcome",
            "updated_at",
        ],
        v,
    )
    .await
}

/// An area to store with its LSOAs, as `area::insert` does.
#[derive(Debug, Clone)]
pub struct NewArea {
    pub id: AreaId,
    pub kind: AreaKind,
    pub code: String,
    pub name: String,
    pub parent: Option<AreaId>,
    pub lsoa_codes: Vec<String>,
    pub setting: Setting,
}

/// Stores areas (parents before children) and their LSOAs.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a code or an LSOA is used twice.
pub async fn areas(tx: &mut Tx, force: ForceId, rows: &[NewArea]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    let mut lsoas = Vec::new();
    for a in rows {
        v.extend([
            Value::Uuid(a.id.uuid()),
            Value::Str(a.kind.as_str()),
            Value::Str(&a.code),
            Value::Str(&a.name),
            Value::OptUuid(a.parent.map(|p| p.uuid())),
            Value::Str(a.setting.as_str()),
        ]);
        for l in &a.lsoa_codes {
            lsoas.extend([Value::Str(l), Value::Uuid(a.id.uuid())]);
        }
    }
    insert_rows(
        tx,
        force,
        "area",
        &[
            "force_id",
            "id",
            "kind",
            "code",
            "name",
            "parent_id",
            "setting",
        ],
        v,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "area_lsoa",
        &["force_id", "lsoa_code", "area_id"],
        lsoas,
    )
    .await
}

/// Stores teams.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a name is used twice.
pub async fn teams(tx: &mut Tx, force: ForceId, rows: &[(TeamId, String)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 2);
    for (id, name) in rows {
        v.extend([Value::Uuid(id.uuid()), Value::Str(name)]);
    }
    insert_rows(tx, force, "team", &["force_id", "id", "name"], v).await
}

/// A user account to store, with its roles, teams and areas.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// `None`: the account cannot sign in.
    pub password_hash: Option<String>,
    pub agency: Option<String>,
    pub roles: Vec<Role>,
    pub teams: Vec<TeamId>,
    pub areas: Vec<AreaId>,
    pub created_at: DateTime<Utc>,
    /// The PIP accreditation, as `user::set_pip_level` sets it.
    pub pip_level: Option<PipLevel>,
}

/// Stores users with their roles, teams and areas, as `user::insert` does, with the PIP
/// accreditation `user::set_pip_level` records.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a username is used twice.
pub async fn users(tx: &mut Tx, force: ForceId, rows: &[NewUser]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 7);
    let (mut roles, mut members, mut areas) = (Vec::new(), Vec::new(), Vec::new());
    for u in rows {
        v.extend([
            Value::Uuid(u.id.uuid()),
            Value::Str(&u.username),
            Value::Str(&u.display_name),
            Value::OptStr(u.password_hash.as_deref()),
            Value::OptStr(u.agency.as_deref()),
            Value::Time(u.created_at),
            Value::OptBigInt(u.pip_level.map(|l| i64::from(l.number()))),
        ]);
        for r in &u.roles {
            roles.extend([Value::Uuid(u.id.uuid()), Value::Str(r.as_str())]);
        }
        for t in &u.teams {
            members.extend([Value::Uuid(t.uuid()), Value::Uuid(u.id.uuid())]);
        }
        for a in &u.areas {
            areas.extend([Value::Uuid(u.id.uuid()), Value::Uuid(a.uuid())]);
        }
    }
    insert_rows(
        tx,
        force,
        "app_user",
        &[
            "force_id",
            "id",
            "username",
            "display_name",
            "password_hash",
            "agency",
            "created_at",
            "pip_level",
        ],
        v,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "user_role",
        &["force_id", "user_id", "role"],
        roles,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "team_member",
        &["force_id", "team_id", "user_id"],
        members,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "user_area",
        &["force_id", "user_id", "area_id"],
        areas,
    )
    .await
}

/// A THRIVE assessment to store, in the form `first_contact::insert_assessment` writes it.
/// Text is shared (`Arc<str>`), so that a generator's phrase tables are not copied per row.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub id: Uuid,
    pub incident: RecordId,
    /// 1 for the first, then 2, 3, ...
    pub seq: i32,
    /// The assessment this one revises.
    pub revises: Option<Uuid>,
    pub assessed_at: DateTime<Utc>,
    pub assessed_by: UserId,
    /// Each element's level and rationale, in the order of `Element::ALL` (threat, harm,
    /// risk, investigation, vulnerability, engagement).
    pub elements: [(Level, Arc<str>); 6],
    /// The vulnerability factor codes, separated by commas in vocabulary order.
    pub factors: Arc<str>,
    pub proposed: ResponseGrade,
    pub proposal_reason: Arc<str>,
    pub grade: ResponseGrade,
    pub previous: Option<ResponseGrade>,
    pub grade_rationale: Option<Arc<str>>,
    pub setting: Setting,
    /// Whether `Thrive::inconsistencies` found anything.
    pub inconsistent: bool,
}

/// The vulnerability factors as `first_contact::insert_assessment` stores them: codes
/// separated by commas, in vocabulary order.
pub fn factors_text(factors: &BTreeSet<VulnerabilityFactor>) -> String {
    factors
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stores THRIVE assessments, as `first_contact::insert_assessment` does (the incident's
/// grade is written with the incident by [`incidents`]). An assessment must come after the
/// one it revises, in the same call or an earlier one.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an incident has two assessments of one sequence
/// number.
pub async fn thrive_assessments(tx: &mut Tx, force: ForceId, rows: &[NewAssessment]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 26);
    for a in rows {
        v.extend([
            Value::Uuid(a.id),
            Value::Uuid(a.incident.uuid()),
            Value::Int(a.seq),
            Value::OptUuid(a.revises),
            Value::Time(a.assessed_at),
            Value::Uuid(a.assessed_by.uuid()),
        ]);
        for (i, (level, rationale)) in a.elements.iter().enumerate() {
            v.push(Value::Str(level.as_str()));
            v.push(Value::Shared(Arc::clone(rationale)));
            // The factors follow the vulnerability element's rationale.
            if i == 4 {
                v.push(Value::Shared(Arc::clone(&a.factors)));
            }
        }
        v.extend([
            Value::Str(a.proposed.as_str()),
            Value::Shared(Arc::clone(&a.proposal_reason)),
            Value::Str(a.grade.as_str()),
            Value::OptStr(a.previous.map(|g| g.as_str())),
            Value::OptShared(a.grade_rationale.clone()),
            Value::Str(a.setting.as_str()),
            Value::Bool(a.inconsistent),
        ]);
    }
    insert_rows(
        tx,
        force,
        "thrive_assessment",
        &[
            "force_id",
            "id",
            "incident_id",
            "seq",
            "revises_id",
            "assessed_at",
            "assessed_by",
            "threat_level",
            "threat_rationale",
            "harm_level",
            "harm_rationale",
            "risk_level",
            "risk_rationale",
            "investigation_level",
            "investigation_rationale",
            "vulnerability_level",
            "vulnerability_rationale",
            "vulnerability_factors",
            "engagement_level",
            "engagement_rationale",
            "proposed_grade",
            "proposal_reason",
            "grade",
            "previous_grade",
            "grade_rationale",
            "setting",
            "inconsistent",
        ],
        v,
    )
    .await
}

/// An advice checklist to store, with when and by whom it was recorded.
#[derive(Debug, Clone)]
pub struct NewAdvice {
    pub incident: RecordId,
    pub advice: Advice,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: UserId,
}

/// Stores advice checklists, as `first_contact::insert_advice` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an incident has two.
pub async fn incident_advice(tx: &mut Tx, force: ForceId, rows: &[NewAdvice]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 7);
    for a in rows {
        let e = &a.advice.evidence_preservation;
        let p = &a.advice.crime_prevention;
        v.extend([
            Value::Uuid(a.incident.uuid()),
            Value::Bool(e.is_given()),
            Value::OptStr(e.reason()),
            Value::Bool(p.is_given()),
            Value::OptStr(p.reason()),
            Value::Time(a.recorded_at),
            Value::Uuid(a.recorded_by.uuid()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "incident_advice",
        &[
            "force_id",
            "incident_id",
            "evidence_given",
            "evidence_reason",
            "prevention_given",
            "prevention_reason",
            "recorded_at",
            "recorded_by",
        ],
        v,
    )
    .await
}

/// An attendance decision or arrival to store, in the form
/// `first_contact::insert_attendance` writes it.
#[derive(Debug, Clone)]
pub struct NewAttendance {
    pub id: Uuid,
    pub incident: RecordId,
    pub kind: AttendanceKind,
    /// When it happened: the decision or the arrival.
    pub at: DateTime<Utc>,
    pub rationale: Option<Arc<str>>,
    /// For an arrival: the grade then, and whether its target was met.
    pub grade: Option<ResponseGrade>,
    pub target_met: Option<bool>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: UserId,
}

/// Stores attendance decisions and arrivals, as `first_contact::insert_attendance` does.
///
/// # Errors
/// The database failed.
pub async fn incident_attendance(
    tx: &mut Tx,
    force: ForceId,
    rows: &[NewAttendance],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 10);
    for a in rows {
        v.extend([
            Value::Uuid(a.id),
            Value::Uuid(a.incident.uuid()),
            Value::Str(a.kind.as_str()),
            Value::Time(a.at),
            Value::OptShared(a.rationale.clone()),
            Value::OptStr(a.grade.map(|g| g.as_str())),
            Value::OptBool(a.target_met),
            Value::Time(a.recorded_at),
            Value::Uuid(a.recorded_by.uuid()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "incident_attendance",
        &[
            "force_id",
            "id",
            "incident_id",
            "kind",
            "happened_at",
            "rationale",
            "grade",
            "target_met",
            "recorded_at",
            "recorded_by",
        ],
        v,
    )
    .await
}

/// Stores crime-recording decisions, as `first_contact::insert_decision` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an incident has two.
pub async fn crime_recording_decisions(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(RecordId, Decision)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 5);
    for (incident, d) in rows {
        v.extend([
            Value::Uuid(incident.uuid()),
            Value::Str(d.decision.as_str()),
            Value::OptStr(d.reason.as_deref()),
            Value::Time(d.decided_at),
            Value::Uuid(d.decided_by.uuid()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "crime_recording_decision",
        &[
            "force_id",
            "incident_id",
            "decision",
            "reason",
            "decided_at",
            "decided_by",
        ],
        v,
    )
    .await
}

/// An incident waiting in the incident-management queue, at its place.
#[derive(Debug, Clone)]
pub struct NewQueued {
    pub incident: RecordId,
    pub entry: QueueEntry,
    pub area_id: Option<AreaId>,
}

/// Stores queue entries, as `first_contact::enqueue` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an incident is queued twice.
pub async fn incident_queue(tx: &mut Tx, force: ForceId, rows: &[NewQueued]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 10);
    for q in rows {
        let e = &q.entry;
        v.extend([
            Value::Uuid(q.incident.uuid()),
            Value::Str(e.grade.as_str()),
            Value::Int(i32::from(e.grade.urgency())),
            Value::Int(level_rank(e.risk)),
            Value::Int(level_rank(e.vulnerability)),
            Value::Int(i32::try_from(e.factors.len()).unwrap_or(i32::MAX)),
            Value::Time(e.received_at),
            Value::Time(e.queued_at),
            Value::OptBigInt(e.wait_allowed.map(|w| w.num_seconds())),
            Value::OptUuid(q.area_id.map(|a| a.uuid())),
        ]);
    }
    insert_rows(
        tx,
        force,
        "incident_queue",
        &[
            "force_id",
            "incident_id",
            "grade",
            "urgency",
            "risk",
            "vulnerability",
            "factors",
            "received_at",
            "queued_at",
            "wait_allowed",
            "area_id",
        ],
        v,
    )
    .await
}

/// Stores duties with their ids, as `duty::insert` writes them and `duty::discharge`
/// leaves them (`met_at` set once met).
///
/// # Errors
/// The database failed.
pub async fn duties(tx: &mut Tx, force: ForceId, rows: &[(Uuid, Duty)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 10);
    for (id, d) in rows {
        v.extend([
            Value::Uuid(*id),
            Value::Str(d.kind.as_str()),
            Value::Str(d.rule.as_str()),
            Value::Owned(d.owed_by.to_string()),
            Value::OptUuid(d.owed_to.map(|p| p.uuid())),
            Value::Uuid(d.subject.uuid()),
            Value::Time(d.raised_at),
            Value::Time(d.due),
            Value::OptTime(d.met_at),
            Value::OptStr(d.development.map(|w| w.as_str())),
        ]);
    }
    insert_rows(
        tx,
        force,
        "duty",
        &[
            "force_id",
            "id",
            "kind",
            "rule",
            "owed_by",
            "owed_to",
            "subject_id",
            "raised_at",
            "due",
            "met_at",
            "development",
        ],
        v,
    )
    .await
}

/// Stores investigations' steps, as `investigation::insert_step` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a step id is used twice.
pub async fn investigation_steps(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(RecordId, StepRow)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 9);
    for (crime, s) in rows {
        v.extend([
            Value::Uuid(s.id),
            Value::Uuid(crime.uuid()),
            Value::Str(s.step.as_str()),
            Value::Str(s.state_after.as_str()),
            Value::Time(s.at),
            Value::Uuid(s.user.uuid()),
            Value::OptUuid(s.team.map(|t| t.uuid())),
            Value::OptUuid(s.investigator.map(|u| u.uuid())),
            Value::OptStr(s.note.as_deref()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "investigation_step",
        &[
            "force_id",
            "id",
            "crime_id",
            "step",
            "state_after",
            "at",
            "user_id",
            "team_id",
            "investigator_id",
            "note",
        ],
        v,
    )
    .await
}

/// Stores plan items, as `investigation::insert_plan_items` writes them and
/// `investigation::complete_plan_item` leaves them (done, with the result, once done).
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an item id is used twice.
pub async fn plan_items(tx: &mut Tx, force: ForceId, rows: &[(RecordId, PlanItem)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 13);
    for (crime, p) in rows {
        v.extend([
            Value::Uuid(p.id),
            Value::Uuid(crime.uuid()),
            Value::Str(p.kind.as_str()),
            Value::Str(&p.text),
            Value::Str(p.source.as_str()),
            Value::OptUuid(p.source_id),
            Value::OptUuid(p.assigned_to.map(|u| u.uuid())),
            Value::OptDate(p.due_on),
            Value::Time(p.created_at),
            Value::Uuid(p.created_by.uuid()),
            Value::OptTime(p.done_at),
            Value::OptUuid(p.done_by.map(|u| u.uuid())),
            Value::OptStr(p.result.as_deref()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "plan_item",
        &[
            "force_id",
            "id",
            "crime_id",
            "kind",
            "text",
            "source",
            "source_id",
            "assigned_to",
            "due_on",
            "created_at",
            "created_by",
            "done_at",
            "done_by",
            "result",
        ],
        v,
    )
    .await
}

/// Stores supervision reviews, as `investigation::insert_review` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a review id is used twice.
pub async fn supervision_reviews(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(RecordId, Review)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    for (crime, r) in rows {
        v.extend([
            Value::Uuid(r.id),
            Value::Uuid(crime.uuid()),
            Value::Time(r.at),
            Value::Uuid(r.supervisor.uuid()),
            Value::Str(r.risk.as_str()),
            Value::Str(&r.note),
        ]);
    }
    insert_rows(
        tx,
        force,
        "supervision_review",
        &[
            "force_id",
            "id",
            "crime_id",
            "at",
            "supervisor_id",
            "risk",
            "note",
        ],
        v,
    )
    .await
}

/// Stores handovers with their checklists, as `investigation::insert_handover` writes them
/// and `investigation::decide_handover` leaves them (the receiving team's decision, once
/// made).
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a handover id is used twice.
pub async fn handovers(tx: &mut Tx, force: ForceId, rows: &[(RecordId, Handover)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 11);
    let mut items = Vec::new();
    for (crime, h) in rows {
        let d = h.decision.as_ref();
        v.extend([
            Value::Uuid(h.id),
            Value::Uuid(crime.uuid()),
            Value::OptUuid(h.from_team.map(|t| t.uuid())),
            Value::Uuid(h.to_team.uuid()),
            Value::Time(h.at),
            Value::Uuid(h.by.uuid()),
            Value::OptStr(h.note.as_deref()),
            Value::OptStr(d.map(|d| d.decision.as_str())),
            Value::OptTime(d.map(|d| d.at)),
            Value::OptUuid(d.map(|d| d.by.uuid())),
            Value::OptStr(d.and_then(|d| d.reasons.as_deref())),
        ]);
        for a in &h.checklist {
            items.extend([
                Value::Uuid(h.id),
                Value::Str(a.item.as_str()),
                Value::Str(a.state.as_str()),
                Value::OptStr(a.note.as_deref()),
            ]);
        }
    }
    insert_rows(
        tx,
        force,
        "handover",
        &[
            "force_id",
            "id",
            "crime_id",
            "from_team_id",
            "to_team_id",
            "at",
            "by_user",
            "note",
            "decision",
            "decided_at",
            "decided_by",
            "reasons",
        ],
        v,
    )
    .await?;
    insert_rows(
        tx,
        force,
        "handover_item",
        &["force_id", "handover_id", "item", "state", "note"],
        items,
    )
    .await
}

/// Stores developments, as `investigation::insert_development` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a development id is used twice.
pub async fn crime_developments(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(RecordId, Development)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    for (crime, d) in rows {
        v.extend([
            Value::Uuid(d.id),
            Value::Uuid(crime.uuid()),
            Value::Str(d.what.as_str()),
            Value::Time(d.at),
            Value::Uuid(d.by.uuid()),
            Value::OptStr(d.note.as_deref()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "crime_development",
        &[
            "force_id", "id", "crime_id", "what", "at", "by_user", "note",
        ],
        v,
    )
    .await
}

/// Stores outcomes, as `investigation::insert_outcome` writes them and
/// `investigation::decide_outcome` leaves them (approved or rejected, once decided).
///
/// # Errors
/// [`crate::StoreError::Conflict`] when an outcome id is used twice.
pub async fn crime_outcomes(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(RecordId, OutcomeRow)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 13);
    for (crime, o) in rows {
        v.extend([
            Value::Uuid(o.id),
            Value::Uuid(crime.uuid()),
            Value::OptBigInt(Some(i64::from(o.outcome.number()))),
            Value::Time(o.at),
            Value::OptDate(o.charge_date),
            Value::OptUuid(o.suspect.map(|s| s.uuid())),
            Value::OptStr(o.victim_position.map(|p| p.as_str())),
            Value::Str(&o.rationale),
            Value::Uuid(o.recorded_by.uuid()),
            Value::Str(o.status.as_str()),
            Value::OptTime(o.decided_at),
            Value::OptUuid(o.decided_by.map(|u| u.uuid())),
            Value::OptStr(o.decision_reason.as_deref()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "crime_outcome",
        &[
            "force_id",
            "id",
            "crime_id",
            "outcome",
            "at",
            "charge_date",
            "suspect_id",
            "victim_position",
            "rationale",
            "recorded_by",
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
        ],
        v,
    )
    .await
}

/// Stores victims with their needs assessments, as `victim::insert` writes them and
/// `victim::set_referral` and `victim::set_vps` leave them.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a person is a victim of one crime twice.
pub async fn crime_victims(tx: &mut Tx, force: ForceId, rows: &[Victim]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 13);
    for r in rows {
        let reasons: Vec<&str> = r.reasons.iter().map(|x| x.as_str()).collect();
        v.extend([
            Value::Uuid(r.id),
            Value::Uuid(r.crime.uuid()),
            Value::Uuid(r.person.uuid()),
            Value::Time(r.recorded_at),
            Value::Str(r.entitlement.as_str()),
            Value::Owned(reasons.join(",")),
            Value::OptStr(r.needs.as_deref()),
            Value::Str(r.referral.as_str()),
            Value::OptTime(r.referral_at),
            Value::Str(r.contact_method.as_str()),
            Value::OptBigInt(Some(i64::from(r.update_every_days))),
            Value::OptStr(r.vps.map(|p| p.as_str())),
            Value::Uuid(r.assessed_by.uuid()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "crime_victim",
        &[
            "force_id",
            "id",
            "crime_id",
            "person_id",
            "recorded_at",
            "entitlement",
            "reasons",
            "needs",
            "referral",
            "referral_at",
            "contact_method",
            "update_every_days",
            "vps",
            "assessed_by",
        ],
        v,
    )
    .await
}

/// Stores contacts with victims (each with its victim's id), as `victim::insert_contact`
/// does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a contact id is used twice.
pub async fn victim_contacts(
    tx: &mut Tx,
    force: ForceId,
    rows: &[(Uuid, LoggedContact)],
) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 8);
    for (victim, c) in rows {
        let k = &c.contact;
        v.extend([
            Value::Uuid(c.id),
            Value::Uuid(*victim),
            Value::Time(k.at),
            Value::Str(k.method.as_str()),
            Value::Str(&k.summary),
            Value::Uuid(c.by.uuid()),
            Value::OptStr(k.referral.map(|r| r.as_str())),
            Value::OptStr(k.vps.map(|p| p.as_str())),
        ]);
    }
    insert_rows(
        tx,
        force,
        "victim_contact",
        &[
            "force_id",
            "id",
            "victim_id",
            "at",
            "method",
            "summary",
            "by_user",
            "referral",
            "vps",
        ],
        v,
    )
    .await
}

/// A victim's survey response to store.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub id: Uuid,
    pub victim: Uuid,
    pub survey: Survey,
    pub recorded_by: UserId,
}

/// Stores survey responses, as `victim::insert_survey` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a response id is used twice.
pub async fn victim_surveys(tx: &mut Tx, force: ForceId, rows: &[NewSurvey]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 7);
    for r in rows {
        let s = &r.survey;
        v.extend([
            Value::Uuid(r.id),
            Value::Uuid(r.victim),
            Value::Time(s.at),
            Value::Str(s.overall.as_str()),
            Value::Str(s.kept_informed.as_str()),
            Value::Str(s.treatment.as_str()),
            Value::Uuid(r.recorded_by.uuid()),
        ]);
    }
    insert_rows(
        tx,
        force,
        "victim_survey",
        &[
            "force_id",
            "id",
            "victim_id",
            "at",
            "overall",
            "kept_informed",
            "treatment",
            "recorded_by",
        ],
        v,
    )
    .await
}

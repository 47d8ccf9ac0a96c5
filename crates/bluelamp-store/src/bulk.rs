//! Bulk loading: many records at once in one large transaction, with multi-row `INSERT`s,
//! for the synthetic force generator (and, later, imports).
//!
//! The rows written are exactly those the per-record functions write (`record`, `person`
//! with its aliases, markers and search keys, `location`, `link`, `incident`, `crime`,
//! areas, teams and users), so that bulk-loaded records cannot be told apart from ones
//! created through the application. Each statement carries as many rows as the backend's
//! bind-parameter limit allows (SQLite: 32,766), the force id bound once as `$1`.
//!
//! On SQLite, [`begin`] sets the connection up for the load: foreign-key checks off (the
//! loader writes parents before children and the tests check the result with
//! `PRAGMA foreign_key_check`), the rollback journal instead of the write-ahead log (a
//! transaction that only adds pages to the file journals almost nothing, where the WAL would
//! copy every page twice), and a larger page cache. `synchronous` stays `FULL`, so the commit
//! is durable; [`finish`] commits and restores the WAL, foreign keys and the cache.

use std::sync::Arc;

use bluelamp_domain::access::Role;
use bluelamp_domain::area::AreaKind;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::ids::{AreaId, ForceId, LinkId, RecordId, TeamId, UserId};
use bluelamp_domain::incident::Incident;
use bluelamp_domain::location::Location;
use bluelamp_domain::person::Person;
use bluelamp_domain::record::{LinkRole, RecordKind};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

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
    Owned(String),
    OptStr(Option<&'a str>),
    OptOwned(Option<String>),
    Int(i32),
    Bool(bool),
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
                    Value::Owned(x) => q.bind(x),
                    Value::OptStr(x) => q.bind(x),
                    Value::OptOwned(x) => q.bind(x),
                    Value::Int(x) => q.bind(x),
                    Value::Bool(x) => q.bind(x),
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

/// Stores incidents, as `incident::insert` does.
///
/// # Errors
/// The database failed.
pub async fn incidents(tx: &mut Tx, force: ForceId, rows: &[(RecordId, Incident)]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 8);
    for (id, i) in rows {
        v.extend([
            Value::Uuid(id.uuid()),
            Value::Str(&i.reference),
            Value::Str(i.channel.as_str()),
            Value::Time(i.received_at),
            Value::OptTime(i.occurred_at),
            Value::Str(i.category.as_str()),
            Value::OptUuid(i.location_id.map(|l| l.uuid())),
            Value::Str(&i.summary),
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

/// An area to store with its LSOAs, as `area::insert` does.
#[derive(Debug, Clone)]
pub struct NewArea {
    pub id: AreaId,
    pub kind: AreaKind,
    pub code: String,
    pub name: String,
    pub parent: Option<AreaId>,
    pub lsoa_codes: Vec<String>,
    pub setting: bluelamp_domain::thrive::Setting,
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
}

/// Stores users with their roles, teams and areas, as `user::insert` does.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a username is used twice.
pub async fn users(tx: &mut Tx, force: ForceId, rows: &[NewUser]) -> Result<()> {
    let mut v = Vec::with_capacity(rows.len() * 6);
    let (mut roles, mut members, mut areas) = (Vec::new(), Vec::new(), Vec::new());
    for u in rows {
        v.extend([
            Value::Uuid(u.id.uuid()),
            Value::Str(&u.username),
            Value::Str(&u.display_name),
            Value::OptStr(u.password_hash.as_deref()),
            Value::OptStr(u.agency.as_deref()),
            Value::Time(u.created_at),
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

//! Users, their roles, teams and areas; API tokens; failed sign-ins for throttling.

use bluelamp_domain::access::Role;
use bluelamp_domain::ids::{AreaId, ForceId, TeamId, UserId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Conn, Result, Tx, decode, exec, on};

/// A user account with everything access decisions need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// `None` when the account cannot sign in.
    pub password_hash: Option<String>,
    pub agency: Option<String>,
    pub roles: Vec<Role>,
    pub teams: Vec<(TeamId, String)>,
    pub areas: Vec<AreaId>,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub id: UserId,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub agency: Option<&'a str>,
    pub roles: &'a [Role],
    pub teams: &'a [TeamId],
    pub areas: &'a [AreaId],
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    username: String,
    display_name: String,
    password_hash: Option<String>,
    agency: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: Uuid,
    name: String,
}

/// Inserts a user with their roles, teams and areas.
///
/// # Errors
/// [`StoreError::Conflict`] when the username is taken.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    u: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let f = force.uuid();
    exec!(tx, c => sqlx::query(
        "INSERT INTO app_user (force_id, id, username, display_name, password_hash, agency, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(f).bind(u.id.uuid()).bind(u.username).bind(u.display_name)
        .bind(u.password_hash).bind(u.agency).bind(now)
        .execute(c).await)?;
    for role in u.roles {
        exec!(tx, c => sqlx::query("INSERT INTO user_role (force_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(f).bind(u.id.uuid()).bind(role.as_str()).execute(c).await)?;
    }
    for team in u.teams {
        exec!(tx, c => sqlx::query("INSERT INTO team_member (force_id, team_id, user_id) VALUES ($1, $2, $3)")
            .bind(f).bind(team.uuid()).bind(u.id.uuid()).execute(c).await)?;
    }
    for area in u.areas {
        exec!(tx, c => sqlx::query("INSERT INTO user_area (force_id, user_id, area_id) VALUES ($1, $2, $3)")
            .bind(f).bind(u.id.uuid()).bind(area.uuid()).execute(c).await)?;
    }
    Ok(())
}

/// The team of this name, created if it does not exist yet.
///
/// # Errors
/// The database failed.
pub async fn team_named(tx: &mut Tx, force: ForceId, name: &str) -> Result<TeamId> {
    let found: Option<Uuid> = on!(tx, c => sqlx::query_scalar("SELECT id FROM team WHERE force_id = $1 AND name = $2")
        .bind(force.uuid()).bind(name).fetch_optional(c).await)?;
    if let Some(id) = found {
        return Ok(TeamId::from_uuid(id));
    }
    let id = Uuid::now_v7();
    exec!(tx, c => sqlx::query("INSERT INTO team (force_id, id, name) VALUES ($1, $2, $3)")
        .bind(force.uuid()).bind(id).bind(name).execute(c).await)?;
    Ok(TeamId::from_uuid(id))
}

/// Finds the team of this name.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn find_team(tx: &mut Tx, force: ForceId, name: &str) -> Result<TeamId> {
    let id: Uuid = on!(tx, c => sqlx::query_scalar("SELECT id FROM team WHERE force_id = $1 AND name = $2")
        .bind(force.uuid()).bind(name).fetch_one(c).await)?;
    Ok(TeamId::from_uuid(id))
}

async fn complete(tx: &mut Tx, force: ForceId, row: UserRow) -> Result<User> {
    let f = force.uuid();
    let roles: Vec<String> = on!(tx, c => sqlx::query_scalar(
        "SELECT role FROM user_role WHERE force_id = $1 AND user_id = $2 ORDER BY role")
        .bind(f).bind(row.id).fetch_all(c).await)?;
    let teams: Vec<TeamRow> = on!(tx, c => sqlx::query_as(
        "SELECT t.id, t.name FROM team_member m JOIN team t ON t.force_id = m.force_id AND t.id = m.team_id
         WHERE m.force_id = $1 AND m.user_id = $2 ORDER BY t.name")
        .bind(f).bind(row.id).fetch_all(c).await)?;
    let areas: Vec<Uuid> = on!(tx, c => sqlx::query_scalar(
        "SELECT area_id FROM user_area WHERE force_id = $1 AND user_id = $2")
        .bind(f).bind(row.id).fetch_all(c).await)?;
    Ok(User {
        id: UserId::from_uuid(row.id),
        username: row.username,
        display_name: row.display_name,
        password_hash: row.password_hash,
        agency: row.agency,
        roles: roles
            .iter()
            .map(|r| decode("role", r))
            .collect::<Result<_>>()?,
        teams: teams
            .into_iter()
            .map(|t| (TeamId::from_uuid(t.id), t.name))
            .collect(),
        areas: areas.into_iter().map(AreaId::from_uuid).collect(),
    })
}

/// Finds a user by username.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn by_username(tx: &mut Tx, force: ForceId, username: &str) -> Result<User> {
    let row: UserRow = on!(tx, c => sqlx::query_as(
        "SELECT id, username, display_name, password_hash, agency FROM app_user WHERE force_id = $1 AND username = $2")
        .bind(force.uuid()).bind(username).fetch_one(c).await)?;
    complete(tx, force, row).await
}

/// Finds a user by id.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none.
pub async fn by_id(tx: &mut Tx, force: ForceId, id: UserId) -> Result<User> {
    let row: UserRow = on!(tx, c => sqlx::query_as(
        "SELECT id, username, display_name, password_hash, agency FROM app_user WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).fetch_one(c).await)?;
    complete(tx, force, row).await
}

/// Every user, by username, a page at a time.
///
/// # Errors
/// The database failed.
pub async fn list(tx: &mut Tx, force: ForceId, limit: i64, offset: i64) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, username, display_name, password_hash, agency FROM app_user WHERE force_id = $1
         ORDER BY username LIMIT $2 OFFSET $3")
        .bind(force.uuid()).bind(limit).bind(offset).fetch_all(c).await)?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        users.push(complete(tx, force, row).await?);
    }
    Ok(users)
}

/// Stores a new API token's hash.
///
/// # Errors
/// The database failed.
pub async fn insert_token(
    tx: &mut Tx,
    force: ForceId,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO api_token (force_id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(force.uuid()).bind(token_hash).bind(user.uuid()).bind(now).bind(expires_at)
        .execute(c).await)?;
    Ok(())
}

/// The user holding an unexpired token with this hash.
///
/// # Errors
/// [`StoreError::NotFound`] when the token is unknown or expired.
pub async fn by_token(
    tx: &mut Tx,
    force: ForceId,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    let id: Uuid = on!(tx, c => sqlx::query_scalar(
        "SELECT user_id FROM api_token WHERE force_id = $1 AND token_hash = $2 AND expires_at > $3")
        .bind(force.uuid()).bind(token_hash).bind(now).fetch_one(c).await)?;
    by_id(tx, force, UserId::from_uuid(id)).await
}

/// Records a failed sign-in.
///
/// # Errors
/// The database failed.
pub async fn record_sign_in_failure(
    tx: &mut Tx,
    force: ForceId,
    username: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("INSERT INTO sign_in_failure (force_id, username, at) VALUES ($1, $2, $3)")
        .bind(force.uuid()).bind(username).bind(now).execute(c).await)?;
    Ok(())
}

/// How many sign-ins failed for this username since `since`, counted one attempt at a time:
/// attempts for the same username wait for each other until the counting transaction
/// ends (PostgreSQL: a transaction-scoped advisory lock on force and username; SQLite's
/// write lock, taken at `BEGIN IMMEDIATE`, already does it), so concurrent attempts cannot
/// both see the count below the limit.
///
/// # Errors
/// The database failed.
pub async fn sign_in_failures_since(
    tx: &mut Tx,
    force: ForceId,
    username: &str,
    since: DateTime<Utc>,
) -> Result<i64> {
    if let Conn::Pg(t) = &mut tx.conn {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(format!("sign-in:{}:{username}", force.uuid()))
            .execute(&mut **t)
            .await?;
    }
    let n: i64 = on!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_failure WHERE force_id = $1 AND username = $2 AND at > $3")
        .bind(force.uuid()).bind(username).bind(since).fetch_one(c).await)?;
    Ok(n)
}

/// Forgets failed sign-ins after a successful one.
///
/// # Errors
/// The database failed.
pub async fn clear_sign_in_failures(tx: &mut Tx, force: ForceId, username: &str) -> Result<()> {
    exec!(tx, c => sqlx::query("DELETE FROM sign_in_failure WHERE force_id = $1 AND username = $2")
        .bind(force.uuid()).bind(username).execute(c).await)?;
    Ok(())
}

/// A user's PIP accreditation, if any.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such user.
pub async fn pip_level(
    tx: &mut Tx,
    force: ForceId,
    user: UserId,
) -> Result<Option<bluelamp_domain::investigation::PipLevel>> {
    let level: Option<i64> = on!(tx, c => sqlx::query_scalar(
        "SELECT pip_level FROM app_user WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(user.uuid()).fetch_one(c).await)?;
    Ok(level
        .and_then(|l| u8::try_from(l).ok())
        .and_then(bluelamp_domain::investigation::PipLevel::new))
}

/// Sets a user's PIP accreditation (`None`: none).
///
/// # Errors
/// The database failed.
pub async fn set_pip_level(
    tx: &mut Tx,
    force: ForceId,
    user: UserId,
    level: Option<bluelamp_domain::investigation::PipLevel>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE app_user SET pip_level = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(user.uuid()).bind(level.map(|l| i64::from(l.number())))
        .execute(c).await)?;
    Ok(())
}

/// A team's name.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such team.
pub async fn team_name(tx: &mut Tx, force: ForceId, team: TeamId) -> Result<String> {
    on!(tx, c => sqlx::query_scalar("SELECT name FROM team WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(team.uuid()).fetch_one(c).await)
    .map_err(Into::into)
}

/// Every team, by name.
///
/// # Errors
/// The database failed.
pub async fn teams(tx: &mut Tx, force: ForceId) -> Result<Vec<(TeamId, String)>> {
    let rows: Vec<TeamRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, name FROM team WHERE force_id = $1 ORDER BY name")
        .bind(force.uuid()).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|t| (TeamId::from_uuid(t.id), t.name))
        .collect())
}

/// The display names of these users (those that exist).
///
/// # Errors
/// The database failed.
pub async fn display_names(
    tx: &mut Tx,
    force: ForceId,
    ids: &[UserId],
) -> Result<Vec<(UserId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ps: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT id, display_name FROM app_user WHERE force_id = $1 AND id IN ({})",
        ps.join(", ")
    );
    let rows: Vec<(Uuid, String)> = on!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(force.uuid());
        for id in ids { q = q.bind(id.uuid()); }
        q.fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId::from_uuid(id), name))
        .collect())
}

/// Users who can be given investigations (investigators, neighbourhood officers and
/// supervisors), with their teams and PIP accreditation, by name.
///
/// # Errors
/// The database failed.
pub async fn investigators(
    tx: &mut Tx,
    force: ForceId,
) -> Result<Vec<(UserId, String, String, Option<i64>)>> {
    let rows: Vec<(Uuid, String, Option<String>, Option<i64>)> = on!(tx, c => sqlx::query_as(
        "SELECT u.id, u.display_name,
                (SELECT MIN(t.name) FROM team_member m JOIN team t
                   ON t.force_id = m.force_id AND t.id = m.team_id
                 WHERE m.force_id = u.force_id AND m.user_id = u.id) AS team,
                u.pip_level
         FROM app_user u
         WHERE u.force_id = $1 AND EXISTS (SELECT 1 FROM user_role r
             WHERE r.force_id = u.force_id AND r.user_id = u.id
               AND r.role IN ('investigator', 'neighbourhood', 'supervisor'))
         ORDER BY u.display_name, u.id")
        .bind(force.uuid()).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, team, pip)| (UserId::from_uuid(id), name, team.unwrap_or_default(), pip))
        .collect())
}

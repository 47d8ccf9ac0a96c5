//! The record registry: every POLE record's kind, need-to-know controls, partner shares,
//! archiving and erasure; and the visibility filter every list and search applies.

use bluelamp_domain::access::{Audience, RecordAccess};
use bluelamp_domain::ids::{ForceId, RecordId, TeamId, UserId};
use bluelamp_domain::record::RecordKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Backend, Result, Tx, decode, exec, on};

/// What every record has, whatever its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHead {
    pub id: RecordId,
    pub kind: RecordKind,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
    pub access: RecordAccess,
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    kind: String,
    restricted: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
    erased_at: Option<DateTime<Utc>>,
}

/// Registers a new record.
///
/// # Errors
/// The database failed.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    kind: RecordKind,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO record (force_id, id, kind, restricted, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $5)")
        .bind(force.uuid()).bind(id.uuid()).bind(kind.as_str()).bind(false).bind(now)
        .bind(by.map(|u| u.uuid()))
        .execute(c).await)?;
    Ok(())
}

/// Marks a record as changed now.
///
/// # Errors
/// The database failed.
pub async fn touch(tx: &mut Tx, force: ForceId, id: RecordId, now: DateTime<Utc>) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE record SET updated_at = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).bind(now).execute(c).await)?;
    Ok(())
}

/// Loads a record's head and its access controls.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such record.
pub async fn head(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<RecordHead> {
    let (f, r) = (force.uuid(), id.uuid());
    let row: HeadRow = on!(tx, c => sqlx::query_as(
        "SELECT kind, restricted, created_at, updated_at, archived_at, erased_at FROM record
         WHERE force_id = $1 AND id = $2")
        .bind(f).bind(r).fetch_one(c).await)?;
    let users: Vec<Uuid> = on!(tx, c => sqlx::query_scalar(
        "SELECT user_id FROM record_restriction_user WHERE force_id = $1 AND record_id = $2")
        .bind(f).bind(r).fetch_all(c).await)?;
    let teams: Vec<Uuid> = on!(tx, c => sqlx::query_scalar(
        "SELECT team_id FROM record_restriction_team WHERE force_id = $1 AND record_id = $2")
        .bind(f).bind(r).fetch_all(c).await)?;
    let shared_with: Vec<String> = on!(tx, c => sqlx::query_scalar(
        "SELECT agency FROM record_share WHERE force_id = $1 AND record_id = $2 ORDER BY agency")
        .bind(f).bind(r).fetch_all(c).await)?;
    Ok(RecordHead {
        id,
        kind: decode("record kind", &row.kind)?,
        created_at: row.created_at,
        updated_at: row.updated_at,
        archived_at: row.archived_at,
        erased_at: row.erased_at,
        access: RecordAccess {
            restricted: row.restricted,
            users: users.into_iter().map(UserId::from_uuid).collect(),
            teams: teams.into_iter().map(TeamId::from_uuid).collect(),
            shared_with,
        },
    })
}

/// Replaces a record's restriction: restricted to these users and teams, or (both empty)
/// open again.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when a user or team does not exist.
pub async fn set_restriction(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    users: &[UserId],
    teams: &[TeamId],
) -> Result<()> {
    let (f, r) = (force.uuid(), id.uuid());
    let restricted = !(users.is_empty() && teams.is_empty());
    exec!(tx, c => sqlx::query("UPDATE record SET restricted = $3 WHERE force_id = $1 AND id = $2")
        .bind(f).bind(r).bind(restricted).execute(c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM record_restriction_user WHERE force_id = $1 AND record_id = $2")
        .bind(f).bind(r).execute(c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM record_restriction_team WHERE force_id = $1 AND record_id = $2")
        .bind(f).bind(r).execute(c).await)?;
    for u in users {
        exec!(tx, c => sqlx::query(
            "INSERT INTO record_restriction_user (force_id, record_id, user_id) VALUES ($1, $2, $3)")
            .bind(f).bind(r).bind(u.uuid()).execute(c).await)?;
    }
    for t in teams {
        exec!(tx, c => sqlx::query(
            "INSERT INTO record_restriction_team (force_id, record_id, team_id) VALUES ($1, $2, $3)")
            .bind(f).bind(r).bind(t.uuid()).execute(c).await)?;
    }
    Ok(())
}

/// Shares a record with a partner agency.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when it is already shared with that agency.
pub async fn share(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    agency: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO record_share (force_id, record_id, agency, shared_at, shared_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(force.uuid()).bind(id.uuid()).bind(agency).bind(now).bind(by.uuid())
        .execute(c).await)?;
    Ok(())
}

/// Marks a record archived: kept, but out of searches and lists.
///
/// # Errors
/// The database failed.
pub async fn archive(tx: &mut Tx, force: ForceId, id: RecordId, now: DateTime<Utc>) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE record SET archived_at = $3, updated_at = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).bind(now).execute(c).await)?;
    Ok(())
}

/// Marks a record erased, and clears the details of its audit entries (their hashes stay,
/// so the chain still verifies).
///
/// # Errors
/// The database failed.
pub async fn mark_erased(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE record SET erased_at = $3, updated_at = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).bind(now).execute(c).await)?;
    exec!(tx, c => sqlx::query("UPDATE audit_event SET details = NULL WHERE force_id = $1 AND record_id = $2")
        .bind(force.uuid()).bind(id.uuid()).execute(c).await)?;
    Ok(())
}

/// The SQL condition that keeps only records `alias` the audience may see, in use (not
/// archived or erased). It reads its values from parameters `$n`, `$n+1` and `$n+2`;
/// bind them with [`bind_audience`] in that order.
///
/// This is the need-to-know rule of `bluelamp_domain::access::RecordAccess::visibility`,
/// written as SQL so that lists and searches never load what they may not show.
pub fn visible(alias: &str, n: usize) -> String {
    let (p_partner, p_user, p_agency) = (n, n + 1, n + 2);
    format!(
        "({a}.archived_at IS NULL AND {a}.erased_at IS NULL AND (
            ({a}.restricted = FALSE AND ${p_partner} = FALSE)
            OR ({a}.restricted = TRUE AND ${p_partner} = FALSE AND (
                EXISTS (SELECT 1 FROM record_restriction_user ru
                        WHERE ru.force_id = {a}.force_id AND ru.record_id = {a}.id AND ru.user_id = ${p_user})
                OR EXISTS (SELECT 1 FROM record_restriction_team rt
                           JOIN team_member tm ON tm.force_id = rt.force_id AND tm.team_id = rt.team_id
                           WHERE rt.force_id = {a}.force_id AND rt.record_id = {a}.id AND tm.user_id = ${p_user})))
            OR ({a}.restricted = FALSE AND ${p_partner} = TRUE AND EXISTS (
                SELECT 1 FROM record_share rs
                WHERE rs.force_id = {a}.force_id AND rs.record_id = {a}.id AND rs.agency = ${p_agency}))))",
        a = alias
    )
}

/// The condition a record `alias` meets when it may be hidden from someone: restricted,
/// archived or erased. The partial index `record_hidden` holds these records (few in any
/// force), under this very condition, which SQLite needs repeated to use it.
fn hidden(alias: &str) -> String {
    format!(
        "({a}.restricted = TRUE OR {a}.archived_at IS NOT NULL OR {a}.erased_at IS NOT NULL)",
        a = alias
    )
}

/// [`visible`] for a list of many rows: the SQL condition that keeps only rows whose record
/// id (the SQL expression `id`) names a record the audience may see, without reading each
/// row's record. Only the few records that may be hidden from someone ([`hidden`], the
/// partial index `record_hidden`) are read, and for a partner agency, which sees only what
/// was shared with it, the records shared with the agency. The force is read from parameter
/// `$force`, the audience from `$n`, `$n+1` and `$n+2` as for [`visible`].
///
/// It keeps exactly the rows [`visible`] keeps: a record that is neither restricted,
/// archived nor erased is visible to everyone but a partner agency it was not shared with.
/// The statement differs by backend, each in the form its planner runs best. SQLite
/// gathers once the records hidden from this audience (or shared with its agency) and
/// tests each row against them, through a Bloom filter; PostgreSQL joins each row against
/// the hidden records (an anti-join) and so never builds a set too large for its memory.
pub fn visible_ids(backend: Backend, id: &str, force: usize, n: usize) -> String {
    let (p_partner, p_agency) = (n, n + 2);
    let (shown, hidden) = (visible("r", n), hidden("r"));
    match backend {
        Backend::Sqlite => format!(
            "(CASE WHEN ${p_partner} = TRUE
               THEN {id} IN (SELECT rs.record_id FROM record_share rs
                             JOIN record r ON r.force_id = rs.force_id AND r.id = rs.record_id
                             WHERE rs.force_id = ${force} AND rs.agency = ${p_agency} AND {shown})
               ELSE {id} NOT IN (SELECT r.id FROM record r
                                 WHERE r.force_id = ${force} AND {hidden} AND NOT {shown}) END)"
        ),
        Backend::Postgres => format!(
            "(NOT EXISTS (SELECT 1 FROM record r
                          WHERE r.force_id = ${force} AND r.id = {id} AND {hidden} AND NOT {shown})
              AND (${p_partner} = FALSE OR EXISTS (
                  SELECT 1 FROM record_share rs
                  WHERE rs.force_id = ${force} AND rs.record_id = {id} AND rs.agency = ${p_agency})))"
        ),
    }
}

/// The three values [`visible`] reads, in order.
pub fn audience_binds(a: &Audience) -> (bool, Uuid, String) {
    (
        a.partner_agency.is_some(),
        a.user_id.uuid(),
        a.partner_agency.clone().unwrap_or_default(),
    )
}

/// The records a user created most recently that the audience may see, newest first.
///
/// # Errors
/// The database failed.
pub async fn recent_created_by(
    tx: &mut Tx,
    force: ForceId,
    user: UserId,
    audience: &Audience,
    limit: i64,
) -> Result<Vec<(RecordId, RecordKind)>> {
    let (partner, viewer, agency) = audience_binds(audience);
    let sql = format!(
        "SELECT r.id, r.kind FROM record r WHERE r.force_id = $1 AND r.created_by = $5 AND {}
         ORDER BY r.created_at DESC, r.id LIMIT $6",
        visible("r", 2)
    );
    let rows: Vec<(Uuid, String)> = on!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(viewer).bind(agency).bind(user.uuid()).bind(limit)
        .fetch_all(c).await)?;
    rows.into_iter()
        .map(|(id, kind)| Ok((RecordId::from_uuid(id), decode("record kind", &kind)?)))
        .collect()
}

/// How many records of each kind the force holds, restricted ones included (an aggregate
/// reveals none of them). Erased records are not counted.
///
/// # Errors
/// The database failed.
pub async fn count_by_kind(tx: &mut Tx, force: ForceId) -> Result<Vec<(RecordKind, i64)>> {
    let rows: Vec<(String, i64)> = on!(tx, c => sqlx::query_as(
        "SELECT kind, COUNT(*) FROM record WHERE force_id = $1 AND erased_at IS NULL GROUP BY kind ORDER BY kind")
        .bind(force.uuid()).fetch_all(c).await)?;
    rows.into_iter()
        .map(|(kind, n)| Ok((decode("record kind", &kind)?, n)))
        .collect()
}

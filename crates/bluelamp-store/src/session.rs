//! Sign-in sessions for the pages, stored server-side by the hash of their cookie token.

use bluelamp_domain::ids::{ForceId, RecordId, UserId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::user::{self, User};
use crate::{Result, Tx, exec, on};

/// A live session: who it belongs to, its CSRF token, and when it was last used.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// Stores a new session.
///
/// # Errors
/// The database failed.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    id_hash: &str,
    user: UserId,
    csrf_token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO web_session (force_id, id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)")
        .bind(force.uuid()).bind(id_hash).bind(user.uuid()).bind(csrf_token).bind(now)
        .execute(c).await)?;
    Ok(())
}

/// The session with this hash.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is none.
pub async fn by_hash(tx: &mut Tx, force: ForceId, id_hash: &str) -> Result<Session> {
    let (user_id, csrf_token, created_at, last_seen_at): (
        Uuid,
        String,
        DateTime<Utc>,
        DateTime<Utc>,
    ) = on!(tx, c => sqlx::query_as(
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM web_session WHERE force_id = $1 AND id_hash = $2")
            .bind(force.uuid()).bind(id_hash).fetch_one(c).await)?;
    let user = user::by_id(tx, force, UserId::from_uuid(user_id)).await?;
    Ok(Session {
        user,
        csrf_token,
        created_at,
        last_seen_at,
    })
}

/// Marks a session as used now.
///
/// # Errors
/// The database failed.
pub async fn touch(tx: &mut Tx, force: ForceId, id_hash: &str, now: DateTime<Utc>) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE web_session SET last_seen_at = $3 WHERE force_id = $1 AND id_hash = $2")
        .bind(force.uuid()).bind(id_hash).bind(now).execute(c).await)?;
    Ok(())
}

/// Ends a session.
///
/// # Errors
/// The database failed.
pub async fn delete(tx: &mut Tx, force: ForceId, id_hash: &str) -> Result<()> {
    exec!(tx, c => sqlx::query("DELETE FROM web_session WHERE force_id = $1 AND id_hash = $2")
        .bind(force.uuid()).bind(id_hash).execute(c).await)?;
    Ok(())
}

/// Removes sessions idle since before `idle_before` or begun before `begun_before`.
///
/// # Errors
/// The database failed.
pub async fn expire(
    tx: &mut Tx,
    force: ForceId,
    idle_before: DateTime<Utc>,
    begun_before: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("DELETE FROM web_session WHERE force_id = $1 AND (last_seen_at < $2 OR created_at < $3)")
        .bind(force.uuid()).bind(idle_before).bind(begun_before).execute(c).await)?;
    Ok(())
}

/// Keeps the reason a session stated for opening a record.
///
/// # Errors
/// The database failed.
pub async fn state_reason(
    tx: &mut Tx,
    force: ForceId,
    id_hash: &str,
    record: RecordId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO web_session_reason (force_id, id_hash, record_id, reason, stated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (force_id, id_hash, record_id) DO UPDATE SET reason = excluded.reason, stated_at = excluded.stated_at")
        .bind(force.uuid()).bind(id_hash).bind(record.uuid()).bind(reason).bind(now)
        .execute(c).await)?;
    Ok(())
}

/// The reason a session stated for opening a record, if any.
///
/// # Errors
/// The database failed.
pub async fn reason_for(
    tx: &mut Tx,
    force: ForceId,
    id_hash: &str,
    record: RecordId,
) -> Result<Option<String>> {
    let r: Option<String> = on!(tx, c => sqlx::query_scalar(
        "SELECT reason FROM web_session_reason WHERE force_id = $1 AND id_hash = $2 AND record_id = $3")
        .bind(force.uuid()).bind(id_hash).bind(record.uuid()).fetch_optional(c).await)?;
    Ok(r)
}

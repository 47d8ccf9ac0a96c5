//! The audit log: appended in the same transaction as the action it records, one hash
//! chain per force, read back by record or by user, and walked in order to verify.

use bluelamp_domain::audit::{AuditEntry, AuditFacts, ChainHead};
use bluelamp_domain::ids::{ForceId, RecordId, UserId};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Backend, Result, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct HeadRow {
    seq: i64,
    hash: String,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    force_id: Uuid,
    seq: i64,
    at: DateTime<Utc>,
    user_id: Option<Uuid>,
    username: String,
    channel: String,
    os_user: Option<String>,
    operation: String,
    action: String,
    record_id: Option<Uuid>,
    reason: Option<String>,
    request_id: Option<String>,
    details: Option<String>,
    details_hash: String,
    prev_hash: String,
    hash: String,
}

impl EntryRow {
    fn into_entry(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            force_id: ForceId::from_uuid(self.force_id),
            seq: self.seq,
            at: self.at,
            user_id: self.user_id.map(UserId::from_uuid),
            username: self.username,
            channel: decode("channel", &self.channel)?,
            os_user: self.os_user,
            operation: decode("operation", &self.operation)?,
            action: self.action,
            record_id: self.record_id.map(RecordId::from_uuid),
            reason: self.reason,
            request_id: self.request_id,
            details: self.details,
            details_hash: self.details_hash,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

const COLUMNS: &str = "force_id, seq, at, user_id, username, channel, os_user, operation, action, record_id, \
                       reason, request_id, details, details_hash, prev_hash, hash";

/// The chain head a [`Tx`] has read and moved: appending more entries in the same
/// transaction needs neither another read nor a write per entry.
#[derive(Debug, Clone)]
pub(crate) struct PendingHead {
    force: ForceId,
    head: ChainHead,
    /// Moved since it was read: [`write_head`] stores it before the commit.
    moved: bool,
}

/// Appends an entry to the force's chain. The transaction reads the chain head at its first
/// entry (on PostgreSQL locking it for the rest of the transaction, so concurrent writers
/// of one force append one at a time; on SQLite the transaction already holds the
/// database's write lock) and writes it back once, when it commits ([`Tx::commit`]).
///
/// # Errors
/// The database failed; the caller's transaction must then be abandoned.
pub async fn append(tx: &mut Tx, force: ForceId, facts: AuditFacts) -> Result<AuditEntry> {
    let pending = match tx.audit_head.take() {
        Some(p) if p.force == force => p,
        other => {
            if let Some(p) = other {
                store_head(tx, &p).await?;
            }
            PendingHead {
                force,
                head: stored_head(tx, force, true).await?,
                moved: false,
            }
        }
    };
    let f = force.uuid();
    let e = facts.chain(force, &pending.head);
    // Kept unmoved until the entry is stored.
    tx.audit_head = Some(pending);
    exec!(tx, c => sqlx::query(
        "INSERT INTO audit_event (force_id, seq, at, user_id, username, channel, os_user, operation, action,
            record_id, reason, request_id, details, details_hash, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
        .bind(f).bind(e.seq).bind(e.at).bind(e.user_id.map(|u| u.uuid())).bind(&e.username)
        .bind(e.channel.as_str()).bind(&e.os_user).bind(e.operation.as_str()).bind(&e.action)
        .bind(e.record_id.map(|r| r.uuid())).bind(&e.reason).bind(&e.request_id).bind(&e.details)
        .bind(&e.details_hash).bind(&e.prev_hash).bind(&e.hash)
        .execute(c).await)?;
    tx.audit_head = Some(PendingHead {
        force,
        head: ChainHead {
            seq: e.seq,
            hash: e.hash.clone(),
        },
        moved: true,
    });
    Ok(e)
}

/// The chain head as stored; with `lock`, locked on PostgreSQL until the transaction ends
/// (SQLite's transaction already holds the write lock).
async fn stored_head(tx: &mut Tx, force: ForceId, lock: bool) -> Result<ChainHead> {
    let sql = match (lock, tx.backend()) {
        (true, Backend::Postgres) => {
            "SELECT seq, hash FROM audit_head WHERE force_id = $1 FOR UPDATE"
        }
        _ => "SELECT seq, hash FROM audit_head WHERE force_id = $1",
    };
    let h: HeadRow = on!(tx, c => sqlx::query_as(sql).bind(force.uuid()).fetch_one(c).await)?;
    Ok(ChainHead {
        seq: h.seq,
        hash: h.hash,
    })
}

async fn store_head(tx: &mut Tx, p: &PendingHead) -> Result<()> {
    if p.moved {
        exec!(tx, c => sqlx::query("UPDATE audit_head SET seq = $2, hash = $3 WHERE force_id = $1")
            .bind(p.force.uuid()).bind(p.head.seq).bind(&p.head.hash).execute(c).await)?;
    }
    Ok(())
}

/// Stores the chain head the transaction's entries moved: [`Tx::commit`] calls it.
pub(crate) async fn write_head(tx: &mut Tx) -> Result<()> {
    if let Some(p) = tx.audit_head.take() {
        store_head(tx, &p).await?;
    }
    Ok(())
}

/// Sets the force's chain head (after restoring an export's entries).
///
/// # Errors
/// The database failed.
pub async fn set_head(tx: &mut Tx, force: ForceId, head: &ChainHead) -> Result<()> {
    write_head(tx).await?;
    let set = PendingHead {
        force,
        head: head.clone(),
        moved: true,
    };
    store_head(tx, &set).await
}

/// Which entries to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub record: Option<RecordId>,
    pub user: Option<UserId>,
    /// Only entries before this sequence number (for paging backwards).
    pub before_seq: Option<i64>,
}

/// Entries matching the filter, newest first, at most `limit`.
///
/// # Errors
/// The database failed.
pub async fn list(
    tx: &mut Tx,
    force: ForceId,
    filter: Filter,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    // The LIMIT is a cast, not a bare parameter: SQLite plans around a bound LIMIT's value, so
    // binding one makes it prepare the statement afresh on every call.
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_event WHERE force_id = $1
           AND ($2 = FALSE OR record_id = $3) AND ($4 = FALSE OR user_id = $5) AND seq < $6
         ORDER BY seq DESC LIMIT CAST($7 AS BIGINT)"
    );
    let rows: Vec<EntryRow> = on!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(force.uuid())
        .bind(filter.record.is_some()).bind(filter.record.map(|r| r.uuid()).unwrap_or_default())
        .bind(filter.user.is_some()).bind(filter.user.map(|u| u.uuid()).unwrap_or_default())
        .bind(filter.before_seq.unwrap_or(i64::MAX)).bind(limit)
        .fetch_all(c).await)?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}

/// Entries in chain order after `after_seq`, at most `limit`: for walking the whole chain
/// in pages.
///
/// # Errors
/// The database failed.
pub async fn in_order(
    tx: &mut Tx,
    force: ForceId,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    // A cast LIMIT, as in `list`.
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_event WHERE force_id = $1 AND seq > $2
         ORDER BY seq LIMIT CAST($3 AS BIGINT)"
    );
    let rows: Vec<EntryRow> = on!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(force.uuid()).bind(after_seq).bind(limit).fetch_all(c).await)?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}

/// The newest entry's sequence number and hash, as recorded in the chain head.
///
/// # Errors
/// The database failed.
pub async fn head(tx: &mut Tx, force: ForceId) -> Result<ChainHead> {
    if let Some(p) = tx.audit_head.as_ref().filter(|p| p.force == force) {
        return Ok(p.head.clone());
    }
    stored_head(tx, force, false).await
}

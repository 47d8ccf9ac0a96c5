//! The audit log's rules: what an entry holds and how entries chain.
//!
//! The Data Protection Act 2018, section 62, requires logs of collection, alteration,
//! consultation, disclosure, combination and erasure in law-enforcement processing, each
//! showing the justification, date and time and, as far as possible, who acted. Entries
//! are append-only and chained by SHA-256, one chain per force: each entry's hash covers
//! the previous hash and a hash of its details, so that a later edit or deletion breaks
//! the chain, while erasing the personal data inside an entry's details (under MoPI
//! retention rules) leaves the chain verifiable.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use crate::ids::{ForceId, RecordId, UserId};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// The kinds of processing that DPA 2018 s.62(1) requires to be logged, plus archiving,
    /// authentication and administration.
    Operation, "an audit operation" {
        Collection = "collection",
        Alteration = "alteration",
        Consultation = "consultation",
        Disclosure = "disclosure",
        Combination = "combination",
        Erasure = "erasure",
        Archiving = "archiving",
        /// Signing in and issuing credentials: not processing of personal data, but a
        /// security event kept in the same chain.
        Authentication = "authentication",
        /// Changes to users, teams, areas and the force's configuration.
        Administration = "administration",
    }
);

vocabulary!(
    /// Where an action came from.
    Channel, "a channel" {
        Api = "api",
        Page = "page",
        Cli = "cli",
    }
);

/// The hash that starts every force's chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry, as stored. `hash` covers every other field but `details` itself,
/// which it covers through `details_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub force_id: ForceId,
    /// Position in the force's chain, from 1 with no gaps.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    pub username: String,
    pub channel: Channel,
    /// The operating-system user, for the CLI.
    pub os_user: Option<String>,
    pub operation: Operation,
    /// What was done, such as `person.create` or `person.search`.
    pub action: String,
    pub record_id: Option<RecordId>,
    /// The stated reason, where one is required.
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// What changed (before and after), the search terms, what was disclosed: JSON. `None`
    /// once erased.
    pub details: Option<String>,
    pub details_hash: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What an entry records, before it is placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFacts {
    pub at: DateTime<Utc>,
    pub user_id: Option<UserId>,
    pub username: String,
    pub channel: Channel,
    pub os_user: Option<String>,
    pub operation: Operation,
    pub action: String,
    pub record_id: Option<RecordId>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub details: String,
}

/// The newest entry of a chain: what a checkpoint keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl ChainHead {
    /// The head of an empty chain.
    pub fn genesis() -> Self {
        ChainHead {
            seq: 0,
            hash: GENESIS.to_string(),
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl AuditFacts {
    /// Places these facts after `head` in `force`'s chain.
    pub fn chain(self, force_id: ForceId, head: &ChainHead) -> AuditEntry {
        let details_hash = sha256_hex(self.details.as_bytes());
        let mut entry = AuditEntry {
            force_id,
            seq: head.seq + 1,
            at: self.at,
            user_id: self.user_id,
            username: self.username,
            channel: self.channel,
            os_user: self.os_user,
            operation: self.operation,
            action: self.action,
            record_id: self.record_id,
            reason: self.reason,
            request_id: self.request_id,
            details: Some(self.details),
            details_hash,
            prev_hash: head.hash.clone(),
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        entry
    }
}

impl AuditEntry {
    /// The hash this entry should carry: SHA-256 over a length-prefixed encoding of every
    /// field except `details` and `hash`, so that no two different entries encode alike.
    pub fn compute_hash(&self) -> String {
        let fields: [String; 13] = [
            self.force_id.to_string(),
            self.seq.to_string(),
            self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            self.user_id.map(|u| u.to_string()).unwrap_or_default(),
            self.username.clone(),
            self.channel.as_str().to_string(),
            self.os_user.clone().unwrap_or_default(),
            self.operation.as_str().to_string(),
            self.action.clone(),
            self.record_id.map(|r| r.to_string()).unwrap_or_default(),
            self.reason.clone().unwrap_or_default(),
            self.request_id.clone().unwrap_or_default(),
            self.details_hash.clone(),
        ];
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        for f in &fields {
            h.update(f.len().to_string().as_bytes());
            h.update(b":");
            h.update(f.as_bytes());
        }
        hex::encode(h.finalize())
    }

    /// The head this entry makes.
    pub fn head(&self) -> ChainHead {
        ChainHead {
            seq: self.seq,
            hash: self.hash.clone(),
        }
    }
}

/// Where and how a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq} has been altered: its hash does not match its contents")]
    Altered { seq: i64 },
    #[error("entry {seq}'s details have been altered: they do not match their hash")]
    DetailsAltered { seq: i64 },
    #[error("entries are missing before entry {seq}: expected entry {expected}")]
    Missing { seq: i64, expected: i64 },
    #[error("entry {seq} does not follow the entry before it: the chain has been broken")]
    Unlinked { seq: i64 },
    #[error(
        "the chain ends at entry {found} but the checkpoint holds entry {expected}: newer entries have been removed"
    )]
    Truncated { expected: i64, found: i64 },
    #[error("entry {seq} differs from the checkpoint")]
    CheckpointMismatch { seq: i64 },
}

/// Verifies a chain entry by entry, in order, holding only the running head.
#[derive(Debug)]
pub struct ChainVerifier {
    head: ChainHead,
    checkpoint: Option<ChainHead>,
    checkpoint_seen: bool,
}

impl ChainVerifier {
    /// Starts at the genesis, optionally holding a checkpoint written earlier.
    pub fn new(checkpoint: Option<ChainHead>) -> Self {
        ChainVerifier {
            head: ChainHead::genesis(),
            checkpoint,
            checkpoint_seen: false,
        }
    }

    /// Checks the next entry.
    ///
    /// # Errors
    /// The first [`ChainBreak`] found.
    pub fn feed(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        let expected = self.head.seq + 1;
        if e.seq != expected {
            return Err(ChainBreak::Missing {
                seq: e.seq,
                expected,
            });
        }
        if e.prev_hash != self.head.hash {
            return Err(ChainBreak::Unlinked { seq: e.seq });
        }
        if e.compute_hash() != e.hash {
            return Err(ChainBreak::Altered { seq: e.seq });
        }
        if let Some(details) = &e.details
            && sha256_hex(details.as_bytes()) != e.details_hash
        {
            return Err(ChainBreak::DetailsAltered { seq: e.seq });
        }
        if let Some(cp) = &self.checkpoint
            && cp.seq == e.seq
        {
            if cp.hash != e.hash {
                return Err(ChainBreak::CheckpointMismatch { seq: e.seq });
            }
            self.checkpoint_seen = true;
        }
        self.head = e.head();
        Ok(())
    }

    /// Ends verification, giving the head reached.
    ///
    /// # Errors
    /// [`ChainBreak::Truncated`] when the chain ends before the checkpoint.
    pub fn finish(self) -> Result<ChainHead, ChainBreak> {
        match &self.checkpoint {
            Some(cp) if !self.checkpoint_seen && cp.seq > 0 => Err(ChainBreak::Truncated {
                expected: cp.seq,
                found: self.head.seq,
            }),
            _ => Ok(self.head),
        }
    }
}

#[cfg(test)]
mod tests;

//! Reading and verifying the audit log.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::{AuditEntry, ChainBreak, ChainHead, ChainVerifier, Operation};
use bluelamp_domain::ids::{RecordId, UserId};
use bluelamp_store::audit::{self, Filter};

use crate::{App, AppError, Ctx, Result, authorise};

/// Why verification did not pass.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] ChainBreak),
    #[error(transparent)]
    App(#[from] AppError),
}

/// Entries read per transaction while verifying.
const VERIFY_BATCH: i64 = 5000;

impl App {
    /// Audit entries for a record or a user (or all), newest first, a page at a time.
    /// Reading the log is itself logged.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `read_audit`.
    pub async fn list_audit(
        &self,
        ctx: &Ctx,
        record: Option<RecordId>,
        user: Option<UserId>,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        authorise(ctx, Action::ReadAudit)?;
        let mut tx = self.begin().await?;
        let filter = Filter {
            record,
            user,
            before_seq,
        };
        let entries = audit::list(
            &mut tx,
            self.force.id,
            filter,
            i64::from(limit.clamp(1, 500)),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "audit.read",
            None,
            serde_json::json!({"record": record.map(|r| r.to_string()), "user": user.map(|u| u.to_string())}),
        )
        .await?;
        tx.commit().await?;
        Ok(entries)
    }

    /// Walks the force's whole chain in order, recomputing every hash; with a checkpoint,
    /// also checks that the entry it names is still there and unchanged (catching
    /// truncation of the newest entries).
    ///
    /// # Errors
    /// [`VerifyError::Broken`] naming the first broken entry.
    pub async fn verify_audit(
        &self,
        checkpoint: Option<ChainHead>,
    ) -> Result<ChainHead, VerifyError> {
        let mut verifier = ChainVerifier::new(checkpoint);
        let mut after = 0;
        loop {
            let mut tx = self.begin().await?;
            let batch = audit::in_order(&mut tx, self.force.id, after, VERIFY_BATCH)
                .await
                .map_err(AppError::from)?;
            tx.commit().await.map_err(AppError::from)?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for e in &batch {
                verifier.feed(e)?;
            }
        }
        Ok(verifier.finish()?)
    }

    /// The chain's newest entry, for an operator to keep elsewhere.
    ///
    /// # Errors
    /// The database failed.
    pub async fn audit_head(&self) -> Result<ChainHead> {
        let mut tx = self.begin().await?;
        let h = audit::head(&mut tx, self.force.id).await?;
        tx.commit().await?;
        Ok(h)
    }
}

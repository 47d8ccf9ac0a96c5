//! Sign-in sessions for the pages: a new random id at every sign-in, ended at sign-out,
//! expired when idle or old. Stored server-side, so a stolen cookie dies with the session.

use bluelamp_domain::access::Actor;
use bluelamp_domain::audit::{Channel, Operation};
use bluelamp_domain::field::Fields;
use bluelamp_domain::ids::RecordId;
use bluelamp_store::StoreError;
use bluelamp_store::session;

use crate::auth::{actor_of, random_token, token_hash};
use crate::{App, AppError, Ctx, Result};

/// A session just begun: the id goes in the cookie, once; only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
}

/// The signed-in user behind a session cookie, with the token its forms must carry.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub actor: Actor,
    pub display_name: String,
    pub csrf_token: String,
}

/// Sessions are touched at most this often, so reading pages does not write on every request.
const TOUCH_EVERY_SECONDS: i64 = 60;

impl App {
    /// Signs in through the pages: checks the password (throttled), then begins a session
    /// with a fresh id, whatever session the browser had before.
    ///
    /// # Errors
    /// As [`App::check_password`].
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        request_id: Option<String>,
    ) -> Result<NewSession> {
        let u = self
            .check_password(username, password, Channel::Page)
            .await?;
        let now = self.now();
        let started = NewSession {
            id: random_token(),
            csrf_token: random_token(),
        };
        let mut tx = self.begin().await?;
        session::expire(
            &mut tx,
            self.force.id,
            now - self.config.session_idle,
            now - self.config.session_lifetime,
        )
        .await?;
        session::insert(
            &mut tx,
            self.force.id,
            &token_hash(&started.id),
            u.id,
            &started.csrf_token,
            now,
        )
        .await?;
        let ctx = Ctx::new(actor_of(&u), Channel::Page, request_id);
        self.audit(
            &mut tx,
            &ctx,
            Operation::Authentication,
            "session.begin",
            None,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(started)
    }

    /// The user behind a session id, if the session is live; marks it as used.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] when the session is unknown, idle too long or too old.
    pub async fn session_user(&self, id: &str) -> Result<SessionUser> {
        let now = self.now();
        let hash = token_hash(id);
        let mut tx = self.begin().await?;
        let s = match session::by_hash(&mut tx, self.force.id, &hash).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        if s.last_seen_at < now - self.config.session_idle
            || s.created_at < now - self.config.session_lifetime
        {
            session::delete(&mut tx, self.force.id, &hash).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        if (now - s.last_seen_at).num_seconds() >= TOUCH_EVERY_SECONDS {
            session::touch(&mut tx, self.force.id, &hash, now).await?;
        }
        tx.commit().await?;
        Ok(SessionUser {
            actor: actor_of(&s.user),
            display_name: s.user.display_name.clone(),
            csrf_token: s.csrf_token,
        })
    }

    /// Ends a session.
    ///
    /// # Errors
    /// The database failed.
    pub async fn sign_out(&self, ctx: &Ctx, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        session::delete(&mut tx, self.force.id, &token_hash(id)).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Authentication,
            "session.end",
            None,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The longest reason kept.
const REASON_MAX: usize = 500;

impl App {
    /// Keeps the reason the user of a session states for opening a restricted record; each
    /// later opening in that session is audited with it.
    ///
    /// # Errors
    /// [`AppError::Invalid`] for a blank or over-long reason (field `/reason`);
    /// [`AppError::NotFound`] when the record does not exist.
    pub async fn state_reason(
        &self,
        session_id: &str,
        record: RecordId,
        reason: &str,
    ) -> Result<()> {
        let mut f = Fields::new();
        let reason = f.text("/reason", reason, REASON_MAX);
        let reason = f.finish(|| reason)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        bluelamp_store::record::head(&mut tx, self.force.id, record).await?;
        session::state_reason(
            &mut tx,
            self.force.id,
            &token_hash(session_id),
            record,
            &reason,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The reason this session stated for opening a record, if it did.
    ///
    /// # Errors
    /// The database failed.
    pub async fn stated_reason(
        &self,
        session_id: &str,
        record: RecordId,
    ) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        let r =
            session::reason_for(&mut tx, self.force.id, &token_hash(session_id), record).await?;
        tx.commit().await?;
        Ok(r)
    }
}

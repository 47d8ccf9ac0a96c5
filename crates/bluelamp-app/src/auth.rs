//! Authentication: Argon2id passwords, throttled sign-in, expiring bearer tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use bluelamp_domain::access::Actor;
use bluelamp_domain::audit::{AuditFacts, Channel, Operation};
use bluelamp_store::user::{self, User};
use bluelamp_store::{StoreError, optional};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError, Result};

/// Hashes a password with Argon2id at the crate's defaults (OWASP's recommended minimum:
/// 19 MiB, 2 iterations, 1 lane).
///
/// # Errors
/// [`AppError::Internal`] if hashing fails.
pub fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Hashes a password as [`hash_password`] does, on a blocking thread: a server on the
/// database lane handles every request on one thread, which a hash (tens of milliseconds)
/// would otherwise hold up.
///
/// # Errors
/// As [`hash_password`].
pub async fn hash_password_off_thread(password: String) -> Result<String> {
    off_thread(move || hash_password(&password)).await?
}

/// Whether the password matches the account's hash, checked on a blocking thread. Without
/// a hash (no such account) it is checked against a dummy and fails, so that a wrong
/// username takes as long as a wrong password.
async fn password_matches(password: &str, hash: Option<String>) -> Result<bool> {
    let password = password.to_string();
    off_thread(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
}

async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The hash [`password_matches`] checks against when there is no account.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
}

/// A fresh random token: 256 bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a bearer token or session id.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The actor a stored user acts as.
pub fn actor_of(u: &User) -> Actor {
    Actor {
        user_id: u.id,
        username: u.username.clone(),
        roles: u.roles.clone(),
        teams: u.teams.iter().map(|(id, _)| *id).collect(),
        agency: u.agency.clone(),
    }
}

/// A newly issued bearer token. The token itself is shown once and stored only as a hash.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl App {
    /// Checks a username and password, throttled: after `sign_in_max_failures` failures
    /// within `sign_in_window`, further attempts for that username are refused until the
    /// window has passed, whatever the password. Failures are recorded in their own
    /// transaction so that they count even though the attempt fails.
    ///
    /// The hash is checked between two transactions, on a blocking thread: it takes tens of
    /// milliseconds, and on SQLite a transaction holds the database's one connection. The
    /// second transaction counts the failures again, so attempts racing each other past the
    /// limit are refused without saying whether their password was right.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] on a wrong username or password (the same answer for
    /// both), [`AppError::Throttled`] when throttled.
    pub async fn check_password(
        &self,
        username: &str,
        password: &str,
        channel: Channel,
    ) -> Result<User> {
        let now = self.now();
        let force = self.force.id;
        let mut tx = self.begin().await?;
        self.refuse_if_throttled(&mut tx, username, now).await?;
        let found = optional(user::by_username(&mut tx, force, username).await)?;
        tx.commit().await?;
        let hash = found.as_ref().and_then(|u| u.password_hash.clone());
        let ok = password_matches(password, hash).await?;
        let mut tx = self.begin().await?;
        self.refuse_if_throttled(&mut tx, username, now).await?;
        match found {
            Some(u) if ok => {
                user::clear_sign_in_failures(&mut tx, force, username).await?;
                tx.commit().await?;
                Ok(u)
            }
            _ => {
                user::record_sign_in_failure(&mut tx, force, username, now).await?;
                let facts = AuditFacts {
                    at: now,
                    user_id: None,
                    username: username.to_string(),
                    channel,
                    os_user: None,
                    operation: Operation::Authentication,
                    action: "sign_in.failed".into(),
                    record_id: None,
                    reason: None,
                    request_id: None,
                    details: "{}".into(),
                };
                bluelamp_store::audit::append(&mut tx, force, facts).await?;
                tx.commit().await?;
                Err(AppError::Unauthenticated)
            }
        }
    }

    /// [`AppError::Throttled`] when `username` has used up its failures in the window.
    async fn refuse_if_throttled(
        &self,
        tx: &mut bluelamp_store::Tx,
        username: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let since = now - self.config.sign_in_window;
        let failures = user::sign_in_failures_since(tx, self.force.id, username, since).await?;
        if failures >= self.config.sign_in_max_failures {
            return Err(AppError::Throttled {
                retry_after_seconds: self.config.sign_in_window.num_seconds(),
            });
        }
        Ok(())
    }

    /// Issues a bearer token for a username and password.
    ///
    /// # Errors
    /// As [`App::check_password`].
    pub async fn issue_token(
        &self,
        username: &str,
        password: &str,
        request_id: Option<String>,
    ) -> Result<IssuedToken> {
        let u = self
            .check_password(username, password, Channel::Api)
            .await?;
        let now = self.now();
        let token = random_token();
        let expires_at = now + self.config.token_lifetime;
        let mut tx = self.begin().await?;
        user::insert_token(
            &mut tx,
            self.force.id,
            &token_hash(&token),
            u.id,
            now,
            expires_at,
        )
        .await?;
        let ctx = crate::Ctx::new(actor_of(&u), Channel::Api, request_id);
        self.audit(
            &mut tx,
            &ctx,
            Operation::Authentication,
            "token.issue",
            None,
            serde_json::json!({ "expires_at": expires_at }),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedToken { token, expires_at })
    }

    /// The actor holding an unexpired bearer token.
    ///
    /// # Errors
    /// [`AppError::Unauthenticated`] when the token is unknown or expired.
    pub async fn actor_for_token(&self, token: &str) -> Result<Actor> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let u = match user::by_token(&mut tx, self.force.id, &token_hash(token), now).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(AppError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        tx.commit().await?;
        Ok(actor_of(&u))
    }
}

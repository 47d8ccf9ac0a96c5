//! Configuring the force a database serves, and opening the application on it.

use std::sync::Arc;

use bluelamp_domain::field::Fields;
use bluelamp_domain::ids::ForceId;
use bluelamp_store::Db;
use bluelamp_store::force::{self, Force};
use uuid::Uuid;

use crate::{App, AppError, Clock, Config, Result};

/// The demo force's name and code.
pub const DEMO_FORCE_NAME: &str = "Leicestershire Police (synthetic)";
pub const DEMO_FORCE_CODE: &str = "LEI";

/// Configures the force this database serves, once. Running it again with the same code
/// changes nothing; a different code is refused, since a force's records cannot be moved
/// to another force by renaming.
///
/// # Errors
/// [`AppError::Invalid`] for a bad name or code; [`AppError::Conflict`] when the database
/// already serves another force.
pub async fn configure(db: &Db, name: &str, code: &str, clock: &dyn Clock) -> Result<Force> {
    let mut f = Fields::new();
    let name = f.text("/force_name", name, 200);
    let code = f.text("/force_code", code, 16).and_then(|c| {
        if c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            Some(c.to_ascii_uppercase())
        } else {
            f.error("/force_code", "must be letters and digits");
            None
        }
    });
    let (name, code) = f.finish(|| Some((name?, code?)))?;
    let mut tx = db.begin().await?;
    let existing = force::all(&mut tx).await?;
    if let Some(found) = existing.iter().find(|x| x.code == code) {
        return Ok(found.clone());
    }
    if let Some(other) = existing.first() {
        return Err(AppError::Conflict(format!(
            "this database already serves {} ({}); use another database for another force",
            other.name, other.code
        )));
    }
    let created = Force {
        id: ForceId::from_uuid(Uuid::now_v7()),
        code,
        name,
    };
    force::insert(&mut tx, &created, clock.now()).await?;
    tx.commit().await?;
    Ok(created)
}

impl App {
    /// Opens the application on a migrated database serving one force.
    ///
    /// # Errors
    /// [`AppError::Conflict`] when no force is configured yet.
    pub async fn open_force(db: Db, clock: Arc<dyn Clock>, mut config: Config) -> Result<App> {
        let mut tx = db.begin().await?;
        let forces = force::all(&mut tx).await?;
        let force = forces.into_iter().next().ok_or_else(|| {
            AppError::Conflict("no force is configured: run `bluelamp migrate --force-name NAME --force-code CODE`".into())
        })?;
        // The force's own calendar changes, on top of those built in.
        for c in bluelamp_store::calendar::changes(&mut tx, force.id).await? {
            config.calendar = crate::calendar::apply(config.calendar, &c);
        }
        tx.commit().await?;
        Ok(App {
            db,
            force,
            clock,
            config,
        })
    }
}

//! The force's working-day calendar (issue 5 §1): its own changes (a day added as a bank
//! holiday, or taken away), stored and applied when the application starts.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::calendar::{BankHoliday, Calendar, Change, Holiday};
use bluelamp_domain::field::Invalid;
use bluelamp_store::calendar::{self as store, StoredChange};
use chrono::{Datelike, NaiveDate};

use crate::{App, Ctx, Result, authorise};

/// Applies a stored change. One that no longer applies (a day since proclaimed in the
/// built-in table) changes nothing.
pub(crate) fn apply(calendar: Calendar, c: &StoredChange) -> Calendar {
    let change = match &c.added {
        Some(name) => Change::Add(Holiday::Proclaimed(name.clone())),
        None => Change::Remove,
    };
    calendar.clone().with(c.day, change).unwrap_or(calendar)
}

impl App {
    /// Adds a day to the force's bank holidays (`Some(name)`) or takes one away (`None`).
    /// It applies to deadlines from the next start of the application.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `configure_force`; [`crate::AppError::Invalid`]
    /// when the day is already a bank holiday (adding) or is not one (removing), or the name
    /// is blank.
    pub async fn change_calendar(
        &self,
        ctx: &Ctx,
        day: NaiveDate,
        added: Option<String>,
    ) -> Result<Vec<BankHoliday>> {
        authorise(ctx, Action::ConfigureForce)?;
        let mut tx = self.begin().await?;
        let mut calendar = Calendar::england_and_wales();
        for c in store::changes(&mut tx, self.force.id).await? {
            calendar = apply(calendar, &c);
        }
        let change = match &added {
            Some(name) if name.trim().is_empty() => {
                return Err(Invalid::one("/name", "must not be blank").into());
            }
            Some(name) => Change::Add(Holiday::Proclaimed(name.trim().to_string())),
            None => Change::Remove,
        };
        let calendar = calendar
            .with(day, change)
            .map_err(|e| Invalid::one("/day", e.to_string()))?;
        let stored = StoredChange {
            day,
            added: added.map(|n| n.trim().to_string()),
        };
        store::put(
            &mut tx,
            self.force.id,
            &stored,
            self.now(),
            Some(ctx.actor.user_id).filter(|u| !u.uuid().is_nil()),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "calendar.change",
            None,
            serde_json::json!({"day": day, "added": stored.added}),
        )
        .await?;
        tx.commit().await?;
        Ok(calendar.holidays(day.year()))
    }
}

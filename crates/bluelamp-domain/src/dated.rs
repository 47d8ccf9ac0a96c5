//! Dated configuration: a value that changes over time and differs between forces, such
//! as an attendance target, a grading rule or a Victims' Code time limit.
//!
//! Reference §"Design rule" (../shared/domain/reference.md, preamble): almost every
//! threshold a force works to has changed over time or varies by force, so each is modelled
//! as dated, versioned configuration, never as a constant. A [`Dated`] holds the value that
//! applied from the beginning and each later change with the date it took effect. A rule
//! asks for the value in force on the date of the event it judges, so re-running a rule on
//! old records gives the answer the rules of the time gave. Each force holds its own
//! `Dated` values; the defaults live next to the rules that use them, with their sources.

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::london_date;

/// A value with its history: `initial` until the first change, then each change from its
/// effective date (inclusive) until the next one.
///
/// Invariant: effective dates strictly increase, so the periods never overlap and exactly
/// one value is in force on any date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated<T> {
    initial: T,
    changes: Vec<(NaiveDate, T)>,
}

/// Why a dated value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DatedError {
    /// A change does not take effect after the one before it, so two values would be in
    /// force on the same day.
    #[error("a change effective {date} must come after the change effective {previous}")]
    Overlap {
        /// The date of the change that was refused.
        date: NaiveDate,
        /// The date of the change before it.
        previous: NaiveDate,
    },
}

/// One period of a [`Dated`] value, for listing a force's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period<'a, T> {
    /// The first day the value is in force; `None` for "from the beginning".
    pub from: Option<NaiveDate>,
    /// The day the next value takes over (exclusive); `None` while still in force.
    pub until: Option<NaiveDate>,
    /// The value in force.
    pub value: &'a T,
}

impl<T> Dated<T> {
    /// A value that has never changed.
    pub fn always(value: T) -> Self {
        Dated {
            initial: value,
            changes: Vec::new(),
        }
    }

    /// A value with its changes, in the order they took effect.
    ///
    /// # Errors
    /// [`DatedError::Overlap`] when the effective dates do not strictly increase.
    pub fn new(initial: T, changes: Vec<(NaiveDate, T)>) -> Result<Self, DatedError> {
        changes
            .iter()
            .try_fold(None, |previous, (date, _)| match previous {
                Some(previous) if *date <= previous => Err(DatedError::Overlap {
                    date: *date,
                    previous,
                }),
                _ => Ok(Some(*date)),
            })?;
        Ok(Dated { initial, changes })
    }

    /// Adds a change effective from `from`.
    ///
    /// # Errors
    /// [`DatedError::Overlap`] when `from` is not after the last change.
    pub fn then(mut self, from: NaiveDate, value: T) -> Result<Self, DatedError> {
        if let Some((previous, _)) = self.changes.last()
            && from <= *previous
        {
            return Err(DatedError::Overlap {
                date: from,
                previous: *previous,
            });
        }
        self.changes.push((from, value));
        Ok(self)
    }

    /// The value in force on `date`.
    pub fn at(&self, date: NaiveDate) -> &T {
        let after = self.changes.partition_point(|(from, _)| *from <= date);
        match after.checked_sub(1).and_then(|i| self.changes.get(i)) {
            Some((_, value)) => value,
            None => &self.initial,
        }
    }

    /// The value in force at an instant: the one for its date in England and Wales
    /// (Europe/London), since forces change their rules from a local date.
    pub fn at_instant(&self, at: DateTime<Utc>) -> &T {
        self.at(london_date(at))
    }

    /// The value in force today and ever after, unless a later change is added.
    pub fn latest(&self) -> &T {
        self.changes.last().map_or(&self.initial, |(_, v)| v)
    }

    /// Every period, oldest first.
    pub fn periods(&self) -> Vec<Period<'_, T>> {
        let mut out = Vec::with_capacity(self.changes.len() + 1);
        let mut from = None;
        let mut value = &self.initial;
        for (date, next) in &self.changes {
            out.push(Period {
                from,
                until: Some(*date),
                value,
            });
            from = Some(*date);
            value = next;
        }
        out.push(Period {
            from,
            until: None,
            value,
        });
        out
    }
}

#[cfg(test)]
mod tests;

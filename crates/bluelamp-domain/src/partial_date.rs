//! Dates of birth as officers record them: full (`1971-03-09`) or reduced precision
//! (`1971-03`, `1971`), ISO 8601.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A calendar date known to a day, a month or a year.
///
/// Invariant: the year is between 1850 and 2200, and a full date is a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartialDate {
    /// Only the year is known.
    Year(i32),
    /// The year and month are known (month 1 to 12).
    YearMonth(i32, u32),
    /// The whole date is known.
    Full(NaiveDate),
}

/// Why a partial date did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a date written YYYY-MM-DD, YYYY-MM or YYYY")]
pub struct PartialDateError;

const MIN_YEAR: i32 = 1850;
const MAX_YEAR: i32 = 2200;

impl PartialDate {
    /// The year, whatever the precision.
    pub fn year(&self) -> i32 {
        match *self {
            PartialDate::Year(y) | PartialDate::YearMonth(y, _) => y,
            PartialDate::Full(d) => d.year(),
        }
    }

    /// The month, when known.
    pub fn month(&self) -> Option<u32> {
        match *self {
            PartialDate::Year(_) => None,
            PartialDate::YearMonth(_, m) => Some(m),
            PartialDate::Full(d) => Some(d.month()),
        }
    }

    /// The day of the month, when known.
    pub fn day(&self) -> Option<u32> {
        match *self {
            PartialDate::Full(d) => Some(d.day()),
            _ => None,
        }
    }

    /// The earliest real date this partial date could be.
    pub fn earliest(&self) -> Option<NaiveDate> {
        match *self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::YearMonth(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Full(d) => Some(d),
        }
    }
}

impl FromStr for PartialDate {
    type Err = PartialDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let number = |p: &str, len: usize| -> Result<u32, PartialDateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PartialDateError);
            }
            p.parse().map_err(|_| PartialDateError)
        };
        let year = |p: &str| -> Result<i32, PartialDateError> {
            let y = i32::try_from(number(p, 4)?).map_err(|_| PartialDateError)?;
            if (MIN_YEAR..=MAX_YEAR).contains(&y) {
                Ok(y)
            } else {
                Err(PartialDateError)
            }
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate::Year(year(y)?)),
            [y, m] => {
                let m = number(m, 2)?;
                if (1..=12).contains(&m) {
                    Ok(PartialDate::YearMonth(year(y)?, m))
                } else {
                    Err(PartialDateError)
                }
            }
            [y, m, d] => NaiveDate::from_ymd_opt(year(y)?, number(m, 2)?, number(d, 2)?)
                .map(PartialDate::Full)
                .ok_or(PartialDateError),
            _ => Err(PartialDateError),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Full(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests;

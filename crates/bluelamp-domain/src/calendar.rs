//! The England and Wales working-day calendar: bank holidays computed from their rules,
//! the one-off changes made by royal proclamation, working-day arithmetic, and deadline
//! instants on the Europe/London clock.
//!
//! Source: reference §13 (../shared/domain/reference.md): the Banking and Financial
//! Dealings Act 1971, Schedule 1, with Good Friday and Christmas Day as common-law holidays;
//! the GOV.UK bank-holidays list (<https://www.gov.uk/bank-holidays>) is the public record
//! of the dates, and the unit tests check 2016–2027 against it. A "working day" is Monday to
//! Friday except a bank holiday (reference §4.3; the Victims' Code's exact wording is
//! UNCONFIRMED there).
//!
//! The computed rules are those in force since 1978, when the early May bank holiday began;
//! earlier dates are computed with the same rules except early May, and are not exact.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Europe::London;

/// The bank holiday a day is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Holiday {
    /// 1 January.
    NewYearsDay,
    /// The Friday before Easter Sunday.
    GoodFriday,
    /// The Monday after Easter Sunday.
    EasterMonday,
    /// The first Monday in May (since 1978).
    EarlyMay,
    /// The last Monday in May.
    SpringBank,
    /// The last Monday in August.
    SummerBank,
    /// 25 December.
    ChristmasDay,
    /// 26 December.
    BoxingDay,
    /// A day added by royal proclamation for an occasion, named.
    Proclaimed(String),
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Holiday::NewYearsDay => "New Year's Day",
            Holiday::GoodFriday => "Good Friday",
            Holiday::EasterMonday => "Easter Monday",
            Holiday::EarlyMay => "Early May bank holiday",
            Holiday::SpringBank => "Spring bank holiday",
            Holiday::SummerBank => "Summer bank holiday",
            Holiday::ChristmasDay => "Christmas Day",
            Holiday::BoxingDay => "Boxing Day",
            Holiday::Proclaimed(name) => name,
        })
    }
}

/// A bank holiday on a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BankHoliday {
    pub date: NaiveDate,
    pub holiday: Holiday,
    /// Whether this day stands in for a holiday that fell on a weekend.
    pub substitute: bool,
}

impl fmt::Display for BankHoliday {
    /// As GOV.UK titles it: "Boxing Day (substitute day)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.substitute {
            write!(f, "{} (substitute day)", self.holiday)
        } else {
            write!(f, "{}", self.holiday)
        }
    }
}

/// A change to the computed holidays: a day added, or a computed day taken away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The date becomes a bank holiday.
    Add(Holiday),
    /// The date is not a bank holiday, although the rules make it one.
    Remove,
}

/// Why a change to the calendar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date is already a bank holiday.
    #[error("{0} is already a bank holiday")]
    AlreadyAHoliday(NaiveDate),
    /// The date to remove is not a bank holiday.
    #[error("{0} is not a bank holiday, so it cannot be removed")]
    NotAHoliday(NaiveDate),
}

/// The England and Wales calendar: computed bank holidays with their substitute days, and
/// a table of changes (days added or removed) that a force can extend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    changes: BTreeMap<NaiveDate, Change>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::england_and_wales()
    }
}

/// Builds a date from a table entry known to be valid; the tests check every entry.
fn table_date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The one-off changes proclaimed since 1978, as GOV.UK and the proclamations record them
/// (reference §13 lists 2011, 2012, 2020, 2022 and 2023; 1981, 1995, 1999 and 2002 are from
/// the same public record of proclamations).
fn proclaimed() -> Vec<(NaiveDate, Change)> {
    let add = |y, m, d, h: Holiday| (table_date(y, m, d), Change::Add(h));
    let named = |y, m, d, name: &str| add(y, m, d, Holiday::Proclaimed(name.to_string()));
    let remove = |y, m, d| (table_date(y, m, d), Change::Remove);
    vec![
        named(1981, 7, 29, "Royal wedding"),
        // The early May holiday moved to Monday 8 May for the 50th anniversary of VE Day.
        remove(1995, 5, 1),
        add(1995, 5, 8, Holiday::EarlyMay),
        named(1999, 12, 31, "Millennium celebrations"),
        // The spring holiday moved to Tuesday 4 June, beside the Golden Jubilee holiday.
        remove(2002, 5, 27),
        named(2002, 6, 3, "Golden Jubilee bank holiday"),
        add(2002, 6, 4, Holiday::SpringBank),
        named(2011, 4, 29, "Royal wedding"),
        // The spring holiday moved to Monday 4 June, beside the Diamond Jubilee holiday.
        remove(2012, 5, 28),
        add(2012, 6, 4, Holiday::SpringBank),
        named(2012, 6, 5, "Queen's Diamond Jubilee"),
        // The early May holiday moved to Friday 8 May for the 75th anniversary of VE Day.
        remove(2020, 5, 4),
        add(2020, 5, 8, Holiday::EarlyMay),
        // The spring holiday moved to Thursday 2 June, beside the Platinum Jubilee holiday.
        remove(2022, 5, 30),
        add(2022, 6, 2, Holiday::SpringBank),
        named(2022, 6, 3, "Platinum Jubilee bank holiday"),
        named(
            2022,
            9,
            19,
            "Bank Holiday for the State Funeral of Queen Elizabeth II",
        ),
        named(
            2023,
            5,
            8,
            "Bank holiday for the coronation of King Charles III",
        ),
    ]
}

impl Calendar {
    /// The holidays the rules give, with no one-off changes.
    pub fn computed() -> Calendar {
        Calendar {
            changes: BTreeMap::new(),
        }
    }

    /// The holidays the rules give, with every change proclaimed since 1978 (reference §13).
    pub fn england_and_wales() -> Calendar {
        Calendar {
            changes: proclaimed().into_iter().collect(),
        }
    }

    /// Adds a change: a force's own entry in the override table, or a newly proclaimed day.
    /// Removing a day that an earlier change added takes that change back.
    ///
    /// # Errors
    /// [`CalendarError::AlreadyAHoliday`] when adding a day that is already a bank holiday;
    /// [`CalendarError::NotAHoliday`] when removing one that is not.
    pub fn with(mut self, date: NaiveDate, change: Change) -> Result<Calendar, CalendarError> {
        let holiday = self.is_bank_holiday(date);
        match change {
            Change::Add(_) if holiday => return Err(CalendarError::AlreadyAHoliday(date)),
            Change::Remove if !holiday => return Err(CalendarError::NotAHoliday(date)),
            Change::Remove if matches!(self.changes.get(&date), Some(Change::Add(_))) => {
                self.changes.remove(&date);
            }
            Change::Add(_) if matches!(self.changes.get(&date), Some(Change::Remove)) => {
                // Restoring a computed day that an earlier change removed.
                self.changes.remove(&date);
            }
            change => {
                self.changes.insert(date, change);
            }
        }
        Ok(self)
    }

    /// The change table, in date order.
    pub fn changes(&self) -> impl Iterator<Item = (&NaiveDate, &Change)> {
        self.changes.iter()
    }

    /// Every bank holiday in `year`, in date order.
    pub fn holidays(&self, year: i32) -> Vec<BankHoliday> {
        let mut days: Vec<BankHoliday> = computed_holidays(year)
            .into_iter()
            .filter(|h| !matches!(self.changes.get(&h.date), Some(Change::Remove)))
            .collect();
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return days;
        };
        for (date, change) in self.changes.range(first..=last) {
            if let Change::Add(holiday) = change {
                days.push(BankHoliday {
                    date: *date,
                    holiday: holiday.clone(),
                    substitute: false,
                });
            }
        }
        days.sort();
        days
    }

    /// The bank holiday on `date`, if it is one.
    pub fn holiday(&self, date: NaiveDate) -> Option<BankHoliday> {
        self.holidays(date.year())
            .into_iter()
            .find(|h| h.date == date)
    }

    /// Whether `date` is a bank holiday.
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        match self.changes.get(&date) {
            Some(Change::Add(_)) => true,
            Some(Change::Remove) => false,
            None => computed_holidays(date.year())
                .iter()
                .any(|h| h.date == date),
        }
    }

    /// Whether `date` is a working day: Monday to Friday and not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_bank_holiday(date)
    }

    /// The `n`th working day after `date` (not counting `date` itself); `date` when `n` is
    /// 0. So from a Friday, 1 working day is the next Monday unless that is a holiday.
    ///
    /// Invariant: for `n > 0` the result is a working day and
    /// `working_days_between(date, result) == n`. Saturates at the last date chrono can
    /// represent.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The number of working days after `from` up to and including `to`: how many working
    /// days a task took if it was set on `from` and done on `to`. Negative when `to` is
    /// before `from`; 0 when they are the same day. Walks the days between, so it is meant
    /// for spans of weeks or months, not centuries.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (start, end, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = start
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= end)
            .filter(|d| self.is_working_day(*d))
            .count();
        sign * i64::try_from(count).unwrap_or(i64::MAX)
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) {
            date
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The deadline "by the end of the `n`th working day after `from`": 23:59:59 on the
    /// Europe/London clock on that day, as an instant (issue 5: a limit in working days
    /// falls due at the end of the Nth working day after the event). The day of `from` is
    /// its London date, so an event late on Friday evening in summer counts from Friday.
    /// With `n` of 0 the deadline is the end of the event's own day.
    pub fn end_of_working_day(&self, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        end_of_day(self.add_working_days(london_date(from), n))
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, also called
/// Meeus/Jones/Butcher), which the Church of England uses and so the bank holidays follow.
/// `None` only for years chrono cannot represent.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The bank holidays the rules alone give for `year` (reference §13), before any one-off
/// change, in date order.
///
/// Substitution: a holiday on a Saturday or Sunday is replaced by the next weekday that is
/// not already a holiday. The fixed-date holidays that fall on weekdays are placed first,
/// then the substitutes in calendar order, so Christmas on a Sunday gives Boxing Day on
/// Monday 26 and the Christmas substitute on Tuesday 27, and Christmas on a Saturday gives
/// Monday 27 (Christmas) and Tuesday 28 (Boxing Day).
pub fn computed_holidays(year: i32) -> Vec<BankHoliday> {
    let mut days = Vec::with_capacity(8);
    let mut plain = |date: Option<NaiveDate>, holiday: Holiday| {
        if let Some(date) = date {
            days.push(BankHoliday {
                date,
                holiday,
                substitute: false,
            });
        }
    };
    let easter = easter_sunday(year);
    plain(
        easter.and_then(|e| e.checked_sub_days(Days::new(2))),
        Holiday::GoodFriday,
    );
    plain(
        easter.and_then(|e| e.checked_add_days(Days::new(1))),
        Holiday::EasterMonday,
    );
    if year >= 1978 {
        plain(
            NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Mon, 1),
            Holiday::EarlyMay,
        );
    }
    plain(last_monday(year, 5), Holiday::SpringBank);
    plain(last_monday(year, 8), Holiday::SummerBank);

    let fixed = [
        (1, 1, Holiday::NewYearsDay),
        (12, 25, Holiday::ChristmasDay),
        (12, 26, Holiday::BoxingDay),
    ];
    let mut weekend = Vec::new();
    for (month, day, holiday) in fixed {
        let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
            continue;
        };
        if is_weekend(date) {
            weekend.push((date, holiday));
        } else {
            plain(Some(date), holiday);
        }
    }
    for (date, holiday) in weekend {
        let free = date
            .iter_days()
            .skip(1)
            .find(|d| !is_weekend(*d) && !days.iter().any(|h| h.date == *d));
        if let Some(sub) = free {
            days.push(BankHoliday {
                date: sub,
                holiday,
                substitute: true,
            });
        }
    }
    days.sort();
    days
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_monday();
    last.checked_sub_days(Days::new(u64::from(back)))
}

/// The date on the Europe/London clock at an instant.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

/// The instant at which the Europe/London clock shows `time` on `date`.
///
/// Around the clock changes (the last Sundays of March and October, at 01:00 UTC): a time
/// the clock skips in spring (01:00 to 01:59) is read as if the clock had not yet moved, so
/// 01:30 becomes 02:30 BST; a time it shows twice in autumn (01:00 to 01:59) is taken at its
/// later occurrence, which for a deadline gives the person who owes it the full time.
pub fn london_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t.with_timezone(&Utc),
        LocalResult::None => {
            // In a spring-forward gap: use the offset in force just before it.
            let before = local.checked_sub_signed(TimeDelta::days(1)).map_or(0, |b| {
                London.offset_from_utc_datetime(&b).fix().local_minus_utc()
            });
            let utc = local
                .checked_sub_signed(TimeDelta::seconds(i64::from(before)))
                .unwrap_or(local);
            utc.and_utc()
        }
    }
}

/// 23:59:59 on `date` on the Europe/London clock, as an instant: the end of the day for a
/// limit in working days (issue 5). London's clock changes happen at 01:00 UTC, so this
/// time always exists exactly once.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    london_instant(
        date,
        NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN),
    )
}

#[cfg(test)]
mod tests;

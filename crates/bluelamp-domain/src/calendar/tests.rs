use chrono::{Days, Timelike};
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, s)
        .single()
        .unwrap_or_default()
}

fn dates(year: i32, cal: &Calendar) -> Vec<String> {
    cal.holidays(year)
        .iter()
        .map(|h| h.date.format("%m-%d").to_string())
        .collect()
}

/// The England and Wales dates as GOV.UK publishes them (https://www.gov.uk/bank-holidays);
/// 2016 and 2017 are also reference §13's test vectors.
const GOV_UK: &[(i32, &[&str])] = &[
    (
        2011,
        &[
            "01-03", "04-22", "04-25", "04-29", "05-02", "05-30", "08-29", "12-26", "12-27",
        ],
    ),
    (
        2012,
        &[
            "01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26",
        ],
    ),
    (
        2016,
        &[
            "01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27",
        ],
    ),
    (
        2017,
        &[
            "01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26",
        ],
    ),
    (
        2018,
        &[
            "01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26",
        ],
    ),
    (
        2019,
        &[
            "01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26",
        ],
    ),
    (
        2020,
        &[
            "01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28",
        ],
    ),
    (
        2021,
        &[
            "01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28",
        ],
    ),
    (
        2022,
        &[
            "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26",
            "12-27",
        ],
    ),
    (
        2023,
        &[
            "01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26",
        ],
    ),
    (
        2024,
        &[
            "01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26",
        ],
    ),
    (
        2025,
        &[
            "01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26",
        ],
    ),
    (
        2026,
        &[
            "01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28",
        ],
    ),
    (
        2027,
        &[
            "01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28",
        ],
    ),
];

#[test]
fn bank_holidays_match_gov_uk() {
    let cal = Calendar::england_and_wales();
    for (year, expected) in GOV_UK {
        assert_eq!(dates(*year, &cal), *expected, "{year}");
    }
}

#[test]
fn substitute_days_are_named_as_gov_uk_names_them() {
    let cal = Calendar::england_and_wales();
    let titles = |year| -> Vec<String> {
        cal.holidays(year)
            .iter()
            .filter(|h| h.date.month() == 12 || h.date.month() == 1)
            .map(|h| format!("{} {h}", h.date.format("%m-%d")))
            .collect()
    };
    // Christmas on a Sunday: Boxing Day on Monday, Christmas substitute on Tuesday.
    assert_eq!(
        titles(2022),
        [
            "01-03 New Year's Day (substitute day)",
            "12-26 Boxing Day",
            "12-27 Christmas Day (substitute day)"
        ]
    );
    // Christmas on a Saturday: both substituted, in order.
    assert_eq!(
        titles(2021),
        [
            "01-01 New Year's Day",
            "12-27 Christmas Day (substitute day)",
            "12-28 Boxing Day (substitute day)"
        ]
    );
    // Boxing Day on a Saturday.
    assert_eq!(
        titles(2020),
        [
            "01-01 New Year's Day",
            "12-25 Christmas Day",
            "12-28 Boxing Day (substitute day)"
        ]
    );
    assert_eq!(
        cal.holiday(d(2023, 5, 8)).map(|h| h.to_string()),
        Some("Bank holiday for the coronation of King Charles III".to_string())
    );
    assert_eq!(
        cal.holiday(d(2020, 5, 8)).map(|h| h.holiday),
        Some(Holiday::EarlyMay)
    );
}

#[test]
fn the_computed_rules_alone_give_the_unmoved_dates() {
    let cal = Calendar::computed();
    assert_eq!(
        dates(2022, &cal),
        [
            "01-03", "04-15", "04-18", "05-02", "05-30", "08-29", "12-26", "12-27"
        ]
    );
    assert_eq!(
        dates(2020, &cal),
        [
            "01-01", "04-10", "04-13", "05-04", "05-25", "08-31", "12-25", "12-28"
        ]
    );
}

#[test]
fn easter_follows_the_gregorian_computus() {
    for (year, m, day) in [
        (1818, 3, 22),
        (1961, 4, 2),
        (2000, 4, 23),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2038, 4, 25),
        (2285, 3, 22),
    ] {
        assert_eq!(easter_sunday(year), Some(d(year, m, day)), "{year}");
    }
}

#[test]
fn the_proclaimed_table_is_consistent_with_the_rules() {
    // Building the table one change at a time from the computed calendar passes every
    // check `with` makes: each removal hits a holiday, each addition a day that is not one.
    let built = proclaimed()
        .into_iter()
        .try_fold(Calendar::computed(), |cal, (date, change)| {
            assert_ne!(date, NaiveDate::MIN);
            cal.with(date, change)
        });
    assert_eq!(built, Ok(Calendar::england_and_wales()));
}

#[test]
fn a_force_can_add_and_remove_days() {
    let cal = Calendar::england_and_wales();
    let extra = d(2030, 7, 1);
    let cal = cal
        .with(extra, Change::Add(Holiday::Proclaimed("Local day".into())))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(cal.is_bank_holiday(extra));
    assert_eq!(
        cal.clone()
            .with(extra, Change::Add(Holiday::Proclaimed("Again".into()))),
        Err(CalendarError::AlreadyAHoliday(extra))
    );
    // Removing the added day takes the change back.
    let cal = cal
        .with(extra, Change::Remove)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!cal.is_bank_holiday(extra));
    assert_eq!(cal, Calendar::england_and_wales());
    // Removing a day that is not a holiday is refused.
    assert_eq!(
        cal.clone().with(extra, Change::Remove),
        Err(CalendarError::NotAHoliday(extra))
    );
    // A removed computed day can be restored.
    let may = d(2020, 5, 4);
    let restored = cal
        .with(may, Change::Add(Holiday::EarlyMay))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(restored.is_bank_holiday(may));
    assert_eq!(
        restored.holiday(may).map(|h| h.holiday),
        Some(Holiday::EarlyMay)
    );
}

#[test]
fn working_days_skip_weekends_and_holidays() {
    let cal = Calendar::england_and_wales();
    // Friday to Monday.
    assert_eq!(cal.add_working_days(d(2024, 3, 8), 1), d(2024, 3, 11));
    // Saturday: the first working day after is Monday.
    assert_eq!(cal.add_working_days(d(2024, 3, 9), 1), d(2024, 3, 11));
    // Easter: Thursday 28 March 2024, then Good Friday, the weekend, Easter Monday.
    assert_eq!(cal.add_working_days(d(2024, 3, 28), 1), d(2024, 4, 2));
    // Christmas 2021 (both substituted) and the new year of 2022 (substituted).
    assert_eq!(cal.add_working_days(d(2021, 12, 24), 1), d(2021, 12, 29));
    assert_eq!(cal.add_working_days(d(2021, 12, 31), 1), d(2022, 1, 4));
    assert_eq!(cal.add_working_days(d(2021, 12, 23), 5), d(2022, 1, 4));
    // The 2022 jubilee: Thursday and Friday off.
    assert_eq!(cal.add_working_days(d(2022, 6, 1), 1), d(2022, 6, 6));
    assert_eq!(cal.add_working_days(d(2024, 3, 8), 0), d(2024, 3, 8));
    assert_eq!(cal.working_days_between(d(2021, 12, 23), d(2022, 1, 4)), 5);
    assert_eq!(cal.working_days_between(d(2022, 1, 4), d(2021, 12, 23)), -5);
    assert_eq!(cal.working_days_between(d(2022, 1, 4), d(2022, 1, 4)), 0);
    assert_eq!(
        cal.working_day_on_or_after(d(2022, 12, 24)),
        d(2022, 12, 28)
    );
    assert_eq!(
        cal.working_day_on_or_after(d(2022, 12, 28)),
        d(2022, 12, 28)
    );
}

#[test]
fn deadlines_fall_at_the_end_of_the_london_day() {
    let cal = Calendar::england_and_wales();
    // Winter: GMT, so 23:59:59 London is 23:59:59 UTC.
    assert_eq!(end_of_day(d(2024, 1, 15)), utc(2024, 1, 15, 23, 59, 59));
    // Summer: BST, an hour ahead.
    assert_eq!(end_of_day(d(2024, 7, 15)), utc(2024, 7, 15, 22, 59, 59));
    // The days the clocks change are already on the new offset by the evening.
    assert_eq!(end_of_day(d(2024, 3, 31)), utc(2024, 3, 31, 22, 59, 59));
    assert_eq!(end_of_day(d(2024, 10, 27)), utc(2024, 10, 27, 23, 59, 59));
    // 5 working days from Wednesday 23 October 2024 spans the clock change: Wednesday 30
    // October, in GMT.
    assert_eq!(
        cal.end_of_working_day(utc(2024, 10, 23, 10, 0, 0), 5),
        utc(2024, 10, 30, 23, 59, 59)
    );
    // Friday 23:30 BST is 22:30 UTC on Friday, and counts from Friday, not Saturday.
    assert_eq!(
        cal.end_of_working_day(utc(2024, 7, 12, 22, 30, 0), 1),
        utc(2024, 7, 15, 22, 59, 59)
    );
    // 23:30 UTC on a summer Friday is already Saturday in London.
    assert_eq!(
        cal.end_of_working_day(utc(2024, 7, 12, 23, 30, 0), 1),
        utc(2024, 7, 15, 22, 59, 59)
    );
    assert_eq!(
        cal.end_of_working_day(utc(2024, 7, 11, 23, 30, 0), 1),
        utc(2024, 7, 15, 22, 59, 59)
    );
}

#[test]
fn local_times_around_the_clock_changes() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    // Spring: 01:30 does not exist; read with the GMT offset, it is 02:30 BST.
    assert_eq!(
        london_instant(d(2024, 3, 31), t(1, 30)),
        utc(2024, 3, 31, 1, 30, 0)
    );
    assert_eq!(
        london_instant(d(2024, 3, 31), t(0, 59)),
        utc(2024, 3, 31, 0, 59, 0)
    );
    assert_eq!(
        london_instant(d(2024, 3, 31), t(2, 0)),
        utc(2024, 3, 31, 1, 0, 0)
    );
    // Autumn: 01:30 happens twice; the later (GMT) one is taken.
    assert_eq!(
        london_instant(d(2024, 10, 27), t(1, 30)),
        utc(2024, 10, 27, 1, 30, 0)
    );
    assert_eq!(
        london_instant(d(2024, 10, 27), t(0, 30)),
        utc(2024, 10, 26, 23, 30, 0)
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..(150 * 366)).prop_map(|o| {
        d(1978, 1, 1)
            .checked_add_days(Days::new(o))
            .unwrap_or_default()
    })
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day_n_working_days_on(
        date in any_date(),
        n in 1u32..40,
    ) {
        let cal = Calendar::england_and_wales();
        let due = cal.add_working_days(date, n);
        prop_assert!(due > date);
        prop_assert!(cal.is_working_day(due));
        prop_assert!(!matches!(due.weekday(), Weekday::Sat | Weekday::Sun));
        prop_assert_eq!(cal.working_days_between(date, due), i64::from(n));
        // The day before is fewer than n working days on.
        let before = due.pred_opt().unwrap_or(due);
        prop_assert_eq!(cal.working_days_between(date, before), i64::from(n) - 1);
    }

    #[test]
    fn working_days_between_adds_up_across_year_ends(
        a in any_date(),
        gap1 in 0u64..800,
        gap2 in 0u64..800,
    ) {
        let cal = Calendar::england_and_wales();
        let b = a.checked_add_days(Days::new(gap1)).unwrap_or(a);
        let c = b.checked_add_days(Days::new(gap2)).unwrap_or(b);
        prop_assert_eq!(
            cal.working_days_between(a, c),
            cal.working_days_between(a, b) + cal.working_days_between(b, c)
        );
        prop_assert_eq!(cal.working_days_between(c, a), -cal.working_days_between(a, c));
        // Never more working days than days, nor fewer than a week's share allows.
        let days = i64::try_from(gap1 + gap2).unwrap_or(i64::MAX);
        let worked = cal.working_days_between(a, c);
        prop_assert!(worked <= days);
        prop_assert!(worked >= days * 5 / 7 - 2 - 10 * (days / 365 + 1));
    }

    #[test]
    fn each_year_has_eight_computed_holidays_all_on_weekdays(year in 1978i32..2400) {
        let computed = computed_holidays(year);
        prop_assert_eq!(computed.len(), 8);
        for h in &computed {
            prop_assert!(!matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun), "{:?}", h);
            prop_assert_eq!(h.date.year(), year);
        }
        let mut unique: Vec<NaiveDate> = computed.iter().map(|h| h.date).collect();
        unique.dedup();
        prop_assert_eq!(unique.len(), 8);
        // Easter Sunday is a Sunday between 22 March and 25 April.
        let easter = easter_sunday(year);
        prop_assert!(easter.is_some_and(|e| e.weekday() == Weekday::Sun
            && e >= d(year, 3, 22) && e <= d(year, 4, 25)));
    }

    #[test]
    fn weekends_are_never_working_days(date in any_date()) {
        let cal = Calendar::england_and_wales();
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            prop_assert!(!cal.is_working_day(date));
        }
        prop_assert_eq!(
            cal.is_working_day(date),
            !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && cal.holiday(date).is_none()
        );
    }

    #[test]
    fn end_of_day_is_the_last_second_of_the_london_day(date in any_date()) {
        let end = end_of_day(date);
        let local = end.with_timezone(&London);
        prop_assert_eq!(local.date_naive(), date);
        prop_assert_eq!((local.hour(), local.minute(), local.second()), (23, 59, 59));
        prop_assert_eq!(london_date(end + TimeDelta::seconds(1)), date.succ_opt().unwrap_or(date));
    }

    #[test]
    fn every_london_time_maps_to_an_instant_showing_it_or_the_hour_after(
        date in any_date(),
        secs in 0u32..86_400,
    ) {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default();
        let at = london_instant(date, time).with_timezone(&London).naive_local();
        let wanted = date.and_time(time);
        prop_assert!(at == wanted || at == wanted + TimeDelta::hours(1), "{} {}", at, wanted);
    }
}

proptest! {
    #[test]
    fn consecutive_holidays_are_stepped_over_together(year in 1978i32..2400) {
        let cal = Calendar::computed();
        let easter = easter_sunday(year).unwrap_or_default();
        // From Maundy Thursday, the next working day is the Tuesday after Easter Monday.
        let thursday = easter.checked_sub_days(Days::new(3)).unwrap_or_default();
        let tuesday = easter.checked_add_days(Days::new(2)).unwrap_or_default();
        prop_assert_eq!(cal.add_working_days(thursday, 1), tuesday);
        // Christmas and Boxing Day, substituted or not, take two weekdays from 25 to 28
        // December, and New Year's Day one from 1 to 3 January.
        let december: Vec<NaiveDate> = computed_holidays(year)
            .into_iter()
            .map(|h| h.date)
            .filter(|h| h.month() == 12)
            .collect();
        prop_assert_eq!(december.len(), 2);
        prop_assert!(december.iter().all(|h| (25..=28).contains(&h.day())));
        let january = computed_holidays(year + 1)
            .into_iter()
            .filter(|h| h.date.month() == 1)
            .count();
        prop_assert_eq!(january, 1);
        // Across the year end, 24 December to 4 January holds exactly 3 holidays on
        // weekdays, so the working days are the weekdays less 3.
        let from = d(year, 12, 24);
        let to = d(year + 1, 1, 4);
        let weekdays = from
            .iter_days()
            .skip(1)
            .take_while(|x| *x <= to)
            .filter(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        prop_assert_eq!(
            cal.working_days_between(from, to),
            i64::try_from(weekdays).unwrap_or_default() - 3
        );
    }
}

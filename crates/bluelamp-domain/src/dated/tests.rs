use chrono::{Days, TimeZone};
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn targets() -> Dated<u32> {
    Dated::new(10, vec![(d(2010, 1, 1), 15), (d(2025, 4, 1), 12)]).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_value_that_never_changed_is_in_force_on_every_date() {
    let v = Dated::always("x");
    assert_eq!(*v.at(d(1900, 1, 1)), "x");
    assert_eq!(*v.at(d(2100, 1, 1)), "x");
    assert_eq!(*v.latest(), "x");
}

#[test]
fn a_change_takes_effect_on_its_date() {
    let v = targets();
    assert_eq!(*v.at(d(2009, 12, 31)), 10);
    assert_eq!(*v.at(d(2010, 1, 1)), 15);
    assert_eq!(*v.at(d(2025, 3, 31)), 15);
    assert_eq!(*v.at(d(2025, 4, 1)), 12);
    assert_eq!(*v.latest(), 12);
}

#[test]
fn an_instant_counts_on_its_london_date() {
    let v = targets();
    // 23:30 UTC on 31 March 2025 is 00:30 BST on 1 April: the new value.
    let t = Utc
        .with_ymd_and_hms(2025, 3, 31, 23, 30, 0)
        .single()
        .unwrap_or_default();
    assert_eq!(*v.at_instant(t), 12);
    // 23:30 UTC on 31 December 2009 is still 31 December in London (GMT).
    let t = Utc
        .with_ymd_and_hms(2009, 12, 31, 23, 30, 0)
        .single()
        .unwrap_or_default();
    assert_eq!(*v.at_instant(t), 10);
}

#[test]
fn overlapping_or_unordered_changes_are_refused() {
    assert_eq!(
        Dated::new(1, vec![(d(2020, 1, 1), 2), (d(2020, 1, 1), 3)]),
        Err(DatedError::Overlap {
            date: d(2020, 1, 1),
            previous: d(2020, 1, 1)
        })
    );
    assert!(Dated::new(1, vec![(d(2020, 1, 2), 2), (d(2020, 1, 1), 3)]).is_err());
    assert!(targets().then(d(2025, 4, 1), 9).is_err());
    assert!(targets().then(d(2020, 1, 1), 9).is_err());
    assert_eq!(
        targets()
            .then(d(2026, 1, 1), 9)
            .map(|v| *v.at(d(2026, 1, 1))),
        Ok(9)
    );
}

#[test]
fn periods_cover_all_time_without_gaps() {
    let v = targets();
    let p = v.periods();
    assert_eq!(p.len(), 3);
    assert_eq!(
        (p[0].from, p[0].until, *p[0].value),
        (None, Some(d(2010, 1, 1)), 10)
    );
    assert_eq!(
        (p[1].from, p[1].until, *p[1].value),
        (Some(d(2010, 1, 1)), Some(d(2025, 4, 1)), 15)
    );
    assert_eq!(
        (p[2].from, p[2].until, *p[2].value),
        (Some(d(2025, 4, 1)), None, 12)
    );
}

proptest! {
    #[test]
    fn at_gives_the_value_of_the_last_change_on_or_before_the_date(
        offsets in proptest::collection::btree_set(0u64..20_000, 0..8),
        query in 0u64..22_000,
    ) {
        let base = d(1990, 1, 1);
        let changes: Vec<(NaiveDate, u64)> = offsets
            .iter()
            .filter_map(|o| base.checked_add_days(Days::new(*o)).map(|date| (date, *o)))
            .collect();
        let v = Dated::new(u64::MAX, changes.clone());
        prop_assert!(v.is_ok());
        let v = v.unwrap_or_else(|_| Dated::always(0));
        let q = base.checked_add_days(Days::new(query)).unwrap_or(base);
        let expected = changes
            .iter()
            .rev()
            .find(|(date, _)| *date <= q)
            .map_or(u64::MAX, |(_, value)| *value);
        prop_assert_eq!(*v.at(q), expected);
        // The periods tile time: each ends where the next begins.
        let periods = v.periods();
        prop_assert_eq!(periods.len(), changes.len() + 1);
        for pair in periods.windows(2) {
            prop_assert_eq!(pair[0].until, pair[1].from);
        }
    }
}

use proptest::prelude::*;

use super::*;

#[test]
fn parses_each_precision() {
    assert_eq!("1971".parse(), Ok(PartialDate::Year(1971)));
    assert_eq!("1971-03".parse(), Ok(PartialDate::YearMonth(1971, 3)));
    assert_eq!(
        "1971-03-09".parse::<PartialDate>().map(|d| d.to_string()),
        Ok("1971-03-09".to_string())
    );
}

#[test]
fn rejects_impossible_and_malformed_dates() {
    for bad in [
        "",
        "71",
        "1971-3",
        "1971-13",
        "1971-02-30",
        "1971-03-09-01",
        "abcd",
        "1849",
        "2201",
        "+1971",
        "1971-00",
    ] {
        assert_eq!(bad.parse::<PartialDate>(), Err(PartialDateError), "{bad:?}");
    }
}

proptest! {
    #[test]
    fn display_round_trips(y in 1850i32..=2200, m in 1u32..=12, d in 1u32..=31) {
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            for p in [PartialDate::Year(y), PartialDate::YearMonth(y, m), PartialDate::Full(date)] {
                prop_assert_eq!(p.to_string().parse::<PartialDate>(), Ok(p));
            }
        }
    }

    #[test]
    fn never_panics(s in "\\PC{0,12}") {
        let _ = s.parse::<PartialDate>();
    }
}

//! Times are stored in UTC and shown in UK time (Europe/London), as officers read them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// "26 Nov 2026, 14:05" in UK time.
pub fn london(t: &DateTime<Utc>) -> String {
    t.with_timezone(&London)
        .format("%-d %b %Y, %H:%M")
        .to_string()
}

/// "9 Mar 1971".
pub fn day(d: &NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn summer_times_are_shown_an_hour_ahead_of_utc_and_winter_times_are_not() {
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).single();
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 23, 30, 0).single();
        assert_eq!(
            summer.map(|t| london(&t)).as_deref(),
            Some("2 Jul 2026, 00:30")
        );
        assert_eq!(
            winter.map(|t| london(&t)).as_deref(),
            Some("1 Dec 2026, 23:30")
        );
    }
}

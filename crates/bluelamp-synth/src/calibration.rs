//! Calibration: how many crimes of each Home Office offence code a run records, and when,
//! from the force's police recorded crime for 2017/18 (`data/recorded-crime-2017-18.csv`,
//! Open Government Licence v3.0).
//!
//! A force's count for a code in a financial quarter, divided over the quarter's three
//! months and scaled by the run's population over the force's reference population, is the
//! expected count for each month of the run; so a twelve-month run has the year's mix and
//! any shorter run its season's. Counts are whole crimes, allocated per offence code by the
//! largest remainder method (Hamilton's), so that even a small run has the right total and
//! its codes the nearest shares; each code's crimes are then allocated to months the same
//! way. Domestic abuse is flagged on an exact share of the run's crimes, allocated across
//! codes in proportion to how often each kind of offence is domestic.

use bluelamp_domain::csv;
use bluelamp_domain::offence::{HoOffenceCode, classification};
use chrono::{Datelike, Months, NaiveDate};

const CRIME_TABLE: &str = include_str!("../../../data/recorded-crime-2017-18.csv");

/// Whole numbers in proportion to `weights` that sum to exactly `total`: each gets the
/// floor of its share, and the remainder goes one by one to the largest fractional parts
/// (ties to the earlier). Zero weights get nothing unless every weight is zero, when the
/// total is spread evenly.
pub fn largest_remainder(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if weights.is_empty() {
        return vec![];
    }
    let shares: Vec<f64> = if sum > 0.0 {
        weights
            .iter()
            .map(|w| {
                if w.is_finite() && *w > 0.0 {
                    w / sum * total as f64
                } else {
                    0.0
                }
            })
            .collect()
    } else {
        vec![total as f64 / weights.len() as f64; weights.len()]
    };
    let mut out: Vec<u64> = shares.iter().map(|s| s.floor() as u64).collect();
    let given: u64 = out.iter().sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = shares[a] - shares[a].floor();
        let fb = shares[b] - shares[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order
        .iter()
        .cycle()
        .take(usize::try_from(total.saturating_sub(given)).unwrap_or(0))
    {
        out[i] += 1;
    }
    out
}

/// The force's recorded crime by offence code and financial quarter (1 is April to June).
#[derive(Debug, Clone)]
pub struct RecordedCrime {
    /// Per offence code, the count in each of the four quarters.
    pub by_code: Vec<(HoOffenceCode, [u64; 4])>,
}

impl RecordedCrime {
    /// The table's rows for the force it names `force`, in the classification's order of
    /// codes; `None` when it names no such force.
    pub fn of(force: &str) -> Option<RecordedCrime> {
        let mut by_code: Vec<(HoOffenceCode, [u64; 4])> = Vec::new();
        for f in csv::records(CRIME_TABLE) {
            let [name, quarter, code, n] = f.as_slice() else {
                continue;
            };
            if name != force {
                continue;
            }
            let (Ok(code), Ok(q), Ok(n)) = (
                code.parse::<HoOffenceCode>(),
                quarter.parse::<usize>(),
                n.parse::<i64>(),
            ) else {
                continue;
            };
            let n = u64::try_from(n).unwrap_or(0);
            match by_code.iter_mut().find(|(c, _)| *c == code) {
                Some((_, qs)) => {
                    if let Some(slot) = qs.get_mut(q.wrapping_sub(1)) {
                        *slot += n;
                    }
                }
                None => {
                    let mut qs = [0; 4];
                    if let Some(slot) = qs.get_mut(q.wrapping_sub(1)) {
                        *slot = n;
                    }
                    by_code.push((code, qs));
                }
            }
        }
        let order = |c: &HoOffenceCode| {
            classification()
                .iter()
                .position(|o| o.code == c.as_str())
                .unwrap_or(usize::MAX)
        };
        by_code.sort_by_key(|(c, _)| order(c));
        (!by_code.is_empty()).then_some(RecordedCrime { by_code })
    }

    /// The year's total.
    pub fn total(&self) -> u64 {
        self.by_code
            .iter()
            .map(|(_, q)| q.iter().sum::<u64>())
            .sum()
    }
}

/// The financial quarter (0 for April to June) a month falls in.
fn quarter_of(month: NaiveDate) -> usize {
    ((month.month0() + 9) % 12 / 3) as usize
}

/// The months of a run: `months` first days of months from `start`.
pub fn months_of(start: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let first = start.with_day(1).unwrap_or(start);
    (0..months)
        .filter_map(|m| first.checked_add_months(Months::new(m)))
        .collect()
}

/// The plan of a run's crimes: for each offence code, the expected (fractional) count, and
/// the whole count in each month.
#[derive(Debug, Clone)]
pub struct CrimePlan {
    pub months: Vec<NaiveDate>,
    /// Per code: expected count over the run, and the allocated count per month.
    pub codes: Vec<(HoOffenceCode, f64, Vec<u64>)>,
}

impl CrimePlan {
    /// Scales `recorded` to `population` (from `reference_population`) over the months of a
    /// run, and allocates whole crimes per code and per month.
    pub fn new(
        recorded: &RecordedCrime,
        reference_population: u64,
        population: u64,
        start: NaiveDate,
        months: u32,
    ) -> CrimePlan {
        let months = months_of(start, months);
        let scale = population as f64 / reference_population.max(1) as f64;
        let per_month: Vec<Vec<f64>> = recorded
            .by_code
            .iter()
            .map(|(_, q)| {
                months
                    .iter()
                    .map(|m| q.get(quarter_of(*m)).copied().unwrap_or(0) as f64 / 3.0 * scale)
                    .collect()
            })
            .collect();
        let expected: Vec<f64> = per_month.iter().map(|m| m.iter().sum()).collect();
        let total = expected.iter().sum::<f64>().round() as u64;
        let counts = largest_remainder(total, &expected);
        let codes = recorded
            .by_code
            .iter()
            .zip(expected)
            .zip(counts)
            .zip(per_month)
            .map(|((((code, _), e), n), m)| (*code, e, largest_remainder(n, &m)))
            .collect();
        CrimePlan { months, codes }
    }

    /// The number of crimes in the run.
    pub fn total(&self) -> u64 {
        self.codes
            .iter()
            .map(|(_, _, m)| m.iter().sum::<u64>())
            .sum()
    }
}

/// How often crimes of an offence subgroup are domestic abuse, relative to each other.
///
/// Shaped on the ONS "Domestic abuse in England and Wales" bulletins (year ending March
/// 2018): about a third of violence with injury, a third of stalking and harassment and of
/// rape, a tenth of criminal damage, little theft. Only the relative sizes matter: the share
/// of all crime that is domestic abuse is set separately (`SynthConfig::domestic_abuse_share`).
pub fn domestic_propensity(code: HoOffenceCode) -> f64 {
    match code.offence().subgroup.as_str() {
        "Homicide" => 0.18,
        "Violence with injury" => 0.33,
        "Violence without injury" => 0.30,
        "Stalking and harassment" => 0.38,
        "Rape offences" => 0.40,
        "Other sexual offences" => 0.12,
        "Criminal damage" => 0.10,
        "Arson" => 0.08,
        "Public order offences" => 0.04,
        "Domestic burglary" => 0.03,
        "Other theft offences" | "Robbery of personal property" => 0.02,
        "Theft from the person" => 0.01,
        "Miscellaneous crimes" => 0.05,
        _ => 0.0,
    }
}

/// How many of each code's `counts` crimes are domestic abuse, `total` in all: allocated in
/// proportion to count times [`domestic_propensity`], never more than a code has.
pub fn domestic_counts(codes: &[HoOffenceCode], counts: &[u64], total: u64) -> Vec<u64> {
    let cap: u64 = counts.iter().sum();
    let total = total.min(cap);
    let mut open: Vec<bool> = codes
        .iter()
        .map(|c| domestic_propensity(*c) > 0.0)
        .collect();
    let mut out = vec![0; counts.len()];
    loop {
        let fixed: u64 = out
            .iter()
            .zip(&open)
            .filter(|(_, o)| !**o)
            .map(|(n, _)| *n)
            .sum();
        let weights: Vec<f64> = codes
            .iter()
            .zip(counts)
            .zip(&open)
            .map(|((c, n), o)| {
                if *o {
                    domestic_propensity(*c) * *n as f64
                } else {
                    0.0
                }
            })
            .collect();
        if weights.iter().all(|w| *w <= 0.0) {
            return out;
        }
        let alloc = largest_remainder(total.saturating_sub(fixed), &weights);
        let mut capped = false;
        for i in 0..out.len() {
            if open[i] {
                out[i] = alloc[i].min(counts[i]);
                if alloc[i] >= counts[i] {
                    open[i] = false;
                    capped |= alloc[i] > counts[i];
                }
            }
        }
        if !capped {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_hits_the_total_and_the_nearest_shares() {
        assert_eq!(largest_remainder(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(largest_remainder(7, &[0.5, 0.3, 0.2]), [4, 2, 1]);
        assert_eq!(largest_remainder(3, &[0.0, 0.0]), [2, 1]);
        assert_eq!(largest_remainder(5, &[0.0, 2.0]), [0, 5]);
    }

    #[test]
    fn a_full_year_at_the_reference_population_is_the_recorded_year() {
        let rc = RecordedCrime::of("Leicestershire").unwrap_or_else(|| panic!("no data"));
        assert_eq!(rc.total(), 83_793);
        assert_eq!(rc.by_code.len(), 128);
        let start = NaiveDate::from_ymd_opt(2017, 4, 1).unwrap_or_default();
        let plan = CrimePlan::new(&rc, 1_050_000, 1_050_000, start, 12);
        assert_eq!(plan.total(), 83_793);
        for ((code, q), (c2, _, months)) in rc.by_code.iter().zip(&plan.codes) {
            assert_eq!(code, c2);
            assert_eq!(q.iter().sum::<u64>(), months.iter().sum::<u64>(), "{code}");
        }
    }

    #[test]
    fn small_runs_keep_the_total_and_the_season() {
        let rc = RecordedCrime::of("Leicestershire").unwrap_or_else(|| panic!("no data"));
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
        let plan = CrimePlan::new(&rc, 1_050_000, 10_000, start, 3);
        let expected: f64 = plan.codes.iter().map(|(_, e, _)| e).sum();
        assert_eq!(plan.total(), expected.round() as u64);
        assert_eq!(
            quarter_of(start),
            3,
            "January is in the fourth financial quarter"
        );
    }

    #[test]
    fn domestic_abuse_is_allocated_exactly_and_never_beyond_a_code() {
        let rc = RecordedCrime::of("Leicestershire").unwrap_or_else(|| panic!("no data"));
        let codes: Vec<HoOffenceCode> = rc.by_code.iter().map(|(c, _)| *c).collect();
        let counts: Vec<u64> = rc.by_code.iter().map(|(_, q)| q.iter().sum()).collect();
        let da = domestic_counts(&codes, &counts, 8_798);
        assert_eq!(da.iter().sum::<u64>(), 8_798);
        assert!(da.iter().zip(&counts).all(|(d, n)| d <= n));
        let tiny = domestic_counts(&codes[..3], &[1, 1, 1], 10);
        assert!(tiny.iter().sum::<u64>() <= 3);
    }
}

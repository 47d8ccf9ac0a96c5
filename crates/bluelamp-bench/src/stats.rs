//! Latency summaries: percentiles by the nearest-rank method over every sample kept.

use std::fmt;
use std::time::Duration;

/// A set of latency samples.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    /// Adds a sample.
    pub fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    /// Adds every sample of another set.
    pub fn extend(&mut self, other: Latencies) {
        self.0.extend(other.0);
    }

    /// How many samples.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `p`th percentile (0 to 100), nearest rank.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let mut v = self.0.clone();
        v.sort_unstable();
        let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1]
    }

    /// The mean.
    pub fn mean(&self) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        self.0.iter().sum::<Duration>() / self.0.len() as u32
    }

    /// The largest sample.
    pub fn max(&self) -> Duration {
        self.0.iter().max().copied().unwrap_or_default()
    }
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

impl fmt::Display for Latencies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "n={} mean={} ms p50={} ms p95={} ms p99={} ms max={} ms",
            self.len(),
            ms(self.mean()),
            ms(self.percentile(50.0)),
            ms(self.percentile(95.0)),
            ms(self.percentile(99.0)),
            ms(self.max())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut l = Latencies::default();
        for i in 1..=100 {
            l.push(Duration::from_millis(i));
        }
        assert_eq!(l.percentile(50.0), Duration::from_millis(50));
        assert_eq!(l.percentile(95.0), Duration::from_millis(95));
        assert_eq!(l.percentile(100.0), Duration::from_millis(100));
        assert_eq!(Latencies::default().percentile(95.0), Duration::ZERO);
    }
}

/// One timed half of a benchmark: how many operations, over how long, each one's latency.
#[derive(Debug)]
pub struct Phase {
    pub done: u64,
    pub elapsed: Duration,
    pub latencies: Latencies,
}

impl Phase {
    /// The operations of tasks started at `started`, ended now.
    pub fn since(started: std::time::Instant, latencies: Latencies) -> Phase {
        Phase {
            done: latencies.len() as u64,
            elapsed: started.elapsed(),
            latencies,
        }
    }

    /// Operations per second.
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.elapsed.as_secs_f64()
    }

    /// "what: N in S s, R/s; latencies".
    pub fn line(&self, what: &str) -> String {
        format!(
            "{what}: {} in {:.1} s, {:.0}/s; {}",
            self.done,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.latencies
        )
    }
}

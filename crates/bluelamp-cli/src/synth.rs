//! `bluelamp synth`, and the demo's first run: generating a synthetic force with a progress
//! bar. The generator itself is `bluelamp-synth`; this is its command line.

use std::time::{Duration, Instant};

use anyhow::Context;
use bluelamp_app::{App, Ctx};
use bluelamp_synth::{Progress, Summary, SynthConfig, SynthError};
use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

/// What to generate.
#[derive(Debug, Clone, Args)]
pub struct SynthArgs {
    /// The seed: the same seed and settings give the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Residents of the force.
    #[arg(long, default_value_t = 1_050_000)]
    pub population: u64,
    /// Months of incidents and crimes.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The first month, YYYY-MM (default: the months up to the last complete month).
    #[arg(long, value_parser = parse_month)]
    pub start: Option<NaiveDate>,
    /// Calls for service a year per thousand residents.
    #[arg(long = "incidents-per-1000", default_value_t = 350.0)]
    pub incidents_per_1000: f64,
}

/// The demo's settings for its synthetic force, used on its first run only.
#[derive(Debug, Clone, Args)]
pub struct DemoForceArgs {
    /// The seed of the demo force.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Residents of the demo force.
    #[arg(long, default_value_t = 1_050_000)]
    pub population: u64,
    /// Months of incidents and crimes in the demo force.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
}

fn parse_month(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d")
        .map_err(|_| "must be a month written YYYY-MM, such as 2024-04".to_string())
}

impl SynthArgs {
    /// The generator's configuration; `today` (from the system clock) places the default
    /// period.
    pub fn config(&self, today: NaiveDate) -> SynthConfig {
        let start = self
            .start
            .unwrap_or_else(|| SynthConfig::default_start(today, self.months));
        let mut c = SynthConfig::new(self.seed, self.population, self.months, start);
        c.incidents_per_1000 = self.incidents_per_1000;
        c
    }
}

impl From<DemoForceArgs> for SynthArgs {
    fn from(d: DemoForceArgs) -> Self {
        SynthArgs {
            seed: d.seed,
            population: d.population,
            months: d.months,
            start: None,
            incidents_per_1000: 350.0,
        }
    }
}

/// A progress bar per stage on standard error, remembering how long each stage took.
struct Bar {
    bar: std::sync::Mutex<Option<ProgressBar>>,
    stages: std::sync::Mutex<Vec<(String, Instant)>>,
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:<20} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        if let Ok(mut stages) = self.stages.lock() {
            stages.push((name.to_string(), Instant::now()));
        }
        if let Ok(mut slot) = self.bar.lock()
            && let Some(old) = slot.replace(bar)
        {
            old.finish();
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(b) = slot.as_ref()
        {
            b.inc(n);
        }
    }
}

impl Bar {
    fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(b) = slot.take()
        {
            b.finish();
        }
    }

    /// How long each stage took, as "name 1.2 s".
    fn timings(&self) -> String {
        let stages = self.stages.lock().map(|s| s.clone()).unwrap_or_default();
        let ends = stages
            .iter()
            .skip(1)
            .map(|(_, t)| *t)
            .chain([Instant::now()]);
        stages
            .iter()
            .zip(ends)
            .map(|((name, start), end)| format!("{name} {:.1} s", (end - *start).as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether the force holds no records yet.
///
/// # Errors
/// The database failed.
pub async fn is_empty(app: &App) -> anyhow::Result<bool> {
    let mut tx = app.begin().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let counts = bluelamp_store::record::count_by_kind(&mut tx, app.force.id).await?;
    tx.commit().await?;
    Ok(counts.iter().all(|(_, n)| *n == 0))
}

/// Generates the force and prints what was written.
///
/// # Errors
/// The generator refused (a non-empty force, settings out of range) or the database failed.
pub async fn run(
    app: &App,
    args: &SynthArgs,
    today: NaiveDate,
    os_user: &str,
) -> anyhow::Result<Summary> {
    let config = args.config(today);
    println!(
        "Generating a synthetic force: {} residents, {} months from {}, seed {}.",
        config.population,
        config.months,
        config.start.format("%Y-%m"),
        config.seed
    );
    let started = Instant::now();
    let bar = Bar {
        bar: std::sync::Mutex::new(None),
        stages: std::sync::Mutex::new(vec![]),
    };
    let result = bluelamp_synth::generate(app, &Ctx::operator(os_user), &config, &bar).await;
    bar.finish();
    let s = result
        .map_err(|e| match e {
            SynthError::App(a) => anyhow::anyhow!("{a}"),
            other => anyhow::anyhow!("{other}"),
        })
        .context("cannot generate the synthetic force")?;
    println!(
        "Generated in {:.1} s: {} locations, {} persons ({} victims, {} suspects), {} staff in {} teams, \
         {} incidents, {} crimes ({} domestic abuse), {} links.",
        started.elapsed().as_secs_f64(),
        s.locations,
        s.persons,
        s.victims,
        s.suspects,
        s.staff,
        s.teams,
        s.incidents,
        s.crimes,
        s.domestic_abuse_crimes,
        s.links
    );
    let f = &s.first_contact;
    println!(
        "First contact: {} THRIVE assessments ({} re-assessments, {} downgrades), {} crime-recording \
         decisions, {} closed, {} flagged for review, {} still queued ({} overdue), {} duties.",
        f.assessments,
        f.reassessments,
        f.downgrades,
        f.decisions_crime + f.decisions_not_a_crime,
        f.closed,
        f.flagged,
        f.queued,
        f.queued_overdue,
        f.duties
    );
    println!("{}", s.investigation);
    println!("Stages: {}.", bar.timings());
    Ok(s)
}

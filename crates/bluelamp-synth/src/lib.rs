//! The synthetic force generator: a realistic, reproducible force for the demo, the
//! benchmarks and tests, calibrated to published figures (design.md, "Layers").
//!
//! [`generate`] builds a force like Leicestershire by default: its 611 real LSOAs grouped
//! into neighbourhoods and local policing areas; a resident population in households at
//! addresses in those LSOAs, with realistic names, ages, sexes and ethnicities; staff in
//! teams; and a period of incidents and crimes whose mix and volume per Home Office offence
//! code match the force's recorded crime for 2017/18, scaled to the population and months
//! asked for, with heavy-tailed repeat victimisation and prolific offending, and domestic
//! abuse at about a tenth of crime. Residents become person records when they come to
//! police notice (as victims, suspects or offenders), as in a real force's records.
//!
//! Every incident comes with its first contact ([`first_contact`], issue 4): the channel,
//! its THRIVE assessments and grades (proposed by the force's grading rule, sometimes
//! overridden or re-assessed, a few inconsistent), the advice checklist, attendance against
//! the targets of its grade and setting, the crime-recording decision, its closure, the
//! queue still waiting at the end of the period, and the duties the duties engine raises
//! over all of it, with the shortcomings a supervisor or inspector should find.
//!
//! Every crime comes with its investigation and victims ([`investigation`], issue 5):
//! screening or allocation to a team and an investigator of the PIP level it needs,
//! the plan, supervision reviews on the schedule (late or missing for some), handovers
//! with their checklist, developments, referrals to the CPS and an outcome from the Home
//! Office framework (charge or summons for about 13.5% of crimes recorded), approved by a
//! supervisor where policy asks; and each victim's needs assessment, referral, contacts,
//! victim personal statement and survey answers, with the Victims' Code duties met, late or
//! missed as the engine computes them.
//!
//! The same configuration gives the same records, down to their ids: randomness comes from
//! seeded streams ([`seed`]) and time from the configuration, never the clock (only audit
//! timestamps and nothing else differ between runs). Everything is written in one
//! transaction with multi-row inserts (`bluelamp_store::bulk`), audited as one collection.

use std::collections::HashSet;

use bluelamp_app::{App, AppError, Ctx, authorise};
use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_store::StoreError;
use chrono::{Datelike, Months, NaiveDate};

pub mod calibration;
pub mod events;
pub mod first_contact;
pub mod geography;
pub mod investigation;
mod load;
pub mod names;
pub mod population;
pub mod seed;
pub mod staff;

pub use load::Summary;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// The seed: the same seed and settings give the same records.
    pub seed: u64,
    /// Residents.
    pub population: u64,
    /// Months of events, from `start`.
    pub months: u32,
    /// The first month of events (its day is ignored).
    pub start: NaiveDate,
    /// Calls for service a year per thousand residents (about 350 in a typical force).
    pub incidents_per_1000: f64,
    /// The share of crimes that are domestic abuse (about 10 to 11% in England and Wales:
    /// HMICFRS data for the year to June 2016 put it at 11%).
    pub domestic_abuse_share: f64,
    /// The force, as the reference data names it.
    pub force: String,
}

impl SynthConfig {
    /// The defaults for a population, months and seed: Leicestershire, 350 calls per
    /// thousand a year, 10.5% domestic abuse, starting at `start`.
    pub fn new(seed: u64, population: u64, months: u32, start: NaiveDate) -> SynthConfig {
        SynthConfig {
            seed,
            population,
            months,
            start,
            incidents_per_1000: 350.0,
            domestic_abuse_share: 0.105,
            force: "Leicestershire".to_string(),
        }
    }

    /// The default start: the `months` months up to the last complete month before
    /// `today`.
    pub fn default_start(today: NaiveDate, months: u32) -> NaiveDate {
        let this_month = today.with_day0(0).unwrap_or(today);
        this_month
            .checked_sub_months(Months::new(months))
            .unwrap_or(this_month)
    }
}

/// Why a run did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A setting is out of range.
    #[error("{0}")]
    Config(String),
    /// The reference data has no such force, or no profile for it yet.
    #[error("no synthetic profile for the force {0:?} (Leicestershire is available)")]
    UnknownForce(String),
    /// The force already holds records: a synthetic force is generated into an empty one.
    #[error("the force already holds {0}: generate a synthetic force into an empty database")]
    NotEmpty(String),
    /// A generated record broke a domain rule: a bug in the generator.
    #[error("a generated record is invalid: {0}")]
    Invalid(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for SynthError {
    fn from(e: StoreError) -> Self {
        SynthError::App(e.into())
    }
}

/// Reports progress to whoever watches: the CLI draws a bar.
pub trait Progress: Sync {
    /// A new stage of `total` steps begins.
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps of the stage are done.
    fn advance(&self, n: u64);
}

/// Progress that nobody watches.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}

/// Generates a synthetic force into `app`'s force, which must hold no records yet, as the
/// operator `ctx` (an operator's tool, like `user add`: it needs the rights to manage areas
/// and users, since it creates both). Answers what was written.
///
/// # Errors
/// [`SynthError::Config`] for settings out of range, [`SynthError::UnknownForce`],
/// [`SynthError::NotEmpty`], [`SynthError::App`] for a refusal or a database failure (then
/// nothing was written).
pub async fn generate(
    app: &App,
    ctx: &Ctx,
    config: &SynthConfig,
    progress: &dyn Progress,
) -> Result<Summary, SynthError> {
    authorise(ctx, Action::ManageAreas)?;
    authorise(ctx, Action::ManageUsers)?;
    if !(1..=100_000_000).contains(&config.population) {
        return Err(SynthError::Config(
            "population: must be between 1 and 100,000,000".into(),
        ));
    }
    if !(1..=120).contains(&config.months) {
        return Err(SynthError::Config(
            "months: must be between 1 and 120".into(),
        ));
    }
    if !(0.0..=5000.0).contains(&config.incidents_per_1000) {
        return Err(SynthError::Config(
            "incidents per 1000: must be between 0 and 5000".into(),
        ));
    }
    if !(0.0..=1.0).contains(&config.domestic_abuse_share) {
        return Err(SynthError::Config(
            "domestic abuse share: must be between 0 and 1".into(),
        ));
    }
    let profile = match config.force.as_str() {
        "Leicestershire" => &geography::LEICESTERSHIRE,
        other => return Err(SynthError::UnknownForce(other.to_string())),
    };
    let mut tx = app.begin().await?;
    let held: i64 = bluelamp_store::record::count_by_kind(&mut tx, app.force.id)
        .await?
        .iter()
        .map(|(_, n)| n)
        .sum();
    let areas = bluelamp_store::area::all(&mut tx, app.force.id)
        .await?
        .len();
    let mut taken = HashSet::new();
    let mut offset = 0;
    loop {
        let page = bluelamp_store::user::list(&mut tx, app.force.id, 500, offset).await?;
        offset += 500;
        let done = page.len() < 500;
        taken.extend(page.into_iter().map(|u| u.username));
        if done {
            break;
        }
    }
    tx.commit().await?;
    if held > 0 {
        return Err(SynthError::NotEmpty(format!("{held} records")));
    }
    if areas > 0 {
        return Err(SynthError::NotEmpty(format!("{areas} areas")));
    }
    progress.stage("Building the force", 1);
    let mut built = load::build(config, profile, &app.force.code, &taken, &app.config)?;
    let mut tx = app.begin().await?;
    let mut existing = std::collections::HashMap::new();
    for name in built.team_names() {
        let found = bluelamp_store::user::find_team(&mut tx, app.force.id, name).await;
        if let Some(id) = bluelamp_store::optional(found)? {
            existing.insert(name.to_string(), id);
        }
    }
    tx.commit().await?;
    built.reuse_teams(&existing);
    progress.advance(1);
    let summary = built.summary.clone();
    let mut tx = bluelamp_store::bulk::begin(&app.db).await?;
    let written = async {
        load::write(&mut tx, app.force.id, &built, progress).await?;
        app.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "synth.generate",
            None,
            summary.details(config),
        )
        .await?;
        Ok::<(), SynthError>(())
    }
    .await;
    match written {
        Ok(()) => {
            progress.stage("Committing", 1);
            bluelamp_store::bulk::finish(&app.db, tx).await?;
            progress.advance(1);
        }
        Err(e) => {
            drop(tx);
            bluelamp_store::bulk::restore(&app.db).await?;
            return Err(e);
        }
    }
    Ok(summary)
}

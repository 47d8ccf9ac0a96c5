//! The duties benchmarks of issue 5: a supervisor's overdue queue and an investigator's "my
//! duties" over a million open duties (targets: p95 under 50 ms each), and the escalation
//! sweep over them (target: under 10 s), all through the services (`App::duties`,
//! `App::sweep_escalations`) as the pages and the API call them, audit included.
//!
//! The database holds `--crimes` crimes and `--duties` unmet duties about them, raised over
//! the year before now: supervision reviews owed by 60 teams, victims' updates owed by 1,200
//! investigators, referrals owed by victim care; about one in seven is past due. It is built
//! once and reused (the sweep's escalations are removed before each run).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use bluelamp_app::duty::DutyQuery;
use bluelamp_app::{App, Config, Ctx, Page, SystemClock};
use bluelamp_domain::access::{Actor, Role};
use bluelamp_domain::audit::Channel;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::duty::{Duty, DutyKind, Notifiable, Owner, RuleId};
use bluelamp_domain::ids::{RecordId, TeamId, UserId};
use bluelamp_domain::record::RecordKind;
use bluelamp_store::Db;
use bluelamp_store::bulk::{self, NewRecord};
use chrono::{DurationRound, TimeDelta, Utc};
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::stats::{Latencies, ms};

#[derive(Debug, Args)]
pub struct DutiesArgs {
    #[arg(long, default_value = "sqlite://target/bench/duties.db")]
    database_url: String,
    /// Open duties to hold.
    #[arg(long, default_value_t = 1_000_000)]
    duties: usize,
    /// Crimes they are about.
    #[arg(long, default_value_t = 100_000)]
    crimes: usize,
    /// Queue requests to time, for each queue.
    #[arg(long, default_value_t = 300)]
    queries: usize,
}

const TEAMS: usize = 60;
const INVESTIGATORS: usize = 1_200;

fn team(i: usize) -> TeamId {
    TeamId::from_uuid(Uuid::from_u128(
        0x7ea0_0000_0000_0000_0000_0000_0000_0000 + i as u128,
    ))
}

fn investigator(i: usize) -> UserId {
    UserId::from_uuid(Uuid::from_u128(
        0x1a7e_0000_0000_0000_0000_0000_0000_0000 + i as u128,
    ))
}

/// The `i`th crime the duties are about.
fn crime(i: usize) -> RecordId {
    RecordId::from_uuid(Uuid::from_u128(
        0xc1_0000_0000_0000_0000_0000_0000_0000 + i as u128,
    ))
}

async fn count(db: &Db, sql: &'static str) -> anyhow::Result<i64> {
    Ok(match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        Db::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
    })
}

async fn exec(db: &Db, sql: &'static str) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
        Db::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ())?,
    }
    Ok(())
}

/// Builds the crimes and duties unless they are there.
async fn ensure_loaded(db: &Db, app: &App, args: &DutiesArgs) -> anyhow::Result<()> {
    let have = count(db, "SELECT COUNT(*) FROM duty").await?;
    if have >= args.duties as i64 {
        println!("Reusing {have} duties in {}.", args.database_url);
        return Ok(());
    }
    anyhow::ensure!(
        have == 0,
        "the database holds {have} duties, fewer than asked: start afresh"
    );
    let started = Instant::now();
    let force = app.force.id;
    let now = Utc::now().duration_trunc(TimeDelta::microseconds(1))?;
    let mut r = ChaCha8Rng::seed_from_u64(5);
    let crimes: Vec<RecordId> = (0..args.crimes).map(crime).collect();
    let theft: bluelamp_domain::offence::HoOffenceCode = "49"
        .parse()
        .map_err(|_| anyhow::anyhow!("offence code 49 is missing"))?;
    let mut tx = db.begin().await?;
    for chunk in crimes.chunks(20_000) {
        let records: Vec<NewRecord> = chunk
            .iter()
            .map(|id| NewRecord {
                id: *id,
                kind: RecordKind::Crime,
                created_at: now - TimeDelta::days(200),
                created_by: None,
            })
            .collect();
        bulk::records(&mut tx, force, &records).await?;
        let rows: Vec<(RecordId, Crime)> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let at = now - TimeDelta::days(200);
                (
                    *id,
                    Crime {
                        reference: format!("BEN/{:06}/{}", i, id.uuid().as_u128() % 100_000),
                        offence_code: theft,
                        committed_from: at,
                        committed_to: None,
                        recorded_at: at,
                        domestic_abuse: false,
                        location_id: None,
                        incident_id: None,
                    },
                )
            })
            .collect();
        bulk::crimes(&mut tx, force, &rows).await?;
    }
    let mut batch = Vec::with_capacity(50_000);
    for n in 0..args.duties {
        let subject = crimes[r.random_range(0..crimes.len())];
        let raised_at = now - TimeDelta::minutes(r.random_range(0..365 * 24 * 60));
        // About one in seven past due; the rest due within the coming weeks.
        let due = if r.random_bool(1.0 / 7.0) {
            now - TimeDelta::minutes(r.random_range(1..60 * 24 * 30))
        } else {
            now + TimeDelta::minutes(r.random_range(1..60 * 24 * 30))
        };
        let (kind, rule, owed_by) = match n % 10 {
            0..=3 => (
                DutyKind::ReviewInvestigation,
                RuleId::SupervisionSchedule,
                Owner::Team(team(r.random_range(0..TEAMS))),
            ),
            4..=8 => (
                DutyKind::InformVictim,
                RuleId::VictimUpdate,
                Owner::User(investigator(r.random_range(0..INVESTIGATORS))),
            ),
            _ => (
                DutyKind::ReferVictim,
                RuleId::VictimReferral,
                Owner::Role(Role::VictimCare),
            ),
        };
        batch.push((
            Uuid::now_v7(),
            Duty {
                kind,
                rule,
                owed_by,
                owed_to: None,
                subject,
                raised_at,
                due,
                met_at: None,
                development: (kind == DutyKind::InformVictim).then_some(Notifiable::Arrest),
            },
        ));
        if batch.len() == batch.capacity() {
            bulk::duties(&mut tx, force, &batch).await?;
            batch.clear();
        }
    }
    bulk::duties(&mut tx, force, &batch).await?;
    tx.commit().await?;
    if let Db::Sqlite(p) = db {
        sqlx::query("ANALYZE").execute(p).await?;
    }
    println!(
        "Loaded {} crimes and {} duties in {:.1} s.",
        args.crimes,
        args.duties,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restricts one crime in a hundred and archives one in two hundred (none named on the
/// restrictions, so they are hidden from the benchmark's users), as a real force holds a
/// few records hidden from most of its staff. Done again on every run; it changes nothing
/// the second time.
async fn hide_some(db: &Db, app: &App, args: &DutiesArgs) -> anyhow::Result<()> {
    let force = app.force.id.uuid();
    let archived_at = Utc::now() - TimeDelta::days(30);
    let mut tx = db.begin().await?;
    for i in 0..args.crimes {
        let id = crime(i).uuid();
        if i % 100 == 0 {
            bluelamp_store::exec!(&mut tx, c => sqlx::query(
                "UPDATE record SET restricted = TRUE WHERE force_id = $1 AND id = $2")
                .bind(force).bind(id).execute(c).await)?;
        } else if i % 200 == 1 {
            bluelamp_store::exec!(&mut tx, c => sqlx::query(
                "UPDATE record SET archived_at = $3 WHERE force_id = $1 AND id = $2 AND archived_at IS NULL")
                .bind(force).bind(id).bind(archived_at).execute(c).await)?;
        }
    }
    tx.commit().await?;
    let hidden = count(
        db,
        "SELECT COUNT(*) FROM record WHERE restricted = TRUE OR archived_at IS NOT NULL",
    )
    .await?;
    println!("{hidden} records restricted or archived.");
    Ok(())
}

fn ctx(user: UserId, roles: Vec<Role>, teams: Vec<TeamId>) -> Ctx {
    let actor = Actor {
        user_id: user,
        username: "bench".into(),
        roles,
        teams,
        agency: None,
    };
    Ctx::new(actor, Channel::Api, None)
}

async fn time_queue(
    app: &App,
    queries: usize,
    make: impl Fn(&mut ChaCha8Rng) -> (Ctx, DutyQuery),
) -> anyhow::Result<(Latencies, i64)> {
    let mut r = ChaCha8Rng::seed_from_u64(9);
    let mut lat = Latencies::default();
    let mut total = 0;
    for _ in 0..queries {
        let (ctx, query) = make(&mut r);
        let started = Instant::now();
        let page = app
            .duties(&ctx, &query, Page::FIRST)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        lat.push(started.elapsed());
        total += page.total;
    }
    Ok((lat, total / queries.max(1) as i64))
}

fn line(what: &str, lat: &Latencies, mean_total: i64) -> String {
    format!(
        "{what}: p50 {} ms, p95 {} ms, p99 {} ms, max {} ms (mean {} matching duties per queue)",
        ms(lat.percentile(50.0)),
        ms(lat.percentile(95.0)),
        ms(lat.percentile(99.0)),
        ms(lat.max()),
        mean_total
    )
}

/// Runs the duties benchmarks.
///
/// # Errors
/// The database cannot be prepared or a service fails.
pub async fn run(args: DutiesArgs) -> anyhow::Result<()> {
    crate::ensure_parent_dir(&args.database_url)?;
    let (db, _) = crate::load::open(&args.database_url).await?;
    let app = App::open_force(db.clone(), Arc::new(SystemClock), Config::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    ensure_loaded(&db, &app, &args).await.context("loading")?;
    hide_some(&db, &app, &args).await.context("hiding")?;
    exec(&db, "DELETE FROM duty WHERE rule = 'escalation'").await?;
    exec(
        &db,
        "UPDATE duty SET escalated_at = NULL WHERE escalated_at IS NOT NULL",
    )
    .await?;
    let open = count(&db, "SELECT COUNT(*) FROM duty WHERE met_at IS NULL").await?;
    println!("{open} open duties.");

    // A supervisor of two teams: their teams' overdue duties and the supervisors' own.
    let (sup, sup_total) = time_queue(&app, args.queries, |r| {
        let teams = vec![
            team(r.random_range(0..TEAMS)),
            team(r.random_range(0..TEAMS)),
        ];
        let c = ctx(
            UserId::from_uuid(Uuid::now_v7()),
            vec![Role::Supervisor],
            teams,
        );
        let q = DutyQuery {
            state: Some("overdue".into()),
            ..DutyQuery::default()
        };
        (c, q)
    })
    .await?;
    println!("{}", line("Supervisor's overdue queue", &sup, sup_total));

    // An investigator: everything they owe not yet met, the soonest first.
    let (mine, mine_total) = time_queue(&app, args.queries, |r| {
        let c = ctx(
            investigator(r.random_range(0..INVESTIGATORS)),
            vec![Role::Investigator],
            vec![team(r.random_range(0..TEAMS))],
        );
        let q = DutyQuery {
            state: Some("unmet".into()),
            ..DutyQuery::default()
        };
        (c, q)
    })
    .await?;
    println!("{}", line("My duties (unmet)", &mine, mine_total));
    let (due, due_total) = time_queue(&app, args.queries, |r| {
        let c = ctx(
            investigator(r.random_range(0..INVESTIGATORS)),
            vec![Role::Investigator],
            vec![team(r.random_range(0..TEAMS))],
        );
        let q = DutyQuery {
            state: Some("due".into()),
            ..DutyQuery::default()
        };
        (c, q)
    })
    .await?;
    println!("{}", line("My duties (due today)", &due, due_total));

    let started = Instant::now();
    let swept = app
        .sweep_escalations(&Ctx::operator("bench"))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let took: Duration = started.elapsed();
    println!(
        "Escalation sweep over {open} open duties: {} late found, {} escalations recorded, in {:.2} s.",
        swept.late,
        swept.escalated,
        took.as_secs_f64()
    );
    Ok(())
}

#[derive(Debug, Args)]
pub struct MyDutiesArgs {
    /// A synthetic force, as `bluelamp synth` writes one.
    #[arg(long, default_value = "sqlite:///work/force-year.db")]
    database_url: String,
    /// Requests to time, for each user and tab.
    #[arg(long, default_value_t = 300)]
    queries: usize,
}

/// "My duties" over a synthetic force's year: each tab (unmet, overdue, due today) of the
/// investigator and of the supervisor who owe the most unmet duties, personally, through
/// their teams and through their roles, through `App::duties` as the page calls it.
///
/// # Errors
/// The database cannot be opened, holds no force, or a service fails.
pub async fn run_force_year(args: MyDutiesArgs) -> anyhow::Result<()> {
    let db = Db::connect(&args.database_url)
        .await
        .with_context(|| format!("cannot open {}", args.database_url))?;
    db.migrate().await.context("cannot apply migrations")?;
    let app = App::open_force(db.clone(), Arc::new(SystemClock), Config::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let unmet: Vec<(String, i64)> = match &db {
        Db::Sqlite(p) => sqlx::query_as(UNMET_BY_OWNER).fetch_all(p).await?,
        Db::Pg(p) => sqlx::query_as(UNMET_BY_OWNER).fetch_all(p).await?,
    };
    let unmet: std::collections::HashMap<String, i64> = unmet.into_iter().collect();
    let records = count(&db, "SELECT COUNT(*) FROM record").await?;
    let duties = count(&db, "SELECT COUNT(*) FROM duty").await?;
    let hidden = count(
        &db,
        "SELECT COUNT(*) FROM record WHERE restricted = TRUE OR archived_at IS NOT NULL
         OR erased_at IS NOT NULL",
    )
    .await?;
    println!(
        "{records} records ({hidden} restricted, archived or erased), {duties} duties, {} unmet.",
        unmet.values().sum::<i64>()
    );
    let mut users = Vec::new();
    let mut tx = db.begin().await?;
    loop {
        let page =
            bluelamp_store::user::list(&mut tx, app.force.id, 500, users.len() as i64).await?;
        if page.is_empty() {
            break;
        }
        users.extend(page);
    }
    tx.commit().await?;
    let owed = |a: &Actor| -> i64 {
        a.owners()
            .iter()
            .map(|o| unmet.get(&o.to_string()).copied().unwrap_or(0))
            .sum()
    };
    for (what, role) in [
        ("investigator", Role::Investigator),
        ("supervisor", Role::Supervisor),
    ] {
        let busiest = users
            .iter()
            .map(bluelamp_app::auth::actor_of)
            .filter(|a| a.roles.contains(&role))
            .max_by_key(|a| (owed(a), a.user_id.uuid()))
            .with_context(|| format!("the force has no {what}"))?;
        println!(
            "The busiest {what}, {} ({} teams), owes {} unmet duties.",
            busiest.username,
            busiest.teams.len(),
            owed(&busiest)
        );
        for tab in ["unmet", "overdue", "due"] {
            let (lat, total) = time_queue(&app, args.queries, |_| {
                let q = DutyQuery {
                    state: Some(tab.into()),
                    ..DutyQuery::default()
                };
                (Ctx::new(busiest.clone(), Channel::Page, None), q)
            })
            .await?;
            println!(
                "{}",
                line(&format!("My duties ({what}, {tab})"), &lat, total)
            );
        }
    }
    Ok(())
}

const UNMET_BY_OWNER: &str =
    "SELECT owed_by, COUNT(*) FROM duty WHERE met_at IS NULL GROUP BY owed_by";

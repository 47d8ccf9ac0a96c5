//! Preparing a benchmark database: the force, a user to act as, and the synthetic population
//! bulk-loaded through the store's own insert functions, so that every row and search key is
//! exactly what the application would have written.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use bluelamp_app::user::UserInput;
use bluelamp_app::{App, Config, Ctx, SystemClock};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::nominal;
use bluelamp_domain::person::Person;
use bluelamp_domain::record::RecordKind;
use bluelamp_store::force::Force;
use bluelamp_store::user::User;
use bluelamp_store::{Db, person, record};
use chrono::{DurationRound, Utc};
use uuid::Uuid;

use crate::synth::Population;

/// The benchmark force.
pub const FORCE_NAME: &str = "Benchmark Constabulary (synthetic)";
pub const FORCE_CODE: &str = "BEN";
/// The password of benchmark users.
pub const PASSWORD: &str = "benchmark password, not secret";

/// Connects and migrates, and configures the benchmark force if the database has none.
///
/// # Errors
/// The database cannot be opened or serves another force.
pub async fn open(database_url: &str) -> anyhow::Result<(Db, Force)> {
    let db = Db::connect(database_url)
        .await
        .with_context(|| format!("cannot open {database_url}"))?;
    db.migrate().await.context("cannot apply migrations")?;
    let force = bluelamp_app::force::configure(&db, FORCE_NAME, FORCE_CODE, &SystemClock)
        .await
        .map_err(|e| anyhow::anyhow!("cannot configure the force: {e}"))?;
    Ok((db, force))
}

/// Adds a user with the investigator role (who may search and create), named uniquely for
/// this run.
///
/// # Errors
/// The user cannot be added.
pub async fn add_user(db: &Db) -> anyhow::Result<User> {
    let app = App::open_force(db.clone(), Arc::new(SystemClock), Config::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let username = format!("bench{}", Utc::now().timestamp_millis());
    let input = UserInput {
        username: username.clone(),
        display_name: Some("Benchmark".into()),
        password: Some(PASSWORD.into()),
        roles: vec!["investigator".into()],
        teams: vec![],
        areas: vec![],
        agency: None,
    };
    app.add_user(&Ctx::operator("bench"), &input)
        .await
        .map_err(|e| anyhow::anyhow!("cannot add the benchmark user: {e}"))
}

async fn count_persons(db: &Db) -> anyhow::Result<i64> {
    Ok(match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM person")
                .fetch_one(p)
                .await?
        }
        Db::Pg(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM person")
                .fetch_one(p)
                .await?
        }
    })
}

async fn surname_of(db: &Db, id: Uuid) -> anyhow::Result<Option<String>> {
    let sql = "SELECT surname FROM person WHERE id = $1";
    Ok(match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?,
        Db::Pg(p) => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?,
    })
}

/// Makes sure persons `0..n` of the population are loaded: loads what is missing, resuming an
/// interrupted load, and refuses a database loaded from another seed or with other persons.
/// Answers how many persons were loaded now.
///
/// # Errors
/// The database holds other data, or a write failed.
pub async fn ensure_loaded(
    db: &Db,
    force: &Force,
    pop: &Population,
    n: u64,
    batch: u64,
) -> anyhow::Result<u64> {
    let have = u64::try_from(count_persons(db).await?).unwrap_or(0);
    let matches = |i: u64| {
        let expected = pop.person(i).input.surname;
        async move {
            Ok::<bool, anyhow::Error>(
                surname_of(db, pop.id(i)).await?.as_deref() == Some(expected.as_str()),
            )
        }
    };
    if have > 0 && !(matches(0).await? && matches(have.min(n) - 1).await?) {
        bail!(
            "the database holds {have} persons that are not this seed's population: use another database"
        );
    }
    if have > n {
        bail!(
            "the database holds {have} persons, more than the {n} asked for: use another database"
        );
    }
    if have == n {
        println!("Reusing the {n} persons already loaded.");
        return Ok(0);
    }
    load(db, force, pop, have, n, batch).await?;
    Ok(n - have)
}

/// One person ready to insert.
struct Row {
    id: RecordId,
    person: Person,
    keys: Vec<String>,
}

/// Loads persons `from..to` in transactions of `batch` persons. A separate thread generates
/// the persons and their keys while this task writes.
async fn load(
    db: &Db,
    force: &Force,
    pop: &Population,
    from: u64,
    to: u64,
    batch: u64,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let today = Utc::now().date_naive();
    let (send, mut recv) = tokio::sync::mpsc::channel::<anyhow::Result<Vec<Row>>>(4);
    let seed_pop = Population::new(pop.seed());
    let producer = std::thread::spawn(move || {
        let mut i = from;
        while i < to {
            let end = (i + 1000).min(to);
            let rows: anyhow::Result<Vec<Row>> = (i..end)
                .map(|j| {
                    let s = seed_pop.person(j);
                    let person = Person::parse(&s.input, today)
                        .map_err(|e| anyhow::anyhow!("synthetic person {j} is invalid: {e:?}"))?;
                    let keys =
                        nominal::index_keys(&person.all_names(), person.date_of_birth.as_ref());
                    Ok(Row {
                        id: RecordId::from_uuid(s.id),
                        person,
                        keys,
                    })
                })
                .collect();
            if send.blocking_send(rows).is_err() {
                return;
            }
            i = end;
        }
    });
    let mut done = from;
    let mut in_tx = 0u64;
    let mut keys_written = 0u64;
    let mut tx = None;
    while let Some(rows) = recv.recv().await {
        for row in rows? {
            if tx.is_none() {
                if let Db::Sqlite(p) = db {
                    // A bigger page cache for the load only: the key index is written in key
                    // order, not insertion order.
                    sqlx::query("PRAGMA cache_size = -1048576")
                        .execute(p)
                        .await?;
                }
                tx = Some(db.begin().await?);
            }
            let t = tx.as_mut().context("no transaction")?;
            let now = Utc::now()
                .duration_trunc(chrono::Duration::microseconds(1))
                .unwrap_or_else(|_| Utc::now());
            record::insert(t, force.id, row.id, RecordKind::Person, None, now).await?;
            person::insert(t, force.id, row.id, &row.person, &row.keys).await?;
            keys_written += row.keys.len() as u64;
            done += 1;
            in_tx += 1;
            if in_tx == batch {
                if let Some(t) = tx.take() {
                    t.commit().await?;
                }
                in_tx = 0;
            }
            if done.is_multiple_of(50_000) {
                let secs = started.elapsed().as_secs_f64();
                println!(
                    "  loaded {done}/{to} persons ({:.0}/s, {keys_written} keys)",
                    (done - from) as f64 / secs
                );
            }
        }
    }
    if let Some(t) = tx.take() {
        t.commit().await?;
    }
    producer
        .join()
        .map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    if done != to {
        bail!("loaded {done} of {to} persons");
    }
    match db {
        Db::Sqlite(p) => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await?;
            sqlx::query("PRAGMA cache_size = -65536").execute(p).await?;
        }
        // Statistics for the planner, as after any bulk load: PostgreSQL's autovacuum may
        // be off or not have run yet (it is off on the benchmark machine).
        Db::Pg(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
        }
    }
    println!(
        "Loaded persons {from}..{to} in {:.0} s ({:.0} persons/s, {keys_written} search keys).",
        started.elapsed().as_secs_f64(),
        (to - from) as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}

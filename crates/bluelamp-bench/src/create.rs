//! The create benchmark: persons created over HTTP through the whole application (sign-in
//! check, validation, likely-match search, inserts, audit entry, one transaction each), then,
//! in the same run and on the same database, the same rows inserted through the same driver
//! with no application in between: the cost of the application beside the floor set by the
//! database.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bluelamp_app::person::person_json;
use bluelamp_domain::audit::{AuditFacts, ChainHead, Channel, Operation};
use bluelamp_domain::ids::{ForceId, RecordId, UserId};
use bluelamp_domain::nominal;
use bluelamp_domain::person::{Person, PersonInput};
use bluelamp_store::{Backend, Db, Tx, exec, on};
use chrono::{DateTime, DurationRound, Utc};
use sqlx::Connection;
use uuid::Uuid;

use crate::http::post_for;
use crate::load;
use crate::server::Server;
use crate::stats::{Latencies, Phase};
use crate::synth::Population;

/// What to run.
#[derive(Debug, Clone, clap::Args)]
pub struct CreateArgs {
    /// How long each half runs.
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    /// The database; it is emptied first.
    #[arg(long, default_value = "sqlite://target/bench/create.db")]
    pub database_url: String,
    /// Concurrent clients over HTTP, and concurrent writers when inserting directly.
    #[arg(long, default_value_t = 4)]
    pub clients: usize,
    /// Persons loaded before the run, so that each creation's likely-match search has a
    /// population to search.
    #[arg(long, default_value_t = 100_000)]
    pub preload: u64,
    /// The seed of the population.
    #[arg(long, default_value_t = 20261126)]
    pub seed: u64,
    /// The server: the `bluelamp` binary, or `builtin` for this binary's copy of
    /// `bluelamp serve` (the same router and database code, built together).
    #[arg(long, default_value = "target/release/bluelamp")]
    pub server: PathBuf,
}

/// A person's request body, as the API takes it.
fn body(p: &PersonInput) -> serde_json::Value {
    serde_json::json!({
        "forenames": p.forenames,
        "surname": p.surname,
        "aliases": p.aliases.iter().map(|a| serde_json::json!({"forenames": a.forenames, "surname": a.surname})).collect::<Vec<_>>(),
        "date_of_birth": p.date_of_birth,
        "date_of_birth_approximate": p.date_of_birth_approximate,
        "sex": p.sex,
        "ethnicity": p.ethnicity,
        "warning_markers": p.warning_markers.iter().map(|m| serde_json::json!({
            "kind": m.kind, "from": m.from, "until": m.until, "note": m.note})).collect::<Vec<_>>(),
    })
}

/// Empties the database: deletes the SQLite file, or drops and recreates the PostgreSQL
/// database (creating it if needed).
async fn reset(url: &str) -> anyhow::Result<()> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{path}{suffix}");
            if std::path::Path::new(&p).exists() {
                std::fs::remove_file(&p).with_context(|| format!("cannot delete {p}"))?;
            }
        }
        return Ok(());
    }
    let (base, name) = url
        .rsplit_once('/')
        .context("the PostgreSQL URL names no database")?;
    let name = name.split('?').next().unwrap_or(name);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("the database name {name:?} must be letters, digits and underscores");
    }
    let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .context("cannot reach PostgreSQL's postgres database")?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(())
}

/// Who the direct inserts are attributed to in the audit log.
#[derive(Debug, Clone)]
struct Actor {
    user_id: UserId,
    username: String,
}

fn now() -> DateTime<Utc> {
    let n = Utc::now();
    n.duration_trunc(chrono::Duration::microseconds(1))
        .unwrap_or(n)
}

/// The rows of one person, written with sqlx in one transaction: the registry row, the
/// person, aliases, markers, search keys, and the audit entry with its chain head. The SQL is
/// the store's; nothing of the application runs.
async fn insert_direct(
    db: &Db,
    force: ForceId,
    actor: &Actor,
    id: RecordId,
    p: &Person,
    keys: &[String],
    details: String,
) -> anyhow::Result<()> {
    let (f, r) = (force.uuid(), id.uuid());
    let at = now();
    let mut tx: Tx = db.begin().await?;
    exec!(&mut tx, c => sqlx::query(
        "INSERT INTO record (force_id, id, kind, restricted, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $5)")
        .bind(f).bind(r).bind("person").bind(false).bind(at).bind(Some(actor.user_id.uuid()))
        .execute(c).await)?;
    exec!(&mut tx, c => sqlx::query(
        "INSERT INTO person (force_id, id, forenames, surname, date_of_birth, dob_approximate, sex, ethnicity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(f).bind(r).bind(&p.name.forenames).bind(&p.name.surname)
        .bind(p.date_of_birth.map(|d| d.to_string())).bind(p.date_of_birth_approximate)
        .bind(p.sex.as_str()).bind(p.ethnicity.map(|e| e.as_str()))
        .execute(c).await)?;
    for (i, a) in p.aliases.iter().enumerate() {
        exec!(&mut tx, c => sqlx::query(
            "INSERT INTO person_alias (force_id, person_id, ordinal, forenames, surname) VALUES ($1, $2, $3, $4, $5)")
            .bind(f).bind(r).bind(i as i32).bind(&a.forenames).bind(&a.surname)
            .execute(c).await)?;
    }
    for (i, m) in p.warning_markers.iter().enumerate() {
        exec!(&mut tx, c => sqlx::query(
            "INSERT INTO warning_marker (force_id, person_id, ordinal, kind, valid_from, valid_until, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(f).bind(r).bind(i as i32).bind(m.kind.as_str()).bind(m.from).bind(m.until).bind(&m.note)
            .execute(c).await)?;
    }
    if !keys.is_empty() {
        let mut sql =
            String::from("INSERT INTO person_name_key (force_id, key, person_id) VALUES ");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, ${}, $2)", i + 3));
        }
        exec!(&mut tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(f).bind(r);
            for k in keys {
                q = q.bind(k);
            }
            q.execute(c).await
        })?;
    }
    let head_sql = match tx.backend() {
        Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE force_id = $1",
        Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE force_id = $1 FOR UPDATE",
    };
    let head: (i64, String) =
        on!(&mut tx, c => sqlx::query_as(head_sql).bind(f).fetch_one(c).await)?;
    let e = AuditFacts {
        at,
        user_id: Some(actor.user_id),
        username: actor.username.clone(),
        channel: Channel::Api,
        os_user: None,
        operation: Operation::Collection,
        action: "person.create".into(),
        record_id: Some(id),
        reason: None,
        request_id: Some(Uuid::now_v7().to_string()),
        details,
    }
    .chain(
        force,
        &ChainHead {
            seq: head.0,
            hash: head.1,
        },
    );
    exec!(&mut tx, c => sqlx::query(
        "INSERT INTO audit_event (force_id, seq, at, user_id, username, channel, os_user, operation, action,
            record_id, reason, request_id, details, details_hash, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
        .bind(f).bind(e.seq).bind(e.at).bind(e.user_id.map(|u| u.uuid())).bind(&e.username)
        .bind(e.channel.as_str()).bind(&e.os_user).bind(e.operation.as_str()).bind(&e.action)
        .bind(e.record_id.map(|r| r.uuid())).bind(&e.reason).bind(&e.request_id).bind(&e.details)
        .bind(&e.details_hash).bind(&e.prev_hash).bind(&e.hash)
        .execute(c).await)?;
    exec!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = $2, hash = $3 WHERE force_id = $1")
        .bind(f).bind(e.seq).bind(&e.hash).execute(c).await)?;
    tx.commit().await?;
    Ok(())
}

async fn direct(
    db: &Db,
    force: ForceId,
    actor: &Actor,
    pop: &Arc<Population>,
    next: &Arc<AtomicU64>,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<Phase> {
    let today = Utc::now().date_naive();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (db, pop, next, actor) = (db.clone(), pop.clone(), next.clone(), actor.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Latencies::default();
            while Instant::now() < deadline {
                let s = pop.person(next.fetch_add(1, Ordering::Relaxed));
                let person = Person::parse(&s.input, today)
                    .map_err(|e| anyhow::anyhow!("invalid synthetic person: {e:?}"))?;
                let keys = nominal::index_keys(&person.all_names(), person.date_of_birth.as_ref());
                let details = serde_json::json!({"after": person_json(&person)}).to_string();
                let id = RecordId::from_uuid(Uuid::now_v7());
                let t = Instant::now();
                insert_direct(&db, force, &actor, id, &person, &keys, details).await?;
                lat.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut latencies = Latencies::default();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Phase::since(started, latencies))
}

async fn count(db: &Db, sql: &'static str) -> anyhow::Result<i64> {
    Ok(match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        Db::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
    })
}

/// Runs the create benchmark and prints its results.
///
/// # Errors
/// Setting up failed, or a creation failed.
pub async fn run(args: CreateArgs) -> anyhow::Result<()> {
    crate::ensure_parent_dir(&args.database_url)?;
    reset(&args.database_url).await?;
    let pop = Arc::new(Population::new(args.seed));
    let (db, force) = load::open(&args.database_url).await?;
    load::ensure_loaded(&db, &force, &pop, args.preload, 20_000).await?;
    let user = load::add_user(&db).await?;
    let audit_before = count(&db, "SELECT COUNT(*) FROM audit_event").await?;
    db.close().await;
    let next = Arc::new(AtomicU64::new(args.preload));

    let log = PathBuf::from("target/bench/create-server.log");
    let mut server = Server::start(&args.server, &args.database_url, &log).await?;
    let token = crate::search::token(&server, &user.username).await?;
    println!(
        "Creating persons over HTTP for {} s with {} clients...",
        args.seconds, args.clients
    );
    let load_before = crate::server::load_average();
    let cpu_before = server.cpu_time()?;
    let http = {
        let pop = pop.clone();
        post_for(
            server.addr,
            &token,
            args.clients,
            args.seconds,
            "/api/v1/persons",
            &next,
            move |n| body(&pop.person(n).input),
        )
        .await?
    };
    let server_cpu = server.cpu_time()?.saturating_sub(cpu_before);
    let mem = server.memory()?;
    server.stop();

    println!(
        "Inserting the same rows directly for {} s with {} writers...",
        args.seconds, args.clients
    );
    let db = Db::connect(&args.database_url).await?;
    let actor = Actor {
        user_id: user.id,
        username: user.username.clone(),
    };
    let raw = direct(
        &db,
        force.id,
        &actor,
        &pop,
        &next,
        args.clients,
        args.seconds,
    )
    .await?;
    let load_after = crate::server::load_average();
    let persons = count(&db, "SELECT COUNT(*) FROM person").await?;
    let audit_after = count(&db, "SELECT COUNT(*) FROM audit_event").await?;
    db.close().await;
    let expected = args.preload + http.done + raw.done;
    if u64::try_from(persons).unwrap_or(0) != expected {
        bail!("the database holds {persons} persons, expected {expected}");
    }

    let backend = if args.database_url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!();
    println!(
        "Creating a person with its audit entry, {backend}, {} persons preloaded, {} s per half, {} concurrent:",
        args.preload, args.seconds, args.clients
    );
    println!(
        "  over HTTP (whole application): {} created, {:.1}/s; {}",
        http.done,
        http.rate(),
        http.latencies
    );
    println!(
        "  same rows through sqlx directly: {} inserted, {:.1}/s; {}",
        raw.done,
        raw.rate(),
        raw.latencies
    );
    println!(
        "  the application achieves {:.0}% of the direct rate; server VmHWM {} MiB; audit entries {audit_before} -> {audit_after}",
        100.0 * http.rate() / raw.rate().max(f64::MIN_POSITIVE),
        mem.hwm_kib / 1024
    );
    println!(
        "  server CPU time {:.2} ms per create over HTTP; load average {load_before} before, {load_after} after",
        server_cpu.as_secs_f64() * 1000.0 / http.done.max(1) as f64
    );
    println!(
        "RESULT create backend={backend} preload={} seconds={} clients={} http_rate={:.1} http_p50_ms={} http_p99_ms={} direct_rate={:.1} direct_p99_ms={}",
        args.preload,
        args.seconds,
        args.clients,
        http.rate(),
        crate::stats::ms(http.latencies.percentile(50.0)),
        crate::stats::ms(http.latencies.percentile(99.0)),
        raw.rate(),
        crate::stats::ms(raw.latencies.percentile(99.0)),
    );
    Ok(())
}

//! The nominal search benchmark: a loaded population, the real server, and a few thousand
//! name plus year-of-birth searches for known persons under deliberately misspelt names,
//! timed at the client; recall on the first page, and the server's resident memory.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::http::Client;
use crate::load;
use crate::server::Server;
use crate::stats::{Latencies, ms};
use crate::synth::{Population, Rng};
use crate::variants::{Variant, misspell};

/// What to run.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// Persons in the database (loaded if missing; an existing load is reused).
    #[arg(long, default_value_t = 1_000_000)]
    pub persons: u64,
    /// The database.
    #[arg(long, default_value = "sqlite://target/bench/search.db")]
    pub database_url: String,
    /// Timed searches.
    #[arg(long, default_value_t = 3000)]
    pub queries: usize,
    /// Untimed searches first, to warm the caches.
    #[arg(long, default_value_t = 200)]
    pub warmup: usize,
    /// Concurrent clients, each with its own kept-alive connection.
    #[arg(long, default_value_t = 1)]
    pub clients: usize,
    /// The seed of the population and of the searches.
    #[arg(long, default_value_t = 20261126)]
    pub seed: u64,
    /// Persons per transaction while loading.
    #[arg(long, default_value_t = 20_000)]
    pub batch: u64,
    /// The server: the `bluelamp` binary, or `builtin` for this binary's copy of
    /// `bluelamp serve` (the same router and database code, built together).
    #[arg(long, default_value = "target/release/bluelamp")]
    pub server: PathBuf,
    /// Print this many missed searches, to see what the search does not find.
    #[arg(long, default_value_t = 15)]
    pub show_misses: usize,
}

/// What to load.
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Persons to have in the database.
    #[arg(long, default_value_t = 1_000_000)]
    pub persons: u64,
    /// The database.
    #[arg(long, default_value = "sqlite://target/bench/search.db")]
    pub database_url: String,
    /// The seed of the population.
    #[arg(long, default_value_t = 20261126)]
    pub seed: u64,
    /// Persons per transaction.
    #[arg(long, default_value_t = 20_000)]
    pub batch: u64,
}

/// Loads the population and stops.
///
/// # Errors
/// The database cannot be opened or written.
pub async fn load_only(args: LoadArgs) -> anyhow::Result<()> {
    crate::ensure_parent_dir(&args.database_url)?;
    let pop = Population::new(args.seed);
    let (db, force) = load::open(&args.database_url).await?;
    load::ensure_loaded(&db, &force, &pop, args.persons, args.batch).await?;
    db.close().await;
    Ok(())
}

/// One search to make.
#[derive(Debug, Clone)]
struct Query {
    kind: Variant,
    name: String,
    year: i32,
    target: uuid::Uuid,
    recorded: String,
}

/// A search's outcome.
#[derive(Debug)]
struct Outcome {
    query: Query,
    latency: Duration,
    found_at: Option<usize>,
    total: u64,
}

fn queries(pop: &Population, n: u64, count: usize, seed: u64) -> Vec<Query> {
    let mut out = Vec::with_capacity(count);
    let mut rng = Rng::for_item(seed, 7, 0);
    let mut q = 0usize;
    while out.len() < count {
        let kind = Variant::ALL[q % Variant::ALL.len()];
        q += 1;
        // Draw persons until one suits the kind of error and has a date of birth.
        for _ in 0..10_000 {
            let index = rng.below(n as usize) as u64;
            let p = pop.person(index);
            let Some(year) = p
                .input
                .date_of_birth
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse::<i32>().ok())
            else {
                continue;
            };
            if let Some(name) = misspell(&p, kind, &mut rng) {
                out.push(Query {
                    kind,
                    name,
                    year,
                    target: p.id,
                    recorded: format!("{} {} {}", p.input.forenames, p.input.surname, year),
                });
                break;
            }
        }
    }
    out
}

async fn search(client: &mut Client, q: Query) -> anyhow::Result<Outcome> {
    let path = format!(
        "/api/v1/persons?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("name", &q.name)
            .append_pair("dob", &q.year.to_string())
            .finish()
    );
    let started = Instant::now();
    let res = client.get(&path).await?;
    let latency = started.elapsed();
    if res.status != 200 {
        bail!(
            "search {:?} answered {}: {}",
            q.name,
            res.status,
            String::from_utf8_lossy(&res.body)
        );
    }
    let body = res.json()?;
    let target = q.target.to_string();
    let found_at = body["items"]
        .as_array()
        .and_then(|items| items.iter().position(|i| i["id"].as_str() == Some(&target)));
    Ok(Outcome {
        latency,
        found_at,
        total: body["total"].as_u64().unwrap_or(0),
        query: q,
    })
}

async fn run_clients(
    server: &Server,
    token: &str,
    queries: Vec<Query>,
    clients: usize,
) -> anyhow::Result<(Vec<Outcome>, Duration)> {
    let clients = clients.max(1);
    let mut shares: Vec<Vec<Query>> = vec![Vec::new(); clients];
    for (i, q) in queries.into_iter().enumerate() {
        shares[i % clients].push(q);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for share in shares {
        let mut client = Client::new(server.addr).with_token(token);
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::with_capacity(share.len());
            for q in share {
                out.push(search(&mut client, q).await?);
            }
            Ok::<_, anyhow::Error>(out)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed()))
}

/// Signs in over the API and answers the bearer token.
///
/// # Errors
/// The server refused.
pub async fn token(server: &Server, username: &str) -> anyhow::Result<String> {
    let mut c = Client::new(server.addr);
    let res = c
        .post(
            "/api/v1/tokens",
            &serde_json::json!({"username": username, "password": load::PASSWORD}),
        )
        .await?;
    if res.status != 201 {
        bail!(
            "sign-in answered {}: {}",
            res.status,
            String::from_utf8_lossy(&res.body)
        );
    }
    res.json()?["token"]
        .as_str()
        .map(str::to_string)
        .context("no token in the answer")
}

/// Runs the search benchmark and prints its results.
///
/// # Errors
/// Setting up failed, or a search did not answer 200.
pub async fn run(args: SearchArgs) -> anyhow::Result<()> {
    crate::ensure_parent_dir(&args.database_url)?;
    let pop = Population::new(args.seed);
    let (db, force) = load::open(&args.database_url).await?;
    load::ensure_loaded(&db, &force, &pop, args.persons, args.batch).await?;
    let user = load::add_user(&db).await?;
    db.close().await;

    let all = queries(&pop, args.persons, args.warmup + args.queries, args.seed);
    let (warm, timed) = all.split_at(args.warmup.min(all.len()));

    let log = PathBuf::from("target/bench/search-server.log");
    let mut server = Server::start(&args.server, &args.database_url, &log).await?;
    let start_mem = server.memory()?;
    let token = token(&server, &user.username).await?;
    println!(
        "Server pid {} at {}; resident {} MiB after start.",
        server.pid(),
        server.addr,
        start_mem.rss_kib / 1024
    );
    let (warm_out, warm_time) = run_clients(&server, &token, warm.to_vec(), args.clients).await?;
    println!(
        "Warm-up: {} searches in {:.1} s.",
        warm_out.len(),
        warm_time.as_secs_f64()
    );
    let load_before = crate::server::load_average();
    let cpu_before = server.cpu_time()?;
    let (outcomes, elapsed) = run_clients(&server, &token, timed.to_vec(), args.clients).await?;
    let cpu = server.cpu_time()?.saturating_sub(cpu_before);
    let load_after = crate::server::load_average();
    let end_mem = server.memory()?;
    let peak_sampled = server.peak_sampled_rss_kib();
    server.stop();

    let mut lat = Latencies::default();
    if outcomes.is_empty() {
        bail!("no searches were made");
    }
    let mut by_kind: BTreeMap<Variant, (usize, usize, Latencies)> = BTreeMap::new();
    let mut candidates = Vec::new();
    for o in &outcomes {
        lat.push(o.latency);
        candidates.push(o.total);
        let e = by_kind.entry(o.query.kind).or_default();
        e.0 += 1;
        e.1 += usize::from(o.found_at.is_some());
        e.2.push(o.latency);
    }
    let found = outcomes.iter().filter(|o| o.found_at.is_some()).count();
    let top1 = outcomes.iter().filter(|o| o.found_at == Some(0)).count();
    candidates.sort_unstable();
    let median_total = candidates.get(candidates.len() / 2).copied().unwrap_or(0);
    println!();
    println!(
        "Nominal search, {} persons, {} searches (name + year of birth, misspelt), {} client(s):",
        args.persons,
        outcomes.len(),
        args.clients
    );
    if lat.is_empty() {
        bail!("no latencies were recorded");
    }
    println!("  latency: {lat}");
    println!(
        "  throughput: {:.1} searches/s",
        outcomes.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  recall (target on the first page of 20): {:.4} ({found}/{}); ranked first: {:.4}",
        found as f64 / outcomes.len().max(1) as f64,
        outcomes.len(),
        top1 as f64 / outcomes.len().max(1) as f64
    );
    println!("  median matches per search (total): {median_total}");
    println!(
        "  server CPU time: {:.2} ms per search; load average {load_before} before, {load_after} after",
        cpu.as_secs_f64() * 1000.0 / outcomes.len() as f64
    );
    for (kind, (n, hit, l)) in &by_kind {
        println!(
            "    {kind:<24} recall {:.4} ({hit}/{n})  p50 {} ms  p95 {} ms",
            *hit as f64 / (*n).max(1) as f64,
            ms(l.percentile(50.0)),
            ms(l.percentile(95.0))
        );
    }
    println!(
        "  server memory: VmHWM (peak resident) {} MiB; highest sampled VmRSS {} MiB; VmRSS at end {} MiB",
        end_mem.hwm_kib / 1024,
        peak_sampled / 1024,
        end_mem.rss_kib / 1024
    );
    let misses: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.found_at.is_none())
        .take(args.show_misses)
        .collect();
    if !misses.is_empty() {
        println!("  some misses (searched -> recorded):");
        for o in misses {
            println!(
                "    [{}] {:?} {} -> {} ({} matches)",
                o.query.kind, o.query.name, o.query.year, o.query.recorded, o.total
            );
        }
    }
    println!(
        "RESULT search persons={} searches={} clients={} p50_ms={} p95_ms={} p99_ms={} recall={:.4} vmhwm_mib={} cpu_ms_per_search={:.2} loadavg={load_before}/{load_after}",
        args.persons,
        outcomes.len(),
        args.clients,
        ms(lat.percentile(50.0)),
        ms(lat.percentile(95.0)),
        ms(lat.percentile(99.0)),
        found as f64 / outcomes.len().max(1) as f64,
        end_mem.hwm_kib / 1024,
        cpu.as_secs_f64() * 1000.0 / outcomes.len() as f64
    );
    Ok(())
}

/// What to analyse.
#[derive(Debug, Clone, clap::Args)]
pub struct AnalyseArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Searches to analyse.
    #[arg(long, default_value_t = 1000)]
    pub queries: usize,
    /// Write each search's keys to this file, one SQL IN-list a line.
    #[arg(long)]
    pub dump_keys: Option<PathBuf>,
}

/// For the benchmark's searches, without the server: how many persons share a key with each
/// search, and where the intended person ranks by keys shared (the order the store limits
/// candidates by). Shows how much work a search does and how safe a candidate limit is.
///
/// # Errors
/// The database cannot be read.
pub async fn analyse(args: AnalyseArgs) -> anyhow::Result<()> {
    use bluelamp_domain::nominal::{NameQuery, query_keys};
    use bluelamp_domain::partial_date::PartialDate;
    let pop = Population::new(args.load.seed);
    let (db, force) = load::open(&args.load.database_url).await?;
    let bluelamp_store::Db::Sqlite(pool) = &db else {
        bail!("analyse reads SQLite only");
    };
    let qs = queries(&pop, args.load.persons, args.queries, args.load.seed);
    let mut dump = match &args.dump_keys {
        Some(p) => Some(std::fs::File::create(p)?),
        None => None,
    };
    let mut persons = Vec::new();
    let mut rows = Vec::new();
    let mut ranks = Vec::new();
    let mut nkeys = Vec::new();
    for q in &qs {
        let keys = query_keys(&NameQuery {
            name: q.name.clone(),
            date_of_birth: Some(PartialDate::Year(q.year)),
            postcode: None,
        });
        nkeys.push(keys.len());
        if let Some(out) = &mut dump {
            use std::io::Write;
            let list = keys
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(out, "{list}")?;
        }
        let sql = format!(
            "WITH m AS MATERIALIZED (SELECT person_id FROM person_name_key WHERE force_id = $1 AND key IN ({}))
             SELECT person_id, COUNT(*) FROM m GROUP BY person_id",
            (0..keys.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ")
        );
        let mut query =
            sqlx::query_as::<_, (uuid::Uuid, i64)>(sqlx::AssertSqlSafe(sql)).bind(force.id.uuid());
        for k in &keys {
            query = query.bind(k);
        }
        let hits: Vec<(uuid::Uuid, i64)> = query.fetch_all(pool).await?;
        let total: i64 = hits.iter().map(|h| h.1).sum();
        let target = hits.iter().find(|h| h.0 == q.target).copied();
        let rank = target.map(|(tid, th)| {
            hits.iter()
                .filter(|(id, h)| *h > th || (*h == th && *id < tid))
                .count()
                + 1
        });
        persons.push(hits.len());
        rows.push(total as usize);
        ranks.push(rank.unwrap_or(usize::MAX));
    }
    let pct = |v: &mut Vec<usize>, p: f64| {
        v.sort_unstable();
        v.get(((p / 100.0) * v.len() as f64) as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{} searches: keys per search p50 {} max {}",
        qs.len(),
        pct(&mut nkeys, 50.0),
        pct(&mut nkeys, 99.9)
    );
    println!(
        "  key rows per search: p50 {} p95 {} max {}",
        pct(&mut rows, 50.0),
        pct(&mut rows, 95.0),
        pct(&mut rows, 99.9)
    );
    println!(
        "  persons sharing a key: p50 {} p95 {} max {}",
        pct(&mut persons, 50.0),
        pct(&mut persons, 95.0),
        pct(&mut persons, 99.9)
    );
    let missing = ranks.iter().filter(|r| **r == usize::MAX).count();
    println!("  intended person shares no key: {missing}");
    for limit in [100, 200, 300, 500, 750, 1000, 1500, 2000] {
        let within = ranks.iter().filter(|r| **r <= limit).count();
        println!(
            "  intended person within the first {limit} by keys shared: {:.4}",
            within as f64 / ranks.len() as f64
        );
    }
    db.close().await;
    Ok(())
}

/// Prints the query plan of the store's candidate query as the bundled SQLite makes it, for
/// one search (the planner of the `sqlite3` shell on the machine may differ).
///
/// # Errors
/// The database cannot be read.
pub async fn explain(args: AnalyseArgs) -> anyhow::Result<()> {
    let (db, _force) = load::open(&args.load.database_url).await?;
    let bluelamp_store::Db::Sqlite(pool) = &db else {
        bail!("explain reads SQLite only");
    };
    let sql = std::env::var("BENCH_SQL").context("set BENCH_SQL to the statement")?;
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(pool)
            .await?;
    for (id, parent, _, detail) in rows {
        println!("{id:>4} {parent:>4} {detail}");
    }
    let started = Instant::now();
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?
        .len();
    println!(
        "{n} rows in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    db.close().await;
    Ok(())
}

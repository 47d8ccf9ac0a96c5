//! The first-contact benchmark (issue 4): recording an incident with its THRIVE, advice,
//! queue place, duties and audit entries through the service function that HTTP calls;
//! the same over HTTP; the same rows inserted through the store's SQL with no service in
//! between; and the incident-management queue read with 10,000 open incidents, through
//! the service and over HTTP.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bluelamp_app::first_contact::{NewIncident, QueueQuery};
use bluelamp_app::user::UserInput;
use bluelamp_app::{App, Config, Ctx, Page, SystemClock};
use bluelamp_domain::access::Actor;
use bluelamp_domain::audit::{AuditFacts, Channel, Operation};
use bluelamp_domain::duty::{self, DutyRules, Event};
use bluelamp_domain::first_contact::{Advice, AdviceInput, AdviceItemInput, QueueEntry};
use bluelamp_domain::ids::{ForceId, LinkId, RecordId, UserId};
use bluelamp_domain::incident::{Incident, IncidentInput};
use bluelamp_domain::location::LocationInput;
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::{
    Assessment, AssessmentInput, GradingRule, JudgementInput, Setting, ThriveInput,
    VulnerabilityInput,
};
use bluelamp_store::Db;
use bluelamp_store::first_contact::StoredAssessment;
use chrono::{DateTime, DurationRound, Utc};
use uuid::Uuid;

use bluelamp_store::lane::Lane;

use crate::http::{Client, post_for};
use crate::server::Server;
use crate::stats::{Latencies, Phase, ms};

/// What to run.
#[derive(Debug, Clone, clap::Args)]
pub struct IncidentsArgs {
    /// Incidents recorded through the service (all left open in the queue).
    #[arg(long, default_value_t = 10_000)]
    pub incidents: u64,
    /// How long the HTTP and direct halves each run.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Queue reads timed, through the service and again over HTTP.
    #[arg(long, default_value_t = 1000)]
    pub queue_reads: usize,
    /// Concurrent callers.
    #[arg(long, default_value_t = 4)]
    pub clients: usize,
    /// The SQLite database; it is deleted first.
    #[arg(long, default_value = "target/bench/incidents.db")]
    pub database: PathBuf,
    /// The server for the HTTP half: the `bluelamp` binary, or `builtin`.
    #[arg(long, default_value = "target/release/bluelamp")]
    pub server: PathBuf,
    /// Stop after recording through the service: for counting its instructions under
    /// callgrind without the server, the queue reads and the timed phases.
    #[arg(long)]
    pub service_only: bool,
    /// Call the service and write the direct rows from the benchmark's own threads instead
    /// of the database lane the server runs requests on (`bluelamp_store::lane`).
    #[arg(long)]
    pub without_lane: bool,
}

const PASSWORD: &str = "benchmark password, not a secret";
const LEVELS: [&str; 3] = ["low", "medium", "high"];
const CATEGORIES: [&str; 5] = [
    "crime",
    "domestic",
    "anti_social_behaviour",
    "concern_for_welfare",
    "suspicious",
];
const FACTORS: [&str; 4] = ["child", "mental_health", "older_person", "repeat_victim"];

/// A cheap deterministic mix for incident `n`.
fn mix(n: u64, salt: u64) -> usize {
    let x = n
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    ((x ^ (x >> 31)) % 1009) as usize
}

fn judged(n: u64, salt: u64, why: &str) -> JudgementInput {
    JudgementInput {
        level: Some(LEVELS[mix(n, salt) % 3].into()),
        rationale: Some(why.into()),
    }
}

/// Incident `n` as a call handler sends it: an address given inline, a complete THRIVE
/// with levels spread over the grades, and the advice checklist.
fn call(n: u64, received_at: DateTime<Utc>) -> NewIncident {
    let factors = (0..mix(n, 7) % 3)
        .map(|i| FACTORS[(mix(n, 8) + i) % FACTORS.len()].to_string())
        .collect();
    NewIncident {
        incident: IncidentInput {
            reference: format!("B{n:09}"),
            channel: if n.is_multiple_of(4) { "999" } else { "101" }.into(),
            received_at: received_at.to_rfc3339(),
            occurred_at: None,
            category: CATEGORIES[mix(n, 1) % CATEGORIES.len()].into(),
            location_id: None,
            summary: "Caller reports a disturbance outside a neighbour's house".into(),
        },
        location: Some(LocationInput {
            address_lines: vec![format!("{} High Street", n % 300 + 1)],
            postcode: Some("LE1 5WW".into()),
            ..LocationInput::default()
        }),
        caller_ids: vec![],
        subject_ids: vec![],
        assessment: AssessmentInput {
            thrive: Some(ThriveInput {
                threat: Some(judged(n, 2, "Threats were made on the phone")),
                harm: Some(judged(n, 3, "No injuries reported so far")),
                risk: Some(judged(n, 4, "Previous calls to this address")),
                investigation: Some(judged(n, 5, "Doorbell camera covers the street")),
                vulnerability: Some(VulnerabilityInput {
                    level: Some(LEVELS[mix(n, 6) % 3].into()),
                    rationale: Some("Caller lives alone".into()),
                    factors,
                }),
                engagement: Some(judged(n, 9, "Caller willing to speak to officers")),
            }),
            grade: Default::default(),
        },
        advice: Some(AdviceInput {
            evidence_preservation: Some(AdviceItemInput {
                given: Some(true),
                reason: None,
            }),
            crime_prevention: Some(AdviceItemInput {
                given: Some(true),
                reason: None,
            }),
        }),
    }
}

fn now() -> DateTime<Utc> {
    let n = Utc::now();
    n.duration_trunc(chrono::Duration::microseconds(1))
        .unwrap_or(n)
}

/// Runs `clients` tasks calling `f(n)` for the next `n`, until `count` calls are made (when
/// given) or `seconds` have passed.
async fn drive<F, Fut>(
    lane: Option<&Lane>,
    clients: usize,
    next: &Arc<AtomicU64>,
    count: Option<u64>,
    seconds: u64,
    f: F,
) -> anyhow::Result<Phase>
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let start_n = next.load(Ordering::Relaxed);
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (f, next) = (f.clone(), next.clone());
        let caller = async move {
            let mut lat = Latencies::default();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let more = match count {
                    Some(c) => n < start_n + c,
                    None => Instant::now() < deadline,
                };
                if !more {
                    break;
                }
                let t = Instant::now();
                f(n).await?;
                lat.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        };
        tasks.push(match lane {
            Some(lane) => lane.spawn(caller),
            None => tokio::spawn(caller),
        });
    }
    let mut latencies = Latencies::default();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Phase::since(started, latencies))
}

/// Call `n`, taken through the service as `POST /api/v1/incidents` takes it.
async fn take_call(app: App, ctx: Ctx, n: u64) -> anyhow::Result<()> {
    let input = call(n, now() - chrono::Duration::minutes(2));
    app.take_call(&ctx, &input)
        .await
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("take_call: {e}"))
}

async fn sql(db: &Db, statement: &'static str) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(p) => sqlx::query(statement).execute(p).await.map(|_| ())?,
        Db::Pg(p) => sqlx::query(statement).execute(p).await.map(|_| ())?,
    }
    Ok(())
}

async fn count(db: &Db, statement: &'static str) -> anyhow::Result<i64> {
    Ok(match db {
        Db::Sqlite(p) => sqlx::query_scalar(statement).fetch_one(p).await?,
        Db::Pg(p) => sqlx::query_scalar(statement).fetch_one(p).await?,
    })
}

/// The rows `take_call` writes for a call, written through the store's SQL in one
/// transaction with no service in between: the location and incident records, the
/// `occurred_at` link, the assessment, the advice, the queue place, the duties the
/// duties engine raises and meets, and the two audit entries with their chain.
async fn insert_direct(db: &Db, force: ForceId, user: UserId, n: u64) -> anyhow::Result<()> {
    let at = now();
    let input = call(n, at);
    let incident = Incident::parse(&input.incident, at).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rule = GradingRule::issue_4_default();
    let assessment =
        Assessment::parse(&input.assessment, &rule, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let f = force;
    let mut tx = db.begin().await?;
    let location = RecordId::from_uuid(Uuid::now_v7());
    let id = RecordId::from_uuid(Uuid::now_v7());
    bluelamp_store::record::insert(&mut tx, f, location, RecordKind::Location, Some(user), at)
        .await?;
    let l =
        bluelamp_domain::location::Location::parse(input.location.as_ref().context("no location")?)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    bluelamp_store::location::insert(&mut tx, f, location, &l).await?;
    bluelamp_store::record::insert(&mut tx, f, id, RecordKind::Incident, Some(user), at).await?;
    let incident = Incident {
        location_id: Some(location),
        ..incident
    };
    let grade = assessment.decision.chosen;
    bluelamp_store::incident::insert(&mut tx, f, id, &incident, None, Some(grade)).await?;
    let link = bluelamp_store::link::NewLink {
        id: LinkId::from_uuid(Uuid::now_v7()),
        from: id,
        role: LinkRole::OccurredAt,
        to: location,
    };
    bluelamp_store::link::insert(&mut tx, f, &link, user, at).await?;
    let advice = Advice {
        evidence_preservation: bluelamp_domain::first_contact::AdviceItem::Given,
        crime_prevention: bluelamp_domain::first_contact::AdviceItem::Given,
    };
    bluelamp_store::first_contact::insert_advice(&mut tx, f, id, &advice, at, user).await?;
    let entry = QueueEntry {
        grade,
        risk: assessment.thrive.risk.level,
        vulnerability: assessment.thrive.vulnerability.level,
        factors: assessment.thrive.factors.iter().copied().collect(),
        received_at: incident.received_at,
        queued_at: at,
        wait_allowed: DutyRules::default().queue_wait(grade, Setting::Urban, at),
    };
    let stored = StoredAssessment {
        id: Uuid::now_v7(),
        seq: 1,
        revises: None,
        assessed_at: at,
        assessed_by: user,
        assessment,
        setting: Setting::Urban,
    };
    bluelamp_store::first_contact::insert_assessment(&mut tx, f, id, &stored).await?;
    bluelamp_store::first_contact::enqueue(&mut tx, f, id, &entry, None).await?;
    let rules = DutyRules::default();
    let calendar = bluelamp_domain::calendar::Calendar::england_and_wales();
    let duties = duty::replay(
        &[
            Event::IncidentOpened {
                incident: id,
                at,
                reported_at: incident.received_at,
                category: incident.category,
            },
            Event::ThriveRecorded {
                incident: id,
                at,
                grade,
            },
            Event::IncidentQueued {
                incident: id,
                at,
                grade,
                setting: Setting::Urban,
            },
        ],
        &rules,
        &calendar,
    );
    bluelamp_store::duty::insert(&mut tx, f, &duties).await?;
    // As the service audits a call: the new location's entry and the incident's, which
    // carries the advice and the assessment.
    for (action, record) in [("location.create", location), ("incident.create", id)] {
        let facts = AuditFacts {
            at,
            user_id: Some(user),
            username: "bench.call.handler".into(),
            channel: Channel::Api,
            os_user: None,
            operation: Operation::Collection,
            action: action.into(),
            record_id: Some(record),
            reason: None,
            request_id: None,
            details: "{}".into(),
        };
        bluelamp_store::audit::append(&mut tx, f, facts).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Runs the first-contact benchmark and prints its results.
///
/// # Errors
/// Setting up failed, or an action failed.
pub async fn run(args: IncidentsArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all("target/bench")?;
    let path = args.database.to_string_lossy().to_string();
    for suffix in ["", "-wal", "-shm"] {
        let p = format!("{path}{suffix}");
        if std::path::Path::new(&p).exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot delete {p}"))?;
        }
    }
    let url = format!("sqlite://{path}");
    let lane = if args.without_lane {
        None
    } else {
        Some(Lane::start()?)
    };
    let db = Db::connect_on(&url, lane.as_ref()).await?;
    db.migrate().await?;
    bluelamp_app::force::configure(&db, "Benchmark Constabulary", "BEN", &SystemClock)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // As issue 4 asks: WAL (as always) with synchronous=NORMAL, on the pool's one
    // connection. The product's default is FULL; that is measured too.
    sql(&db, "PRAGMA synchronous = NORMAL").await?;
    let app = App::open_force(db.clone(), Arc::new(SystemClock), Config::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let operator = Ctx::operator("bench");
    let user = app
        .add_user(
            &operator,
            &UserInput {
                username: "bench.call.handler".into(),
                display_name: Some("Benchmark".into()),
                password: Some(PASSWORD.into()),
                roles: vec!["call_handler".into()],
                teams: vec![],
                areas: vec![],
                agency: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let actor = Actor {
        user_id: user.id,
        username: user.username.clone(),
        roles: vec![bluelamp_domain::access::Role::CallHandler],
        teams: vec![],
        agency: None,
    };
    let ctx = Ctx::new(actor, Channel::Api, None);
    let next = Arc::new(AtomicU64::new(0));
    let load_before = crate::server::load_average();

    println!(
        "Recording {} incidents through the service (synchronous=NORMAL), {} callers...",
        args.incidents, args.clients
    );
    let cpu_before = crate::server::cpu_time(std::process::id())?;
    let service = {
        let (app, ctx) = (app.clone(), ctx.clone());
        drive(
            lane.as_ref(),
            args.clients,
            &next,
            Some(args.incidents),
            0,
            move |n| take_call(app.clone(), ctx.clone(), n),
        )
        .await?
    };
    let service_cpu = crate::server::cpu_time(std::process::id())?.saturating_sub(cpu_before);
    let open = count(&db, "SELECT COUNT(*) FROM incident_queue").await?;
    if u64::try_from(open).unwrap_or(0) != args.incidents {
        bail!("{open} incidents queued, expected {}", args.incidents);
    }
    if args.service_only {
        println!(
            "  {}",
            service.line("service take_call, synchronous=NORMAL")
        );
        println!(
            "    CPU {:.2} ms per incident",
            service_cpu.as_secs_f64() * 1000.0 / service.done.max(1) as f64
        );
        db.close().await;
        return Ok(());
    }

    println!("Reading the queue ({open} open) through the service...");
    let mut queue_service = Latencies::default();
    for i in 0..args.queue_reads {
        let query = QueueQuery {
            area: None,
            grade: (i % 2 == 1).then(|| "priority".to_string()),
        };
        let page = Page::new(Some(1 + (i as u32 % 5)), Some(20))?;
        let t = Instant::now();
        let p = app
            .incident_queue(&ctx, &query, page)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        queue_service.push(t.elapsed());
        if p.lines.is_empty() {
            bail!("an empty page of the queue");
        }
    }

    db.close().await;

    // The queue over HTTP with the same 10,000 open; then recording over HTTP.
    let log = PathBuf::from("target/bench/incidents-server.log");
    let mut server = Server::start(&args.server, &url, &log).await?;
    let mut c = Client::new(server.addr);
    let res = c
        .post(
            "/api/v1/tokens",
            &serde_json::json!({"username": "bench.call.handler", "password": PASSWORD}),
        )
        .await?;
    let token = res.json()?["token"]
        .as_str()
        .map(str::to_string)
        .context("no token")?;
    let mut client = Client::new(server.addr).with_token(&token);
    let mut queue_http = Latencies::default();
    for i in 0..args.queue_reads {
        let path = if i % 2 == 1 {
            format!(
                "/api/v1/queues/incident-management?grade=priority&page={}",
                1 + i % 5
            )
        } else {
            format!("/api/v1/queues/incident-management?page={}", 1 + i % 5)
        };
        let t = Instant::now();
        let res = client.get(&path).await?;
        queue_http.push(t.elapsed());
        if res.status != 200 {
            bail!("the queue answered {}", res.status);
        }
    }
    println!(
        "Recording incidents over HTTP (the server's synchronous=FULL) for {} s...",
        args.seconds
    );
    let cpu_before = server.cpu_time()?;
    let http = post_for(
        server.addr,
        &token,
        args.clients,
        args.seconds,
        "/api/v1/incidents",
        &next,
        |n| http_body(&call(n, now() - chrono::Duration::minutes(2))),
    )
    .await?;
    let server_cpu = server.cpu_time()?.saturating_sub(cpu_before);
    let mem = server.memory()?;
    server.stop();

    let db = Db::connect_on(&url, lane.as_ref()).await?;
    let app = App::open_force(db.clone(), Arc::new(SystemClock), Config::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Recording incidents through the service with synchronous=FULL for {} s...",
        args.seconds
    );
    // Db::connect opens with the product's synchronous=FULL.
    let service_full = {
        let (app, ctx) = (app.clone(), ctx.clone());
        drive(
            lane.as_ref(),
            args.clients,
            &next,
            None,
            args.seconds,
            move |n| take_call(app.clone(), ctx.clone(), n),
        )
        .await?
    };
    db.close().await;

    println!(
        "Inserting the same rows through the store's SQL (synchronous=NORMAL) for {} s...",
        args.seconds
    );
    let db = Db::connect_on(&url, lane.as_ref()).await?;
    sql(&db, "PRAGMA synchronous = NORMAL").await?;
    let direct = drive(lane.as_ref(), args.clients, &next, None, args.seconds, {
        let (db, force, user) = (db.clone(), app.force.id, user.id);
        move |n| {
            let db = db.clone();
            async move { insert_direct(&db, force, user, n).await }
        }
    })
    .await?;
    let incidents = count(&db, "SELECT COUNT(*) FROM incident").await?;
    let duties = count(&db, "SELECT COUNT(*) FROM duty").await?;
    db.close().await;
    let load_after = crate::server::load_average();

    println!();
    println!(
        "First contact on SQLite (WAL), {} concurrent callers:",
        args.clients
    );
    println!(
        "  {}",
        service.line("service take_call, synchronous=NORMAL")
    );
    println!(
        "    CPU {:.2} ms per incident (the whole process: service, store and SQLite)",
        service_cpu.as_secs_f64() * 1000.0 / service.done.max(1) as f64
    );
    println!(
        "  {}",
        service_full.line("service take_call, synchronous=FULL")
    );
    println!("  {}", http.line("over HTTP, synchronous=FULL"));
    println!(
        "  {}",
        direct.line("same rows through the store's SQL, synchronous=NORMAL")
    );
    println!(
        "  server CPU {:.2} ms per incident over HTTP; server VmHWM {} MiB",
        server_cpu.as_secs_f64() * 1000.0 / http.done.max(1) as f64,
        mem.hwm_kib / 1024
    );
    println!(
        "  queue with {open} open, page of 20 (half filtered by grade), service: {queue_service}"
    );
    println!("  queue over HTTP ({open} open): {queue_http}");
    println!(
        "  database at the end: {incidents} incidents, {duties} duties; load average {load_before} before, {load_after} after"
    );
    println!(
        "RESULT incidents clients={} service_normal_rate={:.0} service_normal_p99_ms={} service_full_rate={:.0} http_rate={:.0} http_p99_ms={} direct_rate={:.0} queue_open={open} queue_service_p95_ms={} queue_http_p95_ms={}",
        args.clients,
        service.rate(),
        ms(service.latencies.percentile(99.0)),
        service_full.rate(),
        http.rate(),
        ms(http.latencies.percentile(99.0)),
        direct.rate(),
        ms(queue_service.percentile(95.0)),
        ms(queue_http.percentile(95.0)),
    );
    Ok(())
}

/// A call as the API takes it.
fn http_body(c: &NewIncident) -> serde_json::Value {
    let t = c.assessment.thrive.as_ref();
    let j = |j: Option<&JudgementInput>| {
        j.map(|j| serde_json::json!({"level": j.level, "rationale": j.rationale}))
    };
    serde_json::json!({
        "reference": c.incident.reference,
        "channel": c.incident.channel,
        "received_at": c.incident.received_at,
        "category": c.incident.category,
        "summary": c.incident.summary,
        "location": c.location.as_ref().map(|l| serde_json::json!({"address_lines": l.address_lines, "postcode": l.postcode})),
        "thrive": t.map(|t| serde_json::json!({
            "threat": j(t.threat.as_ref()),
            "harm": j(t.harm.as_ref()),
            "risk": j(t.risk.as_ref()),
            "investigation": j(t.investigation.as_ref()),
            "vulnerability": t.vulnerability.as_ref().map(|v| serde_json::json!({"level": v.level, "rationale": v.rationale, "factors": v.factors})),
            "engagement": j(t.engagement.as_ref()),
        })),
        "advice": {"evidence_preservation": {"given": true}, "crime_prevention": {"given": true}},
    })
}

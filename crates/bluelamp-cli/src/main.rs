//! `bluelamp`: the one binary. A thin `main` over [`run`], which matches on the command.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use bluelamp_app::force::{DEMO_FORCE_CODE, DEMO_FORCE_NAME};
use bluelamp_app::user::UserInput;
use bluelamp_app::{App, AppError, Config, Ctx, SystemClock};
use bluelamp_domain::audit::ChainHead;
use bluelamp_store::Db;
use bluelamp_store::lane::Lane;
use clap::{Args, Parser, Subcommand};

mod demo;
mod synth;
mod transfer;

/// mimalloc, not the system allocator: sqlx's SQLite driver allocates each bound value on
/// the caller's thread and frees it on its own worker thread, a pattern glibc's allocator
/// spends most of its time consolidating (measured: `bluelamp synth` of a full force-year
/// takes 24 s instead of 66 s; see BENCHMARKS.md). The server gains the same way.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bluelamp: an operational system for a police force in England and Wales.
#[derive(Debug, Parser)]
#[command(name = "bluelamp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct DbArgs {
    /// The database: sqlite://PATH (created if missing) or postgres://...
    #[arg(
        long,
        env = "BLUELAMP_DATABASE_URL",
        default_value = "sqlite://bluelamp.db"
    )]
    database_url: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API on an address.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
    },
    /// Run the demo: an embedded database in DIR with a synthetic force (generated on the
    /// first run) and one user per role.
    Demo {
        /// Where the demo keeps its database and its users' passwords.
        #[arg(long, default_value = "bluelamp-data")]
        data: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        #[command(flatten)]
        force: synth::DemoForceArgs,
    },
    /// Generate a synthetic force into an empty database: areas, residents, staff,
    /// incidents and crimes calibrated to Leicestershire's recorded crime, first contact,
    /// investigations, outcomes and victim care.
    Synth {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: synth::SynthArgs,
    },
    /// Apply the database migrations and configure the force, once.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
        /// The force's name; needed once, when the database is new (default: the demo force).
        #[arg(long, requires = "force_code")]
        force_name: Option<String>,
        /// The force's short code, such as LEI.
        #[arg(long, requires = "force_name")]
        force_code: Option<String>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The force's working-day calendar: its own bank holidays added or removed.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Work the duties engine's queues.
    Duties {
        #[command(subcommand)]
        command: DutyCommand,
    },
    /// Verify and checkpoint the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Export the force's whole data: its own copy, and its backup.
    Export {
        #[command(subcommand)]
        command: transfer::ExportCommand,
    },
    /// Restore an export into an empty database.
    Import {
        #[command(subcommand)]
        command: transfer::ImportCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        username: String,
        /// A role; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// A team name; repeat for several.
        #[arg(long = "team")]
        teams: Vec<String>,
        /// The partner agency (for partners).
        #[arg(long)]
        agency: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (its first line).
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
enum CalendarCommand {
    /// Make a day a bank holiday for working-day deadlines (from the next start).
    AddHoliday {
        #[command(flatten)]
        db: DbArgs,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        day: chrono::NaiveDate,
        /// Its name, as proclaimed.
        #[arg(long)]
        name: String,
    },
    /// Make a bank holiday a working day (from the next start).
    RemoveHoliday {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        day: chrono::NaiveDate,
    },
}

#[derive(Debug, Subcommand)]
enum DutyCommand {
    /// Escalate every duty late now to a supervisor, once (`serve` does this every few
    /// minutes).
    Sweep {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the audit chain: exit 0 when intact, non-zero naming the first broken entry.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// A checkpoint written earlier by `audit checkpoint`, to catch truncation.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Write the chain's newest entry to a file to keep elsewhere.
    Checkpoint {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BLUELAMP_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// Connects and migrates.
async fn database(db: &DbArgs) -> anyhow::Result<Db> {
    database_on(db, None).await
}

/// Connects (from the lane, when given) and migrates.
async fn database_on(db: &DbArgs, lane: Option<&Lane>) -> anyhow::Result<Db> {
    let conn = Db::connect_on(&db.database_url, lane)
        .await
        .with_context(|| format!("cannot open {}", redact(&db.database_url)))?;
    conn.migrate().await.context("cannot apply migrations")?;
    Ok(conn)
}

/// Hides a password in a URL before showing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..s + 3 + colon], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

/// Opens the app on a database, configuring the demo force if none is configured yet.
async fn open(db: &DbArgs) -> anyhow::Result<App> {
    open_on(db, None).await
}

/// The database lane a server runs its requests on: one for SQLite, none for PostgreSQL
/// (see `bluelamp_store::lane`).
fn lane_for(db: &DbArgs) -> anyhow::Result<Option<Lane>> {
    Lane::for_database(&db.database_url).context("cannot start the database lane")
}

/// Opens the force's app as [`open`] does, connected from the lane when given.
async fn open_on(db: &DbArgs, lane: Option<&Lane>) -> anyhow::Result<App> {
    let conn = database_on(db, lane).await?;
    let clock = Arc::new(SystemClock);
    let mut tx = conn.begin().await?;
    let forces = bluelamp_store::force::all(&mut tx).await?;
    tx.commit().await?;
    if forces.is_empty() {
        bluelamp_app::force::configure(&conn, DEMO_FORCE_NAME, DEMO_FORCE_CODE, clock.as_ref())
            .await
            .map_err(describe)?;
    }
    App::open_force(conn, clock, Config::default())
        .await
        .map_err(describe)
}

fn describe(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(i) => anyhow::anyhow!(
            "{}",
            i.0.iter()
                .map(|f| format!("{}: {}", f.field.trim_start_matches('/'), f.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { db, bind } => {
            let lane = lane_for(&db)?;
            let app = open_on(&db, lane.as_ref()).await?;
            serve(app, bind, lane).await
        }
        Command::Demo { data, bind, force } => {
            std::fs::create_dir_all(&data)
                .with_context(|| format!("cannot create {}", data.display()))?;
            let db = DbArgs {
                database_url: format!("sqlite://{}", data.join("bluelamp.db").display()),
            };
            let lane = lane_for(&db)?;
            let app = open_on(&db, lane.as_ref()).await?;
            // The first run generates the force; later runs reuse it.
            if synth::is_empty(&app).await? {
                let today = chrono::Local::now().date_naive();
                synth::run(&app, &force.into(), today, &os_user()).await?;
            }
            let users = demo::users(&app, &data, &os_user()).await?;
            println!(
                "Demo users (the passwords are kept in {}):",
                data.join(demo::USERS_FILE).display()
            );
            for (username, password) in &users {
                println!("  {username:<22} {password}");
            }
            serve(app, bind, lane).await
        }
        Command::Synth { db, args } => {
            let app = open(&db).await?;
            let today = chrono::Local::now().date_naive();
            synth::run(&app, &args, today, &os_user()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate {
            db,
            force_name,
            force_code,
        } => {
            let conn = database(&db).await?;
            let mut tx = conn.begin().await?;
            let existing = bluelamp_store::force::all(&mut tx).await?;
            tx.commit().await?;
            // Re-running `migrate` on a configured database only migrates it.
            let (name, code) = match (force_name, force_code, existing.first()) {
                (Some(n), Some(c), _) => (n, c),
                (_, _, Some(f)) => (f.name.clone(), f.code.clone()),
                _ => (DEMO_FORCE_NAME.to_string(), DEMO_FORCE_CODE.to_string()),
            };
            let force = bluelamp_app::force::configure(&conn, &name, &code, &SystemClock)
                .await
                .map_err(describe)?;
            println!(
                "Migrated. This database serves {} ({}).",
                force.name, force.code
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command:
                UserCommand::Add {
                    db,
                    username,
                    roles,
                    teams,
                    agency,
                    display_name,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("cannot read the password from standard input")?;
                let line = s.lines().next().unwrap_or("").to_string();
                if line.is_empty() {
                    bail!("password: standard input was empty");
                }
                Some(line)
            } else {
                None
            };
            let app = open(&db).await?;
            let input = UserInput {
                username,
                display_name,
                password,
                roles,
                teams,
                areas: vec![],
                agency,
            };
            let user = app
                .add_user(&Ctx::operator(&os_user()), &input)
                .await
                .map_err(describe)?;
            println!(
                "Added {} ({}) with roles {}.",
                user.username,
                user.id,
                user.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Calendar { command } => {
            let (db, day, name) = match command {
                CalendarCommand::AddHoliday { db, day, name } => (db, day, Some(name)),
                CalendarCommand::RemoveHoliday { db, day } => (db, day, None),
            };
            let app = open(&db).await?;
            let holidays = app
                .change_calendar(&Ctx::operator(&os_user()), day, name)
                .await
                .map_err(describe)?;
            println!(
                "The bank holidays of {} are now:",
                chrono::Datelike::year(&day)
            );
            for h in holidays {
                println!("  {}  {h}", h.date);
            }
            println!("Deadlines use them from the next start of the server.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Duties {
            command: DutyCommand::Sweep { db },
        } => {
            let app = open(&db).await?;
            let started = std::time::Instant::now();
            let swept = app
                .sweep_escalations(&Ctx::operator(&os_user()))
                .await
                .map_err(describe)?;
            println!(
                "{} late duties found, {} escalated to supervisors, in {:.1} s.",
                swept.late,
                swept.escalated,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { command } => transfer::export(command).await,
        Command::Import { command } => transfer::import(command).await,
        Command::Audit {
            command: AuditCommand::Verify { db, checkpoint },
        } => {
            let app = open(&db).await?;
            let cp = match checkpoint {
                Some(path) => Some(read_checkpoint(&path)?),
                None => None,
            };
            match app.verify_audit(cp).await {
                Ok(head) => {
                    println!(
                        "The audit chain of {} is intact: {} entries, head {}.",
                        app.force.code, head.seq, head.hash
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(bluelamp_app::audit::VerifyError::Broken(b)) => {
                    eprintln!("The audit chain is BROKEN: {b}.");
                    Ok(ExitCode::from(2))
                }
                Err(bluelamp_app::audit::VerifyError::App(e)) => Err(describe(e)),
            }
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { db, out },
        } => {
            let app = open(&db).await?;
            let head = app.audit_head().await.map_err(describe)?;
            let json =
                serde_json::json!({"force": app.force.code, "seq": head.seq, "hash": head.hash});
            std::fs::write(&out, format!("{json}\n"))
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!(
                "Checkpoint written to {}: entry {}.",
                out.display(),
                head.seq
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Serves the app until Ctrl-C or SIGTERM, handling requests and the sweep on the database
/// lane when there is one. The line "... at http://ADDR" on standard output names the
/// address (tests read it).
async fn serve(app: App, bind: SocketAddr, lane: Option<Lane>) -> anyhow::Result<ExitCode> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, force = %app.force.name, "serving");
    println!("Bluelamp is serving {} at http://{addr}", app.force.name);
    let db_handle = app.db.clone();
    let sweep = sweep_every(app.clone(), SWEEP_EVERY);
    match &lane {
        Some(lane) => lane.spawn(sweep),
        None => tokio::spawn(sweep),
    };
    axum::serve(listener, bluelamp_web::router_on(app, lane))
        .with_graceful_shutdown(shutdown())
        .await
        .context("the server failed")?;
    db_handle.close().await;
    Ok(ExitCode::SUCCESS)
}

/// How often the server escalates late duties.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// Escalates late duties now and then every `every`, for as long as the server runs. A
/// failed sweep is logged and tried again at the next tick.
async fn sweep_every(app: App, every: std::time::Duration) {
    let ctx = Ctx::operator(&os_user());
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match app.sweep_escalations(&ctx).await {
            Ok(s) if s.late > 0 => {
                tracing::info!(
                    late = s.late,
                    escalated = s.escalated,
                    "late duties escalated"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the escalation sweep failed"),
        }
    }
}

fn read_checkpoint(path: &std::path::Path) -> anyhow::Result<ChainHead> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).context("the checkpoint is not JSON")?;
    let seq = v
        .get("seq")
        .and_then(serde_json::Value::as_i64)
        .context("the checkpoint has no seq")?;
    let hash = v
        .get("hash")
        .and_then(serde_json::Value::as_str)
        .context("the checkpoint has no hash")?
        .to_string();
    Ok(ChainHead { seq, hash })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

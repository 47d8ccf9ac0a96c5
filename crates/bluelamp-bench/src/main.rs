//! `bluelamp-bench`: the performance benchmarks of issue 2, recorded in `BENCHMARKS.md`.
//!
//! `search` loads a synthetic population (a million persons by default), starts the real
//! server and measures name plus year-of-birth searches for misspelt names: latency
//! percentiles, recall and the server's resident memory. `create` measures creating persons
//! over HTTP against inserting the same rows directly through sqlx, in one run. Speed targets
//! live here and in `BENCHMARKS.md`, never in timed test assertions.

mod create;
mod duties;
mod http;
mod incidents;
mod load;
mod search;
mod server;
mod stats;
mod synth;
mod variants;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc, as the `bluelamp` binary uses, so that `--server builtin` serves as it does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bluelamp's performance benchmarks.
#[derive(Debug, Parser)]
#[command(name = "bluelamp-bench", about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load the synthetic population only (as `search` does first), to prepare a database.
    Load(search::LoadArgs),
    /// Nominal search over a loaded population, through the real server.
    Search(search::SearchArgs),
    /// Creating persons over HTTP, beside the same rows inserted directly.
    Create(create::CreateArgs),
    /// First contact: recording incidents with THRIVE through the service, over HTTP and
    /// directly, and the incident-management queue with 10,000 open incidents.
    Incidents(incidents::IncidentsArgs),
    /// Duties: a supervisor's overdue queue and "my duties" over a million open duties,
    /// and the escalation sweep over them.
    Duties(duties::DutiesArgs),
    /// "My duties" over a synthetic force's year (`bluelamp synth`): every tab of the
    /// busiest investigator and the busiest supervisor.
    MyDuties(duties::MyDutiesArgs),
    /// How many persons each benchmark search touches, and where the intended person ranks.
    #[command(hide = true)]
    Analyse(search::AnalyseArgs),
    /// The bundled SQLite's plan for the statement in BENCH_SQL, and its time.
    #[command(hide = true)]
    Explain(search::AnalyseArgs),
    /// Serve the API as `bluelamp serve` does (the same router on the same database code):
    /// what `--server builtin` starts as the child process.
    #[command(hide = true)]
    Serve {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        bind: std::net::SocketAddr,
    },
}

/// Creates the directory of a SQLite database file if it is missing.
///
/// # Errors
/// It cannot be created.
pub(crate) fn ensure_parent_dir(database_url: &str) -> anyhow::Result<()> {
    if let Some(rest) = database_url.strip_prefix("sqlite:") {
        let path = std::path::Path::new(rest.trim_start_matches("//"));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    std::fs::create_dir_all("target/bench")?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let result = runtime.block_on(async {
        match cli.command {
            Command::Load(args) => search::load_only(args).await,
            Command::Analyse(args) => search::analyse(args).await,
            Command::Explain(args) => search::explain(args).await,
            Command::Search(args) => search::run(args).await,
            Command::Create(args) => create::run(args).await,
            Command::Incidents(args) => incidents::run(args).await,
            Command::Duties(args) => duties::run(args).await,
            Command::MyDuties(args) => duties::run_force_year(args).await,
            Command::Serve { database_url, bind } => server::serve(&database_url, bind).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

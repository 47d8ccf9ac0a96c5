//! The server under test: the real `bluelamp serve` binary started as a child process, so that
//! its resident memory is its own and the client's work does not share its process.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::http::Client;

/// A running server.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    peak_rss_kib: Arc<AtomicU64>,
    sampling: Arc<AtomicBool>,
}

/// Memory figures of a process, from `/proc/PID/status`, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// Resident now.
    pub rss_kib: u64,
    /// The kernel's high-water mark of resident memory since the process started.
    pub hwm_kib: u64,
}

/// Reads `VmRSS` and `VmHWM` of a process.
///
/// # Errors
/// The process is gone or this is not Linux.
pub fn memory(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read /proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(Memory {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
    })
}

/// CPU time a process has used (user plus system), from `/proc/PID/stat`, counted in the
/// kernel's clock ticks of 10 ms (`USER_HZ` is 100 on Linux).
///
/// # Errors
/// The process is gone or this is not Linux.
pub fn cpu_time(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("cannot read /proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) in parentheses: the state is
    // field 3, utime field 14 and stime field 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> u64 { fields.get(i).and_then(|v| v.parse().ok()).unwrap_or(0) };
    Ok(Duration::from_millis((ticks(11) + ticks(12)) * 10))
}

/// The one-minute load average, to show how busy the machine was.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn free_port() -> anyhow::Result<SocketAddr> {
    let l = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(l.local_addr()?)
}

/// The builtin server: what `bluelamp serve` runs (migrate, open the force, the web router,
/// on the database lane for SQLite), without its log output, stopping on SIGTERM.
///
/// # Errors
/// The database cannot be opened or the address bound.
pub async fn serve(database_url: &str, bind: SocketAddr) -> anyhow::Result<()> {
    let lane = bluelamp_store::lane::Lane::for_database(database_url)?;
    let db = bluelamp_store::Db::connect_on(database_url, lane.as_ref()).await?;
    db.migrate().await?;
    let app = bluelamp_app::App::open_force(
        db.clone(),
        std::sync::Arc::new(bluelamp_app::SystemClock),
        bluelamp_app::Config::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    axum::serve(listener, bluelamp_web::router_on(app, lane))
        .with_graceful_shutdown(async {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
            }
        })
        .await?;
    db.close().await;
    Ok(())
}

/// Which server binary to start: a path to `bluelamp`, or `builtin` for this binary's own
/// `serve`.
pub fn server_command(server: &Path) -> anyhow::Result<Command> {
    if server.as_os_str() == "builtin" {
        return Ok(Command::new(std::env::current_exe()?));
    }
    if !server.exists() {
        bail!(
            "{} does not exist: build it with `cargo build --release -p bluelamp-cli`, or pass --server builtin",
            server.display()
        );
    }
    Ok(Command::new(server))
}

impl Server {
    /// Starts `SERVER serve` on `database_url` at a free local port and waits until
    /// `/healthz` answers. Its output goes to `log`.
    ///
    /// # Errors
    /// The binary is missing, or the server did not become healthy within two minutes.
    pub async fn start(bin: &Path, database_url: &str, log: &Path) -> anyhow::Result<Server> {
        let addr = free_port()?;
        let out = std::fs::File::create(log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        let err = out.try_clone()?;
        let child = server_command(bin)?
            .arg("serve")
            .arg("--database-url")
            .arg(database_url)
            .arg("--bind")
            .arg(addr.to_string())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let peak = Arc::new(AtomicU64::new(0));
        let sampling = Arc::new(AtomicBool::new(true));
        let mut server = Server {
            child,
            addr,
            peak_rss_kib: peak.clone(),
            sampling: sampling.clone(),
        };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait()? {
                bail!(
                    "the server exited with {status} before answering; see {}",
                    log.display()
                );
            }
            let mut c = Client::new(addr);
            if let Ok(r) = c.get("/healthz").await
                && r.status == 200
            {
                break;
            }
            if started.elapsed() > Duration::from_secs(120) {
                server.stop();
                bail!("the server did not answer /healthz within 2 minutes");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Sample the resident set every 50 ms, beside the kernel's own high-water mark.
        let pid = server.child.id();
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(m) = memory(pid) {
                    peak.fetch_max(m.rss_kib, Ordering::Relaxed);
                } else {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        Ok(server)
    }

    /// The process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The highest resident set sampled so far, in KiB.
    pub fn peak_sampled_rss_kib(&self) -> u64 {
        self.peak_rss_kib.load(Ordering::Relaxed)
    }

    /// The CPU time the server has used so far.
    ///
    /// # Errors
    /// The process is gone.
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        cpu_time(self.pid())
    }

    /// Current memory figures.
    ///
    /// # Errors
    /// The process is gone.
    pub fn memory(&self) -> anyhow::Result<Memory> {
        memory(self.pid())
    }

    /// Stops the server: SIGTERM (it shuts down gracefully), then SIGKILL after 10 s.
    pub fn stop(&mut self) {
        self.sampling.store(false, Ordering::Relaxed);
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

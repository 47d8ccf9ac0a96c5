//! The database lane: one thread, kept on one core, that runs the work which uses an
//! embedded SQLite database, beside SQLite's own worker thread.
//!
//! sqlx runs each SQLite connection on a worker thread of its own and hands it every
//! statement and every answer across threads. When the thread awaiting the answer is on
//! the other core, each hand-over wakes a sleeping core: on the two-core machine of
//! BENCHMARKS.md ("First contact") that cost more than the statements themselves (a call
//! is about 22 hand-overs each way; 690 calls a second across two cores, 1,460 on one).
//! The lane keeps both threads on one core: the connection opened from the lane starts
//! its worker thread there, and a thread inherits the core its creator was kept to
//! (`pthread_create(3)`). Threads the lane starts for blocking work get every core back.
//!
//! PostgreSQL needs no lane: its connections are sockets, and the server does the work.

use std::future::Future;

use tokio::runtime::{Builder, Handle};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running lane. Dropping the last clone stops its thread; tasks still running on it
/// are dropped (a transaction in one rolls back).
#[derive(Debug, Clone)]
pub struct Lane {
    handle: Handle,
    _stop: std::sync::Arc<oneshot::Sender<()>>,
}

impl Lane {
    /// Starts the lane's thread, kept on the machine's last core (the first usually takes
    /// the interrupts).
    ///
    /// # Errors
    /// The thread or its runtime could not be started.
    pub fn start() -> std::io::Result<Lane> {
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, started) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("bluelamp-lane".into())
            .spawn(move || {
                let every_core = affinity::keep_to_last_core();
                let runtime = Builder::new_current_thread()
                    .enable_all()
                    .on_thread_start(move || affinity::restore(every_core.as_ref()))
                    .build();
                match runtime {
                    Ok(rt) => {
                        let _ = ready.send(Ok(rt.handle().clone()));
                        // Runs until every `Lane` is dropped.
                        let _ = rt.block_on(stopped);
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                    }
                }
            })?;
        let handle = started
            .recv()
            .map_err(|_| std::io::Error::other("the lane's thread ended while starting"))??;
        Ok(Lane {
            handle,
            _stop: std::sync::Arc::new(stop),
        })
    }

    /// The lane a server runs on for the database at `url`: one for SQLite, none for
    /// PostgreSQL.
    ///
    /// # Errors
    /// As [`Lane::start`].
    pub fn for_database(url: &str) -> std::io::Result<Option<Lane>> {
        if crate::Backend::of_url(url) == Some(crate::Backend::Sqlite) {
            Lane::start().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Runs `work` on the lane. Its panic, if any, comes back as the handle's error.
    pub fn spawn<F>(&self, work: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(work)
    }
}

#[cfg(target_os = "linux")]
mod affinity {
    use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
    use nix::unistd::Pid;

    /// Keeps the calling thread to the last core it may use; gives the set it had.
    pub(super) fn keep_to_last_core() -> Option<CpuSet> {
        let this = Pid::from_raw(0);
        let every = sched_getaffinity(this).ok()?;
        let last = (0..CpuSet::count())
            .rev()
            .find(|&c| every.is_set(c).unwrap_or(false))?;
        let mut one = CpuSet::new();
        one.set(last).ok()?;
        if let Err(e) = sched_setaffinity(this, &one) {
            tracing::warn!(error = %e, "the database lane could not be kept to one core");
        }
        Some(every)
    }

    /// Gives the calling thread the cores in `every` again.
    pub(super) fn restore(every: Option<&CpuSet>) {
        if let Some(every) = every {
            let _ = sched_setaffinity(Pid::from_raw(0), every);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod affinity {
    /// Elsewhere the lane is still one thread, left where the system puts it.
    pub(super) fn keep_to_last_core() -> Option<()> {
        None
    }

    pub(super) fn restore(_: Option<&()>) {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use nix::sched::{CpuSet, sched_getaffinity};
    use nix::unistd::Pid;

    use super::Lane;
    use crate::Db;

    /// The cores each of this process's SQLite worker threads may run on.
    fn sqlite_workers() -> Vec<CpuSet> {
        let mut found = Vec::new();
        for task in std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
        {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            let tid = task
                .file_name()
                .to_string_lossy()
                .parse::<i32>()
                .unwrap_or(0);
            if comm.starts_with("sqlx-sqlite")
                && let Ok(cores) = sched_getaffinity(Pid::from_raw(tid))
            {
                found.push(cores);
            }
        }
        found
    }

    fn count(cores: &CpuSet) -> usize {
        (0..CpuSet::count())
            .filter(|&c| cores.is_set(c).unwrap_or(false))
            .count()
    }

    #[tokio::test]
    async fn sqlite_opened_from_the_lane_works_on_the_lane_s_one_core() {
        let machine = sched_getaffinity(Pid::from_raw(0)).map(|c| count(&c));
        let lane = Lane::start().unwrap_or_else(|e| panic!("start: {e}"));
        let on_lane = lane
            .spawn(async { sched_getaffinity(Pid::from_raw(0)) })
            .await
            .unwrap_or_else(|e| panic!("lane: {e}"))
            .unwrap_or_else(|e| panic!("affinity: {e}"));
        if machine.unwrap_or(1) > 1 {
            assert_eq!(count(&on_lane), 1, "the lane is kept to one core");
        }
        let path = std::env::temp_dir().join(format!("lane-{}.db", uuid::Uuid::now_v7()));
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect_on(&url, Some(&lane))
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        db.ping().await.unwrap_or_else(|e| panic!("ping: {e}"));
        assert!(
            sqlite_workers().contains(&on_lane),
            "the connection's worker thread shares the lane's core"
        );
        db.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test]
    async fn blocking_work_started_on_the_lane_gets_every_core_back() {
        let every = sched_getaffinity(Pid::from_raw(0)).unwrap_or_else(|e| panic!("{e}"));
        let lane = Lane::start().unwrap_or_else(|e| panic!("start: {e}"));
        let blocking = lane
            .spawn(async {
                tokio::task::spawn_blocking(|| sched_getaffinity(Pid::from_raw(0))).await
            })
            .await
            .unwrap_or_else(|e| panic!("lane: {e}"))
            .unwrap_or_else(|e| panic!("blocking: {e}"))
            .unwrap_or_else(|e| panic!("affinity: {e}"));
        assert_eq!(blocking, every);
    }
}

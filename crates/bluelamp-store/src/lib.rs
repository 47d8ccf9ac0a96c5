//! The store: the only code that speaks SQL.
//!
//! One schema on two backends. [`Db`] holds a concrete sqlx pool for SQLite (embedded, the
//! default) or PostgreSQL (production), chosen once from the URL. Every query is one
//! portable SQL string (`$1` placeholders, values bound from Rust, no `now()`), run on
//! either backend by the [`on!`] dispatch macro. Each module owns one aggregate and maps
//! its rows to domain types; services call them inside one [`Tx`] per user action.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub mod area;
pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod crime;
pub mod duty;
pub mod duty_queue;
pub mod first_contact;
pub mod first_contact_review;
pub mod force;
pub mod incident;
pub mod investigation;
pub mod investigation_review;
pub mod lane;
pub mod link;
pub mod location;
pub mod object;
pub mod person;
pub mod record;
pub mod session;
pub mod transfer;
pub mod user;
pub mod victim;

/// Runs the same sqlx expression on whichever backend a [`Tx`] holds.
///
/// `on!(tx, c => sqlx::query("...").bind(x).execute(c).await)` binds `c` to the
/// transaction's connection on either backend. This is the store's one macro: it keeps
/// each query written once instead of once per backend.
#[macro_export]
macro_rules! on {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut ($tx).conn {
            $crate::Conn::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::Conn::Pg(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Like [`on!`], for statements run with `.execute(c)`: gives the rows affected, so that
/// both backends' arms have one type.
#[macro_export]
macro_rules! exec {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut ($tx).conn {
            $crate::Conn::Sqlite(t) => {
                let $c = &mut **t;
                $body.map(|r| r.rows_affected())
            }
            $crate::Conn::Pg(t) => {
                let $c = &mut **t;
                $body.map(|r| r.rows_affected())
            }
        }
    };
}

/// What went wrong in the store, translated at this boundary.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique or foreign key refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored value could not be read back into a domain type: the database was edited
    /// behind the application's back, or a migration is missing.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Anything else from the database driver.
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() || d.is_foreign_key_violation() => {
                StoreError::Conflict(d.message().to_string())
            }
            _ => StoreError::Db(e),
        }
    }
}

/// The result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names, as [`Db::connect`] reads it.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A connection pool on one of the two backends.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// One transaction: every user action runs in exactly one.
#[derive(Debug)]
pub struct Tx {
    /// The open transaction on its backend (for the [`on!`] and [`exec!`] macros).
    #[doc(hidden)]
    pub conn: Conn,
    /// The force's audit chain head as this transaction has moved it: read once, at the
    /// first entry, and written back once, at commit (see [`audit::append`]).
    audit_head: Option<audit::PendingHead>,
}

/// A [`Tx`]'s open transaction on one backend.
#[derive(Debug)]
pub enum Conn {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Pg(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    /// A transaction as [`Db::begin`] (or an export's snapshot) opened it.
    pub(crate) fn new(conn: Conn) -> Tx {
        Tx {
            conn,
            audit_head: None,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://...`/`postgresql://...`.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL` (so a commit survives a crash of the
    /// process or the machine), foreign keys on and a busy timeout. It has one connection:
    /// SQLite allows one writer at a time and every user action writes (at least its audit
    /// entry), so actions queue in order rather than retrying on a busy database.
    ///
    /// # Errors
    /// An unknown scheme, or the database cannot be reached.
    pub async fn connect(url: &str) -> Result<Db> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let opts = if path == ":memory:" || path.is_empty() {
                SqliteConnectOptions::from_str("sqlite::memory:")?
            } else {
                SqliteConnectOptions::new().filename(path)
            }
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-65536");
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                // The one connection is in this process and sqlx already checks it when it
                // returns to the pool; a ping before each action was a round trip to
                // SQLite's worker thread on every call.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else if Backend::of_url(url) == Some(Backend::Postgres) {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(opts)
                .await?;
            Ok(Db::Pg(pool))
        } else {
            Err(StoreError::Db(sqlx::Error::Configuration(
                "the database URL must start sqlite:// or postgres://".into(),
            )))
        }
    }

    /// Connects as [`Db::connect`] does; SQLite from the [`lane::Lane`], when given, that
    /// will run the work using it, so that its worker thread starts on the lane's core.
    /// PostgreSQL connects from the caller, so that its sockets outlive the lane.
    ///
    /// # Errors
    /// As [`Db::connect`].
    pub async fn connect_on(url: &str, lane: Option<&lane::Lane>) -> Result<Db> {
        let Some(lane) = lane.filter(|_| Backend::of_url(url) == Some(Backend::Sqlite)) else {
            return Db::connect(url).await;
        };
        let url = url.to_string();
        match lane.spawn(async move { Db::connect(&url).await }).await {
            Ok(db) => db,
            Err(e) => Err(StoreError::Db(sqlx::Error::Io(std::io::Error::other(
                format!("the database lane failed while connecting: {e}"),
            )))),
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations for this backend.
    ///
    /// # Errors
    /// A migration failed or the database has migrations this binary does not know.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
            Db::Pg(p) => PG_MIGRATIONS.run(p).await,
        }
        .map_err(|e| StoreError::Db(e.into()))
    }

    /// Begins a transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// since every action writes its audit entry.
    ///
    /// # Errors
    /// The database cannot be reached.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::new(Conn::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Pg(p) => Tx::new(Conn::Pg(p.begin().await?)),
        })
    }

    /// Whether the database answers.
    ///
    /// # Errors
    /// It does not.
    pub async fn ping(&self) -> Result<()> {
        match self {
            Db::Sqlite(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
            Db::Pg(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ()),
        }
        .map_err(StoreError::from)
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

impl Tx {
    /// Commits. Once this returns, the change survives a crash.
    ///
    /// # Errors
    /// The commit failed; nothing was written.
    pub async fn commit(mut self) -> Result<()> {
        audit::write_head(&mut self).await?;
        match self.conn {
            Conn::Sqlite(t) => t.commit().await,
            Conn::Pg(t) => t.commit().await,
        }
        .map_err(StoreError::from)
    }

    /// Which backend this transaction is on.
    pub fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Pg(_) => Backend::Postgres,
        }
    }
}

/// Reads a stored code back into its domain vocabulary.
///
/// # Errors
/// [`StoreError::Corrupt`] when the stored text is not a known code.
pub(crate) fn decode<T: FromStr>(what: &str, raw: &str) -> Result<T> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: {raw:?}")))
}

/// A row source of the ids in the JSON array bound as `$n` (see [`uuid_array`]): one
/// parameter for any number of ids, so the statement is prepared once whatever their number.
pub(crate) fn id_rows(tx: &Tx, n: usize) -> String {
    match tx.backend() {
        Backend::Sqlite => format!("SELECT unhex(value) AS id FROM json_each(${n})"),
        Backend::Postgres => format!(
            "SELECT CAST(value AS uuid) AS id FROM jsonb_array_elements_text(CAST(${n} AS jsonb))"
        ),
    }
}

/// The value to bind for [`id_rows`]: the ids as a JSON array of hex strings.
pub(crate) fn uuid_array(ids: impl Iterator<Item = uuid::Uuid>) -> String {
    serde_json::Value::from(ids.map(|id| id.simple().to_string()).collect::<Vec<_>>()).to_string()
}

/// Maps "no such row" to `None`.
///
/// # Errors
/// Any other error.
pub fn optional<T>(r: Result<T>) -> Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn a_url_names_its_engine_by_its_scheme() {
        assert_eq!(Backend::of_url("sqlite:///tmp/x.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
        assert_eq!(Backend::of_url("/tmp/x.db"), None);
    }
}

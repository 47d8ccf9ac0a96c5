//! Test support: the application on either database, driven through its HTTP router
//! without a socket, with typed request helpers.
//!
//! Every integration test runs on SQLite, and on PostgreSQL too when
//! `BLUELAMP_TEST_DATABASE_URL` names a server; each test gets a fresh database (a temp
//! file, or a fresh schema).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use bluelamp_app::user::UserInput;
use bluelamp_app::{App, Clock, Config, Ctx};
use bluelamp_store::Db;
use bluelamp_store::lane::Lane;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use uuid::Uuid;

/// The database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// The password every test user has.
pub const PASSWORD: &str = "correct horse battery staple";

/// The backends to run on: SQLite always; PostgreSQL when `BLUELAMP_TEST_DATABASE_URL` is
/// set (otherwise a line says it was skipped).
pub fn backends() -> Vec<Backend> {
    let mut b = vec![Backend::Sqlite];
    match std::env::var("BLUELAMP_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => b.push(Backend::Postgres(url)),
        _ => eprintln!("PostgreSQL skipped: BLUELAMP_TEST_DATABASE_URL is not set"),
    }
    b
}

/// A database URL for a fresh, empty database on the backend. The SQLite file (and its
/// WAL) lives in the system temp directory.
///
/// # Panics
/// When PostgreSQL cannot be reached to create the schema.
pub async fn fresh_database_url(backend: &Backend) -> String {
    let id = Uuid::now_v7().simple().to_string();
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("bluelamp-test-{id}.db"));
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres(url) => {
            let schema = format!("t_{id}");
            let admin = Db::connect(url)
                .await
                .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
            if let Db::Pg(pool) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(pool)
                    .await
                    .unwrap_or_else(|e| panic!("cannot create schema: {e}"));
            }
            admin.close().await;
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}options=-c%20search_path%3D{schema}")
        }
    }
}

/// The system clock, moved forward by however much a test asks, so that expiry can be
/// tested without waiting.
#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset_seconds: std::sync::atomic::AtomicI64,
}

impl ShiftedClock {
    /// Moves the clock on.
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
            + chrono::Duration::seconds(
                self.offset_seconds
                    .load(std::sync::atomic::Ordering::SeqCst),
            )
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestResponse {
    /// The `Content-Type`.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The JSON Pointers of the fields a `422` names.
    pub fn invalid_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `id` of the body, as a string.
    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_string()
    }
}

/// The application on a fresh database, with an admin user signed in.
#[derive(Debug, Clone)]
pub struct TestApp {
    pub app: App,
    pub router: Router,
    /// The application's clock: the system's, moved on when a test says so.
    pub clock: Arc<ShiftedClock>,
    pub url: String,
    /// A token for `admin`, who holds the admin role.
    pub admin: String,
}

impl TestApp {
    /// Starts the application on a fresh database on `backend`.
    ///
    /// # Panics
    /// When the database cannot be set up.
    pub async fn spawn(backend: &Backend) -> TestApp {
        TestApp::start(backend, None).await
    }

    /// Starts the application as [`TestApp::spawn`] does, connected from a database lane
    /// that handles every request, as `bluelamp serve` runs on SQLite.
    ///
    /// # Panics
    /// When the lane or the database cannot be set up.
    pub async fn spawn_on_lane(backend: &Backend) -> TestApp {
        let lane = Lane::start().unwrap_or_else(|e| panic!("lane: {e}"));
        TestApp::start(backend, Some(lane)).await
    }

    async fn start(backend: &Backend, lane: Option<Lane>) -> TestApp {
        let url = fresh_database_url(backend).await;
        let db = Db::connect_on(&url, lane.as_ref())
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"));
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("migrate: {e}"));
        let clock = Arc::new(ShiftedClock::default());
        bluelamp_app::force::configure(&db, "Test Constabulary", "TST", clock.as_ref())
            .await
            .unwrap_or_else(|e| panic!("configure: {e}"));
        let app = App::open_force(db, clock.clone(), Config::default())
            .await
            .unwrap_or_else(|e| panic!("open: {e}"));
        let router = bluelamp_web::router_on(app.clone(), lane);
        let mut t = TestApp {
            app,
            router,
            clock,
            url,
            admin: String::new(),
        };
        t.admin = t.user("admin", &["admin"], &[], None).await;
        t
    }

    /// Adds a user with a password and answers a bearer token for them.
    ///
    /// # Panics
    /// When the user cannot be added or sign in.
    pub async fn user(
        &self,
        username: &str,
        roles: &[&str],
        teams: &[&str],
        agency: Option<&str>,
    ) -> String {
        let input = UserInput {
            username: username.into(),
            display_name: None,
            password: Some(PASSWORD.into()),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            teams: teams.iter().map(|t| t.to_string()).collect(),
            areas: vec![],
            agency: agency.map(str::to_string),
        };
        self.app
            .add_user(&Ctx::operator("test"), &input)
            .await
            .unwrap_or_else(|e| panic!("add user {username}: {e}"));
        self.token(username, PASSWORD).await.body["token"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Signs in through the sign-in page, as a browser would, answering that browser.
    ///
    /// # Panics
    /// When signing in fails.
    pub async fn sign_in(&self, username: &str) -> Browser<'_> {
        let res = self
            .form_request(
                "/sign-in",
                None,
                &format!(
                    "username={username}&password={}",
                    PASSWORD.replace(' ', "+")
                ),
                &[],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "sign in {username}: {}",
            res.text
        );
        let cookie = res
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or_default()
            .to_string();
        let mut b = Browser {
            t: self,
            cookie,
            csrf: String::new(),
        };
        let home = b.get("/").await;
        b.csrf = csrf_in(&home.text).unwrap_or_default();
        b
    }

    /// Sends a form, with an optional cookie and extra headers.
    ///
    /// # Panics
    /// When the request cannot be built.
    pub async fn form_request(
        &self,
        path: &str,
        cookie: Option<&str>,
        body: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(Body::from(body.to_string()))
            .unwrap_or_else(|e| panic!("request: {e}"));
        self.raw(req).await
    }

    /// `POST /api/v1/tokens`.
    pub async fn token(&self, username: &str, password: &str) -> TestResponse {
        self.send(
            Method::POST,
            "/api/v1/tokens",
            None,
            Some(serde_json::json!({"username": username, "password": password})),
            &[],
        )
        .await
    }

    /// Sends a request through the router.
    ///
    /// # Panics
    /// When the request cannot be built or the body read.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap_or_else(|e| panic!("request: {e}"));
        self.raw(req).await
    }

    /// Sends a prepared request.
    ///
    /// # Panics
    /// When the body cannot be read.
    pub async fn raw(&self, req: Request<Body>) -> TestResponse {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| match e {});
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
        }
    }

    /// `GET` with a token.
    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.send(Method::GET, path, Some(token), None, &[]).await
    }

    /// `GET` with a token and a stated reason.
    pub async fn get_with_reason(&self, path: &str, token: &str, reason: &str) -> TestResponse {
        self.send(
            Method::GET,
            path,
            Some(token),
            None,
            &[("bluelamp-access-reason", reason)],
        )
        .await
    }

    /// `POST` JSON with a token.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.send(Method::POST, path, Some(token), Some(body), &[])
            .await
    }

    /// `PUT` JSON with a token.
    pub async fn put(&self, path: &str, token: &str, body: Value) -> TestResponse {
        self.send(Method::PUT, path, Some(token), Some(body), &[])
            .await
    }

    /// Creates a person and answers their id.
    pub async fn person(
        &self,
        token: &str,
        forenames: &str,
        surname: &str,
        dob: Option<&str>,
    ) -> String {
        let res = self
            .post("/api/v1/persons", token, serde_json::json!({"forenames": forenames, "surname": surname, "date_of_birth": dob}))
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "create person: {}",
            res.text
        );
        res.id()
    }

    /// Counts rows in a table, straight from the database, to prove what was (not) written.
    ///
    /// # Panics
    /// When the query fails.
    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match &self.app.db {
            Db::Sqlite(p) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_one(p)
                    .await
            }
            Db::Pg(p) => {
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_one(p)
                    .await
            }
        }
        .unwrap_or_else(|e| panic!("count {table}: {e}"))
    }

    /// Whether this app runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.app.db, Db::Pg(_))
    }

    /// Runs SQL straight on the database, answering whether it succeeded.
    pub async fn try_sql(&self, sql: &str) -> bool {
        let sql = sql.to_string();
        match &self.app.db {
            Db::Sqlite(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(p)
                .await
                .is_ok(),
            Db::Pg(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(p)
                .await
                .is_ok(),
        }
    }

    /// Runs raw SQL behind the application's back (to tamper, in audit tests).
    ///
    /// # Panics
    /// When the statement fails.
    pub async fn tamper(&self, sql: &str) {
        let sql = sql.to_string();
        match &self.app.db {
            Db::Sqlite(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(p)
                .await
                .map(|_| ()),
            Db::Pg(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(p)
                .await
                .map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("tamper: {e}"));
    }
}

/// Runs raw SQL on the database at `url` behind the application's back, as a tamperer or
/// a test's inspection would.
///
/// # Panics
/// When the database cannot be reached or the statement fails.
pub async fn sql_at(url: &str, sql: &str) {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    let sql = sql.to_string();
    match &db {
        Db::Sqlite(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(p)
            .await
            .map(|_| ()),
        Db::Pg(p) => sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("sql: {e}"));
    db.close().await;
}

/// The single integer a query answers, on the database at `url`.
///
/// # Panics
/// When the database cannot be reached or the query fails.
pub async fn i64_at(url: &str, sql: &str) -> i64 {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    let sql = sql.to_string();
    let n = match &db {
        Db::Sqlite(p) => {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .fetch_one(p)
                .await
        }
        Db::Pg(p) => {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .fetch_one(p)
                .await
        }
    }
    .unwrap_or_else(|e| panic!("query: {e}"));
    db.close().await;
    n
}

/// The CSRF token in a page's forms.
pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// A signed-in browser: its session cookie and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct Browser<'a> {
    t: &'a TestApp,
    /// `name=value` of the session cookie.
    pub cookie: String,
    pub csrf: String,
}

impl Browser<'_> {
    /// `GET` a page.
    ///
    /// # Panics
    /// When the request cannot be built.
    pub async fn get(&self, path: &str) -> TestResponse {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header("cookie", &self.cookie)
            .body(Body::empty())
            .unwrap_or_else(|e| panic!("request: {e}"));
        self.t.raw(req).await
    }

    /// Submits a form from this site's own page, with the session's CSRF token.
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("csrf", &self.csrf)
            .extend_pairs(fields.iter().copied())
            .finish();
        self.t
            .form_request(
                path,
                Some(&self.cookie),
                &body,
                &[("sec-fetch-site", "same-origin")],
            )
            .await
    }

    /// Submits a form exactly as given (no CSRF token added), with extra headers.
    pub async fn submit_raw(
        &self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.t
            .form_request(path, Some(&self.cookie), body, headers)
            .await
    }
}

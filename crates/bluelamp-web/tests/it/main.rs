//! HTTP integration tests: every capability through the API, on SQLite and (when
//! `BLUELAMP_TEST_DATABASE_URL` is set) PostgreSQL. Each `check_*` runs one scenario on
//! a fresh database; each `#[tokio::test]` runs it on every backend.

mod access;
mod audit;
mod errors;
mod events;
mod first_contact;
mod incident_pages;
mod investigation;
mod investigation_pages;
mod pages;
mod persons;
mod pole;
mod service;
mod users;

use bluelamp_testkit::{Backend, TestApp, backends};

/// Runs a scenario on a fresh app on every backend.
pub async fn on_each_backend<F, Fut>(scenario: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in backends() {
        let label = match &b {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        };
        eprintln!("running on {label}");
        scenario(TestApp::spawn(&b).await).await;
    }
}

/// Runs a scenario as [`on_each_backend`] does, then again on SQLite with every request
/// handled on the database lane, as `bluelamp serve` runs it.
pub async fn on_each_backend_and_the_lane<F, Fut>(scenario: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    on_each_backend(&scenario).await;
    eprintln!("running on sqlite, on the database lane");
    scenario(TestApp::spawn_on_lane(&Backend::Sqlite).await).await;
}

//! The home page: what is waiting for the signed-in user, by their roles.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use bluelamp_app::first_contact::TAKE_CALL;
use bluelamp_domain::access::{Action, Role};

use super::records::record_href;
use super::{Chrome, Signed, html};
use crate::WebState;

/// A link in a list on the home page.
#[derive(Debug, Clone)]
pub struct Entry {
    pub href: String,
    pub label: String,
    pub hint: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub roles: Vec<String>,
    pub tasks: Vec<Entry>,
    pub recent: Vec<Entry>,
    pub counts: Vec<(String, i64)>,
    /// Whether the user owes duties, and the most overdue.
    pub owes_duties: bool,
    pub overdue: Vec<super::crimes::work::QueuedRow>,
    pub overdue_total: i64,
    pub due_today: i64,
}

/// What each role comes to Bluelamp to do, as links.
fn tasks_for(roles: &[Role]) -> Vec<Entry> {
    let mut tasks = Vec::new();
    let mut add = |href: &str, label: &str, hint: &str| {
        if !tasks.iter().any(|t: &Entry| t.href == href) {
            tasks.push(Entry {
                href: href.into(),
                label: label.into(),
                hint: hint.into(),
            });
        }
    };
    for role in roles {
        if role.permits(Action::SearchPersons) {
            add(
                "/persons",
                "Search people",
                "By name, date of birth and postcode, the way you would say them.",
            );
        }
        if role.permits(Action::CreateRecord) {
            add(
                "/persons/new",
                "Record a person",
                "Possible matches are shown before a new record is made.",
            );
            add(
                "/locations/new",
                "Record a location",
                "An address, postcode, UPRN or coordinates.",
            );
            add(
                "/objects/new",
                "Record an object",
                "A vehicle, phone, weapon or property.",
            );
        }
        if TAKE_CALL.iter().all(|a| role.permits(*a)) {
            add(
                "/incidents/new",
                "Take a call",
                "Record the incident with its THRIVE assessment, the advice given and its grade.",
            );
        }
        if role.permits(Action::ViewIncidentQueue) {
            add(
                "/queues/incident-management",
                "Incident-management queue",
                "Incidents waiting for a deployment or resolution, most at risk and most vulnerable first.",
            );
        }
        if role.permits(Action::WorkInvestigation) {
            add(
                "/investigations",
                "My investigations",
                "The crimes you investigate, with their plans, victims and the next supervisor's review.",
            );
        }
        if role.permits(Action::ReviewInvestigation) {
            add(
                "/team",
                "Your teams",
                "Investigations by review due, outcomes and handovers awaiting you, overdue duties and escalations.",
            );
        }
        if super::incidents::reviews_first_contact(std::slice::from_ref(role)) {
            add(
                "/reviews/first-contact",
                "First-contact review",
                "Downgrades, missed attendance targets, overdue crime-recording decisions, and the measures.",
            );
        }
        if role.permits(Action::ManageUsers) {
            add(
                "/users",
                "Manage users",
                "Add accounts and see who holds which roles.",
            );
        }
        if role.permits(Action::ReadAudit) {
            add(
                "/audit",
                "Read the audit log",
                "Who opened, searched, changed or shared what, and why.",
            );
        }
    }
    tasks
}

/// `GET /`
pub async fn home(State(s): State<WebState>, signed: Signed) -> Response {
    let home = match s.app.home(&signed.ctx).await {
        Ok(h) => h,
        Err(e) => return signed.error(e, "/").into_response(),
    };
    let page = HomePage {
        chrome: Chrome::signed(&signed, "Home", "home"),
        roles: signed
            .ctx
            .actor
            .roles
            .iter()
            .map(|r| r.as_str().replace('_', " "))
            .collect(),
        tasks: tasks_for(&signed.ctx.actor.roles),
        recent: home
            .recent
            .into_iter()
            .map(|r| Entry {
                href: record_href(r.kind, r.id),
                label: r.label,
                hint: r.kind.to_string(),
            })
            .collect(),
        owes_duties: home.waiting.is_some(),
        overdue: home
            .waiting
            .as_ref()
            .map(|w| super::crimes::work::queued_rows(&signed, &w.overdue, w.at))
            .unwrap_or_default(),
        overdue_total: home.waiting.as_ref().map_or(0, |w| w.overdue_total),
        due_today: home.waiting.as_ref().map_or(0, |w| w.due_today),
        counts: home
            .counts
            .unwrap_or_default()
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
    };
    html(&page)
}

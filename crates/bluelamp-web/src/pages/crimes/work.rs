//! Work lists: "my investigations" (`/investigations`), "my duties" (`/duties`, due today
//! and overdue first) and the supervisor's team view (`/team`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use bluelamp_app::Page;
use bluelamp_app::duty::{DutyPage, DutyQuery};
use bluelamp_app::investigation::Holding;
use bluelamp_app::views::Queued;
use bluelamp_domain::duty::{Owner, Status};
use bluelamp_domain::first_contact::span;
use bluelamp_domain::record::RecordKind;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{state_tag, state_words};
use crate::WebState;
use crate::pages::incidents::level_words;
use crate::pages::records::record_href;
use crate::pages::time::london;
use crate::pages::{Chrome, Signed, html};

/// An investigation in a list as shown.
#[derive(Debug, Clone)]
pub struct InvestigationRow {
    pub href: String,
    pub reference: String,
    pub offence: String,
    pub recorded: String,
    pub state: &'static str,
    pub state_tag: &'static str,
    pub risk: &'static str,
    pub review: String,
    pub review_overdue: bool,
}

/// A duty in a list as shown.
#[derive(Debug, Clone)]
pub struct QueuedRow {
    pub href: String,
    pub reference: String,
    pub what: String,
    pub owed_by: String,
    pub due: String,
    pub status: String,
    pub status_tag: &'static str,
}

/// Something awaiting a decision as shown.
#[derive(Debug, Clone)]
pub struct AwaitingRow {
    pub href: String,
    pub reference: String,
    pub what: &'static str,
    pub since: String,
}

#[derive(Template)]
#[template(path = "crimes/work.html")]
pub struct WorkPage {
    pub chrome: Chrome,
    pub heading: &'static str,
    pub intro: String,
    pub tabs: Vec<(String, String, bool)>,
    pub investigations: Vec<InvestigationRow>,
    pub investigations_total: i64,
    pub show_investigations: bool,
    pub duties: Vec<QueuedRow>,
    pub duties_total: i64,
    pub duties_caption: String,
    pub show_duties: bool,
    pub awaiting: Vec<AwaitingRow>,
    pub show_awaiting: bool,
}

impl WorkPage {
    fn new(chrome: Chrome, heading: &'static str, intro: String) -> WorkPage {
        WorkPage {
            chrome,
            heading,
            intro,
            tabs: vec![],
            investigations: vec![],
            investigations_total: 0,
            show_investigations: false,
            duties: vec![],
            duties_total: 0,
            duties_caption: String::new(),
            show_duties: false,
            awaiting: vec![],
            show_awaiting: false,
        }
    }
}

fn owner_words(signed: &Signed, o: &Owner) -> String {
    match o {
        Owner::User(u) if *u == signed.ctx.actor.user_id => "You".into(),
        Owner::User(_) => "A colleague".into(),
        Owner::Team(_) => "Your team".into(),
        Owner::Role(r) => format!("Anyone with the role {}", r.as_str().replace('_', " ")),
    }
}

fn duty_rows(signed: &Signed, p: &DutyPage) -> Vec<QueuedRow> {
    queued_rows(signed, &p.items, p.at)
}

/// Duties in a queue as shown, as they stand at `at`.
pub fn queued_rows(signed: &Signed, items: &[Queued], at: DateTime<Utc>) -> Vec<QueuedRow> {
    items
        .iter()
        .map(|q| {
            let d = &q.duty;
            let (status, tag) = match d.status(at) {
                Status::Open => (format!("Due in {}", span(d.due - at)), ""),
                Status::Overdue { by } => (format!("Overdue by {}", span(by)), "govuk-tag--red"),
                Status::Met { on_time: true } => ("Met".into(), "govuk-tag--green"),
                Status::Met { on_time: false } => ("Met late".into(), "govuk-tag--orange"),
            };
            QueuedRow {
                href: record_href(q.subject_kind, d.subject),
                reference: q
                    .reference
                    .clone()
                    .unwrap_or_else(|| q.subject_kind.to_string()),
                what: if d.is_escalation() {
                    format!("Escalated: {}", d.kind.describe())
                } else {
                    d.kind.describe().to_string()
                },
                owed_by: owner_words(signed, &d.owed_by),
                due: london(&d.due),
                status,
                status_tag: tag,
            }
        })
        .collect()
}

async fn investigations(
    s: &WebState,
    signed: &Signed,
    holding: Holding,
    page: &mut WorkPage,
) -> Result<(), Response> {
    let here = "/investigations";
    let (items, total) = s
        .app
        .held_investigations(
            &signed.ctx,
            holding,
            Page {
                number: 1,
                size: 100,
            },
        )
        .await
        .map_err(|e| signed.error(e, here).into_response())?;
    let now = s.app.now();
    page.investigations = items
        .into_iter()
        .map(|l| InvestigationRow {
            href: record_href(RecordKind::Crime, l.investigation.crime),
            offence: l.offence_code.offence().description.clone(),
            reference: l.reference,
            recorded: london(&l.recorded_at),
            state: state_words(l.investigation.state),
            state_tag: state_tag(l.investigation.state),
            risk: level_words(l.investigation.risk),
            review: l
                .review_due
                .as_ref()
                .map(london)
                .unwrap_or_else(|| "None due".into()),
            review_overdue: l.review_due.is_some_and(|d| d < now),
        })
        .collect();
    page.investigations_total = total;
    page.show_investigations = true;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct DutiesQuery {
    #[serde(default)]
    state: Option<String>,
}

/// `GET /investigations`: the open investigations the user is the investigator of.
pub async fn mine(State(s): State<WebState>, signed: Signed) -> Response {
    let mut page = WorkPage::new(
        Chrome::signed(&signed, "My investigations", "investigations"),
        "My investigations",
        "Open investigations you hold, the review due soonest first.".into(),
    );
    if let Err(r) = investigations(&s, &signed, Holding::Mine, &mut page).await {
        return r;
    }
    html(&page)
}

/// `GET /duties?state=due|overdue|unmet|breached`: everything the user owes, personally,
/// through their teams and through their roles.
pub async fn duties(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<DutiesQuery>,
) -> Response {
    let state = q.state.unwrap_or_else(|| "overdue".into());
    let query = DutyQuery {
        state: Some(state.clone()),
        ..DutyQuery::default()
    };
    let p = match s
        .app
        .duties(
            &signed.ctx,
            &query,
            Page {
                number: 1,
                size: 100,
            },
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return signed.error(e, "/duties").into_response(),
    };
    let mut page = WorkPage::new(
        Chrome::signed(&signed, "My duties", "duties"),
        "My duties",
        "What you owe, yourself, through your teams and through your roles, with its deadline. \
         Deadlines in working days fall at the end of the day, UK time, and skip bank holidays."
            .into(),
    );
    page.tabs = [
        ("overdue", "Overdue"),
        ("due", "Due today"),
        ("unmet", "All not yet met"),
        ("breached", "Met late"),
    ]
    .iter()
    .map(|(k, w)| (format!("/duties?state={k}"), w.to_string(), *k == state))
    .collect();
    page.duties = duty_rows(&signed, &p);
    page.duties_total = p.total;
    page.duties_caption = format!(
        "{} {}",
        p.total,
        page.tabs
            .iter()
            .find(|t| t.2)
            .map(|t| t.1.to_lowercase())
            .unwrap_or_default()
    );
    page.show_duties = true;
    html(&page)
}

/// `GET /team`: the supervisor's view of their teams: open investigations by review due,
/// outcomes and handovers awaiting a decision, and the overdue duties of the teams and of
/// supervisors (escalations).
pub async fn team(State(s): State<WebState>, signed: Signed) -> Response {
    let mut page = WorkPage::new(
        Chrome::signed(&signed, "Team", "team"),
        "Your teams",
        "Investigations held by your teams, with reviews overdue marked, what awaits a decision, \
         and the duties overdue."
            .into(),
    );
    if let Err(r) = investigations(&s, &signed, Holding::MyTeams, &mut page).await {
        return r;
    }
    match s.app.awaiting_my_teams(&signed.ctx).await {
        Ok(items) => {
            page.awaiting = items
                .into_iter()
                .map(|a| AwaitingRow {
                    href: if a.what == "outcome" {
                        format!("/crimes/{}/outcome/decision", a.crime)
                    } else {
                        record_href(RecordKind::Crime, a.crime)
                    },
                    reference: a.reference,
                    what: if a.what == "outcome" {
                        "Outcome proposed: approve or reject"
                    } else {
                        "Handover to your team: accept or return"
                    },
                    since: london(&a.since),
                })
                .collect();
            page.show_awaiting = true;
        }
        Err(e) => return signed.error(e, "/team").into_response(),
    }
    let mut query = DutyQuery {
        state: Some("overdue".into()),
        ..DutyQuery::default()
    };
    let teams: Vec<String> = signed
        .ctx
        .actor
        .teams
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut rows = vec![];
    let mut total = 0;
    for t in teams.iter().map(Some).chain(std::iter::once(None)) {
        query.team = t.cloned();
        query.role = t.is_none().then(|| "supervisor".to_string());
        match s
            .app
            .duties(
                &signed.ctx,
                &query,
                Page {
                    number: 1,
                    size: 50,
                },
            )
            .await
        {
            Ok(p) => {
                total += p.total;
                rows.extend(duty_rows(&signed, &p));
            }
            Err(e) => return signed.error(e, "/team").into_response(),
        }
    }
    page.duties = rows;
    page.duties_total = total;
    page.duties_caption = format!("{total} overdue duties of your teams and of supervisors");
    page.show_duties = true;
    html(&page)
}

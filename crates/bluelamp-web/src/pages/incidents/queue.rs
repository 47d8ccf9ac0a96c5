//! The incident-management queue (`/queues/incident-management`): incidents waiting for a
//! deployment or resolution, in order of risk and vulnerability first and age second, each
//! with why it holds its place; filtered by area and grade with a GET form, a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::first_contact::{QueueLine, QueueQuery};
use bluelamp_app::{AppError, Page};
use bluelamp_domain::area::AreaKind;
use bluelamp_domain::first_contact::span;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{category_words, factor_words, grade_options, grade_tag, incident_href, level_words};
use crate::WebState;
use crate::pages::time::london;
use crate::pages::{Chrome, Form, PageLink, Signed, html, html_status, paginate};

const HERE: &str = "/queues/incident-management";

/// The queue's order, in words.
pub const ORDER: &str = "In order of the urgency of the grade, then risk, then vulnerability \
    (its level, then the number of factors), highest first; then the oldest report first.";

/// One incident of the queue as shown.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub position: usize,
    pub href: String,
    pub reference: String,
    pub category: String,
    pub summary: String,
    pub grade: String,
    pub grade_tag: &'static str,
    pub risk: String,
    pub vulnerability: String,
    pub factors: String,
    pub received: String,
    pub waited: String,
    pub allowed: String,
    pub overdue: bool,
    pub why: String,
}

#[derive(Template)]
#[template(path = "incidents/queue.html")]
pub struct QueuePage {
    pub chrome: Chrome,
    pub form: Form,
    pub areas: Vec<(String, String)>,
    pub grades: Vec<(String, String)>,
    pub rows: Vec<QueueRow>,
    pub total: i64,
    pub overdue: usize,
    pub at: String,
    pub order: &'static str,
    pub filtered: bool,
    pub pages: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct QueueParams {
    #[serde(default)]
    area: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    page: Option<String>,
}

fn queue_row(l: QueueLine, now: DateTime<Utc>) -> QueueRow {
    let e = &l.item.entry;
    let (waited, _) = e.waited(now);
    QueueRow {
        position: l.position,
        href: incident_href(l.item.incident),
        reference: l.item.reference.clone(),
        category: category_words(l.item.category).to_string(),
        summary: l.item.summary.clone(),
        grade: e.grade.describe().to_string(),
        grade_tag: grade_tag(e.grade),
        risk: level_words(e.risk).to_string(),
        vulnerability: level_words(e.vulnerability).to_string(),
        factors: e
            .factors
            .iter()
            .map(|f| factor_words(*f))
            .collect::<Vec<_>>()
            .join("; "),
        received: london(&e.received_at),
        waited: span(waited),
        allowed: e.wait_allowed.map(span).unwrap_or_default(),
        overdue: l.overdue,
        why: l.why,
    }
}

/// `GET /queues/incident-management`
pub async fn queue(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<QueueParams>,
) -> Response {
    let mut form = Form::default();
    form.set("area", q.area.clone());
    form.set("grade", q.grade.clone());
    let areas = match s.app.list_areas(&signed.ctx).await {
        Ok(a) => a,
        Err(e) => return signed.error(e, HERE).into_response(),
    };
    let mut areas: Vec<(String, String)> = areas
        .into_iter()
        .map(|a| {
            let kind = match a.kind {
                AreaKind::LocalPolicingArea => "local policing area",
                AreaKind::Neighbourhood => "neighbourhood",
            };
            (a.id.to_string(), format!("{} ({kind})", a.name))
        })
        .collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    areas.insert(0, (String::new(), "All areas".to_string()));
    let mut page = QueuePage {
        chrome: Chrome::signed(&signed, "Incident-management queue", "queue"),
        form,
        areas,
        grades: std::iter::once((String::new(), "All grades".to_string()))
            .chain(grade_options())
            .collect(),
        rows: vec![],
        total: 0,
        overdue: 0,
        at: String::new(),
        order: ORDER,
        filtered: !q.area.trim().is_empty() || !q.grade.trim().is_empty(),
        pages: vec![],
        prev: None,
        next: None,
    };
    let number = match q.page.as_deref().map(str::parse::<u32>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => Some(0),
    };
    let query = QueueQuery {
        area: Some(q.area.clone()),
        grade: Some(q.grade.clone()),
    };
    let result = match Page::new(number, None) {
        Ok(p) => s.app.incident_queue(&signed.ctx, &query, p).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(p) => {
            let now = p.at;
            page.total = p.total;
            page.at = london(&now);
            let href = |n: u32| {
                let qs: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("area", &q.area)
                    .append_pair("grade", &q.grade)
                    .append_pair("page", &n.to_string())
                    .finish();
                format!("{HERE}?{qs}")
            };
            (page.pages, page.prev, page.next) = paginate(
                u64::try_from(p.total).unwrap_or(0),
                p.page.size,
                p.page.number,
                href,
            );
            page.rows = p.lines.into_iter().map(|l| queue_row(l, now)).collect();
            page.overdue = page.rows.iter().filter(|r| r.overdue).count();
            html(&page)
        }
        Err(AppError::Invalid(i)) => {
            page.form = page.form.with_invalid(&i, |id| {
                match id {
                    "area" => "Area",
                    "grade" => "Grade",
                    _ => "Page",
                }
                .to_string()
            });
            for e in &mut page.form.errors {
                if e.id != "area" && e.id != "grade" {
                    e.id = "grade".into();
                }
            }
            page.chrome = page.chrome.with_errors(&page.form);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => signed.error(e, HERE).into_response(),
    }
}

//! The audit log for admins (and inspectors): every entry, newest first, by record or by
//! user, a page at a time. Reading it is itself audited.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_domain::field::{FieldError, Invalid};
use bluelamp_domain::ids::{RecordId, UserId};
use serde::Deserialize;

use super::time::london;
use super::{Chrome, Form, Signed, html, html_status};
use crate::WebState;

/// Entries a page shows.
const PER_PAGE: u32 = 50;

/// An entry as shown.
#[derive(Debug, Clone)]
pub struct EntryRow {
    pub seq: i64,
    pub at: String,
    pub who: String,
    pub user_href: String,
    pub channel: String,
    pub operation: String,
    pub action: String,
    pub record: String,
    pub reason: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub form: Form,
    pub entries: Vec<EntryRow>,
    pub older: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    record: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    before: Option<i64>,
}

/// `GET /audit`
pub async fn log(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<AuditQuery>,
) -> Response {
    let mut form = Form::default();
    form.set("record", q.record.clone());
    form.set("user", q.user.clone());
    let mut bad = Vec::new();
    let record = match q.record.trim() {
        "" => None,
        r => r.parse::<RecordId>().map_err(|_| bad.push("/record")).ok(),
    };
    let user = match q.user.trim() {
        "" => None,
        u => u.parse::<UserId>().map_err(|_| bad.push("/user")).ok(),
    };
    let result = if bad.is_empty() {
        s.app
            .list_audit(&signed.ctx, record, user, q.before, PER_PAGE)
            .await
    } else {
        Err(AppError::Invalid(Invalid(
            bad.into_iter()
                .map(|f| FieldError {
                    field: f.into(),
                    message: "must be a reference as shown on a page, such as 0190b1c2-…".into(),
                })
                .collect(),
        )))
    };
    let mut page = AuditPage {
        chrome: Chrome::signed(&signed, "Audit log", "audit"),
        form,
        entries: vec![],
        older: None,
    };
    match result {
        Ok(entries) => {
            if entries.len() == PER_PAGE as usize {
                page.older = entries.last().map(|e| {
                    let qs: String = form_urlencoded::Serializer::new(String::new())
                        .append_pair("record", &q.record)
                        .append_pair("user", &q.user)
                        .append_pair("before", &e.seq.to_string())
                        .finish();
                    format!("/audit?{qs}")
                });
            }
            page.entries = entries
                .into_iter()
                .map(|e| EntryRow {
                    seq: e.seq,
                    at: london(&e.at),
                    who: match &e.os_user {
                        Some(os) => format!("{} (OS user {os})", e.username),
                        None => e.username.clone(),
                    },
                    user_href: e
                        .user_id
                        .map(|u| format!("/audit?user={u}"))
                        .unwrap_or_default(),
                    channel: e.channel.as_str().into(),
                    operation: e.operation.as_str().into(),
                    action: e.action.clone(),
                    record: e.record_id.map(|r| r.to_string()).unwrap_or_default(),
                    reason: e.reason.clone().unwrap_or_default(),
                    details: e.details.clone().unwrap_or_else(|| "(erased)".into()),
                })
                .collect();
            html(&page)
        }
        Err(AppError::Invalid(i)) => {
            page.form = page.form.with_invalid(&i, |id| {
                if id == "record" { "Record" } else { "User" }.into()
            });
            page.chrome = page.chrome.with_errors(&page.form);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => signed.error(e, "/audit").into_response(),
    }
}

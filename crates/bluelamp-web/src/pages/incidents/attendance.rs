//! Recording attendance (`/incidents/{id}/attendance`): a deployment or a decision not to
//! attend, each with its rationale (taking the incident off the queue), or the officers'
//! arrival, measured against the attendance target; through `App::record_attendance`.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::AttendanceInput;
use bluelamp_app::incident::IncidentView;
use bluelamp_domain::access::Action;

use super::show::next_attendance;
use super::{
    Heading, acting_on, action_form, attendance_words, incident_href, lines, may, open_incident,
    place_errors, uk_time,
};
use crate::WebState;
use crate::pages::records::reason_href;
use crate::pages::{Chrome, Form, FormError, Signed, html, html_status, see_other};

#[derive(Template)]
#[template(path = "incidents/attendance.html")]
pub struct AttendancePage {
    pub chrome: Chrome,
    pub form: Form,
    pub heading: Heading,
    pub kinds: Vec<(String, String)>,
    pub action: String,
}

fn attendance_page(signed: &Signed, v: &IncidentView, form: Form) -> AttendancePage {
    AttendancePage {
        chrome: Chrome::signed(signed, "Record attendance", "").with_errors(&form),
        form,
        heading: Heading::of(v),
        kinds: next_attendance(&v.first_contact)
            .into_iter()
            .map(|k| (k.as_str().to_string(), attendance_words(k).to_string()))
            .collect(),
        action: format!("{}/attendance", incident_href(v.head.id)),
    }
}

/// `GET /incidents/{id}/attendance`
pub async fn form(State(s): State<WebState>, signed: Signed, Path(raw): Path<String>) -> Response {
    let here = format!("/incidents/{raw}/attendance");
    if let Err(r) = may(&signed, Action::RecordAttendance, &here) {
        return r;
    }
    match open_incident(&s.app, &signed, &raw, &here).await {
        Ok(v) => {
            let mut form = Form::default();
            if let Some(first) = next_attendance(&v.first_contact).first() {
                form.set("kind", first.as_str());
            }
            html(&attendance_page(&signed, &v, form))
        }
        Err(r) => r,
    }
}

fn place(pointer: &str, message: &str) -> (String, String) {
    let (id, label) = match pointer {
        "/at" => ("at", "The time"),
        "/rationale" if message == "must not be blank" => {
            return (
                "rationale".into(),
                "Give the rationale for the decision".into(),
            );
        }
        "/rationale" => ("rationale", "The rationale"),
        _ => ("kind", "What to record"),
    };
    (id.into(), format!("{label} {message}"))
}

/// `POST /incidents/{id}/attendance`
pub async fn submit(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let here = format!("/incidents/{raw}/attendance");
    let (form, id) = match action_form(&signed, &raw, &body, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut own = Vec::new();
    let at = form.optional("at").map(|raw| match uk_time(&raw) {
        Ok(t) => t,
        Err(why) => {
            own.push(FormError {
                id: "at".into(),
                message: format!("The time {why}"),
            });
            raw
        }
    });
    let input = AttendanceInput {
        kind: form.value("kind").into(),
        at,
        rationale: lines(form.value("rationale")),
    };
    let ctx = acting_on(&s.app, &signed, id).await;
    match s.app.record_attendance(&ctx, id, &input).await {
        Ok(_) => see_other(&format!("{}?done=attendance", incident_href(id))),
        Err(AppError::Invalid(e)) => {
            let v = match open_incident(&s.app, &signed, &raw, &here).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let form = place_errors(form, &e, &own, place);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &attendance_page(&signed, &v, form),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(id, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

//! Closing an incident (`/incidents/{id}/closure`) with its closing category and result,
//! through `App::close_incident`, which flags a crime closed without attendance (where
//! THRIVE found lines of enquiry) for a supervisor's review.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::ClosureInput;
use bluelamp_app::incident::IncidentView;
use bluelamp_domain::access::Action;
use bluelamp_domain::first_contact::IncidentResult;
use bluelamp_domain::incident::IncidentCategory;

use super::{
    Heading, acting_on, action_form, category_words, incident_href, may, open_incident, options,
    place_errors, result_words,
};
use crate::WebState;
use crate::pages::records::reason_href;
use crate::pages::{Chrome, Form, Signed, html, html_status, see_other};

#[derive(Template)]
#[template(path = "incidents/close.html")]
pub struct ClosePage {
    pub chrome: Chrome,
    pub form: Form,
    pub heading: Heading,
    pub categories: Vec<(String, String)>,
    pub results: Vec<(String, String)>,
    pub action: String,
}

fn close_page(signed: &Signed, v: &IncidentView, form: Form) -> ClosePage {
    ClosePage {
        chrome: Chrome::signed(signed, "Close the incident", "").with_errors(&form),
        form,
        heading: Heading::of(v),
        categories: options(
            IncidentCategory::ALL,
            IncidentCategory::as_str,
            category_words,
        ),
        results: options(IncidentResult::ALL, IncidentResult::as_str, result_words),
        action: format!("{}/closure", incident_href(v.head.id)),
    }
}

/// `GET /incidents/{id}/closure`
pub async fn form(State(s): State<WebState>, signed: Signed, Path(raw): Path<String>) -> Response {
    let here = format!("/incidents/{raw}/closure");
    if let Err(r) = may(&signed, Action::CloseIncident, &here) {
        return r;
    }
    match open_incident(&s.app, &signed, &raw, &here).await {
        Ok(v) if v.first_contact.state.closure.is_some() => signed
            .error(AppError::Conflict("The incident is closed.".into()), &here)
            .into_response(),
        Ok(v) => {
            let mut form = Form::default();
            form.set("closing_category", v.incident.category.as_str());
            html(&close_page(&signed, &v, form))
        }
        Err(r) => r,
    }
}

fn place(pointer: &str, _message: &str) -> (String, String) {
    match pointer {
        "/closing_category" => (
            "closing_category".into(),
            "Choose the closing category".into(),
        ),
        _ => ("result".into(), "Choose how the incident ended".into()),
    }
}

/// `POST /incidents/{id}/closure`
pub async fn submit(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let here = format!("/incidents/{raw}/closure");
    let (form, id) = match action_form(&signed, &raw, &body, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = ClosureInput {
        closing_category: form.value("closing_category").into(),
        result: form.value("result").into(),
    };
    let ctx = acting_on(&s.app, &signed, id).await;
    match s.app.close_incident(&ctx, id, &input).await {
        Ok(_) => see_other(&format!("{}?done=closed", incident_href(id))),
        Err(AppError::Invalid(e)) => {
            let v = match open_incident(&s.app, &signed, &raw, &here).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let form = place_errors(form, &e, &[], place);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &close_page(&signed, &v, form),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(id, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

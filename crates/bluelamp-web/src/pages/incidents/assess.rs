//! Re-assessing an incident ("re-THRIVE", `/incidents/{id}/assess`), or assessing one
//! opened without: the THRIVE fieldsets filled in with the latest assessment, the grade, and
//! the advice checklist while it is not yet recorded; through `App::reassess_incident`.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::Reassessment;
use bluelamp_app::incident::IncidentView;
use bluelamp_domain::access::Action;

use super::thrive::{self, AssessmentFields, FACTORS};
use super::{Heading, acting_on, action_form, incident_href, may, open_incident, place_errors};
use crate::WebState;
use crate::pages::records::reason_href;
use crate::pages::{Chrome, Form, Signed, html, html_status, see_other};

#[derive(Template)]
#[template(path = "incidents/assess.html")]
pub struct AssessPage {
    pub chrome: Chrome,
    pub form: Form,
    pub heading: Heading,
    pub fields: AssessmentFields,
    pub action: String,
    pub first: bool,
    pub previous_grade: String,
    pub needs_advice: bool,
}

fn assess_page(signed: &Signed, v: &IncidentView, form: Form, factors: &[String]) -> AssessPage {
    let first = v.first_contact.assessments.is_empty();
    let title = if first {
        "Assess the incident"
    } else {
        "Re-assess the incident"
    };
    AssessPage {
        chrome: Chrome::signed(signed, title, "").with_errors(&form),
        form,
        heading: Heading::of(v),
        fields: AssessmentFields::new(factors),
        action: format!("{}/assess", incident_href(v.head.id)),
        first,
        previous_grade: v
            .first_contact
            .latest()
            .map(|a| a.assessment.decision.chosen.describe().to_string())
            .unwrap_or_default(),
        needs_advice: v.first_contact.advice.is_none(),
    }
}

/// `GET /incidents/{id}/assess`
pub async fn form(State(s): State<WebState>, signed: Signed, Path(raw): Path<String>) -> Response {
    let here = format!("/incidents/{raw}/assess");
    if let Err(r) = may(&signed, Action::AssessIncident, &here) {
        return r;
    }
    let v = match open_incident(&s.app, &signed, &raw, &here).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    if v.first_contact.state.closure.is_some() {
        return signed
            .error(AppError::Conflict("The incident is closed.".into()), &here)
            .into_response();
    }
    let mut form = Form::default();
    let factors = match v.first_contact.latest() {
        Some(a) => thrive::prefill(&mut form, a),
        None => vec![],
    };
    html(&assess_page(&signed, &v, form, &factors))
}

/// Places an error of the assessment form.
fn place(pointer: &str, message: &str) -> (String, String) {
    thrive::place(pointer, message)
        .unwrap_or_else(|| ("thrive-threat-level".into(), super::sentence(message)))
}

/// `POST /incidents/{id}/assess`
pub async fn submit(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let here = format!("/incidents/{raw}/assess");
    let (form, id) = match action_form(&signed, &raw, &body, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let factors = thrive::all_values(&body, FACTORS);
    let input = Reassessment {
        assessment: thrive::assessment_input(&form, &factors, true),
        advice: thrive::advice_input(&form),
    };
    let ctx = acting_on(&s.app, &signed, id).await;
    match s.app.reassess_incident(&ctx, id, &input).await {
        Ok(_) => see_other(&format!("{}?done=assessed", incident_href(id))),
        Err(AppError::Invalid(e)) => {
            let v = match open_incident(&s.app, &signed, &raw, &here).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let form = place_errors(form, &e, &[], place);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &assess_page(&signed, &v, form, &factors),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(id, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

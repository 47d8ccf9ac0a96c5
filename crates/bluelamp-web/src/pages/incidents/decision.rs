//! The crime-recording decision (`/incidents/{id}/crime-recording-decision`, NCRS): one or
//! more crimes with their Home Office offence codes, or not a crime with the reason;
//! through `App::decide_crime_recording`.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::{DecisionCrimeInput, DecisionInput};
use bluelamp_app::incident::IncidentView;
use bluelamp_domain::access::Action;

use super::{
    Heading, acting_on, action_form, incident_href, lines, may, open_incident, place_errors,
};
use crate::WebState;
use crate::pages::records::reason_href;
use crate::pages::{Chrome, Form, Signed, html, html_status, see_other};

/// How many crimes the form offers at once.
pub const CRIME_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "incidents/decision.html")]
pub struct DecisionPage {
    pub chrome: Chrome,
    pub form: Form,
    pub heading: Heading,
    pub decisions: Vec<(String, String)>,
    pub rows: Vec<usize>,
    pub action: String,
}

fn decision_page(signed: &Signed, v: &IncidentView, form: Form) -> DecisionPage {
    DecisionPage {
        chrome: Chrome::signed(signed, "Crime-recording decision", "").with_errors(&form),
        form,
        heading: Heading::of(v),
        decisions: vec![
            ("crime".into(), "Record it as one or more crimes".into()),
            ("not_a_crime".into(), "It is not a crime".into()),
        ],
        rows: (0..CRIME_ROWS).collect(),
        action: format!("{}/crime-recording-decision", incident_href(v.head.id)),
    }
}

/// `GET /incidents/{id}/crime-recording-decision`
pub async fn form(State(s): State<WebState>, signed: Signed, Path(raw): Path<String>) -> Response {
    let here = format!("/incidents/{raw}/crime-recording-decision");
    if let Err(r) = may(&signed, Action::DecideCrimeRecording, &here) {
        return r;
    }
    match open_incident(&s.app, &signed, &raw, &here).await {
        Ok(v) if v.first_contact.decision.is_some() => signed
            .error(
                AppError::Conflict("The crime-recording decision is already made.".into()),
                &here,
            )
            .into_response(),
        Ok(v) => html(&decision_page(&signed, &v, Form::default())),
        Err(r) => r,
    }
}

/// The crimes the form gives, and for each the form row it came from (blank rows are
/// skipped, so the service's indexes differ from the form's).
fn crimes(form: &Form) -> (Vec<DecisionCrimeInput>, Vec<usize>) {
    let mut crimes = Vec::new();
    let mut rows = Vec::new();
    for i in 0..CRIME_ROWS {
        let reference = form.value(&format!("crimes-{i}-reference")).trim();
        let code = form.value(&format!("crimes-{i}-offence_code")).trim();
        if reference.is_empty() && code.is_empty() {
            continue;
        }
        crimes.push(DecisionCrimeInput {
            reference: reference.into(),
            offence_code: code.into(),
            committed_from: None,
            domestic_abuse: form.value(&format!("crimes-{i}-domestic_abuse")) == "yes",
        });
        rows.push(i);
    }
    (crimes, rows)
}

fn place(pointer: &str, message: &str, rows: &[usize]) -> (String, String) {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["decision"] => (
            "decision".into(),
            "Choose whether it is recorded as a crime".into(),
        ),
        ["reason"] if message == "must not be blank" => {
            ("reason".into(), "Say why it is not a crime".into())
        }
        ["reason"] => ("reason".into(), format!("The reason {message}")),
        ["crimes"] if message.starts_with("must list") => (
            "crimes-0-reference".into(),
            "Give at least one crime: its reference and offence code".into(),
        ),
        ["crimes"] => (
            "crimes-0-reference".into(),
            "Leave the crimes blank when it is not a crime".into(),
        ),
        ["crimes", i, field, ..] => {
            let row = i
                .parse::<usize>()
                .ok()
                .and_then(|i| rows.get(i))
                .copied()
                .unwrap_or(0);
            let (id, label) = match *field {
                "offence_code" => ("offence_code", "offence code"),
                _ => ("reference", "reference"),
            };
            (
                format!("crimes-{row}-{id}"),
                format!("Crime {} {label} {message}", row + 1),
            )
        }
        _ => ("decision".into(), super::sentence(message)),
    }
}

/// `POST /incidents/{id}/crime-recording-decision`
pub async fn submit(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let here = format!("/incidents/{raw}/crime-recording-decision");
    let (form, id) = match action_form(&signed, &raw, &body, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let decision = form.value("decision").to_string();
    let (crimes, rows) = if decision == "not_a_crime" {
        // Crimes typed before choosing "not a crime" are not sent.
        (vec![], vec![])
    } else {
        crimes(&form)
    };
    let input = DecisionInput {
        reason: if decision == "crime" {
            None
        } else {
            lines(form.value("reason"))
        },
        decision,
        crimes,
    };
    let ctx = acting_on(&s.app, &signed, id).await;
    match s.app.decide_crime_recording(&ctx, id, &input).await {
        Ok(_) => see_other(&format!("{}?done=decided", incident_href(id))),
        Err(AppError::Invalid(e)) => {
            let v = match open_incident(&s.app, &signed, &raw, &here).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let form = place_errors(form, &e, &[], |p, m| place(p, m, &rows));
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &decision_page(&signed, &v, form),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(id, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_on_a_crime_lands_on_the_row_it_was_typed_in() {
        assert_eq!(
            place(
                "/crimes/0/offence_code",
                "must be a Home Office offence code",
                &[2]
            )
            .0,
            "crimes-2-offence_code"
        );
        assert_eq!(
            place("/crimes/1/reference", "is already used", &[0, 1]).0,
            "crimes-1-reference"
        );
    }
}

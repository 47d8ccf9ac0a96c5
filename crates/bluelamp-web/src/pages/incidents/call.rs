//! Taking a call (`/incidents/new`): the incident and its THRIVE in one form, through
//! `App::take_call`, which records, assesses, grades and queues it in one transaction. The
//! THRIVE may be left for later ("assess later"): the incident is then opened unassessed.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::{NewIncident, authorise_call_form};
use bluelamp_domain::incident::{Channel, IncidentCategory, IncidentInput};
use bluelamp_domain::location::LocationInput;

use super::thrive::{self, AssessmentFields, FACTORS};
use super::{
    TIME_HINT, category_words, channel_words, incident_href, one_line, options, place_errors,
    uk_input, uk_time,
};
use crate::WebState;
use crate::pages::{Chrome, Form, FormError, Signed, html, html_status, see_other};

const HERE: &str = "/incidents/new";

#[derive(Template)]
#[template(path = "incidents/new.html")]
pub struct CallPage {
    pub chrome: Chrome,
    pub form: Form,
    pub fields: AssessmentFields,
    pub channels: Vec<(String, String)>,
    pub categories: Vec<(String, String)>,
    pub assess_later: bool,
}

fn call_page(signed: &Signed, form: Form, factors: &[String]) -> CallPage {
    CallPage {
        chrome: Chrome::signed(signed, "Take a call", "call").with_errors(&form),
        assess_later: form.value("assess_later") == "yes",
        form,
        fields: AssessmentFields::new(factors),
        channels: options(Channel::ALL, Channel::as_str, channel_words),
        categories: std::iter::once((String::new(), "Choose a category".to_string()))
            .chain(options(
                IncidentCategory::ALL,
                IncidentCategory::as_str,
                category_words,
            ))
            .collect(),
    }
}

/// The call form's access check, in the app (deny by default): the 403 page for a role
/// that could not submit it.
fn refused(signed: &Signed) -> Option<Response> {
    authorise_call_form(&signed.ctx)
        .err()
        .map(|e| signed.error(e, HERE).into_response())
}

/// `GET /incidents/new`
pub async fn form(State(s): State<WebState>, signed: Signed) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    let mut form = Form::default();
    form.set("received_at", uk_input(&s.app.now()));
    form.set("channel", Channel::Emergency.as_str());
    html(&call_page(&signed, form, &[]))
}

/// Places an error of the call form: the id of its field and the sentence to show.
fn place(pointer: &str, message: &str) -> (String, String) {
    if let Some(p) = thrive::place(pointer, message) {
        return p;
    }
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let simple = |id: &str, label: &str| (id.to_string(), format!("{label} {message}"));
    match parts.as_slice() {
        ["reference"] => simple("reference", "The incident reference"),
        ["channel"] => simple("channel", "How it was reported"),
        ["received_at"] => simple("received_at", "When it was received"),
        ["occurred_at"] => simple("occurred_at", "When it happened"),
        ["category"] if message.starts_with("must be") => (
            "category".into(),
            "Choose the category the incident is opened with".into(),
        ),
        ["category"] => simple("category", "The category"),
        ["summary"] if message == "must not be blank" => {
            ("summary".into(), "Give a summary of the call".into())
        }
        ["summary"] => simple("summary", "The summary"),
        ["location_id"] => simple("location_id", "The location reference"),
        ["location"] => (
            "location-address_lines".into(),
            "Give either the address or the reference of a location already recorded, not both"
                .into(),
        ),
        ["location", "postcode"] => simple("location-postcode", "The postcode"),
        ["location", "lsoa_code"] => simple("location-lsoa_code", "The LSOA code"),
        ["location", ..] => simple("location-address_lines", "The address"),
        ["caller_ids", i] => (
            "caller_ids".into(),
            format!("Caller reference {} {message}", number(i)),
        ),
        ["subject_ids", i] => (
            "subject_ids".into(),
            format!(
                "Reference {} of the people it is about {message}",
                number(i)
            ),
        ),
        _ => ("reference".into(), super::sentence(message)),
    }
}

fn number(index: &str) -> usize {
    index.parse::<usize>().map_or(0, |i| i + 1)
}

/// Record ids typed into a box, separated by commas, spaces or lines.
fn ids(raw: &str) -> Vec<String> {
    raw.split([',', ' ', '\n', '\r', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A time field read in UK time: the text for the service, and the page's own error when
/// it could not be read (the service then refuses the raw text too, so nothing is written).
fn time_field(form: &Form, id: &str, label: &str, own: &mut Vec<FormError>) -> Option<String> {
    let raw = form.optional(id)?;
    match uk_time(&raw) {
        Ok(t) => Some(t),
        Err(why) => {
            own.push(FormError {
                id: id.into(),
                message: format!("{label} {why}"),
            });
            Some(raw)
        }
    }
}

/// `POST /incidents/new`
pub async fn create(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    if let Some(r) = refused(&signed) {
        return r;
    }
    let factors = thrive::all_values(&body, FACTORS);
    let assessing = form.value("assess_later") != "yes";
    let mut own = Vec::new();
    let received_at = time_field(&form, "received_at", "When it was received", &mut own);
    if received_at.is_none() {
        own.push(FormError {
            id: "received_at".into(),
            message: format!("When it was received {TIME_HINT}"),
        });
    }
    let occurred_at = time_field(&form, "occurred_at", "When it happened", &mut own);
    let address_lines: Vec<String> = form
        .value("location-address_lines")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let postcode = form.optional("location-postcode");
    let lsoa_code = form.optional("location-lsoa_code");
    let location = (!address_lines.is_empty() || postcode.is_some() || lsoa_code.is_some())
        .then_some(LocationInput {
            address_lines,
            postcode,
            lsoa_code,
            ..LocationInput::default()
        });
    let input = NewIncident {
        incident: IncidentInput {
            reference: form.value("reference").into(),
            channel: form.value("channel").into(),
            received_at: received_at.unwrap_or_default(),
            occurred_at,
            category: form.value("category").into(),
            location_id: form.optional("location_id"),
            summary: one_line(form.value("summary")).unwrap_or_default(),
        },
        location,
        caller_ids: ids(form.value("caller_ids")),
        subject_ids: ids(form.value("subject_ids")),
        assessment: thrive::assessment_input(&form, &factors, assessing),
        advice: thrive::advice_input(&form),
    };
    match s.app.take_call(&signed.ctx, &input).await {
        Ok(v) => see_other(&format!("{}?done=created", incident_href(v.head.id))),
        Err(AppError::Invalid(e)) => {
            let form = place_errors(form, &e, &own, place);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &call_page(&signed, form, &factors),
            )
        }
        Err(e) => signed.error(e, HERE).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_of_the_call_form_lands_on_one_of_its_fields() {
        let fields = [
            "reference",
            "channel",
            "received_at",
            "occurred_at",
            "category",
            "summary",
            "location_id",
            "location-address_lines",
            "location-postcode",
            "location-lsoa_code",
            "caller_ids",
            "subject_ids",
        ];
        for pointer in [
            "/reference",
            "/received_at",
            "/location",
            "/location/address_lines/0",
            "/location/postcode",
            "/location/uprn",
            "/caller_ids/1",
            "/subject_ids/0",
            "/summary",
        ] {
            let (id, _) = place(pointer, "must not be blank");
            assert!(fields.contains(&id.as_str()), "{pointer} placed at {id}");
        }
        assert_eq!(
            place("/caller_ids/1", "must be a person you can see").1,
            "Caller reference 2 must be a person you can see"
        );
    }
}

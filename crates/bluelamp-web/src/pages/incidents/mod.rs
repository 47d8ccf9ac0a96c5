//! First contact on the pages (issue 4): taking a call with its THRIVE, the incident page
//! with its assessment history, the forms for each action on an incident, the
//! incident-management queue and the supervisor's first-contact review.
//!
//! Every page calls the same services as the API (`App::take_call`, `App::reassess_incident`,
//! ...), so the permissions, audit and rules are theirs. This module holds what the pages
//! share: the words for the vocabularies, times typed in UK time, and the placing of a
//! service's field errors (JSON Pointers) against the fields of a form.

use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::incident::IncidentView;
use bluelamp_app::{App, Ctx};
use bluelamp_domain::access::{Action, Role};
use bluelamp_domain::field::Invalid;
use bluelamp_domain::first_contact::{AttendanceKind, IncidentResult};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::incident::{Channel, IncidentCategory};
use bluelamp_domain::thrive::{Level, ResponseGrade, VulnerabilityFactor};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::London;

use super::records::open_record;
use super::{Form, FormError, Signed};

pub mod assess;
pub mod attendance;
pub mod call;
pub mod closure;
pub mod decision;
pub mod queue;
pub mod review;
pub mod show;
pub mod thrive;

/// The page of an incident.
pub fn incident_href(id: RecordId) -> String {
    format!("/incidents/{id}")
}

/// Whether a user's roles make them a reviewer of first contact: the review page is in
/// their navigation and on their home page.
pub fn reviews_first_contact(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::Supervisor | Role::Inspector))
        && roles.iter().any(|r| r.permits(Action::ViewIncidentQueue))
}

/// A channel in words.
pub fn channel_words(c: Channel) -> &'static str {
    match c {
        Channel::Emergency => "999 (emergency)",
        Channel::NonEmergency => "101 (non-emergency)",
        Channel::Online => "Online",
        Channel::InPerson => "In person",
    }
}

/// An opening or closing category in words.
pub fn category_words(c: IncidentCategory) -> &'static str {
    match c {
        IncidentCategory::Crime => "Crime",
        IncidentCategory::Domestic => "Domestic",
        IncidentCategory::AntiSocialBehaviour => "Anti-social behaviour",
        IncidentCategory::ConcernForWelfare => "Concern for welfare",
        IncidentCategory::MissingPerson => "Missing person",
        IncidentCategory::Suspicious => "Suspicious circumstances",
        IncidentCategory::Alarm => "Alarm",
        IncidentCategory::RoadTraffic => "Road traffic or transport",
        IncidentCategory::PublicSafety => "Public safety",
        IncidentCategory::Administrative => "Administrative",
    }
}

/// A vulnerability factor in words.
pub fn factor_words(f: VulnerabilityFactor) -> &'static str {
    match f {
        VulnerabilityFactor::Child => "Child (under 18)",
        VulnerabilityFactor::OlderPerson => "Older person",
        VulnerabilityFactor::MentalHealth => "Mental health",
        VulnerabilityFactor::Disability => "Disability",
        VulnerabilityFactor::CommunicationNeeds => "Communication needs",
        VulnerabilityFactor::SubstanceMisuse => "Alcohol or drug misuse",
        VulnerabilityFactor::DomesticAbuse => "Domestic abuse",
        VulnerabilityFactor::HateCrime => "Hate crime or incident",
        VulnerabilityFactor::RepeatVictim => "Repeat victim",
        VulnerabilityFactor::StalkingHarassment => "Stalking or harassment",
        VulnerabilityFactor::SexualExploitation => "Sexual abuse or exploitation",
        VulnerabilityFactor::ModernSlavery => "Modern slavery or trafficking",
        VulnerabilityFactor::HonourBasedAbuse => "Honour-based abuse, forced marriage or FGM",
        VulnerabilityFactor::Missing => "Missing, or at risk of going missing",
        VulnerabilityFactor::Homeless => "Homeless",
        VulnerabilityFactor::Isolated => "Socially isolated",
    }
}

/// A level in words.
pub fn level_words(l: Level) -> &'static str {
    match l {
        Level::Low => "Low",
        Level::Medium => "Medium",
        Level::High => "High",
    }
}

/// The class of a level's tag.
pub fn level_tag(l: Level) -> &'static str {
    match l {
        Level::Low => "govuk-tag--green",
        Level::Medium => "govuk-tag--yellow",
        Level::High => "govuk-tag--red",
    }
}

/// The class of a grade's tag.
pub fn grade_tag(g: ResponseGrade) -> &'static str {
    match g {
        ResponseGrade::Emergency => "govuk-tag--red",
        ResponseGrade::Priority => "govuk-tag--orange",
        ResponseGrade::Scheduled => "",
        ResponseGrade::ResolutionWithoutDeployment => "govuk-tag--grey",
    }
}

/// An attendance decision or event in words.
pub fn attendance_words(k: AttendanceKind) -> &'static str {
    match k {
        AttendanceKind::Deployed => "Officers deployed",
        AttendanceKind::Arrived => "Officers arrived",
        AttendanceKind::NotAttending => "Not attending: resolved without deployment",
    }
}

/// A result on closure in words.
pub fn result_words(r: IncidentResult) -> &'static str {
    match r {
        IncidentResult::ResolvedAtScene => "Resolved at the scene",
        IncidentResult::ResolvedWithoutAttendance => "Resolved without attendance",
        IncidentResult::CrimeRecorded => "Crime recorded and passed for investigation",
        IncidentResult::ReferredToPartner => "Referred to a partner agency",
        IncidentResult::NoTrace => "No trace",
        IncidentResult::Duplicate => "Duplicate of an open incident",
        IncidentResult::NoFurtherAction => "No further police action",
    }
}

/// Options for a select or radios: the code and its words.
pub fn options<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    words: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(v).to_string(), words(*v).to_string()))
        .collect()
}

/// The grades as options, most urgent first.
pub fn grade_options() -> Vec<(String, String)> {
    ResponseGrade::ALL
        .iter()
        .map(|g| (g.as_str().to_string(), g.describe().to_string()))
        .collect()
}

/// A time as a form shows it, in UK time: `2024-03-09 21:14`.
pub fn uk_input(t: &DateTime<Utc>) -> String {
    t.with_timezone(&London)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The formats a time may be typed in, in UK time.
const TIME_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y, %H:%M",
    "%d %b %Y, %H:%M",
    "%d %b %Y %H:%M",
];

/// The message for a time that could not be read.
pub const TIME_HINT: &str = "must be a date and time in UK time, such as 2024-03-09 21:14";

/// Reads a time typed in UK time (or an RFC 3339 time with its offset) into the RFC 3339
/// UTC text the services take. In the hour the clocks go back, the earlier (BST) reading
/// is taken.
///
/// # Errors
/// What is wrong with it, as the end of a sentence naming the field.
pub fn uk_time(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc).to_rfc3339());
    }
    let local = TIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or(TIME_HINT)?;
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
            Ok(t.with_timezone(&Utc).to_rfc3339())
        }
        LocalResult::None => Err("does not exist in UK time: the clocks went forward then"),
    }
}

/// Reads a date typed as `2024-03-09` or `9/3/2024`.
pub fn uk_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(raw, f).ok())
}

/// The start of a day in UK time, as an instant.
pub fn start_of_uk_day(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_time(chrono::NaiveTime::MIN);
    match London.from_local_datetime(&midnight) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        // No UK clock change happens at midnight; UTC midnight is the nearest reading.
        LocalResult::None => midnight.and_utc(),
    }
}

/// The start of every action's `POST`: the form, its session token checked, and the
/// incident's id from the path; or the response that ends the request (a refused token, or
/// not found for a malformed id).
pub fn action_form(
    signed: &Signed,
    raw: &str,
    body: &[u8],
    here: &str,
) -> Result<(Form, RecordId), Response> {
    let form = Form::parse(body);
    signed.check_csrf(&form)?;
    let Ok(id) = raw.parse::<RecordId>() else {
        return Err(signed.error(AppError::NotFound, here).into_response());
    };
    Ok((form, id))
}

/// The text of a textarea that the services keep as several lines (a rationale, a reason):
/// trimmed, `None` when blank; line breaks are kept for the services to normalise.
pub fn lines(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The text of a textarea as one line, for a field kept as one (an incident's summary):
/// line breaks become spaces.
pub fn one_line(raw: &str) -> Option<String> {
    let joined = raw
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// The first letter in capitals.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Puts a service's field errors against a form's fields. `place` gives, for a JSON
/// Pointer and the service's message, the id of the field on the page and the sentence to
/// show. An error a page found itself (`own`, such as a time it could not read) replaces
/// the service's error on the same field.
pub fn place_errors(
    mut form: Form,
    invalid: &Invalid,
    own: &[FormError],
    place: impl Fn(&str, &str) -> (String, String),
) -> Form {
    for e in &invalid.0 {
        let (id, message) = place(&e.field, &e.message);
        let replaced = own.iter().any(|o| o.id == id);
        let repeated = form
            .errors
            .iter()
            .any(|f| f.id == id && f.message == message);
        if !replaced && !repeated {
            form.errors.push(FormError { id, message });
        }
    }
    for o in own {
        if !form
            .errors
            .iter()
            .any(|f| f.id == o.id && f.message == o.message)
        {
            form.errors.push(o.clone());
        }
    }
    form
}

/// The incident's reference, grade and state, shown above each action's form.
#[derive(Debug, Clone)]
pub struct Heading {
    pub id: String,
    pub href: String,
    pub reference: String,
    pub category: String,
    pub grade: String,
    pub state: String,
}

/// Where an incident stands, in words.
pub fn state_words(v: &IncidentView) -> &'static str {
    let fc = &v.first_contact;
    if fc.state.closure.is_some() {
        "Closed"
    } else if fc.state.queued {
        "Waiting in the queue"
    } else if fc.state.grade.is_none() {
        "Awaiting its THRIVE assessment"
    } else if fc.attended() {
        "Officers deployed"
    } else {
        "Resolved without deployment"
    }
}

impl Heading {
    pub fn of(v: &IncidentView) -> Heading {
        Heading {
            id: v.head.id.to_string(),
            href: incident_href(v.head.id),
            reference: v.incident.reference.clone(),
            category: category_words(v.incident.category).to_string(),
            grade: v
                .first_contact
                .state
                .grade
                .map_or("Not graded yet", |g| g.describe())
                .to_string(),
            state: state_words(v).to_string(),
        }
    }
}

/// Opens the incident whose id is `raw` for a page, with the session's stated reason.
///
/// # Errors
/// The response to send instead: the reason step, or an error page.
pub async fn open_incident(
    app: &App,
    signed: &Signed,
    raw: &str,
    here: &str,
) -> Result<IncidentView, Response> {
    open_record(app, signed, raw, here, |app, ctx, id| async move {
        app.get_incident(&ctx, id).await
    })
    .await
}

/// The signed-in user's context for an action on record `id`, with the reason this
/// session stated for it, if any.
pub async fn acting_on(app: &App, signed: &Signed, id: RecordId) -> Ctx {
    let mut ctx = signed.ctx.clone();
    ctx.reason = app
        .stated_reason(&signed.session_id, id)
        .await
        .ok()
        .flatten();
    ctx
}

/// Checks that the user's roles allow an action before its form is shown.
///
/// # Errors
/// The `403` page.
pub fn may(signed: &Signed, action: Action, here: &str) -> Result<(), Response> {
    signed
        .ctx
        .actor
        .authorise(action)
        .map_err(|e| signed.error(e.into(), here).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_typed_in_uk_time_are_read_into_utc() {
        assert_eq!(
            uk_time("2024-07-01 10:30").as_deref(),
            Ok("2024-07-01T09:30:00+00:00")
        );
        assert_eq!(
            uk_time("1/12/2024 10:30").as_deref(),
            Ok("2024-12-01T10:30:00+00:00")
        );
        assert_eq!(
            uk_time("9 Mar 2024, 21:14").as_deref(),
            Ok("2024-03-09T21:14:00+00:00")
        );
        assert_eq!(
            uk_time("2024-03-09T21:14:00Z").as_deref(),
            Ok("2024-03-09T21:14:00+00:00")
        );
        assert!(
            uk_time("2024-03-31 01:30").is_err(),
            "the hour the clocks skip"
        );
        assert!(uk_time("yesterday").is_err());
    }

    #[test]
    fn line_breaks_in_a_rationale_become_spaces() {
        assert_eq!(
            one_line("Caller is safe.\r\n\r\nSuspect left.").as_deref(),
            Some("Caller is safe. Suspect left.")
        );
        assert_eq!(one_line(" \r\n "), None);
    }

    #[test]
    fn a_uk_day_starts_at_midnight_uk_time() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap_or_default();
        assert_eq!(start_of_uk_day(d).to_rfc3339(), "2024-06-30T23:00:00+00:00");
    }
}

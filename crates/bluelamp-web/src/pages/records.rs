//! What every record page shares (its frame, its links, the "state your reason" step for
//! restricted records, the form to link it to another record), and the location and object
//! pages and forms.

use std::future::Future;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::link::LinkInput;
use bluelamp_app::location::LocationView;
use bluelamp_app::object::ObjectView;
use bluelamp_app::views::{Link, RecordHead};
use bluelamp_app::{App, AppError, Ctx};
use bluelamp_domain::access::Action;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::location::LocationInput;
use bluelamp_domain::object::{ObjectInput, ObjectKind};
use bluelamp_domain::record::{LinkRole, RecordKind};
use serde::Deserialize;

use super::time::london;
use super::{Chrome, Form, Signed, html, html_status, see_other};
use crate::WebState;

/// The page of a record, by its kind; `None` for kinds without a page yet.
pub fn record_href(kind: RecordKind, id: RecordId) -> String {
    match kind {
        RecordKind::Person => format!("/persons/{id}"),
        RecordKind::Location => format!("/locations/{id}"),
        RecordKind::Object => format!("/objects/{id}"),
        RecordKind::Incident => format!("/incidents/{id}"),
        RecordKind::Crime => format!("/crimes/{id}"),
        #[allow(unreachable_patterns)]
        _ => String::new(),
    }
}

/// The "state your reason" step for a record, returning to `next`.
pub fn reason_href(id: RecordId, next: &str) -> String {
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    format!("/records/{id}/reason?{q}")
}

/// Opens the record whose id is `raw`, with the reason this session stated for it, if
/// any. A restricted record without one sends the user to state it first; an id that is
/// not a UUID names no record.
///
/// # Errors
/// The response to send instead: the reason step, or an error page.
pub async fn open_record<T, F, Fut>(
    app: &App,
    signed: &Signed,
    raw: &str,
    here: &str,
    load: F,
) -> Result<T, Response>
where
    F: FnOnce(App, Ctx, RecordId) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let id = raw
        .parse::<RecordId>()
        .map_err(|_| signed.error(AppError::NotFound, here).into_response())?;
    let mut ctx = signed.ctx.clone();
    ctx.reason = app
        .stated_reason(&signed.session_id, id)
        .await
        .map_err(|e| signed.error(e, here).into_response())?;
    match load(app.clone(), ctx, id).await {
        Ok(v) => Ok(v),
        Err(AppError::ReasonRequired) => Err(see_other(&reason_href(id, here))),
        Err(e) => Err(signed.error(e, here).into_response()),
    }
}

/// A link as a record page shows it.
#[derive(Debug, Clone)]
pub struct LinkRow {
    pub href: String,
    pub label: String,
    pub kind: String,
    pub relationship: String,
    pub recorded: String,
    pub is_event: bool,
    pub sort_key: String,
}

fn role_words(role: LinkRole) -> String {
    role.as_str().replace('_', " ")
}

/// The links of record `me`, described from its side.
pub fn link_rows(links: &[Link], me: RecordId) -> Vec<LinkRow> {
    links
        .iter()
        .map(|l| {
            let outgoing = l.from == me;
            let other = if outgoing { l.to } else { l.from };
            let words = role_words(l.role);
            LinkRow {
                href: record_href(l.other_kind, other),
                label: l.other_label.clone(),
                kind: l.other_kind.to_string(),
                // Read with the row's record: "Victim of it", or "Victim of this record".
                relationship: if outgoing {
                    format!("{} it", super::incidents::sentence(&words))
                } else {
                    format!("{} this record", super::incidents::sentence(&words))
                },
                recorded: london(&l.created_at),
                is_event: l.other_kind.is_event(),
                sort_key: l.created_at.to_rfc3339(),
            }
        })
        .collect()
}

/// What every record page shows around the record: its reference, its restriction, when
/// it was recorded, and the form to link it to another record.
#[derive(Debug, Clone)]
pub struct RecordFrame {
    pub id: String,
    pub restricted: bool,
    pub shared_with: String,
    pub created: String,
    pub updated: String,
    pub may_link: bool,
    pub may_restrict: bool,
    pub may_share: bool,
    pub restricted_to: String,
    pub here: String,
    pub roles: Vec<(String, String)>,
}

impl RecordFrame {
    pub fn of(signed: &Signed, head: &RecordHead, here: &str) -> RecordFrame {
        RecordFrame {
            id: head.id.to_string(),
            restricted: head.access.restricted,
            shared_with: head.access.shared_with.join(", "),
            created: london(&head.created_at),
            updated: london(&head.updated_at),
            may_link: signed.ctx.actor.authorise(Action::LinkRecords).is_ok(),
            may_restrict: signed.ctx.actor.authorise(Action::RestrictRecord).is_ok(),
            may_share: signed.ctx.actor.authorise(Action::ShareRecord).is_ok(),
            restricted_to: match (head.access.users.len(), head.access.teams.len()) {
                (0, 0) => String::new(),
                (u, t) => format!(
                    "{u} named user{} and {t} team{}",
                    if u == 1 { "" } else { "s" },
                    if t == 1 { "" } else { "s" }
                ),
            },
            here: here.to_string(),
            roles: LinkRole::ALL
                .iter()
                .map(|r| (r.as_str().to_string(), role_words(*r)))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "records/reason.html")]
pub struct ReasonPage {
    pub chrome: Chrome,
    pub form: Form,
    pub action: String,
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.into(),
        _ => "/".into(),
    }
}

/// `GET /records/{id}/reason`
pub async fn reason_form(
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    html(&ReasonPage {
        chrome: Chrome::signed(&signed, "State your reason", ""),
        form: Form::default(),
        action: format!("/records/{raw}/reason"),
        next: local(q.next.as_deref()),
    })
}

/// `POST /records/{id}/reason`
pub async fn state_reason(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let next = local(form.optional("next").as_deref());
    let Ok(id) = raw.parse::<RecordId>() else {
        return signed.error(AppError::NotFound, &next).into_response();
    };
    match s
        .app
        .state_reason(&signed.session_id, id, form.value("reason"))
        .await
    {
        Ok(()) => see_other(&next),
        Err(AppError::Invalid(e)) => {
            let form = form.with_invalid(&e, |_| "Your reason".into());
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ReasonPage {
                    chrome: Chrome::signed(&signed, "State your reason", "").with_errors(&form),
                    form,
                    action: format!("/records/{raw}/reason"),
                    next,
                },
            )
        }
        Err(e) => signed.error(e, &next).into_response(),
    }
}

/// Names from a text box: one per line or separated by commas.
fn names(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// `POST /records/{id}/restriction`: restricts the record to named users and teams, or
/// (both blank) lifts the restriction.
pub async fn restrict(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let back = local(form.optional("back").as_deref());
    let input = bluelamp_app::record::RestrictionInput {
        users: names(form.value("users")),
        teams: names(form.value("teams")),
    };
    let result = open_record(&s.app, &signed, &raw, &back, |app, ctx, id| async move {
        app.restrict_record(&ctx, id, &input).await
    })
    .await;
    match result {
        Ok(_) => see_other(&with_done(&back, "restricted")),
        Err(r) => r,
    }
}

/// `POST /records/{id}/shares`: shares the record with a partner agency.
pub async fn share(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let back = local(form.optional("back").as_deref());
    let agency = form.value("agency").to_string();
    let result = open_record(&s.app, &signed, &raw, &back, |app, ctx, id| async move {
        app.share_record(&ctx, id, &agency).await
    })
    .await;
    match result {
        Ok(_) => see_other(&with_done(&back, "shared")),
        Err(r) => r,
    }
}

fn with_done(back: &str, done: &str) -> String {
    let sep = if back.contains('?') { '&' } else { '?' };
    format!("{back}{sep}done={done}")
}

/// `POST /records/{id}/links`: links this record to another, then goes back to its page.
pub async fn create_link(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let back = local(form.optional("back").as_deref());
    let other = form.value("other").trim().to_string();
    let (from, to) = if form.value("direction") == "to" {
        (other, raw.clone())
    } else {
        (raw.clone(), other)
    };
    let input = LinkInput {
        from,
        role: form.value("role").into(),
        to,
    };
    match s.app.create_link(&signed.ctx, &input).await {
        Ok(_) => see_other(&with_done(&back, "linked")),
        Err(AppError::Invalid(e)) => {
            let detail =
                e.0.iter()
                    .map(|f| match f.field.as_str() {
                        "/from" | "/to" => format!("The other record {}", f.message),
                        "/role" => format!("The relationship {}", f.message),
                        _ => f.message.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(". ");
            signed
                .error(
                    AppError::Conflict(format!("The records were not linked. {detail}.")),
                    &back,
                )
                .into_response()
                .into_response()
        }
        Err(e) => signed.error(e, &back).into_response(),
    }
}

#[derive(Template)]
#[template(path = "records/location.html")]
pub struct LocationPage {
    pub chrome: Chrome,
    pub frame: RecordFrame,
    pub address: Vec<String>,
    pub postcode: String,
    pub uprn: String,
    pub point: String,
    pub lsoa: String,
    pub links: Vec<LinkRow>,
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

fn flash(done: Option<&str>) -> Option<String> {
    match done? {
        "created" => Some("The record was created".into()),
        "linked" => Some("The records were linked".into()),
        "restricted" => Some("Who may see the record was changed".into()),
        "shared" => Some("The record was shared".into()),
        _ => None,
    }
}

fn location_page(signed: &Signed, v: LocationView, done: Option<&str>) -> LocationPage {
    let l = &v.location;
    let label = l.label();
    let mut chrome = Chrome::signed(signed, label, "");
    chrome.flash = flash(done);
    LocationPage {
        chrome,
        frame: RecordFrame::of(signed, &v.head, &format!("/locations/{}", v.head.id)),
        address: l.address_lines.clone(),
        postcode: l
            .postcode
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        uprn: l.uprn.clone().unwrap_or_default(),
        point: l
            .point
            .map(|(lat, lon)| format!("{lat:.5}, {lon:.5}"))
            .unwrap_or_default(),
        lsoa: l.lsoa_code.clone().unwrap_or_default(),
        links: link_rows(&v.links, v.head.id),
    }
}

/// `GET /locations/{id}`
pub async fn show_location(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let here = format!("/locations/{raw}");
    match open_record(&s.app, &signed, &raw, &here, |app, ctx, id| async move {
        app.get_location(&ctx, id).await
    })
    .await
    {
        Ok(v) => html(&location_page(&signed, v, q.done.as_deref())),
        Err(r) => r,
    }
}

#[derive(Template)]
#[template(path = "records/location_form.html")]
pub struct LocationForm {
    pub chrome: Chrome,
    pub form: Form,
}

fn location_label(id: &str) -> String {
    match id {
        "address_lines" => "The address",
        "postcode" => "Postcode",
        "uprn" => "UPRN",
        "latitude" => "Latitude",
        "longitude" => "Longitude",
        "lsoa_code" => "LSOA code",
        _ => "This",
    }
    .into()
}

/// `GET /locations/new`
pub async fn new_location_form(signed: Signed) -> Response {
    html(&LocationForm {
        chrome: Chrome::signed(&signed, "Record a location", ""),
        form: Form::default(),
    })
}

/// `POST /locations/new`
pub async fn create_location(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let mut bad_number = Vec::new();
    let mut number = |id: &str| match form.optional(id) {
        None => None,
        Some(v) => match v.parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                bad_number.push(id.to_string());
                None
            }
        },
    };
    let (latitude, longitude) = (number("latitude"), number("longitude"));
    let input = LocationInput {
        address_lines: form
            .value("address_lines")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        postcode: form.optional("postcode"),
        uprn: form.optional("uprn"),
        latitude,
        longitude,
        lsoa_code: form.optional("lsoa_code"),
    };
    let result = if bad_number.is_empty() {
        s.app.create_location(&signed.ctx, &input).await
    } else {
        Err(AppError::Invalid(bluelamp_domain::field::Invalid(
            bad_number
                .iter()
                .map(|id| bluelamp_domain::field::FieldError {
                    field: format!("/{id}"),
                    message: "must be a number, such as 52.63".into(),
                })
                .collect(),
        )))
    };
    match result {
        Ok(v) => see_other(&format!("/locations/{}?done=created", v.head.id)),
        Err(AppError::Invalid(e)) => {
            form = form.with_invalid(&e, location_label);
            for err in &mut form.errors {
                if err.id.starts_with("address_lines") {
                    err.id = "address_lines".into();
                }
            }
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &LocationForm {
                    chrome: Chrome::signed(&signed, "Record a location", "").with_errors(&form),
                    form,
                },
            )
        }
        Err(e) => signed.error(e, "/locations/new").into_response(),
    }
}

#[derive(Template)]
#[template(path = "records/object.html")]
pub struct ObjectPage {
    pub chrome: Chrome,
    pub frame: RecordFrame,
    pub kind: String,
    pub identifier: String,
    pub description: String,
    pub links: Vec<LinkRow>,
}

fn object_page(signed: &Signed, v: ObjectView, done: Option<&str>) -> ObjectPage {
    let o = &v.object;
    let title = match &o.identifier {
        Some(i) => format!("{}: {i}", o.kind),
        None => format!("{}: {}", o.kind, o.description),
    };
    let mut chrome = Chrome::signed(signed, title, "");
    chrome.flash = flash(done);
    ObjectPage {
        chrome,
        frame: RecordFrame::of(signed, &v.head, &format!("/objects/{}", v.head.id)),
        kind: o.kind.to_string(),
        identifier: o.identifier.clone().unwrap_or_default(),
        description: o.description.clone(),
        links: link_rows(&v.links, v.head.id),
    }
}

/// `GET /objects/{id}`
pub async fn show_object(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let here = format!("/objects/{raw}");
    match open_record(&s.app, &signed, &raw, &here, |app, ctx, id| async move {
        app.get_object(&ctx, id).await
    })
    .await
    {
        Ok(v) => html(&object_page(&signed, v, q.done.as_deref())),
        Err(r) => r,
    }
}

#[derive(Template)]
#[template(path = "records/object_form.html")]
pub struct ObjectForm {
    pub chrome: Chrome,
    pub form: Form,
    pub kinds: Vec<(String, String)>,
}

fn object_form(signed: &Signed, form: Form) -> ObjectForm {
    ObjectForm {
        chrome: Chrome::signed(signed, "Record an object", "").with_errors(&form),
        form,
        kinds: std::iter::once((String::new(), "Choose a kind".to_string()))
            .chain(
                ObjectKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), k.as_str().to_string())),
            )
            .collect(),
    }
}

/// `GET /objects/new`
pub async fn new_object_form(signed: Signed) -> Response {
    html(&object_form(&signed, Form::default()))
}

/// `POST /objects/new`
pub async fn create_object(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let input = ObjectInput {
        kind: form.value("kind").into(),
        identifier: form.optional("identifier"),
        description: form.value("description").into(),
    };
    match s.app.create_object(&signed.ctx, &input).await {
        Ok(v) => see_other(&format!("/objects/{}?done=created", v.head.id)),
        Err(AppError::Invalid(e)) => {
            let form = form.with_invalid(&e, |id| {
                match id {
                    "kind" => "Kind",
                    "identifier" => "The registration, number or serial",
                    "description" => "Description",
                    _ => "This",
                }
                .into()
            });
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &object_form(&signed, form),
            )
        }
        Err(e) => signed.error(e, "/objects/new").into_response(),
    }
}

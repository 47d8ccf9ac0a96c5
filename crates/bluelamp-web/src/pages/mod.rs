//! The pages: server-rendered HTML in the GOV.UK style (without its brand), over the same
//! services as the API, so they enforce the same permissions and write the same audit.
//!
//! Every page works without JavaScript. Sign-in makes a server-side session (see
//! [`session`]); every form that changes something carries the session's CSRF token, and
//! every unsafe request must come from this site (`Sec-Fetch-Site` / `Origin`).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::TAKE_CALL;
use bluelamp_domain::access::{Action, Actor};
use bluelamp_domain::field::Invalid;

use crate::WebState;

pub mod assets;
pub mod audit;
pub mod crimes;
pub mod home;
pub mod incidents;
pub mod persons;
pub mod records;
pub mod session;
pub mod time;
pub mod users;

pub use session::Signed;

/// Every page route.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(home::home))
        .route(
            "/sign-in",
            get(session::sign_in_page).post(session::sign_in),
        )
        .route("/sign-out", post(session::sign_out))
        .route("/persons", get(persons::search))
        .route("/persons/new", get(persons::new_form).post(persons::create))
        .route("/persons/{id}", get(persons::show))
        .route(
            "/persons/{id}/edit",
            get(persons::edit_form).post(persons::update),
        )
        .route(
            "/locations/new",
            get(records::new_location_form).post(records::create_location),
        )
        .route("/locations/{id}", get(records::show_location))
        .route(
            "/objects/new",
            get(records::new_object_form).post(records::create_object),
        )
        .route("/objects/{id}", get(records::show_object))
        .route("/records/{id}/links", post(records::create_link))
        .route("/records/{id}/restriction", post(records::restrict))
        .route("/records/{id}/shares", post(records::share))
        .route(
            "/records/{id}/reason",
            get(records::reason_form).post(records::state_reason),
        )
        .route(
            "/incidents/new",
            get(incidents::call::form).post(incidents::call::create),
        )
        .route("/incidents/{id}", get(incidents::show::show))
        .route(
            "/incidents/{id}/assess",
            get(incidents::assess::form).post(incidents::assess::submit),
        )
        .route(
            "/incidents/{id}/attendance",
            get(incidents::attendance::form).post(incidents::attendance::submit),
        )
        .route(
            "/incidents/{id}/crime-recording-decision",
            get(incidents::decision::form).post(incidents::decision::submit),
        )
        .route(
            "/incidents/{id}/closure",
            get(incidents::closure::form).post(incidents::closure::submit),
        )
        .route("/crimes/{id}", get(crimes::show::show))
        .route(
            "/crimes/{id}/handovers/{h}/decision",
            get(crimes::actions::handover_form).post(crimes::actions::handover_submit),
        )
        .route(
            "/crimes/{id}/outcome/decision",
            get(crimes::actions::outcome_decision_form)
                .post(crimes::actions::outcome_decision_submit),
        )
        .route(
            "/crimes/{id}/{action}",
            get(crimes::actions::form).post(crimes::actions::submit),
        )
        .route("/victims/{id}", get(crimes::victim::show))
        .route("/victims/{id}/contacts", post(crimes::victim::contact))
        .route("/victims/{id}/surveys", post(crimes::victim::survey))
        .route("/investigations", get(crimes::work::mine))
        .route("/duties", get(crimes::work::duties))
        .route("/team", get(crimes::work::team))
        .route("/reviews/investigation", get(crimes::measures::measures))
        .route("/queues/incident-management", get(incidents::queue::queue))
        .route("/reviews/first-contact", get(incidents::review::review))
        .route("/audit", get(audit::log))
        .route("/users", get(users::list))
        .route("/users/new", get(users::new_form).post(users::create))
        .route("/static/{*file}", get(assets::file))
        .layer(axum::middleware::from_fn(session::same_origin_only))
}

/// A navigation link in the header.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What every page's frame shows: the force, the page title, who is signed in, the
/// navigation their roles allow, and the token their forms carry.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub force_name: String,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub has_errors: bool,
    pub flash: Option<String>,
    pub version: &'static str,
}

impl Chrome {
    /// The frame for a signed-in user on a page of the given section.
    pub fn signed(s: &Signed, title: impl Into<String>, section: &str) -> Chrome {
        Chrome {
            force_name: s.force_name.clone(),
            title: title.into(),
            user: Some(s.display_name.clone()),
            csrf: s.csrf.clone(),
            nav: nav_for(&s.ctx.actor, section),
            has_errors: false,
            flash: None,
            version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// The frame for a page seen before signing in.
    pub fn anonymous(force_name: &str, title: impl Into<String>) -> Chrome {
        Chrome {
            force_name: force_name.to_string(),
            title: title.into(),
            version: env!("CARGO_PKG_VERSION"),
            ..Chrome::default()
        }
    }

    /// Marks the page as showing errors (its title starts "Error:").
    pub fn with_errors(mut self, form: &Form) -> Chrome {
        self.has_errors = !form.errors.is_empty();
        self
    }
}

/// The sections a user's roles let them use, in header order.
fn nav_for(actor: &Actor, section: &str) -> Vec<NavItem> {
    let may = |a: Action| actor.authorise(a).is_ok();
    let mut items = vec![("home", "/", "Home")];
    if may(Action::SearchPersons) {
        items.push(("persons", "/persons", "Search people"));
    }
    if may(Action::CreateRecord) {
        items.push(("new", "/persons/new", "Record a person"));
    }
    if TAKE_CALL.iter().all(|a| may(*a)) {
        items.push(("call", "/incidents/new", "Take a call"));
    }
    if may(Action::ViewIncidentQueue) {
        items.push(("queue", "/queues/incident-management", "Incident queue"));
    }
    if may(Action::WorkInvestigation) {
        items.push(("investigations", "/investigations", "My investigations"));
    }
    if may(Action::ViewDuties) {
        items.push(("duties", "/duties", "My duties"));
    }
    if may(Action::ReviewInvestigation) {
        items.push(("team", "/team", "Team"));
    }
    if incidents::reviews_first_contact(&actor.roles) {
        items.push(("review", "/reviews/first-contact", "First-contact review"));
    }
    if may(Action::ViewAggregates) && may(Action::ViewDuties) {
        items.push((
            "measures",
            "/reviews/investigation",
            "Investigation measures",
        ));
    }
    if may(Action::ManageUsers) {
        items.push(("users", "/users", "Users"));
    }
    if may(Action::ReadAudit) {
        items.push(("audit", "/audit", "Audit log"));
    }
    items
        .into_iter()
        .map(|(key, href, label)| NavItem {
            href,
            label,
            active: key == section,
        })
        .collect()
}

/// Renders a template as a `200` HTML page.
pub fn html<T: Template>(page: &T) -> Response {
    html_status(StatusCode::OK, page)
}

/// Renders a template with a status.
pub fn html_status<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(body) => {
            let mut res = (status, body).into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // Police information: never kept by shared caches or the browser's history cache.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be shown.",
            )
                .into_response()
        }
    }
}

/// A page that says what went wrong, in words, with the status to match.
#[derive(Template)]
#[template(path = "problem.html")]
pub struct ProblemPage {
    pub chrome: Chrome,
    pub heading: String,
    pub body: String,
}

/// An error a page handler cannot recover from, shown as a page.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    pub chrome: Chrome,
    /// Where to come back to after signing in.
    pub next: String,
}

impl PageError {
    pub fn new(error: AppError, chrome: Chrome, next: impl Into<String>) -> Self {
        PageError {
            error,
            chrome,
            next: next.into(),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, body) = match &self.error {
            AppError::Unauthenticated => return sign_in_redirect(&self.next),
            AppError::Denied(d) => (
                StatusCode::FORBIDDEN,
                "You cannot do this",
                format!(
                    "Your roles do not allow you to {}.",
                    d.0.describe().to_lowercase()
                ),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing here, or it is not open to you.".to_string(),
            ),
            AppError::Conflict(c) => (StatusCode::CONFLICT, "This cannot be done", c.clone()),
            AppError::Throttled { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts",
                "Wait 15 minutes, then try again.".to_string(),
            ),
            AppError::Invalid(i) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "There is a problem",
                i.0.iter()
                    .map(|f| format!("{} {}.", field_words(&f.field), f.message))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            AppError::ReasonRequired => (
                StatusCode::FORBIDDEN,
                "This record is restricted",
                "State your reason before opening it.".to_string(),
            ),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error on a page");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "It has been logged. Try again later.".to_string(),
                )
            }
        };
        let mut chrome = self.chrome;
        chrome.title = heading.to_string();
        html_status(
            status,
            &ProblemPage {
                chrome,
                heading: heading.to_string(),
                body,
            },
        )
    }
}

/// Sends the browser to sign in, coming back to `next` afterwards.
pub fn sign_in_redirect(next: &str) -> Response {
    let next = if next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/"
    };
    let q: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    Redirect::to(&format!("/sign-in?{q}")).into_response()
}

/// A `303 See Other` after a successful form: the browser then loads the page with GET.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A submitted form's values and the errors to show against its fields.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub values: HashMap<String, String>,
    pub errors: Vec<FormError>,
}

/// One error, against the field with this id.
#[derive(Debug, Clone)]
pub struct FormError {
    pub id: String,
    pub message: String,
}

impl Form {
    /// Parses an `application/x-www-form-urlencoded` body. Repeated names keep the last.
    pub fn parse(body: &[u8]) -> Form {
        Form {
            values: form_urlencoded::parse(body).into_owned().collect(),
            errors: vec![],
        }
    }

    /// The value of a field, or "" when it was not sent.
    pub fn value(&self, id: &str) -> &str {
        self.values.get(id).map(String::as_str).unwrap_or("")
    }

    /// The value of a field, `None` when blank.
    pub fn optional(&self, id: &str) -> Option<String> {
        let v = self.value(id).trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Sets a value (to pre-fill a form).
    pub fn set(&mut self, id: &str, value: impl Into<String>) {
        self.values.insert(id.to_string(), value.into());
    }

    /// The error against a field, if any.
    pub fn error(&self, id: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.message.clone())
    }

    /// Takes a service's field errors, naming each field by its label. A field is named by
    /// the service as a JSON Pointer (`/aliases/0/surname`); its form id replaces the
    /// slashes with hyphens (`aliases-0-surname`).
    pub fn with_invalid(mut self, invalid: &Invalid, label: impl Fn(&str) -> String) -> Form {
        for f in &invalid.0 {
            let id = field_id(&f.field);
            let message = format!("{} {}", label(&id), f.message);
            self.errors.push(FormError { id, message });
        }
        self
    }
}

/// A JSON Pointer in words: `/users/0` is "Users 1".
fn field_words(pointer: &str) -> String {
    let words: Vec<String> = pointer
        .trim_start_matches('/')
        .split('/')
        .map(|seg| match seg.parse::<usize>() {
            Ok(i) => (i + 1).to_string(),
            Err(_) => seg.replace('_', " "),
        })
        .collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "This".into(),
    }
}

/// The form id for a JSON Pointer.
pub fn field_id(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', "-")
}

/// A link to a page of a paginated list.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub number: u32,
    pub href: String,
    pub current: bool,
}

/// The GOV.UK pagination of a list: links to the first and last pages and to those within
/// two of the current one, and the previous and next links. `href` makes a page's URL.
pub fn paginate(
    total: u64,
    size: u32,
    current: u32,
    href: impl Fn(u32) -> String,
) -> (Vec<PageLink>, Option<String>, Option<String>) {
    let last = u32::try_from(total.div_ceil(u64::from(size.max(1))).max(1)).unwrap_or(u32::MAX);
    let pages = (1..=last)
        .filter(|n| *n == 1 || *n == last || n.abs_diff(current) <= 2)
        .map(|n| PageLink {
            number: n,
            href: href(n),
            current: n == current,
        })
        .collect();
    let prev = (current > 1).then(|| href(current - 1));
    let next = (current < last).then(|| href(current + 1));
    (pages, prev, next)
}

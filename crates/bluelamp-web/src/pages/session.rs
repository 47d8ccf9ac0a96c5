//! Signing in and out of the pages, the signed-in user of a request ([`Signed`]), and the
//! defences against cross-site request forgery.
//!
//! The session cookie is `__Host-` prefixed, `Secure`, `HttpOnly` and `SameSite=Lax`; it
//! holds a random id whose hash is the server-side session's key. Browsers treat
//! `http://localhost` and `http://127.0.0.1` as secure, so the demo works without TLS;
//! anywhere else Bluelamp must be served over HTTPS.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bluelamp_app::{App, AppError, Ctx};
use bluelamp_domain::audit::Channel;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Chrome, Form, FormError, PageError, html_status, see_other, sign_in_redirect};
use crate::WebState;

/// The session cookie's name. `__Host-` makes browsers refuse it unless it is `Secure`,
/// host-only and for the whole site.
pub const COOKIE: &str = "__Host-bluelamp";

/// The signed-in user of a page request, as the services see them.
#[derive(Debug, Clone)]
pub struct Signed {
    pub ctx: Ctx,
    pub display_name: String,
    pub csrf: String,
    pub session_id: String,
    pub force_name: String,
}

impl Signed {
    /// Checks the form's CSRF token against the session's.
    ///
    /// # Errors
    /// A `403` page when it does not match.
    pub fn check_csrf(&self, form: &Form) -> Result<(), Response> {
        let sent = Sha256::digest(form.value("csrf").as_bytes());
        let kept = Sha256::digest(self.csrf.as_bytes());
        // Comparing digests keeps the comparison's time independent of the token.
        if sent == kept {
            Ok(())
        } else {
            Err(forbidden_form(&self.force_name))
        }
    }

    /// A page error with this user's frame.
    pub fn error(&self, e: AppError, next: &str) -> PageError {
        PageError::new(e, Chrome::signed(self, "", ""), next)
    }
}

fn forbidden_form(force_name: &str) -> Response {
    PageError::new(
        AppError::Conflict(
            "This form was not sent from this service's own page, or it has expired. Go back, reload the page and try again."
                .into(),
        ),
        Chrome::anonymous(force_name, ""),
        "/",
    )
    .into_response()
    .map_status(StatusCode::FORBIDDEN)
}

trait MapStatus {
    fn map_status(self, status: StatusCode) -> Self;
}

impl MapStatus for Response {
    fn map_status(mut self, status: StatusCode) -> Self {
        *self.status_mut() = status;
        self
    }
}

/// The value of a cookie in the request.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl<S> FromRequestParts<S> for Signed
where
    S: Send + Sync,
    App: FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = App::from_ref(state);
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        // After a form post, come back to the page that holds the form.
        let next = if parts.method == Method::GET {
            here
        } else {
            "/".into()
        };
        let Some(id) = cookie(&parts.headers, COOKIE) else {
            return Err(sign_in_redirect(&next));
        };
        match app.session_user(&id).await {
            Ok(u) => Ok(Signed {
                ctx: Ctx {
                    actor: u.actor,
                    channel: Channel::Page,
                    request_id: request_id(&parts.headers),
                    os_user: None,
                    reason: None,
                },
                display_name: u.display_name,
                csrf: u.csrf_token,
                session_id: id,
                force_name: app.force.name.clone(),
            }),
            Err(AppError::Unauthenticated) => Err(sign_in_redirect(&next)),
            Err(e) => {
                Err(PageError::new(e, Chrome::anonymous(&app.force.name, ""), next).into_response())
            }
        }
    }
}

/// Refuses unsafe requests that a browser says came from another site: the check of
/// `Sec-Fetch-Site`, or failing that `Origin`, against this server's own host.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !from_this_site(req.headers()) {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Cross-site form submissions are refused.",
        )
            .into_response();
    }
    next.run(req).await
}

fn from_this_site(h: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| h.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        (Some(_), None) => false,
        // No Origin: not a cross-site browser request (browsers send Origin on POST).
        (None, _) => true,
    }
}

/// The sign-in page.
#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    pub chrome: Chrome,
    pub form: Form,
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Only a path on this site may be returned to after signing in.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// `GET /sign-in`
pub async fn sign_in_page(State(s): State<WebState>, Query(q): Query<NextQuery>) -> Response {
    let page = SignInPage {
        chrome: Chrome::anonymous(&s.app.force.name, "Sign in"),
        form: Form::default(),
        next: local_path(q.next.as_deref()),
    };
    html_status(StatusCode::OK, &page)
}

/// `POST /sign-in`
pub async fn sign_in(State(s): State<WebState>, headers: HeaderMap, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    let next = local_path(form.optional("next").as_deref());
    let username = form.value("username").trim().to_string();
    let password = form.value("password").to_string();
    let mut missing = Vec::new();
    if username.is_empty() {
        missing.push(FormError {
            id: "username".into(),
            message: "Enter your username".into(),
        });
    }
    if password.is_empty() {
        missing.push(FormError {
            id: "password".into(),
            message: "Enter your password".into(),
        });
    }
    let outcome = if missing.is_empty() {
        s.app
            .sign_in(&username, &password, request_id(&headers))
            .await
    } else {
        Err(AppError::Unauthenticated)
    };
    match outcome {
        Ok(session) => {
            let mut res = see_other(&next);
            let cookie = format!(
                "{COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Lax",
                session.id
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            let status = match e {
                AppError::Throttled { .. } => {
                    form.errors.push(FormError {
                        id: "username".into(),
                        message: "Too many failed attempts for this username: wait 15 minutes and try again".into(),
                    });
                    StatusCode::TOO_MANY_REQUESTS
                }
                AppError::Unauthenticated if !missing.is_empty() => {
                    form.errors = missing;
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                AppError::Unauthenticated => {
                    form.errors.push(FormError {
                        id: "username".into(),
                        message: "Enter a correct username and password".into(),
                    });
                    StatusCode::UNAUTHORIZED
                }
                other => {
                    return PageError::new(other, Chrome::anonymous(&s.app.force.name, ""), "/")
                        .into_response();
                }
            };
            form.values.remove("password");
            let page = SignInPage {
                chrome: Chrome::anonymous(&s.app.force.name, "Sign in").with_errors(&form),
                form,
                next,
            };
            html_status(status, &page)
        }
    }
}

/// `POST /sign-out`
pub async fn sign_out(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    if let Err(e) = s.app.sign_out(&signed.ctx, &signed.session_id).await {
        return signed.error(e, "/").into_response();
    }
    let mut res = see_other("/sign-in");
    let cookie = format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

//! HTTP: the JSON API (and, from the next issue, the pages) over the application services.
//!
//! Only this crate knows HTTP. [`router`] lists every URL; handlers parse, call one
//! service and render. Errors are `application/problem+json`.

// A handler step that fails yields the response to send instead; axum's `Response` is
// that error's natural type, large as it is.
#![allow(clippy::result_large_err)]

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bluelamp_app::App;
use bluelamp_app::Lane;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Instrument;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub mod api;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod pages;

use error::ApiError;

/// Shared state: the application and the metrics recorder's handle.
#[derive(Debug, Clone)]
pub struct WebState {
    pub app: App,
    pub metrics: Option<PrometheusHandle>,
}

impl axum::extract::FromRef<WebState> for App {
    fn from_ref(s: &WebState) -> App {
        s.app.clone()
    }
}

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: std::sync::OnceLock<Option<PrometheusHandle>> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .clone()
}

/// The API routes, with their OpenAPI document.
fn api() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(api::users::token))
        .routes(routes!(api::users::create, api::users::list))
        .routes(routes!(api::users::me))
        .routes(routes!(api::users::get))
        .routes(routes!(api::users::accreditation))
        .routes(routes!(api::persons::create, api::persons::search))
        .routes(routes!(api::persons::get, api::persons::update))
        .routes(routes!(api::locations::create))
        .routes(routes!(api::locations::get))
        .routes(routes!(api::objects::create))
        .routes(routes!(api::objects::get))
        .routes(routes!(api::incidents::create, api::incidents::list))
        .routes(routes!(api::incidents::get))
        .routes(routes!(api::incidents::assess))
        .routes(routes!(api::incidents::attendance))
        .routes(routes!(api::incidents::decide))
        .routes(routes!(api::incidents::close))
        .routes(routes!(api::incidents::queue))
        .routes(routes!(api::first_contact::measures))
        .routes(routes!(api::first_contact::review))
        .routes(routes!(api::crimes::create, api::crimes::list))
        .routes(routes!(api::crimes::get))
        .routes(routes!(api::investigations::allocate))
        .routes(routes!(api::investigations::plan))
        .routes(routes!(api::investigations::review))
        .routes(routes!(api::investigations::hand_over))
        .routes(routes!(api::investigations::decide_handover))
        .routes(routes!(api::investigations::step))
        .routes(routes!(api::investigations::development))
        .routes(routes!(api::investigations::outcome))
        .routes(routes!(api::investigations::decide_outcome))
        .routes(routes!(api::investigations::add_victim))
        .routes(routes!(api::investigations::get_victim))
        .routes(routes!(api::investigations::contact))
        .routes(routes!(api::investigations::survey))
        .routes(routes!(api::investigations::duties))
        .routes(routes!(api::investigations::investigations))
        .routes(routes!(api::investigations::measures))
        .routes(routes!(api::links::create))
        .routes(routes!(api::areas::create, api::areas::list))
        .routes(routes!(api::areas::get, api::areas::update))
        .routes(routes!(api::records::restrict))
        .routes(routes!(api::records::share))
        .routes(routes!(api::records::archive))
        .routes(routes!(api::records::erase))
        .routes(routes!(api::audit::list))
}

/// The OpenAPI document, complete.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) = api().split_for_parts();
    openapi::complete(doc)
}

/// Every URL the server answers.
pub fn router(app: App) -> Router {
    router_on(app, None)
}

/// [`router`] with every request handled on the database lane ([`bluelamp_app::Lane`]),
/// when given: how `bluelamp serve` runs on SQLite. The connections' input and output, the
/// request id, the trace and the metrics (so that a request's time includes its wait for
/// the lane) stay on the caller's runtime.
pub fn router_on(app: App, lane: Option<Lane>) -> Router {
    let (api_router, doc) = api().split_for_parts();
    let doc = openapi::complete(doc);
    let doc_json = serde_json::to_value(&doc).unwrap_or_default();
    let state = WebState {
        app,
        metrics: metrics_handle(),
    };
    let routes = api_router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(doc_json.clone()) }),
        )
        .merge(pages::router())
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(problem_for_bare_errors))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; it has been logged.",
            )
            .into_response()
        }));
    let routes = match lane {
        Some(lane) => routes.layer(middleware::from_fn(move |req: Request, next: Next| {
            on_lane(lane.clone(), req, next)
        })),
        None => routes,
    };
    routes
        .layer(middleware::from_fn(record_metrics))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Runs the rest of a request on the lane, in the request's span.
async fn on_lane(lane: Lane, req: Request, next: Next) -> Response {
    let work = next.run(req).instrument(tracing::Span::current());
    match lane.spawn(work).await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "a request failed on the database lane");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; it has been logged.",
            )
            .into_response()
        }
    }
}

async fn healthz(State(s): State<WebState>) -> Response {
    match s.app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "The database does not answer.",
            )
            .into_response()
        }
    }
}

async fn metrics(State(s): State<WebState>) -> Response {
    let body = s.metrics.map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Unknown addresses: a problem for API clients, a page for people.
async fn not_found(State(s): State<WebState>, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(StatusCode::NOT_FOUND, "There is nothing at this address.")
            .into_response();
    }
    let page = pages::ProblemPage {
        chrome: pages::Chrome::anonymous(&s.app.force.name, "Page not found"),
        heading: "Page not found".into(),
        body: "There is nothing at this address. Check it, or go to the home page.".into(),
    };
    pages::html_status(StatusCode::NOT_FOUND, &page)
}

/// Gives axum's own bare answers (`405` with its `Allow` header, a body over the limit)
/// a problem body, keeping their headers.
async fn problem_for_bare_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let bare = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if (status.is_client_error() || status.is_server_error()) && bare {
        let detail = match status {
            StatusCode::METHOD_NOT_ALLOWED => {
                "This address does not accept this method; see the Allow header."
            }
            StatusCode::PAYLOAD_TOO_LARGE => "The body is too large.",
            _ => "The request could not be handled.",
        };
        let (mut parts, _) = res.into_parts();
        let problem = ApiError::new(status, detail).into_response();
        let (pparts, body) = problem.into_parts();
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        parts.headers.remove(header::CONTENT_LENGTH);
        let _ = pparts;
        return Response::from_parts(parts, body);
    }
    res
}

async fn record_metrics(req: Request, next: Next) -> Response<Body> {
    let start = Instant::now();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let res = next.run(req).await;
    let elapsed: Duration = start.elapsed();
    let labels = [
        ("method", method),
        ("path", path),
        ("status", res.status().as_u16().to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
    res
}

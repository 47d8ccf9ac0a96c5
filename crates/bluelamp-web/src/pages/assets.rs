//! The vendored GOV.UK Frontend styles and scripts, compiled into the binary so that
//! running Bluelamp needs no files beside it (see `assets/README.md`).

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Each file we serve: its name under `/static/`, its type and its bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "bluelamp.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/static/bluelamp.css"),
    ),
    (
        "bluelamp.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/static/bluelamp.js"),
    ),
    (
        "govuk-frontend.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/static/govuk-frontend.min.js"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/static/htmx.min.js"),
    ),
    (
        "licences/govuk-frontend-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/static/licences/govuk-frontend-LICENSE.txt"),
    ),
    (
        "licences/htmx-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/static/licences/htmx-LICENSE.txt"),
    ),
];

/// `GET /static/{file}`, with an ETag so that browsers revalidate cheaply.
pub async fn file(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((_, kind, bytes)) = FILES.iter().find(|(n, _, _)| *n == name) else {
        return (StatusCode::NOT_FOUND, "No such file.").into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(bytes)[..12]));
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut res = (StatusCode::OK, *bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}

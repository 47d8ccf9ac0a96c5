//! Request extractors: the JSON body with field-level errors, and the authenticated
//! caller with their request id and stated reason.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use bluelamp_app::{App, AppError, Ctx};
use bluelamp_domain::audit::Channel;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The header in which an API caller states why they open a restricted record.
pub const ACCESS_REASON: &str = "bluelamp-access-reason";

/// A JSON body. Malformed JSON answers `400`; JSON of the wrong shape answers `422` naming
/// the field by JSON Pointer.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Query parameters. Values of the wrong type answer `422` naming the parameter.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize::<_, T>(de)
            .map(ApiQuery)
            .map_err(|e| {
                let field = e.path().iter().map(|s| format!("/{s}")).collect::<String>();
                let msg = e.inner().to_string();
                let field = match msg
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next())
                {
                    Some(f) => format!("/{f}"),
                    None => field,
                };
                ApiError::invalid_field(field, msg)
            })
    }
}

/// Parses JSON, telling malformed text (`400`) from a wrong shape (`422`).
///
/// # Errors
/// As above.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let inner = e.inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::malformed(format!(
                    "The body is not well-formed JSON: {inner}"
                )));
            }
            let pointer: String = e
                .path()
                .iter()
                .filter_map(|seg| match seg {
                    serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                    serde_path_to_error::Segment::Map { key }
                    | serde_path_to_error::Segment::Enum { variant: key } => {
                        Some(format!("/{}", key.replace('~', "~0").replace('/', "~1")))
                    }
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect();
            let msg = inner.to_string();
            // serde reports a missing field at its parent: name the field itself.
            let pointer = match msg
                .strip_prefix("missing field `")
                .and_then(|m| m.split('`').next())
            {
                Some(field) => format!("{pointer}/{field}"),
                None => pointer,
            };
            let message = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Err(ApiError::invalid_field(pointer, message))
        }
    }
}

/// The authenticated caller of an API operation, as the services see them.
#[derive(Debug, Clone)]
pub struct Caller(pub Ctx);

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    App: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = App::from_ref(state);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::from(AppError::Unauthenticated))?;
        let actor = app.actor_for_token(token).await?;
        let header_text = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(Caller(Ctx {
            actor,
            channel: Channel::Api,
            request_id: header_text("x-request-id"),
            os_user: None,
            reason: header_text(ACCESS_REASON),
        }))
    }
}

/// The request id, for operations that run before the caller is known.
#[derive(Debug, Clone)]
pub struct RequestId(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestId(
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        ))
    }
}

/// Parses an id from the path; an id that is not a UUID names no record, so `404`.
///
/// # Errors
/// [`ApiError::not_found`].
pub fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

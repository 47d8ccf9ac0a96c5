//! Errors as HTTP answers: `application/problem+json` (RFC 9457) with `type`, `title`,
//! `status`, `detail` and, for invalid fields, an `errors` array of JSON Pointers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_domain::field::Invalid;
use serde::Serialize;
use utoipa::ToSchema;

/// The problem type for a restricted record opened without a stated reason.
pub const REASON_REQUIRED: &str = "/api/problems/reason-required";
/// The problem type for invalid fields.
pub const VALIDATION: &str = "/api/problems/validation";

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// JSON Pointer (RFC 6901) to the field, such as `/date_of_birth`.
    pub field: String,
    pub message: String,
}

/// An error, as `application/problem+json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Present on `422`: each invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// An API error: renders as a problem.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    detail: String,
    errors: Vec<FieldProblem>,
    retry_after: Option<i64>,
}

impl ApiError {
    /// A problem with a status and a detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            kind: "about:blank",
            detail: detail.into(),
            errors: vec![],
            retry_after: None,
        }
    }

    /// `400`: the body is not well-formed JSON.
    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// `404`.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "There is no such record, or you may not see it.",
        )
    }

    /// `422` for one field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::invalid(Invalid::one(field, message))
    }

    fn invalid(i: Invalid) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: VALIDATION,
            detail: "Some fields are invalid; nothing was saved.".into(),
            errors: i
                .0
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.field,
                    message: e.message,
                })
                .collect(),
            retry_after: None,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(i) => ApiError::invalid(i),
            AppError::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "Missing, wrong or expired credentials.",
            ),
            AppError::Throttled {
                retry_after_seconds,
            } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many failed sign-ins for this username: try again later.",
                )
            },
            AppError::Denied(d) => ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "You are not permitted to do this: {}.",
                    d.0.describe().to_lowercase()
                ),
            ),
            AppError::ReasonRequired => ApiError {
                kind: REASON_REQUIRED,
                ..ApiError::new(
                    StatusCode::FORBIDDEN,
                    "This record is restricted. State your reason for opening it in the Bluelamp-Access-Reason header.",
                )
            },
            AppError::NotFound => ApiError::not_found(),
            AppError::Conflict(c) => ApiError::new(StatusCode::CONFLICT, c),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong; it has been logged.",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let title = self
            .status
            .canonical_reason()
            .unwrap_or("Error")
            .to_string();
        let body = Problem {
            kind: self.kind.to_string(),
            title,
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// The result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

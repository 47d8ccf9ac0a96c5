//! `/api/v1/links`: link two records with a role.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bluelamp_app::App;
use bluelamp_app::link::LinkInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller};

/// A link to make: `from` is `role` of `to` ("person lives_at location").
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    pub from: String,
    /// Such as `lives_at`, `associate_of`, `keeper_of`, `seized_at`, `victim_of`, `suspect_in`.
    pub role: String,
    pub to: String,
}

/// A link as made.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkCreated {
    pub id: Uuid,
    pub from: Uuid,
    pub role: String,
    pub to: Uuid,
}

/// Links two records.
#[utoipa::path(post, path = "/api/v1/links", tag = "links", request_body = LinkRequest,
    responses((status = 201, description = "Linked", body = LinkCreated, content_type = "application/json"),
              (status = 409, description = "Already linked in this role", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<LinkRequest>,
) -> ApiResult<(StatusCode, Json<LinkCreated>)> {
    let l = app
        .create_link(
            &ctx,
            &LinkInput {
                from: b.from,
                role: b.role,
                to: b.to,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LinkCreated {
            id: l.id.uuid(),
            from: l.from.uuid(),
            role: l.role.as_str().into(),
            to: l.to.uuid(),
        }),
    ))
}

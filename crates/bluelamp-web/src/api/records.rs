//! `/api/v1/records/{id}/...`: need-to-know and retention on any record.

use axum::Json;
use axum::extract::{Path, State};
use bluelamp_app::App;
use bluelamp_app::record::RestrictionInput;
use bluelamp_app::views::RecordHead;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, path_id};

/// Who may see a restricted record. Both lists empty lifts the restriction.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionRequest {
    /// Usernames.
    #[serde(default)]
    pub users: Vec<String>,
    /// Team names.
    #[serde(default)]
    pub teams: Vec<String>,
}

/// A partner agency to share with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    pub agency: String,
}

/// The reason for archiving or erasing: the retention review's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// A record's access and retention state.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordStatus {
    pub id: Uuid,
    pub kind: String,
    pub restricted: bool,
    /// User ids the record is restricted to.
    pub restricted_to_users: Vec<Uuid>,
    /// Team ids the record is restricted to.
    pub restricted_to_teams: Vec<Uuid>,
    /// Partner agencies it is shared with.
    pub shared_with: Vec<String>,
    pub archived_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
}

impl From<RecordHead> for RecordStatus {
    fn from(h: RecordHead) -> Self {
        RecordStatus {
            id: h.id.uuid(),
            kind: h.kind.as_str().into(),
            restricted: h.access.restricted,
            restricted_to_users: h.access.users.iter().map(|u| u.uuid()).collect(),
            restricted_to_teams: h.access.teams.iter().map(|t| t.uuid()).collect(),
            shared_with: h.access.shared_with,
            archived_at: h.archived_at,
            erased_at: h.erased_at,
        }
    }
}

/// Restricts a record to named users and teams (need to know).
#[utoipa::path(put, path = "/api/v1/records/{id}/restriction", tag = "records", request_body = RestrictionRequest,
    params(("id" = Uuid, Path, description = "The record's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The record's access now", body = RecordStatus, content_type = "application/json")))]
pub async fn restrict(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<RestrictionRequest>,
) -> ApiResult<Json<RecordStatus>> {
    let input = RestrictionInput {
        users: b.users,
        teams: b.teams,
    };
    Ok(Json(
        app.restrict_record(&ctx, path_id(&id)?, &input)
            .await?
            .into(),
    ))
}

/// Shares a record with a partner agency.
#[utoipa::path(post, path = "/api/v1/records/{id}/shares", tag = "records", request_body = ShareRequest,
    params(("id" = Uuid, Path, description = "The record's id")),
    responses((status = 200, description = "The record's access now", body = RecordStatus, content_type = "application/json"),
              (status = 409, description = "Already shared with that agency", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn share(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ShareRequest>,
) -> ApiResult<Json<RecordStatus>> {
    Ok(Json(
        app.share_record(&ctx, path_id(&id)?, &b.agency)
            .await?
            .into(),
    ))
}

/// Archives a record after a retention review.
#[utoipa::path(post, path = "/api/v1/records/{id}/archive", tag = "records", request_body = ReasonRequest,
    params(("id" = Uuid, Path, description = "The record's id")),
    responses((status = 200, description = "Archived", body = RecordStatus, content_type = "application/json"),
              (status = 409, description = "Already archived", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn archive(
    State(app): State<App>,
    Caller(mut ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonRequest>,
) -> ApiResult<Json<RecordStatus>> {
    ctx.reason = Some(b.reason);
    Ok(Json(app.archive_record(&ctx, path_id(&id)?).await?.into()))
}

/// Erases an archived record's personal data (MoPI disposal).
#[utoipa::path(post, path = "/api/v1/records/{id}/erasure", tag = "records", request_body = ReasonRequest,
    params(("id" = Uuid, Path, description = "The record's id")),
    responses((status = 200, description = "Erased", body = RecordStatus, content_type = "application/json"),
              (status = 409, description = "Not archived, or already erased", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn erase(
    State(app): State<App>,
    Caller(mut ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReasonRequest>,
) -> ApiResult<Json<RecordStatus>> {
    ctx.reason = Some(b.reason);
    Ok(Json(app.erase_record(&ctx, path_id(&id)?).await?.into()))
}

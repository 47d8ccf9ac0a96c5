//! `/api/v1/areas`: the force's geography.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bluelamp_app::App;
use bluelamp_app::area::AreaInput;
use bluelamp_app::views::Area;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, path_id};

/// An area to define.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaRequest {
    /// `local_policing_area` or `neighbourhood`.
    pub kind: String,
    pub code: String,
    pub name: String,
    /// For a neighbourhood: its local policing area's id.
    #[serde(default)]
    pub parent: Option<String>,
    /// For a neighbourhood: the LSOAs it is built from.
    #[serde(default)]
    pub lsoa_codes: Vec<String>,
    /// `urban` (the default) or `rural`: whose attendance targets apply.
    #[serde(default)]
    pub setting: Option<String>,
}

/// A change to an area.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaPatch {
    /// `urban` or `rural`.
    pub setting: String,
}

/// An area.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaResponse {
    pub id: Uuid,
    pub kind: String,
    pub code: String,
    pub name: String,
    pub parent: Option<Uuid>,
    pub lsoa_codes: Vec<String>,
    /// `urban` or `rural`.
    pub setting: String,
}

impl From<Area> for AreaResponse {
    fn from(a: Area) -> Self {
        AreaResponse {
            id: a.id.uuid(),
            kind: a.kind.as_str().into(),
            code: a.code,
            name: a.name,
            parent: a.parent.map(|p| p.uuid()),
            lsoa_codes: a.lsoa_codes,
            setting: a.setting.as_str().into(),
        }
    }
}

/// Defines an area.
#[utoipa::path(post, path = "/api/v1/areas", tag = "areas", request_body = AreaRequest,
    responses((status = 201, description = "Created", body = AreaResponse, content_type = "application/json")))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<AreaRequest>,
) -> ApiResult<(StatusCode, Json<AreaResponse>)> {
    let input = AreaInput {
        kind: b.kind,
        code: b.code,
        name: b.name,
        parent: b.parent,
        lsoa_codes: b.lsoa_codes,
        setting: b.setting,
    };
    Ok((
        StatusCode::CREATED,
        Json(app.create_area(&ctx, &input).await?.into()),
    ))
}

/// Lists the force's areas.
#[utoipa::path(get, path = "/api/v1/areas", tag = "areas",
    responses((status = 200, description = "Every area", body = Vec<AreaResponse>, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
) -> ApiResult<Json<Vec<AreaResponse>>> {
    Ok(Json(
        app.list_areas(&ctx)
            .await?
            .into_iter()
            .map(AreaResponse::from)
            .collect(),
    ))
}

/// One area.
#[utoipa::path(get, path = "/api/v1/areas/{id}", tag = "areas",
    params(("id" = Uuid, Path, description = "The area's id")),
    responses((status = 200, description = "The area", body = AreaResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AreaResponse>> {
    Ok(Json(app.get_area(&ctx, path_id(&id)?).await?.into()))
}

/// Sets whether an area counts as urban or rural for attendance targets.
#[utoipa::path(patch, path = "/api/v1/areas/{id}", tag = "areas", request_body = AreaPatch,
    params(("id" = Uuid, Path, description = "The area's id")),
    responses((status = 200, description = "The area", body = AreaResponse, content_type = "application/json")))]
pub async fn update(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AreaPatch>,
) -> ApiResult<Json<AreaResponse>> {
    Ok(Json(
        app.set_area_setting(&ctx, path_id(&id)?, &b.setting)
            .await?
            .into(),
    ))
}

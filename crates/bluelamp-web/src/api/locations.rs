//! `/api/v1/locations`: record and open locations.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::App;
use bluelamp_app::location::LocationView;
use bluelamp_domain::location::LocationInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::LinkView;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, path_id};

/// A location to record: address lines, a postcode, or a point (at least one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationRequest {
    #[serde(default)]
    pub address_lines: Vec<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    /// Unique Property Reference Number.
    #[serde(default)]
    pub uprn: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// ONS 2011 LSOA code, such as `E01025733`.
    #[serde(default)]
    pub lsoa_code: Option<String>,
}

impl From<LocationRequest> for LocationInput {
    fn from(b: LocationRequest) -> Self {
        LocationInput {
            address_lines: b.address_lines,
            postcode: b.postcode,
            uprn: b.uprn,
            latitude: b.latitude,
            longitude: b.longitude,
            lsoa_code: b.lsoa_code,
        }
    }
}

/// A location.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationResponse {
    pub id: Uuid,
    pub address_lines: Vec<String>,
    pub postcode: Option<String>,
    pub uprn: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub lsoa_code: Option<String>,
    /// The neighbourhood whose LSOAs include this one.
    pub neighbourhood_id: Option<Uuid>,
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub links: Vec<LinkView>,
}

impl From<LocationView> for LocationResponse {
    fn from(v: LocationView) -> Self {
        let l = v.location;
        LocationResponse {
            id: v.head.id.uuid(),
            address_lines: l.address_lines,
            postcode: l.postcode.map(|p| p.to_string()),
            uprn: l.uprn,
            latitude: l.point.map(|p| p.0),
            longitude: l.point.map(|p| p.1),
            lsoa_code: l.lsoa_code,
            neighbourhood_id: v.neighbourhood.map(|a| a.uuid()),
            restricted: v.head.access.restricted,
            created_at: v.head.created_at,
            archived_at: v.head.archived_at,
            links: v
                .links
                .into_iter()
                .map(|k| LinkView::from_end(k, v.head.id))
                .collect(),
        }
    }
}

/// Records a location.
#[utoipa::path(post, path = "/api/v1/locations", tag = "locations", request_body = LocationRequest,
    responses((status = 201, description = "Created", body = LocationResponse, content_type = "application/json",
               headers(("Location" = String, description = "The new location's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<LocationRequest>,
) -> ApiResult<impl IntoResponse> {
    let view = app.create_location(&ctx, &b.into()).await?;
    let url = format!("/api/v1/locations/{}", view.head.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url)],
        Json(LocationResponse::from(view)),
    ))
}

/// Opens a location.
#[utoipa::path(get, path = "/api/v1/locations/{id}", tag = "locations",
    params(("id" = Uuid, Path, description = "The location's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The location", body = LocationResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<LocationResponse>> {
    Ok(Json(app.get_location(&ctx, path_id(&id)?).await?.into()))
}

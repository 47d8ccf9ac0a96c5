//! `/api/v1/objects`: record and open vehicles, phones, weapons and property.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::App;
use bluelamp_app::object::ObjectView;
use bluelamp_domain::object::ObjectInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::LinkView;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, path_id};

/// An object to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectRequest {
    /// `vehicle`, `phone`, `weapon` or `property`.
    pub kind: String,
    /// A vehicle's registration mark (required for vehicles), a phone's number or IMEI, a
    /// serial number.
    #[serde(default)]
    pub identifier: Option<String>,
    pub description: String,
}

/// An object.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectResponse {
    pub id: Uuid,
    pub kind: String,
    pub identifier: Option<String>,
    pub description: String,
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub links: Vec<LinkView>,
}

impl From<ObjectView> for ObjectResponse {
    fn from(v: ObjectView) -> Self {
        ObjectResponse {
            id: v.head.id.uuid(),
            kind: v.object.kind.as_str().into(),
            identifier: v.object.identifier,
            description: v.object.description,
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

/// Records an object.
#[utoipa::path(post, path = "/api/v1/objects", tag = "objects", request_body = ObjectRequest,
    responses((status = 201, description = "Created", body = ObjectResponse, content_type = "application/json",
               headers(("Location" = String, description = "The new object's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<ObjectRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = ObjectInput {
        kind: b.kind,
        identifier: b.identifier,
        description: b.description,
    };
    let view = app.create_object(&ctx, &input).await?;
    let url = format!("/api/v1/objects/{}", view.head.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url)],
        Json(ObjectResponse::from(view)),
    ))
}

/// Opens an object.
#[utoipa::path(get, path = "/api/v1/objects/{id}", tag = "objects",
    params(("id" = Uuid, Path, description = "The object's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The object", body = ObjectResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ObjectResponse>> {
    Ok(Json(app.get_object(&ctx, path_id(&id)?).await?.into()))
}

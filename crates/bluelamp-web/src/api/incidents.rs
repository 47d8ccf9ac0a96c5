//! `/api/v1/incidents`: record, open and list calls for service.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::incident::{EventPage, IncidentQuery, IncidentView};
use bluelamp_app::{App, AppError, Page};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::incident::{Incident, IncidentInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::LinkView;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};

/// An incident to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentRequest {
    /// The force's incident reference number: 1 to 32 letters, digits, hyphens or slashes.
    pub reference: String,
    /// When the report was received: RFC 3339 with its offset; stored in UTC.
    pub received_at: String,
    /// The opening code: `crime`, `domestic`, `anti_social_behaviour`,
    /// `concern_for_welfare`, `missing_person`, `suspicious`, `alarm`, `road_traffic`,
    /// `public_safety` or `administrative`.
    pub category: String,
    /// The location record where it happened; the incident is linked there (`occurred_at`).
    #[serde(default)]
    pub location_id: Option<String>,
    pub summary: String,
}

/// An incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentResponse {
    pub id: Uuid,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    pub category: String,
    pub location_id: Option<Uuid>,
    pub summary: String,
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub links: Vec<LinkView>,
}

impl From<IncidentView> for IncidentResponse {
    fn from(v: IncidentView) -> Self {
        let i = v.incident;
        IncidentResponse {
            id: v.head.id.uuid(),
            reference: i.reference,
            received_at: i.received_at,
            category: i.category.as_str().into(),
            location_id: i.location_id.map(|l| l.uuid()),
            summary: i.summary,
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

/// An incident in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentSummary {
    pub id: Uuid,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    pub category: String,
    pub location_id: Option<Uuid>,
    pub summary: String,
}

impl IncidentSummary {
    fn new(id: RecordId, i: Incident) -> Self {
        IncidentSummary {
            id: id.uuid(),
            reference: i.reference,
            received_at: i.received_at,
            category: i.category.as_str().into(),
            location_id: i.location_id.map(|l| l.uuid()),
            summary: i.summary,
        }
    }
}

/// A page of incidents, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentList {
    pub items: Vec<IncidentSummary>,
    pub page: u32,
    pub per_page: u32,
    /// Whether the next page has more.
    pub has_more: bool,
}

impl From<EventPage<Incident>> for IncidentList {
    fn from(p: EventPage<Incident>) -> Self {
        IncidentList {
            items: p
                .items
                .into_iter()
                .map(|(id, i)| IncidentSummary::new(id, i))
                .collect(),
            page: p.page.number,
            per_page: p.page.size,
            has_more: p.has_more,
        }
    }
}

/// Which incidents to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentParams {
    /// Received at or after: a date (`YYYY-MM-DD`, from 00:00 UTC) or an RFC 3339 time.
    pub from: Option<String>,
    /// Received before: as `from`.
    pub to: Option<String>,
    /// Only this opening code.
    pub category: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; 20 by default.
    pub per_page: Option<u32>,
}

/// Records an incident.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = IncidentRequest,
    responses((status = 201, description = "Created", body = IncidentResponse, content_type = "application/json",
               headers(("Location" = String, description = "The new incident's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<IncidentRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = IncidentInput {
        reference: b.reference,
        received_at: b.received_at,
        category: b.category,
        location_id: b.location_id,
        summary: b.summary,
    };
    let view = app.create_incident(&ctx, &input).await?;
    let url = format!("/api/v1/incidents/{}", view.head.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url)],
        Json(IncidentResponse::from(view)),
    ))
}

/// Lists incidents, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentParams),
    responses((status = 200, description = "A page of incidents", body = IncidentList, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<IncidentParams>,
) -> ApiResult<Json<IncidentList>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let query = IncidentQuery {
        from: q.from,
        to: q.to,
        category: q.category,
    };
    Ok(Json(app.list_incidents(&ctx, &query, page).await?.into()))
}

/// Opens an incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The incident", body = IncidentResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentResponse>> {
    Ok(Json(app.get_incident(&ctx, path_id(&id)?).await?.into()))
}

//! `/api/v1/crimes`: record, open and list crimes by offence group, code and period.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::crime::{CrimeQuery, CrimeView};
use bluelamp_app::incident::EventPage;
use bluelamp_app::{App, AppError, Page};
use bluelamp_domain::crime::{Crime, CrimeInput};
use bluelamp_domain::ids::RecordId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::LinkView;
use super::investigations::InvestigationResponse;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};

/// A crime to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrimeRequest {
    /// The force's crime reference number: 1 to 32 letters, digits, hyphens or slashes.
    pub reference: String,
    /// The Home Office offence code, such as `8N` (assault with injury) or `28E`
    /// (residential burglary).
    pub offence_code: String,
    /// When it was committed, or the start of the period: RFC 3339 with its offset.
    pub committed_from: String,
    /// The end of the period, if it is one.
    #[serde(default)]
    pub committed_to: Option<String>,
    /// When the crime was recorded: not before `committed_from`.
    pub recorded_at: String,
    /// Whether it is domestic abuse (Domestic Abuse Act 2021, s.1).
    #[serde(default)]
    pub domestic_abuse: bool,
    /// The location record where it happened; the crime is linked there (`occurred_at`).
    #[serde(default)]
    pub location_id: Option<String>,
    /// The incident it was recorded from.
    #[serde(default)]
    pub incident_id: Option<String>,
}

/// A crime's classification, from its offence code.
#[derive(Debug, Serialize, ToSchema)]
pub struct Classification {
    pub offence_code: String,
    /// The offence group's code, such as `violence_against_the_person`.
    pub offence_group: String,
    pub offence_group_label: String,
    pub offence_subgroup: String,
    pub offence_description: String,
    pub police_uk_category: String,
}

impl Classification {
    fn of(c: &Crime) -> Self {
        let o = c.offence_code.offence();
        Classification {
            offence_code: o.code.clone(),
            offence_group: o.group.as_str().into(),
            offence_group_label: o.group.label().into(),
            offence_subgroup: o.subgroup.clone(),
            offence_description: o.description.clone(),
            police_uk_category: o.police_uk_category.clone(),
        }
    }
}

/// A crime.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrimeResponse {
    pub id: Uuid,
    pub reference: String,
    #[serde(flatten)]
    pub classification: Classification,
    pub committed_from: DateTime<Utc>,
    pub committed_to: Option<DateTime<Utc>>,
    pub recorded_at: DateTime<Utc>,
    pub domestic_abuse: bool,
    pub location_id: Option<Uuid>,
    pub incident_id: Option<Uuid>,
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    /// Victims, suspects and offenders (`victim_of`, `suspect_in`, `offender_in`), where it
    /// happened (`occurred_at`), and other links.
    pub links: Vec<LinkView>,
    /// Its investigation, victims and duties.
    pub investigation: InvestigationResponse,
}

impl CrimeResponse {
    /// The crime as it stands at `now`.
    pub fn new(v: CrimeView, now: DateTime<Utc>) -> Self {
        let c = v.crime;
        CrimeResponse {
            id: v.head.id.uuid(),
            classification: Classification::of(&c),
            reference: c.reference,
            committed_from: c.committed_from,
            committed_to: c.committed_to,
            recorded_at: c.recorded_at,
            domestic_abuse: c.domestic_abuse,
            location_id: c.location_id.map(|l| l.uuid()),
            incident_id: c.incident_id.map(|i| i.uuid()),
            restricted: v.head.access.restricted,
            created_at: v.head.created_at,
            archived_at: v.head.archived_at,
            links: v
                .links
                .into_iter()
                .map(|k| LinkView::from_end(k, v.head.id))
                .collect(),
            investigation: InvestigationResponse::new(v.case, now),
        }
    }
}

/// A crime in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrimeSummary {
    pub id: Uuid,
    pub reference: String,
    #[serde(flatten)]
    pub classification: Classification,
    pub committed_from: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub domestic_abuse: bool,
    pub location_id: Option<Uuid>,
}

impl CrimeSummary {
    fn new(id: RecordId, c: Crime) -> Self {
        CrimeSummary {
            id: id.uuid(),
            classification: Classification::of(&c),
            reference: c.reference,
            committed_from: c.committed_from,
            recorded_at: c.recorded_at,
            domestic_abuse: c.domestic_abuse,
            location_id: c.location_id.map(|l| l.uuid()),
        }
    }
}

/// A page of crimes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrimeList {
    pub items: Vec<CrimeSummary>,
    pub page: u32,
    pub per_page: u32,
    /// Whether the next page has more.
    pub has_more: bool,
}

impl From<EventPage<Crime>> for CrimeList {
    fn from(p: EventPage<Crime>) -> Self {
        CrimeList {
            items: p
                .items
                .into_iter()
                .map(|(id, c)| CrimeSummary::new(id, c))
                .collect(),
            page: p.page.number,
            per_page: p.page.size,
            has_more: p.has_more,
        }
    }
}

/// Which crimes to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CrimeParams {
    /// An offence group: `violence_against_the_person`, `sexual_offences`, `robbery`,
    /// `theft_offences`, `criminal_damage_and_arson`, `drug_offences`,
    /// `possession_of_weapons_offences`, `public_order_offences`, `miscellaneous_crimes` or
    /// `fraud_offences`.
    pub offence_group: Option<String>,
    /// A Home Office offence code.
    pub offence_code: Option<String>,
    /// Recorded at or after: a date (`YYYY-MM-DD`, from 00:00 UTC) or an RFC 3339 time.
    pub from: Option<String>,
    /// Recorded before: as `from`.
    pub to: Option<String>,
    /// Only domestic abuse (`true`) or only other crime (`false`).
    pub domestic_abuse: Option<bool>,
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; 20 by default.
    pub per_page: Option<u32>,
}

/// Records a crime.
#[utoipa::path(post, path = "/api/v1/crimes", tag = "crimes", request_body = CrimeRequest,
    responses((status = 201, description = "Created", body = CrimeResponse, content_type = "application/json",
               headers(("Location" = String, description = "The new crime's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<CrimeRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = CrimeInput {
        reference: b.reference,
        offence_code: b.offence_code,
        committed_from: b.committed_from,
        committed_to: b.committed_to,
        recorded_at: b.recorded_at,
        domestic_abuse: b.domestic_abuse,
        location_id: b.location_id,
        incident_id: b.incident_id,
    };
    let view = app.create_crime(&ctx, &input).await?;
    let url = format!("/api/v1/crimes/{}", view.head.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url)],
        Json(CrimeResponse::new(view, app.now())),
    ))
}

/// Lists crimes, newest first.
#[utoipa::path(get, path = "/api/v1/crimes", tag = "crimes", params(CrimeParams),
    responses((status = 200, description = "A page of crimes", body = CrimeList, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<CrimeParams>,
) -> ApiResult<Json<CrimeList>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let query = CrimeQuery {
        offence_group: q.offence_group,
        offence_code: q.offence_code,
        from: q.from,
        to: q.to,
        domestic_abuse: q.domestic_abuse,
    };
    Ok(Json(app.list_crimes(&ctx, &query, page).await?.into()))
}

/// Opens a crime.
#[utoipa::path(get, path = "/api/v1/crimes/{id}", tag = "crimes",
    params(("id" = Uuid, Path, description = "The crime's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The crime", body = CrimeResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CrimeResponse>> {
    let view = app.get_crime(&ctx, path_id(&id)?).await?;
    Ok(Json(CrimeResponse::new(view, app.now())))
}

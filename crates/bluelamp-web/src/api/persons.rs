//! `/api/v1/persons`: create with likely matches, open, edit, search.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::person::{Match, Matches, PersonView, SearchInput};
use bluelamp_app::{App, Page};
use bluelamp_domain::person::{MarkerInput, NameInput, PersonInput};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::LinkView;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};

/// A name a person is known by.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Name {
    pub forenames: String,
    pub surname: String,
}

/// A dated warning marker.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    /// One of `violent`, `weapons`, `firearms`, `explosives`, `drugs`, `self_harm`,
    /// `suicidal`, `mental_health`, `ailment`, `contagious`, `escaper`, `alleges`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    /// `YYYY-MM-DD`, when the marker lapses.
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A person to record or the new details of one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    pub forenames: String,
    pub surname: String,
    #[serde(default)]
    pub aliases: Vec<Name>,
    /// ISO 8601 at full or reduced precision: `1971-03-09`, `1971-03` or `1971`.
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub date_of_birth_approximate: bool,
    /// `male`, `female` or `unknown` (the default).
    #[serde(default)]
    pub sex: Option<String>,
    /// Self-defined ethnicity, 18+1 code: W1 W2 W3 W9 M1 M2 M3 M9 A1 A2 A3 A4 A9 B1 B2 B9 O1 O9 NS.
    #[serde(default)]
    pub ethnicity: Option<String>,
    #[serde(default)]
    pub warning_markers: Vec<Marker>,
}

impl PersonRequest {
    fn input(self) -> PersonInput {
        PersonInput {
            forenames: self.forenames,
            surname: self.surname,
            aliases: self
                .aliases
                .into_iter()
                .map(|a| NameInput {
                    forenames: a.forenames,
                    surname: a.surname,
                })
                .collect(),
            date_of_birth: self.date_of_birth,
            date_of_birth_approximate: self.date_of_birth_approximate,
            sex: self.sex,
            ethnicity: self.ethnicity,
            warning_markers: self
                .warning_markers
                .into_iter()
                .map(|m| MarkerInput {
                    kind: m.kind,
                    from: m.from,
                    until: m.until,
                    note: m.note,
                })
                .collect(),
        }
    }
}

/// A warning marker as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkerView {
    pub kind: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A person (nominal).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: Uuid,
    pub forenames: String,
    pub surname: String,
    pub aliases: Vec<Name>,
    pub date_of_birth: Option<String>,
    pub date_of_birth_approximate: bool,
    pub sex: String,
    pub ethnicity: Option<String>,
    pub warning_markers: Vec<MarkerView>,
    /// Whether the record is restricted to named users or teams.
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
    pub links: Vec<LinkView>,
}

impl From<PersonView> for PersonResponse {
    fn from(v: PersonView) -> Self {
        let p = v.person;
        PersonResponse {
            id: v.head.id.uuid(),
            forenames: p.name.forenames,
            surname: p.name.surname,
            aliases: p
                .aliases
                .into_iter()
                .map(|a| Name {
                    forenames: a.forenames,
                    surname: a.surname,
                })
                .collect(),
            date_of_birth: p.date_of_birth.map(|d| d.to_string()),
            date_of_birth_approximate: p.date_of_birth_approximate,
            sex: p.sex.as_str().into(),
            ethnicity: p.ethnicity.map(|e| e.as_str().into()),
            warning_markers: p
                .warning_markers
                .into_iter()
                .map(|m| MarkerView {
                    kind: m.kind.as_str().into(),
                    from: m.from,
                    until: m.until,
                    note: m.note,
                })
                .collect(),
            restricted: v.head.access.restricted,
            created_at: v.head.created_at,
            updated_at: v.head.updated_at,
            archived_at: v.head.archived_at,
            erased_at: v.head.erased_at,
            links: v
                .links
                .into_iter()
                .map(|l| LinkView::from_end(l, v.head.id))
                .collect(),
        }
    }
}

/// A ranked search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchView {
    pub id: Uuid,
    /// How well the person matches, from 0 to 100.
    pub score: u8,
    pub forenames: String,
    pub surname: String,
    /// Other names they are known by.
    pub aliases: Vec<Name>,
    pub date_of_birth: Option<String>,
    pub postcodes: Vec<String>,
}

impl From<Match> for MatchView {
    fn from(m: Match) -> Self {
        let mut names = m.candidate.names.into_iter();
        let main = names.next();
        MatchView {
            id: m.id.uuid(),
            score: m.score,
            forenames: main
                .as_ref()
                .map(|n| n.forenames.clone())
                .unwrap_or_default(),
            surname: main.map(|n| n.surname).unwrap_or_default(),
            aliases: names
                .map(|n| Name {
                    forenames: n.forenames,
                    surname: n.surname,
                })
                .collect(),
            date_of_birth: m.candidate.date_of_birth.map(|d| d.to_string()),
            postcodes: m
                .candidate
                .postcodes
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// A new person with the persons already recorded who may be the same.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedPerson {
    #[serde(flatten)]
    pub person: PersonResponse,
    /// Likely duplicates, best first.
    pub possible_matches: Vec<MatchView>,
}

/// A page of ranked matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<MatchView>,
    pub page: u32,
    pub per_page: u32,
    /// How many persons matched in all.
    pub total: usize,
}

impl From<Matches> for SearchResults {
    fn from(m: Matches) -> Self {
        SearchResults {
            items: m.items.into_iter().map(MatchView::from).collect(),
            page: m.page.number,
            per_page: m.page.size,
            total: m.total,
        }
    }
}

/// A nominal search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Names in any order; case, accents and hyphens are ignored; sounds-alike and
    /// nicknames match.
    pub name: Option<String>,
    /// Date of birth: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub dob: Option<String>,
    /// A postcode (`LE1 5AA`), or its district (`LE1`) or sector (`LE1 5`): persons living
    /// at an address in it rank higher, a whole postcode most.
    pub postcode: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; 20 by default.
    pub per_page: Option<u32>,
}

/// Records a person and lists likely matches already recorded.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", request_body = PersonRequest,
    responses((status = 201, description = "Created", body = CreatedPerson, content_type = "application/json",
               headers(("Location" = String, description = "The new person's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(body): ApiJson<PersonRequest>,
) -> ApiResult<impl IntoResponse> {
    let (view, likely) = app.create_person(&ctx, &body.input()).await?;
    let location = format!("/api/v1/persons/{}", view.head.id);
    let body = CreatedPerson {
        person: view.into(),
        possible_matches: likely.into_iter().map(MatchView::from).collect(),
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    ))
}

/// Opens a person. A restricted person needs the `Bluelamp-Access-Reason` header.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons",
    params(("id" = Uuid, Path, description = "The person's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The person", body = PersonResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonResponse>> {
    Ok(Json(app.get_person(&ctx, path_id(&id)?).await?.into()))
}

/// Replaces a person's details.
#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons", request_body = PersonRequest,
    params(("id" = Uuid, Path, description = "The person's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The person as now recorded", body = PersonResponse, content_type = "application/json")))]
pub async fn update(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonRequest>,
) -> ApiResult<Json<PersonResponse>> {
    Ok(Json(
        app.update_person(&ctx, path_id(&id)?, &body.input())
            .await?
            .into(),
    ))
}

/// Searches nominals; answers ranked matches with their scores.
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(SearchParams),
    responses((status = 200, description = "Ranked matches", body = SearchResults, content_type = "application/json")))]
pub async fn search(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    let page = Page::new(q.page, q.per_page).map_err(bluelamp_app::AppError::from)?;
    let name = q
        .name
        .ok_or_else(|| ApiError::invalid_field("/name", "must be given"))?;
    let input = SearchInput {
        name,
        date_of_birth: q.dob,
        postcode: q.postcode,
    };
    Ok(Json(app.search_persons(&ctx, &input, page).await?.into()))
}

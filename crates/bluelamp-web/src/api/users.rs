//! `/api/v1/users` and `/api/v1/tokens`: accounts and bearer tokens.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bluelamp_app::user::UserInput;
use bluelamp_app::views::User;
use bluelamp_app::{App, Page};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, RequestId, path_id};

/// Credentials to exchange for a token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

/// A bearer token: send it as `Authorization: Bearer TOKEN`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A user to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserRequest {
    pub username: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// At least 12 characters; without one, the account cannot sign in.
    #[serde(default)]
    pub password: Option<String>,
    pub roles: Vec<String>,
    /// Team names; new teams are created.
    #[serde(default)]
    pub teams: Vec<String>,
    /// Area ids.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Required for partners: their agency.
    #[serde(default)]
    pub agency: Option<String>,
}

/// A team.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamView {
    pub id: Uuid,
    pub name: String,
}

/// A user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub teams: Vec<TeamView>,
    pub areas: Vec<Uuid>,
    pub agency: Option<String>,
    /// Whether the account has a password and so can sign in.
    pub can_sign_in: bool,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        UserResponse {
            id: u.id.uuid(),
            username: u.username,
            display_name: u.display_name,
            roles: u.roles.iter().map(|r| r.as_str().to_string()).collect(),
            teams: u
                .teams
                .into_iter()
                .map(|(id, name)| TeamView {
                    id: id.uuid(),
                    name,
                })
                .collect(),
            areas: u.areas.iter().map(|a| a.uuid()).collect(),
            agency: u.agency,
            can_sign_in: u.password_hash.is_some(),
        }
    }
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Exchanges a username and password for a bearer token. Throttled after repeated failures.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "users", request_body = TokenRequest, security(()),
    responses((status = 201, description = "Issued", body = TokenResponse, content_type = "application/json"),
              (status = 429, description = "Too many failed sign-ins", body = crate::error::Problem, content_type = "application/problem+json",
               headers(("Retry-After" = i64, description = "Seconds to wait")))))]
pub async fn token(
    State(app): State<App>,
    RequestId(rid): RequestId,
    ApiJson(b): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    let t = app.issue_token(&b.username, &b.password, rid).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            token: t.token,
            expires_at: t.expires_at,
        }),
    ))
}

/// Adds a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserRequest,
    responses((status = 201, description = "Created", body = UserResponse, content_type = "application/json")))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<UserRequest>,
) -> ApiResult<(StatusCode, Json<UserResponse>)> {
    let input = UserInput {
        username: b.username,
        display_name: b.display_name,
        password: b.password,
        roles: b.roles,
        teams: b.teams,
        areas: b.areas,
        agency: b.agency,
    };
    Ok((
        StatusCode::CREATED,
        Json(app.add_user(&ctx, &input).await?.into()),
    ))
}

/// Lists users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(PageParams),
    responses((status = 200, description = "Users by username", body = Vec<UserResponse>, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<Vec<UserResponse>>> {
    let page = Page::new(p.page, p.per_page).map_err(bluelamp_app::AppError::from)?;
    Ok(Json(
        app.list_users(&ctx, page)
            .await?
            .into_iter()
            .map(UserResponse::from)
            .collect(),
    ))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/users/me", tag = "users",
    responses((status = 200, description = "You", body = UserResponse, content_type = "application/json")))]
pub async fn me(State(app): State<App>, Caller(ctx): Caller) -> ApiResult<Json<UserResponse>> {
    let id = ctx.actor.user_id;
    Ok(Json(app.get_user(&ctx, id).await?.into()))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user", body = UserResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<UserResponse>> {
    Ok(Json(app.get_user(&ctx, path_id(&id)?).await?.into()))
}

/// A PIP accreditation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccreditationRequest {
    /// 1, 2 or 3 (Professionalising Investigation Programme); null withdraws it.
    pub pip_level: Option<u8>,
}

/// Records a user's PIP accreditation, which allocation checks.
#[utoipa::path(put, path = "/api/v1/users/{id}/accreditation", tag = "users",
    request_body = AccreditationRequest,
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user", body = UserResponse, content_type = "application/json")))]
pub async fn accreditation(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AccreditationRequest>,
) -> ApiResult<Json<UserResponse>> {
    Ok(Json(
        app.set_accreditation(&ctx, path_id(&id)?, b.pip_level)
            .await?
            .into(),
    ))
}

//! Users, for admins: the list, and the form to add a local account with its roles,
//! teams and (for partners) agency.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::user::UserInput;
use bluelamp_app::{AppError, Page};
use bluelamp_domain::access::Role;
use serde::Deserialize;

use super::{Chrome, Form, Signed, html, html_status, see_other};
use crate::WebState;

/// A user as the list shows them.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub roles: String,
    pub teams: String,
    pub agency: String,
    pub can_sign_in: bool,
    pub audit_href: String,
}

#[derive(Template)]
#[template(path = "users/list.html")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub users: Vec<UserRow>,
    pub next: Option<String>,
    pub prev: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    done: Option<String>,
}

/// Users a page lists.
const PER_PAGE: u32 = 50;

/// `GET /users`
pub async fn list(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Response {
    let number = q.page.unwrap_or(1).max(1);
    let page = Page {
        number,
        size: PER_PAGE,
    };
    match s.app.list_users(&signed.ctx, page).await {
        Ok(users) => {
            let mut chrome = Chrome::signed(&signed, "Users", "users");
            if q.done.as_deref() == Some("added") {
                chrome.flash = Some("The user was added".into());
            }
            let full = users.len() == PER_PAGE as usize;
            html(&UsersPage {
                chrome,
                next: full.then(|| format!("/users?page={}", number + 1)),
                prev: (number > 1).then(|| format!("/users?page={}", number - 1)),
                users: users
                    .into_iter()
                    .map(|u| UserRow {
                        audit_href: format!("/audit?user={}", u.id),
                        username: u.username,
                        display_name: u.display_name,
                        roles: u
                            .roles
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        teams: u
                            .teams
                            .iter()
                            .map(|(_, n)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        agency: u.agency.unwrap_or_default(),
                        can_sign_in: u.password_hash.is_some(),
                    })
                    .collect(),
            })
        }
        Err(e) => signed.error(e, "/users").into_response(),
    }
}

#[derive(Template)]
#[template(path = "users/new.html")]
pub struct NewUserPage {
    pub chrome: Chrome,
    pub form: Form,
    pub roles: Vec<(String, String, bool)>,
}

fn new_user_page(signed: &Signed, form: Form) -> NewUserPage {
    NewUserPage {
        chrome: Chrome::signed(signed, "Add a user", "users").with_errors(&form),
        roles: Role::ALL
            .iter()
            .map(|r| {
                let id = format!("role-{}", r.as_str());
                let checked = form.value(&id) == "yes";
                (id, r.as_str().replace('_', " "), checked)
            })
            .collect(),
        form,
    }
}

/// `GET /users/new`
pub async fn new_form(signed: Signed) -> Response {
    if let Err(e) = signed
        .ctx
        .actor
        .authorise(bluelamp_domain::access::Action::ManageUsers)
    {
        return signed.error(e.into(), "/users/new").into_response();
    }
    html(&new_user_page(&signed, Form::default()))
}

/// `POST /users/new`
pub async fn create(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let mut form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let roles: Vec<String> = Role::ALL
        .iter()
        .filter(|r| form.value(&format!("role-{}", r.as_str())) == "yes")
        .map(|r| r.as_str().to_string())
        .collect();
    let input = UserInput {
        username: form.value("username").into(),
        display_name: form.optional("display_name"),
        password: form.optional("password"),
        roles,
        teams: form
            .value("teams")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        areas: vec![],
        agency: form.optional("agency"),
    };
    match s.app.add_user(&signed.ctx, &input).await {
        Ok(_) => see_other("/users?done=added"),
        Err(AppError::Invalid(e)) => {
            form.values.remove("password");
            let mut form = form.with_invalid(&e, |id| {
                match id.split('-').next().unwrap_or("") {
                    "username" => "Username",
                    "display_name" => "Name",
                    "password" => "Password",
                    "roles" => "Roles",
                    "teams" => "Teams",
                    "agency" => "Agency",
                    _ => "This",
                }
                .into()
            });
            // Errors about one role or team belong to the whole field.
            for err in &mut form.errors {
                if let Some(field) = ["roles", "teams"].iter().find(|f| err.id.starts_with(*f)) {
                    err.id = (*field).into();
                }
            }
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &new_user_page(&signed, form),
            )
        }
        Err(e) => signed.error(e, "/users/new").into_response(),
    }
}

//! Managing users: admins add them through the API, operators through the CLI.

use bluelamp_domain::access::{Action, Role};
use bluelamp_domain::audit::Operation;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{AreaId, UserId};
use bluelamp_store::user::{self, NewUser, User};
use bluelamp_store::{StoreError, optional};
use uuid::Uuid;

use crate::{App, AppError, Ctx, Page, Result, authorise};

/// A user as typed by an admin or operator.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub display_name: Option<String>,
    pub password: Option<String>,
    pub roles: Vec<String>,
    pub teams: Vec<String>,
    pub areas: Vec<String>,
    pub agency: Option<String>,
}

/// The shortest password accepted (NCSC guidance favours length over complexity rules).
pub const MIN_PASSWORD_LEN: usize = 12;

fn parse_username(f: &mut Fields, raw: &str) -> Option<String> {
    let u = f.text("/username", raw, 64)?;
    if u.chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        Some(u.to_ascii_lowercase())
    } else {
        f.error(
            "/username",
            "must use only letters, digits, dots, hyphens and underscores",
        );
        None
    }
}

impl App {
    /// Adds a user with roles, teams (created if new) and areas. Partners must name their
    /// agency; a password, when given, is at least [`MIN_PASSWORD_LEN`] characters.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_users`; [`AppError::Invalid`] naming each bad
    /// field; [`AppError::Conflict`] when the username is taken.
    pub async fn add_user(&self, ctx: &Ctx, input: &UserInput) -> Result<User> {
        authorise(ctx, Action::ManageUsers)?;
        let mut f = Fields::new();
        let username = parse_username(&mut f, &input.username);
        let display_name = f.optional_text("/display_name", input.display_name.as_deref(), 100);
        let mut roles = Vec::new();
        if input.roles.is_empty() {
            f.error("/roles", "must list at least one role");
        }
        for (i, r) in input.roles.iter().enumerate() {
            if let Some(role) = f.check(&format!("/roles/{i}"), r.parse::<Role>())
                && !roles.contains(&role)
            {
                roles.push(role);
            }
        }
        let agency = f.optional_text("/agency", input.agency.as_deref(), 100);
        if roles.contains(&Role::Partner) && agency.is_none() {
            f.error("/agency", "must name the partner's agency");
        }
        if let Some(p) = &input.password
            && p.chars().count() < MIN_PASSWORD_LEN
        {
            f.error(
                "/password",
                format!("must be at least {MIN_PASSWORD_LEN} characters"),
            );
        }
        let mut team_names = Vec::new();
        for (i, t) in input.teams.iter().enumerate() {
            if let Some(t) = f.text(&format!("/teams/{i}"), t, 100) {
                team_names.push(t);
            }
        }
        let mut areas = Vec::new();
        for (i, a) in input.areas.iter().enumerate() {
            if let Some(a) = f.check(
                &format!("/areas/{i}"),
                a.parse::<Uuid>().map_err(|_| "must be an area id"),
            ) {
                areas.push(AreaId::from_uuid(a));
            }
        }
        let (username, display_name) = f.finish(|| Some((username?, display_name)))?;
        let password_hash = match &input.password {
            Some(p) => Some(crate::auth::hash_password_off_thread(p.clone()).await?),
            None => None,
        };

        let mut tx = self.begin().await?;
        if optional(user::by_username(&mut tx, self.force.id, &username).await)?.is_some() {
            return Err(Invalid::one("/username", "is already taken").into());
        }
        let mut teams = Vec::new();
        for t in &team_names {
            teams.push(user::team_named(&mut tx, self.force.id, t).await?);
        }
        let id = UserId::from_uuid(Uuid::now_v7());
        let display = display_name.unwrap_or_else(|| username.clone());
        let new = NewUser {
            id,
            username: &username,
            display_name: &display,
            password_hash: password_hash.as_deref(),
            agency: agency.as_deref(),
            roles: &roles,
            teams: &teams,
            areas: &areas,
        };
        match user::insert(&mut tx, self.force.id, &new, self.now()).await {
            Err(StoreError::Conflict(_)) => {
                return Err(Invalid::one("/areas", "must be existing areas").into());
            }
            other => other?,
        }
        let created = user::by_id(&mut tx, self.force.id, id).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Administration,
            "user.create",
            None,
            serde_json::json!({
                "user_id": id.to_string(), "username": username,
                "roles": roles.iter().map(Role::as_str).collect::<Vec<_>>(),
                "teams": team_names, "agency": agency,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Lists users, a page at a time.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_users`.
    pub async fn list_users(&self, ctx: &Ctx, page: Page) -> Result<Vec<User>> {
        authorise(ctx, Action::ManageUsers)?;
        let mut tx = self.begin().await?;
        let users = user::list(
            &mut tx,
            self.force.id,
            i64::from(page.size),
            page.offset() as i64,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "user.list",
            None,
            serde_json::json!({"page": page.number}),
        )
        .await?;
        tx.commit().await?;
        Ok(users)
    }

    /// One user.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_users` (anyone may read their own);
    /// [`AppError::NotFound`].
    pub async fn get_user(&self, ctx: &Ctx, id: UserId) -> Result<User> {
        if ctx.actor.user_id != id {
            authorise(ctx, Action::ManageUsers)?;
        }
        let mut tx = self.begin().await?;
        let u = user::by_id(&mut tx, self.force.id, id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound,
                e => e.into(),
            })?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "user.view",
            None,
            serde_json::json!({"user_id": id.to_string()}),
        )
        .await?;
        tx.commit().await?;
        Ok(u)
    }
}

impl App {
    /// Records a user's PIP accreditation (1, 2 or 3; `None` withdraws it), which allocation
    /// checks against what an investigation needs.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_users`; [`AppError::Invalid`] for a level other
    /// than 1 to 3; [`AppError::NotFound`] for no such user.
    pub async fn set_accreditation(
        &self,
        ctx: &Ctx,
        id: UserId,
        level: Option<u8>,
    ) -> Result<User> {
        authorise(ctx, Action::ManageUsers)?;
        let level = match level {
            None => None,
            Some(n) => Some(
                bluelamp_domain::investigation::PipLevel::new(n)
                    .ok_or_else(|| Invalid::one("/pip_level", "must be 1, 2 or 3"))?,
            ),
        };
        let mut tx = self.begin().await?;
        let found = user::by_id(&mut tx, self.force.id, id).await?;
        user::set_pip_level(&mut tx, self.force.id, id, level).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "user.accreditation",
            None,
            serde_json::json!({"user_id": id.to_string(), "pip_level": level.map(|l| l.number())}),
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }
}

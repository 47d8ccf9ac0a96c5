//! Need-to-know and retention on any record: restrict to named users and teams, share
//! with a partner agency, archive, erase.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{RecordId, TeamId, UserId};
use bluelamp_domain::record::RecordKind;
use bluelamp_store::record::{self, RecordHead};
use bluelamp_store::{StoreError, optional, user};

use crate::{App, AppError, Ctx, Result, authorise};

/// A restriction as typed: usernames and team names. Both empty lifts the restriction.
#[derive(Debug, Clone, Default)]
pub struct RestrictionInput {
    pub users: Vec<String>,
    pub teams: Vec<String>,
}

fn reason(ctx: &Ctx, field: &str) -> Result<String> {
    match ctx.reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => Ok(r.to_string()),
        _ => Err(Invalid::one(field, "must state the reason for this action").into()),
    }
}

impl App {
    /// Restricts a record to named users and teams (or lifts the restriction). The actor
    /// is always kept among those allowed, so they cannot lock themselves out by mistake.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `restrict_record`; [`AppError::Invalid`] naming an
    /// unknown user or team; [`AppError::NotFound`].
    pub async fn restrict_record(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &RestrictionInput,
    ) -> Result<RecordHead> {
        authorise(ctx, Action::RestrictRecord)?;
        let mut tx = self.begin().await?;
        self.open(&mut tx, ctx, id, None).await?;
        let mut f = Fields::new();
        let mut users: Vec<UserId> = Vec::new();
        for (i, u) in input.users.iter().enumerate() {
            match optional(user::by_username(&mut tx, self.force.id, u.trim()).await)? {
                Some(u) => users.push(u.id),
                None => f.error(format!("/users/{i}"), "must be an existing username"),
            }
        }
        let mut teams: Vec<TeamId> = Vec::new();
        for (i, t) in input.teams.iter().enumerate() {
            match optional(user::find_team(&mut tx, self.force.id, t.trim()).await)? {
                Some(t) => teams.push(t),
                None => f.error(format!("/teams/{i}"), "must be an existing team"),
            }
        }
        f.finish(|| Some(()))?;
        let lifting = users.is_empty() && teams.is_empty();
        if !lifting
            && !users.contains(&ctx.actor.user_id)
            && !teams.iter().any(|t| ctx.actor.teams.contains(t))
        {
            users.push(ctx.actor.user_id);
        }
        users.sort();
        users.dedup();
        teams.sort();
        teams.dedup();
        record::set_restriction(&mut tx, self.force.id, id, &users, &teams).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            if lifting {
                "record.unrestrict"
            } else {
                "record.restrict"
            },
            Some(id),
            serde_json::json!({"users": users.iter().map(ToString::to_string).collect::<Vec<_>>(),
                               "teams": teams.iter().map(ToString::to_string).collect::<Vec<_>>()}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(head)
    }

    /// Shares a record with a partner agency, a disclosure under DPA 2018 s.62.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `share_record`; [`AppError::Invalid`] for a blank
    /// agency or a restricted record; [`AppError::Conflict`] when already shared.
    pub async fn share_record(&self, ctx: &Ctx, id: RecordId, agency: &str) -> Result<RecordHead> {
        authorise(ctx, Action::ShareRecord)?;
        let mut f = Fields::new();
        let agency = f.text("/agency", agency, 100);
        let agency = f.finish(|| agency)?;
        let mut tx = self.begin().await?;
        let head = self.open(&mut tx, ctx, id, None).await?;
        if head.access.restricted {
            return Err(Invalid::one(
                "/agency",
                "a restricted record cannot be shared with a partner: lift the restriction first",
            )
            .into());
        }
        match record::share(
            &mut tx,
            self.force.id,
            id,
            &agency,
            ctx.actor.user_id,
            self.now(),
        )
        .await
        {
            Err(StoreError::Conflict(_)) => {
                return Err(AppError::Conflict(format!("already shared with {agency}")));
            }
            other => other?,
        }
        self.audit(
            &mut tx,
            ctx,
            Operation::Disclosure,
            "record.share",
            Some(id),
            serde_json::json!({"agency": agency}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(head)
    }

    /// Archives a record after a MoPI review: kept, but out of searches and lists. The
    /// reason (the review's decision) is required.
    ///
    /// # Errors
    /// [`AppError::Denied`]; [`AppError::Invalid`] without a reason;
    /// [`AppError::Conflict`] when already archived.
    pub async fn archive_record(&self, ctx: &Ctx, id: RecordId) -> Result<RecordHead> {
        authorise(ctx, Action::ArchiveRecord)?;
        let why = reason(ctx, "/reason")?;
        let mut tx = self.begin().await?;
        let head = self.open(&mut tx, ctx, id, None).await?;
        if head.archived_at.is_some() {
            return Err(AppError::Conflict("this record is already archived".into()));
        }
        record::archive(&mut tx, self.force.id, id, self.now()).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Archiving,
            "record.archive",
            Some(id),
            serde_json::json!({"reason": why}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(head)
    }

    /// Erases a record's personal data under the retention rules (MoPI disposal). Only an
    /// archived record can be erased, so that disposal always follows a recorded review.
    /// The record's audit entries keep their hashes but lose their details.
    ///
    /// # Errors
    /// [`AppError::Denied`]; [`AppError::Invalid`] without a reason;
    /// [`AppError::Conflict`] when not archived or already erased.
    pub async fn erase_record(&self, ctx: &Ctx, id: RecordId) -> Result<RecordHead> {
        authorise(ctx, Action::EraseRecord)?;
        let why = reason(ctx, "/reason")?;
        let mut tx = self.begin().await?;
        let head = self.open(&mut tx, ctx, id, None).await?;
        if head.erased_at.is_some() {
            return Err(AppError::Conflict(
                "this record has already been erased".into(),
            ));
        }
        if head.archived_at.is_none() {
            return Err(AppError::Conflict(
                "archive the record after its review before erasing it".into(),
            ));
        }
        let now = self.now();
        if head.kind == RecordKind::Person {
            bluelamp_store::person::erase(&mut tx, self.force.id, id).await?;
        }
        record::mark_erased(&mut tx, self.force.id, id, now).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Erasure,
            "record.erase",
            Some(id),
            serde_json::json!({"reason": why}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(head)
    }
}

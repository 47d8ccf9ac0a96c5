//! Linking two records with a role: the "combination" of DPA 2018 s.62.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{LinkId, RecordId};
use bluelamp_domain::record::LinkRole;
use bluelamp_store::StoreError;
use uuid::Uuid;

use crate::{App, AppError, Ctx, Result, authorise};

/// A link as typed.
#[derive(Debug, Clone, Default)]
pub struct LinkInput {
    pub from: String,
    pub role: String,
    pub to: String,
}

/// A link as created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLink {
    pub id: LinkId,
    pub from: RecordId,
    pub role: LinkRole,
    pub to: RecordId,
}

impl App {
    /// Links two records the actor can see, in a role that makes sense between their kinds.
    ///
    /// # Errors
    /// [`AppError::Denied`]; [`AppError::Invalid`] for bad ids, an unknown role, a role
    /// that does not fit the kinds, or a record that does not exist for the actor;
    /// [`AppError::Conflict`] when the same link exists.
    pub async fn create_link(&self, ctx: &Ctx, input: &LinkInput) -> Result<NewLink> {
        authorise(ctx, Action::LinkRecords)?;
        let mut f = Fields::new();
        let from = f.check(
            "/from",
            input
                .from
                .parse::<RecordId>()
                .map_err(|_| "must be a record id"),
        );
        let role = f.check("/role", input.role.parse::<LinkRole>());
        let to = f.check(
            "/to",
            input
                .to
                .parse::<RecordId>()
                .map_err(|_| "must be a record id"),
        );
        let (from, role, to) = f.finish(|| Some((from?, role?, to?)))?;
        if from == to {
            return Err(Invalid::one("/to", "must be a different record").into());
        }
        let mut tx = self.begin().await?;
        let not_found = |field: &str, e: AppError| match e {
            AppError::NotFound => {
                AppError::Invalid(Invalid::one(field, "must be a record you can see"))
            }
            e => e,
        };
        let from_head = self
            .open(&mut tx, ctx, from, None)
            .await
            .map_err(|e| not_found("/from", e))?;
        let to_head = self
            .open(&mut tx, ctx, to, None)
            .await
            .map_err(|e| not_found("/to", e))?;
        role.check(from_head.kind, to_head.kind)
            .map_err(|e| Invalid::one("/role", e.to_string()))?;
        let id = LinkId::from_uuid(Uuid::now_v7());
        let now = self.now();
        let link = bluelamp_store::link::NewLink { id, from, role, to };
        match bluelamp_store::link::insert(&mut tx, self.force.id, &link, ctx.actor.user_id, now)
            .await
        {
            Err(StoreError::Conflict(_)) => {
                return Err(AppError::Conflict(
                    "these records are already linked in this role".into(),
                ));
            }
            other => other?,
        }
        let details = serde_json::json!({"link_id": id.to_string(), "from": from.to_string(), "role": role.as_str(), "to": to.to_string()});
        self.audit(
            &mut tx,
            ctx,
            Operation::Combination,
            "link.create",
            Some(from),
            details.clone(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Combination,
            "link.create",
            Some(to),
            details,
        )
        .await?;
        tx.commit().await?;
        Ok(NewLink { id, from, role, to })
    }
}

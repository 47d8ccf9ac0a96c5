//! Objects: create and open.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::object::{Object, ObjectInput};
use bluelamp_domain::record::RecordKind;
use bluelamp_store::link::Link;
use bluelamp_store::record::RecordHead;
use bluelamp_store::{object as store, record};
use uuid::Uuid;

use crate::{App, Ctx, Result, authorise};

/// An object as shown.
#[derive(Debug, Clone)]
pub struct ObjectView {
    pub head: RecordHead,
    pub object: Object,
    pub links: Vec<Link>,
}

impl App {
    /// Records an object.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`], [`crate::AppError::Invalid`].
    pub async fn create_object(&self, ctx: &Ctx, input: &ObjectInput) -> Result<ObjectView> {
        authorise(ctx, Action::CreateRecord)?;
        let object = Object::parse(input)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let id = RecordId::from_uuid(Uuid::now_v7());
        record::insert(
            &mut tx,
            self.force.id,
            id,
            RecordKind::Object,
            Some(ctx.actor.user_id),
            now,
        )
        .await?;
        store::insert(&mut tx, self.force.id, id, &object).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "object.create",
            Some(id),
            serde_json::json!({"after": {"kind": object.kind.as_str(), "identifier": object.identifier, "description": object.description}}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(ObjectView {
            head,
            object,
            links: vec![],
        })
    }

    /// Opens an object with its links.
    ///
    /// # Errors
    /// [`crate::AppError::NotFound`], [`crate::AppError::ReasonRequired`],
    /// [`crate::AppError::Denied`].
    pub async fn get_object(&self, ctx: &Ctx, id: RecordId) -> Result<ObjectView> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let head = self
            .open(&mut tx, ctx, id, Some(RecordKind::Object))
            .await?;
        let object = store::load(&mut tx, self.force.id, id).await?;
        let links =
            bluelamp_store::link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience())
                .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "object.view",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(ObjectView {
            head,
            object,
            links,
        })
    }
}

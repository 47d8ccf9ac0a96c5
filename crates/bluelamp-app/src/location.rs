//! Locations: create and open.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::ids::{AreaId, RecordId};
use bluelamp_domain::location::{Location, LocationInput};
use bluelamp_domain::record::RecordKind;
use bluelamp_store::link::Link;
use bluelamp_store::record::RecordHead;
use bluelamp_store::{area, location as store, record};
use uuid::Uuid;

use crate::{App, Ctx, Result, authorise};

/// A location as shown, with the neighbourhood its LSOA belongs to.
#[derive(Debug, Clone)]
pub struct LocationView {
    pub head: RecordHead,
    pub location: Location,
    pub neighbourhood: Option<AreaId>,
    pub links: Vec<Link>,
}

fn location_json(l: &Location) -> serde_json::Value {
    serde_json::json!({
        "address_lines": l.address_lines, "postcode": l.postcode.as_ref().map(|p| p.to_string()),
        "uprn": l.uprn, "latitude": l.point.map(|p| p.0), "longitude": l.point.map(|p| p.1), "lsoa_code": l.lsoa_code,
    })
}

impl App {
    /// Stores a parsed location as a new record, audited, in the caller's transaction.
    pub(crate) async fn insert_location(
        &self,
        tx: &mut bluelamp_store::Tx,
        ctx: &Ctx,
        location: &Location,
    ) -> Result<RecordId> {
        let id = RecordId::from_uuid(Uuid::now_v7());
        record::insert(
            tx,
            self.force.id,
            id,
            RecordKind::Location,
            Some(ctx.actor.user_id),
            self.now(),
        )
        .await?;
        store::insert(tx, self.force.id, id, location).await?;
        self.audit(
            tx,
            ctx,
            Operation::Collection,
            "location.create",
            Some(id),
            serde_json::json!({"after": location_json(location)}),
        )
        .await?;
        Ok(id)
    }

    /// Records a location.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`], [`crate::AppError::Invalid`].
    pub async fn create_location(&self, ctx: &Ctx, input: &LocationInput) -> Result<LocationView> {
        authorise(ctx, Action::CreateRecord)?;
        let location = Location::parse(input)?;
        let mut tx = self.begin().await?;
        let id = self.insert_location(&mut tx, ctx, &location).await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        let neighbourhood = match &location.lsoa_code {
            Some(l) => area::neighbourhood_of(&mut tx, self.force.id, l).await?,
            None => None,
        };
        tx.commit().await?;
        Ok(LocationView {
            head,
            location,
            neighbourhood,
            links: vec![],
        })
    }

    /// Opens a location with its links.
    ///
    /// # Errors
    /// [`crate::AppError::NotFound`], [`crate::AppError::ReasonRequired`],
    /// [`crate::AppError::Denied`].
    pub async fn get_location(&self, ctx: &Ctx, id: RecordId) -> Result<LocationView> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let head = self
            .open(&mut tx, ctx, id, Some(RecordKind::Location))
            .await?;
        let location = store::load(&mut tx, self.force.id, id).await?;
        let neighbourhood = match &location.lsoa_code {
            Some(l) => area::neighbourhood_of(&mut tx, self.force.id, l).await?,
            None => None,
        };
        let links =
            bluelamp_store::link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience())
                .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "location.view",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(LocationView {
            head,
            location,
            neighbourhood,
            links,
        })
    }
}

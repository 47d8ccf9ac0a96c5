//! The force's geography: admins define local policing areas and neighbourhoods built
//! from LSOAs.

use bluelamp_domain::access::Action;
use bluelamp_domain::area::AreaKind;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::AreaId;
use bluelamp_domain::location::is_lsoa_code;
use bluelamp_domain::thrive::Setting;
use bluelamp_store::area::{self, Area};
use bluelamp_store::{StoreError, optional};
use uuid::Uuid;

use crate::{App, AppError, Ctx, Result, authorise};

/// An area as typed.
#[derive(Debug, Clone, Default)]
pub struct AreaInput {
    pub kind: String,
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub lsoa_codes: Vec<String>,
    /// `urban` (the default) or `rural`.
    pub setting: Option<String>,
}

impl App {
    /// Defines an area. A neighbourhood sits inside a local policing area and lists its
    /// LSOAs; each LSOA belongs to one neighbourhood.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_areas`; [`AppError::Invalid`] naming each bad
    /// field, including a code already used or an LSOA already in another neighbourhood.
    pub async fn create_area(&self, ctx: &Ctx, input: &AreaInput) -> Result<Area> {
        authorise(ctx, Action::ManageAreas)?;
        let mut f = Fields::new();
        let kind = f.check("/kind", input.kind.parse::<AreaKind>());
        let code = f.text("/code", &input.code, 32);
        let name = f.text("/name", &input.name, 200);
        let parent = match input.parent.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => f
                .check(
                    "/parent",
                    p.parse::<Uuid>().map_err(|_| "must be an area id"),
                )
                .map(AreaId::from_uuid),
        };
        let setting = match input.setting.as_deref().map(str::trim) {
            None | Some("") => Some(Setting::Urban),
            Some(raw) => f.check("/setting", raw.parse::<Setting>()),
        };
        let mut lsoa_codes = Vec::new();
        for (i, l) in input.lsoa_codes.iter().enumerate() {
            if is_lsoa_code(l.trim()) {
                lsoa_codes.push(l.trim().to_ascii_uppercase());
            } else {
                f.error(
                    format!("/lsoa_codes/{i}"),
                    "must be an LSOA code such as E01025733",
                );
            }
        }
        if kind == Some(AreaKind::LocalPolicingArea) && !lsoa_codes.is_empty() {
            f.error(
                "/lsoa_codes",
                "belong to neighbourhoods, not to local policing areas",
            );
        }
        match (kind.and_then(|k| k.parent()), parent) {
            (Some(_), None) => f.error(
                "/parent",
                "must name the local policing area this neighbourhood is in",
            ),
            (None, Some(_)) => f.error("/parent", "must be empty for a local policing area"),
            _ => {}
        }
        let (kind, code, name, setting) = f.finish(|| Some((kind?, code?, name?, setting?)))?;
        let mut tx = self.begin().await?;
        if let Some(p) = parent {
            let found = optional(area::load(&mut tx, self.force.id, p).await)?;
            if found.map(|a| a.kind) != kind.parent() {
                return Err(
                    Invalid::one("/parent", "must be an existing local policing area").into(),
                );
            }
        }
        for (i, l) in lsoa_codes.iter().enumerate() {
            if area::neighbourhood_of(&mut tx, self.force.id, l)
                .await?
                .is_some()
            {
                return Err(Invalid::one(
                    format!("/lsoa_codes/{i}"),
                    "is already in another neighbourhood",
                )
                .into());
            }
        }
        let a = Area {
            id: AreaId::from_uuid(Uuid::now_v7()),
            kind,
            code,
            name,
            parent,
            lsoa_codes,
            setting,
        };
        match area::insert(&mut tx, self.force.id, &a).await {
            Err(StoreError::Conflict(_)) => {
                return Err(Invalid::one("/code", "is already used by another area").into());
            }
            other => other?,
        }
        self.audit(
            &mut tx,
            ctx,
            Operation::Administration,
            "area.create",
            None,
            serde_json::json!({"area_id": a.id.to_string(), "kind": a.kind.as_str(), "code": a.code, "name": a.name, "lsoa_codes": a.lsoa_codes, "setting": a.setting.as_str()}),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Every area of the force. Geography is not personal data, so any signed-in user may
    /// read it without an audit entry.
    ///
    /// # Errors
    /// The database failed.
    pub async fn list_areas(&self, _ctx: &Ctx) -> Result<Vec<Area>> {
        let mut tx = self.begin().await?;
        let areas = area::all(&mut tx, self.force.id).await?;
        tx.commit().await?;
        Ok(areas)
    }

    /// One area.
    ///
    /// # Errors
    /// [`AppError::NotFound`].
    pub async fn get_area(&self, _ctx: &Ctx, id: AreaId) -> Result<Area> {
        let mut tx = self.begin().await?;
        let a =
            optional(area::load(&mut tx, self.force.id, id).await)?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(a)
    }

    /// Sets whether an area counts as urban or rural for attendance targets (issue 4 §2).
    /// Incidents assessed afterwards take the new setting; earlier assessments keep theirs.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `manage_areas`; [`AppError::Invalid`] for an unknown
    /// setting; [`AppError::NotFound`] for an unknown area.
    pub async fn set_area_setting(&self, ctx: &Ctx, id: AreaId, setting: &str) -> Result<Area> {
        authorise(ctx, Action::ManageAreas)?;
        let setting = setting
            .parse::<Setting>()
            .map_err(|e| Invalid::one("/setting", e))?;
        let mut tx = self.begin().await?;
        bluelamp_store::first_contact::set_area_setting(&mut tx, self.force.id, id, setting)
            .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Administration,
            "area.setting",
            None,
            serde_json::json!({"area_id": id.to_string(), "setting": setting.as_str()}),
        )
        .await?;
        let a = area::load(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok(a)
    }
}

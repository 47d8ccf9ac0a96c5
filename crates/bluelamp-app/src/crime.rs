//! Crimes: record, open and list notifiable offences.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::crime::{Crime, CrimeInput};
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::offence::{HoOffenceCode, OffenceGroup};
use bluelamp_domain::record::RecordKind;
use bluelamp_store::crime::{self as store, CrimeFilter};
use bluelamp_store::link::Link;
use bluelamp_store::record::RecordHead;
use bluelamp_store::{StoreError, link, record};
use uuid::Uuid;

use crate::incident::{EventPage, time_bound};
use crate::investigation::CaseFile;
use crate::{App, Ctx, Page, Result, authorise};

/// A crime as shown: its record head, details, links (victims, suspects, where) and its
/// investigation with its victims.
#[derive(Debug, Clone)]
pub struct CrimeView {
    pub head: RecordHead,
    pub crime: Crime,
    pub links: Vec<Link>,
    pub case: CaseFile,
}

/// A list of crimes as asked for.
#[derive(Debug, Clone, Default)]
pub struct CrimeQuery {
    /// An offence group's code, such as `violence_against_the_person`.
    pub offence_group: Option<String>,
    /// One Home Office offence code.
    pub offence_code: Option<String>,
    /// Recorded at or after: RFC 3339, or a date meaning its start (00:00 UTC).
    pub from: Option<String>,
    /// Recorded before: as `from`.
    pub to: Option<String>,
    pub domestic_abuse: Option<bool>,
}

/// The JSON an audit entry keeps of a crime.
fn crime_json(c: &Crime) -> serde_json::Value {
    serde_json::json!({
        "reference": c.reference, "offence_code": c.offence_code.as_str(),
        "committed_from": c.committed_from, "committed_to": c.committed_to, "recorded_at": c.recorded_at,
        "domestic_abuse": c.domestic_abuse, "location_id": c.location_id.map(|l| l.to_string()),
        "incident_id": c.incident_id.map(|i| i.to_string()),
    })
}

impl App {
    /// Stores a parsed crime as a new record, audited, with its `occurred_at` link, in the
    /// caller's transaction. `at` is the JSON Pointer of the crime in the request, for the
    /// error on a reference already used.
    pub(crate) async fn insert_crime(
        &self,
        tx: &mut bluelamp_store::Tx,
        ctx: &Ctx,
        crime: &Crime,
        at: &str,
    ) -> Result<RecordId> {
        let id = RecordId::from_uuid(Uuid::now_v7());
        record::insert(
            tx,
            self.force.id,
            id,
            RecordKind::Crime,
            Some(ctx.actor.user_id),
            self.now(),
        )
        .await?;
        match store::insert(tx, self.force.id, id, crime).await {
            Err(StoreError::Conflict(_)) => {
                return Err(Invalid::one(
                    format!("{at}/reference"),
                    "is already used by another crime",
                )
                .into());
            }
            other => other?,
        }
        self.audit(
            tx,
            ctx,
            Operation::Collection,
            "crime.create",
            Some(id),
            serde_json::json!({"after": crime_json(crime)}),
        )
        .await?;
        if let Some(l) = crime.location_id {
            self.link_occurred_at(tx, ctx, id, l).await?;
        }
        self.start_investigation(tx, id, crime).await?;
        Ok(id)
    }

    /// Records a crime; with a location, links it there (`occurred_at`).
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `create_record`; [`crate::AppError::Invalid`]
    /// naming each bad field, including a reference already used and a location or incident
    /// the actor cannot see (nothing is written); [`crate::AppError::ReasonRequired`] for a
    /// restricted location or incident opened without a reason.
    pub async fn create_crime(&self, ctx: &Ctx, input: &CrimeInput) -> Result<CrimeView> {
        authorise(ctx, Action::CreateRecord)?;
        let now = self.now();
        let crime = Crime::parse(input, now)?;
        let mut tx = self.begin().await?;
        if let Some(l) = crime.location_id {
            self.referenced(&mut tx, ctx, l, RecordKind::Location, "/location_id")
                .await?;
        }
        if let Some(i) = crime.incident_id {
            self.referenced(&mut tx, ctx, i, RecordKind::Incident, "/incident_id")
                .await?;
        }
        let id = self.insert_crime(&mut tx, ctx, &crime, "").await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        let links = link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience()).await?;
        let case = self.case_file(&mut tx, id).await?;
        tx.commit().await?;
        Ok(CrimeView {
            head,
            crime,
            links,
            case,
        })
    }

    /// Opens a crime with its links.
    ///
    /// # Errors
    /// [`crate::AppError::NotFound`], [`crate::AppError::ReasonRequired`],
    /// [`crate::AppError::Denied`].
    pub async fn get_crime(&self, ctx: &Ctx, id: RecordId) -> Result<CrimeView> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let head = self.open(&mut tx, ctx, id, Some(RecordKind::Crime)).await?;
        let crime = store::load(&mut tx, self.force.id, id).await?;
        let links = link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience()).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "crime.view",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        let case = self.case_file(&mut tx, id).await?;
        tx.commit().await?;
        Ok(CrimeView {
            head,
            crime,
            links,
            case,
        })
    }

    /// Lists the crimes the actor may see, newest first, a page at a time, by offence group
    /// or code, period and domestic abuse flag. The list and what it showed are audited.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `view_record`; [`crate::AppError::Invalid`] for
    /// an unknown group or code or a bad bound.
    pub async fn list_crimes(
        &self,
        ctx: &Ctx,
        query: &CrimeQuery,
        page: Page,
    ) -> Result<EventPage<Crime>> {
        authorise(ctx, Action::ViewRecord)?;
        let mut f = Fields::new();
        let group = match query.offence_group.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(g) => f.check("/offence_group", g.parse::<OffenceGroup>()),
        };
        let code = match query.offence_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => f.check("/offence_code", c.parse::<HoOffenceCode>()),
        };
        let from = time_bound(&mut f, "/from", query.from.as_deref());
        let to = time_bound(&mut f, "/to", query.to.as_deref());
        f.finish(|| Some(()))?;
        let offence_codes = match (group, code) {
            (None, None) => None,
            (Some(g), None) => Some(g.codes().collect()),
            (None, Some(c)) => Some(vec![c]),
            // Both: the code, if it is in the group; otherwise nothing matches.
            (Some(g), Some(c)) => Some(if c.group() == g { vec![c] } else { vec![] }),
        };
        let filter = CrimeFilter {
            offence_codes,
            from,
            to,
            domestic_abuse: query.domestic_abuse,
        };
        let mut tx = self.begin().await?;
        let mut items = store::list(
            &mut tx,
            self.force.id,
            &filter,
            &ctx.actor.audience(),
            i64::from(page.size) + 1,
            page.offset() as i64,
        )
        .await?;
        let has_more = items.len() > page.size as usize;
        items.truncate(page.size as usize);
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "crime.list",
            None,
            serde_json::json!({
                "offence_group": group.map(|g| g.as_str()), "offence_code": code.map(|c| c.as_str()),
                "from": from, "to": to, "domestic_abuse": query.domestic_abuse, "page": page.number,
                "results": items.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(EventPage {
            items,
            page,
            has_more,
        })
    }
}

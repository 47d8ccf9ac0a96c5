//! Incidents: record, open and list calls for service.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::calendar::london_date;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{AreaId, LinkId, RecordId};
use bluelamp_domain::incident::{Incident, IncidentCategory, IncidentInput, call_reference};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::ResponseGrade;
use bluelamp_store::incident::{self as store, IncidentFilter};
use bluelamp_store::link::Link;
use bluelamp_store::record::RecordHead;
use bluelamp_store::{StoreError, Tx, link, record};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::first_contact::{FirstContact, NewIncident};
use crate::{App, AppError, Ctx, Page, Result, authorise};

/// An incident as shown: its record head, details, links, and what first contact
/// recorded (assessments, advice, attendance, decision, closure, duties).
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub head: RecordHead,
    pub incident: Incident,
    pub links: Vec<Link>,
    pub first_contact: FirstContact,
}

/// A page of a list of events, newest first.
#[derive(Debug, Clone)]
pub struct EventPage<T> {
    pub items: Vec<(RecordId, T)>,
    pub page: Page,
    /// Whether a further page has more.
    pub has_more: bool,
}

/// A list of incidents as asked for.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    /// Received at or after: RFC 3339, or a date meaning its start (00:00 UTC).
    pub from: Option<String>,
    /// Received before: as `from`.
    pub to: Option<String>,
    pub category: Option<String>,
}

/// The JSON an audit entry keeps of an incident.
pub(crate) fn incident_json(i: &Incident) -> serde_json::Value {
    serde_json::json!({
        "reference": i.reference, "channel": i.channel.as_str(), "received_at": i.received_at,
        "occurred_at": i.occurred_at, "category": i.category.as_str(),
        "location_id": i.location_id.map(|l| l.to_string()), "summary": i.summary,
    })
}

/// Parses a bound of a time range: an RFC 3339 time, or a date meaning 00:00 UTC that day.
pub(crate) fn time_bound(f: &mut Fields, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d.and_time(chrono::NaiveTime::MIN).and_utc()),
        Err(_) => {
            f.error(field, "must be a date (YYYY-MM-DD) or a time (RFC 3339)");
            None
        }
    }
}

/// The period of a measures query: `to` now by default, `from` `default_days` before it.
///
/// # Errors
/// [`Invalid`] for a bad bound or an empty period.
pub(crate) fn measures_period(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
    default_days: i64,
) -> Result<bluelamp_store::first_contact_review::Period, Invalid> {
    let mut f = Fields::new();
    let to = time_bound(&mut f, "/to", to).unwrap_or(now);
    let from =
        time_bound(&mut f, "/from", from).unwrap_or(to - chrono::TimeDelta::days(default_days));
    if from >= to {
        f.error("/from", "must be before to");
    }
    f.finish(|| Some(bluelamp_store::first_contact_review::Period { from, to }))
}

impl App {
    /// Checks that a record an event points at is one the actor can see, of the right
    /// kind: a hidden or missing record is an invalid field, not a revelation.
    pub(crate) async fn referenced(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: RecordId,
        kind: RecordKind,
        field: &str,
    ) -> Result<()> {
        match self.open(tx, ctx, id, Some(kind)).await {
            Ok(_) => Ok(()),
            Err(AppError::NotFound) => {
                Err(Invalid::one(field, format!("must be a {kind} you can see")).into())
            }
            Err(e) => Err(e),
        }
    }

    /// Links an event to the location where it happened, audited on the location's side
    /// as the combination of two records (the event's own entry names the location).
    pub(crate) async fn link_occurred_at(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        event: RecordId,
        location: RecordId,
    ) -> Result<()> {
        let id = LinkId::from_uuid(Uuid::now_v7());
        let new = link::NewLink {
            id,
            from: event,
            role: LinkRole::OccurredAt,
            to: location,
        };
        link::insert(tx, self.force.id, &new, ctx.actor.user_id, self.now()).await?;
        self.audit(
            tx,
            ctx,
            Operation::Combination,
            "link.create",
            Some(location),
            serde_json::json!({"link_id": id.to_string(), "from": event.to_string(), "role": "occurred_at", "to": location.to_string()}),
        )
        .await
    }

    /// The reference of a call taken now without one, in the caller's transaction: the
    /// Europe/London day and the next number of the force's calls that day
    /// ([`call_reference`], `20261126-0042`). Numbers already taken by a reference typed
    /// in by hand are passed over, so the reference is always free to use.
    pub(crate) async fn number_call(&self, tx: &mut Tx) -> Result<String> {
        let day = london_date(self.now());
        loop {
            let n = store::next_call_number(tx, self.force.id, day).await?;
            let reference = call_reference(day, u32::try_from(n).unwrap_or(u32::MAX));
            if !store::reference_taken(tx, self.force.id, &reference).await? {
                return Ok(reference);
            }
        }
    }

    /// Stores a parsed incident as a new record with its `occurred_at` link, in the
    /// caller's transaction. The caller writes the incident's audit entry (with `details`
    /// from [`incident_json`]), so that one action is one entry; the link is audited on the
    /// location's side unless the location was created by the same action
    /// (`location_is_new`), whose own entry then stands for it. `grade` is that of the
    /// assessment taken with the call. Gives the new record's id and when it was opened.
    pub(crate) async fn insert_incident(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        incident: &Incident,
        area: Option<AreaId>,
        location_is_new: bool,
        grade: Option<ResponseGrade>,
    ) -> Result<(RecordId, DateTime<Utc>)> {
        let id = RecordId::from_uuid(Uuid::now_v7());
        let opened_at = self.now();
        record::insert(
            tx,
            self.force.id,
            id,
            RecordKind::Incident,
            Some(ctx.actor.user_id),
            opened_at,
        )
        .await?;
        match store::insert(tx, self.force.id, id, incident, area, grade).await {
            Err(StoreError::Conflict(_)) => {
                return Err(
                    Invalid::one("/reference", "is already used by another incident").into(),
                );
            }
            other => other?,
        }
        match incident.location_id {
            Some(l) if location_is_new => {
                let new = link::NewLink {
                    id: LinkId::from_uuid(Uuid::now_v7()),
                    from: id,
                    role: LinkRole::OccurredAt,
                    to: l,
                };
                link::insert(tx, self.force.id, &new, ctx.actor.user_id, self.now()).await?;
            }
            Some(l) => self.link_occurred_at(tx, ctx, id, l).await?,
            None => {}
        }
        Ok((id, opened_at))
    }

    /// Records an incident without its assessment: [`App::take_call`] with the details
    /// only.
    ///
    /// # Errors
    /// As [`App::take_call`].
    pub async fn create_incident(&self, ctx: &Ctx, input: &IncidentInput) -> Result<IncidentView> {
        self.take_call(
            ctx,
            &NewIncident {
                incident: input.clone(),
                ..NewIncident::default()
            },
        )
        .await
    }

    /// Opens an incident with its links and first-contact history.
    ///
    /// # Errors
    /// [`AppError::NotFound`], [`AppError::ReasonRequired`], [`AppError::Denied`].
    pub async fn get_incident(&self, ctx: &Ctx, id: RecordId) -> Result<IncidentView> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        self.open(&mut tx, ctx, id, Some(RecordKind::Incident))
            .await?;
        let view = self.incident_view(&mut tx, ctx, id).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "incident.view",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Lists the incidents the actor may see, newest first, a page at a time. The list and
    /// what it showed are audited.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_record`; [`AppError::Invalid`] for a bad bound or
    /// category.
    pub async fn list_incidents(
        &self,
        ctx: &Ctx,
        query: &IncidentQuery,
        page: Page,
    ) -> Result<EventPage<Incident>> {
        authorise(ctx, Action::ViewRecord)?;
        let mut f = Fields::new();
        let from = time_bound(&mut f, "/from", query.from.as_deref());
        let to = time_bound(&mut f, "/to", query.to.as_deref());
        let category = match query.category.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => f.check("/category", c.parse::<IncidentCategory>()),
        };
        f.finish(|| Some(()))?;
        let filter = IncidentFilter { from, to, category };
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
            "incident.list",
            None,
            serde_json::json!({
                "from": from, "to": to, "category": category.map(|c| c.as_str()), "page": page.number,
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

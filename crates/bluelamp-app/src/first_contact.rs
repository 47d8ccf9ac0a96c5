//! First contact (issue 4): take the call with its THRIVE, re-assess, record attendance,
//! make the crime-recording decision, close, and work the incident-management queue.
//!
//! Every action raises and meets duties through the duties engine in the same transaction
//! ([`App::duty_event`]; a call, whose incident has none yet, replays its events at once),
//! so that the queue waits, THRIVE completion and crime-recording decisions are on a clock
//! from the moment they exist.

use bluelamp_domain::access::{Action, RecordAccess};
use bluelamp_domain::audit::Operation;
use bluelamp_domain::crime::{Crime, CrimeInput};
use bluelamp_domain::duty::{self, Duty, Event, Owner};
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::first_contact::{
    Advice, AdviceInput, AttendanceKind, CrimeRecording, IncidentResult, QueueEntry, REASON_MAX,
    needs_review_on_closure,
};
use bluelamp_domain::ids::{AreaId, LinkId, RecordId, UserId};
use bluelamp_domain::incident::{Incident, IncidentCategory, IncidentInput, instant};
use bluelamp_domain::location::{Location, LocationInput};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::{
    Assessment, AssessmentInput, Element, ResponseGrade, Setting,
    attendance as attendance_against_target,
};
use bluelamp_store::first_contact::{
    self as store, AttendanceRow, Closure, Decision, IncidentState, QueueFilter, QueueItem,
    StoredAssessment,
};
use bluelamp_store::first_contact_review::{self as review, Measures, Review};
use bluelamp_store::record::RecordHead;
use bluelamp_store::{Tx, area, link, record, user};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::incident::IncidentView;
use crate::{App, AppError, Ctx, Page, Result, authorise};

/// What taking a call on the call form needs: the incident is a new record, and the form
/// takes its THRIVE and grade. The form is offered, shown and accepted only for those who
/// may do both ([`authorise_call_form`]).
pub const TAKE_CALL: [Action; 2] = [Action::CreateRecord, Action::AssessIncident];

/// Allows the call form (its page and its submission) to an actor whose roles permit every
/// action of [`TAKE_CALL`]; denies everyone else.
///
/// # Errors
/// [`AppError::Denied`] naming the first action not permitted.
pub fn authorise_call_form(ctx: &Ctx) -> Result<()> {
    TAKE_CALL.iter().try_for_each(|a| authorise(ctx, *a))
}

/// Everything first contact has recorded about an incident, as shown to a supervisor.
#[derive(Debug, Clone)]
pub struct FirstContact {
    pub state: IncidentState,
    /// First to latest: each re-assessment names the one it revises.
    pub assessments: Vec<StoredAssessment>,
    pub advice: Option<Advice>,
    pub attendance: Vec<AttendanceRow>,
    pub decision: Option<Decision>,
    /// The crimes recorded from it that the viewer may see.
    pub crimes: Vec<RecordId>,
    /// Its duties, with the escalations of those late now.
    pub duties: Vec<Duty>,
    /// Its place in the queue, when waiting: why it holds it.
    pub queue_reason: Option<String>,
    /// The display names of the users (assessors, those who recorded attendance or made the
    /// decision, duty owners) and teams it mentions, by id, for pages.
    pub names: BTreeMap<Uuid, String>,
}

impl FirstContact {
    /// Every user it mentions.
    fn mentioned_users(&self) -> Vec<UserId> {
        let mut users: Vec<UserId> = self
            .assessments
            .iter()
            .map(|a| a.assessed_by)
            .chain(self.attendance.iter().map(|a| a.recorded_by))
            .chain(self.decision.iter().map(|d| d.decided_by))
            .chain(self.duties.iter().filter_map(|d| match d.owed_by {
                Owner::User(u) => Some(u),
                _ => None,
            }))
            .collect();
        users.sort();
        users.dedup();
        users
    }

    /// The name of a user or team it mentions, or its id.
    pub fn name(&self, id: Uuid) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The latest assessment.
    pub fn latest(&self) -> Option<&StoredAssessment> {
        self.assessments.last()
    }

    /// Whether anyone was sent or arrived.
    pub fn attended(&self) -> bool {
        self.attendance
            .iter()
            .any(|a| matches!(a.kind, AttendanceKind::Deployed | AttendanceKind::Arrived))
    }
}

/// A new incident as sent: its details, where (a location record or an address as the
/// caller gives it), who called and who it is about, and optionally its THRIVE and advice.
#[derive(Debug, Clone, Default)]
pub struct NewIncident {
    pub incident: IncidentInput,
    /// An address given inline; not with `incident.location_id`.
    pub location: Option<LocationInput>,
    pub caller_ids: Vec<String>,
    pub subject_ids: Vec<String>,
    /// `thrive: None` opens the incident unassessed.
    pub assessment: AssessmentInput,
    pub advice: Option<AdviceInput>,
}

/// A re-assessment as sent: the THRIVE and grade, and the advice if not yet recorded.
#[derive(Debug, Clone, Default)]
pub struct Reassessment {
    pub assessment: AssessmentInput,
    pub advice: Option<AdviceInput>,
}

/// An attendance decision or arrival as sent.
#[derive(Debug, Clone, Default)]
pub struct AttendanceInput {
    /// `deployed`, `arrived` or `not_attending`.
    pub kind: String,
    /// When: the decision (default now) or the arrival (required).
    pub at: Option<String>,
    /// Why: required for a decision.
    pub rationale: Option<String>,
}

/// One crime of a crime-recording decision as sent. It happened where and when the
/// incident did unless said otherwise.
#[derive(Debug, Clone, Default)]
pub struct DecisionCrimeInput {
    pub reference: String,
    pub offence_code: String,
    pub committed_from: Option<String>,
    pub domestic_abuse: bool,
}

/// A crime-recording decision as sent.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    /// `crime` or `not_a_crime`.
    pub decision: String,
    /// Why it is not a crime.
    pub reason: Option<String>,
    pub crimes: Vec<DecisionCrimeInput>,
}

/// A closure as sent.
#[derive(Debug, Clone, Default)]
pub struct ClosureInput {
    pub closing_category: String,
    pub result: String,
}

/// Which part of the queue, as asked for.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    pub area: Option<String>,
    pub grade: Option<String>,
}

/// The period of the measures, as asked for.
#[derive(Debug, Clone, Default)]
pub struct MeasuresQuery {
    /// From: RFC 3339, or a date meaning its start (00:00 UTC). 28 days before `to` by
    /// default.
    pub from: Option<String>,
    /// To (exclusive): as `from`. Now by default.
    pub to: Option<String>,
}

/// One item of the queue as shown: the incident, its place and why it holds it.
#[derive(Debug, Clone)]
pub struct QueueLine {
    pub position: usize,
    pub item: QueueItem,
    pub why: String,
    /// Waiting longer than its grade allows.
    pub overdue: bool,
}

/// A page of the queue.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub lines: Vec<QueueLine>,
    pub page: Page,
    pub total: i64,
    pub at: DateTime<Utc>,
}

/// What an audit entry keeps of an assessment.
fn assessment_json(s: &StoredAssessment) -> serde_json::Value {
    let a = &s.assessment;
    let t = &a.thrive;
    let levels: serde_json::Map<String, serde_json::Value> = Element::ALL
        .iter()
        .map(|e| (e.as_str().to_string(), t.level(*e).as_str().into()))
        .collect();
    serde_json::json!({
        "assessment_id": s.id.to_string(), "seq": s.seq, "levels": levels,
        "factors": t.factors.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "proposed": a.proposal.grade.as_str(), "grade": a.decision.chosen.as_str(),
        "previous": a.decision.previous.map(|g| g.as_str()),
        "downgrade": a.decision.is_downgrade(), "rationale": a.decision.rationale,
    })
}

/// What an audit entry keeps of the advice checklist.
fn advice_json(a: &Advice) -> serde_json::Value {
    serde_json::json!({
        "evidence_preservation": a.evidence_preservation.is_given(),
        "evidence_reason": a.evidence_preservation.reason(),
        "crime_prevention": a.crime_prevention.is_given(),
        "prevention_reason": a.crime_prevention.reason(),
    })
}

fn record_ids(f: &mut Fields, at: &str, raw: &[String]) -> Vec<RecordId> {
    raw.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            f.check(
                &format!("{at}/{i}"),
                r.trim()
                    .parse::<RecordId>()
                    .map_err(|_| "must be a record id"),
            )
        })
        .collect()
}

/// Parses a location given inline, naming its fields under `/location`.
fn inline_location(f: &mut Fields, input: &LocationInput) -> Option<Location> {
    match Location::parse(input) {
        Ok(l) => Some(l),
        Err(Invalid(errors)) => {
            for e in errors {
                f.error(format!("/location{}", e.field), e.message);
            }
            None
        }
    }
}

impl App {
    /// Applies an event to the duties: meets those it fulfils and stores those it raises.
    pub(crate) async fn duty_event(&self, tx: &mut Tx, event: &Event) -> Result<()> {
        let reaction = duty::react(event, &self.config.duty_rules, &self.config.calendar);
        for d in &reaction.discharge {
            bluelamp_store::duty::discharge(tx, self.force.id, d).await?;
        }
        bluelamp_store::duty::insert(tx, self.force.id, &reaction.raise).await?;
        Ok(())
    }

    /// Links a person to an event in a role, audited on the person's side.
    pub(crate) async fn link_person(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        person: RecordId,
        role: LinkRole,
        event: RecordId,
    ) -> Result<()> {
        let id = LinkId::from_uuid(Uuid::now_v7());
        let new = link::NewLink {
            id,
            from: person,
            role,
            to: event,
        };
        link::insert(tx, self.force.id, &new, ctx.actor.user_id, self.now()).await?;
        self.audit(
            tx,
            ctx,
            Operation::Combination,
            "link.create",
            Some(person),
            serde_json::json!({"link_id": id.to_string(), "from": person.to_string(), "role": role.as_str(), "to": event.to_string()}),
        )
        .await
    }

    /// The setting (urban or rural) of an incident's neighbourhood; urban when unknown.
    async fn setting_of(&self, tx: &mut Tx, area: Option<AreaId>) -> Result<Setting> {
        Ok(match area {
            Some(a) => store::area_setting(tx, self.force.id, a).await?,
            None => Setting::Urban,
        })
    }

    /// Records a complete assessment of an incident in the caller's transaction: stores it
    /// and (re)places the incident in the queue when it is waiting or has not yet been dealt
    /// with. The duty events this causes (the THRIVE recorded, the incident queued) are
    /// added to `events` for the caller to apply.
    #[allow(clippy::too_many_arguments)]
    async fn record_assessment(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: RecordId,
        incident: &Incident,
        state: &IncidentState,
        assessment: Assessment,
        previous: Option<&StoredAssessment>,
        requeue: bool,
        events: &mut Vec<Event>,
    ) -> Result<(StoredAssessment, serde_json::Value)> {
        let now = self.now();
        let setting = self.setting_of(tx, state.area_id).await?;
        let stored = StoredAssessment {
            id: Uuid::now_v7(),
            seq: previous.map_or(1, |p| p.seq + 1),
            revises: previous.map(|p| p.id),
            assessed_at: now,
            assessed_by: ctx.actor.user_id,
            assessment,
            setting,
        };
        store::insert_assessment(tx, self.force.id, id, &stored).await?;
        let a = &stored.assessment;
        let grade = a.decision.chosen;
        if state.grade != Some(grade) {
            store::set_grade(tx, self.force.id, id, grade).await?;
        }
        events.push(Event::ThriveRecorded {
            incident: id,
            at: now,
            grade,
        });
        if requeue {
            let entry = QueueEntry {
                grade,
                risk: a.thrive.risk.level,
                vulnerability: a.thrive.vulnerability.level,
                factors: a.thrive.factors.iter().copied().collect(),
                received_at: incident.received_at,
                queued_at: now,
                wait_allowed: self.config.duty_rules.queue_wait(grade, setting, now),
            };
            if state.queued {
                store::dequeue(tx, self.force.id, id).await?;
            }
            store::enqueue(tx, self.force.id, id, &entry, state.area_id).await?;
            events.push(Event::IncidentQueued {
                incident: id,
                at: now,
                grade,
                setting,
            });
        }
        let details = assessment_json(&stored);
        Ok((stored, details))
    }

    /// Stores the advice checklist in the caller's transaction; the action's audit entry
    /// carries it ([`advice_json`]).
    async fn record_advice(&self, tx: &mut Tx, ctx: &Ctx, id: RecordId, a: &Advice) -> Result<()> {
        store::insert_advice(tx, self.force.id, id, a, self.now(), ctx.actor.user_id).await?;
        Ok(())
    }

    /// Takes a call: records the incident with where it happened, who called and who it is
    /// about, opens its duties, and, when its THRIVE is given, assesses, grades and queues
    /// it in the same transaction. A call sent without a reference is numbered: the next of
    /// the day's calls ([`App::number_call`]).
    ///
    /// # Errors
    /// [`AppError::Denied`] without `create_record` (and `assess_incident` with a THRIVE);
    /// [`AppError::Invalid`] naming every bad field (an incomplete THRIVE names each
    /// missing element, such as `/thrive/harm`; a crime without its advice checklist names
    /// `/advice`), after which nothing is written.
    pub async fn take_call(&self, ctx: &Ctx, input: &NewIncident) -> Result<IncidentView> {
        authorise(ctx, Action::CreateRecord)?;
        let assessing = input.assessment.thrive.is_some();
        if assessing {
            authorise(ctx, Action::AssessIncident)?;
        }
        let now = self.now();
        let mut f = Fields::new();
        let incident = match Incident::parse(&input.incident, now) {
            Ok(i) => Some(i),
            Err(Invalid(errors)) => {
                for e in errors {
                    f.error(e.field, e.message);
                }
                None
            }
        };
        let location = match (&input.location, &input.incident.location_id) {
            (Some(_), Some(l)) if !l.trim().is_empty() => {
                f.error(
                    "/location",
                    "give either a location or a location_id, not both",
                );
                None
            }
            (Some(l), _) => inline_location(&mut f, l),
            _ => None,
        };
        let callers = record_ids(&mut f, "/caller_ids", &input.caller_ids);
        let subjects = record_ids(&mut f, "/subject_ids", &input.subject_ids);
        let assessment = if assessing {
            Assessment::parse_at(
                &mut f,
                "",
                &input.assessment,
                self.config.grading.at_instant(now),
                None,
            )
        } else {
            if input
                .assessment
                .grade
                .grade
                .as_deref()
                .is_some_and(|g| !g.trim().is_empty())
            {
                f.error("/grade", "needs a THRIVE assessment to grade");
            }
            None
        };
        let advice = input
            .advice
            .as_ref()
            .and_then(|a| Advice::parse_at(&mut f, "/advice", a));
        if assessing
            && input.advice.is_none()
            && input
                .incident
                .category
                .parse::<IncidentCategory>()
                .is_ok_and(|c| c.is_crime())
        {
            f.error(
                "/advice",
                "is required for an incident opened as a crime: record the evidence-preservation and crime-prevention advice",
            );
        }
        let incident = f.finish(|| incident)?;

        let mut tx = self.begin().await?;
        if let Some(l) = incident.location_id {
            self.referenced(&mut tx, ctx, l, RecordKind::Location, "/location_id")
                .await?;
        }
        for (i, p) in callers.iter().enumerate() {
            self.referenced(
                &mut tx,
                ctx,
                *p,
                RecordKind::Person,
                &format!("/caller_ids/{i}"),
            )
            .await?;
        }
        for (i, p) in subjects.iter().enumerate() {
            self.referenced(
                &mut tx,
                ctx,
                *p,
                RecordKind::Person,
                &format!("/subject_ids/{i}"),
            )
            .await?;
        }
        let mut incident = incident;
        if incident.awaits_number() {
            incident.reference = self.number_call(&mut tx).await?;
        }
        let mut lsoa = None;
        let location_is_new = location.is_some();
        if let Some(l) = &location {
            incident.location_id = Some(self.insert_location(&mut tx, ctx, l).await?);
            lsoa.clone_from(&l.lsoa_code);
        } else if let Some(l) = incident.location_id {
            lsoa = bluelamp_store::location::load(&mut tx, self.force.id, l)
                .await?
                .lsoa_code;
        }
        let area_id = match &lsoa {
            Some(code) => area::neighbourhood_of(&mut tx, self.force.id, code).await?,
            None => None,
        };
        let grade = assessment.as_ref().map(|a| a.decision.chosen);
        let (id, opened_at) = self
            .insert_incident(&mut tx, ctx, &incident, area_id, location_is_new, grade)
            .await?;
        for p in &callers {
            self.link_person(&mut tx, ctx, *p, LinkRole::ReporterOf, id)
                .await?;
        }
        for p in &subjects {
            self.link_person(&mut tx, ctx, *p, LinkRole::InvolvedIn, id)
                .await?;
        }
        let mut events = vec![Event::IncidentOpened {
            incident: id,
            at: now,
            reported_at: incident.received_at,
            category: incident.category,
        }];
        let mut details = serde_json::json!({"after": crate::incident::incident_json(&incident)});
        if let Some(a) = &advice {
            self.record_advice(&mut tx, ctx, id, a).await?;
            details["advice"] = advice_json(a);
        }
        // Just opened, with the grade of the assessment taken with it: nothing to read back.
        let mut state = IncidentState {
            opened_at,
            area_id,
            grade,
            closure: None,
            queued: false,
        };
        let mut assessments = Vec::new();
        if let Some(a) = assessment {
            let (stored, assessed) = self
                .record_assessment(
                    &mut tx,
                    ctx,
                    id,
                    &incident,
                    &state,
                    a,
                    None,
                    true,
                    &mut events,
                )
                .await?;
            details["assessment"] = assessed;
            assessments.push(stored);
            // Requeueing places a newly assessed incident in the queue.
            state.queued = true;
        }
        // A new incident has no duties yet, so replaying its events gives exactly the rows
        // that applying them one at a time would leave: one insert instead of an insert or
        // update per event.
        let mut duties = duty::replay(&events, &self.config.duty_rules, &self.config.calendar);
        bluelamp_store::duty::insert(&mut tx, self.force.id, &duties).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "incident.create",
            Some(id),
            details,
        )
        .await?;
        // The answer is what was just written, as `incident_view` would read it back; only
        // the links (labelled with their other ends) are read.
        let links = link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience()).await?;
        let now = self.now();
        // In the store's order: by when raised, then as inserted (ids are time-ordered).
        duties.sort_by_key(|d| d.raised_at);
        let duties = self.with_escalations(duties, now);
        let queue_reason = self.queue_reason(&incident, &state, assessments.last(), now);
        let mut first_contact = FirstContact {
            state,
            assessments,
            advice,
            attendance: Vec::new(),
            decision: None,
            crimes: Vec::new(),
            duties,
            queue_reason,
            names: BTreeMap::new(),
        };
        first_contact.names = self.names_in(&mut tx, &first_contact).await?;
        tx.commit().await?;
        Ok(IncidentView {
            // A record as `record::insert` registers it: unchanged since, and open.
            head: RecordHead {
                id,
                kind: RecordKind::Incident,
                created_at: first_contact.state.opened_at,
                updated_at: first_contact.state.opened_at,
                archived_at: None,
                erased_at: None,
                access: RecordAccess::default(),
            },
            incident,
            links,
            first_contact,
        })
    }

    /// The display names of the users and teams an incident's first contact mentions,
    /// read in the caller's transaction (the teams only when a duty is owed by one).
    async fn names_in(&self, tx: &mut Tx, fc: &FirstContact) -> Result<BTreeMap<Uuid, String>> {
        let f = self.force.id;
        let mut names: BTreeMap<Uuid, String> = user::display_names(tx, f, &fc.mentioned_users())
            .await?
            .into_iter()
            .map(|(id, name)| (id.uuid(), name))
            .collect();
        if fc
            .duties
            .iter()
            .any(|d| matches!(d.owed_by, Owner::Team(_)))
        {
            for (id, name) in user::teams(tx, f).await? {
                names.insert(id.uuid(), name);
            }
        }
        Ok(names)
    }

    /// Why a waiting incident holds its place in the queue: the queue entry its latest
    /// assessment made, as it stands at `now`.
    fn queue_reason(
        &self,
        incident: &Incident,
        state: &IncidentState,
        latest: Option<&StoredAssessment>,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let latest = latest.filter(|_| state.queued)?;
        let a = &latest.assessment;
        let entry = QueueEntry {
            grade: a.decision.chosen,
            risk: a.thrive.risk.level,
            vulnerability: a.thrive.vulnerability.level,
            factors: a.thrive.factors.iter().copied().collect(),
            received_at: incident.received_at,
            queued_at: latest.assessed_at,
            wait_allowed: self.config.duty_rules.queue_wait(
                a.decision.chosen,
                latest.setting,
                latest.assessed_at,
            ),
        };
        Some(entry.why(now))
    }

    /// Loads everything shown of an incident, in the caller's transaction (already opened
    /// for the actor).
    pub(crate) async fn incident_view(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: RecordId,
    ) -> Result<IncidentView> {
        let head = record::head(tx, self.force.id, id).await?;
        let incident = bluelamp_store::incident::load(tx, self.force.id, id).await?;
        self.view_of(tx, ctx, head, incident).await
    }

    /// The rest of an incident's view, given its record head and details.
    async fn view_of(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        head: RecordHead,
        incident: Incident,
    ) -> Result<IncidentView> {
        let id = head.id;
        let audience = ctx.actor.audience();
        let links = link::of_record(tx, self.force.id, id, &audience).await?;
        let now = self.now();
        let duties = self.with_escalations(
            bluelamp_store::duty::of_subject(tx, self.force.id, id).await?,
            now,
        );
        let state = store::state(tx, self.force.id, id).await?;
        let assessments = store::assessments(tx, self.force.id, id).await?;
        let queue_reason = self.queue_reason(&incident, &state, assessments.last(), now);
        let mut first_contact = FirstContact {
            advice: store::advice(tx, self.force.id, id).await?,
            attendance: store::attendance(tx, self.force.id, id).await?,
            decision: store::decision(tx, self.force.id, id).await?,
            crimes: store::crimes_of(tx, self.force.id, id, &audience).await?,
            state,
            assessments,
            duties,
            queue_reason,
            names: BTreeMap::new(),
        };
        first_contact.names = self.names_in(tx, &first_contact).await?;
        Ok(IncidentView {
            head,
            incident,
            links,
            first_contact,
        })
    }

    /// Ends an action on an incident opened by [`App::open_for_action`]: the incident as it
    /// now stands, then the commit. No action changes the record head or the details, so
    /// those opened are shown rather than read again.
    async fn commit_with_view(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        head: RecordHead,
        incident: Incident,
    ) -> Result<IncidentView> {
        let view = self.view_of(&mut tx, ctx, head, incident).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Opens an incident for a first-contact action: visible to the actor and not closed.
    async fn open_for_action(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: RecordId,
    ) -> Result<(RecordHead, Incident, IncidentState)> {
        let head = self.open(tx, ctx, id, Some(RecordKind::Incident)).await?;
        let incident = bluelamp_store::incident::load(tx, self.force.id, id).await?;
        let state = store::state(tx, self.force.id, id).await?;
        if state.closure.is_some() {
            return Err(AppError::Conflict("the incident is closed".into()));
        }
        Ok((head, incident, state))
    }

    /// Re-assesses an incident ("re-THRIVE"), or assesses one opened unassessed: a new
    /// assessment linked to the one before. A lower grade than before needs a rationale
    /// and is reported as a downgrade.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `assess_incident`; [`AppError::NotFound`] or
    /// [`AppError::ReasonRequired`] as for opening it; [`AppError::Conflict`] when it is
    /// closed; [`AppError::Invalid`] for an incomplete THRIVE, a downgrade or override
    /// without a rationale, or a crime still without its advice checklist.
    pub async fn reassess_incident(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &Reassessment,
    ) -> Result<IncidentView> {
        authorise(ctx, Action::AssessIncident)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let (head, incident, state) = self.open_for_action(&mut tx, ctx, id).await?;
        let previous = store::assessments(&mut tx, self.force.id, id).await?.pop();
        let has_advice = store::advice(&mut tx, self.force.id, id).await?.is_some();
        let mut f = Fields::new();
        let assessment = Assessment::parse_at(
            &mut f,
            "",
            &input.assessment,
            self.config.grading.at_instant(now),
            previous.as_ref().map(|p| p.assessment.decision.chosen),
        );
        let advice = match (&input.advice, has_advice) {
            (Some(_), true) => {
                f.error("/advice", "is already recorded for this incident");
                None
            }
            (Some(a), false) => Advice::parse_at(&mut f, "/advice", a),
            (None, false) if incident.category.is_crime() => {
                f.error(
                    "/advice",
                    "is required for an incident opened as a crime: record the evidence-preservation and crime-prevention advice",
                );
                None
            }
            (None, _) => None,
        };
        let assessment = f.finish(|| assessment)?;
        let mut details = serde_json::json!({});
        if let Some(a) = &advice {
            self.record_advice(&mut tx, ctx, id, a).await?;
            details["advice"] = advice_json(a);
        }
        let dealt_with = !store::attendance(&mut tx, self.force.id, id)
            .await?
            .is_empty();
        let requeue = state.queued || !dealt_with;
        let mut events = Vec::new();
        let (_, assessed) = self
            .record_assessment(
                &mut tx,
                ctx,
                id,
                &incident,
                &state,
                assessment,
                previous.as_ref(),
                requeue,
                &mut events,
            )
            .await?;
        for e in &events {
            self.duty_event(&mut tx, e).await?;
        }
        details["assessment"] = assessed;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            if previous.is_some() {
                "incident.reassess"
            } else {
                "incident.assess"
            },
            Some(id),
            details,
        )
        .await?;
        self.commit_with_view(tx, ctx, head, incident).await
    }

    /// Records an attendance decision (a deployment, or resolution without attendance, each
    /// with its rationale, taking the incident off the queue) or an arrival (measured against
    /// the attendance target of the grade in force).
    ///
    /// # Errors
    /// [`AppError::Denied`] without `record_attendance`; [`AppError::Conflict`] when the
    /// incident is closed, not yet assessed, no longer waiting (for a decision) or nobody
    /// was deployed (for an arrival); [`AppError::Invalid`] for an unknown kind, a missing
    /// rationale or arrival time, or a time in the future.
    pub async fn record_attendance(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &AttendanceInput,
    ) -> Result<IncidentView> {
        authorise(ctx, Action::RecordAttendance)?;
        let now = self.now();
        let mut f = Fields::new();
        let kind = f.check("/kind", input.kind.parse::<AttendanceKind>());
        let at = match input.at.as_deref().map(str::trim) {
            None | Some("") if kind == Some(AttendanceKind::Arrived) => {
                f.error("/at", "is required: when the officers arrived");
                None
            }
            None | Some("") => Some(now),
            Some(raw) => f.check("/at", instant(raw, now)),
        };
        let rationale = match kind {
            Some(AttendanceKind::Arrived) => {
                f.optional_prose("/rationale", input.rationale.as_deref(), REASON_MAX)
            }
            _ => f.prose(
                "/rationale",
                input.rationale.as_deref().unwrap_or(""),
                REASON_MAX,
            ),
        };
        let (kind, at) = f.finish(|| Some((kind?, at?)))?;
        let mut tx = self.begin().await?;
        let (head, incident, state) = self.open_for_action(&mut tx, ctx, id).await?;
        let Some(grade) = state.grade else {
            return Err(AppError::Conflict(
                "the incident has no complete THRIVE assessment: assess it first".into(),
            ));
        };
        let history = store::attendance(&mut tx, self.force.id, id).await?;
        let (mut grade_then, mut target_met) = (None, None);
        match kind {
            AttendanceKind::Deployed | AttendanceKind::NotAttending => {
                if !state.queued {
                    return Err(AppError::Conflict(
                        "the incident is not waiting in the queue: an attendance decision is already recorded".into(),
                    ));
                }
                // The decision ends the wait that began when it was queued at its grade.
                let queued_at = store::assessments(&mut tx, self.force.id, id)
                    .await?
                    .last()
                    .map(|a| a.assessed_at);
                if queued_at.is_some_and(|q| at < q) {
                    return Err(Invalid::one(
                        "/at",
                        "must not be before the incident was queued at its grade",
                    )
                    .into());
                }
                store::dequeue(&mut tx, self.force.id, id).await?;
                self.duty_event(&mut tx, &Event::AttendanceRecorded { incident: id, at })
                    .await?;
            }
            AttendanceKind::Arrived => {
                if history.iter().any(|a| a.kind == AttendanceKind::Arrived) {
                    return Err(AppError::Conflict(
                        "the arrival is already recorded: the first arrival is what the target measures".into(),
                    ));
                }
                let Some(deployed) = history.iter().find(|a| a.kind == AttendanceKind::Deployed)
                else {
                    return Err(AppError::Conflict(
                        "nobody was deployed to this incident: record the deployment first".into(),
                    ));
                };
                if at < deployed.at {
                    return Err(Invalid::one(
                        "/at",
                        "must not be before the deployment was recorded",
                    )
                    .into());
                }
                let setting = store::assessments(&mut tx, self.force.id, id)
                    .await?
                    .last()
                    .map_or(Setting::Urban, |a| a.setting);
                grade_then = Some(grade);
                target_met = attendance_against_target(
                    incident.received_at,
                    at,
                    grade,
                    setting,
                    &self.config.duty_rules.attendance,
                )
                .map(|a| a.is_met());
            }
        }
        let row = AttendanceRow {
            id: Uuid::now_v7(),
            kind,
            at,
            rationale,
            grade: grade_then,
            target_met,
            recorded_at: now,
            recorded_by: ctx.actor.user_id,
        };
        store::insert_attendance(&mut tx, self.force.id, id, &row).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "incident.attendance",
            Some(id),
            serde_json::json!({"kind": kind.as_str(), "at": at, "rationale": row.rationale, "target_met": target_met}),
        )
        .await?;
        self.commit_with_view(tx, ctx, head, incident).await
    }

    /// Makes the crime-recording decision on an incident (NCRS, reference §5.1): records
    /// one or more crimes linked back to it, or that it is not a crime, with the reason.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `decide_crime_recording`; [`AppError::Conflict`] when
    /// a decision is already made or the incident is closed; [`AppError::Invalid`] naming
    /// each bad field (no crimes for a crime, no reason for not a crime, an unknown offence
    /// code at `/crimes/0/offence_code`), after which nothing is written.
    pub async fn decide_crime_recording(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &DecisionInput,
    ) -> Result<IncidentView> {
        authorise(ctx, Action::DecideCrimeRecording)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let (head, incident, _) = self.open_for_action(&mut tx, ctx, id).await?;
        if store::decision(&mut tx, self.force.id, id).await?.is_some() {
            return Err(AppError::Conflict(
                "the crime-recording decision is already made".into(),
            ));
        }
        let mut f = Fields::new();
        let decision = f.check("/decision", input.decision.parse::<CrimeRecording>());
        let mut crimes = Vec::new();
        let mut reason = None;
        match decision {
            Some(CrimeRecording::Crime) => {
                if input.crimes.is_empty() {
                    f.error("/crimes", "must list at least one crime");
                }
                if input
                    .reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty())
                {
                    f.error("/reason", "is only for a decision that it is not a crime");
                }
                let committed = incident.occurred_at.unwrap_or(incident.received_at);
                for (i, c) in input.crimes.iter().enumerate() {
                    let parsed = Crime::parse(
                        &CrimeInput {
                            reference: c.reference.clone(),
                            offence_code: c.offence_code.clone(),
                            committed_from: c
                                .committed_from
                                .clone()
                                .filter(|s| !s.trim().is_empty())
                                .unwrap_or_else(|| committed.to_rfc3339()),
                            committed_to: None,
                            recorded_at: now.to_rfc3339(),
                            domestic_abuse: c.domestic_abuse,
                            location_id: incident.location_id.map(|l| l.to_string()),
                            incident_id: Some(id.to_string()),
                        },
                        now,
                    );
                    match parsed {
                        Ok(crime) => crimes.push(crime),
                        Err(Invalid(errors)) => {
                            for e in errors {
                                f.error(format!("/crimes/{i}{}", e.field), e.message);
                            }
                        }
                    }
                }
            }
            Some(CrimeRecording::NotACrime) => {
                if !input.crimes.is_empty() {
                    f.error("/crimes", "must be empty when it is not a crime");
                }
                reason = f.text("/reason", input.reason.as_deref().unwrap_or(""), REASON_MAX);
            }
            None => {}
        }
        let decision = f.finish(|| decision)?;
        for (i, crime) in crimes.iter().enumerate() {
            self.insert_crime(&mut tx, ctx, crime, &format!("/crimes/{i}"))
                .await?;
        }
        let d = Decision {
            decision,
            reason,
            decided_at: now,
            decided_by: ctx.actor.user_id,
        };
        store::insert_decision(&mut tx, self.force.id, id, &d).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "incident.crime_recording_decision",
            Some(id),
            serde_json::json!({"decision": decision.as_str(), "reason": d.reason, "crimes": crimes.len()}),
        )
        .await?;
        self.duty_event(
            &mut tx,
            &Event::CrimeRecordingDecided {
                incident: id,
                at: now,
            },
        )
        .await?;
        self.commit_with_view(tx, ctx, head, incident).await
    }

    /// Closes an incident with its closing category and result. An incident opened as a
    /// crime, closed without attendance although THRIVE found lines of enquiry, is flagged
    /// for a supervisor's review.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `close_incident`; [`AppError::Conflict`] when it is
    /// already closed, has no complete THRIVE, or (opened as a crime) has no
    /// crime-recording decision yet; [`AppError::Invalid`] for an unknown category or
    /// result.
    pub async fn close_incident(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &ClosureInput,
    ) -> Result<IncidentView> {
        authorise(ctx, Action::CloseIncident)?;
        let now = self.now();
        let mut f = Fields::new();
        let category = f.check(
            "/closing_category",
            input.closing_category.parse::<IncidentCategory>(),
        );
        let result = f.check("/result", input.result.parse::<IncidentResult>());
        let (category, result) = f.finish(|| Some((category?, result?)))?;
        let mut tx = self.begin().await?;
        let (head, incident, state) = self.open_for_action(&mut tx, ctx, id).await?;
        let assessments = store::assessments(&mut tx, self.force.id, id).await?;
        let Some(latest) = assessments.last() else {
            return Err(AppError::Conflict(
                "the incident has no complete THRIVE assessment: assess it before closing".into(),
            ));
        };
        if incident.category.is_crime()
            && store::decision(&mut tx, self.force.id, id).await?.is_none()
        {
            return Err(AppError::Conflict(
                "the crime-recording decision is not made: make it before closing".into(),
            ));
        }
        let attended = store::attendance(&mut tx, self.force.id, id)
            .await?
            .iter()
            .any(|a| matches!(a.kind, AttendanceKind::Deployed | AttendanceKind::Arrived));
        let review_flag = needs_review_on_closure(
            incident.category.is_crime(),
            attended,
            latest.assessment.thrive.has_lines_of_enquiry(),
        );
        let closure = Closure {
            closed_at: now,
            category,
            result,
            review_flag,
        };
        store::close(&mut tx, self.force.id, id, &closure).await?;
        if state.queued {
            store::dequeue(&mut tx, self.force.id, id).await?;
        }
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "incident.close",
            Some(id),
            serde_json::json!({"closing_category": category.as_str(), "result": result.as_str(), "review_flag": review_flag}),
        )
        .await?;
        self.duty_event(
            &mut tx,
            &Event::IncidentClosed {
                incident: id,
                at: now,
            },
        )
        .await?;
        self.commit_with_view(tx, ctx, head, incident).await
    }

    /// The incident-management queue: incidents waiting for deployment or resolution that
    /// the actor may see, ordered by risk and vulnerability first and age second, each with
    /// why it holds its place. The view is audited with what it showed.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_incident_queue`; [`AppError::Invalid`] for a bad
    /// area or grade.
    pub async fn incident_queue(
        &self,
        ctx: &Ctx,
        query: &QueueQuery,
        page: Page,
    ) -> Result<QueuePage> {
        authorise(ctx, Action::ViewIncidentQueue)?;
        let mut f = Fields::new();
        let area = match query.area.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => f.check(
                "/area",
                a.parse::<AreaId>().map_err(|_| "must be an area id"),
            ),
        };
        let grade = match query.grade.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(g) => f.check("/grade", g.parse::<ResponseGrade>()),
        };
        f.finish(|| Some(()))?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let (items, total) = store::queue(
            &mut tx,
            self.force.id,
            &QueueFilter { area, grade },
            &ctx.actor.audience(),
            i64::from(page.size),
            page.offset() as i64,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "incident_queue.view",
            None,
            serde_json::json!({
                "area": area.map(|a| a.to_string()), "grade": grade.map(|g| g.as_str()), "page": page.number,
                "results": items.iter().map(|i| i.incident.to_string()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        let lines = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let (_, over) = item.entry.waited(now);
                QueueLine {
                    position: page.offset() + i + 1,
                    why: item.entry.why(now),
                    overdue: over > chrono::TimeDelta::zero(),
                    item,
                }
            })
            .collect();
        Ok(QueuePage {
            lines,
            page,
            total,
            at: now,
        })
    }

    /// The first-contact measures of a period (issue 4 §7), over every incident of the
    /// force whether or not the actor may see it: counts reveal no record.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_aggregates`; [`AppError::Invalid`] for a bad
    /// bound or an empty period.
    pub async fn first_contact_measures(
        &self,
        ctx: &Ctx,
        query: &MeasuresQuery,
    ) -> Result<Measures> {
        authorise(ctx, Action::ViewAggregates)?;
        let now = self.now();
        let period =
            crate::incident::measures_period(query.from.as_deref(), query.to.as_deref(), now, 28)?;
        let (from, to) = (period.from, period.to);
        let mut tx = self.begin().await?;
        let m = review::measures(&mut tx, self.force.id, period, now).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "measures.first_contact",
            None,
            serde_json::json!({"from": from, "to": to}),
        )
        .await?;
        tx.commit().await?;
        Ok(m)
    }

    /// What a supervisor should look at now: downgrades, missed attendance targets,
    /// overdue crime-recording decisions, crimes closed without attendance, and
    /// inconsistent assessments, among the incidents the actor may see. Audited with the
    /// incidents shown.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `view_incident_queue`.
    pub async fn first_contact_review(&self, ctx: &Ctx) -> Result<Review> {
        authorise(ctx, Action::ViewIncidentQueue)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let r = review::review(&mut tx, self.force.id, &ctx.actor.audience(), now, 50).await?;
        let shown: Vec<String> = [
            &r.downgrades,
            &r.missed_attendance,
            &r.overdue_decisions,
            &r.closed_without_attendance,
            &r.inconsistent,
        ]
        .into_iter()
        .flatten()
        .map(|l| l.incident.to_string())
        .collect();
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "first_contact.review",
            None,
            serde_json::json!({"results": shown}),
        )
        .await?;
        tx.commit().await?;
        Ok(r)
    }
}

//! `/api/v1/incidents`: record, open and list calls for service.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bluelamp_app::first_contact::{
    AttendanceInput, ClosureInput, DecisionCrimeInput, DecisionInput, FirstContact, NewIncident,
    QueueQuery, Reassessment,
};
use bluelamp_app::incident::{EventPage, IncidentQuery, IncidentView};
use bluelamp_app::views::{Duty, StoredAssessment};
use bluelamp_app::{App, AppError, Page};
use bluelamp_domain::first_contact::{
    Advice, AdviceInput, AdviceItem, AdviceItemInput, AttendanceKind,
};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::incident::{Incident, IncidentInput};
use bluelamp_domain::thrive::{
    AssessmentInput, GradeInput, JudgementInput, Thrive, ThriveInput, VulnerabilityInput,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::LinkView;
use super::locations::LocationRequest;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};

/// One THRIVE element: `{"level": "low"|"medium"|"high", "rationale": "..."}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Judged {
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub rationale: Option<String>,
}

/// The vulnerability element: a judgement and the factors identified (`child`,
/// `older_person`, `mental_health`, `disability`, `communication_needs`,
/// `substance_misuse`, `domestic_abuse`, `hate_crime`, `repeat_victim`,
/// `stalking_harassment`, `sexual_exploitation`, `modern_slavery`, `honour_based_abuse`,
/// `missing`, `homeless`, `isolated`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JudgedVulnerability {
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub rationale: Option<String>,
    #[serde(default)]
    pub factors: Vec<String>,
}

/// A THRIVE assessment: all six elements are required, each with a rationale.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThriveBody {
    #[serde(default)]
    pub threat: Option<Judged>,
    #[serde(default)]
    pub harm: Option<Judged>,
    #[serde(default)]
    pub risk: Option<Judged>,
    #[serde(default)]
    pub investigation: Option<Judged>,
    #[serde(default)]
    pub vulnerability: Option<JudgedVulnerability>,
    #[serde(default)]
    pub engagement: Option<Judged>,
}

impl ThriveBody {
    fn into_input(self) -> ThriveInput {
        let j = |j: Option<Judged>| {
            j.map(|j| JudgementInput {
                level: j.level,
                rationale: j.rationale,
            })
        };
        ThriveInput {
            threat: j(self.threat),
            harm: j(self.harm),
            risk: j(self.risk),
            investigation: j(self.investigation),
            vulnerability: self.vulnerability.map(|v| VulnerabilityInput {
                level: v.level,
                rationale: v.rationale,
                factors: v.factors,
            }),
            engagement: j(self.engagement),
        }
    }

    fn from_thrive(t: &Thrive) -> Self {
        let j = |j: &bluelamp_domain::thrive::Judgement| {
            Some(Judged {
                level: Some(j.level.as_str().into()),
                rationale: Some(j.rationale.clone()),
            })
        };
        ThriveBody {
            threat: j(&t.threat),
            harm: j(&t.harm),
            risk: j(&t.risk),
            investigation: j(&t.investigation),
            vulnerability: Some(JudgedVulnerability {
                level: Some(t.vulnerability.level.as_str().into()),
                rationale: Some(t.vulnerability.rationale.clone()),
                factors: t.factors.iter().map(|f| f.as_str().into()).collect(),
            }),
            engagement: j(&t.engagement),
        }
    }
}

/// One item of the advice checklist: `{"given": true}` or `{"given": false, "reason":
/// "..."}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceItemBody {
    #[serde(default)]
    pub given: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// The advice checklist: required for an incident opened as a crime, before it is graded.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceBody {
    #[serde(default)]
    pub evidence_preservation: Option<AdviceItemBody>,
    #[serde(default)]
    pub crime_prevention: Option<AdviceItemBody>,
}

impl AdviceBody {
    fn into_input(self) -> AdviceInput {
        let item = |i: Option<AdviceItemBody>| {
            i.map(|i| AdviceItemInput {
                given: i.given,
                reason: i.reason,
            })
        };
        AdviceInput {
            evidence_preservation: item(self.evidence_preservation),
            crime_prevention: item(self.crime_prevention),
        }
    }

    fn from_advice(a: &Advice) -> Self {
        let item = |i: &AdviceItem| {
            Some(AdviceItemBody {
                given: Some(i.is_given()),
                reason: i.reason().map(str::to_string),
            })
        };
        AdviceBody {
            evidence_preservation: item(&a.evidence_preservation),
            crime_prevention: item(&a.crime_prevention),
        }
    }
}

/// An incident to record: the call as taken, and optionally its THRIVE with the grade
/// chosen and the advice given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentRequest {
    /// The force's incident reference number: 1 to 32 letters, digits, hyphens or slashes.
    /// When absent or blank the system numbers the call: the Europe/London date and the
    /// next number of the day's calls, such as `20261126-0042`.
    #[serde(default)]
    pub reference: Option<String>,
    /// `999`, `101`, `online` or `in_person`; `101` when absent.
    #[serde(default)]
    pub channel: Option<String>,
    /// When the report was received: RFC 3339 with its offset; stored in UTC. Not in the
    /// future.
    pub received_at: String,
    /// When it happened, if known: as `received_at`, and not after it.
    #[serde(default)]
    pub occurred_at: Option<String>,
    /// The opening code: `crime`, `domestic`, `anti_social_behaviour`,
    /// `concern_for_welfare`, `missing_person`, `suspicious`, `alarm`, `road_traffic`,
    /// `public_safety` or `administrative`.
    pub category: String,
    /// The location record where it happened; the incident is linked there (`occurred_at`).
    #[serde(default)]
    pub location_id: Option<String>,
    /// Or the address as the caller gives it: a new location record is made.
    #[serde(default)]
    pub location: Option<LocationRequest>,
    /// Persons who reported it (linked `reporter_of`).
    #[serde(default)]
    pub caller_ids: Vec<String>,
    /// Persons it is about (linked `involved_in`).
    #[serde(default)]
    pub subject_ids: Vec<String>,
    pub summary: String,
    /// The THRIVE assessment. Without it the incident is opened unassessed; it cannot be
    /// graded, queued or closed until assessed.
    #[serde(default)]
    pub thrive: Option<ThriveBody>,
    /// The grade chosen; the proposed grade when absent.
    #[serde(default)]
    pub grade: Option<String>,
    /// Why: required when the grade differs from the proposal.
    #[serde(default)]
    pub grade_rationale: Option<String>,
    #[serde(default)]
    pub advice: Option<AdviceBody>,
}

/// A re-assessment ("re-THRIVE"), or the first assessment of an incident opened without.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRequest {
    #[serde(default)]
    pub thrive: Option<ThriveBody>,
    /// The grade chosen; the proposed grade when absent.
    #[serde(default)]
    pub grade: Option<String>,
    /// Why: required for a grade other than the proposal, and for a downgrade.
    #[serde(default)]
    pub grade_rationale: Option<String>,
    /// The advice checklist, if not recorded yet.
    #[serde(default)]
    pub advice: Option<AdviceBody>,
}

/// An attendance decision or arrival.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceRequest {
    /// `deployed` or `not_attending` (decisions, each with a rationale, taking the incident
    /// off the queue), or `arrived`.
    pub kind: String,
    /// When: now by default for a decision; required for an arrival. RFC 3339.
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub rationale: Option<String>,
}

/// One crime recorded by a decision. It is linked to the incident and to its location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionCrime {
    /// The crime reference number.
    pub reference: String,
    /// The Home Office offence code, such as `8N` or `105A`.
    pub offence_code: String,
    /// When it was committed: when the incident happened (or was reported) by default.
    #[serde(default)]
    pub committed_from: Option<String>,
    #[serde(default)]
    pub domestic_abuse: bool,
}

/// The crime-recording decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `crime` (with `crimes`) or `not_a_crime` (with `reason`).
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub crimes: Vec<DecisionCrime>,
}

/// Closing an incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureRequest {
    /// The closing code: one of the opening codes.
    pub closing_category: String,
    /// `resolved_at_scene`, `resolved_without_attendance`, `crime_recorded`,
    /// `referred_to_partner`, `no_trace`, `duplicate` or `no_further_action`.
    pub result: String,
}

/// One assessment in an incident's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: Uuid,
    /// 1 for the first, then 2, 3, ...
    pub seq: i32,
    /// The assessment this one revises.
    pub revises_id: Option<Uuid>,
    pub assessed_at: DateTime<Utc>,
    pub assessed_by: Uuid,
    /// The assessor's display name.
    pub assessed_by_name: String,
    pub thrive: ThriveBody,
    pub proposed_grade: String,
    /// Which elements made the proposal.
    pub proposal_reason: String,
    pub grade: String,
    pub previous_grade: Option<String>,
    pub grade_rationale: Option<String>,
    /// The grade is lower than the previous assessment's.
    pub downgrade: bool,
    /// The grade differs from the proposal.
    pub overridden: bool,
    /// What a supervisor should look at (factors listed with vulnerability judged low, ...).
    pub inconsistencies: Vec<String>,
    /// `urban` or `rural`: whose attendance targets apply.
    pub setting: String,
}

impl AssessmentView {
    fn new(s: &StoredAssessment, fc: &FirstContact) -> Self {
        let a = &s.assessment;
        AssessmentView {
            id: s.id,
            seq: s.seq,
            revises_id: s.revises,
            assessed_at: s.assessed_at,
            assessed_by: s.assessed_by.uuid(),
            assessed_by_name: fc.name(s.assessed_by.uuid()),
            thrive: ThriveBody::from_thrive(&a.thrive),
            proposed_grade: a.proposal.grade.as_str().into(),
            proposal_reason: a.proposal.reason.clone(),
            grade: a.decision.chosen.as_str().into(),
            previous_grade: a.decision.previous.map(|g| g.as_str().into()),
            grade_rationale: a.decision.rationale.clone(),
            downgrade: a.decision.is_downgrade(),
            overridden: a.decision.is_override(),
            inconsistencies: a.thrive.inconsistencies(),
            setting: s.setting.as_str().into(),
        }
    }
}

/// An attendance decision or arrival.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceView {
    pub kind: String,
    pub at: DateTime<Utc>,
    pub rationale: Option<String>,
    /// For an arrival: the grade then, and whether its attendance target was met.
    pub grade: Option<String>,
    pub target_met: Option<bool>,
    pub recorded_by: Uuid,
    /// Their display name.
    pub recorded_by_name: String,
}

/// The crime-recording decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub decision: String,
    pub reason: Option<String>,
    pub decided_at: DateTime<Utc>,
    pub decided_by: Uuid,
    /// Their display name.
    pub decided_by_name: String,
}

/// How the incident was closed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureView {
    pub closed_at: DateTime<Utc>,
    pub closing_category: String,
    pub result: String,
    /// Closed as a crime without attendance although THRIVE found lines of enquiry: for a
    /// supervisor's review.
    pub review_flag: bool,
}

/// A duty about the incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyView {
    /// `complete_thrive`, `attend_or_resolve`, `decide_crime_recording`, ...
    pub kind: String,
    pub description: String,
    /// The rule that raised it, and its source.
    pub rule: String,
    pub source: String,
    /// `role:ROLE`, `team:ID` or `user:ID`.
    pub owed_by: String,
    /// The person it is owed to (a victim), when it is owed to one.
    pub owed_to: Option<Uuid>,
    pub raised_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub met_at: Option<DateTime<Utc>>,
    /// `open`, `overdue`, `met` or `breached` (met late).
    pub status: String,
    /// A supervisor's escalation of a late duty.
    pub escalation: bool,
}

impl DutyView {
    /// The duty as it stands at `now`.
    pub fn new(d: &Duty, now: DateTime<Utc>) -> Self {
        DutyView {
            kind: d.kind.as_str().into(),
            description: d.kind.describe().into(),
            rule: d.rule.as_str().into(),
            source: d.rule.source().into(),
            owed_by: d.owed_by.to_string(),
            owed_to: d.owed_to.map(|p| p.uuid()),
            raised_at: d.raised_at,
            due: d.due,
            met_at: d.met_at,
            status: d.status(now).as_str().into(),
            escalation: d.is_escalation(),
        }
    }
}

/// An incident with its first-contact history.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentResponse {
    pub id: Uuid,
    pub reference: String,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: String,
    pub location_id: Option<Uuid>,
    /// The neighbourhood of its location.
    pub area_id: Option<Uuid>,
    pub summary: String,
    /// The grade of the latest assessment; null until THRIVE is complete.
    pub grade: Option<String>,
    /// `awaiting_assessment`, `queued`, `deployed`, `resolved_without_attendance` or
    /// `closed`.
    pub state: String,
    /// While queued: why it holds its place.
    pub queue_reason: Option<String>,
    pub assessments: Vec<AssessmentView>,
    pub advice: Option<AdviceBody>,
    pub attendance: Vec<AttendanceView>,
    /// Whether the first arrival met the attendance target of its grade.
    pub attendance_target_met: Option<bool>,
    pub crime_recording_decision: Option<DecisionView>,
    /// The crimes recorded from it.
    pub crime_ids: Vec<Uuid>,
    pub closure: Option<ClosureView>,
    pub duties: Vec<DutyView>,
    pub restricted: bool,
    pub created_at: DateTime<Utc>,
    pub archived_at: Option<DateTime<Utc>>,
    pub links: Vec<LinkView>,
}

/// The answer to an action on an incident: `201` with the incident as it now stands.
fn created(app: &App, view: IncidentView) -> (StatusCode, Json<IncidentResponse>) {
    (
        StatusCode::CREATED,
        Json(IncidentResponse::new(view, app.now())),
    )
}

/// Where an incident stands, in one word.
fn state_of(fc: &FirstContact) -> &'static str {
    if fc.state.closure.is_some() {
        "closed"
    } else if fc.state.queued {
        "queued"
    } else if fc.state.grade.is_none() {
        "awaiting_assessment"
    } else if fc.attended() {
        "deployed"
    } else {
        "resolved_without_attendance"
    }
}

impl IncidentResponse {
    fn new(v: IncidentView, now: DateTime<Utc>) -> Self {
        let i = v.incident;
        let fc = v.first_contact;
        IncidentResponse {
            id: v.head.id.uuid(),
            reference: i.reference,
            channel: i.channel.as_str().into(),
            received_at: i.received_at,
            occurred_at: i.occurred_at,
            category: i.category.as_str().into(),
            location_id: i.location_id.map(|l| l.uuid()),
            area_id: fc.state.area_id.map(|a| a.uuid()),
            summary: i.summary,
            grade: fc.state.grade.map(|g| g.as_str().into()),
            state: state_of(&fc).into(),
            queue_reason: fc.queue_reason.clone(),
            assessments: fc
                .assessments
                .iter()
                .map(|s| AssessmentView::new(s, &fc))
                .collect(),
            advice: fc.advice.as_ref().map(AdviceBody::from_advice),
            attendance_target_met: fc
                .attendance
                .iter()
                .find(|a| a.kind == AttendanceKind::Arrived)
                .and_then(|a| a.target_met),
            attendance: fc
                .attendance
                .iter()
                .map(|a| AttendanceView {
                    kind: a.kind.as_str().into(),
                    at: a.at,
                    rationale: a.rationale.clone(),
                    grade: a.grade.map(|g| g.as_str().into()),
                    target_met: a.target_met,
                    recorded_by: a.recorded_by.uuid(),
                    recorded_by_name: fc.name(a.recorded_by.uuid()),
                })
                .collect(),
            crime_recording_decision: fc.decision.as_ref().map(|d| DecisionView {
                decision: d.decision.as_str().into(),
                reason: d.reason.clone(),
                decided_at: d.decided_at,
                decided_by: d.decided_by.uuid(),
                decided_by_name: fc.name(d.decided_by.uuid()),
            }),
            crime_ids: fc.crimes.iter().map(|c| c.uuid()).collect(),
            closure: fc.state.closure.as_ref().map(|c| ClosureView {
                closed_at: c.closed_at,
                closing_category: c.category.as_str().into(),
                result: c.result.as_str().into(),
                review_flag: c.review_flag,
            }),
            duties: fc.duties.iter().map(|d| DutyView::new(d, now)).collect(),
            restricted: v.head.access.restricted,
            created_at: v.head.created_at,
            archived_at: v.head.archived_at,
            links: v
                .links
                .into_iter()
                .map(|k| LinkView::from_end(k, v.head.id))
                .collect(),
        }
    }
}

/// An incident in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentSummary {
    pub id: Uuid,
    pub reference: String,
    pub received_at: DateTime<Utc>,
    pub category: String,
    pub location_id: Option<Uuid>,
    pub summary: String,
}

impl IncidentSummary {
    fn new(id: RecordId, i: Incident) -> Self {
        IncidentSummary {
            id: id.uuid(),
            reference: i.reference,
            received_at: i.received_at,
            category: i.category.as_str().into(),
            location_id: i.location_id.map(|l| l.uuid()),
            summary: i.summary,
        }
    }
}

/// A page of incidents, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentList {
    pub items: Vec<IncidentSummary>,
    pub page: u32,
    pub per_page: u32,
    /// Whether the next page has more.
    pub has_more: bool,
}

impl From<EventPage<Incident>> for IncidentList {
    fn from(p: EventPage<Incident>) -> Self {
        IncidentList {
            items: p
                .items
                .into_iter()
                .map(|(id, i)| IncidentSummary::new(id, i))
                .collect(),
            page: p.page.number,
            per_page: p.page.size,
            has_more: p.has_more,
        }
    }
}

/// Which incidents to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentParams {
    /// Received at or after: a date (`YYYY-MM-DD`, from 00:00 UTC) or an RFC 3339 time.
    pub from: Option<String>,
    /// Received before: as `from`.
    pub to: Option<String>,
    /// Only this opening code.
    pub category: Option<String>,
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; 20 by default.
    pub per_page: Option<u32>,
}

/// Takes a call: records an incident, optionally with its THRIVE, grade and advice, which
/// grade and queue it in the same transaction.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = IncidentRequest,
    responses((status = 201, description = "Created", body = IncidentResponse, content_type = "application/json",
               headers(("Location" = String, description = "The new incident's URL")))))]
pub async fn create(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiJson(b): ApiJson<IncidentRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = NewIncident {
        incident: IncidentInput {
            reference: b.reference.unwrap_or_default(),
            channel: b.channel.unwrap_or_default(),
            received_at: b.received_at,
            occurred_at: b.occurred_at,
            category: b.category,
            location_id: b.location_id,
            summary: b.summary,
        },
        location: b.location.map(Into::into),
        caller_ids: b.caller_ids,
        subject_ids: b.subject_ids,
        assessment: AssessmentInput {
            thrive: b.thrive.map(ThriveBody::into_input),
            grade: GradeInput {
                grade: b.grade,
                rationale: b.grade_rationale,
            },
        },
        advice: b.advice.map(AdviceBody::into_input),
    };
    let view = app.take_call(&ctx, &input).await?;
    let url = format!("/api/v1/incidents/{}", view.head.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url)],
        Json(IncidentResponse::new(view, app.now())),
    ))
}

/// Re-assesses an incident ("re-THRIVE"): a new assessment linked to the one before. A
/// downgrade needs a rationale.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/assessments", tag = "incidents",
    request_body = AssessmentRequest,
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 201, description = "Assessed; the incident as it now stands", body = IncidentResponse, content_type = "application/json"),
              (status = 409, description = "The incident is closed", body = Problem, content_type = "application/problem+json")))]
pub async fn assess(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AssessmentRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = Reassessment {
        assessment: AssessmentInput {
            thrive: b.thrive.map(ThriveBody::into_input),
            grade: GradeInput {
                grade: b.grade,
                rationale: b.grade_rationale,
            },
        },
        advice: b.advice.map(AdviceBody::into_input),
    };
    let view = app.reassess_incident(&ctx, path_id(&id)?, &input).await?;
    Ok(created(&app, view))
}

/// Records an attendance decision (with its rationale) or an arrival.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/attendance", tag = "incidents",
    request_body = AttendanceRequest,
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 201, description = "Recorded; the incident as it now stands", body = IncidentResponse, content_type = "application/json"),
              (status = 409, description = "Closed, not yet assessed, no longer queued, or nobody deployed", body = Problem, content_type = "application/problem+json")))]
pub async fn attendance(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AttendanceRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = AttendanceInput {
        kind: b.kind,
        at: b.at,
        rationale: b.rationale,
    };
    let view = app.record_attendance(&ctx, path_id(&id)?, &input).await?;
    Ok(created(&app, view))
}

/// Makes the crime-recording decision (NCRS): crimes recorded and linked back, or not a
/// crime with the reason.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/crime-recording-decision", tag = "incidents",
    request_body = DecisionRequest,
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 201, description = "Decided; the incident as it now stands", body = IncidentResponse, content_type = "application/json"),
              (status = 409, description = "Already decided, or the incident is closed", body = Problem, content_type = "application/problem+json")))]
pub async fn decide(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = DecisionInput {
        decision: b.decision,
        reason: b.reason,
        crimes: b
            .crimes
            .into_iter()
            .map(|c| DecisionCrimeInput {
                reference: c.reference,
                offence_code: c.offence_code,
                committed_from: c.committed_from,
                domestic_abuse: c.domestic_abuse,
            })
            .collect(),
    };
    let view = app
        .decide_crime_recording(&ctx, path_id(&id)?, &input)
        .await?;
    Ok(created(&app, view))
}

/// Closes an incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/closure", tag = "incidents",
    request_body = ClosureRequest,
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 201, description = "Closed; the incident as it now stands", body = IncidentResponse, content_type = "application/json"),
              (status = 409, description = "Already closed, not assessed, or a crime without its recording decision", body = Problem, content_type = "application/problem+json")))]
pub async fn close(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ClosureRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = ClosureInput {
        closing_category: b.closing_category,
        result: b.result,
    };
    let view = app.close_incident(&ctx, path_id(&id)?, &input).await?;
    Ok(created(&app, view))
}

/// One incident in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemView {
    /// From 1 at the top of the whole queue (as filtered).
    pub position: usize,
    pub incident_id: Uuid,
    pub reference: String,
    pub category: String,
    pub summary: String,
    pub area_id: Option<Uuid>,
    pub grade: String,
    pub risk: String,
    pub vulnerability: String,
    pub vulnerability_factors: Vec<String>,
    pub received_at: DateTime<Utc>,
    pub queued_at: DateTime<Utc>,
    /// The wait its grade allows, in seconds.
    pub wait_allowed_seconds: Option<i64>,
    /// Waiting longer than its grade allows.
    pub overdue: bool,
    /// Why it holds its place.
    pub why: String,
}

/// A page of the incident-management queue, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueResponse {
    pub items: Vec<QueueItemView>,
    /// Items in the queue as filtered.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// The time the waits are measured at.
    pub at: DateTime<Utc>,
    /// The order, in words.
    pub order: String,
}

/// Which part of the queue.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// A neighbourhood or local policing area id.
    pub area: Option<String>,
    /// `emergency`, `priority`, `scheduled` or `resolution_without_deployment`.
    pub grade: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The queue's order, in words, for whoever reads it.
pub const QUEUE_ORDER: &str = "By the urgency of the grade, then risk, then vulnerability \
    (its level, then the number of factors), highest first; then the oldest report first.";

/// The incident-management queue: incidents waiting for deployment or resolution, ordered
/// by risk and vulnerability first and age second, each with why it holds its place.
#[utoipa::path(get, path = "/api/v1/queues/incident-management", tag = "incidents", params(QueueParams),
    responses((status = 200, description = "The queue, in order", body = QueueResponse, content_type = "application/json")))]
pub async fn queue(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<QueueParams>,
) -> ApiResult<Json<QueueResponse>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let p = app
        .incident_queue(
            &ctx,
            &QueueQuery {
                area: q.area,
                grade: q.grade,
            },
            page,
        )
        .await?;
    Ok(Json(QueueResponse {
        items: p
            .lines
            .into_iter()
            .map(|l| {
                let e = l.item.entry;
                QueueItemView {
                    position: l.position,
                    incident_id: l.item.incident.uuid(),
                    reference: l.item.reference,
                    category: l.item.category.as_str().into(),
                    summary: l.item.summary,
                    area_id: l.item.area_id.map(|a| a.uuid()),
                    grade: e.grade.as_str().into(),
                    risk: e.risk.as_str().into(),
                    vulnerability: e.vulnerability.as_str().into(),
                    vulnerability_factors: e.factors.iter().map(|f| f.as_str().into()).collect(),
                    received_at: e.received_at,
                    queued_at: e.queued_at,
                    wait_allowed_seconds: e.wait_allowed.map(|w| w.num_seconds()),
                    overdue: l.overdue,
                    why: l.why,
                }
            })
            .collect(),
        total: p.total,
        page: p.page.number,
        per_page: p.page.size,
        at: p.at,
        order: QUEUE_ORDER.into(),
    }))
}

/// Lists incidents, newest first.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentParams),
    responses((status = 200, description = "A page of incidents", body = IncidentList, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<IncidentParams>,
) -> ApiResult<Json<IncidentList>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let query = IncidentQuery {
        from: q.from,
        to: q.to,
        category: q.category,
    };
    Ok(Json(app.list_incidents(&ctx, &query, page).await?.into()))
}

/// Opens an incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents",
    params(("id" = Uuid, Path, description = "The incident's id"),
           ("Bluelamp-Access-Reason" = Option<String>, Header, description = "Why you open a restricted record")),
    responses((status = 200, description = "The incident", body = IncidentResponse, content_type = "application/json")))]
pub async fn get(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentResponse>> {
    let view = app.get_incident(&ctx, path_id(&id)?).await?;
    Ok(Json(IncidentResponse::new(view, app.now())))
}

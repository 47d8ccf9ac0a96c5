//! Investigation and victim care (issue 5): `/api/v1/crimes/{id}/allocation`, `/plan`,
//! `/reviews`, `/handovers`, `/steps`, `/developments`, `/outcome`, `/victims`;
//! `/api/v1/victims/{id}` with its contacts and surveys; `/api/v1/investigations` (held by
//! me or my teams); `/api/v1/duties`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bluelamp_app::duty::{DutyPage, DutyQuery};
use bluelamp_app::investigation::{
    ActionInput, AllocationInput, ApprovalInput, CaseFile, CompletionInput, DevelopmentInput,
    HandoverDecisionInput, HandoverInput, Holding, PlanInput, ReviewInput, StepInput,
};
use bluelamp_app::victim::{VictimFile, VictimInput};
use bluelamp_app::{App, AppError, Page};
use bluelamp_domain::investigation::{ChecklistAnswerInput, ChecklistItem, required_pip};
use bluelamp_domain::outcome::OutcomeInput;
use bluelamp_domain::victim::{ContactInput, NeedsAssessmentInput, SurveyInput};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::first_contact::{DutyMeasure, Share};
use super::incidents::DutyView;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, path_id};
use bluelamp_app::first_contact::MeasuresQuery;
use bluelamp_app::views::InvestigationMeasures;
use bluelamp_domain::duty::{DutyKind, RuleId};
use bluelamp_domain::outcome::Outcome;

/// An outcome number with its meaning and Home Office group.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeType {
    pub number: u8,
    pub label: String,
    pub group: String,
}

impl OutcomeType {
    fn of(o: bluelamp_domain::outcome::Outcome) -> Self {
        OutcomeType {
            number: o.number(),
            label: o.label().into(),
            group: o.group().as_str().into(),
        }
    }
}

/// A step in the investigation's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepView {
    pub step: String,
    pub state_after: String,
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub team_id: Option<Uuid>,
    pub investigator_id: Option<Uuid>,
    pub note: Option<String>,
}

/// A line of enquiry or action.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanItemView {
    pub id: Uuid,
    /// `line_of_enquiry` or `action`.
    pub kind: String,
    pub text: String,
    /// `plan`, `review` (a supervisor's direction) or `handover` (outstanding at handover).
    pub source: String,
    pub source_id: Option<Uuid>,
    pub assigned_to: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<Uuid>,
    pub result: Option<String>,
}

/// A supervisor's review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub supervisor_id: Uuid,
    pub risk: String,
    pub note: String,
}

/// One answer of a handover's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    pub item: String,
    /// `done`, `outstanding` or `not_applicable`.
    pub state: String,
    pub note: Option<String>,
}

/// A handover between teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverView {
    pub id: Uuid,
    pub from_team_id: Option<Uuid>,
    pub to_team_id: Uuid,
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub note: Option<String>,
    pub checklist: Vec<ChecklistView>,
    /// `accepted` or `returned`; null while awaiting the receiving team.
    pub decision: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub reasons: Option<String>,
}

/// A development the victims are told of.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevelopmentView {
    pub id: Uuid,
    pub what: String,
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub note: Option<String>,
}

/// An outcome proposed or recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    pub id: Uuid,
    pub outcome: OutcomeType,
    pub at: DateTime<Utc>,
    pub charge_date: Option<NaiveDate>,
    pub suspect_id: Option<Uuid>,
    pub victim_position: Option<String>,
    pub rationale: String,
    pub recorded_by: Uuid,
    /// `proposed` (awaiting a supervisor), `approved` or `rejected`.
    pub status: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub decision_reason: Option<String>,
}

/// A victim of the crime, with their Victims' Code entitlements.
#[derive(Debug, Serialize, ToSchema)]
pub struct VictimSummary {
    pub id: Uuid,
    pub person_id: Uuid,
    pub recorded_at: DateTime<Utc>,
    /// `standard` or `enhanced`.
    pub entitlement: String,
    /// Why enhanced: `most_serious_crime`, `persistently_targeted`, `vulnerable`,
    /// `intimidated`.
    pub reasons: Vec<String>,
    pub needs: Option<String>,
    /// `referred`, `declined` or `awaiting_consent`.
    pub referral: String,
    pub referral_at: Option<DateTime<Utc>>,
    pub contact_method: String,
    pub update_every_days: u32,
    /// The victim personal statement: `made`, `declined`, `offered_later`; null until
    /// offered.
    pub vps: Option<String>,
}

impl VictimSummary {
    fn of(v: &bluelamp_app::views::Victim) -> Self {
        VictimSummary {
            id: v.id,
            person_id: v.person.uuid(),
            recorded_at: v.recorded_at,
            entitlement: v.entitlement.as_str().into(),
            reasons: v.reasons.iter().map(|r| r.as_str().into()).collect(),
            needs: v.needs.clone(),
            referral: v.referral.as_str().into(),
            referral_at: v.referral_at,
            contact_method: v.contact_method.as_str().into(),
            update_every_days: v.update_every_days,
            vps: v.vps.map(|p| p.as_str().into()),
        }
    }
}

/// A crime's investigation: where it stands, its history, plan, reviews, handovers,
/// developments, outcomes, victims and duties.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationResponse {
    pub crime_id: Uuid,
    /// `recorded`, `allocated`, `under_investigation`, `awaiting_charging_decision` or
    /// `finalised`.
    pub state: String,
    /// `standard` or `serious`.
    pub seriousness: String,
    pub complex: bool,
    /// The PIP level an investigator needs: 1, or 2 when serious or complex.
    pub required_pip_level: u8,
    /// The risk supervision is scheduled at: `low`, `medium` or `high`.
    pub risk: String,
    pub team_id: Option<Uuid>,
    pub investigator_id: Option<Uuid>,
    pub allocated_at: Option<DateTime<Utc>>,
    pub finalised_at: Option<DateTime<Utc>>,
    pub outcome: Option<OutcomeType>,
    /// When the next supervision review is due, while one is pending.
    pub next_review_due: Option<DateTime<Utc>>,
    /// Lines of enquiry and actions not yet done.
    pub open_actions: usize,
    pub steps: Vec<StepView>,
    pub plan: Vec<PlanItemView>,
    pub reviews: Vec<ReviewView>,
    pub handovers: Vec<HandoverView>,
    pub developments: Vec<DevelopmentView>,
    pub outcomes: Vec<OutcomeView>,
    pub victims: Vec<VictimSummary>,
    pub duties: Vec<DutyView>,
}

impl InvestigationResponse {
    /// The case file as it stands at `now`.
    pub fn new(f: CaseFile, now: DateTime<Utc>) -> Self {
        let v = &f.investigation;
        let next_review_due = f
            .duties
            .iter()
            .filter(|d| {
                d.kind == bluelamp_domain::duty::DutyKind::ReviewInvestigation
                    && d.met_at.is_none()
                    && !d.is_escalation()
            })
            .map(|d| d.due)
            .min();
        InvestigationResponse {
            crime_id: v.crime.uuid(),
            state: v.state.as_str().into(),
            seriousness: v.seriousness.as_str().into(),
            complex: v.complex,
            required_pip_level: required_pip(v.seriousness, v.complex).number(),
            risk: v.risk.as_str().into(),
            team_id: v.team.map(|t| t.uuid()),
            investigator_id: v.investigator.map(|u| u.uuid()),
            allocated_at: v.allocated_at,
            finalised_at: v.finalised_at,
            outcome: v.outcome.map(OutcomeType::of),
            next_review_due,
            open_actions: f.open_actions(),
            steps: f
                .steps
                .iter()
                .map(|s| StepView {
                    step: s.step.as_str().into(),
                    state_after: s.state_after.as_str().into(),
                    at: s.at,
                    user_id: s.user.uuid(),
                    team_id: s.team.map(|t| t.uuid()),
                    investigator_id: s.investigator.map(|u| u.uuid()),
                    note: s.note.clone(),
                })
                .collect(),
            plan: f
                .plan
                .iter()
                .map(|p| PlanItemView {
                    id: p.id,
                    kind: p.kind.as_str().into(),
                    text: p.text.clone(),
                    source: p.source.as_str().into(),
                    source_id: p.source_id,
                    assigned_to: p.assigned_to.map(|u| u.uuid()),
                    due_on: p.due_on,
                    created_at: p.created_at,
                    created_by: p.created_by.uuid(),
                    done_at: p.done_at,
                    done_by: p.done_by.map(|u| u.uuid()),
                    result: p.result.clone(),
                })
                .collect(),
            reviews: f
                .reviews
                .iter()
                .map(|r| ReviewView {
                    id: r.id,
                    at: r.at,
                    supervisor_id: r.supervisor.uuid(),
                    risk: r.risk.as_str().into(),
                    note: r.note.clone(),
                })
                .collect(),
            handovers: f
                .handovers
                .iter()
                .map(|h| HandoverView {
                    id: h.id,
                    from_team_id: h.from_team.map(|t| t.uuid()),
                    to_team_id: h.to_team.uuid(),
                    at: h.at,
                    by: h.by.uuid(),
                    note: h.note.clone(),
                    checklist: h
                        .checklist
                        .iter()
                        .map(|a| ChecklistView {
                            item: a.item.as_str().into(),
                            state: a.state.as_str().into(),
                            note: a.note.clone(),
                        })
                        .collect(),
                    decision: h.decision.as_ref().map(|d| d.decision.as_str().into()),
                    decided_at: h.decision.as_ref().map(|d| d.at),
                    decided_by: h.decision.as_ref().map(|d| d.by.uuid()),
                    reasons: h.decision.as_ref().and_then(|d| d.reasons.clone()),
                })
                .collect(),
            developments: f
                .developments
                .iter()
                .map(|d| DevelopmentView {
                    id: d.id,
                    what: d.what.as_str().into(),
                    at: d.at,
                    by: d.by.uuid(),
                    note: d.note.clone(),
                })
                .collect(),
            outcomes: f
                .outcomes
                .iter()
                .map(|o| OutcomeView {
                    id: o.id,
                    outcome: OutcomeType::of(o.outcome),
                    at: o.at,
                    charge_date: o.charge_date,
                    suspect_id: o.suspect.map(|s| s.uuid()),
                    victim_position: o.victim_position.map(|p| p.as_str().into()),
                    rationale: o.rationale.clone(),
                    recorded_by: o.recorded_by.uuid(),
                    status: o.status.as_str().into(),
                    decided_at: o.decided_at,
                    decided_by: o.decided_by.map(|u| u.uuid()),
                    decision_reason: o.decision_reason.clone(),
                })
                .collect(),
            victims: f.victims.iter().map(VictimSummary::of).collect(),
            duties: f.duties.iter().map(|d| DutyView::new(d, now)).collect(),
        }
    }
}

fn answered(app: &App, f: CaseFile) -> (StatusCode, Json<InvestigationResponse>) {
    (
        StatusCode::CREATED,
        Json(InvestigationResponse::new(f, app.now())),
    )
}

const CRIME_ID: &str = "The crime's id";

/// An allocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    pub team_id: String,
    /// An investigator in the team, accredited to the PIP level needed; may follow later.
    #[serde(default)]
    pub investigator_id: Option<String>,
    /// `standard` or `serious`; proposed from the offence when left out.
    #[serde(default)]
    pub seriousness: Option<String>,
    /// Complex investigations need PIP level 2.
    #[serde(default)]
    pub complex: bool,
    /// `low`, `medium` or `high`: sets the supervision schedule.
    pub risk: String,
    pub rationale: String,
}

/// Allocates (or reallocates) the investigation to a team and an accredited investigator.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/allocation", tag = "investigations",
    request_body = AllocationRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "Allocated; the investigation as it now stands", body = InvestigationResponse, content_type = "application/json"),
              (status = 409, description = "Finalised", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn allocate(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AllocationRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = AllocationInput {
        team_id: b.team_id,
        investigator_id: b.investigator_id,
        seriousness: b.seriousness,
        complex: b.complex,
        risk: b.risk,
        rationale: b.rationale,
    };
    Ok(answered(
        &app,
        app.allocate(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// A line of enquiry, action or direction.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    pub text: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// A user id.
    #[serde(default)]
    pub assigned_to: Option<String>,
}

fn actions(raw: Vec<ActionRequest>) -> Vec<ActionInput> {
    raw.into_iter()
        .map(|a| ActionInput {
            text: a.text,
            due_on: a.due_on,
            assigned_to: a.assigned_to,
        })
        .collect()
}

/// A plan item done, with its result.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompletionRequest {
    pub id: String,
    pub result: String,
}

/// Additions to the plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    #[serde(default)]
    pub lines_of_enquiry: Vec<ActionRequest>,
    #[serde(default)]
    pub actions: Vec<ActionRequest>,
    #[serde(default)]
    pub completed: Vec<CompletionRequest>,
}

/// Adds lines of enquiry and actions to the plan, and marks items done.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/plan", tag = "investigations",
    request_body = PlanRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn plan(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<PlanRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = PlanInput {
        lines_of_enquiry: actions(b.lines_of_enquiry),
        actions: actions(b.actions),
        completed: b
            .completed
            .into_iter()
            .map(|c| CompletionInput {
                id: c.id,
                result: c.result,
            })
            .collect(),
    };
    Ok(answered(&app, app.plan(&ctx, path_id(&id)?, &input).await?))
}

/// A supervisor's review.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `low`, `medium` or `high`: the risk from now on, which sets when the next review is
    /// due.
    pub risk: String,
    pub note: String,
    /// Each becomes an action in the plan.
    #[serde(default)]
    pub directions: Vec<ActionRequest>,
}

/// Records a supervisor's review with its directions; the next review falls due.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/reviews", tag = "investigations",
    request_body = ReviewRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn review(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReviewRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = ReviewInput {
        risk: b.risk,
        note: b.note,
        directions: actions(b.directions),
    };
    Ok(answered(
        &app,
        app.review(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// One checklist answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistAnswerRequest {
    /// `done`, `outstanding` or `not_applicable`.
    pub state: String,
    /// Required unless done.
    #[serde(default)]
    pub note: Option<String>,
}

/// The handover checklist: every item answered.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRequest {
    pub statements: Option<ChecklistAnswerRequest>,
    pub cctv: Option<ChecklistAnswerRequest>,
    pub forensic_submissions: Option<ChecklistAnswerRequest>,
    pub house_to_house: Option<ChecklistAnswerRequest>,
    pub suspect_details: Option<ChecklistAnswerRequest>,
    pub victim_contact: Option<ChecklistAnswerRequest>,
}

/// A handover to another team.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    pub to_team_id: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub checklist: ChecklistRequest,
}

/// Hands the investigation to another team with the quality checklist.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/handovers", tag = "investigations",
    request_body = HandoverRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn hand_over(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<HandoverRequest>,
) -> ApiResult<impl IntoResponse> {
    let c = b.checklist;
    let answer = |a: Option<ChecklistAnswerRequest>| {
        a.map(|a| ChecklistAnswerInput {
            state: a.state,
            note: a.note,
        })
    };
    let input = HandoverInput {
        to_team_id: b.to_team_id,
        note: b.note,
        checklist: vec![
            (ChecklistItem::Statements, answer(c.statements)),
            (ChecklistItem::Cctv, answer(c.cctv)),
            (
                ChecklistItem::ForensicSubmissions,
                answer(c.forensic_submissions),
            ),
            (ChecklistItem::HouseToHouse, answer(c.house_to_house)),
            (ChecklistItem::SuspectDetails, answer(c.suspect_details)),
            (ChecklistItem::VictimContact, answer(c.victim_contact)),
        ],
    };
    Ok(answered(
        &app,
        app.hand_over(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// The receiving team's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverDecisionRequest {
    /// `accepted` or `returned`.
    pub decision: String,
    /// Required when returned.
    #[serde(default)]
    pub reasons: Option<String>,
}

/// Accepts a handover (the investigation moves to the receiving team) or returns it with
/// reasons.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/handovers/{handover_id}/decision", tag = "investigations",
    request_body = HandoverDecisionRequest,
    params(("id" = Uuid, Path, description = CRIME_ID), ("handover_id" = Uuid, Path, description = "The handover's id")),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn decide_handover(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path((id, handover)): Path<(String, String)>,
    ApiJson(b): ApiJson<HandoverDecisionRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = HandoverDecisionInput {
        decision: b.decision,
        reasons: b.reasons,
    };
    let f = app
        .decide_handover(&ctx, path_id(&id)?, path_id(&handover)?, &input)
        .await?;
    Ok(answered(&app, f))
}

/// A step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// `refer_to_cps`, `return_from_cps` or `reopen` (supervisors).
    pub step: String,
    pub note: String,
}

/// Refers the investigation to the CPS for a charging decision, records its return, or
/// reopens a finalised investigation.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/steps", tag = "investigations",
    request_body = StepRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json"),
              (status = 409, description = "The state does not allow the step", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn step(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StepRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = StepInput {
        step: b.step,
        note: b.note,
    };
    Ok(answered(
        &app,
        app.take_step(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// A development.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentRequest {
    /// `arrest`, `interview_under_caution`, `released_no_further_action`, `released_on_bail`,
    /// `bail_changed`, `released_under_investigation`, `charged`, `out_of_court_disposal`,
    /// `closed_no_charge`, `decision_not_to_investigate` or `first_hearing`.
    pub what: String,
    /// RFC 3339; now when left out.
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Records a development the victims must be told of; each victim's update falls due under
/// the Victims' Code (5 working days, 1 for enhanced entitlements).
#[utoipa::path(post, path = "/api/v1/crimes/{id}/developments", tag = "investigations",
    request_body = DevelopmentRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn development(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DevelopmentRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = DevelopmentInput {
        what: b.what,
        at: b.at,
        note: b.note,
    };
    Ok(answered(
        &app,
        app.record_development(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// An outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    /// The Home Office outcome number, 1 to 22, valid at its date.
    pub outcome: serde_json::Value,
    /// When it was decided: RFC 3339; now when left out.
    #[serde(default)]
    pub at: Option<String>,
    /// Outcome 1: the date of the charge or summons.
    #[serde(default)]
    pub charge_date: Option<String>,
    /// The named suspect (a person id), for every outcome but 14, 18, 19 and 20.
    #[serde(default)]
    pub suspect_id: Option<String>,
    /// Outcomes 14 to 16: `supports`, `does_not_support` or `withdrawn`.
    #[serde(default)]
    pub victim_position: Option<String>,
    /// Outcome 18: the investigation is complete (every plan item done).
    #[serde(default)]
    pub investigation_complete: bool,
    pub rationale: String,
}

/// Records the outcome. It must be valid at its date and meet its rule (each refusal names
/// the rule); where force policy asks for a supervisor's approval it is proposed until
/// approved.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/outcome", tag = "investigations",
    request_body = OutcomeRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json"),
              (status = 422, description = "The outcome breaks a rule, named with its field", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn outcome(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OutcomeRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = OutcomeInput {
        outcome: match b.outcome {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        },
        at: b.at,
        charge_date: b.charge_date,
        suspect_id: b.suspect_id,
        victim_position: b.victim_position,
        investigation_complete: b.investigation_complete,
        rationale: b.rationale,
    };
    Ok(answered(
        &app,
        app.record_outcome(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// A supervisor's decision on a proposed outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRequest {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required when rejected.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approves the proposed outcome (the investigation is finalised) or rejects it.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/outcome/decision", tag = "investigations",
    request_body = ApprovalRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The investigation as it now stands", body = InvestigationResponse, content_type = "application/json")))]
pub async fn decide_outcome(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ApprovalRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = ApprovalInput {
        decision: b.decision,
        reason: b.reason,
    };
    Ok(answered(
        &app,
        app.decide_outcome(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// The needs assessment.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedsAssessmentRequest {
    /// What the offence code cannot show: hate crime, terrorism, trafficking, a bereaved
    /// relative. Domestic abuse, sexual offences and the gravest violence count already.
    #[serde(default)]
    pub most_serious_crime: bool,
    #[serde(default)]
    pub persistently_targeted: bool,
    #[serde(default)]
    pub vulnerable: bool,
    #[serde(default)]
    pub intimidated: bool,
    #[serde(default)]
    pub needs: Option<String>,
    /// `referred`, `declined` or `awaiting_consent`.
    pub referral: String,
    /// Required for a referral of a victim of a sexual offence or domestic abuse, or a
    /// bereaved relative.
    #[serde(default)]
    pub explicit_consent: bool,
    /// `phone`, `email`, `letter`, `text` or `in_person`.
    pub contact_method: String,
    /// 1 to 90; 28 when left out.
    #[serde(default)]
    pub update_every_days: Option<u32>,
}

/// A victim to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VictimRequest {
    pub person_id: String,
    /// When they reported: RFC 3339; when the crime was recorded, if left out.
    #[serde(default)]
    pub reported_at: Option<String>,
    pub assessment: NeedsAssessmentRequest,
}

/// A victim with the contact log, survey answers and the duties owed to them.
#[derive(Debug, Serialize, ToSchema)]
pub struct VictimResponse {
    pub crime_id: Uuid,
    #[serde(flatten)]
    pub victim: VictimSummary,
    pub contacts: Vec<ContactView>,
    pub surveys: Vec<SurveyView>,
    pub duties: Vec<DutyView>,
}

/// A contact in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub method: String,
    pub summary: String,
    pub by: Uuid,
    pub referral: Option<String>,
    pub vps: Option<String>,
}

/// A survey response.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    pub at: DateTime<Utc>,
    pub overall: String,
    pub kept_informed: String,
    pub treatment: String,
}

impl VictimResponse {
    fn new(f: VictimFile, now: DateTime<Utc>) -> Self {
        VictimResponse {
            crime_id: f.victim.crime.uuid(),
            victim: VictimSummary::of(&f.victim),
            contacts: f
                .contacts
                .iter()
                .map(|c| ContactView {
                    id: c.id,
                    at: c.contact.at,
                    method: c.contact.method.as_str().into(),
                    summary: c.contact.summary.clone(),
                    by: c.by.uuid(),
                    referral: c.contact.referral.map(|r| r.as_str().into()),
                    vps: c.contact.vps.map(|v| v.as_str().into()),
                })
                .collect(),
            surveys: f
                .surveys
                .iter()
                .map(|s| SurveyView {
                    at: s.at,
                    overall: s.overall.as_str().into(),
                    kept_informed: s.kept_informed.as_str().into(),
                    treatment: s.treatment.as_str().into(),
                })
                .collect(),
            duties: f.duties.iter().map(|d| DutyView::new(d, now)).collect(),
        }
    }
}

fn victim_answered(app: &App, f: VictimFile) -> (StatusCode, Json<VictimResponse>) {
    (StatusCode::CREATED, Json(VictimResponse::new(f, app.now())))
}

/// Records a victim of the crime with the needs assessment; the referral duty falls due in
/// 2 working days unless settled now.
#[utoipa::path(post, path = "/api/v1/crimes/{id}/victims", tag = "victims",
    request_body = VictimRequest, params(("id" = Uuid, Path, description = CRIME_ID)),
    responses((status = 201, description = "The victim", body = VictimResponse, content_type = "application/json")))]
pub async fn add_victim(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VictimRequest>,
) -> ApiResult<impl IntoResponse> {
    let a = b.assessment;
    let input = VictimInput {
        person_id: b.person_id,
        reported_at: b.reported_at,
        assessment: NeedsAssessmentInput {
            most_serious_crime: a.most_serious_crime,
            persistently_targeted: a.persistently_targeted,
            vulnerable: a.vulnerable,
            intimidated: a.intimidated,
            needs: a.needs,
            referral: a.referral,
            explicit_consent: a.explicit_consent,
            contact_method: a.contact_method,
            update_every_days: a.update_every_days,
        },
    };
    Ok(victim_answered(
        &app,
        app.add_victim(&ctx, path_id(&id)?, &input).await?,
    ))
}

const VICTIM_ID: &str = "The victim's id";

/// Opens a victim with the contact log.
#[utoipa::path(get, path = "/api/v1/victims/{id}", tag = "victims",
    params(("id" = Uuid, Path, description = VICTIM_ID)),
    responses((status = 200, description = "The victim", body = VictimResponse, content_type = "application/json")))]
pub async fn get_victim(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<VictimResponse>> {
    let f = app.get_victim(&ctx, path_id(&id)?).await?;
    Ok(Json(VictimResponse::new(f, app.now())))
}

/// A contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// RFC 3339; now when left out.
    #[serde(default)]
    pub at: Option<String>,
    /// `phone`, `email`, `letter`, `text` or `in_person`.
    pub method: String,
    pub summary: String,
    /// The referral decision, when it was awaited: `referred` or `declined`.
    #[serde(default)]
    pub referral: Option<String>,
    /// The victim personal statement offered: `made`, `declined` or `offered_later`.
    #[serde(default)]
    pub vps: Option<String>,
}

/// Logs a contact with the victim; it meets every update owed to them raised before it.
#[utoipa::path(post, path = "/api/v1/victims/{id}/contacts", tag = "victims",
    request_body = ContactRequest, params(("id" = Uuid, Path, description = VICTIM_ID)),
    responses((status = 201, description = "The victim", body = VictimResponse, content_type = "application/json")))]
pub async fn contact(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ContactRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = ContactInput {
        at: b.at,
        method: b.method,
        summary: b.summary,
        referral: b.referral,
        vps: b.vps,
    };
    Ok(victim_answered(
        &app,
        app.record_contact(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// A survey response.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyRequest {
    /// RFC 3339; now when left out.
    #[serde(default)]
    pub surveyed_on: Option<String>,
    /// Each on the Home Office seven-point scale: `completely_satisfied`, `very_satisfied`,
    /// `fairly_satisfied`, `neither`, `fairly_dissatisfied`, `very_dissatisfied`,
    /// `completely_dissatisfied`.
    pub overall: String,
    pub kept_informed: String,
    pub treatment: String,
}

/// Records the victim's answers to the satisfaction survey.
#[utoipa::path(post, path = "/api/v1/victims/{id}/surveys", tag = "victims",
    request_body = SurveyRequest, params(("id" = Uuid, Path, description = VICTIM_ID)),
    responses((status = 201, description = "The victim", body = VictimResponse, content_type = "application/json")))]
pub async fn survey(
    State(app): State<App>,
    Caller(ctx): Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<SurveyRequest>,
) -> ApiResult<impl IntoResponse> {
    let input = SurveyInput {
        surveyed_on: b.surveyed_on,
        overall: b.overall,
        kept_informed: b.kept_informed,
        treatment: b.treatment,
    };
    Ok(victim_answered(
        &app,
        app.record_survey(&ctx, path_id(&id)?, &input).await?,
    ))
}

/// Which duties.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DutyParams {
    /// `me` or a user id.
    pub owner: Option<String>,
    /// A team id.
    pub team: Option<String>,
    /// A role, such as `supervisor`.
    pub role: Option<String>,
    /// `unmet` (default), `open`, `due` (by the end of today), `overdue`, `met` or
    /// `breached` (met late).
    pub state: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A duty in a queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedDuty {
    pub id: Uuid,
    #[serde(flatten)]
    pub duty: DutyView,
    /// The record it is about, its kind and reference.
    pub subject_id: Uuid,
    pub subject_kind: String,
    pub reference: Option<String>,
    /// When the sweep escalated it to a supervisor.
    pub escalated_at: Option<DateTime<Utc>>,
}

/// A page of duties.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyList {
    pub items: Vec<QueuedDuty>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// The owners asked about: `user:ID`, `team:ID`, `role:ROLE`.
    pub owners: Vec<String>,
    pub state: String,
    pub at: DateTime<Utc>,
}

impl From<DutyPage> for DutyList {
    fn from(p: DutyPage) -> Self {
        DutyList {
            items: p
                .items
                .iter()
                .map(|q| QueuedDuty {
                    id: q.id,
                    duty: DutyView::new(&q.duty, p.at),
                    subject_id: q.duty.subject.uuid(),
                    subject_kind: q.subject_kind.as_str().into(),
                    reference: q.reference.clone(),
                    escalated_at: q.escalated_at,
                })
                .collect(),
            total: p.total,
            page: p.page.number,
            per_page: p.page.size,
            owners: p.owners.iter().map(ToString::to_string).collect(),
            state: p.state.into(),
            at: p.at,
        }
    }
}

/// The duties owed by a user (`owner=me`), a team or a role, by state, most pressing first.
/// With no owner, team or role: everything the caller owes, personally and through their
/// teams and roles.
#[utoipa::path(get, path = "/api/v1/duties", tag = "duties", params(DutyParams),
    responses((status = 200, description = "A page of duties", body = DutyList, content_type = "application/json")))]
pub async fn duties(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<DutyParams>,
) -> ApiResult<Json<DutyList>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let query = DutyQuery {
        owner: q.owner,
        team: q.team,
        role: q.role,
        state: q.state,
    };
    Ok(Json(app.duties(&ctx, &query, page).await?.into()))
}

/// Whose investigations.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvestigationParams {
    /// `me` (default: the caller's own) or `teams` (the caller's teams').
    pub holder: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// An open investigation in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationSummary {
    pub crime_id: Uuid,
    pub reference: String,
    pub offence_code: String,
    pub offence_description: String,
    pub recorded_at: DateTime<Utc>,
    pub state: String,
    pub risk: String,
    pub team_id: Option<Uuid>,
    pub investigator_id: Option<Uuid>,
    pub next_review_due: Option<DateTime<Utc>>,
    /// The next review is overdue.
    pub review_overdue: bool,
}

/// A page of open investigations.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationList {
    pub items: Vec<InvestigationSummary>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// Open investigations held by the caller or their teams, the most pressing review first.
#[utoipa::path(get, path = "/api/v1/investigations", tag = "investigations", params(InvestigationParams),
    responses((status = 200, description = "A page of investigations", body = InvestigationList, content_type = "application/json")))]
pub async fn investigations(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<InvestigationParams>,
) -> ApiResult<Json<InvestigationList>> {
    let page = Page::new(q.page, q.per_page).map_err(AppError::from)?;
    let holding = match q.holder.as_deref().map(str::trim) {
        None | Some("") | Some("me") => Holding::Mine,
        Some("teams") => Holding::MyTeams,
        Some(_) => {
            return Err(AppError::from(bluelamp_domain::field::Invalid::one(
                "/holder",
                "must be me or teams",
            ))
            .into());
        }
    };
    let now = app.now();
    let (items, total) = app.held_investigations(&ctx, holding, page).await?;
    Ok(Json(InvestigationList {
        items: items
            .into_iter()
            .map(|l| InvestigationSummary {
                crime_id: l.investigation.crime.uuid(),
                offence_description: l.offence_code.offence().description.clone(),
                offence_code: l.offence_code.as_str().into(),
                reference: l.reference,
                recorded_at: l.recorded_at,
                state: l.investigation.state.as_str().into(),
                risk: l.investigation.risk.as_str().into(),
                team_id: l.investigation.team.map(|t| t.uuid()),
                investigator_id: l.investigation.investigator.map(|u| u.uuid()),
                review_overdue: l.review_due.is_some_and(|d| d < now),
                next_review_due: l.review_due,
            })
            .collect(),
        total,
        page: page.number,
        per_page: page.size,
    }))
}

/// One outcome's share of the crimes recorded in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeShare {
    #[serde(flatten)]
    pub outcome: OutcomeType,
    pub crimes: Share,
}

/// Compliance with one duty.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeDuty {
    /// The duty kind: `acknowledge_victim`, `refer_victim`, `inform_victim`,
    /// `agreed_update`, `decide_handover` or `approve_outcome`.
    pub duty: String,
    pub description: String,
    pub source: String,
    #[serde(flatten)]
    pub measure: DutyMeasure,
}

/// Victims' updates on one kind of development, or for one entitlement.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdatesBy {
    /// The development (`arrest`, `charged`, ...) or the entitlement (`standard`,
    /// `enhanced`).
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub measure: DutyMeasure,
}

/// Handovers made in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverMeasure {
    pub made: i64,
    pub accepted: i64,
    pub awaiting: i64,
    /// Returned, of those decided.
    pub returned: Share,
}

/// Survey responses in the period: satisfied (completely, very or fairly) with each aspect.
#[derive(Debug, Serialize, ToSchema)]
pub struct SatisfactionMeasure {
    pub responses: i64,
    pub overall: Share,
    pub kept_informed: Share,
    pub treatment: Share,
}

/// The investigation and victim-care measures of a period (issue 5 §7).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvestigationMeasuresResponse {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// How outcomes are counted: the Home Office method (reference §5.3).
    pub method: String,
    /// Crimes recorded in the period, fraud excluded.
    pub crimes_recorded: i64,
    /// Of those, still without an outcome (they stay in the denominator).
    pub open: Share,
    /// Outcome 1 (charged or summonsed) of the crimes recorded.
    pub charge_summons: Share,
    /// Every outcome given, in number order.
    pub outcomes: Vec<OutcomeShare>,
    /// Supervision reviews raised in the period, met by their due time.
    pub supervision_on_time: DutyMeasure,
    pub handovers: HandoverMeasure,
    /// Handover decisions and outcome approvals raised in the period, met on time.
    pub decisions: Vec<CodeDuty>,
    /// Each Victims' Code duty raised in the period, met on time.
    pub victims_code: Vec<CodeDuty>,
    /// Victims' updates by the development told of.
    pub updates_by_development: Vec<UpdatesBy>,
    /// Victims' updates by the victim's entitlement.
    pub updates_by_entitlement: Vec<UpdatesBy>,
    pub satisfaction: SatisfactionMeasure,
}

impl From<InvestigationMeasures> for InvestigationMeasuresResponse {
    fn from(m: InvestigationMeasures) -> Self {
        let o = &m.outcomes;
        let h = m.handovers;
        let s = m.satisfaction;
        let code = |kind: DutyKind, rule: RuleId, c| CodeDuty {
            duty: kind.as_str().into(),
            description: kind.describe().into(),
            source: rule.source().into(),
            measure: DutyMeasure::from(c),
        };
        InvestigationMeasuresResponse {
            from: m.period.from,
            to: m.period.to,
            method: "Outcomes assigned to the crimes recorded in the period, as they stand now, \
                     over those crimes (fraud excluded); open investigations stay in the \
                     denominator (Home Office method)"
                .into(),
            crimes_recorded: o.recorded,
            open: Share::new(o.open, o.recorded),
            charge_summons: Share::new(o.of(Outcome::CHARGED), o.recorded),
            outcomes: o
                .by_outcome
                .iter()
                .map(|(out, n)| OutcomeShare {
                    outcome: OutcomeType::of(*out),
                    crimes: Share::new(*n, o.recorded),
                })
                .collect(),
            supervision_on_time: m.supervision.into(),
            handovers: HandoverMeasure {
                made: h.made,
                accepted: h.accepted,
                awaiting: h.awaiting,
                returned: Share::new(h.returned, h.accepted + h.returned),
            },
            decisions: vec![
                code(
                    DutyKind::DecideHandover,
                    RuleId::HandoverDecision,
                    m.handover_decisions,
                ),
                code(
                    DutyKind::ApproveOutcome,
                    RuleId::OutcomeApproval,
                    m.outcome_approvals,
                ),
            ],
            victims_code: vec![
                code(
                    DutyKind::AcknowledgeVictim,
                    RuleId::VictimAcknowledgement,
                    m.acknowledgement,
                ),
                code(DutyKind::ReferVictim, RuleId::VictimReferral, m.referral),
                code(DutyKind::InformVictim, RuleId::VictimUpdate, m.updates),
                code(
                    DutyKind::AgreedUpdate,
                    RuleId::ContactAgreement,
                    m.agreed_updates,
                ),
            ],
            updates_by_development: m
                .updates_by_development
                .iter()
                .map(|(w, c)| UpdatesBy {
                    key: w.as_str().into(),
                    label: w.describe().into(),
                    measure: (*c).into(),
                })
                .collect(),
            updates_by_entitlement: m
                .updates_by_entitlement
                .iter()
                .map(|(e, c)| UpdatesBy {
                    key: e.as_str().into(),
                    label: e.describe().into(),
                    measure: (*c).into(),
                })
                .collect(),
            satisfaction: SatisfactionMeasure {
                responses: s.responses,
                overall: Share::new(s.overall, s.responses),
                kept_informed: Share::new(s.kept_informed, s.responses),
                treatment: Share::new(s.treatment, s.responses),
            },
        }
    }
}

/// The investigation and victim-care measures of a period (12 months to now by default),
/// over every crime (counts reveal no record).
#[utoipa::path(get, path = "/api/v1/measures/investigation", tag = "measures",
    params(super::first_contact::MeasuresParams),
    responses((status = 200, description = "The measures", body = InvestigationMeasuresResponse, content_type = "application/json")))]
pub async fn measures(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<super::first_contact::MeasuresParams>,
) -> ApiResult<Json<InvestigationMeasuresResponse>> {
    let query = MeasuresQuery {
        from: q.from,
        to: q.to,
    };
    Ok(Json(app.investigation_measures(&ctx, &query).await?.into()))
}

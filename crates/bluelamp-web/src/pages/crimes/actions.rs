//! The forms for each action on a crime's investigation (`/crimes/{id}/allocation`,
//! `/plan`, `/reviews`, `/handovers`, `/handovers/{h}/decision`, `/steps`, `/developments`,
//! `/outcome`, `/outcome/decision`, `/victims`): one template, each action's fields, and the
//! mapping of the submitted form to its service's input.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::crime::CrimeView;
use bluelamp_app::investigation::{
    ActionInput, AllocationInput, ApprovalInput, CompletionInput, DevelopmentInput,
    HandoverDecisionInput, HandoverInput, PlanInput, ReviewInput, StaffOptions, StepInput,
};
use bluelamp_app::victim::VictimInput;
use bluelamp_app::{App, AppError, Ctx};
use bluelamp_domain::access::Action;
use bluelamp_domain::duty::Notifiable;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::investigation::{ChecklistAnswerInput, ChecklistItem, Seriousness};
use bluelamp_domain::outcome::{Outcome, OutcomeInput, VictimPosition};
use bluelamp_domain::record::LinkRole;
use bluelamp_domain::thrive::Level;
use bluelamp_domain::victim::{ContactMethod, NeedsAssessmentInput, Referral};
use uuid::Uuid;

use super::{CrimeHeading, Field, Kind, crime_href, place};
use crate::WebState;
use crate::pages::incidents::{acting_on, level_words, lines, sentence, uk_date, uk_time};
use crate::pages::records::{open_record, reason_href};
use crate::pages::{Chrome, Form, FormError, Signed, html_status, see_other};

/// An action on a crime, named by the last part of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Allocation,
    Plan,
    Review,
    Handover,
    HandoverDecision(Uuid),
    Step,
    Development,
    Outcome,
    OutcomeDecision,
    Victim,
}

impl Act {
    fn of(path: &str) -> Option<Act> {
        Some(match path {
            "allocation" => Act::Allocation,
            "plan" => Act::Plan,
            "reviews" => Act::Review,
            "handovers" => Act::Handover,
            "steps" => Act::Step,
            "developments" => Act::Development,
            "outcome" => Act::Outcome,
            "victims" => Act::Victim,
            _ => return None,
        })
    }

    fn path(&self) -> String {
        match self {
            Act::Allocation => "allocation".into(),
            Act::Plan => "plan".into(),
            Act::Review => "reviews".into(),
            Act::Handover => "handovers".into(),
            Act::HandoverDecision(h) => format!("handovers/{h}/decision"),
            Act::Step => "steps".into(),
            Act::Development => "developments".into(),
            Act::Outcome => "outcome".into(),
            Act::OutcomeDecision => "outcome/decision".into(),
            Act::Victim => "victims".into(),
        }
    }

    /// The word the crime page's banner is keyed by.
    fn done(&self) -> &'static str {
        match self {
            Act::Allocation => "allocation",
            Act::Plan => "plan",
            Act::Review => "reviews",
            Act::Handover => "handovers",
            Act::HandoverDecision(_) => "handover-decision",
            Act::Step => "steps",
            Act::Development => "developments",
            Act::Outcome => "outcome",
            Act::OutcomeDecision => "outcome-decision",
            Act::Victim => "victims",
        }
    }

    /// The action the user's roles must allow before the form is shown.
    fn needs(&self) -> Action {
        match self {
            Act::Allocation => Action::AllocateInvestigation,
            Act::Review => Action::ReviewInvestigation,
            Act::Outcome => Action::RecordOutcome,
            Act::OutcomeDecision => Action::ApproveOutcome,
            Act::Victim => Action::CareForVictims,
            _ => Action::WorkInvestigation,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Act::Allocation => "Allocate the investigation",
            Act::Plan => "Add to the investigation plan",
            Act::Review => "Review the investigation",
            Act::Handover => "Hand over to another team",
            Act::HandoverDecision(_) => "Accept or return the handover",
            Act::Step => "Move the investigation on",
            Act::Development => "Record a development",
            Act::Outcome => "Record the outcome",
            Act::OutcomeDecision => "Approve or reject the proposed outcome",
            Act::Victim => "Record a victim and their needs",
        }
    }

    fn intro(&self) -> &'static str {
        match self {
            Act::Allocation => {
                "Serious or complex investigations need an investigator accredited to PIP level 2. \
                 The risk sets when the supervisor's reviews fall due: high risk within 24 hours, \
                 then every 7 days; medium every 14; low every 28."
            }
            Act::Plan => {
                "Add a line of enquiry or an action, or mark one done with its result. Outcome 18 \
                 is allowed only when every item is done."
            }
            Act::Review => {
                "Your review meets the review that is due and sets the next by the risk you \
                 choose. Each direction becomes an action in the plan."
            }
            Act::Handover => {
                "Account for every item of the checklist. Anything outstanding becomes an action \
                 of the receiving team when they accept."
            }
            Act::HandoverDecision(_) => {
                "Accept to take the investigation into your team, or return it to the team that \
                 sent it, saying why."
            }
            Act::Step => {
                "Refer the file to the CPS for a charging decision, record its return, or (supervisors) reopen a finalised investigation."
            }
            Act::Development => {
                "Each victim must be told within 5 working days, or 1 for a victim with enhanced \
                 entitlements (Victims' Code)."
            }
            Act::Outcome => {
                "The outcome must be valid on its date and meet its rule: outcome 1 needs the \
                 charge date and the named suspect; 14 and 18 mean no suspect was identified; 15 \
                 and 16 need the victim's position; 18 needs a complete investigation. Outcomes \
                 where the police take no further action need a supervisor's approval."
            }
            Act::OutcomeDecision => "Approving finalises the investigation and tells each victim.",
            Act::Victim => {
                "Victims of domestic abuse, sexual offences and the gravest violence are entitled \
                 to enhanced services already. Their referral to support services needs their \
                 explicit consent; other victims are referred unless they decline. The referral \
                 is due within 2 working days of the report."
            }
        }
    }
}

fn words<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    words: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(v).to_string(), words(*v)))
        .collect()
}

fn with_blank(blank: &str, mut options: Vec<(String, String)>) -> Vec<(String, String)> {
    options.insert(0, (String::new(), blank.to_string()));
    options
}

fn levels() -> Vec<(String, String)> {
    words(Level::ALL, Level::as_str, |l| level_words(l).to_string())
}

fn teams(staff: &StaffOptions) -> Vec<(String, String)> {
    with_blank(
        "Choose a team",
        staff
            .teams
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect(),
    )
}

/// The people linked to the crime in `roles`, as options.
fn linked(v: &CrimeView, roles: &[LinkRole], blank: &str) -> Vec<(String, String)> {
    let mut people: Vec<(String, String)> = v
        .links
        .iter()
        .filter(|l| roles.contains(&l.role))
        .map(|l| {
            (
                l.from.to_string(),
                format!("{} ({})", l.other_label, l.role.as_str().replace('_', " ")),
            )
        })
        .collect();
    people.dedup_by(|a, b| a.0 == b.0);
    with_blank(blank, people)
}

/// The fields of an action's form, with the choices the crime and the force offer.
fn fields(act: Act, v: &CrimeView, staff: &StaffOptions) -> Vec<Field> {
    use Kind::{Checkbox, Heading, Input, Radios, Select, Textarea};
    let f = Field::new;
    match act {
        Act::Allocation => vec![
            f("team_id", "Team", "", Select(teams(staff))),
            f(
                "investigator_id",
                "Investigator",
                "Optional: the team's supervisor may choose later",
                Select(with_blank(
                    "Nobody yet",
                    staff
                        .investigators
                        .iter()
                        .map(|(id, n, team, pip)| {
                            let pip = pip.map(|p| format!("PIP {p}")).unwrap_or_else(|| "no PIP".into());
                            (id.to_string(), format!("{n} ({team}, {pip})"))
                        })
                        .collect(),
                )),
            ),
            f(
                "seriousness",
                "Seriousness",
                &format!("Proposed from the offence: {}", v.case.investigation.seriousness.as_str()),
                Radios(words(Seriousness::ALL, Seriousness::as_str, |s| sentence(s.as_str()))),
            ),
            f("complex", "Complexity", "", Checkbox("Complex: needs PIP level 2".into())),
            f("risk", "Risk", "", Radios(levels())),
            f("rationale", "Why this allocation", "", Textarea),
        ],
        Act::Plan => vec![
            f("lines_of_enquiry-0-text", "A line of enquiry", "Optional", Textarea),
            f("actions-0-text", "An action", "Optional", Textarea),
            f("actions-0-due_on", "The action is due on", "For example, 2026-03-09", Input("govuk-input--width-10")),
            f("done", "Mark an item done", "", Heading),
            f(
                "completed-0-id",
                "Item done",
                "",
                Select(with_blank(
                    "None",
                    v.case
                        .plan
                        .iter()
                        .filter(|p| p.done_at.is_none())
                        .map(|p| (p.id.to_string(), p.text.clone()))
                        .collect(),
                )),
            ),
            f("completed-0-result", "Its result", "", Textarea),
        ],
        Act::Review => vec![
            f("risk", "Risk from now on", "", Radios(levels())),
            f("note", "Your review", "What has been done, what is missing, whether the victim is being kept informed", Textarea),
            f("directions-0-text", "A direction", "Optional: it becomes an action in the plan", Textarea),
            f("directions-0-due_on", "The direction is due on", "For example, 2026-03-09", Input("govuk-input--width-10")),
        ],
        Act::Handover => {
            let mut out = vec![
                f("to_team_id", "Receiving team", "", Select(teams(staff))),
                f("note", "Note for the receiving team", "Optional", Textarea),
            ];
            let states = vec![
                ("done".to_string(), "Done".to_string()),
                ("outstanding".to_string(), "Outstanding".to_string()),
                ("not_applicable".to_string(), "Not applicable".to_string()),
            ];
            for item in ChecklistItem::ALL {
                let id = format!("checklist-{}", item.as_str());
                out.push(f(&format!("{id}-state"), item.label(), "", Radios(states.clone())));
                out.push(f(&format!("{id}-note"), &format!("{}: why", item.label()), "Required when outstanding or not applicable", Input("")));
            }
            out
        }
        Act::HandoverDecision(_) => vec![
            f("decision", "Decision", "", Radios(vec![
                ("accepted".into(), "Accept into my team".into()),
                ("returned".into(), "Return it".into()),
            ])),
            f("reasons", "Why it is returned", "Required when returning", Textarea),
        ],
        Act::Step => vec![
            f("step", "Step", "", Radios(vec![
                ("refer_to_cps".into(), "Refer to the CPS for a charging decision".into()),
                ("return_from_cps".into(), "Back from the CPS for more work".into()),
                ("reopen".into(), "Reopen the finalised investigation".into()),
            ])),
            f("note", "Why", "", Textarea),
        ],
        Act::Development => vec![
            f("what", "What happened", "", Select(with_blank(
                "Choose",
                words(Notifiable::ALL, Notifiable::as_str, |n| n.describe().to_string()),
            ))),
            f("at", "When", "In UK time, for example 2026-03-09 21:14; now if blank", Input("govuk-input--width-20")),
            f("note", "Note", "Optional", Textarea),
        ],
        Act::Outcome => vec![
            f("outcome", "Outcome", "", Select(with_blank(
                "Choose an outcome",
                Outcome::all().map(|o| (o.number().to_string(), format!("{}: {}", o.number(), o.label()))).collect(),
            ))),
            f("at", "Decided", "In UK time; now if blank", Input("govuk-input--width-20")),
            f("charge_date", "Date of charge or summons", "Outcome 1 only, for example 2026-03-09", Input("govuk-input--width-10")),
            f("suspect_id", "Named suspect", "Linked suspects and offenders", Select(linked(v, &[LinkRole::SuspectIn, LinkRole::OffenderIn], "None"))),
            f("victim_position", "The victim's position", "Outcomes 14, 15 and 16", Radios(with_blank(
                "Not relevant",
                words(VictimPosition::ALL, VictimPosition::as_str, |p| sentence(&p.as_str().replace('_', " "))),
            ))),
            f("investigation_complete", "Investigation complete", "", Checkbox("Every line of enquiry is finished (outcome 18)".into())),
            f("rationale", "Rationale", "", Textarea),
        ],
        Act::OutcomeDecision => vec![
            f("decision", "Decision", "", Radios(vec![
                ("approve".into(), "Approve: finalise the investigation".into()),
                ("reject".into(), "Reject: the investigation stays open".into()),
            ])),
            f("reason", "Why it is rejected", "Required when rejecting", Textarea),
        ],
        Act::Victim => vec![
            f("person_id", "Victim", "People linked to the crime", Select(linked(v, &[LinkRole::VictimOf, LinkRole::ReporterOf, LinkRole::InvolvedIn], "Choose a person"))),
            f("reported_at", "Reported", "In UK time; when the crime was recorded if blank", Input("govuk-input--width-20")),
            f("assessment-most_serious_crime", "Most serious crime", "", Checkbox("Hate crime, terrorism, trafficking, or a bereaved relative".into())),
            f("assessment-persistently_targeted", "Persistently targeted", "", Checkbox("Targeted repeatedly over a period".into())),
            f("assessment-vulnerable", "Vulnerable", "", Checkbox("Under 18, or their evidence may be affected by a disorder, impairment or disability".into())),
            f("assessment-intimidated", "Intimidated", "", Checkbox("In fear or distress about giving evidence".into())),
            f("assessment-needs", "Their needs", "In their words: support, special measures, language", Textarea),
            f("assessment-referral", "Referral to support services", "", Radios(words(Referral::ALL, Referral::as_str, |r| sentence(&r.as_str().replace('_', " "))))),
            f("assessment-explicit_consent", "Consent", "", Checkbox("The victim gave their explicit consent to the referral".into())),
            f("assessment-contact_method", "How they want updates", "", Radios(words(ContactMethod::ALL, ContactMethod::as_str, |m| sentence(&m.as_str().replace('_', " "))))),
            f("assessment-update_every_days", "Every how many days", "1 to 90; 28 if blank", Input("govuk-input--width-3")),
        ],
    }
}

#[derive(Template)]
#[template(path = "crimes/action.html")]
pub struct ActionPage {
    pub chrome: Chrome,
    pub form: Form,
    pub heading: CrimeHeading,
    pub title: &'static str,
    pub intro: &'static str,
    pub fields: Vec<Field>,
    pub action: String,
}

async fn load(
    app: &App,
    signed: &Signed,
    raw: &str,
    here: &str,
) -> Result<(CrimeView, StaffOptions), Response> {
    let v = open_record(app, signed, raw, here, |app, ctx, id| async move {
        app.get_crime(&ctx, id).await
    })
    .await?;
    let staff = app.staff_options(&signed.ctx).await.unwrap_or_default();
    Ok((v, staff))
}

fn page(signed: &Signed, act: Act, v: &CrimeView, staff: &StaffOptions, form: Form) -> ActionPage {
    ActionPage {
        chrome: Chrome::signed(signed, act.title(), "").with_errors(&form),
        heading: CrimeHeading::of(
            v.head.id,
            &v.crime.reference,
            &v.crime.offence_code.offence().description,
            &v.case,
        ),
        title: act.title(),
        intro: act.intro(),
        fields: fields(act, v, staff),
        action: format!("{}/{}", crime_href(v.head.id), act.path()),
        form,
    }
}

async fn show(s: &WebState, signed: &Signed, raw: &str, act: Act) -> Response {
    let here = format!("/crimes/{raw}/{}", act.path());
    if let Err(e) = signed.ctx.actor.authorise(act.needs()) {
        return signed.error(e.into(), &here).into_response();
    }
    let (v, staff) = match load(&s.app, signed, raw, &here).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut form = Form::default();
    if act == Act::Allocation {
        form.set("seriousness", v.case.investigation.seriousness.as_str());
        form.set("risk", v.case.investigation.risk.as_str());
    }
    html_status(StatusCode::OK, &page(signed, act, &v, &staff, form))
}

fn opt(form: &Form, id: &str) -> Option<String> {
    form.optional(id)
}

fn ticked(form: &Form, id: &str) -> bool {
    form.value(id) == "yes"
}

/// A date typed in the UK way, as the service reads it; left as typed when unreadable, so
/// that the service names the field.
fn date(form: &Form, id: &str) -> Option<String> {
    opt(form, id).map(|d| uk_date(&d).map(|d| d.to_string()).unwrap_or(d))
}

/// A time typed in UK time, as the service reads it, and the page's own error when it
/// cannot be read.
fn time(form: &Form, id: &str, own: &mut Vec<FormError>, label: &str) -> Option<String> {
    let raw = opt(form, id)?;
    match uk_time(&raw) {
        Ok(t) => Some(t),
        Err(m) => {
            own.push(FormError {
                id: id.into(),
                message: format!("{label} {m}"),
            });
            Some(raw)
        }
    }
}

fn one_action(form: &Form, prefix: &str) -> Vec<ActionInput> {
    match lines(form.value(&format!("{prefix}-0-text"))) {
        Some(text) => vec![ActionInput {
            text,
            due_on: date(form, &format!("{prefix}-0-due_on")),
            assigned_to: None,
        }],
        None => vec![],
    }
}

/// Submits the form to its service.
async fn submit_to(
    app: &App,
    ctx: &Ctx,
    id: RecordId,
    act: Act,
    form: &Form,
    own: &mut Vec<FormError>,
) -> Result<(), AppError> {
    match act {
        Act::Allocation => {
            let input = AllocationInput {
                team_id: form.value("team_id").into(),
                investigator_id: opt(form, "investigator_id"),
                seriousness: opt(form, "seriousness"),
                complex: ticked(form, "complex"),
                risk: form.value("risk").into(),
                rationale: form.value("rationale").into(),
            };
            app.allocate(ctx, id, &input).await.map(drop)
        }
        Act::Plan => {
            let completed = match opt(form, "completed-0-id") {
                Some(item) => vec![CompletionInput {
                    id: item,
                    result: form.value("completed-0-result").into(),
                }],
                None => vec![],
            };
            let input = PlanInput {
                lines_of_enquiry: one_action(form, "lines_of_enquiry"),
                actions: one_action(form, "actions"),
                completed,
            };
            app.plan(ctx, id, &input).await.map(drop)
        }
        Act::Review => {
            let input = ReviewInput {
                risk: form.value("risk").into(),
                note: form.value("note").into(),
                directions: one_action(form, "directions"),
            };
            app.review(ctx, id, &input).await.map(drop)
        }
        Act::Handover => {
            let checklist = ChecklistItem::ALL
                .iter()
                .map(|item| {
                    let key = format!("checklist-{}", item.as_str());
                    let answer =
                        opt(form, &format!("{key}-state")).map(|state| ChecklistAnswerInput {
                            state,
                            note: opt(form, &format!("{key}-note")),
                        });
                    (*item, answer)
                })
                .collect();
            let input = HandoverInput {
                to_team_id: form.value("to_team_id").into(),
                note: opt(form, "note"),
                checklist,
            };
            app.hand_over(ctx, id, &input).await.map(drop)
        }
        Act::HandoverDecision(h) => {
            let input = HandoverDecisionInput {
                decision: form.value("decision").into(),
                reasons: opt(form, "reasons"),
            };
            app.decide_handover(ctx, id, h, &input).await.map(drop)
        }
        Act::Step => {
            let input = StepInput {
                step: form.value("step").into(),
                note: form.value("note").into(),
            };
            app.take_step(ctx, id, &input).await.map(drop)
        }
        Act::Development => {
            let input = DevelopmentInput {
                what: form.value("what").into(),
                at: time(form, "at", own, "When"),
                note: opt(form, "note"),
            };
            app.record_development(ctx, id, &input).await.map(drop)
        }
        Act::Outcome => {
            let input = OutcomeInput {
                outcome: form.value("outcome").into(),
                at: time(form, "at", own, "Decided"),
                charge_date: date(form, "charge_date"),
                suspect_id: opt(form, "suspect_id"),
                victim_position: opt(form, "victim_position"),
                investigation_complete: ticked(form, "investigation_complete"),
                rationale: form.value("rationale").into(),
            };
            app.record_outcome(ctx, id, &input).await.map(drop)
        }
        Act::OutcomeDecision => {
            let input = ApprovalInput {
                decision: form.value("decision").into(),
                reason: opt(form, "reason"),
            };
            app.decide_outcome(ctx, id, &input).await.map(drop)
        }
        Act::Victim => {
            let days = opt(form, "assessment-update_every_days");
            let update_every_days = match days.as_deref().map(str::parse::<u32>) {
                None => None,
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => {
                    own.push(FormError {
                        id: "assessment-update_every_days".into(),
                        message: "Every how many days must be a whole number from 1 to 90".into(),
                    });
                    Some(0)
                }
            };
            let input = VictimInput {
                person_id: form.value("person_id").into(),
                reported_at: time(form, "reported_at", own, "Reported"),
                assessment: NeedsAssessmentInput {
                    most_serious_crime: ticked(form, "assessment-most_serious_crime"),
                    persistently_targeted: ticked(form, "assessment-persistently_targeted"),
                    vulnerable: ticked(form, "assessment-vulnerable"),
                    intimidated: ticked(form, "assessment-intimidated"),
                    needs: opt(form, "assessment-needs"),
                    referral: form.value("assessment-referral").into(),
                    explicit_consent: ticked(form, "assessment-explicit_consent"),
                    contact_method: form.value("assessment-contact_method").into(),
                    update_every_days,
                },
            };
            app.add_victim(ctx, id, &input).await.map(drop)
        }
    }
}

async fn post(s: &WebState, signed: &Signed, raw: &str, act: Act, body: &[u8]) -> Response {
    let here = format!("/crimes/{raw}/{}", act.path());
    let (form, id) = match crate::pages::incidents::action_form(signed, raw, body, &here) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ctx = acting_on(&s.app, signed, id).await;
    let mut own = vec![];
    match submit_to(&s.app, &ctx, id, act, &form, &mut own).await {
        Ok(()) => see_other(&format!("{}?done={}", crime_href(id), act.done())),
        Err(AppError::Invalid(e)) => {
            let (v, staff) = match load(&s.app, signed, raw, &here).await {
                Ok(x) => x,
                Err(r) => return r,
            };
            let fields = fields(act, &v, &staff);
            let form = place(form, &e, &fields, &own);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(signed, act, &v, &staff, form),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(id, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

fn unknown(signed: &Signed, here: &str) -> Response {
    signed.error(AppError::NotFound, here).into_response()
}

/// `GET /crimes/{id}/{action}`
pub async fn form(
    State(s): State<WebState>,
    signed: Signed,
    Path((raw, act)): Path<(String, String)>,
) -> Response {
    match Act::of(&act) {
        Some(a) => show(&s, &signed, &raw, a).await,
        None => unknown(&signed, &format!("/crimes/{raw}/{act}")),
    }
}

/// `POST /crimes/{id}/{action}`
pub async fn submit(
    State(s): State<WebState>,
    signed: Signed,
    Path((raw, act)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    match Act::of(&act) {
        Some(a) => post(&s, &signed, &raw, a, &body).await,
        None => unknown(&signed, &format!("/crimes/{raw}/{act}")),
    }
}

/// `GET /crimes/{id}/handovers/{h}/decision`
pub async fn handover_form(
    State(s): State<WebState>,
    signed: Signed,
    Path((raw, h)): Path<(String, String)>,
) -> Response {
    match h.parse::<Uuid>() {
        Ok(h) => show(&s, &signed, &raw, Act::HandoverDecision(h)).await,
        Err(_) => unknown(&signed, &format!("/crimes/{raw}")),
    }
}

/// `POST /crimes/{id}/handovers/{h}/decision`
pub async fn handover_submit(
    State(s): State<WebState>,
    signed: Signed,
    Path((raw, h)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    match h.parse::<Uuid>() {
        Ok(h) => post(&s, &signed, &raw, Act::HandoverDecision(h), &body).await,
        Err(_) => unknown(&signed, &format!("/crimes/{raw}")),
    }
}

/// `GET /crimes/{id}/outcome/decision`
pub async fn outcome_decision_form(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
) -> Response {
    show(&s, &signed, &raw, Act::OutcomeDecision).await
}

/// `POST /crimes/{id}/outcome/decision`
pub async fn outcome_decision_submit(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    post(&s, &signed, &raw, Act::OutcomeDecision, &body).await
}

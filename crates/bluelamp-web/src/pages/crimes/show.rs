//! The crime page (`/crimes/{id}`): the crime, where its investigation stands, the plan,
//! reviews, handovers, developments, outcomes, victims and duties, and the actions the
//! user's roles and the investigation's state allow.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bluelamp_app::crime::CrimeView;
use bluelamp_app::investigation::CaseFile;
use bluelamp_domain::access::Action;
use bluelamp_domain::duty::{DutyKind, Owner};
use bluelamp_domain::investigation::{State as InvestigationState, required_pip};
use bluelamp_domain::outcome::OutcomeStatus;
use bluelamp_domain::record::LinkRole;
use serde::Deserialize;

use super::{crime_href, state_tag, state_words};
use crate::WebState;
use crate::pages::incidents::show::{DutyRow, Row, duty_row_named, row};
use crate::pages::incidents::{level_words, sentence};
use crate::pages::records::{LinkRow, RecordFrame, link_rows, open_record};
use crate::pages::time::{day, london};
use crate::pages::{Chrome, Signed, html};

/// A plan item as shown.
#[derive(Debug, Clone)]
pub struct PlanRow {
    pub kind: &'static str,
    pub text: String,
    pub source: &'static str,
    pub due: String,
    pub assigned: String,
    pub done: String,
    pub result: String,
}

/// A review, handover, development, outcome or step as shown: when, who, what.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub at: String,
    pub by: String,
    pub what: String,
    pub detail: String,
    pub tag: &'static str,
}

/// A victim as shown.
#[derive(Debug, Clone)]
pub struct VictimRow {
    pub href: String,
    pub name: String,
    pub entitlement: String,
    pub referral: String,
    pub vps: String,
    pub contact: String,
}

/// A handover with its checklist as shown.
#[derive(Debug, Clone)]
pub struct HandoverCard {
    pub title: String,
    pub at: String,
    pub by: String,
    pub note: String,
    pub checklist: Vec<Row>,
    pub decision: String,
    pub decide_href: String,
}

#[derive(Template)]
#[template(path = "crimes/show.html")]
pub struct CrimePage {
    pub chrome: Chrome,
    pub frame: RecordFrame,
    pub reference: String,
    pub offence: String,
    pub details: Vec<Row>,
    pub state: &'static str,
    pub state_tag: &'static str,
    pub investigation: Vec<Row>,
    pub review_overdue: bool,
    pub actions: Vec<(String, String)>,
    pub plan: Vec<PlanRow>,
    pub open_actions: usize,
    pub reviews: Vec<EventRow>,
    pub handovers: Vec<HandoverCard>,
    pub developments: Vec<EventRow>,
    pub outcomes: Vec<EventRow>,
    pub proposed_href: String,
    pub steps: Vec<EventRow>,
    pub victims: Vec<VictimRow>,
    pub duties: Vec<DutyRow>,
    pub links: Vec<LinkRow>,
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

fn flash(done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "created" => "The crime was recorded",
            "allocation" => "The investigation was allocated",
            "plan" => "The plan was updated",
            "reviews" => "The review was recorded",
            "handovers" => "The handover was sent to the receiving team",
            "handover-decision" => "The handover decision was recorded",
            "steps" => "The investigation moved on",
            "developments" => "The development was recorded; the victims' updates are due",
            "outcome" => "The outcome was recorded",
            "outcome-decision" => "The decision on the outcome was recorded",
            "victims" => "The victim was recorded",
            _ => return None,
        }
        .to_string(),
    )
}

/// The actions the user may take now, as (href, words).
fn actions(signed: &Signed, id: &str, case: &CaseFile) -> Vec<(String, String)> {
    let may = |a: Action| signed.ctx.actor.authorise(a).is_ok();
    let s = case.investigation.state;
    let open = s.is_open();
    let allocated = open && s != InvestigationState::Recorded;
    let mut out = vec![];
    let mut add = |ok: bool, path: &str, words: &str| {
        if ok {
            out.push((format!("/crimes/{id}/{path}"), words.to_string()));
        }
    };
    add(
        open && may(Action::AllocateInvestigation),
        "allocation",
        if s == InvestigationState::Recorded {
            "Allocate"
        } else {
            "Reallocate"
        },
    );
    add(
        allocated && may(Action::WorkInvestigation),
        "plan",
        "Add to the plan, or mark done",
    );
    add(
        allocated && may(Action::ReviewInvestigation),
        "reviews",
        "Review",
    );
    add(
        allocated && case.pending_handover().is_none() && may(Action::WorkInvestigation),
        "handovers",
        "Hand over to another team",
    );
    add(
        may(Action::WorkInvestigation),
        "developments",
        "Record a development (arrest, bail, charge ...)",
    );
    add(
        (open && may(Action::WorkInvestigation)) || (!open && may(Action::ReviewInvestigation)),
        "steps",
        if open {
            "Refer to or back from the CPS"
        } else {
            "Reopen"
        },
    );
    add(
        open && case.proposed().is_none() && may(Action::RecordOutcome),
        "outcome",
        "Record the outcome",
    );
    add(
        may(Action::CareForVictims),
        "victims",
        "Record a victim and their needs",
    );
    out
}

fn owner_name(case: &CaseFile, o: &Owner) -> String {
    match o {
        Owner::Role(r) => format!("Anyone with the role {}", r.as_str().replace('_', " ")),
        Owner::Team(t) => format!("Team {}", case.name(t.uuid())),
        Owner::User(u) => case.name(u.uuid()),
    }
}

fn page(
    signed: &Signed,
    v: CrimeView,
    done: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> CrimePage {
    let id = v.head.id;
    let here = crime_href(id);
    let c = &v.crime;
    let case = &v.case;
    let inv = &case.investigation;
    let o = c.offence_code.offence();
    let mut chrome = Chrome::signed(signed, format!("Crime {}", c.reference), "");
    chrome.flash = flash(done);
    let names = |u: uuid::Uuid| case.name(u);
    let mut details = vec![
        row("Offence", format!("{} ({})", o.description, o.code)),
        row("Offence group", o.group.label()),
        row(
            "Committed",
            match c.committed_to {
                Some(to) => format!("Between {} and {}", london(&c.committed_from), london(&to)),
                None => london(&c.committed_from),
            },
        ),
        row("Recorded", london(&c.recorded_at)),
        row(
            "Domestic abuse",
            if c.domestic_abuse { "Yes" } else { "No" },
        ),
    ];
    if let Some(i) = c.incident_id {
        details.push(Row {
            key: "From incident".into(),
            value: "Open the incident".into(),
            href: format!("/incidents/{i}"),
        });
    }
    let review_due = case
        .duties
        .iter()
        .filter(|d| {
            d.kind == DutyKind::ReviewInvestigation && d.met_at.is_none() && !d.is_escalation()
        })
        .map(|d| d.due)
        .min();
    let mut investigation = vec![
        row(
            "Seriousness",
            format!(
                "{}{} (needs PIP level {})",
                sentence(inv.seriousness.as_str()),
                if inv.complex { ", complex" } else { "" },
                required_pip(inv.seriousness, inv.complex).number()
            ),
        ),
        row("Supervised at risk", level_words(inv.risk)),
        row(
            "Team",
            inv.team
                .map(|t| names(t.uuid()))
                .unwrap_or_else(|| "None yet".into()),
        ),
        row(
            "Investigator",
            inv.investigator
                .map(|u| names(u.uuid()))
                .unwrap_or_else(|| "None yet".into()),
        ),
    ];
    if let Some(a) = inv.allocated_at {
        investigation.push(row("Allocated", london(&a)));
    }
    if let Some(d) = review_due {
        investigation.push(row("Next review due", london(&d)));
    }
    if let Some(out) = inv.outcome {
        investigation.push(row("Outcome", format!("{}: {}", out.number(), out.label())));
    }
    let plan = case
        .plan
        .iter()
        .map(|p| PlanRow {
            kind: match p.kind {
                bluelamp_domain::investigation::PlanItemKind::LineOfEnquiry => "Line of enquiry",
                bluelamp_domain::investigation::PlanItemKind::Action => "Action",
            },
            text: p.text.clone(),
            source: match p.source {
                bluelamp_domain::investigation::PlanSource::Plan => "Plan",
                bluelamp_domain::investigation::PlanSource::Review => "Supervisor's direction",
                bluelamp_domain::investigation::PlanSource::Handover => "Outstanding at handover",
            },
            due: p.due_on.as_ref().map(day).unwrap_or_default(),
            assigned: p.assigned_to.map(|u| names(u.uuid())).unwrap_or_default(),
            done: p.done_at.as_ref().map(london).unwrap_or_default(),
            result: p.result.clone().unwrap_or_default(),
        })
        .collect();
    let reviews = case
        .reviews
        .iter()
        .map(|r| EventRow {
            at: london(&r.at),
            by: names(r.supervisor.uuid()),
            what: format!("Risk {}", level_words(r.risk).to_lowercase()),
            detail: r.note.clone(),
            tag: "",
        })
        .collect();
    let handovers = case
        .handovers
        .iter()
        .enumerate()
        .map(|(i, h)| HandoverCard {
            title: format!(
                "Handover {}: {} to {}",
                i + 1,
                h.from_team
                    .map(|t| names(t.uuid()))
                    .unwrap_or_else(|| "unallocated".into()),
                names(h.to_team.uuid())
            ),
            at: london(&h.at),
            by: names(h.by.uuid()),
            note: h.note.clone().unwrap_or_default(),
            checklist: h
                .checklist
                .iter()
                .map(|a| {
                    row(
                        a.item.label(),
                        format!(
                            "{}{}",
                            sentence(&a.state.as_str().replace('_', " ")),
                            a.note
                                .as_deref()
                                .map(|n| format!(": {n}"))
                                .unwrap_or_default()
                        ),
                    )
                })
                .collect(),
            decision: match &h.decision {
                None => "Awaiting the receiving team".into(),
                Some(d) => format!(
                    "{} by {} on {}{}",
                    sentence(d.decision.as_str()),
                    names(d.by.uuid()),
                    london(&d.at),
                    d.reasons
                        .as_deref()
                        .map(|r| format!(": {r}"))
                        .unwrap_or_default()
                ),
            },
            decide_href: if h.decision.is_none() {
                format!("{here}/handovers/{}/decision", h.id)
            } else {
                String::new()
            },
        })
        .collect();
    let developments = case
        .developments
        .iter()
        .map(|d| EventRow {
            at: london(&d.at),
            by: names(d.by.uuid()),
            what: d.what.describe().into(),
            detail: d.note.clone().unwrap_or_default(),
            tag: "",
        })
        .collect();
    let outcomes = case
        .outcomes
        .iter()
        .map(|o| EventRow {
            at: london(&o.at),
            by: names(o.recorded_by.uuid()),
            what: format!("Outcome {}: {}", o.outcome.number(), o.outcome.label()),
            detail: match (&o.status, &o.decision_reason) {
                (OutcomeStatus::Rejected, Some(r)) => format!("{} Rejected: {r}", o.rationale),
                _ => o.rationale.clone(),
            },
            tag: match o.status {
                OutcomeStatus::Proposed => "govuk-tag--yellow",
                OutcomeStatus::Approved => "govuk-tag--green",
                OutcomeStatus::Rejected => "govuk-tag--red",
            },
        })
        .collect();
    let steps = case
        .steps
        .iter()
        .map(|s| EventRow {
            at: london(&s.at),
            by: names(s.user.uuid()),
            what: state_words(s.state_after).into(),
            detail: s.note.clone().unwrap_or_default(),
            tag: state_tag(s.state_after),
        })
        .collect();
    let person_names: Vec<(uuid::Uuid, String)> = v
        .links
        .iter()
        .filter(|l| l.role == LinkRole::VictimOf)
        .map(|l| (l.from.uuid(), l.other_label.clone()))
        .collect();
    let victims = case
        .victims
        .iter()
        .map(|vi| VictimRow {
            href: format!("/victims/{}", vi.id),
            name: person_names
                .iter()
                .find(|(p, _)| *p == vi.person.uuid())
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| "A person".into()),
            entitlement: sentence(vi.entitlement.as_str()),
            referral: sentence(&vi.referral.as_str().replace('_', " ")),
            vps: vi
                .vps
                .map(|p| sentence(&p.as_str().replace('_', " ")))
                .unwrap_or_else(|| "Not yet offered".into()),
            contact: format!(
                "By {} every {} days",
                vi.contact_method.as_str().replace('_', " "),
                vi.update_every_days
            ),
        })
        .collect();
    let duties = case
        .duties
        .iter()
        .map(|d| duty_row_named(d, now, owner_name(case, &d.owed_by)))
        .collect();
    CrimePage {
        frame: RecordFrame::of(signed, &v.head, &here),
        reference: c.reference.clone(),
        offence: o.description.clone(),
        details,
        state: state_words(inv.state),
        state_tag: state_tag(inv.state),
        investigation,
        review_overdue: review_due.is_some_and(|d| d < now),
        actions: actions(signed, &id.to_string(), case),
        plan,
        open_actions: case.open_actions(),
        reviews,
        handovers,
        developments,
        outcomes,
        proposed_href: if case.proposed().is_some()
            && signed.ctx.actor.authorise(Action::ApproveOutcome).is_ok()
        {
            format!("{here}/outcome/decision")
        } else {
            String::new()
        },
        steps,
        victims,
        duties,
        links: link_rows(&v.links, id),
        chrome,
    }
}

/// `GET /crimes/{id}`
pub async fn show(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let here = format!("/crimes/{raw}");
    match open_record(&s.app, &signed, &raw, &here, |app, ctx, id| async move {
        app.get_crime(&ctx, id).await
    })
    .await
    {
        Ok(v) => html(&page(&signed, v, q.done.as_deref(), s.app.now())),
        Err(r) => r,
    }
}

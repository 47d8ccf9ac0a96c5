//! The incident page (`/incidents/{id}`): its details and links, where it stands, its
//! assessment history with downgrades and inconsistencies marked, the advice checklist,
//! attendance against target, the crime-recording decision, closure (with the review flag)
//! and its duties; and links to the actions the user's roles allow.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bluelamp_app::first_contact::FirstContact;
use bluelamp_app::incident::IncidentView;
use bluelamp_app::views::StoredAssessment;
use bluelamp_domain::access::Action;
use bluelamp_domain::duty::{Duty, Owner, Status};
use bluelamp_domain::first_contact::{AdviceItem, AttendanceKind, CrimeRecording, span};
use bluelamp_domain::ids::{RecordId, UserId};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::Element;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::thrive::element_name;
use super::{
    Heading, acting_on, attendance_words, category_words, channel_words, factor_words, grade_tag,
    level_tag, level_words, open_incident, result_words,
};
use crate::WebState;
use crate::pages::records::{LinkRow, RecordFrame, link_rows, record_href};
use crate::pages::time::london;
use crate::pages::{Chrome, Signed, html};

/// One judged element as shown.
#[derive(Debug, Clone)]
pub struct ElementRow {
    pub name: &'static str,
    pub level: &'static str,
    pub tag: &'static str,
    pub rationale: String,
}

/// One assessment of the history as shown.
#[derive(Debug, Clone)]
pub struct AssessmentCard {
    pub id: String,
    pub title: String,
    pub at: String,
    pub by: String,
    pub elements: Vec<ElementRow>,
    pub factors: String,
    pub proposed: String,
    pub proposal_reason: String,
    pub chosen: String,
    pub chosen_tag: &'static str,
    pub previous: String,
    pub rationale: String,
    pub downgrade: bool,
    pub regrade: bool,
    pub overridden: bool,
    pub inconsistencies: Vec<String>,
    pub setting: String,
}

/// An attendance decision or arrival as shown.
#[derive(Debug, Clone)]
pub struct AttendanceRow {
    pub at: String,
    pub what: &'static str,
    pub rationale: String,
    pub grade: String,
    /// "Met", "Missed" or "" when no target applies.
    pub target: &'static str,
    pub target_tag: &'static str,
    pub by: String,
}

/// A duty as shown.
#[derive(Debug, Clone)]
pub struct DutyRow {
    pub what: String,
    pub owed_by: String,
    pub raised: String,
    pub due: String,
    pub met: String,
    pub status: String,
    pub status_tag: &'static str,
}

/// A crime recorded from the incident.
#[derive(Debug, Clone)]
pub struct CrimeRow {
    pub label: String,
    pub id: String,
}

/// A line of a summary list.
#[derive(Debug, Clone)]
pub struct Row {
    pub key: String,
    pub value: String,
    pub href: String,
}

pub fn row(key: &str, value: impl Into<String>) -> Row {
    Row {
        key: key.into(),
        value: value.into(),
        href: String::new(),
    }
}

#[derive(Template)]
#[template(path = "incidents/show.html")]
pub struct IncidentPage {
    pub chrome: Chrome,
    pub frame: RecordFrame,
    pub heading: Heading,
    pub grade_tag: &'static str,
    pub details: Vec<Row>,
    pub queue_reason: String,
    pub latest_downgrade: bool,
    pub review_flag: bool,
    pub assessments: Vec<AssessmentCard>,
    pub advice: Vec<Row>,
    pub advice_missing: bool,
    pub attendance: Vec<AttendanceRow>,
    pub decision: Vec<Row>,
    pub decision_due: bool,
    pub crimes: Vec<CrimeRow>,
    pub closure: Vec<Row>,
    pub duties: Vec<DutyRow>,
    pub links: Vec<LinkRow>,
    pub actions: Vec<(String, String)>,
    pub close_blocked: String,
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The banner after a form: what was done.
fn flash(done: Option<&str>) -> Option<String> {
    Some(
        match done? {
            "created" => "The incident was recorded",
            "assessed" => "The assessment was recorded",
            "attendance" => "The attendance was recorded",
            "decided" => "The crime-recording decision was recorded",
            "closed" => "The incident was closed",
            "linked" => "The records were linked",
            "restricted" => "Who may see the record was changed",
            "shared" => "The record was shared",
            _ => return None,
        }
        .to_string(),
    )
}

/// Who did something: "you", or the user's display name.
fn who(signed: &Signed, fc: &FirstContact, user: UserId) -> String {
    if signed.ctx.actor.user_id == user {
        format!("You ({})", signed.display_name)
    } else {
        fc.name(user.uuid())
    }
}

fn assessment_card(
    signed: &Signed,
    fc: &FirstContact,
    s: &StoredAssessment,
    latest: bool,
) -> AssessmentCard {
    let a = &s.assessment;
    let d = &a.decision;
    AssessmentCard {
        id: format!("assessment-{}", s.seq),
        title: format!(
            "Assessment {}{}",
            s.seq,
            if latest { " (latest)" } else { "" }
        ),
        at: london(&s.assessed_at),
        by: who(signed, fc, s.assessed_by),
        elements: Element::ALL
            .iter()
            .map(|e| {
                let j = a.thrive.judgement(*e);
                ElementRow {
                    name: element_name(*e),
                    level: level_words(j.level),
                    tag: level_tag(j.level),
                    rationale: j.rationale.clone(),
                }
            })
            .collect(),
        factors: if a.thrive.factors.is_empty() {
            "None listed".into()
        } else {
            a.thrive
                .factors
                .iter()
                .map(|f| factor_words(*f))
                .collect::<Vec<_>>()
                .join("; ")
        },
        proposed: a.proposal.grade.describe().into(),
        proposal_reason: a.proposal.reason.clone(),
        chosen: d.chosen.describe().into(),
        chosen_tag: grade_tag(d.chosen),
        previous: d
            .previous
            .map_or("None: the first assessment", |g| g.describe())
            .into(),
        rationale: d.rationale.clone().unwrap_or_else(|| "None given".into()),
        downgrade: d.is_downgrade(),
        regrade: d.is_regrade(),
        overridden: d.is_override(),
        inconsistencies: a.thrive.inconsistencies(),
        setting: match s.setting {
            bluelamp_domain::thrive::Setting::Urban => "Urban",
            bluelamp_domain::thrive::Setting::Rural => "Rural",
        }
        .into(),
    }
}

/// The owner of a duty in words, users and teams by name.
fn owner_words(fc: &FirstContact, o: &Owner) -> String {
    match o {
        Owner::Role(r) => format!("Anyone with the role {}", r.as_str().replace('_', " ")),
        Owner::Team(t) => format!("Team {}", fc.name(t.uuid())),
        Owner::User(u) => fc.name(u.uuid()),
    }
}

fn duty_row(fc: &FirstContact, d: &Duty, now: DateTime<Utc>) -> DutyRow {
    duty_row_named(d, now, owner_words(fc, &d.owed_by))
}

/// A duty as shown, owed by `owed_by` in words.
pub fn duty_row_named(d: &Duty, now: DateTime<Utc>, owed_by: String) -> DutyRow {
    let status = d.status(now);
    let (words, tag) = match status {
        Status::Open => ("Open".to_string(), ""),
        Status::Overdue { by } => (format!("Overdue by {}", span(by)), "govuk-tag--red"),
        Status::Met { on_time: true } => ("Met".to_string(), "govuk-tag--green"),
        Status::Met { on_time: false } => ("Breached: met late".to_string(), "govuk-tag--orange"),
    };
    DutyRow {
        what: if d.is_escalation() {
            format!("Escalated: {}", d.kind.describe())
        } else {
            d.kind.describe().to_string()
        },
        owed_by,
        raised: london(&d.raised_at),
        due: london(&d.due),
        met: d.met_at.as_ref().map(london).unwrap_or_default(),
        status: words,
        status_tag: tag,
    }
}

/// The attendance events that can be recorded next, in the order offered.
pub fn next_attendance(fc: &FirstContact) -> Vec<AttendanceKind> {
    if fc.state.closure.is_some() || fc.state.grade.is_none() {
        return vec![];
    }
    let mut kinds = vec![];
    if fc.state.queued {
        kinds.extend([AttendanceKind::Deployed, AttendanceKind::NotAttending]);
    }
    let has = |k: AttendanceKind| fc.attendance.iter().any(|a| a.kind == k);
    if has(AttendanceKind::Deployed) && !has(AttendanceKind::Arrived) {
        kinds.push(AttendanceKind::Arrived);
    }
    kinds
}

/// Why the incident cannot be closed yet, or "" when it can.
fn close_blocked(v: &IncidentView) -> &'static str {
    let fc = &v.first_contact;
    if fc.state.grade.is_none() {
        "It can be closed once its THRIVE assessment is complete."
    } else if v.incident.category.is_crime() && fc.decision.is_none() {
        "It can be closed once the crime-recording decision is made."
    } else {
        ""
    }
}

fn incident_page(
    signed: &Signed,
    v: IncidentView,
    crimes: Vec<CrimeRow>,
    now: DateTime<Utc>,
    done: Option<&str>,
) -> IncidentPage {
    let heading = super::Heading::of(&v);
    let here = heading.href.clone();
    let mut chrome = Chrome::signed(signed, format!("Incident {}", heading.reference), "");
    chrome.flash = flash(done);
    let i = &v.incident;
    let fc = &v.first_contact;
    let mut details = vec![
        row("Reference", i.reference.clone()),
        row("How it was reported", channel_words(i.channel)),
        row("Received", london(&i.received_at)),
        row(
            "Happened",
            i.occurred_at
                .as_ref()
                .map_or_else(|| "Not known".to_string(), london),
        ),
        row("Opened as", category_words(i.category)),
    ];
    let location = v
        .links
        .iter()
        .find(|l| l.role == LinkRole::OccurredAt && l.from == v.head.id);
    details.push(match (location, i.location_id) {
        (Some(l), _) => Row {
            key: "Where".into(),
            value: l.other_label.clone(),
            href: record_href(RecordKind::Location, l.to),
        },
        (None, Some(id)) => Row {
            key: "Where".into(),
            value: format!("Location {id}"),
            href: record_href(RecordKind::Location, id),
        },
        (None, None) => row("Where", "Not recorded"),
    });
    let people = |role: LinkRole| {
        v.links
            .iter()
            .filter(|l| l.role == role && l.to == v.head.id)
            .map(|l| l.other_label.clone())
            .collect::<Vec<_>>()
    };
    let callers = people(LinkRole::ReporterOf);
    let subjects = people(LinkRole::InvolvedIn);
    details.push(row(
        "Caller",
        if callers.is_empty() {
            "Not recorded".to_string()
        } else {
            callers.join("; ")
        },
    ));
    details.push(row(
        "About",
        if subjects.is_empty() {
            "Not recorded".to_string()
        } else {
            subjects.join("; ")
        },
    ));
    details.push(row("Summary", i.summary.clone()));

    let latest = fc.assessments.len();
    let assessments: Vec<AssessmentCard> = fc
        .assessments
        .iter()
        .rev()
        .map(|s| assessment_card(signed, fc, s, s.seq as usize == latest))
        .collect();
    let latest_downgrade = fc
        .latest()
        .is_some_and(|s| s.assessment.decision.is_downgrade());

    let advice_item = |key: &str, item: &AdviceItem| match item {
        AdviceItem::Given => row(key, "Given"),
        AdviceItem::NotApplicable { reason } => row(key, format!("Not given: {reason}")),
    };
    let advice = fc
        .advice
        .as_ref()
        .map(|a| {
            vec![
                advice_item("Evidence preservation", &a.evidence_preservation),
                advice_item("Crime prevention", &a.crime_prevention),
            ]
        })
        .unwrap_or_default();

    let attendance = fc
        .attendance
        .iter()
        .map(|a| AttendanceRow {
            at: london(&a.at),
            what: attendance_words(a.kind),
            rationale: a.rationale.clone().unwrap_or_default(),
            grade: a.grade.map(|g| g.describe()).unwrap_or_default().into(),
            target: match a.target_met {
                Some(true) => "Met",
                Some(false) => "Missed",
                None => "",
            },
            target_tag: match a.target_met {
                Some(true) => "govuk-tag--green",
                _ => "govuk-tag--red",
            },
            by: who(signed, fc, a.recorded_by),
        })
        .collect();

    let decision = fc
        .decision
        .as_ref()
        .map(|d| {
            let mut rows = vec![row(
                "Decision",
                match d.decision {
                    CrimeRecording::Crime => "Recorded as a crime",
                    CrimeRecording::NotACrime => "Not a crime",
                },
            )];
            if let Some(r) = &d.reason {
                rows.push(row("Reason", r.clone()));
            }
            rows.push(row("Decided", london(&d.decided_at)));
            rows.push(row("By", who(signed, fc, d.decided_by)));
            rows
        })
        .unwrap_or_default();

    let closure = fc
        .state
        .closure
        .as_ref()
        .map(|c| {
            vec![
                row("Closed", london(&c.closed_at)),
                row("Closing category", category_words(c.category)),
                row("Result", result_words(c.result)),
                row(
                    "Supervisor's review",
                    if c.review_flag {
                        "Flagged: closed as a crime without attendance although THRIVE found lines of enquiry"
                    } else {
                        "Not needed"
                    },
                ),
            ]
        })
        .unwrap_or_default();

    let actor = &signed.ctx.actor;
    let allowed = |a: Action| actor.authorise(a).is_ok();
    let open = fc.state.closure.is_none();
    let mut actions = vec![];
    if open && allowed(Action::AssessIncident) {
        actions.push((
            format!("{here}/assess"),
            if fc.assessments.is_empty() {
                "Assess (THRIVE)".to_string()
            } else {
                "Re-assess (re-THRIVE)".to_string()
            },
        ));
    }
    if allowed(Action::RecordAttendance) && !next_attendance(fc).is_empty() {
        actions.push((
            format!("{here}/attendance"),
            "Record attendance".to_string(),
        ));
    }
    if open && allowed(Action::DecideCrimeRecording) && fc.decision.is_none() {
        actions.push((
            format!("{here}/crime-recording-decision"),
            "Make the crime-recording decision".to_string(),
        ));
    }
    let blocked = close_blocked(&v);
    if open && allowed(Action::CloseIncident) && blocked.is_empty() {
        actions.push((format!("{here}/closure"), "Close the incident".to_string()));
    }

    IncidentPage {
        chrome,
        frame: RecordFrame::of(signed, &v.head, &here),
        grade_tag: fc.state.grade.map_or("govuk-tag--grey", grade_tag),
        queue_reason: fc.queue_reason.clone().unwrap_or_default(),
        latest_downgrade,
        review_flag: fc.state.closure.as_ref().is_some_and(|c| c.review_flag),
        assessments,
        advice_missing: fc.advice.is_none() && i.category.is_crime(),
        advice,
        attendance,
        decision_due: fc.decision.is_none() && i.category.is_crime(),
        decision,
        crimes,
        closure,
        duties: fc.duties.iter().map(|d| duty_row(fc, d, now)).collect(),
        links: link_rows(&v.links, v.head.id),
        close_blocked: if open && allowed(Action::CloseIncident) {
            blocked.to_string()
        } else {
            String::new()
        },
        actions,
        details,
        heading,
    }
}

/// `GET /incidents/{id}`
pub async fn show(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let here = format!("/incidents/{raw}");
    let v = match open_incident(&s.app, &signed, &raw, &here).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let crimes = crimes_of(&s, &signed, &v.first_contact.crimes).await;
    html(&incident_page(
        &signed,
        v,
        crimes,
        s.app.now(),
        q.done.as_deref(),
    ))
}

/// The crimes recorded from an incident, each opened (and so audited) to show its
/// reference and offence; one the user cannot open is shown by its id only.
async fn crimes_of(s: &WebState, signed: &Signed, ids: &[RecordId]) -> Vec<CrimeRow> {
    let mut rows = Vec::new();
    for id in ids {
        let ctx = acting_on(&s.app, signed, *id).await;
        let label = match s.app.get_crime(&ctx, *id).await {
            Ok(c) => {
                let o = c.crime.offence_code.offence();
                format!(
                    "{}: {} ({}){}",
                    c.crime.reference,
                    o.description,
                    o.code,
                    if c.crime.domestic_abuse {
                        ", domestic abuse"
                    } else {
                        ""
                    }
                )
            }
            Err(_) => "A crime you need to state a reason to open".to_string(),
        };
        rows.push(CrimeRow {
            label,
            id: id.to_string(),
        });
    }
    rows
}

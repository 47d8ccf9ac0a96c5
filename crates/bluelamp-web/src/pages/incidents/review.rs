//! The supervisor's first-contact review (`/reviews/first-contact`): what to look at now
//! (downgrades, missed attendance targets, overdue crime-recording decisions, crimes closed
//! without attendance, inconsistent assessments) from `App::first_contact_review`, and the
//! measures of a period from `App::first_contact_measures`, chosen with a GET form in UK
//! dates (the last 28 days by default).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::first_contact::MeasuresQuery;
use bluelamp_app::views::{DutyCounts, Measures, ReviewLine};
use bluelamp_domain::field::Invalid;
use chrono::{Days, NaiveDate};
use chrono_tz::Europe::London;
use serde::Deserialize;

use super::{incident_href, place_errors, start_of_uk_day, uk_date};
use crate::WebState;
use crate::pages::time::{day, london};
use crate::pages::{Chrome, Form, FormError, Signed, html_status};

const HERE: &str = "/reviews/first-contact";

/// The length of the default period, in days, ending today.
const DEFAULT_DAYS: u64 = 28;

/// One incident of a list as shown.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub href: String,
    pub reference: String,
    pub at: String,
    pub what: String,
}

/// One of the supervisor's lists.
#[derive(Debug, Clone)]
pub struct ReviewList {
    pub id: &'static str,
    pub caption: &'static str,
    pub when: &'static str,
    pub rows: Vec<ReviewRow>,
}

/// A measure: a count, of how many, and the share in words.
#[derive(Debug, Clone)]
pub struct ShareRow {
    pub label: String,
    pub count: i64,
    pub of: String,
    pub percent: String,
}

/// A duty measure as shown: how the duties raised in the period stand.
#[derive(Debug, Clone)]
pub struct DutyRow {
    pub label: String,
    pub raised: i64,
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
    pub open: i64,
    pub percent: String,
}

/// A table of shares: its caption, the headings of its columns, and its rows.
#[derive(Debug, Clone)]
pub struct ShareTable {
    pub id: &'static str,
    pub caption: &'static str,
    pub headings: [&'static str; 3],
    pub rows: Vec<ShareRow>,
    pub empty: &'static str,
}

/// The measures as shown.
#[derive(Debug, Clone)]
pub struct MeasuresView {
    pub period: String,
    /// What the period holds, in a sentence.
    pub summary: String,
    /// The caption of the table of deadlines.
    pub deadlines: &'static str,
    pub duties: Vec<DutyRow>,
    pub tables: Vec<ShareTable>,
}

#[derive(Template)]
#[template(path = "incidents/review.html")]
pub struct ReviewPage {
    pub chrome: Chrome,
    pub form: Form,
    pub lists: Vec<ReviewList>,
    pub measures: Option<MeasuresView>,
    pub may_measure: bool,
    pub measures_action: &'static str,
}

#[derive(Debug, Deserialize)]
pub struct PeriodParams {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `count` of `of` as a percentage, one decimal place.
fn percent(count: i64, of: i64) -> String {
    if of <= 0 {
        "No cases".to_string()
    } else {
        format!("{:.1}%", 100.0 * count as f64 / of as f64)
    }
}

pub fn share(label: impl Into<String>, count: i64, of: i64) -> ShareRow {
    ShareRow {
        label: label.into(),
        count,
        of: of.to_string(),
        percent: percent(count, of),
    }
}

pub fn duty_row(label: impl Into<String>, c: &DutyCounts) -> DutyRow {
    let open = c.open();
    DutyRow {
        label: label.into(),
        raised: c.raised,
        on_time: c.met_on_time,
        late: c.met_late,
        overdue: c.overdue,
        open,
        percent: percent(c.met_on_time, c.raised - open),
    }
}

fn measures_view(m: &Measures, from: NaiveDate, to: NaiveDate) -> MeasuresView {
    let r = &m.regrades;
    let a = &m.advice;
    let c = &m.closures;
    MeasuresView {
        period: format!("{} to {}", day(&from), day(&to)),
        deadlines: "Deadlines: THRIVE completion and crime-recording decisions",
        summary: format!(
            "{} incident{} received.",
            m.incidents,
            if m.incidents == 1 { "" } else { "s" }
        ),
        duties: vec![
            duty_row(
                "THRIVE completed within the set time of opening",
                &m.thrive_completion,
            ),
            duty_row(
                "Crime-recording decision within 24 hours of the report",
                &m.crime_recording,
            ),
        ],
        tables: vec![
            ShareTable {
                id: "regrades",
                caption: "Re-grades and downgrades",
                headings: ["Assessments in the period", "Number", "Of"],
                rows: vec![
                    share(
                        "Re-assessments, of all assessments",
                        r.reassessments,
                        r.assessments,
                    ),
                    share("Re-grades, of re-assessments", r.regrades, r.reassessments),
                    share(
                        "Downgrades, of re-assessments",
                        r.downgrades,
                        r.reassessments,
                    ),
                    share(
                        "Grades other than THRIVE proposed, of all assessments",
                        r.overrides,
                        r.assessments,
                    ),
                    share(
                        "Inconsistent with their own factors, of all assessments",
                        r.inconsistent,
                        r.assessments,
                    ),
                ],
                empty: "",
            },
            ShareTable {
                id: "attendance",
                caption: "Attendance within target, by grade",
                headings: [
                    "Grade (arrivals in the period)",
                    "Within target",
                    "Arrivals",
                ],
                rows: m
                    .attendance
                    .iter()
                    .map(|g| share(g.grade.describe(), g.within_target, g.arrivals))
                    .collect(),
                empty: "No arrivals were recorded in the period.",
            },
            ShareTable {
                id: "advice",
                caption: "Advice at first contact",
                headings: ["Incidents opened as crimes in the period", "Number", "Of"],
                rows: vec![
                    share(
                        "Advice checklist recorded, of incidents opened as crimes",
                        a.recorded,
                        a.crime_incidents,
                    ),
                    share(
                        "Evidence-preservation advice given, of checklists recorded",
                        a.evidence_given,
                        a.recorded,
                    ),
                    share(
                        "Crime-prevention advice given, of checklists recorded",
                        a.prevention_given,
                        a.recorded,
                    ),
                ],
                empty: "",
            },
            ShareTable {
                id: "closures",
                caption: "Crimes closed without attendance",
                headings: [
                    "Incidents opened as crimes, closed in the period",
                    "Number",
                    "Of",
                ],
                rows: vec![
                    share(
                        "Closed without attendance, of crimes closed",
                        c.without_attendance,
                        c.closed,
                    ),
                    share(
                        "Flagged for review (THRIVE found lines of enquiry), of crimes closed",
                        c.flagged,
                        c.closed,
                    ),
                ],
                empty: "",
            },
        ],
    }
}

fn rows(lines: &[ReviewLine]) -> Vec<ReviewRow> {
    lines
        .iter()
        .map(|l| ReviewRow {
            href: incident_href(l.incident),
            reference: l.reference.clone(),
            at: london(&l.at),
            what: l.what.clone(),
        })
        .collect()
}

/// A period chosen with a GET form: what it shows, the errors the page found itself, and
/// the first and last days (UK dates) when they could be read.
pub struct Period {
    pub form: Form,
    pub own: Vec<FormError>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Reads the period's form: the last day today and the first `days` days before it,
/// unless given.
pub fn period_form(q: &PeriodParams, today: NaiveDate, days: u64) -> Period {
    let mut own = Vec::new();
    let mut date = |id: &str, label: &str, raw: &str, default: NaiveDate| {
        if raw.trim().is_empty() {
            return Some(default);
        }
        let d = uk_date(raw);
        if d.is_none() {
            own.push(FormError {
                id: id.into(),
                message: format!("{label} must be a date such as 2024-03-09"),
            });
        }
        d
    };
    let to = date("to", "The last day", &q.to, today);
    let from = date(
        "from",
        "The first day",
        &q.from,
        to.unwrap_or(today) - Days::new(days - 1),
    );
    let mut form = Form::default();
    let shown = |raw: &str, d: Option<NaiveDate>| {
        if raw.trim().is_empty() {
            d.map(|d| d.to_string()).unwrap_or_default()
        } else {
            raw.to_string()
        }
    };
    form.set("from", shown(&q.from, from));
    form.set("to", shown(&q.to, to));
    Period {
        form,
        own,
        from,
        to,
    }
}

/// The services' query for the UK days `from` to `to`, both whole.
pub fn period_query(from: NaiveDate, to: NaiveDate) -> MeasuresQuery {
    MeasuresQuery {
        from: Some(start_of_uk_day(from).to_rfc3339()),
        to: Some(start_of_uk_day(to + Days::new(1)).to_rfc3339()),
    }
}

/// Puts a service's errors about the period against its two fields.
pub fn place_period_errors(form: Form, e: &Invalid) -> Form {
    place_errors(form, e, &[], |pointer, message| match pointer {
        "/from" if message == "must be before to" => (
            "from".into(),
            "The first day must be on or before the last day".into(),
        ),
        "/from" => ("from".into(), format!("The first day {message}")),
        _ => ("to".into(), format!("The last day {message}")),
    })
}

/// `GET /reviews/first-contact`
pub async fn review(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<PeriodParams>,
) -> Response {
    let r = match s.app.first_contact_review(&signed.ctx).await {
        Ok(r) => r,
        Err(e) => return signed.error(e, HERE).into_response(),
    };
    let lists = vec![
        ReviewList {
            id: "downgrades",
            caption: "Downgrades",
            when: "Re-assessed",
            rows: rows(&r.downgrades),
        },
        ReviewList {
            id: "missed-attendance",
            caption: "Missed attendance targets",
            when: "Arrived",
            rows: rows(&r.missed_attendance),
        },
        ReviewList {
            id: "overdue-decisions",
            caption: "Overdue crime-recording decisions",
            when: "Was due",
            rows: rows(&r.overdue_decisions),
        },
        ReviewList {
            id: "closed-without-attendance",
            caption: "Crimes closed without attendance",
            when: "Closed",
            rows: rows(&r.closed_without_attendance),
        },
        ReviewList {
            id: "inconsistent",
            caption: "Inconsistent assessments",
            when: "Assessed",
            rows: rows(&r.inconsistent),
        },
    ];

    let today = s.app.now().with_timezone(&London).date_naive();
    let Period {
        mut form,
        own,
        from,
        to,
    } = period_form(&q, today, DEFAULT_DAYS);

    let may_measure = signed
        .ctx
        .actor
        .authorise(bluelamp_domain::access::Action::ViewAggregates)
        .is_ok();
    let mut measures = None;
    if let (true, Some(from), Some(to)) = (may_measure, from, to) {
        match s
            .app
            .first_contact_measures(&signed.ctx, &period_query(from, to))
            .await
        {
            Ok(m) => measures = Some(measures_view(&m, from, to)),
            Err(AppError::Invalid(e)) => form = place_period_errors(form, &e),
            Err(e) => return signed.error(e, HERE).into_response(),
        }
    }
    form = place_errors(form, &Invalid(vec![]), &own, |_, _| {
        (String::new(), String::new())
    });
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html_status(
        status,
        &ReviewPage {
            chrome: Chrome::signed(&signed, "First-contact review", "review").with_errors(&form),
            form,
            lists,
            measures,
            may_measure,
            measures_action: "/reviews/first-contact#measures",
        },
    )
}

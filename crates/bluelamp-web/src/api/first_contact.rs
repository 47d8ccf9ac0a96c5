//! `/api/v1/measures/first-contact` and `/api/v1/reviews/first-contact`: the measures of
//! issue 4 §7, and what a supervisor should look at.

use axum::Json;
use axum::extract::State;
use bluelamp_app::App;
use bluelamp_app::first_contact::MeasuresQuery;
use bluelamp_app::views::{DutyCounts, Measures, Review, ReviewLine};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};

/// A share: how many of how many, and the rate (null when there were none).
#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub count: i64,
    pub of: i64,
    pub rate: Option<f64>,
}

impl Share {
    /// `count` of `of`.
    pub fn new(count: i64, of: i64) -> Self {
        Share {
            count,
            of,
            rate: (of > 0).then(|| count as f64 / of as f64),
        }
    }
}

/// Duties of one rule raised in the period, and how they stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyMeasure {
    pub raised: i64,
    pub met_on_time: i64,
    pub met_late: i64,
    /// Unmet and past due.
    pub overdue: i64,
    /// Unmet and not yet due.
    pub open: i64,
    /// Met on time, of those no longer open.
    pub on_time: Share,
}

impl From<DutyCounts> for DutyMeasure {
    fn from(c: DutyCounts) -> Self {
        DutyMeasure {
            raised: c.raised,
            met_on_time: c.met_on_time,
            met_late: c.met_late,
            overdue: c.overdue,
            open: c.open(),
            on_time: Share::new(c.met_on_time, c.raised - c.open()),
        }
    }
}

/// Re-assessments in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegradeMeasure {
    pub assessments: i64,
    pub reassessments: i64,
    /// Re-assessments that changed the grade.
    pub regrades: i64,
    /// Re-assessments to a lower grade.
    pub downgrades: i64,
    /// Grades other than THRIVE proposed.
    pub overrides: i64,
    /// Assessments inconsistent with their own factors.
    pub inconsistent: i64,
}

/// Arrivals within the attendance target of one grade.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendanceMeasure {
    pub grade: String,
    pub within_target: Share,
}

/// The advice checklist over incidents opened as crimes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdviceMeasure {
    pub crime_incidents: i64,
    pub checklist_recorded: Share,
    pub evidence_preservation_given: Share,
    pub crime_prevention_given: Share,
}

/// Incidents opened as crimes and closed in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureMeasure {
    pub closed: i64,
    pub without_attendance: Share,
    /// Closed without attendance although THRIVE found lines of enquiry.
    pub flagged_for_review: i64,
}

/// The first-contact measures of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasuresResponse {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Incidents received in the period.
    pub incidents: i64,
    /// THRIVE completed within the force's set time of the incident being opened.
    pub thrive_completion: DutyMeasure,
    pub regrades: RegradeMeasure,
    pub attendance: Vec<AttendanceMeasure>,
    pub advice: AdviceMeasure,
    /// Crime-recording decisions within 24 hours of the report.
    pub crime_recording_decisions: DutyMeasure,
    pub crimes_closed: ClosureMeasure,
}

impl From<Measures> for MeasuresResponse {
    fn from(m: Measures) -> Self {
        let r = m.regrades;
        let a = m.advice;
        let c = m.closures;
        MeasuresResponse {
            from: m.period.from,
            to: m.period.to,
            incidents: m.incidents,
            thrive_completion: m.thrive_completion.into(),
            regrades: RegradeMeasure {
                assessments: r.assessments,
                reassessments: r.reassessments,
                regrades: r.regrades,
                downgrades: r.downgrades,
                overrides: r.overrides,
                inconsistent: r.inconsistent,
            },
            attendance: m
                .attendance
                .into_iter()
                .map(|a| AttendanceMeasure {
                    grade: a.grade.as_str().into(),
                    within_target: Share::new(a.within_target, a.arrivals),
                })
                .collect(),
            advice: AdviceMeasure {
                crime_incidents: a.crime_incidents,
                checklist_recorded: Share::new(a.recorded, a.crime_incidents),
                evidence_preservation_given: Share::new(a.evidence_given, a.recorded),
                crime_prevention_given: Share::new(a.prevention_given, a.recorded),
            },
            crime_recording_decisions: m.crime_recording.into(),
            crimes_closed: ClosureMeasure {
                closed: c.closed,
                without_attendance: Share::new(c.without_attendance, c.closed),
                flagged_for_review: c.flagged,
            },
        }
    }
}

/// The period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasuresParams {
    /// From: a date (`YYYY-MM-DD`, from 00:00 UTC) or an RFC 3339 time; 28 days before `to`
    /// by default.
    pub from: Option<String>,
    /// To (exclusive): as `from`; now by default.
    pub to: Option<String>,
}

/// The first-contact measures of a period, over every incident (counts reveal no record).
#[utoipa::path(get, path = "/api/v1/measures/first-contact", tag = "measures", params(MeasuresParams),
    responses((status = 200, description = "The measures", body = MeasuresResponse, content_type = "application/json")))]
pub async fn measures(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<MeasuresParams>,
) -> ApiResult<Json<MeasuresResponse>> {
    let query = MeasuresQuery {
        from: q.from,
        to: q.to,
    };
    Ok(Json(app.first_contact_measures(&ctx, &query).await?.into()))
}

/// One incident to look at.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewItem {
    pub incident_id: Uuid,
    pub reference: String,
    pub at: DateTime<Utc>,
    pub what: String,
}

fn items(lines: Vec<ReviewLine>) -> Vec<ReviewItem> {
    lines
        .into_iter()
        .map(|l| ReviewItem {
            incident_id: l.incident.uuid(),
            reference: l.reference,
            at: l.at,
            what: l.what,
        })
        .collect()
}

/// What a supervisor should look at, newest first (at most 50 of each).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewResponse {
    pub downgrades: Vec<ReviewItem>,
    pub missed_attendance_targets: Vec<ReviewItem>,
    pub overdue_crime_recording_decisions: Vec<ReviewItem>,
    pub crimes_closed_without_attendance: Vec<ReviewItem>,
    pub inconsistent_assessments: Vec<ReviewItem>,
}

impl From<Review> for ReviewResponse {
    fn from(r: Review) -> Self {
        ReviewResponse {
            downgrades: items(r.downgrades),
            missed_attendance_targets: items(r.missed_attendance),
            overdue_crime_recording_decisions: items(r.overdue_decisions),
            crimes_closed_without_attendance: items(r.closed_without_attendance),
            inconsistent_assessments: items(r.inconsistent),
        }
    }
}

/// What a supervisor should look at in first contact: downgrades, missed attendance
/// targets, overdue crime-recording decisions, crimes closed without attendance and
/// inconsistent assessments.
#[utoipa::path(get, path = "/api/v1/reviews/first-contact", tag = "measures",
    responses((status = 200, description = "The lists", body = ReviewResponse, content_type = "application/json")))]
pub async fn review(
    State(app): State<App>,
    Caller(ctx): Caller,
) -> ApiResult<Json<ReviewResponse>> {
    Ok(Json(app.first_contact_review(&ctx).await?.into()))
}

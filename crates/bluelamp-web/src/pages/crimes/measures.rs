//! The investigation and victim-care measures (`/reviews/investigation`, issue 5 §7): the
//! outcomes of the crimes recorded in a period by the Home Office method, supervision on
//! time, handovers returned, Victims' Code compliance by duty, and victim satisfaction.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::AppError;
use bluelamp_app::views::InvestigationMeasures;
use bluelamp_domain::access::Action;
use bluelamp_domain::outcome::Outcome;
use chrono::NaiveDate;
use chrono_tz::Europe::London;

use crate::WebState;
use crate::pages::incidents::place_errors;
use crate::pages::incidents::review::{
    MeasuresView, Period, PeriodParams, ShareTable, duty_row, period_form, period_query,
    place_period_errors, share,
};
use crate::pages::time::day;
use crate::pages::{Chrome, Form, html_status};
use bluelamp_domain::field::Invalid;

const HERE: &str = "/reviews/investigation";

#[derive(Template)]
#[template(path = "crimes/measures.html")]
pub struct MeasuresPage {
    pub chrome: Chrome,
    pub form: Form,
    pub measures: Option<MeasuresView>,
    pub may_measure: bool,
    pub measures_action: &'static str,
}

fn view(m: &InvestigationMeasures, from: NaiveDate, to: NaiveDate) -> MeasuresView {
    let o = &m.outcomes;
    let h = m.handovers;
    let s = m.satisfaction;
    MeasuresView {
        period: format!("{} to {}", day(&from), day(&to)),
        summary: format!(
            "{} crime{} recorded (fraud excluded), of which {} charged or summonsed and {} still open.",
            o.recorded,
            if o.recorded == 1 { "" } else { "s" },
            o.of(Outcome::CHARGED),
            o.open
        ),
        deadlines: "Deadlines: supervision, decisions and the Victims' Code",
        duties: [
            duty_row("Supervision reviews", &m.supervision),
            duty_row(
                "Handover decisions by the receiving team",
                &m.handover_decisions,
            ),
            duty_row("Outcome approvals by a supervisor", &m.outcome_approvals),
            duty_row(
                "Victims' Code: acknowledgement of the report",
                &m.acknowledgement,
            ),
            duty_row(
                "Victims' Code: referral to support services (2 working days)",
                &m.referral,
            ),
            duty_row(
                "Victims' Code: updates on each development (5 or 1 working days)",
                &m.updates,
            ),
        ]
        .into_iter()
        .chain(m.updates_by_entitlement.iter().map(|(e, c)| {
            duty_row(
                format!(
                    "Updates to victims with {} entitlements",
                    e.describe().to_lowercase()
                ),
                c,
            )
        }))
        .chain(
            m.updates_by_development
                .iter()
                .map(|(w, c)| duty_row(format!("Updates on: {}", w.describe().to_lowercase()), c)),
        )
        .chain(std::iter::once(duty_row(
            "Victims' Code: updates as often as agreed with the victim",
            &m.agreed_updates,
        )))
        .collect(),
        tables: vec![
            ShareTable {
                id: "outcomes",
                caption: "Outcomes of the crimes recorded in the period (Home Office method: open investigations stay in the denominator)",
                headings: ["Outcome", "Crimes", "Of crimes recorded"],
                rows: std::iter::once(share("Still open", o.open, o.recorded))
                    .chain(o.by_outcome.iter().map(|(out, n)| {
                        share(format!("{}: {}", out.number(), out.label()), *n, o.recorded)
                    }))
                    .collect(),
                empty: "No crimes recorded in the period.",
            },
            ShareTable {
                id: "handovers",
                caption: "Handovers between teams made in the period",
                headings: ["", "Handovers", "Of those decided"],
                rows: vec![
                    share("Returned with reasons", h.returned, h.accepted + h.returned),
                    share("Accepted", h.accepted, h.accepted + h.returned),
                    share("Still awaiting the receiving team", h.awaiting, h.made),
                ],
                empty: "",
            },
            ShareTable {
                id: "satisfaction",
                caption: "Victim satisfaction (survey responses in the period: completely, very or fairly satisfied)",
                headings: ["Satisfied with", "Satisfied", "Responses"],
                rows: if s.responses == 0 {
                    vec![]
                } else {
                    vec![
                        share("The whole experience", s.overall, s.responses),
                        share("Being kept informed", s.kept_informed, s.responses),
                        share("How they were treated", s.treatment, s.responses),
                    ]
                },
                empty: "No survey responses in the period.",
            },
        ],
    }
}

/// `GET /reviews/investigation`
pub async fn measures(
    State(s): State<WebState>,
    signed: crate::pages::Signed,
    Query(q): Query<PeriodParams>,
) -> Response {
    let may_measure = signed.ctx.actor.authorise(Action::ViewAggregates).is_ok();
    if !may_measure {
        return signed
            .error(
                AppError::Denied(bluelamp_domain::access::Denied(Action::ViewAggregates)),
                HERE,
            )
            .into_response();
    }
    let today = s.app.now().with_timezone(&London).date_naive();
    let Period {
        mut form,
        own,
        from,
        to,
    } = period_form(&q, today, 365);
    let mut measures = None;
    if let (Some(from), Some(to)) = (from, to) {
        match s
            .app
            .investigation_measures(&signed.ctx, &period_query(from, to))
            .await
        {
            Ok(m) => measures = Some(view(&m, from, to)),
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
        &MeasuresPage {
            chrome: Chrome::signed(&signed, "Investigation and victim care", "measures")
                .with_errors(&form),
            form,
            measures,
            may_measure,
            measures_action: "/reviews/investigation#measures",
        },
    )
}

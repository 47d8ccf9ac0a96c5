//! The victim's page (`/victims/{id}`): their Victims' Code entitlements, the duties owed to
//! them with their deadlines, the contact log, and the forms to record a contact and a
//! satisfaction survey.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::victim::VictimFile;
use bluelamp_app::{AppError, Ctx};
use bluelamp_domain::access::Action;
use bluelamp_domain::duty::Owner;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::victim::{
    ContactInput, ContactMethod, Referral, Satisfaction, SurveyInput, VpsOffer,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{Field, Kind, place};
use crate::WebState;
use crate::pages::incidents::show::{DutyRow, Row, duty_row_named, row};
use crate::pages::incidents::{sentence, uk_time};
use crate::pages::records::reason_href;
use crate::pages::time::london;
use crate::pages::{Chrome, Form, FormError, Signed, html, html_status, see_other};

/// A contact as shown.
#[derive(Debug, Clone)]
pub struct ContactRow {
    pub at: String,
    pub method: String,
    pub by: String,
    pub summary: String,
    pub extra: String,
}

#[derive(Template)]
#[template(path = "crimes/victim.html")]
pub struct VictimPage {
    pub chrome: Chrome,
    pub form: Form,
    pub name: String,
    pub crime_href: String,
    pub crime_reference: String,
    pub details: Vec<Row>,
    pub duties: Vec<DutyRow>,
    pub contacts: Vec<ContactRow>,
    pub surveys: Vec<Row>,
    pub may_record: bool,
    pub contact_fields: Vec<Field>,
    pub survey_fields: Vec<Field>,
    pub contact_action: String,
    pub survey_action: String,
}

fn spaced(s: &str) -> String {
    sentence(&s.replace('_', " "))
}

fn contact_fields(f: &VictimFile) -> Vec<Field> {
    let mut out = vec![
        Field::new(
            "at",
            "When",
            "In UK time, for example 2026-03-09 14:05; now if blank",
            Kind::Input("govuk-input--width-20"),
        ),
        Field::new(
            "method",
            "How",
            "",
            Kind::Radios(
                ContactMethod::ALL
                    .iter()
                    .map(|m| (m.as_str().into(), spaced(m.as_str())))
                    .collect(),
            ),
        ),
        Field::new(
            "summary",
            "What they were told and said",
            "",
            Kind::Textarea,
        ),
        Field::new(
            "vps",
            "Victim personal statement",
            "If it was offered at this contact",
            Kind::Radios(
                std::iter::once((String::new(), "Not offered at this contact".to_string()))
                    .chain(
                        VpsOffer::ALL
                            .iter()
                            .map(|v| (v.as_str().into(), spaced(v.as_str()))),
                    )
                    .collect(),
            ),
        ),
    ];
    if f.victim.referral == Referral::AwaitingConsent {
        out.push(Field::new(
            "referral",
            "Referral to support services",
            "Still awaited",
            Kind::Radios(vec![
                (String::new(), "Still awaiting consent".into()),
                ("referred".into(), "Consent given: referred".into()),
                ("declined".into(), "Declined".into()),
            ]),
        ));
    }
    out
}

fn survey_fields() -> Vec<Field> {
    let scale: Vec<(String, String)> = Satisfaction::ALL
        .iter()
        .map(|s| (s.as_str().into(), spaced(s.as_str())))
        .collect();
    vec![
        Field::new(
            "overall",
            "Overall, how satisfied were they?",
            "",
            Kind::Select(scale.clone()),
        ),
        Field::new(
            "kept_informed",
            "With being kept informed",
            "",
            Kind::Select(scale.clone()),
        ),
        Field::new(
            "treatment",
            "With how they were treated",
            "",
            Kind::Select(scale),
        ),
    ]
}

fn page(
    signed: &Signed,
    f: &VictimFile,
    form: Form,
    now: chrono::DateTime<chrono::Utc>,
) -> VictimPage {
    let v = &f.victim;
    let name = |u: Uuid| f.names.get(&u).cloned().unwrap_or_else(|| u.to_string());
    let owner = |o: &Owner| match o {
        Owner::Role(r) => format!("Anyone with the role {}", r.as_str().replace('_', " ")),
        Owner::Team(t) => format!("Team {}", name(t.uuid())),
        Owner::User(u) => name(u.uuid()),
    };
    let here = format!("/victims/{}", v.id);
    VictimPage {
        chrome: Chrome::signed(signed, format!("Victim: {}", f.person_name), "").with_errors(&form),
        name: f.person_name.clone(),
        crime_href: format!("/crimes/{}", v.crime),
        crime_reference: f.crime_reference.clone(),
        details: vec![
            row(
                "Entitlements",
                format!(
                    "{}{}",
                    sentence(v.entitlement.as_str()),
                    if v.reasons.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({})",
                            v.reasons
                                .iter()
                                .map(|r| r.as_str().replace('_', " "))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ),
            ),
            row(
                "Their needs",
                v.needs.clone().unwrap_or_else(|| "None recorded".into()),
            ),
            row(
                "Referral",
                format!(
                    "{}{}",
                    spaced(v.referral.as_str()),
                    v.referral_at
                        .map(|t| format!(" on {}", london(&t)))
                        .unwrap_or_default()
                ),
            ),
            row(
                "Updates",
                format!(
                    "By {} every {} days",
                    v.contact_method.as_str().replace('_', " "),
                    v.update_every_days
                ),
            ),
            row(
                "Personal statement",
                v.vps
                    .map(|p| spaced(p.as_str()))
                    .unwrap_or_else(|| "Not yet offered".into()),
            ),
            row("Reported", london(&v.recorded_at)),
            row("Assessed by", name(v.assessed_by.uuid())),
        ],
        duties: f
            .duties
            .iter()
            .map(|d| duty_row_named(d, now, owner(&d.owed_by)))
            .collect(),
        contacts: f
            .contacts
            .iter()
            .rev()
            .map(|c| ContactRow {
                at: london(&c.contact.at),
                method: spaced(c.contact.method.as_str()),
                by: name(c.by.uuid()),
                summary: c.contact.summary.clone(),
                extra: [
                    c.contact
                        .referral
                        .map(|r| format!("Referral: {}", r.as_str())),
                    c.contact
                        .vps
                        .map(|p| format!("Personal statement: {}", p.as_str().replace('_', " "))),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(". "),
            })
            .collect(),
        surveys: f
            .surveys
            .iter()
            .map(|s| {
                row(
                    &london(&s.at),
                    format!(
                        "Overall {}; kept informed {}; treatment {}",
                        s.overall.as_str().replace('_', " "),
                        s.kept_informed.as_str().replace('_', " "),
                        s.treatment.as_str().replace('_', " ")
                    ),
                )
            })
            .collect(),
        may_record: signed.ctx.actor.authorise(Action::CareForVictims).is_ok(),
        contact_fields: contact_fields(f),
        survey_fields: survey_fields(),
        contact_action: format!("{here}/contacts"),
        survey_action: format!("{here}/surveys"),
        form,
    }
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /victims/{id}`
pub async fn show(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let here = format!("/victims/{raw}");
    let (id, crime, ctx) = match with_reason(&s, &signed, &raw, &here).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match s.app.get_victim(&ctx, id).await {
        Ok(f) => {
            let mut p = page(&signed, &f, Form::default(), s.app.now());
            p.chrome.flash = match q.done.as_deref() {
                Some("contact") => Some("The contact was recorded".into()),
                Some("survey") => Some("The survey answers were recorded".into()),
                _ => None,
            };
            html(&p)
        }
        Err(AppError::ReasonRequired) => see_other(&reason_href(crime, &here)),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

/// The victim's id, their crime, and the caller's context with the reason this session
/// stated for that crime (a restricted crime opens only with one).
async fn with_reason(
    s: &WebState,
    signed: &Signed,
    raw: &str,
    here: &str,
) -> Result<(Uuid, RecordId, Ctx), Response> {
    let Ok(id) = raw.parse::<Uuid>() else {
        return Err(signed.error(AppError::NotFound, here).into_response());
    };
    let crime = s
        .app
        .victim_crime(&signed.ctx, id)
        .await
        .map_err(|e| signed.error(e, here).into_response())?;
    let mut ctx = signed.ctx.clone();
    ctx.reason = s
        .app
        .stated_reason(&signed.session_id, crime)
        .await
        .map_err(|e| signed.error(e, here).into_response())?;
    Ok((id, crime, ctx))
}

async fn submit(s: &WebState, signed: &Signed, raw: &str, body: &[u8], survey: bool) -> Response {
    let here = format!("/victims/{raw}");
    let form = Form::parse(body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let (id, crime, ctx) = match with_reason(s, signed, raw, &here).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut own = vec![];
    let result = if survey {
        let input = SurveyInput {
            surveyed_on: None,
            overall: form.value("overall").into(),
            kept_informed: form.value("kept_informed").into(),
            treatment: form.value("treatment").into(),
        };
        s.app.record_survey(&ctx, id, &input).await
    } else {
        let at = form.optional("at").map(|raw| match uk_time(&raw) {
            Ok(t) => t,
            Err(m) => {
                own.push(FormError {
                    id: "at".into(),
                    message: format!("When {m}"),
                });
                raw
            }
        });
        let input = ContactInput {
            at,
            method: form.value("method").into(),
            summary: form.value("summary").into(),
            referral: form.optional("referral"),
            vps: form.optional("vps"),
        };
        s.app.record_contact(&ctx, id, &input).await
    };
    match result {
        Ok(_) => see_other(&format!(
            "{here}?done={}",
            if survey { "survey" } else { "contact" }
        )),
        Err(AppError::ReasonRequired) => see_other(&reason_href(crime, &here)),
        Err(AppError::Invalid(e)) => match s.app.get_victim(&ctx, id).await {
            Ok(f) => {
                let fields = if survey {
                    survey_fields()
                } else {
                    contact_fields(&f)
                };
                let form = place(form, &e, &fields, &own);
                html_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &page(signed, &f, form, s.app.now()),
                )
            }
            Err(e) => signed.error(e, &here).into_response(),
        },
        Err(e) => signed.error(e, &here).into_response(),
    }
}

/// `POST /victims/{id}/contacts`
pub async fn contact(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    submit(&s, &signed, &raw, &body, false).await
}

/// `POST /victims/{id}/surveys`
pub async fn survey(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    submit(&s, &signed, &raw, &body, true).await
}

//! People (nominals) on the pages: search, the person page, and the forms to record and
//! edit one, which show likely matches before a new person is made.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bluelamp_app::person::{Match, PersonView, SearchInput};
use bluelamp_app::{AppError, Page};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::person::{Ethnicity, MarkerInput, MarkerKind, NameInput, PersonInput, Sex};
use serde::Deserialize;

use super::records::{LinkRow, RecordFrame, link_rows, open_record};
use super::time::day;
use super::{Chrome, Form, PageLink, Signed, html, html_status, paginate, see_other};
use crate::WebState;

/// How many alias rows and marker rows a blank form offers beyond those recorded.
const SPARE_ROWS: usize = 1;

/// A search result as shown.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub href: String,
    pub name: String,
    pub aliases: String,
    pub date_of_birth: String,
    pub postcodes: String,
    pub score: u8,
    pub score_class: &'static str,
}

/// The class of a score's tag: how sure the match is.
fn score_class(score: u8) -> &'static str {
    match score {
        85.. => "bl-score--high",
        60.. => "bl-score--medium",
        _ => "bl-score--low",
    }
}

fn result_row(m: Match) -> ResultRow {
    let mut names = m.candidate.names.iter();
    let main = names.next();
    ResultRow {
        href: format!("/persons/{}", m.id),
        name: main
            .map(|n| format!("{}, {}", n.surname.to_uppercase(), n.forenames))
            .unwrap_or_default(),
        aliases: names
            .map(|n| format!("{} {}", n.forenames, n.surname))
            .collect::<Vec<_>>()
            .join("; "),
        date_of_birth: m
            .candidate
            .date_of_birth
            .map(|d| d.to_string())
            .unwrap_or_default(),
        postcodes: m
            .candidate
            .postcodes
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        score: m.score,
        score_class: score_class(m.score),
    }
}

#[derive(Template)]
#[template(path = "persons/search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub form: Form,
    pub searched: bool,
    pub results: Vec<ResultRow>,
    pub total: usize,
    pub pages: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    dob: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    page: Option<String>,
}

fn search_label(id: &str) -> String {
    match id {
        "name" => "Name",
        "dob" => "Date of birth",
        "postcode" => "Postcode",
        "page" => "Page",
        _ => "This",
    }
    .to_string()
}

/// `GET /persons`
pub async fn search(
    State(s): State<WebState>,
    signed: Signed,
    Query(q): Query<SearchQuery>,
) -> Response {
    let mut form = Form::default();
    form.set("name", q.name.clone());
    form.set("dob", q.dob.clone());
    form.set("postcode", q.postcode.clone());
    let mut page = SearchPage {
        chrome: Chrome::signed(&signed, "Search people", "persons"),
        form,
        searched: false,
        results: vec![],
        total: 0,
        pages: vec![],
        prev: None,
        next: None,
    };
    if q.name.trim().is_empty() && q.dob.trim().is_empty() && q.postcode.trim().is_empty() {
        return html(&page);
    }
    let number = match q.page.as_deref().map(str::parse::<u32>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => Some(0),
    };
    let result = match Page::new(number, None) {
        Ok(p) => {
            let input = SearchInput {
                name: q.name.clone(),
                date_of_birth: Some(q.dob.clone()),
                postcode: Some(q.postcode.clone()),
            };
            s.app.search_persons(&signed.ctx, &input, p).await
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(m) => {
            page.searched = true;
            page.total = m.total;
            let href = |n: u32| {
                let qs: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("name", &q.name)
                    .append_pair("dob", &q.dob)
                    .append_pair("postcode", &q.postcode)
                    .append_pair("page", &n.to_string())
                    .finish();
                format!("/persons?{qs}")
            };
            (page.pages, page.prev, page.next) =
                paginate(m.total as u64, m.page.size, m.page.number, href);
            page.results = m.items.into_iter().map(result_row).collect();
            html(&page)
        }
        Err(AppError::Invalid(i)) => {
            page.form = page.form.with_invalid(&i, search_label);
            page.chrome = page.chrome.with_errors(&page.form);
            html_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => signed.error(e, "/persons").into_response(),
    }
}

/// A warning marker as shown.
#[derive(Debug, Clone)]
pub struct MarkerRow {
    pub kind: String,
    pub from: String,
    pub until: String,
    pub note: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "persons/show.html")]
pub struct PersonPage {
    pub chrome: Chrome,
    pub frame: RecordFrame,
    pub name: String,
    pub aliases: Vec<String>,
    pub date_of_birth: String,
    pub sex: String,
    pub ethnicity: String,
    pub markers: Vec<MarkerRow>,
    pub current_markers: Vec<String>,
    pub links: Vec<LinkRow>,
    pub timeline: Vec<LinkRow>,
    pub may_edit: bool,
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The banner after a form: what was done.
fn flash(done: Option<&str>) -> Option<String> {
    match done? {
        "created" => Some("The record was created".into()),
        "updated" => Some("The changes were saved".into()),
        "linked" => Some("The records were linked".into()),
        "restricted" => Some("Who may see the record was changed".into()),
        "shared" => Some("The record was shared".into()),
        _ => None,
    }
}

fn person_page(
    signed: &Signed,
    v: PersonView,
    today: chrono::NaiveDate,
    done: Option<&str>,
) -> PersonPage {
    let p = &v.person;
    let name = format!("{} {}", p.name.forenames, p.name.surname.to_uppercase());
    let markers: Vec<MarkerRow> = p
        .warning_markers
        .iter()
        .map(|m| MarkerRow {
            kind: m.kind.describe().into(),
            from: day(&m.from),
            until: m.until.as_ref().map(day).unwrap_or_default(),
            note: m.note.clone().unwrap_or_default(),
            current: m.from <= today && m.until.is_none_or(|u| u >= today),
        })
        .collect();
    let links = link_rows(&v.links, v.head.id);
    let mut timeline: Vec<LinkRow> = links.iter().filter(|l| l.is_event).cloned().collect();
    timeline.sort_by(|a, b| b.sort_key.cmp(&a.sort_key));
    let mut chrome = Chrome::signed(signed, name.clone(), "persons");
    chrome.flash = flash(done);
    PersonPage {
        chrome,
        frame: RecordFrame::of(signed, &v.head, &format!("/persons/{}", v.head.id)),
        aliases: p
            .aliases
            .iter()
            .map(|a| format!("{} {}", a.forenames, a.surname.to_uppercase()))
            .collect(),
        date_of_birth: match &p.date_of_birth {
            Some(d) if p.date_of_birth_approximate => format!("{d} (approximate)"),
            Some(d) => d.to_string(),
            None => "Not known".into(),
        },
        sex: match p.sex {
            Sex::Male => "Male",
            Sex::Female => "Female",
            Sex::Unknown => "Not known",
        }
        .into(),
        ethnicity: p
            .ethnicity
            .map(|e| format!("{} ({})", e.describe(), e.as_str()))
            .unwrap_or_else(|| "Not recorded".into()),
        current_markers: markers
            .iter()
            .filter(|m| m.current)
            .map(|m| m.kind.clone())
            .collect(),
        markers,
        links,
        timeline,
        name,
        may_edit: signed
            .ctx
            .actor
            .authorise(bluelamp_domain::access::Action::EditRecord)
            .is_ok(),
    }
}

/// `GET /persons/{id}`
pub async fn show(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let here = format!("/persons/{raw}");
    let today = s.app.now().date_naive();
    match open_record(&s.app, &signed, &raw, &here, |app, ctx, id| async move {
        app.get_person(&ctx, id).await
    })
    .await
    {
        Ok(v) => html(&person_page(&signed, v, today, q.done.as_deref())),
        Err(r) => r,
    }
}

#[derive(Template)]
#[template(path = "persons/form.html")]
pub struct PersonForm {
    pub chrome: Chrome,
    pub form: Form,
    pub action: String,
    pub heading: String,
    pub button: String,
    pub alias_rows: Vec<usize>,
    pub marker_rows: Vec<usize>,
    pub sexes: Vec<(String, String)>,
    pub ethnicities: Vec<(String, String)>,
    pub marker_kinds: Vec<(String, String)>,
    pub back: String,
}

impl PersonForm {
    fn new(signed: &Signed, form: Form, action: String, heading: &str, back: String) -> PersonForm {
        let rows = |prefix: &str| {
            let used = (0..)
                .take_while(|i| {
                    form.values
                        .keys()
                        .any(|k| k.starts_with(&format!("{prefix}-{i}-")))
                })
                .count();
            (0..used + SPARE_ROWS).collect::<Vec<_>>()
        };
        let alias_rows = rows("aliases");
        let marker_rows = rows("warning_markers");
        PersonForm {
            chrome: Chrome::signed(
                signed,
                heading,
                if action.ends_with("/new") {
                    "new"
                } else {
                    "persons"
                },
            )
            .with_errors(&form),
            alias_rows,
            marker_rows,
            form,
            action,
            heading: heading.into(),
            button: if heading.starts_with("Edit") {
                "Save changes"
            } else {
                "Continue"
            }
            .into(),
            sexes: vec![
                ("unknown".into(), "Not known".into()),
                ("female".into(), "Female".into()),
                ("male".into(), "Male".into()),
            ],
            ethnicities: std::iter::once((String::new(), "Not recorded".to_string()))
                .chain(Ethnicity::ALL.iter().map(|e| {
                    (
                        e.as_str().to_string(),
                        format!("{} – {}", e.as_str(), e.describe()),
                    )
                }))
                .collect(),
            marker_kinds: std::iter::once((String::new(), "None".to_string()))
                .chain(
                    MarkerKind::ALL
                        .iter()
                        .map(|k| (k.as_str().to_string(), k.describe().to_string())),
                )
                .collect(),
            back,
        }
    }
}

/// The person the form describes, and for each alias and marker the form row it came from
/// (blank rows are skipped, so the service's indexes differ from the form's).
fn person_input(form: &Form) -> (PersonInput, Vec<usize>, Vec<usize>) {
    let mut aliases = Vec::new();
    let mut alias_rows = Vec::new();
    let mut markers = Vec::new();
    let mut marker_rows = Vec::new();
    for i in 0..50 {
        let (f, s) = (
            form.value(&format!("aliases-{i}-forenames")),
            form.value(&format!("aliases-{i}-surname")),
        );
        if !f.trim().is_empty() || !s.trim().is_empty() {
            aliases.push(NameInput {
                forenames: f.into(),
                surname: s.into(),
            });
            alias_rows.push(i);
        }
        let kind = form.value(&format!("warning_markers-{i}-kind"));
        if !kind.trim().is_empty() {
            markers.push(MarkerInput {
                kind: kind.into(),
                from: form.value(&format!("warning_markers-{i}-from")).into(),
                until: form.optional(&format!("warning_markers-{i}-until")),
                note: form.optional(&format!("warning_markers-{i}-note")),
            });
            marker_rows.push(i);
        }
    }
    let input = PersonInput {
        forenames: form.value("forenames").into(),
        surname: form.value("surname").into(),
        aliases,
        date_of_birth: form.optional("date_of_birth"),
        date_of_birth_approximate: form.value("date_of_birth_approximate") == "yes",
        sex: form.optional("sex"),
        ethnicity: form.optional("ethnicity"),
        warning_markers: markers,
    };
    (input, alias_rows, marker_rows)
}

/// Puts the service's field errors against the form's fields, mapping list indexes back to
/// the rows they came from.
fn person_errors(
    form: Form,
    e: &bluelamp_domain::field::Invalid,
    alias_rows: &[usize],
    marker_rows: &[usize],
) -> Form {
    let remapped = bluelamp_domain::field::Invalid(
        e.0.iter()
            .map(|f| {
                let mut parts: Vec<String> = f.field.split('/').map(str::to_string).collect();
                if parts.len() > 2 {
                    let rows = if parts[1] == "aliases" {
                        alias_rows
                    } else {
                        marker_rows
                    };
                    if let Some(row) = parts[2].parse::<usize>().ok().and_then(|i| rows.get(i)) {
                        parts[2] = row.to_string();
                    }
                }
                bluelamp_domain::field::FieldError {
                    field: parts.join("/"),
                    message: f.message.clone(),
                }
            })
            .collect(),
    );
    form.with_invalid(&remapped, person_label)
}

fn person_label(id: &str) -> String {
    let parts: Vec<&str> = id.split('-').collect();
    match parts.as_slice() {
        ["forenames"] => "Forenames".into(),
        ["surname"] => "Surname".into(),
        ["date_of_birth"] => "Date of birth".into(),
        ["sex"] => "Sex".into(),
        ["ethnicity"] => "Ethnicity".into(),
        ["aliases", i, field] => format!(
            "Other name {} {}",
            i.parse::<usize>().map(|n| n + 1).unwrap_or(0),
            field
        ),
        ["warning_markers", i, field] => format!(
            "Warning marker {} {}",
            i.parse::<usize>().map(|n| n + 1).unwrap_or(0),
            match *field {
                "from" => "start date",
                "until" => "end date",
                other => other,
            }
        ),
        _ => "This".into(),
    }
}

/// `GET /persons/new`
pub async fn new_form(signed: Signed) -> Response {
    html(&PersonForm::new(
        &signed,
        Form::default(),
        "/persons/new".into(),
        "Record a person",
        "/".into(),
    ))
}

#[derive(Template)]
#[template(path = "persons/matches.html")]
pub struct MatchesPage {
    pub chrome: Chrome,
    pub results: Vec<ResultRow>,
    pub hidden: Vec<(String, String)>,
}

/// `POST /persons/new`: first shows likely matches; creates once the user confirms that
/// none of them is this person.
pub async fn create(State(s): State<WebState>, signed: Signed, body: Bytes) -> Response {
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let (input, alias_rows, marker_rows) = person_input(&form);
    let invalid = |form: Form, e: &bluelamp_domain::field::Invalid| {
        let form = person_errors(form, e, &alias_rows, &marker_rows);
        html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PersonForm::new(
                &signed,
                form,
                "/persons/new".into(),
                "Record a person",
                "/".into(),
            ),
        )
    };
    if form.value("confirmed") != "yes" {
        match s.app.likely_matches(&signed.ctx, &input).await {
            Ok(matches) if !matches.is_empty() => {
                let mut hidden: Vec<(String, String)> = form
                    .values
                    .iter()
                    .filter(|(k, _)| *k != "csrf" && *k != "confirmed")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                hidden.sort();
                return html(&MatchesPage {
                    chrome: Chrome::signed(&signed, "Is this one of these people?", "new"),
                    results: matches.into_iter().map(result_row).collect(),
                    hidden,
                });
            }
            Ok(_) => {}
            Err(AppError::Invalid(e)) => return invalid(form, &e),
            Err(e) => return signed.error(e, "/persons/new").into_response(),
        }
    }
    match s.app.create_person(&signed.ctx, &input).await {
        Ok((v, _)) => see_other(&format!("/persons/{}?done=created", v.head.id)),
        Err(AppError::Invalid(e)) => invalid(form, &e),
        Err(e) => signed.error(e, "/persons/new").into_response(),
    }
}

/// The form's values for a recorded person.
fn prefill(v: &PersonView) -> Form {
    let p = &v.person;
    let mut f = Form::default();
    f.set("forenames", p.name.forenames.clone());
    f.set("surname", p.name.surname.clone());
    if let Some(d) = &p.date_of_birth {
        f.set("date_of_birth", d.to_string());
    }
    if p.date_of_birth_approximate {
        f.set("date_of_birth_approximate", "yes");
    }
    f.set("sex", p.sex.as_str());
    if let Some(e) = p.ethnicity {
        f.set("ethnicity", e.as_str());
    }
    for (i, a) in p.aliases.iter().enumerate() {
        f.set(&format!("aliases-{i}-forenames"), a.forenames.clone());
        f.set(&format!("aliases-{i}-surname"), a.surname.clone());
    }
    for (i, m) in p.warning_markers.iter().enumerate() {
        f.set(&format!("warning_markers-{i}-kind"), m.kind.as_str());
        f.set(&format!("warning_markers-{i}-from"), m.from.to_string());
        f.set(
            &format!("warning_markers-{i}-until"),
            m.until.map(|d| d.to_string()).unwrap_or_default(),
        );
        f.set(
            &format!("warning_markers-{i}-note"),
            m.note.clone().unwrap_or_default(),
        );
    }
    f
}

/// `GET /persons/{id}/edit`
pub async fn edit_form(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
) -> Response {
    let here = format!("/persons/{raw}/edit");
    if let Err(e) = signed
        .ctx
        .actor
        .authorise(bluelamp_domain::access::Action::EditRecord)
    {
        return signed.error(e.into(), &here).into_response();
    }
    match open_record(&s.app, &signed, &raw, &here, |app, ctx, id| async move {
        app.get_person(&ctx, id).await
    })
    .await
    {
        Ok(v) => html(&PersonForm::new(
            &signed,
            prefill(&v),
            format!("/persons/{}/edit", v.head.id),
            "Edit person",
            format!("/persons/{}", v.head.id),
        )),
        Err(r) => r,
    }
}

/// `POST /persons/{id}/edit`
pub async fn update(
    State(s): State<WebState>,
    signed: Signed,
    Path(raw): Path<String>,
    body: Bytes,
) -> Response {
    let here = format!("/persons/{raw}/edit");
    let Ok(id) = raw.parse::<RecordId>() else {
        return signed.error(AppError::NotFound, &here).into_response();
    };
    let form = Form::parse(&body);
    if let Err(r) = signed.check_csrf(&form) {
        return r;
    }
    let (input, alias_rows, marker_rows) = person_input(&form);
    let mut ctx = signed.ctx.clone();
    ctx.reason = s
        .app
        .stated_reason(&signed.session_id, id)
        .await
        .ok()
        .flatten();
    match s.app.update_person(&ctx, id, &input).await {
        Ok(_) => see_other(&format!("/persons/{id}?done=updated")),
        Err(AppError::Invalid(e)) => {
            let form = person_errors(form, &e, &alias_rows, &marker_rows);
            html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PersonForm::new(&signed, form, here, "Edit person", format!("/persons/{id}")),
            )
        }
        Err(AppError::ReasonRequired) => see_other(&super::records::reason_href(
            id,
            &format!("/persons/{id}/edit"),
        )),
        Err(e) => signed.error(e, &here).into_response(),
    }
}

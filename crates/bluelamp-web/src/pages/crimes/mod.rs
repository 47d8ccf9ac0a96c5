//! Investigation and victim care on the pages (issue 5): the crime page with its
//! investigation, the forms for each action on it, the victim's contact log, and the work
//! lists ("my investigations", "my duties", the supervisor's team view).
//!
//! The action forms share one template ([`ActionPage`]): each action lists its fields
//! ([`Field`]) and turns the submitted form into its service's input. A field's id is the
//! service's JSON Pointer with hyphens (`/checklist/cctv/note` is `checklist-cctv-note`),
//! so the service's field errors fall on the right field without a table of their own.

use bluelamp_app::AppError;
use bluelamp_app::investigation::CaseFile;
use bluelamp_domain::field::Invalid;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::investigation::State;

use super::incidents::thrive::Choice;
use super::{Form, FormError, field_id};

pub mod actions;
pub mod measures;
pub mod show;
pub mod victim;
pub mod work;

/// The page of a crime.
pub fn crime_href(id: RecordId) -> String {
    format!("/crimes/{id}")
}

/// An investigation's state in words.
pub fn state_words(s: State) -> &'static str {
    match s {
        State::Recorded => "Recorded, not yet allocated",
        State::Allocated => "Allocated",
        State::UnderInvestigation => "Under investigation",
        State::AwaitingChargingDecision => "Awaiting a charging decision (CPS)",
        State::Finalised => "Finalised",
    }
}

/// The class of a state's tag.
pub fn state_tag(s: State) -> &'static str {
    match s {
        State::Recorded => "govuk-tag--grey",
        State::Allocated => "govuk-tag--blue",
        State::UnderInvestigation => "",
        State::AwaitingChargingDecision => "govuk-tag--purple",
        State::Finalised => "govuk-tag--green",
    }
}

/// How a field is entered.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A one-line input of a GOV.UK width class.
    Input(&'static str),
    Textarea,
    Select(Vec<(String, String)>),
    Radios(Vec<(String, String)>),
    /// One checkbox; ticked sends `yes`.
    Checkbox(String),
    /// A heading between groups of fields.
    Heading,
}

/// A field of an action's form.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub hint: String,
    pub kind: Kind,
}

impl Field {
    pub fn new(id: &str, label: &str, hint: &str, kind: Kind) -> Field {
        Field {
            id: id.into(),
            label: label.into(),
            hint: hint.into(),
            kind,
        }
    }

    /// A checkbox's one choice, ticked as the form says.
    pub fn choice(&self, form: &Form) -> Vec<Choice> {
        match &self.kind {
            Kind::Checkbox(words) => vec![Choice {
                value: "yes".into(),
                label: words.clone(),
                checked: form.value(&self.id) == "yes",
            }],
            _ => vec![],
        }
    }
}

/// Places a service's field errors against the fields of a form: a field named by its
/// pointer, or the first field under it (`/checklist/cctv` falls on `checklist-cctv-state`),
/// or the first field of the form.
pub fn place(form: Form, invalid: &Invalid, fields: &[Field], own: &[FormError]) -> Form {
    super::incidents::place_errors(form, invalid, own, |pointer, message| {
        let id = field_id(pointer);
        let field = fields
            .iter()
            .filter(|f| !matches!(f.kind, Kind::Heading))
            .find(|f| f.id == id)
            .or_else(|| {
                fields
                    .iter()
                    .find(|f| !id.is_empty() && f.id.starts_with(&format!("{id}-")))
            })
            .or_else(|| fields.iter().find(|f| !matches!(f.kind, Kind::Heading)));
        match field {
            Some(f) => (f.id.clone(), format!("{} {message}", f.label)),
            None => (id, message.to_string()),
        }
    })
}

/// Whether a service's error is one a form shows against its fields.
pub fn is_invalid(e: &AppError) -> Option<&Invalid> {
    match e {
        AppError::Invalid(i) => Some(i),
        _ => None,
    }
}

/// The crime's reference, offence and where its investigation stands, above each form.
#[derive(Debug, Clone)]
pub struct CrimeHeading {
    pub href: String,
    pub reference: String,
    pub offence: String,
    pub state: &'static str,
}

impl CrimeHeading {
    pub fn of(id: RecordId, reference: &str, offence: &str, case: &CaseFile) -> CrimeHeading {
        CrimeHeading {
            href: crime_href(id),
            reference: reference.to_string(),
            offence: offence.to_string(),
            state: state_words(case.investigation.state),
        }
    }
}

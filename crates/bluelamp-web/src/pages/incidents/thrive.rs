//! The THRIVE fieldsets that taking a call and re-assessing share: the six elements (each
//! a level and a rationale, vulnerability also its factors), the grade chosen, and the
//! advice checklist; read from a form into the services' inputs, filled from an earlier
//! assessment, and the services' errors placed against their fields.

use bluelamp_app::views::StoredAssessment;
use bluelamp_domain::first_contact::{AdviceInput, AdviceItemInput};
use bluelamp_domain::thrive::{
    AssessmentInput, Element, GradeInput, JudgementInput, Level, ThriveInput, VulnerabilityFactor,
    VulnerabilityInput,
};

use super::{factor_words, grade_options, level_words, lines, sentence};
use crate::pages::Form;

/// The form name of the vulnerability factors (one value per factor ticked).
pub const FACTORS: &str = "thrive-vulnerability-factors";

/// One THRIVE element as the form shows it.
#[derive(Debug, Clone)]
pub struct ElementField {
    pub key: &'static str,
    pub name: &'static str,
    pub hint: &'static str,
    pub level_id: String,
    pub rationale_id: String,
    pub level_legend: String,
    pub rationale_label: String,
}

/// A checkbox: its value, words and whether it is ticked.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// Everything the THRIVE, grade and advice fieldsets need besides the form's values.
#[derive(Debug, Clone)]
pub struct AssessmentFields {
    pub elements: Vec<ElementField>,
    pub levels: Vec<(String, String)>,
    pub factors: Vec<Choice>,
    pub grades: Vec<(String, String)>,
    pub yes_no: Vec<(String, String)>,
}

/// An element's name, as a heading.
pub fn element_name(e: Element) -> &'static str {
    match e {
        Element::Threat => "Threat",
        Element::Harm => "Harm",
        Element::Risk => "Risk",
        Element::Investigation => "Investigation",
        Element::Vulnerability => "Vulnerability",
        Element::Engagement => "Engagement",
    }
}

/// What an assessor weighs under each element (College of Policing, THRIVE).
fn element_hint(e: Element) -> &'static str {
    match e {
        Element::Threat => {
            "Who or what poses a threat to the caller or others, and how immediate it is."
        }
        Element::Harm => "The harm done or that could be done: physical, psychological, financial.",
        Element::Risk => "How likely the harm is, and what happens if the police do not act now.",
        Element::Investigation => {
            "Lines of enquiry and evidence that could be lost: witnesses, CCTV, forensic opportunities."
        }
        Element::Vulnerability => "Why the person may be unable to protect themselves from harm.",
        Element::Engagement => {
            "What the caller needs, and how the police and partners can best engage."
        }
    }
}

impl AssessmentFields {
    /// The fieldsets, with the factors in `ticked` ticked.
    pub fn new(ticked: &[String]) -> AssessmentFields {
        AssessmentFields {
            elements: Element::ALL
                .iter()
                .map(|e| {
                    let name = element_name(*e);
                    ElementField {
                        key: e.as_str(),
                        name,
                        hint: element_hint(*e),
                        level_id: format!("thrive-{e}-level"),
                        rationale_id: format!("thrive-{e}-rationale"),
                        level_legend: format!("{name}: level"),
                        rationale_label: format!("{name}: rationale"),
                    }
                })
                .collect(),
            levels: Level::ALL
                .iter()
                .map(|l| (l.as_str().to_string(), level_words(*l).to_string()))
                .collect(),
            factors: VulnerabilityFactor::ALL
                .iter()
                .map(|f| Choice {
                    value: f.as_str().to_string(),
                    label: factor_words(*f).to_string(),
                    checked: ticked.iter().any(|t| t == f.as_str()),
                })
                .collect(),
            grades: std::iter::once((String::new(), "The grade THRIVE proposes".to_string()))
                .chain(grade_options())
                .collect(),
            yes_no: vec![
                ("yes".into(), "Yes, it was given".into()),
                ("no".into(), "No".into()),
            ],
        }
    }
}

/// Every value of a repeated field in a form body (checkboxes send one each).
pub fn all_values(body: &[u8], name: &str) -> Vec<String> {
    form_urlencoded::parse(body)
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The THRIVE as the form gives it. An element left wholly blank is absent, so the service
/// names it as missing (`/thrive/harm`).
pub fn thrive_input(form: &Form, factors: &[String]) -> ThriveInput {
    let judged = |e: Element| {
        let level = form.optional(&format!("thrive-{e}-level"));
        let rationale = lines(form.value(&format!("thrive-{e}-rationale")));
        (level.is_some() || rationale.is_some()).then_some(JudgementInput { level, rationale })
    };
    let vulnerability = judged(Element::Vulnerability)
        .map(|j| VulnerabilityInput {
            level: j.level,
            rationale: j.rationale,
            factors: factors.to_vec(),
        })
        .or_else(|| {
            (!factors.is_empty()).then(|| VulnerabilityInput {
                level: None,
                rationale: None,
                factors: factors.to_vec(),
            })
        });
    ThriveInput {
        threat: judged(Element::Threat),
        harm: judged(Element::Harm),
        risk: judged(Element::Risk),
        investigation: judged(Element::Investigation),
        vulnerability,
        engagement: judged(Element::Engagement),
    }
}

/// The assessment as the form gives it: the THRIVE (unless `thrive` is false) and the grade.
pub fn assessment_input(form: &Form, factors: &[String], thrive: bool) -> AssessmentInput {
    AssessmentInput {
        thrive: thrive.then(|| thrive_input(form, factors)),
        grade: GradeInput {
            grade: form.optional("grade"),
            rationale: lines(form.value("grade_rationale")),
        },
    }
}

/// The advice checklist as the form gives it; `None` when nothing of it was filled in.
pub fn advice_input(form: &Form) -> Option<AdviceInput> {
    let item = |name: &str| {
        let given = match form.value(&format!("advice-{name}-given")) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let reason = lines(form.value(&format!("advice-{name}-reason")));
        (given.is_some() || reason.is_some()).then_some(AdviceItemInput { given, reason })
    };
    let evidence_preservation = item("evidence_preservation");
    let crime_prevention = item("crime_prevention");
    (evidence_preservation.is_some() || crime_prevention.is_some()).then_some(AdviceInput {
        evidence_preservation,
        crime_prevention,
    })
}

/// The form filled in with an earlier assessment's judgements (not its grade: the new
/// assessment proposes its own), and the factors it ticked.
pub fn prefill(form: &mut Form, a: &StoredAssessment) -> Vec<String> {
    let t = &a.assessment.thrive;
    for e in Element::ALL {
        let j = t.judgement(*e);
        form.set(&format!("thrive-{e}-level"), j.level.as_str());
        form.set(&format!("thrive-{e}-rationale"), j.rationale.clone());
    }
    t.factors.iter().map(|f| f.as_str().to_string()).collect()
}

/// An advice item's name, as in a sentence.
fn advice_words(item: &str) -> &'static str {
    match item {
        "crime_prevention" => "crime-prevention advice",
        _ => "evidence-preservation advice",
    }
}

/// Places an error of the THRIVE, grade or advice fieldsets: the id of its field and the
/// sentence to show; `None` for a pointer outside them.
pub fn place(pointer: &str, message: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let element = |key: &str| {
        key.parse::<Element>()
            .map(element_name)
            .unwrap_or("This element")
    };
    Some(match parts.as_slice() {
        ["thrive"] => (
            "thrive-threat-level".into(),
            "Complete the THRIVE assessment: give every element a level and a rationale".into(),
        ),
        ["thrive", e] => (
            format!("thrive-{e}-level"),
            format!(
                "{} is missing: choose its level and give a rationale",
                element(e)
            ),
        ),
        ["thrive", e, "level"] if message == "is required" => (
            format!("thrive-{e}-level"),
            format!("Choose the level of {}", element(e).to_lowercase()),
        ),
        ["thrive", e, "level"] => (
            format!("thrive-{e}-level"),
            format!("{} level {message}", element(e)),
        ),
        ["thrive", e, "rationale"] if message == "must not be blank" => (
            format!("thrive-{e}-rationale"),
            format!("Give the rationale for {}", element(e).to_lowercase()),
        ),
        ["thrive", e, "rationale"] => (
            format!("thrive-{e}-rationale"),
            format!("{} rationale {message}", element(e)),
        ),
        ["thrive", "vulnerability", "factors", ..] => {
            (FACTORS.into(), format!("Vulnerability factor {message}"))
        }
        ["grade"] => ("grade".into(), format!("Grade {message}")),
        ["grade_rationale"] if message.starts_with("must") => (
            "grade_rationale".into(),
            format!("The rationale for the grade {message}"),
        ),
        // The service names grades by their codes ("resolution_without_deployment").
        ["grade_rationale"] => (
            "grade_rationale".into(),
            sentence(&message.replace('_', " ")),
        ),
        ["advice"] => (
            "advice-evidence_preservation-given".into(),
            format!("The advice checklist {message}"),
        ),
        ["advice", item] | ["advice", item, "given"] => (
            format!("advice-{item}-given"),
            format!("Say whether {} was given", advice_words(item)),
        ),
        ["advice", item, "reason"] if message.starts_with("must say why") => (
            format!("advice-{item}-reason"),
            format!("Say why {} was not given", advice_words(item)),
        ),
        ["advice", item, "reason"] => (
            format!("advice-{item}-reason"),
            sentence(&format!("{} reason {message}", advice_words(item))),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wholly_blank_element_is_absent_and_a_half_filled_one_is_sent() {
        let mut form = Form::default();
        form.set("thrive-threat-level", "high");
        form.set("thrive-harm-rationale", "Bruising");
        let t = thrive_input(&form, &[]);
        assert!(t.threat.is_some());
        assert!(t.harm.is_some());
        assert!(t.risk.is_none());
        assert!(t.vulnerability.is_none());
    }

    #[test]
    fn every_error_of_the_fieldsets_lands_on_a_field_of_the_form() {
        let fields = AssessmentFields::new(&[]);
        let ids: Vec<String> = fields
            .elements
            .iter()
            .flat_map(|e| [e.level_id.clone(), e.rationale_id.clone()])
            .chain(
                [
                    FACTORS,
                    "grade",
                    "grade_rationale",
                    "advice-evidence_preservation-given",
                    "advice-evidence_preservation-reason",
                    "advice-crime_prevention-given",
                    "advice-crime_prevention-reason",
                ]
                .map(String::from),
            )
            .collect();
        for pointer in [
            "/thrive",
            "/thrive/harm",
            "/thrive/harm/level",
            "/thrive/engagement/rationale",
            "/thrive/vulnerability/factors/2",
            "/grade",
            "/grade_rationale",
            "/advice",
            "/advice/crime_prevention",
            "/advice/crime_prevention/given",
            "/advice/evidence_preservation/reason",
        ] {
            let (id, _) = place(pointer, "is required").unwrap_or_default();
            assert!(ids.contains(&id), "{pointer} placed at {id}");
        }
        assert_eq!(
            place("/thrive/harm", "is required").map(|p| p.1).as_deref(),
            Some("Harm is missing: choose its level and give a rationale")
        );
        assert_eq!(
            place(
                "/grade_rationale",
                "a downgrade from emergency to resolution_without_deployment needs a rationale"
            )
            .map(|p| p.1)
            .as_deref(),
            Some("A downgrade from emergency to resolution without deployment needs a rationale")
        );
    }
}

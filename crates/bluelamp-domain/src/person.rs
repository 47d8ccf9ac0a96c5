//! Persons ("nominals"): the people a force records, however many events mention them.

use chrono::NaiveDate;

use crate::field::{Fields, Invalid};
use crate::nominal::PersonName;
use crate::partial_date::PartialDate;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// Sex as recorded on the Police National Computer.
    Sex, "a recorded sex" {
        Male = "male",
        Female = "female",
        Unknown = "unknown",
    }
);

vocabulary!(
    /// Self-defined ethnicity: the 18 categories of the 2011 Census ("18+1") plus "not
    /// stated", as forces record them for the Home Office Annual Data Requirement.
    Ethnicity, "a self-defined ethnicity code" {
        /// White: English, Welsh, Scottish, Northern Irish or British.
        W1 = "W1",
        /// White: Irish.
        W2 = "W2",
        /// White: Gypsy or Irish Traveller.
        W3 = "W3",
        /// White: any other White background.
        W9 = "W9",
        /// Mixed: White and Black Caribbean.
        M1 = "M1",
        /// Mixed: White and Black African.
        M2 = "M2",
        /// Mixed: White and Asian.
        M3 = "M3",
        /// Mixed: any other Mixed or multiple ethnic background.
        M9 = "M9",
        /// Asian or Asian British: Indian.
        A1 = "A1",
        /// Asian or Asian British: Pakistani.
        A2 = "A2",
        /// Asian or Asian British: Bangladeshi.
        A3 = "A3",
        /// Asian or Asian British: Chinese.
        A4 = "A4",
        /// Asian or Asian British: any other Asian background.
        A9 = "A9",
        /// Black or Black British: African.
        B1 = "B1",
        /// Black or Black British: Caribbean.
        B2 = "B2",
        /// Black or Black British: any other Black background.
        B9 = "B9",
        /// Other ethnic group: Arab.
        O1 = "O1",
        /// Other ethnic group: any other ethnic group.
        O9 = "O9",
        /// Not stated (the "+1").
        NotStated = "NS",
    }
);

vocabulary!(
    /// Warning markers, after the Police National Computer's warning signals: what an
    /// officer meeting this person must know for their own and the person's safety.
    MarkerKind, "a warning marker" {
        Violent = "violent",
        Weapons = "weapons",
        Firearms = "firearms",
        Explosives = "explosives",
        Drugs = "drugs",
        SelfHarm = "self_harm",
        Suicidal = "suicidal",
        MentalHealth = "mental_health",
        Ailment = "ailment",
        Contagious = "contagious",
        Escaper = "escaper",
        Alleges = "alleges",
    }
);

impl Ethnicity {
    /// The category's words in the 2011 census 18+1 classification.
    pub fn describe(&self) -> &'static str {
        match self {
            Ethnicity::W1 => "White: English, Welsh, Scottish, Northern Irish or British",
            Ethnicity::W2 => "White: Irish",
            Ethnicity::W3 => "White: Gypsy or Irish Traveller",
            Ethnicity::W9 => "White: any other White background",
            Ethnicity::M1 => "Mixed: White and Black Caribbean",
            Ethnicity::M2 => "Mixed: White and Black African",
            Ethnicity::M3 => "Mixed: White and Asian",
            Ethnicity::M9 => "Mixed: any other Mixed or multiple ethnic background",
            Ethnicity::A1 => "Asian or Asian British: Indian",
            Ethnicity::A2 => "Asian or Asian British: Pakistani",
            Ethnicity::A3 => "Asian or Asian British: Bangladeshi",
            Ethnicity::A4 => "Asian or Asian British: Chinese",
            Ethnicity::A9 => "Asian or Asian British: any other Asian background",
            Ethnicity::B1 => "Black or Black British: African",
            Ethnicity::B2 => "Black or Black British: Caribbean",
            Ethnicity::B9 => "Black or Black British: any other Black background",
            Ethnicity::O1 => "Other ethnic group: Arab",
            Ethnicity::O9 => "Other ethnic group: any other ethnic group",
            Ethnicity::NotStated => "Not stated",
        }
    }
}

impl MarkerKind {
    /// The marker in words, as the PNC warning signals read.
    pub fn describe(&self) -> &'static str {
        match self {
            MarkerKind::Violent => "Violent",
            MarkerKind::Weapons => "Weapons",
            MarkerKind::Firearms => "Firearms",
            MarkerKind::Explosives => "Explosives",
            MarkerKind::Drugs => "Drugs",
            MarkerKind::SelfHarm => "Self-harm",
            MarkerKind::Suicidal => "Suicidal",
            MarkerKind::MentalHealth => "Mental health",
            MarkerKind::Ailment => "Ailment",
            MarkerKind::Contagious => "Contagious",
            MarkerKind::Escaper => "Escaper",
            MarkerKind::Alleges => "Alleges",
        }
    }
}

/// A warning marker as typed: raw text, parsed by [`Person::parse`].
#[derive(Debug, Clone, Default)]
pub struct MarkerInput {
    pub kind: String,
    pub from: String,
    pub until: Option<String>,
    pub note: Option<String>,
}

/// A name as typed.
#[derive(Debug, Clone, Default)]
pub struct NameInput {
    pub forenames: String,
    pub surname: String,
}

/// A person as typed into a form or the API, before any rule has looked at it.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub forenames: String,
    pub surname: String,
    pub aliases: Vec<NameInput>,
    pub date_of_birth: Option<String>,
    pub date_of_birth_approximate: bool,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub warning_markers: Vec<MarkerInput>,
}

/// A dated warning marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningMarker {
    pub kind: MarkerKind,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A person's recorded details, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: PersonName,
    pub aliases: Vec<PersonName>,
    pub date_of_birth: Option<PartialDate>,
    pub date_of_birth_approximate: bool,
    pub sex: Sex,
    pub ethnicity: Option<Ethnicity>,
    pub warning_markers: Vec<WarningMarker>,
}

const NAME_MAX: usize = 100;

impl Person {
    /// Parses what was typed, naming every invalid field.
    ///
    /// # Errors
    /// [`Invalid`] listing each bad field by JSON Pointer: blank or over-long names, a date
    /// of birth not in ISO 8601 (full or reduced precision) or in the future of `today`, an
    /// unknown sex, ethnicity or marker code, a marker ending before it starts.
    pub fn parse(input: &PersonInput, today: NaiveDate) -> Result<Person, Invalid> {
        let mut f = Fields::new();
        let forenames = f.text("/forenames", &input.forenames, NAME_MAX);
        let surname = f.text("/surname", &input.surname, NAME_MAX);
        let mut aliases = Vec::new();
        for (i, a) in input.aliases.iter().enumerate() {
            let fore = f.text(&format!("/aliases/{i}/forenames"), &a.forenames, NAME_MAX);
            let sur = f.text(&format!("/aliases/{i}/surname"), &a.surname, NAME_MAX);
            if let (Some(forenames), Some(surname)) = (fore, sur) {
                aliases.push(PersonName { forenames, surname });
            }
        }
        let date_of_birth = match input.date_of_birth.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match f.check("/date_of_birth", raw.parse::<PartialDate>()) {
                Some(d) if d.earliest().is_some_and(|e| e > today) => {
                    f.error("/date_of_birth", "must not be in the future");
                    None
                }
                other => other,
            },
        };
        let sex = match input.sex.as_deref().map(str::trim) {
            None | Some("") => Some(Sex::Unknown),
            Some(raw) => f.check("/sex", raw.parse::<Sex>()),
        };
        let ethnicity = match input.ethnicity.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => f.check("/ethnicity", raw.to_ascii_uppercase().parse::<Ethnicity>()),
        };
        let mut warning_markers = Vec::new();
        for (i, m) in input.warning_markers.iter().enumerate() {
            let kind = f.check(
                &format!("/warning_markers/{i}/kind"),
                m.kind.parse::<MarkerKind>(),
            );
            let from = f.check(&format!("/warning_markers/{i}/from"), parse_date(&m.from));
            let until = match m.until.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(raw) => f
                    .check(&format!("/warning_markers/{i}/until"), parse_date(raw))
                    .map(Some),
            };
            let note = f.optional_text(
                &format!("/warning_markers/{i}/note"),
                m.note.as_deref(),
                500,
            );
            if let (Some(from), Some(Some(until))) = (from, until)
                && until < from
            {
                f.error(
                    format!("/warning_markers/{i}/until"),
                    "must not be before the date it starts",
                );
                continue;
            }
            if let (Some(kind), Some(from), Some(until)) = (kind, from, until) {
                warning_markers.push(WarningMarker {
                    kind,
                    from,
                    until,
                    note,
                });
            }
        }
        f.finish(|| {
            Some(Person {
                name: PersonName {
                    forenames: forenames?,
                    surname: surname?,
                },
                aliases,
                date_of_birth,
                date_of_birth_approximate: input.date_of_birth_approximate,
                sex: sex?,
                ethnicity,
                warning_markers,
            })
        })
    }

    /// Every name this person is known by, their own first.
    pub fn all_names(&self) -> Vec<PersonName> {
        std::iter::once(self.name.clone())
            .chain(self.aliases.iter().cloned())
            .collect()
    }
}

/// Parses a full ISO 8601 calendar date.
///
/// # Errors
/// A message for the person who typed it.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| "must be a date written YYYY-MM-DD".to_string())
}

#[cfg(test)]
mod tests;

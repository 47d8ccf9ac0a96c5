//! The Home Office offence classification: every notifiable offence code with its offence
//! group, subgroup and description, and the police.uk category it is published under.
//!
//! The table is the Home Office's list of notifiable offence codes as repackaged in
//! `data/offence-classification.csv` (Open Government Licence v3.0; see `data/README.md`),
//! compiled into the binary. A crime is classified by its code, and everything else about
//! its classification follows from the code. Some codes are compound: `1/4.1/4.10/4.2` is
//! homicide.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::vocabulary::vocabulary;

const TABLE: &str = include_str!("../../../data/offence-classification.csv");

vocabulary!(
    /// The Home Office offence groups, the top level of the classification (the groups of
    /// the ONS "Crime in England and Wales" tables).
    OffenceGroup, "an offence group" {
        ViolenceAgainstThePerson = "violence_against_the_person",
        SexualOffences = "sexual_offences",
        Robbery = "robbery",
        TheftOffences = "theft_offences",
        CriminalDamageAndArson = "criminal_damage_and_arson",
        DrugOffences = "drug_offences",
        PossessionOfWeapons = "possession_of_weapons_offences",
        PublicOrderOffences = "public_order_offences",
        MiscellaneousCrimes = "miscellaneous_crimes",
        FraudOffences = "fraud_offences",
    }
);

impl OffenceGroup {
    /// The group's name as the Home Office writes it.
    pub fn label(&self) -> &'static str {
        match self {
            OffenceGroup::ViolenceAgainstThePerson => "Violence against the person",
            OffenceGroup::SexualOffences => "Sexual offences",
            OffenceGroup::Robbery => "Robbery",
            OffenceGroup::TheftOffences => "Theft offences",
            OffenceGroup::CriminalDamageAndArson => "Criminal damage and arson",
            OffenceGroup::DrugOffences => "Drug offences",
            OffenceGroup::PossessionOfWeapons => "Possession of weapons offences",
            OffenceGroup::PublicOrderOffences => "Public order offences",
            OffenceGroup::MiscellaneousCrimes => "Miscellaneous crimes",
            OffenceGroup::FraudOffences => "Fraud offences",
        }
    }

    /// The group with this Home Office name.
    pub fn from_label(label: &str) -> Option<OffenceGroup> {
        OffenceGroup::ALL
            .iter()
            .copied()
            .find(|g| g.label().eq_ignore_ascii_case(label.trim()))
    }

    /// The offence codes in this group.
    pub fn codes(&self) -> impl Iterator<Item = HoOffenceCode> + '_ {
        classification()
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.group == *self)
            .filter_map(|(i, _)| u16::try_from(i).ok().map(HoOffenceCode))
    }
}

/// One offence code's place in the classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offence {
    /// The Home Office offence code, such as `8N` or `1/4.1/4.10/4.2`.
    pub code: String,
    pub group: OffenceGroup,
    /// The subgroup, such as "Violence with injury" or "Domestic burglary".
    pub subgroup: String,
    pub description: String,
    /// The category police.uk publishes it under, such as "Violence and Sexual Offences".
    pub police_uk_category: String,
}

/// The whole classification, in the order of the table.
pub fn classification() -> &'static [Offence] {
    static TABLE_ROWS: OnceLock<Vec<Offence>> = OnceLock::new();
    TABLE_ROWS.get_or_init(|| {
        crate::csv::records(TABLE)
            .filter_map(|f| match f.as_slice() {
                [code, group, subgroup, description, police_uk] => Some(Offence {
                    code: code.clone(),
                    group: OffenceGroup::from_label(group)?,
                    subgroup: subgroup.clone(),
                    description: description.clone(),
                    police_uk_category: police_uk.clone(),
                }),
                _ => None,
            })
            .collect()
    })
}

/// A Home Office offence code that is in the classification.
///
/// Parsing ignores case and surrounding space (`8n` is `8N`); the stored form is the
/// classification's own spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HoOffenceCode(u16);

/// Why an offence code did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a Home Office offence code, such as 8N (common assault) or 28E (burglary)")]
pub struct OffenceCodeError;

impl HoOffenceCode {
    /// The code as the classification spells it.
    pub fn as_str(&self) -> &'static str {
        self.offence().code.as_str()
    }

    /// Everything the classification says about this code.
    pub fn offence(&self) -> &'static Offence {
        // The index was found in this very table, so it is always in range.
        let all = classification();
        &all[usize::from(self.0).min(all.len().saturating_sub(1))]
    }

    /// The offence group.
    pub fn group(&self) -> OffenceGroup {
        self.offence().group
    }
}

impl FromStr for HoOffenceCode {
    type Err = OffenceCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        classification()
            .iter()
            .position(|o| o.code.eq_ignore_ascii_case(s))
            .and_then(|i| u16::try_from(i).ok())
            .map(HoOffenceCode)
            .ok_or(OffenceCodeError)
    }
}

impl fmt::Display for HoOffenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_is_read() {
        assert_eq!(classification().len(), 132);
        for g in OffenceGroup::ALL {
            assert!(g.codes().count() > 0, "{g} has no codes");
        }
    }

    #[test]
    fn a_code_gives_its_group_and_category() {
        let c: HoOffenceCode = " 8n".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.as_str(), "8N");
        assert_eq!(c.group(), OffenceGroup::ViolenceAgainstThePerson);
        let homicide: HoOffenceCode = "1/4.1/4.10/4.2".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(homicide.offence().subgroup, "Homicide");
        let fear: HoOffenceCode = "9A".parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fear.offence().description, "Public fear, alarm or distress");
        assert_eq!(fear.offence().police_uk_category, "Public Order");
        assert_eq!(
            "uk finance".parse::<HoOffenceCode>().map(|c| c.as_str()),
            Ok("UK Finance")
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["", "8", "999", "8NN", "theft"] {
            assert_eq!(
                bad.parse::<HoOffenceCode>(),
                Err(OffenceCodeError),
                "{bad:?}"
            );
        }
    }
}

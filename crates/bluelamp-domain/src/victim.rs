//! Victim care under the Victims' Code (reference §4): the needs assessment that decides
//! standard or enhanced entitlements, the referral to support services and its consent,
//! the contact agreement, contacts, the victim personal statement and satisfaction.
//!
//! The duties themselves (refer within 2 working days, tell of each development within 5
//! or 1) are raised by the duties engine ([`crate::duty`]); this module decides what a
//! victim is entitled to and checks what officers record.

use chrono::{DateTime, Utc};

use crate::duty::Entitlement;
use crate::field::Fields;
use crate::incident::instant_or_now;
use crate::offence::{HoOffenceCode, OffenceGroup};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// Why a victim is entitled to enhanced services (reference §4.2).
    EnhancedReason, "a reason for enhanced entitlements" {
        /// Bereaved relatives, and victims of domestic abuse, hate crime, terrorism, sexual
        /// offences, trafficking, attempted murder, kidnap, false imprisonment, arson with
        /// intent to endanger life, wounding or GBH with intent.
        MostSeriousCrime = "most_serious_crime",
        PersistentlyTargeted = "persistently_targeted",
        /// Under 18 at the time, or evidence likely diminished by mental disorder,
        /// impairment or physical disability.
        Vulnerable = "vulnerable",
        /// Fear or distress about testifying.
        Intimidated = "intimidated",
    }
);

/// Whether the crime itself makes its victims victims of the most serious crime (reference
/// §4.2): domestic abuse, sexual offences, and the named violent offences. Hate crime,
/// terrorism, trafficking and bereavement are not visible in the offence code, so the
/// assessor says so.
pub fn most_serious_crime(code: HoOffenceCode, domestic_abuse: bool) -> bool {
    let o = code.offence();
    let d = o.description.to_ascii_lowercase();
    domestic_abuse
        || o.group == OffenceGroup::SexualOffences
        || o.subgroup == "Homicide"
        || d.contains("attempted murder")
        || d.contains("kidnapping")
        || d.contains("false imprisonment")
        || (d.contains("arson") && d.contains("endangering life"))
        || (o.group == OffenceGroup::ViolenceAgainstThePerson && d.contains("with intent"))
}

/// Whether a referral to support services needs the victim's explicit consent rather than
/// being made unless they opt out (reference §4.3): sexual offences, domestic abuse and
/// bereaved relatives.
pub fn referral_needs_explicit_consent(code: HoOffenceCode, domestic_abuse: bool) -> bool {
    domestic_abuse
        || code.group() == OffenceGroup::SexualOffences
        || code.offence().subgroup == "Homicide"
}

vocabulary!(
    /// Where the referral to support services stands.
    Referral, "referred, declined or awaiting_consent" {
        /// The victim's details were passed to support services.
        Referred = "referred",
        /// The victim did not want a referral.
        Declined = "declined",
        /// Explicit consent is needed and has not yet been asked for or given.
        AwaitingConsent = "awaiting_consent",
    }
);

impl Referral {
    /// Whether this meets the duty to refer: a referral made, or a refusal recorded.
    pub fn settles_duty(&self) -> bool {
        *self != Referral::AwaitingConsent
    }
}

vocabulary!(
    /// How a victim is contacted.
    ContactMethod, "a contact method" {
        Phone = "phone",
        Email = "email",
        Letter = "letter",
        Text = "text",
        InPerson = "in_person",
    }
);

/// The most days a contact agreement may leave between updates.
pub const MAX_UPDATE_DAYS: u32 = 90;

/// The needs assessment as sent.
#[derive(Debug, Clone, Default)]
pub struct NeedsAssessmentInput {
    /// The assessor's finding for what the offence code cannot show (hate crime,
    /// terrorism, trafficking, a bereaved relative).
    pub most_serious_crime: bool,
    pub persistently_targeted: bool,
    pub vulnerable: bool,
    pub intimidated: bool,
    /// The victim's needs in their words: support, special measures, language.
    pub needs: Option<String>,
    /// `referred`, `declined` or `awaiting_consent`.
    pub referral: String,
    /// The victim's explicit consent, where the crime needs it for a referral.
    pub explicit_consent: bool,
    /// How the victim wants to be updated.
    pub contact_method: String,
    /// How often, in days (1 to 90); 28 when blank.
    pub update_every_days: Option<u32>,
}

/// The needs assessment, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsAssessment {
    pub reasons: Vec<EnhancedReason>,
    pub needs: Option<String>,
    pub referral: Referral,
    pub contact_method: ContactMethod,
    pub update_every_days: u32,
}

impl NeedsAssessment {
    /// Standard, or enhanced when any reason applies.
    pub fn entitlement(&self) -> Entitlement {
        if self.reasons.is_empty() {
            Entitlement::Standard
        } else {
            Entitlement::Enhanced
        }
    }

    /// Parses the assessment of a victim of a crime with `code` (and the domestic abuse
    /// flag), which may itself make the victim's entitlements enhanced.
    pub fn parse_at(
        f: &mut Fields,
        at: &str,
        input: &NeedsAssessmentInput,
        code: HoOffenceCode,
        domestic_abuse: bool,
    ) -> Option<NeedsAssessment> {
        let mut reasons = Vec::new();
        if input.most_serious_crime || most_serious_crime(code, domestic_abuse) {
            reasons.push(EnhancedReason::MostSeriousCrime);
        }
        for (yes, r) in [
            (
                input.persistently_targeted,
                EnhancedReason::PersistentlyTargeted,
            ),
            (input.vulnerable, EnhancedReason::Vulnerable),
            (input.intimidated, EnhancedReason::Intimidated),
        ] {
            if yes {
                reasons.push(r);
            }
        }
        let needs = f.optional_prose(&format!("{at}/needs"), input.needs.as_deref(), 2000);
        let referral = f.check(
            &format!("{at}/referral"),
            input.referral.parse::<Referral>(),
        );
        if referral == Some(Referral::Referred)
            && referral_needs_explicit_consent(code, domestic_abuse)
            && !input.explicit_consent
        {
            f.error(
                format!("{at}/explicit_consent"),
                "a referral for a victim of a sexual offence, domestic abuse or a bereaved \
                 relative needs their explicit consent (Victims' Code)",
            );
        }
        let method = f.check(
            &format!("{at}/contact_method"),
            input.contact_method.parse::<ContactMethod>(),
        );
        let every = input.update_every_days.unwrap_or(28);
        if !(1..=MAX_UPDATE_DAYS).contains(&every) {
            f.error(
                format!("{at}/update_every_days"),
                format!("must be from 1 to {MAX_UPDATE_DAYS} days"),
            );
        }
        Some(NeedsAssessment {
            reasons,
            needs,
            referral: referral?,
            contact_method: method?,
            update_every_days: every,
        })
    }
}

vocabulary!(
    /// Whether the victim personal statement was offered at this contact, and what the
    /// victim chose.
    VpsOffer, "made, declined or offered_later" {
        /// Offered and made.
        Made = "made",
        /// Offered and declined.
        Declined = "declined",
        /// Offered; the victim will decide later.
        OfferedLater = "offered_later",
    }
);

/// A contact as sent.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    /// When: RFC 3339; now when blank.
    pub at: Option<String>,
    pub method: String,
    /// What the victim was told and said.
    pub summary: String,
    /// The referral decision, when it was still awaited.
    pub referral: Option<String>,
    /// Whether the victim personal statement was offered, and the answer.
    pub vps: Option<String>,
}

/// A contact with a victim, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub at: DateTime<Utc>,
    pub method: ContactMethod,
    pub summary: String,
    pub referral: Option<Referral>,
    pub vps: Option<VpsOffer>,
}

impl Contact {
    /// Parses a contact. `since` is when the victim was recorded: a contact cannot be
    /// before it.
    ///
    /// # Errors
    /// [`crate::field::Invalid`] naming each bad field.
    pub fn parse(
        input: &ContactInput,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Contact, crate::field::Invalid> {
        let mut f = Fields::new();
        let at = instant_or_now(&mut f, "/at", input.at.as_deref(), now);
        if at.is_some_and(|t| t < since) {
            f.error("/at", "must not be before the victim was recorded");
        }
        let method = f.check("/method", input.method.parse::<ContactMethod>());
        let summary = f.prose("/summary", &input.summary, 4000);
        let referral = f.optional_parsed(
            "/referral",
            input.referral.as_deref(),
            str::parse::<Referral>,
        );
        let vps = f.optional_parsed("/vps", input.vps.as_deref(), str::parse::<VpsOffer>);
        f.finish(|| {
            Some(Contact {
                at: at?,
                method: method?,
                summary: summary?,
                referral: referral?,
                vps: vps?,
            })
        })
    }
}

vocabulary!(
    /// The seven-point scale of the Home Office user satisfaction survey.
    Satisfaction, "a satisfaction answer" {
        CompletelySatisfied = "completely_satisfied",
        VerySatisfied = "very_satisfied",
        FairlySatisfied = "fairly_satisfied",
        Neither = "neither",
        FairlyDissatisfied = "fairly_dissatisfied",
        VeryDissatisfied = "very_dissatisfied",
        CompletelyDissatisfied = "completely_dissatisfied",
    }
);

impl Satisfaction {
    /// Counted as satisfied: completely, very or fairly.
    pub fn is_satisfied(&self) -> bool {
        matches!(
            self,
            Satisfaction::CompletelySatisfied
                | Satisfaction::VerySatisfied
                | Satisfaction::FairlySatisfied
        )
    }
}

/// A survey response as sent: the whole experience, being kept informed, and treatment.
#[derive(Debug, Clone, Default)]
pub struct SurveyInput {
    pub surveyed_on: Option<String>,
    pub overall: String,
    pub kept_informed: String,
    pub treatment: String,
}

/// A survey response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub at: DateTime<Utc>,
    pub overall: Satisfaction,
    pub kept_informed: Satisfaction,
    pub treatment: Satisfaction,
}

impl Survey {
    /// Parses a response.
    ///
    /// # Errors
    /// [`crate::field::Invalid`] naming each bad field.
    pub fn parse(input: &SurveyInput, now: DateTime<Utc>) -> Result<Survey, crate::field::Invalid> {
        let mut f = Fields::new();
        let at = instant_or_now(&mut f, "/surveyed_on", input.surveyed_on.as_deref(), now);
        let overall = f.check("/overall", input.overall.parse::<Satisfaction>());
        let kept = f.check(
            "/kept_informed",
            input.kept_informed.parse::<Satisfaction>(),
        );
        let treatment = f.check("/treatment", input.treatment.parse::<Satisfaction>());
        f.finish(|| {
            Some(Survey {
                at: at?,
                overall: overall?,
                kept_informed: kept?,
                treatment: treatment?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> HoOffenceCode {
        c.parse().unwrap_or_else(|_| panic!("{c}"))
    }

    fn input() -> NeedsAssessmentInput {
        NeedsAssessmentInput {
            referral: "referred".into(),
            contact_method: "phone".into(),
            ..NeedsAssessmentInput::default()
        }
    }

    fn assess(i: &NeedsAssessmentInput, c: &str, da: bool) -> Result<NeedsAssessment, Vec<String>> {
        let mut f = Fields::new();
        let a = NeedsAssessment::parse_at(&mut f, "", i, code(c), da);
        f.finish(|| a)
            .map_err(|e| e.0.into_iter().map(|e| e.field).collect())
    }

    #[test]
    fn a_burglary_victim_gets_standard_services_unless_assessed_otherwise() {
        let a = assess(&input(), "28E", false).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.entitlement(), Entitlement::Standard);
        assert_eq!(a.update_every_days, 28);
        let mut i = input();
        i.vulnerable = true;
        let a = assess(&i, "28E", false).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.entitlement(), Entitlement::Enhanced);
        assert_eq!(a.reasons, [EnhancedReason::Vulnerable]);
    }

    #[test]
    fn domestic_abuse_and_sexual_offences_are_the_most_serious_crime() {
        for (c, da) in [("8N", true), ("19C", false), ("5D", false)] {
            let mut i = input();
            i.explicit_consent = true;
            let a = assess(&i, c, da).unwrap_or_else(|e| panic!("{c}: {e:?}"));
            assert_eq!(a.entitlement(), Entitlement::Enhanced, "{c}");
        }
    }

    #[test]
    fn referral_for_domestic_abuse_needs_explicit_consent() {
        assert_eq!(
            assess(&input(), "8N", true).err(),
            Some(vec!["/explicit_consent".into()])
        );
        let mut i = input();
        i.referral = "awaiting_consent".into();
        assert!(assess(&i, "8N", true).is_ok());
        assert!(assess(&input(), "8N", false).is_ok());
    }

    #[test]
    fn the_update_interval_is_bounded() {
        let mut i = input();
        i.update_every_days = Some(0);
        i.contact_method = "pigeon".into();
        assert_eq!(
            assess(&i, "49", false).err(),
            Some(vec!["/contact_method".into(), "/update_every_days".into()])
        );
    }

    #[test]
    fn satisfied_is_the_top_three_answers() {
        let satisfied: Vec<&str> = Satisfaction::ALL
            .iter()
            .filter(|s| s.is_satisfied())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            satisfied,
            ["completely_satisfied", "very_satisfied", "fairly_satisfied"]
        );
    }
}

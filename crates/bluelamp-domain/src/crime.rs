//! Crimes: notifiable offences recorded under the Home Office Counting Rules, each
//! classified by its Home Office offence code (design.md, idea 1: a crime is a kind of
//! event).
//!
//! This is the simplest form: the crime reference number, the offence code, when it was
//! committed and recorded, whether it is domestic abuse, where, and the incident it came
//! from. Victims, suspects and offenders are persons linked to the crime (`victim_of`,
//! `suspect_in`, `offender_in`). Later issues add investigations and outcomes.

use chrono::{DateTime, Utc};

use crate::field::{Fields, Invalid};
use crate::ids::RecordId;
use crate::incident::{instant, optional_record, reference};
use crate::offence::HoOffenceCode;

/// A crime as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct CrimeInput {
    /// The force's crime reference number.
    pub reference: String,
    /// The Home Office offence code.
    pub offence_code: String,
    /// When the offence was committed, or the start of the period it may have been
    /// committed in: RFC 3339 with an offset.
    pub committed_from: String,
    /// The end of that period, when it is a period.
    pub committed_to: Option<String>,
    /// When the crime was recorded.
    pub recorded_at: String,
    /// Whether the crime is domestic abuse.
    pub domestic_abuse: bool,
    pub location_id: Option<String>,
    /// The incident the crime was recorded from.
    pub incident_id: Option<String>,
}

/// A crime's recorded details, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crime {
    pub reference: String,
    pub offence_code: HoOffenceCode,
    /// In UTC, as are the other times.
    pub committed_from: DateTime<Utc>,
    /// Not before `committed_from`.
    pub committed_to: Option<DateTime<Utc>>,
    /// Not before `committed_from`.
    pub recorded_at: DateTime<Utc>,
    /// Domestic abuse as the Domestic Abuse Act 2021, s.1 defines it: abusive behaviour
    /// between persons aged 16 or over who are personally connected (partners, former
    /// partners, relatives). Forces flag such crimes for the Home Office Annual Data
    /// Requirement.
    pub domestic_abuse: bool,
    pub location_id: Option<RecordId>,
    pub incident_id: Option<RecordId>,
}

impl Crime {
    /// Parses what was sent. `now` is the time of the request: nothing about a crime can
    /// be in the future.
    ///
    /// # Errors
    /// [`Invalid`] naming each bad field: a malformed reference, an offence code not in the
    /// Home Office classification, a time that is not RFC 3339 or is in the future, a period
    /// that ends before it starts, a crime recorded before it was committed, ids that are
    /// not record ids.
    pub fn parse(input: &CrimeInput, now: DateTime<Utc>) -> Result<Crime, Invalid> {
        let mut f = Fields::new();
        let reference = f.check("/reference", reference(&input.reference));
        let offence_code = f.check("/offence_code", input.offence_code.parse::<HoOffenceCode>());
        let committed_from = f.check("/committed_from", instant(&input.committed_from, now));
        let committed_to = match input.committed_to.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => f.check("/committed_to", instant(raw, now)).map(Some),
        };
        let recorded_at = f.check("/recorded_at", instant(&input.recorded_at, now));
        if let (Some(from), Some(Some(to))) = (committed_from, committed_to)
            && to < from
        {
            f.error("/committed_to", "must not be before committed_from");
        }
        if let (Some(from), Some(recorded)) = (committed_from, recorded_at)
            && recorded < from
        {
            f.error("/recorded_at", "must not be before committed_from");
        }
        let location_id = f.check(
            "/location_id",
            optional_record(input.location_id.as_deref()),
        );
        let incident_id = f.check(
            "/incident_id",
            optional_record(input.incident_id.as_deref()),
        );
        f.finish(|| {
            Some(Crime {
                reference: reference?,
                offence_code: offence_code?,
                committed_from: committed_from?,
                committed_to: committed_to?,
                recorded_at: recorded_at?,
                domestic_abuse: input.domestic_abuse,
                location_id: location_id?,
                incident_id: incident_id?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::offence::OffenceGroup;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 10, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn input() -> CrimeInput {
        CrimeInput {
            reference: "cr/000123/24".into(),
            offence_code: "8n".into(),
            committed_from: "2024-03-09T21:00:00Z".into(),
            committed_to: Some("2024-03-09T21:30:00Z".into()),
            recorded_at: "2024-03-09T23:10:00Z".into(),
            domestic_abuse: true,
            location_id: None,
            incident_id: None,
        }
    }

    #[test]
    fn a_crime_is_classified_by_its_code() {
        let c = Crime::parse(&input(), now()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.reference, "CR/000123/24");
        assert_eq!(c.offence_code.as_str(), "8N");
        assert_eq!(
            c.offence_code.group(),
            OffenceGroup::ViolenceAgainstThePerson
        );
    }

    #[test]
    fn times_must_be_in_order() {
        let mut i = input();
        i.committed_to = Some("2024-03-09T20:00:00Z".into());
        i.recorded_at = "2024-03-09T20:30:00Z".into();
        let fields: Vec<String> = Crime::parse(&i, now())
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["/committed_to", "/recorded_at"]);
    }

    #[test]
    fn an_unknown_code_is_named() {
        let mut i = input();
        i.offence_code = "999".into();
        i.incident_id = Some("x".into());
        let fields: Vec<String> = Crime::parse(&i, now())
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["/offence_code", "/incident_id"]);
    }
}

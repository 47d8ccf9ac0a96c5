//! Incidents: calls for service and other reports that the control room opens (design.md,
//! idea 1: an incident is a kind of event).
//!
//! An incident records how the report came in, when it was received and when it happened,
//! what kind of report it was on opening, where, and a summary. Its callers and subjects are
//! persons linked to it (`reporter_of`, `involved_in`); its THRIVE assessments, attendance,
//! crime-recording decision and closure are kept beside it ([`crate::thrive`],
//! [`crate::first_contact`]).

use chrono::{DateTime, Duration, DurationRound, Utc};

use crate::field::{Fields, Invalid};
use crate::ids::RecordId;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// What an incident is about when it is opened: the call handler's opening code.
    ///
    /// A small vocabulary after the National Standard for Incident Recording (NSIR, Home
    /// Office 2011), whose four categories are crime, anti-social behaviour, public safety
    /// and welfare, and transport, with the qualifiers forces most often open on (domestic,
    /// missing person, concern for welfare) as codes of their own.
    IncidentCategory, "an incident category" {
        /// A crime is being or has been committed.
        Crime = "crime",
        /// A domestic incident (NSIR qualifier "domestic"), whether or not a crime.
        Domestic = "domestic",
        /// Anti-social behaviour (NSIR: personal, nuisance or environmental).
        AntiSocialBehaviour = "anti_social_behaviour",
        /// Concern for the safety or welfare of a person.
        ConcernForWelfare = "concern_for_welfare",
        /// A person reported missing or absent.
        MissingPerson = "missing_person",
        /// Suspicious circumstances or persons.
        Suspicious = "suspicious",
        /// An intruder or other alarm activation.
        Alarm = "alarm",
        /// A road traffic collision or other transport incident (NSIR: transport).
        RoadTraffic = "road_traffic",
        /// Other public safety: hazards, sudden deaths, animals, lost and found property.
        PublicSafety = "public_safety",
        /// Administrative: messages, duplicate calls, calls for another agency.
        Administrative = "administrative",
    }
);

vocabulary!(
    /// How the report reached the force (issue 4 §1).
    Channel, "a channel" {
        /// An emergency call.
        Emergency = "999",
        /// A non-emergency call.
        NonEmergency = "101",
        /// An online report.
        Online = "online",
        /// In person, at a front counter or to an officer.
        InPerson = "in_person",
    }
);

impl IncidentCategory {
    /// Whether the incident was opened as a crime (NSIR's crime category): it then needs
    /// the advice checklist (issue 4 §3) and a crime-recording decision (reference §5.1).
    pub fn is_crime(&self) -> bool {
        *self == IncidentCategory::Crime
    }
}

/// An incident as typed or sent.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput {
    /// The force's incident reference number; blank for the system to number it
    /// ([`call_reference`]).
    pub reference: String,
    /// How it was reported; blank means a 101 call (the commonest).
    pub channel: String,
    /// When the report was received: RFC 3339 with an offset (`2024-03-09T21:14:00Z`).
    pub received_at: String,
    /// When it happened, if the caller says: as `received_at`.
    pub occurred_at: Option<String>,
    pub category: String,
    /// The location record where it happened, if known.
    pub location_id: Option<String>,
    pub summary: String,
}

/// An incident's recorded details, every field valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// The force's reference number. Empty only between parsing a call sent without one
    /// ([`Incident::awaits_number`]) and its numbering by the service that stores it.
    pub reference: String,
    pub channel: Channel,
    /// In UTC.
    pub received_at: DateTime<Utc>,
    /// In UTC; not after `received_at`.
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: IncidentCategory,
    pub location_id: Option<RecordId>,
    pub summary: String,
}

/// How far ahead of the server's clock a time may be and still count as now: the clocks
/// of the systems that send reports are not exactly in step.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

impl Incident {
    /// Parses what was sent. `now` is the time of the request: a report cannot be received
    /// in the future.
    ///
    /// A blank reference is left for the system to number: the incident then
    /// [awaits its number](Incident::awaits_number).
    ///
    /// # Errors
    /// [`Invalid`] naming each bad field: a malformed reference, a time that is not RFC 3339
    /// or is in the future, an unknown category, a location that is not a record id, a blank
    /// or over-long summary.
    pub fn parse(input: &IncidentInput, now: DateTime<Utc>) -> Result<Incident, Invalid> {
        let mut f = Fields::new();
        let reference = if input.reference.trim().is_empty() {
            Some(String::new())
        } else {
            f.check("/reference", reference(&input.reference))
        };
        let channel = match input.channel.trim() {
            "" => Some(Channel::NonEmergency),
            raw => f.check("/channel", raw.parse::<Channel>()),
        };
        let received_at = f.check("/received_at", instant(&input.received_at, now));
        let occurred_at = match input.occurred_at.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => f.check("/occurred_at", instant(raw, now)).map(Some),
        };
        if let (Some(Some(o)), Some(r)) = (occurred_at, received_at)
            && o > r
        {
            f.error("/occurred_at", "must not be after the report was received");
        }
        let category = f.check("/category", input.category.parse::<IncidentCategory>());
        let location_id = f.check(
            "/location_id",
            optional_record(input.location_id.as_deref()),
        );
        let summary = f.text("/summary", &input.summary, 2000);
        f.finish(|| {
            Some(Incident {
                reference: reference?,
                channel: channel?,
                received_at: received_at?,
                occurred_at: occurred_at?,
                category: category?,
                location_id: location_id?,
                summary: summary?,
            })
        })
    }
}

impl Incident {
    /// Whether the call was sent without a reference, for the system to number
    /// ([`call_reference`]) before it is stored.
    pub fn awaits_number(&self) -> bool {
        self.reference.is_empty()
    }
}

/// The reference the system gives a call taken without one: the Europe/London date it was
/// taken and its number among that day's calls, at least four digits (`20261126-0042`),
/// the form forces' command-and-control systems use (and the synthetic force's).
pub fn call_reference(day: chrono::NaiveDate, number: u32) -> String {
    format!("{}-{number:04}", day.format("%Y%m%d"))
}

/// Normalises a force reference number (an incident's or a crime's): 1 to 32 letters,
/// digits, hyphens and slashes, upper case. Forces number their records in many ways
/// (`20240309-0123`, `CR/012345/24`), so only the characters are fixed.
///
/// # Errors
/// A message naming what is allowed.
pub fn reference(raw: &str) -> Result<String, String> {
    let r = raw.trim().to_ascii_uppercase();
    if (1..=32).contains(&r.len())
        && r.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/')
    {
        Ok(r)
    } else {
        Err("must be 1 to 32 letters, digits, hyphens or slashes".to_string())
    }
}

/// Parses an RFC 3339 time with its offset into UTC, refusing one later than `now` (allowing
/// for [`CLOCK_SKEW`]).
///
/// # Errors
/// A message for the person who sent it.
pub fn instant(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| "must be a time such as 2024-03-09T21:14:00Z (RFC 3339, with its offset)")?
        .with_timezone(&Utc);
    // To the microsecond, the precision both databases keep, so that what is answered is
    // what is stored (and exported) on either.
    let t = t.duration_trunc(Duration::microseconds(1)).unwrap_or(t);
    if t > now + CLOCK_SKEW {
        return Err("must not be in the future".to_string());
    }
    Ok(t)
}

/// An optional event time, `now` when blank; otherwise as [`instant`], its error recorded
/// on `field`.
pub fn instant_or_now(
    f: &mut crate::field::Fields,
    field: &str,
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    f.optional_parsed(field, raw, |r| instant(r, now))
        .map(|t| t.unwrap_or(now))
}

/// Parses an optional record id: blank is none.
///
/// # Errors
/// A message when it is not a record id.
pub fn optional_record(raw: Option<&str>) -> Result<Option<RecordId>, String> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => r
            .parse::<RecordId>()
            .map(Some)
            .map_err(|_| "must be a record id".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 10, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn times_are_stored_in_utc() {
        let i = Incident::parse(
            &IncidentInput {
                reference: " 20240309-0123 ".into(),
                received_at: "2024-03-09T22:14:00+01:00".into(),
                category: "domestic".into(),
                summary: "Neighbour reports shouting".into(),
                ..IncidentInput::default()
            },
            now(),
        );
        let i = i.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.reference, "20240309-0123");
        assert_eq!(i.received_at.to_rfc3339(), "2024-03-09T21:14:00+00:00");
        assert_eq!(i.channel, Channel::NonEmergency);
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = Incident::parse(
            &IncidentInput {
                reference: "no spaces please".into(),
                channel: "carrier pigeon".into(),
                received_at: "2024-03-11T12:00:00Z".into(),
                occurred_at: Some("yesterday".into()),
                category: "party".into(),
                location_id: Some("nowhere".into()),
                summary: " ".into(),
            },
            now(),
        );
        let fields: Vec<String> = e
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            [
                "/reference",
                "/channel",
                "/received_at",
                "/occurred_at",
                "/category",
                "/location_id",
                "/summary"
            ]
        );
    }

    #[test]
    fn a_blank_reference_is_left_for_the_system_to_number() {
        let input = IncidentInput {
            reference: "  ".into(),
            received_at: "2024-03-09T22:14:00Z".into(),
            category: "domestic".into(),
            summary: "Neighbour reports shouting".into(),
            ..IncidentInput::default()
        };
        let i = Incident::parse(&input, now()).unwrap_or_else(|e| panic!("{e}"));
        assert!(i.awaits_number());
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
        assert_eq!(call_reference(day, 42), "20261126-0042");
        assert_eq!(call_reference(day, 12345), "20261126-12345");
        assert_eq!(
            reference(&call_reference(day, 1)).as_deref(),
            Ok("20261126-0001")
        );
    }

    #[test]
    fn times_keep_microseconds_not_nanoseconds() {
        let t = instant("2024-03-09T21:14:00.123456789Z", now());
        assert_eq!(
            t.map(|t| t.to_rfc3339()),
            Ok("2024-03-09T21:14:00.123456+00:00".to_string())
        );
    }

    #[test]
    fn a_clock_a_little_ahead_is_tolerated() {
        let t = (now() + Duration::minutes(4)).to_rfc3339();
        assert!(instant(&t, now()).is_ok());
        assert!(instant("2024-03-10", now()).is_err());
    }
}

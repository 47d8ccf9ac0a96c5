//! The Home Office outcomes framework (reference §5.2): how an investigation ends, numbered
//! 1 to 22, each number valid only for its dates, with the rules a finalisation must meet.
//!
//! The framework replaced "detections" in April 2013 and was broadened in April 2014;
//! outcome 21 was added in January 2016 and outcome 22 on 1 April 2019, so in 2016 the valid
//! set was 1 to 21. Which numbers are valid is dated configuration
//! ([`default_framework`]); so is which outcomes need a supervisor's approval
//! ([`default_approval`], force policy).

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use crate::dated::Dated;
use crate::duty::Notifiable;
use crate::field::{Fields, Invalid};
use crate::ids::RecordId;
use crate::incident::{instant_or_now, optional_record};
use crate::offence::OffenceGroup;
use crate::vocabulary::vocabulary;

/// The highest outcome number the framework has ever had.
pub const HIGHEST: u8 = 22;

/// An outcome type, 1 to 22.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Outcome(u8);

impl Outcome {
    /// Charged or summonsed.
    pub const CHARGED: Outcome = Outcome(1);

    /// The outcome with this number, if the framework has ever had it.
    pub fn new(n: u8) -> Option<Outcome> {
        (1..=HIGHEST).contains(&n).then_some(Outcome(n))
    }

    /// Every outcome number, 1 to 22.
    pub fn all() -> impl Iterator<Item = Outcome> {
        (1..=HIGHEST).map(Outcome)
    }

    pub fn number(&self) -> u8 {
        self.0
    }

    /// What it means (reference §5.2, paraphrased).
    pub fn label(&self) -> &'static str {
        match self.0 {
            1 => "Charged or summonsed",
            2 => "Caution – youth",
            3 => "Caution – adult",
            4 => "Taken into consideration by a court",
            5 => "Offender has died",
            6 => "Penalty notice for disorder",
            7 => "Cannabis or khat warning",
            8 => "Community resolution",
            9 => "Prosecution not in the public interest (CPS)",
            10 => "Formal action not in the public interest (police)",
            11 => "Named suspect below the age of criminal responsibility",
            12 => "Named suspect too ill to prosecute",
            13 => "Victim or key witness dead or too ill to give evidence",
            14 => "Evidential difficulties: suspect not identified, victim does not support",
            15 => "Evidential difficulties: named suspect, victim supports action",
            16 => "Evidential difficulties: named suspect, victim does not support action",
            17 => "Prosecution time limit expired",
            18 => "Investigation complete, no suspect identified",
            19 => "Filed by the National Fraud Intelligence Bureau",
            20 => "Further action by another body or agency",
            21 => "Further investigation not in the public interest (police)",
            _ => "Diversionary, educational or intervention activity",
        }
    }

    /// The Home Office group it is counted in.
    pub fn group(&self) -> OutcomeGroup {
        use OutcomeGroup as G;
        match self.0 {
            1 => G::ChargedSummonsed,
            2 | 3 | 6 | 7 => G::OutOfCourtFormal,
            8 => G::OutOfCourtInformal,
            4 => G::TakenIntoConsideration,
            5 | 9..=13 | 17 => G::ProsecutionPrevented,
            14 | 16 => G::EvidentialVictimDoesNotSupport,
            15 => G::EvidentialVictimSupports,
            18 => G::NoSuspect,
            19 => G::FraudFiled,
            20 => G::TransferredElsewhere,
            21 => G::NotInPublicInterest,
            _ => G::Diversionary,
        }
    }

    /// Whether the outcome is about a named suspect: every outcome except 14 and 18 (no
    /// suspect identified), 19 (filed by the NFIB unallocated) and 20 (passed to another
    /// body).
    pub fn needs_named_suspect(&self) -> bool {
        !matches!(self.0, 14 | 18 | 19 | 20)
    }

    /// Whether the outcome means no suspect was identified, so a named suspect contradicts it.
    pub fn means_no_suspect(&self) -> bool {
        matches!(self.0, 14 | 18)
    }

    /// What the victim must be told of when the investigation ends with this outcome
    /// (reference §4.3). `investigated` is false when the crime was never allocated: ending
    /// it then is a decision not to investigate.
    pub fn notifiable(&self, investigated: bool) -> Notifiable {
        match self.0 {
            1 => Notifiable::Charged,
            2 | 3 | 6 | 7 | 8 | 22 => Notifiable::OutOfCourtDisposal,
            _ if !investigated => Notifiable::DecisionNotToInvestigate,
            _ => Notifiable::ClosedNoCharge,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Outcome {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<u8>()
            .ok()
            .and_then(Outcome::new)
            .ok_or_else(|| format!("must be an outcome number from 1 to {HIGHEST}"))
    }
}

vocabulary!(
    /// The Home Office's groups of outcomes, as its outcome tables present them.
    OutcomeGroup, "an outcome group" {
        ChargedSummonsed = "charged_summonsed",
        OutOfCourtFormal = "out_of_court_formal",
        OutOfCourtInformal = "out_of_court_informal",
        TakenIntoConsideration = "taken_into_consideration",
        ProsecutionPrevented = "prosecution_prevented",
        EvidentialVictimDoesNotSupport = "evidential_victim_does_not_support",
        EvidentialVictimSupports = "evidential_victim_supports",
        NoSuspect = "investigation_complete_no_suspect",
        FraudFiled = "fraud_filed",
        TransferredElsewhere = "transferred_elsewhere",
        NotInPublicInterest = "not_in_public_interest",
        Diversionary = "diversionary",
    }
);

vocabulary!(
    /// Whether the victim supports police action (outcomes 14 to 16).
    VictimPosition, "supports, does_not_support or withdrawn" {
        Supports = "supports",
        DoesNotSupport = "does_not_support",
        /// Supported action at first, then withdrew.
        Withdrawn = "withdrawn",
    }
);

vocabulary!(
    /// Where a recorded outcome stands: awaiting a supervisor's approval where policy asks
    /// for it, or decided.
    OutcomeStatus, "proposed, approved or rejected" {
        Proposed = "proposed",
        Approved = "approved",
        Rejected = "rejected",
    }
);

/// The outcome numbers valid at each date: a [`Dated`] set.
pub type Framework = Dated<BTreeSet<Outcome>>;

fn upto(n: u8) -> BTreeSet<Outcome> {
    (1..=n).map(Outcome).collect()
}

/// The framework's dates (reference §5.2): 1 to 20 from the April 2014 framework (Bluelamp
/// holds no earlier outcomes; the date outcome 20 was added is not confirmed and is taken as
/// part of that framework), 21 from 1 January 2016, 22 from 1 April 2019.
pub fn default_framework() -> Framework {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    Dated::new(
        upto(20),
        vec![(date(2016, 1, 1), upto(21)), (date(2019, 4, 1), upto(22))],
    )
    .unwrap_or_else(|_| Dated::always(upto(HIGHEST)))
}

/// The outcomes a supervisor must approve before an investigation is finalised with them.
/// Default (force policy, no national standard): every outcome where the police decide to
/// take no further action: 10, 14 to 18, 20, 21 and 22.
pub fn default_approval() -> Dated<BTreeSet<Outcome>> {
    Dated::always(
        [10, 14, 15, 16, 17, 18, 20, 21, 22]
            .into_iter()
            .map(Outcome)
            .collect(),
    )
}

/// An outcome as sent.
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    /// The outcome number, 1 to 22.
    pub outcome: String,
    /// When it was decided: RFC 3339; now when blank.
    pub at: Option<String>,
    /// The date of the charge or summons (outcome 1): `YYYY-MM-DD`.
    pub charge_date: Option<String>,
    /// The person the outcome is about, for outcomes with a named suspect.
    pub suspect_id: Option<String>,
    /// Whether the victim supports action (outcomes 14, 15 and 16).
    pub victim_position: Option<String>,
    /// The investigator's statement that every line of enquiry is finished (outcome 18).
    pub investigation_complete: bool,
    pub rationale: String,
}

/// What the service knows of the crime when it checks an outcome.
#[derive(Debug, Clone, Copy)]
pub struct OutcomeFacts {
    pub recorded_at: DateTime<Utc>,
    pub offence_group: OffenceGroup,
    /// Lines of enquiry and actions in the plan not yet done.
    pub open_actions: usize,
}

/// A finalisation, every rule met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finalisation {
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub charge_date: Option<NaiveDate>,
    pub suspect: Option<RecordId>,
    pub victim_position: Option<VictimPosition>,
    pub rationale: String,
}

/// The longest rationale kept.
pub const RATIONALE_MAX: usize = 4000;

impl Finalisation {
    /// Checks an outcome against the framework in force at its date and the rules each
    /// outcome carries (issue 5 §4; reference §5.2). Each refusal names the field and the
    /// rule.
    ///
    /// # Errors
    /// [`Invalid`] naming each broken rule: a number not valid at the date, outcome 1 without
    /// a charge date or a named suspect, a named suspect with outcome 14 or 18, outcomes
    /// 14 to 16 without the victim's position (or with the wrong one), outcome 18 with
    /// the investigation incomplete, outcome 19 for a crime that is not fraud, a time in the
    /// future or before the crime was recorded.
    pub fn parse(
        input: &OutcomeInput,
        facts: OutcomeFacts,
        framework: &Framework,
        now: DateTime<Utc>,
    ) -> Result<Finalisation, Invalid> {
        let mut f = Fields::new();
        let outcome = f.check("/outcome", input.outcome.parse::<Outcome>());
        let at = instant_or_now(&mut f, "/at", input.at.as_deref(), now);
        if let Some(t) = at
            && t < facts.recorded_at
        {
            f.error("/at", "must not be before the crime was recorded");
        }
        let charge_date = f.optional_parsed("/charge_date", input.charge_date.as_deref(), |r| {
            NaiveDate::parse_from_str(r, "%Y-%m-%d")
                .map_err(|_| "must be a date such as 2024-03-09")
        });
        let suspect = f.check("/suspect_id", optional_record(input.suspect_id.as_deref()));
        let position = f.optional_parsed(
            "/victim_position",
            input.victim_position.as_deref(),
            str::parse::<VictimPosition>,
        );
        let rationale = f.prose("/rationale", &input.rationale, RATIONALE_MAX);
        if let (Some(o), Some(t)) = (outcome, at)
            && !framework.at_instant(t).contains(&o)
        {
            f.error(
                "/outcome",
                format!(
                    "outcome {o} was not part of the outcomes framework on {}",
                    t.date_naive()
                ),
            );
        }
        if let (Some(o), Some(charge_date), Some(suspect), Some(position)) =
            (outcome, charge_date, suspect, position)
        {
            rules(&mut f, o, charge_date, suspect, position, input, facts, at);
        }
        f.finish(|| {
            Some(Finalisation {
                outcome: outcome?,
                at: at?,
                charge_date: charge_date?,
                suspect: suspect?,
                victim_position: position?,
                rationale: rationale?,
            })
        })
    }
}

/// The rules attached to particular outcomes.
#[allow(clippy::too_many_arguments)]
fn rules(
    f: &mut Fields,
    o: Outcome,
    charge_date: Option<NaiveDate>,
    suspect: Option<RecordId>,
    position: Option<VictimPosition>,
    input: &OutcomeInput,
    facts: OutcomeFacts,
    at: Option<DateTime<Utc>>,
) {
    if o.needs_named_suspect() && suspect.is_none() {
        f.error("/suspect_id", format!("outcome {o} needs a named suspect"));
    }
    if o.means_no_suspect() && suspect.is_some() {
        f.error(
            "/suspect_id",
            format!("outcome {o} means no suspect was identified"),
        );
    }
    match (o.number(), charge_date) {
        (1, None) => f.error(
            "/charge_date",
            "outcome 1 needs the date of the charge or summons",
        ),
        (1, Some(d)) => {
            if at.is_some_and(|t| d > t.date_naive()) {
                f.error("/charge_date", "must not be after the outcome");
            }
            if d < facts.recorded_at.date_naive() {
                f.error("/charge_date", "must not be before the crime was recorded");
            }
        }
        (_, Some(_)) => f.error(
            "/charge_date",
            "is only for outcome 1 (charged or summonsed)",
        ),
        _ => {}
    }
    let needed = match o.number() {
        14 | 16 => Some("outcomes 14 and 16 mean the victim does not support action"),
        15 => Some("outcome 15 means the victim supports action"),
        _ => None,
    };
    match (needed, position) {
        (Some(_), None) => f.error(
            "/victim_position",
            format!("outcome {o} needs the victim's position"),
        ),
        (Some(rule), Some(p)) => {
            let supports = p == VictimPosition::Supports;
            if supports != (o.number() == 15) {
                f.error("/victim_position", rule);
            }
        }
        _ => {}
    }
    if o.number() == 18 {
        if !input.investigation_complete {
            f.error(
                "/investigation_complete",
                "outcome 18 is allowed only when the investigation is complete",
            );
        } else if facts.open_actions > 0 {
            f.error(
                "/investigation_complete",
                format!(
                    "outcome 18 is allowed only when the investigation is complete: {} line(s) of enquiry or action(s) still open",
                    facts.open_actions
                ),
            );
        }
    }
    if o.number() == 19 && facts.offence_group != OffenceGroup::FraudOffences {
        f.error(
            "/outcome",
            "outcome 19 is only for fraud filed by the National Fraud Intelligence Bureau",
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};
    use proptest::prelude::*;

    use super::*;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn facts() -> OutcomeFacts {
        OutcomeFacts {
            recorded_at: at(2024, 3, 1),
            offence_group: OffenceGroup::TheftOffences,
            open_actions: 0,
        }
    }

    const SUSPECT: &str = "0190b2a4-4c4e-7b8a-9a7c-1d2e3f405162";

    fn input(outcome: u8) -> OutcomeInput {
        OutcomeInput {
            outcome: outcome.to_string(),
            at: Some("2024-03-20T10:00:00Z".into()),
            rationale: "Reviewed by the OIC".into(),
            ..OutcomeInput::default()
        }
    }

    fn fields(r: Result<Finalisation, Invalid>) -> Vec<(String, String)> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| (f.field, f.message)).collect())
            .unwrap_or_default()
    }

    fn parse(i: &OutcomeInput) -> Result<Finalisation, Invalid> {
        Finalisation::parse(i, facts(), &default_framework(), at(2024, 4, 1))
    }

    #[test]
    fn outcome_one_needs_a_charge_date_and_a_named_suspect() {
        let errors = fields(parse(&input(1)));
        assert_eq!(
            errors,
            [
                (
                    "/suspect_id".into(),
                    "outcome 1 needs a named suspect".into()
                ),
                (
                    "/charge_date".into(),
                    "outcome 1 needs the date of the charge or summons".into()
                ),
            ]
        );
        let mut ok = input(1);
        ok.suspect_id = Some(SUSPECT.into());
        ok.charge_date = Some("2024-03-19".into());
        let f = parse(&ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.outcome, Outcome::CHARGED);
        assert_eq!(f.charge_date, NaiveDate::from_ymd_opt(2024, 3, 19));
    }

    #[test]
    fn outcome_fourteen_means_no_suspect_was_identified() {
        let mut i = input(14);
        i.suspect_id = Some(SUSPECT.into());
        i.victim_position = Some("does_not_support".into());
        assert_eq!(
            fields(parse(&i)),
            [(
                "/suspect_id".into(),
                "outcome 14 means no suspect was identified".into()
            )]
        );
        i.suspect_id = None;
        assert!(parse(&i).is_ok());
    }

    #[test]
    fn outcomes_fifteen_and_sixteen_need_a_suspect_and_the_victims_position() {
        for n in [15, 16] {
            let errors: Vec<String> = fields(parse(&input(n))).into_iter().map(|e| e.0).collect();
            assert_eq!(errors, ["/suspect_id", "/victim_position"], "outcome {n}");
        }
        let mut i = input(16);
        i.suspect_id = Some(SUSPECT.into());
        i.victim_position = Some("supports".into());
        assert_eq!(
            fields(parse(&i)),
            [(
                "/victim_position".into(),
                "outcomes 14 and 16 mean the victim does not support action".into()
            )]
        );
        i.victim_position = Some("withdrawn".into());
        assert!(parse(&i).is_ok());
        i.outcome = "15".into();
        assert!(parse(&i).is_err());
        i.victim_position = Some("supports".into());
        assert!(parse(&i).is_ok());
    }

    #[test]
    fn outcome_eighteen_needs_a_complete_investigation() {
        let mut i = input(18);
        assert_eq!(fields(parse(&i))[0].0, "/investigation_complete");
        i.investigation_complete = true;
        assert!(parse(&i).is_ok());
        let open = OutcomeFacts {
            open_actions: 2,
            ..facts()
        };
        let r = Finalisation::parse(&i, open, &default_framework(), at(2024, 4, 1));
        assert!(fields(r)[0].1.contains("2 line(s) of enquiry"));
    }

    #[test]
    fn outcome_nineteen_is_for_fraud_only() {
        assert_eq!(fields(parse(&input(19)))[0].0, "/outcome");
        let fraud = OutcomeFacts {
            offence_group: OffenceGroup::FraudOffences,
            ..facts()
        };
        let r = Finalisation::parse(&input(19), fraud, &default_framework(), at(2024, 4, 1));
        assert!(r.is_ok());
    }

    #[test]
    fn an_outcome_in_the_future_or_before_recording_is_refused() {
        let mut i = input(20);
        i.at = Some("2024-05-01T00:00:00Z".into());
        assert_eq!(
            fields(parse(&i))[0],
            ("/at".into(), "must not be in the future".into())
        );
        i.at = Some("2024-02-01T00:00:00Z".into());
        assert_eq!(
            fields(parse(&i))[0],
            (
                "/at".into(),
                "must not be before the crime was recorded".into()
            )
        );
    }

    #[test]
    fn in_2016_the_valid_set_was_one_to_twenty_one() {
        let f = default_framework();
        let y2016: Vec<u8> = f
            .at(NaiveDate::from_ymd_opt(2016, 6, 1).unwrap_or_default())
            .iter()
            .map(Outcome::number)
            .collect();
        assert_eq!(y2016, (1..=21).collect::<Vec<_>>());
        assert!(
            !f.at(NaiveDate::from_ymd_opt(2015, 12, 31).unwrap_or_default())
                .contains(&Outcome(21))
        );
        assert!(
            f.at(NaiveDate::from_ymd_opt(2019, 4, 1).unwrap_or_default())
                .contains(&Outcome(22))
        );
        assert!(
            !f.at(NaiveDate::from_ymd_opt(2019, 3, 31).unwrap_or_default())
                .contains(&Outcome(22))
        );
    }

    #[test]
    fn unknown_numbers_are_named() {
        for raw in ["0", "23", "1A", "", "-1"] {
            let mut i = input(1);
            i.outcome = raw.into();
            assert_eq!(
                fields(parse(&i))[0],
                (
                    "/outcome".into(),
                    "must be an outcome number from 1 to 22".into()
                ),
                "{raw:?}"
            );
        }
    }

    proptest! {
        /// Outcome 22 is refused on every day before 1 April 2019 and accepted on every day
        /// from it (the edge of a dated rule).
        #[test]
        fn outcome_22_follows_its_date(days in -800i64..800) {
            let edge = at(2019, 4, 1) - TimeDelta::hours(12);
            let when = edge + TimeDelta::days(days);
            let facts = OutcomeFacts { recorded_at: at(2016, 1, 1), ..facts() };
            let mut i = input(22);
            i.at = Some(when.to_rfc3339());
            i.suspect_id = Some(SUSPECT.into());
            let r = Finalisation::parse(&i, facts, &default_framework(), at(2030, 1, 1));
            prop_assert_eq!(r.is_ok(), days >= 0);
        }

        /// Whatever is sent, a named-suspect outcome without a suspect is refused, and the
        /// refusal names the suspect field.
        #[test]
        fn named_suspect_outcomes_need_one(n in 1u8..=22) {
            let o = Outcome(n);
            let mut i = input(n);
            i.charge_date = Some("2024-03-19".into());
            i.victim_position = Some(if n == 15 { "supports" } else { "does_not_support" }.into());
            i.investigation_complete = true;
            let errors = fields(parse(&i));
            let names_suspect = errors.iter().any(|e| e.0 == "/suspect_id");
            prop_assert_eq!(names_suspect, o.needs_named_suspect());
        }
    }
}

//! Crime investigation (issue 5; reference §5): the investigation's states, allocation by
//! seriousness and complexity to an accredited investigator, the plan, handovers with their
//! quality checklist, and the supervision schedule.
//!
//! The 2016 inspection found a process so complex it hampered investigations, handovers of
//! variable quality and thin supervision of everyday crime; here each step is one
//! transition with its rule, every handover carries the same checklist, and reviews fall
//! due on a dated schedule through the duties engine.

use std::fmt;

use chrono::TimeDelta;

use crate::dated::Dated;
use crate::duty::Limit;
use crate::field::Fields;
use crate::offence::{HoOffenceCode, OffenceGroup};
use crate::thrive::Level;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// Where an investigation stands.
    State, "an investigation state" {
        /// Recorded, not yet given to anyone.
        Recorded = "recorded",
        /// Given to a team and an investigator, work not yet begun.
        Allocated = "allocated",
        UnderInvestigation = "under_investigation",
        /// With the Crown Prosecution Service for a charging decision.
        AwaitingChargingDecision = "awaiting_charging_decision",
        /// Ended with an outcome from the Home Office framework.
        Finalised = "finalised",
    }
);

vocabulary!(
    /// A step that moves an investigation.
    Step, "an investigation step" {
        Allocate = "allocate",
        /// Work begins: the first plan, or the first review's directions.
        Investigate = "investigate",
        /// The file goes to the CPS for a charging decision.
        ReferToCps = "refer_to_cps",
        /// The CPS returns the file for more work.
        ReturnFromCps = "return_from_cps",
        /// An outcome is recorded (and approved where policy says so).
        Finalise = "finalise",
        /// A finalised investigation is opened again (new evidence, a review).
        Reopen = "reopen",
    }
);

/// A step not allowed from the state the investigation is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an investigation that is {} cannot {}", from.describe(), step.describe())]
pub struct NotAllowed {
    pub from: State,
    pub step: Step,
}

impl State {
    /// In words, for messages and pages.
    pub fn describe(&self) -> &'static str {
        match self {
            State::Recorded => "recorded and unallocated",
            State::Allocated => "allocated",
            State::UnderInvestigation => "under investigation",
            State::AwaitingChargingDecision => "awaiting a charging decision",
            State::Finalised => "finalised",
        }
    }

    /// Whether the investigation is still open.
    pub fn is_open(&self) -> bool {
        *self != State::Finalised
    }

    /// The state after `step`: the state machine recorded → allocated → under
    /// investigation → awaiting a charging decision → finalised, with reallocation while
    /// open, a return from the CPS, finalisation from any open state (a crime can be filed
    /// without investigation), and reopening.
    ///
    /// # Errors
    /// [`NotAllowed`] naming the state and the step.
    pub fn after(self, step: Step) -> Result<State, NotAllowed> {
        use State as S;
        use Step as T;
        let next = match (self, step) {
            (S::Recorded, T::Allocate) => S::Allocated,
            // Reallocation keeps the stage the work has reached.
            (S::Allocated | S::UnderInvestigation | S::AwaitingChargingDecision, T::Allocate) => {
                self
            }
            (S::Allocated | S::UnderInvestigation, T::Investigate) => S::UnderInvestigation,
            (S::UnderInvestigation, T::ReferToCps) => S::AwaitingChargingDecision,
            (S::AwaitingChargingDecision, T::ReturnFromCps) => S::UnderInvestigation,
            (s, T::Finalise) if s.is_open() => S::Finalised,
            (S::Finalised, T::Reopen) => S::UnderInvestigation,
            _ => return Err(NotAllowed { from: self, step }),
        };
        Ok(next)
    }
}

impl Step {
    /// In words, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Step::Allocate => "be allocated",
            Step::Investigate => "be worked on",
            Step::ReferToCps => "be referred to the CPS",
            Step::ReturnFromCps => "come back from the CPS",
            Step::Finalise => "be finalised",
            Step::Reopen => "be reopened",
        }
    }
}

vocabulary!(
    /// How serious the crime is, for allocation and supervision.
    Seriousness, "standard or serious" {
        /// Volume and priority crime: a PIP level 1 investigator.
        Standard = "standard",
        /// Serious and complex crime: a PIP level 2 investigator.
        Serious = "serious",
    }
);

/// The Professionalising Investigation Programme level an investigation needs (College of
/// Policing, PIP: level 1 for priority and volume crime, level 2 for serious and complex
/// investigations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PipLevel(u8);

impl PipLevel {
    pub const ONE: PipLevel = PipLevel(1);
    pub const TWO: PipLevel = PipLevel(2);

    /// Level 1, 2 or 3 (3: senior investigating officers).
    pub fn new(n: u8) -> Option<PipLevel> {
        (1..=3).contains(&n).then_some(PipLevel(n))
    }

    pub fn number(&self) -> u8 {
        self.0
    }
}

impl fmt::Display for PipLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PIP level {}", self.0)
    }
}

/// The seriousness proposed for a crime from its offence: homicide, causing death, wounding
/// or assault with intent, sexual offences, robbery and possessing firearms with intent are
/// serious; other crime is standard. The allocator may choose otherwise.
pub fn proposed_seriousness(code: HoOffenceCode) -> Seriousness {
    let o = code.offence();
    let description = o.description.to_ascii_lowercase();
    let grave_violence = o.group == OffenceGroup::ViolenceAgainstThePerson
        && (o.subgroup == "Homicide"
            || description.contains("death")
            || description.contains("with intent"));
    let firearms = o.group == OffenceGroup::PossessionOfWeapons && description.contains("firearms");
    if grave_violence
        || firearms
        || matches!(
            o.group,
            OffenceGroup::SexualOffences | OffenceGroup::Robbery
        )
    {
        Seriousness::Serious
    } else {
        Seriousness::Standard
    }
}

/// The accreditation an investigation needs: level 2 when serious or complex.
pub fn required_pip(seriousness: Seriousness, complex: bool) -> PipLevel {
    if seriousness == Seriousness::Serious || complex {
        PipLevel::TWO
    } else {
        PipLevel::ONE
    }
}

/// Checks that an investigator's accreditation is enough for an investigation.
///
/// # Errors
/// A message naming the level needed and the level held.
pub fn check_accreditation(needed: PipLevel, held: Option<PipLevel>) -> Result<(), String> {
    match held {
        Some(h) if h >= needed => Ok(()),
        Some(h) => Err(format!(
            "needs an investigator accredited to {needed}; this one holds {h}"
        )),
        None => Err(format!(
            "needs an investigator accredited to {needed}; this one holds no PIP accreditation"
        )),
    }
}

/// When supervisors review investigations (issue 5 §3): the first review after
/// allocation and the interval between reviews, by risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSchedule {
    /// The first review after allocation, for high, medium and low risk.
    pub first: [Limit; 3],
    /// Between later reviews, for high, medium and low risk.
    pub every: [Limit; 3],
}

fn risk_index(risk: Level) -> usize {
    match risk {
        Level::High => 0,
        Level::Medium => 1,
        Level::Low => 2,
    }
}

impl ReviewSchedule {
    /// Issue 5 §3's default: the first review within 24 hours of allocation for high risk,
    /// then every 7 days; medium risk every 14 days; low risk every 28 days (force policy;
    /// no national standard). A serious investigation is supervised as at least medium
    /// risk ([`supervision_risk`]).
    pub fn issue_5_default() -> ReviewSchedule {
        let days = |d| Limit::Within(TimeDelta::days(d));
        ReviewSchedule {
            first: [Limit::Within(TimeDelta::hours(24)), days(14), days(28)],
            every: [days(7), days(14), days(28)],
        }
    }

    /// When the next review is due: the first after allocation at `from`, or the next after
    /// the review at `from`.
    pub fn next(&self, risk: Level, first: bool) -> Limit {
        let i = risk_index(risk);
        if first { self.first[i] } else { self.every[i] }
    }
}

/// The schedule as dated configuration.
pub fn default_review_schedule() -> Dated<ReviewSchedule> {
    Dated::always(ReviewSchedule::issue_5_default())
}

/// The risk an investigation is supervised at: the assessed risk, raised to medium for a
/// serious investigation.
pub fn supervision_risk(risk: Level, seriousness: Seriousness) -> Level {
    if seriousness == Seriousness::Serious {
        risk.max(Level::Medium)
    } else {
        risk
    }
}

vocabulary!(
    /// The items a handover between teams must account for (issue 5 §2).
    ChecklistItem, "a handover checklist item" {
        Statements = "statements",
        Cctv = "cctv",
        ForensicSubmissions = "forensic_submissions",
        HouseToHouse = "house_to_house",
        SuspectDetails = "suspect_details",
        VictimContact = "victim_contact",
    }
);

impl ChecklistItem {
    pub fn label(&self) -> &'static str {
        match self {
            ChecklistItem::Statements => "Statements",
            ChecklistItem::Cctv => "CCTV",
            ChecklistItem::ForensicSubmissions => "Forensic submissions",
            ChecklistItem::HouseToHouse => "House-to-house enquiries",
            ChecklistItem::SuspectDetails => "Suspect details",
            ChecklistItem::VictimContact => "Victim contact",
        }
    }
}

vocabulary!(
    /// Where a checklist item stands at handover.
    ItemState, "done, outstanding or not_applicable" {
        Done = "done",
        /// Still to do: the receiving team inherits it as an action.
        Outstanding = "outstanding",
        NotApplicable = "not_applicable",
    }
);

/// One checklist answer as sent.
#[derive(Debug, Clone, Default)]
pub struct ChecklistAnswerInput {
    pub state: String,
    pub note: Option<String>,
}

/// One checklist answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistAnswer {
    pub item: ChecklistItem,
    pub state: ItemState,
    pub note: Option<String>,
}

/// The longest note or reason kept.
pub const NOTE_MAX: usize = 2000;

/// Parses a whole checklist: every item answered, once; an item outstanding or not
/// applicable says why. `answers` are in the order of [`ChecklistItem::ALL`]; a missing
/// answer is named by its item.
pub fn parse_checklist(
    f: &mut Fields,
    at: &str,
    answers: &[(ChecklistItem, Option<ChecklistAnswerInput>)],
) -> Option<Vec<ChecklistAnswer>> {
    let mut out = Vec::new();
    let mut ok = true;
    for item in ChecklistItem::ALL {
        let path = format!("{at}/{}", item.as_str());
        let Some(answer) = answers
            .iter()
            .find(|(i, _)| i == item)
            .and_then(|(_, a)| a.as_ref())
        else {
            f.error(
                &path,
                "must be answered: done, outstanding or not_applicable",
            );
            ok = false;
            continue;
        };
        let state = f.check(&format!("{path}/state"), answer.state.parse::<ItemState>());
        let note = f.optional_prose(&format!("{path}/note"), answer.note.as_deref(), NOTE_MAX);
        match state {
            Some(s @ (ItemState::Outstanding | ItemState::NotApplicable)) if note.is_none() => {
                f.error(format!("{path}/note"), format!("must say why when {s}"));
                ok = false;
            }
            Some(s) => out.push(ChecklistAnswer {
                item: *item,
                state: s,
                note,
            }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

vocabulary!(
    /// What the receiving team did with a handover.
    HandoverDecision, "accepted or returned" {
        Accepted = "accepted",
        /// Sent back to the team that handed it over, with reasons.
        Returned = "returned",
    }
);

vocabulary!(
    /// A line in an investigation plan.
    PlanItemKind, "line_of_enquiry or action" {
        LineOfEnquiry = "line_of_enquiry",
        Action = "action",
    }
);

vocabulary!(
    /// Where a plan item came from.
    PlanSource, "plan, review or handover" {
        /// Written into the plan by the investigator.
        Plan = "plan",
        /// A supervisor's direction at a review.
        Review = "review",
        /// An item left outstanding at a handover.
        Handover = "handover",
    }
);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_happy_path_runs_from_recorded_to_finalised_and_back() {
        let mut s = State::Recorded;
        for step in [
            Step::Allocate,
            Step::Investigate,
            Step::ReferToCps,
            Step::ReturnFromCps,
            Step::ReferToCps,
            Step::Finalise,
            Step::Reopen,
        ] {
            s = s.after(step).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(s, State::UnderInvestigation);
    }

    #[test]
    fn a_finalised_investigation_cannot_be_finalised_again() {
        let e = State::Finalised.after(Step::Finalise).err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("an investigation that is finalised cannot be finalised")
        );
        assert!(State::Recorded.after(Step::ReferToCps).is_err());
        assert!(State::Recorded.after(Step::Reopen).is_err());
    }

    proptest! {
        /// From every state, every step either moves to a state the machine allows or is
        /// refused; only reopening leaves the finalised state, and finalising is allowed
        /// from every open state.
        #[test]
        fn transitions_are_closed(si in 0usize..5, ti in 0usize..6) {
            let s = State::ALL[si];
            let t = Step::ALL[ti];
            match s.after(t) {
                Ok(next) => {
                    if s == State::Finalised { prop_assert_eq!(t, Step::Reopen); }
                    if t == Step::Finalise { prop_assert_eq!(next, State::Finalised); }
                }
                Err(e) => {
                    prop_assert_eq!(e.from, s);
                    prop_assert!(!(t == Step::Finalise && s.is_open()));
                }
            }
        }
    }

    #[test]
    fn serious_or_complex_needs_pip_two() {
        assert_eq!(required_pip(Seriousness::Standard, false), PipLevel::ONE);
        assert_eq!(required_pip(Seriousness::Standard, true), PipLevel::TWO);
        assert_eq!(required_pip(Seriousness::Serious, false), PipLevel::TWO);
        assert!(check_accreditation(PipLevel::TWO, PipLevel::new(1)).is_err());
        assert!(check_accreditation(PipLevel::TWO, None).is_err());
        assert!(check_accreditation(PipLevel::ONE, PipLevel::new(2)).is_ok());
    }

    #[test]
    fn seriousness_is_proposed_from_the_offence() {
        let code = |c: &str| c.parse::<HoOffenceCode>().unwrap_or_else(|_| panic!("{c}"));
        assert_eq!(proposed_seriousness(code("34B")), Seriousness::Serious);
        assert_eq!(proposed_seriousness(code("19C")), Seriousness::Serious);
        assert_eq!(proposed_seriousness(code("49")), Seriousness::Standard);
        assert_eq!(proposed_seriousness(code("5D")), Seriousness::Serious);
        assert_eq!(proposed_seriousness(code("59")), Seriousness::Standard);
        assert_eq!(proposed_seriousness(code("58C")), Seriousness::Standard);
    }

    #[test]
    fn high_risk_is_reviewed_within_a_day_then_weekly() {
        let s = ReviewSchedule::issue_5_default();
        assert_eq!(
            s.next(Level::High, true),
            Limit::Within(TimeDelta::hours(24))
        );
        assert_eq!(
            s.next(Level::High, false),
            Limit::Within(TimeDelta::days(7))
        );
        assert_eq!(
            s.next(Level::Medium, false),
            Limit::Within(TimeDelta::days(14))
        );
        assert_eq!(
            s.next(Level::Low, false),
            Limit::Within(TimeDelta::days(28))
        );
        assert_eq!(
            supervision_risk(Level::Low, Seriousness::Serious),
            Level::Medium
        );
        assert_eq!(
            supervision_risk(Level::High, Seriousness::Serious),
            Level::High
        );
    }

    #[test]
    fn a_checklist_answers_every_item_and_says_why_when_not_done() {
        let mut f = Fields::new();
        let answer = |s: &str, n: Option<&str>| {
            Some(ChecklistAnswerInput {
                state: s.into(),
                note: n.map(Into::into),
            })
        };
        let answers = vec![
            (ChecklistItem::Statements, answer("done", None)),
            (ChecklistItem::Cctv, answer("outstanding", None)),
            (ChecklistItem::ForensicSubmissions, answer("maybe", None)),
            (
                ChecklistItem::SuspectDetails,
                answer("not_applicable", Some("No suspect")),
            ),
            (ChecklistItem::VictimContact, answer("done", None)),
        ];
        assert!(parse_checklist(&mut f, "/checklist", &answers).is_none());
        let e = f.finish(|| Some(())).err().map(|e| e.0).unwrap_or_default();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "/checklist/cctv/note",
                "/checklist/forensic_submissions/state",
                "/checklist/house_to_house"
            ]
        );
    }
}

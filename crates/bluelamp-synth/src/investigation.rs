//! Investigation and victim care for every crime of a run (issue 5): allocation to a team
//! and an accredited investigator, the plan, supervision reviews, handovers with their
//! checklist, developments, referrals to the CPS, the outcome and its approval; and each
//! victim's needs assessment, referral, contacts and survey answers, as the services in
//! `bluelamp_app::investigation` and `bluelamp_app::victim` would have written them one
//! action at a time.
//!
//! Each crime follows its own timeline, drawn from its own seeded streams: volume crime
//! without a suspect is often filed at screening (outcome 18 or 14, a decision not to
//! investigate); the rest is allocated within hours or days, planned, reviewed on the
//! supervision schedule, sometimes handed over, and finalised with an outcome from the Home
//! Office framework valid at its date, meeting that outcome's rule (a named suspect linked
//! to the crime for the outcomes that need one, none for 14 and 18, the victim's position
//! for 14 to 16, a complete plan for 18), proposed and approved by a supervisor where force
//! policy asks for approval. Whatever falls after the end of the period has not happened
//! yet, so the crimes of the last weeks are still open. The duties are the duties engine's
//! own: each crime's events are replayed through `bluelamp_domain::duty::react` and `apply`
//! with the force's rules, with the reassignments the services make.
//!
//! The figures aim at what the 2016 inspection and the Home Office describe (reference
//! §5.3, §12): charge or summons for about 13.5% of the crimes recorded, domestic abuse
//! often ending in outcome 16 (victim does not support), supervision mostly on time but
//! with investigations not actively supervised, and the Victims' Code not complied with for
//! a visible share of victims. The shares are Bluelamp's estimates (UNCONFIRMED), chosen to
//! look like a real force's measures.

use std::fmt;

use bluelamp_app::Config;
use bluelamp_domain::access::Role;
use bluelamp_domain::calendar::london_date;
use bluelamp_domain::duty::{self, Duty, DutyKind, Event, Notifiable, Owner, RuleId, Status};
use bluelamp_domain::field::Fields;
use bluelamp_domain::ids::{RecordId, TeamId, UserId};
use bluelamp_domain::investigation::{
    ChecklistAnswer, ChecklistItem, HandoverDecision, ItemState, PipLevel, PlanItemKind,
    PlanSource, Seriousness, State, Step, proposed_seriousness, required_pip, supervision_risk,
};
use bluelamp_domain::offence::{HoOffenceCode, OffenceGroup};
use bluelamp_domain::outcome::{
    Finalisation, Outcome, OutcomeFacts, OutcomeInput, OutcomeStatus, VictimPosition,
};
use bluelamp_domain::thrive::Level;
use bluelamp_domain::victim::{
    Contact, ContactMethod, NeedsAssessment, NeedsAssessmentInput, Referral, Satisfaction, Survey,
    VpsOffer, referral_needs_explicit_consent,
};
use bluelamp_store::bulk::NewSurvey;
use bluelamp_store::investigation::{
    Development, Handover, HandoverDecided, Investigation, OutcomeRow, PlanItem, Review, StepRow,
};
use bluelamp_store::victim::{LoggedContact, Victim};
use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::SynthError;
use crate::first_contact::{chance, lognormal, one};
use crate::population::pick_weighted;
use crate::seed::{Ids, Stream, rng};
use crate::staff::{Staff, Unit};

// ---------------------------------------------------------------------------------------
// What the generator is given.

/// A person in a crime, as the generator needs to know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub person: RecordId,
    /// Age in whole years at the start of the period.
    pub age: u8,
    /// For a victim: victimised before in the run.
    pub repeat: bool,
}

/// What the generator needs to know of a crime.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: RecordId,
    pub code: HoOffenceCode,
    pub domestic: bool,
    /// When it was reported: the Victims' Code referral limit runs from it.
    pub reported_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// The officer who recorded it, who assesses its victims' needs.
    pub recorded_by: Option<UserId>,
    /// Its local policing area, by index.
    pub area: usize,
    /// Its victims, each linked `victim_of`.
    pub victims: Vec<Party>,
    /// Its named suspects, each linked `suspect_in`.
    pub suspects: Vec<Party>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Officer {
    id: UserId,
    pip: Option<PipLevel>,
    /// Holds the supervisor role: may allocate, review and approve outcomes.
    lead: bool,
}

#[derive(Debug, Clone)]
struct Team {
    id: TeamId,
    unit: Unit,
    area: Option<usize>,
    members: Vec<Officer>,
}

/// The teams investigations go to, and the victim care staff.
#[derive(Debug, Clone, Default)]
pub struct Workforce {
    teams: Vec<Team>,
    victim_care: Vec<UserId>,
}

impl Workforce {
    /// The workforce of a run's staff.
    pub fn of(staff: &Staff) -> Workforce {
        let mut w = Workforce::default();
        for (((id, _), (unit, area)), members) in staff
            .teams
            .iter()
            .zip(&staff.units)
            .zip(staff.members_by_team())
        {
            let members: Vec<Officer> = members
                .iter()
                .filter_map(|i| staff.members.get(*i))
                .map(|m| Officer {
                    id: m.id,
                    pip: m.pip,
                    lead: m.roles.contains(&Role::Supervisor),
                })
                .collect();
            if *unit == Unit::VictimCare {
                w.victim_care.extend(members.iter().map(|o| o.id));
            }
            w.teams.push(Team {
                id: *id,
                unit: *unit,
                area: *area,
                members,
            });
        }
        w
    }

    /// The team of `unit` in `area` (force-wide units have one team), or any of the unit.
    fn team(&self, unit: Unit, area: usize) -> Option<usize> {
        self.teams
            .iter()
            .position(|t| t.unit == unit && t.area.is_none_or(|a| a == area))
            .or_else(|| self.teams.iter().position(|t| t.unit == unit))
    }

    fn id(&self, team: usize) -> Option<TeamId> {
        self.teams.get(team).map(|t| t.id)
    }

    /// A supervisor of the team, or any member.
    fn lead(&self, team: usize, r: &mut ChaCha8Rng) -> Option<Officer> {
        let t = self.teams.get(team)?;
        let leads: Vec<&Officer> = t.members.iter().filter(|m| m.lead).collect();
        if leads.is_empty() {
            return t
                .members
                .get(r.random_range(0..t.members.len().max(1)))
                .copied();
        }
        leads.get(r.random_range(0..leads.len())).map(|o| **o)
    }

    /// An investigator of the team accredited to `needed`: a constable where there is one,
    /// else a supervisor.
    fn investigator(&self, team: usize, needed: PipLevel, r: &mut ChaCha8Rng) -> Option<Officer> {
        let t = self.teams.get(team)?;
        let able = |lead: bool| -> Vec<Officer> {
            t.members
                .iter()
                .filter(|m| m.lead == lead && m.pip.is_some_and(|p| p >= needed))
                .copied()
                .collect()
        };
        let mut list = able(false);
        if list.is_empty() {
            list = able(true);
        }
        list.get(r.random_range(0..list.len().max(1))).copied()
    }

    /// Someone of victim care (Victim First), if the force has any.
    fn carer(&self, r: &mut ChaCha8Rng) -> Option<UserId> {
        self.victim_care
            .get(r.random_range(0..self.victim_care.len().max(1)))
            .copied()
    }
}

// ---------------------------------------------------------------------------------------
// What usually happens to each kind of crime.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Domestic,
    Sexual,
    Violence,
    Robbery,
    Burglary,
    Vehicle,
    Shoplifting,
    Theft,
    Damage,
    Possession,
    Trafficking,
    Weapons,
    PublicOrder,
    Fraud,
    Other,
}

fn kind_of(code: HoOffenceCode, domestic: bool) -> Kind {
    let o = code.offence();
    match (o.group, o.subgroup.as_str()) {
        _ if domestic => Kind::Domestic,
        (OffenceGroup::SexualOffences, _) => Kind::Sexual,
        (OffenceGroup::ViolenceAgainstThePerson, _) => Kind::Violence,
        (OffenceGroup::Robbery, _) => Kind::Robbery,
        (_, "Domestic burglary" | "Non-domestic burglary") => Kind::Burglary,
        (_, "Theft of a motor vehicle" | "Theft from a vehicle" | "Vehicle interference") => {
            Kind::Vehicle
        }
        (_, "Shoplifting") => Kind::Shoplifting,
        (OffenceGroup::TheftOffences, _) => Kind::Theft,
        (OffenceGroup::CriminalDamageAndArson, _) => Kind::Damage,
        (OffenceGroup::DrugOffences, "Trafficking of drugs") => Kind::Trafficking,
        (OffenceGroup::DrugOffences, _) => Kind::Possession,
        (OffenceGroup::PossessionOfWeapons, _) => Kind::Weapons,
        (OffenceGroup::PublicOrderOffences, _) => Kind::PublicOrder,
        (OffenceGroup::FraudOffences, _) => Kind::Fraud,
        _ => Kind::Other,
    }
}

/// What usually happens to crimes of a kind: how often one without a named suspect is filed
/// at screening, how often a named suspect is arrested or charged in custody, and the
/// outcomes (by number, relatively) with and without a named suspect.
struct Pattern {
    screened: f64,
    arrest: f64,
    custody: f64,
    named: &'static [(u8, f64)],
    unnamed: &'static [(u8, f64)],
}

const NO_SUSPECT: &[(u8, f64)] = &[(18, 0.83), (14, 0.13), (20, 0.04)];
const NO_SUSPECT_PERSON: &[(u8, f64)] = &[(18, 0.55), (14, 0.42), (20, 0.03)];

fn pattern(kind: Kind) -> Pattern {
    let p = |screened, arrest, custody, named, unnamed| Pattern {
        screened,
        arrest,
        custody,
        named,
        unnamed,
    };
    match kind {
        Kind::Domestic => p(
            0.0,
            0.75,
            0.45,
            &[
                (1, 0.3),
                (16, 0.44),
                (15, 0.10),
                (3, 0.04),
                (8, 0.02),
                (10, 0.02),
                (9, 0.03),
                (13, 0.01),
                (17, 0.02),
                (20, 0.01),
                (12, 0.005),
                (22, 0.02),
                (5, 0.003),
            ],
            NO_SUSPECT_PERSON,
        ),
        Kind::Sexual => p(
            0.0,
            0.55,
            0.1,
            &[
                (1, 0.20),
                (16, 0.30),
                (15, 0.28),
                (21, 0.06),
                (9, 0.04),
                (3, 0.02),
                (2, 0.02),
                (13, 0.03),
                (20, 0.03),
                (10, 0.01),
                (12, 0.01),
            ],
            &[(18, 0.5), (14, 0.45), (20, 0.05)],
        ),
        Kind::Violence => p(
            0.15,
            0.45,
            0.35,
            &[
                (1, 0.3),
                (16, 0.30),
                (15, 0.14),
                (8, 0.08),
                (3, 0.06),
                (2, 0.03),
                (10, 0.03),
                (17, 0.02),
                (22, 0.03),
                (9, 0.02),
                (13, 0.01),
                (20, 0.01),
                (21, 0.01),
                (4, 0.005),
                (12, 0.005),
                (5, 0.002),
            ],
            NO_SUSPECT_PERSON,
        ),
        Kind::Robbery => p(
            0.05,
            0.7,
            0.3,
            &[
                (1, 0.50),
                (15, 0.20),
                (16, 0.15),
                (2, 0.05),
                (4, 0.03),
                (10, 0.02),
                (22, 0.02),
                (3, 0.03),
            ],
            NO_SUSPECT,
        ),
        Kind::Burglary | Kind::Vehicle => p(
            if kind == Kind::Burglary { 0.3 } else { 0.6 },
            0.65,
            0.25,
            &[
                (1, 0.40),
                (4, 0.10),
                (15, 0.22),
                (16, 0.10),
                (3, 0.05),
                (2, 0.04),
                (8, 0.03),
                (10, 0.03),
                (22, 0.02),
                (20, 0.01),
            ],
            NO_SUSPECT,
        ),
        Kind::Shoplifting => p(
            0.6,
            0.35,
            0.6,
            &[
                (1, 0.50),
                (3, 0.10),
                (2, 0.04),
                (6, 0.06),
                (8, 0.12),
                (15, 0.10),
                (16, 0.03),
                (4, 0.03),
                (10, 0.04),
                (22, 0.03),
            ],
            NO_SUSPECT,
        ),
        Kind::Theft => p(
            0.55,
            0.4,
            0.3,
            &[
                (1, 0.37),
                (3, 0.08),
                (2, 0.03),
                (8, 0.12),
                (15, 0.20),
                (16, 0.12),
                (4, 0.03),
                (10, 0.04),
                (22, 0.03),
                (20, 0.02),
            ],
            NO_SUSPECT,
        ),
        Kind::Damage => p(
            0.5,
            0.4,
            0.35,
            &[
                (1, 0.31),
                (8, 0.20),
                (3, 0.06),
                (2, 0.05),
                (15, 0.14),
                (16, 0.17),
                (10, 0.04),
                (22, 0.04),
                (6, 0.02),
            ],
            NO_SUSPECT,
        ),
        Kind::Possession => p(
            0.0,
            0.3,
            0.5,
            &[
                (1, 0.33),
                (7, 0.30),
                (8, 0.15),
                (3, 0.10),
                (2, 0.04),
                (10, 0.05),
                (6, 0.03),
                (22, 0.03),
            ],
            NO_SUSPECT,
        ),
        Kind::Trafficking => p(
            0.0,
            0.8,
            0.3,
            &[
                (1, 0.75),
                (15, 0.10),
                (3, 0.05),
                (10, 0.03),
                (9, 0.04),
                (20, 0.03),
            ],
            NO_SUSPECT,
        ),
        Kind::Weapons => p(
            0.0,
            0.7,
            0.5,
            &[
                (1, 0.60),
                (3, 0.10),
                (2, 0.05),
                (15, 0.10),
                (10, 0.05),
                (8, 0.05),
                (22, 0.05),
            ],
            NO_SUSPECT,
        ),
        Kind::PublicOrder => p(
            0.3,
            0.4,
            0.5,
            &[
                (1, 0.31),
                (16, 0.22),
                (15, 0.12),
                (8, 0.12),
                (6, 0.08),
                (3, 0.07),
                (2, 0.03),
                (10, 0.04),
                (22, 0.04),
            ],
            NO_SUSPECT_PERSON,
        ),
        Kind::Fraud => p(
            0.9,
            0.4,
            0.1,
            &[
                (1, 0.30),
                (15, 0.30),
                (20, 0.20),
                (16, 0.10),
                (3, 0.05),
                (10, 0.05),
            ],
            &[(19, 0.75), (18, 0.2), (20, 0.05)],
        ),
        Kind::Other => p(
            0.3,
            0.4,
            0.3,
            &[
                (1, 0.50),
                (15, 0.20),
                (20, 0.10),
                (3, 0.10),
                (10, 0.08),
                (17, 0.04),
                (9, 0.03),
            ],
            NO_SUSPECT,
        ),
    }
}

/// How long after allocation an investigation ending in outcome `o` is finalised.
fn duration(o: u8, r: &mut ChaCha8Rng) -> TimeDelta {
    let (median_days, sigma) = match o {
        1 => (40.0, 0.8),
        9 => (50.0, 0.6),
        2 | 3 | 6 | 7 | 8 | 22 => (14.0, 0.9),
        4 => (60.0, 0.5),
        14 | 16 => (16.0, 0.9),
        15 => (35.0, 0.8),
        17 => (170.0, 0.15),
        18 => (21.0, 0.8),
        _ => (30.0, 0.9),
    };
    lognormal(r, median_days * 24.0 * 60.0, sigma)
}

/// The outcomes named-suspect outcomes become when the suspect's age rules them out: a
/// youth caution for a child, an adult caution for an adult, a community resolution for a
/// child given a penalty notice or anyone found with drugs other than cannabis.
fn fit_to_suspect(o: u8, age: u8, code: HoOffenceCode) -> u8 {
    let cannabis = code
        .offence()
        .description
        .to_ascii_lowercase()
        .contains("(cannabis)");
    match o {
        2 if age >= 18 => 3,
        3 if age < 18 => 2,
        6 if age < 18 => 8,
        7 if age < 18 || !cannabis => 8,
        o => o,
    }
}

/// What an outcome not yet in the framework at its date falls back to: outcome 22
/// (diversion) to a community resolution, 21 to the police's decision that formal action
/// is not in the public interest.
fn fallback(o: u8) -> u8 {
    match o {
        22 => 8,
        21 => 10,
        _ => 18,
    }
}

// ---------------------------------------------------------------------------------------
// What officers write.

const ALLOCATED: &[&str] = &[
    "Allocated for investigation: lines of enquiry identified at first contact.",
    "Allocated at the daily management meeting: proportionate lines of enquiry remain.",
    "Allocated to the team covering the area where it happened.",
];
const ALLOCATED_SUSPECT: &str = "Suspect named: allocated for investigation and interview.";
const ALLOCATED_DOMESTIC: &str =
    "Domestic abuse: allocated to an investigator with the risk assessed at first contact.";
const ALLOCATED_SERIOUS: &str =
    "Serious offence: allocated to an investigator accredited to PIP level 2.";
const ASSIGNED: &str = "Investigator assigned from the team's allocation list.";
const REALLOCATED: &str = "Allocated to an investigator of the receiving team after handover.";

const LINES_GENERAL: &[&str] = &[
    "Trace and interview witnesses",
    "House-to-house enquiries in the street",
    "CCTV trawl of the area and the routes away",
    "Forensic examination of the scene",
    "Intelligence checks on known offenders in the area",
    "Research similar offences nearby",
];
const LINES_DOMESTIC: &[&str] = &[
    "Statement from the victim and the DASH risk assessment",
    "Body-worn video from the attending officers",
    "Previous incidents at the address",
    "Safeguarding referral for the children at the address",
    "Consider a Domestic Violence Protection Notice",
];
const LINES_SEXUAL: &[&str] = &[
    "Achieving Best Evidence interview of the victim",
    "Forensic medical examination at the sexual assault referral centre",
    "Download of the victim's and suspect's phones",
    "Trace the first person the victim told",
];
const LINES_PROPERTY: &[&str] = &[
    "Check pawnbrokers and online marketplaces for the stolen property",
    "Forensic examination for fingerprints and DNA",
    "CCTV from nearby premises",
    "ANPR checks for vehicles of interest",
];
const LINES_SHOP: &[&str] = &[
    "The store's CCTV and a statement from security staff",
    "Identify the suspect from the images",
];
const LINES_DRUGS: &[&str] = &[
    "Submit the drugs for analysis",
    "Download of the suspect's phone",
    "Financial investigation",
];
const ACTIONS: &[&str] = &[
    "Arrange to interview the suspect under caution",
    "Take a statement from the victim",
    "Submit the exhibits to the forensic provider",
    "Request the CCTV before it is overwritten",
    "Complete the file for a charging decision",
    "Take a statement from the witness",
];
const RESULTS: &[&str] = &[
    "Done: nothing of evidential value.",
    "Done: statement obtained and on the file.",
    "Done: CCTV viewed; the suspect cannot be identified from it.",
    "Done: exhibits submitted; result on the file.",
    "Done: no further witnesses found.",
    "Done: result recorded on the file.",
];
const REVIEWED: &[&str] = &[
    "Reviewed: plan proportionate, lines of enquiry progressing.",
    "Reviewed: victim updated and safeguarding in place; continue.",
    "Reviewed: awaiting forensic results; continue as planned.",
    "Reviewed: actions re-prioritised against workload.",
];
const REVIEWED_LATE: &[&str] = &[
    "Reviewed late: file not progressed since the last review.",
    "Reviewed late: workload on the team; actions re-set with dates.",
];
const DIRECTIONS: &[&str] = &[
    "Update the victim and record it on the file",
    "Chase the outstanding CCTV request",
    "Arrange the suspect's interview within 7 days",
    "Review the risk assessment with the victim",
    "Record the rationale for each line of enquiry closed",
    "Submit the file for a charging decision",
];
const CPS_REFER: &str = "File submitted to the CPS for a charging decision.";
const CPS_RETURN: &str = "The CPS returned the file: further evidence needed (action plan).";
const CPS_AGAIN: &str = "File resubmitted to the CPS with the further evidence.";
const HANDED_OVER_AREA: &str = "Handed over: the suspect lives in another area.";
const HANDED_OVER_CID: &str = "Handed over to CID: more complex than first assessed.";
const HANDED_OVER_DOMESTIC: &str =
    "Handed over to the Domestic Abuse Investigation Unit: the risk has risen.";
const RETURNED: &[&str] = &[
    "Returned: statements marked done but not on the file.",
    "Returned: CCTV marked done without a result recorded.",
    "Returned: the suspect's details are incomplete; trace the suspect first.",
    "Returned: the victim was not told of the handover.",
];
const REJECTED: &[&str] = &[
    "Rejected: the CCTV line of enquiry has not been followed up.",
    "Rejected: record the victim's position in a statement first.",
    "Rejected: further witness enquiries needed before filing.",
];
const NEEDS: &[&str] = &[
    "Would like updates by text after 5pm.",
    "Interpreter needed (Polish).",
    "Special measures to be considered: screens at court.",
    "Worried about the suspect living nearby; safety advice given.",
    "Hearing impaired: contact by text or email.",
];

fn checklist_note(item: ChecklistItem, state: ItemState) -> Option<&'static str> {
    use ChecklistItem as C;
    match (state, item) {
        (ItemState::Done, _) => None,
        (ItemState::Outstanding, C::Statements) => Some("Witness statement still to be taken"),
        (ItemState::Outstanding, C::Cctv) => Some("CCTV requested, not yet received"),
        (ItemState::Outstanding, C::ForensicSubmissions) => Some("Submission awaiting result"),
        (ItemState::Outstanding, C::HouseToHouse) => Some("Two streets still to visit"),
        (ItemState::Outstanding, C::SuspectDetails) => Some("Current address not confirmed"),
        (ItemState::Outstanding, C::VictimContact) => Some("Victim not yet told of the handover"),
        (_, C::Statements) => Some("No witnesses"),
        (_, C::Cctv) => Some("No cameras in the area"),
        (_, C::ForensicSubmissions) => Some("No forensic opportunities"),
        (_, C::HouseToHouse) => Some("Not proportionate for this offence"),
        (_, C::SuspectDetails) => Some("No suspect identified"),
        (_, C::VictimContact) => Some("No victim to contact"),
    }
}

fn development_note(what: Notifiable) -> &'static str {
    match what {
        Notifiable::Arrest => "Suspect arrested and taken into custody.",
        Notifiable::InterviewUnderCaution => "Suspect interviewed under caution.",
        Notifiable::ReleasedOnBail => "Released on pre-charge bail, not to contact the victim.",
        Notifiable::ReleasedUnderInvestigation => "Released under investigation.",
        Notifiable::ReleasedNoFurtherAction => "Released without charge: no further action.",
        Notifiable::BailChanged => "Bail conditions varied at the suspect's request.",
        Notifiable::FirstHearing => "First hearing listed at the magistrates' court.",
        _ => "Recorded on the file.",
    }
}

fn told(what: Notifiable) -> &'static str {
    match what {
        Notifiable::DecisionNotToInvestigate => {
            "Told the crime will not be investigated further unless new information comes to light, and why."
        }
        Notifiable::Arrest => "Told of the suspect's arrest.",
        Notifiable::InterviewUnderCaution => "Told the suspect has been interviewed under caution.",
        Notifiable::ReleasedNoFurtherAction => {
            "Told the suspect was released with no further action, and the reasons."
        }
        Notifiable::ReleasedOnBail => "Told of the suspect's release on bail and its conditions.",
        Notifiable::BailChanged => "Told of the change to the bail conditions.",
        Notifiable::ReleasedUnderInvestigation => {
            "Told the suspect was released under investigation."
        }
        Notifiable::Charged => "Told the suspect has been charged; witness care will be in touch.",
        Notifiable::OutOfCourtDisposal => {
            "Told of the out-of-court disposal given to the offender."
        }
        Notifiable::ClosedNoCharge => {
            "Told the investigation has been closed with nobody charged, and why."
        }
        Notifiable::FirstHearing => "Told the date, time and place of the first court hearing.",
    }
}

const UPDATE: &[&str] = &[
    "Update as agreed: enquiries are continuing.",
    "Update as agreed: awaiting forensic results.",
    "Update as agreed: nothing new to report; next update agreed.",
];
const REFERRAL_TALK: &str = "Discussed a referral to Victim First.";
const ACKNOWLEDGED: &str = "Acknowledgement sent: crime reference, officer in charge, what happens next and how updates will come.";

fn rationale(o: u8) -> &'static str {
    match o {
        1 => "Charged after interview; the evidence meets the Full Code Test.",
        2 => "Youth caution given after admission, with the youth offending team.",
        3 => "Adult caution given after a full admission; the victim was consulted.",
        4 => "Admitted and taken into consideration by the court with other offences.",
        5 => "The offender has died; no further action possible.",
        6 => "Penalty notice for disorder issued.",
        7 => "Cannabis warning given for a small amount for personal use.",
        8 => "Community resolution agreed with the victim's consent.",
        9 => "The CPS decided a prosecution is not in the public interest.",
        10 => "Formal action is not in the public interest: first, minor offence.",
        11 => "The suspect is below the age of criminal responsibility.",
        12 => "The suspect is too ill to prosecute (medical evidence on the file).",
        13 => "The victim is too ill to give evidence.",
        14 => "No suspect identified and the victim does not support further action.",
        15 => "The victim supports action but the evidence is not sufficient to charge.",
        16 => {
            "The victim does not support a prosecution; a prosecution without them is not viable."
        }
        17 => "The suspect was identified after the time limit for prosecution.",
        18 => {
            "Every proportionate line of enquiry is complete and no suspect is identified; filed pending new information."
        }
        19 => "Filed by the National Fraud Intelligence Bureau.",
        20 => "Passed to another agency, which will take any further action; the victim was told.",
        21 => "Further investigation is not in the public interest.",
        _ => "Diversionary activity undertaken; further action is not in the public interest.",
    }
}

// ---------------------------------------------------------------------------------------
// What was written.

/// Counts of what was written and the measures it gives at the end of the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvestigationSummary {
    pub investigations: u64,
    /// Investigations by state at the end, in the order of `State::ALL`.
    pub states: [u64; 5],
    /// Investigations allocated to a team at some time.
    pub allocated: u64,
    /// Finalised without being allocated: filed at screening.
    pub screened_out: u64,
    /// Approved outcomes, by number (index 0 is outcome 1).
    pub outcomes: [u64; 22],
    /// Outcomes recorded and awaiting a supervisor's approval at the end.
    pub awaiting_approval: u64,
    pub rejected_proposals: u64,
    pub steps: u64,
    pub plan_items: u64,
    pub reviews: u64,
    /// Supervision reviews due by the end.
    pub review_duties: DueCounts,
    /// Allocated investigations never reviewed although a review fell due.
    pub unreviewed: u64,
    pub handovers: u64,
    pub handovers_returned: u64,
    pub developments: u64,
    pub referrals_to_cps: u64,
    /// Victims recorded with their needs assessment; of those, enhanced; referrals.
    pub victims: u64,
    pub enhanced: u64,
    pub referred: u64,
    pub declined: u64,
    pub awaiting_consent: u64,
    pub contacts: u64,
    pub vps_offered: u64,
    pub surveys: u64,
    /// Surveyed victims satisfied with the whole experience.
    pub satisfied: u64,
    /// Victims' Code duties due by the end: acknowledgement, referral, updates on each
    /// development, and updates as agreed.
    pub acknowledgement: DueCounts,
    pub referral: DueCounts,
    pub inform: DueCounts,
    pub agreed_updates: DueCounts,
    /// Duties raised, of every kind.
    pub duties: u64,
}

/// Duties of one kind due by the end of the period, and how they stand then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub due: u64,
    pub on_time: u64,
    pub late: u64,
    /// Not met at the end.
    pub missing: u64,
}

impl DueCounts {
    /// Met on time over due.
    pub fn compliance(&self) -> f64 {
        share(self.on_time, self.due)
    }
}

fn share(n: u64, of: u64) -> f64 {
    n as f64 / of.max(1) as f64
}

impl InvestigationSummary {
    /// Finalised investigations.
    pub fn finalised(&self) -> u64 {
        self.outcomes.iter().sum()
    }

    /// Charged or summonsed (outcome 1) over the crimes recorded in the period: the Home
    /// Office method, open investigations in the denominator (reference §5.3).
    pub fn charge_rate(&self) -> f64 {
        share(self.outcomes[0], self.investigations)
    }

    /// Supervision reviews met on time over those due.
    pub fn review_compliance(&self) -> f64 {
        self.review_duties.compliance()
    }

    /// Victims' Code duties (acknowledgement, referral, updates on developments and as
    /// agreed) met on time over those due.
    pub fn victims_code_compliance(&self) -> f64 {
        let all = [
            self.acknowledgement,
            self.referral,
            self.inform,
            self.agreed_updates,
        ];
        share(
            all.iter().map(|c| c.on_time).sum(),
            all.iter().map(|c| c.due).sum(),
        )
    }

    /// Surveyed victims satisfied with the whole experience.
    pub fn satisfaction(&self) -> f64 {
        share(self.satisfied, self.surveys)
    }
}

impl fmt::Display for InvestigationSummary {
    /// One paragraph for the command line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| x * 100.0;
        write!(
            f,
            "Investigations: {} ({} allocated, {} filed at screening, {} finalised, {} still open); \
             charge/summons {:.1}% of crimes recorded; {} supervision reviews ({:.0}% on time; \
             {} investigations never reviewed), {} handovers ({} returned). Victims: {} ({} enhanced), {} contacts, Victims' Code \
             compliance {:.0}% (acknowledgement {:.0}%, referral {:.0}%, updates {:.0}%, agreed updates {:.0}%), {} surveys ({:.0}% satisfied); \
             {} duties.",
            self.investigations,
            self.allocated,
            self.screened_out,
            self.finalised(),
            self.investigations - self.finalised(),
            pct(self.charge_rate()),
            self.reviews,
            pct(self.review_compliance()),
            self.unreviewed,
            self.handovers,
            self.handovers_returned,
            self.victims,
            self.enhanced,
            self.contacts,
            pct(self.victims_code_compliance()),
            pct(self.acknowledgement.compliance()),
            pct(self.referral.compliance()),
            pct(self.inform.compliance()),
            pct(self.agreed_updates.compliance()),
            self.surveys,
            pct(self.satisfaction()),
            self.duties,
        )
    }
}

/// Every investigation and victim-care row of a run.
#[derive(Debug, Default)]
pub struct Rows {
    /// One per crime, in the order given.
    pub investigations: Vec<Investigation>,
    pub steps: Vec<(RecordId, StepRow)>,
    pub plan: Vec<(RecordId, PlanItem)>,
    pub reviews: Vec<(RecordId, Review)>,
    pub handovers: Vec<(RecordId, Handover)>,
    pub developments: Vec<(RecordId, Development)>,
    pub outcomes: Vec<(RecordId, OutcomeRow)>,
    pub victims: Vec<Victim>,
    pub contacts: Vec<(Uuid, LoggedContact)>,
    pub surveys: Vec<NewSurvey>,
    pub duties: Vec<(Uuid, Duty)>,
    pub summary: InvestigationSummary,
}

impl Rows {
    /// The rows to write, duties aside.
    pub fn count(&self) -> usize {
        self.investigations.len()
            + self.steps.len()
            + self.plan.len()
            + self.reviews.len()
            + self.handovers.len()
            + self.developments.len()
            + self.outcomes.len()
            + self.victims.len()
            + self.contacts.len()
            + self.surveys.len()
    }

    /// Puts rows naming a team in another team, for teams that existed already.
    pub fn replace_teams(&mut self, replaced: &std::collections::HashMap<TeamId, TeamId>) {
        let map = |t: &mut Option<TeamId>| {
            if let Some(new) = t.and_then(|x| replaced.get(&x)) {
                *t = Some(*new);
            }
        };
        for v in &mut self.investigations {
            map(&mut v.team);
        }
        for (_, s) in &mut self.steps {
            map(&mut s.team);
        }
        for (_, h) in &mut self.handovers {
            map(&mut h.from_team);
            if let Some(new) = replaced.get(&h.to_team) {
                h.to_team = *new;
            }
        }
        for (_, d) in &mut self.duties {
            if let Owner::Team(t) = d.owed_by
                && let Some(new) = replaced.get(&t)
            {
                d.owed_by = Owner::Team(*new);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The generator.

/// A change to the duties held, at an instant, in the order the services make them.
#[derive(Debug, Clone)]
enum Act {
    Event(Event),
    /// `duty_queue::reassign`: the open duties of these kinds pass to a new owner.
    Reassign(&'static [DutyKind], Owner),
}

/// Who holds the investigation from an instant.
#[derive(Debug, Clone, Copy)]
struct Holder {
    at: DateTime<Utc>,
    team: Option<usize>,
    investigator: Option<Officer>,
}

/// A crime's investigation as planned, before the end of the period cuts it.
struct Plan {
    holders: Vec<Holder>,
    /// Steps, in time order: when, which, by whom, why.
    steps: Vec<(DateTime<Utc>, Step, UserId, Option<String>)>,
    /// When an allocation set `allocated_at`.
    allocations: Vec<DateTime<Utc>>,
    /// Risk from an instant (allocation, reviews).
    risks: Vec<(DateTime<Utc>, Level)>,
    complex: Vec<(DateTime<Utc>, bool)>,
    /// When the outcome was approved (the investigation finalised), if it was.
    finalised: Option<(DateTime<Utc>, Outcome)>,
    /// Developments and the finalisation the victims must be told of.
    notifiable: Vec<(DateTime<Utc>, Notifiable)>,
    acts: Vec<(DateTime<Utc>, Act)>,
    /// The first investigative action: plan items are completed after it.
    plan_at: Option<DateTime<Utc>>,
    /// Items may be completed until then (the CPS referral or the first outcome).
    work_end: DateTime<Utc>,
    /// How well its officers keep to the Victims' Code: chance on time, chance late.
    care: (f64, f64),
    screened: bool,
}

impl Plan {
    fn holder(&self, at: DateTime<Utc>) -> Holder {
        self.holders
            .iter()
            .rfind(|h| h.at <= at)
            .or(self.holders.first())
            .copied()
            .unwrap_or(Holder {
                at,
                team: None,
                investigator: None,
            })
    }

    fn risk(&self, at: DateTime<Utc>) -> Level {
        self.risks
            .iter()
            .rfind(|(t, _)| *t <= at)
            .map_or(Level::Low, |(_, l)| *l)
    }
}

/// The settings and state of one run's investigations.
struct Generator<'a> {
    seed: u64,
    end: DateTime<Utc>,
    config: &'a Config,
    force: &'a Workforce,
    rows: Rows,
}

/// Between two instants, at a fraction of the way.
fn part(from: DateTime<Utc>, to: DateTime<Utc>, fraction: f64) -> DateTime<Utc> {
    from + TimeDelta::seconds(((to - from).num_seconds() as f64 * fraction).round() as i64)
}

fn days(r: &mut ChaCha8Rng, median: f64, sigma: f64) -> TimeDelta {
    lognormal(r, median * 24.0 * 60.0, sigma)
}

fn hours(r: &mut ChaCha8Rng, median: f64, sigma: f64) -> TimeDelta {
    lognormal(r, median * 60.0, sigma)
}

fn invalid(what: &str, e: impl fmt::Display) -> SynthError {
    SynthError::Invalid(format!("{what}: {e}"))
}

/// Who is owed a victim's updates: the investigator, else the team, else victim care (as
/// `bluelamp_app` decides it).
fn victim_owner(force: &Workforce, h: &Holder) -> Owner {
    match (h.investigator, h.team.and_then(|t| force.id(t))) {
        (Some(o), _) => Owner::User(o.id),
        (None, Some(t)) => Owner::Team(t),
        (None, None) => Owner::Role(Role::VictimCare),
    }
}

const INFORM: &[DutyKind] = &[DutyKind::InformVictim, DutyKind::AgreedUpdate];
const REVIEW: &[DutyKind] = &[DutyKind::ReviewInvestigation];
const REVIEW_AND_INFORM: &[DutyKind] = &[
    DutyKind::ReviewInvestigation,
    DutyKind::InformVictim,
    DutyKind::AgreedUpdate,
];

impl Generator<'_> {
    fn happened(&self, at: DateTime<Utc>) -> bool {
        at < self.end
    }

    /// Picks the outcome a crime ends with, fitted to its suspect and to the framework in
    /// force at `at`.
    fn outcome(
        &self,
        c: &Case,
        table: &[(u8, f64)],
        at: DateTime<Utc>,
        r: &mut ChaCha8Rng,
    ) -> Outcome {
        let mut n = pick_weighted(r, table).unwrap_or(18);
        if let Some(s) = c.suspects.first() {
            n = fit_to_suspect(n, s.age, c.code);
        }
        let framework = self.config.outcomes.framework.at_instant(at);
        let mut o = Outcome::new(n).unwrap_or(Outcome::CHARGED);
        for _ in 0..3 {
            if framework.contains(&o) {
                break;
            }
            o = Outcome::new(fallback(o.number())).unwrap_or(Outcome::CHARGED);
        }
        o
    }

    /// Generates one crime's investigation and victims.
    fn case(&mut self, index: usize, c: &Case, ids: &mut Ids) -> Result<(), SynthError> {
        let mut rr = rng(self.seed, Stream::Investigation, index as u64);
        let r = &mut rr;
        let end = self.end;
        let force = self.force;
        let kind = kind_of(c.code, c.domestic);
        let pat = pattern(kind);
        let seriousness = proposed_seriousness(c.code);
        let named = c.suspects.first().copied();
        let t0 = c.recorded_at;
        // How well its officers keep the Victims' Code: many well, some patchily, some
        // barely (the inspection found the Code not complied with).
        let care = match r.random::<f64>() {
            x if x < 0.5 => (0.8, 0.12),
            x if x < 0.8 => (0.5, 0.3),
            _ => (0.2, 0.4),
        };
        let mut plan = Plan {
            holders: vec![Holder {
                at: t0,
                team: None,
                investigator: None,
            }],
            steps: Vec::new(),
            allocations: Vec::new(),
            risks: Vec::new(),
            complex: Vec::new(),
            finalised: None,
            notifiable: Vec::new(),
            acts: Vec::new(),
            plan_at: None,
            work_end: t0,
            care,
            screened: false,
        };
        let mut items: Vec<PlanItem> = Vec::new();
        let mut outcome_rows: Vec<OutcomeRow> = Vec::new();
        let mut developments: Vec<Development> = Vec::new();
        let mut reviews: Vec<Review> = Vec::new();
        let mut handover: Option<Handover> = None;

        let screen = if named.is_some() {
            !matches!(kind, Kind::Domestic | Kind::Sexual) && chance(r, 0.03)
        } else {
            chance(r, pat.screened)
        };
        let area_response = force.team(Unit::Response, c.area);
        if screen {
            // Filed at screening by the crime management supervisor: never allocated.
            let at = t0 + hours(r, 26.0, 0.9);
            let table: &[(u8, f64)] = if named.is_some() {
                &[(16, 0.6), (20, 0.25), (10, 0.1), (21, 0.05)]
            } else {
                pat.unnamed
            };
            let o = self.outcome(c, table, at, r);
            let by = area_response.and_then(|t| force.lead(t, r));
            if let Some(by) = by {
                plan.screened = true;
                plan.work_end = at;
                self.record_outcome(c, &mut plan, &mut outcome_rows, o, at, by, None, 0, r)?;
            }
        } else {
            self.investigate(
                c,
                kind,
                &pat,
                seriousness,
                &mut plan,
                &mut items,
                &mut outcome_rows,
                &mut developments,
                &mut reviews,
                &mut handover,
                ids,
                r,
            )?;
        }

        // The investigation as it stands at the end, and its history.
        let mut steps: Vec<(DateTime<Utc>, Step, UserId, Option<String>)> =
            plan.steps.iter().filter(|s| s.0 < end).cloned().collect();
        steps.sort_by_key(|s| s.0);
        let mut state = State::Recorded;
        let mut updated = t0;
        for (at, step, by, note) in steps {
            state = state.after(step).map_err(|e| invalid("investigation", e))?;
            let h = plan.holder(at);
            self.rows.summary.steps += 1;
            self.rows.summary.referrals_to_cps += u64::from(step == Step::ReferToCps);
            updated = updated.max(at);
            self.rows.steps.push((
                c.id,
                StepRow {
                    id: ids.next(at),
                    step,
                    state_after: state,
                    at,
                    user: by,
                    team: h.team.and_then(|t| force.id(t)),
                    investigator: h.investigator.map(|o| o.id),
                    note,
                },
            ));
        }
        let last = plan.holder(end - TimeDelta::seconds(1));
        let finalised = plan.finalised.filter(|(at, _)| *at < end);
        for rv in reviews.iter().filter(|x| x.at < end) {
            updated = updated.max(rv.at);
        }
        self.rows.investigations.push(Investigation {
            crime: c.id,
            state,
            seriousness,
            complex: plan
                .complex
                .iter()
                .rfind(|(t, _)| *t < end)
                .is_some_and(|(_, x)| *x),
            risk: plan.risk(end - TimeDelta::seconds(1)),
            team: last.team.and_then(|t| force.id(t)),
            investigator: last.investigator.map(|o| o.id),
            allocated_at: plan.allocations.iter().rfind(|t| **t < end).copied(),
            finalised_at: finalised.map(|(at, _)| at),
            outcome: finalised.map(|(_, o)| o),
            updated_at: updated,
        });
        let s = &mut self.rows.summary;
        s.investigations += 1;
        if let Some(i) = State::ALL.iter().position(|x| *x == state) {
            s.states[i] += 1;
        }
        s.allocated += u64::from(plan.allocations.iter().any(|t| *t < end));
        if let Some((_, o)) = finalised {
            if let Some(slot) = s.outcomes.get_mut(usize::from(o.number()) - 1) {
                *slot += 1;
            }
            s.screened_out += u64::from(plan.screened);
        }

        // Rows, each as it stood at the end, with their ids (drawn only for rows kept;
        // the reviews and the handover have theirs, which other rows refer to).
        for mut p in items.into_iter().filter(|p| p.created_at < end) {
            if p.done_at.is_some_and(|d| d >= end) {
                p.done_at = None;
                p.done_by = None;
                p.result = None;
            }
            p.id = ids.next(p.created_at);
            self.rows.summary.plan_items += 1;
            self.rows.plan.push((c.id, p));
        }
        let mut reviewed = false;
        for rv in reviews.into_iter().filter(|x| x.at < end) {
            reviewed = true;
            self.rows.summary.reviews += 1;
            self.rows.reviews.push((c.id, rv));
        }
        if let Some(mut h) = handover.filter(|h| h.at < end) {
            if h.decision.as_ref().is_some_and(|d| d.at >= end) {
                h.decision = None;
            }
            self.rows.summary.handovers += 1;
            self.rows.summary.handovers_returned += u64::from(
                h.decision
                    .as_ref()
                    .is_some_and(|d| d.decision == HandoverDecision::Returned),
            );
            self.rows.handovers.push((c.id, h));
        }
        for mut d in developments.into_iter().filter(|d| d.at < end) {
            d.id = ids.next(d.at);
            self.rows.summary.developments += 1;
            self.rows.developments.push((c.id, d));
        }
        for mut o in outcome_rows.into_iter().filter(|o| o.at < end) {
            if o.decided_at.is_some_and(|d| d >= end) {
                o.status = OutcomeStatus::Proposed;
                o.decided_at = None;
                o.decided_by = None;
                o.decision_reason = None;
            }
            match o.status {
                OutcomeStatus::Proposed => self.rows.summary.awaiting_approval += 1,
                OutcomeStatus::Rejected => self.rows.summary.rejected_proposals += 1,
                OutcomeStatus::Approved => {}
            }
            o.id = ids.next(o.at);
            self.rows.outcomes.push((c.id, o));
        }

        // Victims, then the duties over everything that happened.
        let mut vr = rng(self.seed, Stream::VictimCare, index as u64);
        let victims = self.victims(c, &mut plan, ids, &mut vr)?;
        plan.acts.retain(|(at, _)| *at < end);
        plan.acts.sort_by_key(|(at, _)| *at);
        let mut duties: Vec<Duty> = Vec::new();
        for (_, act) in plan.acts {
            match act {
                Act::Event(e) => duty::apply(
                    &mut duties,
                    duty::react(&e, &self.config.duty_rules, &self.config.calendar),
                ),
                Act::Reassign(kinds, to) => {
                    for d in duties.iter_mut().filter(|d| {
                        kinds.contains(&d.kind) && d.met_at.is_none() && !d.is_escalation()
                    }) {
                        d.owed_by = to;
                    }
                }
            }
        }
        let mut kept = vec![(0u64, 0u64); victims.len()];
        let mut review_fell_due = false;
        for d in duties {
            // A review fell due while the investigation was open.
            review_fell_due |= d.rule == RuleId::SupervisionSchedule
                && d.due <= end
                && d.met_at.is_none_or(|m| m > d.due);
            let status = d.status(end);
            let s = &mut self.rows.summary;
            s.duties += 1;
            // Due by the end, as the compliance measure counts them.
            let due = d.due <= end;
            let counts = match d.rule {
                RuleId::SupervisionSchedule => Some(&mut s.review_duties),
                RuleId::VictimAcknowledgement => Some(&mut s.acknowledgement),
                RuleId::VictimReferral => Some(&mut s.referral),
                RuleId::VictimUpdate => Some(&mut s.inform),
                RuleId::ContactAgreement => Some(&mut s.agreed_updates),
                _ => None,
            };
            if due && let Some(n) = counts {
                n.due += 1;
                match status {
                    Status::Met { on_time: true } => n.on_time += 1,
                    Status::Met { on_time: false } => n.late += 1,
                    _ => n.missing += 1,
                }
            }
            if d.kind == DutyKind::InformVictim
                && due
                && let Some(i) = victims.iter().position(|v| Some(v.person) == d.owed_to)
                && let Some(k) = kept.get_mut(i)
            {
                k.1 += 1;
                k.0 += u64::from(matches!(status, Status::Met { on_time: true }));
            }
            self.rows.duties.push((ids.next(d.raised_at), d));
        }

        self.rows.summary.unreviewed += u64::from(review_fell_due && !reviewed);

        // A sample of victims of finalised crimes answer the satisfaction survey.
        if let Some((at, o)) = finalised {
            for (v, (on_time, due)) in victims.iter().zip(kept) {
                if !chance(&mut vr, 0.15) {
                    continue;
                }
                let when = at + days(&mut vr, 45.0, 0.35);
                let Some(by) = force.carer(&mut vr).or(c.recorded_by) else {
                    continue;
                };
                if !self.happened(when) {
                    continue;
                }
                let informed = if due == 0 { 1.0 } else { share(on_time, due) };
                let bonus = match o.number() {
                    1 => 0.06,
                    2 | 3 | 6 | 7 | 8 | 22 => 0.03,
                    _ if plan.screened => -0.1,
                    _ => 0.0,
                };
                let survey = Survey {
                    at: when,
                    overall: satisfaction(&mut vr, 0.7 + 0.16 * informed + bonus),
                    kept_informed: satisfaction(&mut vr, 0.45 + 0.35 * informed),
                    treatment: satisfaction(&mut vr, 0.9),
                };
                let s = &mut self.rows.summary;
                s.surveys += 1;
                s.satisfied += u64::from(survey.overall.is_satisfied());
                self.rows.surveys.push(NewSurvey {
                    id: ids.next(when),
                    victim: v.id,
                    survey,
                    recorded_by: by,
                });
            }
        }
        self.rows.victims.extend(victims);
        Ok(())
    }

    /// Allocation, the plan, reviews, a handover, developments, the CPS and the outcome of a
    /// crime that is investigated.
    #[allow(clippy::too_many_arguments)]
    fn investigate(
        &mut self,
        c: &Case,
        kind: Kind,
        pat: &Pattern,
        seriousness: Seriousness,
        plan: &mut Plan,
        items: &mut Vec<PlanItem>,
        outcome_rows: &mut Vec<OutcomeRow>,
        developments: &mut Vec<Development>,
        reviews: &mut Vec<Review>,
        handover: &mut Option<Handover>,
        ids: &mut Ids,
        r: &mut ChaCha8Rng,
    ) -> Result<(), SynthError> {
        let force = self.force;
        let t0 = c.recorded_at;
        let named = c.suspects.first().copied();
        let urgent = kind == Kind::Domestic || seriousness == Seriousness::Serious;

        // Risk, complexity and the team.
        let assessed = match (kind, seriousness) {
            (Kind::Domestic, _) => pick_weighted(
                r,
                &[
                    (Level::High, 0.2),
                    (Level::Medium, 0.55),
                    (Level::Low, 0.25),
                ],
            ),
            (_, Seriousness::Serious) => pick_weighted(
                r,
                &[
                    (Level::High, 0.15),
                    (Level::Medium, 0.7),
                    (Level::Low, 0.15),
                ],
            ),
            _ => pick_weighted(
                r,
                &[
                    (Level::High, 0.03),
                    (Level::Medium, 0.17),
                    (Level::Low, 0.8),
                ],
            ),
        }
        .unwrap_or(Level::Low);
        let risk = supervision_risk(assessed, seriousness);
        let complex = seriousness == Seriousness::Standard && chance(r, 0.04);
        let needed = required_pip(seriousness, complex);
        let unit = if kind == Kind::Domestic && (risk == Level::High || !chance(r, 0.65)) {
            Unit::DomesticAbuse
        } else if seriousness == Seriousness::Serious || complex || kind == Kind::Fraud {
            Unit::Cid
        } else if matches!(
            kind,
            Kind::Damage | Kind::PublicOrder | Kind::Theft | Kind::Shoplifting
        ) && chance(r, 0.25)
        {
            Unit::Neighbourhood
        } else {
            Unit::Response
        };
        let Some(team) = force
            .team(unit, c.area)
            .or_else(|| force.team(Unit::Response, c.area))
        else {
            return Ok(());
        };
        let mut investigator = force.investigator(team, needed, r);
        let (Some(team_id), Some(allocator)) = (force.id(team), force.lead(team, r)) else {
            return Ok(());
        };

        // The outcome it will end with, and when.
        let table = if named.is_some() {
            pat.named
        } else {
            pat.unnamed
        };
        // Drawn against the framework at recording: later dates only add outcomes.
        let o = self.outcome(c, table, t0, r);
        let custody = o == Outcome::CHARGED && named.is_some() && chance(r, pat.custody);
        let mut arrest_at = None;
        let (t_alloc, t_plan, t_record) = if custody {
            // Arrested at the scene, interviewed and charged in custody.
            let arrested = t0 + hours(r, 1.0, 0.7);
            let interviewed = arrested + hours(r, 5.0, 0.4);
            let charged = interviewed + hours(r, 3.0, 0.5);
            arrest_at = Some((arrested, interviewed));
            let a = part(t0, interviewed, r.random_range(0.1..0.6));
            (a, part(a, charged, r.random_range(0.1..0.5)), charged)
        } else {
            let delay = if urgent {
                hours(r, 3.0, 1.0)
            } else {
                hours(r, 20.0, 1.1)
            };
            let a = t0 + delay.max(TimeDelta::minutes(10));
            let p = a + hours(r, 8.0, 1.0).max(TimeDelta::minutes(20));
            let rec = (a + duration(o.number(), r)).max(p + TimeDelta::hours(2));
            (a, p, rec)
        };

        // Allocation: by the team's supervisor, to an accredited investigator or, now and
        // then, to the team until an investigator is free.
        let team_only = investigator.is_some() && chance(r, 0.05);
        let mut assigned = None;
        if team_only {
            assigned = investigator.map(|i| (t_alloc + hours(r, 30.0, 0.8), i));
            investigator = None;
        }
        let note = if seriousness == Seriousness::Serious {
            ALLOCATED_SERIOUS
        } else if kind == Kind::Domestic {
            ALLOCATED_DOMESTIC
        } else if named.is_some() {
            ALLOCATED_SUSPECT
        } else {
            one(r, ALLOCATED)
        };
        plan.holders.push(Holder {
            at: t_alloc,
            team: Some(team),
            investigator,
        });
        plan.steps.push((
            t_alloc,
            Step::Allocate,
            allocator.id,
            Some(note.to_string()),
        ));
        plan.allocations.push(t_alloc);
        plan.risks.push((t_alloc, risk));
        plan.complex.push((t_alloc, complex));
        plan.acts.push((
            t_alloc,
            Act::Event(Event::SupervisionStarted {
                crime: c.id,
                at: t_alloc,
                risk,
                team: team_id,
            }),
        ));
        plan.acts.push((
            t_alloc,
            Act::Reassign(INFORM, victim_owner(force, &plan.holder(t_alloc))),
        ));
        let mut t_plan = t_plan;
        if let Some((at, who)) = assigned {
            let at = at.min(t_record - TimeDelta::hours(1)).max(t_alloc);
            plan.holders.push(Holder {
                at,
                team: Some(team),
                investigator: Some(who),
            });
            plan.steps
                .push((at, Step::Allocate, allocator.id, Some(ASSIGNED.to_string())));
            plan.allocations.push(at);
            plan.acts
                .push((at, Act::Reassign(REVIEW, Owner::Team(team_id))));
            plan.acts
                .push((at, Act::Reassign(INFORM, Owner::User(who.id))));
            t_plan = t_plan.max(at + TimeDelta::minutes(30));
        }
        let t_record = t_record.max(t_plan + TimeDelta::hours(1));

        // The CPS: most charges of domestic abuse, sexual and serious offences, and some
        // others, go to the CPS for the charging decision.
        let mut cps: Vec<(DateTime<Utc>, Step, &'static str)> = Vec::new();
        if o.number() == 9 || (o == Outcome::CHARGED && chance(r, if urgent { 0.9 } else { 0.45 }))
        {
            if custody {
                let at = (t_record - hours(r, 1.5, 0.5)).max(t_plan + TimeDelta::minutes(5));
                cps.push((at, Step::ReferToCps, CPS_REFER));
            } else {
                let back = days(r, 12.0, 0.6).min((t_record - t_plan) * 3 / 5);
                let at = t_record - back;
                cps.push((at, Step::ReferToCps, CPS_REFER));
                if chance(r, 0.12) {
                    cps.push((part(at, t_record, 0.35), Step::ReturnFromCps, CPS_RETURN));
                    cps.push((part(at, t_record, 0.7), Step::ReferToCps, CPS_AGAIN));
                }
            }
        }
        let work_end = cps.first().map_or(t_record, |(at, _, _)| *at);
        plan.work_end = work_end;
        plan.plan_at = Some(t_plan);

        // A handover now and then, while the work goes on.
        if !custody && work_end - t_plan > TimeDelta::days(7) && chance(r, 0.05) {
            let (to, note, now_complex) = if kind == Kind::Domestic && unit != Unit::DomesticAbuse {
                (
                    force.team(Unit::DomesticAbuse, c.area),
                    HANDED_OVER_DOMESTIC,
                    complex,
                )
            } else if matches!(unit, Unit::Response | Unit::Neighbourhood) && chance(r, 0.5) {
                (force.team(Unit::Cid, c.area), HANDED_OVER_CID, true)
            } else {
                let others: Vec<usize> = (0..force.teams.len())
                    .filter(|i| *i != team)
                    .filter(|i| {
                        force
                            .teams
                            .get(*i)
                            .is_some_and(|t| t.unit == Unit::Response)
                    })
                    .collect();
                (
                    others.get(r.random_range(0..others.len().max(1))).copied(),
                    HANDED_OVER_AREA,
                    complex,
                )
            };
            let at = part(t_plan, work_end, r.random_range(0.15..0.4));
            if let (Some(to), Some(by)) = (to.filter(|t| *t != team), plan.holder(at).investigator)
            {
                let handover_id = ids.next(at);
                let decided = (at + hours(r, 20.0, 0.8)).min(part(t_plan, work_end, 0.55));
                let decider = force.lead(to, r);
                let returned = chance(r, 0.15);
                let checklist: Vec<ChecklistAnswer> = ChecklistItem::ALL
                    .iter()
                    .map(|item| {
                        let state = match item {
                            ChecklistItem::SuspectDetails if named.is_none() => {
                                ItemState::NotApplicable
                            }
                            ChecklistItem::VictimContact if c.victims.is_empty() => {
                                ItemState::NotApplicable
                            }
                            ChecklistItem::VictimContact | ChecklistItem::Statements => {
                                if chance(r, 0.8) {
                                    ItemState::Done
                                } else {
                                    ItemState::Outstanding
                                }
                            }
                            _ => pick_weighted(
                                r,
                                &[
                                    (ItemState::Done, 0.55),
                                    (ItemState::Outstanding, 0.25),
                                    (ItemState::NotApplicable, 0.2),
                                ],
                            )
                            .unwrap_or(ItemState::Done),
                        };
                        ChecklistAnswer {
                            item: *item,
                            state,
                            note: checklist_note(*item, state).map(str::to_string),
                        }
                    })
                    .collect();
                let decision = decider.map(|d| HandoverDecided {
                    decision: if returned {
                        HandoverDecision::Returned
                    } else {
                        HandoverDecision::Accepted
                    },
                    at: decided,
                    by: d.id,
                    reasons: returned.then(|| one(r, RETURNED).to_string()),
                });
                if let Some(d) = decision.as_ref().filter(|_| !returned) {
                    let to_id = force.id(to).unwrap_or(team_id);
                    plan.holders.push(Holder {
                        at: decided,
                        team: Some(to),
                        investigator: None,
                    });
                    plan.steps
                        .push((decided, Step::Allocate, d.by, Some(note.to_string())));
                    plan.acts.push((
                        decided,
                        Act::Reassign(REVIEW_AND_INFORM, Owner::Team(to_id)),
                    ));
                    for a in checklist
                        .iter()
                        .filter(|a| a.state == ItemState::Outstanding)
                    {
                        items.push(PlanItem {
                            id: Uuid::nil(),
                            kind: PlanItemKind::Action,
                            text: format!(
                                "{} (outstanding at handover): {}",
                                a.item.label(),
                                a.note.as_deref().unwrap_or_default()
                            ),
                            source: PlanSource::Handover,
                            source_id: Some(handover_id),
                            assigned_to: None,
                            due_on: None,
                            created_at: decided,
                            created_by: d.by,
                            done_at: None,
                            done_by: None,
                            result: None,
                        });
                    }
                    // The receiving team's supervisor then allocates an investigator.
                    let needed = required_pip(seriousness, now_complex);
                    let next = force.investigator(to, needed, r);
                    let at = (decided + hours(r, 20.0, 0.8)).min(part(t_plan, work_end, 0.7));
                    if let Some(lead) = force.lead(to, r) {
                        plan.holders.push(Holder {
                            at,
                            team: Some(to),
                            investigator: next,
                        });
                        plan.steps.push((
                            at,
                            Step::Allocate,
                            lead.id,
                            Some(REALLOCATED.to_string()),
                        ));
                        plan.allocations.push(at);
                        plan.complex.push((at, now_complex));
                        plan.acts
                            .push((at, Act::Reassign(REVIEW, Owner::Team(to_id))));
                        let owner = victim_owner(force, &plan.holder(at));
                        plan.acts.push((at, Act::Reassign(INFORM, owner)));
                    }
                }
                let to_team = force.id(to).unwrap_or(team_id);
                plan.acts.push((
                    at,
                    Act::Event(Event::HandoverProposed {
                        crime: c.id,
                        at,
                        to_team,
                    }),
                ));
                if let Some(d) = &decision {
                    plan.acts.push((
                        d.at,
                        Act::Event(Event::HandoverDecided {
                            crime: c.id,
                            at: d.at,
                        }),
                    ));
                }
                *handover = Some(Handover {
                    id: handover_id,
                    from_team: force.id(team),
                    to_team,
                    at,
                    by: by.id,
                    note: Some(note.to_string()),
                    checklist,
                    decision,
                });
            }
        }

        // The plan: lines of enquiry and actions, written when work begins.
        let worker = |p: &Plan, at: DateTime<Utc>| p.holder(at).investigator.map(|o| o.id);
        let planner = worker(plan, t_plan).unwrap_or(allocator.id);
        plan.steps.push((t_plan, Step::Investigate, planner, None));
        let lines: &[&str] = match kind {
            Kind::Domestic => LINES_DOMESTIC,
            Kind::Sexual => LINES_SEXUAL,
            Kind::Burglary | Kind::Vehicle | Kind::Theft | Kind::Damage | Kind::Robbery => {
                LINES_PROPERTY
            }
            Kind::Shoplifting => LINES_SHOP,
            Kind::Possession | Kind::Trafficking | Kind::Weapons => LINES_DRUGS,
            _ => LINES_GENERAL,
        };
        let mut chosen: Vec<(PlanItemKind, &str)> = Vec::new();
        for _ in 0..r.random_range(1..=3usize) {
            let text = one(r, lines);
            if !chosen.iter().any(|(_, t)| *t == text) {
                chosen.push((PlanItemKind::LineOfEnquiry, text));
            }
        }
        for _ in 0..r.random_range(0..=2usize) {
            let text = one(r, ACTIONS);
            if !chosen.iter().any(|(_, t)| *t == text) {
                chosen.push((PlanItemKind::Action, text));
            }
        }
        for (k, text) in chosen {
            let due_on = chance(r, 0.4)
                .then(|| london_date(t_plan + TimeDelta::days(r.random_range(7..=28))));
            items.push(PlanItem {
                id: Uuid::nil(),
                kind: k,
                text: text.to_string(),
                source: PlanSource::Plan,
                source_id: None,
                assigned_to: chance(r, 0.3).then_some(planner),
                due_on,
                created_at: t_plan,
                created_by: planner,
                done_at: None,
                done_by: None,
                result: None,
            });
        }

        // Developments the victims must be told of.
        let dev = |at: DateTime<Utc>, what: Notifiable, p: &Plan, r: &mut ChaCha8Rng| {
            let by = worker(p, at).or(c.recorded_by).unwrap_or(allocator.id);
            Development {
                id: Uuid::nil(),
                what,
                at,
                by,
                note: chance(r, 0.7).then(|| development_note(what).to_string()),
            }
        };
        let no_charge = matches!(o.number(), 9 | 10 | 12 | 13 | 15 | 16 | 17 | 21);
        if let Some((arrested, interviewed)) = arrest_at {
            developments.push(dev(arrested, Notifiable::Arrest, plan, r));
            developments.push(dev(interviewed, Notifiable::InterviewUnderCaution, plan, r));
        } else if named.is_some() {
            let window = work_end - t_plan;
            if chance(r, pat.arrest) {
                let arrested = part(t_plan, work_end, r.random_range(0.05..0.4));
                let interviewed =
                    (arrested + hours(r, 5.0, 0.4)).min(part(arrested, work_end, 0.3));
                developments.push(dev(arrested, Notifiable::Arrest, plan, r));
                developments.push(dev(interviewed, Notifiable::InterviewUnderCaution, plan, r));
                let released = interviewed + TimeDelta::minutes(r.random_range(20..180));
                if released < work_end {
                    if no_charge && chance(r, 0.5) {
                        developments.push(dev(
                            released,
                            Notifiable::ReleasedNoFurtherAction,
                            plan,
                            r,
                        ));
                    } else if chance(r, 0.4) {
                        developments.push(dev(released, Notifiable::ReleasedOnBail, plan, r));
                        if chance(r, 0.15) {
                            let at = part(released, work_end, r.random_range(0.2..0.8));
                            developments.push(dev(at, Notifiable::BailChanged, plan, r));
                        }
                    } else {
                        developments.push(dev(
                            released,
                            Notifiable::ReleasedUnderInvestigation,
                            plan,
                            r,
                        ));
                    }
                }
            } else if chance(r, 0.5) && window > TimeDelta::hours(2) {
                let at = part(t_plan, work_end, r.random_range(0.1..0.6));
                developments.push(dev(at, Notifiable::InterviewUnderCaution, plan, r));
            }
        }
        for (at, step, note) in &cps {
            let by = worker(plan, *at).unwrap_or(allocator.id);
            plan.steps.push((*at, *step, by, Some((*note).to_string())));
        }
        plan.notifiable
            .extend(developments.iter().map(|d| (d.at, d.what)));

        // Supervision reviews on the schedule, kept well by most supervisors, patchily by
        // some, and not at all for a few investigations.
        let (p_on_time, p_stop) = match r.random::<f64>() {
            x if x < 0.48 => (0.87, 0.01),
            x if x < 0.84 => (0.4, 0.1),
            _ => (0.0, 1.0),
        };
        let schedule = &self.config.duty_rules.review_schedule;
        let cal = &self.config.calendar;

        // The outcome: recorded by the investigator, approved by a supervisor where policy
        // asks for it.
        let recorder = plan.holder(t_record).investigator.unwrap_or(allocator);
        // Items are done while work goes on: all of them before outcome 18 is recorded.
        let complete_all = o.number() == 18;
        for p in items.iter_mut() {
            let from = p.created_at.max(t_plan);
            if from >= work_end || !(complete_all || chance(r, 0.85)) {
                continue;
            }
            let at = part(from, work_end, r.random_range(0.05..0.95));
            p.done_at = Some(at);
            p.done_by = worker(plan, at).or(Some(p.created_by));
            p.result = Some(one(r, RESULTS).to_string());
        }
        let mut last = t_alloc;
        let mut first_review = true;
        let mut current_risk = risk;
        let stop_reviews = t_record + TimeDelta::days(40);
        loop {
            if p_stop >= 1.0 || (!first_review && chance(r, p_stop)) {
                break;
            }
            let due = schedule
                .at_instant(last)
                .next(current_risk, first_review)
                .due(last, cal);
            let on_time = chance(r, p_on_time);
            let at = if on_time {
                part(last, due, r.random_range(0.6..0.98))
            } else {
                due + days(r, 5.0, 0.9)
            };
            if at >= stop_reviews || at >= self.end {
                break;
            }
            let h = plan.holder(at);
            let (Some(t), Some(sup)) = (h.team, h.team.and_then(|t| force.lead(t, r))) else {
                break;
            };
            let before = current_risk;
            let x: f64 = r.random();
            let assessed = if x < 0.06 {
                match before {
                    Level::High => Level::Medium,
                    _ => Level::Low,
                }
            } else if x < 0.09 {
                match before {
                    Level::Low => Level::Medium,
                    _ => Level::High,
                }
            } else {
                before
            };
            current_risk = supervision_risk(assessed, seriousness);
            let id = ids.next(at);
            reviews.push(Review {
                id,
                at,
                supervisor: sup.id,
                risk: current_risk,
                note: one(r, if on_time { REVIEWED } else { REVIEWED_LATE }).to_string(),
            });
            plan.risks.push((at, current_risk));
            if at < work_end && !complete_all && chance(r, 0.3) {
                for _ in 0..r.random_range(1..=2usize) {
                    let from = at.max(t_plan);
                    let done = from < work_end && chance(r, 0.75);
                    let done_at = done.then(|| part(from, work_end, r.random_range(0.1..0.9)));
                    items.push(PlanItem {
                        id: Uuid::nil(),
                        kind: PlanItemKind::Action,
                        text: one(r, DIRECTIONS).to_string(),
                        source: PlanSource::Review,
                        source_id: Some(id),
                        assigned_to: h.investigator.map(|o| o.id),
                        due_on: Some(london_date(at + TimeDelta::days(7))),
                        created_at: at,
                        created_by: sup.id,
                        done_at,
                        done_by: done_at
                            .and_then(|d| worker(plan, d))
                            .or(done.then_some(sup.id)),
                        result: done.then(|| one(r, RESULTS).to_string()),
                    });
                }
            }
            plan.acts.push((
                at,
                Act::Event(Event::InvestigationReviewed {
                    crime: c.id,
                    at,
                    risk: current_risk,
                    team: force.id(t).unwrap_or(team_id),
                }),
            ));
            last = at;
            first_review = false;
        }
        self.record_outcome(
            c,
            plan,
            outcome_rows,
            o,
            t_record,
            recorder,
            Some(items),
            1,
            r,
        )?;
        // Reviews after the finalisation did not happen.
        if let Some((at, _)) = plan.finalised {
            reviews.retain(|x| x.at < at);
            plan.acts.retain(|(t, a)| {
                !(matches!(a, Act::Event(Event::InvestigationReviewed { .. })) && *t >= at)
            });
            plan.risks.retain(|(t, _)| *t <= at);
            items.retain(|p| p.created_at < at);
        }
        // First hearings follow a charge.
        if let Some((at, o)) = plan.finalised
            && o == Outcome::CHARGED
            && chance(r, 0.7)
        {
            let hearing = at + days(r, 10.0, 0.5);
            developments.push(dev(hearing, Notifiable::FirstHearing, plan, r));
            plan.notifiable.push((hearing, Notifiable::FirstHearing));
        }
        Ok(())
    }

    /// Records an outcome: checked against the framework and its rule, proposed and decided
    /// where policy asks for approval (rejected now and then, then proposed again), and
    /// the finalisation with its duties.
    #[allow(clippy::too_many_arguments)]
    fn record_outcome(
        &mut self,
        c: &Case,
        plan: &mut Plan,
        rows: &mut Vec<OutcomeRow>,
        o: Outcome,
        at: DateTime<Utc>,
        recorder: Officer,
        items: Option<&Vec<PlanItem>>,
        round: u8,
        r: &mut ChaCha8Rng,
    ) -> Result<(), SynthError> {
        let force = self.force;
        // The first suspect: the one the outcome was fitted to.
        let suspect = if o.needs_named_suspect() || (!o.means_no_suspect() && chance(r, 0.5)) {
            c.suspects.first().map(|s| s.person)
        } else {
            None
        };
        if o.needs_named_suspect() && suspect.is_none() {
            return Err(invalid(
                "outcome",
                format!("outcome {o} needs a named suspect"),
            ));
        }
        let position = match o.number() {
            14 | 16 => Some(if chance(r, 0.75) {
                VictimPosition::DoesNotSupport
            } else {
                VictimPosition::Withdrawn
            }),
            15 => Some(VictimPosition::Supports),
            _ => None,
        };
        let charge_date = (o == Outcome::CHARGED).then(|| at.date_naive());
        let open_actions = items.map_or(0, |its| {
            its.iter()
                .filter(|p| p.created_at <= at && p.done_at.is_none_or(|d| d > at))
                .count()
        });
        let text = rationale(o.number());
        let input = OutcomeInput {
            outcome: o.number().to_string(),
            at: Some(at.to_rfc3339()),
            charge_date: charge_date.map(|d| d.format("%Y-%m-%d").to_string()),
            suspect_id: suspect.map(|s| s.to_string()),
            victim_position: position.map(|p| p.as_str().to_string()),
            investigation_complete: o.number() == 18,
            rationale: text.to_string(),
        };
        let facts = OutcomeFacts {
            recorded_at: c.recorded_at,
            offence_group: c.code.group(),
            open_actions,
        };
        let fin = Finalisation::parse(&input, facts, &self.config.outcomes.framework, at)
            .map_err(|e| invalid(&format!("outcome {o} of {}", c.id), e))?;
        let needs_approval =
            self.config
                .outcomes
                .needs_approval(fin.outcome, fin.at, recorder.lead);
        let mut row = OutcomeRow {
            id: Uuid::nil(),
            outcome: fin.outcome,
            at: fin.at,
            charge_date: fin.charge_date,
            suspect: fin.suspect,
            victim_position: fin.victim_position,
            rationale: fin.rationale,
            recorded_by: recorder.id,
            status: OutcomeStatus::Approved,
            decided_at: Some(at),
            decided_by: Some(recorder.id),
            decision_reason: None,
        };
        let mut approved_by = recorder.id;
        let mut finalised_at = at;
        if needs_approval {
            let team = plan.holder(at).team;
            let decided = at + hours(r, 22.0, 0.9);
            let Some(sup) = team.and_then(|t| force.lead(t, r)) else {
                return Ok(());
            };
            plan.acts.push((
                at,
                Act::Event(Event::OutcomeProposed {
                    crime: c.id,
                    at,
                    team: team.and_then(|t| force.id(t)),
                }),
            ));
            plan.acts.push((
                decided,
                Act::Event(Event::OutcomeDecided {
                    crime: c.id,
                    at: decided,
                }),
            ));
            row.decided_at = Some(decided);
            row.decided_by = Some(sup.id);
            if round == 1 && chance(r, 0.08) {
                // Rejected: more work, then proposed again.
                row.status = OutcomeStatus::Rejected;
                row.decision_reason = Some(one(r, REJECTED).to_string());
                rows.push(row);
                let again = decided + days(r, 5.0, 0.6);
                return self.record_outcome(c, plan, rows, o, again, recorder, items, 2, r);
            }
            approved_by = sup.id;
            finalised_at = decided;
        }
        rows.push(row);
        let investigated = !plan.allocations.is_empty();
        plan.steps.push((
            finalised_at,
            Step::Finalise,
            approved_by,
            Some(format!("Outcome {}: {}", o, o.label())),
        ));
        plan.finalised = Some((finalised_at, o));
        plan.acts.push((
            finalised_at,
            Act::Event(Event::InvestigationFinalised {
                crime: c.id,
                at: finalised_at,
            }),
        ));
        plan.notifiable
            .push((finalised_at, o.notifiable(investigated)));
        Ok(())
    }

    /// Each victim's needs assessment, referral, contacts and the duties owed to them.
    fn victims(
        &mut self,
        c: &Case,
        plan: &mut Plan,
        ids: &mut Ids,
        r: &mut ChaCha8Rng,
    ) -> Result<Vec<Victim>, SynthError> {
        let end = self.end;
        let force = self.force;
        let code = &self.config.duty_rules.victims_code;
        let cal = &self.config.calendar;
        let consent = referral_needs_explicit_consent(c.code, c.domestic);
        let kind = kind_of(c.code, c.domestic);
        let person_crime = matches!(
            kind,
            Kind::Domestic | Kind::Sexual | Kind::Violence | Kind::Robbery
        );
        let stop = plan.finalised.map_or(end, |(at, _)| at.min(end));
        let mut out = Vec::with_capacity(c.victims.len());
        for v in &c.victims {
            // The needs assessment, mostly by the officer who recorded the crime.
            let mut at = c.recorded_at
                + if chance(r, 0.7) {
                    lognormal(r, 40.0, 0.8)
                } else {
                    hours(r, 24.0, 1.2)
                };
            if at >= end {
                at = c.recorded_at;
            }
            let Some(assessor) = c.recorded_by.or_else(|| force.carer(r)) else {
                continue;
            };
            let referral = if consent {
                pick_weighted(
                    r,
                    &[
                        (Referral::Referred, 0.45),
                        (Referral::Declined, 0.25),
                        (Referral::AwaitingConsent, 0.3),
                    ],
                )
            } else {
                pick_weighted(
                    r,
                    &[
                        (Referral::Referred, 0.7),
                        (Referral::Declined, 0.2),
                        (Referral::AwaitingConsent, 0.1),
                    ],
                )
            }
            .unwrap_or(Referral::Referred);
            let input = NeedsAssessmentInput {
                most_serious_crime: person_crime && chance(r, 0.03),
                persistently_targeted: v.repeat && chance(r, 0.35),
                vulnerable: v.age < 18 || (v.age >= 75 && chance(r, 0.3)) || chance(r, 0.05),
                intimidated: person_crime && chance(r, 0.15),
                needs: chance(r, 0.3).then(|| one(r, NEEDS).to_string()),
                referral: referral.as_str().to_string(),
                explicit_consent: referral == Referral::Referred,
                contact_method: pick_weighted(
                    r,
                    &[
                        (ContactMethod::Phone, 0.55),
                        (ContactMethod::Email, 0.2),
                        (ContactMethod::Text, 0.08),
                        (ContactMethod::Letter, 0.07),
                        (ContactMethod::InPerson, 0.1),
                    ],
                )
                .unwrap_or(ContactMethod::Phone)
                .as_str()
                .to_string(),
                update_every_days: None,
            };
            let mut f = Fields::new();
            let parsed = NeedsAssessment::parse_at(&mut f, "", &input, c.code, c.domestic);
            let mut a = f
                .finish(|| parsed)
                .map_err(|e| invalid("needs assessment", e))?;
            let enhanced = a.entitlement() == duty::Entitlement::Enhanced;
            a.update_every_days = if enhanced {
                pick_weighted(r, &[(7, 0.3), (14, 0.4), (28, 0.3)]).unwrap_or(14)
            } else {
                pick_weighted(r, &[(28, 0.75), (14, 0.2), (7, 0.05)]).unwrap_or(28)
            };
            let settled = a.referral.settles_duty();
            let mut victim = Victim {
                id: ids.next(at),
                crime: c.id,
                person: v.person,
                recorded_at: c.reported_at,
                entitlement: a.entitlement(),
                reasons: a.reasons.clone(),
                needs: a.needs.clone(),
                referral: a.referral,
                referral_at: settled.then_some(at),
                contact_method: a.contact_method,
                update_every_days: a.update_every_days,
                vps: None,
                assessed_by: assessor,
            };
            plan.acts.push((
                at,
                Act::Event(Event::VictimRecorded {
                    crime: c.id,
                    victim: v.person,
                    at: c.reported_at,
                    owner: Owner::Role(Role::VictimCare),
                }),
            ));
            if settled {
                plan.acts.push((
                    at,
                    Act::Event(Event::VictimReferred {
                        crime: c.id,
                        victim: v.person,
                        at,
                    }),
                ));
            }
            // The contact agreement runs from the assessment, then from each contact,
            // while the investigation is open.
            let mut agreements = vec![at];

            // What the victim must be told of, and when each is due.
            let mut planned: Vec<(DateTime<Utc>, Option<Notifiable>)> = Vec::new();
            for (t, what) in plan.notifiable.iter().copied().filter(|(t, _)| *t > at) {
                let owner = victim_owner(force, &plan.holder(t));
                plan.acts.push((
                    t,
                    Act::Event(Event::VictimNotifiable {
                        crime: c.id,
                        victim: v.person,
                        at: t,
                        what,
                        entitlement: victim.entitlement,
                        owner,
                    }),
                ));
                let rules = code.at_instant(t);
                if !rules.notifiable.contains(&what) {
                    continue;
                }
                let due = rules.update_limit(victim.entitlement).due(t, cal);
                let x: f64 = r.random();
                let (on_time, late) = plan.care;
                if x < on_time {
                    planned.push((part(t, due, r.random_range(0.05..0.9)), Some(what)));
                } else if x < on_time + late {
                    planned.push((due + days(r, 4.0, 0.9), Some(what)));
                }
            }
            // Updates as agreed while the investigation is open, kept by some officers.
            let keep = plan.care.0 * 0.6;
            let mut next = at;
            for _ in 0..12 {
                next += TimeDelta::days(i64::from(victim.update_every_days))
                    + TimeDelta::hours(r.random_range(-48..48));
                if next >= stop {
                    break;
                }
                if chance(r, keep) {
                    planned.push((next, None));
                }
            }
            // The written acknowledgement, mostly the same day, sometimes late or never.
            let ack_due = self
                .config
                .duty_rules
                .acknowledgement
                .at_instant(c.reported_at)
                .due(c.reported_at, cal);
            let ack_at = if chance(r, (plan.care.0 + 0.15).min(0.97)) {
                Some(part(at, ack_due.max(at), r.random_range(0.05..0.6)))
            } else if chance(r, 0.6) {
                Some(ack_due.max(at) + days(r, 3.0, 0.8))
            } else {
                None
            };
            if let Some(t) = ack_at {
                planned.push((t, None));
            }
            // The referral, where consent was still awaited.
            let mut referral_at = None;
            if !settled && chance(r, 0.7) {
                let t = at + hours(r, 40.0, 0.9);
                referral_at = Some(t);
                planned.push((t, None));
            }
            planned.retain(|(t, _)| *t < end && *t > at);
            planned.sort_by_key(|(t, _)| *t);
            planned.dedup_by_key(|(t, _)| *t);
            let vps_at = plan.plan_at.filter(|_| chance(r, 0.45));
            let mut vps_done = false;
            for (t, what) in planned {
                let owner = victim_owner(force, &plan.holder(t));
                let by = match owner {
                    Owner::User(u) => Some(u),
                    _ => force.carer(r),
                };
                let Some(by) = by.or(c.recorded_by) else {
                    continue;
                };
                let referral = (referral_at == Some(t)
                    && victim.referral == Referral::AwaitingConsent)
                    .then(|| {
                        if chance(r, 0.6) {
                            Referral::Referred
                        } else {
                            Referral::Declined
                        }
                    });
                let vps = (!vps_done && vps_at.is_some_and(|p| t > p)).then(|| {
                    pick_weighted(
                        r,
                        &[
                            (VpsOffer::Made, 0.4),
                            (VpsOffer::Declined, 0.45),
                            (VpsOffer::OfferedLater, 0.15),
                        ],
                    )
                    .unwrap_or(VpsOffer::Declined)
                });
                if let Some(p) = vps {
                    vps_done = p != VpsOffer::OfferedLater;
                    victim.vps = Some(p);
                    self.rows.summary.vps_offered += 1;
                }
                let summary = match (what, referral) {
                    (Some(w), _) => told(w),
                    (None, Some(_)) => REFERRAL_TALK,
                    (None, None) if ack_at == Some(t) => ACKNOWLEDGED,
                    (None, None) => one(r, UPDATE),
                };
                let method = if chance(r, 0.85) {
                    victim.contact_method
                } else {
                    ContactMethod::Phone
                };
                if let Some(x) = referral {
                    victim.referral = x;
                    victim.referral_at = Some(t);
                    plan.acts.push((
                        t,
                        Act::Event(Event::VictimReferred {
                            crime: c.id,
                            victim: v.person,
                            at: t,
                        }),
                    ));
                }
                plan.acts.push((
                    t,
                    Act::Event(Event::VictimContacted {
                        crime: c.id,
                        victim: v.person,
                        at: t,
                    }),
                ));
                agreements.push(t);
                self.rows.summary.contacts += 1;
                self.rows.contacts.push((
                    victim.id,
                    LoggedContact {
                        id: ids.next(t),
                        contact: Contact {
                            at: t,
                            method,
                            summary: summary.to_string(),
                            referral,
                            vps,
                        },
                        by,
                    },
                ));
            }
            for t in agreements.into_iter().filter(|t| *t < stop) {
                let owner = victim_owner(force, &plan.holder(t));
                plan.acts.push((
                    t,
                    Act::Event(Event::UpdateAgreed {
                        crime: c.id,
                        victim: v.person,
                        at: t,
                        every_days: victim.update_every_days,
                        owner,
                    }),
                ));
            }
            let s = &mut self.rows.summary;
            s.victims += 1;
            s.enhanced += u64::from(enhanced);
            match victim.referral {
                Referral::Referred => s.referred += 1,
                Referral::Declined => s.declined += 1,
                Referral::AwaitingConsent => s.awaiting_consent += 1,
            }
            out.push(victim);
        }
        Ok(out)
    }
}

/// A survey answer: satisfied with chance `p` (completely, very or fairly), otherwise one
/// of the other four.
fn satisfaction(r: &mut ChaCha8Rng, p: f64) -> Satisfaction {
    use Satisfaction as S;
    if chance(r, p.clamp(0.0, 1.0)) {
        pick_weighted(
            r,
            &[
                (S::CompletelySatisfied, 0.3),
                (S::VerySatisfied, 0.4),
                (S::FairlySatisfied, 0.3),
            ],
        )
        .unwrap_or(S::FairlySatisfied)
    } else {
        pick_weighted(
            r,
            &[
                (S::Neither, 0.35),
                (S::FairlyDissatisfied, 0.3),
                (S::VeryDissatisfied, 0.2),
                (S::CompletelyDissatisfied, 0.15),
            ],
        )
        .unwrap_or(S::Neither)
    }
}

/// Generates the investigation and victims of every crime in `cases` (in time order), with
/// ids from `ids`, as at `end`, the end of the period.
///
/// # Errors
/// [`SynthError::Invalid`] when a generated row breaks a domain rule (a bug).
pub fn generate(
    seed: u64,
    cases: &[Case],
    force: &Workforce,
    config: &Config,
    end: DateTime<Utc>,
    ids: &mut Ids,
) -> Result<Rows, SynthError> {
    let mut g = Generator {
        seed,
        end,
        config,
        force,
        rows: Rows::default(),
    };
    g.rows.investigations.reserve(cases.len());
    for (i, c) in cases.iter().enumerate() {
        g.case(i, c, ids)?;
    }
    let mut rows = g.rows;
    // In id order, so that each insert appends to the primary key's index.
    rows.steps.sort_unstable_by_key(|(_, s)| s.id);
    rows.plan.sort_unstable_by_key(|(_, p)| p.id);
    rows.reviews.sort_unstable_by_key(|(_, x)| x.id);
    rows.handovers.sort_unstable_by_key(|(_, h)| h.id);
    rows.developments.sort_unstable_by_key(|(_, d)| d.id);
    rows.outcomes.sort_unstable_by_key(|(_, o)| o.id);
    rows.victims.sort_unstable_by_key(|v| v.id);
    rows.contacts.sort_unstable_by_key(|(_, x)| x.id);
    rows.surveys.sort_unstable_by_key(|s| s.id);
    rows.duties.sort_unstable_by_key(|(id, _)| *id);
    // Held until written: without the slack of growing.
    rows.steps.shrink_to_fit();
    rows.plan.shrink_to_fit();
    rows.reviews.shrink_to_fit();
    rows.handovers.shrink_to_fit();
    rows.developments.shrink_to_fit();
    rows.outcomes.shrink_to_fit();
    rows.victims.shrink_to_fit();
    rows.contacts.shrink_to_fit();
    rows.surveys.shrink_to_fit();
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::SynthConfig;
    use crate::geography::LEICESTERSHIRE;

    fn year(seed: u64, population: u64) -> InvestigationSummary {
        let config = SynthConfig::new(
            seed,
            population,
            12,
            NaiveDate::from_ymd_opt(2023, 4, 1).unwrap_or_default(),
        );
        let built = crate::load::build(
            &config,
            &LEICESTERSHIRE,
            "SYN",
            &HashSet::new(),
            &Config::default(),
        )
        .unwrap_or_else(|e| panic!("build: {e}"));
        built.summary.investigation
    }

    /// A force-year of a small force: charge or summons for 12 to 15% of the crimes
    /// recorded and the rest spread across the framework, the latest crimes still open,
    /// supervision and the Victims' Code kept mostly but far from always.
    #[test]
    fn a_year_of_investigations_looks_like_a_real_force() {
        let s = year(5, 40_000);
        let n = s.investigations;
        let rate = s.charge_rate();
        assert!((0.12..0.15).contains(&rate), "charge/summons {rate}: {s:?}");
        let used = s.outcomes.iter().filter(|x| **x > 0).count();
        assert!(used >= 14, "outcomes used: {:?}", s.outcomes);
        let most = (1..=22).max_by_key(|o| s.outcomes[o - 1]);
        assert_eq!(most, Some(18), "{:?}", s.outcomes);
        let open = share(n - s.finalised(), n);
        assert!((0.04..0.15).contains(&open), "still open {open}");
        assert!(
            s.states[0] > 0 && s.states[2] > 0 && s.states[3] > 0,
            "{:?}",
            s.states
        );
        assert!((0.15..0.35).contains(&share(s.screened_out, n)), "{s:?}");
        assert!((0.65..0.85).contains(&share(s.allocated, n)), "{s:?}");
        assert!(s.awaiting_approval > 0 && s.rejected_proposals > 0, "{s:?}");

        let reviews = s.review_compliance();
        assert!((0.7..0.88).contains(&reviews), "reviews on time {reviews}");
        assert!(
            s.review_duties.late > 0 && s.review_duties.missing > 0,
            "{s:?}"
        );
        assert!(
            (0.03..0.2).contains(&share(s.unreviewed, s.allocated)),
            "{s:?}"
        );
        let returned = share(s.handovers_returned, s.handovers);
        assert!(
            s.handovers > 20 && (0.05..0.35).contains(&returned),
            "{s:?}"
        );

        let code = s.victims_code_compliance();
        assert!((0.6..0.9).contains(&code), "Victims' Code {code}: {s:?}");
        for c in [s.acknowledgement, s.referral, s.inform, s.agreed_updates] {
            assert!(c.due > 0 && c.late > 0 && c.missing > 0, "{s:?}");
        }
        assert!(
            s.enhanced > 0 && s.awaiting_consent > 0 && s.vps_offered > 0,
            "{s:?}"
        );
        let surveyed = share(s.surveys, s.victims);
        assert!((0.05..0.2).contains(&surveyed), "surveyed {surveyed}");
        let satisfied = s.satisfaction();
        assert!((0.72..0.88).contains(&satisfied), "satisfied {satisfied}");
        let line = s.to_string();
        assert!(
            line.starts_with(&format!("Investigations: {n} ("))
                && line.contains("charge/summons 1"),
            "{line}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_investigations() {
        let a = year(7, 8_000);
        assert!(a.investigations > 500 && a.victims > 300, "{a:?}");
        assert_eq!(a, year(7, 8_000));
        assert_ne!(a, year(8, 8_000));
    }

    #[test]
    fn outcomes_fit_the_suspect_and_the_framework() {
        let code = |c: &str| c.parse::<HoOffenceCode>().unwrap_or_else(|_| panic!("{c}"));
        assert_eq!(fit_to_suspect(2, 30, code("105A")), 3);
        assert_eq!(fit_to_suspect(3, 15, code("105A")), 2);
        assert_eq!(fit_to_suspect(6, 16, code("9A")), 8);
        assert_eq!(fit_to_suspect(7, 25, code("92E")), 7);
        assert_eq!(fit_to_suspect(7, 25, code("92D")), 8);
        assert_eq!(fit_to_suspect(16, 25, code("8N")), 16);
        let framework = bluelamp_domain::outcome::default_framework();
        let in_2016 = framework.at(NaiveDate::from_ymd_opt(2016, 6, 1).unwrap_or_default());
        for o in [21, 22] {
            let o = Outcome::new(o).unwrap_or(Outcome::CHARGED);
            let fallen = Outcome::new(fallback(o.number())).unwrap_or(Outcome::CHARGED);
            assert!(in_2016.contains(&fallen), "{o} falls back to {fallen}");
        }
        assert_eq!(kind_of(code("8N"), true), Kind::Domestic);
        assert_eq!(kind_of(code("46"), false), Kind::Shoplifting);
        assert_eq!(kind_of(code("92E"), false), Kind::Possession);
    }
}

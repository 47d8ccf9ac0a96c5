//! First contact for every incident of a run (issue 4): the channel, when it happened, its
//! THRIVE assessments with their grades, the advice checklist, attendance, the
//! crime-recording decision, closure, the queue at the end of the period, and the duties,
//! as the services in `bluelamp_app::first_contact` would have written them one at a time.
//!
//! Each incident follows its own timeline, drawn from its own seeded stream: it is opened
//! when the call is received, assessed a few minutes later, queued at its grade, re-assessed
//! now and then while it waits, deployed to or resolved by telephone, attended, decided on
//! (crimes) and closed. Whatever falls after the end of the period has not happened yet, so
//! the calls of the last hours and days are still waiting in the queue, their decisions
//! still due. The duties are the duties engine's own: the incident's events are replayed
//! through `bluelamp_domain::duty::replay` with the force's rules.
//!
//! The figures aim at what inspections describe (HMIC, "PEEL: police effectiveness", 2016;
//! the force inspection behind issue 4): most calls graded as THRIVE proposes, most
//! attendance within target and most crime-recording decisions within 24 hours, with the
//! shortcomings a supervisor or inspector should find: THRIVE late or never recorded for a
//! visible minority, some assessments inconsistent with their own factors, downgrades while
//! a call waits, advice not given, attendance targets missed, decisions late or missing,
//! and crimes closed without attendance although THRIVE found lines of enquiry. The shares
//! are Bluelamp's estimates (UNCONFIRMED), chosen to look like a real force's measures.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use bluelamp_app::Config;
use bluelamp_domain::duty::{Duty, DutyKind, Event, RuleId, Status, replay};
use bluelamp_domain::first_contact::{
    Advice, AdviceItem, AttendanceKind, CrimeRecording, IncidentResult, QueueEntry,
    needs_review_on_closure,
};
use bluelamp_domain::ids::{AreaId, RecordId, UserId};
use bluelamp_domain::incident::{Channel, IncidentCategory};
use bluelamp_domain::offence::{HoOffenceCode, OffenceGroup};
use bluelamp_domain::thrive::{
    Judgement, Level, ResponseGrade, Setting, Thrive, VulnerabilityFactor as F, attendance,
};
use bluelamp_store::bulk::{NewAdvice, NewAssessment, NewAttendance, NewQueued, factors_text};
use bluelamp_store::first_contact::{Closure, Decision};
use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::population::pick_weighted;
use crate::seed::{Ids, Stream, rng};

// ---------------------------------------------------------------------------------------
// What kinds of call there are, and what THRIVE usually makes of each.

/// Which phrases describe an incident's assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Domestic,
    Violence,
    Sexual,
    Property,
    Fraud,
    Possession,
    Welfare,
    Missing,
    Nuisance,
    Suspicious,
    Road,
    Hazard,
    /// A sudden death.
    Death,
    Admin,
}

/// What THRIVE usually makes of a kind of call.
#[derive(Debug)]
pub struct Profile {
    pub family: Family,
    /// The relative chance of each grade: emergency, priority, scheduled, resolution
    /// without deployment. The grade proposed follows from the levels drawn for it.
    pub grades: [f64; 4],
    /// Which elements a raised level falls on, relatively: threat, harm, risk,
    /// investigation, vulnerability, engagement.
    pub emphasis: [f64; 6],
    /// Vulnerability factors and their chances.
    pub factors: &'static [(F, f64)],
    /// Whether it may be reported online.
    pub online: bool,
}

const fn profile(
    family: Family,
    grades: [f64; 4],
    emphasis: [f64; 6],
    factors: &'static [(F, f64)],
    online: bool,
) -> Profile {
    Profile {
        family,
        grades,
        emphasis,
        factors,
        online,
    }
}

const NUISANCE: [f64; 6] = [0.3, 0.2, 0.2, 0.05, 0.1, 0.15];
const WELFARE: [f64; 6] = [0.1, 0.3, 0.35, 0.0, 0.25, 0.0];
const ROAD: [f64; 6] = [0.15, 0.4, 0.4, 0.05, 0.0, 0.0];
const SUSPICIOUS: [f64; 6] = [0.4, 0.05, 0.25, 0.3, 0.0, 0.0];
const ADMIN: [f64; 6] = [0.0, 0.0, 0.2, 0.3, 0.2, 0.3];
const DOMESTIC: [f64; 6] = [0.3, 0.2, 0.3, 0.05, 0.1, 0.05];
const MISSING: [f64; 6] = [0.1, 0.2, 0.4, 0.0, 0.3, 0.0];
const VIOLENCE: [f64; 6] = [0.35, 0.35, 0.15, 0.15, 0.0, 0.0];
const PROPERTY: [f64; 6] = [0.05, 0.2, 0.1, 0.6, 0.0, 0.05];
const SEXUAL: [f64; 6] = [0.15, 0.35, 0.2, 0.2, 0.1, 0.0];

static ASB_LOW: Profile = profile(
    Family::Nuisance,
    [0.01, 0.15, 0.34, 0.50],
    NUISANCE,
    &[(F::RepeatVictim, 0.08)],
    true,
);
static ASB_NOISE: Profile = profile(
    Family::Nuisance,
    [0.0, 0.05, 0.15, 0.80],
    NUISANCE,
    &[(F::RepeatVictim, 0.1)],
    true,
);
static ASB_GROUP: Profile = profile(
    Family::Nuisance,
    [0.03, 0.4, 0.3, 0.27],
    NUISANCE,
    &[(F::SubstanceMisuse, 0.2)],
    false,
);
static ASB_TARGETED: Profile = profile(
    Family::Nuisance,
    [0.02, 0.45, 0.45, 0.08],
    NUISANCE,
    &[
        (F::OlderPerson, 0.7),
        (F::RepeatVictim, 0.9),
        (F::Isolated, 0.3),
    ],
    false,
);
static WELFARE_ELDERLY: Profile = profile(
    Family::Welfare,
    [0.2, 0.6, 0.15, 0.05],
    WELFARE,
    &[(F::OlderPerson, 0.95), (F::Isolated, 0.6)],
    false,
);
static WELFARE_CRISIS: Profile = profile(
    Family::Welfare,
    [0.8, 0.2, 0.0, 0.0],
    WELFARE,
    &[(F::MentalHealth, 0.9), (F::SubstanceMisuse, 0.2)],
    false,
);
static WELFARE_MESSAGES: Profile = profile(
    Family::Welfare,
    [0.2, 0.45, 0.15, 0.2],
    WELFARE,
    &[(F::MentalHealth, 0.7), (F::Isolated, 0.2)],
    false,
);
static WELFARE_ADULT: Profile = profile(
    Family::Welfare,
    [0.3, 0.55, 0.1, 0.05],
    WELFARE,
    &[
        (F::OlderPerson, 0.5),
        (F::Disability, 0.3),
        (F::MentalHealth, 0.3),
    ],
    false,
);
static WELFARE_CHILD: Profile = profile(
    Family::Welfare,
    [0.6, 0.4, 0.0, 0.0],
    WELFARE,
    &[(F::Child, 1.0)],
    false,
);
static WELFARE_COLLAPSE: Profile = profile(
    Family::Welfare,
    [0.35, 0.55, 0.0, 0.1],
    WELFARE,
    &[(F::SubstanceMisuse, 0.5), (F::Homeless, 0.2)],
    false,
);
static HAZARD: Profile = profile(Family::Hazard, [0.15, 0.55, 0.05, 0.25], ROAD, &[], false);
static SUDDEN_DEATH: Profile = profile(Family::Death, [0.1, 0.88, 0.02, 0.0], ROAD, &[], false);
static LOST_PROPERTY: Profile = profile(Family::Admin, [0.0, 0.0, 0.05, 0.95], ADMIN, &[], true);
static SUSPICIOUS_VEHICLE: Profile = profile(
    Family::Suspicious,
    [0.05, 0.4, 0.1, 0.45],
    SUSPICIOUS,
    &[],
    false,
);
static SUSPICIOUS_ACTIVE: Profile = profile(
    Family::Suspicious,
    [0.25, 0.45, 0.1, 0.2],
    SUSPICIOUS,
    &[],
    false,
);
static SUSPICIOUS_CHILD: Profile = profile(
    Family::Suspicious,
    [0.3, 0.55, 0.1, 0.05],
    SUSPICIOUS,
    &[(F::Child, 1.0)],
    false,
);
static ADMIN_CALL: Profile = profile(Family::Admin, [0.0, 0.0, 0.03, 0.97], ADMIN, &[], true);
static RTC_DAMAGE: Profile = profile(Family::Road, [0.05, 0.35, 0.05, 0.55], ROAD, &[], true);
static RTC_INJURY: Profile = profile(Family::Road, [0.75, 0.25, 0.0, 0.0], ROAD, &[], false);
static RTC_DRIVER: Profile = profile(Family::Road, [0.2, 0.5, 0.0, 0.3], ROAD, &[], false);
static DOMESTIC_CALL: Profile = profile(
    Family::Domestic,
    [0.1, 0.5, 0.32, 0.08],
    DOMESTIC,
    &[
        (F::DomesticAbuse, 0.95),
        (F::Child, 0.3),
        (F::RepeatVictim, 0.35),
        (F::SubstanceMisuse, 0.15),
    ],
    false,
);
static DOMESTIC_THIRD_PARTY: Profile = profile(
    Family::Domestic,
    [0.25, 0.6, 0.12, 0.03],
    DOMESTIC,
    &[
        (F::DomesticAbuse, 0.95),
        (F::Child, 0.25),
        (F::RepeatVictim, 0.3),
    ],
    false,
);
static ALARM: Profile = profile(
    Family::Suspicious,
    [0.05, 0.4, 0.1, 0.45],
    SUSPICIOUS,
    &[],
    false,
);
static PANIC_ALARM: Profile = profile(
    Family::Suspicious,
    [0.85, 0.15, 0.0, 0.0],
    SUSPICIOUS,
    &[(F::DomesticAbuse, 0.4), (F::RepeatVictim, 0.4)],
    false,
);
static CRIME_UNCONFIRMED: Profile = profile(
    Family::Property,
    [0.02, 0.13, 0.35, 0.5],
    PROPERTY,
    &[],
    true,
);
static THREATS_ONLINE: Profile = profile(
    Family::Violence,
    [0.0, 0.1, 0.4, 0.5],
    VIOLENCE,
    &[(F::StalkingHarassment, 0.4), (F::MentalHealth, 0.1)],
    true,
);
static MISSING_CHILD: Profile = profile(
    Family::Missing,
    [0.2, 0.65, 0.15, 0.0],
    MISSING,
    &[
        (F::Child, 1.0),
        (F::Missing, 1.0),
        (F::SexualExploitation, 0.1),
    ],
    false,
);
static MISSING_ADULT_CARE: Profile = profile(
    Family::Missing,
    [0.5, 0.45, 0.05, 0.0],
    MISSING,
    &[
        (F::Missing, 1.0),
        (F::OlderPerson, 0.6),
        (F::Disability, 0.4),
    ],
    false,
);
static MISSING_ADULT: Profile = profile(
    Family::Missing,
    [0.15, 0.6, 0.25, 0.0],
    MISSING,
    &[(F::Missing, 1.0), (F::MentalHealth, 0.3)],
    false,
);

// Crimes reported by calls, by offence.
static DOMESTIC_CRIME: Profile = profile(
    Family::Domestic,
    [0.25, 0.55, 0.17, 0.03],
    DOMESTIC,
    &[(F::SubstanceMisuse, 0.15), (F::MentalHealth, 0.08)],
    false,
);
static SEXUAL_CRIME: Profile = profile(
    Family::Sexual,
    [0.12, 0.4, 0.43, 0.05],
    SEXUAL,
    &[(F::MentalHealth, 0.1)],
    true,
);
static STALKING: Profile = profile(
    Family::Violence,
    [0.05, 0.35, 0.45, 0.15],
    VIOLENCE,
    &[(F::StalkingHarassment, 0.9)],
    true,
);
static VIOLENT_CRIME: Profile = profile(
    Family::Violence,
    [0.15, 0.42, 0.3, 0.13],
    VIOLENCE,
    &[(F::SubstanceMisuse, 0.1), (F::MentalHealth, 0.04)],
    false,
);
static ROBBERY: Profile = profile(
    Family::Violence,
    [0.45, 0.4, 0.12, 0.03],
    VIOLENCE,
    &[],
    false,
);
static BURGLARY: Profile = profile(
    Family::Property,
    [0.12, 0.38, 0.45, 0.05],
    PROPERTY,
    &[],
    false,
);
static COMMERCIAL_BURGLARY: Profile = profile(
    Family::Property,
    [0.08, 0.25, 0.5, 0.17],
    PROPERTY,
    &[],
    true,
);
static SHOPLIFTING: Profile = profile(
    Family::Property,
    [0.02, 0.45, 0.13, 0.4],
    PROPERTY,
    &[],
    true,
);
static THEFT: Profile = profile(
    Family::Property,
    [0.02, 0.1, 0.33, 0.55],
    PROPERTY,
    &[],
    true,
);
static DAMAGE: Profile = profile(
    Family::Property,
    [0.03, 0.17, 0.35, 0.45],
    PROPERTY,
    &[],
    true,
);
static POSSESSION: Profile = profile(
    Family::Possession,
    [0.1, 0.4, 0.2, 0.3],
    VIOLENCE,
    &[],
    false,
);
static PUBLIC_ORDER: Profile = profile(
    Family::Violence,
    [0.12, 0.38, 0.25, 0.25],
    VIOLENCE,
    &[],
    true,
);
static FRAUD: Profile = profile(
    Family::Fraud,
    [0.0, 0.03, 0.12, 0.85],
    PROPERTY,
    &[(F::OlderPerson, 0.1)],
    true,
);
static MISCELLANEOUS: Profile = profile(
    Family::Property,
    [0.02, 0.2, 0.38, 0.4],
    PROPERTY,
    &[],
    true,
);

/// A kind of call that is not (or not yet) a recorded crime: how it is opened, what the
/// caller says, how often it comes among calls of its category, and what THRIVE usually
/// makes of it.
#[derive(Debug)]
pub struct Call {
    pub category: IncidentCategory,
    pub summary: &'static str,
    pub weight: f64,
    pub profile: &'static Profile,
    /// How it ends when that is fixed by what it is.
    pub result: Option<IncidentResult>,
    /// What the summary says of injury, which the assessment's words must not contradict.
    pub injury: Injury,
}

/// What an incident's summary says of injury: its THRIVE rationales, its deployment and
/// its re-assessments are then worded to agree (a call that says "no injuries" is never
/// assessed as a strangulation, nor an assault with injury re-assessed as "no injuries").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injury {
    /// The summary does not say: each incident is drawn one way or the other.
    Unknown,
    /// Nobody was hurt ("no injuries", an assault without injury, a theft).
    None,
    /// Someone was hurt (a casualty, an assault with injury).
    Reported,
}

const fn call(
    category: IncidentCategory,
    summary: &'static str,
    weight: f64,
    profile: &'static Profile,
) -> Call {
    Call {
        category,
        summary,
        weight,
        profile,
        result: None,
        injury: Injury::Unknown,
    }
}

use IncidentCategory as C;

/// The calls that are not (or not yet) crimes.
pub static CALLS: &[Call] = &[
    call(
        C::AntiSocialBehaviour,
        "Youths causing a nuisance outside shops",
        3.0,
        &ASB_LOW,
    ),
    call(
        C::AntiSocialBehaviour,
        "Noise complaint: loud music from neighbouring address",
        3.0,
        &ASB_NOISE,
    ),
    call(
        C::AntiSocialBehaviour,
        "Neighbour dispute over parking",
        2.0,
        &ASB_LOW,
    ),
    call(
        C::AntiSocialBehaviour,
        "Group drinking in the park, abusive to passers-by",
        2.0,
        &ASB_GROUP,
    ),
    call(
        C::AntiSocialBehaviour,
        "Off-road motorbikes being ridden on the playing field",
        1.0,
        &ASB_LOW,
    ),
    call(
        C::AntiSocialBehaviour,
        "Neighbours harassing an elderly resident, the third call this month",
        1.0,
        &ASB_TARGETED,
    ),
    call(
        C::ConcernForWelfare,
        "Concern for welfare of elderly resident not seen for days",
        3.0,
        &WELFARE_ELDERLY,
    ),
    call(
        C::ConcernForWelfare,
        "Person in distress on the bridge",
        1.0,
        &WELFARE_CRISIS,
    ),
    call(
        C::ConcernForWelfare,
        "Caller concerned for a friend who sent worrying messages",
        3.0,
        &WELFARE_MESSAGES,
    ),
    call(
        C::ConcernForWelfare,
        "Vulnerable adult wandering in the road",
        2.0,
        &WELFARE_ADULT,
    ),
    call(
        C::ConcernForWelfare,
        "Young child heard crying and alone at the address",
        1.0,
        &WELFARE_CHILD,
    ),
    call(
        C::ConcernForWelfare,
        "Person collapsed in the street, ambulance delayed",
        1.0,
        &WELFARE_COLLAPSE,
    ),
    call(C::PublicSafety, "Debris on the carriageway", 3.0, &HAZARD),
    call(C::PublicSafety, "Loose horses on the road", 1.0, &HAZARD),
    call(
        C::PublicSafety,
        "Sudden death at home address",
        1.0,
        &SUDDEN_DEATH,
    ),
    call(
        C::PublicSafety,
        "Fallen tree blocking the road",
        2.0,
        &HAZARD,
    ),
    call(
        C::PublicSafety,
        "Lost property handed in",
        3.0,
        &LOST_PROPERTY,
    ),
    call(
        C::Suspicious,
        "Suspicious vehicle parked with engine running",
        3.0,
        &SUSPICIOUS_VEHICLE,
    ),
    call(
        C::Suspicious,
        "Persons seen trying car door handles",
        3.0,
        &SUSPICIOUS_ACTIVE,
    ),
    call(
        C::Suspicious,
        "Suspicious male looking into gardens",
        2.0,
        &SUSPICIOUS_VEHICLE,
    ),
    call(
        C::Suspicious,
        "Man seen approaching children outside the school",
        1.0,
        &SUSPICIOUS_CHILD,
    ),
    Call {
        result: Some(IncidentResult::ReferredToPartner),
        ..call(
            C::Administrative,
            "Call transferred to another agency",
            3.0,
            &ADMIN_CALL,
        )
    },
    Call {
        result: Some(IncidentResult::Duplicate),
        ..call(
            C::Administrative,
            "Repeat call about an existing incident",
            3.0,
            &ADMIN_CALL,
        )
    },
    Call {
        result: Some(IncidentResult::NoFurtherAction),
        ..call(
            C::Administrative,
            "Request for information about a previous report",
            3.0,
            &ADMIN_CALL,
        )
    },
    Call {
        injury: Injury::None,
        ..call(
            C::RoadTraffic,
            "Road traffic collision, two vehicles, no injuries",
            4.0,
            &RTC_DAMAGE,
        )
    },
    Call {
        injury: Injury::Reported,
        ..call(
            C::RoadTraffic,
            "Road traffic collision, one casualty",
            2.0,
            &RTC_INJURY,
        )
    },
    call(
        C::RoadTraffic,
        "Vehicle driving erratically on the bypass",
        3.0,
        &RTC_DRIVER,
    ),
    Call {
        injury: Injury::None,
        ..call(
            C::Domestic,
            "Verbal argument between partners, no injuries reported",
            4.0,
            &DOMESTIC_CALL,
        )
    },
    call(
        C::Domestic,
        "Neighbour heard shouting and banging from the next-door address",
        3.0,
        &DOMESTIC_THIRD_PARTY,
    ),
    Call {
        injury: Injury::None,
        ..call(
            C::Domestic,
            "Caller wants their ex-partner removed from the address",
            2.0,
            &DOMESTIC_CALL,
        )
    },
    call(C::Alarm, "Intruder alarm activation", 4.0, &ALARM),
    call(C::Alarm, "Panic alarm activated", 1.0, &PANIC_ALARM),
    Call {
        injury: Injury::None,
        ..call(
            C::Crime,
            "Caller reports a theft, no further details",
            2.0,
            &CRIME_UNCONFIRMED,
        )
    },
    Call {
        injury: Injury::None,
        ..call(
            C::Crime,
            "Report of damage to a vehicle",
            2.0,
            &CRIME_UNCONFIRMED,
        )
    },
    call(
        C::Crime,
        "Caller reports being threatened online",
        1.0,
        &THREATS_ONLINE,
    ),
    call(
        C::MissingPerson,
        "Teenager not returned home from school",
        2.0,
        &MISSING_CHILD,
    ),
    call(
        C::MissingPerson,
        "Adult missing from care home",
        1.0,
        &MISSING_ADULT_CARE,
    ),
    call(
        C::MissingPerson,
        "Missing person, last seen yesterday evening",
        2.0,
        &MISSING_ADULT,
    ),
];

/// A call of `category`, by the relative frequency of the calls of that category: its
/// index into [`CALLS`].
pub fn pick_call(category: IncidentCategory, r: &mut ChaCha8Rng) -> Option<usize> {
    let options: Vec<(usize, f64)> = CALLS
        .iter()
        .enumerate()
        .filter(|(_, c)| c.category == category)
        .map(|(i, c)| (i, c.weight))
        .collect();
    pick_weighted(r, &options)
}

/// What THRIVE usually makes of a crime reported by a call.
fn crime_profile(code: HoOffenceCode, domestic: bool) -> &'static Profile {
    if domestic {
        return &DOMESTIC_CRIME;
    }
    let o = code.offence();
    match (o.group, o.subgroup.as_str()) {
        (OffenceGroup::SexualOffences, _) => &SEXUAL_CRIME,
        (_, "Stalking and harassment") => &STALKING,
        (OffenceGroup::ViolenceAgainstThePerson, _) => &VIOLENT_CRIME,
        (OffenceGroup::Robbery, _) => &ROBBERY,
        (_, "Domestic burglary") => &BURGLARY,
        (_, "Non-domestic burglary") => &COMMERCIAL_BURGLARY,
        (_, "Shoplifting") => &SHOPLIFTING,
        (OffenceGroup::TheftOffences, _) => &THEFT,
        (OffenceGroup::CriminalDamageAndArson, _) => &DAMAGE,
        (OffenceGroup::DrugOffences | OffenceGroup::PossessionOfWeapons, _) => &POSSESSION,
        (OffenceGroup::PublicOrderOffences, _) => &PUBLIC_ORDER,
        (OffenceGroup::FraudOffences, _) => &FRAUD,
        (OffenceGroup::MiscellaneousCrimes, _) => &MISCELLANEOUS,
    }
}

// ---------------------------------------------------------------------------------------
// The words: short rationales a call handler might type, from small tables.

const T: usize = 0;
const H: usize = 1;
const R: usize = 2;
const I: usize = 3;
const V: usize = 4;
const E: usize = 5;

/// What an incident is, as far as its words go: the family of its phrases, whether
/// someone was hurt, and whether a crime was recorded from it. Every rationale of the
/// incident is chosen to agree with it, so that none contradicts its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scene {
    family: Family,
    injured: bool,
    crime: bool,
}

impl Scene {
    /// Whether the incident has a suspect or abuser the words may speak of.
    fn has_suspect(&self) -> bool {
        matches!(
            self.family,
            Family::Domestic | Family::Violence | Family::Sexual | Family::Property
        )
    }
}

/// What a crime's summary says of injury: violence with injury and homicide report one;
/// sexual offences and robbery do not say; every other offence (assault without injury,
/// harassment, theft, damage, fraud, possession) had none.
pub fn crime_injury(code: HoOffenceCode) -> Injury {
    let o = code.offence();
    match (o.group, o.subgroup.as_str()) {
        (_, "Violence with injury" | "Homicide") => Injury::Reported,
        (OffenceGroup::SexualOffences | OffenceGroup::Robbery, _) => Injury::Unknown,
        _ => Injury::None,
    }
}

/// The harm rationales: a hurt person's harm is spoken of as an injury at every level, an
/// unhurt person's never is.
fn harm_phrases(scene: Scene, level: Level) -> &'static [&'static str] {
    use Family as Fa;
    use Level::{High, Low, Medium};
    match (level, scene.family, scene.injured) {
        (Low, _, true) => &[
            "Minor injury only; no medical attention needed",
            "Slight bruising; the victim declined medical help",
        ],
        (Low, Fa::Property | Fa::Fraud, false) => &[
            "Low-value loss and no injury",
            "No harm beyond inconvenience",
        ],
        (Low, _, false) => &["No injuries reported", "No harm beyond inconvenience"],
        (Medium, Fa::Domestic, true) => &[
            "Victim has a minor injury from being pushed",
            "Victim has bruising to the arms",
        ],
        (Medium, Fa::Domestic, false) => &[
            "Victim frightened; children heard the incident",
            "Victim shaken and frightened of what may happen next",
        ],
        (High, Fa::Domestic, true) => &[
            "Victim reports being strangled during the incident",
            "Victim assaulted and injured; ambulance requested",
        ],
        (High, Fa::Domestic, false) => &[
            "Victim terrified; at risk of serious harm if the suspect returns",
            "Children at the address frightened and at risk of harm",
        ],
        (Medium | High, Fa::Welfare | Fa::Missing, _) => &[
            "Person may have taken an overdose",
            "Person has missed their medication and is unwell",
            "Person is distressed and alone",
        ],
        (Medium | High, Fa::Road, true) => &[
            "Casualty injured; ambulance on the way",
            "Driver hurt and shaken; ambulance requested",
        ],
        (Medium | High, Fa::Road, false) => &[
            "Vehicles blocking the carriageway; risk of a further collision",
            "Drivers shaken; vehicles not driveable",
        ],
        (Medium | High, Fa::Hazard, _) => &[
            "Drivers swerving to avoid it; risk of a collision",
            "Could cause a serious collision after dark",
        ],
        (Medium | High, Fa::Death, _) => &[
            "Family at the address distressed by the death",
            "Circumstances of the death not yet known",
        ],
        (Medium | High, Fa::Property | Fa::Fraud, _) => &[
            "Home entered; the victim is shaken and distressed",
            "Loss of real value to the victim",
            "Victim has lost savings they rely on",
        ],
        (Medium | High, Fa::Possession, _) => &[
            "Weapon carried in a public place; risk of serious harm",
            "Drugs being dealt near a school",
        ],
        (Medium, _, true) => &[
            "Minor injuries; no medical attention needed",
            "Cut to the hand; treated at the scene",
        ],
        (Medium, _, false) => &[
            "Significant distress to the caller",
            "Victim frightened and shaken",
        ],
        (High, _, true) => &[
            "Serious injury reported; ambulance requested",
            "Head injury; the victim is drifting in and out of consciousness",
        ],
        (High, _, false) => &[
            "Life-threatening situation",
            "Risk of serious harm if not dealt with now",
        ],
    }
}

fn phrases(scene: Scene, element: usize, level: Level) -> &'static [&'static str] {
    use Family as Fa;
    use Level::{High, Low, Medium};
    let family = scene.family;
    match (element, level, family) {
        (H, _, _) => harm_phrases(scene, level),
        (T, Low, _) => &[
            "No threat reported to the caller or anyone else",
            "No ongoing threat: the incident is over",
            "Nobody is being threatened",
        ],
        (T, Medium, Fa::Domestic) => &[
            "Ex-partner has sent threatening messages today",
            "Partner threatened the caller during the argument but has left",
        ],
        (T, High, Fa::Domestic) => &[
            "Partner is at the address and making threats",
            "The suspect has threatened to kill the victim",
        ],
        (T, Medium, Fa::Violence | Fa::Sexual | Fa::Possession) => &[
            "Suspect has left but is known to the victim and lives nearby",
            "Threats made; the suspect may return",
        ],
        (T, High, Fa::Violence | Fa::Sexual | Fa::Possession) => &[
            "Suspect still at the scene and armed",
            "Fight in progress, several people involved",
        ],
        (T, Medium, Fa::Property | Fa::Suspicious) => &[
            "Offenders may still be nearby",
            "Alarm with signs of forced entry",
        ],
        (T, High, Fa::Property | Fa::Suspicious) => &[
            "Break-in in progress: the caller can hear people inside",
            "Persons seen inside closed premises",
        ],
        (T, Medium | High, Fa::Welfare | Fa::Missing) => &[
            "Person has threatened to take their own life",
            "Person may be with an adult who poses a risk to them",
        ],
        (T, Medium | High, Fa::Road) => &[
            "Vehicle still being driven dangerously",
            "Driver may be over the limit and still driving",
        ],
        (T, Medium | High, Fa::Hazard) => &[
            "Hazard in a live lane of a fast road",
            "Obstruction on a bend with poor visibility",
        ],
        (T, Medium | High, Fa::Death) => &[
            "Signs of a disturbance at the address",
            "Others at the address may be at risk",
        ],
        (T, Medium, _) => &[
            "Threats made but the person responsible has left",
            "Situation could flare up again",
        ],
        (T, High, _) => &[
            "Person responsible is still present and making threats",
            "Caller reports an ongoing threat of violence",
        ],
        (R, Low, _) => &[
            "Unlikely to escalate",
            "No sign of further incidents",
            "Risk of escalation assessed as low",
        ],
        (R, Medium, Fa::Domestic) => &[
            "History of domestic incidents at the address",
            "Separation recently; abuse becoming more frequent",
        ],
        (R, High, Fa::Domestic) => &[
            "DASH risk factors present: separation, escalation, threats to kill",
            "Escalating abuse; further harm likely tonight",
        ],
        (R, Medium | High, Fa::Missing) => &[
            "Out of character; not known to be safe",
            "High-risk missing person: vulnerable and out of character",
        ],
        (R, Medium | High, Fa::Welfare) => &[
            "Risk to life: previous attempts reported",
            "Could deteriorate quickly without help",
        ],
        (R, Medium | High, Fa::Road | Fa::Hazard) => &[
            "Danger to other road users until dealt with",
            "Risk of a collision until the road is cleared",
        ],
        (R, Medium | High, Fa::Death) => &[
            "Scene to be kept until the death is known not to be suspicious",
            "Family need support until the undertaker arrives",
        ],
        (R, Medium, _) => &[
            "Could escalate if not dealt with today",
            "Previous similar incidents at this address",
        ],
        (R, High, _) => &[
            "Escalating; further harm likely without police attendance",
            "Offenders likely to strike again tonight",
        ],
        (I, Low, _) => &[
            "No lines of enquiry identified",
            "No witnesses, CCTV or forensic opportunities",
            "Nothing to investigate",
        ],
        (I, Medium, Fa::Property) => &[
            "House-to-house and CCTV enquiries possible",
            "Stolen items identifiable; serial numbers held",
        ],
        (I, High, Fa::Property) => &[
            "Offenders disturbed; point of entry to be examined for forensics",
            "CCTV shows the offenders; scene to be preserved",
        ],
        (I, Medium | High, Fa::Fraud) => &[
            "Bank details and transaction records available",
            "Suspect's account details known",
        ],
        (I, Medium | High, Fa::Death) => &[
            "Circumstances of the death to be established for the coroner",
            "GP to be contacted about the person's medical history",
        ],
        (I, Medium | High, Fa::Road | Fa::Hazard) => &[
            "Dashcam footage and witness details available",
            "Vehicle registration given by the caller",
        ],
        (I, Medium, _) => &[
            "Possible CCTV nearby; witness details taken",
            "Suspect known to the victim",
            "Forensic opportunities at the scene",
        ],
        (I, High, _) => &[
            "Suspect identified and location known; evidence to secure now",
            "Scene to be preserved for forensic examination",
        ],
        (V, Low, _) => &[
            "No vulnerability identified",
            "Caller is not vulnerable and has support",
        ],
        (V, _, _) => &["Caller is alone and frightened"],
        (E, Low, _) => &[
            "Caller willing to support police action",
            "Caller co-operative",
        ],
        (E, Medium, _) => &[
            "Caller reluctant to give details",
            "Victim unsure about supporting a prosecution",
        ],
        (E, High, _) => &[
            "Victim does not want police involvement; third-party report",
            "Caller hung up and cannot be re-contacted",
        ],
        _ => &["Assessed on the information available"],
    }
}

/// The vulnerability rationale for an identified factor.
fn factor_phrase(f: F) -> &'static str {
    match f {
        F::DomesticAbuse => "Victim of domestic abuse by a partner or ex-partner",
        F::Child => "A child is involved or present at the address",
        F::SexualExploitation => "Signs of child sexual exploitation",
        F::MentalHealth => "Caller discloses a mental health condition",
        F::Missing => "Missing and not known to be safe",
        F::OlderPerson => "Older person living alone",
        F::StalkingHarassment => "Victim of a pattern of stalking",
        F::HateCrime => "Targeted because of their race or religion",
        F::Disability => "Person has a learning disability",
        F::RepeatVictim => "Repeat victim: previous reports by the same caller",
        F::SubstanceMisuse => "Person is heavily intoxicated",
        F::CommunicationNeeds => "Caller needs an interpreter",
        F::Isolated => "No family or friends nearby to help",
        F::Homeless => "Person is sleeping rough",
        F::ModernSlavery => "Indicators of modern slavery",
        F::HonourBasedAbuse => "Indicators of honour-based abuse",
    }
}

/// The factor a vulnerability rationale names first.
const FACTOR_ORDER: [F; 16] = [
    F::DomesticAbuse,
    F::Child,
    F::SexualExploitation,
    F::MentalHealth,
    F::Missing,
    F::OlderPerson,
    F::StalkingHarassment,
    F::HateCrime,
    F::Disability,
    F::RepeatVictim,
    F::SubstanceMisuse,
    F::CommunicationNeeds,
    F::Isolated,
    F::Homeless,
    F::ModernSlavery,
    F::HonourBasedAbuse,
];

const OVERRIDE_UP: &[&str] = &[
    "Upgraded: caller very distressed and the call disconnected",
    "Upgraded on the call handler's judgement: possible risk to a child",
    "Upgraded: previous incidents at this address",
];
/// Why a call handler graded lower than THRIVE proposed.
fn override_down(scene: Scene) -> Vec<&'static str> {
    let mut v = vec![
        "No units available; caller content with an appointment",
        "Caller content to be dealt with by telephone",
    ];
    if scene.has_suspect() {
        v.push("Suspect has left and the caller is with family");
    }
    v
}

/// Why a re-assessment while the incident waits lowers its grade.
fn reassess_down(scene: Scene) -> Vec<&'static str> {
    let mut v = vec!["Caller now content to wait for an appointment"];
    match scene.family {
        Family::Missing => v.push("Call-back: the person has returned home safe and well"),
        Family::Welfare => v.push("Call-back: the person is safe and with family"),
        _ if scene.has_suspect() => {
            v.push("Caller rang back: the suspect has left and the caller is safe");
        }
        _ => {}
    }
    if !scene.injured {
        v.push("Re-assessed on call-back: no injuries and no further threat");
    }
    v
}

/// A lower grade without a rationale of its own (see [`Planned::checked`]).
const LESS_URGENT: &str = "Re-assessed: less urgent on the information now available";

/// Why a re-assessment while the incident waits raises its grade.
fn reassess_up(scene: Scene) -> Vec<&'static str> {
    let mut v = vec!["Further call: the situation has got worse"];
    match scene.family {
        Family::Missing | Family::Welfare => {
            v.push("Further call: the person has not been found and their phone is off");
        }
        Family::Property => v.push("Caller rang back: the offenders have been seen nearby again"),
        _ if scene.has_suspect() => {
            v.push("Caller rang back: the suspect has returned to the address");
        }
        _ => {}
    }
    if matches!(
        scene.family,
        Family::Domestic | Family::Violence | Family::Nuisance
    ) {
        v.push("Situation escalating: neighbours report screaming");
    }
    v
}

/// Why officers at the scene lower the grade.
fn at_scene_down(scene: Scene) -> Vec<&'static str> {
    let mut v = vec!["Officers at scene: the situation has calmed; no further attendance needed"];
    if !scene.injured && !scene.crime {
        v.push("Officers at scene: no injuries and no offences disclosed");
    }
    v
}

/// Why officers were sent, for an incident of the grade at `grade` (its place in
/// `ResponseGrade::ALL`).
fn deployed(grade: usize, scene: Scene) -> Vec<&'static str> {
    match grade {
        0 => {
            let mut v = vec!["Immediate deployment: nearest unit sent on blue lights"];
            match scene.family {
                Family::Welfare | Family::Missing => {
                    v.push("Threat to life: nearest unit sent on blue lights");
                }
                Family::Property | Family::Suspicious => {
                    v.push("Offenders may still be at the scene; immediate deployment");
                }
                _ if scene.has_suspect() => {
                    v.push("Suspect still at the scene; immediate deployment");
                }
                _ => {}
            }
            if scene.injured {
                v.push("Serious injury reported; officers and ambulance sent");
            }
            v
        }
        1 => {
            let mut v = vec![
                "Vulnerable caller; officers to attend within the hour",
                "Unit allocated from the response queue",
            ];
            if scene.injured && scene.has_suspect() {
                v.push("Victim injured; suspect has left; attendance needed");
            }
            v
        }
        2 => vec![
            "Appointment booked with the caller",
            "Officer to take a statement at a time agreed with the caller",
            "Scene to be examined; visit arranged",
        ],
        _ => vec!["Officer in the area able to call in"],
    }
}

const NOT_ATTENDING: &[&str] = &[
    "Resolved by telephone: advice given and caller content",
    "Allocated for telephone investigation: no need to attend",
    "Referred to the local authority, who are better placed to help",
    "Caller no longer needs police attendance",
    "No police action needed: information recorded",
];

/// Why an incident opened as a crime is not one.
fn not_a_crime(scene: Scene) -> Vec<&'static str> {
    let mut v = vec![
        "No notifiable offence disclosed",
        "Civil dispute: no offence",
        "Caller confirmed no crime took place",
        "Duplicate of a crime already recorded",
    ];
    if scene.family == Family::Property {
        v.push("Additional verifiable information: the item was lost, not stolen");
    }
    v
}

const NO_EVIDENCE_ADVICE: &[&str] = &[
    "Caller ended the call before advice could be given",
    "No scene or evidence to preserve",
    "Report made long after the event; nothing to preserve",
    "Caller declined advice",
];
const NO_PREVENTION_ADVICE: &[&str] = &[
    "Caller declined advice",
    "Caller ended the call before advice could be given",
    "Referred to the crime prevention officer",
    "Not relevant to this report",
];

// ---------------------------------------------------------------------------------------
// The generator.

/// What the generator needs to know of an incident.
#[derive(Debug, Clone)]
pub struct Facts {
    pub id: RecordId,
    pub received_at: DateTime<Utc>,
    pub category: IncidentCategory,
    /// The kind of call, by index into [`CALLS`], for a call that is not a crime.
    pub call: Option<usize>,
    pub area: Option<AreaId>,
    pub setting: Setting,
    /// The call handler who opened it.
    pub opened_by: Option<UserId>,
    /// The crime recorded from it, if any.
    pub crime: Option<CrimeFacts>,
}

/// What the generator needs to know of the crime an incident led to.
#[derive(Debug, Clone)]
pub struct CrimeFacts {
    pub code: HoOffenceCode,
    pub domestic: bool,
    pub committed_from: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<UserId>,
    /// The victim is a child, an older person (75 or over), was a victim before, or lives
    /// with children.
    pub child: bool,
    pub older: bool,
    pub repeat: bool,
    pub child_at_home: bool,
}

/// What first contact adds to an incident's own row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub channel: Channel,
    pub occurred_at: Option<DateTime<Utc>>,
    pub grade: Option<ResponseGrade>,
    pub closure: Option<Closure>,
}

/// Counts of what was written, for the summary and the benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstContactSummary {
    /// Incidents by channel, in the order of `Channel::ALL`.
    pub channels: [u64; 4],
    /// Incidents by current grade, emergency first; then ungraded (never assessed).
    pub grades: [u64; 5],
    pub assessments: u64,
    pub reassessments: u64,
    pub downgrades: u64,
    pub upgrades: u64,
    /// Grades other than the one THRIVE proposed.
    pub overrides: u64,
    pub inconsistent: u64,
    /// THRIVE duties: raised, met within the time set, met late, unmet at the end.
    pub thrive_due: u64,
    pub thrive_on_time: u64,
    pub thrive_late: u64,
    pub thrive_missing: u64,
    pub advice: u64,
    pub evidence_given: u64,
    pub prevention_given: u64,
    /// Attendance rows: decisions and arrivals.
    pub attendance: u64,
    pub deployments: u64,
    pub not_attending: u64,
    /// Arrivals and arrivals within target, per grade with a target (emergency, priority,
    /// scheduled).
    pub arrivals: [(u64, u64); 3],
    pub decisions_crime: u64,
    pub decisions_not_a_crime: u64,
    /// NCRS duties: raised, met within 24 hours, met late, unmet at the end.
    pub ncrs_due: u64,
    pub ncrs_on_time: u64,
    pub ncrs_late: u64,
    pub ncrs_missing: u64,
    pub closed: u64,
    /// Incidents opened as crimes, closed without attendance; of those, flagged.
    pub closed_crimes_unattended: u64,
    pub flagged: u64,
    pub queued: u64,
    /// Queued longer than the grade allows at the end of the period.
    pub queued_overdue: u64,
    pub duties: u64,
}

/// Every first-contact row of a run.
#[derive(Debug, Default)]
pub struct Rows {
    /// Per incident, in the order given.
    pub outcomes: Vec<Outcome>,
    pub assessments: Vec<NewAssessment>,
    pub advice: Vec<NewAdvice>,
    pub attendance: Vec<NewAttendance>,
    pub decisions: Vec<(RecordId, Decision)>,
    pub queue: Vec<NewQueued>,
    pub duties: Vec<(Uuid, Duty)>,
    pub summary: FirstContactSummary,
}

/// Shared text: each phrase and each distinct proposal reason or factor list is allocated
/// once and shared by every row that uses it.
#[derive(Default)]
struct Texts {
    fixed: HashMap<&'static str, Arc<str>>,
    owned: HashMap<String, Arc<str>>,
}

impl Texts {
    fn of(&mut self, s: &'static str) -> Arc<str> {
        Arc::clone(self.fixed.entry(s).or_insert_with(|| Arc::from(s)))
    }

    fn own(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.owned.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.owned.insert(s.to_string(), Arc::clone(&a));
        a
    }
}

/// A THRIVE as drawn: levels in the order of `Element::ALL`, and the factors.
#[derive(Debug, Clone)]
struct Draft {
    levels: [Level; 6],
    factors: BTreeSet<F>,
}

impl Draft {
    /// The domain's THRIVE for these levels (without rationales: the rule and the
    /// consistency check read only levels and factors).
    fn thrive(&self) -> Thrive {
        let j = |level: Level| Judgement {
            level,
            rationale: String::new(),
        };
        Thrive {
            threat: j(self.levels[T]),
            harm: j(self.levels[H]),
            risk: j(self.levels[R]),
            investigation: j(self.levels[I]),
            vulnerability: j(self.levels[V]),
            factors: self.factors.clone(),
            engagement: j(self.levels[E]),
        }
    }
}

/// A grade's place in `ResponseGrade::ALL` (emergency first).
fn grade_index(g: ResponseGrade) -> usize {
    3 - usize::from(g.urgency())
}

fn grade_at(index: usize) -> ResponseGrade {
    ResponseGrade::ALL
        .get(index.min(3))
        .copied()
        .unwrap_or(ResponseGrade::ResolutionWithoutDeployment)
}

pub(crate) fn chance(r: &mut ChaCha8Rng, p: f64) -> bool {
    r.random::<f64>() < p
}

pub(crate) fn one<'a>(r: &mut ChaCha8Rng, options: &[&'a str]) -> &'a str {
    options
        .get(r.random_range(0..options.len().max(1)))
        .copied()
        .unwrap_or("")
}

/// A standard normal draw (Box–Muller), kept within three deviations.
fn normal(r: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - r.random::<f64>();
    let u2: f64 = r.random();
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()).clamp(-3.0, 3.0)
}

/// A span drawn from a log-normal distribution with this median (minutes) and spread.
pub(crate) fn lognormal(r: &mut ChaCha8Rng, median_minutes: f64, sigma: f64) -> TimeDelta {
    let minutes = median_minutes * (sigma * normal(r)).exp();
    TimeDelta::seconds((minutes * 60.0).round() as i64)
}

fn minutes(r: &mut ChaCha8Rng, from: f64, to: f64) -> TimeDelta {
    TimeDelta::seconds((r.random_range(from..to) * 60.0).round() as i64)
}

/// An element by `emphasis`, among those not in `taken`; any free one when none weighs.
fn pick_element(r: &mut ChaCha8Rng, emphasis: &[f64; 6], taken: &[usize]) -> usize {
    let options: Vec<(usize, f64)> = (0..6)
        .filter(|e| !taken.contains(e))
        .map(|e| (e, emphasis[e]))
        .collect();
    if options.iter().all(|(_, w)| *w <= 0.0) {
        let free: Vec<usize> = options.iter().map(|(e, _)| *e).collect();
        return free
            .get(r.random_range(0..free.len().max(1)))
            .copied()
            .unwrap_or(I);
    }
    pick_weighted(r, &options).unwrap_or(I)
}

/// Levels that lead the grading rule to `grade`, raised on the elements the profile
/// emphasises.
/// `grave` (a child or domestic abuse among the factors) will raise harm to at least
/// medium, so a priority grade then never rests on a high threat or risk.
fn levels_for(
    grade: ResponseGrade,
    emphasis: &[f64; 6],
    grave: bool,
    r: &mut ChaCha8Rng,
) -> [Level; 6] {
    let mut l = [Level::Low; 6];
    match grade {
        ResponseGrade::ResolutionWithoutDeployment => {}
        ResponseGrade::Scheduled => l[pick_element(r, emphasis, &[])] = Level::Medium,
        ResponseGrade::Priority => {
            if chance(r, 0.4) {
                let e = pick_element(r, emphasis, if grave { &[T, R] } else { &[] });
                l[e] = Level::High;
                // Threat or risk high with harm at least medium would be an emergency.
                let mut taken = vec![e];
                if e == T || e == R {
                    taken.extend([H, T, R]);
                }
                if chance(r, 0.4) && taken.len() < 6 {
                    let other = pick_element(r, emphasis, &taken);
                    l[other] = Level::Medium;
                }
            } else {
                let n = if chance(r, 0.6) { 2 } else { 3 };
                let mut taken = Vec::new();
                for _ in 0..n {
                    let e = pick_element(r, emphasis, &taken);
                    l[e] = Level::Medium;
                    taken.push(e);
                }
            }
        }
        ResponseGrade::Emergency => {
            let trigger = if r.random::<f64>() * (emphasis[T] + emphasis[R]) < emphasis[T] {
                T
            } else {
                R
            };
            l[trigger] = Level::High;
            l[H] = if chance(r, 0.5) {
                Level::High
            } else {
                Level::Medium
            };
            let mut taken = vec![trigger, H];
            for _ in 0..r.random_range(1..=2) {
                let e = pick_element(r, emphasis, &taken);
                l[e] = if chance(r, 0.3) {
                    Level::High
                } else {
                    Level::Medium
                };
                taken.push(e);
            }
        }
    }
    l
}

/// Keeps a THRIVE consistent with its factors: listed factors mean vulnerability at least
/// medium; a child or domestic abuse means harm at least medium.
fn make_consistent(d: &mut Draft) {
    if !d.factors.is_empty() && d.levels[V] == Level::Low {
        d.levels[V] = Level::Medium;
    }
    if (d.factors.contains(&F::Child) || d.factors.contains(&F::DomesticAbuse))
        && d.levels[H] == Level::Low
    {
        d.levels[H] = Level::Medium;
    }
}

/// The chance an assessment with factors is inconsistent with them, for a supervisor to
/// find: vulnerability judged low although factors are listed, or harm low with a child or
/// domestic abuse.
const INCONSISTENT: f64 = 0.07;

fn draft(
    profile: &Profile,
    grade: ResponseGrade,
    factors: &BTreeSet<F>,
    r: &mut ChaCha8Rng,
) -> Draft {
    let grave = factors.contains(&F::Child) || factors.contains(&F::DomesticAbuse);
    let mut d = Draft {
        levels: levels_for(grade, &profile.emphasis, grave, r),
        factors: factors.clone(),
    };
    if d.levels[V] >= Level::Medium
        && d.factors.is_empty()
        && let Some((f, _)) = profile.factors.first().filter(|_| chance(r, 0.6))
    {
        d.factors.insert(*f);
    }
    make_consistent(&mut d);
    if !d.factors.is_empty() && chance(r, INCONSISTENT) {
        let grave = d.factors.contains(&F::Child) || d.factors.contains(&F::DomesticAbuse);
        if grave && chance(r, 0.5) {
            d.levels[H] = Level::Low;
        } else {
            d.levels[V] = Level::Low;
        }
    }
    d
}

/// The settings and state of one run's first contact.
struct Generator<'a> {
    seed: u64,
    end: DateTime<Utc>,
    config: &'a Config,
    handlers: &'a [UserId],
    texts: Texts,
    rows: Rows,
}

/// One assessment as planned, before it is known whether it happened by the end.
struct Planned {
    at: DateTime<Utc>,
    draft: Draft,
    proposed: ResponseGrade,
    reason: String,
    grade: ResponseGrade,
    rationale: Option<&'static str>,
    /// Whether it (re)queues the incident.
    queues: bool,
}

/// A plan for an attendance decision.
struct Attend {
    at: DateTime<Utc>,
    kind: AttendanceKind,
    arrival: Option<DateTime<Utc>>,
}

impl Generator<'_> {
    fn handler(&self, r: &mut ChaCha8Rng) -> Option<UserId> {
        self.handlers
            .get(r.random_range(0..self.handlers.len().max(1)))
            .copied()
    }

    fn factors(&self, f: &Facts, profile: &Profile, r: &mut ChaCha8Rng) -> BTreeSet<F> {
        let mut out = BTreeSet::new();
        for (factor, p) in profile.factors {
            if chance(r, *p) {
                out.insert(*factor);
            }
        }
        if let Some(c) = &f.crime {
            if c.domestic {
                out.insert(F::DomesticAbuse);
                if c.child_at_home && chance(r, 0.8) {
                    out.insert(F::Child);
                }
            }
            if c.child {
                out.insert(F::Child);
                if c.code.group() == OffenceGroup::SexualOffences && chance(r, 0.5) {
                    out.insert(F::SexualExploitation);
                }
            }
            if c.older && chance(r, 0.8) {
                out.insert(F::OlderPerson);
            }
            if c.repeat && chance(r, 0.8) {
                out.insert(F::RepeatVictim);
            }
            let d = c.code.offence().description.to_ascii_lowercase();
            if d.contains("racially") || d.contains("religiously") {
                out.insert(F::HateCrime);
            }
        }
        if chance(r, 0.01) {
            out.insert(F::CommunicationNeeds);
        }
        out
    }

    /// An assessment of `draft` at `at`, graded as the force's rule proposes.
    fn plan_assessment(&self, at: DateTime<Utc>, draft: Draft, queues: bool) -> Planned {
        let proposal = self.config.grading.at_instant(at).propose(&draft.thrive());
        Planned {
            at,
            proposed: proposal.grade,
            reason: proposal.reason,
            grade: proposal.grade,
            rationale: None,
            draft,
            queues,
        }
    }

    /// Writes an assessment that happened, and counts it.
    #[allow(clippy::too_many_arguments)]
    fn write_assessment(
        &mut self,
        incident: RecordId,
        seq: i32,
        revises: Option<Uuid>,
        p: &Planned,
        previous: Option<ResponseGrade>,
        by: UserId,
        setting: Setting,
        scene: Scene,
        ids: &mut Ids,
        r: &mut ChaCha8Rng,
    ) -> Uuid {
        let id = ids.next(p.at);
        let mut elements: [(Level, Arc<str>); 6] =
            std::array::from_fn(|_| (Level::Low, Arc::from("")));
        for (e, slot) in elements.iter_mut().enumerate() {
            let level = p.draft.levels[e];
            let text = if e == V && level >= Level::Medium {
                FACTOR_ORDER
                    .iter()
                    .find(|f| p.draft.factors.contains(f))
                    .map_or_else(|| one(r, phrases(scene, V, level)), |f| factor_phrase(*f))
            } else {
                one(r, phrases(scene, e, level))
            };
            *slot = (level, self.texts.of(text));
        }
        let inconsistent = !p.draft.thrive().inconsistencies().is_empty();
        let factors = factors_text(&p.draft.factors);
        let row = NewAssessment {
            id,
            incident,
            seq,
            revises,
            assessed_at: p.at,
            assessed_by: by,
            elements,
            factors: self.texts.own(&factors),
            proposed: p.proposed,
            proposal_reason: self.texts.own(&p.reason),
            grade: p.grade,
            previous,
            grade_rationale: p.rationale.map(|t| self.texts.of(t)),
            setting,
            inconsistent,
        };
        let s = &mut self.rows.summary;
        s.assessments += 1;
        s.inconsistent += u64::from(inconsistent);
        s.overrides += u64::from(p.grade != p.proposed);
        if let Some(before) = previous {
            s.reassessments += 1;
            s.downgrades += u64::from(p.grade.urgency() < before.urgency());
            s.upgrades += u64::from(p.grade.urgency() > before.urgency());
        }
        self.rows.assessments.push(row);
        id
    }

    /// When the call handler decides on attendance for an incident queued at `grade` at
    /// `from`, and when officers arrive.
    fn plan_attendance(
        &self,
        grade: ResponseGrade,
        setting: Setting,
        crime: bool,
        from: DateTime<Utc>,
        r: &mut ChaCha8Rng,
    ) -> Attend {
        let deploy = |at: DateTime<Utc>, travel: TimeDelta| Attend {
            at,
            kind: AttendanceKind::Deployed,
            arrival: Some(at + travel.max(TimeDelta::minutes(1))),
        };
        let resolve = |at: DateTime<Utc>| Attend {
            at,
            kind: AttendanceKind::NotAttending,
            arrival: None,
        };
        match grade {
            ResponseGrade::Emergency => {
                let mut wait = minutes(r, 0.3, 2.5);
                if chance(r, 0.07) {
                    // No unit free.
                    wait += minutes(r, 4.0, 20.0);
                }
                let travel = match setting {
                    Setting::Urban => lognormal(r, 6.5, 0.45),
                    Setting::Rural => lognormal(r, 10.5, 0.45),
                };
                deploy(from + wait, travel)
            }
            ResponseGrade::Priority => {
                if chance(r, 0.04) {
                    resolve(from + lognormal(r, 40.0, 0.8))
                } else {
                    let wait = lognormal(r, 13.0, 0.9).min(TimeDelta::hours(10));
                    let travel = match setting {
                        Setting::Urban => lognormal(r, 11.0, 0.5),
                        Setting::Rural => lognormal(r, 16.0, 0.5),
                    };
                    deploy(from + wait, travel)
                }
            }
            ResponseGrade::Scheduled => {
                if chance(r, if crime { 0.22 } else { 0.15 }) {
                    resolve(from + lognormal(r, 6.0 * 60.0, 0.9))
                } else {
                    // Appointments, some of them put back for want of officers.
                    let wait = if chance(r, 0.08) {
                        lognormal(r, 60.0 * 60.0, 0.4)
                    } else {
                        lognormal(r, 16.0 * 60.0, 0.7)
                    };
                    deploy(from + wait, lognormal(r, 15.0, 0.5))
                }
            }
            ResponseGrade::ResolutionWithoutDeployment => {
                if chance(r, 0.02) {
                    deploy(
                        from + lognormal(r, 3.0 * 60.0, 0.8),
                        lognormal(r, 15.0, 0.5),
                    )
                } else {
                    resolve(from + lognormal(r, 2.5 * 60.0, 1.0).max(TimeDelta::minutes(5)))
                }
            }
        }
    }

    /// Generates everything first contact records of one incident, up to the end of the
    /// period.
    #[allow(clippy::too_many_lines)]
    fn incident(&mut self, index: usize, f: &Facts, ids: &mut Ids) -> Outcome {
        let mut r = rng(self.seed, Stream::FirstContact, index as u64);
        let r = &mut r;
        let end = self.end;
        let call = f.call.and_then(|c| CALLS.get(c));
        let profile: &'static Profile = match (&f.crime, call) {
            (Some(c), _) => crime_profile(c.code, c.domestic),
            (None, Some(c)) => c.profile,
            (None, None) => &CRIME_UNCONFIRMED,
        };
        let family = profile.family;
        let factors = self.factors(f, profile, r);
        // What the summary says of injury, for every rationale to agree with.
        let injury = match (&f.crime, call) {
            (Some(c), _) => crime_injury(c.code),
            (None, Some(c)) => c.injury,
            (None, None) => Injury::Unknown,
        };
        let scene = Scene {
            family,
            injured: match injury {
                Injury::None => false,
                Injury::Reported => true,
                Injury::Unknown => chance(r, 0.4),
            },
            crime: f.crime.is_some(),
        };
        let intended = grade_at(
            pick_weighted(
                r,
                &[
                    (0, profile.grades[0]),
                    (1, profile.grades[1]),
                    (2, profile.grades[2]),
                    (3, profile.grades[3]),
                ],
            )
            .unwrap_or(3),
        );
        let opened = f.received_at;

        // The first assessment, and the call handler's choice of grade.
        let d1 = draft(profile, intended, &factors, r);
        let mut first = self.plan_assessment(opened, d1, true);
        if chance(r, 0.045) {
            let i = grade_index(first.grade);
            let up = chance(r, 0.45);
            if up && i > 0 {
                first.grade = grade_at(i - 1);
                first.rationale = Some(one(r, OVERRIDE_UP));
            } else if !up && i < 3 {
                first.grade = grade_at(i + 1);
                first.rationale = Some(one(r, &override_down(scene)));
            }
        }
        let mut first = first.checked(None);

        // How it came in, and when it happened.
        let channel = self.channel(profile, first.grade, r);
        let occurred_at = match &f.crime {
            Some(c) => Some(c.committed_from.min(opened)),
            None => self.occurred(family, call, opened, r),
        };
        let mut outcome = Outcome {
            channel,
            occurred_at,
            grade: None,
            closure: None,
        };
        self.rows.summary.channels[Channel::ALL.iter().position(|c| *c == channel).unwrap_or(1)] +=
            1;

        let Some(handler) = f.opened_by.or_else(|| self.handler(r)) else {
            return outcome;
        };

        // When THRIVE was completed: minutes after opening for most, late for a visible
        // minority, never for a few.
        let online = channel == Channel::Online;
        let emergency = first.grade == ResponseGrade::Emergency;
        let u: f64 = r.random();
        let (never, late) = match (emergency, online) {
            (true, _) => (0.0, 0.01),
            (false, true) => (0.025, 0.18),
            (false, false) => (0.01, 0.065),
        };
        let assessed_at = if u < never {
            None
        } else if u < never + late {
            Some(
                opened + TimeDelta::minutes(31) + lognormal(r, 50.0, 0.9).min(TimeDelta::hours(12)),
            )
        } else if emergency {
            Some(opened + minutes(r, 0.5, 3.0))
        } else {
            Some(
                opened
                    + (TimeDelta::minutes(1) + lognormal(r, 4.0, 0.7)).min(TimeDelta::minutes(29)),
            )
        };

        // The timeline: assessments, attendance, the crime-recording decision.
        let mut plans: Vec<Planned> = Vec::new();
        let mut attend: Option<Attend> = None;
        if let Some(t1) = assessed_at {
            first.at = t1;
            let g1 = first.grade;
            let mut plan = self.plan_attendance(g1, f.setting, f.category.is_crime(), t1, r);
            plans.push(first);
            // Re-THRIVE while waiting: a call-back finds things changed.
            let p_reassess = match g1 {
                ResponseGrade::Emergency => 0.01,
                ResponseGrade::Priority => 0.10,
                ResponseGrade::Scheduled => 0.09,
                ResponseGrade::ResolutionWithoutDeployment => 0.05,
            };
            if chance(r, p_reassess) {
                let wait = (plan.at - t1).max(TimeDelta::minutes(4));
                let t2 = t1
                    + TimeDelta::seconds(
                        (wait.num_seconds() as f64 * r.random_range(0.15..0.85)) as i64,
                    )
                    .max(TimeDelta::minutes(2));
                let i = grade_index(g1);
                let u: f64 = r.random();
                let target = if u < 0.55 && i < 3 {
                    grade_at(i + if chance(r, 0.2) { 2 } else { 1 })
                } else if u < 0.8 && i > 0 {
                    grade_at(i - 1)
                } else {
                    g1
                };
                let d2 = draft(profile, target, &factors, r);
                let mut second = self.plan_assessment(t2, d2, true);
                // A crime sent for telephone resolution although lines of enquiry remain.
                if f.category.is_crime()
                    && target == ResponseGrade::ResolutionWithoutDeployment
                    && chance(r, 0.35)
                {
                    second.draft.levels[I] = Level::Medium;
                    let rule = self.config.grading.at_instant(t2);
                    let p = rule.propose(&second.draft.thrive());
                    second.proposed = p.grade;
                    second.reason = p.reason;
                    second.grade = target;
                }
                second.rationale = if second.grade.urgency() < g1.urgency() {
                    Some(one(r, &reassess_down(scene)))
                } else if second.grade.urgency() > g1.urgency() {
                    Some(one(r, &reassess_up(scene)))
                } else if second.grade != second.proposed {
                    Some(one(r, &override_down(scene)))
                } else {
                    None
                };
                let second = second.checked(Some(g1));
                plan = self.plan_attendance(second.grade, f.setting, f.category.is_crime(), t2, r);
                plans.push(second);
            }
            // Re-THRIVE at the scene: officers find it less serious than it sounded.
            if let Some(arrived) = plan.arrival
                && plans.last().is_some_and(|p| p.grade.urgency() >= 2)
                && chance(r, 0.04)
            {
                let before = plans.last().map_or(g1, |p| p.grade);
                let target = grade_at(grade_index(before) + if chance(r, 0.5) { 1 } else { 2 });
                let d = draft(profile, target, &factors, r);
                let mut at_scene = self.plan_assessment(arrived + minutes(r, 10.0, 40.0), d, false);
                if at_scene.grade.urgency() < before.urgency() {
                    at_scene.rationale = Some(one(r, &at_scene_down(scene)));
                }
                plans.push(at_scene.checked(Some(before)));
            }
            attend = Some(plan);
        }

        // Record what happened before the end of the period.
        let mut events = vec![Event::IncidentOpened {
            incident: f.id,
            at: opened,
            reported_at: f.received_at,
            category: f.category,
        }];
        let mut timed: Vec<(DateTime<Utc>, u8, Event)> = Vec::new();
        let mut previous: Option<(Uuid, ResponseGrade)> = None;
        let mut latest: Option<usize> = None;
        for (seq, p) in plans.iter().enumerate() {
            if p.at >= end {
                break;
            }
            let before = previous.map(|(_, g)| g);
            let id = self.write_assessment(
                f.id,
                i32::try_from(seq + 1).unwrap_or(i32::MAX),
                previous.map(|(id, _)| id),
                p,
                before,
                handler,
                f.setting,
                scene,
                ids,
                r,
            );
            previous = Some((id, p.grade));
            latest = Some(seq);
            timed.push((
                p.at,
                0,
                Event::ThriveRecorded {
                    incident: f.id,
                    at: p.at,
                    grade: p.grade,
                },
            ));
            if p.queues {
                timed.push((
                    p.at,
                    1,
                    Event::IncidentQueued {
                        incident: f.id,
                        at: p.at,
                        grade: p.grade,
                        setting: f.setting,
                    },
                ));
            }
            if seq == 0 && f.category.is_crime() {
                self.advice(f.id, p.at, handler, family, r);
            }
        }
        let latest = latest.and_then(|i| plans.get(i));
        outcome.grade = latest.map(|p| p.grade);

        // Attendance.
        let mut dealt_with: Option<DateTime<Utc>> = None;
        let mut attended = false;
        if let (Some(a), Some(_)) = (&attend, latest)
            && a.at < end
        {
            let grade_then = plans
                .iter()
                .rfind(|p| p.at <= a.at)
                .map_or(ResponseGrade::Priority, |p| p.grade);
            let rationale = match a.kind {
                AttendanceKind::NotAttending => one(r, NOT_ATTENDING),
                _ => one(r, &deployed(grade_index(grade_then), scene)),
            };
            let by = self.handler(r).unwrap_or(handler);
            self.rows.summary.attendance += 1;
            self.rows.attendance.push(NewAttendance {
                id: ids.next(a.at),
                incident: f.id,
                kind: a.kind,
                at: a.at,
                rationale: Some(self.texts.of(rationale)),
                grade: None,
                target_met: None,
                recorded_at: a.at,
                recorded_by: by,
            });
            timed.push((
                a.at,
                2,
                Event::AttendanceRecorded {
                    incident: f.id,
                    at: a.at,
                },
            ));
            dealt_with = Some(a.at);
            if a.kind == AttendanceKind::Deployed {
                attended = true;
                self.rows.summary.deployments += 1;
            } else {
                self.rows.summary.not_attending += 1;
            }
            if let Some(arrived) = a.arrival.filter(|t| *t < end) {
                let target_met = attendance(
                    f.received_at,
                    arrived,
                    grade_then,
                    f.setting,
                    &self.config.duty_rules.attendance,
                )
                .map(|x| x.is_met());
                if let Some(slot) = self.rows.summary.arrivals.get_mut(grade_index(grade_then)) {
                    slot.0 += 1;
                    slot.1 += u64::from(target_met == Some(true));
                }
                self.rows.summary.attendance += 1;
                self.rows.attendance.push(NewAttendance {
                    id: ids.next(arrived),
                    incident: f.id,
                    kind: AttendanceKind::Arrived,
                    at: arrived,
                    rationale: None,
                    grade: Some(grade_then),
                    target_met,
                    recorded_at: arrived,
                    recorded_by: by,
                });
                dealt_with = Some(arrived);
            }
        }

        // The crime-recording decision: crimes recorded from the incident, or not a crime.
        let decided_at = if let Some(c) = &f.crime {
            let by = c.recorded_by.unwrap_or(handler);
            self.rows.decisions.push((
                f.id,
                Decision {
                    decision: CrimeRecording::Crime,
                    reason: None,
                    decided_at: c.recorded_at,
                    decided_by: by,
                },
            ));
            self.rows.summary.decisions_crime += 1;
            timed.push((
                c.recorded_at,
                3,
                Event::CrimeRecordingDecided {
                    incident: f.id,
                    at: c.recorded_at,
                },
            ));
            Some(c.recorded_at)
        } else if f.category.is_crime() && !chance(r, 0.012) {
            let at = opened + lognormal(r, 3.0 * 60.0, 1.1).max(TimeDelta::minutes(5));
            let reason = one(r, &not_a_crime(scene));
            if at < end {
                self.rows.decisions.push((
                    f.id,
                    Decision {
                        decision: CrimeRecording::NotACrime,
                        reason: Some(reason.to_string()),
                        decided_at: at,
                        decided_by: self.handler(r).unwrap_or(handler),
                    },
                ));
                self.rows.summary.decisions_not_a_crime += 1;
                timed.push((at, 3, Event::CrimeRecordingDecided { incident: f.id, at }));
                Some(at)
            } else {
                None
            }
        } else {
            None
        };

        // Closure, once it has been dealt with (and, for a crime, decided on).
        let last_assessed = plans.iter().filter(|p| p.at < end).map(|p| p.at).max();
        let decided = !f.category.is_crime() || decided_at.is_some();
        if let (Some(done), Some(assessed), true) = (dealt_with, last_assessed, decided) {
            let ready = [Some(done), Some(assessed), decided_at]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(done);
            let delay = if chance(r, 0.78) {
                lognormal(r, 50.0, 0.9)
            } else {
                minutes(r, 24.0 * 60.0, 10.0 * 24.0 * 60.0)
            };
            let closed_at = ready + delay;
            if closed_at < end {
                let lines = plans
                    .iter()
                    .rfind(|p| p.at <= closed_at)
                    .is_some_and(|p| p.draft.thrive().has_lines_of_enquiry());
                let review_flag = needs_review_on_closure(f.category.is_crime(), attended, lines);
                let (category, result) = self.result(f, call, family, attended, r);
                outcome.closure = Some(Closure {
                    closed_at,
                    category,
                    result,
                    review_flag,
                });
                timed.push((
                    closed_at,
                    4,
                    Event::IncidentClosed {
                        incident: f.id,
                        at: closed_at,
                    },
                ));
                let s = &mut self.rows.summary;
                s.closed += 1;
                if f.category.is_crime() && !attended {
                    s.closed_crimes_unattended += 1;
                }
                s.flagged += u64::from(review_flag);
            }
        }

        // Still waiting at the end: assessed, not yet deployed or resolved, not closed.
        if let Some(p) = latest
            && dealt_with.is_none()
            && outcome.closure.is_none()
        {
            let queued_at = plans
                .iter()
                .filter(|q| q.at < end && q.queues)
                .map(|q| q.at)
                .max()
                .unwrap_or(p.at);
            let entry = QueueEntry {
                grade: p.grade,
                risk: p.draft.levels[R],
                vulnerability: p.draft.levels[V],
                factors: p.draft.factors.iter().copied().collect(),
                received_at: f.received_at,
                queued_at,
                wait_allowed: self
                    .config
                    .duty_rules
                    .queue_wait(p.grade, f.setting, queued_at),
            };
            let (_, over) = entry.waited(end);
            let s = &mut self.rows.summary;
            s.queued += 1;
            s.queued_overdue += u64::from(over > TimeDelta::zero());
            self.rows.queue.push(NewQueued {
                incident: f.id,
                entry,
                area_id: f.area,
            });
        }

        // The duties, as the engine raises and meets them over these events.
        timed.sort_by_key(|(at, order, _)| (*at, *order));
        events.extend(timed.into_iter().map(|(_, _, e)| e));
        let duties = replay(&events, &self.config.duty_rules, &self.config.calendar);
        for d in duties {
            self.count_duty(&d);
            self.rows.duties.push((ids.next(d.raised_at), d));
        }
        let s = &mut self.rows.summary;
        s.grades[outcome.grade.map_or(4, grade_index)] += 1;
        outcome
    }

    fn count_duty(&mut self, d: &Duty) {
        let s = &mut self.rows.summary;
        s.duties += 1;
        let status = d.status(self.end);
        let (due, on_time, late, missing) = match (d.kind, d.rule) {
            (DutyKind::CompleteThrive, RuleId::ThriveCompletion) => (
                &mut s.thrive_due,
                &mut s.thrive_on_time,
                &mut s.thrive_late,
                &mut s.thrive_missing,
            ),
            (DutyKind::DecideCrimeRecording, RuleId::NcrsDecision) => (
                &mut s.ncrs_due,
                &mut s.ncrs_on_time,
                &mut s.ncrs_late,
                &mut s.ncrs_missing,
            ),
            _ => return,
        };
        *due += 1;
        match status {
            Status::Met { on_time: true } => *on_time += 1,
            Status::Met { on_time: false } => *late += 1,
            Status::Overdue { .. } | Status::Open => *missing += 1,
        }
    }

    fn advice(
        &mut self,
        incident: RecordId,
        at: DateTime<Utc>,
        by: UserId,
        family: Family,
        r: &mut ChaCha8Rng,
    ) {
        let evidence_p = if family == Family::Fraud { 0.6 } else { 0.84 };
        let evidence = if chance(r, evidence_p) {
            AdviceItem::Given
        } else {
            AdviceItem::NotApplicable {
                reason: one(r, NO_EVIDENCE_ADVICE).to_string(),
            }
        };
        let prevention = if chance(r, 0.78) {
            AdviceItem::Given
        } else {
            AdviceItem::NotApplicable {
                reason: one(r, NO_PREVENTION_ADVICE).to_string(),
            }
        };
        let s = &mut self.rows.summary;
        s.advice += 1;
        s.evidence_given += u64::from(evidence.is_given());
        s.prevention_given += u64::from(prevention.is_given());
        self.rows.advice.push(NewAdvice {
            incident,
            advice: Advice {
                evidence_preservation: evidence,
                crime_prevention: prevention,
            },
            recorded_at: at,
            recorded_by: by,
        });
    }

    /// How the call came in: 999 for most emergencies, 101 for most of the rest, online
    /// for some of what can wait, in person for a few.
    fn channel(&self, profile: &Profile, grade: ResponseGrade, r: &mut ChaCha8Rng) -> Channel {
        if profile.family == Family::Possession && chance(r, 0.85) {
            // Found by officers on patrol: reported in person.
            return Channel::InPerson;
        }
        if profile.family == Family::Admin {
            return pick_weighted(
                r,
                &[
                    (Channel::NonEmergency, 0.8),
                    (Channel::InPerson, 0.15),
                    (Channel::Online, 0.05),
                ],
            )
            .unwrap_or(Channel::NonEmergency);
        }
        let [emergency, call, online, in_person] = match grade {
            ResponseGrade::Emergency => [0.88, 0.08, 0.0, 0.04],
            ResponseGrade::Priority => [0.3, 0.64, 0.0, 0.06],
            ResponseGrade::Scheduled => [0.08, 0.62, 0.22, 0.08],
            ResponseGrade::ResolutionWithoutDeployment => [0.03, 0.55, 0.35, 0.07],
        };
        let (call, online) = if profile.online {
            (call, online)
        } else {
            (call + online, 0.0)
        };
        pick_weighted(
            r,
            &[
                (Channel::Emergency, emergency),
                (Channel::NonEmergency, call),
                (Channel::Online, online),
                (Channel::InPerson, in_person),
            ],
        )
        .unwrap_or(Channel::NonEmergency)
    }

    /// When a call that is not a recorded crime happened, as the caller says: moments
    /// before for most, hours before for the missing, unknown for some.
    fn occurred(
        &self,
        family: Family,
        call: Option<&Call>,
        received: DateTime<Utc>,
        r: &mut ChaCha8Rng,
    ) -> Option<DateTime<Utc>> {
        let lag = match family {
            Family::Admin => return None,
            Family::Missing => minutes(r, 120.0, 30.0 * 60.0),
            Family::Welfare if call.is_some_and(|c| std::ptr::eq(c.profile, &WELFARE_ELDERLY)) => {
                if chance(r, 0.5) {
                    return None;
                }
                minutes(r, 24.0 * 60.0, 4.0 * 24.0 * 60.0)
            }
            Family::Suspicious if call.is_some_and(|c| c.category == C::Alarm) => {
                minutes(r, 0.0, 3.0)
            }
            _ if chance(r, 0.12) => return None,
            _ => lognormal(r, 8.0, 1.0),
        };
        Some(received - lag)
    }

    /// How an incident ended: its closing category and result, consistent with what
    /// happened.
    fn result(
        &self,
        f: &Facts,
        call: Option<&Call>,
        family: Family,
        attended: bool,
        r: &mut ChaCha8Rng,
    ) -> (IncidentCategory, IncidentResult) {
        use IncidentResult as X;
        let mut category = f.category;
        if f.crime.is_some() {
            return (category, X::CrimeRecorded);
        }
        if let Some(result) = call.and_then(|c| c.result) {
            return (category, result);
        }
        let options: &[(X, f64)] = match (attended, family) {
            (true, Family::Suspicious) => &[
                (X::NoTrace, 0.5),
                (X::ResolvedAtScene, 0.4),
                (X::NoFurtherAction, 0.1),
            ],
            (true, Family::Welfare | Family::Missing) => &[
                (X::ResolvedAtScene, 0.65),
                (X::ReferredToPartner, 0.3),
                (X::NoFurtherAction, 0.05),
            ],
            (true, Family::Road | Family::Hazard) => &[
                (X::ResolvedAtScene, 0.85),
                (X::NoFurtherAction, 0.1),
                (X::ReferredToPartner, 0.05),
            ],
            (true, _) => &[
                (X::ResolvedAtScene, 0.7),
                (X::NoFurtherAction, 0.12),
                (X::NoTrace, 0.1),
                (X::ReferredToPartner, 0.08),
            ],
            (false, Family::Welfare | Family::Missing) => &[
                (X::ReferredToPartner, 0.5),
                (X::ResolvedWithoutAttendance, 0.5),
            ],
            (false, _) => &[
                (X::ResolvedWithoutAttendance, 0.8),
                (X::ReferredToPartner, 0.12),
                (X::NoFurtherAction, 0.08),
            ],
        };
        let result = pick_weighted(r, options).unwrap_or(X::NoFurtherAction);
        // Reclassified on closure: suspicious behaviour that was nuisance, a reported
        // crime that was lost property.
        if category == C::Suspicious && chance(r, 0.15) {
            category = C::AntiSocialBehaviour;
        } else if category == C::Crime && chance(r, 0.3) {
            category = C::PublicSafety;
        }
        (category, result)
    }
}

impl Planned {
    /// The grade decision's invariant (`GradeDecision`): a rationale whenever the grade is
    /// not the one proposed or is lower than before. A plan without one takes the proposal.
    fn checked(mut self, previous: Option<ResponseGrade>) -> Planned {
        let downgrade = previous.is_some_and(|p| self.grade.urgency() < p.urgency());
        if self.rationale.is_none() && (self.grade != self.proposed || downgrade) {
            if downgrade {
                self.rationale = Some(LESS_URGENT);
            } else {
                self.grade = self.proposed;
            }
        }
        self
    }
}

/// Generates first contact for every incident in `facts` (in time order), with ids from
/// `ids`, as at `end`, the end of the period.
pub fn generate(
    seed: u64,
    facts: &[Facts],
    handlers: &[UserId],
    config: &Config,
    end: DateTime<Utc>,
    ids: &mut Ids,
) -> Rows {
    let mut g = Generator {
        seed,
        end,
        config,
        handlers,
        texts: Texts::default(),
        rows: Rows::default(),
    };
    g.rows.outcomes.reserve(facts.len());
    for (i, f) in facts.iter().enumerate() {
        let o = g.incident(i, f, ids);
        g.rows.outcomes.push(o);
    }
    let mut rows = g.rows;
    // In id order, so that each insert appends to the primary key's index (an assessment
    // then always follows the one it revises).
    rows.assessments.sort_unstable_by_key(|a| a.id);
    rows.attendance.sort_unstable_by_key(|a| a.id);
    rows.duties.sort_unstable_by_key(|(id, _)| *id);
    rows
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;

    use super::*;
    use crate::SynthConfig;
    use crate::geography::LEICESTERSHIRE;

    fn year(population: u64) -> FirstContactSummary {
        let config = SynthConfig::new(
            5,
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
        built.summary.first_contact
    }

    fn share(n: u64, of: u64) -> f64 {
        n as f64 / of.max(1) as f64
    }

    /// A force-year of a small force: the figures a real force's measures would show,
    /// shortcomings included.
    #[test]
    fn a_year_of_first_contact_looks_like_a_real_force() {
        let s = year(40_000);
        let incidents: u64 = s.grades.iter().sum();
        assert_eq!(incidents, s.channels.iter().sum::<u64>());
        let [e, p, sch, rwd, ungraded] = s.grades.map(|g| share(g, incidents));
        assert!((0.08..0.18).contains(&e), "emergency {e}: {s:?}");
        assert!((0.25..0.45).contains(&p), "priority {p}");
        assert!((0.12..0.28).contains(&sch), "scheduled {sch}");
        assert!(
            (0.25..0.40).contains(&rwd),
            "resolution without deployment {rwd}"
        );
        assert!(
            (0.002..0.02).contains(&ungraded),
            "never assessed {ungraded}"
        );
        let by_999 = share(s.channels[0], incidents);
        assert!((0.18..0.32).contains(&by_999), "999 {by_999}");
        assert!(s.channels.iter().all(|c| *c > 0), "{:?}", s.channels);

        let on_time = share(s.thrive_on_time, s.thrive_due);
        assert!((0.88..0.96).contains(&on_time), "THRIVE on time {on_time}");
        assert!(s.thrive_late > 0 && s.thrive_missing > 0);
        assert!((0.02..0.05).contains(&share(s.overrides, s.assessments)));
        assert!((0.05..0.12).contains(&share(s.reassessments, s.assessments)));
        assert!(s.downgrades > s.upgrades && s.upgrades > 0);
        assert!((0.01..0.04).contains(&share(s.inconsistent, s.assessments)));
        for ((arrived, within), (lo, hi)) in
            s.arrivals.iter().zip([(0.7, 0.9), (0.7, 0.9), (0.8, 0.95)])
        {
            let rate = share(*within, *arrived);
            assert!(
                (lo..hi).contains(&rate),
                "within target {rate}: {:?}",
                s.arrivals
            );
        }
        assert!((0.75..0.9).contains(&share(s.evidence_given, s.advice)));
        let ncrs = share(s.ncrs_on_time, s.ncrs_due);
        assert!((0.9..0.97).contains(&ncrs), "NCRS on time {ncrs}");
        assert!(s.ncrs_late > 0 && s.flagged > 0 && s.queued > 0);
        assert!(s.closed_crimes_unattended > s.flagged);
    }

    /// Without factors to raise them, the levels drawn for a grade are ones the default
    /// rule grades so.
    #[test]
    fn levels_lead_the_rule_to_the_grade_drawn() {
        let rule = bluelamp_domain::thrive::GradingRule::issue_4_default();
        let mut r = rng(1, Stream::FirstContact, 0);
        for profile in [
            &DOMESTIC_CRIME,
            &THEFT,
            &WELFARE_CRISIS,
            &ADMIN_CALL,
            &RTC_INJURY,
        ] {
            for grade in ResponseGrade::ALL {
                for _ in 0..200 {
                    let d = Draft {
                        levels: levels_for(*grade, &profile.emphasis, false, &mut r),
                        factors: BTreeSet::new(),
                    };
                    assert_eq!(rule.propose(&d.thrive()).grade, *grade, "{:?}", d.levels);
                }
            }
        }
    }

    #[test]
    fn every_kind_of_call_is_drawn_for_its_category() {
        let mut r = rng(1, Stream::FirstContact, 0);
        for c in IncidentCategory::ALL {
            let i = pick_call(*c, &mut r).unwrap_or(usize::MAX);
            assert_eq!(CALLS.get(i).map(|x| x.category), Some(*c));
        }
    }
}

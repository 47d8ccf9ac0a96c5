//! Duties with deadlines (design.md, idea 3): one engine turns events into duties (who
//! owes what, to whom, about which record, by which instant), closes them when the
//! fulfilling event arrives, and escalates those running late to a supervisor.
//!
//! The engine is pure. A service records an [`Event`], calls [`react`] with the force's
//! [`DutyRules`] and [`Calendar`], marks the duties each [`Discharge`] matches as met and
//! stores the duties to raise; a periodic sweep calls [`escalate`] on late duties.
//! [`replay`] does the same for a whole history at once, so that given the events and the
//! time now, every duty and its [`Status`] can be computed again and checked.
//!
//! The rules are a table ([`RuleId`] and one function each); each cites its source in
//! [`RuleId::source`]. Issue 4 raises the first-contact duties (THRIVE completion, the wait
//! in the incident-management queue, the crime-recording decision); issue 5 adds limits in
//! working days, the Victims' Code duties (acknowledgement, referral, an update on each
//! development, updates as often as agreed), supervision reviews, and the decisions others
//! wait on (a handover's acceptance, a proposed outcome's approval). Adding a duty means a [`DutyKind`], a
//! [`RuleId`], the [`Event`] variants it needs, one rule function and its row in the table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::access::Role;
use crate::calendar::Calendar;
use crate::dated::Dated;
use crate::ids::{RecordId, TeamId, UserId};
use crate::incident::IncidentCategory;
use crate::investigation::{ReviewSchedule, default_review_schedule};
use crate::thrive::{AttendanceTargets, Level, ResponseGrade, Setting, default_attendance_targets};
use crate::vocabulary::vocabulary;

impl crate::access::Actor {
    /// Everyone a duty may be owed by that includes this actor: themselves, their teams and
    /// their roles.
    pub fn owners(&self) -> Vec<Owner> {
        std::iter::once(Owner::User(self.user_id))
            .chain(self.teams.iter().map(|t| Owner::Team(*t)))
            .chain(self.roles.iter().map(|r| Owner::Role(*r)))
            .collect()
    }
}

/// Who owes a duty: everyone holding a role, a team, or one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    Role(Role),
    Team(TeamId),
    User(UserId),
}

impl fmt::Display for Owner {
    /// `role:supervisor`, `team:<uuid>` or `user:<uuid>`: the form stored and exchanged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Role(r) => write!(f, "role:{r}"),
            Owner::Team(t) => write!(f, "team:{t}"),
            Owner::User(u) => write!(f, "user:{u}"),
        }
    }
}

impl FromStr for Owner {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || "must be role:ROLE, team:ID or user:ID".to_string();
        let (kind, rest) = s.trim().split_once(':').ok_or_else(bad)?;
        match kind {
            "role" => rest.parse().map(Owner::Role),
            "team" => rest.parse().map(Owner::Team).map_err(|_| bad()),
            "user" => rest.parse().map(Owner::User).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

vocabulary!(
    /// What is owed.
    DutyKind, "a duty kind" {
        /// Complete the THRIVE assessment of an incident.
        CompleteThrive = "complete_thrive",
        /// Deploy to, or resolve, an incident waiting in the incident-management queue.
        AttendOrResolve = "attend_or_resolve",
        /// Decide whether an incident is recorded as a crime (NCRS).
        DecideCrimeRecording = "decide_crime_recording",
        /// Pass a victim's details to victim support services, or record that they declined.
        ReferVictim = "refer_victim",
        /// Tell a victim of a development in their case.
        InformVictim = "inform_victim",
        /// A supervisor reviews an open investigation.
        ReviewInvestigation = "review_investigation",
        /// Acknowledge a victim's report: the crime reference, the investigating officer,
        /// what happens next and how they will be updated.
        AcknowledgeVictim = "acknowledge_victim",
        /// Update a victim as often as their contact agreement says, while the
        /// investigation is open.
        AgreedUpdate = "agreed_update",
        /// The receiving team accepts or returns a handover.
        DecideHandover = "decide_handover",
        /// A supervisor approves or rejects a proposed outcome.
        ApproveOutcome = "approve_outcome",
    }
);

impl DutyKind {
    /// The duty in words, for queues.
    pub fn describe(&self) -> &'static str {
        match self {
            DutyKind::CompleteThrive => "Complete the THRIVE assessment",
            DutyKind::AttendOrResolve => "Attend or resolve the queued incident",
            DutyKind::DecideCrimeRecording => "Make the crime-recording decision",
            DutyKind::ReferVictim => "Refer the victim to support services",
            DutyKind::InformVictim => "Update the victim",
            DutyKind::ReviewInvestigation => "Review the investigation",
            DutyKind::AcknowledgeVictim => "Acknowledge the victim's report",
            DutyKind::AgreedUpdate => "Update the victim as agreed",
            DutyKind::DecideHandover => "Accept or return the handover",
            DutyKind::ApproveOutcome => "Approve or reject the proposed outcome",
        }
    }
}

vocabulary!(
    /// The rule that raised a duty. See [`RuleId::source`] for each one's source.
    RuleId, "a duty rule" {
        ThriveCompletion = "thrive_completion",
        QueueWait = "queue_wait",
        NcrsDecision = "ncrs_decision",
        VictimReferral = "victim_referral",
        VictimUpdate = "victim_update",
        SupervisionSchedule = "supervision_schedule",
        VictimAcknowledgement = "victim_acknowledgement",
        ContactAgreement = "contact_agreement",
        HandoverDecision = "handover_decision",
        OutcomeApproval = "outcome_approval",
        /// A late duty passed to a supervisor.
        Escalation = "escalation",
    }
);

impl RuleId {
    /// Where the rule comes from: the section of ../shared/domain/reference.md and the
    /// document it names.
    pub fn source(&self) -> &'static str {
        match self {
            RuleId::ThriveCompletion => {
                "Issue 4 §7: THRIVE completed within the force's set time of the incident \
                 being opened (reference §1.1; the time is force policy, no national figure)"
            }
            RuleId::QueueWait => {
                "Reference §1.2: ACPO National Call Handling Standards (2006) response \
                 categories with force-set attendance targets; issue 4 §4: an item waiting \
                 longer than its grade allows raises a duty"
            }
            RuleId::NcrsDecision => {
                "Reference §5.1: National Crime Recording Standard (Home Office Counting \
                 Rules, General Rules section A): the crime-recording decision no later than \
                 24 hours after the report"
            }
            RuleId::VictimReferral => {
                "Reference §4.3: Code of Practice for Victims of Crime (2015, carried into \
                 2021 right 4): pass the victim's details to support services within 2 \
                 working days of the report"
            }
            RuleId::VictimUpdate => {
                "Reference §4.3: Code of Practice for Victims of Crime (2015; 2021 rights 6 \
                 and 9): tell the victim of each notifiable development within 5 working \
                 days, or 1 for a victim entitled to enhanced services (reference §4.2)"
            }
            RuleId::SupervisionSchedule => {
                "Issue 5 §3: investigations are reviewed by a supervisor on a schedule set by \
                 seriousness and risk (force policy; default first review within 24 hours of \
                 allocation for high risk, then every 7, 14 or 28 days); reference §12.4: \
                 investigations not actively supervised"
            }
            RuleId::VictimAcknowledgement => {
                "Reference §4.3: Code of Practice for Victims of Crime (2015; 2021 right 3): a \
                 written acknowledgement of the report, with the crime reference and what \
                 happens next, at reporting (force policy sets the time; default 1 working \
                 day); met by the first recorded contact"
            }
            RuleId::ContactAgreement => {
                "Reference §4.3: Code of Practice for Victims of Crime (2015; 2021 right 6): \
                 the frequency of updates during the investigation is agreed with the victim \
                 (many forces default to every 28 days); each contact starts the next period, \
                 finalisation ends the agreement"
            }
            RuleId::HandoverDecision => {
                "Issue 5 §2: the receiving team accepts a handover or returns it with reasons; \
                 reference §12.2: handovers of variable quality (force policy sets the time; \
                 default 2 working days)"
            }
            RuleId::OutcomeApproval => {
                "Issue 5 §4: a supervisor approves finalisation where force policy says so \
                 (force policy sets the time; default 2 working days)"
            }
            RuleId::Escalation => {
                "Design.md idea 3 and issue 4 §5: a late duty is escalated to a supervisor's \
                 queue; the owner and time allowed are force policy"
            }
        }
    }
}

vocabulary!(
    /// The developments a victim must be told of (reference §4.3).
    Notifiable, "a development a victim is told of" {
        DecisionNotToInvestigate = "decision_not_to_investigate",
        Arrest = "arrest",
        InterviewUnderCaution = "interview_under_caution",
        /// Released without charge, with no further action, with the reasons.
        ReleasedNoFurtherAction = "released_no_further_action",
        ReleasedOnBail = "released_on_bail",
        /// Bail conditions changed or cancelled.
        BailChanged = "bail_changed",
        /// Released under investigation: notifiable from the 2021 Code.
        ReleasedUnderInvestigation = "released_under_investigation",
        Charged = "charged",
        OutOfCourtDisposal = "out_of_court_disposal",
        /// The investigation closed with nobody charged.
        ClosedNoCharge = "closed_no_charge",
        /// The date, time and place of the first court hearing, once the police have it.
        FirstHearing = "first_hearing",
    }
);

impl Notifiable {
    /// The development in words, for pages and reports.
    pub fn describe(&self) -> &'static str {
        match self {
            Notifiable::DecisionNotToInvestigate => "Decision not to investigate",
            Notifiable::Arrest => "Arrest",
            Notifiable::InterviewUnderCaution => "Interview under caution",
            Notifiable::ReleasedNoFurtherAction => "Released with no further action",
            Notifiable::ReleasedOnBail => "Released on police bail",
            Notifiable::BailChanged => "Bail conditions changed or cancelled",
            Notifiable::ReleasedUnderInvestigation => "Released under investigation",
            Notifiable::Charged => "Charged",
            Notifiable::OutOfCourtDisposal => "Out-of-court disposal",
            Notifiable::ClosedNoCharge => "Investigation closed with nobody charged",
            Notifiable::FirstHearing => "Date, time and place of the first hearing",
        }
    }
}

vocabulary!(
    /// The Victims' Code service a victim is entitled to, decided by the needs assessment
    /// (reference §4.2).
    Entitlement, "standard or enhanced" {
        Standard = "standard",
        /// Victims of the most serious crime, persistently targeted, vulnerable or
        /// intimidated victims.
        Enhanced = "enhanced",
    }
);

impl Entitlement {
    /// The entitlement in words.
    pub fn describe(&self) -> &'static str {
        match self {
            Entitlement::Standard => "Standard",
            Entitlement::Enhanced => "Enhanced",
        }
    }
}

/// A time limit: an exact span of time, or a number of working days on the England and
/// Wales calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Falls due at the exact instant this long after the event.
    Within(TimeDelta),
    /// Falls due at the end of the Nth working day after the event's day, 23:59:59
    /// Europe/London (issue 5 §1).
    WorkingDays(u32),
}

impl Limit {
    /// The instant a duty with this limit, starting at `from`, falls due.
    pub fn due(&self, from: DateTime<Utc>, calendar: &Calendar) -> DateTime<Utc> {
        match self {
            Limit::Within(span) => from
                .checked_add_signed(*span)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            Limit::WorkingDays(n) => calendar.end_of_working_day(from, *n),
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Within(span) if span.num_seconds() % 3600 == 0 => {
                write!(f, "{} hours", span.num_hours())
            }
            Limit::Within(span) => write!(f, "{} minutes", span.num_minutes()),
            Limit::WorkingDays(1) => f.write_str("1 working day"),
            Limit::WorkingDays(n) => write!(f, "{n} working days"),
        }
    }
}

/// A duty: who owes what, to whom, about which record, by when, and whether it was met.
/// It has no id: the store gives it one.
///
/// `due` is normally after `raised_at`, but can be before it when the event was recorded
/// after its limit had passed (an incident opened more than 24 hours after the report):
/// such a duty is overdue from the moment it is raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    pub kind: DutyKind,
    pub rule: RuleId,
    pub owed_by: Owner,
    /// The person owed, when it is owed to one (a victim); `None` when it is owed to the
    /// public at large (a crime-recording decision).
    pub owed_to: Option<RecordId>,
    /// The record the duty is about: the incident or the crime.
    pub subject: RecordId,
    pub raised_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// When the fulfilling event happened; `None` while unmet.
    pub met_at: Option<DateTime<Utc>>,
    /// For an update owed to a victim, the development to tell them of (so compliance can
    /// be shown for each kind of development); `None` for every other duty.
    pub development: Option<Notifiable>,
}

/// Where a duty stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not met, not yet due.
    Open,
    /// Met: on time when the fulfilling event was at or before the due instant; otherwise
    /// late ("breached").
    Met { on_time: bool },
    /// Not met and past due, by this much.
    Overdue { by: TimeDelta },
}

impl Status {
    /// `open`, `overdue`, `met` (on time) or `breached` (met late): the states the duty
    /// queues filter on.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Overdue { .. } => "overdue",
            Status::Met { on_time: true } => "met",
            Status::Met { on_time: false } => "breached",
        }
    }
}

impl Duty {
    /// Where the duty stands at `now`. A duty is met on time exactly when its fulfilling
    /// event is at or before `due`; an unmet duty is overdue once `now` is after `due`. A
    /// fulfilment later than `now` has not happened yet, as far as `now` is concerned.
    pub fn status(&self, now: DateTime<Utc>) -> Status {
        match self.met_at {
            Some(met) if met <= now => Status::Met {
                on_time: met <= self.due,
            },
            _ if now > self.due => Status::Overdue { by: now - self.due },
            _ => Status::Open,
        }
    }

    /// Whether this duty is a supervisor's escalation of a late duty.
    pub fn is_escalation(&self) -> bool {
        self.rule == RuleId::Escalation
    }
}

/// "The duties of `kind` about `subject` (and owed to `owed_to`, when given) raised at or
/// before `at` are met at `at`": what a fulfilling event closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discharge {
    pub kind: DutyKind,
    pub subject: RecordId,
    pub owed_to: Option<RecordId>,
    pub at: DateTime<Utc>,
}

impl Discharge {
    /// Whether this discharge meets `duty`: unmet, of the same kind and subject, owed to
    /// the same person when one is named, and raised no later than the fulfilling event.
    /// A supervisor's escalation has the kind of the duty it escalates, so the event that
    /// meets a duty meets its escalation too.
    pub fn matches(&self, duty: &Duty) -> bool {
        duty.met_at.is_none()
            && duty.kind == self.kind
            && duty.subject == self.subject
            && self.owed_to.is_none_or(|p| duty.owed_to == Some(p))
            && duty.raised_at <= self.at
    }
}

/// What an event does to duties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reaction {
    /// Duties the event meets. Applied before `raise`, so an event never meets a duty it
    /// raises itself.
    pub discharge: Vec<Discharge>,
    /// Duties the event raises, in the order of the rule table.
    pub raise: Vec<Duty>,
}

/// An event the duty rules react to. `at` is when it happened (in UTC), never when it was
/// typed in; the service refuses times in the future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An incident was opened at `at`, for a report received at `reported_at`.
    IncidentOpened {
        incident: RecordId,
        at: DateTime<Utc>,
        reported_at: DateTime<Utc>,
        category: IncidentCategory,
    },
    /// A complete THRIVE assessment (first or re-assessment) was recorded with its grade.
    ThriveRecorded {
        incident: RecordId,
        at: DateTime<Utc>,
        grade: ResponseGrade,
    },
    /// The incident entered, or re-entered at a new grade, the incident-management queue.
    IncidentQueued {
        incident: RecordId,
        at: DateTime<Utc>,
        grade: ResponseGrade,
        setting: Setting,
    },
    /// An attendance decision was recorded: a deployment, or a decision not to attend.
    /// Either takes the incident off the queue.
    AttendanceRecorded {
        incident: RecordId,
        at: DateTime<Utc>,
    },
    /// The crime-recording decision was made: recorded as crimes, or not a crime.
    CrimeRecordingDecided {
        incident: RecordId,
        at: DateTime<Utc>,
    },
    /// The incident was closed (resolved).
    IncidentClosed {
        incident: RecordId,
        at: DateTime<Utc>,
    },
    /// A victim was linked to a recorded crime; `at` is when the victim reported it (or it
    /// was reported for them), from which the referral limit runs.
    VictimRecorded {
        crime: RecordId,
        victim: RecordId,
        at: DateTime<Utc>,
        owner: Owner,
    },
    /// The victim's details were passed to support services, or their refusal (or the
    /// absence of the explicit consent required) was recorded.
    VictimReferred {
        crime: RecordId,
        victim: RecordId,
        at: DateTime<Utc>,
    },
    /// Something happened that the victim must be told of.
    VictimNotifiable {
        crime: RecordId,
        victim: RecordId,
        at: DateTime<Utc>,
        what: Notifiable,
        entitlement: Entitlement,
        owner: Owner,
    },
    /// The victim was contacted and told of every development still to tell.
    VictimContacted {
        crime: RecordId,
        victim: RecordId,
        at: DateTime<Utc>,
    },
    /// An investigation was allocated for the first time, or reopened: its supervision
    /// schedule starts, owed by the supervisors of `team`, at the (supervision) `risk`.
    SupervisionStarted {
        crime: RecordId,
        at: DateTime<Utc>,
        risk: Level,
        team: TeamId,
    },
    /// A supervisor reviewed an open investigation; the next review falls due at `risk`.
    InvestigationReviewed {
        crime: RecordId,
        at: DateTime<Utc>,
        risk: Level,
        team: TeamId,
    },
    /// The investigation was finalised: its schedule ends, and a review still pending is
    /// closed at this instant (late, if it was overdue); so does every victim's contact
    /// agreement (the outcome itself is a development they are told of).
    InvestigationFinalised { crime: RecordId, at: DateTime<Utc> },
    /// A victim's contact agreement runs from `at`: they are to be updated within
    /// `every_days` days, by `owner`. Recorded when the victim is recorded, after each
    /// contact and on reopening, while the investigation is open.
    UpdateAgreed {
        crime: RecordId,
        victim: RecordId,
        at: DateTime<Utc>,
        every_days: u32,
        owner: Owner,
    },
    /// An investigation was handed over to `to_team`, which now owes a decision.
    HandoverProposed {
        crime: RecordId,
        at: DateTime<Utc>,
        to_team: TeamId,
    },
    /// The receiving team accepted or returned the handover.
    HandoverDecided { crime: RecordId, at: DateTime<Utc> },
    /// An outcome was proposed for a supervisor's approval: owed by the supervisors of
    /// `team`, or by every supervisor when no team holds the investigation.
    OutcomeProposed {
        crime: RecordId,
        at: DateTime<Utc>,
        team: Option<TeamId>,
    },
    /// A supervisor approved or rejected the proposed outcome.
    OutcomeDecided { crime: RecordId, at: DateTime<Utc> },
}

impl Event {
    /// When the event happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Event::IncidentOpened { at, .. }
            | Event::ThriveRecorded { at, .. }
            | Event::IncidentQueued { at, .. }
            | Event::AttendanceRecorded { at, .. }
            | Event::CrimeRecordingDecided { at, .. }
            | Event::IncidentClosed { at, .. }
            | Event::VictimRecorded { at, .. }
            | Event::VictimReferred { at, .. }
            | Event::VictimNotifiable { at, .. }
            | Event::VictimContacted { at, .. }
            | Event::SupervisionStarted { at, .. }
            | Event::InvestigationReviewed { at, .. }
            | Event::InvestigationFinalised { at, .. }
            | Event::UpdateAgreed { at, .. }
            | Event::HandoverProposed { at, .. }
            | Event::HandoverDecided { at, .. }
            | Event::OutcomeProposed { at, .. }
            | Event::OutcomeDecided { at, .. } => *at,
        }
    }

    /// The record the event is about: the incident or the crime.
    pub fn subject(&self) -> RecordId {
        match self {
            Event::IncidentOpened { incident, .. }
            | Event::ThriveRecorded { incident, .. }
            | Event::IncidentQueued { incident, .. }
            | Event::AttendanceRecorded { incident, .. }
            | Event::CrimeRecordingDecided { incident, .. }
            | Event::IncidentClosed { incident, .. } => *incident,
            Event::VictimRecorded { crime, .. }
            | Event::VictimReferred { crime, .. }
            | Event::VictimNotifiable { crime, .. }
            | Event::VictimContacted { crime, .. }
            | Event::SupervisionStarted { crime, .. }
            | Event::InvestigationReviewed { crime, .. }
            | Event::InvestigationFinalised { crime, .. }
            | Event::UpdateAgreed { crime, .. }
            | Event::HandoverProposed { crime, .. }
            | Event::HandoverDecided { crime, .. }
            | Event::OutcomeProposed { crime, .. }
            | Event::OutcomeDecided { crime, .. } => *crime,
        }
    }
}

/// The Victims' Code limits in force (reference §4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VictimsCode {
    /// Passing details to support services.
    pub referral: Limit,
    /// Telling a victim with standard entitlements of a development.
    pub standard: Limit,
    /// Telling a victim with enhanced entitlements.
    pub enhanced: Limit,
    /// The developments that must be told.
    pub notifiable: BTreeSet<Notifiable>,
}

impl VictimsCode {
    /// The 2015 Code (in force from late 2015, reference §4.1): referral within 2 working
    /// days; updates within 5 working days, 1 for enhanced; release under investigation
    /// not yet notifiable.
    pub fn code_2015() -> VictimsCode {
        VictimsCode {
            referral: Limit::WorkingDays(2),
            standard: Limit::WorkingDays(5),
            enhanced: Limit::WorkingDays(1),
            notifiable: Notifiable::ALL
                .iter()
                .copied()
                .filter(|n| *n != Notifiable::ReleasedUnderInvestigation)
                .collect(),
        }
    }

    /// The 2021 Code (in force 1 April 2021, reference §4.1): the same limits, with release
    /// under investigation added to the notifiable events.
    pub fn code_2021() -> VictimsCode {
        VictimsCode {
            notifiable: Notifiable::ALL.iter().copied().collect(),
            ..VictimsCode::code_2015()
        }
    }

    /// The limit for telling a victim with `entitlement`.
    pub fn update_limit(&self, entitlement: Entitlement) -> Limit {
        match entitlement {
            Entitlement::Standard => self.standard,
            Entitlement::Enhanced => self.enhanced,
        }
    }
}

/// The date the 2021 Victims' Code came into force (reference §4.1).
pub fn victims_code_2021_in_force() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 4, 1).unwrap_or(NaiveDate::MIN)
}

/// The Victims' Code as dated configuration: the 2015 Code's limits before 1 April 2021
/// (applied also to earlier dates, before Bluelamp's records begin), the 2021 Code's from
/// then.
pub fn default_victims_code() -> Dated<VictimsCode> {
    Dated::new(
        VictimsCode::code_2015(),
        vec![(victims_code_2021_in_force(), VictimsCode::code_2021())],
    )
    .unwrap_or_else(|_| Dated::always(VictimsCode::code_2021()))
}

/// How a late duty escalates: to whom, and how long they have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    pub to: Owner,
    /// From the instant the duty became late.
    pub within: Limit,
}

/// A force's duty configuration: every limit, owner and escalation the rules use, each
/// dated. [`DutyRules::default`] gives the defaults with their sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyRules {
    /// Who owes first-contact duties (THRIVE completion, the queue, the crime-recording
    /// decision). Default: call handlers.
    pub first_contact_owner: Owner,
    /// The force's set time for completing THRIVE after an incident is opened; `None`
    /// raises no duty. Default: 30 minutes, a Bluelamp placeholder for force policy
    /// (issue 4 §7 asks for "the force's set time"; reference §1 gives no national figure).
    pub thrive_within: Dated<Option<TimeDelta>>,
    /// The wait allowed in the queue for each grade: the attendance targets (reference
    /// §1.2, [`AttendanceTargets::nchs_default`]).
    pub attendance: Dated<AttendanceTargets>,
    /// The wait allowed in the queue for resolution without deployment, which has no
    /// attendance target; `None` raises no duty. Default: none, as no national standard
    /// sets one (reference §1.2: "no attendance").
    pub resolution_wait: Dated<Option<TimeDelta>>,
    /// The crime-recording decision. Default: within 24 hours of the report (reference
    /// §5.1, NCRS).
    pub crime_recording: Dated<Limit>,
    /// The Victims' Code limits ([`default_victims_code`], reference §4.3).
    pub victims_code: Dated<VictimsCode>,
    /// The written acknowledgement of a victim's report. Default: within 1 working day of
    /// the report (reference §4.3 says "at reporting"; the time is force policy).
    pub acknowledgement: Dated<Limit>,
    /// The receiving team's decision on a handover. Default: within 2 working days (force
    /// policy; no national standard).
    pub handover_decision: Dated<Limit>,
    /// A supervisor's decision on a proposed outcome. Default: within 2 working days
    /// (force policy; no national standard).
    pub outcome_approval: Dated<Limit>,
    /// When supervisors review investigations
    /// ([`crate::investigation::ReviewSchedule::issue_5_default`]).
    pub review_schedule: Dated<ReviewSchedule>,
    /// How each kind of late duty escalates; a kind without an entry does not. Defaults
    /// (force policy, no national standard): every kind to supervisors; first-contact
    /// duties within 1 hour of becoming late, the crime-recording decision within 24 hours,
    /// victim duties, reviews, handover decisions and outcome approvals within 1 working
    /// day.
    pub escalations: Dated<BTreeMap<DutyKind, Escalation>>,
}

impl Default for DutyRules {
    fn default() -> Self {
        let supervisor = Owner::Role(Role::Supervisor);
        let escalate = |within| Escalation {
            to: supervisor,
            within,
        };
        let escalations = BTreeMap::from([
            (
                DutyKind::CompleteThrive,
                escalate(Limit::Within(TimeDelta::hours(1))),
            ),
            (
                DutyKind::AttendOrResolve,
                escalate(Limit::Within(TimeDelta::hours(1))),
            ),
            (
                DutyKind::DecideCrimeRecording,
                escalate(Limit::Within(TimeDelta::hours(24))),
            ),
            (DutyKind::ReferVictim, escalate(Limit::WorkingDays(1))),
            (DutyKind::InformVictim, escalate(Limit::WorkingDays(1))),
            (DutyKind::AcknowledgeVictim, escalate(Limit::WorkingDays(1))),
            (DutyKind::AgreedUpdate, escalate(Limit::WorkingDays(1))),
            (
                DutyKind::ReviewInvestigation,
                escalate(Limit::WorkingDays(1)),
            ),
            (DutyKind::DecideHandover, escalate(Limit::WorkingDays(1))),
            (DutyKind::ApproveOutcome, escalate(Limit::WorkingDays(1))),
        ]);
        DutyRules {
            first_contact_owner: Owner::Role(Role::CallHandler),
            thrive_within: Dated::always(Some(TimeDelta::minutes(30))),
            attendance: default_attendance_targets(),
            resolution_wait: Dated::always(None),
            crime_recording: Dated::always(Limit::Within(TimeDelta::hours(24))),
            victims_code: default_victims_code(),
            acknowledgement: Dated::always(Limit::WorkingDays(1)),
            handover_decision: Dated::always(Limit::WorkingDays(2)),
            outcome_approval: Dated::always(Limit::WorkingDays(2)),
            review_schedule: default_review_schedule(),
            escalations: Dated::always(escalations),
        }
    }
}

impl DutyRules {
    /// The wait allowed in the queue for `grade` in `setting`, in force at `at`.
    pub fn queue_wait(
        &self,
        grade: ResponseGrade,
        setting: Setting,
        at: DateTime<Utc>,
    ) -> Option<TimeDelta> {
        match grade {
            ResponseGrade::ResolutionWithoutDeployment => *self.resolution_wait.at_instant(at),
            _ => self.attendance.at_instant(at).target(grade, setting),
        }
    }
}

/// What a rule sees besides the event.
struct Context<'a> {
    rules: &'a DutyRules,
    calendar: &'a Calendar,
}

type RuleFn = fn(&Event, &Context<'_>) -> Reaction;

/// The rule table. Every event passes through every rule, in this order.
const RULES: &[(RuleId, RuleFn)] = &[
    (RuleId::ThriveCompletion, thrive_completion),
    (RuleId::QueueWait, queue_wait),
    (RuleId::NcrsDecision, ncrs_decision),
    (RuleId::VictimReferral, victim_referral),
    (RuleId::VictimUpdate, victim_update),
    (RuleId::SupervisionSchedule, supervision_schedule),
    (RuleId::VictimAcknowledgement, victim_acknowledgement),
    (RuleId::ContactAgreement, contact_agreement),
    (RuleId::HandoverDecision, handover_decision),
    (RuleId::OutcomeApproval, outcome_approval),
];

/// The duties `event` raises and the duties it meets, under `rules` and `calendar`.
/// Deterministic: the same event, rules and calendar always give the same reaction.
pub fn react(event: &Event, rules: &DutyRules, calendar: &Calendar) -> Reaction {
    let cx = Context { rules, calendar };
    let mut out = Reaction::default();
    for (_, rule) in RULES {
        let r = rule(event, &cx);
        out.discharge.extend(r.discharge);
        out.raise.extend(r.raise);
    }
    out
}

/// Applies a reaction to the duties held: marks each duty a discharge matches as met, then
/// adds the duties raised.
pub fn apply(duties: &mut Vec<Duty>, reaction: Reaction) {
    for d in &reaction.discharge {
        for duty in duties.iter_mut().filter(|duty| d.matches(duty)) {
            duty.met_at = Some(d.at);
        }
    }
    duties.extend(reaction.raise);
}

/// Every duty a history of events raises, each marked met where a later event met it: the
/// fold of [`react`] and [`apply`] over `events` in the order they were recorded.
/// Escalations depend on the time now and come from [`escalations`].
pub fn replay(events: &[Event], rules: &DutyRules, calendar: &Calendar) -> Vec<Duty> {
    let mut duties = Vec::new();
    for event in events {
        apply(&mut duties, react(event, rules, calendar));
    }
    duties
}

/// The supervisor's duty for a late duty, if it is late at `now` and its kind escalates.
///
/// A duty escalates when it was not met by its due instant and `now` is past it; the
/// escalation is raised at that due instant (so it does not depend on when the sweep runs),
/// owed by the configured owner, due within the configured limit, with the same kind,
/// subject and person owed. It is met when the duty is: if the duty was met late, the
/// escalation carries the same `met_at`. Escalations do not escalate again.
pub fn escalate(
    duty: &Duty,
    now: DateTime<Utc>,
    rules: &DutyRules,
    calendar: &Calendar,
) -> Option<Duty> {
    if duty.is_escalation() || now <= duty.due || duty.met_at.is_some_and(|m| m <= duty.due) {
        return None;
    }
    let escalation = rules.escalations.at_instant(duty.due).get(&duty.kind)?;
    Some(Duty {
        kind: duty.kind,
        rule: RuleId::Escalation,
        owed_by: escalation.to,
        owed_to: duty.owed_to,
        subject: duty.subject,
        raised_at: duty.due,
        due: escalation.within.due(duty.due, calendar),
        met_at: duty.met_at,
        development: duty.development,
    })
}

/// The escalations of every late duty in `duties` at `now`, in order.
pub fn escalations(
    duties: &[Duty],
    now: DateTime<Utc>,
    rules: &DutyRules,
    calendar: &Calendar,
) -> Vec<Duty> {
    duties
        .iter()
        .filter_map(|d| escalate(d, now, rules, calendar))
        .collect()
}

/// Compliance at an instant: duties met on time over duties due (design.md, idea 3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Compliance {
    /// Duties whose due instant is at or before now.
    pub due: usize,
    /// Of those, the ones met on time.
    pub met_on_time: usize,
}

/// Compliance of `duties` at `now`, escalations excluded (they would count a late duty
/// twice).
pub fn compliance(duties: &[Duty], now: DateTime<Utc>) -> Compliance {
    duties
        .iter()
        .filter(|d| !d.is_escalation() && d.due <= now)
        .fold(Compliance::default(), |mut c, d| {
            c.due += 1;
            if matches!(d.status(now), Status::Met { on_time: true }) {
                c.met_on_time += 1;
            }
            c
        })
}

fn raise(
    kind: DutyKind,
    rule: RuleId,
    owed_by: Owner,
    owed_to: Option<RecordId>,
    subject: RecordId,
    raised_at: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Duty {
    Duty {
        kind,
        rule,
        owed_by,
        owed_to,
        subject,
        raised_at,
        due,
        met_at: None,
        development: None,
    }
}

/// The reaction that raises one duty and meets none.
fn raised(duty: Duty) -> Reaction {
    Reaction {
        discharge: Vec::new(),
        raise: vec![duty],
    }
}

fn discharge(
    kind: DutyKind,
    subject: RecordId,
    owed_to: Option<RecordId>,
    at: DateTime<Utc>,
) -> Reaction {
    Reaction {
        discharge: vec![Discharge {
            kind,
            subject,
            owed_to,
            at,
        }],
        raise: Vec::new(),
    }
}

/// THRIVE completed within the force's set time of the incident being opened.
fn thrive_completion(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::IncidentOpened { incident, at, .. } => {
            let Some(within) = *cx.rules.thrive_within.at_instant(at) else {
                return Reaction::default();
            };
            raised(raise(
                DutyKind::CompleteThrive,
                RuleId::ThriveCompletion,
                cx.rules.first_contact_owner,
                None,
                incident,
                at,
                Limit::Within(within).due(at, cx.calendar),
            ))
        }
        Event::ThriveRecorded { incident, at, .. } => {
            discharge(DutyKind::CompleteThrive, incident, None, at)
        }
        _ => Reaction::default(),
    }
}

/// A queued incident is attended or resolved within the wait its grade allows, counted
/// from when it entered the queue at that grade. Re-queueing at a new grade ends the wait
/// at the old grade and starts a new one.
fn queue_wait(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::IncidentQueued {
            incident,
            at,
            grade,
            setting,
        } => {
            let mut r = discharge(DutyKind::AttendOrResolve, incident, None, at);
            if let Some(wait) = cx.rules.queue_wait(grade, setting, at) {
                r.raise.push(raise(
                    DutyKind::AttendOrResolve,
                    RuleId::QueueWait,
                    cx.rules.first_contact_owner,
                    None,
                    incident,
                    at,
                    Limit::Within(wait).due(at, cx.calendar),
                ));
            }
            r
        }
        Event::AttendanceRecorded { incident, at } | Event::IncidentClosed { incident, at } => {
            discharge(DutyKind::AttendOrResolve, incident, None, at)
        }
        _ => Reaction::default(),
    }
}

/// Every incident opened with the crime category gets a crime-recording decision within
/// the limit (24 hours by default) of the report.
fn ncrs_decision(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::IncidentOpened {
            incident,
            at,
            reported_at,
            category: IncidentCategory::Crime,
        } => {
            let limit = cx.rules.crime_recording.at_instant(reported_at);
            raised(raise(
                DutyKind::DecideCrimeRecording,
                RuleId::NcrsDecision,
                cx.rules.first_contact_owner,
                None,
                incident,
                at,
                limit.due(reported_at, cx.calendar),
            ))
        }
        Event::CrimeRecordingDecided { incident, at } => {
            discharge(DutyKind::DecideCrimeRecording, incident, None, at)
        }
        _ => Reaction::default(),
    }
}

/// A victim's details go to support services (or their refusal is recorded) within the
/// Code's limit of the report.
fn victim_referral(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::VictimRecorded {
            crime,
            victim,
            at,
            owner,
        } => {
            let limit = cx.rules.victims_code.at_instant(at).referral;
            raised(raise(
                DutyKind::ReferVictim,
                RuleId::VictimReferral,
                owner,
                Some(victim),
                crime,
                at,
                limit.due(at, cx.calendar),
            ))
        }
        Event::VictimReferred { crime, victim, at } => {
            discharge(DutyKind::ReferVictim, crime, Some(victim), at)
        }
        _ => Reaction::default(),
    }
}

/// A victim is told of each notifiable development within the Code's limit for their
/// entitlement; a contact tells them of everything pending.
fn victim_update(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::VictimNotifiable {
            crime,
            victim,
            at,
            what,
            entitlement,
            owner,
        } => {
            let code = cx.rules.victims_code.at_instant(at);
            if !code.notifiable.contains(&what) {
                return Reaction::default();
            }
            raised(Duty {
                development: Some(what),
                ..raise(
                    DutyKind::InformVictim,
                    RuleId::VictimUpdate,
                    owner,
                    Some(victim),
                    crime,
                    at,
                    code.update_limit(entitlement).due(at, cx.calendar),
                )
            })
        }
        Event::VictimContacted { crime, victim, at } => {
            discharge(DutyKind::InformVictim, crime, Some(victim), at)
        }
        _ => Reaction::default(),
    }
}

/// An open investigation is reviewed on the schedule for its risk: the first review after
/// allocation (or reopening), then each next one after the last; finalisation ends it.
fn supervision_schedule(event: &Event, cx: &Context<'_>) -> Reaction {
    let (crime, at, risk, team, first) = match *event {
        Event::SupervisionStarted {
            crime,
            at,
            risk,
            team,
        } => (crime, at, risk, team, true),
        Event::InvestigationReviewed {
            crime,
            at,
            risk,
            team,
        } => (crime, at, risk, team, false),
        Event::InvestigationFinalised { crime, at } => {
            return discharge(DutyKind::ReviewInvestigation, crime, None, at);
        }
        _ => return Reaction::default(),
    };
    let limit = cx.rules.review_schedule.at_instant(at).next(risk, first);
    let mut r = discharge(DutyKind::ReviewInvestigation, crime, None, at);
    r.raise.push(raise(
        DutyKind::ReviewInvestigation,
        RuleId::SupervisionSchedule,
        Owner::Team(team),
        None,
        crime,
        at,
        limit.due(at, cx.calendar),
    ));
    r
}

/// A victim's report is acknowledged within the force's time of the report; the first
/// contact meets it.
fn victim_acknowledgement(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::VictimRecorded {
            crime,
            victim,
            at,
            owner,
        } => raised(raise(
            DutyKind::AcknowledgeVictim,
            RuleId::VictimAcknowledgement,
            owner,
            Some(victim),
            crime,
            at,
            cx.rules.acknowledgement.at_instant(at).due(at, cx.calendar),
        )),
        Event::VictimContacted { crime, victim, at } => {
            discharge(DutyKind::AcknowledgeVictim, crime, Some(victim), at)
        }
        _ => Reaction::default(),
    }
}

/// A victim is updated as often as agreed: each agreement (at recording, after each
/// contact, on reopening) owes the next update within its days; a contact meets it, and
/// finalisation ends it.
fn contact_agreement(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::UpdateAgreed {
            crime,
            victim,
            at,
            every_days,
            owner,
        } => raised(raise(
            DutyKind::AgreedUpdate,
            RuleId::ContactAgreement,
            owner,
            Some(victim),
            crime,
            at,
            Limit::Within(TimeDelta::days(i64::from(every_days))).due(at, cx.calendar),
        )),
        Event::VictimContacted { crime, victim, at } => {
            discharge(DutyKind::AgreedUpdate, crime, Some(victim), at)
        }
        Event::InvestigationFinalised { crime, at } => {
            discharge(DutyKind::AgreedUpdate, crime, None, at)
        }
        _ => Reaction::default(),
    }
}

/// The receiving team decides on a handover within the force's time.
fn handover_decision(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::HandoverProposed { crime, at, to_team } => raised(raise(
            DutyKind::DecideHandover,
            RuleId::HandoverDecision,
            Owner::Team(to_team),
            None,
            crime,
            at,
            cx.rules
                .handover_decision
                .at_instant(at)
                .due(at, cx.calendar),
        )),
        Event::HandoverDecided { crime, at } => {
            discharge(DutyKind::DecideHandover, crime, None, at)
        }
        _ => Reaction::default(),
    }
}

/// A supervisor decides on a proposed outcome within the force's time.
fn outcome_approval(event: &Event, cx: &Context<'_>) -> Reaction {
    match *event {
        Event::OutcomeProposed { crime, at, team } => raised(raise(
            DutyKind::ApproveOutcome,
            RuleId::OutcomeApproval,
            team.map_or(Owner::Role(Role::Supervisor), Owner::Team),
            None,
            crime,
            at,
            cx.rules
                .outcome_approval
                .at_instant(at)
                .due(at, cx.calendar),
        )),
        Event::OutcomeDecided { crime, at } => discharge(DutyKind::ApproveOutcome, crime, None, at),
        _ => Reaction::default(),
    }
}

#[cfg(test)]
mod tests;

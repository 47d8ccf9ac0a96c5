//! THRIVE at first contact as an assessment instrument (design.md, idea 2; issue 4 §2):
//! six judged elements with their rationales, the response grade the instrument proposes,
//! the grade the call handler chose and why, re-assessment ("re-THRIVE") and its
//! downgrades, and whether the attendance target for the grade was met.
//!
//! Sources: reference §1.1 (THRIVE: Threat, Harm, Risk, Investigation, Vulnerability,
//! Engagement; College of Policing, vulnerability-related risks), §1.2 (the ACPO National
//! Call Handling Standards of 2006: four response categories, attendance targets set by
//! forces), §11 (the College of Policing definition of vulnerability). The scoring rule and
//! the attendance targets are dated configuration ([`Dated`]), so a force can change them
//! and old assessments keep the rule of their day.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};

use crate::dated::Dated;
use crate::field::{Fields, Invalid};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// The level an assessor gives one THRIVE element.
    Level, "low, medium or high" {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
);

vocabulary!(
    /// The six elements of THRIVE (reference §1.1), in the order of the mnemonic.
    Element, "a THRIVE element" {
        Threat = "threat",
        Harm = "harm",
        Risk = "risk",
        Investigation = "investigation",
        Vulnerability = "vulnerability",
        Engagement = "engagement",
    }
);

vocabulary!(
    /// Why a person may be unable to protect themselves from harm: the factors a call
    /// handler records under Vulnerability.
    ///
    /// Source: the College of Policing's vulnerability-related risk areas (reference §1.1
    /// and §11, <https://www.college.police.uk/guidance/vulnerability-related-risks>), the
    /// groups the Victims' Code treats as vulnerable or intimidated (reference §4.2: under
    /// 18, mental disorder, impaired intelligence or social functioning, physical
    /// disability; victims of domestic abuse, hate crime, sexual offences, trafficking;
    /// persistently targeted victims), and issue 4's own list.
    VulnerabilityFactor, "a vulnerability factor" {
        /// Under 18 (Children Act 1989, s.105).
        Child = "child",
        /// An older person, or an adult at risk because of age-related frailty.
        OlderPerson = "older_person",
        /// A mental health condition or mental disorder.
        MentalHealth = "mental_health",
        /// A physical or learning disability, or impaired intelligence or social
        /// functioning.
        Disability = "disability",
        /// Needs help to communicate: language, hearing, speech (Victims' Code right 1).
        CommunicationNeeds = "communication_needs",
        /// Misuse of alcohol or drugs.
        SubstanceMisuse = "substance_misuse",
        /// Domestic abuse (Domestic Abuse Act 2021, s.1).
        DomesticAbuse = "domestic_abuse",
        /// Targeted for who they are: a hate crime or hate incident.
        HateCrime = "hate_crime",
        /// A repeat victim, or persistently targeted (Victims' Code, reference §4.2).
        RepeatVictim = "repeat_victim",
        /// Stalking or harassment.
        StalkingHarassment = "stalking_harassment",
        /// Sexual abuse or exploitation, including of a child.
        SexualExploitation = "sexual_exploitation",
        /// Modern slavery or human trafficking.
        ModernSlavery = "modern_slavery",
        /// Honour-based abuse, forced marriage or female genital mutilation.
        HonourBasedAbuse = "honour_based_abuse",
        /// Missing, or at risk of going missing.
        Missing = "missing",
        /// Homeless or without a safe place to stay.
        Homeless = "homeless",
        /// Socially isolated: no one to help or look in on them.
        Isolated = "isolated",
    }
);

vocabulary!(
    /// The response grade: the four categories of the National Call Handling Standards
    /// (reference §1.2), which forces map to their local grades.
    ResponseGrade, "a response grade" {
        /// Danger to life, violence used or threatened, serious crime in progress.
        Emergency = "emergency",
        /// Real urgency, but an emergency response is not essential.
        Priority = "priority",
        /// Attendance is needed but time is not critical: an appointment.
        Scheduled = "scheduled",
        /// Resolved by telephone, advice or referral: no attendance.
        ResolutionWithoutDeployment = "resolution_without_deployment",
    }
);

vocabulary!(
    /// Whether an area counts as urban or rural for attendance targets: configuration for
    /// each area (issue 4 §2).
    Setting, "urban or rural" {
        Urban = "urban",
        Rural = "rural",
    }
);

impl ResponseGrade {
    /// How urgent the grade is, 3 for an emergency down to 0 for resolution without
    /// deployment, so that grades compare by urgency.
    pub fn urgency(&self) -> u8 {
        match self {
            ResponseGrade::Emergency => 3,
            ResponseGrade::Priority => 2,
            ResponseGrade::Scheduled => 1,
            ResponseGrade::ResolutionWithoutDeployment => 0,
        }
    }

    /// The grade in words, for pages.
    pub fn describe(&self) -> &'static str {
        match self {
            ResponseGrade::Emergency => "Emergency",
            ResponseGrade::Priority => "Priority",
            ResponseGrade::Scheduled => "Scheduled",
            ResponseGrade::ResolutionWithoutDeployment => "Resolution without deployment",
        }
    }
}

/// Whether moving from grade `before` to grade `after` is a downgrade: a less urgent
/// response than before. HMIC's 2016 national findings criticised forces for downgrading
/// emergency calls to justify a slower response (reference §1.2), so every downgrade needs
/// a rationale and shows in reports.
pub fn is_downgrade(before: ResponseGrade, after: ResponseGrade) -> bool {
    after.urgency() < before.urgency()
}

/// One judged element: its level and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub level: Level,
    /// Trimmed, not blank.
    pub rationale: String,
}

/// A complete THRIVE assessment: every element judged, with its rationale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thrive {
    pub threat: Judgement,
    pub harm: Judgement,
    pub risk: Judgement,
    pub investigation: Judgement,
    pub vulnerability: Judgement,
    /// The vulnerability factors identified; may be empty.
    pub factors: BTreeSet<VulnerabilityFactor>,
    pub engagement: Judgement,
}

/// One element as sent: `{"level": "low"|"medium"|"high", "rationale": "..."}`.
#[derive(Debug, Clone, Default)]
pub struct JudgementInput {
    pub level: Option<String>,
    pub rationale: Option<String>,
}

/// The vulnerability element as sent: a judgement and the factors identified.
#[derive(Debug, Clone, Default)]
pub struct VulnerabilityInput {
    pub level: Option<String>,
    pub rationale: Option<String>,
    pub factors: Vec<String>,
}

/// A THRIVE assessment as sent: `{"threat": {...}, "harm": {...}, ...}`. A missing element
/// is `None`.
#[derive(Debug, Clone, Default)]
pub struct ThriveInput {
    pub threat: Option<JudgementInput>,
    pub harm: Option<JudgementInput>,
    pub risk: Option<JudgementInput>,
    pub investigation: Option<JudgementInput>,
    pub vulnerability: Option<VulnerabilityInput>,
    pub engagement: Option<JudgementInput>,
}

/// The longest rationale accepted, in characters.
pub const RATIONALE_MAX: usize = 2000;

fn judgement(
    f: &mut Fields,
    at: &str,
    level: Option<&str>,
    rationale: Option<&str>,
) -> Option<Judgement> {
    let level = match level.map(str::trim) {
        None | Some("") => {
            f.error(format!("{at}/level"), "is required");
            None
        }
        Some(raw) => f.check(&format!("{at}/level"), raw.parse::<Level>()),
    };
    let rationale = f.prose(
        &format!("{at}/rationale"),
        rationale.unwrap_or(""),
        RATIONALE_MAX,
    );
    Some(Judgement {
        level: level?,
        rationale: rationale?,
    })
}

/// One element at `{at}/{name}`: required, then judged.
fn element(
    f: &mut Fields,
    at: &str,
    name: Element,
    input: Option<&JudgementInput>,
) -> Option<Judgement> {
    match input {
        None => {
            f.error(format!("{at}/{name}"), "is required");
            None
        }
        Some(j) => judgement(
            f,
            &format!("{at}/{name}"),
            j.level.as_deref(),
            j.rationale.as_deref(),
        ),
    }
}

impl Thrive {
    /// Parses a THRIVE sent as `"thrive"` at the top of a request body, naming each
    /// invalid field under `/thrive`.
    ///
    /// # Errors
    /// [`Invalid`] naming every missing element by its JSON Pointer (`/thrive/harm`), every
    /// missing or unknown level (`/thrive/harm/level`), every blank rationale
    /// (`/thrive/harm/rationale`) and every unknown factor
    /// (`/thrive/vulnerability/factors/0`).
    pub fn parse(input: &ThriveInput) -> Result<Thrive, Invalid> {
        let mut f = Fields::new();
        let thrive = Thrive::parse_at(&mut f, "/thrive", input);
        f.finish(|| thrive)
    }

    /// Parses a THRIVE found at the JSON Pointer `at` of a larger input, recording errors
    /// in `f`, so that a service can report them together with the other fields. A THRIVE
    /// that is supplied must be complete (issue 4 §2).
    pub fn parse_at(f: &mut Fields, at: &str, input: &ThriveInput) -> Option<Thrive> {
        let threat = element(f, at, Element::Threat, input.threat.as_ref());
        let harm = element(f, at, Element::Harm, input.harm.as_ref());
        let risk = element(f, at, Element::Risk, input.risk.as_ref());
        let investigation = element(f, at, Element::Investigation, input.investigation.as_ref());
        let (vulnerability, factors) = match &input.vulnerability {
            None => {
                f.error(format!("{at}/vulnerability"), "is required");
                (None, None)
            }
            Some(v) => {
                let j = judgement(
                    f,
                    &format!("{at}/vulnerability"),
                    v.level.as_deref(),
                    v.rationale.as_deref(),
                );
                let mut factors = Some(BTreeSet::new());
                for (i, raw) in v.factors.iter().enumerate() {
                    match f.check(
                        &format!("{at}/vulnerability/factors/{i}"),
                        raw.parse::<VulnerabilityFactor>(),
                    ) {
                        Some(factor) => {
                            if let Some(set) = factors.as_mut() {
                                set.insert(factor);
                            }
                        }
                        None => factors = None,
                    }
                }
                (j, factors)
            }
        };
        let engagement = element(f, at, Element::Engagement, input.engagement.as_ref());
        Some(Thrive {
            threat: threat?,
            harm: harm?,
            risk: risk?,
            investigation: investigation?,
            vulnerability: vulnerability?,
            factors: factors?,
            engagement: engagement?,
        })
    }

    /// The judgement of one element.
    pub fn judgement(&self, element: Element) -> &Judgement {
        match element {
            Element::Threat => &self.threat,
            Element::Harm => &self.harm,
            Element::Risk => &self.risk,
            Element::Investigation => &self.investigation,
            Element::Vulnerability => &self.vulnerability,
            Element::Engagement => &self.engagement,
        }
    }

    /// The level of one element.
    pub fn level(&self, element: Element) -> Level {
        self.judgement(element).level
    }

    /// Whether THRIVE found lines of enquiry: the Investigation element judged medium or
    /// high. A crime closed without attendance in that case is flagged for a supervisor's
    /// review (issue 4 §4). Reading "lines of enquiry" as Investigation at medium or above
    /// is Bluelamp's, not a national definition.
    pub fn has_lines_of_enquiry(&self) -> bool {
        self.investigation.level >= Level::Medium
    }

    /// Inconsistencies a supervisor should look at: factors listed while vulnerability is
    /// judged low, or a child or domestic abuse factor with harm judged low. Returned as
    /// plain sentences; empty when none.
    pub fn inconsistencies(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.vulnerability.level == Level::Low && !self.factors.is_empty() {
            out.push("Vulnerability factors are listed but vulnerability is judged low.".into());
        }
        let grave = [
            VulnerabilityFactor::Child,
            VulnerabilityFactor::DomesticAbuse,
        ];
        if self.harm.level == Level::Low && grave.iter().any(|g| self.factors.contains(g)) {
            out.push("A child or domestic abuse is involved but harm is judged low.".to_string());
        }
        out
    }
}

/// The rule by which THRIVE proposes a response grade. The rule is code and its thresholds
/// are data, held as dated configuration that a force can change ([`default_grading_rule`]).
///
/// In order, the first that holds:
/// 1. emergency if any element in `emergency_triggers` is at least `emergency_trigger_level`
///    and harm is at least `emergency_harm_at_least`;
/// 2. priority if any element is at least `priority_any_at_least`, or at least
///    `priority_count` elements are at least `priority_count_level`;
/// 3. scheduled if any element is at least `scheduled_any_at_least`;
/// 4. otherwise resolution without deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradingRule {
    pub emergency_triggers: Vec<Element>,
    pub emergency_trigger_level: Level,
    pub emergency_harm_at_least: Level,
    pub priority_any_at_least: Level,
    pub priority_count: usize,
    pub priority_count_level: Level,
    pub scheduled_any_at_least: Level,
}

impl GradingRule {
    /// The default rule, exactly as issue 4 §2 states it: emergency if threat or risk is
    /// high and harm is at least medium; otherwise priority if any element is high, or if
    /// two or more are medium; otherwise scheduled if any element is medium; otherwise
    /// resolution without deployment. Bluelamp's own default: the NCHS (reference §1.2)
    /// define the categories, not a scoring rule, and forces set their own.
    pub fn issue_4_default() -> GradingRule {
        GradingRule {
            emergency_triggers: vec![Element::Threat, Element::Risk],
            emergency_trigger_level: Level::High,
            emergency_harm_at_least: Level::Medium,
            priority_any_at_least: Level::High,
            priority_count: 2,
            priority_count_level: Level::Medium,
            scheduled_any_at_least: Level::Medium,
        }
    }

    /// The grade this rule proposes for `thrive`, with the reason in words.
    pub fn propose(&self, thrive: &Thrive) -> Proposal {
        let at_least = |level: Level| -> Vec<Element> {
            Element::ALL
                .iter()
                .copied()
                .filter(|e| thrive.level(*e) >= level)
                .collect()
        };
        let names = |elements: &[Element]| -> String {
            elements
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };

        let triggers: Vec<Element> = self
            .emergency_triggers
            .iter()
            .copied()
            .filter(|e| thrive.level(*e) >= self.emergency_trigger_level)
            .collect();
        if !triggers.is_empty() && thrive.harm.level >= self.emergency_harm_at_least {
            return Proposal {
                grade: ResponseGrade::Emergency,
                reason: format!(
                    "{} at least {} and harm at least {}",
                    names(&triggers),
                    self.emergency_trigger_level,
                    self.emergency_harm_at_least
                ),
            };
        }
        let any = at_least(self.priority_any_at_least);
        if !any.is_empty() {
            return Proposal {
                grade: ResponseGrade::Priority,
                reason: format!("{} at least {}", names(&any), self.priority_any_at_least),
            };
        }
        let counted = at_least(self.priority_count_level);
        if counted.len() >= self.priority_count.max(1) {
            return Proposal {
                grade: ResponseGrade::Priority,
                reason: format!(
                    "{} elements at least {} ({})",
                    counted.len(),
                    self.priority_count_level,
                    names(&counted)
                ),
            };
        }
        let any = at_least(self.scheduled_any_at_least);
        if !any.is_empty() {
            return Proposal {
                grade: ResponseGrade::Scheduled,
                reason: format!("{} at least {}", names(&any), self.scheduled_any_at_least),
            };
        }
        Proposal {
            grade: ResponseGrade::ResolutionWithoutDeployment,
            reason: format!("no element at least {}", self.scheduled_any_at_least),
        }
    }
}

/// The grading rule as dated configuration: the issue 4 default since the beginning.
pub fn default_grading_rule() -> Dated<GradingRule> {
    Dated::always(GradingRule::issue_4_default())
}

/// The grade the instrument proposes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub grade: ResponseGrade,
    /// Which elements made the grade, such as "risk at least high and harm at least medium".
    pub reason: String,
}

/// The call handler's choice of grade as sent.
#[derive(Debug, Clone, Default)]
pub struct GradeInput {
    /// The grade chosen; blank or absent means the proposed grade.
    pub grade: Option<String>,
    /// Why: required when the grade differs from the proposal or is lower than before.
    pub rationale: Option<String>,
}

/// The grade decided for an assessment.
///
/// Invariant: `rationale` is present when the chosen grade differs from the proposal and
/// when it is a downgrade from the previous assessment's grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeDecision {
    pub proposed: ResponseGrade,
    pub chosen: ResponseGrade,
    /// The grade of the assessment this one revises, if any.
    pub previous: Option<ResponseGrade>,
    pub rationale: Option<String>,
}

impl GradeDecision {
    /// Decides the grade, recording errors in `f` under the pointers `{at}/grade` and
    /// `{at}/grade_rationale`.
    ///
    /// A call handler may choose another grade than proposed, with a rationale; a
    /// re-assessment whose grade is lower than the previous one needs a rationale too
    /// (issue 4 §2).
    pub fn decide_at(
        f: &mut Fields,
        at: &str,
        proposed: ResponseGrade,
        input: &GradeInput,
        previous: Option<ResponseGrade>,
    ) -> Option<GradeDecision> {
        let chosen = match input.grade.as_deref().map(str::trim) {
            None | Some("") => Some(proposed),
            Some(raw) => f.check(&format!("{at}/grade"), raw.parse::<ResponseGrade>()),
        }?;
        let pointer = format!("{at}/grade_rationale");
        let given = input
            .rationale
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        let rationale = f.optional_prose(&pointer, input.rationale.as_deref(), RATIONALE_MAX);
        if rationale.is_none() {
            if given {
                // Too long or malformed: `optional_prose` has said so.
                return None;
            }
            let missing = match previous.filter(|b| is_downgrade(*b, chosen)) {
                Some(before) => Some(format!(
                    "a downgrade from {before} to {chosen} needs a rationale"
                )),
                None if chosen != proposed => Some(format!(
                    "choosing {chosen} when THRIVE proposes {proposed} needs a rationale"
                )),
                None => None,
            };
            if let Some(message) = missing {
                f.error(&pointer, message);
                return None;
            }
        }
        Some(GradeDecision {
            proposed,
            chosen,
            previous,
            rationale,
        })
    }

    /// Whether the call handler chose another grade than the instrument proposed.
    pub fn is_override(&self) -> bool {
        self.chosen != self.proposed
    }

    /// Whether this grade is lower than the previous assessment's.
    pub fn is_downgrade(&self) -> bool {
        self.previous.is_some_and(|p| is_downgrade(p, self.chosen))
    }

    /// Whether this grade differs from the previous assessment's.
    pub fn is_regrade(&self) -> bool {
        self.previous.is_some_and(|p| p != self.chosen)
    }
}

/// An assessment as sent: the THRIVE under `"thrive"`, and the grade chosen beside it.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    /// `None` when the body has no `"thrive"`.
    pub thrive: Option<ThriveInput>,
    pub grade: GradeInput,
}

/// A complete assessment: the THRIVE, what it proposed and the grade decided. A
/// re-assessment is a new `Assessment` whose decision carries the previous grade; the
/// store links it to the one it revises and never overwrites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub thrive: Thrive,
    pub proposal: Proposal,
    pub decision: GradeDecision,
}

impl Assessment {
    /// Parses an assessment sent at the top of a body: `/thrive/...`, `/grade`,
    /// `/grade_rationale`. `rule` is the grading rule in force (from
    /// [`default_grading_rule`] or the force's own, at the time of the assessment);
    /// `previous` is the grade of the assessment this one revises.
    ///
    /// # Errors
    /// [`Invalid`] naming each bad field: `/thrive` when absent, each missing or invalid
    /// element as [`Thrive::parse`] names them, an unknown `/grade`, and a missing
    /// `/grade_rationale` for an override or a downgrade.
    pub fn parse(
        input: &AssessmentInput,
        rule: &GradingRule,
        previous: Option<ResponseGrade>,
    ) -> Result<Assessment, Invalid> {
        let mut f = Fields::new();
        let assessment = Assessment::parse_at(&mut f, "", input, rule, previous);
        f.finish(|| assessment)
    }

    /// As [`Assessment::parse`], for an assessment found at the JSON Pointer `at` of a
    /// larger input (`""` for the top level), recording errors in `f`.
    pub fn parse_at(
        f: &mut Fields,
        at: &str,
        input: &AssessmentInput,
        rule: &GradingRule,
        previous: Option<ResponseGrade>,
    ) -> Option<Assessment> {
        let Some(thrive_input) = &input.thrive else {
            f.error(format!("{at}/thrive"), "is required");
            // Still check the grade, so that every bad field is named at once.
            let _ = f.check(
                &format!("{at}/grade"),
                match input.grade.grade.as_deref().map(str::trim) {
                    None | Some("") => Ok(()),
                    Some(raw) => raw.parse::<ResponseGrade>().map(|_| ()),
                },
            );
            return None;
        };
        let thrive = Thrive::parse_at(f, &format!("{at}/thrive"), thrive_input)?;
        let proposal = rule.propose(&thrive);
        let decision = GradeDecision::decide_at(f, at, proposal.grade, &input.grade, previous)?;
        Some(Assessment {
            thrive,
            proposal,
            decision,
        })
    }
}

/// An attendance target: the time allowed from the report to arrival, for urban and rural
/// areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub urban: TimeDelta,
    pub rural: TimeDelta,
}

impl Target {
    /// The same time in urban and rural areas.
    pub fn same(time: TimeDelta) -> Target {
        Target {
            urban: time,
            rural: time,
        }
    }

    /// The time allowed in `setting`.
    pub fn for_setting(&self, setting: Setting) -> TimeDelta {
        match setting {
            Setting::Urban => self.urban,
            Setting::Rural => self.rural,
        }
    }
}

/// Attendance targets per grade. Resolution without deployment has none: nobody attends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendanceTargets {
    pub emergency: Target,
    pub priority: Target,
    pub scheduled: Target,
}

impl AttendanceTargets {
    /// The defaults of issue 4 §2, from reference §1.2: emergency 15 minutes urban and 20
    /// rural (the NCHS-era targets, e.g. Suffolk Police's response policy; Essex moved to
    /// 15 in 2010 to match the NCHS), priority 60 minutes (usual; Suffolk "no later than
    /// 60"), scheduled 48 hours (commonly 24–48 hours or an appointment).
    pub fn nchs_default() -> AttendanceTargets {
        AttendanceTargets {
            emergency: Target {
                urban: TimeDelta::minutes(15),
                rural: TimeDelta::minutes(20),
            },
            priority: Target::same(TimeDelta::minutes(60)),
            scheduled: Target::same(TimeDelta::hours(48)),
        }
    }

    /// The time allowed for `grade` in `setting`; `None` for resolution without deployment.
    pub fn target(&self, grade: ResponseGrade, setting: Setting) -> Option<TimeDelta> {
        let t = match grade {
            ResponseGrade::Emergency => self.emergency,
            ResponseGrade::Priority => self.priority,
            ResponseGrade::Scheduled => self.scheduled,
            ResponseGrade::ResolutionWithoutDeployment => return None,
        };
        Some(t.for_setting(setting))
    }
}

/// The attendance targets as dated configuration: the NCHS-era defaults since the
/// beginning.
pub fn default_attendance_targets() -> Dated<AttendanceTargets> {
    Dated::always(AttendanceTargets::nchs_default())
}

/// Whether an attendance met its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    /// Arrived within the target; `took` is arrival minus report (never negative).
    Met { took: TimeDelta, target: TimeDelta },
    /// Arrived after the target, by `by`.
    Missed {
        took: TimeDelta,
        target: TimeDelta,
        by: TimeDelta,
    },
}

impl Attendance {
    /// Whether the target was met.
    pub fn is_met(&self) -> bool {
        matches!(self, Attendance::Met { .. })
    }
}

/// Whether attendance met the target for `grade` in `setting` (issue 4 §2): arrival minus
/// the time of the report, against the target in force on the date of the report. Met when
/// it took no longer than the target. An arrival recorded before the report (an officer
/// flagged down at the scene) took no time. `None` for resolution without deployment.
pub fn attendance(
    reported_at: DateTime<Utc>,
    arrived_at: DateTime<Utc>,
    grade: ResponseGrade,
    setting: Setting,
    targets: &Dated<AttendanceTargets>,
) -> Option<Attendance> {
    let target = targets.at_instant(reported_at).target(grade, setting)?;
    let took = (arrived_at - reported_at).max(TimeDelta::zero());
    Some(if took <= target {
        Attendance::Met { took, target }
    } else {
        Attendance::Missed {
            took,
            target,
            by: took - target,
        }
    })
}

#[cfg(test)]
mod tests;

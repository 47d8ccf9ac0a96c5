//! First contact after the THRIVE assessment (issue 4): the advice checklist, attendance
//! decisions, the crime-recording decision, closure, the incident-management queue's order
//! and the supervisor's review flag.
//!
//! Sources: reference §1.2 (National Call Handling Standards, response grades and
//! attendance), §5.1 (National Crime Recording Standard: a decision within 24 hours, crimes
//! classified by Home Office offence code), and the 2016 inspection's findings that victims
//! were not always advised to preserve evidence and that crimes were closed without
//! attendance and evidence lost (inspection-2016.txt).

use std::cmp::Ordering;

use chrono::{DateTime, TimeDelta, Utc};

use crate::field::Fields;
use crate::thrive::{Level, ResponseGrade, VulnerabilityFactor};
use crate::vocabulary::vocabulary;

/// The longest reason or rationale accepted here, in characters.
pub const REASON_MAX: usize = 2000;

/// One item of the advice checklist: given, or not given and why it did not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdviceItem {
    Given,
    NotApplicable { reason: String },
}

impl AdviceItem {
    /// Whether the advice was given.
    pub fn is_given(&self) -> bool {
        matches!(self, AdviceItem::Given)
    }

    /// Why it did not apply, when it did not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            AdviceItem::Given => None,
            AdviceItem::NotApplicable { reason } => Some(reason),
        }
    }
}

/// One item as sent: `{"given": true}` or `{"given": false, "reason": "..."}`.
#[derive(Debug, Clone, Default)]
pub struct AdviceItemInput {
    pub given: Option<bool>,
    pub reason: Option<String>,
}

/// The advice checklist at first contact (issue 4 §3): whether the caller was told how to
/// preserve evidence and how to prevent a further crime, or why not. Required for every
/// incident opened with the crime category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    pub evidence_preservation: AdviceItem,
    pub crime_prevention: AdviceItem,
}

/// The checklist as sent.
#[derive(Debug, Clone, Default)]
pub struct AdviceInput {
    pub evidence_preservation: Option<AdviceItemInput>,
    pub crime_prevention: Option<AdviceItemInput>,
}

fn advice_item(f: &mut Fields, at: &str, input: Option<&AdviceItemInput>) -> Option<AdviceItem> {
    let Some(input) = input else {
        f.error(at, "is required");
        return None;
    };
    match input.given {
        None => {
            f.error(format!("{at}/given"), "is required (true or false)");
            None
        }
        Some(true) => Some(AdviceItem::Given),
        Some(false) => {
            let pointer = format!("{at}/reason");
            match input.reason.as_deref().map(str::trim) {
                None | Some("") => {
                    f.error(pointer, "must say why the advice was not given");
                    None
                }
                Some(r) => f
                    .prose(&pointer, r, REASON_MAX)
                    .map(|reason| AdviceItem::NotApplicable { reason }),
            }
        }
    }
}

impl Advice {
    /// Parses a checklist found at the JSON Pointer `at`, recording errors in `f`.
    pub fn parse_at(f: &mut Fields, at: &str, input: &AdviceInput) -> Option<Advice> {
        let evidence = advice_item(
            f,
            &format!("{at}/evidence_preservation"),
            input.evidence_preservation.as_ref(),
        );
        let prevention = advice_item(
            f,
            &format!("{at}/crime_prevention"),
            input.crime_prevention.as_ref(),
        );
        Some(Advice {
            evidence_preservation: evidence?,
            crime_prevention: prevention?,
        })
    }
}

vocabulary!(
    /// An attendance decision or event on a queued incident (issue 4 §4).
    AttendanceKind, "deployed, arrived or not_attending" {
        /// Officers were sent. Takes the incident off the queue.
        Deployed = "deployed",
        /// Officers arrived at the scene: the time measured against the attendance target.
        Arrived = "arrived",
        /// Resolved without attendance: by telephone, advice or referral. Takes the
        /// incident off the queue.
        NotAttending = "not_attending",
    }
);

vocabulary!(
    /// The crime-recording decision (NCRS, reference §5.1).
    CrimeRecording, "crime or not_a_crime" {
        /// Recorded as one or more crimes.
        Crime = "crime",
        /// Not a crime, with the reason.
        NotACrime = "not_a_crime",
    }
);

vocabulary!(
    /// How an incident ended: its result on closure.
    IncidentResult, "an incident result" {
        /// Attended and dealt with at the scene.
        ResolvedAtScene = "resolved_at_scene",
        /// Resolved by telephone, advice or referral without attendance.
        ResolvedWithoutAttendance = "resolved_without_attendance",
        /// One or more crimes were recorded and passed for investigation.
        CrimeRecorded = "crime_recorded",
        /// Passed to another agency (council, ambulance, social care).
        ReferredToPartner = "referred_to_partner",
        /// Officers attended and found nothing, or nobody could be traced.
        NoTrace = "no_trace",
        /// A further call about an incident already open.
        Duplicate = "duplicate",
        /// No police action was needed.
        NoFurtherAction = "no_further_action",
    }
);

/// Whether closing an incident is to be flagged for a supervisor's review (issue 4 §4): it
/// was opened as a crime, nobody attended, and its THRIVE found lines of enquiry. The
/// inspection found such crimes closed and the evidence lost.
pub fn needs_review_on_closure(is_crime: bool, attended: bool, lines_of_enquiry: bool) -> bool {
    is_crime && !attended && lines_of_enquiry
}

/// What places an incident in the incident-management queue: its latest assessment and its
/// age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub grade: ResponseGrade,
    pub risk: Level,
    pub vulnerability: Level,
    pub factors: Vec<VulnerabilityFactor>,
    /// When the report was received: the age that breaks ties.
    pub received_at: DateTime<Utc>,
    /// When it entered the queue at its current grade.
    pub queued_at: DateTime<Utc>,
    /// The wait its grade allows in the queue, if any ([`crate::duty::DutyRules::queue_wait`]).
    pub wait_allowed: Option<TimeDelta>,
}

/// A level as a number for ordering and storage: low 0, medium 1, high 2.
pub fn level_rank(level: Level) -> i32 {
    match level {
        Level::Low => 0,
        Level::Medium => 1,
        Level::High => 2,
    }
}

impl QueueEntry {
    /// The queue's order (issue 4 §4): risk and vulnerability first, age second, never
    /// first-in first-out alone. In turn: the urgency of the grade (which THRIVE proposes
    /// from threat, harm and risk), the risk, the vulnerability and then the number of
    /// vulnerability factors, highest first; then the oldest report first. The store
    /// orders by the same columns in the same directions ([`level_rank`],
    /// [`ResponseGrade::urgency`]).
    pub fn queue_order(&self, other: &QueueEntry) -> Ordering {
        other
            .grade
            .urgency()
            .cmp(&self.grade.urgency())
            .then(other.risk.cmp(&self.risk))
            .then(other.vulnerability.cmp(&self.vulnerability))
            .then(other.factors.len().cmp(&self.factors.len()))
            .then(self.received_at.cmp(&other.received_at))
    }

    /// How long it has waited at its grade at `now`, and by how much it is over the wait
    /// allowed (zero when it is not).
    pub fn waited(&self, now: DateTime<Utc>) -> (TimeDelta, TimeDelta) {
        let waited = (now - self.queued_at).max(TimeDelta::zero());
        let over = self
            .wait_allowed
            .map_or(TimeDelta::zero(), |w| (waited - w).max(TimeDelta::zero()));
        (waited, over)
    }

    /// Why the entry holds its place, in words: "Priority grade; risk high; vulnerability
    /// medium (child, domestic abuse); waiting 1 h 12 min of 1 h allowed, 12 min over".
    pub fn why(&self, now: DateTime<Utc>) -> String {
        let factors = if self.factors.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                self.factors
                    .iter()
                    .map(|f| f.as_str().replace('_', " "))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let (waited, over) = self.waited(now);
        let wait = match self.wait_allowed {
            Some(allowed) if over > TimeDelta::zero() => format!(
                "waiting {} of {} allowed, {} over",
                span(waited),
                span(allowed),
                span(over)
            ),
            Some(allowed) => format!("waiting {} of {} allowed", span(waited), span(allowed)),
            None => format!("waiting {}", span(waited)),
        };
        format!(
            "{} grade; risk {}; vulnerability {}{}; {}",
            self.grade.describe(),
            self.risk,
            self.vulnerability,
            factors,
            wait
        )
    }
}

/// A span of time in words: "45 min", "1 h 12 min", "2 d 3 h".
pub fn span(t: TimeDelta) -> String {
    let minutes = t.num_minutes().max(0);
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 9, 21, 0, 0)
            .single()
            .unwrap_or_default()
            + TimeDelta::minutes(minute)
    }

    fn entry(grade: ResponseGrade, risk: Level, vulnerability: Level, age: i64) -> QueueEntry {
        QueueEntry {
            grade,
            risk,
            vulnerability,
            factors: vec![],
            received_at: at(-age),
            queued_at: at(-age),
            wait_allowed: Some(TimeDelta::minutes(60)),
        }
    }

    #[test]
    fn a_vulnerable_caller_goes_before_an_older_call_of_the_same_grade() {
        let old = entry(ResponseGrade::Priority, Level::Medium, Level::Low, 300);
        let vulnerable = entry(ResponseGrade::Priority, Level::Medium, Level::High, 5);
        let mut q = [old.clone(), vulnerable.clone()];
        q.sort_by(QueueEntry::queue_order);
        assert_eq!(q, [vulnerable, old]);
    }

    #[test]
    fn age_decides_only_between_equals() {
        let a = entry(ResponseGrade::Scheduled, Level::Low, Level::Low, 10);
        let b = entry(ResponseGrade::Scheduled, Level::Low, Level::Low, 90);
        assert_eq!(a.queue_order(&b), Ordering::Greater);
    }

    #[test]
    fn why_says_what_placed_it_and_how_late_it_is() {
        let mut e = entry(ResponseGrade::Priority, Level::High, Level::Medium, 72);
        e.factors = vec![
            VulnerabilityFactor::Child,
            VulnerabilityFactor::DomesticAbuse,
        ];
        assert_eq!(
            e.why(at(0)),
            "Priority grade; risk high; vulnerability medium (child, domestic abuse); \
             waiting 1 h 12 min of 1 h allowed, 12 min over"
        );
    }

    #[test]
    fn advice_not_given_needs_a_reason() {
        let mut f = Fields::new();
        let input = AdviceInput {
            evidence_preservation: Some(AdviceItemInput {
                given: Some(false),
                reason: Some(" ".into()),
            }),
            crime_prevention: None,
        };
        assert!(Advice::parse_at(&mut f, "/advice", &input).is_none());
        let fields: Vec<String> = f
            .finish(|| Some(()))
            .err()
            .map(|e| e.0.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            [
                "/advice/evidence_preservation/reason",
                "/advice/crime_prevention"
            ]
        );
    }

    #[test]
    fn a_reason_keeps_its_lines() {
        let mut f = Fields::new();
        let item = AdviceItemInput {
            given: Some(false),
            reason: Some("Caller hung up.\r\nRang back: no answer.".into()),
        };
        let got = advice_item(&mut f, "/advice/crime_prevention", Some(&item));
        assert_eq!(
            got.as_ref().and_then(AdviceItem::reason),
            Some("Caller hung up.\nRang back: no answer.")
        );
    }

    #[test]
    fn only_an_unattended_crime_with_lines_of_enquiry_is_flagged() {
        assert!(needs_review_on_closure(true, false, true));
        assert!(!needs_review_on_closure(true, true, true));
        assert!(!needs_review_on_closure(true, false, false));
        assert!(!needs_review_on_closure(false, false, true));
    }

    fn level() -> impl Strategy<Value = Level> {
        prop::sample::select(Level::ALL.to_vec())
    }

    fn grade() -> impl Strategy<Value = ResponseGrade> {
        prop::sample::select(ResponseGrade::ALL.to_vec())
    }

    proptest! {
        /// The order is total and consistent: sorting any queue puts every more urgent
        /// grade first, and within a grade never an older entry after a newer one of equal
        /// risk and vulnerability.
        #[test]
        fn the_queue_is_never_first_in_first_out_alone(
            items in prop::collection::vec((grade(), level(), level(), 0i64..10_000), 0..40)
        ) {
            let mut q: Vec<QueueEntry> = items.iter().map(|(g, r, v, a)| entry(*g, *r, *v, *a)).collect();
            q.sort_by(QueueEntry::queue_order);
            for w in q.windows(2) {
                prop_assert!(w[0].grade.urgency() >= w[1].grade.urgency());
                if w[0].grade == w[1].grade && w[0].risk == w[1].risk && w[0].vulnerability == w[1].vulnerability {
                    prop_assert!(w[0].received_at <= w[1].received_at);
                }
                if w[0].grade == w[1].grade {
                    prop_assert!(w[0].risk >= w[1].risk);
                }
            }
        }

        #[test]
        fn span_reads_back(minutes in 0i64..100_000) {
            let s = span(TimeDelta::minutes(minutes));
            prop_assert!(s.ends_with("min") || s.ends_with(" h") || s.ends_with(" d"));
        }
    }
}

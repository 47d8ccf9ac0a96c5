use chrono::{NaiveDate, TimeZone};
use proptest::prelude::*;

use super::*;

fn j(level: &str) -> Option<JudgementInput> {
    Some(JudgementInput {
        level: Some(level.into()),
        rationale: Some(format!("judged {level}")),
    })
}

fn input(levels: [&str; 6], factors: &[&str]) -> ThriveInput {
    ThriveInput {
        threat: j(levels[0]),
        harm: j(levels[1]),
        risk: j(levels[2]),
        investigation: j(levels[3]),
        vulnerability: Some(VulnerabilityInput {
            level: Some(levels[4].into()),
            rationale: Some("lives alone".into()),
            factors: factors.iter().map(|f| f.to_string()).collect(),
        }),
        engagement: j(levels[5]),
    }
}

fn thrive(levels: [Level; 6]) -> Thrive {
    let judged = |level: Level| Judgement {
        level,
        rationale: "because".into(),
    };
    Thrive {
        threat: judged(levels[0]),
        harm: judged(levels[1]),
        risk: judged(levels[2]),
        investigation: judged(levels[3]),
        vulnerability: judged(levels[4]),
        factors: BTreeSet::new(),
        engagement: judged(levels[5]),
    }
}

fn fields(e: Invalid) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

fn propose(levels: [Level; 6]) -> ResponseGrade {
    GradingRule::issue_4_default()
        .propose(&thrive(levels))
        .grade
}

use Level::{High as H, Low as L, Medium as M};

#[test]
fn a_complete_thrive_parses() {
    let t = Thrive::parse(&input(
        ["high", "medium", "low", "medium", "high", "low"],
        &["child", "domestic_abuse", "child"],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.threat.level, Level::High);
    assert_eq!(t.level(Element::Harm), Level::Medium);
    assert_eq!(t.vulnerability.rationale, "lives alone");
    assert_eq!(
        t.factors.iter().copied().collect::<Vec<_>>(),
        [
            VulnerabilityFactor::Child,
            VulnerabilityFactor::DomesticAbuse
        ]
    );
    assert!(t.has_lines_of_enquiry());
}

#[test]
fn each_missing_element_is_named_by_its_pointer() {
    let mut i = input(["low"; 6], &[]);
    i.harm = None;
    i.engagement = None;
    assert_eq!(
        Thrive::parse(&i).map_err(fields),
        Err(vec![
            "/thrive/harm".to_string(),
            "/thrive/engagement".to_string()
        ])
    );
    assert_eq!(
        Thrive::parse(&ThriveInput::default()).map_err(fields),
        Err(Element::ALL
            .iter()
            .map(|e| format!("/thrive/{e}"))
            .collect::<Vec<_>>())
    );
}

#[test]
fn bad_levels_rationales_and_factors_are_named() {
    let mut i = input(["low"; 6], &["child", "werewolf"]);
    i.threat = Some(JudgementInput {
        level: Some("severe".into()),
        rationale: Some("x".into()),
    });
    i.risk = Some(JudgementInput {
        level: None,
        rationale: Some("  ".into()),
    });
    let e = Thrive::parse(&i)
        .err()
        .unwrap_or_else(|| Invalid::one("", ""));
    assert_eq!(
        e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        [
            "/thrive/threat/level",
            "/thrive/risk/level",
            "/thrive/risk/rationale",
            "/thrive/vulnerability/factors/1"
        ]
    );
    assert!(e.0[0].message.contains("low, medium, high"));
}

#[test]
fn the_default_rule_grades_as_issue_4_states() {
    // [threat, harm, risk, investigation, vulnerability, engagement]
    assert_eq!(propose([H, M, L, L, L, L]), ResponseGrade::Emergency);
    assert_eq!(propose([L, H, H, L, L, L]), ResponseGrade::Emergency);
    // Threat high but harm low: not an emergency, but high makes it priority.
    assert_eq!(propose([H, L, L, L, L, L]), ResponseGrade::Priority);
    // Harm high alone: priority.
    assert_eq!(propose([L, H, L, L, L, L]), ResponseGrade::Priority);
    assert_eq!(propose([L, L, L, L, L, H]), ResponseGrade::Priority);
    assert_eq!(propose([L, L, L, M, M, L]), ResponseGrade::Priority);
    assert_eq!(propose([L, L, L, L, M, L]), ResponseGrade::Scheduled);
    assert_eq!(
        propose([L, L, L, L, L, L]),
        ResponseGrade::ResolutionWithoutDeployment
    );
    let p = GradingRule::issue_4_default().propose(&thrive([L, M, H, L, L, L]));
    assert_eq!(p.reason, "risk at least high and harm at least medium");
    let p = GradingRule::issue_4_default().propose(&thrive([L, L, L, M, M, L]));
    assert_eq!(
        p.reason,
        "2 elements at least medium (investigation, vulnerability)"
    );
}

/// The rule of issue 4 §2, restated as directly as the words allow.
fn issue_4(levels: [Level; 6]) -> ResponseGrade {
    let [threat, harm, risk, ..] = levels;
    let highs = levels.iter().filter(|l| **l == H).count();
    let mediums = levels.iter().filter(|l| **l == M).count();
    if (threat == H || risk == H) && harm >= M {
        ResponseGrade::Emergency
    } else if highs > 0 || mediums >= 2 {
        ResponseGrade::Priority
    } else if mediums > 0 {
        ResponseGrade::Scheduled
    } else {
        ResponseGrade::ResolutionWithoutDeployment
    }
}

fn all_levels() -> Vec<[Level; 6]> {
    let mut out = vec![[L; 6]];
    for i in 0..6 {
        out = out
            .into_iter()
            .flat_map(|ls| {
                Level::ALL.iter().map(move |l| {
                    let mut next = ls;
                    next[i] = *l;
                    next
                })
            })
            .collect();
    }
    out
}

#[test]
fn the_default_rule_agrees_with_the_issue_on_all_729_assessments() {
    let all = all_levels();
    assert_eq!(all.len(), 729);
    for levels in all {
        assert_eq!(propose(levels), issue_4(levels), "{levels:?}");
    }
}

#[test]
fn a_force_can_date_a_change_of_rule() {
    let stricter = GradingRule {
        priority_count: 3,
        ..GradingRule::issue_4_default()
    };
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let rules = default_grading_rule()
        .then(from, stricter)
        .unwrap_or_else(|e| panic!("{e}"));
    let two_mediums = thrive([L, L, L, M, M, L]);
    let before = from.pred_opt().unwrap_or_default();
    assert_eq!(
        rules.at(before).propose(&two_mediums).grade,
        ResponseGrade::Priority
    );
    assert_eq!(
        rules.at(from).propose(&two_mediums).grade,
        ResponseGrade::Scheduled
    );
}

fn decide(
    proposed: ResponseGrade,
    grade: Option<&str>,
    rationale: Option<&str>,
    previous: Option<ResponseGrade>,
) -> Result<GradeDecision, Vec<String>> {
    let mut f = Fields::new();
    let input = GradeInput {
        grade: grade.map(str::to_string),
        rationale: rationale.map(str::to_string),
    };
    let d = GradeDecision::decide_at(&mut f, "", proposed, &input, previous);
    f.finish(|| d).map_err(fields)
}

#[test]
fn choosing_another_grade_needs_a_rationale() {
    use ResponseGrade::*;
    let d = decide(Priority, None, None, None).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(d.chosen, Priority);
    assert!(!d.is_override() && !d.is_downgrade() && !d.is_regrade());
    assert_eq!(
        decide(Priority, Some("scheduled"), None, None),
        Err(vec!["/grade_rationale".to_string()])
    );
    assert_eq!(
        decide(Priority, Some("emergency"), Some(" "), None),
        Err(vec!["/grade_rationale".to_string()])
    );
    let d = decide(
        Priority,
        Some("emergency"),
        Some("Caller can hear a weapon"),
        None,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(d.is_override());
    assert_eq!(d.rationale.as_deref(), Some("Caller can hear a weapon"));
    assert_eq!(
        decide(Priority, Some("urgent"), None, None),
        Err(vec!["/grade".to_string()])
    );
    let long = "x".repeat(RATIONALE_MAX + 1);
    assert_eq!(
        decide(Priority, Some("emergency"), Some(&long), None),
        Err(vec!["/grade_rationale".to_string()])
    );
}

#[test]
fn a_downgrade_on_reassessment_needs_a_rationale() {
    use ResponseGrade::*;
    // Re-THRIVE proposes scheduled after an emergency: accepting it is a downgrade.
    let e = decide(Scheduled, None, None, Some(Emergency));
    assert_eq!(e, Err(vec!["/grade_rationale".to_string()]));
    let d = decide(
        Scheduled,
        None,
        Some("Suspect has left; victim safe with family"),
        Some(Emergency),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(d.is_downgrade() && d.is_regrade() && !d.is_override());
    // An upgrade, or the same grade, needs none.
    let d = decide(Emergency, None, None, Some(Priority)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!d.is_downgrade() && d.is_regrade());
    assert!(decide(Priority, None, None, Some(Priority)).is_ok());
}

#[test]
fn an_assessment_names_every_bad_field_at_once() {
    let rule = GradingRule::issue_4_default();
    let missing = Assessment::parse(
        &AssessmentInput {
            thrive: None,
            grade: GradeInput {
                grade: Some("fast".into()),
                rationale: None,
            },
        },
        &rule,
        None,
    );
    assert_eq!(
        missing.map_err(fields),
        Err(vec!["/thrive".to_string(), "/grade".to_string()])
    );
    let mut i = input(["high", "medium", "low", "low", "low", "low"], &[]);
    i.harm = None;
    let e = Assessment::parse(
        &AssessmentInput {
            thrive: Some(i),
            grade: GradeInput::default(),
        },
        &rule,
        None,
    );
    assert_eq!(e.map_err(fields), Err(vec!["/thrive/harm".to_string()]));
    let a = Assessment::parse(
        &AssessmentInput {
            thrive: Some(input(["high", "medium", "low", "low", "low", "low"], &[])),
            grade: GradeInput::default(),
        },
        &rule,
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.proposal.grade, ResponseGrade::Emergency);
    assert_eq!(a.decision.chosen, ResponseGrade::Emergency);
}

#[test]
fn inconsistencies_are_pointed_out() {
    let mut t = thrive([L; 6]);
    assert!(t.inconsistencies().is_empty());
    t.factors.insert(VulnerabilityFactor::Child);
    assert_eq!(t.inconsistencies().len(), 2);
    t.vulnerability.level = H;
    t.harm.level = M;
    assert!(t.inconsistencies().is_empty());
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, h, m, s)
        .single()
        .unwrap_or_default()
}

#[test]
fn attendance_targets_are_met_up_to_the_target_inclusive() {
    let targets = default_attendance_targets();
    let check =
        |arrived, grade, setting| attendance(at(10, 0, 0), arrived, grade, setting, &targets);
    use ResponseGrade::*;
    assert!(check(at(10, 15, 0), Emergency, Setting::Urban).is_some_and(|a| a.is_met()));
    assert_eq!(
        check(at(10, 15, 1), Emergency, Setting::Urban),
        Some(Attendance::Missed {
            took: TimeDelta::seconds(901),
            target: TimeDelta::minutes(15),
            by: TimeDelta::seconds(1)
        })
    );
    assert!(check(at(10, 20, 0), Emergency, Setting::Rural).is_some_and(|a| a.is_met()));
    assert!(check(at(11, 0, 0), Priority, Setting::Rural).is_some_and(|a| a.is_met()));
    assert!(check(at(11, 0, 1), Priority, Setting::Urban).is_some_and(|a| !a.is_met()));
    assert_eq!(
        check(at(11, 0, 0), ResolutionWithoutDeployment, Setting::Urban),
        None
    );
    // An officer at the scene before the report was logged took no time.
    assert_eq!(
        check(at(9, 59, 0), Emergency, Setting::Urban),
        Some(Attendance::Met {
            took: TimeDelta::zero(),
            target: TimeDelta::minutes(15)
        })
    );
    let t = AttendanceTargets::nchs_default();
    assert_eq!(
        t.target(Scheduled, Setting::Rural),
        Some(TimeDelta::hours(48))
    );
}

fn level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

fn grade() -> impl Strategy<Value = ResponseGrade> {
    prop::sample::select(ResponseGrade::ALL.to_vec())
}

proptest! {
    #[test]
    fn raising_any_element_never_lowers_the_grade(
        levels in prop::array::uniform6(level()),
        i in 0usize..6,
    ) {
        let before = propose(levels);
        let mut raised = levels;
        raised[i] = H;
        prop_assert!(propose(raised).urgency() >= before.urgency());
    }

    #[test]
    fn the_rule_edges_hold(levels in prop::array::uniform6(level())) {
        let grade = propose(levels);
        let [threat, harm, risk, ..] = levels;
        // Emergency exactly when threat or risk is high and harm at least medium.
        prop_assert_eq!(
            grade == ResponseGrade::Emergency,
            (threat == H || risk == H) && harm >= M
        );
        // Nothing above low means no deployment; anything above low means a deployment.
        prop_assert_eq!(
            grade == ResponseGrade::ResolutionWithoutDeployment,
            levels.iter().all(|l| *l == L)
        );
        // Exactly one medium and the rest low is scheduled.
        if levels.iter().filter(|l| **l == M).count() == 1 && !levels.contains(&H) {
            prop_assert_eq!(grade, ResponseGrade::Scheduled);
        }
    }

    #[test]
    fn downgrade_is_a_strict_order(a in grade(), b in grade(), c in grade()) {
        prop_assert!(!is_downgrade(a, a));
        prop_assert!(!(is_downgrade(a, b) && is_downgrade(b, a)));
        if is_downgrade(a, b) && is_downgrade(b, c) {
            prop_assert!(is_downgrade(a, c));
        }
        prop_assert_eq!(is_downgrade(a, b), a != b && !is_downgrade(b, a));
    }

    #[test]
    fn a_lower_grade_than_before_is_refused_without_a_rationale(
        proposed in grade(),
        chosen in grade(),
        previous in grade(),
    ) {
        let result = decide(proposed, Some(chosen.as_str()), None, Some(previous));
        let needs = chosen != proposed || is_downgrade(previous, chosen);
        prop_assert_eq!(result.is_err(), needs);
        let with = decide(proposed, Some(chosen.as_str()), Some("reason"), Some(previous));
        prop_assert!(with.is_ok_and(|d| d.is_downgrade() == is_downgrade(previous, chosen)));
    }

    #[test]
    fn attendance_is_met_iff_it_took_no_longer_than_the_target(
        grade in grade(),
        rural in any::<bool>(),
        seconds in -600i64..200_000,
    ) {
        let setting = if rural { Setting::Rural } else { Setting::Urban };
        let reported = at(10, 0, 0);
        let arrived = reported + TimeDelta::seconds(seconds);
        let targets = default_attendance_targets();
        let result = attendance(reported, arrived, grade, setting, &targets);
        match targets.latest().target(grade, setting) {
            None => prop_assert_eq!(result, None),
            Some(target) => prop_assert_eq!(
                result.map(|a| a.is_met()),
                Some(TimeDelta::seconds(seconds) <= target)
            ),
        }
    }
}

use chrono::{Datelike, TimeZone, Weekday};
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::calendar::london_date;

fn id(n: u128) -> RecordId {
    RecordId::from_uuid(Uuid::from_u128(n))
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s)
        .single()
        .unwrap_or_default()
}

fn t0() -> DateTime<Utc> {
    utc(2024, 6, 3, 10, 0, 0)
}

fn mins(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::minutes(n)
}

fn run(events: &[Event]) -> Vec<Duty> {
    replay(
        events,
        &DutyRules::default(),
        &Calendar::england_and_wales(),
    )
}

fn opened(incident: RecordId, category: IncidentCategory) -> Event {
    Event::IncidentOpened {
        incident,
        at: mins(2),
        reported_at: t0(),
        category,
    }
}

fn of(duties: &[Duty], kind: DutyKind) -> Vec<&Duty> {
    duties.iter().filter(|d| d.kind == kind).collect()
}

#[test]
fn a_crime_incident_raises_thrive_and_a_crime_recording_decision() {
    let duties = run(&[opened(id(1), IncidentCategory::Crime)]);
    assert_eq!(duties.len(), 2);
    let thrive = &duties[0];
    assert_eq!(
        (thrive.kind, thrive.rule, thrive.owed_by),
        (
            DutyKind::CompleteThrive,
            RuleId::ThriveCompletion,
            Owner::Role(Role::CallHandler)
        )
    );
    assert_eq!((thrive.raised_at, thrive.due), (mins(2), mins(32)));
    let ncrs = &duties[1];
    assert_eq!(
        (ncrs.kind, ncrs.rule),
        (DutyKind::DecideCrimeRecording, RuleId::NcrsDecision)
    );
    // 24 hours from the report, not from the opening.
    assert_eq!(ncrs.due, t0() + TimeDelta::hours(24));
    assert_eq!(
        (ncrs.subject, ncrs.owed_to, ncrs.met_at),
        (id(1), None, None)
    );

    let duties = run(&[opened(id(1), IncidentCategory::ConcernForWelfare)]);
    assert_eq!(
        duties.iter().map(|d| d.kind).collect::<Vec<_>>(),
        [DutyKind::CompleteThrive]
    );
}

#[test]
fn the_crime_recording_decision_is_met_within_24_hours_inclusive() {
    let decided = |at| {
        run(&[
            opened(id(1), IncidentCategory::Crime),
            Event::CrimeRecordingDecided {
                incident: id(1),
                at,
            },
        ])
    };
    let later = t0() + TimeDelta::days(3);
    let on_time = decided(t0() + TimeDelta::hours(24));
    assert_eq!(
        of(&on_time, DutyKind::DecideCrimeRecording)[0].status(later),
        Status::Met { on_time: true }
    );
    let late = decided(t0() + TimeDelta::hours(24) + TimeDelta::seconds(1));
    let duty = of(&late, DutyKind::DecideCrimeRecording)[0];
    assert_eq!(duty.status(later), Status::Met { on_time: false });
    assert_eq!(duty.status(later).as_str(), "breached");
    // Another incident's decision meets nothing here.
    let other = run(&[
        opened(id(1), IncidentCategory::Crime),
        Event::CrimeRecordingDecided {
            incident: id(2),
            at: mins(5),
        },
    ]);
    assert_eq!(of(&other, DutyKind::DecideCrimeRecording)[0].met_at, None);
}

#[test]
fn thrive_recorded_meets_the_completion_duty() {
    let duties = run(&[
        opened(id(1), IncidentCategory::Crime),
        Event::ThriveRecorded {
            incident: id(1),
            at: mins(10),
            grade: ResponseGrade::Priority,
        },
    ]);
    assert_eq!(
        of(&duties, DutyKind::CompleteThrive)[0].status(mins(60)),
        Status::Met { on_time: true }
    );
}

fn queued(at: i64, grade: ResponseGrade, setting: Setting) -> Event {
    Event::IncidentQueued {
        incident: id(1),
        at: mins(at),
        grade,
        setting,
    }
}

#[test]
fn a_queued_incident_must_be_attended_within_its_grade() {
    let duties = run(&[
        queued(0, ResponseGrade::Emergency, Setting::Urban),
        Event::AttendanceRecorded {
            incident: id(1),
            at: mins(12),
        },
    ]);
    assert_eq!(duties.len(), 1);
    assert_eq!(
        (duties[0].kind, duties[0].rule),
        (DutyKind::AttendOrResolve, RuleId::QueueWait)
    );
    assert_eq!(duties[0].due, mins(15));
    assert_eq!(duties[0].status(mins(30)), Status::Met { on_time: true });

    let rural = run(&[queued(0, ResponseGrade::Emergency, Setting::Rural)]);
    assert_eq!(rural[0].due, mins(20));
    assert_eq!(rural[0].status(mins(20)), Status::Open);
    assert_eq!(
        rural[0].status(mins(25)),
        Status::Overdue {
            by: TimeDelta::minutes(5)
        }
    );
    let scheduled = run(&[queued(0, ResponseGrade::Scheduled, Setting::Urban)]);
    assert_eq!(scheduled[0].due, mins(48 * 60));
    // Resolution without deployment has no attendance target and, by default, no wait.
    assert!(
        run(&[queued(
            0,
            ResponseGrade::ResolutionWithoutDeployment,
            Setting::Urban
        )])
        .is_empty()
    );
}

#[test]
fn requeueing_at_a_new_grade_ends_the_old_wait_and_starts_a_new_one() {
    let duties = run(&[
        queued(0, ResponseGrade::Scheduled, Setting::Urban),
        queued(30, ResponseGrade::Priority, Setting::Urban),
        Event::IncidentClosed {
            incident: id(1),
            at: mins(100),
        },
    ]);
    assert_eq!(duties.len(), 2);
    assert_eq!(duties[0].met_at, Some(mins(30)));
    assert_eq!((duties[1].raised_at, duties[1].due), (mins(30), mins(90)));
    // Closed 10 minutes after the priority wait ran out.
    assert_eq!(duties[1].status(mins(200)), Status::Met { on_time: false });
}

#[test]
fn a_late_duty_escalates_to_a_supervisor() {
    let rules = DutyRules::default();
    let cal = Calendar::england_and_wales();
    let duties = run(&[opened(id(1), IncidentCategory::Crime)]);
    let ncrs = of(&duties, DutyKind::DecideCrimeRecording)[0].clone();
    assert_eq!(escalate(&ncrs, ncrs.due, &rules, &cal), None);
    let now = ncrs.due + TimeDelta::minutes(1);
    let esc = escalate(&ncrs, now, &rules, &cal).unwrap_or_else(|| panic!("no escalation"));
    assert_eq!(
        (esc.kind, esc.rule, esc.owed_by),
        (
            DutyKind::DecideCrimeRecording,
            RuleId::Escalation,
            Owner::Role(Role::Supervisor)
        )
    );
    assert_eq!(
        (esc.raised_at, esc.due),
        (ncrs.due, ncrs.due + TimeDelta::hours(24))
    );
    assert!(esc.is_escalation());
    assert_eq!(escalate(&esc, now + TimeDelta::days(9), &rules, &cal), None);

    // The decision, made late, meets the duty and its escalation together.
    let mut held = vec![ncrs.clone(), esc];
    let decided = Event::CrimeRecordingDecided {
        incident: id(1),
        at: now + TimeDelta::hours(2),
    };
    apply(&mut held, react(&decided, &rules, &cal));
    assert_eq!(
        held[0].status(now + TimeDelta::hours(3)),
        Status::Met { on_time: false }
    );
    assert_eq!(
        held[1].status(now + TimeDelta::hours(3)),
        Status::Met { on_time: true }
    );

    // A duty met on time never escalates.
    let mut met = ncrs;
    met.met_at = Some(met.due);
    assert_eq!(
        escalate(&met, met.due + TimeDelta::days(1), &rules, &cal),
        None
    );
    // Nor does a kind without an escalation rule.
    let mut none = rules.clone();
    none.escalations = Dated::always(BTreeMap::new());
    assert_eq!(
        escalations(&duties, now + TimeDelta::days(9), &none, &cal),
        vec![]
    );
    assert_eq!(
        escalations(&duties, now + TimeDelta::days(9), &rules, &cal).len(),
        2
    );
}

fn notifiable(at: DateTime<Utc>, what: Notifiable, entitlement: Entitlement) -> Event {
    Event::VictimNotifiable {
        crime: id(7),
        victim: id(8),
        at,
        what,
        entitlement,
        owner: Owner::Role(Role::Investigator),
    }
}

#[test]
fn victims_are_told_within_the_codes_working_days() {
    // An arrest on Thursday 23 December 2021: 5 working days are 24, 29, 30, 31 December
    // and 4 January (the 27th, 28th and 3rd are substitute bank holidays).
    let arrest = utc(2021, 12, 23, 15, 0, 0);
    let standard = run(&[notifiable(
        arrest,
        Notifiable::Arrest,
        Entitlement::Standard,
    )]);
    assert_eq!(standard[0].due, utc(2022, 1, 4, 23, 59, 59));
    assert_eq!(
        (standard[0].kind, standard[0].rule, standard[0].owed_to),
        (DutyKind::InformVictim, RuleId::VictimUpdate, Some(id(8)))
    );
    let enhanced = run(&[notifiable(
        arrest,
        Notifiable::Arrest,
        Entitlement::Enhanced,
    )]);
    assert_eq!(enhanced[0].due, utc(2021, 12, 24, 23, 59, 59));
    // A charge in summer falls due at 23:59:59 BST.
    let charge = run(&[notifiable(
        utc(2024, 7, 10, 9, 0, 0),
        Notifiable::Charged,
        Entitlement::Enhanced,
    )]);
    assert_eq!(charge[0].due, utc(2024, 7, 11, 22, 59, 59));
}

#[test]
fn release_under_investigation_is_notifiable_from_the_2021_code() {
    let before = utc(2021, 3, 31, 12, 0, 0);
    let after = utc(2021, 4, 1, 12, 0, 0);
    let rui = Notifiable::ReleasedUnderInvestigation;
    assert!(run(&[notifiable(before, rui, Entitlement::Standard)]).is_empty());
    assert_eq!(
        run(&[notifiable(after, rui, Entitlement::Standard)]).len(),
        1
    );
    assert_eq!(default_victims_code().periods().len(), 2);
}

#[test]
fn a_contact_meets_what_is_pending_for_that_victim_only() {
    let at = utc(2024, 7, 10, 9, 0, 0);
    let duties = run(&[
        Event::VictimRecorded {
            crime: id(7),
            victim: id(8),
            at,
            owner: Owner::Role(Role::VictimCare),
        },
        notifiable(at, Notifiable::Arrest, Entitlement::Standard),
        Event::VictimNotifiable {
            crime: id(7),
            victim: id(9),
            at,
            what: Notifiable::Arrest,
            entitlement: Entitlement::Standard,
            owner: Owner::Role(Role::Investigator),
        },
        Event::VictimContacted {
            crime: id(7),
            victim: id(8),
            at: at + TimeDelta::hours(3),
        },
        Event::VictimReferred {
            crime: id(7),
            victim: id(8),
            at: at + TimeDelta::hours(1),
        },
    ]);
    let referral = of(&duties, DutyKind::ReferVictim)[0];
    // Two working days from Wednesday 10 July 2024: Friday 12 July, 23:59:59 BST.
    assert_eq!(referral.due, utc(2024, 7, 12, 22, 59, 59));
    assert_eq!(referral.met_at, Some(at + TimeDelta::hours(1)));
    let informs = of(&duties, DutyKind::InformVictim);
    assert_eq!(informs[0].met_at, Some(at + TimeDelta::hours(3)));
    assert_eq!(informs[1].met_at, None);
}

#[test]
fn compliance_is_met_on_time_over_due() {
    let duties = run(&[
        queued(0, ResponseGrade::Emergency, Setting::Urban),
        Event::AttendanceRecorded {
            incident: id(1),
            at: mins(14),
        },
        Event::IncidentQueued {
            incident: id(2),
            at: mins(0),
            grade: ResponseGrade::Priority,
            setting: Setting::Urban,
        },
        Event::IncidentQueued {
            incident: id(3),
            at: mins(0),
            grade: ResponseGrade::Scheduled,
            setting: Setting::Urban,
        },
    ]);
    assert_eq!(
        compliance(&duties, mins(120)),
        Compliance {
            due: 2,
            met_on_time: 1
        }
    );
}

#[test]
fn owners_round_trip_through_text() {
    let team = TeamId::from_uuid(Uuid::from_u128(5));
    let user = UserId::from_uuid(Uuid::from_u128(6));
    for owner in [
        Owner::Role(Role::Supervisor),
        Owner::Team(team),
        Owner::User(user),
    ] {
        assert_eq!(owner.to_string().parse::<Owner>(), Ok(owner));
    }
    assert_eq!(
        Owner::Role(Role::CallHandler).to_string(),
        "role:call_handler"
    );
    for bad in ["", "supervisor", "role:chief", "team:x", "group:1"] {
        assert!(bad.parse::<Owner>().is_err(), "{bad}");
    }
}

#[test]
fn every_rule_cites_its_source_and_is_in_the_table() {
    for rule in RuleId::ALL {
        assert!(
            rule.source().contains("§") || rule.source().contains("idea"),
            "{rule}"
        );
        if *rule != RuleId::Escalation {
            assert!(RULES.iter().any(|(r, _)| r == rule), "{rule} has no row");
        }
    }
    assert_eq!(Limit::WorkingDays(5).to_string(), "5 working days");
    assert_eq!(Limit::Within(TimeDelta::hours(24)).to_string(), "24 hours");
    assert_eq!(
        Limit::Within(TimeDelta::minutes(15)).to_string(),
        "15 minutes"
    );
}

fn grade() -> impl Strategy<Value = ResponseGrade> {
    prop::sample::select(ResponseGrade::ALL.to_vec())
}

fn setting() -> impl Strategy<Value = Setting> {
    prop::sample::select(Setting::ALL.to_vec())
}

fn event() -> impl Strategy<Value = Event> {
    let incident = (1u128..4).prop_map(id);
    let at = (0i64..3000).prop_map(mins);
    let victim = (10u128..12).prop_map(id);
    prop_oneof![
        (
            incident.clone(),
            at.clone(),
            prop::sample::select(IncidentCategory::ALL.to_vec())
        )
            .prop_map(|(incident, at, category)| Event::IncidentOpened {
                incident,
                at,
                reported_at: at - TimeDelta::minutes(3),
                category
            }),
        (incident.clone(), at.clone(), grade()).prop_map(|(incident, at, grade)| {
            Event::ThriveRecorded {
                incident,
                at,
                grade,
            }
        }),
        (incident.clone(), at.clone(), grade(), setting()).prop_map(
            |(incident, at, grade, setting)| Event::IncidentQueued {
                incident,
                at,
                grade,
                setting
            }
        ),
        (incident.clone(), at.clone())
            .prop_map(|(incident, at)| Event::AttendanceRecorded { incident, at }),
        (incident.clone(), at.clone())
            .prop_map(|(incident, at)| Event::CrimeRecordingDecided { incident, at }),
        (incident, at.clone()).prop_map(|(incident, at)| Event::IncidentClosed { incident, at }),
        (
            victim.clone(),
            at.clone(),
            prop::sample::select(Notifiable::ALL.to_vec()),
            prop::sample::select(Entitlement::ALL.to_vec())
        )
            .prop_map(|(victim, at, what, entitlement)| Event::VictimNotifiable {
                crime: id(7),
                victim,
                at,
                what,
                entitlement,
                owner: Owner::Role(Role::Investigator)
            }),
        (victim.clone(), at.clone()).prop_map(|(victim, at)| Event::VictimContacted {
            crime: id(7),
            victim,
            at
        }),
        (victim, at.clone(), 1u32..60).prop_map(|(victim, at, every_days)| {
            Event::UpdateAgreed {
                crime: id(7),
                victim,
                at,
                every_days,
                owner: Owner::Role(Role::Investigator),
            }
        }),
        at.clone().prop_map(|at| Event::HandoverProposed {
            crime: id(7),
            at,
            to_team: TeamId::from_uuid(Uuid::from_u128(3)),
        }),
        at.clone()
            .prop_map(|at| Event::HandoverDecided { crime: id(7), at }),
        at.clone().prop_map(|at| Event::OutcomeProposed {
            crime: id(7),
            at,
            team: None,
        }),
        at.clone()
            .prop_map(|at| Event::OutcomeDecided { crime: id(7), at }),
        at.prop_map(|at| Event::InvestigationFinalised { crime: id(7), at }),
    ]
}

/// A date from 2016 to 2030, at any second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..(15 * 365 * 86_400)).prop_map(|s| utc(2016, 1, 1, 0, 0, 0) + TimeDelta::seconds(s))
}

proptest! {
    #[test]
    fn a_crime_decision_is_met_on_time_iff_made_by_the_due_instant(
        reported in instant(),
        delay in 0i64..(48 * 3600),
    ) {
        let decided = reported + TimeDelta::seconds(delay);
        let duties = run(&[
            Event::IncidentOpened { incident: id(1), at: reported, reported_at: reported, category: IncidentCategory::Crime },
            Event::CrimeRecordingDecided { incident: id(1), at: decided },
        ]);
        let duty = of(&duties, DutyKind::DecideCrimeRecording)[0];
        prop_assert_eq!(duty.due, reported + TimeDelta::hours(24));
        prop_assert_eq!(
            duty.status(decided + TimeDelta::days(1)),
            Status::Met { on_time: decided <= duty.due }
        );
        // Before the decision, the duty was open or overdue, never met.
        let just_before = decided - TimeDelta::seconds(1);
        let met_early = matches!(duty.status(just_before), Status::Met { .. });
        prop_assert!(!met_early);
    }

    #[test]
    fn a_queue_wait_is_met_on_time_iff_attended_by_the_due_instant(
        grade in grade(),
        setting in setting(),
        queued_at in instant(),
        delay in 0i64..(50 * 3600),
    ) {
        let attended = queued_at + TimeDelta::seconds(delay);
        let duties = run(&[
            Event::IncidentQueued { incident: id(1), at: queued_at, grade, setting },
            Event::AttendanceRecorded { incident: id(1), at: attended },
        ]);
        let target = AttendanceTargets::nchs_default().target(grade, setting);
        prop_assert_eq!(duties.len(), usize::from(target.is_some()));
        if let (Some(duty), Some(target)) = (duties.first(), target) {
            prop_assert_eq!(duty.due, queued_at + target);
            prop_assert_eq!(
                duty.status(attended),
                Status::Met { on_time: TimeDelta::seconds(delay) <= target }
            );
        }
    }

    #[test]
    fn a_victim_update_falls_due_at_the_end_of_a_working_day(
        at in instant(),
        enhanced in any::<bool>(),
        delay_hours in 0i64..(15 * 24),
    ) {
        let entitlement = if enhanced { Entitlement::Enhanced } else { Entitlement::Standard };
        let n = if enhanced { 1 } else { 5 };
        let cal = Calendar::england_and_wales();
        let contacted = at + TimeDelta::hours(delay_hours);
        let duties = run(&[
            notifiable(at, Notifiable::Charged, entitlement),
            Event::VictimContacted { crime: id(7), victim: id(8), at: contacted },
        ]);
        let duty = &duties[0];
        let due_day = london_date(duty.due);
        prop_assert!(cal.is_working_day(due_day));
        prop_assert!(!matches!(due_day.weekday(), Weekday::Sat | Weekday::Sun));
        prop_assert_eq!(cal.working_days_between(london_date(at), due_day), n);
        prop_assert_eq!(london_date(duty.due + TimeDelta::seconds(1)), due_day.succ_opt().unwrap_or(due_day));
        prop_assert_eq!(
            duty.status(contacted + TimeDelta::days(1)),
            Status::Met { on_time: contacted <= duty.due }
        );
    }

    #[test]
    fn raising_is_deterministic(events in prop::collection::vec(event(), 0..30)) {
        let rules = DutyRules::default();
        let cal = Calendar::england_and_wales();
        for e in &events {
            prop_assert_eq!(react(e, &rules, &cal), react(e, &rules, &cal));
        }
        let once = replay(&events, &rules, &cal);
        prop_assert_eq!(&once, &replay(&events, &rules, &cal));
        // Incremental application, as a service does it, agrees with the replay.
        let mut held = Vec::new();
        for e in &events {
            apply(&mut held, react(e, &rules, &cal));
        }
        prop_assert_eq!(&once, &held);
        // Every duty met was met by an event at or after it was raised.
        for d in &once {
            prop_assert!(d.met_at.is_none_or(|m| m >= d.raised_at));
            prop_assert!(!d.is_escalation());
        }
    }

    #[test]
    fn status_and_escalation_follow_the_due_instant(
        events in prop::collection::vec(event(), 1..30),
        now_minutes in 0i64..6000,
    ) {
        let rules = DutyRules::default();
        let cal = Calendar::england_and_wales();
        let now = mins(now_minutes);
        let duties = replay(&events, &rules, &cal);
        for d in &duties {
            let status = d.status(now);
            match d.met_at.filter(|m| *m <= now) {
                Some(m) => prop_assert_eq!(status, Status::Met { on_time: m <= d.due }),
                None if now > d.due => prop_assert_eq!(status, Status::Overdue { by: now - d.due }),
                None => prop_assert_eq!(status, Status::Open),
            }
            let late = now > d.due && d.met_at.is_none_or(|m| m > d.due);
            let esc = escalate(d, now, &rules, &cal);
            prop_assert_eq!(esc.is_some(), late);
            if let Some(e) = esc {
                prop_assert_eq!(e.raised_at, d.due);
                prop_assert!(e.due >= e.raised_at);
                prop_assert_eq!((e.kind, e.subject, e.owed_to), (d.kind, d.subject, d.owed_to));
                prop_assert_eq!(e.owed_by, Owner::Role(Role::Supervisor));
            }
        }
    }
}

#[test]
fn supervision_follows_the_schedule_until_finalisation() {
    let team = TeamId::from_uuid(Uuid::from_u128(3));
    let allocated = t0();
    let reviewed = t0() + TimeDelta::hours(20);
    let duties = run(&[
        Event::SupervisionStarted {
            crime: id(7),
            at: allocated,
            risk: Level::High,
            team,
        },
        Event::InvestigationReviewed {
            crime: id(7),
            at: reviewed,
            risk: Level::Medium,
            team,
        },
        Event::InvestigationFinalised {
            crime: id(7),
            at: reviewed + TimeDelta::days(20),
        },
    ]);
    assert_eq!(duties.len(), 2);
    // High risk: the first review within 24 hours, met after 20.
    assert_eq!(
        (duties[0].kind, duties[0].rule, duties[0].owed_by),
        (
            DutyKind::ReviewInvestigation,
            RuleId::SupervisionSchedule,
            Owner::Team(team)
        )
    );
    assert_eq!(duties[0].due, allocated + TimeDelta::hours(24));
    assert_eq!(duties[0].status(reviewed), Status::Met { on_time: true });
    // Then medium risk: every 14 days; finalised 20 days on, the review was late.
    assert_eq!(duties[1].due, reviewed + TimeDelta::days(14));
    assert_eq!(
        duties[1].status(reviewed + TimeDelta::days(30)),
        Status::Met { on_time: false }
    );
}

#[test]
fn a_victims_report_is_acknowledged_by_the_first_contact() {
    // Reported on Friday 22 August 2025: 1 working day passes the weekend and the August
    // bank holiday (Monday 25th), so the acknowledgement is due by Tuesday 26th.
    let reported = utc(2025, 8, 22, 16, 0, 0);
    let recorded = Event::VictimRecorded {
        crime: id(7),
        victim: id(8),
        at: reported,
        owner: Owner::Role(Role::VictimCare),
    };
    let duties = run(std::slice::from_ref(&recorded));
    let ack = of(&duties, DutyKind::AcknowledgeVictim)[0];
    assert_eq!(
        (ack.rule, ack.owed_by, ack.owed_to),
        (
            RuleId::VictimAcknowledgement,
            Owner::Role(Role::VictimCare),
            Some(id(8))
        )
    );
    assert_eq!(ack.due, utc(2025, 8, 26, 22, 59, 59));
    let contacted = utc(2025, 8, 26, 10, 0, 0);
    let duties = run(&[
        recorded,
        Event::VictimContacted {
            crime: id(7),
            victim: id(8),
            at: contacted,
        },
    ]);
    let ack = of(&duties, DutyKind::AcknowledgeVictim)[0];
    assert_eq!(
        ack.status(contacted + TimeDelta::days(30)),
        Status::Met { on_time: true }
    );
}

fn agreed(at: DateTime<Utc>, every_days: u32) -> Event {
    Event::UpdateAgreed {
        crime: id(7),
        victim: id(8),
        at,
        every_days,
        owner: Owner::Role(Role::Investigator),
    }
}

#[test]
fn agreed_updates_fall_due_every_period_until_finalisation() {
    let start = utc(2025, 3, 3, 9, 0, 0);
    let contact = start + TimeDelta::days(30);
    let duties = run(&[
        agreed(start, 28),
        Event::VictimContacted {
            crime: id(7),
            victim: id(8),
            at: contact,
        },
        agreed(contact, 28),
        Event::InvestigationFinalised {
            crime: id(7),
            at: contact + TimeDelta::days(10),
        },
    ]);
    let updates = of(&duties, DutyKind::AgreedUpdate);
    assert_eq!(updates.len(), 2);
    assert_eq!(
        (updates[0].rule, updates[0].owed_to),
        (RuleId::ContactAgreement, Some(id(8)))
    );
    // 28 days: due at the same instant four weeks on, met two days late.
    assert_eq!(updates[0].due, start + TimeDelta::days(28));
    assert_eq!(
        updates[0].status(contact + TimeDelta::days(1)),
        Status::Met { on_time: false }
    );
    // The second period ends with the investigation, in time.
    assert_eq!(updates[1].due, contact + TimeDelta::days(28));
    assert_eq!(updates[1].met_at, Some(contact + TimeDelta::days(10)));
}

#[test]
fn a_handover_is_decided_by_the_receiving_team() {
    let team = TeamId::from_uuid(Uuid::from_u128(3));
    // Handed over on Thursday 17 April 2025: Good Friday and Easter Monday are bank
    // holidays, so 2 working days end on Wednesday 23 April.
    let at = utc(2025, 4, 17, 11, 0, 0);
    let duties = run(&[
        Event::HandoverProposed {
            crime: id(7),
            at,
            to_team: team,
        },
        Event::HandoverDecided {
            crime: id(7),
            at: at + TimeDelta::days(7),
        },
    ]);
    let d = of(&duties, DutyKind::DecideHandover)[0];
    assert_eq!(
        (d.rule, d.owed_by),
        (RuleId::HandoverDecision, Owner::Team(team))
    );
    assert_eq!(d.due, utc(2025, 4, 23, 22, 59, 59));
    assert_eq!(
        d.status(at + TimeDelta::days(8)),
        Status::Met { on_time: false }
    );
}

#[test]
fn a_proposed_outcome_is_owed_by_its_teams_supervisors_or_any_supervisor() {
    let team = TeamId::from_uuid(Uuid::from_u128(3));
    let at = utc(2025, 6, 2, 9, 0, 0);
    let held = run(&[Event::OutcomeProposed {
        crime: id(7),
        at,
        team: Some(team),
    }]);
    assert_eq!(
        (held[0].kind, held[0].rule, held[0].owed_by),
        (
            DutyKind::ApproveOutcome,
            RuleId::OutcomeApproval,
            Owner::Team(team)
        )
    );
    let unheld = run(&[
        Event::OutcomeProposed {
            crime: id(7),
            at,
            team: None,
        },
        Event::OutcomeDecided {
            crime: id(7),
            at: at + TimeDelta::hours(4),
        },
    ]);
    assert_eq!(unheld[0].owed_by, Owner::Role(Role::Supervisor));
    assert_eq!(
        unheld[0].status(at + TimeDelta::days(1)),
        Status::Met { on_time: true }
    );
}

#[test]
fn an_update_owed_to_a_victim_names_its_development() {
    let duties = run(&[notifiable(
        utc(2024, 7, 10, 9, 0, 0),
        Notifiable::ReleasedOnBail,
        Entitlement::Standard,
    )]);
    assert_eq!(duties[0].development, Some(Notifiable::ReleasedOnBail));
    let referral = run(&[Event::VictimRecorded {
        crime: id(7),
        victim: id(8),
        at: t0(),
        owner: Owner::Role(Role::VictimCare),
    }]);
    assert!(referral.iter().all(|d| d.development.is_none()));
}

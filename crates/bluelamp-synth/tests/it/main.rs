//! The synthetic force generator on both databases: the same seed gives the same records;
//! the crime mix, domestic abuse and the concentration of victimisation and offending match
//! what they are calibrated to; staff cannot sign in; one run is one audit entry; and the
//! records work through the API like any others.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::StatusCode;
use bluelamp_app::{App, Config, Ctx, SystemClock};
use bluelamp_domain::offence::OffenceGroup;
use bluelamp_store::Db;
use bluelamp_synth::calibration::RecordedCrime;
use bluelamp_synth::{Silent, SynthConfig, SynthError};
use bluelamp_testkit::{Backend, TestApp, backends, fresh_database_url};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

fn month(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
}

/// Strings answered by a query, on either backend.
async fn strings(db: &Db, sql: String) -> Vec<String> {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        Db::Pg(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
    }
    .unwrap_or_else(|e| panic!("query: {e}"))
}

/// Pairs of (text, count) answered by a query, on either backend.
async fn counts(db: &Db, sql: &str) -> Vec<(String, i64)> {
    let sql = sql.to_string();
    match db {
        Db::Sqlite(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
        Db::Pg(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
    }
    .unwrap_or_else(|e| panic!("query: {e}"))
}

async fn count(db: &Db, sql: &str) -> i64 {
    let sql = sql.to_string();
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(p).await,
        Db::Pg(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(p).await,
    }
    .unwrap_or_else(|e| panic!("count: {e}"))
}

/// A digest of every table's rows except the force's own id, the audit log and
/// credentials: what "the same records" means.
async fn digest(db: &Db) -> (String, BTreeMap<String, usize>) {
    let skip = [
        "force",
        "audit_event",
        "audit_head",
        "api_token",
        "sign_in_failure",
        "web_session",
        "_sqlx_migrations",
    ];
    let (tables_sql, columns_sql): (&str, fn(&str) -> String) = match db {
        Db::Sqlite(_) => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            |t| format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"),
        ),
        Db::Pg(_) => (
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
            |t| {
                format!(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = '{t}' ORDER BY ordinal_position"
                )
            },
        ),
    };
    let mut hash = Sha256::new();
    let mut rows = BTreeMap::new();
    for table in strings(db, tables_sql.to_string()).await {
        if skip.contains(&table.as_str()) {
            continue;
        }
        let columns: Vec<String> = strings(db, columns_sql(&table))
            .await
            .into_iter()
            .filter(|c| c != "force_id")
            .map(|c| match db {
                Db::Sqlite(_) => format!("quote({c})"),
                Db::Pg(_) => format!("COALESCE(CAST({c} AS TEXT), 'NULL')"),
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY 1",
            columns.join(" || '|' || ")
        );
        let lines = strings(db, sql).await;
        hash.update(table.as_bytes());
        for l in &lines {
            hash.update(l.as_bytes());
            hash.update(b"\n");
        }
        rows.insert(table, lines.len());
    }
    (hex::encode(hash.finalize()), rows)
}

/// An app on a fresh database with a force configured and no users.
async fn bare_app(backend: &Backend) -> App {
    let url = fresh_database_url(backend).await;
    let db = Db::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    db.migrate()
        .await
        .unwrap_or_else(|e| panic!("migrate: {e}"));
    let clock = Arc::new(SystemClock);
    bluelamp_app::force::configure(&db, "Synthetic Constabulary", "SYN", clock.as_ref())
        .await
        .unwrap_or_else(|e| panic!("configure: {e}"));
    App::open_force(db, clock, Config::default())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"))
}

#[tokio::test]
async fn the_same_seed_gives_the_same_force() {
    for backend in backends() {
        let config = SynthConfig::new(7, 4_000, 3, month(2024, 1));
        let mut digests = Vec::new();
        for seed in [7, 7, 8] {
            let app = bare_app(&backend).await;
            let config = SynthConfig {
                seed,
                ..config.clone()
            };
            bluelamp_synth::generate(&app, &Ctx::operator("test"), &config, &Silent)
                .await
                .unwrap_or_else(|e| panic!("generate: {e}"));
            digests.push(digest(&app.db).await);
            app.db.close().await;
        }
        let (first, rows) = &digests[0];
        assert!(rows.get("crime").is_some_and(|n| *n >= 50), "{rows:?}");
        assert!(
            rows.get("person_name_key").is_some_and(|n| *n > 1000),
            "{rows:?}"
        );
        for table in [
            "investigation_step",
            "plan_item",
            "supervision_review",
            "crime_outcome",
            "crime_victim",
            "victim_contact",
        ] {
            assert!(rows.get(table).is_some_and(|n| *n > 0), "{table}: {rows:?}");
        }
        assert_eq!(
            &digests[1].0, first,
            "the same seed, the same rows: {rows:?}"
        );
        assert_ne!(&digests[2].0, first, "another seed, another force");
    }
}

#[tokio::test]
async fn a_generated_force_matches_its_calibration_and_works_like_any_other() {
    for backend in backends() {
        let t = TestApp::spawn(&backend).await;
        let db = &t.app.db;
        let population = 60_000;
        let config = SynthConfig::new(11, population, 12, month(2017, 4));
        // A team that exists already is joined, not duplicated.
        t.user("ch0", &["call_handler"], &["Force Control Room"], None)
            .await;
        let audit_before = count(db, "SELECT COUNT(*) FROM audit_event").await;
        let s = bluelamp_synth::generate(&t.app, &Ctx::operator("test"), &config, &Silent)
            .await
            .unwrap_or_else(|e| panic!("generate: {e}"));

        // The crime mix: every offence group expected to have 100 or more crimes is within
        // 5% of Leicestershire's 2017/18 share, scaled.
        let recorded = RecordedCrime::of("Leicestershire").unwrap_or_else(|| panic!("no data"));
        let scale = population as f64 / 1_050_000.0;
        let mut expected: BTreeMap<OffenceGroup, f64> = BTreeMap::new();
        for (code, q) in &recorded.by_code {
            *expected.entry(code.group()).or_default() += q.iter().sum::<u64>() as f64 * scale;
        }
        let mut actual: BTreeMap<OffenceGroup, i64> = BTreeMap::new();
        for (code, n) in counts(
            db,
            "SELECT offence_code, COUNT(*) FROM crime GROUP BY offence_code",
        )
        .await
        {
            let code: bluelamp_domain::offence::HoOffenceCode =
                code.parse().unwrap_or_else(|e| panic!("{code}: {e}"));
            *actual.entry(code.group()).or_default() += n;
        }
        let mut checked = 0;
        for (group, e) in &expected {
            if *e >= 100.0 {
                let a = actual.get(group).copied().unwrap_or(0) as f64;
                assert!(
                    (a - e).abs() <= 0.05 * e,
                    "{group}: {a} crimes, {e:.1} expected"
                );
                checked += 1;
            }
        }
        assert!(checked >= 5, "{expected:?}");
        let crimes = count(db, "SELECT COUNT(*) FROM crime").await;
        assert_eq!(crimes, (83_793.0 * scale).round() as i64);
        assert_eq!(crimes as u64, s.crimes);

        // Domestic abuse is about 10 to 11% of crime.
        let da = count(db, "SELECT COUNT(*) FROM crime WHERE domestic_abuse = TRUE").await;
        let share = da as f64 / crimes as f64;
        assert!((0.10..=0.11).contains(&share), "domestic abuse {share}");

        // Victimisation and offending are concentrated: the top 1% of victims and of
        // suspects account for several times their share.
        for (role, at_least) in [("victim_of", 0.03), ("suspect_in", 0.08)] {
            let sql = format!("SELECT COUNT(*) FROM link WHERE role = '{role}' GROUP BY from_id");
            let mut n: Vec<i64> = match db {
                Db::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
                Db::Pg(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
            }
            .unwrap_or_else(|e| panic!("{role}: {e}"));
            n.sort_unstable_by(|a, b| b.cmp(a));
            let top = n.len().div_ceil(100);
            let share = n.iter().take(top).sum::<i64>() as f64 / n.iter().sum::<i64>() as f64;
            assert!(share >= at_least, "{role}: the top 1% hold {share:.3}");
            assert!(
                n.first().is_some_and(|m| *m >= 4),
                "{role}: the most is {:?}",
                n.first()
            );
        }

        // Calls for service at about 350 a year per thousand residents.
        let incidents = count(db, "SELECT COUNT(*) FROM incident").await;
        assert_eq!(incidents, 21_000);
        assert_eq!(count(db, "SELECT COUNT(*) FROM area").await, 9 + 125);
        let control_room = "SELECT COUNT(*) FROM team_member m JOIN team t ON t.force_id = m.force_id AND t.id = m.team_id
                            WHERE t.name = 'Force Control Room'";
        assert!(count(db, control_room).await > 10);
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM team WHERE name = 'Force Control Room'"
            )
            .await,
            1
        );

        // One audit entry for the run, and the chain still verifies.
        let after = count(db, "SELECT COUNT(*) FROM audit_event").await;
        assert_eq!(after, audit_before + 1);
        assert_eq!(count(db, "SELECT COUNT(*) FROM audit_event WHERE action = 'synth.generate' AND operation = 'collection' AND channel = 'cli'").await, 1);
        assert!(t.app.verify_audit(None).await.is_ok());

        // Staff cannot sign in; only the test's own admin can.
        let staff = strings(
            db,
            "SELECT username FROM app_user WHERE password_hash IS NULL ORDER BY username".into(),
        )
        .await;
        assert_eq!(staff.len() as u64, s.staff);
        assert_eq!(s.teams, 34, "one team was there already");
        let res = t.token(&staff[0], "correct horse battery staple").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        assert!(t.app.verify_audit(None).await.is_ok());

        // The bulk load left SQLite as it found it, with every reference sound.
        if let Db::Sqlite(p) = db {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(p)
                .await
                .unwrap_or_default();
            assert_eq!(mode, "wal");
            let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(p)
                .await
                .unwrap_or_default();
            assert_eq!(fk, 1);
            let broken: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(p)
                    .await
                    .unwrap_or_else(|e| panic!("foreign_key_check: {e}"));
            assert!(broken.is_empty(), "{broken:?}");
        }

        // The records work like any others: found by search, listed, opened with links.
        let name = strings(
            db,
            "SELECT forenames || ' ' || surname FROM person ORDER BY id LIMIT 1".into(),
        )
        .await;
        let investigator = t.user("inv1", &["investigator"], &[], None).await;
        let q = name[0].replace(' ', "%20");
        let found = t
            .get(&format!("/api/v1/persons?name={q}"), &investigator)
            .await;
        assert!(
            found.body["total"].as_u64().unwrap_or(0) >= 1,
            "{}",
            found.text
        );

        // The README's example search finds the man recorded four times, at one address,
        // each a likely match.
        let bill = t
            .get("/api/v1/persons?name=bill%20smyth&dob=1971", &investigator)
            .await;
        assert_eq!(bill.status, StatusCode::OK, "{}", bill.text);
        let found: Vec<(String, u64, String)> = bill.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| {
                (
                    format!(
                        "{} {} {}",
                        m["forenames"].as_str().unwrap_or_default(),
                        m["surname"].as_str().unwrap_or_default(),
                        m["date_of_birth"].as_str().unwrap_or_default(),
                    ),
                    m["score"].as_u64().unwrap_or(0),
                    m["postcodes"][0].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let mut addresses = std::collections::BTreeSet::new();
        for want in [
            "William Smith 1971-03-09",
            "Bill Smith 1971-03-09",
            "William Smyth 1971-09-03",
            "Billy Smith 1971",
        ] {
            let hit = found.iter().find(|(n, s, _)| n == want && *s >= 60);
            let Some((_, _, postcode)) = hit else {
                panic!("{want} is not a likely match: {found:?}");
            };
            addresses.insert(postcode.clone());
        }
        assert_eq!(addresses.len(), 1, "one address: {addresses:?}");

        let listed = t
            .get(
                "/api/v1/crimes?offence_group=violence_against_the_person&domestic_abuse=true",
                &investigator,
            )
            .await;
        let first = listed.body["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let crime = t
            .get(&format!("/api/v1/crimes/{first}"), &investigator)
            .await;
        assert_eq!(crime.status, StatusCode::OK, "{}", crime.text);
        let roles: Vec<&str> = crime.body["links"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["role"].as_str())
            .collect();
        assert!(
            roles.contains(&"victim_of")
                && roles.contains(&"suspect_in")
                && roles.contains(&"occurred_at"),
            "{roles:?}"
        );

        // Investigations: charge or summons for 12 to 15% of the crimes recorded (open ones
        // count, as in the Home Office method), many domestic abuse crimes ending in outcome
        // 16, every victim linked to a crime recorded with a needs assessment.
        let charged = count(db, "SELECT COUNT(*) FROM investigation WHERE outcome = 1").await;
        let rate = charged as f64 / crimes as f64;
        assert!((0.12..=0.15).contains(&rate), "charge/summons {rate}");
        let i = &s.investigation;
        assert_eq!(charged as u64, i.outcomes[0]);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM investigation").await,
            crimes
        );
        let da_finalised = count(
            db,
            "SELECT COUNT(*) FROM investigation v JOIN crime c ON c.force_id = v.force_id AND c.id = v.crime_id
             WHERE c.domestic_abuse = TRUE AND v.state = 'finalised'",
        )
        .await;
        let da_16 = count(
            db,
            "SELECT COUNT(*) FROM investigation v JOIN crime c ON c.force_id = v.force_id AND c.id = v.crime_id
             WHERE c.domestic_abuse = TRUE AND v.outcome = 16",
        )
        .await;
        assert!(
            da_16 as f64 > 0.3 * da_finalised as f64,
            "outcome 16: {da_16} of {da_finalised}"
        );
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM crime_victim").await,
            count(db, "SELECT COUNT(*) FROM link WHERE role = 'victim_of'").await
        );
        assert!(count(db, "SELECT COUNT(*) FROM app_user WHERE pip_level = 2").await > 0);
        assert!(
            count(db, "SELECT COUNT(*) FROM app_user WHERE pip_level = 1").await
                > count(db, "SELECT COUNT(*) FROM app_user WHERE pip_level = 2").await
        );

        // The crime opens with its investigation and victims; a charged one with its
        // outcome, approved.
        let state = crime.body["investigation"]["state"]
            .as_str()
            .unwrap_or_default();
        assert!(
            [
                "recorded",
                "allocated",
                "under_investigation",
                "awaiting_charging_decision",
                "finalised"
            ]
            .contains(&state),
            "{}",
            crime.text
        );
        assert!(
            crime.body["investigation"]["victims"]
                .as_array()
                .is_some_and(|v| !v.is_empty()),
            "{}",
            crime.text
        );
        let charged_id = uuids(
            db,
            "SELECT crime_id FROM investigation WHERE outcome = 1 ORDER BY crime_id LIMIT 1",
        )
        .await;
        let crime = t
            .get(&format!("/api/v1/crimes/{}", charged_id[0]), &investigator)
            .await;
        assert_eq!(crime.status, StatusCode::OK, "{}", crime.text);
        let v = &crime.body["investigation"];
        assert_eq!(v["state"].as_str(), Some("finalised"), "{}", crime.text);
        assert_eq!(v["outcome"]["number"].as_u64(), Some(1), "{}", crime.text);
        assert!(
            v["outcomes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| o["status"] == "approved" && o["charge_date"].is_string()),
            "{}",
            crime.text
        );

        // A supervisor of a CID team sees its duties, some of them breached.
        let cid = strings(
            db,
            "SELECT name FROM team WHERE name LIKE '% CID' ORDER BY name LIMIT 1".into(),
        )
        .await;
        let sup = t
            .user("sup.cid", &["supervisor"], &[cid[0].as_str()], None)
            .await;
        let duties = t.get("/api/v1/duties?state=breached", &sup).await;
        assert_eq!(duties.status, StatusCode::OK, "{}", duties.text);
        assert!(
            duties.body["total"].as_u64().is_some_and(|n| n > 0),
            "{}",
            duties.text
        );

        // A force is generated once.
        let again =
            bluelamp_synth::generate(&t.app, &Ctx::operator("test"), &config, &Silent).await;
        assert!(matches!(again, Err(SynthError::NotEmpty(_))), "{again:?}");
    }
}

/// Uuids answered by a query, on either backend.
async fn uuids(db: &Db, sql: &str) -> Vec<uuid::Uuid> {
    let sql = sql.to_string();
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
        Db::Pg(p) => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(p).await,
    }
    .unwrap_or_else(|e| panic!("query: {e}"))
}

/// Every incident's first contact is what the services would have written: assessments in
/// sequence with grades as the rule proposes them, a rationale for every override and
/// downgrade, arrivals measured against the target of their grade, the queue holding
/// exactly the incidents still waiting, closures flagged as the rule says, and the duties
/// exactly those the duties engine raises over the incident's events. The figures are
/// those of a force with realistic shortcomings, and the supervisor's pages find them.
#[tokio::test]
async fn first_contact_is_what_the_services_would_have_written() {
    use bluelamp_domain::duty::{Event, replay};
    use bluelamp_domain::first_contact::{AttendanceKind, CrimeRecording, needs_review_on_closure};
    use bluelamp_domain::ids::RecordId;
    use bluelamp_domain::thrive::{ResponseGrade, Setting, attendance};
    use bluelamp_store::first_contact as fc;

    for backend in backends() {
        let t = TestApp::spawn(&backend).await;
        let db = &t.app.db;
        let config = SynthConfig::new(3, 40_000, 1, month(2024, 3));
        let s = bluelamp_synth::generate(&t.app, &Ctx::operator("test"), &config, &Silent)
            .await
            .unwrap_or_else(|e| panic!("generate: {e}"));
        let force = t.app.force.id;
        let rules = &t.app.config;
        let rule = rules.grading.at_instant(chrono::Utc::now());
        let ids = uuids(db, "SELECT id FROM incident ORDER BY id").await;
        let mut crimes_of: BTreeMap<uuid::Uuid, usize> = BTreeMap::new();
        for i in uuids(
            db,
            "SELECT incident_id FROM crime WHERE incident_id IS NOT NULL",
        )
        .await
        {
            *crimes_of.entry(i).or_default() += 1;
        }
        assert_eq!(ids.len() as u64, s.incidents);
        let mut tx = t.app.begin().await.unwrap_or_else(|e| panic!("{e}"));
        let (mut downgrades, mut overrides, mut late_arrivals, mut in_queue, mut flagged) =
            (0, 0, 0, 0, 0);
        for raw in &ids {
            let id = RecordId::from_uuid(*raw);
            let incident = bluelamp_store::incident::load(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let state = fc::state(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let assessments = fc::assessments(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let attendance_rows = fc::attendance(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let decision = fc::decision(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let advice = fc::advice(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let mut stored = bluelamp_store::duty::of_subject(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                incident
                    .occurred_at
                    .is_none_or(|o| o <= incident.received_at)
            );

            // Assessments: in sequence, each revising the one before, graded as proposed
            // unless a rationale says why.
            let mut previous: Option<&fc::StoredAssessment> = None;
            for (i, a) in assessments.iter().enumerate() {
                assert_eq!(a.seq as usize, i + 1);
                assert_eq!(a.revises, previous.map(|p| p.id));
                let d = &a.assessment.decision;
                assert_eq!(d.previous, previous.map(|p| p.assessment.decision.chosen));
                let proposal = rule.propose(&a.assessment.thrive);
                assert_eq!(a.assessment.proposal, proposal, "{id}");
                if d.is_override() || d.is_downgrade() {
                    assert!(d.rationale.is_some(), "{id}: {d:?}");
                }
                downgrades += usize::from(d.is_downgrade());
                overrides += usize::from(d.is_override());
                assert!(a.assessed_at >= state.opened_at);
                previous = Some(a);
            }
            assert_eq!(state.grade, previous.map(|p| p.assessment.decision.chosen));
            assert_eq!(
                advice.is_some(),
                incident.category.is_crime() && !assessments.is_empty(),
                "{id}"
            );

            // Attendance: one decision, after the assessment it acts on; an arrival after
            // the deployment, measured against the target of the grade then.
            let decisions: Vec<_> = attendance_rows
                .iter()
                .filter(|a| a.kind != AttendanceKind::Arrived)
                .collect();
            assert!(decisions.len() <= 1);
            let attended = decisions.iter().any(|a| a.kind == AttendanceKind::Deployed);
            for a in &attendance_rows {
                let then = assessments.iter().rfind(|x| x.assessed_at <= a.at);
                assert!(then.is_some(), "{id}: attendance before THRIVE");
                if a.kind == AttendanceKind::Arrived {
                    assert!(
                        decisions
                            .iter()
                            .any(|d| d.kind == AttendanceKind::Deployed && d.at <= a.at)
                    );
                    let then = then.map(|x| x.assessment.decision.chosen);
                    assert_eq!(a.grade, then);
                    let setting = assessments.last().map_or(Setting::Urban, |x| x.setting);
                    let met = attendance(
                        incident.received_at,
                        a.at,
                        a.grade.unwrap_or(ResponseGrade::Priority),
                        setting,
                        &rules.duty_rules.attendance,
                    )
                    .map(|x| x.is_met());
                    assert_eq!(a.target_met, met);
                    late_arrivals += usize::from(met == Some(false));
                } else {
                    assert!(a.rationale.is_some());
                }
            }

            // The crime-recording decision: crimes recorded from it, or not a crime.
            let crimes = crimes_of.get(raw).copied().unwrap_or(0);
            match &decision {
                Some(d) if crimes > 0 => assert_eq!(d.decision, CrimeRecording::Crime),
                Some(d) => {
                    assert_eq!(d.decision, CrimeRecording::NotACrime);
                    assert!(d.reason.is_some() && incident.category.is_crime());
                }
                None => assert_eq!(crimes, 0),
            }

            // Closure and the queue.
            if let Some(c) = &state.closure {
                let latest = assessments
                    .last()
                    .unwrap_or_else(|| panic!("{id}: closed unassessed"));
                assert!(c.closed_at >= latest.assessed_at);
                assert!(!incident.category.is_crime() || decision.is_some());
                assert_eq!(
                    c.review_flag,
                    needs_review_on_closure(
                        incident.category.is_crime(),
                        attended,
                        latest.assessment.thrive.has_lines_of_enquiry()
                    )
                );
                flagged += usize::from(c.review_flag);
            }
            let waiting = state.grade.is_some() && decisions.is_empty() && state.closure.is_none();
            assert_eq!(state.queued, waiting, "{id}");
            in_queue += usize::from(waiting);

            // The duties: exactly what the engine raises over the incident's events.
            let mut events: Vec<(chrono::DateTime<chrono::Utc>, u8, Event)> = Vec::new();
            let mut dealt = false;
            for a in &assessments {
                dealt = dealt || decisions.iter().any(|d| d.at <= a.assessed_at);
                events.push((
                    a.assessed_at,
                    0,
                    Event::ThriveRecorded {
                        incident: id,
                        at: a.assessed_at,
                        grade: a.assessment.decision.chosen,
                    },
                ));
                if !dealt {
                    events.push((
                        a.assessed_at,
                        1,
                        Event::IncidentQueued {
                            incident: id,
                            at: a.assessed_at,
                            grade: a.assessment.decision.chosen,
                            setting: a.setting,
                        },
                    ));
                }
            }
            for d in &decisions {
                events.push((
                    d.at,
                    2,
                    Event::AttendanceRecorded {
                        incident: id,
                        at: d.at,
                    },
                ));
            }
            if let Some(d) = &decision {
                events.push((
                    d.decided_at,
                    3,
                    Event::CrimeRecordingDecided {
                        incident: id,
                        at: d.decided_at,
                    },
                ));
            }
            if let Some(c) = &state.closure {
                events.push((
                    c.closed_at,
                    4,
                    Event::IncidentClosed {
                        incident: id,
                        at: c.closed_at,
                    },
                ));
            }
            events.sort_by_key(|(at, order, _)| (*at, *order));
            let mut all = vec![Event::IncidentOpened {
                incident: id,
                at: state.opened_at,
                reported_at: incident.received_at,
                category: incident.category,
            }];
            all.extend(events.into_iter().map(|(_, _, e)| e));
            let mut expected = replay(&all, &rules.duty_rules, &rules.calendar);
            let key =
                |d: &bluelamp_domain::duty::Duty| (d.kind, d.rule, d.raised_at, d.due, d.met_at);
            expected.sort_by_key(key);
            stored.sort_by_key(key);
            assert_eq!(stored, expected, "{id}");
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));

        // The shortcomings are there to find, in realistic numbers.
        let f = &s.first_contact;
        let n = s.incidents as f64;
        assert!(downgrades > 0 && overrides > 0 && late_arrivals > 0 && flagged > 0);
        assert!(in_queue > 0, "nothing waiting at the end");
        assert_eq!(in_queue as u64, f.queued);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM incident_queue").await as u64,
            f.queued
        );
        assert!(f.assessments as f64 > 0.98 * n, "{f:?}");
        let on_time = f.thrive_on_time as f64 / f.thrive_due as f64;
        assert!((0.85..0.97).contains(&on_time), "THRIVE on time {on_time}");
        assert!(
            f.inconsistent > 0 && (f.inconsistent as f64) < 0.06 * n,
            "{f:?}"
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM thrive_assessment WHERE inconsistent = TRUE"
            )
            .await as u64,
            f.inconsistent
        );
        assert!(
            f.ncrs_late > 0 && f.ncrs_on_time > 10 * f.ncrs_late,
            "{f:?}"
        );
        let arrivals: u64 = f.arrivals.iter().map(|a| a.0).sum();
        let within: u64 = f.arrivals.iter().map(|a| a.1).sum();
        assert!(
            (0.7..0.95).contains(&(within as f64 / arrivals as f64)),
            "{f:?}"
        );
        for table in [
            "thrive_assessment",
            "incident_advice",
            "incident_attendance",
            "crime_recording_decision",
            "duty",
        ] {
            assert!(
                count(db, &format!("SELECT COUNT(*) FROM {table}")).await > 0,
                "{table}"
            );
        }
        assert!(count(db, "SELECT COUNT(*) FROM area WHERE setting = 'rural'").await > 0);

        // Every inconsistent flag is the domain's own finding.
        let flagged_ids = uuids(
            db,
            "SELECT incident_id FROM thrive_assessment WHERE inconsistent = TRUE",
        )
        .await;
        let mut tx = t.app.begin().await.unwrap_or_else(|e| panic!("{e}"));
        for raw in flagged_ids {
            let a = fc::assessments(&mut tx, force, RecordId::from_uuid(raw))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                a.iter()
                    .any(|a| !a.assessment.thrive.inconsistencies().is_empty())
            );
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));

        // A supervisor sees the queue, the downgrades and the missed targets; the measures
        // add up to what was written.
        let sup = t.user("sup1", &["supervisor"], &[], None).await;
        let q = t.get("/api/v1/queues/incident-management", &sup).await;
        assert_eq!(q.status, StatusCode::OK, "{}", q.text);
        assert_eq!(q.body["total"].as_u64(), Some(f.queued), "{}", q.text);
        let r = t.get("/api/v1/reviews/first-contact", &sup).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        for list in [
            "downgrades",
            "missed_attendance_targets",
            "inconsistent_assessments",
        ] {
            assert!(
                r.body[list].as_array().is_some_and(|l| !l.is_empty()),
                "{list}: {}",
                r.text
            );
        }
        let m = t
            .get(
                "/api/v1/measures/first-contact?from=2024-02-01&to=2024-04-01",
                &sup,
            )
            .await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.text);
        assert_eq!(
            m.body["thrive_completion"]["raised"].as_u64(),
            Some(f.thrive_due),
            "{}",
            m.text
        );
        assert_eq!(
            m.body["thrive_completion"]["met_on_time"].as_u64(),
            Some(f.thrive_on_time)
        );
        assert_eq!(
            m.body["regrades"]["downgrades"].as_u64(),
            Some(f.downgrades)
        );
        assert_eq!(
            m.body["advice"]["checklist_recorded"]["count"].as_u64(),
            Some(f.advice)
        );

        if let Db::Sqlite(p) = db {
            let broken: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(p)
                    .await
                    .unwrap_or_else(|e| panic!("foreign_key_check: {e}"));
            assert!(broken.is_empty(), "{broken:?}");
        }
    }
}

/// Pairs of ids answered by a query, on either backend.
async fn id_pairs(db: &Db, sql: &str) -> Vec<(uuid::Uuid, uuid::Uuid)> {
    let sql = sql.to_string();
    match db {
        Db::Sqlite(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
        Db::Pg(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
    }
    .unwrap_or_else(|e| panic!("query: {e}"))
}

/// Every crime's investigation and victims are what the services would have written: the
/// state is where its steps led, the investigator is in the team and accredited to the
/// PIP level the investigation needs, every outcome recorded passes the framework in force
/// at its date and its own rule (a named suspect linked to the crime, none for 14 and 18,
/// the victim's position, a complete plan for 18), the approved one is the investigation's;
/// and each duty is raised and met by the events the engine reacts to: reviews by the next
/// review or the finalisation, referrals by the referral, updates by the next contact.
/// Some are met late and some not at all.
#[tokio::test]
async fn investigations_are_what_the_services_would_have_written() {
    use std::collections::{HashMap, HashSet};

    use bluelamp_domain::duty::{DutyKind, Event, Owner, react};
    use bluelamp_domain::ids::RecordId;
    use bluelamp_domain::investigation::{State, Step, required_pip};
    use bluelamp_domain::outcome::{Finalisation, OutcomeFacts, OutcomeInput, OutcomeStatus};
    use bluelamp_store::investigation as inv;

    for backend in backends() {
        let t = TestApp::spawn(&backend).await;
        let db = &t.app.db;
        let config = SynthConfig::new(4, 20_000, 6, month(2024, 1));
        let s = bluelamp_synth::generate(&t.app, &Ctx::operator("test"), &config, &Silent)
            .await
            .unwrap_or_else(|e| panic!("generate: {e}"));
        let force = t.app.force.id;
        let rules = &t.app.config;
        let end = chrono::DateTime::parse_from_rfc3339("2024-07-01T00:00:00+01:00")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        let members: HashSet<(uuid::Uuid, uuid::Uuid)> =
            id_pairs(db, "SELECT team_id, user_id FROM team_member")
                .await
                .into_iter()
                .collect();
        let sql = "SELECT id, pip_level FROM app_user WHERE pip_level IS NOT NULL".to_string();
        let pip: HashMap<uuid::Uuid, i64> = match db {
            Db::Sqlite(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
            Db::Pg(p) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("query: {e}"))
        .into_iter()
        .collect();
        let named: HashSet<(uuid::Uuid, uuid::Uuid)> = id_pairs(
            db,
            "SELECT from_id, to_id FROM link WHERE role IN ('suspect_in', 'offender_in')",
        )
        .await
        .into_iter()
        .collect();
        let crimes = uuids(db, "SELECT id FROM crime ORDER BY id").await;
        assert_eq!(crimes.len() as u64, s.investigation.investigations);
        let mut tx = t.app.begin().await.unwrap_or_else(|e| panic!("{e}"));
        let mut statuses: HashMap<(DutyKind, &str), usize> = HashMap::new();
        let (mut finalised, mut reviewed, mut victims_seen) = (0, 0, 0);
        for raw in &crimes {
            let id = RecordId::from_uuid(*raw);
            let crime = bluelamp_store::crime::load(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let v = inv::get(&mut tx, force, id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("{id}: no investigation"));
            let steps = inv::steps(&mut tx, force, id).await.unwrap_or_default();
            let plan = inv::plan(&mut tx, force, id).await.unwrap_or_default();
            let reviews = inv::reviews(&mut tx, force, id).await.unwrap_or_default();
            let developments = inv::developments(&mut tx, force, id)
                .await
                .unwrap_or_default();
            let outcomes = inv::outcomes(&mut tx, force, id).await.unwrap_or_default();
            let handovers = inv::handovers(&mut tx, force, id).await.unwrap_or_default();
            let victims = bluelamp_store::victim::of_crime(&mut tx, force, id)
                .await
                .unwrap_or_default();
            let duties = bluelamp_store::duty::of_subject(&mut tx, force, id)
                .await
                .unwrap_or_default();

            // The state is where the steps led.
            let mut state = State::Recorded;
            for st in &steps {
                state = state.after(st.step).unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(state, st.state_after, "{id}");
            }
            assert_eq!(state, v.state, "{id}");

            // The investigator is in the team and accredited.
            if let (Some(team), Some(u)) = (v.team, v.investigator) {
                assert!(members.contains(&(team.uuid(), u.uuid())), "{id}");
                let held = pip.get(&u.uuid()).copied().unwrap_or(0);
                let needed = i64::from(required_pip(v.seriousness, v.complex).number());
                assert!(held >= needed, "{id}: PIP {held} for {needed}");
            }

            // Every outcome recorded meets the framework and its rule.
            for o in &outcomes {
                let open = plan
                    .iter()
                    .filter(|p| p.created_at <= o.at && p.done_at.is_none_or(|d| d > o.at))
                    .count();
                let input = OutcomeInput {
                    outcome: o.outcome.number().to_string(),
                    at: Some(o.at.to_rfc3339()),
                    charge_date: o.charge_date.map(|d| d.to_string()),
                    suspect_id: o.suspect.map(|p| p.to_string()),
                    victim_position: o.victim_position.map(|p| p.as_str().to_string()),
                    investigation_complete: o.outcome.number() == 18,
                    rationale: o.rationale.clone(),
                };
                let facts = OutcomeFacts {
                    recorded_at: crime.recorded_at,
                    offence_group: crime.offence_code.group(),
                    open_actions: open,
                };
                Finalisation::parse(&input, facts, &rules.outcomes.framework, o.at)
                    .unwrap_or_else(|e| panic!("{id}: outcome {}: {e}", o.outcome));
                if let Some(p) = o.suspect {
                    assert!(
                        named.contains(&(p.uuid(), *raw)),
                        "{id}: suspect not linked"
                    );
                }
                match o.status {
                    OutcomeStatus::Approved => assert_eq!(v.outcome, Some(o.outcome)),
                    OutcomeStatus::Rejected => assert!(o.decision_reason.is_some()),
                    OutcomeStatus::Proposed => assert!(v.state.is_open()),
                }
            }
            let approved = outcomes
                .iter()
                .filter(|o| o.status == OutcomeStatus::Approved)
                .count();
            assert_eq!(approved, usize::from(v.state == State::Finalised), "{id}");
            finalised += approved;
            reviewed += usize::from(!reviews.is_empty());
            victims_seen += victims.len();
            let finalised_at = steps
                .iter()
                .find(|st| st.step == Step::Finalise)
                .map(|st| st.at);
            assert_eq!(finalised_at, v.finalised_at, "{id}");

            // Each duty is raised and met by the events the engine reacts to.
            for d in &duties {
                let status = d.status(end).as_str();
                *statuses.entry((d.kind, status)).or_default() += 1;
                match d.kind {
                    DutyKind::ReviewInvestigation => {
                        let review = reviews.iter().find(|r| r.at == d.raised_at);
                        assert!(
                            review.is_some()
                                || steps
                                    .iter()
                                    .any(|st| st.step == Step::Allocate && st.at == d.raised_at),
                            "{id}: {d:?}"
                        );
                        if let (Some(r), Some(Owner::Team(team))) = (review, Some(d.owed_by)) {
                            let e = Event::InvestigationReviewed {
                                crime: id,
                                at: r.at,
                                risk: r.risk,
                                team,
                            };
                            let due = react(&e, &rules.duty_rules, &rules.calendar)
                                .raise
                                .first()
                                .map(|x| x.due);
                            assert_eq!(due, Some(d.due), "{id}");
                        }
                        let next = reviews
                            .iter()
                            .map(|r| r.at)
                            .chain(finalised_at)
                            .filter(|at| *at > d.raised_at)
                            .min();
                        assert_eq!(d.met_at, next, "{id}: {d:?}");
                    }
                    DutyKind::ReferVictim => {
                        let victim = victims
                            .iter()
                            .find(|x| Some(x.person) == d.owed_to)
                            .unwrap_or_else(|| panic!("{id}: {d:?}"));
                        assert_eq!(d.raised_at, victim.recorded_at);
                        let e = Event::VictimRecorded {
                            crime: id,
                            victim: victim.person,
                            at: victim.recorded_at,
                            owner: d.owed_by,
                        };
                        let due = react(&e, &rules.duty_rules, &rules.calendar)
                            .raise
                            .first()
                            .map(|x| x.due);
                        assert_eq!(due, Some(d.due), "{id}");
                        let met = victim
                            .referral_at
                            .filter(|_| victim.referral.settles_duty());
                        assert_eq!(d.met_at, met, "{id}");
                    }
                    DutyKind::InformVictim => {
                        let victim = victims
                            .iter()
                            .find(|x| Some(x.person) == d.owed_to)
                            .unwrap_or_else(|| panic!("{id}: {d:?}"));
                        let what = developments
                            .iter()
                            .map(|x| x.at)
                            .chain(finalised_at)
                            .any(|at| at == d.raised_at);
                        assert!(what, "{id}: {d:?}");
                        let contacts = bluelamp_store::victim::contacts(&mut tx, force, victim.id)
                            .await
                            .unwrap_or_default();
                        let next = contacts
                            .iter()
                            .map(|c| c.contact.at)
                            .filter(|at| *at >= d.raised_at)
                            .min();
                        assert_eq!(d.met_at, next, "{id}: {d:?}");
                    }
                    DutyKind::AcknowledgeVictim | DutyKind::AgreedUpdate => {
                        let victim = victims
                            .iter()
                            .find(|x| Some(x.person) == d.owed_to)
                            .unwrap_or_else(|| panic!("{id}: {d:?}"));
                        let contacts = bluelamp_store::victim::contacts(&mut tx, force, victim.id)
                            .await
                            .unwrap_or_default();
                        let after = contacts.iter().map(|c| c.contact.at);
                        if d.kind == DutyKind::AcknowledgeVictim {
                            // From the report; the first contact meets it.
                            assert_eq!(d.raised_at, victim.recorded_at, "{id}");
                            let next = after.filter(|at| *at >= d.raised_at).min();
                            assert_eq!(d.met_at, next, "{id}: {d:?}");
                        } else {
                            // From the assessment or a contact, for the agreed days; the
                            // next contact or the finalisation meets it.
                            assert_eq!(
                                d.due - d.raised_at,
                                chrono::TimeDelta::days(i64::from(victim.update_every_days)),
                                "{id}"
                            );
                            let next = after
                                .filter(|at| *at > d.raised_at)
                                .chain(finalised_at)
                                .min();
                            assert_eq!(d.met_at, next, "{id}: {d:?}");
                        }
                    }
                    DutyKind::DecideHandover => {
                        let h = handovers
                            .iter()
                            .find(|h| h.at == d.raised_at)
                            .unwrap_or_else(|| panic!("{id}: {d:?}"));
                        assert_eq!(d.owed_by, Owner::Team(h.to_team), "{id}");
                        assert_eq!(d.met_at, h.decision.as_ref().map(|x| x.at), "{id}");
                    }
                    DutyKind::ApproveOutcome => {
                        let o = outcomes
                            .iter()
                            .find(|o| o.at == d.raised_at && o.decided_by != Some(o.recorded_by))
                            .unwrap_or_else(|| panic!("{id}: {d:?}"));
                        assert_eq!(d.met_at, o.decided_at, "{id}: {d:?}");
                    }
                    other => panic!("{id}: a duty of {other} about a crime"),
                }
            }
        }
        tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
        assert!(finalised > 0 && reviewed > 0 && victims_seen > 0);
        for kind in [
            DutyKind::ReviewInvestigation,
            DutyKind::ReferVictim,
            DutyKind::InformVictim,
            DutyKind::AcknowledgeVictim,
            DutyKind::AgreedUpdate,
        ] {
            for status in ["met", "breached", "overdue"] {
                assert!(
                    statuses.get(&(kind, status)).is_some_and(|n| *n > 0),
                    "{kind} {status}: {statuses:?}"
                );
            }
        }

        if let Db::Sqlite(p) = db {
            let broken: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(p)
                    .await
                    .unwrap_or_else(|e| panic!("foreign_key_check: {e}"));
            assert!(broken.is_empty(), "{broken:?}");
        }
    }
}

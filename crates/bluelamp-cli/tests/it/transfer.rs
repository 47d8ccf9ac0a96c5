//! `bluelamp export jsonl` and `bluelamp import jsonl`: the round trip on each database (and
//! from SQLite to PostgreSQL), what the files hold, the audit of both, and the refusals: a
//! database that is not empty, an export that has been altered, a directory in use, an
//! actor without the right.

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use bluelamp_app::transfer::TransferError;
use bluelamp_app::{AppError, Ctx};
use bluelamp_domain::access::{Actor, Role};
use bluelamp_domain::audit::Channel;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::ids::{RecordId, UserId};
use bluelamp_domain::incident::{Incident, IncidentCategory};
use bluelamp_domain::record::RecordKind;
use bluelamp_testkit::{Backend, TestApp, backends, fresh_database_url, i64_at};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::{bluelamp, text, uuid_like};

const INCIDENT: &str = "01900000-0000-7000-8000-00000000000a";
const CRIME: &str = "01900000-0000-7000-8000-00000000000b";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn id(s: &str) -> RecordId {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A force with something of everything: users in teams and areas, a partner, areas with a
/// parent and LSOAs, persons with aliases, warning markers and partial dates of birth, a
/// location, an object, links, a restricted record, a shared one, an archived one, an
/// erased one, an incident and a crime.
async fn populated(backend: &Backend) -> TestApp {
    let t = TestApp::spawn(backend).await;
    let created = |what: &str, r: &bluelamp_testkit::TestResponse| {
        assert!(r.status.is_success(), "{what}: {} {}", r.status, r.text);
    };
    let lpa = t
        .post(
            "/api/v1/areas",
            &t.admin,
            json!({"kind": "local_policing_area", "code": "LPA1", "name": "City"}),
        )
        .await;
    created("area", &lpa);
    let nbh = t
        .post("/api/v1/areas", &t.admin, json!({"kind": "neighbourhood", "code": "N1", "name": "Centre", "parent": lpa.id(), "lsoa_codes": ["E01025734", "E01025733"]}))
        .await;
    created("neighbourhood", &nbh);
    let user = t
        .post("/api/v1/users", &t.admin, json!({"username": "pc.lee", "password": "a long enough password", "roles": ["neighbourhood", "call_handler"], "areas": [nbh.id()]}))
        .await;
    created("user", &user);
    let sup = t
        .user("sgt.khan", &["supervisor"], &["CID North"], None)
        .await;
    t.user("idva.one", &["partner"], &[], Some("Leicester IDVA"))
        .await;
    let pc = t.token("pc.lee", "a long enough password").await.body["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let bill = t
        .post("/api/v1/persons", &pc, json!({
            "forenames": "Bill", "surname": "Smyth",
            "aliases": [{"forenames": "William", "surname": "Smith"}, {"forenames": "Billy", "surname": "Smythe"}],
            "date_of_birth": "1971-03", "date_of_birth_approximate": true, "sex": "male", "ethnicity": "W1",
            "warning_markers": [
                {"kind": "violent", "from": "2020-01-01", "until": "2030-01-01", "note": "Assaulted an officer"},
                {"kind": "drugs", "from": "2021-06-30"}
            ]
        }))
        .await;
    created("person", &bill);
    let bill = bill.id();
    let ann = t.person(&pc, "Ann", "O'Neill", Some("1980")).await;
    let gone = t.person(&pc, "Erased", "Person", Some("1990-01-02")).await;
    let place = t
        .post("/api/v1/locations", &pc, json!({"address_lines": ["12 London Road", "Leicester"], "postcode": "le2 0qb", "latitude": 52.636_874_1, "longitude": -1.125_278_3, "lsoa_code": "E01025733"}))
        .await;
    created("location", &place);
    let place = place.id();
    let car = t
        .post("/api/v1/objects", &pc, json!({"kind": "vehicle", "identifier": "ab12 cde", "description": "Silver Ford Focus"}))
        .await;
    created("object", &car);
    let car = car.id();

    // Events, written by the store directly: the test needs their rows, not their services.
    let force = t.app.force.id;
    let mut tx = t.app.begin().await.unwrap_or_else(|e| panic!("begin: {e}"));
    let store = async {
        bluelamp_store::record::insert(
            &mut tx,
            force,
            id(INCIDENT),
            RecordKind::Incident,
            None,
            at("2024-05-01T21:14:03.250Z"),
        )
        .await?;
        bluelamp_store::incident::insert(
            &mut tx,
            force,
            id(INCIDENT),
            &Incident {
                reference: "INC-2024-0001".into(),
                channel: bluelamp_domain::incident::Channel::Emergency,
                received_at: at("2024-05-01T21:14:03.250Z"),
                occurred_at: Some(at("2024-05-01T21:05:00Z")),
                category: IncidentCategory::Domestic,
                location_id: Some(id(&place)),
                summary: "Neighbour reports shouting and a smashed window".into(),
            },
            None,
            None,
        )
        .await?;
        bluelamp_store::record::insert(
            &mut tx,
            force,
            id(CRIME),
            RecordKind::Crime,
            None,
            at("2024-05-02T08:00:00Z"),
        )
        .await?;
        bluelamp_store::crime::insert(
            &mut tx,
            force,
            id(CRIME),
            &Crime {
                reference: "CR-2024-0001".into(),
                offence_code: "8N".parse().unwrap_or_else(|e| panic!("offence: {e}")),
                committed_from: at("2024-05-01T21:00:00Z"),
                committed_to: Some(at("2024-05-01T21:10:00Z")),
                recorded_at: at("2024-05-02T08:00:00Z"),
                domestic_abuse: true,
                location_id: Some(id(&place)),
                incident_id: Some(id(INCIDENT)),
            },
        )
        .await
    };
    store.await.unwrap_or_else(|e| panic!("events: {e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("commit: {e}"));

    for (from, role, to) in [
        (bill.as_str(), "lives_at", place.as_str()),
        (&bill, "keeper_of", &car),
        (&ann, "associate_of", &bill),
        (&bill, "victim_of", CRIME),
    ] {
        let link = t
            .post(
                "/api/v1/links",
                &pc,
                json!({"from": from, "role": role, "to": to}),
            )
            .await;
        created("link", &link);
    }
    let restrict = t
        .put(
            &format!("/api/v1/records/{ann}/restriction"),
            &sup,
            json!({"users": ["sgt.khan"], "teams": ["CID North"]}),
        )
        .await;
    created("restriction", &restrict);
    let share = t
        .post(
            &format!("/api/v1/records/{bill}/shares"),
            &sup,
            json!({"agency": "Leicester IDVA"}),
        )
        .await;
    created("share", &share);
    let archive = t
        .post(
            &format!("/api/v1/records/{car}/archive"),
            &t.admin,
            json!({"reason": "Review: no longer needed"}),
        )
        .await;
    created("archive", &archive);
    let review = t
        .post(
            &format!("/api/v1/records/{gone}/archive"),
            &t.admin,
            json!({"reason": "Review: due for disposal"}),
        )
        .await;
    created("archive before erasure", &review);
    let erase = t
        .post(
            &format!("/api/v1/records/{gone}/erasure"),
            &t.admin,
            json!({"reason": "Disposal under MoPI"}),
        )
        .await;
    created("erasure", &erase);
    // An opening of a restricted record, with its reason, in the audit log.
    let read = t
        .get_with_reason(
            &format!("/api/v1/persons/{ann}"),
            &sup,
            "Safeguarding review",
        )
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    first_contact(&t, &pc).await;
    t
}

/// First contact's rows: a call assessed, re-assessed down, attended, decided and closed,
/// and another left waiting in the queue, each with its duties.
async fn first_contact(t: &TestApp, token: &str) {
    let j = |l: &str| json!({"level": l, "rationale": "Said by the caller"});
    let thrive = |l: [&str; 6]| {
        json!({"threat": j(l[0]), "harm": j(l[1]), "risk": j(l[2]), "investigation": j(l[3]),
               "vulnerability": {"level": l[4], "rationale": "Lives alone", "factors": ["older_person"]},
               "engagement": j(l[5])})
    };
    // Nanoseconds, as a client may send them: kept to the microsecond on either database.
    let received = (Utc::now() - chrono::Duration::minutes(20))
        .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let call = t
        .post("/api/v1/incidents", token,
              json!({"reference": "INC-2024-0002", "channel": "999", "received_at": received, "category": "crime",
                     "summary": "Distraction burglary at an older woman's home",
                     "location": {"address_lines": ["9 Church Street"], "lsoa_code": "E01025733"},
                     "thrive": thrive(["medium", "medium", "high", "high", "high", "low"]),
                     "advice": {"evidence_preservation": {"given": true},
                                "crime_prevention": {"given": false, "reason": "Caller distressed"}}}))
        .await;
    assert_eq!(call.status, StatusCode::CREATED, "{}", call.text);
    let id = call.id();
    let steps = [
        (
            "assessments",
            json!({"thrive": thrive(["low", "medium", "medium", "high", "high", "low"]),
                               "grade_rationale": "Suspects left the area an hour ago"}),
        ),
        (
            "attendance",
            json!({"kind": "deployed", "rationale": "Neighbourhood unit nearby"}),
        ),
        (
            "crime-recording-decision",
            json!({"decision": "crime", "crimes": [{"reference": "CR/000125/24", "offence_code": "28E"}]}),
        ),
        (
            "closure",
            json!({"closing_category": "crime", "result": "crime_recorded"}),
        ),
    ];
    for (step, body) in steps {
        let res = t
            .post(&format!("/api/v1/incidents/{id}/{step}"), token, body)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{step}: {}", res.text);
    }
    let waiting = t
        .post("/api/v1/incidents", token,
              json!({"reference": "INC-2024-0003", "received_at": received, "category": "anti_social_behaviour",
                     "summary": "Noise from a party", "thrive": thrive(["low", "low", "medium", "low", "low", "low"])}))
        .await;
    assert_eq!(waiting.status, StatusCode::CREATED, "{}", waiting.text);
}

fn temp_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("bluelamp-{what}-{}", uuid_like()))
}

fn arg(p: &Path) -> String {
    p.display().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn lines(dir: &Path, file: &str) -> Vec<Value> {
    read(&dir.join(file))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}: {e}: {l}")))
        .collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_str(&read(&dir.join("manifest.json"))).unwrap_or_default()
}

/// The data files of an export (every file but the audit log and the manifest).
fn data_files(dir: &Path) -> Vec<String> {
    manifest(dir)["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["file"].as_str().map(str::to_string))
        .filter(|f| f != "audit.jsonl")
        .collect()
}

/// Makes the manifest's line counts and SHA-256s match the files again, as someone
/// covering their tracks would.
fn reseal(dir: &Path) {
    let mut m = manifest(dir);
    for f in m["files"].as_array_mut().into_iter().flatten() {
        let name = f["file"].as_str().unwrap_or_default().to_string();
        let d = bluelamp_app::transfer::digest(&dir.join(&name)).unwrap_or_else(|e| panic!("{e}"));
        f["lines"] = json!(d.lines);
        f["sha256"] = json!(d.sha256);
    }
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&m).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

fn export(url: &str, dir: &Path) {
    let out = bluelamp(url, &["export", "jsonl", "--out", &arg(dir)], "");
    assert!(out.status.success(), "export: {}", text(&out));
}

fn import(url: &str, dir: &Path) {
    let out = bluelamp(url, &["import", "jsonl", "--from", &arg(dir)], "");
    assert!(out.status.success(), "import: {}", text(&out));
    assert!(text(&out).contains("is intact"), "{}", text(&out));
}

/// A digest of the nominal search keys, which an import rebuilds rather than copies.
async fn name_keys(url: &str) -> (i64, i64) {
    (
        i64_at(url, "SELECT COUNT(*) FROM person_name_key").await,
        i64_at(
            url,
            "SELECT COALESCE(SUM(LENGTH(key)), 0) FROM person_name_key",
        )
        .await,
    )
}

/// Restores `a` (an export of `source`) into a fresh database on `target`, exports that
/// again, and checks that the two exports agree byte for byte but for the import's entry.
async fn round_trip(source: &str, a: &Path, target: &Backend) {
    let restored = fresh_database_url(target).await;
    import(&restored, a);
    let verify = bluelamp(&restored, &["audit", "verify"], "");
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));

    // The restored chain is the export's, then the entry auditing the import.
    let head = manifest(a)["audit_head"].clone();
    let seq = head["seq"].as_i64().unwrap_or_default();
    assert_eq!(
        i64_at(&restored, "SELECT MAX(seq) FROM audit_event").await,
        seq + 1
    );
    assert_eq!(
        i64_at(&restored, "SELECT seq FROM audit_head").await,
        seq + 1
    );
    assert_eq!(
        i64_at(&restored, &format!("SELECT COUNT(*) FROM audit_event WHERE seq = {} AND prev_hash = '{}' AND action = 'data.import' AND operation = 'administration' AND channel = 'cli' AND os_user = 'ops-test'", seq + 1, head["hash"].as_str().unwrap_or_default())).await,
        1
    );
    assert_eq!(name_keys(&restored).await, name_keys(source).await);
    assert_eq!(i64_at(&restored, "SELECT COUNT(*) FROM api_token").await, 0);

    let b = temp_dir("export-again");
    export(&restored, &b);
    for file in data_files(a) {
        assert_eq!(
            read(&a.join(&file)),
            read(&b.join(&file)),
            "{file} differs after the round trip"
        );
    }
    let (audit_a, audit_b) = (read(&a.join("audit.jsonl")), read(&b.join("audit.jsonl")));
    let added = audit_b
        .strip_prefix(audit_a.as_str())
        .unwrap_or_else(|| panic!("the restored audit log does not begin with the exported one"));
    assert_eq!(added.lines().count(), 1, "{added}");
    assert!(added.contains("\"action\":\"data.import\""), "{added}");
    let _ = std::fs::remove_dir_all(&b);
}

#[tokio::test]
async fn an_export_restores_into_an_empty_database_with_its_ids_and_audit_chain() {
    for backend in backends() {
        let t = populated(&backend).await;
        let before = i64_at(&t.url, "SELECT MAX(seq) FROM audit_event").await;
        let a = temp_dir("export");
        export(&t.url, &a);

        // One file per record type, named after it, and a manifest counting and hashing each.
        let m = manifest(&a);
        assert_eq!(m["format"], "bluelamp-jsonl");
        assert_eq!(m["version"], 1);
        assert_eq!(m["force"]["code"], "TST");
        assert_eq!(m["audit_head"]["seq"], before);
        let counts: Vec<(String, i64)> = m["files"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["file"].as_str().unwrap_or_default().to_string(),
                    f["lines"].as_i64().unwrap_or(-1),
                )
            })
            .collect();
        for (file, n) in [
            ("areas.jsonl", 2),
            ("teams.jsonl", 1),
            ("users.jsonl", 4),
            ("persons.jsonl", 3),
            ("locations.jsonl", 2),
            ("objects.jsonl", 1),
            ("links.jsonl", 6),
            ("incidents.jsonl", 3),
            ("crimes.jsonl", 2),
            ("thrive_assessments.jsonl", 3),
            ("incident_advice.jsonl", 1),
            ("incident_attendance.jsonl", 1),
            ("crime_recording_decisions.jsonl", 1),
            ("incident_queue.jsonl", 1),
            ("duties.jsonl", 6),
            ("audit.jsonl", before),
        ] {
            assert!(
                counts.contains(&(file.to_string(), n)),
                "{file}: {n} in {counts:?}"
            );
            assert_eq!(lines(&a, file).len() as i64, n, "{file}");
        }

        // A person's line stands alone: aliases and markers in order, the partial date, the
        // registry row with its shares.
        let persons = lines(&a, "persons.jsonl");
        let bill = persons
            .iter()
            .find(|p| p["forenames"] == "Bill")
            .cloned()
            .unwrap_or_default();
        assert_eq!(bill["date_of_birth"], "1971-03");
        assert_eq!(bill["dob_approximate"], true);
        assert_eq!(
            bill["aliases"],
            json!([{"forenames": "William", "surname": "Smith"}, {"forenames": "Billy", "surname": "Smythe"}])
        );
        assert_eq!(
            bill["warning_markers"][0],
            json!({"kind": "violent", "valid_from": "2020-01-01", "valid_until": "2030-01-01", "note": "Assaulted an officer"})
        );
        assert_eq!(bill["warning_markers"][1]["kind"], "drugs");
        assert_eq!(bill["record"]["shared_with"][0]["agency"], "Leicester IDVA");
        assert!(
            bill["record"]["created_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{bill}"
        );
        let ann = persons
            .iter()
            .find(|p| p["forenames"] == "Ann")
            .cloned()
            .unwrap_or_default();
        assert_eq!(ann["record"]["restricted"], true);
        assert_eq!(
            ann["record"]["restricted_to_users"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(
            ann["record"]["restricted_to_teams"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        let erased = persons
            .iter()
            .find(|p| p["record"]["erased_at"].is_string())
            .cloned()
            .unwrap_or_default();
        assert_eq!(erased["forenames"], "[erased]");
        assert!(lines(&a, "objects.jsonl")[0]["record"]["archived_at"].is_string());
        assert_eq!(
            lines(&a, "locations.jsonl")[0]["latitude"],
            json!(52.636_874_1)
        );
        let users = lines(&a, "users.jsonl");
        let pc = users
            .iter()
            .find(|u| u["username"] == "pc.lee")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pc["roles"], json!(["call_handler", "neighbourhood"]));
        assert_eq!(pc["areas"].as_array().map(Vec::len), Some(1));
        assert!(
            pc["password_hash"]
                .as_str()
                .is_some_and(|h| h.starts_with("$argon2"))
        );
        let nbh = lines(&a, "areas.jsonl")
            .into_iter()
            .find(|x| x["code"] == "N1")
            .unwrap_or_default();
        assert_eq!(nbh["lsoa_codes"], json!(["E01025733", "E01025734"]));
        assert!(nbh["parent_id"].is_string());
        let crime = &lines(&a, "crimes.jsonl")[0];
        assert_eq!(crime["id"], CRIME);
        assert_eq!(crime["incident_id"], INCIDENT);
        assert_eq!(crime["committed_to"], "2024-05-01T21:10:00Z");
        assert_eq!(
            lines(&a, "incidents.jsonl")[0]["received_at"],
            "2024-05-01T21:14:03.250Z"
        );
        assert!(
            !read(&a.join("users.jsonl")).contains("token"),
            "credentials are not exported"
        );

        // The export is one disclosure, by the operator at the shell, naming every file; it
        // comes after the head the export holds.
        assert_eq!(
            i64_at(&t.url, "SELECT MAX(seq) FROM audit_event").await,
            before + 1
        );
        assert_eq!(
            i64_at(&t.url, &format!("SELECT COUNT(*) FROM audit_event WHERE seq = {} AND operation = 'disclosure' AND action = 'data.export' AND channel = 'cli' AND os_user = 'ops-test' AND details LIKE '%persons.jsonl%' AND details LIKE '%\"lines\":3%'", before + 1)).await,
            1
        );

        round_trip(&t.url, &a, &backend).await;
        let _ = std::fs::remove_dir_all(&a);
    }
}

#[tokio::test]
async fn an_export_from_sqlite_restores_into_postgresql() {
    let Some(pg) = backends()
        .into_iter()
        .find(|b| matches!(b, Backend::Postgres(_)))
    else {
        return;
    };
    let t = populated(&Backend::Sqlite).await;
    let a = temp_dir("export-sqlite");
    export(&t.url, &a);
    round_trip(&t.url, &a, &pg).await;
    let _ = std::fs::remove_dir_all(&a);
}

#[tokio::test]
async fn an_import_is_refused_into_a_database_that_is_not_empty_or_from_an_altered_export() {
    for backend in backends() {
        let t = populated(&backend).await;
        let a = temp_dir("export");
        export(&t.url, &a);

        // Not into the database it came from, nor one configured for a force already.
        let entries = i64_at(&t.url, "SELECT COUNT(*) FROM audit_event").await;
        let again = bluelamp(&t.url, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(!again.status.success());
        assert!(
            text(&again).contains("not empty: table force has rows"),
            "{}",
            text(&again)
        );
        assert_eq!(
            i64_at(&t.url, "SELECT COUNT(*) FROM audit_event").await,
            entries
        );
        let configured = fresh_database_url(&backend).await;
        let migrated = bluelamp(
            &configured,
            &["migrate", "--force-name", "Other", "--force-code", "OTH"],
            "",
        );
        assert!(migrated.status.success(), "{}", text(&migrated));
        let refused = bluelamp(&configured, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(!refused.status.success());
        assert!(
            text(&refused).contains("table force has rows"),
            "{}",
            text(&refused)
        );
        assert_eq!(i64_at(&configured, "SELECT COUNT(*) FROM person").await, 0);

        // One changed byte in one file, and nothing is written.
        let persons = a.join("persons.jsonl");
        std::fs::write(&persons, read(&persons).replace("Smyth", "Smith"))
            .unwrap_or_else(|e| panic!("{e}"));
        let empty = fresh_database_url(&backend).await;
        let altered = bluelamp(&empty, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(!altered.status.success());
        assert!(
            text(&altered).contains("persons.jsonl does not match the manifest (SHA-256)"),
            "{}",
            text(&altered)
        );
        assert_eq!(i64_at(&empty, "SELECT COUNT(*) FROM force").await, 0);
        assert_eq!(i64_at(&empty, "SELECT COUNT(*) FROM audit_event").await, 0);

        // An altered audit entry, or the newest ones dropped, even with the manifest's sums
        // made to match: the restored chain must verify and end at the manifest's head.
        std::fs::write(&persons, read(&persons).replace("Smith", "Smyth"))
            .unwrap_or_else(|e| panic!("{e}"));
        let audit = a.join("audit.jsonl");
        let original = read(&audit);
        std::fs::write(
            &audit,
            original.replacen(
                "\"username\":\"operator:test\"",
                "\"username\":\"operator:tset\"",
                1,
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        reseal(&a);
        let edited = bluelamp(&empty, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(!edited.status.success());
        assert!(
            text(&edited)
                .contains("the audit chain in audit.jsonl is broken: entry 1 has been altered"),
            "{}",
            text(&edited)
        );
        let newest_dropped: String = original
            .lines()
            .take(original.lines().count() - 1)
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&audit, newest_dropped).unwrap_or_else(|e| panic!("{e}"));
        reseal(&a);
        let truncated = bluelamp(&empty, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(!truncated.status.success());
        assert!(
            text(&truncated).contains("but the manifest's head is entry"),
            "{}",
            text(&truncated)
        );
        assert_eq!(i64_at(&empty, "SELECT COUNT(*) FROM force").await, 0);
        assert_eq!(i64_at(&empty, "SELECT COUNT(*) FROM person").await, 0);

        // A manifest this version cannot read.
        let m = a.join("manifest.json");
        std::fs::write(&m, read(&m).replace("\"version\": 1", "\"version\": 99"))
            .unwrap_or_else(|e| panic!("{e}"));
        let newer = bluelamp(&empty, &["import", "jsonl", "--from", &arg(&a)], "");
        assert!(text(&newer).contains("version 99"), "{}", text(&newer));
        assert_eq!(i64_at(&empty, "SELECT COUNT(*) FROM force").await, 0);
        let _ = std::fs::remove_dir_all(&a);
    }
}

#[tokio::test]
async fn an_export_needs_an_empty_directory_and_the_right_to_export() {
    for backend in backends() {
        let t = populated(&backend).await;
        let dir = temp_dir("export-used");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("notes.txt"), "keep me").unwrap_or_else(|e| panic!("{e}"));
        let entries = i64_at(&t.url, "SELECT COUNT(*) FROM audit_event").await;
        let out = bluelamp(&t.url, &["export", "jsonl", "--out", &arg(&dir)], "");
        assert!(!out.status.success());
        assert!(text(&out).contains("already holds files"), "{}", text(&out));
        assert_eq!(read(&dir.join("notes.txt")), "keep me");
        assert!(!dir.join("persons.jsonl").exists());
        assert_eq!(
            i64_at(&t.url, "SELECT COUNT(*) FROM audit_event").await,
            entries
        );

        // Only a role allowed to export may: an analyst may not, however much they may read.
        let analyst = Ctx {
            actor: Actor {
                user_id: UserId::from_uuid(Default::default()),
                username: "an.alyst".into(),
                roles: vec![Role::Analyst, Role::Supervisor, Role::Inspector],
                teams: vec![],
                agency: None,
            },
            channel: Channel::Api,
            request_id: None,
            os_user: None,
            reason: None,
        };
        let elsewhere = temp_dir("export-denied");
        let denied = t.app.export_jsonl(&analyst, &elsewhere).await;
        assert!(
            matches!(denied, Err(TransferError::App(AppError::Denied(_)))),
            "{denied:?}"
        );
        assert!(!elsewhere.exists());
        let import =
            bluelamp_app::transfer::import_jsonl(&t.app.db, t.clock.clone(), &analyst, &dir).await;
        assert!(
            matches!(import, Err(TransferError::App(AppError::Denied(_)))),
            "{import:?}"
        );
        assert_eq!(
            i64_at(&t.url, "SELECT COUNT(*) FROM audit_event").await,
            entries
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! First contact through the API (issue 4): a call taken with its THRIVE is graded and
//! queued in the right place; re-assessment, attendance, the crime-recording decision and
//! closure; what a supervisor sees; and bad input refused with nothing written.

use axum::http::StatusCode;
use bluelamp_testkit::{PASSWORD, TestApp};
use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::{on_each_backend, on_each_backend_and_the_lane};

/// A THRIVE with every element at `levels` (threat, harm, risk, investigation,
/// vulnerability, engagement) and the vulnerability factors given.
fn thrive(levels: [&str; 6], factors: &[&str]) -> Value {
    let j = |l: &str, why: &str| json!({"level": l, "rationale": why});
    json!({
        "threat": j(levels[0], "Caller says the ex-partner is outside"),
        "harm": j(levels[1], "Previous injuries recorded"),
        "risk": j(levels[2], "Escalating pattern over a week"),
        "investigation": j(levels[3], "CCTV on the street and a witness"),
        "vulnerability": {"level": levels[4], "rationale": "Lives alone with a young child", "factors": factors},
        "engagement": j(levels[5], "Caller willing to give a statement"),
    })
}

fn advice() -> Value {
    json!({"evidence_preservation": {"given": true},
           "crime_prevention": {"given": false, "reason": "Caller ended the call before advice"}})
}

/// An RFC 3339 time `minutes` before now (by the system clock: the app's may be ahead).
fn ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn call(t: &TestApp, token: &str, body: Value) -> Value {
    let res = t.post("/api/v1/incidents", token, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "take call: {}", res.text);
    res.body
}

fn queue_refs(res: &Value) -> Vec<String> {
    res["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["reference"].as_str().map(str::to_string))
        .collect()
}

fn duty<'a>(incident: &'a Value, kind: &str) -> Option<&'a Value> {
    incident["duties"]
        .as_array()?
        .iter()
        .find(|d| d["kind"] == kind && d["escalation"] == false)
}

#[tokio::test]
async fn a_call_taken_with_its_thrive_is_graded_and_queued_in_the_right_place() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        // A domestic call: threat and risk high, harm medium: emergency (issue 4 §2).
        let dv = call(
            &t,
            &ch,
            json!({"reference": "INC-1", "channel": "999", "received_at": ago(30), "occurred_at": ago(40),
                   "category": "crime", "summary": "Ex-partner at the door, threats made",
                   "location": {"address_lines": ["4 Saffron Lane"], "postcode": "LE2 6UH"},
                   "thrive": thrive(["high", "medium", "high", "medium", "high", "medium"], &["domestic_abuse", "child"]),
                   "advice": advice()}),
        )
        .await;
        assert_eq!(dv["grade"], "emergency");
        assert_eq!(dv["state"], "queued");
        assert_eq!(dv["channel"], "999");
        let a = &dv["assessments"][0];
        assert_eq!(a["proposed_grade"], "emergency");
        assert_eq!(a["proposal_reason"], "threat, risk at least high and harm at least medium");
        assert_eq!(a["seq"], 1);
        assert_eq!(dv["advice"]["crime_prevention"]["given"], false);
        assert!(dv["links"].as_array().into_iter().flatten().any(|l| l["role"] == "occurred_at"));
        // THRIVE at once meets its completion duty; the queue wait and the NCRS decision run.
        assert_eq!(duty(&dv, "complete_thrive").map(|d| d["status"].clone()), Some(json!("met")));
        assert_eq!(duty(&dv, "attend_or_resolve").map(|d| d["status"].clone()), Some(json!("open")));
        let ncrs = duty(&dv, "decide_crime_recording").cloned().unwrap_or_default();
        assert_eq!(ncrs["status"], "open");
        assert!(ncrs["source"].as_str().unwrap_or("").contains("National Crime Recording Standard"));

        // An older, low-level call and a newer one with a vulnerable caller, both scheduled.
        let low = thrive(["low", "low", "medium", "low", "low", "low"], &[]);
        call(&t, &ch, json!({"reference": "INC-2", "received_at": ago(300), "category": "anti_social_behaviour",
                             "summary": "Youths kicking a ball against a fence", "thrive": low})).await;
        let vulnerable = thrive(["low", "low", "medium", "low", "medium", "low"], &["older_person"]);
        let v = call(&t, &ch, json!({"reference": "INC-3", "received_at": ago(5), "category": "concern_for_welfare",
                                     "summary": "Neighbour has not seen an older man for two days",
                                     "thrive": vulnerable, "grade": "scheduled",
                                     "grade_rationale": "Neighbour has a key and will check first"})).await;
        assert_eq!(v["assessments"][0]["proposed_grade"], "priority");
        assert_eq!(v["assessments"][0]["overridden"], true);

        let q = t.get("/api/v1/queues/incident-management", &ch).await;
        assert_eq!(q.status, StatusCode::OK, "{}", q.text);
        // Risk and vulnerability first, age second: the newer vulnerable call outranks the
        // older one at the same grade.
        assert_eq!(queue_refs(&q.body), ["INC-1", "INC-3", "INC-2"]);
        assert_eq!(q.body["total"], 3);
        let top = &q.body["items"][0];
        assert_eq!(top["position"], 1);
        assert_eq!(top["vulnerability_factors"], json!(["child", "domestic_abuse"]));
        let why = top["why"].as_str().unwrap_or("");
        assert!(why.starts_with("Emergency grade; risk high; vulnerability high (child, domestic abuse); waiting"), "{why}");
        assert!(q.body["order"].as_str().unwrap_or("").contains("oldest report first"));

        let scheduled = t.get("/api/v1/queues/incident-management?grade=scheduled&per_page=1&page=2", &ch).await;
        assert_eq!(queue_refs(&scheduled.body), ["INC-2"]);
        assert_eq!(scheduled.body["items"][0]["position"], 2);
        let bad = t.get("/api/v1/queues/incident-management?grade=urgent&area=nowhere", &ch).await;
        assert_eq!(bad.invalid_fields(), ["/area", "/grade"]);

        // Deploying takes it off the queue; the arrival is measured against the target.
        let id = dv["id"].as_str().unwrap_or_default();
        let dep = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch,
                  json!({"kind": "deployed", "rationale": "Nearest double-crewed unit"}))
            .await;
        assert_eq!(dep.status, StatusCode::CREATED, "{}", dep.text);
        assert_eq!(dep.body["state"], "deployed");
        assert_eq!(duty(&dep.body, "attend_or_resolve").map(|d| d["status"].clone()), Some(json!("met")));
        let q = t.get("/api/v1/queues/incident-management", &ch).await;
        assert_eq!(queue_refs(&q.body), ["INC-3", "INC-2"]);
        // Ten minutes on, the officers arrive: 35 minutes after the report, against 15 (urban).
        t.clock.advance(Duration::minutes(10));
        let arr = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch, json!({"kind": "arrived", "at": ago(-5)}))
            .await;
        assert_eq!(arr.status, StatusCode::CREATED, "{}", arr.text);
        assert_eq!(arr.body["attendance_target_met"], false);
        assert_eq!(arr.body["attendance"][1]["grade"], "emergency");
        let again = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch, json!({"kind": "arrived", "at": ago(-6)}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
        let inc3 = v["id"].as_str().unwrap_or_default();
        t.post(&format!("/api/v1/incidents/{inc3}/attendance"), &ch,
               json!({"kind": "deployed", "rationale": "PCSO nearby"})).await;
        let before = t
            .post(&format!("/api/v1/incidents/{inc3}/attendance"), &ch, json!({"kind": "arrived", "at": ago(4)}))
            .await;
        assert_eq!(before.invalid_fields(), ["/at"], "an arrival before the deployment: {}", before.text);
    })
    .await;
}

#[tokio::test]
async fn re_thrive_downgrades_need_a_rationale_and_show_on_the_incident_and_in_reports() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let sup = t.user("sup1", &["supervisor"], &[], None).await;
        let inc = call(&t, &ch, json!({"reference": "INC-9", "received_at": ago(20), "category": "domestic",
                                       "summary": "Argument heard next door",
                                       "thrive": thrive(["medium", "low", "high", "low", "medium", "low"], &[])})).await;
        assert_eq!(inc["grade"], "priority");
        let id = inc["id"].as_str().unwrap_or_default().to_string();
        let path = format!("/api/v1/incidents/{id}/assessments");
        let calmer = thrive(["low", "low", "low", "low", "medium", "low"], &[]);
        let refused = t.post(&path, &ch, json!({"thrive": calmer})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
        assert_eq!(refused.invalid_fields(), ["/grade_rationale"]);
        let msg = refused.body["errors"][0]["message"].as_str().unwrap_or("");
        assert_eq!(msg, "a downgrade from priority to scheduled needs a rationale");
        assert_eq!(t.count("thrive_assessment").await, 1, "a refused re-assessment writes nothing");

        let ok = t
            .post(&path, &ch, json!({"thrive": calmer, "grade_rationale": "Caller rang back: the visitor has left"}))
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
        let history = ok.body["assessments"].as_array().cloned().unwrap_or_default();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1]["seq"], 2);
        assert_eq!(history[1]["revises_id"], history[0]["id"]);
        assert_eq!(history[1]["previous_grade"], "priority");
        assert_eq!(history[1]["downgrade"], true);
        assert_eq!(ok.body["grade"], "scheduled");
        // Still queued, now at its new grade.
        let q = t.get("/api/v1/queues/incident-management", &ch).await;
        assert_eq!(q.body["items"][0]["grade"], "scheduled");

        let review = t.get("/api/v1/reviews/first-contact", &sup).await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.text);
        let d = &review.body["downgrades"][0];
        assert_eq!(d["reference"], "INC-9");
        assert_eq!(d["what"], "Downgraded from Priority to Scheduled: Caller rang back: the visitor has left");
        let m = t.get("/api/v1/measures/first-contact", &sup).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.text);
        assert_eq!(m.body["regrades"]["reassessments"], 1);
        assert_eq!(m.body["regrades"]["downgrades"], 1);
        assert_eq!(m.body["incidents"], 1);
        assert_eq!(m.body["thrive_completion"]["met_on_time"], 1);
        // An analyst sees the counts, not the lists of incidents.
        let analyst = t.user("an1", &["analyst"], &[], None).await;
        assert_eq!(t.get("/api/v1/measures/first-contact", &analyst).await.status, StatusCode::OK);
        assert_eq!(t.get("/api/v1/reviews/first-contact", &analyst).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_crime_recording_decision_is_due_in_24_hours_and_overdue_ones_reach_the_supervisor() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let a = call(&t, &ch, json!({"reference": "INC-20", "received_at": ago(60), "category": "crime",
                                     "summary": "Shed broken into overnight, tools taken"})).await;
        assert_eq!(a["state"], "awaiting_assessment");
        assert_eq!(a["grade"], Value::Null);
        let b = call(&t, &ch, json!({"reference": "INC-21", "received_at": ago(50), "category": "crime",
                                     "summary": "Bicycle stolen from outside the library"})).await;
        let (a_id, b_id) = (a["id"].as_str().unwrap_or_default(), b["id"].as_str().unwrap_or_default());

        // Not assessed: it cannot be closed or attended.
        let close = t
            .post(&format!("/api/v1/incidents/{a_id}/closure"), &ch,
                  json!({"closing_category": "crime", "result": "crime_recorded"}))
            .await;
        assert_eq!(close.status, StatusCode::CONFLICT, "{}", close.text);

        let decided = t
            .post(&format!("/api/v1/incidents/{a_id}/crime-recording-decision"), &ch,
                  json!({"decision": "crime", "crimes": [{"reference": "CR/100/24", "offence_code": "30C"}]}))
            .await;
        assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.text);
        assert_eq!(decided.body["crime_recording_decision"]["decision"], "crime");
        assert_eq!(decided.body["crime_ids"].as_array().map(Vec::len), Some(1));
        assert_eq!(duty(&decided.body, "decide_crime_recording").map(|d| d["status"].clone()), Some(json!("met")));
        let crime_id = decided.body["crime_ids"][0].as_str().unwrap_or_default();
        let crime = t.get(&format!("/api/v1/crimes/{crime_id}"), &ch).await;
        assert_eq!(crime.body["incident_id"], a_id, "the crime links back to its incident");
        let twice = t
            .post(&format!("/api/v1/incidents/{a_id}/crime-recording-decision"), &ch,
                  json!({"decision": "not_a_crime", "reason": "Changed my mind"}))
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        let bad = t
            .post(&format!("/api/v1/incidents/{b_id}/crime-recording-decision"), &ch,
                  json!({"decision": "crime", "crimes": [{"reference": "CR/101/24", "offence_code": "999"}]}))
            .await;
        assert_eq!(bad.invalid_fields(), ["/crimes/0/offence_code"]);
        let bad = t
            .post(&format!("/api/v1/incidents/{b_id}/crime-recording-decision"), &ch,
                  json!({"decision": "not_a_crime"}))
            .await;
        assert_eq!(bad.invalid_fields(), ["/reason"]);
        assert_eq!(t.count("crime").await, 1, "refused decisions record no crime");

        // A day later the second decision is overdue and on the supervisor's list.
        t.clock.advance(Duration::hours(25));
        let sup = t
            .user("sup1", &["supervisor"], &[], None)
            .await;
        let review = t.get("/api/v1/reviews/first-contact", &sup).await;
        let overdue: Vec<&Value> = review.body["overdue_crime_recording_decisions"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(overdue.len(), 1, "{}", review.text);
        assert_eq!(overdue[0]["reference"], "INC-21");
        let got = t.get(&format!("/api/v1/incidents/{b_id}"), &sup).await;
        assert_eq!(duty(&got.body, "decide_crime_recording").map(|d| d["status"].clone()), Some(json!("overdue")));
        assert!(
            got.body["duties"].as_array().into_iter().flatten()
                .any(|d| d["escalation"] == true && d["owed_by"] == "role:supervisor"),
            "a late duty is escalated to supervisors: {}", got.text
        );
        let m = t.get("/api/v1/measures/first-contact", &sup).await;
        assert_eq!(m.body["crime_recording_decisions"]["met_on_time"], 1);
        assert_eq!(m.body["crime_recording_decisions"]["overdue"], 1);
        assert_eq!(m.body["crime_recording_decisions"]["on_time"]["rate"], 0.5);
        // THRIVE was never completed on either: both late.
        assert_eq!(m.body["thrive_completion"]["overdue"], 2);
        // The first caller's token has expired with the day; sign in again.
        let ch = t.token("ch1", PASSWORD).await.body["token"].as_str().unwrap_or_default().to_string();
        let refused = t.get("/api/v1/queues/incident-management", &ch).await;
        assert_eq!(refused.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_crime_closed_without_attendance_despite_lines_of_enquiry_is_flagged() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let sup = t.user("sup1", &["supervisor"], &[], None).await;
        let inc = call(&t, &ch, json!({"reference": "INC-30", "received_at": ago(90), "category": "crime",
                                       "summary": "Car window smashed, bag taken",
                                       "thrive": thrive(["low", "low", "low", "medium", "low", "low"], &[]),
                                       "advice": advice()})).await;
        assert_eq!(inc["grade"], "scheduled");
        let id = inc["id"].as_str().unwrap_or_default();
        let not = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch,
                  json!({"kind": "not_attending", "rationale": "Victim content with a telephone investigation"}))
            .await;
        assert_eq!(not.status, StatusCode::CREATED, "{}", not.text);
        assert_eq!(not.body["state"], "resolved_without_attendance");
        let early = t
            .post(&format!("/api/v1/incidents/{id}/closure"), &ch,
                  json!({"closing_category": "crime", "result": "crime_recorded"}))
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "no crime-recording decision yet: {}", early.text);
        let decided = t
            .post(&format!("/api/v1/incidents/{id}/crime-recording-decision"), &ch,
                  json!({"decision": "crime", "crimes": [{"reference": "CR/200/24", "offence_code": "45"}]}))
            .await;
        assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.text);
        let closed = t
            .post(&format!("/api/v1/incidents/{id}/closure"), &ch,
                  json!({"closing_category": "crime", "result": "crime_recorded"}))
            .await;
        assert_eq!(closed.status, StatusCode::CREATED, "{}", closed.text);
        assert_eq!(closed.body["state"], "closed");
        assert_eq!(closed.body["closure"]["review_flag"], true);
        let after = t
            .post(&format!("/api/v1/incidents/{id}/assessments"), &ch,
                  json!({"thrive": thrive(["low", "low", "low", "medium", "low", "low"], &[])}))
            .await;
        assert_eq!(after.status, StatusCode::CONFLICT, "a closed incident is not re-assessed");
        let review = t.get("/api/v1/reviews/first-contact", &sup).await;
        assert_eq!(review.body["crimes_closed_without_attendance"][0]["reference"], "INC-30");
        let m = t.get("/api/v1/measures/first-contact", &sup).await;
        assert_eq!(m.body["crimes_closed"]["closed"], 1);
        assert_eq!(m.body["crimes_closed"]["flagged_for_review"], 1);
        assert_eq!(m.body["advice"]["evidence_preservation_given"]["rate"], 1.0);
        assert_eq!(m.body["advice"]["crime_prevention_given"]["rate"], 0.0);
    })
    .await;
}

#[tokio::test]
async fn bad_first_contact_input_names_each_field_and_writes_nothing() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let before = t.count("record").await;
        let audit_before = t.count("audit_event").await;
        let mut partial = thrive(["high", "medium", "high", "low", "low", "low"], &["unicorns"]);
        if let Some(o) = partial.as_object_mut() {
            o.remove("harm");
            o.remove("engagement");
            o.insert("risk".into(), json!({"level": "extreme", "rationale": " "}));
        }
        let res = t
            .post("/api/v1/incidents", &ch,
                  json!({"reference": "INC-40", "received_at": (Utc::now() + Duration::hours(2)).to_rfc3339(),
                         "category": "crime", "summary": "Burglary in progress",
                         "location": {"postcode": "NOT A POSTCODE"},
                         "thrive": partial}))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(
            res.invalid_fields(),
            [
                "/received_at",
                "/location/postcode",
                "/thrive/harm",
                "/thrive/risk/level",
                "/thrive/risk/rationale",
                "/thrive/vulnerability/factors/0",
                "/thrive/engagement",
                "/advice",
            ]
        );
        assert_eq!(t.count("record").await, before, "nothing written");
        assert_eq!(t.count("duty").await, 0);
        assert_eq!(t.count("audit_event").await, audit_before);

        // A grade without a THRIVE, an attendance decision without a rationale, an arrival
        // in the future.
        let res = t
            .post("/api/v1/incidents", &ch,
                  json!({"reference": "INC-41", "received_at": ago(5), "category": "alarm",
                         "summary": "Intruder alarm", "grade": "emergency"}))
            .await;
        assert_eq!(res.invalid_fields(), ["/grade"]);
        let inc = call(&t, &ch, json!({"reference": "INC-42", "received_at": ago(5), "category": "alarm",
                                       "summary": "Intruder alarm at a shop",
                                       "thrive": thrive(["medium", "low", "medium", "low", "low", "low"], &[])})).await;
        let id = inc["id"].as_str().unwrap_or_default();
        let res = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch, json!({"kind": "deployed"}))
            .await;
        assert_eq!(res.invalid_fields(), ["/rationale"]);
        let res = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch,
                  json!({"kind": "arrived", "at": (Utc::now() + Duration::hours(1)).to_rfc3339()}))
            .await;
        assert_eq!(res.invalid_fields(), ["/at"]);
        let res = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch, json!({"kind": "arrived", "at": ago(1)}))
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "nobody deployed yet: {}", res.text);
        assert_eq!(t.count("incident_attendance").await, 0);

        // Roles: an investigator may not assess; an analyst may not see the queue.
        let inv = t.user("inv1", &["investigator"], &[], None).await;
        let res = t
            .post(&format!("/api/v1/incidents/{id}/assessments"), &inv,
                  json!({"thrive": thrive(["low", "low", "low", "low", "low", "low"], &[])}))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let analyst = t.user("an1", &["analyst"], &[], None).await;
        let res = t.get("/api/v1/queues/incident-management", &analyst).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_restricted_incident_is_absent_from_the_queue_of_others_and_rural_areas_get_longer() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &["control"], None).await;
        let other = t.user("ch2", &["call_handler"], &[], None).await;
        let sup = t.user("sup1", &["supervisor"], &["control"], None).await;
        let lpa = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "local_policing_area", "code": "RUT", "name": "Rutland"}))
            .await;
        let hood = t
            .post("/api/v1/areas", &t.admin,
                  json!({"kind": "neighbourhood", "code": "RUT-OAK", "name": "Oakham", "parent": lpa.id(),
                         "lsoa_codes": ["E01013668"], "setting": "rural"}))
            .await;
        assert_eq!(hood.status, StatusCode::CREATED, "{}", hood.text);
        assert_eq!(hood.body["setting"], "rural");
        let emergency = thrive(["high", "high", "high", "low", "low", "low"], &[]);
        let inc = call(&t, &ch, json!({"reference": "INC-50", "received_at": ago(1), "category": "road_traffic",
                                       "summary": "Collision on the A606, one trapped",
                                       "location": {"address_lines": ["A606 near Burley"], "lsoa_code": "E01013668"},
                                       "thrive": emergency})).await;
        assert_eq!(inc["area_id"], hood.body["id"]);
        assert_eq!(inc["assessments"][0]["setting"], "rural");
        let q = t.get(&format!("/api/v1/queues/incident-management?area={}", lpa.id()), &ch).await;
        assert_eq!(queue_refs(&q.body), ["INC-50"]);
        assert_eq!(q.body["items"][0]["wait_allowed_seconds"], 20 * 60, "rural emergency: 20 minutes");
        let elsewhere = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "local_policing_area", "code": "LEI", "name": "Leicester"}))
            .await;
        let q = t.get(&format!("/api/v1/queues/incident-management?area={}", elsewhere.id()), &ch).await;
        assert_eq!(queue_refs(&q.body), Vec::<String>::new());

        let restrict = t
            .put(&format!("/api/v1/records/{}/restriction", inc["id"].as_str().unwrap_or_default()), &sup,
                  json!({"teams": ["control"]}))
            .await;
        assert!(restrict.status.is_success(), "{}", restrict.text);
        let q = t.get("/api/v1/queues/incident-management", &other).await;
        assert_eq!(q.body["total"], 0, "restricted: not in another's queue");
        let q = t.get("/api/v1/queues/incident-management", &ch).await;
        assert_eq!(q.body["total"], 1);
        // Measures count it all the same, revealing nothing.
        let m = t.get("/api/v1/measures/first-contact", &sup).await;
        assert_eq!(m.body["incidents"], 1);

        let changed = t
            .send(axum::http::Method::PATCH, &format!("/api/v1/areas/{}", hood.id()), Some(&t.admin),
                  Some(json!({"setting": "urban"})), &[])
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
        assert_eq!(changed.body["setting"], "urban");
        let bad = t
            .send(axum::http::Method::PATCH, &format!("/api/v1/areas/{}", hood.id()), Some(&ch),
                  Some(json!({"setting": "urban"})), &[])
            .await;
        assert_eq!(bad.status, StatusCode::FORBIDDEN);
        // A setting that is neither urban nor rural is named and changes nothing.
        let audit_before = t.count("audit_event").await;
        let bad = t
            .send(axum::http::Method::PATCH, &format!("/api/v1/areas/{}", hood.id()), Some(&t.admin),
                  Some(json!({"setting": "suburban"})), &[])
            .await;
        assert_eq!(bad.invalid_fields(), ["/setting"]);
        let bad = t
            .post("/api/v1/areas", &t.admin,
                  json!({"kind": "neighbourhood", "code": "RUT-UPP", "name": "Uppingham", "parent": lpa.id(),
                         "setting": "coastal"}))
            .await;
        assert_eq!(bad.invalid_fields(), ["/setting"]);
        assert_eq!(t.count("audit_event").await, audit_before, "nothing written");
        let still = t.get(&format!("/api/v1/areas/{}", hood.id()), &ch).await;
        assert_eq!(still.body["setting"], "urban");
    })
    .await;
}

/// An incident as an action answered it, without the time it has waited in the queue (which
/// moves on by the minute between the answer and a later read).
fn settled(mut incident: Value) -> Value {
    if let Some(reason) = incident.get_mut("queue_reason") {
        *reason = Value::Null;
    }
    incident
}

#[tokio::test]
async fn each_action_answers_with_the_incident_as_it_is_then_read() {
    on_each_backend_and_the_lane(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let lpa = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "local_policing_area", "code": "RUT", "name": "Rutland"}))
            .await;
        let hood = t
            .post("/api/v1/areas", &t.admin,
                  json!({"kind": "neighbourhood", "code": "RUT-OAK", "name": "Oakham", "parent": lpa.id(),
                         "lsoa_codes": ["E01013668"], "setting": "rural"}))
            .await;
        assert_eq!(hood.status, StatusCode::CREATED, "{}", hood.text);
        let caller = t.person(&ch, "Ann", "Caller", None).await;
        let subject = t.person(&ch, "Bob", "Subject", Some("1990-01-01")).await;
        let read = |id: String| {
            let (t, ch) = (&t, &ch);
            async move {
                let got = t.get(&format!("/api/v1/incidents/{id}"), ch).await;
                assert_eq!(got.status, StatusCode::OK, "{}", got.text);
                got.body
            }
        };

        // A crime reported two hours ago at a new address in a rural neighbourhood, with who
        // called and who it is about.
        let taken = call(&t, &ch, json!({"reference": "INC-70", "channel": "999", "received_at": ago(120),
                                         "occurred_at": ago(130), "category": "crime",
                                         "summary": "Shed broken into, tools taken",
                                         "location": {"address_lines": ["1 Church Street", "Oakham"],
                                                      "postcode": "LE15 6AA", "lsoa_code": "E01013668"},
                                         "caller_ids": [caller], "subject_ids": [subject],
                                         "thrive": thrive(["medium", "low", "medium", "medium", "low", "low"], &["child"]),
                                         "advice": advice()})).await;
        assert_eq!(taken["area_id"], hood.body["id"]);
        assert_eq!(taken["links"].as_array().map(Vec::len), Some(3));
        assert_eq!(taken["duties"].as_array().map(Vec::len), Some(3));
        assert!(taken["queue_reason"].is_string());
        let id = taken["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(settled(taken), settled(read(id.clone()).await));

        // At a location already recorded, without a THRIVE.
        let place = t
            .post("/api/v1/locations", &ch, json!({"address_lines": ["12 London Road"], "postcode": "LE2 0QB"}))
            .await;
        let bare = call(&t, &ch, json!({"reference": "INC-71", "received_at": ago(3), "category": "suspicious",
                                        "location_id": place.id(), "summary": "Van circling the estate"})).await;
        assert_eq!(bare["state"], "awaiting_assessment");
        let bare_id = bare["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(settled(bare), settled(read(bare_id.clone()).await));

        // Then each further action.
        let assessed = t
            .post(&format!("/api/v1/incidents/{bare_id}/assessments"), &ch,
                  json!({"thrive": thrive(["low", "low", "low", "low", "low", "low"], &[])}))
            .await;
        assert_eq!(assessed.status, StatusCode::CREATED, "{}", assessed.text);
        assert_eq!(settled(assessed.body), settled(read(bare_id.clone()).await));
        let path = |what: &str| format!("/api/v1/incidents/{id}/{what}");
        let deployed = t
            .post(&path("attendance"), &ch, json!({"kind": "deployed", "rationale": "Patrol nearby"}))
            .await;
        assert_eq!(deployed.status, StatusCode::CREATED, "{}", deployed.text);
        assert_eq!(settled(deployed.body), settled(read(id.clone()).await));
        let decided = t
            .post(&path("crime-recording-decision"), &ch,
                  json!({"decision": "crime", "crimes": [{"reference": "CR/700/24", "offence_code": "30C"}]}))
            .await;
        assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.text);
        assert_eq!(settled(decided.body), settled(read(id.clone()).await));
        let closed = t
            .post(&path("closure"), &ch, json!({"closing_category": "crime", "result": "crime_recorded"}))
            .await;
        assert_eq!(closed.status, StatusCode::CREATED, "{}", closed.text);
        assert_eq!(settled(closed.body), settled(read(id).await));
    })
    .await;
}

/// A call taken without a reference is given the next number of the day's calls
/// (`YYYYMMDD-NNNN`, the London date), passing over a number typed in by hand, and calls
/// taken at the same moment each get their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_call_taken_without_a_reference_is_given_the_next_number_of_the_day() {
    on_each_backend_and_the_lane(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let day = t
            .app
            .now()
            .with_timezone(&chrono_tz::Europe::London)
            .format("%Y%m%d")
            .to_string();
        let body = json!({"received_at": ago(5), "category": "alarm", "summary": "Intruder alarm"});
        let first = call(&t, &ch, body.clone()).await;
        assert_eq!(first["reference"], format!("{day}-0001"));
        let mut typed = body.clone();
        typed["reference"] = json!(format!("{day}-0002"));
        call(&t, &ch, typed).await;
        let mut blank = body.clone();
        blank["reference"] = json!("  ");
        let third = call(&t, &ch, blank).await;
        assert_eq!(
            third["reference"],
            format!("{day}-0003"),
            "the number typed in by hand is passed over"
        );
        let got = t
            .get(
                &format!(
                    "/api/v1/incidents/{}",
                    third["id"].as_str().unwrap_or_default()
                ),
                &ch,
            )
            .await;
        assert_eq!(got.body["reference"], format!("{day}-0003"));

        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (t, ch, body) = (t.clone(), ch.clone(), body.clone());
            calls.spawn(async move { t.post("/api/v1/incidents", &ch, body).await });
        }
        let mut refs = Vec::new();
        while let Some(res) = calls.join_next().await {
            let res = res.unwrap_or_else(|e| panic!("join: {e}"));
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
            refs.push(
                res.body["reference"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        refs.sort();
        let want: Vec<String> = (4..=15).map(|n| format!("{day}-{n:04}")).collect();
        assert_eq!(refs, want, "each call its own number, none skipped");
        assert_eq!(t.count("incident").await, 15);
    })
    .await;
}

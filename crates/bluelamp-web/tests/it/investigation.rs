//! Investigation and victim care through the API (issue 5): allocation to an accredited
//! investigator, the plan, supervision on its schedule, handovers with their checklist,
//! outcomes with their rules and approval, reopening; the Victims' Code duties on the
//! working-day calendar with its bank holidays; the duty queues. Bad input is refused with
//! the field (and the rule) named and nothing written.

use axum::http::StatusCode;
use bluelamp_testkit::TestApp;
use serde_json::{Value, json};

use crate::on_each_backend;

/// A user's id and first team's id.
async fn me(t: &TestApp, token: &str) -> (String, String) {
    let me = t.get("/api/v1/users/me", token).await;
    (
        me.body["id"].as_str().unwrap_or_default().to_string(),
        me.body["teams"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

async fn accredit(t: &TestApp, user: &str, level: u8) {
    let res = t
        .put(
            &format!("/api/v1/users/{user}/accreditation"),
            &t.admin,
            json!({"pip_level": level}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
}

async fn crime(t: &TestApp, token: &str, reference: &str, code: &str, recorded_at: &str) -> String {
    let res = t
        .post(
            "/api/v1/crimes",
            token,
            json!({"reference": reference, "offence_code": code, "committed_from": recorded_at,
                   "recorded_at": recorded_at}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.id()
}

/// Posts an action on a crime and answers the investigation as it now stands.
async fn act(t: &TestApp, token: &str, crime: &str, what: &str, body: Value) -> Value {
    let res = t
        .post(&format!("/api/v1/crimes/{crime}/{what}"), token, body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{what}: {}", res.text);
    res.body
}

fn duties<'a>(v: &'a Value, kind: &str) -> Vec<&'a Value> {
    v["duties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == kind && d["escalation"] == false)
        .collect()
}

fn checklist(cctv: Value) -> Value {
    json!({
        "statements": {"state": "done"},
        "cctv": cctv,
        "forensic_submissions": {"state": "outstanding", "note": "Glass sent to the lab, result awaited"},
        "house_to_house": {"state": "done"},
        "suspect_details": {"state": "not_applicable", "note": "No suspect yet"},
        "victim_contact": {"state": "done"},
    })
}

#[tokio::test]
async fn a_crime_is_worked_from_recording_to_outcome() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["CID"], None).await;
        let inv1 = t.user("inv1", &["investigator"], &["CID"], None).await;
        let inv2 = t.user("inv2", &["investigator"], &["CID"], None).await;
        let (inv1_id, cid) = me(&t, &inv1).await;
        let (inv2_id, _) = me(&t, &inv2).await;
        accredit(&t, &inv1_id, 1).await;
        accredit(&t, &inv2_id, 2).await;

        // A robbery is serious: it needs a PIP level 2 investigator.
        let c = crime(&t, &inv1, "CR/1/26", "34B", "2026-01-05T10:00:00Z").await;
        let got = t.get(&format!("/api/v1/crimes/{c}"), &inv1).await;
        let v = &got.body["investigation"];
        assert_eq!((v["state"].as_str(), v["seriousness"].as_str()), (Some("recorded"), Some("serious")));
        assert_eq!(v["required_pip_level"], 2);

        // An investigator cannot allocate; a PIP 1 investigator is refused, naming why.
        let body = json!({"team_id": cid, "investigator_id": inv1_id, "risk": "high",
                          "rationale": "Street robbery with a knife shown"});
        let denied = t.post(&format!("/api/v1/crimes/{c}/allocation"), &inv1, body.clone()).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let refused = t.post(&format!("/api/v1/crimes/{c}/allocation"), &sup, body).await;
        assert_eq!(refused.invalid_fields(), ["/investigator_id"]);
        assert!(refused.text.contains("needs an investigator accredited to PIP level 2; this one holds PIP level 1"), "{}", refused.text);
        assert_eq!(t.count("investigation_step").await, 0);

        // Allocated at high risk: the first review is due within 24 hours, owed by the team.
        let v = act(&t, &sup, &c, "allocation", json!({"team_id": cid, "investigator_id": inv2_id, "risk": "high",
                                                      "rationale": "Street robbery with a knife shown"})).await;
        assert_eq!(v["state"], "allocated");
        assert_eq!(v["investigator_id"], inv2_id.as_str());
        let review = duties(&v, "review_investigation");
        assert_eq!(review.len(), 1);
        assert_eq!(review[0]["owed_by"], format!("team:{cid}"));
        assert_eq!(review[0]["status"], "open");
        assert!(review[0]["source"].as_str().unwrap_or("").contains("Issue 5 §3"));
        let due = chrono::DateTime::parse_from_rfc3339(v["next_review_due"].as_str().unwrap_or(""))
            .map(|d| d.with_timezone(&chrono::Utc)).ok();
        let allocated = chrono::DateTime::parse_from_rfc3339(v["allocated_at"].as_str().unwrap_or(""))
            .map(|d| d.with_timezone(&chrono::Utc)).ok();
        assert_eq!(due.zip(allocated).map(|(d, a)| (d - a).num_hours()), Some(24));

        // The plan starts the work.
        let v = act(&t, &inv2, &c, "plan", json!({"lines_of_enquiry": [{"text": "CCTV from the shop opposite"}],
                                                 "actions": [{"text": "Take the victim's statement", "due_on": "2026-01-06"}]})).await;
        assert_eq!(v["state"], "under_investigation");
        assert_eq!(v["open_actions"], 2);
        // Completing an item that is not an open item of this plan, or with a bad date or
        // assignee, names the field and writes nothing.
        let bad = t.post(&format!("/api/v1/crimes/{c}/plan"), &inv2,
                         json!({"actions": [{"text": "Trace", "due_on": "tomorrow", "assigned_to": "someone"}],
                                "completed": [{"id": "0190b2a4-4c4e-7b8a-9a7c-1d2e3f405162", "result": "Done"}]})).await;
        assert_eq!(bad.invalid_fields(), ["/actions/0/due_on", "/actions/0/assigned_to"]);
        let not_open = t.post(&format!("/api/v1/crimes/{c}/plan"), &inv2,
                              json!({"completed": [{"id": "0190b2a4-4c4e-7b8a-9a7c-1d2e3f405162", "result": "Done"}]})).await;
        assert_eq!(not_open.invalid_fields(), ["/completed/0/id"]);
        assert_eq!(t.count("plan_item").await, 2);

        // The supervisor's review meets the review due, sets the next at medium risk
        // (14 days) and turns the direction into an action.
        let v = act(&t, &sup, &c, "reviews", json!({"risk": "medium", "note": "Good start; trace the phone",
                                                   "directions": [{"text": "Trace the stolen phone"}]})).await;
        let review = duties(&v, "review_investigation");
        assert_eq!(review.iter().map(|d| d["status"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["met", "open"]);
        assert_eq!(v["open_actions"], 3);
        assert_eq!(v["plan"][2]["source"], "review");
        assert_eq!(v["risk"], "medium");

        // Outcome rules are named, and a refused outcome writes nothing.
        let o18 = t.post(&format!("/api/v1/crimes/{c}/outcome"), &inv2,
                         json!({"outcome": 18, "investigation_complete": true, "rationale": "Nothing more to do"})).await;
        assert_eq!(o18.invalid_fields(), ["/investigation_complete"]);
        assert!(o18.text.contains("3 line(s) of enquiry or action(s) still open"), "{}", o18.text);
        let o1 = t.post(&format!("/api/v1/crimes/{c}/outcome"), &inv2, json!({"outcome": "1", "rationale": "Charged"})).await;
        assert_eq!(o1.invalid_fields(), ["/suspect_id", "/charge_date"]);
        assert!(o1.text.contains("outcome 1 needs a named suspect"));
        let o22 = t.post(&format!("/api/v1/crimes/{c}/outcome"), &inv2,
                         json!({"outcome": 22, "at": "2019-03-31T12:00:00Z", "rationale": "x"})).await;
        assert!(o22.invalid_fields().contains(&"/outcome".to_string()), "{}", o22.text);
        assert_eq!(t.count("crime_outcome").await, 0);

        // To the CPS and back: the state machine refuses what it does not allow.
        let v = act(&t, &inv2, &c, "steps", json!({"step": "refer_to_cps", "note": "File for a charging decision"})).await;
        assert_eq!(v["state"], "awaiting_charging_decision");
        let again = t.post(&format!("/api/v1/crimes/{c}/steps"), &inv2, json!({"step": "refer_to_cps", "note": "again"})).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.text.contains("awaiting a charging decision cannot be referred to the CPS"), "{}", again.text);

        // Outcome 16 needs approval: proposed by the investigator, rejected with a reason.
        let suspect = t.person(&inv2, "Dean", "Marsh", Some("1990-04-02")).await;
        let v = act(&t, &inv2, &c, "outcome", json!({"outcome": 16, "suspect_id": suspect, "victim_position": "withdrawn",
                                                    "rationale": "Victim no longer wishes to support"})).await;
        assert_eq!(v["outcomes"][0]["status"], "proposed");
        assert_eq!(v["state"], "awaiting_charging_decision");
        let no_reason = t.post(&format!("/api/v1/crimes/{c}/outcome/decision"), &sup, json!({"decision": "reject"})).await;
        assert_eq!(no_reason.invalid_fields(), ["/reason"]);
        let by_inv = t.post(&format!("/api/v1/crimes/{c}/outcome/decision"), &inv2, json!({"decision": "approve"})).await;
        assert_eq!(by_inv.status, StatusCode::FORBIDDEN);
        let v = act(&t, &sup, &c, "outcome/decision", json!({"decision": "reject", "reason": "CPS has authorised a charge"})).await;
        assert_eq!(v["outcomes"][0]["status"], "rejected");

        // Charged: outcome 1 is finalised at once; the suspect is linked; supervision ends.
        let v = act(&t, &inv2, &c, "outcome", json!({"outcome": 1, "suspect_id": suspect, "charge_date": "2026-01-20",
                                                    "at": "2026-01-20T16:00:00Z", "rationale": "Charged with robbery"})).await;
        assert_eq!(v["state"], "finalised");
        assert_eq!(v["outcome"], json!({"number": 1, "label": "Charged or summonsed", "group": "charged_summonsed"}));
        assert!(duties(&v, "review_investigation").iter().all(|d| d["met_at"].is_string()));
        let got = t.get(&format!("/api/v1/crimes/{c}"), &inv2).await;
        assert!(got.body["links"].as_array().into_iter().flatten()
            .any(|l| l["role"] == "suspect_in" && l["record_id"] == suspect.as_str()));
        let twice = t.post(&format!("/api/v1/crimes/{c}/outcome"), &inv2, json!({"outcome": 20, "rationale": "x"})).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        // Only a supervisor reopens; reopening restarts supervision.
        let reopen = json!({"step": "reopen", "note": "New forensic evidence"});
        assert_eq!(t.post(&format!("/api/v1/crimes/{c}/steps"), &inv2, reopen.clone()).await.status, StatusCode::FORBIDDEN);
        let v = act(&t, &sup, &c, "steps", reopen).await;
        assert_eq!(v["state"], "under_investigation");
        assert!(v["outcome"].is_null());
        assert_eq!(duties(&v, "review_investigation").iter().filter(|d| d["met_at"].is_null()).count(), 1);
        let steps: Vec<&str> = v["steps"].as_array().into_iter().flatten().filter_map(|s| s["step"].as_str()).collect();
        assert_eq!(steps, ["allocate", "investigate", "refer_to_cps", "finalise", "reopen"]);

        // My investigations and the team's.
        let mine = t.get("/api/v1/investigations", &inv2).await;
        assert_eq!(mine.body["total"], 1);
        assert_eq!(mine.body["items"][0]["reference"], "CR/1/26");
        assert_eq!(t.get("/api/v1/investigations", &inv1).await.body["total"], 0);
        assert_eq!(t.get("/api/v1/investigations?holder=teams", &sup).await.body["total"], 1);
    })
    .await;
}

#[tokio::test]
async fn victims_are_told_on_the_right_working_day_and_duties_are_queued() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["CID"], None).await;
        let inv = t.user("inv", &["investigator"], &["CID"], None).await;
        let vc = t.user("vc", &["victim_care"], &["Victim hub"], None).await;
        let (inv_id, cid) = me(&t, &inv).await;
        accredit(&t, &inv_id, 1).await;
        // Recorded on Saturday 20 December 2025.
        let c = crime(&t, &inv, "CR/2/25", "28E", "2025-12-20T10:00:00Z").await;
        let ann = t.person(&vc, "Ann", "Lowe", Some("1950-02-03")).await;
        let bob = t.person(&vc, "Bob", "Lowe", Some("1952-07-09")).await;

        // Bad input names each field and writes nothing.
        let bad = t.post(&format!("/api/v1/crimes/{c}/victims"), &vc,
                         json!({"person_id": ann, "assessment": {"referral": "maybe", "contact_method": "pigeon", "update_every_days": 0}})).await;
        assert_eq!(bad.invalid_fields(), ["/assessment/referral", "/assessment/contact_method", "/assessment/update_every_days"]);
        assert_eq!(t.count("crime_victim").await, 0);
        assert_eq!(t.count("duty").await, 0);

        // Ann is vulnerable (enhanced); her referral is still to be made. Bob has standard
        // entitlements and was referred at once.
        let res = t.post(&format!("/api/v1/crimes/{c}/victims"), &vc,
                         json!({"person_id": ann, "assessment": {"vulnerable": true, "referral": "awaiting_consent",
                                "contact_method": "phone", "needs": "Hard of hearing: phone the daughter"}})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let ann_v = res.body["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(res.body["entitlement"], "enhanced");
        assert_eq!(res.body["reasons"], json!(["vulnerable"]));
        // Referral: 2 working days after Saturday 20 December are Monday 22 and Tuesday 23.
        let referral = duties(&res.body, "refer_victim");
        assert_eq!(referral[0]["due"], "2025-12-23T23:59:59Z");
        assert_eq!(referral[0]["status"], "overdue");
        assert_eq!(referral[0]["owed_by"], "role:victim_care");
        let res = t.post(&format!("/api/v1/crimes/{c}/victims"), &vc,
                         json!({"person_id": bob, "assessment": {"referral": "referred", "contact_method": "email"}})).await;
        assert_eq!(res.body["entitlement"], "standard");
        // Referred now, long after the 23rd: met, but late.
        assert_eq!(duties(&res.body, "refer_victim")[0]["status"], "breached");
        let again = t.post(&format!("/api/v1/crimes/{c}/victims"), &vc,
                           json!({"person_id": bob, "assessment": {"referral": "declined", "contact_method": "email"}})).await;
        assert_eq!(again.invalid_fields(), ["/person_id"]);

        // An arrest on Wednesday 24 December 2025. Enhanced: 1 working day, and the 25th and
        // 26th are bank holidays, then the weekend: Monday 29th. Standard: 5 working days,
        // 29, 30, 31 December, 2 January (the 1st is a bank holiday), 5 January.
        act(&t, &sup, &c, "allocation", json!({"team_id": cid, "investigator_id": inv_id, "risk": "low", "rationale": "Burglary"})).await;
        let v = act(&t, &inv, &c, "developments", json!({"what": "arrest", "at": "2025-12-24T15:00:00Z", "note": "Arrested at home"})).await;
        let inform = duties(&v, "inform_victim");
        let due: Vec<(&str, &str)> = inform.iter().map(|d| (d["owed_to"].as_str().unwrap_or(""), d["due"].as_str().unwrap_or(""))).collect();
        assert_eq!(due, [(ann.as_str(), "2025-12-29T23:59:59Z"), (bob.as_str(), "2026-01-05T23:59:59Z")]);
        assert!(inform.iter().all(|d| d["owed_by"] == format!("user:{inv_id}")));

        // A development in the future, or before the crime, is refused and writes nothing.
        let future = t.post(&format!("/api/v1/crimes/{c}/developments"), &inv,
                            json!({"what": "arrest", "at": "2999-01-01T00:00:00Z"})).await;
        assert_eq!(future.invalid_fields(), ["/at"]);
        let before = t.post(&format!("/api/v1/crimes/{c}/developments"), &inv,
                            json!({"what": "charged", "at": "2025-12-01T00:00:00Z"})).await;
        assert_eq!(before.invalid_fields(), ["/at"]);
        let unknown = t.post(&format!("/api/v1/crimes/{c}/developments"), &inv, json!({"what": "sentenced"})).await;
        assert_eq!(unknown.invalid_fields(), ["/what"]);
        assert_eq!(t.count("crime_development").await, 1);

        // A contact with Ann on the 29th meets hers on time, and records her referral.
        let res = t.post(&format!("/api/v1/victims/{ann_v}/contacts"), &vc,
                         json!({"at": "2025-12-29T10:00:00Z", "method": "phone", "summary": "Told of the arrest; agreed referral",
                                "referral": "referred", "vps": "offered_later"})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["referral"], "referred");
        assert_eq!(res.body["vps"], "offered_later");
        let statuses: Vec<(&str, &str)> = res.body["duties"].as_array().into_iter().flatten()
            .map(|d| (d["kind"].as_str().unwrap_or(""), d["status"].as_str().unwrap_or(""))).collect();
        // Her report was never acknowledged before: the contact meets that late too; her
        // agreed updates (every 28 days, from the assessment) are still to come.
        assert_eq!(statuses, [("refer_victim", "breached"), ("acknowledge_victim", "breached"),
                              ("inform_victim", "met"), ("agreed_update", "open")]);
        assert_eq!(res.body["contacts"][0]["summary"], "Told of the arrest; agreed referral");
        let settled = t.post(&format!("/api/v1/victims/{ann_v}/contacts"), &vc,
                             json!({"method": "phone", "summary": "x", "referral": "declined"})).await;
        assert_eq!(settled.invalid_fields(), ["/referral"]);
        let future = t.post(&format!("/api/v1/victims/{ann_v}/contacts"), &vc,
                            json!({"at": "2999-01-01T00:00:00Z", "method": "phone", "summary": "x"})).await;
        assert_eq!(future.invalid_fields(), ["/at"]);
        assert_eq!(t.count("victim_contact").await, 1);

        // Bob was never told: his update is overdue in the investigator's queue.
        let q = t.get("/api/v1/duties?owner=me&state=overdue", &inv).await;
        assert_eq!(q.status, StatusCode::OK, "{}", q.text);
        assert_eq!(q.body["total"], 1);
        assert_eq!(q.body["items"][0]["kind"], "inform_victim");
        assert_eq!(q.body["items"][0]["owed_to"], bob.as_str());
        assert_eq!(q.body["items"][0]["reference"], "CR/2/25");
        assert_eq!(t.get("/api/v1/duties?owner=me&state=met", &inv).await.body["total"], 1);
        // The team's open review, and the victim hub's breached referrals and Ann's late
        // acknowledgement.
        let team = t.get(&format!("/api/v1/duties?team={cid}&state=open"), &sup).await;
        assert_eq!(team.body["items"][0]["kind"], "review_investigation");
        assert_eq!(t.get("/api/v1/duties?role=victim_care&state=breached", &vc).await.body["total"], 3);
        assert_eq!(t.get("/api/v1/duties?state=sideways", &vc).await.invalid_fields(), ["/state"]);

        // The sweep escalates every late duty once, to supervisors: Bob's update and his
        // acknowledgement.
        let swept = t.app.sweep_escalations(&bluelamp_app::Ctx::operator("test")).await;
        assert_eq!(swept.ok().map(|s| (s.late, s.escalated)), Some((2, 2)));
        let again = t.app.sweep_escalations(&bluelamp_app::Ctx::operator("test")).await;
        assert_eq!(again.ok().map(|s| s.late), Some(0));
        let esc = t.get("/api/v1/duties?role=supervisor", &sup).await;
        assert_eq!(esc.body["total"], 2);
        assert_eq!(esc.body["items"][0]["escalation"], true);
        assert_eq!(esc.body["items"][0]["owed_to"], bob.as_str());
        // The crime shows that escalation once, recorded by the sweep.
        let after = t.get(&format!("/api/v1/crimes/{c}"), &sup).await;
        let bobs: Vec<&Value> = after.body["investigation"]["duties"].as_array().into_iter().flatten()
            .filter(|d| d["escalation"] == true && d["kind"] == "inform_victim" && d["owed_to"] == bob.as_str())
            .collect();
        assert_eq!(bobs.len(), 1, "{bobs:?}");

        // Satisfaction.
        let s = t.post(&format!("/api/v1/victims/{ann_v}/surveys"), &vc,
                       json!({"overall": "very_satisfied", "kept_informed": "fairly_satisfied", "treatment": "completely_satisfied"})).await;
        assert_eq!(s.status, StatusCode::CREATED, "{}", s.text);
        assert_eq!(t.get(&format!("/api/v1/victims/{ann_v}"), &inv).await.body["surveys"][0]["overall"], "very_satisfied");
    })
    .await;
}

#[tokio::test]
async fn a_handover_carries_its_checklist_and_may_be_returned() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["Response"], None).await;
        let resp = t.user("resp", &["investigator"], &["Response"], None).await;
        let cid_inv = t.user("cid", &["investigator"], &["CID"], None).await;
        let (_, response) = me(&t, &resp).await;
        let (_, cid) = me(&t, &cid_inv).await;
        let c = crime(&t, &resp, "CR/3/26", "49", "2026-01-05T10:00:00Z").await;
        act(&t, &sup, &c, "allocation", json!({"team_id": response, "risk": "low", "rationale": "Theft"})).await;

        let missing = t.post(&format!("/api/v1/crimes/{c}/handovers"), &resp,
                             json!({"to_team_id": cid, "checklist": {"statements": {"state": "done"}}})).await;
        assert_eq!(missing.invalid_fields(), ["/checklist/cctv", "/checklist/forensic_submissions", "/checklist/house_to_house",
                                              "/checklist/suspect_details", "/checklist/victim_contact"]);
        let why = t.post(&format!("/api/v1/crimes/{c}/handovers"), &resp,
                         json!({"to_team_id": cid, "checklist": checklist(json!({"state": "outstanding"}))})).await;
        assert_eq!(why.invalid_fields(), ["/checklist/cctv/note"]);
        let same = t.post(&format!("/api/v1/crimes/{c}/handovers"), &resp,
                          json!({"to_team_id": response, "checklist": checklist(json!({"state": "done"}))})).await;
        assert_eq!(same.invalid_fields(), ["/to_team_id"]);
        assert_eq!(t.count("handover").await, 0);

        let v = act(&t, &resp, &c, "handovers", json!({"to_team_id": cid, "note": "Series of thefts: CID lead",
                                                      "checklist": checklist(json!({"state": "done"}))})).await;
        let h = v["handovers"][0]["id"].as_str().unwrap_or_default().to_string();
        assert!(v["handovers"][0]["decision"].is_null());
        assert_eq!(v["handovers"][0]["checklist"][2], json!({"item": "forensic_submissions", "state": "outstanding", "note": "Glass sent to the lab, result awaited"}));
        let twice = t.post(&format!("/api/v1/crimes/{c}/handovers"), &resp,
                           json!({"to_team_id": cid, "checklist": checklist(json!({"state": "done"}))})).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        // Only the receiving team decides; a return needs reasons.
        let path = format!("handovers/{h}/decision");
        assert_eq!(t.post(&format!("/api/v1/crimes/{c}/{path}"), &resp, json!({"decision": "accepted"})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.post(&format!("/api/v1/crimes/{c}/{path}"), &cid_inv, json!({"decision": "returned"})).await.invalid_fields(), ["/reasons"]);
        let v = act(&t, &cid_inv, &c, &path, json!({"decision": "returned", "reasons": "No CCTV viewed yet"})).await;
        assert_eq!(v["handovers"][0]["decision"], "returned");
        assert_eq!(v["team_id"], response.as_str());

        // Handed over again and accepted: the team changes, the outstanding item becomes an
        // action, and the review is owed by the new team.
        let v = act(&t, &resp, &c, "handovers", json!({"to_team_id": cid, "checklist": checklist(json!({"state": "done"}))})).await;
        let h2 = v["handovers"][1]["id"].as_str().unwrap_or_default().to_string();
        let v = act(&t, &cid_inv, &c, &format!("handovers/{h2}/decision"), json!({"decision": "accepted"})).await;
        assert_eq!(v["team_id"], cid.as_str());
        assert!(v["investigator_id"].is_null());
        assert_eq!(v["plan"][0]["source"], "handover");
        assert!(v["plan"][0]["text"].as_str().unwrap_or("").starts_with("Forensic submissions (outstanding at handover)"));
        assert_eq!(duties(&v, "review_investigation")[0]["owed_by"], format!("team:{cid}"));
    })
    .await;
}

#[tokio::test]
async fn the_measures_count_outcomes_by_the_home_office_method() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["CID"], None).await;
        let inv = t.user("inv", &["investigator"], &["CID"], None).await;
        let an = t.user("an", &["analyst"], &[], None).await;
        let charged = crime(&t, &inv, "CR/10/26", "49", "2026-02-02T10:00:00Z").await;
        let filed = crime(&t, &inv, "CR/11/26", "49", "2026-02-03T10:00:00Z").await;
        crime(&t, &inv, "CR/12/26", "58C", "2026-02-04T10:00:00Z").await;
        // Fraud is recorded by Action Fraud: left out of the denominator.
        crime(&t, &inv, "CR/13/26", "CIFAS", "2026-02-04T10:00:00Z").await;
        // Recorded before the period: left out.
        crime(&t, &inv, "CR/1/25", "49", "2025-12-30T10:00:00Z").await;
        let suspect = t.person(&inv, "Dean", "Marsh", None).await;
        act(&t, &inv, &charged, "outcome", json!({"outcome": 1, "suspect_id": suspect, "charge_date": "2026-02-10",
                                                 "at": "2026-02-10T12:00:00Z", "rationale": "Charged"})).await;
        // Filed without allocation: a decision not to investigate, approved as recorded by a
        // supervisor.
        let v = act(&t, &sup, &filed, "outcome", json!({"outcome": 18, "investigation_complete": true,
                                                       "rationale": "No lines of enquiry"})).await;
        assert_eq!(v["state"], "finalised");

        let m = t.get("/api/v1/measures/investigation?from=2026-01-01&to=2026-03-01", &an).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.text);
        assert_eq!(m.body["crimes_recorded"], 3);
        assert_eq!(m.body["charge_summons"]["count"], 1);
        assert_eq!(m.body["open"]["count"], 1);
        let given: Vec<(i64, i64)> = m.body["outcomes"].as_array().into_iter().flatten()
            .map(|o| (o["number"].as_i64().unwrap_or(0), o["crimes"]["count"].as_i64().unwrap_or(0))).collect();
        assert_eq!(given, [(1, 1), (18, 1)]);
        assert!(m.body["method"].as_str().unwrap_or("").contains("Home Office method"));
        let code: Vec<&str> = m.body["victims_code"].as_array().into_iter().flatten()
            .map(|d| d["duty"].as_str().unwrap_or("")).collect();
        assert_eq!(code, ["acknowledge_victim", "refer_victim", "inform_victim", "agreed_update"]);
        let bad = t.get("/api/v1/measures/investigation?from=2026-03-01&to=2026-01-01", &an).await;
        assert_eq!(bad.invalid_fields(), ["/from"]);
        assert_eq!(t.get("/api/v1/measures/investigation", &t.user("ch", &["call_handler"], &[], None).await).await.status,
                   StatusCode::OK);
        let partner = t.user("p", &["partner"], &[], Some("IDVA")).await;
        assert_eq!(t.get("/api/v1/measures/investigation", &partner).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_force_adds_a_bank_holiday_to_its_calendar() {
    on_each_backend(|t| async move {
        use bluelamp_app::{App, Config, Ctx};
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 29).unwrap_or_default();
        let operator = Ctx::operator("test");
        assert!(!t.app.config.calendar.is_bank_holiday(day));
        let holidays = t
            .app
            .change_calendar(&operator, day, Some("A proclaimed day".into()))
            .await;
        assert!(holidays.is_ok_and(|h| {
            h.iter()
                .any(|h| h.date == day && h.to_string() == "A proclaimed day")
        }));
        // Christmas Day is one already: refused, naming the day, nothing stored.
        let christmas = chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap_or_default();
        match t
            .app
            .change_calendar(&operator, christmas, Some("Again".into()))
            .await
        {
            Err(bluelamp_app::AppError::Invalid(i)) => assert_eq!(i.0[0].field, "/day"),
            other => panic!("{other:?}"),
        }
        assert_eq!(t.count("calendar_change").await, 1);
        // Applied when the application next starts: a standard victim's update on the 23rd
        // now falls due a day later.
        let reopened = App::open_force(t.app.db.clone(), t.clock.clone(), Config::default()).await;
        let reopened = reopened.unwrap_or_else(|e| panic!("{e}"));
        assert!(reopened.config.calendar.is_bank_holiday(day));
        let from = chrono::NaiveDate::from_ymd_opt(2026, 12, 23).unwrap_or_default();
        assert_eq!(
            reopened.config.calendar.add_working_days(from, 5),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default()
        );
    })
    .await;
}

#[tokio::test]
async fn decisions_and_agreed_updates_are_duties_and_compliance_is_shown_by_development() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["Response"], None).await;
        let resp = t.user("resp", &["investigator"], &["Response"], None).await;
        let cid_inv = t.user("cid", &["investigator"], &["CID"], None).await;
        let an = t.user("an", &["analyst"], &[], None).await;
        let (resp_id, response) = me(&t, &resp).await;
        let (_, cid) = me(&t, &cid_inv).await;
        accredit(&t, &resp_id, 1).await;
        let c = crime(&t, &resp, "CR/20/26", "49", "2026-03-02T10:00:00Z").await;
        act(&t, &sup, &c, "allocation", json!({"team_id": response, "investigator_id": resp_id, "risk": "low", "rationale": "Theft"})).await;

        // A victim with enhanced entitlements, to be updated every 7 days: the
        // acknowledgement and the first agreed update are owed at once.
        let ann = t.person(&resp, "Ann", "Hale", Some("1990-01-01")).await;
        let res = t.post(&format!("/api/v1/crimes/{c}/victims"), &resp,
                         json!({"person_id": ann, "reported_at": "2026-03-02T10:00:00Z",
                                "assessment": {"intimidated": true, "referral": "referred", "explicit_consent": true,
                                               "contact_method": "phone", "update_every_days": 7}})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let ann_v = res.body["id"].as_str().unwrap_or_default().to_string();
        let ack = duties(&res.body, "acknowledge_victim");
        // Reported Monday 2 March 2026: acknowledged by the end of Tuesday 3 March.
        assert_eq!(ack[0]["due"], "2026-03-03T23:59:59Z");
        let agreed = duties(&res.body, "agreed_update");
        assert_eq!(agreed.len(), 1);
        assert_eq!(agreed[0]["owed_by"], format!("user:{resp_id}"));
        assert_eq!(agreed[0]["status"], "open");

        // A contact meets both and starts the next 7 days from itself.
        let res = t.post(&format!("/api/v1/victims/{ann_v}/contacts"), &resp,
                         json!({"method": "phone", "summary": "Acknowledged; crime reference given"})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let agreed = duties(&res.body, "agreed_update");
        assert_eq!(agreed.len(), 2, "{}", res.text);
        assert_eq!(agreed[0]["status"], "met");
        assert_eq!(agreed[1]["status"], "open");
        assert_eq!(duties(&res.body, "acknowledge_victim")[0]["status"], "breached");

        // An arrest and a charge: updates owed on each development.
        act(&t, &resp, &c, "developments", json!({"what": "arrest", "at": "2026-03-04T09:00:00Z"})).await;
        act(&t, &resp, &c, "developments", json!({"what": "released_on_bail", "at": "2026-03-04T18:00:00Z"})).await;

        // A handover is owed a decision by the receiving team, in 2 working days.
        let v = act(&t, &resp, &c, "handovers", json!({"to_team_id": cid, "checklist": checklist(json!({"state": "done"}))})).await;
        let owed = duties(&v, "decide_handover");
        assert_eq!(owed.len(), 1, "{v}");
        assert_eq!(owed[0]["owed_by"], format!("team:{cid}"));
        assert_eq!(owed[0]["status"], "open");
        let q = t.get(&format!("/api/v1/duties?team={cid}&state=unmet"), &cid_inv).await;
        assert!(q.body["items"].as_array().into_iter().flatten().any(|d| d["kind"] == "decide_handover"), "{}", q.text);
        let h = v["handovers"][0]["id"].as_str().unwrap_or_default().to_string();
        let v = act(&t, &cid_inv, &c, &format!("handovers/{h}/decision"), json!({"decision": "returned", "reasons": "Not ours"})).await;
        assert_eq!(duties(&v, "decide_handover")[0]["status"], "met");
        // Back with Response, the agreed updates stay with its investigator.
        assert!(duties(&v, "agreed_update").iter().all(|d| d["owed_by"] == format!("user:{resp_id}")));

        // An outcome 16 proposed by an investigator awaits a supervisor (force policy): a
        // duty of the team's supervisors until decided.
        let suspect = t.person(&resp, "Carl", "Dent", None).await;
        let v = act(&t, &resp, &c, "outcome", json!({"outcome": 16, "suspect_id": suspect, "victim_position": "does_not_support",
                                                     "at": "2026-03-05T12:00:00Z", "rationale": "Victim withdrew support"})).await;
        assert_eq!(v["outcomes"][0]["status"], "proposed", "{v}");
        let approval = duties(&v, "approve_outcome");
        assert_eq!(approval.len(), 1, "{v}");
        assert_eq!(approval[0]["owed_by"], format!("team:{response}"));
        let v = act(&t, &sup, &c, "outcome/decision", json!({"decision": "approve"})).await;
        assert_eq!(v["state"], "finalised");
        assert_eq!(duties(&v, "approve_outcome")[0]["status"], "met");
        // Finalised: the agreement ends, and no contact starts another period.
        assert!(duties(&v, "agreed_update").iter().all(|d| d["status"] == "met"), "{v}");
        let res = t.post(&format!("/api/v1/victims/{ann_v}/contacts"), &resp,
                         json!({"method": "phone", "summary": "Told the case is closed"})).await;
        assert_eq!(duties(&res.body, "agreed_update").len(), 2);

        // The measures show each duty, and updates by development and by entitlement.
        let m = t.get("/api/v1/measures/investigation?from=2026-01-01&to=2026-12-31", &an).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.text);
        let decisions: Vec<(&str, i64)> = m.body["decisions"].as_array().into_iter().flatten()
            .map(|d| (d["duty"].as_str().unwrap_or(""), d["raised"].as_i64().unwrap_or(-1))).collect();
        assert_eq!(decisions, [("decide_handover", 1), ("approve_outcome", 1)], "{}", m.text);
        let by_dev: Vec<(&str, i64)> = m.body["updates_by_development"].as_array().into_iter().flatten()
            .map(|d| (d["key"].as_str().unwrap_or(""), d["raised"].as_i64().unwrap_or(-1))).collect();
        assert_eq!(by_dev, [("arrest", 1), ("released_on_bail", 1), ("closed_no_charge", 1)], "{}", m.text);
        let by_ent: Vec<(&str, i64)> = m.body["updates_by_entitlement"].as_array().into_iter().flatten()
            .map(|d| (d["key"].as_str().unwrap_or(""), d["raised"].as_i64().unwrap_or(-1))).collect();
        assert_eq!(by_ent, [("enhanced", 3)], "{}", m.text);
    })
    .await;
}

/// The references of a duty queue's page.
fn references(v: &Value) -> Vec<&str> {
    let mut r: Vec<&str> = v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["reference"].as_str())
        .collect();
    r.sort_unstable();
    r
}

#[tokio::test]
async fn a_duty_about_a_record_hidden_from_its_owner_is_neither_listed_nor_counted() {
    on_each_backend(|t| async move {
        let sup = t.user("sup", &["supervisor"], &["CID"], None).await;
        let named = t.user("named", &["investigator"], &["CID"], None).await;
        let other = t.user("other", &["investigator"], &["CID"], None).await;
        t.user("mcu", &["investigator"], &["Major Crime"], None)
            .await;
        let (_, cid) = me(&t, &other).await;
        // Five thefts allocated to CID: the team owes five supervision reviews.
        let mut crimes = Vec::new();
        for n in 1..=5 {
            let c = crime(
                &t,
                &sup,
                &format!("CR/{n}/27"),
                "49",
                "2026-01-05T10:00:00Z",
            )
            .await;
            act(
                &t,
                &sup,
                &c,
                "allocation",
                json!({"team_id": cid, "risk": "low", "rationale": "Theft"}),
            )
            .await;
            crimes.push(c);
        }
        let all = ["CR/1/27", "CR/2/27", "CR/3/27", "CR/4/27", "CR/5/27"];
        let q = t.get("/api/v1/duties?state=unmet", &other).await;
        assert_eq!(
            (q.body["total"].as_i64(), references(&q.body)),
            (Some(5), all.to_vec()),
            "{}",
            q.text
        );

        // The first is restricted to one user, the second to another team, the third archived;
        // the fourth is shared with a partner agency.
        let restrict = |id: &String, body: Value| {
            let (t, sup, id) = (&t, &sup, id.clone());
            async move {
                let res = t
                    .put(&format!("/api/v1/records/{id}/restriction"), sup, body)
                    .await;
                assert_eq!(res.status, StatusCode::OK, "{}", res.text);
            }
        };
        restrict(&crimes[0], json!({"users": ["named"]})).await;
        restrict(&crimes[1], json!({"teams": ["Major Crime"]})).await;
        let res = t
            .post(
                &format!("/api/v1/records/{}/archive", crimes[2]),
                &sup,
                json!({"reason": "MoPI review: no further policing purpose"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let res = t
            .post(
                &format!("/api/v1/records/{}/shares", crimes[3]),
                &sup,
                json!({"agency": "Leicester IDVA"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);

        // Each tab lists and counts only what its owner may see; the supervisor who
        // restricted two of them is named on their restrictions.
        for (who, expected) in [
            (&other, vec!["CR/4/27", "CR/5/27"]),
            (&named, vec!["CR/1/27", "CR/4/27", "CR/5/27"]),
            (&sup, vec!["CR/1/27", "CR/2/27", "CR/4/27", "CR/5/27"]),
        ] {
            for state in ["unmet", "open"] {
                let q = t
                    .get(&format!("/api/v1/duties?state={state}&team={cid}"), who)
                    .await;
                assert_eq!(q.status, StatusCode::OK, "{}", q.text);
                assert_eq!(
                    (q.body["total"].as_i64(), references(&q.body)),
                    (Some(expected.len() as i64), expected.clone()),
                    "{state}: {}",
                    q.text
                );
            }
            let overdue = t
                .get(&format!("/api/v1/duties?state=overdue&team={cid}"), who)
                .await;
            assert_eq!(overdue.body["total"], 0, "{}", overdue.text);
        }
        // A page of one still counts them all, and the second page holds another.
        let p1 = t
            .get(&format!("/api/v1/duties?team={cid}&per_page=1"), &named)
            .await;
        let p2 = t
            .get(
                &format!("/api/v1/duties?team={cid}&per_page=1&page=2"),
                &named,
            )
            .await;
        assert_eq!(
            (p1.body["total"].as_i64(), p2.body["total"].as_i64()),
            (Some(3), Some(3))
        );
        assert_ne!(references(&p1.body), references(&p2.body));

        // A partner agency's member sees only what was shared with the agency.
        let team = cid
            .parse::<uuid::Uuid>()
            .map(bluelamp_domain::ids::TeamId::from_uuid)
            .ok();
        let partner = bluelamp_app::Ctx::new(
            bluelamp_domain::access::Actor {
                user_id: bluelamp_domain::ids::UserId::from_uuid(uuid::Uuid::now_v7()),
                username: "idva".into(),
                roles: vec![
                    bluelamp_domain::access::Role::Partner,
                    bluelamp_domain::access::Role::Investigator,
                ],
                teams: team.into_iter().collect(),
                agency: Some("Leicester IDVA".into()),
            },
            bluelamp_domain::audit::Channel::Api,
            None,
        );
        let page = t
            .app
            .duties(
                &partner,
                &bluelamp_app::duty::DutyQuery::default(),
                bluelamp_app::Page::FIRST,
            )
            .await;
        let seen = page.map(|p| {
            (
                p.total,
                p.items
                    .into_iter()
                    .filter_map(|i| i.reference)
                    .collect::<Vec<_>>(),
            )
        });
        assert_eq!(seen.ok(), Some((1, vec!["CR/4/27".to_string()])));
    })
    .await;
}

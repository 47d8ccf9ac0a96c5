//! Investigation and victim care on the pages (issue 5), driven as a browser drives them: a
//! supervisor allocates from the crime page, the investigator plans and records an arrest, a
//! victim-care officer records the victim and a contact on the contact log, the duties show
//! on "my duties" and the home page, the supervisor's team view shows the review due;
//! refused input is shown against its field with nothing written. On both databases.

use axum::http::StatusCode;
use bluelamp_testkit::{TestApp, TestResponse};
use serde_json::json;

use crate::on_each_backend;

fn location(res: &TestResponse) -> String {
    res.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

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

#[tokio::test]
async fn a_crime_is_worked_through_the_pages() {
    on_each_backend(|t| async move {
        let inv_token = t.user("ivy", &["investigator"], &["CID"], None).await;
        t.user("sam", &["supervisor"], &["CID"], None).await;
        t.user("vic", &["victim_care"], &["Victim hub"], None).await;
        let (ivy, cid) = me(&t, &inv_token).await;
        let res = t.put(&format!("/api/v1/users/{ivy}/accreditation"), &t.admin, json!({"pip_level": 1})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let crime = t
            .post("/api/v1/crimes", &inv_token, json!({"reference": "CR/9/26", "offence_code": "28E",
                   "committed_from": "2026-01-02T10:00:00Z", "recorded_at": "2026-01-02T11:00:00Z"}))
            .await
            .id();
        let person = t.person(&inv_token, "Ann", "Lowe", Some("1950-02-03")).await;
        let linked = t.post("/api/v1/links", &inv_token, json!({"from": person, "role": "victim_of", "to": crime})).await;
        assert_eq!(linked.status, StatusCode::CREATED, "{}", linked.text);

        // The supervisor sees the crime, recorded and unallocated, with the actions allowed.
        let sam = t.sign_in("sam").await;
        let page = sam.get(&format!("/crimes/{crime}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("Recorded, not yet allocated"));
        assert!(page.text.contains(&format!("/crimes/{crime}/allocation")));

        // A refused allocation is shown against its fields, and writes nothing.
        let bad = sam.submit(&format!("/crimes/{crime}/allocation"), &[("team_id", ""), ("risk", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("govuk-error-summary"));
        assert!(bad.text.contains("href=\"#team_id\""), "{}", bad.text);
        assert!(bad.text.contains("Why this allocation must not be blank"));
        assert_eq!(t.count("investigation_step").await, 0);

        let ok = sam
            .submit(&format!("/crimes/{crime}/allocation"), &[("team_id", &cid), ("investigator_id", &ivy),
                    ("seriousness", "standard"), ("risk", "high"), ("rationale", "Elderly victim, burglary at night")])
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        assert_eq!(location(&ok), format!("/crimes/{crime}?done=allocation"));
        let page = sam.get(&location(&ok)).await;
        assert!(page.text.contains("The investigation was allocated"));
        assert!(page.text.contains("Next review due"));

        // The team view shows it with the review due.
        let team = sam.get("/team").await;
        assert_eq!(team.status, StatusCode::OK, "{}", team.text);
        assert!(team.text.contains("CR/9/26"));

        // The investigator plans and records an arrest; "my investigations" lists it.
        let ivy_b = t.sign_in("ivy").await;
        let plan = ivy_b.submit(&format!("/crimes/{crime}/plan"), &[("lines_of_enquiry-0-text", "House-to-house in the street")]).await;
        assert_eq!(plan.status, StatusCode::SEE_OTHER, "{}", plan.text);
        let mine = ivy_b.get("/investigations").await;
        assert!(mine.text.contains("CR/9/26") && mine.text.contains("Under investigation"), "{}", mine.text);

        // The victim-care officer records the victim; explicit consent is not needed for a
        // burglary, the referral is made at once.
        let vic = t.sign_in("vic").await;
        let form = vic.get(&format!("/crimes/{crime}/victims")).await;
        assert!(form.text.contains("Ann"), "{}", form.text);
        let bad = vic.submit(&format!("/crimes/{crime}/victims"), &[("person_id", &person), ("assessment-contact_method", "phone")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("href=\"#assessment-referral\""), "{}", bad.text);
        assert_eq!(t.count("crime_victim").await, 0);
        let ok = vic
            .submit(&format!("/crimes/{crime}/victims"), &[("person_id", &person), ("assessment-vulnerable", "yes"),
                    ("assessment-referral", "referred"), ("assessment-contact_method", "phone")])
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);

        // An arrest: the enhanced victim's update falls due within a working day, owed by
        // the investigator, and shows on their duties and home page.
        let dev = ivy_b.submit(&format!("/crimes/{crime}/developments"), &[("what", "arrest")]).await;
        assert_eq!(dev.status, StatusCode::SEE_OTHER, "{}", dev.text);
        let duties = ivy_b.get("/duties?state=unmet").await;
        assert!(duties.text.contains("Update the victim"), "{}", duties.text);
        let home = ivy_b.get("/").await;
        assert!(home.text.contains("due today") || home.text.contains("overdue"), "{}", home.text);

        // The contact log: the victim is told, and the duty is met.
        let crime_page = vic.get(&format!("/crimes/{crime}")).await;
        let victim_href = crime_page
            .text
            .split("href=\"/victims/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|id| format!("/victims/{id}"))
            .unwrap_or_default();
        let log = vic.get(&victim_href).await;
        assert_eq!(log.status, StatusCode::OK, "{}", log.text);
        assert!(log.text.contains("Update the victim") && log.text.contains("Enhanced"));
        let bad = vic.submit(&format!("{victim_href}/contacts"), &[("method", "phone"), ("summary", ""), ("at", "yesterday")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("When must be a date and time in UK time"), "{}", bad.text);
        assert_eq!(t.count("victim_contact").await, 0);
        let ok = vic.submit(&format!("{victim_href}/contacts"), &[("method", "phone"), ("summary", "Told of the arrest"), ("vps", "made")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        let log = vic.get(&location(&ok)).await;
        assert!(log.text.contains("The contact was recorded") && log.text.contains("Told of the arrest"));
        assert!(log.text.contains("Met"), "{}", log.text);

        // The measures: a year to today by default; a bad period is named.
        let m = sam.get("/reviews/investigation?from=2026-01-01&to=2026-01-31").await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.text);
        assert!(m.text.contains("1 crime recorded (fraud excluded), of which 0 charged or summonsed and 1 still open."), "{}", m.text);
        assert!(m.text.contains("updates on each development (5 or 1 working days)"));
        let bad = sam.get("/reviews/investigation?from=2026-02-01&to=2026-01-01").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("The first day must be on or before the last day"));

        // A call handler cannot allocate: the 403 page.
        t.user("cal", &["call_handler"], &[], None).await;
        let cal = t.sign_in("cal").await;
        assert_eq!(cal.get(&format!("/crimes/{crime}/allocation")).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_victim_of_a_restricted_crime_opens_after_a_stated_reason() {
    on_each_backend(|t| async move {
        let soc = t.user("soc.one", &["investigator"], &["Serious Crime"], None).await;
        t.user("soc.two", &["investigator"], &["Serious Crime"], None).await;
        let lead = t.user("soc.lead", &["soc_officer"], &["Serious Crime"], None).await;
        t.user("pc.out", &["investigator"], &["Response"], None).await;
        let crime = t
            .post("/api/v1/crimes", &soc, json!({"reference": "CR/40/26", "offence_code": "92A",
                   "committed_from": "2026-02-02T10:00:00Z", "recorded_at": "2026-02-02T11:00:00Z"}))
            .await
            .id();
        let person = t.person(&soc, "Lena", "Marsh", Some("1988-04-05")).await;
        let v = t.post(&format!("/api/v1/crimes/{crime}/victims"), &soc,
                       json!({"person_id": person, "assessment": {"referral": "declined", "contact_method": "phone"}})).await;
        assert_eq!(v.status, StatusCode::CREATED, "{}", v.text);
        let victim = v.body["id"].as_str().unwrap_or_default().to_string();
        let r = t.put(&format!("/api/v1/records/{crime}/restriction"), &lead, json!({"teams": ["Serious Crime"]})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        // Outside the team the victim's file does not exist.
        let out = t.sign_in("pc.out").await;
        let hidden = out.get(&format!("/victims/{victim}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert!(!hidden.text.contains("Marsh"));

        // In the team, the file asks for a reason first, then opens, and the view is
        // audited with it.
        let two = t.sign_in("soc.two").await;
        let ask = two.get(&format!("/victims/{victim}")).await;
        assert_eq!(ask.status, StatusCode::SEE_OTHER);
        let step = location(&ask);
        assert!(step.starts_with(&format!("/records/{crime}/reason?next=")), "{step}");
        assert!(two.get(&step).await.text.contains("State your reason"));
        let stated = two
            .submit(&format!("/records/{crime}/reason"),
                    &[("reason", "Operation Wren victim review"), ("next", &format!("/victims/{victim}"))])
            .await;
        assert_eq!(location(&stated), format!("/victims/{victim}"));
        let open = two.get(&format!("/victims/{victim}")).await;
        assert_eq!(open.status, StatusCode::OK, "{}", open.text);
        assert!(open.text.contains("Lena"), "{}", open.text);
        // A contact logged with the reason stated.
        let logged = two
            .submit(&format!("/victims/{victim}/contacts"),
                    &[("method", "phone"), ("summary", "Acknowledged the report")])
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.text);
        let log = t.get(&format!("/api/v1/audit?record={crime}"), &t.admin).await;
        let entries = log.body.as_array().cloned().unwrap_or_default();
        assert!(
            entries.iter().any(|e| e["action"] == "victim.view" && e["reason"] == "Operation Wren victim review"),
            "{}", log.text
        );
    })
    .await;
}

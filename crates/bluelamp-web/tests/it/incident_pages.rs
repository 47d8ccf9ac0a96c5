//! First contact on the pages (issue 4), driven as a browser drives them: taking a call with
//! its THRIVE and seeing it queued, refused input shown in the error summary with nothing
//! written, re-assessment and its downgrades, attendance, the crime-recording decision and
//! closure, the queue's filters, the supervisor's review with its measures, and the 403 page
//! for a role without the action. Each runs on both databases.

use axum::http::StatusCode;
use bluelamp_testkit::{Browser, TestApp, TestResponse};
use chrono::{Duration, SecondsFormat, Utc};
use chrono_tz::Europe::London;
use serde_json::{Value, json};

use crate::on_each_backend;

const ELEMENTS: [&str; 6] = [
    "threat",
    "harm",
    "risk",
    "investigation",
    "vulnerability",
    "engagement",
];

/// A time `minutes` ago as a form takes it, in UK time.
fn uk_ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes))
        .with_timezone(&London)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// An RFC 3339 time `minutes` ago, for the API.
fn ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn location(res: &TestResponse) -> String {
    res.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The form fields of a THRIVE with every element at `levels`, each with a rationale.
fn thrive_fields(levels: [&str; 6]) -> Vec<(String, String)> {
    ELEMENTS
        .iter()
        .zip(levels)
        .flat_map(|(e, l)| {
            [
                (format!("thrive-{e}-level"), l.to_string()),
                (
                    format!("thrive-{e}-rationale"),
                    format!("The {e} is judged {l}"),
                ),
            ]
        })
        .collect()
}

/// The same THRIVE for the API.
fn thrive_json(levels: [&str; 6], factors: &[&str]) -> Value {
    let j = |i: usize| json!({"level": levels[i], "rationale": format!("The {} is judged {}", ELEMENTS[i], levels[i])});
    json!({
        "threat": j(0), "harm": j(1), "risk": j(2), "investigation": j(3),
        "vulnerability": {"level": levels[4], "rationale": "Lives alone", "factors": factors},
        "engagement": j(5),
    })
}

fn advice_json() -> Value {
    json!({"evidence_preservation": {"given": true},
           "crime_prevention": {"given": false, "reason": "The caller rang off first"}})
}

/// Submits owned fields.
async fn submit(b: &Browser<'_>, path: &str, fields: &[(String, String)]) -> TestResponse {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.submit(path, &refs).await
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Takes a call through the API and answers the incident's id.
async fn api_call(t: &TestApp, token: &str, body: Value) -> String {
    let res = t.post("/api/v1/incidents", token, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "take call: {}", res.text);
    res.id()
}

/// The text of the cells of the table row whose heading is `label`.
fn row_cells(html: &str, label: &str) -> Vec<String> {
    let Some(start) = html.find(&format!(">{label}</th>")) else {
        return vec![];
    };
    let rest = &html[start..];
    let row = &rest[..rest.find("</tr>").unwrap_or(rest.len())];
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let inner = &cell[cell.find('>').map_or(0, |i| i + 1)..];
            let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Whether `a` is on the page, before `b`.
fn before(html: &str, a: &str, b: &str) -> bool {
    matches!((html.find(a), html.find(b)), (Some(i), Some(j)) if i < j)
}

/// The part of a page from the heading with this id to the next `<h2`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let Some(start) = html.find(&format!("id=\"{id}\"")) else {
        return "";
    };
    let rest = &html[start..];
    let end = rest[1..].find("<h2").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[tokio::test]
async fn a_call_handler_takes_a_call_with_its_thrive_and_sees_it_queued_with_its_grade_and_why() {
    on_each_backend(|t| async move {
        t.user("ch.page", &["call_handler"], &[], None).await;
        let b = t.sign_in("ch.page").await;

        let home = b.get("/").await;
        assert!(home.text.contains("href=\"/incidents/new\""), "home and navigation link to taking a call");
        assert!(home.text.contains("href=\"/queues/incident-management\""));
        assert!(!home.text.contains("href=\"/reviews/first-contact\""), "the review is for supervisors");

        let blank = b.get("/incidents/new").await;
        assert_eq!(blank.status, StatusCode::OK);
        assert!(blank.text.contains("<h1 class=\"govuk-heading-xl\">Take a call</h1>"));
        assert!(
            blank.text.contains("id=\"grade\" name=\"grade\" type=\"radio\" value=\"\" checked"),
            "the grade THRIVE proposes is chosen by default"
        );
        assert!(blank.text.contains("<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">Harm: level</legend>"));
        assert!(blank.text.contains("for=\"thrive-harm-rationale\">Harm: rationale</label>"));

        let mut fields = pairs(&[
            ("reference", "inc-p1"),
            ("channel", "999"),
            ("received_at", &uk_ago(30)),
            ("occurred_at", &uk_ago(40)),
            ("category", "crime"),
            ("summary", "Ex-partner at the door,\r\nthreats made"),
            ("location-address_lines", "4 Saffron Lane\r\nLeicester"),
            ("location-postcode", "LE2 6UH"),
            ("advice-evidence_preservation-given", "yes"),
            ("advice-crime_prevention-given", "no"),
            ("advice-crime_prevention-reason", "The caller rang off first"),
            ("grade", ""),
            ("grade_rationale", ""),
        ]);
        fields.extend(thrive_fields(["high", "medium", "high", "medium", "high", "medium"]));
        fields.push(("thrive-vulnerability-factors".into(), "domestic_abuse".into()));
        fields.push(("thrive-vulnerability-factors".into(), "child".into()));
        fields.push((
            "thrive-risk-rationale".into(),
            "Threats escalating over a week.\r\n\r\nHe has a key.".into(),
        ));
        let res = submit(&b, "/incidents/new", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let to = location(&res);
        assert!(to.starts_with("/incidents/") && to.ends_with("?done=created"), "{to}");

        let page = b.get(&to).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.text;
        assert!(html.contains("The incident was recorded"));
        assert!(html.contains("<h1 class=\"govuk-heading-l\">INC-P1</h1>"));
        assert!(html.contains(">Emergency</strong>"));
        assert!(html.contains("Waiting in the queue"));
        assert!(html.contains("Waiting in the incident-management queue: Emergency grade; risk high"));
        assert!(
            html.contains("Threats escalating over a week.<br/><br/>He has a key."),
            "the rationale keeps its lines"
        );
        assert!(html.contains("Child (under 18); Domestic abuse"));
        assert!(html.contains("Emergency (threat, risk at least high and harm at least medium)"));
        assert!(html.contains("Not given: The caller rang off first"));
        assert!(html.contains("4 Saffron Lane"), "the address typed is the incident's location");
        assert!(html.contains("Re-assess (re-THRIVE)"));
        assert!(html.contains("Make the crime-recording decision"));
        assert!(section(html, "duties").contains("Make the crime-recording decision"));

        let queue = b.get("/queues/incident-management").await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.text);
        let id = to.trim_end_matches("?done=created");
        assert!(queue.text.contains(&format!("href=\"{id}\">INC-P1</a>")));
        assert!(queue.text.contains("1 incident waiting"));
        assert!(queue.text.contains(
            "Emergency grade; risk high; vulnerability high (child, domestic abuse); waiting"
        ));
        assert!(queue.text.contains("Child (under 18); Domestic abuse"));
        assert!(queue.text.contains("<caption class=\"govuk-table__caption govuk-table__caption--s\">The queue in order"));
    })
    .await;
}

#[tokio::test]
async fn an_incomplete_thrive_is_refused_on_the_page_naming_each_missing_element_and_writes_nothing()
 {
    on_each_backend(|t| async move {
        t.user("ch.page", &["call_handler"], &[], None).await;
        let b = t.sign_in("ch.page").await;
        let records = t.count("record").await;
        let audit = t.count("audit_event").await;

        let mut fields = pairs(&[
            ("reference", "INC-P2"),
            ("channel", "101"),
            ("received_at", "yesterday teatime"),
            ("category", "crime"),
            ("summary", "Shed broken into"),
        ]);
        // Harm left wholly blank; risk with a rationale but no level.
        fields.extend(
            thrive_fields(["high", "low", "low", "medium", "low", "low"])
                .into_iter()
                .filter(|(k, _)| !k.starts_with("thrive-harm") && k != "thrive-risk-level"),
        );
        fields.push(("thrive-vulnerability-factors".into(), "older_person".into()));
        let res = submit(&b, "/incidents/new", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        let html = &res.text;
        assert!(html.contains("<title>Error: Take a call"));
        assert!(html.contains("govuk-error-summary"));
        for (href, message) in [
            ("#thrive-harm-level", "Harm is missing: choose its level and give a rationale"),
            ("#thrive-risk-level", "Choose the level of risk"),
            ("#received_at", "When it was received must be a date and time in UK time, such as 2024-03-09 21:14"),
        ] {
            assert!(
                html.contains(&format!("<a href=\"{href}\">{message}")),
                "the summary links {href} to {message:?}: {html}"
            );
        }
        // The inline error beside the radios, and what was typed kept.
        assert!(html.contains("id=\"thrive-harm-level-error\" class=\"govuk-error-message\""));
        assert!(html.contains("aria-describedby=\" thrive-harm-level-error\""));
        assert!(html.contains("value=\"INC-P2\""));
        assert!(html.contains("The investigation is judged medium</textarea>"));
        assert!(html.contains("value=\"older_person\" checked"));
        assert!(html.contains("id=\"thrive-threat-level\" name=\"thrive-threat-level\" type=\"radio\" value=\"low\">"));
        assert!(html.contains("name=\"thrive-threat-level\" type=\"radio\" value=\"high\" checked"));

        // With the time put right, the missing advice checklist is named too.
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| if k == "received_at" { (k, uk_ago(5)) } else { (k, v) })
            .collect();
        let res = submit(&b, "/incidents/new", &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert!(res.text.contains(
            "<a href=\"#advice-evidence_preservation-given\">The advice checklist is required for an incident opened as a crime"
        ), "{}", res.text);
        assert!(res.text.contains("<a href=\"#thrive-harm-level\">Harm is missing"));
        assert!(!res.text.contains("href=\"#received_at\""));
        assert_eq!(t.count("record").await, records, "nothing is written");
        assert_eq!(t.count("incident").await, 0);
        assert_eq!(t.count("audit_event").await, audit, "not even an audit entry");
    })
    .await;
}

#[tokio::test]
async fn an_incident_opened_to_assess_later_waits_for_its_thrive_then_is_queued() {
    on_each_backend(|t| async move {
        t.user("ch.page", &["call_handler"], &[], None).await;
        let b = t.sign_in("ch.page").await;
        let mut fields = pairs(&[
            ("reference", "INC-P3"),
            ("channel", "online"),
            ("received_at", &uk_ago(10)),
            ("category", "anti_social_behaviour"),
            ("summary", "Youths kicking a ball against a fence"),
            ("assess_later", "yes"),
        ]);
        // Half a THRIVE typed before ticking "assess later" is not sent.
        fields.push(("thrive-threat-level".into(), "low".into()));
        let res = submit(&b, "/incidents/new", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let id = location(&res).trim_end_matches("?done=created").to_string();
        let page = b.get(&id).await;
        assert!(page.text.contains("Awaiting its THRIVE assessment"));
        assert!(page.text.contains("Not graded yet"));
        assert!(page.text.contains("Assess (THRIVE)"));
        assert!(
            page.text
                .contains("It can be closed once its THRIVE assessment is complete.")
        );
        let queue = b.get("/queues/incident-management").await;
        assert!(queue.text.contains("0 incidents waiting"));

        let form = b.get(&format!("{id}/assess")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.text
                .contains("<h1 class=\"govuk-heading-xl\">Assess the incident</h1>")
        );
        let res = submit(
            &b,
            &format!("{id}/assess"),
            &thrive_fields(["low", "low", "medium", "low", "low", "low"]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        assert_eq!(location(&res), format!("{id}?done=assessed"));
        let page = b.get(&location(&res)).await;
        assert!(page.text.contains(">Scheduled</strong>"));
        assert!(page.text.contains("Waiting in the queue"));
        let queue = b.get("/queues/incident-management").await;
        assert!(queue.text.contains(">INC-P3</a>"));
    })
    .await;
}

#[tokio::test]
async fn a_downgrade_without_a_rationale_is_refused_on_the_page_and_with_one_is_marked() {
    on_each_backend(|t| async move {
        let ch = t.user("ch.page", &["call_handler"], &[], None).await;
        let id = api_call(
            &t,
            &ch,
            json!({"reference": "INC-P4", "received_at": ago(20), "category": "concern_for_welfare",
                   "summary": "Older man not seen for two days",
                   "thrive": thrive_json(["high", "low", "low", "low", "medium", "low"], &["older_person"])}),
        )
        .await;
        let b = t.sign_in("ch.page").await;
        let here = format!("/incidents/{id}/assess");
        let form = b.get(&here).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains("The current grade is <strong>Priority</strong>"));
        assert!(form.text.contains("The threat is judged high</textarea>"), "the latest assessment is filled in");
        assert!(form.text.contains("name=\"thrive-threat-level\" type=\"radio\" value=\"high\" checked"));
        assert!(form.text.contains("value=\"older_person\" checked"));

        let lower = thrive_fields(["low", "low", "medium", "low", "low", "low"]);
        let res = submit(&b, &here, &lower).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert!(res.text.contains(
            "<a href=\"#grade_rationale\">A downgrade from priority to scheduled needs a rationale</a>"
        ), "{}", res.text);
        assert_eq!(t.count("thrive_assessment").await, 1, "the refused downgrade wrote nothing");

        let mut with_reason = lower.clone();
        with_reason.push((
            "grade_rationale".into(),
            "Neighbour has a key and found him well".into(),
        ));
        let res = submit(&b, &here, &with_reason).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = b.get(&format!("/incidents/{id}")).await;
        let html = &page.text;
        assert!(html.contains(">Downgraded</strong>"));
        assert!(html.contains("Assessment 2 (latest)"));
        assert!(html.contains("<strong class=\"govuk-tag govuk-tag--red\">Downgrade</strong>"));
        assert!(html.contains(
            "Downgraded from Priority to Scheduled. Rationale: Neighbour has a key and found him well"
        ));
        assert!(before(html, "Assessment 2 (latest)", "Assessment 1:"), "the latest first");
    })
    .await;
}

#[tokio::test]
async fn attendance_the_crime_recording_decision_and_closure_are_recorded_on_the_pages() {
    on_each_backend(|t| async move {
        let ch = t.user("ch.page", &["call_handler"], &[], None).await;
        t.user("sup.page", &["supervisor"], &[], None).await;
        // A crime with lines of enquiry (investigation medium), resolved by telephone.
        let phone = api_call(
            &t,
            &ch,
            json!({"reference": "INC-P5", "received_at": ago(90), "category": "crime",
                   "summary": "Car window smashed, bag taken",
                   "thrive": thrive_json(["low", "low", "low", "medium", "low", "low"], &[]),
                   "advice": advice_json()}),
        )
        .await;
        // An emergency, attended.
        let attended = api_call(
            &t,
            &ch,
            json!({"reference": "INC-P6", "received_at": ago(8), "category": "domestic",
                   "summary": "Shouting and screaming next door",
                   "thrive": thrive_json(["high", "high", "high", "medium", "high", "medium"], &["domestic_abuse"])}),
        )
        .await;
        let b = t.sign_in("ch.page").await;

        let here = format!("/incidents/{phone}/attendance");
        let form = b.get(&here).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains("value=\"not_attending\""));
        assert!(!form.text.contains("value=\"arrived\""), "nobody is deployed yet");
        let res = submit(&b, &here, &pairs(&[("kind", "not_attending"), ("rationale", " ")])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text.contains("<a href=\"#rationale\">Give the rationale for the decision</a>"));
        let res = submit(
            &b,
            &here,
            &pairs(&[("kind", "not_attending"), ("rationale", "Victim content with a telephone investigation")]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);

        let here = format!("/incidents/{phone}/crime-recording-decision");
        let res = submit(
            &b,
            &here,
            &pairs(&[
                ("decision", "crime"),
                ("crimes-0-reference", ""),
                ("crimes-1-reference", "CR/300/24"),
                ("crimes-1-offence_code", "ZZZ"),
            ]),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert!(res.text.contains("<a href=\"#crimes-1-offence_code\">Crime 2 offence code must be a Home Office offence code"), "{}", res.text);
        assert!(res.text.contains("value=\"CR/300/24\""));
        assert_eq!(t.count("crime").await, 0);
        let res = submit(
            &b,
            &here,
            &pairs(&[
                ("decision", "crime"),
                ("crimes-1-reference", "CR/300/24"),
                ("crimes-1-offence_code", "45"),
            ]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);

        let here = format!("/incidents/{phone}/closure");
        let res = submit(&b, &here, &pairs(&[("closing_category", "crime")])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text.contains("<a href=\"#result\">Choose how the incident ended</a>"));
        let res = submit(
            &b,
            &here,
            &pairs(&[("closing_category", "crime"), ("result", "crime_recorded")]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = b.get(&location(&res)).await;
        let html = &page.text;
        assert!(html.contains("The incident was closed"));
        assert!(html.contains("For a supervisor's review: closed as a crime without attendance"), "{html}");
        assert!(html.contains("Not attending: resolved without deployment"));
        assert!(html.contains("Recorded as a crime"));
        assert!(html.contains("CR/300/24: "), "the crime recorded is named");
        assert!(!html.contains("Re-assess (re-THRIVE)"), "nothing more to do on a closed incident");
        let closed_again = b.get(&here).await;
        assert_eq!(closed_again.status, StatusCode::CONFLICT);

        // Deployed, then arrived within the emergency target.
        let here = format!("/incidents/{attended}/attendance");
        let res = submit(
            &b,
            &here,
            &pairs(&[("kind", "deployed"), ("rationale", "Emergency: nearest unit")]),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let form = b.get(&here).await;
        assert!(form.text.contains("value=\"arrived\""));
        let res = submit(&b, &here, &pairs(&[("kind", "arrived"), ("at", "")])).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text.contains("<a href=\"#at\">The time is required: when the officers arrived</a>"), "{}", res.text);
        // Three minutes later by the application's clock, the officers arrive.
        t.clock.advance(Duration::minutes(3));
        let arrived = t.app.now().with_timezone(&London).format("%Y-%m-%d %H:%M").to_string();
        let res = submit(&b, &here, &pairs(&[("kind", "arrived"), ("at", &arrived)])).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = b.get(&format!("/incidents/{attended}")).await;
        assert!(section(&page.text, "attendance").contains(">Met</strong> (Emergency)"), "{}", page.text);

        let sup = t.sign_in("sup.page").await;
        let review = sup.get("/reviews/first-contact").await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.text);
        assert!(section(&review.text, "closed-without-attendance").contains(">INC-P5</a>"));
        assert_eq!(
            row_cells(&review.text, "Closed without attendance, of crimes closed"),
            ["1", "1", "100.0%"]
        );
        assert_eq!(row_cells(&review.text, "Emergency"), ["1", "1", "100.0%"]);
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_sees_downgrades_and_overdue_crime_recording_decisions_with_the_measures() {
    on_each_backend(|t| async move {
        let ch = t.user("ch.page", &["call_handler"], &[], None).await;
        t.user("sup.page", &["supervisor"], &[], None).await;
        let undecided = api_call(
            &t,
            &ch,
            json!({"reference": "INC-R1", "received_at": ago(30), "category": "crime",
                   "summary": "Bicycle stolen from outside the library",
                   "thrive": thrive_json(["low", "low", "medium", "low", "low", "low"], &[]),
                   "advice": advice_json()}),
        )
        .await;
        let downgraded = api_call(
            &t,
            &ch,
            json!({"reference": "INC-R2", "received_at": ago(20), "category": "suspicious",
                   "summary": "Man trying car door handles",
                   "thrive": thrive_json(["high", "low", "medium", "low", "low", "low"], &[])}),
        )
        .await;
        let res = t
            .post(
                &format!("/api/v1/incidents/{downgraded}/assessments"),
                &ch,
                json!({"thrive": thrive_json(["low", "low", "medium", "low", "low", "low"], &[]),
                       "grade_rationale": "He was the owner, locked out"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

        // A day later the decision is overdue (NCRS: 24 hours from the report).
        t.clock.advance(Duration::hours(25));
        let b = t.sign_in("sup.page").await;
        let home = b.get("/").await;
        assert!(home.text.contains("href=\"/reviews/first-contact\""));
        let page = b.get("/reviews/first-contact").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let html = &page.text;
        let downgrades = section(html, "downgrades");
        assert!(
            downgrades.contains(&format!("href=\"/incidents/{downgraded}\">INC-R2</a>")),
            "{html}"
        );
        assert!(
            downgrades
                .contains("Downgraded from Priority to Scheduled: He was the owner, locked out"),
            "{downgrades}"
        );
        let overdue = section(html, "overdue-decisions");
        assert!(overdue.contains(&format!("href=\"/incidents/{undecided}\">INC-R1</a>")));
        assert!(overdue.contains("Crime-recording decision overdue"));
        assert!(!overdue.contains("INC-R2"), "not a crime: no decision owed");

        // The measures of the last 28 days, in tables with captions.
        assert!(html.contains("2 incidents received."));
        assert_eq!(
            row_cells(html, "Downgrades, of re-assessments"),
            ["1", "1", "100.0%"]
        );
        assert_eq!(
            row_cells(
                html,
                "Crime-recording decision within 24 hours of the report"
            ),
            ["1", "0", "0", "1", "0", "0.0%"]
        );
        assert_eq!(
            row_cells(
                html,
                "Advice checklist recorded, of incidents opened as crimes"
            ),
            ["1", "1", "100.0%"]
        );
        for caption in [
            "Deadlines: THRIVE completion and crime-recording decisions",
            "Re-grades and downgrades",
            "Attendance within target, by grade",
            "Advice at first contact",
            "Crimes closed without attendance",
        ] {
            assert!(
                html.contains(&format!("govuk-table__caption--m\">{caption}</caption>")),
                "{caption}"
            );
        }
        assert!(html.contains("No arrivals were recorded in the period."));

        // Another period: one before these incidents, then a bad date.
        let earlier = b
            .get("/reviews/first-contact?from=2020-01-01&to=2020-01-31")
            .await;
        assert_eq!(earlier.status, StatusCode::OK);
        assert!(earlier.text.contains("From 1 Jan 2020 to 31 Jan 2020"));
        assert!(earlier.text.contains("0 incidents received."));
        let bad = b
            .get("/reviews/first-contact?from=2020-02-30&to=2020-01-01")
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text
                .contains("<a href=\"#from\">The first day must be a date such as 2024-03-09</a>")
        );
        let backwards = b
            .get("/reviews/first-contact?from=2020-02-01&to=2020-01-01")
            .await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            backwards
                .text
                .contains("<a href=\"#from\">The first day must be on or before the last day</a>")
        );

        // The incident page shows the supervisor the escalation of the late decision.
        let incident = b.get(&format!("/incidents/{undecided}")).await;
        let duties = section(&incident.text, "duties");
        assert!(
            duties.contains("Escalated: Make the crime-recording decision"),
            "{duties}"
        );
        assert!(duties.contains("Overdue by"));
    })
    .await;
}

#[tokio::test]
async fn the_queue_is_filtered_by_grade_and_area_and_paged_without_javascript() {
    on_each_backend(|t| async move {
        let ch = t.user("ch.page", &["call_handler"], &[], None).await;
        let lpa = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "local_policing_area", "code": "LPA1", "name": "City"}))
            .await;
        assert_eq!(lpa.status, StatusCode::CREATED, "{}", lpa.text);
        let hood = t
            .post(
                "/api/v1/areas",
                &t.admin,
                json!({"kind": "neighbourhood", "code": "N1", "name": "Saffron", "parent": lpa.id(),
                       "lsoa_codes": ["E01013605"]}),
            )
            .await;
        assert_eq!(hood.status, StatusCode::CREATED, "{}", hood.text);
        api_call(
            &t,
            &ch,
            json!({"reference": "INC-Q1", "received_at": ago(30), "category": "domestic", "summary": "Fight",
                   "location": {"address_lines": ["4 Saffron Lane"], "lsoa_code": "E01013605"},
                   "thrive": thrive_json(["high", "high", "high", "low", "low", "low"], &[])}),
        )
        .await;
        for i in 0..21 {
            api_call(
                &t,
                &ch,
                json!({"reference": format!("INC-S{i:02}"), "received_at": ago(60 - i), "category": "suspicious",
                       "summary": "Noise", "thrive": thrive_json(["low", "low", "medium", "low", "low", "low"], &[])}),
            )
            .await;
        }
        let b = t.sign_in("ch.page").await;

        let all = b.get("/queues/incident-management").await;
        assert!(all.text.contains("22 incidents waiting"));
        assert!(all.text.contains("<option value=\"\" selected>All areas</option>"));
        assert!(all.text.contains(&format!("<option value=\"{}\">City (local policing area)</option>", lpa.id())));
        assert!(all.text.contains("rel=\"next\""), "a second page");
        assert!(before(&all.text, ">INC-Q1</a>", ">INC-S00</a>"), "the emergency first");

        let second = b.get("/queues/incident-management?area=&grade=&page=2").await;
        assert!(second.text.contains(">INC-S20</a>"), "the newest scheduled call last");
        assert!(second.text.contains("aria-current=\"page\">2</a>"));

        let emergency = b.get("/queues/incident-management?area=&grade=emergency").await;
        assert_eq!(emergency.status, StatusCode::OK);
        assert!(emergency.text.contains("1 incident waiting (filtered)"));
        assert!(emergency.text.contains(">INC-Q1</a>"));
        assert!(!emergency.text.contains(">INC-S00</a>"));
        assert!(emergency.text.contains("<option value=\"emergency\" selected>Emergency</option>"));

        let scheduled = b.get("/queues/incident-management?grade=scheduled").await;
        assert!(scheduled.text.contains("21 incidents waiting (filtered)"));
        assert!(!scheduled.text.contains(">INC-Q1</a>"));

        let city = b.get(&format!("/queues/incident-management?area={}", lpa.id())).await;
        assert!(city.text.contains("1 incident waiting (filtered)"), "the area's neighbourhoods count");
        assert!(city.text.contains(">INC-Q1</a>"));

        let bad = b.get("/queues/incident-management?grade=urgent").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("<a href=\"#grade\">Grade must be a response grade"));
    })
    .await;
}

#[tokio::test]
async fn a_role_without_the_action_gets_the_403_page() {
    on_each_backend(|t| async move {
        let ch = t.user("ch.page", &["call_handler"], &[], None).await;
        t.user("iv.page", &["investigator"], &[], None).await;
        t.user("an.page", &["analyst"], &[], None).await;
        let id = api_call(
            &t,
            &ch,
            json!({"reference": "INC-F1", "received_at": ago(30), "category": "crime", "summary": "Theft",
                   "thrive": thrive_json(["low", "low", "medium", "low", "low", "low"], &[]),
                   "advice": advice_json()}),
        )
        .await;
        let iv = t.sign_in("iv.page").await;
        let page = iv.get(&format!("/incidents/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Make the crime-recording decision"), "investigators decide on crimes");
        assert!(!page.text.contains("Re-assess"));
        assert!(!page.text.contains("Record attendance"));
        assert!(!page.text.contains("Close the incident"));
        assert!(!iv.get("/").await.text.contains("/queues/incident-management"));

        for path in ["assess", "attendance", "closure"] {
            let get = iv.get(&format!("/incidents/{id}/{path}")).await;
            assert_eq!(get.status, StatusCode::FORBIDDEN, "GET {path}");
            assert!(get.text.contains("You cannot do this"));
            let post = submit(&iv, &format!("/incidents/{id}/{path}"), &pairs(&[("kind", "deployed"), ("rationale", "x")])).await;
            assert_eq!(post.status, StatusCode::FORBIDDEN, "POST {path}");
            assert!(post.text.contains("You cannot do this"));
        }
        assert_eq!(iv.get("/queues/incident-management").await.status, StatusCode::FORBIDDEN);
        assert_eq!(iv.get(&format!("/incidents/{id}/crime-recording-decision")).await.status, StatusCode::OK);

        let an = t.sign_in("an.page").await;
        let new = an.get("/incidents/new").await;
        assert_eq!(new.status, StatusCode::FORBIDDEN);
        let post = submit(&an, "/incidents/new", &pairs(&[("reference", "INC-F2")])).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(an.get("/reviews/first-contact").await.status, StatusCode::FORBIDDEN);
        assert_eq!(t.count("incident").await, 1);
        assert_eq!(t.count("thrive_assessment").await, 1);
    })
    .await;
}

/// The incident page names who assessed, recorded attendance and decided by their display
/// names, as the crime and victim pages do; the API keeps the ids and adds the names.
#[tokio::test]
async fn the_incident_page_names_its_assessors_and_deciders() {
    on_each_backend(|t| async move {
        let made = t
            .post("/api/v1/users", &t.admin, json!({"username": "ch.named", "display_name": "Priya Shah",
                   "password": bluelamp_testkit::PASSWORD, "roles": ["call_handler"]}))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
        let ch = t.token("ch.named", bluelamp_testkit::PASSWORD).await.body["token"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        t.user("sup.named", &["supervisor"], &[], None).await;
        let id = api_call(
            &t,
            &ch,
            json!({"reference": "INC-N1", "received_at": ago(30), "category": "crime", "summary": "Theft of a bicycle",
                   "thrive": thrive_json(["medium", "low", "low", "medium", "low", "low"], &[]),
                   "advice": advice_json()}),
        )
        .await;
        let dep = t
            .post(&format!("/api/v1/incidents/{id}/attendance"), &ch,
                  json!({"kind": "not_attending", "rationale": "Resolved by telephone"}))
            .await;
        assert_eq!(dep.status, StatusCode::CREATED, "{}", dep.text);
        let dec = t
            .post(&format!("/api/v1/incidents/{id}/crime-recording-decision"), &ch,
                  json!({"decision": "not_a_crime", "reason": "The bicycle was found"}))
            .await;
        assert_eq!(dec.status, StatusCode::CREATED, "{}", dec.text);
        let user_id = dec.body["assessments"][0]["assessed_by"].as_str().unwrap_or_default().to_string();
        assert!(!user_id.is_empty(), "the API keeps the id");
        assert_eq!(dec.body["assessments"][0]["assessed_by_name"], "Priya Shah");
        assert_eq!(dec.body["attendance"][0]["recorded_by_name"], "Priya Shah");
        assert_eq!(dec.body["crime_recording_decision"]["decided_by_name"], "Priya Shah");

        let sup = t.sign_in("sup.named").await;
        let page = sup.get(&format!("/incidents/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let html = &page.text;
        assert!(!html.contains(&user_id), "no user is shown by id");
        assert!(!html.contains("User 0"), "no user is shown as a number");
        assert!(section(html, "assessments").contains("Priya Shah"), "the assessor");
        assert!(section(html, "attendance").contains("Priya Shah"), "who recorded attendance");
        assert!(section(html, "crime-recording").contains("Priya Shah"), "who decided");
        // The one who did it sees themselves.
        let own = t.sign_in("ch.named").await.get(&format!("/incidents/{id}")).await;
        assert!(own.text.contains("You (Priya Shah)"));
    })
    .await;
}

/// A call taken on the page with its reference left blank is numbered: the next of the
/// day's calls.
#[tokio::test]
async fn a_call_taken_on_the_page_without_a_reference_is_numbered() {
    on_each_backend(|t| async move {
        t.user("ch.page", &["call_handler"], &[], None).await;
        let b = t.sign_in("ch.page").await;
        let blank = b.get("/incidents/new").await;
        assert!(blank.text.contains("Incident reference (optional)"));
        assert!(
            blank
                .text
                .contains("Leave blank to give it the next number of today")
        );
        let fields = pairs(&[
            ("reference", ""),
            ("channel", "101"),
            ("received_at", &uk_ago(10)),
            ("category", "alarm"),
            ("summary", "Intruder alarm sounding"),
            ("assess_later", "yes"),
        ]);
        let res = submit(&b, "/incidents/new", &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
        let page = b.get(&location(&res)).await;
        let day = t
            .app
            .now()
            .with_timezone(&London)
            .format("%Y%m%d")
            .to_string();
        assert!(
            page.text
                .contains(&format!("<h1 class=\"govuk-heading-l\">{day}-0001</h1>")),
            "{}",
            page.text
        );
    })
    .await;
}

/// A role that may record but not assess (an investigator) is not offered the call form,
/// and is refused it and its submission with the 403 page: the same check in the app.
#[tokio::test]
async fn the_call_form_is_neither_offered_nor_shown_to_a_role_that_cannot_submit_it() {
    on_each_backend(|t| async move {
        t.user("iv.call", &["investigator"], &[], None).await;
        let iv = t.sign_in("iv.call").await;
        let home = iv.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            !home.text.contains("href=\"/incidents/new\""),
            "no link or button"
        );
        assert!(!home.text.contains("Take a call"));
        let get = iv.get("/incidents/new").await;
        assert_eq!(get.status, StatusCode::FORBIDDEN);
        assert!(get.text.contains("You cannot do this"));
        assert!(
            !get.text
                .contains("<h1 class=\"govuk-heading-xl\">Take a call</h1>")
        );
        let fields = pairs(&[
            ("reference", "INC-IV"),
            ("received_at", &uk_ago(10)),
            ("category", "alarm"),
            ("summary", "Intruder alarm"),
            ("assess_later", "yes"),
        ]);
        let post = submit(&iv, "/incidents/new", &fields).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(t.count("incident").await, 0);
    })
    .await;
}

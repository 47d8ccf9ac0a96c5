//! Incidents and crimes: recorded, opened and listed through the API, validated field by
//! field, hidden when restricted, and linked to victims, suspects and places.

use axum::http::StatusCode;
use bluelamp_testkit::TestApp;
use serde_json::{Value, json};

use crate::on_each_backend;

fn items(res: &Value) -> Vec<String> {
    res["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["reference"].as_str().map(str::to_string))
        .collect()
}

async fn crime(t: &TestApp, token: &str, reference: &str, code: &str) -> String {
    let res = t
        .post(
            "/api/v1/crimes",
            token,
            json!({"reference": reference, "offence_code": code, "committed_from": "2024-03-09T21:00:00Z",
                   "recorded_at": "2024-03-09T23:00:00Z"}),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::CREATED,
        "create crime: {}",
        res.text
    );
    res.id()
}

#[tokio::test]
async fn incidents_and_crimes_are_recorded_opened_and_listed() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let place = t
            .post("/api/v1/locations", &ch, json!({"address_lines": ["12 London Road"], "postcode": "LE2 0QB"}))
            .await;
        assert_eq!(place.status, StatusCode::CREATED, "{}", place.text);
        let inc = t
            .post(
                "/api/v1/incidents",
                &ch,
                json!({"reference": "20240309-0123", "received_at": "2024-03-09T22:14:00+01:00", "category": "domestic",
                       "location_id": place.id(), "summary": "Neighbour reports shouting and a crash"}),
            )
            .await;
        assert_eq!(inc.status, StatusCode::CREATED, "{}", inc.text);
        assert_eq!(inc.body["received_at"], "2024-03-09T21:14:00Z", "stored in UTC");
        assert_eq!(inc.body["links"][0]["role"], "occurred_at");
        assert_eq!(inc.body["links"][0]["label"], "12 London Road, LE2 0QB");
        let got = t.get(&format!("/api/v1/incidents/{}", inc.id()), &ch).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text);
        assert_eq!(got.body["category"], "domestic");

        let c = t
            .post(
                "/api/v1/crimes",
                &ch,
                json!({"reference": "cr/000123/24", "offence_code": "8n", "committed_from": "2024-03-09T21:00:00Z",
                       "committed_to": "2024-03-09T21:10:00Z", "recorded_at": "2024-03-09T23:10:00Z",
                       "domestic_abuse": true, "location_id": place.id(), "incident_id": inc.id()}),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
        assert_eq!(c.body["reference"], "CR/000123/24");
        assert_eq!(c.body["offence_code"], "8N");
        assert_eq!(c.body["offence_group"], "violence_against_the_person");
        assert_eq!(c.body["offence_subgroup"], "Violence with injury");
        assert_eq!(c.body["police_uk_category"], "Violence and Sexual Offences");
        assert_eq!(c.body["incident_id"], inc.id().as_str());
        crime(&t, &ch, "CR/000124/24", "46").await;

        let violent = t.get("/api/v1/crimes?offence_group=violence_against_the_person", &ch).await;
        assert_eq!(violent.status, StatusCode::OK, "{}", violent.text);
        assert_eq!(items(&violent.body), ["CR/000123/24"]);
        let theft = t.get("/api/v1/crimes?offence_group=theft_offences&domestic_abuse=false", &ch).await;
        assert_eq!(items(&theft.body), ["CR/000124/24"]);
        let da = t.get("/api/v1/crimes?domestic_abuse=true&from=2024-03-09&to=2024-03-10", &ch).await;
        assert_eq!(items(&da.body), ["CR/000123/24"]);
        let later = t.get("/api/v1/crimes?from=2024-03-10", &ch).await;
        assert_eq!(items(&later.body), Vec::<String>::new());
        let all = t.get("/api/v1/crimes?per_page=1", &ch).await;
        assert_eq!(all.body["has_more"], true);
        let domestic = t.get("/api/v1/incidents?category=domestic", &ch).await;
        assert_eq!(items(&domestic.body), ["20240309-0123"]);
        let bad = t.get("/api/v1/crimes?offence_group=burglary&from=yesterday", &ch).await;
        assert_eq!(bad.invalid_fields(), ["/offence_group", "/from"]);
        // Listing is a consultation, audited with what it showed.
        let log = t.get("/api/v1/audit", &t.admin).await;
        assert!(log.body.as_array().into_iter().flatten().any(|e| e["action"] == "crime.list"));
    })
    .await;
}

#[tokio::test]
async fn bad_events_name_their_fields_and_write_nothing() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let res = t
            .post(
                "/api/v1/incidents",
                &ch,
                json!({"reference": "no spaces", "received_at": "2999-01-01T00:00:00Z", "category": "party", "summary": ""}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.content_type(), "application/problem+json");
        assert_eq!(res.invalid_fields(), ["/reference", "/received_at", "/category", "/summary"]);
        let res = t
            .post(
                "/api/v1/crimes",
                &ch,
                json!({"reference": "CR/1/24", "offence_code": "999", "committed_from": "2024-03-09T21:00:00Z",
                       "committed_to": "2024-03-09T20:00:00Z", "recorded_at": "2024-03-09T20:30:00Z"}),
            )
            .await;
        assert_eq!(res.invalid_fields(), ["/offence_code", "/committed_to", "/recorded_at"]);
        let res = t.post("/api/v1/crimes", &ch, json!({"reference": "CR/1/24"})).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.invalid_fields(), ["/offence_code"]);
        // A record of the wrong kind, or none, is an invalid field.
        let person = t.person(&ch, "Dev", "Patel", None).await;
        let res = t
            .post(
                "/api/v1/crimes",
                &ch,
                json!({"reference": "CR/1/24", "offence_code": "8N", "committed_from": "2024-03-09T21:00:00Z",
                       "recorded_at": "2024-03-09T23:00:00Z", "location_id": person,
                       "incident_id": "0190a000-0000-7000-8000-000000000000"}),
            )
            .await;
        assert_eq!(res.invalid_fields(), ["/location_id"]);
        assert_eq!(t.count("incident").await + t.count("crime").await, 0);
        assert_eq!(t.count("record").await, 1, "only the person");
        // A reference is used once.
        crime(&t, &ch, "CR/1/24", "8N").await;
        let res = t
            .post(
                "/api/v1/crimes",
                &ch,
                json!({"reference": "cr/1/24", "offence_code": "46", "committed_from": "2024-03-09T21:00:00Z",
                       "recorded_at": "2024-03-09T23:00:00Z"}),
            )
            .await;
        assert_eq!(res.invalid_fields(), ["/reference"]);
        assert_eq!(t.count("crime").await, 1);
        // Analysts read but do not record.
        let analyst = t.user("an1", &["analyst"], &[], None).await;
        let res = t
            .post(
                "/api/v1/incidents",
                &analyst,
                json!({"reference": "1", "received_at": "2024-03-09T21:00:00Z", "category": "alarm", "summary": "Alarm"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_restricted_crime_is_invisible_to_everyone_not_named() {
    on_each_backend(|t| async move {
        let soc = t
            .user(
                "soc1",
                &["soc_officer"],
                &["Serious Organised Crime Unit"],
                None,
            )
            .await;
        let colleague = t
            .user(
                "soc2",
                &["soc_officer"],
                &["Serious Organised Crime Unit"],
                None,
            )
            .await;
        let outsider = t.user("pc9", &["investigator"], &["Response"], None).await;
        let id = crime(&t, &soc, "CR/9/24", "92A").await;
        let open = crime(&t, &soc, "CR/10/24", "92A").await;
        let res = t
            .put(
                &format!("/api/v1/records/{id}/restriction"),
                &soc,
                json!({"teams": ["Serious Organised Crime Unit"]}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(
            t.get(&format!("/api/v1/crimes/{id}"), &outsider)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get_with_reason(&format!("/api/v1/crimes/{id}"), &outsider, "curious")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let listed = t
            .get("/api/v1/crimes?offence_group=drug_offences", &outsider)
            .await;
        assert_eq!(
            items(&listed.body),
            ["CR/10/24"],
            "the list does not reveal it"
        );
        let suspect = t.person(&outsider, "Kingsley", "Mensah", None).await;
        let link = t
            .post(
                "/api/v1/links",
                &outsider,
                json!({"from": suspect, "role": "suspect_in", "to": id}),
            )
            .await;
        assert_eq!(
            link.invalid_fields(),
            ["/to"],
            "a hidden crime cannot be linked, and is not revealed"
        );
        let res = t.get(&format!("/api/v1/crimes/{id}"), &colleague).await;
        assert_eq!(res.body["type"], "/api/problems/reason-required");
        let res = t
            .get_with_reason(&format!("/api/v1/crimes/{id}"), &colleague, "Operation Elm")
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["restricted"], true);
        let listed = t
            .get("/api/v1/crimes?offence_group=drug_offences", &colleague)
            .await;
        assert_eq!(items(&listed.body).len(), 2);
        assert_eq!(
            t.get(&format!("/api/v1/crimes/{open}"), &outsider)
                .await
                .status,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn victims_and_suspects_link_to_crimes() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let id = crime(&t, &pc, "CR/5/24", "8N").await;
        let victim = t.person(&pc, "Sarah", "Jones", Some("1990-02-02")).await;
        let suspect = t.person(&pc, "Mark", "Jones", Some("1988")).await;
        for (person, role) in [(&victim, "victim_of"), (&suspect, "suspect_in")] {
            let res = t
                .post(
                    "/api/v1/links",
                    &pc,
                    json!({"from": person, "role": role, "to": id}),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{role}: {}", res.text);
        }
        let wrong = t
            .post(
                "/api/v1/links",
                &pc,
                json!({"from": id, "role": "victim_of", "to": victim}),
            )
            .await;
        assert_eq!(wrong.invalid_fields(), ["/role"]);
        let got = t.get(&format!("/api/v1/crimes/{id}"), &pc).await;
        let mut links: Vec<String> = got.body["links"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                format!(
                    "{} {} {}",
                    l["direction"].as_str().unwrap_or(""),
                    l["role"].as_str().unwrap_or(""),
                    l["label"].as_str().unwrap_or("")
                )
            })
            .collect();
        links.sort();
        assert_eq!(
            links,
            [
                "incoming suspect_in Jones, Mark",
                "incoming victim_of Jones, Sarah"
            ]
        );
        let person = t.get(&format!("/api/v1/persons/{victim}"), &pc).await;
        assert_eq!(
            person.body["links"][0]["label"],
            "crime CR/5/24: Assault with injury"
        );
        assert_eq!(person.body["links"][0]["record_kind"], "crime");
    })
    .await;
}

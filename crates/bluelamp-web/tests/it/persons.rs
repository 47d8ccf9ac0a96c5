//! Persons: creation with likely matches, and the nominal search officers use.

use axum::http::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn creating_a_person_answers_201_with_possible_matches() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let first = t.person(&pc, "William", "Smith", Some("1971-03-09")).await;
        let res = t
            .post("/api/v1/persons", &pc, json!({"forenames": "Bill", "surname": "Smyth", "date_of_birth": "1971-03-09", "sex": "male", "ethnicity": "W1"}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.headers["location"], format!("/api/v1/persons/{}", res.id()));
        assert_eq!(res.body["forenames"], "Bill");
        assert_eq!(res.body["ethnicity"], "W1");
        let matches = res.body["possible_matches"].as_array().cloned().unwrap_or_default();
        assert_eq!(matches.len(), 1, "{}", res.text);
        assert_eq!(matches[0]["id"], first.as_str());
        let score = matches[0]["score"].as_u64().unwrap_or(0);
        assert!((60..=100).contains(&score), "score {score}");
    })
    .await;
}

#[tokio::test]
async fn a_person_keeps_aliases_markers_and_a_partial_date_of_birth() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let res = t
            .post("/api/v1/persons", &pc, json!({
                "forenames": "Margaret", "surname": "O'Brien", "date_of_birth": "1971-03", "date_of_birth_approximate": true,
                "aliases": [{"forenames": "Peggy", "surname": "Brien"}],
                "warning_markers": [{"kind": "violent", "from": "2020-01-01", "note": "Assaulted officer"}]
            }))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let got = t.get(&format!("/api/v1/persons/{}", res.id()), &pc).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.body["date_of_birth"], "1971-03");
        assert_eq!(got.body["date_of_birth_approximate"], true);
        assert_eq!(got.body["aliases"][0]["forenames"], "Peggy");
        assert_eq!(got.body["warning_markers"][0]["kind"], "violent");
        assert_eq!(got.body["warning_markers"][0]["from"], "2020-01-01");
    })
    .await;
}

#[tokio::test]
async fn search_finds_people_the_way_officers_search() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["call_handler"], &[], None).await;
        let william = t.person(&pc, "William", "Smith", Some("1971-03-09")).await;
        let zoe = t
            .person(&pc, "Zoë", "Smith-Jones", Some("1985-07-04"))
            .await;
        let _other = t.person(&pc, "Amelia", "Patel", Some("1990-01-01")).await;
        let search = |q: &'static str| {
            let t = t.clone();
            let pc = pc.clone();
            async move { t.get(&format!("/api/v1/persons?{q}"), &pc).await }
        };
        // A nickname, in the other word order, upper case.
        let res = search("name=SMITH%20Bill").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["items"][0]["id"], william.as_str(), "{}", res.text);
        // Sounds alike.
        let res = search("name=William%20Smyth").await;
        assert_eq!(res.body["items"][0]["id"], william.as_str(), "{}", res.text);
        // Accents and hyphens do not matter.
        let res = search("name=zoe%20smith%20jones").await;
        assert_eq!(res.body["items"][0]["id"], zoe.as_str(), "{}", res.text);
        // Day and month swapped in the date of birth still matches, below an exact date.
        let exact = search("name=William%20Smith&dob=1971-03-09").await;
        let swapped = search("name=William%20Smith&dob=1971-09-03").await;
        assert_eq!(
            swapped.body["items"][0]["id"],
            william.as_str(),
            "{}",
            swapped.text
        );
        let (e, s) = (
            exact.body["items"][0]["score"].as_u64(),
            swapped.body["items"][0]["score"].as_u64(),
        );
        assert!(e > s, "exact {e:?} should beat swapped {s:?}");
        assert_eq!(e, Some(100));
        // Year only.
        let res = search("name=William%20Smith&dob=1971").await;
        assert_eq!(res.body["items"][0]["id"], william.as_str());
        // Nobody like this.
        let res = search("name=Xavier%20Quigley").await;
        assert_eq!(res.body["total"], 0, "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn search_finds_aliases_and_shows_and_weighs_where_people_live() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["neighbourhood"], &[], None).await;
        let res = t
            .post("/api/v1/persons", &pc, json!({
                "forenames": "Margaret", "surname": "O'Brien", "date_of_birth": "1971-03-09", "sex": "female",
                "aliases": [{"forenames": "Peggy", "surname": "Kowalski"}]
            }))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let margaret = res.id();
        let home = t
            .post("/api/v1/locations", &pc, json!({"address_lines": ["12 London Road", "Leicester"], "postcode": "LE2 0QB"}))
            .await;
        assert_eq!(home.status, StatusCode::CREATED, "{}", home.text);
        let lives = t.post("/api/v1/links", &pc, json!({"from": margaret, "role": "lives_at", "to": home.id()})).await;
        assert_eq!(lives.status, StatusCode::CREATED, "{}", lives.text);
        let _other = t.person(&pc, "Peggy", "Kowalska", Some("1971-03-09")).await;
        // Found by the alias alone, with every name and the postcode of the home.
        let res = t.get("/api/v1/persons?name=Peggy%20Kowalski", &pc).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["items"][0]["id"], margaret.as_str(), "{}", res.text);
        assert_eq!(res.body["items"][0]["surname"], "O'Brien");
        assert_eq!(res.body["items"][0]["aliases"][0]["surname"], "Kowalski");
        assert_eq!(res.body["items"][0]["postcodes"], json!(["LE2 0QB"]));
        // A postcode searched for counts towards the score.
        let near = t
            .get("/api/v1/persons?name=Peggy%20Kowalska&postcode=LE2%200QB", &pc)
            .await;
        let far = t.get("/api/v1/persons?name=Peggy%20Kowalska", &pc).await;
        let score = |r: &bluelamp_testkit::TestResponse| {
            r.body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|i| i["id"] == margaret.as_str())
                .and_then(|i| i["score"].as_u64())
        };
        assert!(score(&near) > score(&far), "{} / {}", near.text, far.text);
    })
    .await;
}

#[tokio::test]
async fn search_results_are_paginated_and_ranked() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        for i in 0..5 {
            t.person(&pc, "John", "Smith", Some(&format!("198{i}-01-01")))
                .await;
        }
        let p1 = t
            .get("/api/v1/persons?name=John%20Smith&per_page=2", &pc)
            .await;
        assert_eq!(p1.status, StatusCode::OK);
        assert_eq!(p1.body["total"], 5);
        assert_eq!(p1.body["items"].as_array().map(Vec::len), Some(2));
        let p3 = t
            .get("/api/v1/persons?name=John%20Smith&per_page=2&page=3", &pc)
            .await;
        assert_eq!(p3.body["items"].as_array().map(Vec::len), Some(1));
        let scores: Vec<u64> = p1.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["score"].as_u64())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        let bad = t.get("/api/v1/persons?name=John&per_page=500", &pc).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.invalid_fields(), ["/per_page"]);
        let bad = t.get("/api/v1/persons?name=John&dob=1971-02-30", &pc).await;
        assert_eq!(bad.invalid_fields(), ["/dob"]);
    })
    .await;
}

#[tokio::test]
async fn editing_a_person_is_audited_with_before_and_after() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let id = t.person(&pc, "Jon", "Smith", None).await;
        let res = t
            .put(
                &format!("/api/v1/persons/{id}"),
                &pc,
                json!({"forenames": "John", "surname": "Smith", "date_of_birth": "1980"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["forenames"], "John");
        let found = t
            .get("/api/v1/persons?name=John%20Smith&dob=1980", &pc)
            .await;
        assert_eq!(found.body["items"][0]["id"], id.as_str());
        let log = t.get(&format!("/api/v1/audit?record={id}"), &t.admin).await;
        let update = log
            .body
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["action"] == "person.update")
            .cloned()
            .unwrap_or_default();
        assert_eq!(update["operation"], "alteration");
        assert_eq!(update["details"]["before"]["forenames"], "Jon");
        assert_eq!(update["details"]["after"]["forenames"], "John");
    })
    .await;
}

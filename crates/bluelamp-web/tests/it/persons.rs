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

#[tokio::test]
async fn search_takes_a_postcode_district_or_sector_and_ranks_those_living_in_it() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let mut john = Vec::new();
        for postcode in ["LE1 5AA", "LE1 6BD", "LE15 5AB", "LE2 0QB"] {
            let id = t.person(&pc, "John", "Smith", Some("1980-01-01")).await;
            let home = t
                .post(
                    "/api/v1/locations",
                    &pc,
                    json!({"address_lines": ["1 High Street"], "postcode": postcode}),
                )
                .await;
            assert_eq!(home.status, StatusCode::CREATED, "{}", home.text);
            let lives = t
                .post(
                    "/api/v1/links",
                    &pc,
                    json!({"from": id, "role": "lives_at", "to": home.id()}),
                )
                .await;
            assert_eq!(lives.status, StatusCode::CREATED, "{}", lives.text);
            john.push(id);
        }
        let scores = |postcode: &'static str| {
            let t = t.clone();
            let pc = pc.clone();
            let john = john.clone();
            async move {
                let res = t
                    .get(
                        &format!("/api/v1/persons?name=John%20Smith&postcode={postcode}"),
                        &pc,
                    )
                    .await;
                assert_eq!(res.status, StatusCode::OK, "{postcode}: {}", res.text);
                let items = res.body["items"].as_array().cloned().unwrap_or_default();
                let first = items.first().map(|i| i["postcodes"][0].clone());
                let of = |id: &String| {
                    items
                        .iter()
                        .find(|i| i["id"] == id.as_str())
                        .and_then(|i| i["score"].as_u64())
                        .unwrap_or(0)
                };
                (first, john.iter().map(of).collect::<Vec<_>>())
            }
        };
        let (_, none) = scores("").await;
        // The district: both in LE1 rank above the rest; LE15 is another district.
        let (first, district) = scores("le1").await;
        assert!(
            district[0] > none[0] && district[1] > none[1],
            "{district:?} / {none:?}"
        );
        assert_eq!(district[2], none[2], "LE15 5AB is not in LE1");
        assert_eq!(district[3], none[3]);
        assert!(first.is_some_and(|p| p == "LE1 5AA" || p == "LE1 6BD"));
        // The sector, typed with or without its space in the outward code's place.
        let (first, sector) = scores("LE1%205").await;
        assert_eq!(first, Some(json!("LE1 5AA")));
        assert!(sector[0] > district[0], "{sector:?} / {district:?}");
        assert_eq!(sector[1], district[1], "LE1 6BD is in the district only");
        assert_eq!(sector[2], none[2], "LE15 5AB is not in sector LE1 5");
        // A full postcode still matches exactly, and most.
        let (first, unit) = scores("LE1%205AA").await;
        assert_eq!(first, Some(json!("LE1 5AA")));
        assert!(unit[0] > sector[0], "{unit:?} / {sector:?}");
        let (_, other) = scores("LE1%205AB").await;
        assert_eq!(
            other[0], sector[0],
            "another postcode of the sector is not an exact match"
        );
        // Something that is no part of a postcode is refused, naming the field.
        let bad = t
            .get("/api/v1/persons?name=John%20Smith&postcode=LE1%205A", &pc)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.invalid_fields(), ["/postcode"]);

        // The page takes a district too, and says what it takes when refused.
        let b = t.sign_in("pc1").await;
        let page = b.get("/persons?name=John+Smith&postcode=LE1").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(!page.text.contains("govuk-error-summary"), "{}", page.text);
        assert!(page.text.contains("LE1 5AA"));
        let refused = b.get("/persons?name=John+Smith&postcode=LE1+5A").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text
                .contains("its district (LE1) or sector (LE1 5)"),
            "{}",
            refused.text
        );
    })
    .await;
}

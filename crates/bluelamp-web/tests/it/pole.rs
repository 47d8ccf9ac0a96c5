//! Locations, objects, links and areas; archiving and erasure.

use axum::http::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn records_link_in_roles_that_fit_their_kinds() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["neighbourhood"], &[], None).await;
        let person = t.person(&pc, "Dev", "Patel", None).await;
        let car = t.post("/api/v1/objects", &pc, json!({"kind": "vehicle", "identifier": "ab12 cde", "description": "Silver Ford Focus"})).await;
        assert_eq!(car.status, StatusCode::CREATED, "{}", car.text);
        assert_eq!(car.body["identifier"], "AB12CDE");
        let place = t
            .post("/api/v1/locations", &pc, json!({"address_lines": ["12 London Road", "Leicester"], "postcode": "le2 0qb", "latitude": 52.62, "longitude": -1.12, "lsoa_code": "E01025733"}))
            .await;
        assert_eq!(place.status, StatusCode::CREATED, "{}", place.text);
        assert_eq!(place.body["postcode"], "LE2 0QB");
        let keeper = t.post("/api/v1/links", &pc, json!({"from": person, "role": "keeper_of", "to": car.id()})).await;
        assert_eq!(keeper.status, StatusCode::CREATED, "{}", keeper.text);
        let lives = t.post("/api/v1/links", &pc, json!({"from": person, "role": "lives_at", "to": place.id()})).await;
        assert_eq!(lives.status, StatusCode::CREATED);
        let again = t.post("/api/v1/links", &pc, json!({"from": person, "role": "lives_at", "to": place.id()})).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let wrong = t.post("/api/v1/links", &pc, json!({"from": place.id(), "role": "lives_at", "to": person})).await;
        assert_eq!(wrong.invalid_fields(), ["/role"]);
        let got = t.get(&format!("/api/v1/persons/{person}"), &pc).await;
        let mut labels: Vec<String> = got.body["links"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| format!("{} {} {}", l["direction"].as_str().unwrap_or(""), l["role"].as_str().unwrap_or(""), l["label"].as_str().unwrap_or("")))
            .collect();
        labels.sort();
        assert_eq!(labels, ["outgoing keeper_of vehicle: AB12CDE Silver Ford Focus", "outgoing lives_at 12 London Road, Leicester, LE2 0QB"]);
        let from_car = t.get(&format!("/api/v1/objects/{}", car.id()), &pc).await;
        assert_eq!(from_car.body["links"][0]["direction"], "incoming");
        assert_eq!(from_car.body["links"][0]["label"], "Patel, Dev");
        // Linking is a combination under DPA 2018 s.62.
        let log = t.get(&format!("/api/v1/audit?record={person}"), &t.admin).await;
        assert!(log.body.as_array().into_iter().flatten().any(|e| e["operation"] == "combination"));
    })
    .await;
}

#[tokio::test]
async fn bad_locations_and_objects_name_their_fields() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["call_handler"], &[], None).await;
        let res = t
            .post(
                "/api/v1/locations",
                &pc,
                json!({"postcode": "nowhere", "latitude": 10.0, "longitude": 0.0}),
            )
            .await;
        assert_eq!(res.invalid_fields(), ["/postcode", "/latitude"]);
        let res = t
            .post(
                "/api/v1/objects",
                &pc,
                json!({"kind": "spaceship", "description": ""}),
            )
            .await;
        assert_eq!(res.invalid_fields(), ["/kind", "/description"]);
        assert_eq!(t.count("record").await, 0);
    })
    .await;
}

#[tokio::test]
async fn areas_are_built_from_lsoas() {
    on_each_backend(|t| async move {
        let lpa = t.post("/api/v1/areas", &t.admin, json!({"kind": "local_policing_area", "code": "CITY", "name": "Leicester City"})).await;
        assert_eq!(lpa.status, StatusCode::CREATED, "{}", lpa.text);
        let hood = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "neighbourhood", "code": "E02002830", "name": "Highfields", "parent": lpa.id(), "lsoa_codes": ["E01025733", "E01025734"]}))
            .await;
        assert_eq!(hood.status, StatusCode::CREATED, "{}", hood.text);
        let clash = t
            .post("/api/v1/areas", &t.admin, json!({"kind": "neighbourhood", "code": "E02002831", "name": "Other", "parent": lpa.id(), "lsoa_codes": ["E01025733"]}))
            .await;
        assert_eq!(clash.invalid_fields(), ["/lsoa_codes/0"]);
        let orphan = t.post("/api/v1/areas", &t.admin, json!({"kind": "neighbourhood", "code": "N1", "name": "N"})).await;
        assert_eq!(orphan.invalid_fields(), ["/parent"]);
        let pc = t.user("pc1", &["neighbourhood"], &[], None).await;
        assert_eq!(t.post("/api/v1/areas", &pc, json!({"kind": "local_policing_area", "code": "X", "name": "X"})).await.status, StatusCode::FORBIDDEN);
        let place = t.post("/api/v1/locations", &pc, json!({"postcode": "LE2 0QB", "lsoa_code": "E01025734"})).await;
        assert_eq!(place.body["neighbourhood_id"], hood.id().as_str());
        let all = t.get("/api/v1/areas", &pc).await;
        assert_eq!(all.body.as_array().map(Vec::len), Some(2));
    })
    .await;
}

#[tokio::test]
async fn archiving_then_erasing_is_explicit_authorised_and_verifiable() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let sup = t.user("sgt1", &["supervisor"], &[], None).await;
        let id = t.person(&pc, "Old", "Record", Some("1950")).await;
        assert_eq!(
            t.post(
                &format!("/api/v1/records/{id}/archive"),
                &pc,
                json!({"reason": "review"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let early = t
            .post(
                &format!("/api/v1/records/{id}/erasure"),
                &t.admin,
                json!({"reason": "MoPI review 2026"}),
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::CONFLICT,
            "erasure must follow archiving"
        );
        let blank = t
            .post(
                &format!("/api/v1/records/{id}/archive"),
                &sup,
                json!({"reason": " "}),
            )
            .await;
        assert_eq!(blank.invalid_fields(), ["/reason"]);
        let res = t
            .post(
                &format!("/api/v1/records/{id}/archive"),
                &sup,
                json!({"reason": "MoPI group 3 review: no further policing purpose"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert!(res.body["archived_at"].is_string());
        assert_eq!(
            t.get("/api/v1/persons?name=Old%20Record", &pc).await.body["total"],
            0,
            "archived records leave searches"
        );
        let res = t
            .post(
                &format!("/api/v1/records/{id}/erasure"),
                &t.admin,
                json!({"reason": "MoPI disposal 2026-11"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let got = t.get(&format!("/api/v1/persons/{id}"), &t.admin).await;
        assert_eq!(got.body["surname"], "[erased]");
        assert_eq!(got.body["date_of_birth"], serde_json::Value::Null);
        let log = t.get(&format!("/api/v1/audit?record={id}"), &t.admin).await;
        let create = log
            .body
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["action"] == "person.create")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            create["details"],
            serde_json::Value::Null,
            "the personal data in the log is erased too"
        );
        assert!(
            t.app.verify_audit(None).await.is_ok(),
            "and the chain still verifies"
        );
    })
    .await;
}

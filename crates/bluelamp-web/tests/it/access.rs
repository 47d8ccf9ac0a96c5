//! Need to know: restricted records do not exist for those not named; partners see only
//! what was shared with their agency.

use axum::http::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn a_restricted_person_is_invisible_to_everyone_not_named() {
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
        let outsider = t
            .user("pc9", &["investigator", "supervisor"], &["Response"], None)
            .await;
        let inspector = t.user("hmi", &["inspector"], &[], None).await;
        let id = t
            .person(&soc, "Kingsley", "Mensah", Some("1988-05-05"))
            .await;
        let home = t
            .post(
                "/api/v1/locations",
                &soc,
                json!({"address_lines": ["1 High Street"], "postcode": "LE1 5AA"}),
            )
            .await;
        let link = t
            .post(
                "/api/v1/links",
                &soc,
                json!({"from": id, "role": "lives_at", "to": home.id()}),
            )
            .await;
        assert_eq!(link.status, StatusCode::CREATED, "{}", link.text);
        let res = t
            .put(
                &format!("/api/v1/records/{id}/restriction"),
                &soc,
                json!({"teams": ["Serious Organised Crime Unit"]}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["restricted"], true);

        for who in [&outsider, &inspector] {
            assert_eq!(
                t.get(&format!("/api/v1/persons/{id}"), who).await.status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                t.get_with_reason(&format!("/api/v1/persons/{id}"), who, "curious")
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
            let found = t.get("/api/v1/persons?name=Kingsley%20Mensah", who).await;
            assert_eq!(found.body["total"], 0, "{}", found.text);
            let place = t
                .get(&format!("/api/v1/locations/{}", home.id()), who)
                .await;
            assert_eq!(place.status, StatusCode::OK);
            assert_eq!(
                place.body["links"],
                json!([]),
                "the link must not reveal the person"
            );
        }
        let linking = t
            .post(
                "/api/v1/links",
                &outsider,
                json!({"from": id, "role": "lives_at", "to": home.id()}),
            )
            .await;
        assert_eq!(
            linking.invalid_fields(),
            ["/from"],
            "a hidden record cannot be linked, and is not revealed"
        );
        // Someone named must state a reason, which the audit keeps.
        let res = t.get(&format!("/api/v1/persons/{id}"), &colleague).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.body["type"], "/api/problems/reason-required");
        let res = t
            .get_with_reason(
                &format!("/api/v1/persons/{id}"),
                &colleague,
                "Operation Elm briefing",
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        let found = t
            .get("/api/v1/persons?name=Kingsley%20Mensah", &colleague)
            .await;
        assert_eq!(found.body["total"], 1);
        let log = t.get(&format!("/api/v1/audit?record={id}"), &t.admin).await;
        let view = log
            .body
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["action"] == "person.view")
            .cloned()
            .unwrap_or_default();
        assert_eq!(view["reason"], "Operation Elm briefing");
        assert_eq!(view["username"], "soc2");
    })
    .await;
}

#[tokio::test]
async fn counts_include_restricted_records_without_revealing_them() {
    on_each_backend(|t| async move {
        let soc = t.user("soc1", &["soc_officer"], &[], None).await;
        let id = t.person(&soc, "Hidden", "Person", None).await;
        t.put(
            &format!("/api/v1/records/{id}/restriction"),
            &soc,
            json!({"users": ["soc1"]}),
        )
        .await;
        // The record is still stored and counted; only its visibility changed.
        assert_eq!(t.count("person").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_partner_sees_only_what_was_shared_with_their_agency() {
    on_each_backend(|t| async move {
        let dao = t.user("dao1", &["safeguarding"], &[], None).await;
        let idva = t
            .user("idva1", &["partner"], &[], Some("Leicester IDVA"))
            .await;
        let council = t
            .user("council1", &["partner"], &[], Some("City Council"))
            .await;
        let shared = t.person(&dao, "Sarah", "Jones", Some("1990-02-02")).await;
        let unshared = t.person(&dao, "Sarah", "Johns", Some("1990-02-02")).await;
        let res = t
            .post(
                &format!("/api/v1/records/{shared}/shares"),
                &dao,
                json!({"agency": "Leicester IDVA"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["shared_with"], json!(["Leicester IDVA"]));
        assert_eq!(
            t.get(&format!("/api/v1/persons/{shared}"), &idva)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            t.get(&format!("/api/v1/persons/{unshared}"), &idva)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let found = t.get("/api/v1/persons?name=Sarah%20Jones", &idva).await;
        let ids: Vec<&str> = found.body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert_eq!(ids, [shared.as_str()]);
        assert_eq!(
            t.get(&format!("/api/v1/persons/{shared}"), &council)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get("/api/v1/persons?name=Sarah%20Jones", &council)
                .await
                .body["total"],
            0
        );
        // Partners cannot write.
        let res = t
            .post(
                "/api/v1/persons",
                &idva,
                json!({"forenames": "A", "surname": "B"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // The share is audited as a disclosure.
        let log = t
            .get(&format!("/api/v1/audit?record={shared}"), &t.admin)
            .await;
        assert!(
            log.body
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| e["operation"] == "disclosure"
                    && e["details"]["agency"] == "Leicester IDVA")
        );
    })
    .await;
}

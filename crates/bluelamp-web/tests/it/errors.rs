//! Errors: problem+json with the right status, and nothing written on bad input.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn invalid_fields_answer_422_naming_each_and_write_nothing() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let (persons, audit) = (t.count("person").await, t.count("audit_event").await);
        let res = t
            .post("/api/v1/persons", &pc, json!({
                "forenames": "", "surname": "Smith", "date_of_birth": "1971-13", "sex": "x", "ethnicity": "Q1",
                "warning_markers": [{"kind": "grumpy", "from": "yesterday"}]
            }))
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.content_type(), "application/problem+json");
        assert_eq!(res.body["status"], 422);
        assert!(res.body["title"].is_string() && res.body["detail"].is_string());
        assert_eq!(
            res.invalid_fields(),
            ["/forenames", "/date_of_birth", "/sex", "/ethnicity", "/warning_markers/0/kind", "/warning_markers/0/from"]
        );
        assert_eq!(t.count("person").await, persons);
        assert_eq!(t.count("record").await, 0);
        assert_eq!(t.count("audit_event").await, audit);
    })
    .await;
}

#[tokio::test]
async fn a_wrong_shape_is_422_and_malformed_json_is_400() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let res = t
            .post(
                "/api/v1/persons",
                &pc,
                json!({"forenames": "A", "surname": 7}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.invalid_fields(), ["/surname"]);
        let res = t
            .post("/api/v1/persons", &pc, json!({"forenames": "A"}))
            .await;
        assert_eq!(res.invalid_fields(), ["/surname"]);
        let res = t
            .post(
                "/api/v1/persons",
                &pc,
                json!({"forenames": "A", "surname": "B", "nickname": "C"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/persons")
            .header("authorization", format!("Bearer {pc}"))
            .header("content-type", "application/json")
            .body(Body::from("{\"forenames\": \"A\", "))
            .unwrap_or_default();
        let res = t.raw(req).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.content_type(), "application/problem+json");
        assert_eq!(t.count("person").await, 0);
    })
    .await;
}

#[tokio::test]
async fn credentials_permissions_and_unknown_records_have_their_own_answers() {
    on_each_backend(|t| async move {
        let res = t
            .send(Method::GET, "/api/v1/persons?name=x", None, None, &[])
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.content_type(), "application/problem+json");
        let res = t.get("/api/v1/persons?name=x", "not-a-token").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let inspector = t.user("hmi", &["inspector"], &[], None).await;
        let res = t
            .post(
                "/api/v1/persons",
                &inspector,
                json!({"forenames": "A", "surname": "B"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(t.count("person").await, 0);
        let res = t
            .get(
                "/api/v1/persons/018f0000-0000-7000-8000-000000000000",
                &inspector,
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = t.get("/api/v1/persons/not-a-uuid", &inspector).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = t.get("/api/v1/nothing-here", &inspector).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.content_type(), "application/problem+json");
    })
    .await;
}

#[tokio::test]
async fn an_undeclared_method_answers_405_with_allow() {
    on_each_backend(|t| async move {
        let res = t
            .send(Method::DELETE, "/api/v1/persons", Some(&t.admin), None, &[])
            .await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
        let allow = res
            .headers
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            allow.contains("GET") && allow.contains("POST"),
            "Allow: {allow}"
        );
        assert_eq!(res.content_type(), "application/problem+json");
        assert_eq!(res.body["status"], 405);
    })
    .await;
}

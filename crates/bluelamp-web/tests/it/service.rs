//! The service's own endpoints: health, metrics, the OpenAPI document, request ids.

use axum::http::{Method, StatusCode};

use crate::on_each_backend;

#[tokio::test]
async fn health_metrics_and_request_ids() {
    on_each_backend(|t| async move {
        let res = t.send(Method::GET, "/healthz", None, None, &[]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.headers.contains_key("x-request-id"));
        t.get("/api/v1/users/me", &t.admin).await;
        let res = t.send(Method::GET, "/metrics", None, None, &[]).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.text.contains("http_requests_total"), "{}", res.text);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_operation_and_answer() {
    on_each_backend(|t| async move {
        let res = t
            .send(Method::GET, "/api/openapi.json", None, None, &[])
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let doc = &res.body;
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1"))
        );
        let create = &doc["paths"]["/api/v1/persons"]["post"]["responses"];
        for code in ["201", "400", "401", "403", "415", "422", "500"] {
            assert!(
                create[code].is_object(),
                "POST /api/v1/persons lacks {code}"
            );
        }
        assert!(create["422"]["content"]["application/problem+json"].is_object());
        assert!(create["201"]["content"]["application/json"].is_object());
        let get = &doc["paths"]["/api/v1/persons/{id}"]["get"]["responses"];
        assert!(get["404"].is_object() && get["403"].is_object());
        for path in [
            "/api/v1/tokens",
            "/api/v1/users",
            "/api/v1/locations",
            "/api/v1/objects",
            "/api/v1/links",
            "/api/v1/areas",
            "/api/v1/audit",
            "/api/v1/records/{id}/restriction",
            "/api/v1/crimes/{id}/allocation",
            "/api/v1/crimes/{id}/plan",
            "/api/v1/crimes/{id}/reviews",
            "/api/v1/crimes/{id}/handovers",
            "/api/v1/crimes/{id}/outcome",
            "/api/v1/crimes/{id}/victims",
            "/api/v1/victims/{id}/contacts",
            "/api/v1/duties",
            "/api/v1/measures/investigation",
        ] {
            assert!(doc["paths"][path].is_object(), "missing {path}");
        }
        assert!(doc["paths"]["/api/v1/tokens"]["post"]["responses"]["429"].is_object());
        // Our own version and licence, not the generator's.
        assert_eq!(doc["info"]["license"]["name"], "AGPL-3.0-or-later");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
        assert!(doc["info"]["contact"].is_null());
    })
    .await;
}

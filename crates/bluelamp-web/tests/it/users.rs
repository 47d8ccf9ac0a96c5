//! Users and tokens: sign-in, throttling, roles.

use axum::http::StatusCode;
use serde_json::json;

use crate::on_each_backend;

#[tokio::test]
async fn tokens_are_issued_for_the_right_password_only() {
    on_each_backend(|t| async move {
        t.user("pc1", &["investigator"], &[], None).await;
        let ok = t.token("pc1", bluelamp_testkit::PASSWORD).await;
        assert_eq!(ok.status, StatusCode::CREATED);
        assert!(ok.body["token"].as_str().is_some_and(|s| s.len() >= 40));
        assert!(ok.body["expires_at"].is_string());
        let me = t
            .get(
                "/api/v1/users/me",
                ok.body["token"].as_str().unwrap_or_default(),
            )
            .await;
        assert_eq!(me.body["username"], "pc1");
        assert_eq!(me.body["roles"], json!(["investigator"]));
        assert_eq!(
            t.token("pc1", "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            t.token("nobody", "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn sign_in_is_throttled_after_repeated_failures() {
    on_each_backend(|t| async move {
        t.user("pc1", &["investigator"], &[], None).await;
        for _ in 0..5 {
            assert_eq!(
                t.token("pc1", "guess").await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        let res = t.token("pc1", bluelamp_testkit::PASSWORD).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(res.headers.contains_key("retry-after"));
        // Another user is not affected.
        t.user("pc2", &["investigator"], &[], None).await;
        assert_eq!(
            t.token("pc2", bluelamp_testkit::PASSWORD).await.status,
            StatusCode::CREATED
        );
    })
    .await;
}

#[tokio::test]
async fn admins_add_users_and_others_may_not() {
    on_each_backend(|t| async move {
        let res = t
            .post("/api/v1/users", &t.admin, json!({"username": "idva1", "password": "a long enough password", "roles": ["partner"], "agency": "Leicester IDVA"}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["agency"], "Leicester IDVA");
        let partner_without_agency = t.post("/api/v1/users", &t.admin, json!({"username": "p2", "roles": ["partner"]})).await;
        assert_eq!(partner_without_agency.invalid_fields(), ["/agency"]);
        let bad = t.post("/api/v1/users", &t.admin, json!({"username": "x y", "roles": ["chief"], "password": "short"})).await;
        assert_eq!(bad.invalid_fields(), ["/username", "/roles/0", "/password"]);
        let taken = t.post("/api/v1/users", &t.admin, json!({"username": "idva1", "roles": ["analyst"]})).await;
        assert_eq!(taken.invalid_fields(), ["/username"]);
        let pc = t.user("pc1", &["supervisor"], &[], None).await;
        let res = t.post("/api/v1/users", &pc, json!({"username": "x", "roles": ["admin"]})).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let list = t.get("/api/v1/users", &t.admin).await;
        let names: Vec<&str> = list.body.as_array().into_iter().flatten().filter_map(|u| u["username"].as_str()).collect();
        assert_eq!(names, ["admin", "idva1", "pc1"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attempts_racing_past_the_limit_are_throttled_and_not_told_if_their_password_was_right() {
    on_each_backend(|t| async move {
        t.user("pc1", &["investigator"], &[], None).await;
        let mut attempts = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let t = t.clone();
            attempts.spawn(async move { t.token("pc1", "guess").await.status });
        }
        let mut refused = Vec::new();
        while let Some(status) = attempts.join_next().await {
            refused.push(status.unwrap_or_else(|e| panic!("join: {e}")));
        }
        let wrong = refused
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count();
        let throttled = refused
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!(
            (wrong, throttled),
            (5, 7),
            "five wrong passwords are told so; the rest are throttled"
        );
        assert_eq!(t.count("sign_in_failure").await, 5);
        let res = t.token("pc1", bluelamp_testkit::PASSWORD).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    })
    .await;
}

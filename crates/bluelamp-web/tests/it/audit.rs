//! The audit log: every consultation and change, hash-chained, verifiable.

use axum::http::StatusCode;
use bluelamp_app::audit::VerifyError;
use bluelamp_domain::audit::ChainBreak;

use crate::on_each_backend;

#[tokio::test]
async fn every_view_and_search_is_logged_with_who_how_and_what() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        let id = t.person(&pc, "Ann", "Other", None).await;
        t.get(&format!("/api/v1/persons/{id}"), &pc).await;
        t.get("/api/v1/persons?name=Ann%20Other&dob=1970", &pc)
            .await;
        let me = t.get("/api/v1/users/me", &pc).await;
        let user_id = me.body["id"].as_str().unwrap_or_default().to_string();
        let log = t
            .get(&format!("/api/v1/audit?user={user_id}"), &t.admin)
            .await;
        assert_eq!(log.status, StatusCode::OK);
        let entries = log.body.as_array().cloned().unwrap_or_default();
        let actions: Vec<&str> = entries
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(
            actions[..3],
            ["user.view", "person.search", "person.view"],
            "{actions:?}"
        );
        let search = &entries[1];
        assert_eq!(search["operation"], "consultation");
        assert_eq!(search["channel"], "api");
        assert_eq!(search["details"]["name"], "Ann Other");
        assert_eq!(search["details"]["dob"], "1970");
        assert!(
            search["request_id"].is_string(),
            "each entry carries the request id"
        );
        let create = entries
            .iter()
            .find(|e| e["action"] == "person.create")
            .cloned()
            .unwrap_or_default();
        assert_eq!(create["operation"], "collection");
        assert_eq!(create["record_id"], id.as_str());
        // Only those allowed to read the audit may.
        assert_eq!(
            t.get("/api/v1/audit", &pc).await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn verification_names_an_edited_and_a_deleted_entry() {
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        for n in 0..3 {
            t.person(&pc, "Person", &format!("Number{n}"), None).await;
        }
        assert!(t.app.verify_audit(None).await.is_ok());
        // The database refuses edits to the log through ordinary statements ...
        let postgres = t.is_postgres();
        let (drop_update, drop_delete) = if postgres {
            (
                "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
                "",
            )
        } else {
            (
                "DROP TRIGGER audit_event_no_update",
                "DROP TRIGGER audit_event_no_delete",
            )
        };
        // ... so a tamperer first disables the guard, and verification still catches them.
        t.tamper(drop_update).await;
        if !drop_delete.is_empty() {
            t.tamper(drop_delete).await;
        }
        t.tamper("UPDATE audit_event SET username = 'someone else' WHERE seq = 4")
            .await;
        match t.app.verify_audit(None).await {
            Err(VerifyError::Broken(ChainBreak::Altered { seq })) => assert_eq!(seq, 4),
            other => panic!("expected entry 4 altered, got {other:?}"),
        }
    })
    .await;
    on_each_backend(|t| async move {
        let pc = t.user("pc1", &["investigator"], &[], None).await;
        for n in 0..3 {
            t.person(&pc, "Person", &format!("Number{n}"), None).await;
        }
        let postgres = t.is_postgres();
        if postgres {
            t.tamper("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
                .await;
        } else {
            t.tamper("DROP TRIGGER audit_event_no_delete").await;
        }
        t.tamper("DELETE FROM audit_event WHERE seq = 3").await;
        match t.app.verify_audit(None).await {
            Err(VerifyError::Broken(ChainBreak::Missing { seq, expected })) => {
                assert_eq!((seq, expected), (4, 3))
            }
            other => panic!("expected entry 3 missing, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn the_log_refuses_ordinary_edits_and_deletes() {
    on_each_backend(|t| async move {
        let ok_update = t.try_sql("UPDATE audit_event SET username = 'x'").await;
        let ok_delete = t.try_sql("DELETE FROM audit_event").await;
        assert!(!ok_update && !ok_delete);
        assert!(t.app.verify_audit(None).await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn entries_of_one_action_chain_in_order_and_the_head_moves_only_when_it_commits() {
    on_each_backend(|t| async move {
        let ch = t.user("ch1", &["call_handler"], &[], None).await;
        let before = t.app.audit_head().await.unwrap_or_else(|e| panic!("{e}"));
        // A call at a new address writes two entries in its one transaction: the
        // location's and the incident's.
        let at = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
        let body = serde_json::json!({"channel": "101", "received_at": at, "category": "alarm",
            "summary": "Intruder alarm sounding",
            "location": {"address_lines": ["1 Market Place"], "postcode": "LE15 6DT"}});
        let res = t.post("/api/v1/incidents", &ch, body.clone()).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let head = t.app.audit_head().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(head.seq, before.seq + 2, "both entries, and nothing else");
        assert_eq!(
            t.app.verify_audit(None).await.map_err(|e| format!("{e:?}")),
            Ok(head.clone()),
            "the chain walks to the stored head"
        );
        let log = t.get("/api/v1/audit", &t.admin).await;
        let entries: Vec<&serde_json::Value> = log
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                e["seq"]
                    .as_i64()
                    .is_some_and(|s| s > before.seq && s <= head.seq)
            })
            .collect();
        let actions: Vec<&str> = entries
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(
            actions,
            ["incident.create", "location.create"],
            "newest first"
        );
        assert_eq!(entries[0]["hash"], head.hash.as_str());
        assert_eq!(entries[0]["prev_hash"], entries[1]["hash"]);

        // A refused call (its location is bad) leaves the head where it was.
        let head = t.app.audit_head().await.unwrap_or_else(|e| panic!("{e}"));
        let mut bad = body;
        bad["location"] = serde_json::json!({"postcode": "NOT A POSTCODE"});
        let res = t.post("/api/v1/incidents", &ch, bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(
            t.app.audit_head().await.unwrap_or_else(|e| panic!("{e}")),
            head
        );
    })
    .await;
}

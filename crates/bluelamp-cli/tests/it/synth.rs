//! `bluelamp synth`: a small synthetic force through the binary, once, audited as one
//! collection, with the audit chain still intact; a second run is refused.

use bluelamp_testkit::{backends, fresh_database_url, i64_at};

use crate::{bluelamp, text};

#[tokio::test]
async fn synth_generates_a_force_once() {
    for b in backends() {
        let url = fresh_database_url(&b).await;
        let args = [
            "synth",
            "--seed",
            "3",
            "--population",
            "3000",
            "--months",
            "2",
            "--start",
            "2024-01",
        ];
        let out = bluelamp(&url, &args, "");
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("Generated in"), "{}", text(&out));
        assert!(i64_at(&url, "SELECT COUNT(*) FROM crime").await > 20);
        assert_eq!(
            i64_at(&url, "SELECT COUNT(*) FROM audit_event WHERE action = 'synth.generate' AND os_user = 'ops-test'").await,
            1
        );
        let again = bluelamp(&url, &args, "");
        assert!(!again.status.success());
        assert!(text(&again).contains("already holds"), "{}", text(&again));
        let bad = bluelamp(&url, &["synth", "--start", "April"], "");
        assert!(!bad.status.success());
        assert!(text(&bad).contains("YYYY-MM"), "{}", text(&bad));
        let verify = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    }
}

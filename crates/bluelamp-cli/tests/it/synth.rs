//! `bluelamp synth`: a small synthetic force through the binary, once, audited as one
//! collection, with the audit chain still intact; a second run is refused. Its incidents
//! come with their first contact: THRIVE assessments graded as the rule proposes, some
//! downgraded with a rationale, attendance, crime-recording decisions, the queue still
//! waiting at the end, and the duties; every reference is sound.

use bluelamp_testkit::{backends, fresh_database_url, i64_at};

use crate::{bluelamp, text};

/// The grade the default rule proposes for a row of `thrive_assessment`, in SQL: emergency
/// if threat or risk is high and harm at least medium; otherwise priority if any element is
/// high or two are medium; otherwise scheduled if any is medium.
const RULE: &str = "CASE
    WHEN (threat_level = 'high' OR risk_level = 'high') AND harm_level <> 'low' THEN 'emergency'
    WHEN 'high' IN (threat_level, harm_level, risk_level, investigation_level,
                    vulnerability_level, engagement_level) THEN 'priority'
    WHEN (CASE WHEN threat_level = 'medium' THEN 1 ELSE 0 END
        + CASE WHEN harm_level = 'medium' THEN 1 ELSE 0 END
        + CASE WHEN risk_level = 'medium' THEN 1 ELSE 0 END
        + CASE WHEN investigation_level = 'medium' THEN 1 ELSE 0 END
        + CASE WHEN vulnerability_level = 'medium' THEN 1 ELSE 0 END
        + CASE WHEN engagement_level = 'medium' THEN 1 ELSE 0 END) >= 2 THEN 'priority'
    WHEN 'medium' IN (threat_level, harm_level, risk_level, investigation_level,
                      vulnerability_level, engagement_level) THEN 'scheduled'
    ELSE 'resolution_without_deployment' END";

fn urgency(column: &str) -> String {
    format!(
        "(CASE {column} WHEN 'emergency' THEN 3 WHEN 'priority' THEN 2 WHEN 'scheduled' THEN 1 ELSE 0 END)"
    )
}

#[tokio::test]
async fn synth_generates_a_force_once() {
    for b in backends() {
        let url = fresh_database_url(&b).await;
        let args = [
            "synth",
            "--seed",
            "3",
            "--population",
            "40000",
            "--months",
            "1",
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

        // Almost every incident has its THRIVE, and its grade is its latest assessment's.
        let incidents = i64_at(&url, "SELECT COUNT(*) FROM incident").await;
        let graded = i64_at(
            &url,
            "SELECT COUNT(*) FROM incident WHERE grade IS NOT NULL",
        )
        .await;
        assert!(
            graded as f64 > 0.97 * incidents as f64,
            "{graded} of {incidents}"
        );
        let assessed = i64_at(
            &url,
            "SELECT COUNT(DISTINCT incident_id) FROM thrive_assessment",
        )
        .await;
        assert_eq!(assessed, graded);
        assert_eq!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM incident i WHERE COALESCE(i.grade, '') <> COALESCE((
                     SELECT t.grade FROM thrive_assessment t
                     WHERE t.force_id = i.force_id AND t.incident_id = i.id
                     ORDER BY t.seq DESC LIMIT 1), '')"
            )
            .await,
            0
        );
        // Proposed by the rule; chosen otherwise, or lower than before, only with a reason.
        assert_eq!(
            i64_at(
                &url,
                &format!("SELECT COUNT(*) FROM thrive_assessment WHERE proposed_grade <> {RULE}")
            )
            .await,
            0
        );
        assert_eq!(
            i64_at(&url, "SELECT COUNT(*) FROM thrive_assessment WHERE grade <> proposed_grade AND grade_rationale IS NULL").await,
            0
        );
        let downgrade = format!(
            "previous_grade IS NOT NULL AND {} < {}",
            urgency("grade"),
            urgency("previous_grade")
        );
        assert!(
            i64_at(
                &url,
                &format!("SELECT COUNT(*) FROM thrive_assessment WHERE {downgrade}")
            )
            .await
                > 0
        );
        assert_eq!(
            i64_at(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM thrive_assessment WHERE {downgrade} AND grade_rationale IS NULL"
                )
            )
            .await,
            0
        );

        // Crimes recorded from incidents are the incidents' decisions; every crime-category
        // incident has one, or its decision is still owed.
        assert_eq!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM crime c WHERE c.incident_id IS NOT NULL AND NOT EXISTS (
                     SELECT 1 FROM crime_recording_decision d
                     WHERE d.force_id = c.force_id AND d.incident_id = c.incident_id
                       AND d.decision = 'crime')"
            )
            .await,
            0
        );
        assert_eq!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM incident i WHERE i.category = 'crime' AND NOT EXISTS (
                     SELECT 1 FROM crime_recording_decision d
                     WHERE d.force_id = i.force_id AND d.incident_id = i.id)
                 AND NOT EXISTS (
                     SELECT 1 FROM duty u WHERE u.force_id = i.force_id AND u.subject_id = i.id
                       AND u.kind = 'decide_crime_recording' AND u.met_at IS NULL)"
            )
            .await,
            0
        );
        // Some calls still wait at the end, and every incident has its duties.
        assert!(i64_at(&url, "SELECT COUNT(*) FROM incident_queue").await > 0);
        assert_eq!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM duty WHERE kind = 'complete_thrive'"
            )
            .await,
            incidents
        );
        assert!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM incident_attendance WHERE kind = 'arrived' AND target_met = FALSE"
            )
            .await
                > 0
        );
        if url.starts_with("sqlite:") {
            assert_eq!(
                i64_at(&url, "SELECT COUNT(*) FROM pragma_foreign_key_check").await,
                0
            );
        }

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

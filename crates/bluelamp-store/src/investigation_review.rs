//! The investigation and victim-care measures of a period (issue 5 §7): the outcomes of
//! crimes recorded in it by the Home Office method, supervision on time, handovers
//! returned, Victims' Code compliance by duty (and, for updates, by development and
//! entitlement), and victim satisfaction.

use bluelamp_domain::duty::{DutyKind, Entitlement, Notifiable, RuleId};
use bluelamp_domain::ids::ForceId;
use bluelamp_domain::offence::OffenceGroup;
use bluelamp_domain::outcome::Outcome;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use crate::first_contact_review::{DUTY_COUNTS, DutyCounts, Period, duty_counts};
use crate::{Result, StoreError, Tx, decode, on};

/// Outcomes assigned to the crimes recorded in a period, as they stand now (reference §5.3:
/// fraud excluded, open investigations in the denominator).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    /// Crimes recorded in the period, fraud excluded.
    pub recorded: i64,
    /// Of those, still without an outcome.
    pub open: i64,
    /// Of those, by outcome, in number order; outcomes with none are left out.
    pub by_outcome: Vec<(Outcome, i64)>,
}

impl OutcomeCounts {
    /// The crimes given `outcome`.
    pub fn of(&self, outcome: Outcome) -> i64 {
        self.by_outcome
            .iter()
            .find(|(o, _)| *o == outcome)
            .map_or(0, |(_, n)| *n)
    }
}

/// Handovers made in a period and what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandoverCounts {
    pub made: i64,
    pub accepted: i64,
    pub returned: i64,
    pub awaiting: i64,
}

/// Survey responses in a period: how many, and how many satisfied with each aspect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SatisfactionCounts {
    pub responses: i64,
    pub overall: i64,
    pub kept_informed: i64,
    pub treatment: i64,
}

/// The measures of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationMeasures {
    pub period: Period,
    pub outcomes: OutcomeCounts,
    /// Reviews raised in the period (first and later) and how they stand.
    pub supervision: DutyCounts,
    /// Victims' Code: referrals to support services.
    pub referral: DutyCounts,
    /// Victims' Code: updates on each development.
    pub updates: DutyCounts,
    /// The same updates by the development told of (updates raised before developments
    /// were kept on the duty are left out), in vocabulary order.
    pub updates_by_development: Vec<(Notifiable, DutyCounts)>,
    /// The same updates by the victim's entitlement (the limit differs: 5 working days or 1).
    pub updates_by_entitlement: Vec<(Entitlement, DutyCounts)>,
    /// Victims' Code: the written acknowledgement of the report.
    pub acknowledgement: DutyCounts,
    /// Victims' Code: updates as often as agreed with the victim.
    pub agreed_updates: DutyCounts,
    /// Handovers decided by the receiving team in the force's time.
    pub handover_decisions: DutyCounts,
    /// Proposed outcomes decided by a supervisor in the force's time.
    pub outcome_approvals: DutyCounts,
    pub handovers: HandoverCounts,
    pub satisfaction: SatisfactionCounts,
}

const SATISFIED: &str = "('completely_satisfied', 'very_satisfied', 'fairly_satisfied')";

/// The measures of `period` as they stand at `now`, over every crime of the force.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn measures(
    tx: &mut Tx,
    force: ForceId,
    period: Period,
    now: DateTime<Utc>,
) -> Result<InvestigationMeasures> {
    let f = force.uuid();
    let fraud: Vec<&str> = OffenceGroup::FraudOffences
        .codes()
        .map(|c| c.as_str())
        .collect();
    let not_fraud = if fraud.is_empty() {
        String::new()
    } else {
        let ps: Vec<String> = (0..fraud.len()).map(|i| format!("${}", i + 4)).collect();
        format!("AND c.offence_code NOT IN ({})", ps.join(", "))
    };
    let sql = format!(
        "SELECT v.outcome, COUNT(*) FROM crime c
         JOIN investigation v ON v.force_id = c.force_id AND v.crime_id = c.id
         WHERE c.force_id = $1 AND c.recorded_at >= $2 AND c.recorded_at < $3 {not_fraud}
         GROUP BY v.outcome ORDER BY v.outcome"
    );
    let rows: Vec<(Option<i64>, i64)> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(f).bind(period.from).bind(period.to);
        for code in &fraud { q = q.bind(*code); }
        q.fetch_all(c).await
    })?;
    let mut outcomes = OutcomeCounts::default();
    for (o, n) in rows {
        outcomes.recorded += n;
        match o {
            None => outcomes.open += n,
            Some(o) => {
                let o = u8::try_from(o)
                    .ok()
                    .and_then(Outcome::new)
                    .ok_or_else(|| StoreError::Corrupt(format!("outcome: {o}")))?;
                outcomes.by_outcome.push((o, n));
            }
        }
    }
    let supervision = duty_counts(
        tx,
        force,
        DutyKind::ReviewInvestigation,
        RuleId::SupervisionSchedule,
        period,
        now,
    )
    .await?;
    let referral = duty_counts(
        tx,
        force,
        DutyKind::ReferVictim,
        RuleId::VictimReferral,
        period,
        now,
    )
    .await?;
    let updates = duty_counts(
        tx,
        force,
        DutyKind::InformVictim,
        RuleId::VictimUpdate,
        period,
        now,
    )
    .await?;
    let mut by_development = update_counts_by(tx, force, period, now, "d.development", "").await?;
    by_development.sort_by_key(|(w, _)| {
        Notifiable::ALL
            .iter()
            .position(|n| n.as_str() == w)
            .unwrap_or(usize::MAX)
    });
    let updates_by_development = by_development
        .into_iter()
        .map(|(w, c)| Ok((decode("development", &w)?, c)))
        .collect::<Result<_>>()?;
    let updates_by_entitlement = update_counts_by(
        tx,
        force,
        period,
        now,
        "v.entitlement",
        "JOIN crime_victim v ON v.force_id = d.force_id AND v.crime_id = d.subject_id
              AND v.person_id = d.owed_to",
    )
    .await?
    .into_iter()
    .map(|(e, c)| Ok((decode("entitlement", &e)?, c)))
    .collect::<Result<_>>()?;
    let acknowledgement = duty_counts(
        tx,
        force,
        DutyKind::AcknowledgeVictim,
        RuleId::VictimAcknowledgement,
        period,
        now,
    )
    .await?;
    let agreed_updates = duty_counts(
        tx,
        force,
        DutyKind::AgreedUpdate,
        RuleId::ContactAgreement,
        period,
        now,
    )
    .await?;
    let handover_decisions = duty_counts(
        tx,
        force,
        DutyKind::DecideHandover,
        RuleId::HandoverDecision,
        period,
        now,
    )
    .await?;
    let outcome_approvals = duty_counts(
        tx,
        force,
        DutyKind::ApproveOutcome,
        RuleId::OutcomeApproval,
        period,
        now,
    )
    .await?;
    let (made, accepted, returned, awaiting): (i64, i64, i64, i64) = on!(tx, c => sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN decision = 'accepted' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN decision = 'returned' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN decision IS NULL THEN 1 ELSE 0 END), 0)
         FROM handover WHERE force_id = $1 AND at >= $2 AND at < $3")
        .bind(f).bind(period.from).bind(period.to).fetch_one(c).await)?;
    let sql = format!(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN overall IN {SATISFIED} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN kept_informed IN {SATISFIED} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN treatment IN {SATISFIED} THEN 1 ELSE 0 END), 0)
         FROM victim_survey WHERE force_id = $1 AND at >= $2 AND at < $3"
    );
    let (responses, overall, kept_informed, treatment): (i64, i64, i64, i64) = on!(tx, c =>
        sqlx::query_as(AssertSqlSafe(sql)).bind(f).bind(period.from).bind(period.to).fetch_one(c).await)?;
    Ok(InvestigationMeasures {
        period,
        outcomes,
        supervision,
        referral,
        updates,
        updates_by_development,
        updates_by_entitlement,
        acknowledgement,
        agreed_updates,
        handover_decisions,
        outcome_approvals,
        handovers: HandoverCounts {
            made,
            accepted,
            returned,
            awaiting,
        },
        satisfaction: SatisfactionCounts {
            responses,
            overall,
            kept_informed,
            treatment,
        },
    })
}

/// Victims' updates raised in the period, counted by `group` (a column of `d`, or of a
/// table `join` brings in); rows whose group is NULL are left out.
async fn update_counts_by(
    tx: &mut Tx,
    force: ForceId,
    period: Period,
    now: DateTime<Utc>,
    group: &str,
    join: &str,
) -> Result<Vec<(String, DutyCounts)>> {
    let sql = format!(
        "SELECT {group}, {DUTY_COUNTS}
         FROM duty d {join}
         WHERE d.force_id = $1 AND d.kind = $2 AND d.rule = $3 AND d.rule <> 'escalation'
           AND d.raised_at >= $4 AND d.raised_at < $5 AND {group} IS NOT NULL
         GROUP BY {group} ORDER BY {group}"
    );
    let rows: Vec<(String, i64, i64, i64, i64)> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(DutyKind::InformVictim.as_str()).bind(RuleId::VictimUpdate.as_str())
        .bind(period.from).bind(period.to).bind(now)
        .fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(g, raised, met_on_time, met_late, overdue)| {
            (
                g,
                DutyCounts {
                    raised,
                    met_on_time,
                    met_late,
                    overdue,
                },
            )
        })
        .collect())
}

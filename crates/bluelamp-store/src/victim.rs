//! Victims of crimes: the needs assessment and what follows from it (the referral, the
//! contact agreement, the victim personal statement), the contact log and survey answers.

use bluelamp_domain::duty::Entitlement;
use bluelamp_domain::ids::{ForceId, RecordId, UserId};
use bluelamp_domain::victim::{
    Contact, ContactMethod, EnhancedReason, Referral, Satisfaction, Survey, VpsOffer,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{Result, Tx, decode, exec, on};

/// A victim of a crime with their needs assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Victim {
    pub id: Uuid,
    pub crime: RecordId,
    pub person: RecordId,
    /// When the victim reported, or was recorded: the referral limit runs from it.
    pub recorded_at: DateTime<Utc>,
    pub entitlement: Entitlement,
    pub reasons: Vec<EnhancedReason>,
    pub needs: Option<String>,
    pub referral: Referral,
    /// When the referral was made or declined.
    pub referral_at: Option<DateTime<Utc>>,
    pub contact_method: ContactMethod,
    pub update_every_days: u32,
    pub vps: Option<VpsOffer>,
    pub assessed_by: UserId,
}

/// Stores a victim.
///
/// # Errors
/// [`crate::StoreError::Conflict`] when the person is already a victim of the crime.
pub async fn insert(tx: &mut Tx, force: ForceId, v: &Victim) -> Result<()> {
    let reasons: Vec<&str> = v.reasons.iter().map(|r| r.as_str()).collect();
    exec!(tx, c => sqlx::query(
        "INSERT INTO crime_victim (force_id, id, crime_id, person_id, recorded_at, entitlement,
             reasons, needs, referral, referral_at, contact_method, update_every_days, vps,
             assessed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
        .bind(force.uuid()).bind(v.id).bind(v.crime.uuid()).bind(v.person.uuid())
        .bind(v.recorded_at).bind(v.entitlement.as_str()).bind(reasons.join(","))
        .bind(v.needs.as_deref()).bind(v.referral.as_str()).bind(v.referral_at)
        .bind(v.contact_method.as_str()).bind(i64::from(v.update_every_days))
        .bind(v.vps.map(|p| p.as_str())).bind(v.assessed_by.uuid())
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct VictimRow {
    id: Uuid,
    crime_id: Uuid,
    person_id: Uuid,
    recorded_at: DateTime<Utc>,
    entitlement: String,
    reasons: String,
    needs: Option<String>,
    referral: String,
    referral_at: Option<DateTime<Utc>>,
    contact_method: String,
    update_every_days: i64,
    vps: Option<String>,
    assessed_by: Uuid,
}

impl VictimRow {
    fn into_victim(self) -> Result<Victim> {
        Ok(Victim {
            id: self.id,
            crime: RecordId::from_uuid(self.crime_id),
            person: RecordId::from_uuid(self.person_id),
            recorded_at: self.recorded_at,
            entitlement: decode("entitlement", &self.entitlement)?,
            reasons: self
                .reasons
                .split(',')
                .filter(|r| !r.is_empty())
                .map(|r| decode("enhanced reason", r))
                .collect::<Result<_>>()?,
            needs: self.needs,
            referral: decode("referral", &self.referral)?,
            referral_at: self.referral_at,
            contact_method: decode("contact method", &self.contact_method)?,
            update_every_days: u32::try_from(self.update_every_days).unwrap_or(28),
            vps: self.vps.as_deref().map(|v| decode("vps", v)).transpose()?,
            assessed_by: UserId::from_uuid(self.assessed_by),
        })
    }
}

const COLUMNS: &str = "id, crime_id, person_id, recorded_at, entitlement, reasons, needs, referral,
     referral_at, contact_method, update_every_days, vps, assessed_by";

/// A victim by id.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is none.
pub async fn get(tx: &mut Tx, force: ForceId, id: Uuid) -> Result<Victim> {
    let sql = format!("SELECT {COLUMNS} FROM crime_victim WHERE force_id = $1 AND id = $2");
    let row: VictimRow = on!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(force.uuid()).bind(id).fetch_one(c).await)?;
    row.into_victim()
}

/// The victims of a crime, in the order recorded.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn of_crime(tx: &mut Tx, force: ForceId, crime: RecordId) -> Result<Vec<Victim>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM crime_victim WHERE force_id = $1 AND crime_id = $2
         ORDER BY recorded_at, id"
    );
    let rows: Vec<VictimRow> = on!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(force.uuid()).bind(crime.uuid()).fetch_all(c).await)?;
    rows.into_iter().map(VictimRow::into_victim).collect()
}

/// Records the referral decision of a victim whose referral was awaited.
///
/// # Errors
/// The database failed.
pub async fn set_referral(
    tx: &mut Tx,
    force: ForceId,
    id: Uuid,
    referral: Referral,
    at: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE crime_victim SET referral = $3, referral_at = $4 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id).bind(referral.as_str()).bind(at)
        .execute(c).await)?;
    Ok(())
}

/// Records the latest answer to the offer of a victim personal statement.
///
/// # Errors
/// The database failed.
pub async fn set_vps(tx: &mut Tx, force: ForceId, id: Uuid, vps: VpsOffer) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE crime_victim SET vps = $3 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id).bind(vps.as_str())
        .execute(c).await)?;
    Ok(())
}

/// A contact in the log, with who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedContact {
    pub id: Uuid,
    pub contact: Contact,
    pub by: UserId,
}

/// Appends a contact to a victim's log.
///
/// # Errors
/// The database failed.
pub async fn insert_contact(
    tx: &mut Tx,
    force: ForceId,
    victim: Uuid,
    c: &LoggedContact,
) -> Result<()> {
    let k = &c.contact;
    exec!(tx, conn => sqlx::query(
        "INSERT INTO victim_contact (force_id, id, victim_id, at, method, summary, by_user,
             referral, vps)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(force.uuid()).bind(c.id).bind(victim).bind(k.at).bind(k.method.as_str())
        .bind(&k.summary).bind(c.by.uuid()).bind(k.referral.map(|r| r.as_str()))
        .bind(k.vps.map(|v| v.as_str()))
        .execute(conn).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: Uuid,
    at: DateTime<Utc>,
    method: String,
    summary: String,
    by_user: Uuid,
    referral: Option<String>,
    vps: Option<String>,
}

/// A victim's contact log, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn contacts(tx: &mut Tx, force: ForceId, victim: Uuid) -> Result<Vec<LoggedContact>> {
    let rows: Vec<ContactRow> = on!(tx, c => sqlx::query_as(
        "SELECT id, at, method, summary, by_user, referral, vps FROM victim_contact
         WHERE force_id = $1 AND victim_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(victim).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(LoggedContact {
                id: r.id,
                contact: Contact {
                    at: r.at,
                    method: decode("contact method", &r.method)?,
                    summary: r.summary,
                    referral: r
                        .referral
                        .as_deref()
                        .map(|x| decode("referral", x))
                        .transpose()?,
                    vps: r.vps.as_deref().map(|x| decode("vps", x)).transpose()?,
                },
                by: UserId::from_uuid(r.by_user),
            })
        })
        .collect()
}

/// Stores a survey response.
///
/// # Errors
/// The database failed.
pub async fn insert_survey(
    tx: &mut Tx,
    force: ForceId,
    victim: Uuid,
    id: Uuid,
    s: &Survey,
    by: UserId,
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO victim_survey (force_id, id, victim_id, at, overall, kept_informed,
             treatment, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(force.uuid()).bind(id).bind(victim).bind(s.at).bind(s.overall.as_str())
        .bind(s.kept_informed.as_str()).bind(s.treatment.as_str()).bind(by.uuid())
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SurveyRow {
    at: DateTime<Utc>,
    overall: String,
    kept_informed: String,
    treatment: String,
}

/// A victim's survey responses, oldest first.
///
/// # Errors
/// The database failed or a row is corrupt.
pub async fn surveys(tx: &mut Tx, force: ForceId, victim: Uuid) -> Result<Vec<Survey>> {
    let rows: Vec<SurveyRow> = on!(tx, c => sqlx::query_as(
        "SELECT at, overall, kept_informed, treatment FROM victim_survey
         WHERE force_id = $1 AND victim_id = $2 ORDER BY at, id")
        .bind(force.uuid()).bind(victim).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Survey {
                at: r.at,
                overall: decode::<Satisfaction>("satisfaction", &r.overall)?,
                kept_informed: decode("satisfaction", &r.kept_informed)?,
                treatment: decode("satisfaction", &r.treatment)?,
            })
        })
        .collect()
}

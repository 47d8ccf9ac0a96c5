//! Victim care (issue 5 §5): record a victim of a crime with the Victims' Code needs
//! assessment, log contacts (which meet the duties to update), and record survey answers.

use bluelamp_domain::access::{Action, Role};
use bluelamp_domain::audit::Operation;
use bluelamp_domain::duty::{Duty, DutyKind, Event, Owner};
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::{RecordId, UserId};
use bluelamp_domain::incident::{instant, optional_record};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::victim::{
    Contact, ContactInput, NeedsAssessment, NeedsAssessmentInput, Survey, SurveyInput,
};
use bluelamp_store::victim::{self as store, LoggedContact, Victim};
use bluelamp_store::{StoreError, Tx, link};
use uuid::Uuid;

use crate::{App, Ctx, Result, authorise};

/// A victim as sent: who, when they reported, and the needs assessment.
#[derive(Debug, Clone, Default)]
pub struct VictimInput {
    pub person_id: String,
    /// When the victim reported (the referral limit runs from it): RFC 3339; when the crime
    /// was recorded, if blank.
    pub reported_at: Option<String>,
    pub assessment: NeedsAssessmentInput,
}

/// A victim with their contact log, survey answers and the duties owed to them.
#[derive(Debug, Clone)]
pub struct VictimFile {
    pub victim: Victim,
    pub contacts: Vec<LoggedContact>,
    pub surveys: Vec<Survey>,
    pub duties: Vec<Duty>,
    /// The names of the users it mentions, for pages.
    pub names: std::collections::BTreeMap<Uuid, String>,
    /// The crime's reference and the victim's name.
    pub crime_reference: String,
    pub person_name: String,
}

impl App {
    async fn victim_file(&self, tx: &mut Tx, victim: Victim) -> Result<VictimFile> {
        let f = self.force.id;
        let duties: Vec<Duty> = bluelamp_store::duty::of_subject(tx, f, victim.crime)
            .await?
            .into_iter()
            .filter(|d| d.owed_to == Some(victim.person))
            .collect();
        let contacts = store::contacts(tx, f, victim.id).await?;
        let mut users: Vec<UserId> = contacts.iter().map(|c| c.by).collect();
        users.push(victim.assessed_by);
        users.extend(duties.iter().filter_map(|d| match d.owed_by {
            Owner::User(u) => Some(u),
            _ => None,
        }));
        users.sort();
        users.dedup();
        let mut names: std::collections::BTreeMap<Uuid, String> =
            bluelamp_store::user::display_names(tx, f, &users)
                .await?
                .into_iter()
                .map(|(id, n)| (id.uuid(), n))
                .collect();
        for (id, n) in bluelamp_store::user::teams(tx, f).await? {
            names.insert(id.uuid(), n);
        }
        let crime_reference = bluelamp_store::crime::load(tx, f, victim.crime)
            .await?
            .reference;
        let person = bluelamp_store::person::load(tx, f, victim.person).await?;
        Ok(VictimFile {
            contacts,
            surveys: store::surveys(tx, f, victim.id).await?,
            duties,
            names,
            crime_reference,
            person_name: format!("{} {}", person.name.forenames, person.name.surname),
            victim,
        })
    }

    /// Opens a victim through their crime (need-to-know is the crime's).
    async fn open_victim(&self, tx: &mut Tx, ctx: &Ctx, id: Uuid) -> Result<Victim> {
        let v = store::get(tx, self.force.id, id).await?;
        self.open(tx, ctx, v.crime, Some(RecordKind::Crime)).await?;
        Ok(v)
    }

    /// Records a victim of a crime with their needs assessment: links the person as victim
    /// (unless already linked), decides standard or enhanced entitlements, and raises the
    /// duty to refer them to support services (met at once when the referral is made or
    /// declined now).
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `care_for_victims`; [`crate::AppError::Invalid`] naming each bad
    /// field (a person the actor cannot see, a person already recorded as a victim of this
    /// crime, a referral for which explicit consent is needed and not given).
    pub async fn add_victim(
        &self,
        ctx: &Ctx,
        crime: RecordId,
        input: &VictimInput,
    ) -> Result<VictimFile> {
        authorise(ctx, Action::CareForVictims)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        self.open(&mut tx, ctx, crime, Some(RecordKind::Crime))
            .await?;
        let c = bluelamp_store::crime::load(&mut tx, self.force.id, crime).await?;
        let mut f = Fields::new();
        let person = match f.check("/person_id", optional_record(Some(&input.person_id))) {
            Some(None) => {
                f.error("/person_id", "must not be blank");
                None
            }
            other => other.flatten(),
        };
        let reported_at = match input.reported_at.as_deref().map(str::trim) {
            None | Some("") => Some(c.recorded_at),
            Some(raw) => f.check("/reported_at", instant(raw, now)),
        };
        let assessment = NeedsAssessment::parse_at(
            &mut f,
            "/assessment",
            &input.assessment,
            c.offence_code,
            c.domestic_abuse,
        );
        let (person, reported_at, assessment) =
            f.finish(|| Some((person?, reported_at?, assessment?)))?;
        self.referenced(&mut tx, ctx, person, RecordKind::Person, "/person_id")
            .await?;
        let id = Uuid::now_v7();
        let settled = assessment.referral.settles_duty();
        let victim = Victim {
            id,
            crime,
            person,
            recorded_at: reported_at,
            entitlement: assessment.entitlement(),
            reasons: assessment.reasons.clone(),
            needs: assessment.needs.clone(),
            referral: assessment.referral,
            referral_at: settled.then_some(now),
            contact_method: assessment.contact_method,
            update_every_days: assessment.update_every_days,
            vps: None,
            assessed_by: ctx.actor.user_id,
        };
        match store::insert(&mut tx, self.force.id, &victim).await {
            Err(StoreError::Conflict(_)) => {
                return Err(Invalid::one(
                    "/person_id",
                    "is already recorded as a victim of this crime",
                )
                .into());
            }
            other => other?,
        }
        let linked = link::of_record(&mut tx, self.force.id, crime, &ctx.actor.audience())
            .await?
            .iter()
            .any(|l| l.from == person && l.role == LinkRole::VictimOf);
        if !linked {
            self.link_person(&mut tx, ctx, person, LinkRole::VictimOf, crime)
                .await?;
        }
        self.duty_event(
            &mut tx,
            &Event::VictimRecorded {
                crime,
                victim: person,
                at: reported_at,
                owner: Owner::Role(Role::VictimCare),
            },
        )
        .await?;
        if settled {
            self.duty_event(
                &mut tx,
                &Event::VictimReferred {
                    crime,
                    victim: person,
                    at: now,
                },
            )
            .await?;
        }
        // The contact agreement is made at the needs assessment.
        self.agree_updates(&mut tx, &victim, now).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "victim.create",
            Some(crime),
            serde_json::json!({
                "victim_id": id.to_string(), "person_id": person.to_string(),
                "entitlement": victim.entitlement.as_str(),
                "reasons": victim.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "referral": victim.referral.as_str(), "contact_method": victim.contact_method.as_str(),
                "update_every_days": victim.update_every_days,
            }),
        )
        .await?;
        let file = self.victim_file(&mut tx, victim).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// The crime a victim is recorded against, for the "state your reason" step that a
    /// restricted crime asks for before its victims' files open. Nothing of the victim is
    /// read out, so nothing is audited.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `view_record`; [`crate::AppError::NotFound`]
    /// when there is no such victim or the crime is hidden from the actor.
    pub async fn victim_crime(&self, ctx: &Ctx, id: Uuid) -> Result<RecordId> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let v = store::get(&mut tx, self.force.id, id).await?;
        match self
            .open(&mut tx, ctx, v.crime, Some(RecordKind::Crime))
            .await
        {
            Ok(_) | Err(crate::AppError::ReasonRequired) => Ok(v.crime),
            Err(e) => Err(e),
        }
    }

    /// Opens a victim's file: the assessment, contact log, survey answers and duties.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `view_record`; [`crate::AppError::NotFound`] when there is no
    /// such victim or the crime is hidden; [`crate::AppError::ReasonRequired`].
    pub async fn get_victim(&self, ctx: &Ctx, id: Uuid) -> Result<VictimFile> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let v = self.open_victim(&mut tx, ctx, id).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "victim.view",
            Some(v.crime),
            serde_json::json!({"victim_id": id.to_string()}),
        )
        .await?;
        let file = self.victim_file(&mut tx, v).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// Logs a contact with a victim. It meets every update owed to them that was raised
    /// before it; a referral decision still awaited, and the answer to the offer of a
    /// victim personal statement, are recorded with it.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `care_for_victims`; [`crate::AppError::Invalid`] naming each bad
    /// field (a time in the future or before the victim was recorded, a referral already
    /// settled).
    pub async fn record_contact(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &ContactInput,
    ) -> Result<VictimFile> {
        authorise(ctx, Action::CareForVictims)?;
        let now = self.now();
        let mut tx = self.begin().await?;
        let mut v = self.open_victim(&mut tx, ctx, id).await?;
        let contact = Contact::parse(input, v.recorded_at, now)?;
        if let Some(r) = contact.referral {
            if v.referral.settles_duty() {
                return Err(Invalid::one(
                    "/referral",
                    format!("the referral is already settled ({})", v.referral),
                )
                .into());
            }
            // A referral made at a contact records the consent the victim gave in it.
            v.referral = r;
            store::set_referral(&mut tx, self.force.id, id, r, contact.at).await?;
            if r.settles_duty() {
                self.duty_event(
                    &mut tx,
                    &Event::VictimReferred {
                        crime: v.crime,
                        victim: v.person,
                        at: contact.at,
                    },
                )
                .await?;
            }
        }
        if let Some(vps) = contact.vps {
            store::set_vps(&mut tx, self.force.id, id, vps).await?;
            v.vps = Some(vps);
        }
        let logged = LoggedContact {
            id: Uuid::now_v7(),
            contact,
            by: ctx.actor.user_id,
        };
        // A contact written up after a later contact, or after the agreement was made,
        // starts no new period: the later one already did.
        let superseded = bluelamp_store::duty::of_subject(&mut tx, self.force.id, v.crime)
            .await?
            .iter()
            .any(|d| {
                d.kind == DutyKind::AgreedUpdate
                    && d.owed_to == Some(v.person)
                    && d.raised_at > logged.contact.at
            });
        store::insert_contact(&mut tx, self.force.id, id, &logged).await?;
        self.duty_event(
            &mut tx,
            &Event::VictimContacted {
                crime: v.crime,
                victim: v.person,
                at: logged.contact.at,
            },
        )
        .await?;
        if !superseded {
            self.agree_updates(&mut tx, &v, logged.contact.at).await?;
        }
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "victim.contact",
            Some(v.crime),
            serde_json::json!({
                "victim_id": id.to_string(), "contact_id": logged.id.to_string(),
                "at": logged.contact.at, "method": logged.contact.method.as_str(),
                "referral": logged.contact.referral.map(|r| r.as_str()),
                "vps": logged.contact.vps.map(|p| p.as_str()),
            }),
        )
        .await?;
        let file = self.victim_file(&mut tx, v).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// Records a victim's answers to the satisfaction survey.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `care_for_victims`; [`crate::AppError::Invalid`] naming each bad
    /// answer.
    pub async fn record_survey(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &SurveyInput,
    ) -> Result<VictimFile> {
        authorise(ctx, Action::CareForVictims)?;
        let survey = Survey::parse(input, self.now())?;
        let mut tx = self.begin().await?;
        let v = self.open_victim(&mut tx, ctx, id).await?;
        if survey.at < v.recorded_at {
            return Err(
                Invalid::one("/surveyed_on", "must not be before the victim was recorded").into(),
            );
        }
        let survey_id = Uuid::now_v7();
        store::insert_survey(
            &mut tx,
            self.force.id,
            id,
            survey_id,
            &survey,
            ctx.actor.user_id,
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "victim.survey",
            Some(v.crime),
            serde_json::json!({
                "victim_id": id.to_string(), "survey_id": survey_id.to_string(),
                "overall": survey.overall.as_str(), "kept_informed": survey.kept_informed.as_str(),
                "treatment": survey.treatment.as_str(),
            }),
        )
        .await?;
        let file = self.victim_file(&mut tx, v).await?;
        tx.commit().await?;
        Ok(file)
    }
}

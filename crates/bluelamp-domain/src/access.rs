//! Who may do what (design.md, idea 6): roles, the permission matrix, and need-to-know.
//!
//! Deny by default: an action is allowed only when one of the actor's roles is listed
//! for it in [`Role::permits`]. A restricted record is visible only to the users and teams
//! it is restricted to; to everyone else it does not exist. A partner agency's user sees
//! only records shared with that agency.

use crate::ids::{TeamId, UserId};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// A role a user holds. A user may hold several.
    Role, "a role" {
        Admin = "admin",
        CallHandler = "call_handler",
        Investigator = "investigator",
        Supervisor = "supervisor",
        VictimCare = "victim_care",
        Safeguarding = "safeguarding",
        MaracCoordinator = "marac_coordinator",
        OffenderManager = "offender_manager",
        SocOfficer = "soc_officer",
        Neighbourhood = "neighbourhood",
        Analyst = "analyst",
        /// Read-only, force-wide: an inspector from HMICFRS.
        Inspector = "inspector",
        /// A user of an external agency (an IDVA service, a council) who sees only what has
        /// been shared with their agency.
        Partner = "partner",
    }
);

vocabulary!(
    /// Something a user does. Each service checks exactly one.
    Action, "an action" {
        ViewRecord = "view_record",
        SearchPersons = "search_persons",
        CreateRecord = "create_record",
        EditRecord = "edit_record",
        LinkRecords = "link_records",
        RestrictRecord = "restrict_record",
        ShareRecord = "share_record",
        ArchiveRecord = "archive_record",
        EraseRecord = "erase_record",
        ManageAreas = "manage_areas",
        ManageUsers = "manage_users",
        ReadAudit = "read_audit",
        ViewAggregates = "view_aggregates",
        /// THRIVE and grading at first contact, first or again.
        AssessIncident = "assess_incident",
        /// A deployment, a decision not to attend, or an arrival.
        RecordAttendance = "record_attendance",
        /// The NCRS decision: recorded as crimes, or not a crime.
        DecideCrimeRecording = "decide_crime_recording",
        CloseIncident = "close_incident",
        ViewIncidentQueue = "view_incident_queue",
        /// Give an investigation to a team and an accredited investigator.
        AllocateInvestigation = "allocate_investigation",
        /// Plan, record developments, refer to the CPS, hand over, accept handovers.
        WorkInvestigation = "work_investigation",
        /// A supervisor's review with its directions.
        ReviewInvestigation = "review_investigation",
        /// Propose or record an outcome.
        RecordOutcome = "record_outcome",
        /// Approve or reject a proposed outcome, where force policy asks for approval.
        ApproveOutcome = "approve_outcome",
        /// Victims: needs assessment, referral, contacts, personal statement, survey.
        CareForVictims = "care_for_victims",
        /// See the duties owed, one's own and one's teams'.
        ViewDuties = "view_duties",
        /// Record the escalation of every late duty: a system job, run by the operator or
        /// the server.
        SweepDuties = "sweep_duties",
        /// Change the force's settings, such as its working-day calendar.
        ConfigureForce = "configure_force",
        ExportData = "export_data",
        /// Restoring an export into an empty database: done by the operator at the shell.
        ImportData = "import_data",
    }
);

impl Action {
    /// Plain words for the permission matrix.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::ViewRecord => "Open a record (person, location, object, event) or link",
            Action::SearchPersons => "Search nominals",
            Action::CreateRecord => "Create a record (person, location, object, event)",
            Action::EditRecord => "Edit a record",
            Action::LinkRecords => "Link two records",
            Action::RestrictRecord => "Restrict a record to named users or teams",
            Action::ShareRecord => "Share a record with a partner agency",
            Action::ArchiveRecord => "Archive a record (MoPI review)",
            Action::EraseRecord => "Erase personal data (MoPI disposal)",
            Action::ManageAreas => "Manage the force's areas",
            Action::ManageUsers => "Manage users",
            Action::ReadAudit => "Read the audit log",
            Action::ViewAggregates => "See counts and indicators",
            Action::AssessIncident => "Assess an incident with THRIVE and grade it",
            Action::RecordAttendance => {
                "Record a deployment, a decision not to attend, or an arrival"
            }
            Action::DecideCrimeRecording => "Make the crime-recording decision on an incident",
            Action::CloseIncident => "Close an incident",
            Action::ViewIncidentQueue => "See the incident-management queue",
            Action::AllocateInvestigation => "Allocate an investigation",
            Action::WorkInvestigation => {
                "Plan an investigation, record its developments, hand it over or accept it"
            }
            Action::ReviewInvestigation => "Review an investigation and give directions",
            Action::RecordOutcome => "Record the outcome of an investigation",
            Action::ApproveOutcome => "Approve or reject a proposed outcome",
            Action::CareForVictims => {
                "Assess a victim's needs, record contacts, the personal statement and survey"
            }
            Action::ViewDuties => "See the duties owed, with their deadlines",
            Action::SweepDuties => "Escalate every late duty to a supervisor",
            Action::ConfigureForce => "Change the force's settings (its working-day calendar)",
            Action::ExportData => "Export the force's data",
            Action::ImportData => "Import an export into an empty database",
        }
    }
}

impl Role {
    /// The permission matrix: whether this role may take this action. Published in the
    /// README (generated from this function by a test, so the two cannot disagree).
    pub fn permits(&self, action: Action) -> bool {
        use Action as A;
        let operational = matches!(
            action,
            A::ViewRecord
                | A::SearchPersons
                | A::CreateRecord
                | A::EditRecord
                | A::LinkRecords
                | A::ViewAggregates
        );
        let first_contact = matches!(
            action,
            A::AssessIncident
                | A::RecordAttendance
                | A::DecideCrimeRecording
                | A::CloseIncident
                | A::ViewIncidentQueue
        );
        let investigation = matches!(
            action,
            A::WorkInvestigation | A::RecordOutcome | A::CareForVictims | A::ViewDuties
        );
        match self {
            Role::Admin => matches!(
                action,
                A::ViewRecord
                    | A::SearchPersons
                    | A::ManageAreas
                    | A::ManageUsers
                    | A::ReadAudit
                    | A::ArchiveRecord
                    | A::EraseRecord
                    | A::ViewAggregates
                    | A::ExportData
                    | A::ImportData
                    | A::SweepDuties
                    | A::ConfigureForce
            ),
            Role::Supervisor => {
                operational
                    || first_contact
                    || investigation
                    || matches!(
                        action,
                        A::RestrictRecord
                            | A::ShareRecord
                            | A::ArchiveRecord
                            | A::AllocateInvestigation
                            | A::ReviewInvestigation
                            | A::ApproveOutcome
                    )
            }
            // The control room: takes the call, assesses it, works the queue.
            Role::CallHandler => operational || first_contact || action == A::ViewDuties,
            // Officers record their arrival, see the queue of their area, and decide on
            // crimes they find, and investigate the volume crime allocated to them.
            Role::Neighbourhood => {
                operational
                    || investigation
                    || matches!(
                        action,
                        A::RecordAttendance | A::ViewIncidentQueue | A::DecideCrimeRecording
                    )
            }
            Role::Investigator => {
                operational || investigation || matches!(action, A::DecideCrimeRecording)
            }
            Role::Safeguarding | Role::MaracCoordinator => {
                operational || matches!(action, A::RestrictRecord | A::ShareRecord)
            }
            Role::SocOfficer => operational || matches!(action, A::RestrictRecord),
            Role::VictimCare => operational || matches!(action, A::CareForVictims | A::ViewDuties),
            Role::OffenderManager => operational || action == A::ViewDuties,
            Role::Analyst => matches!(action, A::ViewRecord | A::SearchPersons | A::ViewAggregates),
            Role::Inspector => matches!(
                action,
                A::ViewRecord
                    | A::SearchPersons
                    | A::ViewAggregates
                    | A::ReadAudit
                    | A::ViewIncidentQueue
                    | A::ViewDuties
            ),
            Role::Partner => matches!(action, A::ViewRecord | A::SearchPersons),
        }
    }
}

/// Who is acting, as the application layer knows them after authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub roles: Vec<Role>,
    pub teams: Vec<TeamId>,
    /// Set for partner users: the agency whose shares they see.
    pub agency: Option<String>,
}

/// An action the actor's roles do not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("your role does not allow this: {}", .0.describe())]
pub struct Denied(pub Action);

impl Actor {
    /// Allows the action if any role permits it; denies otherwise.
    ///
    /// # Errors
    /// [`Denied`] naming the action.
    pub fn authorise(&self, action: Action) -> Result<(), Denied> {
        if self.roles.iter().any(|r| r.permits(action)) {
            Ok(())
        } else {
            Err(Denied(action))
        }
    }

    /// Whether this actor is an external partner, who sees only shared records.
    pub fn is_partner(&self) -> bool {
        self.roles.contains(&Role::Partner)
    }

    /// What this actor may see of records: the audience a store query filters by.
    pub fn audience(&self) -> Audience {
        Audience {
            user_id: self.user_id,
            teams: self.teams.clone(),
            partner_agency: if self.is_partner() {
                Some(self.agency.clone().unwrap_or_default())
            } else {
                None
            },
        }
    }
}

/// The facts a list or search must filter by so that hidden records stay hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub user_id: UserId,
    pub teams: Vec<TeamId>,
    /// `Some` for a partner: only records shared with this agency are visible.
    pub partner_agency: Option<String>,
}

/// A record's need-to-know controls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordAccess {
    pub restricted: bool,
    pub users: Vec<UserId>,
    pub teams: Vec<TeamId>,
    pub shared_with: Vec<String>,
}

/// What opening a record means for an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Open it.
    Open,
    /// Restricted, and the actor is among those allowed: they must state a reason first.
    ReasonRequired,
    /// The record does not exist for this actor.
    Hidden,
}

impl RecordAccess {
    /// Decides what the actor sees of the record.
    pub fn visibility(&self, actor: &Actor) -> Visibility {
        let audience = actor.audience();
        if let Some(agency) = &audience.partner_agency {
            // A partner sees only what was shared with their agency, and never a restricted
            // record: restriction is need-to-know inside the force.
            return if !self.restricted && self.shared_with.iter().any(|a| a == agency) {
                Visibility::Open
            } else {
                Visibility::Hidden
            };
        }
        if !self.restricted {
            return Visibility::Open;
        }
        let named = self.users.contains(&audience.user_id)
            || self.teams.iter().any(|t| audience.teams.contains(t));
        if named {
            Visibility::ReasonRequired
        } else {
            Visibility::Hidden
        }
    }
}

#[cfg(test)]
mod tests;

/// The permission matrix as a Markdown table, one row per action and one column per role;
/// the README publishes exactly this (a test keeps the two the same).
pub fn matrix_markdown() -> String {
    let mut out = String::from("| Action |");
    for r in Role::ALL {
        out.push_str(&format!(" `{}` |", r.as_str()));
    }
    out.push_str("\n|---|");
    out.push_str(&":-:|".repeat(Role::ALL.len()));
    out.push('\n');
    for a in Action::ALL {
        out.push_str(&format!("| {} |", a.describe()));
        for r in Role::ALL {
            out.push_str(if r.permits(*a) { " ✔ |" } else { "  |" });
        }
        out.push('\n');
    }
    out
}

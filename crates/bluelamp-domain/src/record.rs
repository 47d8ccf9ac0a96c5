//! Records and the links between them (design.md, idea 1: POLE).
//!
//! Every person, object, location and event is a record of some kind. Links join any two
//! records with a role; restrictions, partner shares and audit entries point at records.
//! A new kind of event is one more [`RecordKind`] variant and its own table.

use crate::vocabulary::vocabulary;

vocabulary!(
    /// What a record is.
    RecordKind, "a record kind" {
        Person = "person",
        Location = "location",
        Object = "object",
        /// A call for service or other report (`incident`).
        Incident = "incident",
        /// A notifiable crime (`crime`).
        Crime = "crime",
    }
);

impl RecordKind {
    /// Whether records of this kind are events (incidents, crimes, assessments, ...).
    pub fn is_event(&self) -> bool {
        match self {
            RecordKind::Person | RecordKind::Location | RecordKind::Object => false,
            RecordKind::Incident | RecordKind::Crime => true,
        }
    }
}

vocabulary!(
    /// The role a link gives its first record towards its second.
    LinkRole, "a link role" {
        LivesAt = "lives_at",
        WorksAt = "works_at",
        Frequents = "frequents",
        AssociateOf = "associate_of",
        FamilyOf = "family_of",
        PartnerOf = "partner_of",
        Owns = "owns",
        Uses = "uses",
        KeeperOf = "keeper_of",
        SeizedAt = "seized_at",
        FoundAt = "found_at",
        VictimOf = "victim_of",
        SuspectIn = "suspect_in",
        OffenderIn = "offender_in",
        WitnessIn = "witness_in",
        ReporterOf = "reporter_of",
        InvolvedIn = "involved_in",
        OccurredAt = "occurred_at",
    }
);

/// Why two records cannot be linked in a role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {role} link cannot join a {from} to a {to}")]
pub struct LinkKindsError {
    pub role: LinkRole,
    pub from: RecordKind,
    pub to: RecordKind,
}

impl LinkRole {
    /// Checks that the role makes sense between these kinds ("lives at" joins a person to a
    /// location; "victim of" joins a person to an event).
    ///
    /// # Errors
    /// [`LinkKindsError`] when it does not.
    pub fn check(&self, from: RecordKind, to: RecordKind) -> Result<(), LinkKindsError> {
        use RecordKind as K;
        let ok = match self {
            LinkRole::LivesAt | LinkRole::WorksAt | LinkRole::Frequents => {
                from == K::Person && to == K::Location
            }
            LinkRole::AssociateOf | LinkRole::FamilyOf | LinkRole::PartnerOf => {
                from == K::Person && to == K::Person
            }
            LinkRole::Owns | LinkRole::Uses | LinkRole::KeeperOf => {
                from == K::Person && to == K::Object
            }
            LinkRole::SeizedAt | LinkRole::FoundAt => from == K::Object && to == K::Location,
            LinkRole::VictimOf
            | LinkRole::SuspectIn
            | LinkRole::OffenderIn
            | LinkRole::WitnessIn
            | LinkRole::ReporterOf => from == K::Person && to.is_event(),
            LinkRole::InvolvedIn => !from.is_event() && to.is_event(),
            LinkRole::OccurredAt => from.is_event() && to == K::Location,
        };
        if ok {
            Ok(())
        } else {
            Err(LinkKindsError {
                role: *self,
                from,
                to,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_join_only_the_kinds_they_name() {
        assert!(
            LinkRole::LivesAt
                .check(RecordKind::Person, RecordKind::Location)
                .is_ok()
        );
        assert!(
            LinkRole::LivesAt
                .check(RecordKind::Location, RecordKind::Person)
                .is_err()
        );
        assert!(
            LinkRole::KeeperOf
                .check(RecordKind::Person, RecordKind::Object)
                .is_ok()
        );
        assert!(
            LinkRole::SeizedAt
                .check(RecordKind::Object, RecordKind::Location)
                .is_ok()
        );
        assert!(
            LinkRole::VictimOf
                .check(RecordKind::Person, RecordKind::Person)
                .is_err()
        );
        assert!(
            LinkRole::VictimOf
                .check(RecordKind::Person, RecordKind::Crime)
                .is_ok()
        );
        assert!(
            LinkRole::OccurredAt
                .check(RecordKind::Incident, RecordKind::Location)
                .is_ok()
        );
    }
}

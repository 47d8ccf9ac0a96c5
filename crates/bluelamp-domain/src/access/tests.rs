use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn actor(roles: Vec<Role>, teams: Vec<TeamId>, agency: Option<&str>) -> Actor {
    Actor {
        user_id: UserId::from_uuid(Uuid::from_u128(1)),
        username: "pc1".into(),
        roles,
        teams,
        agency: agency.map(str::to_string),
    }
}

#[test]
fn no_role_means_no_action() {
    let nobody = actor(vec![], vec![], None);
    for a in Action::ALL {
        assert_eq!(nobody.authorise(*a), Err(Denied(*a)));
    }
}

#[test]
fn the_inspector_only_reads() {
    let inspector = actor(vec![Role::Inspector], vec![], None);
    for a in [
        Action::CreateRecord,
        Action::EditRecord,
        Action::LinkRecords,
        Action::ManageUsers,
        Action::EraseRecord,
    ] {
        assert!(inspector.authorise(a).is_err(), "{a}");
    }
    assert!(inspector.authorise(Action::ViewRecord).is_ok());
}

#[test]
fn a_restricted_record_is_hidden_unless_named() {
    let team = TeamId::from_uuid(Uuid::from_u128(7));
    let access = RecordAccess {
        restricted: true,
        teams: vec![team],
        ..Default::default()
    };
    assert_eq!(
        access.visibility(&actor(vec![Role::Investigator], vec![], None)),
        Visibility::Hidden
    );
    assert_eq!(
        access.visibility(&actor(vec![Role::Investigator], vec![team], None)),
        Visibility::ReasonRequired
    );
    let named = RecordAccess {
        restricted: true,
        users: vec![UserId::from_uuid(Uuid::from_u128(1))],
        ..Default::default()
    };
    assert_eq!(
        named.visibility(&actor(vec![Role::Analyst], vec![], None)),
        Visibility::ReasonRequired
    );
}

#[test]
fn a_partner_sees_only_what_was_shared_with_their_agency() {
    let partner = actor(vec![Role::Partner], vec![], Some("idva"));
    assert_eq!(
        RecordAccess::default().visibility(&partner),
        Visibility::Hidden
    );
    let shared = RecordAccess {
        shared_with: vec!["idva".into()],
        ..Default::default()
    };
    assert_eq!(shared.visibility(&partner), Visibility::Open);
    let elsewhere = RecordAccess {
        shared_with: vec!["council".into()],
        ..Default::default()
    };
    assert_eq!(elsewhere.visibility(&partner), Visibility::Hidden);
}

proptest! {
    #[test]
    fn adding_a_role_never_removes_a_permission(a in 0usize..13, b in 0usize..13, act in 0usize..14) {
        let (ra, rb, action) = (Role::ALL[a], Role::ALL[b], Action::ALL[act]);
        let one = actor(vec![ra], vec![], None).authorise(action).is_ok();
        let both = actor(vec![ra, rb], vec![], None).authorise(action).is_ok();
        prop_assert!(!one || both);
    }

    #[test]
    fn unrestricted_unshared_records_are_open_to_force_staff(a in 0usize..12) {
        let role = Role::ALL[a];
        prop_assume!(role != Role::Partner);
        prop_assert_eq!(RecordAccess::default().visibility(&actor(vec![role], vec![], None)), Visibility::Open);
    }
}

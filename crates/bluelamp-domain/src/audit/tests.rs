use chrono::TimeZone;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn chain(n: usize) -> Vec<AuditEntry> {
    let force = ForceId::from_uuid(Uuid::from_u128(9));
    let mut head = ChainHead::genesis();
    (0..n)
        .map(|i| {
            let e = AuditFacts {
                at: Utc
                    .timestamp_opt(1_700_000_000 + i as i64, 123_456_000)
                    .single()
                    .unwrap_or_default(),
                user_id: None,
                username: format!("user{i}"),
                channel: Channel::Api,
                os_user: None,
                operation: Operation::Collection,
                action: "person.create".into(),
                record_id: None,
                reason: None,
                request_id: Some(format!("req-{i}")),
                details: format!("{{\"n\":{i}}}"),
            }
            .chain(force, &head);
            head = e.head();
            e
        })
        .collect()
}

fn verify(entries: &[AuditEntry], cp: Option<ChainHead>) -> Result<ChainHead, ChainBreak> {
    let mut v = ChainVerifier::new(cp);
    for e in entries {
        v.feed(e)?;
    }
    v.finish()
}

#[test]
fn an_intact_chain_verifies() {
    let c = chain(5);
    assert_eq!(verify(&c, None).map(|h| h.seq), Ok(5));
}

#[test]
fn erasing_details_keeps_the_chain_verifiable() {
    let mut c = chain(3);
    c[1].details = None;
    assert!(verify(&c, None).is_ok());
}

#[test]
fn an_edited_entry_is_named() {
    let mut c = chain(5);
    c[2].username = "someone else".into();
    assert_eq!(verify(&c, None), Err(ChainBreak::Altered { seq: 3 }));
    let mut c = chain(5);
    c[3].details = Some("{\"n\":99}".into());
    assert_eq!(verify(&c, None), Err(ChainBreak::DetailsAltered { seq: 4 }));
}

#[test]
fn a_deleted_entry_is_named() {
    let mut c = chain(5);
    c.remove(1);
    assert_eq!(
        verify(&c, None),
        Err(ChainBreak::Missing {
            seq: 3,
            expected: 2
        })
    );
}

#[test]
fn truncation_is_caught_only_with_a_checkpoint() {
    let c = chain(5);
    let cp = c[4].head();
    assert!(verify(&c[..3], None).is_ok());
    assert_eq!(
        verify(&c[..3], Some(cp)),
        Err(ChainBreak::Truncated {
            expected: 5,
            found: 3
        })
    );
}

proptest! {
    #[test]
    fn any_single_edit_breaks_the_chain(n in 2usize..12, which in 0usize..12, field in 0u8..4) {
        let mut c = chain(n);
        let i = which % n;
        match field {
            0 => c[i].action.push('x'),
            1 => c[i].seq += 100,
            2 => c[i].reason = Some("edited".into()),
            _ => c[i].at += chrono::Duration::microseconds(1),
        }
        prop_assert!(verify(&c, None).is_err());
    }
}

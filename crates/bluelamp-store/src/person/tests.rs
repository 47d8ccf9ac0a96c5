//! The candidate window of nominal search: ranked by keys shared, judged, and checked for
//! need-to-know only where it matters.

use bluelamp_domain::access::Audience;
use bluelamp_domain::ids::{ForceId, RecordId, UserId};
use bluelamp_domain::nominal::{
    NameQuery, PersonName, index_keys, query_keys, rank_keys, rank_weight,
};
use bluelamp_domain::partial_date::PartialDate;
use bluelamp_domain::person::{Person, Sex};
use bluelamp_domain::record::RecordKind;
use chrono::Utc;
use uuid::Uuid;

use super::SearchKey;
use crate::force::Force;
use crate::{Db, Tx, force, record};

async fn db_with_force() -> (Db, ForceId) {
    let db = Db::connect("sqlite::memory:")
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    db.migrate()
        .await
        .unwrap_or_else(|e| panic!("migrate: {e}"));
    let id = ForceId::from_uuid(Uuid::now_v7());
    let mut tx = begin(&db).await;
    let f = Force {
        id,
        code: "TST".into(),
        name: "Test".into(),
    };
    force::insert(&mut tx, &f, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("force: {e}"));
    commit(tx).await;
    (db, id)
}

async fn begin(db: &Db) -> Tx {
    db.begin().await.unwrap_or_else(|e| panic!("begin: {e}"))
}

async fn commit(tx: Tx) {
    tx.commit().await.unwrap_or_else(|e| panic!("commit: {e}"));
}

async fn add_person(tx: &mut Tx, force: ForceId, forenames: &str, surname: &str) -> RecordId {
    add_person_with_aliases(tx, force, forenames, surname, vec![]).await
}

async fn add_person_born(
    tx: &mut Tx,
    force: ForceId,
    forenames: &str,
    surname: &str,
    born: Option<&str>,
) -> RecordId {
    add_person_full(tx, force, forenames, surname, vec![], born).await
}

async fn add_person_with_aliases(
    tx: &mut Tx,
    force: ForceId,
    forenames: &str,
    surname: &str,
    aliases: Vec<PersonName>,
) -> RecordId {
    add_person_full(tx, force, forenames, surname, aliases, Some("1980-01-01")).await
}

async fn add_person_full(
    tx: &mut Tx,
    force: ForceId,
    forenames: &str,
    surname: &str,
    aliases: Vec<PersonName>,
    born: Option<&str>,
) -> RecordId {
    let id = RecordId::from_uuid(Uuid::now_v7());
    let dob = born.and_then(|d| d.parse::<PartialDate>().ok());
    let p = Person {
        name: PersonName::new(forenames, surname),
        aliases,
        date_of_birth: dob,
        date_of_birth_approximate: false,
        sex: Sex::Unknown,
        ethnicity: None,
        warning_markers: vec![],
    };
    record::insert(tx, force, id, RecordKind::Person, None, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("record: {e}"));
    let keys = index_keys(&p.all_names(), p.date_of_birth.as_ref());
    super::insert(tx, force, id, &p, &keys)
        .await
        .unwrap_or_else(|e| panic!("person: {e}"));
    id
}

fn keys(name: &str) -> Vec<SearchKey> {
    let query = NameQuery {
        name: name.into(),
        date_of_birth: "1980".parse::<PartialDate>().ok(),
        postcode: None,
    };
    let fetching = query_keys(&query).into_iter().map(|k| (k, true));
    let ranking = rank_keys(&query).into_iter().map(|k| (k, false));
    fetching
        .chain(ranking)
        .map(|(key, fetches)| SearchKey {
            weight: rank_weight(&key),
            key,
            fetches,
        })
        .collect()
}

fn anyone() -> Audience {
    Audience {
        user_id: UserId::from_uuid(Uuid::now_v7()),
        teams: vec![],
        partner_agency: None,
    }
}

/// IDs of the candidates, sorted.
fn ids<T>(found: &[(RecordId, bluelamp_domain::nominal::Candidate, T)]) -> Vec<RecordId> {
    let mut ids: Vec<RecordId> = found.iter().map(|(id, _, _)| *id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_window_is_the_first_visible_persons_by_keys_shared() {
    let (db, force) = db_with_force().await;
    let mut tx = begin(&db).await;
    // Six John Smiths share every key with the search, so they rank by ID (the order they
    // were made in); a John Brown shares fewer.
    let mut smiths = Vec::new();
    for _ in 0..6 {
        smiths.push(add_person(&mut tx, force, "John", "Smith").await);
    }
    let brown = add_person(&mut tx, force, "John", "Brown").await;
    for hidden in [smiths[0], smiths[2]] {
        record::archive(&mut tx, force, hidden, Utc::now())
            .await
            .unwrap_or_else(|e| panic!("archive: {e}"));
    }
    let keys = keys("John Smith");
    let who = anyone();

    // A full page with hidden persons in it is made up from the next page.
    let found = super::candidates(&mut tx, force, &keys, &who, 3, false, |_| Some(()))
        .await
        .unwrap_or_else(|e| panic!("candidates: {e}"));
    assert_eq!(ids(&found), vec![smiths[1], smiths[3], smiths[4]]);

    // Candidates judged and left out still count towards the window.
    let found = super::candidates(&mut tx, force, &keys, &who, 3, false, |c| {
        (c.names[0].surname == "Brown").then_some(())
    })
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    assert!(found.is_empty(), "{:?}", ids(&found));

    // A window wide enough for everyone: every visible person, with what the judge said.
    let found = super::candidates(&mut tx, force, &keys, &who, 100, false, |c| {
        Some(c.names[0].surname.clone())
    })
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    let mut expected = vec![smiths[1], smiths[3], smiths[4], smiths[5], brown];
    expected.sort();
    assert_eq!(ids(&found), expected);
    assert!(
        found
            .iter()
            .all(|(id, c, s)| c.names[0].surname == *s && (*id == brown) == (s == "Brown"))
    );

    // Kept candidates that are hidden are left out when the page is not full.
    let found = super::candidates(&mut tx, force, &keys, &who, 100, false, |c| {
        (c.names[0].surname == "Smith").then_some(())
    })
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    assert_eq!(
        ids(&found),
        vec![smiths[1], smiths[3], smiths[4], smiths[5]]
    );
    commit(tx).await;
}

#[tokio::test]
async fn every_name_of_a_candidate_comes_with_them_in_order() {
    let (db, force) = db_with_force().await;
    let mut tx = begin(&db).await;
    let aliases = vec![
        PersonName::new("Jack", "Smyth"),
        PersonName::new("Johnny", "Smith"),
        PersonName::new("Jon", "Smithe"),
    ];
    let john = add_person_with_aliases(&mut tx, force, "John", "Smith", aliases.clone()).await;
    let jane = add_person(&mut tx, force, "Jane", "Smith").await;
    let found = super::candidates(
        &mut tx,
        force,
        &keys("John Smith"),
        &anyone(),
        100,
        false,
        |_| Some(()),
    )
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    let names = |who: RecordId| {
        found
            .iter()
            .find(|(id, _, _)| *id == who)
            .map(|(_, c, _)| c.names.clone())
            .unwrap_or_default()
    };
    let mut johns = vec![PersonName::new("John", "Smith")];
    johns.extend(aliases);
    assert_eq!(names(john), johns);
    assert_eq!(names(jane), vec![PersonName::new("Jane", "Smith")]);
    assert_eq!(
        found
            .iter()
            .find(|(id, _, _)| *id == john)
            .and_then(|(_, c, _)| c.date_of_birth),
        "1980-01-01".parse::<PartialDate>().ok()
    );
    commit(tx).await;
}

#[tokio::test]
async fn the_same_names_rank_above_a_forename_and_a_year() {
    let (db, force) = db_with_force().await;
    let mut tx = begin(&db).await;
    // Both share one key with "John Smith 1980": the forename and year, or both names.
    let _brown = add_person_born(&mut tx, force, "John", "Brown", Some("1980-05-01")).await;
    let smith = add_person_born(&mut tx, force, "John", "Smith", None).await;
    let found = super::candidates(
        &mut tx,
        force,
        &keys("John Smith"),
        &anyone(),
        1,
        false,
        |_| Some(()),
    )
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    assert_eq!(ids(&found), vec![smith]);
    commit(tx).await;
}

#[tokio::test]
async fn ranking_keys_raise_candidates_but_find_no_one() {
    let (db, force) = db_with_force().await;
    let mut tx = begin(&db).await;
    // "John Sjith 1980" shares only a forename and a year (fy) with both Johns born in 1980,
    // who would tie; a typo pair lifts Smith. John Smithers, of no date of birth, shares only
    // typo pairs, which find no one.
    let _brown = add_person_born(&mut tx, force, "John", "Brown", Some("1980-05-01")).await;
    let smith = add_person_born(&mut tx, force, "John", "Smith", Some("1980-07-01")).await;
    let _smithers = add_person_born(&mut tx, force, "John", "Smithers", None).await;
    let keys = keys("John Sjith");
    let found = super::candidates(&mut tx, force, &keys, &anyone(), 1, false, |_| Some(()))
        .await
        .unwrap_or_else(|e| panic!("candidates: {e}"));
    assert_eq!(ids(&found), vec![smith]);
    let found = super::candidates(&mut tx, force, &keys, &anyone(), 100, false, |c| {
        Some(c.names[0].surname.clone())
    })
    .await
    .unwrap_or_else(|e| panic!("candidates: {e}"));
    let mut surnames: Vec<String> = found.into_iter().map(|(_, _, s)| s).collect();
    surnames.sort();
    assert_eq!(surnames, ["Brown", "Smith"]);
    commit(tx).await;
}

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::nicknames::{NICKNAMES, equivalent, formal_names};
use super::*;

fn date(s: &str) -> PartialDate {
    match s.parse() {
        Ok(d) => d,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn postcode(s: &str) -> Postcode {
    match s.parse() {
        Ok(p) => p,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn person(forenames: &str, surname: &str, dob: Option<&str>) -> Candidate {
    Candidate {
        names: vec![PersonName::new(forenames, surname)],
        date_of_birth: dob.map(date),
        postcodes: Vec::new(),
    }
}

fn search(name: &str, dob: Option<&str>) -> NameQuery {
    NameQuery {
        name: name.to_owned(),
        date_of_birth: dob.map(date),
        postcode: None,
    }
}

fn shares_key(query: &NameQuery, candidate: &Candidate) -> bool {
    let stored: BTreeSet<String> = index_keys(&candidate.names, candidate.date_of_birth.as_ref())
        .into_iter()
        .collect();
    query_keys(query).iter().any(|k| stored.contains(k))
}

/// The one helper for score tests: the score must fall in `range`, and when it is 60 or more
/// the search must also find the candidate through a shared key.
#[track_caller]
fn check(query: &NameQuery, candidate: &Candidate, range: std::ops::RangeInclusive<u8>) {
    let s = score(query, candidate);
    assert!(
        range.contains(&s),
        "{query:?} vs {candidate:?}: score {s}, wanted {range:?}"
    );
    if s >= 60 {
        assert!(
            shares_key(query, candidate),
            "{query:?} vs {candidate:?}: scored {s} but no key"
        );
    }
}

#[test]
fn a_pair_of_names_ranks_above_one_name_and_a_year() {
    let query = NameQuery {
        name: "John Smith".into(),
        date_of_birth: "1980".parse().ok(),
        postcode: None,
    };
    let keys = query_keys(&query);
    for k in &keys {
        let kind = KeyKind::of(k);
        assert!(kind.is_some(), "{k} has a kind");
        let want = if k.starts_with("fs:") { 2 } else { 1 };
        assert_eq!(rank_weight(k), want, "{k}");
    }
    assert!(keys.iter().any(|k| rank_weight(k) == 2), "{keys:?}");
    assert_eq!(rank_weight("no kind"), 1);
}

#[test]
fn a_typo_early_in_the_surname_still_shares_a_ranking_key() {
    let query = search("Sarah Sjith", Some("1967"));
    let ranking = rank_keys(&query);
    assert!(!ranking.is_empty());
    assert!(ranking.iter().all(|k| k.starts_with("ft:")), "{ranking:?}");
    let looked_up: BTreeSet<String> = query_keys(&query).into_iter().collect();
    assert!(
        ranking.iter().all(|k| !looked_up.contains(k)),
        "{ranking:?}"
    );
    let stored: BTreeSet<String> = index_keys(
        &[PersonName::new("Sarah", "Smith")],
        "1967-05-01".parse::<PartialDate>().ok().as_ref(),
    )
    .into_iter()
    .collect();
    assert!(ranking.iter().any(|k| stored.contains(k)), "{ranking:?}");
    assert!(rank_keys(&search("Sarah Sjith", None)).is_empty());
}

#[test]
fn normalises_names_into_tokens() {
    for (raw, want) in [
        ("John Smith", &["john", "smith"][..]),
        ("  SMITH,  John ", &["smith", "john"]),
        ("Zoë", &["zoe"]),
        ("Zoe", &["zoe"]),
        ("O'Brien", &["obrien"]),
        ("O’Brien", &["obrien"]),
        ("OBrien", &["obrien"]),
        ("Smith-Jones", &["smith", "jones"]),
        ("J.R. Hartley", &["j", "r", "hartley"]),
        ("Łukasz Müller", &["lukasz", "muller"]),
        ("Siân d'Arcy", &["sian", "darcy"]),
        ("Renée\tLe Blanc", &["renee", "le", "blanc"]),
        ("Smith2", &["smith"]),
        ("Zoe\u{308} Rene\u{301}e", &["zoe", "renee"]),
        ("Anna\u{a0}Smith\u{2013}Jones", &["anna", "smith", "jones"]),
        ("Li 北京 \u{1F600}", &["li", "bei", "jing"]),
        ("", &[]),
        ("123 - '", &[]),
    ] {
        assert_eq!(tokens(raw), want, "{raw:?}");
    }
}

#[test]
fn nickname_table_is_large_clean_and_unique() {
    assert!(NICKNAMES.len() >= 150, "only {} pairs", NICKNAMES.len());
    let mut seen = BTreeSet::new();
    for &(nick, formal) in NICKNAMES {
        assert!(
            seen.insert((nick, formal)),
            "duplicate pair {nick}/{formal}"
        );
        assert_ne!(nick, formal);
        for s in [nick, formal] {
            assert_eq!(tokens(s), [s], "{s:?} must be one normalised token");
        }
    }
}

#[test]
fn nicknames_join_their_formal_names() {
    for (nick, formal) in [
        ("bill", "william"),
        ("peggy", "margaret"),
        ("bob", "robert"),
        ("jack", "john"),
        ("liz", "elizabeth"),
        ("dick", "richard"),
        ("ted", "edward"),
        ("kate", "catherine"),
        ("jim", "james"),
        ("tony", "anthony"),
        ("sandy", "alexander"),
        ("bill", "will"),
        ("peggy", "maggie"),
    ] {
        assert!(equivalent(nick, formal), "{nick}/{formal}");
        assert!(equivalent(formal, nick), "{formal}/{nick}");
    }
    assert!(
        !equivalent("john", "john"),
        "a name is not its own nickname"
    );
    assert!(!equivalent("bill", "robert"));
    let sandy: Vec<_> = formal_names("sandy").collect();
    assert_eq!(sandy, ["alexander", "alexandra", "sandra"]);
}

#[test]
fn exact_name_and_date_scores_100() {
    check(
        &search("John Smith", Some("1980-03-09")),
        &person("John", "Smith", Some("1980-03-09")),
        100..=100,
    );
    check(
        &search("Zoë Smith-Jones", Some("1991-12-01")),
        &person("Zoe", "Smith Jones", Some("1991-12-01")),
        100..=100,
    );
}

#[test]
fn case_accents_and_punctuation_do_not_matter() {
    let dob = Some("1975-06-30");
    check(
        &search("zoe o'brien", dob),
        &person("ZOË", "OBRIEN", dob),
        100..=100,
    );
    check(
        &search("Zoe O Brien", dob),
        &person("Zoë", "O'Brien", dob),
        100..=100,
    );
    check(
        &search("Anna Smith-Jones", dob),
        &person("Anna", "Smith Jones", dob),
        100..=100,
    );
    check(
        &search("Anna Smith Jones", None),
        &person("Anna", "Smith-Jones", None),
        80..=80,
    );
    check(
        &search("Anna Smith", dob),
        &person("Anna", "Smith-Jones", dob),
        90..=99,
    );
}

#[test]
fn word_order_does_not_matter() {
    let candidate = person("John", "Smith", Some("1980-03-09"));
    for name in ["John Smith", "SMITH John", "Smith, John", "smith john"] {
        check(&search(name, Some("1980-03-09")), &candidate, 100..=100);
        check(&search(name, None), &candidate, 80..=80);
    }
}

#[test]
fn nicknames_score_nearly_as_well_as_the_formal_name() {
    let dob = Some("1962-01-15");
    for (searched, recorded) in [
        ("Bill Smith", "William"),
        ("Peggy Jones", "Margaret"),
        ("Bob Taylor", "Robert"),
        ("Jack Brown", "John"),
        ("Liz Davies", "Elizabeth"),
        ("Dick Evans", "Richard"),
        ("Ted Wilson", "Edward"),
        ("Kate Thomas", "Catherine"),
        ("Jim Roberts", "James"),
        ("Tony Walker", "Anthony"),
        ("Sandy Hughes", "Alexander"),
    ] {
        let surname = searched.split(' ').nth(1).unwrap_or_default();
        check(
            &search(searched, dob),
            &person(recorded, surname, dob),
            90..=99,
        );
        check(
            &search(searched, None),
            &person(recorded, surname, None),
            70..=79,
        );
        // And the other way round: the record holds the nickname.
        let formal = format!("{recorded} {surname}");
        let nick = searched.split(' ').next().unwrap_or_default();
        check(&search(&formal, dob), &person(nick, surname, dob), 90..=99);
    }
    check(
        &search("Will Smith", None),
        &person("Bill", "Smith", None),
        70..=79,
    );
    check(
        &search("Wiliam Smith", None),
        &person("Bill", "Smith", None),
        60..=79,
    );
}

#[test]
fn phonetic_spellings_and_typos_score_well() {
    let dob = Some("1984-11-02");
    for (searched, forenames, surname) in [
        ("Jon Smyth", "John", "Smith"),
        ("Stephen Thompson", "Steven", "Thomson"),
        ("Katherine Philips", "Catherine", "Phillips"),
        ("Mohammed Hussain", "Muhammad", "Hussein"),
        ("Jhon Smith", "John", "Smith"),
        ("John Smtih", "John", "Smith"),
        ("Sarah Jonse", "Sarah", "Jones"),
        ("Ian Ali", "Ain", "Ali"),
    ] {
        check(
            &search(searched, dob),
            &person(forenames, surname, dob),
            80..=99,
        );
        check(
            &search(searched, None),
            &person(forenames, surname, None),
            60..=79,
        );
    }
}

#[test]
fn middle_names_and_initials() {
    let dob = Some("1970-05-05");
    check(
        &search("John Smith", dob),
        &person("John Paul", "Smith", dob),
        100..=100,
    );
    check(
        &search("Paul Smith", dob),
        &person("John Paul", "Smith", dob),
        90..=99,
    );
    check(
        &search("John Paul Smith", dob),
        &person("John", "Smith", dob),
        90..=99,
    );
    check(
        &search("J Smith", dob),
        &person("John", "Smith", dob),
        85..=95,
    );
    check(
        &search("J Smith", None),
        &person("John", "Smith", None),
        60..=79,
    );
    check(
        &search("John Smith", None),
        &person("J", "Smith", None),
        60..=79,
    );
    check(
        &search("Smith", None),
        &person("John", "Smith", None),
        60..=60,
    );
    check(
        &search("O Brien", None),
        &person("Sean", "O'Brien", None),
        60..=60,
    );
    check(
        &search("OBrien", None),
        &person("Sean", "O Brien", None),
        60..=60,
    );
    check(
        &search("Smith", dob),
        &person("John", "Smith", dob),
        80..=80,
    );
    check(
        &search("John", None),
        &person("John", "Smith", None),
        0..=59,
    );
}

#[test]
fn dates_of_birth_compare_at_shared_precision() {
    for (a, b, want) in [
        ("1980-03-09", "1980-03-09", DobEvidence::Exact),
        ("1980-03-09", "1980-09-03", DobEvidence::DayMonthSwapped),
        ("1980-03-09", "1980-03", DobEvidence::SameMonth),
        ("1980-03-09", "1980-09", DobEvidence::DayMonthSwapped),
        ("1980-03-09", "1980", DobEvidence::SameYear),
        ("1980", "1980", DobEvidence::SameYear),
        ("1980-03-09", "1980-03-19", DobEvidence::SameMonthOtherDay),
        ("1980-03-09", "1981-03-09", DobEvidence::YearOut),
        ("1980-03-09", "1979", DobEvidence::YearOut),
        ("1980-03-09", "1980-07-21", DobEvidence::Weak),
        ("1980-03-09", "1981-07-21", DobEvidence::Weak),
        ("1980-03-09", "1982-03-09", DobEvidence::Contradicts),
        ("1980", "1990", DobEvidence::Contradicts),
        ("1980-03-03", "1980-03-03", DobEvidence::Exact),
    ] {
        assert_eq!(compare_dob(&date(a), &date(b)), want, "{a} vs {b}");
        assert_eq!(compare_dob(&date(b), &date(a)), want, "{b} vs {a}");
    }
}

#[test]
fn date_of_birth_evidence_moves_the_score() {
    let name = "John Smith";
    let recorded = |dob| person("John", "Smith", Some(dob));
    check(
        &search(name, Some("1980-03-09")),
        &recorded("1980-09-03"),
        95..=95,
    );
    check(
        &search(name, Some("1980")),
        &recorded("1980-03-09"),
        90..=90,
    );
    check(
        &search(name, Some("1980-03-09")),
        &recorded("1980"),
        90..=90,
    );
    check(
        &search(name, Some("1981-03-09")),
        &recorded("1980-03-09"),
        88..=88,
    );
    check(
        &search(name, Some("1980-03-09")),
        &person("John", "Smith", None),
        80..=80,
    );
    // A contradicting full date of birth takes a perfect name below the line officers act on.
    check(
        &search(name, Some("1990-03-09")),
        &recorded("1980-03-09"),
        0..=59,
    );
}

#[test]
fn postcode_evidence_adds_a_little() {
    let mut candidate = person("John", "Smith", None);
    candidate.postcodes = vec![postcode("LE1 5AA"), postcode("LE2 1AB")];
    let mut query = search("Jon Smith", None);
    let base = score(&query, &candidate);
    query.postcode = Some(postcode("le15aa").into());
    assert_eq!(score(&query, &candidate), base + 10);
    query.postcode = Some(postcode("LE1 9ZZ").into());
    assert_eq!(score(&query, &candidate), base + 4);
    query.postcode = Some(postcode("LE1 5ZZ").into());
    assert_eq!(score(&query, &candidate), base + 6);
    query.postcode = Some(postcode("M1 1AE").into());
    assert_eq!(score(&query, &candidate), base);
    // A sector or a district searched for: the candidate's postcode lies in it.
    for (area, points) in [
        ("LE1 5", 6),
        ("le1", 4),
        ("LE2 1", 6),
        ("LE1 9", 4),
        ("M1", 0),
    ] {
        query.postcode = area.parse().ok();
        assert_eq!(score(&query, &candidate), base + points, "{area}");
    }
    // LE15 is a district of its own, not a prefix of LE1's postcodes.
    query.postcode = "LE15".parse().ok();
    assert_eq!(score(&query, &candidate), base);
}

#[test]
fn unrelated_names_score_low_whatever_the_other_evidence() {
    let dob = Some("1980-03-09");
    let mut candidate = person("John", "Smith", dob);
    candidate.postcodes = vec![postcode("LE1 5AA")];
    for name in [
        "Mary Patel",
        "Oliver Twist",
        "Xavier Zed",
        "Abdul Okonkwo",
        "Jane Jones",
    ] {
        let mut query = search(name, dob);
        query.postcode = Some(postcode("LE1 5AA").into());
        check(&query, &candidate, 0..=39);
    }
    check(&search("", dob), &candidate, 0..=0);
    check(
        &search("Mary Smith", dob),
        &person("John", "Smith", dob),
        40..=59,
    );
}

#[test]
fn the_best_alias_counts() {
    let candidate = Candidate {
        names: vec![
            PersonName::new("John", "Smith"),
            PersonName::new("Jack", "Daniels"),
        ],
        date_of_birth: Some(date("1980-03-09")),
        postcodes: Vec::new(),
    };
    check(
        &search("John Daniels", Some("1980-03-09")),
        &candidate,
        90..=99,
    );
    check(
        &search("Jack Daniels", Some("1980-03-09")),
        &candidate,
        100..=100,
    );
}

#[test]
fn keys_are_typed_short_sorted_and_unique() {
    let names = [
        PersonName::new("John", "Smith"),
        PersonName::new("Bill", "O'Brien"),
    ];
    let keys = index_keys(&names, Some(&date("1980-03-09")));
    assert!(keys.contains(&"fs:JN|SM0".to_owned()), "{keys:?}");
    assert!(keys.contains(&"sy:SM0|1980".to_owned()), "{keys:?}");
    assert!(
        keys.contains(&"fy:ALM|1980".to_owned()),
        "Bill is keyed as William too: {keys:?}"
    );
    assert!(
        keys.windows(2).all(|w| w.first() < w.last()),
        "sorted and unique"
    );
    assert!(keys.iter().all(|k| k.len() < 64 && k.contains(':')));
    println!("{} keys for two names: {keys:?}", keys.len());
    assert!(keys.len() <= 60, "{} keys: {keys:?}", keys.len());
    let one = index_keys(&names[..1], Some(&date("1980-03-09")));
    println!("{} keys for one name: {one:?}", one.len());
    assert!(one.len() <= 40, "{} keys: {one:?}", one.len());
    assert!(
        index_keys(&names, None)
            .iter()
            .all(|k| !k.starts_with("fy:") && !k.starts_with("sy:"))
    );
}

#[test]
fn queries_with_a_date_use_year_keys_and_pairs_only() {
    let keys = query_keys(&search("John Smith", Some("1980-03-09")));
    assert!(!keys.is_empty());
    for k in &keys {
        assert!(
            k.starts_with("fs:") || k.ends_with("|1980"),
            "unselective key {k}"
        );
    }
    let keys = query_keys(&search("John Smith", None));
    assert!(
        keys.iter()
            .all(|k| !k.starts_with("s:") && !k.starts_with("sx:")),
        "{keys:?}"
    );
    let keys = query_keys(&search("Smith", None));
    assert!(keys.contains(&"s:SM0".to_owned()), "{keys:?}");
    let keys = query_keys(&search("Al Smith", None));
    assert!(
        !keys.contains(&"s:SM0".to_owned()),
        "a particle-like forename: {keys:?}"
    );
}

const FORENAMES: [&str; 100] = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Muhammad",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Leo",
    "Alfie",
    "Henry",
    "Joshua",
    "Freddie",
    "Archie",
    "Ethan",
    "Isaac",
    "Alexander",
    "Joseph",
    "Edward",
    "Samuel",
    "Max",
    "Daniel",
    "Arthur",
    "Lucas",
    "Mohammed",
    "Logan",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Emily",
    "Isabella",
    "Mia",
    "Poppy",
    "Ella",
    "Lily",
    "Sophia",
    "Grace",
    "Evie",
    "Sophie",
    "Ruby",
    "Chloe",
    "Jessica",
    "Charlotte",
    "Daisy",
    "Alice",
    "Sarah",
    "Emma",
    "Laura",
    "Rebecca",
    "Hannah",
    "Katie",
    "Lauren",
    "Amy",
    "Rachel",
    "Claire",
    "Michael",
    "David",
    "Paul",
    "Andrew",
    "Mark",
    "Richard",
    "Stephen",
    "Robert",
    "Christopher",
    "Peter",
    "Anthony",
    "Kevin",
    "Gary",
    "Steven",
    "Ian",
    "Simon",
    "Martin",
    "Neil",
    "Craig",
    "Darren",
    "Susan",
    "Margaret",
    "Patricia",
    "Karen",
    "Helen",
    "Julie",
    "Elizabeth",
    "Catherine",
    "Nicola",
    "Deborah",
    "Joanne",
    "Gillian",
    "Tracey",
    "Angela",
    "Lisa",
    "Victoria",
    "Jennifer",
    "Natalie",
    "Kelly",
    "Michelle",
];

const SURNAMES: [&str; 100] = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
];

/// Phonetic substitutions officers make when writing down a spoken name.
const SOUND_ALIKE: [(&str, &str); 14] = [
    ("ph", "f"),
    ("ck", "k"),
    ("y", "i"),
    ("ie", "y"),
    ("ee", "ea"),
    ("ou", "ow"),
    ("th", "t"),
    ("c", "k"),
    ("s", "z"),
    ("i", "y"),
    ("f", "ph"),
    ("er", "a"),
    ("ai", "ay"),
    ("a", "e"),
];

/// A deterministic misspelling of `word`: operation `op` (0 drop a letter, 1 swap two
/// adjacent letters, 2 double a letter, 3 a sound-alike substitution) at a position chosen
/// by `seed`.
fn misspell(word: &str, op: usize, seed: usize) -> String {
    let lower = word.to_lowercase();
    let mut chars: Vec<char> = lower.chars().collect();
    let n = chars.len();
    match op {
        0 => {
            chars.remove(seed % n);
        }
        1 => chars.swap(seed % (n - 1), seed % (n - 1) + 1),
        2 => {
            let i = seed % n;
            let c = chars[i];
            chars.insert(i, c);
        }
        _ => {
            // Substitute after the first letter, as people rarely mishear how a name starts.
            let mut options = Vec::new();
            for (from, to) in SOUND_ALIKE {
                for (at, _) in lower.match_indices(from).filter(|(at, _)| *at > 0) {
                    options.push(format!("{}{to}{}", &lower[..at], &lower[at + from.len()..]));
                }
            }
            return match options.len() {
                0 => format!("{lower}e"),
                k => options[seed % k].clone(),
            };
        }
    }
    chars.into_iter().collect()
}

/// Recall of the keys together with the score, on misspelt searches for 100 common UK names:
/// each misspelling breaks the forename or the surname (not both), with four kinds of error at
/// three positions each, 2,400 searches in all. Returns the share of searches that share a key
/// with the intended person and score at least 60, and the failures.
fn recall(dob: Option<&str>) -> (f64, Vec<String>) {
    let mut hits = 0;
    let mut failures = Vec::new();
    let mut total = 0;
    for (i, (forename, surname)) in FORENAMES.iter().zip(SURNAMES).enumerate() {
        let candidate = person(forename, surname, dob);
        for op in 0..4 {
            for round in 0..3 {
                let seed = i * 7 + op * 3 + round * 11;
                for name in [
                    format!("{} {surname}", misspell(forename, op, seed)),
                    format!("{forename} {}", misspell(surname, op, seed + 1)),
                ] {
                    let query = search(&name, dob);
                    total += 1;
                    let s = score(&query, &candidate);
                    let keyed = shares_key(&query, &candidate);
                    if s >= 60 && keyed {
                        hits += 1;
                    } else {
                        failures.push(format!("{name} -> {forename} {surname}: {s}, key {keyed}"));
                    }
                }
            }
        }
    }
    (f64::from(hits) / f64::from(total), failures)
}

#[test]
fn misspelt_searches_find_the_person_with_a_date_of_birth() {
    let (rate, failures) = recall(Some("1979-08-14"));
    println!(
        "recall with date of birth: {:.2}% ({} misses: {failures:#?})",
        rate * 100.0,
        failures.len()
    );
    assert!(rate >= 0.95, "recall {rate}: {failures:#?}");
}

#[test]
fn misspelt_searches_find_the_person_without_a_date_of_birth() {
    let (rate, failures) = recall(None);
    println!(
        "recall without date of birth: {:.2}% ({} misses: {failures:#?})",
        rate * 100.0,
        failures.len()
    );
    assert!(rate >= 0.95, "recall {rate}: {failures:#?}");
}

fn any_date() -> impl Strategy<Value = Option<PartialDate>> {
    prop_oneof![
        Just(None),
        (1850i32..=2200).prop_map(|y| Some(PartialDate::Year(y))),
        (1850i32..=2200, 1u32..=12).prop_map(|(y, m)| Some(PartialDate::YearMonth(y, m))),
        (1850i32..=2200, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| {
            chrono::NaiveDate::from_ymd_opt(y, m, d).map(PartialDate::Full)
        }),
    ]
}

fn any_postcode() -> impl Strategy<Value = Option<Postcode>> {
    prop_oneof![
        Just(None),
        prop::sample::select(vec!["LE1 5AA", "LE1 9ZZ", "M1 1AE", "SW1A 1AA"])
            .prop_map(|p| p.parse().ok()),
    ]
}

/// A postcode searched for: whole, a sector or a district.
fn any_postcode_search() -> impl Strategy<Value = Option<PostcodeSearch>> {
    prop_oneof![
        Just(None),
        prop::sample::select(vec![
            "LE1 5AA", "LE1 9ZZ", "M1 1AE", "SW1A 1AA", "LE1", "LE1 5", "M1", "SW1A 1"
        ])
        .prop_map(|p| p.parse().ok()),
    ]
}

/// Names: arbitrary Unicode, or plausible Latin names with punctuation.
fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[A-Za-zéëø' .-]{0,24}",
        "[a-z]{1,12}( [a-z]{1,12}){0,3}"
    ]
}

proptest! {
    #[test]
    fn score_is_bounded_and_never_panics(
        query in any_name(), forenames in any_name(), surname in any_name(),
        alias in any_name(), qdob in any_date(), cdob in any_date(),
        qpc in any_postcode_search(), cpc in any_postcode(),
    ) {
        let query = NameQuery { name: query, date_of_birth: qdob, postcode: qpc };
        let candidate = Candidate {
            names: vec![PersonName::new(forenames, surname), PersonName::new("", alias)],
            date_of_birth: cdob,
            postcodes: cpc.into_iter().collect(),
        };
        let s = score(&query, &candidate);
        prop_assert!(s <= 100);
        let _ = query_keys(&query);
        let _ = index_keys(&candidate.names, candidate.date_of_birth.as_ref());
    }

    #[test]
    fn score_ignores_word_order(
        a in any_name(), b in any_name(), forenames in any_name(), surname in any_name(),
        dob in any_date(),
    ) {
        let candidate = Candidate {
            names: vec![PersonName::new(forenames, surname)],
            date_of_birth: dob,
            postcodes: Vec::new(),
        };
        let ab = NameQuery { name: format!("{a} {b}"), date_of_birth: dob, postcode: None };
        let ba = NameQuery { name: format!("{b} {a}"), date_of_birth: dob, postcode: None };
        prop_assert_eq!(score(&ab, &candidate), score(&ba, &candidate));
    }

    #[test]
    fn exact_name_and_full_date_score_100(
        forename in "[A-Z][a-z]{1,10}", surname in "[A-Z][a-z]{1,12}", dob in any_date(),
    ) {
        let candidate = Candidate {
            names: vec![PersonName::new(forename.clone(), surname.clone())],
            date_of_birth: dob,
            postcodes: Vec::new(),
        };
        let query = NameQuery { name: format!("{forename} {surname}"), date_of_birth: dob, postcode: None };
        let s = score(&query, &candidate);
        if matches!(dob, Some(PartialDate::Full(_))) {
            prop_assert_eq!(s, 100);
        }
        prop_assert!(s >= 80);
        prop_assert!(shares_key(&query, &candidate));
    }

    #[test]
    fn keys_exist_for_any_name_with_letters(
        forenames in any_name(), surname in any_name(), dob in any_date(),
    ) {
        let names = [PersonName::new(forenames.clone(), surname.clone())];
        let stored = index_keys(&names, dob.as_ref());
        let has_letters = !tokens(&forenames).is_empty() || !tokens(&surname).is_empty();
        prop_assert_eq!(!stored.is_empty(), has_letters);
        prop_assert!(stored.iter().all(|k| k.len() < 64));
        let query = NameQuery { name: format!("{forenames} {surname}"), date_of_birth: dob, postcode: None };
        let looked_up = query_keys(&query);
        prop_assert_eq!(!looked_up.is_empty(), has_letters);
        prop_assert!(looked_up.iter().all(|k| k.len() < 64));
    }
}

//! What a generated force shows its users: incidents whose words agree with each other,
//! and the deliberately duplicated nominals the README's example search finds.

use std::collections::{HashMap, HashSet};

use bluelamp_domain::nominal::{self, Candidate, NameQuery};
use bluelamp_domain::partial_date::PartialDate;
use bluelamp_domain::record::LinkRole;
use chrono::NaiveDate;

use super::*;
use crate::geography::LEICESTERSHIRE;

fn force(seed: u64, population: u64) -> Built {
    let config = SynthConfig::new(
        seed,
        population,
        12,
        NaiveDate::from_ymd_opt(2023, 4, 1).unwrap_or_default(),
    );
    build(
        &config,
        &LEICESTERSHIRE,
        "SYN",
        &HashSet::new(),
        &bluelamp_app::Config::default(),
    )
    .unwrap_or_else(|e| panic!("build: {e}"))
}

/// Words that speak of someone being hurt.
const HURT: [&str; 7] = [
    "injur",
    "strangl",
    "casualt",
    "ambulance",
    "bruis",
    "hurt",
    "cut to",
];

/// Whether a rationale says someone was hurt ("no injuries" says the opposite).
fn says_hurt(text: &str) -> bool {
    let t = text
        .to_lowercase()
        .replace("no injuries", "")
        .replace("no injury", "");
    HURT.iter().any(|w| t.contains(w))
}

/// Whether a rationale says nobody was hurt.
fn says_unhurt(text: &str) -> bool {
    text.to_lowercase().contains("no injur")
}

/// Every incident's rationales (THRIVE elements, grade, attendance) agree with its summary:
/// none of a call that says "no injuries" speaks of an injury or a strangulation, none of a
/// call that reports one says there were none; and no summary repeats the category it is
/// shown after ("Domestic: Domestic: ...") or a prefix of its own.
#[test]
fn the_words_of_each_incident_agree_with_its_summary() {
    let b = force(3, 20_000);
    let mut words: HashMap<RecordId, Vec<&str>> = HashMap::new();
    for a in &b.assessments {
        let w = words.entry(a.incident).or_default();
        w.extend(a.elements.iter().map(|(_, t)| &**t));
        w.extend(a.grade_rationale.as_deref());
    }
    for a in &b.attendance {
        words
            .entry(a.incident)
            .or_default()
            .extend(a.rationale.as_deref());
    }
    let (mut unhurt, mut hurt, mut strangled) = (0, 0, 0);
    for i in &b.incidents {
        let summary = i.incident.summary.to_lowercase();
        let texts = words.get(&i.id).map_or(&[][..], Vec::as_slice);
        if summary.contains("no injur") || summary.contains("without injury") {
            unhurt += 1;
            for t in texts {
                assert!(!says_hurt(t), "{:?} assessed as {t:?}", i.incident.summary);
            }
        }
        if summary.contains("with injury") || summary.contains("casualty") {
            hurt += 1;
            for t in texts {
                assert!(
                    !says_unhurt(t),
                    "{:?} assessed as {t:?}",
                    i.incident.summary
                );
            }
        }
        strangled += usize::from(texts.iter().any(|t| t.contains("strangled")));

        let label = i.incident.category.as_str().replace('_', " ");
        let mut parts = summary.split(':').map(str::trim);
        let first = parts.next().unwrap_or_default();
        assert_ne!(
            first, label,
            "{:?} repeats its category",
            i.incident.summary
        );
        if let Some(second) = parts.next() {
            assert!(
                !second.starts_with(first),
                "{:?} repeats its prefix",
                i.incident.summary
            );
        }
    }
    assert!(unhurt > 100 && hurt > 100, "{unhurt} unhurt, {hurt} hurt");
    assert!(
        strangled > 0,
        "domestic assaults with injury are still described"
    );
}

/// Every run records William Smith, born 9 March 1971, where he lives, and the same man
/// again as Bill Smith, William Smyth and Billy Smith: the README's search for "bill smyth"
/// born 1971 finds all four as likely matches, the same ones for every seed.
#[test]
fn every_force_holds_the_near_duplicate_nominals_the_readme_searches_for() {
    for (seed, population) in [(1, 3_000), (9, 5_000)] {
        let b = force(seed, population);
        let names: Vec<(String, &Person, RecordId)> = b
            .persons
            .iter()
            .map(|p| {
                (
                    format!("{} {}", p.person.name.forenames, p.person.name.surname),
                    &p.person,
                    p.id,
                )
            })
            .collect();
        let query = NameQuery {
            name: "bill smyth".into(),
            date_of_birth: "1971".parse::<PartialDate>().ok(),
            postcode: None,
        };
        let mut homes = HashSet::new();
        for (name, dob) in [
            ("William Smith", "1971-03-09"),
            ("Bill Smith", "1971-03-09"),
            ("William Smyth", "1971-09-03"),
            ("Billy Smith", "1971"),
        ] {
            let found: Vec<_> = names.iter().filter(|(n, _, _)| n == name).collect();
            let Some((_, person, id)) = found
                .iter()
                .find(|(_, p, _)| p.date_of_birth.map(|d| d.to_string()) == Some(dob.into()))
            else {
                panic!("seed {seed}: no {name} born {dob} among {found:?}");
            };
            let score = nominal::score(
                &query,
                &Candidate {
                    names: person.all_names(),
                    date_of_birth: person.date_of_birth,
                    postcodes: vec![],
                },
            );
            assert!(score >= 60, "{name}: {score}");
            let home = b
                .links
                .iter()
                .find(|l| l.from == *id && l.role == LinkRole::LivesAt)
                .map(|l| l.to);
            assert!(home.is_some(), "{name} lives somewhere");
            homes.insert(home);
        }
        assert_eq!(homes.len(), 1, "the same man at the same address");
    }
}

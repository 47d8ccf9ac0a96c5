//! Blocking keys: the short strings stored for each person and looked up for each search, so
//! that the store fetches a few hundred candidates by index equality and [`super::score`] ranks
//! them. Keys are recall devices, not evidence: every fetched candidate is scored afresh.

use std::collections::BTreeSet;

use super::nicknames::variants;
use super::token::{is_particle, key_codes, soundex, tokens, typo_prefixes};
use super::{NameQuery, PersonName};
use crate::partial_date::PartialDate;

/// The kinds of key, each written as `prefix:` in front of the key text.
///
/// The scheme is classic multi-pass blocking (Fellegi and Sunter, "A Theory for Record
/// Linkage", JASA 1969; Christen, *Data Matching*, Springer 2012, ch. 4): several cheap keys,
/// each built so that a typo usually breaks only some of them, joined by OR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyKind {
    /// `s:` a surname's Double Metaphone code. Looked up only for one-word searches without a
    /// date of birth ("Smith"), which can be answered no more selectively.
    Surname,
    /// `sx:` a surname's Soundex code, for one-word searches whose typo changed the Double
    /// Metaphone code.
    SurnameSoundex,
    /// `fs:` the unordered pair of a forename (or its formal name) code and a surname code,
    /// sorted so that word order does not matter. The main key without a date of birth.
    Pair,
    /// `ft:` the primary Double Metaphone code of one name and a typo prefix of the other (see
    /// `typo_prefixes`): survives any one-letter typo in the other name, without a date of
    /// birth. With one, it only ranks the candidates other keys find (see [`rank_keys`]).
    TypoPair,
    /// `is:` a surname code and the initial of a forename, looked up when the search gives an
    /// initial ("J Smith").
    SurnameInitial,
    /// `fi:` a surname code and the forename initial, stored only when the record itself holds
    /// just an initial, so that a search by full name finds "J Smith" records.
    InitialOnly,
    /// `fy:` a forename (or formal name) code and the year of birth: survives a typo in the
    /// surname.
    ForenameYear,
    /// `sy:` a surname code and the year of birth: survives a typo in the forename.
    SurnameYear,
    /// `py:` the first three letters of the surname and the year of birth: survives a typo
    /// that changes both phonetic codes of the surname but not its start.
    PrefixYear,
}

impl KeyKind {
    /// The prefix written before the key text, without the colon.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Surname => "s",
            KeyKind::SurnameSoundex => "sx",
            KeyKind::Pair => "fs",
            KeyKind::TypoPair => "ft",
            KeyKind::SurnameInitial => "is",
            KeyKind::InitialOnly => "fi",
            KeyKind::ForenameYear => "fy",
            KeyKind::SurnameYear => "sy",
            KeyKind::PrefixYear => "py",
        }
    }

    /// How much sharing a key of this kind counts when the store ranks candidates, to choose
    /// which to score when more share a key than it scores. A pair of names (`fs:`) counts
    /// double: it is the one kind that agrees on both names, so it holds a person recorded
    /// under the same name with no date of birth, or with a date a year or more out, above
    /// the hundreds who share only a forename and a year with the search.
    pub fn rank_weight(self) -> i64 {
        match self {
            KeyKind::Pair => 2,
            _ => 1,
        }
    }

    /// Every kind.
    const ALL: [KeyKind; 9] = [
        KeyKind::Surname,
        KeyKind::SurnameSoundex,
        KeyKind::Pair,
        KeyKind::TypoPair,
        KeyKind::SurnameInitial,
        KeyKind::InitialOnly,
        KeyKind::ForenameYear,
        KeyKind::SurnameYear,
        KeyKind::PrefixYear,
    ];

    /// The kind of a key, from its prefix.
    pub fn of(key: &str) -> Option<KeyKind> {
        let (prefix, _) = key.split_once(':')?;
        KeyKind::ALL.into_iter().find(|k| k.as_str() == prefix)
    }
}

/// The weight of sharing `key` when ranking candidates: [`KeyKind::rank_weight`] of its kind.
pub fn rank_weight(key: &str) -> i64 {
    KeyKind::of(key).map_or(1, KeyKind::rank_weight)
}

/// How many forename tokens of one name are keyed: the first forename and one middle name,
/// which some people go by; later middle names add keys but little recall.
const MAX_KEYED_FORENAMES: usize = 2;
/// How many surname tokens of one name are keyed.
const MAX_KEYED_SURNAMES: usize = 3;
/// How many query words are keyed (the first ones typed), bounding the number of pair keys.
/// Real searches have two to four words.
const MAX_QUERY_TOKENS: usize = 4;

/// A set of keys, kept sorted and free of duplicates.
#[derive(Default)]
struct Keys(BTreeSet<String>);

impl Keys {
    fn add(&mut self, kind: KeyKind, text: &str) {
        self.0.insert(format!("{}:{text}", kind.as_str()));
    }

    fn pair(&mut self, kind: KeyKind, a: &str, b: &str) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        self.add(kind, &format!("{lo}|{hi}"));
    }
}

/// The surname forms that are keyed: the single token; or, for a surname of several words,
/// each word that is not a particle ("Smith-Jones" gives smith and jones), plus the words
/// joined when there is a particle ("O Brien" gives brien and obrien, as the search "OBrien"
/// would be written).
fn surname_forms(surname: &[String]) -> Vec<String> {
    match surname {
        [] => Vec::new(),
        [one] => vec![one.clone()],
        many => {
            let (particles, words): (Vec<&String>, Vec<&String>) =
                many.iter().partition(|t| is_particle(t) || t.len() < 2);
            let mut out: Vec<String> = words.into_iter().cloned().collect();
            if !particles.is_empty() {
                out.push(many.concat());
            }
            out
        }
    }
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Double Metaphone key codes of a forename and of every formal name it may stand for.
fn forename_codes(token: &str) -> Vec<String> {
    dedup(variants(token).into_iter().flat_map(key_codes))
}

/// The primary Double Metaphone key code of a token.
fn primary_code(token: &str) -> String {
    key_codes(token).into_iter().next().unwrap_or_default()
}

/// The first three letters of a token (all of it when shorter).
fn prefix3(token: &str) -> &str {
    token.get(..3).unwrap_or(token)
}

/// The keys to store for a person: every [`KeyKind`] for every name (main name and aliases),
/// the year-bearing kinds only when the date of birth is known.
///
/// The result is sorted, free of duplicates, and each key is shorter than 64 characters
/// (codes are at most 4 characters, years at most 11). A name with at least one letter always
/// yields keys. "John Smith" with a date of birth yields 22 keys; a name with a middle name,
/// a double-barrelled surname or a nickname with several formal names up to about 45. Only
/// the first two forenames and three surname words are keyed.
pub fn index_keys(names: &[PersonName], date_of_birth: Option<&PartialDate>) -> Vec<String> {
    let year = date_of_birth.map(PartialDate::year);
    let mut keys = Keys::default();
    for name in names {
        let (mut forenames, mut surname) = name.split_tokens();
        forenames.truncate(MAX_KEYED_FORENAMES);
        surname.truncate(MAX_KEYED_SURNAMES);
        let forms = surname_forms(&surname);
        let scodes = dedup(forms.iter().flat_map(|t| key_codes(t)));
        let ssoundex = dedup(forms.iter().map(|t| soundex(t)));
        let fcodes = dedup(forenames.iter().flat_map(|t| forename_codes(t)));
        let initial = forenames.first().and_then(|t| t.get(..1));

        for sc in &scodes {
            keys.add(KeyKind::Surname, sc);
            for fc in &fcodes {
                keys.pair(KeyKind::Pair, fc, sc);
            }
            if let Some(initial) = initial {
                keys.add(KeyKind::SurnameInitial, &format!("{sc}|{initial}"));
            }
            for t in forenames.iter().filter(|t| t.len() == 1) {
                keys.add(KeyKind::InitialOnly, &format!("{sc}|{t}"));
            }
        }
        if let Some(first) = forenames.first().filter(|f| f.len() > 1) {
            let first_code = primary_code(first);
            let first_prefixes = typo_prefixes(first);
            for form in &forms {
                for p in typo_prefixes(form) {
                    keys.add(KeyKind::TypoPair, &format!("{first_code}|{p}"));
                }
                let form_code = primary_code(form);
                for p in &first_prefixes {
                    keys.add(KeyKind::TypoPair, &format!("{form_code}|{p}"));
                }
            }
        }
        for sx in &ssoundex {
            keys.add(KeyKind::SurnameSoundex, sx);
        }
        if let Some(y) = year {
            for fc in &fcodes {
                keys.add(KeyKind::ForenameYear, &format!("{fc}|{y}"));
            }
            for sc in &scodes {
                keys.add(KeyKind::SurnameYear, &format!("{sc}|{y}"));
            }
            for form in &forms {
                keys.add(KeyKind::PrefixYear, &format!("{}|{y}", prefix3(form)));
            }
        }
    }
    keys.0.into_iter().collect()
}

/// One searchable unit of a query: a token, or a particle joined to the following token
/// ("o brien" gives `obrien`), with the positions of the tokens it covers.
struct Unit {
    text: String,
    covers: (usize, usize),
}

impl Unit {
    fn overlaps(&self, other: &Unit) -> bool {
        self.covers.0 <= other.covers.1 && other.covers.0 <= self.covers.1
    }
}

/// The first [`MAX_QUERY_TOKENS`] distinct words of a search, and its units: each word, and
/// each particle joined to the word after it.
fn query_units(name: &str) -> (Vec<String>, Vec<Unit>) {
    let mut toks = tokens(name);
    let mut seen = BTreeSet::new();
    toks.retain(|t| seen.insert(t.clone()));
    toks.truncate(MAX_QUERY_TOKENS);

    let mut units: Vec<Unit> = toks
        .iter()
        .enumerate()
        .map(|(i, t)| Unit {
            text: t.clone(),
            covers: (i, i),
        })
        .collect();
    for (i, pair) in toks.windows(2).enumerate() {
        if let [a, b] = pair
            && is_particle(a)
            && !is_particle(b)
        {
            units.push(Unit {
                text: format!("{a}{b}"),
                covers: (i, i + 1),
            });
        }
    }
    (toks, units)
}

/// [`KeyKind::TypoPair`] keys of two units, each way round.
fn typo_pairs(u: &Unit, v: &Unit, keys: &mut Keys) {
    for (x, y) in [(u, v), (v, u)] {
        if x.text.len() > 1 && y.text.len() > 1 {
            let code = primary_code(&x.text);
            for p in typo_prefixes(&y.text) {
                keys.add(KeyKind::TypoPair, &format!("{code}|{p}"));
            }
        }
    }
}

/// The keys to look up for a search, sorted and free of duplicates.
///
/// Every word may be a forename or a surname, since officers type names in either order; a
/// particle followed by a word ("O Brien") is also keyed joined. Only the first four words
/// are keyed.
/// - with a date of birth: [`KeyKind::ForenameYear`], [`KeyKind::SurnameYear`] and
///   [`KeyKind::PrefixYear`] for each token, so that a typo in one name is carried by the
///   other name and the year; and [`KeyKind::Pair`] for each pair of tokens, which finds the
///   same name recorded with a date one year out, or with no date;
/// - without a date: [`KeyKind::Pair`] and [`KeyKind::TypoPair`] for each pair of tokens,
///   [`KeyKind::InitialOnly`] (and [`KeyKind::SurnameInitial`] when the search holds an
///   initial); and for a one-word search, [`KeyKind::Surname`] and
///   [`KeyKind::SurnameSoundex`], which are as selective as a bare surname can be.
///
/// Selectivity: every key but the one-word kinds combines two independent features (two
/// names, or a name and a year), so in a population of a million a key is expected to match
/// at most a few hundred people even for the commonest names (a forename code shared by
/// about 3% of people and a surname code by about 1.3%, as for John and Smith, gives about
/// 400).
///
/// Recall: a candidate whose name [`super::score`] rates at 60 or more against this query
/// (with the same date of birth) shares a key with it in the common cases of phonetic
/// misspelling, a one-letter typo in either the forename or the surname, nickname for formal
/// name, swapped word order, and differences of accents, hyphens and case.
pub fn query_keys(query: &NameQuery) -> Vec<String> {
    let (toks, units) = query_units(&query.name);
    let year = query.date_of_birth.map(|d| d.year());
    let single_name = toks.len() == 1 || (toks.len() == 2 && units.len() == 3);
    let mut keys = Keys::default();

    for (i, u) in units.iter().enumerate() {
        let codes = forename_codes(&u.text);
        for v in units.iter().skip(i + 1).filter(|v| !u.overlaps(v)) {
            let vcodes = forename_codes(&v.text);
            for a in &codes {
                for b in &vcodes {
                    keys.pair(KeyKind::Pair, a, b);
                }
            }
            if year.is_none() {
                typo_pairs(u, v, &mut keys);
            }
        }
        if year.is_none() {
            let own = key_codes(&u.text);
            for v in units.iter().filter(|v| !u.overlaps(v) && u.text.len() > 1) {
                let Some(initial) = v.text.get(..1) else {
                    continue;
                };
                for sc in &own {
                    keys.add(KeyKind::InitialOnly, &format!("{sc}|{initial}"));
                    if v.text.len() == 1 {
                        keys.add(KeyKind::SurnameInitial, &format!("{sc}|{initial}"));
                    }
                }
            }
        }
    }

    match year {
        Some(y) => {
            for u in &units {
                for fc in forename_codes(&u.text) {
                    keys.add(KeyKind::ForenameYear, &format!("{fc}|{y}"));
                }
                for sc in key_codes(&u.text) {
                    keys.add(KeyKind::SurnameYear, &format!("{sc}|{y}"));
                }
                if u.text.len() > 1 && !is_particle(&u.text) {
                    keys.add(KeyKind::PrefixYear, &format!("{}|{y}", prefix3(&u.text)));
                }
            }
        }
        None if single_name => {
            // One word, or a particle and a word ("O Brien"): key the whole surname as written
            // joined, not the bare word, which would fetch every Brien and every Smith of
            // "Al Smith".
            for u in units
                .iter()
                .filter(|u| u.covers == (0, toks.len().saturating_sub(1)))
            {
                for sc in key_codes(&u.text) {
                    keys.add(KeyKind::Surname, &sc);
                }
                keys.add(KeyKind::SurnameSoundex, &soundex(&u.text));
            }
        }
        None => {}
    }
    keys.0.into_iter().collect()
}

/// Keys that rank candidates but do not fetch them, sorted and free of duplicates: for a
/// search with a date of birth, the [`KeyKind::TypoPair`] keys that [`query_keys`] leaves out
/// because they hold no year (each matches hundreds of people of every age). A person whose
/// surname has a typo in its first letters ("Sjith" for Smith) shares only a forename and a
/// year with such a search, as hundreds of others do; sharing a typo pair as well lifts them
/// above those others when the store scores only the best-ranked candidates. Empty for a
/// search without a date, whose typo pairs are among its keys already.
pub fn rank_keys(query: &NameQuery) -> Vec<String> {
    if query.date_of_birth.is_none() {
        return Vec::new();
    }
    let (_, units) = query_units(&query.name);
    let mut keys = Keys::default();
    for (i, u) in units.iter().enumerate() {
        for v in units.iter().skip(i + 1).filter(|v| !u.overlaps(v)) {
            typo_pairs(u, v, &mut keys);
        }
    }
    keys.0.into_iter().collect()
}

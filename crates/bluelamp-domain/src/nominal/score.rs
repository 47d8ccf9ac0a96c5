//! Scoring a candidate against a search: name similarity, then date-of-birth and postcode
//! evidence, on the 0 to 100 scale shown to officers.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::edit;
use super::nicknames::{equivalent, variants};
use super::token::{Tok, tokens};
use super::{Candidate, NameQuery, PersonName};
use crate::partial_date::PartialDate;
use crate::postcode::{Postcode, PostcodeSearch};

/// Points for the name: a perfect name is worth this much of the 100.
const NAME_POINTS: f64 = 80.0;
/// How many query tokens are scored. Real searches have two to four words; the cap bounds the
/// work on hostile input.
const MAX_QUERY_TOKENS: usize = 6;
/// How many forename and surname tokens of a stored name are scored.
const MAX_NAME_TOKENS: usize = 4;

/// Similarity of two different tokens from their Jaro-Winkler similarity (Winkler, "String
/// Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter Model of Record
/// Linkage", 1990), rescaled so that unrelated names (which score 0.4 to 0.65 on raw
/// Jaro-Winkler) count as 0 and a one-letter typo in a five-letter name (about 0.95) counts as
/// about 0.85.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    let jw = edit::jaro_winkler(a, b);
    ((jw - 0.65) / 0.35).clamp(0.0, 1.0)
}

/// Similarity from the optimal string alignment distance (Damerau, "A Technique for Computer
/// Detection and Correction of Spelling Errors", CACM 1964: over 80% of misspellings are one
/// insertion, deletion, substitution or transposition), as one minus the share of letters
/// edited, discounted by 0.9. Jaro-Winkler finds no common letters at all between short words
/// one edit apart ("eo" and "Leo", "ele" and "Lee"), so this carries short names.
fn edit_similarity(edits: usize, longest: usize) -> f64 {
    if longest == 0 {
        return 0.0;
    }
    0.9 * (1.0 - edits as f64 / longest as f64).max(0.0)
}

/// Similarity of two tokens as spellings of one name, in 0 to 1: 1 when equal; otherwise the
/// better of Jaro-Winkler and edit similarity, raised when the two share a Double Metaphone
/// code (Philips 2000) and are at most two edits apart (one for words of up to four letters):
/// to 0.9 when they start with the same letter (Smith, Smyth), to 0.75 when not (Catherine,
/// Katherine). The edit limit stops Double Metaphone's coarse classes from equating different
/// names: it codes every vowel away after the first letter, so Jane and John are both JN.
fn spelling(a: &Tok, b: &Tok) -> f64 {
    if a.text == b.text {
        return 1.0;
    }
    let edits = edit::osa_distance(&a.text, &b.text);
    let longest = a.text.len().max(b.text.len());
    let mut s = jaro_winkler(&a.text, &b.text)
        .max(edit_similarity(edits, longest))
        .min(0.99);
    let close = edits <= if longest <= 4 { 1 } else { 2 };
    if close && a.sounds_like(b) {
        let floor = if a.first() == b.first() { 0.9 } else { 0.75 };
        s = s.max(floor);
    }
    s
}

/// Weight of a nickname match (Bill for William): strong evidence, a little less than the same
/// spelling.
const NICKNAME: f64 = 0.92;
/// Weight of an initial that agrees with a forename ("J Smith" for John Smith): consistent,
/// but many forenames share an initial.
const INITIAL: f64 = 0.8;

/// Similarity of a searched token and a recorded forename: spelling, nickname equivalence
/// (through the nickname table, including a misspelt formal name against a nickname, such as
/// Wiliam for Bill), or agreement of an initial.
fn forename_similarity(q: &Tok, f: &Tok) -> f64 {
    if q.text == f.text {
        return 1.0;
    }
    if q.is_initial() || f.is_initial() {
        return if q.first() == f.first() { INITIAL } else { 0.0 };
    }
    let mut s = spelling(q, f);
    if s >= NICKNAME {
        return s;
    }
    if equivalent(&q.text, &f.text) {
        return NICKNAME;
    }
    let vq = variants(&q.text);
    let vf = variants(&f.text);
    if vq.len() > 1 || vf.len() > 1 {
        for a in &vq {
            for b in &vf {
                if (*a, *b) != (q.text.as_str(), f.text.as_str()) {
                    s = s.max(spelling(&Tok::new(a), &Tok::new(b)) * NICKNAME);
                }
            }
        }
    }
    s
}

/// Weight of a searched word matching one part of a double-barrelled surname ("Smith" for
/// Smith-Jones): people often drop one half.
const PART_OF_SURNAME: f64 = 0.95;
/// Weight of an initial that agrees with a surname.
const SURNAME_INITIAL: f64 = 0.4;

/// Similarity of a searched word (or two words joined) and a recorded surname, whole or any
/// part of it.
fn surname_similarity(q: &Tok, surname: &[Tok], joined: Option<&Tok>) -> f64 {
    let mut best: f64 = 0.0;
    for s in surname {
        let w = if surname.len() > 1 {
            PART_OF_SURNAME
        } else {
            1.0
        };
        let sim = if q.is_initial() || s.is_initial() {
            if q.first() == s.first() {
                SURNAME_INITIAL
            } else {
                0.0
            }
        } else {
            spelling(q, s)
        };
        best = best.max(sim * w);
    }
    if let Some(j) = joined {
        best = best.max(spelling(q, j));
    }
    best
}

/// Weight of a search that matched a middle name rather than the first forename.
const MIDDLE_NAME: f64 = 0.92;
/// Penalty for each searched forename the record does not have at all.
const UNMATCHED_EXTRA: f64 = 0.05;
/// Penalty scale for each searched forename that disagrees with a recorded middle name.
const MISMATCHED_EXTRA: f64 = 0.1;
/// Forename similarity when the record holds no forename: neither for nor against.
const UNKNOWN_FORENAME: f64 = 0.5;

/// How well the searched words that are not the surname match the recorded forenames. The
/// best pair counts fully (a little less when it is a middle name); other searched words are
/// then paired greedily with the remaining forenames and cost a little when they disagree.
///
/// `columns[f][q]` is the similarity of searched word `q` and recorded forename `f` (there
/// are `forenames` of them); `rest` lists the searched words to use.
fn forenames_similarity(rest: &[usize], columns: &[Rc<[f64]>], forenames: usize) -> f64 {
    if forenames == 0 {
        return UNKNOWN_FORENAME;
    }
    // Which searched words and forenames are paired already. There are at most
    // MAX_QUERY_TOKENS and MAX_NAME_TOKENS of them; the arrays spare two allocations per
    // candidate and span.
    let mut used_q_store = [false; MAX_QUERY_TOKENS];
    let mut used_f_store = [false; MAX_NAME_TOKENS];
    let used_q = used_q_store.get_mut(..rest.len()).unwrap_or_default();
    let used_f = used_f_store.get_mut(..forenames).unwrap_or_default();
    let mut primary = 0.0;
    let mut penalty = 0.0;
    for round in 0..rest.len() {
        let mut best: Option<(usize, usize, f64)> = None;
        for (qi, &q) in rest.iter().enumerate() {
            if used_q.get(qi).copied().unwrap_or(true) {
                continue;
            }
            for (fi, column) in columns.iter().enumerate() {
                if used_f.get(fi).copied().unwrap_or(true) {
                    continue;
                }
                let sim = column.get(q).copied().unwrap_or(0.0);
                let w = if round == 0 && fi > 0 {
                    sim * MIDDLE_NAME
                } else {
                    sim
                };
                if best.is_none_or(|(_, _, b)| w > b) {
                    best = Some((qi, fi, w));
                }
            }
        }
        match best {
            Some((qi, fi, w)) => {
                if let Some(u) = used_q.get_mut(qi) {
                    *u = true;
                }
                if let Some(u) = used_f.get_mut(fi) {
                    *u = true;
                }
                if round == 0 {
                    primary = w;
                } else {
                    penalty += (1.0 - w) * MISMATCHED_EXTRA;
                }
            }
            None => {
                penalty += UNMATCHED_EXTRA * used_q.iter().filter(|u| !**u).count() as f64;
                break;
            }
        }
    }
    (primary - penalty).max(0.0)
}

/// Share of the name score carried by a search that names only a surname ("Smith"): a bare
/// surname identifies nobody on its own.
const SURNAME_ONLY: f64 = 0.75;
/// Share of the name score carried by a one-word search that matches a forename only.
const FORENAME_ONLY: f64 = 0.5;
/// Weight of the surname in a full name (the forenames carry the rest). Equal weights keep the
/// score independent of which word the search meant as the surname, which it does not say;
/// weighting by name frequency (the Fellegi-Sunter u-probabilities) is a possible refinement.
const SURNAME_WEIGHT: f64 = 0.5;

/// A stored name prepared for scoring: its normalised tokens. Their phonetic codes are made
/// only when a similarity is not already in the search's memo (see [`name_similarity`]).
struct Prepared {
    forenames: Vec<String>,
    surname: Vec<String>,
}

impl Prepared {
    fn new(name: &PersonName) -> Prepared {
        let (mut forenames, mut surname) = name.split_tokens();
        forenames.truncate(MAX_NAME_TOKENS);
        surname.truncate(MAX_NAME_TOKENS);
        Prepared { forenames, surname }
    }
}

/// A search prepared for scoring: its words in a canonical order, and every word and every
/// pair of words joined in either order ("O Brien", "Smith Jones") as a possible surname.
struct PreparedQuery {
    words: Vec<Tok>,
    spans: Vec<(Vec<usize>, Tok)>,
    /// For each span, the words it leaves for the forenames.
    rests: Vec<Vec<usize>>,
    /// Similarities already computed for this search, by the recorded forename: each
    /// searched word's [`forename_similarity`] to it.
    forename_memo: RefCell<HashMap<String, Rc<[f64]>>>,
    /// Similarities already computed for this search, by the recorded surname (its tokens
    /// joined by spaces): each span's [`surname_similarity`] to it.
    surname_memo: RefCell<HashMap<String, Rc<[f64]>>>,
}

/// The most recorded names a prepared search remembers similarities for; then it forgets
/// them and starts again. Candidates' names repeat (a search for John Smith meets many Johns
/// and many Smiths), so remembering them spares most of the string comparisons.
const MEMO_MAX: usize = 8192;

fn memoised(
    memo: &RefCell<HashMap<String, Rc<[f64]>>>,
    key: &str,
    compute: impl FnOnce() -> Vec<f64>,
) -> Rc<[f64]> {
    if let Some(v) = memo.borrow().get(key) {
        return v.clone();
    }
    let v: Rc<[f64]> = compute().into();
    let mut memo = memo.borrow_mut();
    if memo.len() >= MEMO_MAX {
        memo.clear();
    }
    memo.insert(key.to_owned(), v.clone());
    v
}

impl PreparedQuery {
    /// Normalised, deduplicated words in sorted order, so that the score depends only on the
    /// words searched, not on their order. When a search has more than [`MAX_QUERY_TOKENS`]
    /// words, the longest are kept.
    fn new(name: &str) -> PreparedQuery {
        let mut toks = tokens(name);
        toks.sort();
        toks.dedup();
        if toks.len() > MAX_QUERY_TOKENS {
            toks.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            toks.truncate(MAX_QUERY_TOKENS);
            toks.sort();
        }
        let words: Vec<Tok> = toks.iter().map(|t| Tok::new(t)).collect();
        let mut spans: Vec<(Vec<usize>, Tok)> = words
            .iter()
            .enumerate()
            .map(|(i, t)| (vec![i], t.clone()))
            .collect();
        for (i, a) in words.iter().enumerate() {
            for (j, b) in words.iter().enumerate() {
                if i != j {
                    spans.push((vec![i, j], Tok::new(&format!("{}{}", a.text, b.text))));
                }
            }
        }
        let rests = spans
            .iter()
            .map(|(used, _)| (0..words.len()).filter(|i| !used.contains(i)).collect())
            .collect();
        PreparedQuery {
            words,
            spans,
            rests,
            forename_memo: RefCell::default(),
            surname_memo: RefCell::default(),
        }
    }
}

/// Name similarity in 0 to 1, independent of the order of the searched words: every span of
/// the search is tried as the surname, and the remaining words are matched against the
/// forenames.
fn name_similarity(query: &PreparedQuery, name: &Prepared) -> f64 {
    let mut best: f64 = 0.0;
    if query.words.is_empty() || name.surname.is_empty() {
        return best;
    }
    // Similarities depend only on the texts, so they are looked up in the search's memo; the
    // tokens' codes are made only when they are not there.
    let columns: Vec<Rc<[f64]>> = name
        .forenames
        .iter()
        .map(|f| {
            memoised(&query.forename_memo, f, || {
                let f = Tok::new(f);
                query
                    .words
                    .iter()
                    .map(|q| forename_similarity(q, &f))
                    .collect()
            })
        })
        .collect();
    let surname_key = name.surname.join(" ");
    let surnames = memoised(&query.surname_memo, &surname_key, || {
        let surname: Vec<Tok> = name.surname.iter().map(|t| Tok::new(t)).collect();
        let joined = (surname.len() > 1).then(|| Tok::new(&name.surname.concat()));
        query
            .spans
            .iter()
            .map(|(_, span)| surname_similarity(span, &surname, joined.as_ref()))
            .collect()
    });
    let n = name.forenames.len();
    for (rest, sur) in query.rests.iter().zip(surnames.iter().copied()) {
        let value = if rest.is_empty() {
            SURNAME_ONLY * sur
        } else {
            SURNAME_WEIGHT * sur + (1.0 - SURNAME_WEIGHT) * forenames_similarity(rest, &columns, n)
        };
        best = best.max(value);
    }
    if query.words.len() == 1 {
        let fore = columns
            .iter()
            .map(|c| c.first().copied().unwrap_or(0.0))
            .fold(0.0, f64::max);
        best = best.max(FORENAME_ONLY * fore);
    }
    best
}

/// What the dates of birth say, compared at the precision both sides have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DobEvidence {
    /// One side has no date: no evidence.
    Unknown,
    /// Equal to the day.
    Exact,
    /// Same year, day and month swapped (09/03 for 03/09): the classic transcription error
    /// between UK and US date order.
    DayMonthSwapped,
    /// Equal at month precision (one side has no day).
    SameMonth,
    /// Equal at year precision (one side has only the year).
    SameYear,
    /// Same year and month, different day: a one-digit slip or a contradiction.
    SameMonthOtherDay,
    /// One year apart and otherwise equal at the shared precision: a slipped year, or an age
    /// given rather than a date.
    YearOut,
    /// Same year but a different month, or one year apart and otherwise different.
    Weak,
    /// More than a year apart: the dates contradict each other.
    Contradicts,
}

impl DobEvidence {
    /// Points added to (or taken from) the score. An exact date completes a perfect name to 100;
    /// a contradicting date costs more than a typo in a name, as a recorded date of birth is
    /// usually checked against a document.
    pub fn points(self) -> f64 {
        match self {
            DobEvidence::Unknown => 0.0,
            DobEvidence::Exact => 20.0,
            DobEvidence::DayMonthSwapped => 15.0,
            DobEvidence::SameMonth => 14.0,
            DobEvidence::SameYear => 10.0,
            DobEvidence::YearOut => 8.0,
            DobEvidence::SameMonthOtherDay => 4.0,
            DobEvidence::Weak => -10.0,
            DobEvidence::Contradicts => -30.0,
        }
    }
}

/// Compare two dates of birth at the precision both have (a year-only date agrees with any
/// date in that year), allowing a day/month swap and a one-year slip. Symmetric in its
/// arguments.
pub fn compare_dob(a: &PartialDate, b: &PartialDate) -> DobEvidence {
    let year_gap = (i64::from(a.year()) - i64::from(b.year())).abs();
    let months = (a.month(), b.month());
    let days = (a.day(), b.day());
    let rest_equal = match (months, days) {
        ((Some(ma), Some(mb)), (Some(da), Some(db))) => ma == mb && da == db,
        ((Some(ma), Some(mb)), _) => ma == mb,
        _ => true,
    };
    let swapped = match (months, days) {
        ((Some(ma), Some(mb)), (Some(da), Some(db))) => ma == db && da == mb && ma != da,
        ((Some(ma), Some(mb)), (Some(da), None)) => da == mb && ma != mb,
        ((Some(ma), Some(mb)), (None, Some(db))) => db == ma && ma != mb,
        _ => false,
    };
    match year_gap {
        0 if rest_equal => match (months, days) {
            (_, (Some(_), Some(_))) => DobEvidence::Exact,
            ((Some(_), Some(_)), _) => DobEvidence::SameMonth,
            _ => DobEvidence::SameYear,
        },
        0 if swapped => DobEvidence::DayMonthSwapped,
        0 if months.0 == months.1 => DobEvidence::SameMonthOtherDay,
        0 => DobEvidence::Weak,
        1 if rest_equal => DobEvidence::YearOut,
        1 => DobEvidence::Weak,
        _ => DobEvidence::Contradicts,
    }
}

/// Points for a postcode recorded for the candidate: the same full postcode is strong
/// evidence (a unit postcode covers about 15 addresses); the same sector (about 3,000
/// addresses) is weaker, and the same outward code (a district of several thousand
/// addresses) weak. A search by sector or district scores a candidate in it as that
/// sector or district. A different postcode costs nothing, as people move.
fn postcode_points(query: Option<&PostcodeSearch>, candidate: &[Postcode]) -> f64 {
    let Some(q) = query else { return 0.0 };
    let sector = match q {
        PostcodeSearch::Unit(p) => Some(p.sector()),
        PostcodeSearch::Sector(s) => Some(s.as_str()),
        PostcodeSearch::District(_) => None,
    };
    if matches!(q, PostcodeSearch::Unit(_)) && candidate.iter().any(|c| q.contains(c)) {
        10.0
    } else if sector.is_some_and(|s| candidate.iter().any(|c| c.sector() == s)) {
        6.0
    } else if candidate.iter().any(|c| c.outward() == q.district()) {
        4.0
    } else {
        0.0
    }
}

/// How much supporting evidence (an agreeing date or postcode) counts, given the name
/// similarity: fully from 0.75 (one name exact and the other close), nothing below 0.25. A
/// date of birth shared by an unrelated name is coincidence, not evidence.
fn support_weight(name: f64) -> f64 {
    ((name - 0.25) / 0.5).clamp(0.0, 1.0)
}

thread_local! {
    /// The search last prepared on this thread, by its name as typed.
    static LAST_QUERY: RefCell<Option<(String, Rc<PreparedQuery>)>> = const { RefCell::new(None) };
}

/// The prepared form of a search's name. A search scores every candidate in turn with the
/// same query, so the last one prepared on this thread is kept and reused: its words are
/// normalised and coded once per search rather than once per candidate. Only the speed
/// changes: the prepared form is a function of the name.
fn prepared_query(name: &str) -> Rc<PreparedQuery> {
    LAST_QUERY.with(|last| {
        if let Some((n, q)) = last.borrow().as_ref()
            && n == name
        {
            return q.clone();
        }
        let q = Rc::new(PreparedQuery::new(name));
        *last.borrow_mut() = Some((name.to_owned(), q.clone()));
        q
    })
}

/// Score a candidate against a search, 0 to 100. See [`super::score`].
pub(super) fn score(query: &NameQuery, candidate: &Candidate) -> u8 {
    let q = prepared_query(&query.name);
    let name = candidate
        .names
        .iter()
        .map(|n| name_similarity(&q, &Prepared::new(n)))
        .fold(0.0, f64::max);
    let dob = match (&query.date_of_birth, &candidate.date_of_birth) {
        (Some(a), Some(b)) => compare_dob(a, b),
        _ => DobEvidence::Unknown,
    };
    let dob_points = dob.points();
    let support =
        dob_points.max(0.0) + postcode_points(query.postcode.as_ref(), &candidate.postcodes);
    let total = NAME_POINTS * name + support * support_weight(name) + dob_points.min(0.0);
    // The clamp bounds the value to 0..=100, so the conversion cannot truncate.
    total.round().clamp(0.0, 100.0) as u8
}

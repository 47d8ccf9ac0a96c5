//! Nominal (person) name matching: the rules by which an officer's search finds people "the
//! way officers search", insensitive to case, accents, punctuation and word order, to
//! phonetic misspellings, one-letter typos and nicknames, and weighed with the date of birth
//! and postcode.
//!
//! Two halves work together. [`index_keys`] and [`query_keys`] are blocking keys: the store
//! keeps a person's keys in an indexed table and fetches every person who shares a key with
//! the search. [`score`] then ranks those candidates on the 0 to 100 scale shown to officers.
//! The keys are built so that any candidate scoring 60 or more in the common cases shares a
//! key with the search (see [`query_keys`]). Nothing here does I/O or reads the clock.

mod edit;
mod keys;
pub mod nicknames;
mod score;
mod token;

pub use keys::{KeyKind, index_keys, query_keys, rank_keys, rank_weight};
pub use score::{DobEvidence, compare_dob};
pub use token::tokens;

use crate::partial_date::PartialDate;
use crate::postcode::{Postcode, PostcodeSearch};

/// One name a person is known by (their main name or an alias).
///
/// The fields hold the name as recorded; normalisation happens when keys and scores are
/// computed. A name with an empty surname is treated as a mononym: its last forename serves
/// as the surname.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName {
    /// Given names, space separated, first forename first.
    pub forenames: String,
    /// Family name, possibly several words ("Smith-Jones", "de Souza").
    pub surname: String,
}

impl PersonName {
    /// A name from its two fields.
    pub fn new(forenames: impl Into<String>, surname: impl Into<String>) -> PersonName {
        PersonName {
            forenames: forenames.into(),
            surname: surname.into(),
        }
    }

    /// The forename and surname tokens. A name with no surname (a mononym, or a record with
    /// the fields filled the wrong way) uses its last forename as the surname, so that every
    /// name with a letter has a surname to key and score.
    pub(crate) fn split_tokens(&self) -> (Vec<String>, Vec<String>) {
        let mut forenames = tokens(&self.forenames);
        let mut surname = tokens(&self.surname);
        if surname.is_empty()
            && let Some(last) = forenames.pop()
        {
            surname.push(last);
        }
        (forenames, surname)
    }
}

/// What the store holds about a candidate, for scoring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    /// Every name the person is known by; the score is the best over them.
    pub names: Vec<PersonName>,
    /// The recorded date of birth, if any.
    pub date_of_birth: Option<PartialDate>,
    /// Postcodes of addresses linked to the person.
    pub postcodes: Vec<Postcode>,
}

/// An officer's search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameQuery {
    /// The name as typed, in any order ("John Smith", "SMITH John", "Smith, J").
    pub name: String,
    /// The date of birth, if given, at whatever precision is known.
    pub date_of_birth: Option<PartialDate>,
    /// A postcode associated with the person, if given: whole, or its sector or district.
    pub postcode: Option<PostcodeSearch>,
}

/// A score from 0 to 100 of how well `candidate` matches `query`.
///
/// The name part (up to 80) is the best over the candidate's names of an order-insensitive
/// alignment of the searched words with the recorded surname and forenames. Words are compared
/// by Jaro-Winkler similarity on normalised tokens (Winkler 1990), Double Metaphone equality
/// (Philips 2000), the nickname table ([`nicknames::NICKNAMES`]) and initials ("J Smith").
/// The surname and the forenames weigh equally; a one-word search scores at most 60 on the name.
///
/// Then the date of birth ([`compare_dob`], up to 20, down to -30 for a contradiction) and the
/// postcode (10 for the same postcode, 6 for the same sector, 4 for the same district) are
/// added. Agreeing evidence counts only in proportion to the name similarity, so an unrelated
/// name stays low whatever the date; a contradicting date always counts in full.
///
/// Invariants: the result is in 0..=100; an exact name with an exact full date of birth
/// scores 100; the order of the searched words does not change the score; no input panics.
pub fn score(query: &NameQuery, candidate: &Candidate) -> u8 {
    score::score(query, candidate)
}

#[cfg(test)]
mod tests;

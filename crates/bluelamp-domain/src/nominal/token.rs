//! Name normalisation and the phonetic codes of a single name token.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rphonetic::{DoubleMetaphone, Encoder, Soundex};

/// The longest token kept, in bytes. Longer runs of letters are cut here so that the cost of
/// Jaro-Winkler and Double Metaphone stays bounded on hostile input; no real name part is this
/// long (the longest British surname in common use, Featherstonehaugh, has 17 letters).
pub(crate) const MAX_TOKEN_LEN: usize = 32;

/// Split a name into normalised tokens.
///
/// The rules, in order:
/// 1. transliterate each letter to ASCII with `deunicode` (Zoë becomes zoe, Łukasz becomes
///    lukasz, 北京 becomes bei jing), and drop combining accents, because records are typed
///    inconsistently with and without diacritics;
/// 2. lower-case;
/// 3. drop apostrophes, so that O'Brien, O’Brien and OBrien are one token (`obrien`), because
///    the same name is typed with and without the apostrophe;
/// 4. treat every other non-letter (spaces, hyphens, dashes, dots, commas, digits, symbols) as a
///    separator, so that Smith-Jones is `smith jones` and J.R. is `j r`.
///
/// Empty tokens are never returned; each token holds only `a`-`z` and at most
/// [`MAX_TOKEN_LEN`] of them.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut push = |c: char, current: &mut String| {
        if c.is_ascii_alphabetic() {
            if current.len() < MAX_TOKEN_LEN {
                current.push(c.to_ascii_lowercase());
            }
        } else if is_apostrophe(c) {
            // Apostrophes join: O'Brien is one name.
        } else if !current.is_empty() {
            out.push(std::mem::take(current));
        }
    };
    for c in s.chars() {
        if c.is_ascii() || is_apostrophe(c) {
            push(c, &mut current);
        } else {
            match deunicode::deunicode_char(c) {
                // A letter from another script or with a diacritic: its transliteration.
                Some(ascii) if c.is_alphabetic() => {
                    ascii.chars().for_each(|a| push(a, &mut current))
                }
                // A combining accent (the decomposed form of Zoë): part of the letter before.
                Some("") => {}
                // Symbols, emoji, non-ASCII spaces and unknown characters separate words.
                _ => push(' ', &mut current),
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{b4}' | '\u{2bc}'
    )
}

/// Surname particles that are often typed as a separate word ("O Brien", "Mc Donald",
/// "De Souza") although the record may hold them joined.
const PARTICLES: &[&str] = &[
    "ap", "abu", "al", "bin", "d", "da", "de", "del", "della", "den", "der", "di", "du", "el",
    "la", "le", "m", "mac", "mc", "o", "st", "van", "von",
];

/// Whether a token is a surname particle (see [`PARTICLES`]).
pub(crate) fn is_particle(token: &str) -> bool {
    PARTICLES.contains(&token)
}

/// Double Metaphone codes of a token, truncated to 4 characters as Philips specified for keys
/// (Lawrence Philips, "The Double Metaphone Search Algorithm", C/C++ Users Journal, June 2000).
/// Both the primary and, where different, the alternate code are returned, because the
/// alternate carries the non-English reading (Jon/Yon, Schmidt/Smith). Never empty: a token
/// with no consonant sound (such as "h") falls back to its own letters.
pub(crate) fn key_codes(token: &str) -> Vec<String> {
    codes_with(&DoubleMetaphone::default(), token)
}

/// Double Metaphone codes of a token at full length, used for scoring, where a four-character
/// code would equate Christopher with Christine.
///
/// A search scores hundreds of candidates whose names repeat (many Smiths, many Johns), so the
/// codes are kept in a per-thread cache of at most [`CODE_CACHE_MAX`] tokens, emptied when
/// full. The cache changes only the speed: the codes are a function of the token.
fn full_codes(token: &str) -> Rc<[String]> {
    FULL_CODES.with(|cache| {
        if let Some(codes) = cache.borrow().get(token) {
            return codes.clone();
        }
        let codes: Rc<[String]> = codes_with(&DoubleMetaphone::new(None), token).into();
        let mut cache = cache.borrow_mut();
        if cache.len() >= CODE_CACHE_MAX {
            cache.clear();
        }
        cache.insert(token.to_owned(), codes.clone());
        codes
    })
}

/// The most tokens whose full codes one thread keeps (a few hundred KiB).
const CODE_CACHE_MAX: usize = 4096;

thread_local! {
    static FULL_CODES: RefCell<HashMap<String, Rc<[String]>>> = RefCell::new(HashMap::new());
}

fn codes_with(dm: &DoubleMetaphone, token: &str) -> Vec<String> {
    // Double Metaphone slices by byte index, so it is only ever given ASCII letters.
    let clean: String = token.chars().filter(char::is_ascii_alphabetic).collect();
    let result = dm.double_metaphone(&clean);
    let mut out = Vec::with_capacity(2);
    for code in [result.primary(), result.alternate()] {
        if !code.is_empty() && !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        out.push(
            clean
                .chars()
                .take(4)
                .collect::<String>()
                .to_ascii_uppercase(),
        );
    }
    out
}

/// The American Soundex code of a token (R. C. Russell, US patent 1,261,167, 1918, as used
/// for the US census indexes). Soundex keeps the first letter and ignores vowels, so it
/// survives some typos that change the Double Metaphone code (Smtih and Smith are both S530).
pub(crate) fn soundex(token: &str) -> String {
    let clean: String = token.chars().filter(char::is_ascii_alphabetic).collect();
    let code = Soundex::default().encode(&clean);
    if code.is_empty() {
        clean.to_ascii_uppercase()
    } else {
        code
    }
}

/// A normalised token with its full-length phonetic codes, computed once for scoring.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// The normalised text (`a`-`z` only).
    pub(crate) text: String,
    /// Full-length Double Metaphone primary and alternate codes (deduplicated).
    pub(crate) codes: Rc<[String]>,
}

impl Tok {
    pub(crate) fn new(text: &str) -> Tok {
        Tok {
            text: text.to_owned(),
            codes: full_codes(text),
        }
    }

    /// Whether the token is a bare initial, such as the "J" of "J Smith".
    pub(crate) fn is_initial(&self) -> bool {
        self.text.len() == 1
    }

    /// Whether the two tokens share a Double Metaphone code (primary or alternate).
    pub(crate) fn sounds_like(&self, other: &Tok) -> bool {
        self.codes.iter().any(|c| other.codes.contains(c))
    }

    /// The first letter.
    pub(crate) fn first(&self) -> Option<char> {
        self.text.chars().next()
    }
}

/// The three-letter prefixes of a token and of every deletion of one of its first four letters.
///
/// Two words one edit apart (a letter dropped, added, changed, or two adjacent letters
/// swapped) always share one of these prefixes when the edit is in the first four letters, and
/// share the plain prefix when it is later: the symmetric deletion method of Wolf Garbe's
/// SymSpell (2012), restricted to the start of the word to keep the number of keys small.
pub(crate) fn typo_prefixes(token: &str) -> Vec<String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out: Vec<String> = vec![chars.iter().take(3).collect()];
    for skip in 0..chars.len().min(4) {
        let p: String = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| *c)
            .take(3)
            .collect();
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

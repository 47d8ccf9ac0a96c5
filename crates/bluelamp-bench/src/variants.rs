//! Deliberately misspelt searches: a recorded name as an officer might type it wrongly, by
//! one of six kinds of error, each the kind the nominal search claims to survive.

use std::fmt;

use crate::synth::{Rng, SynthPerson, capitalise, nickname_of};

/// How a searched name differs from the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// One keyboard slip in the forename or surname: a letter changed to a neighbouring key,
    /// dropped, doubled or swapped with the next.
    Typo,
    /// The name spelt as it sounds (Smyth, Katherine, Steven, Phillip, Thomson).
    Phonetic,
    /// The nickname for the recorded formal forename (Bill for William).
    Nickname,
    /// Surname first ("SMITH John", "Smith, John").
    SwappedOrder,
    /// A double-barrelled surname typed without its hyphen, or an accented name without its
    /// accent.
    MissingHyphenOrAccent,
}

impl Variant {
    /// Every kind, in the order queries cycle through them.
    pub const ALL: [Variant; 5] = [
        Variant::Typo,
        Variant::Phonetic,
        Variant::Nickname,
        Variant::SwappedOrder,
        Variant::MissingHyphenOrAccent,
    ];
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Variant::Typo => "typo",
            Variant::Phonetic => "phonetic spelling",
            Variant::Nickname => "nickname",
            Variant::SwappedOrder => "swapped word order",
            Variant::MissingHyphenOrAccent => "missing hyphen/accent",
        })
    }
}

/// Letters next to each letter on a UK QWERTY keyboard.
fn neighbours(c: char) -> &'static str {
    match c {
        'q' => "wa",
        'w' => "qes",
        'e' => "wrd",
        'r' => "etf",
        't' => "ryg",
        'y' => "tuh",
        'u' => "yij",
        'i' => "uok",
        'o' => "ipl",
        'p' => "ol",
        'a' => "qsz",
        's' => "adw",
        'd' => "sfe",
        'f' => "dgr",
        'g' => "fht",
        'h' => "gjy",
        'j' => "hku",
        'k' => "jli",
        'l' => "ko",
        'z' => "xa",
        'x' => "zcs",
        'c' => "xvd",
        'v' => "cbf",
        'b' => "vng",
        'n' => "bmh",
        'm' => "nj",
        _ => "e",
    }
}

/// One keyboard slip somewhere in a word of at least three letters: a neighbouring key, a
/// dropped or doubled letter, or two letters swapped. The result differs from the input.
pub fn typo(word: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return word.to_string();
    }
    for _ in 0..20 {
        let mut out = chars.clone();
        let i = rng.below(chars.len());
        match rng.below(4) {
            0 => {
                let c = chars[i].to_ascii_lowercase();
                let n: Vec<char> = neighbours(c).chars().collect();
                let mut r = *rng.pick(&n);
                if chars[i].is_uppercase() {
                    r = r.to_ascii_uppercase();
                }
                out[i] = r;
            }
            1 => {
                out.remove(i);
            }
            2 => out.insert(i, chars[i].to_ascii_lowercase()),
            _ => {
                if i + 1 < out.len() {
                    out.swap(i, i + 1);
                }
            }
        }
        let s: String = out.into_iter().collect();
        let s = capitalise(&s.to_lowercase());
        if s.to_lowercase() != word.to_lowercase() {
            return s;
        }
    }
    word.to_string()
}

/// Whole-name respellings that sound the same.
const SOUNDS_LIKE: &[(&str, &str)] = &[
    ("smith", "smyth"),
    ("thompson", "thomson"),
    ("thomson", "tomson"),
    ("catherine", "katherine"),
    ("katherine", "kathryn"),
    ("stephen", "steven"),
    ("steven", "stephen"),
    ("philip", "phillip"),
    ("clarke", "clark"),
    ("clark", "clarke"),
    ("matthews", "mathews"),
    ("reid", "reed"),
    ("reed", "read"),
    ("davies", "davis"),
    ("mohammed", "muhammad"),
    ("muhammad", "mohammad"),
    ("hussain", "hussein"),
    ("sean", "shaun"),
    ("shaun", "shawn"),
    ("jonathan", "johnathan"),
    ("geoffrey", "jeffrey"),
    ("lewis", "louis"),
    ("sarah", "sara"),
    ("zoe", "zoey"),
    ("jacqueline", "jackie"),
    ("rebecca", "rebekah"),
    ("ann", "anne"),
    ("anne", "ann"),
    ("teresa", "theresa"),
    ("gray", "grey"),
    ("mcdonald", "macdonald"),
    ("phillips", "philips"),
    ("ahmed", "ahmad"),
    ("begum", "begam"),
];

/// Spelling rules that keep the sound: (written, also written).
const RESPELL: &[(&str, &str)] = &[
    ("ph", "f"),
    ("ck", "k"),
    ("ll", "l"),
    ("tt", "t"),
    ("nn", "n"),
    ("ss", "s"),
    ("rr", "r"),
    ("mm", "m"),
    ("ie", "y"),
    ("ey", "y"),
    ("y", "ie"),
    ("i", "y"),
    ("son", "sen"),
    ("ou", "ow"),
    ("ei", "ie"),
    ("th", "t"),
    ("ae", "a"),
    ("ai", "ay"),
    ("ee", "ea"),
    ("ea", "ee"),
    ("wh", "w"),
    ("ca", "ka"),
    ("co", "ko"),
    ("cu", "ku"),
    ("ks", "x"),
    ("x", "ks"),
    ("ah", "a"),
    ("ine", "yn"),
];

/// The word spelt another way with the same sound; `None` when no rule applies.
pub fn respell(word: &str, rng: &mut Rng) -> Option<String> {
    let lower = word.to_lowercase();
    if let Some((_, to)) = SOUNDS_LIKE.iter().find(|(from, _)| *from == lower) {
        return Some(capitalise(to));
    }
    // The first letter stays: respellings that change it are the whole-name list's job.
    let applicable: Vec<(usize, &str, &str)> = RESPELL
        .iter()
        .flat_map(|(from, to)| {
            lower
                .match_indices(from)
                .filter(|(i, _)| *i > 0)
                .map(move |(i, _)| (i, *from, *to))
        })
        .collect();
    if applicable.is_empty() {
        // Double the last consonant or drop a final e: Ann/Anne, Clarke/Clark.
        if let Some(stem) = lower.strip_suffix('e')
            && stem.len() >= 3
        {
            return Some(capitalise(stem));
        }
        if lower.ends_with(['n', 'l', 't', 'r']) && lower.len() >= 3 {
            return Some(capitalise(&format!("{lower}e")));
        }
        return None;
    }
    let (i, from, to) = *rng.pick(&applicable);
    let out = format!("{}{}{}", &lower[..i], to, &lower[i + from.len()..]);
    (out != lower).then(|| capitalise(&out))
}

/// Whether any letter is outside ASCII.
fn has_accent(s: &str) -> bool {
    !s.is_ascii()
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                deaccent(c)
            }
        })
        .collect()
}

fn deaccent(c: char) -> String {
    let s = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ę' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ś' | 'š' => "s",
        'ł' => "l",
        'É' => "E",
        'Ł' => "L",
        other => return other.to_string(),
    };
    s.to_string()
}

/// A search for a person: the name as typed and its kind of error. `None` when the person
/// does not suit the kind (no nickname for their forename, no hyphen or accent).
pub fn misspell(p: &SynthPerson, kind: Variant, rng: &mut Rng) -> Option<String> {
    let forenames: Vec<&str> = p.input.forenames.split(' ').collect();
    let first = forenames.first().copied().unwrap_or("");
    let surname = p.input.surname.as_str();
    let name = match kind {
        Variant::Typo => {
            if rng.chance(0.5) && first.chars().count() >= 4 {
                format!("{} {surname}", typo(first, rng))
            } else if surname.chars().count() >= 4 && !surname.contains([' ', '-', '\'']) {
                format!("{first} {}", typo(surname, rng))
            } else {
                return None;
            }
        }
        Variant::Phonetic => {
            if rng.chance(0.5)
                && let Some(f) = respell(first, rng)
            {
                format!("{f} {surname}")
            } else if !surname.contains([' ', '-', '\''])
                && let Some(s) = respell(surname, rng)
            {
                format!("{first} {s}")
            } else {
                return None;
            }
        }
        Variant::Nickname => format!("{} {surname}", nickname_of(first, rng)?),
        Variant::SwappedOrder => {
            let given = if forenames.len() > 1 && rng.chance(0.3) {
                p.input.forenames.clone()
            } else {
                first.to_string()
            };
            if rng.chance(0.5) {
                format!("{} {given}", surname.to_uppercase())
            } else {
                format!("{surname}, {given}")
            }
        }
        Variant::MissingHyphenOrAccent => {
            if surname.contains('-') {
                let s = if rng.chance(0.7) {
                    surname.replace('-', " ")
                } else {
                    surname.replace('-', "")
                };
                format!("{} {s}", strip_accents(first))
            } else if has_accent(first) || has_accent(surname) {
                format!("{} {}", strip_accents(first), strip_accents(surname))
            } else {
                return None;
            }
        }
    };
    // Officers type in any case.
    let r = rng.unit();
    Some(if r < 0.25 {
        name.to_lowercase()
    } else if r < 0.35 {
        name.to_uppercase()
    } else {
        name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_changes_the_word() {
        let mut rng = Rng::for_item(1, 2, 3);
        for w in ["Smith", "Williams", "Ann", "Okonkwo"] {
            for _ in 0..100 {
                assert_ne!(typo(w, &mut rng).to_lowercase(), w.to_lowercase());
            }
        }
    }

    #[test]
    fn respellings_keep_the_first_letter_or_come_from_the_list() {
        let mut rng = Rng::for_item(1, 2, 3);
        assert_eq!(respell("Smith", &mut rng).as_deref(), Some("Smyth"));
        let r = respell("Phillips", &mut rng).unwrap_or_default();
        assert!(r.starts_with('P') && r != "Phillips", "{r}");
    }
}

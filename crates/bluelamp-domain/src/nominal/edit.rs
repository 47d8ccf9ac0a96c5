//! String distances for scoring, over the bytes of normalised tokens.
//!
//! These are `strsim`'s optimal string alignment distance and Jaro-Winkler similarity, the
//! same algorithms step for step (so the same values, to the last bit of a float), for the
//! ASCII tokens that [`super::token::tokens`] makes, without `strsim`'s heap allocations and
//! UTF-8 decoding: a search scores hundreds of candidates, several comparisons each, and the
//! allocations were most of the cost. Anything else (non-ASCII, or longer than two joined
//! tokens) goes to `strsim`.

/// The longest string compared here: two tokens joined.
const MAX: usize = 2 * super::token::MAX_TOKEN_LEN;

fn fast(a: &str, b: &str) -> bool {
    a.is_ascii() && b.is_ascii() && a.len() <= MAX && b.len() <= MAX
}

/// The optimal string alignment distance (`strsim::osa_distance`): insertions, deletions,
/// substitutions and transpositions of adjacent letters, no substring edited twice.
///
/// For words of lower-case letters this is Hyyrö's bit-parallel form of the dynamic
/// programme (H. Hyyrö, "A Bit-Vector Algorithm for Computing Levenshtein and Damerau Edit
/// Distances", Nordic Journal of Computing 10, 2003): a column of the programme is one
/// machine word, so each letter of `b` costs a dozen word operations rather than a pass over
/// `a`.
pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    let lower = |s: &str| s.bytes().all(|c| c.is_ascii_lowercase());
    if a.len() > 64 || !lower(a) || !lower(b) {
        return strsim::osa_distance(a, b);
    }
    let Some(last) = a.len().checked_sub(1) else {
        return b.len();
    };
    // Where each letter occurs in `a`, one bit per position.
    let mut positions = [0u64; 26];
    for (i, c) in a.bytes().enumerate() {
        positions[usize::from(c - b'a')] |= 1 << i;
    }
    let mask = 1u64 << last;
    // The vertical deltas of the current column (+1 and -1), the diagonal zero deltas, and
    // the previous letter's positions.
    let (mut vp, mut vn, mut d0, mut pm_old) = (!0u64, 0u64, 0u64, 0u64);
    let mut distance = a.len();
    for c in b.bytes() {
        let pm = positions[usize::from(c - b'a')];
        let transposed = ((!d0 & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | transposed;
        let mut hp = vn | !(d0 | vp);
        let mut hn = d0 & vp;
        if hp & mask != 0 {
            distance += 1;
        } else if hn & mask != 0 {
            distance -= 1;
        }
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    distance
}

/// The Jaro similarity (`strsim::generic_jaro` on the letters).
fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    let mut a_flags = [false; MAX];
    let mut b_flags = [false; MAX];
    let mut matches = 0usize;
    for (i, &ac) in a.iter().enumerate() {
        // The first unmatched equal letter of `b` within the search range of position `i`.
        let mut j = i.saturating_sub(search_range);
        let hi = b_len.min(i + search_range + 1);
        while j < hi {
            if b[j] == ac && !b_flags[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
            j += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched letters of `a` against matched letters of `b`, in order.
    let mut transpositions = 0usize;
    let mut b_matched = b
        .iter()
        .zip(b_flags.iter())
        .filter(|(_, f)| **f)
        .map(|(c, _)| c);
    for (ac, _) in a.iter().zip(a_flags.iter()).filter(|(_, f)| **f) {
        if b_matched.next() != Some(ac) {
            transpositions += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// The Jaro-Winkler similarity (`strsim::jaro_winkler`): Jaro, raised for a common prefix of
/// up to four letters when above 0.7.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    if !fast(a, b) {
        return strsim::jaro_winkler(a, b);
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let sim = jaro(a, b);
    if sim > 0.7 {
        let prefix_length = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix_length as f64 * (1.0 - sim)
    } else {
        sim
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NAMES: &[&str] = &[
        "",
        "a",
        "ab",
        "ba",
        "abc",
        "acb",
        "smith",
        "smyth",
        "smithe",
        "schmidt",
        "jones",
        "johns",
        "john",
        "jon",
        "jean",
        "jane",
        "catherine",
        "katherine",
        "kathryn",
        "leo",
        "eo",
        "lee",
        "ele",
        "featherstonehaugh",
        "fanshawe",
        "obrien",
        "brien",
        "mcdonald",
        "macdonald",
        "smithjones",
        "jonessmith",
        "aaaa",
        "aaab",
        "abab",
        "baba",
        "abcdefghijklmnopqrstuvwxyzabcdefabcdefghijklmnopqrstuvwxyzabcdef",
    ];

    #[test]
    fn the_same_as_strsim_on_names() {
        for a in NAMES {
            for b in NAMES {
                assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
                assert_eq!(
                    jaro_winkler(a, b).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits(),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn the_same_as_strsim_on_every_short_word_of_three_letters() {
        let mut words = vec![String::new()];
        for len in 1..=4 {
            let shorter: Vec<String> = words
                .iter()
                .filter(|w| w.len() == len - 1)
                .cloned()
                .collect();
            for w in shorter {
                for c in ['a', 'b', 'c'] {
                    words.push(format!("{w}{c}"));
                }
            }
        }
        for a in &words {
            for b in &words {
                assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} {b}");
                assert_eq!(
                    jaro_winkler(a, b).to_bits(),
                    strsim::jaro_winkler(a, b).to_bits(),
                    "{a} {b}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn the_same_as_strsim(a in "[a-f]{0,70}", b in "[a-f]{0,70}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }

        #[test]
        fn the_same_as_strsim_on_short_words(a in "[a-z]{0,12}", b in "[a-z]{0,12}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }

        #[test]
        fn the_same_as_strsim_on_any_text(a in "\\PC{0,10}", b in "\\PC{0,10}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }
    }
}

//! UK postcodes, normalised to the Royal Mail form (`LE1 5AA`), and the parts of one an
//! officer may search by: the district (`LE1`) or the sector (`LE1 5`).

use std::fmt;
use std::str::FromStr;

/// A syntactically valid UK postcode, upper case with one space before the inward code.
///
/// The shape follows the Royal Mail Postcode Address File format: an outward code of
/// 2 to 4 characters (`A9`, `A99`, `AA9`, `AA99`, `A9A`, `AA9A`) and an inward code of
/// a digit and two letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(String);

/// Why a postcode did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a UK postcode, such as LE1 5AA")]
pub struct PostcodeError;

impl Postcode {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The outward code (the part before the space), which names a district.
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }

    /// The sector: the outward code and the inward code's digit (`LE1 5`).
    pub fn sector(&self) -> &str {
        // The normalised form is ASCII, the inward code three characters after the space.
        self.0.get(..self.0.len() - 2).unwrap_or(&self.0)
    }
}

/// A postcode as an officer searches by it: a whole postcode, or the sector or district it
/// lies in. Royal Mail's hierarchy: a district (the outward code, `LE1`) holds sectors
/// (`LE1 5`, the outward code and the inward code's digit), which hold unit postcodes
/// (`LE1 5AA`, about fifteen addresses each).
///
/// A district matches the postcodes whose outward code is that district, not those that
/// merely start with its letters and digits: `LE1` takes in `LE1 5AA` but not `LE15 6AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PostcodeSearch {
    /// A whole postcode: itself only.
    Unit(Postcode),
    /// A sector, normalised with one space (`LE1 5`).
    Sector(String),
    /// A district: an outward code (`LE1`).
    District(String),
}

/// Why a postcode search did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a UK postcode such as LE1 5AA, or its district (LE1) or sector (LE1 5)")]
pub struct PostcodeSearchError;

impl PostcodeSearch {
    /// Whether `postcode` lies in what was searched for.
    pub fn contains(&self, postcode: &Postcode) -> bool {
        match self {
            PostcodeSearch::Unit(p) => p == postcode,
            PostcodeSearch::Sector(s) => postcode.sector() == s,
            PostcodeSearch::District(d) => postcode.outward() == d,
        }
    }

    /// The district searched in.
    pub fn district(&self) -> &str {
        match self {
            PostcodeSearch::Unit(p) => p.outward(),
            PostcodeSearch::Sector(s) => s.split(' ').next().unwrap_or(s),
            PostcodeSearch::District(d) => d,
        }
    }
}

impl From<Postcode> for PostcodeSearch {
    fn from(p: Postcode) -> Self {
        PostcodeSearch::Unit(p)
    }
}

impl FromStr for PostcodeSearch {
    type Err = PostcodeSearchError;

    /// A whole postcode as [`Postcode`] reads it; otherwise an outward code (`LE1`,
    /// `le1`), or an outward code and a sector digit (`LE1 5`; run together, `LE155`, only
    /// when the whole is not itself an outward code, so `LE15` is the district `LE15`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(p) = s.parse::<Postcode>() {
            return Ok(PostcodeSearch::Unit(p));
        }
        let upper = s.trim().to_ascii_uppercase();
        if !upper.is_ascii() {
            return Err(PostcodeSearchError);
        }
        let words: Vec<&str> = upper.split_whitespace().collect();
        let sector = |outward: &str, digit: &str| {
            (is_outward(outward) && digit.len() == 1 && digit.bytes().all(|b| b.is_ascii_digit()))
                .then(|| PostcodeSearch::Sector(format!("{outward} {digit}")))
        };
        match words.as_slice() {
            [one] if is_outward(one) => Ok(PostcodeSearch::District((*one).to_string())),
            [one] if one.len() > 1 => {
                let (outward, digit) = one.split_at(one.len() - 1);
                sector(outward, digit).ok_or(PostcodeSearchError)
            }
            [outward, digit] => sector(outward, digit).ok_or(PostcodeSearchError),
            _ => Err(PostcodeSearchError),
        }
    }
}

impl fmt::Display for PostcodeSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostcodeSearch::Unit(p) => p.fmt(f),
            PostcodeSearch::Sector(s) | PostcodeSearch::District(s) => f.write_str(s),
        }
    }
}

/// Whether `outward` (upper case) has the shape of an outward code: `A9`, `A99`, `AA9`,
/// `AA99`, `A9A` or `AA9A`.
fn is_outward(outward: &str) -> bool {
    let shape: String = outward
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    )
}

impl FromStr for Postcode {
    type Err = PostcodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err(PostcodeError);
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
        };
        if inward_ok && is_outward(outward) {
            Ok(Postcode(format!("{outward} {inward}")))
        } else {
            Err(PostcodeError)
        }
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn normalises_case_and_spacing() {
        for (raw, want) in [
            ("le1 5aa", "LE1 5AA"),
            ("LE15AA", "LE1 5AA"),
            (" sw1a  1aa ", "SW1A 1AA"),
            ("M1 1AE", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
        ] {
            assert_eq!(
                raw.parse::<Postcode>().map(|p| p.to_string()),
                Ok(want.to_string())
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_postcode() {
        for bad in [
            "", "LE1", "LE1 5A", "12345", "LE1 AAA", "LEE1 5AA", "L£1 5AA", "LE1 5AAA",
        ] {
            assert_eq!(bad.parse::<Postcode>(), Err(PostcodeError), "{bad:?}");
        }
    }

    fn search(s: &str) -> PostcodeSearch {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn postcode(s: &str) -> Postcode {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn a_search_takes_a_whole_postcode_its_district_or_its_sector() {
        for (raw, want) in [
            ("le1 5aa", PostcodeSearch::Unit(postcode("LE1 5AA"))),
            ("LE1", PostcodeSearch::District("LE1".into())),
            (" le1 ", PostcodeSearch::District("LE1".into())),
            ("LE15", PostcodeSearch::District("LE15".into())),
            ("SW1A", PostcodeSearch::District("SW1A".into())),
            ("LE1 5", PostcodeSearch::Sector("LE1 5".into())),
            ("le1   5", PostcodeSearch::Sector("LE1 5".into())),
            ("LE155", PostcodeSearch::Sector("LE15 5".into())),
            ("SW1A1", PostcodeSearch::Sector("SW1A 1".into())),
        ] {
            assert_eq!(raw.parse::<PostcodeSearch>(), Ok(want), "{raw:?}");
        }
        for bad in [
            "", "L", "1", "LE", "LEE1", "LE1 A", "LE1 55", "LE1 5A", "LE1 5 A", "L£1", "LE1 5AAA",
            "12345",
        ] {
            assert_eq!(
                bad.parse::<PostcodeSearch>(),
                Err(PostcodeSearchError),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_district_is_the_outward_code_not_a_prefix_of_letters() {
        let le1 = search("LE1");
        assert!(le1.contains(&postcode("LE1 5AA")));
        assert!(le1.contains(&postcode("LE1 9ZZ")));
        assert!(
            !le1.contains(&postcode("LE15 6AB")),
            "LE15 is another district"
        );
        let sector = search("LE1 5");
        assert!(sector.contains(&postcode("LE1 5AA")));
        assert!(!sector.contains(&postcode("LE1 6AA")));
        assert!(!sector.contains(&postcode("LE15 5AA")));
        let unit = search("LE1 5AA");
        assert!(unit.contains(&postcode("le15aa")));
        assert!(
            !unit.contains(&postcode("LE1 5AB")),
            "a full postcode matches exactly"
        );
        assert_eq!(sector.district(), "LE1");
    }

    /// A valid postcode, in its normalised form.
    fn any_postcode() -> impl Strategy<Value = Postcode> {
        (
            prop_oneof![
                "[A-Z][0-9]",
                "[A-Z][0-9][0-9]",
                "[A-Z][A-Z][0-9]",
                "[A-Z][A-Z][0-9][0-9]",
                "[A-Z][0-9][A-Z]",
                "[A-Z][A-Z][0-9][A-Z]",
            ],
            "[0-9][A-Z][A-Z]",
        )
            .prop_map(|(o, i)| postcode(&format!("{o} {i}")))
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,10}") {
            if let Ok(p) = s.parse::<Postcode>() {
                prop_assert_eq!(p.as_str().parse::<Postcode>(), Ok(p.clone()));
            }
            if let Ok(q) = s.parse::<PostcodeSearch>() {
                prop_assert_eq!(q.to_string().parse::<PostcodeSearch>(), Ok(q.clone()));
            }
        }

        /// Every postcode lies in its own district and sector, searched however they are
        /// typed, and matches itself exactly.
        #[test]
        fn a_postcode_lies_in_its_district_and_sector(p in any_postcode(), lower in any::<bool>()) {
            let case = |s: &str| if lower { s.to_ascii_lowercase() } else { s.to_string() };
            let district = search(&case(p.outward()));
            prop_assert_eq!(&district, &PostcodeSearch::District(p.outward().to_string()));
            prop_assert!(district.contains(&p));
            let sector = search(&case(p.sector()));
            prop_assert_eq!(&sector, &PostcodeSearch::Sector(p.sector().to_string()));
            prop_assert!(sector.contains(&p));
            prop_assert_eq!(sector.district(), p.outward());
            let unit = search(&case(&p.as_str().replace(' ', "")));
            prop_assert_eq!(&unit, &PostcodeSearch::Unit(p.clone()));
            prop_assert!(unit.contains(&p));
        }

        /// A search matches a postcode exactly when the postcode starts with it as Royal
        /// Mail divides it: the same unit, the same sector, or the same outward code.
        #[test]
        fn a_search_matches_by_the_parts_of_the_postcode(a in any_postcode(), b in any_postcode()) {
            prop_assert_eq!(search(a.as_str()).contains(&b), a == b);
            prop_assert_eq!(search(a.sector()).contains(&b), a.sector() == b.sector());
            prop_assert_eq!(search(a.outward()).contains(&b), a.outward() == b.outward());
            // The sector holds only postcodes of its district.
            if search(a.sector()).contains(&b) {
                prop_assert!(search(a.outward()).contains(&b));
            }
        }

        /// Whatever is typed, a search that parses matches only postcodes that begin with
        /// its own text followed by a space or the inward code.
        #[test]
        fn a_search_is_a_prefix_ending_at_a_part(s in "[A-Za-z0-9 ]{0,9}", p in any_postcode()) {
            if let Ok(q) = s.parse::<PostcodeSearch>()
                && q.contains(&p)
            {
                let text = q.to_string();
                prop_assert!(p.as_str().starts_with(&text), "{} in {}", p, text);
                let rest = &p.as_str()[text.len()..];
                prop_assert!(rest.is_empty() || rest.starts_with(' ') || text.contains(' '));
            }
        }
    }
}

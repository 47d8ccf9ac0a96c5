//! UK postcodes, normalised to the Royal Mail form (`LE1 5AA`).

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
        let outward_ok = matches!(
            shape.as_str(),
            "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
        );
        if inward_ok && outward_ok {
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

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,10}") {
            if let Ok(p) = s.parse::<Postcode>() {
                prop_assert_eq!(p.as_str().parse::<Postcode>(), Ok(p.clone()));
            }
        }
    }
}

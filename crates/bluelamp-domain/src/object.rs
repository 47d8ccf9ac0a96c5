//! Objects: vehicles, phones, weapons and property.

use crate::field::{Fields, Invalid};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// What kind of thing an object is.
    ObjectKind, "an object kind" {
        Vehicle = "vehicle",
        Phone = "phone",
        Weapon = "weapon",
        Property = "property",
    }
);

/// An object as typed.
#[derive(Debug, Clone, Default)]
pub struct ObjectInput {
    pub kind: String,
    /// A vehicle's registration mark, a phone's number or IMEI, a serial number.
    pub identifier: Option<String>,
    pub description: String,
}

/// An object's recorded details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    /// Normalised for matching: a vehicle registration upper case without spaces, a phone
    /// number in digits with a UK `0` prefix.
    pub identifier: Option<String>,
    pub description: String,
}

impl Object {
    /// Parses what was typed.
    ///
    /// # Errors
    /// [`Invalid`] naming each bad field: an unknown kind, a vehicle without a plausible
    /// registration, a phone without a plausible number, a blank description.
    pub fn parse(input: &ObjectInput) -> Result<Object, Invalid> {
        let mut f = Fields::new();
        let kind = f.check("/kind", input.kind.parse::<ObjectKind>());
        let description = f.text("/description", &input.description, 1000);
        let raw = input
            .identifier
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let identifier = match (kind, raw) {
            (Some(ObjectKind::Vehicle), None) => {
                f.error("/identifier", "must give the vehicle's registration mark");
                None
            }
            (Some(ObjectKind::Vehicle), Some(r)) => {
                f.check("/identifier", vehicle_registration(r)).map(Some)
            }
            (Some(ObjectKind::Phone), Some(r)) => f.check("/identifier", phone_number(r)).map(Some),
            (_, Some(r)) => f.text("/identifier", r, 100).map(Some),
            (_, None) => Some(None),
        };
        f.finish(|| {
            Some(Object {
                kind: kind?,
                identifier: identifier?,
                description: description?,
            })
        })
    }
}

/// Normalises a vehicle registration mark (VRM): upper case, no spaces. UK marks are 2 to 7
/// letters and digits (DVLA formats since 1903, including cherished marks); foreign marks up
/// to 10.
///
/// # Errors
/// A message when it has other characters or the wrong length.
pub fn vehicle_registration(raw: &str) -> Result<String, String> {
    let vrm: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if (2..=10).contains(&vrm.len()) && vrm.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(vrm)
    } else {
        Err("must be a registration mark of 2 to 10 letters and digits".to_string())
    }
}

/// Normalises a phone number to digits with a UK trunk `0` (`+44 7700 900123` becomes
/// `07700900123`), or a 15-digit IMEI as it is.
///
/// # Errors
/// A message when it is not 7 to 15 digits after normalising.
pub fn phone_number(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    let mut digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let plausible_chars = t.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if t.starts_with('+') && digits.starts_with("44") {
        digits = format!("0{}", &digits[2..]);
    }
    if plausible_chars && (7..=15).contains(&digits.len()) {
        Ok(digits)
    } else {
        Err("must be a phone number or IMEI of 7 to 15 digits".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_normalised_for_matching() {
        assert_eq!(vehicle_registration("ab12 cde"), Ok("AB12CDE".to_string()));
        assert_eq!(
            phone_number("+44 7700 900123"),
            Ok("07700900123".to_string())
        );
        assert_eq!(
            phone_number("(0116) 222 2222"),
            Ok("01162222222".to_string())
        );
        assert!(phone_number("call me").is_err());
        assert!(vehicle_registration("A").is_err());
    }

    #[test]
    fn a_vehicle_needs_its_registration() {
        let err = Object::parse(&ObjectInput {
            kind: "vehicle".into(),
            identifier: None,
            description: "Red Ford Fiesta".into(),
        });
        assert_eq!(
            err.err().map(|e| e.0[0].field.clone()),
            Some("/identifier".to_string())
        );
    }
}

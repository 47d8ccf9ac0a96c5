//! Locations: addresses, places and points, with the geography they fall in.

use crate::field::{Fields, Invalid};
use crate::postcode::Postcode;

/// A location as typed.
#[derive(Debug, Clone, Default)]
pub struct LocationInput {
    pub address_lines: Vec<String>,
    pub postcode: Option<String>,
    pub uprn: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub lsoa_code: Option<String>,
}

/// A location's recorded details, every field valid.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub address_lines: Vec<String>,
    pub postcode: Option<Postcode>,
    /// Unique Property Reference Number (OS AddressBase): 1 to 12 digits.
    pub uprn: Option<String>,
    /// WGS84 coordinates, both present or both absent.
    pub point: Option<(f64, f64)>,
    /// The 2011 Lower layer Super Output Area (E01/W01 and six digits).
    pub lsoa_code: Option<String>,
}

impl Location {
    /// Parses what was typed.
    ///
    /// # Errors
    /// [`Invalid`] naming each bad field: no address line and no postcode or point, a bad
    /// postcode, UPRN or LSOA code, coordinates outside the British Isles or only one given.
    pub fn parse(input: &LocationInput) -> Result<Location, Invalid> {
        let mut f = Fields::new();
        let mut address_lines = Vec::new();
        for (i, l) in input.address_lines.iter().enumerate() {
            if let Some(l) = f.optional_text(&format!("/address_lines/{i}"), Some(l), 200) {
                address_lines.push(l);
            }
        }
        if input.address_lines.len() > 6 {
            f.error("/address_lines", "must have at most 6 lines");
        }
        let postcode = match input.postcode.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => f.check("/postcode", raw.parse::<Postcode>()),
        };
        let uprn = match input.uprn.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw)
                if (1..=12).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(raw.to_string())
            }
            Some(_) => {
                f.error("/uprn", "must be a UPRN of 1 to 12 digits");
                None
            }
        };
        let point = match (input.latitude, input.longitude) {
            (None, None) => None,
            (Some(lat), Some(lon)) => {
                // The British Isles and their waters, generously: catches swapped or
                // mistyped coordinates without refusing any real place a force covers.
                if !(49.0..=61.5).contains(&lat) {
                    f.error(
                        "/latitude",
                        "must be a latitude in Great Britain (49 to 61.5)",
                    );
                }
                if !(-9.0..=2.5).contains(&lon) {
                    f.error(
                        "/longitude",
                        "must be a longitude in Great Britain (-9 to 2.5)",
                    );
                }
                Some((lat, lon))
            }
            (None, Some(_)) => {
                f.error("/latitude", "must be given with the longitude");
                None
            }
            (Some(_), None) => {
                f.error("/longitude", "must be given with the latitude");
                None
            }
        };
        let lsoa_code = match input.lsoa_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) if is_lsoa_code(raw) => Some(raw.to_ascii_uppercase()),
            Some(_) => {
                f.error("/lsoa_code", "must be an LSOA code such as E01025733");
                None
            }
        };
        if address_lines.is_empty()
            && postcode.is_none()
            && point.is_none()
            && input.postcode.is_none()
        {
            f.error(
                "/address_lines",
                "must be given, or a postcode, or a latitude and longitude",
            );
        }
        f.finish(|| {
            Some(Location {
                address_lines,
                postcode,
                uprn,
                point,
                lsoa_code,
            })
        })
    }

    /// One line for lists: the address and postcode.
    pub fn label(&self) -> String {
        let mut parts: Vec<&str> = self.address_lines.iter().map(String::as_str).collect();
        if let Some(p) = &self.postcode {
            parts.push(p.as_str());
        }
        if parts.is_empty()
            && let Some((lat, lon)) = self.point
        {
            return format!("{lat:.5}, {lon:.5}");
        }
        parts.join(", ")
    }
}

/// An ONS LSOA (2011) code: `E01` or `W01` and six digits.
pub fn is_lsoa_code(raw: &str) -> bool {
    let raw = raw.to_ascii_uppercase();
    raw.len() == 9
        && (raw.starts_with("E01") || raw.starts_with("W01"))
        && raw.bytes().skip(3).all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postcode_alone_is_a_location() {
        let l = Location::parse(&LocationInput {
            postcode: Some("le1 5aa".into()),
            ..Default::default()
        });
        assert_eq!(l.map(|l| l.label()), Ok("LE1 5AA".to_string()));
    }

    #[test]
    fn bad_fields_are_named() {
        let l = Location::parse(&LocationInput {
            postcode: Some("nowhere".into()),
            uprn: Some("12a".into()),
            latitude: Some(10.0),
            longitude: Some(0.0),
            lsoa_code: Some("E02000001".into()),
            ..Default::default()
        });
        let fields: Vec<String> = l
            .err()
            .map(|e| e.0.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["/postcode", "/uprn", "/latitude", "/lsoa_code"]);
    }

    #[test]
    fn an_empty_location_is_refused() {
        assert!(Location::parse(&LocationInput::default()).is_err());
    }
}

//! The resident population: households of realistic shapes at addresses in each LSOA, and
//! the people in them with their ages, sexes and ethnicities; plus the shops, pubs, car
//! parks and streets where much crime happens.
//!
//! Residents are held compactly (a dozen bytes each) so that a million fit easily; their
//! names are drawn only when one of them comes to police notice and becomes a person record
//! ([`Population::name`]), from the household's and the resident's own stream, so a
//! resident's name does not depend on who else was named.
//!
//! Household shapes follow the 2011 Census for England and Wales (about 30% of households
//! one person, a quarter couples without children, a fifth couples with dependent children,
//! 7% lone parents; 2.4 people per household), with larger and more often multi-generation
//! households among South Asian families.

use std::collections::HashSet;

use bluelamp_domain::person::{Ethnicity, Sex};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::geography::{ForceProfile, Geography, ethnicity_at};
use crate::names::{self, Tradition};
use crate::seed::{Stream, rng};

/// One resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resident {
    pub household: u32,
    /// Age in whole years at the start of the generated period.
    pub age: u8,
    pub sex: Sex,
    /// Days after the start of the year of birth on which the resident was born (0..365).
    pub birthday: u16,
}

/// A household at one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Household {
    pub lsoa: u16,
    /// Index into [`Ethnicity::ALL`].
    pub ethnicity: u8,
    pub tradition: Tradition,
    pub street: u32,
    pub number: u16,
    /// The first resident (residents of a household are consecutive).
    pub first: u32,
    pub size: u8,
    /// Whether the first two residents are a couple.
    pub couple: bool,
}

/// A street, with the postcode unit its addresses share and the town it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Street {
    pub name: String,
    pub postcode: String,
    pub town: &'static str,
}

/// What kind of non-residential place a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// Shops, pubs, takeaways, petrol stations: where shoplifting and business crime happen.
    Commercial,
    /// Streets, car parks, parks, bus stops.
    Public,
}

/// A non-residential place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub lsoa: u16,
    pub kind: PlaceKind,
    pub line: String,
    pub street: u32,
}

/// Age bands of five years, 0–4 to 95+.
pub const BANDS: usize = 20;

/// The whole population of a force.
#[derive(Debug, Default)]
pub struct Population {
    pub residents: Vec<Resident>,
    pub households: Vec<Household>,
    pub streets: Vec<Street>,
    pub places: Vec<Place>,
    /// Residents by sex (0 male, 1 female) and five-year age band.
    by_band: Vec<Vec<u32>>,
    /// The places of each LSOA, by index into `places`.
    places_by_lsoa: Vec<Vec<u32>>,
    /// The households of each LSOA.
    households_by_lsoa: Vec<Vec<u32>>,
    seed: u64,
}

const STREET_STEMS: &[&str] = &[
    "Church",
    "Station",
    "Mill",
    "High",
    "Park",
    "Victoria",
    "Albert",
    "Queens",
    "Kings",
    "London",
    "Main",
    "School",
    "Green",
    "Manor",
    "North",
    "South",
    "West",
    "East",
    "Chapel",
    "Springfield",
    "Grange",
    "Orchard",
    "Meadow",
    "Forest",
    "Windmill",
    "Cedar",
    "Oak",
    "Ash",
    "Beech",
    "Elm",
    "Willow",
    "Chestnut",
    "Sycamore",
    "Hawthorn",
    "Holly",
    "Laburnum",
    "Lime",
    "Maple",
    "Poplar",
    "Rowan",
    "Birch",
    "Belgrave",
    "Narborough",
    "Uppingham",
    "Melton",
    "Humberstone",
    "Aylestone",
    "Evington",
    "Braunstone",
    "Welford",
    "Saffron",
    "Charnwood",
    "Bradgate",
    "Beaumont",
    "Abbey",
    "Shakespeare",
    "Tennyson",
    "Wordsworth",
    "Milton",
    "Byron",
    "Churchill",
    "Nelson",
    "Wellington",
    "Rutland",
    "Stanley",
    "Cavendish",
    "Harcourt",
    "Fosse",
    "Gartree",
    "Sandringham",
    "Windsor",
    "Balmoral",
    "Clarendon",
    "Westfield",
    "Brookfield",
    "Fairfield",
    "Highfield",
    "Woodland",
    "Hillside",
    "Riverside",
    "Canal",
    "Bridge",
    "Market",
    "Castle",
    "Lavender",
    "Primrose",
    "Bluebell",
    "Foxglove",
];
const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Gardens", "Court",
    "Grove", "Walk", "Rise", "View",
];
const COMMERCIAL: &[&str] = &[
    "Convenience store",
    "Supermarket",
    "Public house",
    "Takeaway",
    "Petrol station",
    "Pharmacy",
    "Café",
    "Newsagent",
    "Off-licence",
    "Clothes shop",
    "Hardware store",
    "Betting shop",
    "Restaurant",
    "Hairdresser",
];
const PUBLIC: &[&str] = &["Car park", "Park", "Bus stop", "Playing field", "Footpath"];
/// Letters Royal Mail uses in the inward code (not C, I, K, M, O or V).
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// A household's shape.
#[derive(Debug, Clone, Copy)]
enum Shape {
    OneYounger,
    OneOlder,
    Couple,
    CoupleChildren,
    LoneParent,
    GrownChildren,
    Sharers,
    ThreeGenerations,
}

fn shape(r: &mut ChaCha8Rng, south_asian: bool) -> Shape {
    let weights: [(Shape, f64); 8] = if south_asian {
        [
            (Shape::OneYounger, 8.0),
            (Shape::OneOlder, 5.0),
            (Shape::Couple, 15.0),
            (Shape::CoupleChildren, 34.0),
            (Shape::LoneParent, 5.0),
            (Shape::GrownChildren, 15.0),
            (Shape::Sharers, 4.0),
            (Shape::ThreeGenerations, 14.0),
        ]
    } else {
        [
            (Shape::OneYounger, 17.0),
            (Shape::OneOlder, 13.0),
            (Shape::Couple, 25.0),
            (Shape::CoupleChildren, 19.0),
            (Shape::LoneParent, 7.0),
            (Shape::GrownChildren, 9.0),
            (Shape::Sharers, 7.0),
            (Shape::ThreeGenerations, 3.0),
        ]
    };
    pick_weighted(r, &weights).unwrap_or(Shape::Couple)
}

/// Picks a value by weight.
pub fn pick_weighted<T: Copy, R: Rng>(r: &mut R, items: &[(T, f64)]) -> Option<T> {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = r.random::<f64>() * total;
    for (v, w) in items {
        x -= w;
        if x < 0.0 {
            return Some(*v);
        }
    }
    items.last().map(|(v, _)| *v)
}

fn age_between(r: &mut ChaCha8Rng, lo: u8, hi: u8) -> u8 {
    r.random_range(lo..=hi.max(lo))
}

fn other_sex(s: Sex) -> Sex {
    if s == Sex::Female {
        Sex::Male
    } else {
        Sex::Female
    }
}

fn any_sex(r: &mut ChaCha8Rng, p_female: f64) -> Sex {
    if r.random::<f64>() < p_female {
        Sex::Female
    } else {
        Sex::Male
    }
}

/// The members of a household, as (age, sex), and whether the first two are a couple.
fn members(r: &mut ChaCha8Rng, shape: Shape) -> (Vec<(u8, Sex)>, bool) {
    let mut m = Vec::with_capacity(6);
    let mut couple = false;
    let add_couple = |r: &mut ChaCha8Rng, m: &mut Vec<(u8, Sex)>, lo: u8, hi: u8| {
        let a = age_between(r, lo, hi);
        let s = any_sex(r, 0.5);
        // About 2% of couples are of the same sex.
        let s2 = if r.random::<f64>() < 0.02 {
            s
        } else {
            other_sex(s)
        };
        let a2 = a.saturating_add_signed(r.random_range(-4..=4)).max(18);
        m.push((a, s));
        m.push((a2, s2));
        a.min(a2)
    };
    match shape {
        Shape::OneYounger => m.push((triangular(r, 18, 64, 28), any_sex(r, 0.45))),
        Shape::OneOlder => m.push((triangular(r, 65, 98, 72), any_sex(r, 0.62))),
        Shape::Couple => {
            couple = true;
            let young = r.random::<f64>() < 0.4;
            let (lo, hi) = if young { (20, 40) } else { (45, 88) };
            add_couple(r, &mut m, lo, hi);
        }
        Shape::CoupleChildren | Shape::ThreeGenerations => {
            couple = true;
            let younger = add_couple(r, &mut m, 22, 55);
            let n = *[1u8, 1, 1, 2, 2, 2, 2, 3, 3, 4].choose(r).unwrap_or(&2);
            for _ in 0..n {
                let max = younger.saturating_sub(18).min(17);
                m.push((age_between(r, 0, max), any_sex(r, 0.49)));
            }
            if let Shape::ThreeGenerations = shape {
                let oldest = younger.saturating_add(22).min(95);
                for _ in 0..r.random_range(1..=2) {
                    m.push((age_between(r, oldest.min(95), 95), any_sex(r, 0.6)));
                }
            }
        }
        Shape::LoneParent => {
            let a = triangular(r, 18, 58, 34);
            m.push((a, any_sex(r, 0.9)));
            for _ in 0..r.random_range(1..=3) {
                let max = a.saturating_sub(16).min(17);
                m.push((age_between(r, 0, max), any_sex(r, 0.49)));
            }
        }
        Shape::GrownChildren => {
            couple = r.random::<f64>() < 0.75;
            if couple {
                add_couple(r, &mut m, 44, 72);
            } else {
                m.push((age_between(r, 44, 72), any_sex(r, 0.8)));
            }
            for _ in 0..r.random_range(1..=2) {
                m.push((age_between(r, 18, 30), any_sex(r, 0.45)));
            }
        }
        Shape::Sharers => {
            for _ in 0..r.random_range(2..=5) {
                m.push((triangular(r, 18, 40, 22), any_sex(r, 0.5)));
            }
        }
    }
    (m, couple)
}

/// A whole number between `lo` and `hi`, most often near `mode`.
fn triangular(r: &mut ChaCha8Rng, lo: u8, hi: u8, mode: u8) -> u8 {
    let (a, b, c) = (f64::from(lo), f64::from(hi) + 0.999, f64::from(mode));
    let u: f64 = r.random();
    let f = (c - a) / (b - a);
    let x = if u < f {
        a + ((b - a) * (c - a) * u).sqrt()
    } else {
        b - ((b - a) * (b - c) * (1.0 - u)).sqrt()
    };
    x.clamp(a, f64::from(hi)) as u8
}

fn postcode(r: &mut ChaCha8Rng, outward: &str, used: &mut HashSet<String>) -> String {
    let mut code = String::new();
    for _ in 0..50 {
        let letter = |r: &mut ChaCha8Rng| char::from(*INWARD_LETTERS.choose(r).unwrap_or(&b'A'));
        code = format!(
            "{outward} {}{}{}",
            r.random_range(1..=9),
            letter(r),
            letter(r)
        );
        if used.insert(code.clone()) {
            break;
        }
    }
    code
}

impl Population {
    /// Builds `size` residents across the force's LSOAs, in households at addresses on
    /// streets. LSOAs vary in size by about ±15% (they were drawn to hold 1,000 to 3,000
    /// people).
    pub fn build(seed: u64, size: u64, geo: &Geography, profile: &ForceProfile) -> Population {
        let mut g = rng(seed, Stream::Geography, 0);
        let weights: Vec<f64> = geo
            .lsoas
            .iter()
            .map(|_| 0.85 + 0.3 * g.random::<f64>())
            .collect();
        let quotas = crate::calibration::largest_remainder(size, &weights);
        // Each neighbourhood lies in one town and one postcode district of its authority.
        let hood_place: Vec<(&'static str, &'static str)> = geo
            .neighbourhoods
            .iter()
            .map(|n| {
                let a = geo.areas.get(n.area).map_or("", |a| a.code.as_str());
                let auth = profile.authority(a);
                (
                    auth.towns.choose(&mut g).copied().unwrap_or("Leicester"),
                    auth.postcode_districts
                        .choose(&mut g)
                        .copied()
                        .unwrap_or("LE1"),
                )
            })
            .collect();
        let mut p = Population {
            seed,
            by_band: vec![Vec::new(); 2 * BANDS],
            places_by_lsoa: vec![Vec::new(); geo.lsoas.len()],
            households_by_lsoa: vec![Vec::new(); geo.lsoas.len()],
            ..Population::default()
        };
        p.residents.reserve(usize::try_from(size).unwrap_or(0));
        let mut used_postcodes = HashSet::new();
        for (li, lsoa) in geo.lsoas.iter().enumerate() {
            let mut r = rng(seed, Stream::Households, li as u64);
            let area = geo.area_of(li);
            let auth = profile.authority(geo.areas.get(area).map_or("", |a| a.code.as_str()));
            let (town, district) = hood_place
                .get(lsoa.neighbourhood)
                .copied()
                .unwrap_or(("Leicester", "LE1"));
            let eth: Vec<(usize, f64)> = auth.ethnicity.iter().copied().enumerate().collect();
            let quota = quotas.get(li).copied().unwrap_or(0);
            let mut placed = 0u64;
            let mut street = None;
            let mut on_street = 0u16;
            while placed < quota {
                if street.is_none() || on_street >= 40 {
                    let name = format!(
                        "{} {}",
                        STREET_STEMS.choose(&mut r).unwrap_or(&"Mill"),
                        STREET_KINDS.choose(&mut r).unwrap_or(&"Road")
                    );
                    p.streets.push(Street {
                        name,
                        postcode: postcode(&mut r, district, &mut used_postcodes),
                        town,
                    });
                    street = Some(p.streets.len() - 1);
                    on_street = 0;
                } else if on_street.is_multiple_of(15) {
                    // A new postcode unit about every fifteen addresses.
                    if let Some(s) = street.and_then(|s| p.streets.get(s)).cloned() {
                        p.streets.push(Street {
                            postcode: postcode(&mut r, district, &mut used_postcodes),
                            ..s
                        });
                        street = Some(p.streets.len() - 1);
                    }
                }
                on_street += 1;
                let e = pick_weighted(&mut r, &eth).unwrap_or(0);
                let ethnicity = ethnicity_at(e);
                let south_asian =
                    matches!(ethnicity, Ethnicity::A1 | Ethnicity::A2 | Ethnicity::A3);
                let tradition = Tradition::for_ethnicity(ethnicity, &mut r);
                let kind = shape(&mut r, south_asian);
                let (mut m, couple) = members(&mut r, kind);
                m.truncate(usize::try_from(quota - placed).unwrap_or(1).max(1));
                let hid = u32::try_from(p.households.len()).unwrap_or(u32::MAX);
                let first = u32::try_from(p.residents.len()).unwrap_or(u32::MAX);
                for (age, sex) in &m {
                    let id = u32::try_from(p.residents.len()).unwrap_or(u32::MAX);
                    let band = usize::from(*age / 5).min(BANDS - 1);
                    let s = usize::from(*sex == Sex::Female);
                    if let Some(list) = p.by_band.get_mut(s * BANDS + band) {
                        list.push(id);
                    }
                    p.residents.push(Resident {
                        household: hid,
                        age: *age,
                        sex: *sex,
                        birthday: r.random_range(0..365),
                    });
                }
                placed += m.len() as u64;
                p.households.push(Household {
                    lsoa: u16::try_from(li).unwrap_or(u16::MAX),
                    ethnicity: u8::try_from(e).unwrap_or(0),
                    tradition,
                    street: u32::try_from(street.unwrap_or(0)).unwrap_or(0),
                    number: on_street * 2 - 1 + u16::from(r.random::<bool>()),
                    first,
                    size: u8::try_from(m.len()).unwrap_or(1),
                    couple: couple && m.len() >= 2,
                });
                if let Some(list) = p.households_by_lsoa.get_mut(li) {
                    list.push(hid);
                }
            }
            // Places: about one for every sixty households, and at least four.
            let n_places = (p.households_by_lsoa.get(li).map_or(0, Vec::len) / 60).max(4);
            for _ in 0..n_places {
                let commercial = r.random::<f64>() < 0.6;
                let name = format!(
                    "{} {}",
                    STREET_STEMS.choose(&mut r).unwrap_or(&"High"),
                    if commercial { "Street" } else { "Road" }
                );
                p.streets.push(Street {
                    name: name.clone(),
                    postcode: postcode(&mut r, district, &mut used_postcodes),
                    town,
                });
                let line = if commercial {
                    format!(
                        "{}, {} {name}",
                        COMMERCIAL.choose(&mut r).unwrap_or(&"Convenience store"),
                        r.random_range(1..=120)
                    )
                } else {
                    format!("{}, {name}", PUBLIC.choose(&mut r).unwrap_or(&"Car park"))
                };
                let id = u32::try_from(p.places.len()).unwrap_or(u32::MAX);
                p.places.push(Place {
                    lsoa: u16::try_from(li).unwrap_or(u16::MAX),
                    kind: if commercial {
                        PlaceKind::Commercial
                    } else {
                        PlaceKind::Public
                    },
                    line,
                    street: u32::try_from(p.streets.len() - 1).unwrap_or(0),
                });
                if let Some(list) = p.places_by_lsoa.get_mut(li) {
                    list.push(id);
                }
            }
        }
        p
    }

    /// The residents of one sex in one five-year age band.
    pub fn band(&self, sex: Sex, band: usize) -> &[u32] {
        let s = usize::from(sex == Sex::Female);
        self.by_band
            .get(s * BANDS + band.min(BANDS - 1))
            .map_or(&[], Vec::as_slice)
    }

    /// The household of a resident.
    pub fn household_of(&self, resident: u32) -> Option<&Household> {
        self.residents
            .get(resident as usize)
            .and_then(|r| self.households.get(r.household as usize))
    }

    /// A resident's partner, when they live as a couple.
    pub fn partner_of(&self, resident: u32) -> Option<u32> {
        let h = self.household_of(resident)?;
        if !h.couple {
            return None;
        }
        match resident.checked_sub(h.first)? {
            0 => Some(h.first + 1),
            1 => Some(h.first),
            _ => None,
        }
    }

    /// A random place of this kind in an LSOA.
    pub fn place_in<R: Rng>(&self, lsoa: u16, kind: PlaceKind, r: &mut R) -> Option<u32> {
        let list = self.places_by_lsoa.get(usize::from(lsoa))?;
        let of_kind: Vec<u32> = list
            .iter()
            .copied()
            .filter(|&i| self.places.get(i as usize).is_some_and(|p| p.kind == kind))
            .collect();
        of_kind.choose(r).or(list.choose(r)).copied()
    }

    /// A random household in an LSOA.
    pub fn household_in<R: Rng>(&self, lsoa: u16, r: &mut R) -> Option<u32> {
        self.households_by_lsoa
            .get(usize::from(lsoa))?
            .choose(r)
            .copied()
    }

    /// A resident's forenames and surname, drawn from their household's tradition: a
    /// family shares a surname (in the form for each sex), sharers and some partners have
    /// their own.
    pub fn name(&self, resident: u32, birth_year: i32) -> (String, String) {
        let Some(res) = self.residents.get(resident as usize) else {
            return (String::new(), String::new());
        };
        let Some(h) = self.households.get(res.household as usize) else {
            return (String::new(), String::new());
        };
        let mut hr = rng(self.seed, Stream::Names, u64::from(res.household) << 8);
        let family = names::surname(h.tradition, &mut hr);
        let mut r = rng(self.seed, Stream::Names, (u64::from(resident) << 8) | 1);
        let position = resident - h.first;
        // Sharers have their own surnames; so do a fifth of partners.
        let own = (!h.couple && position > 0 && h.size > 1 && res.age >= 18 && {
            // A lone parent's or single adult's children share the family name.
            let parent_age = self.residents.get(h.first as usize).map_or(0, |p| p.age);
            res.age + 16 > parent_age
        }) || (h.couple && position == 1 && r.random::<f64>() < 0.2);
        let base = if own {
            names::surname(h.tradition, &mut r)
        } else {
            family
        };
        let surname = if res.sex == Sex::Female {
            names::feminine(h.tradition, &base, &mut r)
        } else {
            names::masculine(h.tradition, &base, &mut r)
        };
        (
            names::forenames(h.tradition, res.sex, birth_year, &mut r),
            surname,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geography::LEICESTERSHIRE;

    #[test]
    fn the_population_has_its_size_and_realistic_households() {
        let geo = Geography::of("Leicestershire").unwrap_or_default();
        let p = Population::build(1, 50_000, &geo, &LEICESTERSHIRE);
        assert_eq!(p.residents.len(), 50_000);
        let per_household = p.residents.len() as f64 / p.households.len() as f64;
        assert!((2.2..2.8).contains(&per_household), "{per_household}");
        let children = p.residents.iter().filter(|r| r.age < 18).count() as f64 / 50_000.0;
        assert!((0.15..0.28).contains(&children), "{children}");
        let indian = p
            .households
            .iter()
            .filter(|h| ethnicity_at(usize::from(h.ethnicity)) == Ethnicity::A1)
            .count() as f64
            / p.households.len() as f64;
        assert!((0.05..0.2).contains(&indian), "{indian}");
        let (f, s) = p.name(0, 1980);
        assert!(!f.is_empty() && !s.is_empty());
    }
}

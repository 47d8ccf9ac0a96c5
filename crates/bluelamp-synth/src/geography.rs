//! The synthetic force's geography: its real LSOAs (ONS 2011), grouped into neighbourhoods
//! (their MSOAs) inside local policing areas (their local authorities), with what a force
//! profile adds to make addresses: post towns and postcode districts.
//!
//! The LSOA table covers every force in England (`data/police-force-lsoa-2011.csv`, Open
//! Government Licence v3.0), so another force needs only a profile ([`ForceProfile`]).

use bluelamp_domain::csv;
use bluelamp_domain::person::Ethnicity;

const LSOA_TABLE: &str = include_str!("../../../data/police-force-lsoa-2011.csv");

/// One LSOA and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lsoa {
    pub code: String,
    pub name: String,
    /// Index into [`Geography::neighbourhoods`].
    pub neighbourhood: usize,
}

/// A neighbourhood: one MSOA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    pub code: String,
    pub name: String,
    /// Index into [`Geography::areas`].
    pub area: usize,
    /// Indexes into [`Geography::lsoas`].
    pub lsoas: Vec<usize>,
}

/// A local policing area: one local authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicingArea {
    pub code: String,
    pub name: String,
    /// Indexes into [`Geography::neighbourhoods`].
    pub neighbourhoods: Vec<usize>,
}

/// A force's geography, in the order of the table (by local authority, MSOA and LSOA code).
#[derive(Debug, Clone, Default)]
pub struct Geography {
    pub areas: Vec<PolicingArea>,
    pub neighbourhoods: Vec<Neighbourhood>,
    pub lsoas: Vec<Lsoa>,
}

impl Geography {
    /// The LSOAs of the force the table names `force` (such as "Leicestershire"), or
    /// `None` when it names no such force.
    pub fn of(force: &str) -> Option<Geography> {
        let mut g = Geography::default();
        for f in csv::records(LSOA_TABLE) {
            let [
                pf,
                la_code,
                la_name,
                msoa_code,
                msoa_name,
                lsoa_code,
                lsoa_name,
            ] = f.as_slice()
            else {
                continue;
            };
            if pf != force {
                continue;
            }
            if g.areas.last().is_none_or(|a| &a.code != la_code) {
                g.areas.push(PolicingArea {
                    code: la_code.clone(),
                    name: la_name.trim_end_matches(" UA").to_string(),
                    neighbourhoods: vec![],
                });
            }
            let area = g.areas.len() - 1;
            if g.neighbourhoods.last().is_none_or(|n| &n.code != msoa_code) {
                g.neighbourhoods.push(Neighbourhood {
                    code: msoa_code.clone(),
                    name: msoa_name.clone(),
                    area,
                    lsoas: vec![],
                });
                let n = g.neighbourhoods.len() - 1;
                g.areas[area].neighbourhoods.push(n);
            }
            let neighbourhood = g.neighbourhoods.len() - 1;
            g.lsoas.push(Lsoa {
                code: lsoa_code.clone(),
                name: lsoa_name.clone(),
                neighbourhood,
            });
            let l = g.lsoas.len() - 1;
            g.neighbourhoods[neighbourhood].lsoas.push(l);
        }
        (!g.lsoas.is_empty()).then_some(g)
    }

    /// The local policing area an LSOA is in.
    pub fn area_of(&self, lsoa: usize) -> usize {
        self.lsoas
            .get(lsoa)
            .and_then(|l| self.neighbourhoods.get(l.neighbourhood))
            .map_or(0, |n| n.area)
    }
}

/// What a force needs beyond its LSOAs to be generated: its names in the reference data,
/// and per local authority, the post towns, postcode districts and ethnic mix.
#[derive(Debug)]
pub struct ForceProfile {
    /// The force's name in the LSOA table.
    pub lsoa_name: &'static str,
    /// The force's name in the recorded crime table.
    pub crime_name: &'static str,
    /// The population the recorded crime is scaled from: a run of this population and
    /// twelve months reproduces the force's 2017/18 count per offence code.
    pub reference_population: u64,
    /// Per local authority code: post towns, postcode districts, and the ethnic mix as
    /// weights in the order of [`Ethnicity::ALL`].
    pub authorities: &'static [Authority],
}

/// A local authority's part of a profile.
#[derive(Debug)]
pub struct Authority {
    pub code: &'static str,
    pub towns: &'static [&'static str],
    pub postcode_districts: &'static [&'static str],
    /// Weights of the 18+1 ethnicities, in the order of [`Ethnicity::ALL`] ("not stated"
    /// last).
    pub ethnicity: [f64; 19],
}

impl ForceProfile {
    /// The authority with this code, or the first one.
    pub fn authority(&self, code: &str) -> &Authority {
        self.authorities
            .iter()
            .find(|a| a.code == code)
            .or(self.authorities.first())
            .unwrap_or(&LEICESTER)
    }
}

/// Leicester's ethnic mix, the profile's fallback.
const LEICESTER: Authority = Authority {
    code: "E06000016",
    towns: &["Leicester"],
    postcode_districts: &["LE1", "LE2", "LE3", "LE4", "LE5"],
    ethnicity: [
        45.1, 0.8, 0.1, 4.6, 1.5, 0.4, 1.0, 0.5, 28.3, 2.4, 1.1, 0.9, 3.9, 3.8, 1.5, 0.4, 1.0, 1.6,
        0.0,
    ],
};

/// Leicestershire Police: Leicester, Leicestershire's seven districts and Rutland.
///
/// Ethnic mixes are those of the 2011 Census (ONS table KS201EW) per local authority,
/// rounded to about a tenth of a percentage point from memory of the published tables
/// (UNCONFIRMED to the decimal; the shape — Leicester about 28% Indian and half White
/// British, the districts 85–95% White British — is the point). The reference population
/// is that of the "full force-year" (the 2017 mid-year estimate for the force area
/// was about 1.09 million, UNCONFIRMED), so the default run reproduces the 83,793 offences
/// of 2017/18 exactly.
pub static LEICESTERSHIRE: ForceProfile = ForceProfile {
    lsoa_name: "Leicestershire",
    crime_name: "Leicestershire",
    reference_population: 1_050_000,
    authorities: &[
        LEICESTER,
        Authority {
            code: "E06000017",
            towns: &["Oakham", "Uppingham", "Cottesmore", "Ketton"],
            postcode_districts: &["LE15"],
            ethnicity: [
                93.3, 0.7, 0.2, 2.9, 0.3, 0.2, 0.5, 0.3, 0.4, 0.1, 0.0, 0.3, 0.4, 0.3, 0.1, 0.0,
                0.0, 0.2, 0.0,
            ],
        },
        Authority {
            code: "E07000129",
            towns: &[
                "Blaby",
                "Enderby",
                "Narborough",
                "Glenfield",
                "Braunstone Town",
                "Whetstone",
                "Countesthorpe",
            ],
            postcode_districts: &["LE8", "LE9", "LE19", "LE3"],
            ethnicity: [
                88.6, 0.6, 0.1, 2.2, 0.5, 0.1, 0.6, 0.2, 5.4, 0.3, 0.1, 0.3, 0.5, 0.2, 0.2, 0.0,
                0.1, 0.2, 0.0,
            ],
        },
        Authority {
            code: "E07000130",
            towns: &[
                "Loughborough",
                "Shepshed",
                "Syston",
                "Birstall",
                "Anstey",
                "Quorn",
                "Sileby",
                "Thurmaston",
            ],
            postcode_districts: &["LE11", "LE12", "LE7"],
            ethnicity: [
                84.6, 0.7, 0.1, 3.0, 0.6, 0.2, 0.7, 0.3, 5.8, 0.4, 0.6, 1.1, 0.7, 0.7, 0.3, 0.1,
                0.3, 0.4, 0.0,
            ],
        },
        Authority {
            code: "E07000131",
            towns: &[
                "Market Harborough",
                "Lutterworth",
                "Broughton Astley",
                "Kibworth",
                "Great Glen",
            ],
            postcode_districts: &["LE16", "LE17", "LE8"],
            ethnicity: [
                93.2, 0.6, 0.1, 2.5, 0.3, 0.1, 0.5, 0.2, 1.5, 0.1, 0.0, 0.3, 0.3, 0.2, 0.1, 0.0,
                0.0, 0.1, 0.0,
            ],
        },
        Authority {
            code: "E07000132",
            towns: &[
                "Hinckley",
                "Burbage",
                "Earl Shilton",
                "Barwell",
                "Market Bosworth",
                "Groby",
                "Desford",
            ],
            postcode_districts: &["LE10", "LE9", "CV13", "LE6"],
            ethnicity: [
                94.1, 0.5, 0.1, 2.3, 0.4, 0.1, 0.4, 0.2, 1.1, 0.1, 0.0, 0.2, 0.3, 0.1, 0.1, 0.0,
                0.0, 0.1, 0.0,
            ],
        },
        Authority {
            code: "E07000133",
            towns: &[
                "Melton Mowbray",
                "Asfordby",
                "Bottesford",
                "Waltham on the Wolds",
            ],
            postcode_districts: &["LE13", "LE14"],
            ethnicity: [
                94.8, 0.5, 0.1, 2.4, 0.3, 0.1, 0.3, 0.2, 0.5, 0.1, 0.0, 0.2, 0.2, 0.1, 0.1, 0.0,
                0.0, 0.1, 0.0,
            ],
        },
        Authority {
            code: "E07000134",
            towns: &[
                "Coalville",
                "Ashby-de-la-Zouch",
                "Castle Donington",
                "Ibstock",
                "Measham",
                "Kegworth",
                "Whitwick",
            ],
            postcode_districts: &["LE65", "LE67", "DE74", "DE12"],
            ethnicity: [
                94.7, 0.5, 0.1, 2.2, 0.4, 0.1, 0.4, 0.2, 0.7, 0.1, 0.0, 0.2, 0.2, 0.1, 0.1, 0.0,
                0.0, 0.1, 0.0,
            ],
        },
        Authority {
            code: "E07000135",
            towns: &["Oadby", "Wigston", "South Wigston"],
            postcode_districts: &["LE2", "LE18"],
            ethnicity: [
                74.6, 0.7, 0.1, 2.4, 0.8, 0.2, 1.3, 0.4, 13.5, 1.1, 0.3, 0.6, 1.5, 0.7, 0.5, 0.1,
                0.2, 0.4, 0.0,
            ],
        },
    ],
};

/// The ethnicity at a position of [`Ethnicity::ALL`].
pub fn ethnicity_at(i: usize) -> Ethnicity {
    Ethnicity::ALL
        .get(i)
        .copied()
        .unwrap_or(Ethnicity::NotStated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leicestershire_has_its_611_lsoas_in_125_neighbourhoods_and_9_areas() {
        let g = Geography::of("Leicestershire").unwrap_or_default();
        assert_eq!(g.lsoas.len(), 611);
        assert_eq!(g.neighbourhoods.len(), 125);
        assert_eq!(g.areas.len(), 9);
        assert_eq!(g.areas[0].name, "Leicester");
        assert_eq!(g.areas[0].neighbourhoods.len(), 37);
        for a in &g.areas {
            assert_eq!(LEICESTERSHIRE.authority(&a.code).code, a.code, "{}", a.name);
        }
        assert!(Geography::of("Atlantis").is_none());
    }
}

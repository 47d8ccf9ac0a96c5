//! Synthetic staff: officers and staff in the force's teams, each with roles and the areas
//! they work in. None has a password, so none can sign in; they exist so that records have
//! creators and teams have members.
//!
//! The force has about 2.7 officers and staff per thousand residents (Home Office, "Police
//! workforce, England and Wales": Leicestershire had roughly 1,800 officers and 1,100 staff
//! for a million people in 2018, UNCONFIRMED), divided between the control room, the
//! response, neighbourhood and CID teams of each local policing area, and the force-wide
//! units. About one in eight also holds the supervisor role (sergeants and team leaders).
//! Investigators hold PIP accreditation: most of response level 1, detectives level 2.

use std::collections::HashSet;

use bluelamp_domain::access::Role;
use bluelamp_domain::ids::{AreaId, TeamId, UserId};
use bluelamp_domain::investigation::PipLevel;
use chrono::{DateTime, Datelike, Utc};
use rand::Rng;

use crate::calibration::largest_remainder;
use crate::names;
use crate::population::Population;
use crate::seed::{Ids, Stream, rng};

/// Staff per thousand residents.
pub const PER_THOUSAND: f64 = 2.7;

/// What a team does, for allocating investigations to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    ControlRoom,
    Response,
    Neighbourhood,
    Cid,
    PublicProtection,
    DomesticAbuse,
    Marac,
    OffenderManagement,
    SeriousOrganisedCrime,
    VictimCare,
    Intelligence,
}

/// A kind of team, its share of the staff, and the roles its members hold.
struct TeamKind {
    unit: Unit,
    name: &'static str,
    share: f64,
    roles: &'static [Role],
    per_area: bool,
}

const KINDS: &[TeamKind] = &[
    TeamKind {
        unit: Unit::ControlRoom,
        name: "Force Control Room",
        share: 0.12,
        roles: &[Role::CallHandler],
        per_area: false,
    },
    TeamKind {
        unit: Unit::Response,
        name: "Response",
        share: 0.30,
        roles: &[Role::Investigator],
        per_area: true,
    },
    TeamKind {
        unit: Unit::Neighbourhood,
        name: "Neighbourhood Policing",
        share: 0.20,
        roles: &[Role::Neighbourhood],
        per_area: true,
    },
    TeamKind {
        unit: Unit::Cid,
        name: "CID",
        share: 0.125,
        roles: &[Role::Investigator],
        per_area: true,
    },
    TeamKind {
        unit: Unit::PublicProtection,
        name: "Public Protection Unit",
        share: 0.06,
        roles: &[Role::Safeguarding],
        per_area: false,
    },
    TeamKind {
        unit: Unit::DomesticAbuse,
        name: "Domestic Abuse Investigation Unit",
        share: 0.04,
        roles: &[Role::Investigator, Role::Safeguarding],
        per_area: false,
    },
    TeamKind {
        unit: Unit::Marac,
        name: "MARAC Coordination",
        share: 0.005,
        roles: &[Role::MaracCoordinator],
        per_area: false,
    },
    TeamKind {
        unit: Unit::OffenderManagement,
        name: "Integrated Offender Management",
        share: 0.03,
        roles: &[Role::OffenderManager],
        per_area: false,
    },
    TeamKind {
        unit: Unit::SeriousOrganisedCrime,
        name: "Serious Organised Crime Unit",
        share: 0.04,
        roles: &[Role::SocOfficer],
        per_area: false,
    },
    TeamKind {
        unit: Unit::VictimCare,
        name: "Victim First",
        share: 0.03,
        roles: &[Role::VictimCare],
        per_area: false,
    },
    TeamKind {
        unit: Unit::Intelligence,
        name: "Intelligence and Analysis",
        share: 0.03,
        roles: &[Role::Analyst],
        per_area: false,
    },
];

/// A local policing area as staffing sees it.
#[derive(Debug, Clone)]
pub struct StaffedArea {
    pub id: AreaId,
    pub name: String,
    /// Its share of the population (relative).
    pub size: f64,
    pub neighbourhoods: Vec<AreaId>,
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub team: TeamId,
    pub areas: Vec<AreaId>,
    /// The PIP accreditation held, if any.
    pub pip: Option<PipLevel>,
}

/// The staff of a run.
#[derive(Debug, Clone, Default)]
pub struct Staff {
    pub teams: Vec<(TeamId, String)>,
    /// Each team's unit and local policing area (by index; `None` for force-wide teams),
    /// in the order of `teams`.
    pub units: Vec<(Unit, Option<usize>)>,
    pub members: Vec<Member>,
    /// Indexes of call handlers, who open incidents.
    pub call_handlers: Vec<usize>,
    /// Indexes of investigators, per local policing area; the last list is force-wide.
    pub investigators: Vec<Vec<usize>>,
}

/// The Professionalising Investigation Programme accreditation a member of `unit` holds
/// (College of Policing, PIP): most response and many neighbourhood officers level 1, a
/// few probationers none; detectives in CID, public protection, domestic abuse and
/// serious organised crime level 2, with some trainee investigators at level 1; the
/// serious organised crime unit's leads level 3 (senior investigating officers). Staff
/// outside investigation hold none. Shares are Bluelamp's estimates (UNCONFIRMED).
fn accreditation(unit: Unit, lead: bool, r: &mut impl Rng) -> Option<PipLevel> {
    let u: f64 = r.random();
    let level = match unit {
        Unit::Response if lead || u < 0.92 => 1,
        Unit::Neighbourhood if lead || u < 0.55 => 1,
        Unit::SeriousOrganisedCrime if lead => 3,
        Unit::Cid | Unit::DomesticAbuse | Unit::SeriousOrganisedCrime | Unit::PublicProtection
            if lead || u < 0.8 =>
        {
            2
        }
        Unit::Cid | Unit::DomesticAbuse | Unit::SeriousOrganisedCrime | Unit::PublicProtection => 1,
        _ => return None,
    };
    PipLevel::new(level)
}

/// A username from a name: `forename.surname` in lower-case ASCII, numbered when taken.
fn username(forenames: &str, surname: &str, used: &mut HashSet<String>) -> String {
    let clean = |s: &str| -> String {
        deunicode::deunicode(s)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let first = clean(forenames.split(' ').next().unwrap_or(forenames));
    let base = format!("{first}.{}", clean(surname));
    let mut name = base.clone();
    let mut n = 1;
    while !used.insert(name.clone()) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}

impl Staff {
    /// Builds the staff of a force of `population` residents. Names are drawn like
    /// residents' (from random households' traditions); usernames in `taken` are avoided.
    pub fn build(
        seed: u64,
        population: u64,
        areas: &[StaffedArea],
        pop: &Population,
        ids: &mut Ids,
        at: DateTime<Utc>,
        taken: &HashSet<String>,
    ) -> Staff {
        let mut r = rng(seed, Stream::Staff, 0);
        let mut s = Staff {
            investigators: vec![Vec::new(); areas.len() + 1],
            ..Staff::default()
        };
        let mut teams: Vec<(&TeamKind, Option<usize>, f64)> = Vec::new();
        let total_size: f64 = areas
            .iter()
            .map(|a| a.size)
            .sum::<f64>()
            .max(f64::MIN_POSITIVE);
        for kind in KINDS {
            if kind.per_area {
                for (a, area) in areas.iter().enumerate() {
                    teams.push((kind, Some(a), kind.share * area.size / total_size));
                }
            } else {
                teams.push((kind, None, kind.share));
            }
        }
        let wanted = (population as f64 / 1000.0 * PER_THOUSAND).round() as u64;
        let total = wanted.max(teams.len() as u64);
        let weights: Vec<f64> = teams.iter().map(|(_, _, w)| *w).collect();
        let sizes = largest_remainder(total - teams.len() as u64, &weights);
        let mut used: HashSet<String> = taken.clone();
        for ((kind, area, _), extra) in teams.into_iter().zip(sizes) {
            let team = TeamId::from_uuid(ids.next(at));
            let team_name = match area.and_then(|a| areas.get(a)) {
                Some(a) => format!("{} {}", a.name, kind.name),
                None => kind.name.to_string(),
            };
            s.teams.push((team, team_name));
            s.units.push((kind.unit, area));
            for i in 0..=extra {
                let age: u8 = r.random_range(20..=62);
                let birth_year = at.year() - i32::from(age);
                let female = r.random::<f64>() < 0.4;
                let sex = if female {
                    bluelamp_domain::person::Sex::Female
                } else {
                    bluelamp_domain::person::Sex::Male
                };
                let tradition = pop
                    .households
                    .get(r.random_range(0..pop.households.len().max(1)))
                    .map_or(names::Tradition::British, |h| h.tradition);
                let mut family = names::surname(tradition, &mut r);
                if female {
                    family = names::feminine(tradition, &family, &mut r);
                }
                let forenames = names::forenames(tradition, sex, birth_year, &mut r);
                let mut roles = kind.roles.to_vec();
                // One in eight leads: the first of each team, then every eighth.
                let lead = i % 8 == 0;
                if lead {
                    roles.push(Role::Supervisor);
                }
                let member_areas = match area.and_then(|a| areas.get(a)) {
                    Some(a)
                        if kind.roles.contains(&Role::Neighbourhood)
                            && !a.neighbourhoods.is_empty() =>
                    {
                        let n = (i as usize) % a.neighbourhoods.len();
                        vec![a.id, a.neighbourhoods[n]]
                    }
                    Some(a) => vec![a.id],
                    None => vec![],
                };
                let index = s.members.len();
                // Its own stream, so that the staff's names and ages do not move.
                let pip = accreditation(
                    kind.unit,
                    lead,
                    &mut rng(seed, Stream::Accreditation, index as u64),
                );
                if kind.roles.contains(&Role::CallHandler) {
                    s.call_handlers.push(index);
                }
                if kind.roles.contains(&Role::Investigator) {
                    let slot = area.unwrap_or(areas.len());
                    if let Some(list) = s.investigators.get_mut(slot) {
                        list.push(index);
                    }
                }
                s.members.push(Member {
                    id: UserId::from_uuid(ids.next(at)),
                    username: username(&forenames, &family, &mut used),
                    display_name: format!("{forenames} {family}"),
                    roles,
                    team,
                    areas: member_areas,
                    pip,
                });
            }
        }
        s
    }

    /// The members of each team, by index, in the order of `teams`.
    pub fn members_by_team(&self) -> Vec<Vec<usize>> {
        let place: std::collections::HashMap<TeamId, usize> = self
            .teams
            .iter()
            .enumerate()
            .map(|(i, (t, _))| (*t, i))
            .collect();
        let mut out = vec![Vec::new(); self.teams.len()];
        for (i, m) in self.members.iter().enumerate() {
            if let Some(list) = place.get(&m.team).and_then(|t| out.get_mut(*t)) {
                list.push(i);
            }
        }
        out
    }

    /// Someone to have recorded a crime in an area: one of its investigators, or any.
    pub fn investigator<R: Rng>(&self, area: usize, r: &mut R) -> Option<usize> {
        let local = self.investigators.get(area).filter(|l| !l.is_empty());
        let list = local.or_else(|| self.investigators.iter().find(|l| !l.is_empty()))?;
        list.get(r.random_range(0..list.len())).copied()
    }

    /// Someone to have opened an incident: a call handler.
    pub fn call_handler<R: Rng>(&self, r: &mut R) -> Option<usize> {
        self.call_handlers
            .get(r.random_range(0..self.call_handlers.len().max(1)))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_plain_and_unique() {
        let mut used = HashSet::from(["john.smith".to_string()]);
        assert_eq!(username("John Paul", "Smith", &mut used), "john.smith2");
        assert_eq!(
            username("Łukasz", "Wiśniewski", &mut used),
            "lukasz.wisniewski"
        );
        assert_eq!(username("Sean", "O'Brien", &mut used), "sean.obrien");
    }
}

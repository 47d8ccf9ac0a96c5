//! Turning a planned force into the rows the application itself would have written, and
//! writing them in one transaction, parents before children, with progress.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bluelamp_domain::area::AreaKind;
use bluelamp_domain::crime::Crime;
use bluelamp_domain::duty::Duty;
use bluelamp_domain::ids::{AreaId, ForceId, LinkId, RecordId, UserId};
use bluelamp_domain::incident::{Channel, Incident};
use bluelamp_domain::location::{Location, LocationInput};
use bluelamp_domain::nominal;
use bluelamp_domain::person::{Ethnicity, Person, PersonInput};
use bluelamp_domain::record::{LinkRole, RecordKind};
use bluelamp_domain::thrive::Setting;
use bluelamp_store::Tx;
use bluelamp_store::bulk::{
    self, NewAdvice, NewArea, NewAssessment, NewAttendance, NewIncident, NewLink, NewLocation,
    NewPerson, NewQueued, NewRecord, NewUser,
};
use bluelamp_store::first_contact::Decision;
use chrono::{DateTime, Datelike, Duration, Months, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rand::Rng;
use uuid::Uuid;

use crate::calibration::{CrimePlan, RecordedCrime};
use crate::events::{self, EventSettings, Loc};
use crate::first_contact::{self, CrimeFacts, Facts, FirstContactSummary};
use crate::geography::{ForceProfile, Geography, ethnicity_at};
use crate::investigation::{self, Case, InvestigationSummary, Party, Workforce};
use crate::population::Population;
use crate::seed::{Ids, Stream, rng};
use crate::staff::{Staff, StaffedArea};
use crate::{SynthConfig, SynthError};

/// What a run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub residents: u64,
    pub households: u64,
    pub local_policing_areas: u64,
    pub neighbourhoods: u64,
    pub locations: u64,
    pub staff: u64,
    pub teams: u64,
    pub persons: u64,
    pub victims: u64,
    pub suspects: u64,
    pub incidents: u64,
    pub crimes: u64,
    pub domestic_abuse_crimes: u64,
    pub links: u64,
    pub search_keys: u64,
    /// Crimes per offence group (the group's code), in the classification's order.
    pub crimes_by_group: Vec<(String, u64)>,
    /// First contact: THRIVE, attendance, decisions, closures, the queue and duties.
    pub first_contact: FirstContactSummary,
    /// Investigations and victim care: allocation, supervision, outcomes, victims, contacts.
    pub investigation: InvestigationSummary,
}

impl Summary {
    /// The audit entry's details: the settings and the counts.
    pub fn details(&self, c: &SynthConfig) -> serde_json::Value {
        let f = &self.first_contact;
        let i = &self.investigation;
        serde_json::json!({
            "settings": {
                "seed": c.seed, "population": c.population, "months": c.months,
                "start": c.start.to_string(), "incidents_per_1000": c.incidents_per_1000,
                "domestic_abuse_share": c.domestic_abuse_share, "force": c.force,
            },
            "written": {
                "local_policing_areas": self.local_policing_areas, "neighbourhoods": self.neighbourhoods,
                "locations": self.locations, "staff": self.staff, "teams": self.teams,
                "persons": self.persons, "incidents": self.incidents, "crimes": self.crimes,
                "domestic_abuse_crimes": self.domestic_abuse_crimes, "links": self.links,
                "search_keys": self.search_keys,
                "thrive_assessments": f.assessments, "incident_advice": f.advice,
                "incident_attendance": f.attendance,
                "crime_recording_decisions": f.decisions_crime + f.decisions_not_a_crime,
                "incident_queue": f.queued, "duties": f.duties + i.duties,
                "investigations": i.investigations, "investigation_steps": i.steps,
                "plan_items": i.plan_items, "supervision_reviews": i.reviews,
                "handovers": i.handovers, "crime_developments": i.developments,
                "crime_victims": i.victims, "victim_contacts": i.contacts,
                "victim_surveys": i.surveys,
            },
            "investigation": {
                "allocated": i.allocated, "finalised": i.finalised(),
                "filed_at_screening": i.screened_out,
                "outcomes": i.outcomes.iter().enumerate().filter(|(_, n)| **n > 0)
                    .map(|(o, n)| serde_json::json!({"outcome": o + 1, "count": n}))
                    .collect::<Vec<_>>(),
                "charge_summons_rate": i.charge_rate(),
                "review_compliance": i.review_compliance(), "never_reviewed": i.unreviewed,
                "victims_code_compliance": i.victims_code_compliance(),
                "satisfaction": i.satisfaction(),
            },
            "modelled": {"residents": self.residents, "households": self.households},
        })
    }
}

/// Every row of a run, ready to write.
#[derive(Debug, Default)]
pub struct Built {
    pub summary: Summary,
    areas: Vec<NewArea>,
    teams: Vec<(bluelamp_domain::ids::TeamId, String)>,
    users: Vec<NewUser>,
    records: Vec<NewRecord>,
    locations: Vec<NewLocation>,
    persons: Vec<NewPerson>,
    keys: Vec<(Arc<str>, RecordId)>,
    incidents: Vec<NewIncident>,
    crimes: Vec<(RecordId, Crime)>,
    /// Investigations with their history, and victims with their care; its duties are
    /// in `duties`.
    investigation: investigation::Rows,
    links: Vec<NewLink>,
    assessments: Vec<NewAssessment>,
    advice: Vec<NewAdvice>,
    attendance: Vec<NewAttendance>,
    decisions: Vec<(RecordId, Decision)>,
    queue: Vec<NewQueued>,
    duties: Vec<(Uuid, Duty)>,
}

impl Built {
    /// The names of the teams the run would create.
    pub fn team_names(&self) -> impl Iterator<Item = &str> {
        self.teams.iter().map(|(_, n)| n.as_str())
    }

    /// Puts staff in teams of the same name that already exist, instead of creating them.
    pub fn reuse_teams(&mut self, existing: &HashMap<String, bluelamp_domain::ids::TeamId>) {
        let mut replaced = HashMap::new();
        self.teams.retain(|(id, name)| match existing.get(name) {
            Some(old) => {
                replaced.insert(*id, *old);
                false
            }
            None => true,
        });
        for u in &mut self.users {
            for t in &mut u.teams {
                if let Some(old) = replaced.get(t) {
                    *t = *old;
                }
            }
        }
        self.investigation.replace_teams(&replaced);
        for (_, d) in &mut self.duties {
            if let bluelamp_domain::duty::Owner::Team(t) = d.owed_by
                && let Some(old) = replaced.get(&t)
            {
                d.owed_by = bluelamp_domain::duty::Owner::Team(*old);
            }
        }
        self.summary.teams = self.teams.len() as u64;
    }
}

/// Records who came to notice, in the order they first did.
struct Involved {
    order: Vec<u32>,
    first: HashMap<u32, (DateTime<Utc>, Option<UserId>)>,
}

impl Involved {
    fn note(&mut self, resident: u32, at: DateTime<Utc>, by: Option<UserId>) {
        if let std::collections::hash_map::Entry::Vacant(e) = self.first.entry(resident) {
            e.insert((at, by));
            self.order.push(resident);
        }
    }
}

fn invalid(what: &str, e: impl std::fmt::Display) -> SynthError {
    SynthError::Invalid(format!("{what}: {e}"))
}

/// The resident every run records under this name and date of birth, whatever the seed:
/// the README's example search (`bill smyth`, born 1971) finds him by nickname and sound.
const KNOWN_NOMINAL: (&str, &str, &str) = ("William", "Smith", "1971-03-09");

/// The same man recorded again by other officers, as real forces' records hold
/// duplicates: by his nickname, with his surname misspelt and the day and month of his
/// birth swapped, and by another nickname with the year of birth alone. They show the
/// nominal matching at work (nicknames, Double Metaphone, dates of birth).
const DUPLICATES: &[(&str, &str, &str)] = &[
    ("Bill", "Smith", "1971-03-09"),
    ("William", "Smyth", "1971-09-03"),
    ("Billy", "Smith", "1971"),
];

/// The resident recorded as [`KNOWN_NOMINAL`]: the first man of a household of British
/// names who is the age a man born on that day is at `start` (the nearest age when there
/// is none), so that the records agree with the population.
fn known_resident(pop: &Population, start: chrono::NaiveDate) -> Option<u32> {
    let born = chrono::NaiveDate::from_ymd_opt(1971, 3, 9)?;
    let age = start.years_since(born).unwrap_or(0);
    pop.residents
        .iter()
        .enumerate()
        .filter(|(_, r)| r.sex == bluelamp_domain::person::Sex::Male)
        .min_by_key(|(i, r)| {
            let british = pop
                .households
                .get(r.household as usize)
                .is_some_and(|h| h.tradition == crate::names::Tradition::British);
            (!british, u32::from(r.age).abs_diff(age), *i)
        })
        .and_then(|(i, _)| u32::try_from(i).ok())
}

/// Adds a person's record, name keys and, when they have one, the link to their home;
/// answers the person's id.
fn push_person(
    b: &mut Built,
    keys: &mut HashMap<String, Arc<str>>,
    ids: &mut Ids,
    person: Person,
    at: DateTime<Utc>,
    by: Option<UserId>,
    home: Option<RecordId>,
) -> RecordId {
    let id = RecordId::from_uuid(ids.next(at));
    for k in nominal::index_keys(&person.all_names(), person.date_of_birth.as_ref()) {
        let shared = keys
            .entry(k)
            .or_insert_with_key(|k| Arc::from(k.as_str()))
            .clone();
        b.keys.push((shared, id));
    }
    b.records.push(NewRecord {
        id,
        kind: RecordKind::Person,
        created_at: at,
        created_by: by,
    });
    b.persons.push(NewPerson { id, person });
    if let Some(home) = home {
        b.links.push(NewLink {
            id: LinkId::from_uuid(ids.next(at)),
            from: id,
            role: LinkRole::LivesAt,
            to: home,
            created_at: at,
            created_by: by,
        });
    }
    id
}

/// The local authorities whose neighbourhoods count as rural for attendance targets:
/// Melton, Harborough and Rutland, the force's predominantly rural districts. A synthetic
/// simplification: a force would set each area from the ONS Rural-Urban Classification (of
/// its output areas or LSOAs), under which parts of the other districts are rural too and
/// the market towns of these three are urban.
const RURAL_AUTHORITIES: &[&str] = &["E07000133", "E07000131", "E06000017"];

/// Builds every row of a run, first contact graded and timed by the force's `rules`.
///
/// # Errors
/// [`SynthError::UnknownForce`] when the reference data lacks the force;
/// [`SynthError::Invalid`] when a generated record breaks a domain rule (a bug).
pub fn build(
    config: &SynthConfig,
    profile: &ForceProfile,
    force_code: &str,
    taken: &HashSet<String>,
    rules: &bluelamp_app::Config,
) -> Result<Built, SynthError> {
    let seed = config.seed;
    let geo = Geography::of(profile.lsoa_name)
        .ok_or_else(|| SynthError::UnknownForce(profile.lsoa_name.to_string()))?;
    let recorded = RecordedCrime::of(profile.crime_name)
        .ok_or_else(|| SynthError::UnknownForce(profile.crime_name.to_string()))?;
    let start = config.start.with_day(1).unwrap_or(config.start);
    let base = London
        .from_local_datetime(&start.and_time(NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || start.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        );
    let end = start
        .checked_add_months(Months::new(config.months))
        .unwrap_or(start);
    // The end of the period, when the force is seen: what comes later has not happened.
    let end_at = London
        .from_local_datetime(&end.and_time(NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || end.and_time(NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        );
    let mut ids = Ids::new(seed);
    let mut b = Built::default();

    // Geography: local policing areas, then their neighbourhoods.
    let area_ids: Vec<AreaId> = geo
        .areas
        .iter()
        .map(|_| AreaId::from_uuid(ids.next(base)))
        .collect();
    let hood_ids: Vec<AreaId> = geo
        .neighbourhoods
        .iter()
        .map(|_| AreaId::from_uuid(ids.next(base)))
        .collect();
    let setting_of_area = |a: usize| {
        if geo
            .areas
            .get(a)
            .is_some_and(|a| RURAL_AUTHORITIES.contains(&a.code.as_str()))
        {
            Setting::Rural
        } else {
            Setting::Urban
        }
    };
    for (i, (a, id)) in geo.areas.iter().zip(&area_ids).enumerate() {
        b.areas.push(NewArea {
            id: *id,
            kind: AreaKind::LocalPolicingArea,
            code: a.code.clone(),
            name: a.name.clone(),
            parent: None,
            lsoa_codes: vec![],
            setting: setting_of_area(i),
        });
    }
    for (n, id) in geo.neighbourhoods.iter().zip(&hood_ids) {
        b.areas.push(NewArea {
            id: *id,
            kind: AreaKind::Neighbourhood,
            code: n.code.clone(),
            name: n.name.clone(),
            parent: area_ids.get(n.area).copied(),
            lsoa_codes: n
                .lsoas
                .iter()
                .filter_map(|l| geo.lsoas.get(*l).map(|l| l.code.clone()))
                .collect(),
            setting: setting_of_area(n.area),
        });
    }

    // People, staff and events.
    let pop = Population::build(seed, config.population, &geo, profile);
    let staffed: Vec<StaffedArea> = geo
        .areas
        .iter()
        .zip(&area_ids)
        .map(|(a, id)| StaffedArea {
            id: *id,
            name: a.name.clone(),
            size: a
                .neighbourhoods
                .iter()
                .filter_map(|n| geo.neighbourhoods.get(*n))
                .map(|n| n.lsoas.len() as f64)
                .sum(),
            neighbourhoods: a
                .neighbourhoods
                .iter()
                .filter_map(|n| hood_ids.get(*n).copied())
                .collect(),
        })
        .collect();
    let staff = Staff::build(
        seed,
        config.population,
        &staffed,
        &pop,
        &mut ids,
        base,
        taken,
    );
    let plan = CrimePlan::new(
        &recorded,
        profile.reference_population,
        config.population,
        start,
        config.months,
    );
    let ev = events::plan(
        &EventSettings {
            seed,
            population: config.population,
            incidents_per_1000: config.incidents_per_1000,
            domestic_abuse_share: config.domestic_abuse_share,
        },
        &plan,
        &pop,
    );

    // Staff and teams.
    b.teams = staff.teams.clone();
    for m in &staff.members {
        b.users.push(NewUser {
            id: m.id,
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            password_hash: None,
            agency: None,
            roles: m.roles.clone(),
            teams: vec![m.team],
            areas: m.areas.clone(),
            created_at: base,
            pip_level: m.pip,
        });
    }
    let user_at = |i: usize| staff.members.get(i).map(|m| m.id);

    // Locations: every household's address (the force's gazetteer), then the places.
    let mut home_ids = Vec::with_capacity(pop.households.len());
    for h in &pop.households {
        let street = pop.streets.get(h.street as usize);
        let id = RecordId::from_uuid(ids.next(base));
        let input = LocationInput {
            address_lines: vec![
                format!("{} {}", h.number, street.map_or("", |s| s.name.as_str())),
                street.map_or("", |s| s.town).to_string(),
            ],
            postcode: street.map(|s| s.postcode.clone()),
            lsoa_code: geo.lsoas.get(usize::from(h.lsoa)).map(|l| l.code.clone()),
            ..LocationInput::default()
        };
        let location = Location::parse(&input).map_err(|e| invalid("location", e))?;
        b.records.push(NewRecord {
            id,
            kind: RecordKind::Location,
            created_at: base,
            created_by: None,
        });
        b.locations.push(NewLocation { id, location });
        home_ids.push(id);
    }
    let mut place_ids = Vec::with_capacity(pop.places.len());
    for p in &pop.places {
        let street = pop.streets.get(p.street as usize);
        let id = RecordId::from_uuid(ids.next(base));
        let input = LocationInput {
            address_lines: vec![p.line.clone(), street.map_or("", |s| s.town).to_string()],
            postcode: street.map(|s| s.postcode.clone()),
            lsoa_code: geo.lsoas.get(usize::from(p.lsoa)).map(|l| l.code.clone()),
            ..LocationInput::default()
        };
        let location = Location::parse(&input).map_err(|e| invalid("place", e))?;
        b.records.push(NewRecord {
            id,
            kind: RecordKind::Location,
            created_at: base,
            created_by: None,
        });
        b.locations.push(NewLocation { id, location });
        place_ids.push(id);
    }
    let location_id = |l: Loc| match l {
        Loc::Home(h) => home_ids.get(h as usize).copied(),
        Loc::Place(p) => place_ids.get(p as usize).copied(),
    };
    let lsoa_of = |l: Loc| match l {
        Loc::Home(h) => pop
            .households
            .get(h as usize)
            .map_or(0, |h| usize::from(h.lsoa)),
        Loc::Place(p) => pop
            .places
            .get(p as usize)
            .map_or(0, |p| usize::from(p.lsoa)),
    };

    // Incidents, numbered per local day.
    let mut r = rng(seed, Stream::Incidents, 1);
    let mut incident_ids = Vec::with_capacity(ev.incidents.len());
    let mut incident_by = Vec::with_capacity(ev.incidents.len());
    let mut pending = Vec::with_capacity(ev.incidents.len());
    let mut day = None;
    let mut seq = 0;
    for inc in &ev.incidents {
        let local = inc.received_at.with_timezone(&London).date_naive();
        if day != Some(local) {
            day = Some(local);
            seq = 0;
        }
        seq += 1;
        let id = RecordId::from_uuid(ids.next(inc.received_at));
        let by = staff.call_handler(&mut r).and_then(user_at);
        b.records.push(NewRecord {
            id,
            kind: RecordKind::Incident,
            created_at: inc.received_at,
            created_by: by,
        });
        pending.push((
            id,
            Incident {
                reference: format!("{}-{seq:04}", local.format("%Y%m%d")),
                channel: Channel::NonEmergency,
                received_at: inc.received_at,
                occurred_at: None,
                category: inc.category,
                location_id: location_id(inc.location),
                summary: inc.summary.clone(),
            },
        ));
        incident_ids.push(id);
        incident_by.push(by);
    }

    // Crimes, numbered per year of recording, and who came to notice through them.
    let mut involved = Involved {
        order: vec![],
        first: HashMap::new(),
    };
    let mut crime_ids = Vec::with_capacity(ev.crimes.len());
    let mut crime_by = Vec::with_capacity(ev.crimes.len());
    let mut year = None;
    let mut seq = 0;
    for c in &ev.crimes {
        let y = c.recorded_at.with_timezone(&London).year();
        if year != Some(y) {
            year = Some(y);
            seq = 0;
        }
        seq += 1;
        let id = RecordId::from_uuid(ids.next(c.recorded_at));
        let area = geo.area_of(lsoa_of(c.location));
        let by = staff.investigator(area, &mut r).and_then(user_at);
        b.records.push(NewRecord {
            id,
            kind: RecordKind::Crime,
            created_at: c.recorded_at,
            created_by: by,
        });
        b.crimes.push((
            id,
            Crime {
                reference: format!("{force_code}/{seq:06}/{:02}", y.rem_euclid(100)),
                offence_code: c.code,
                committed_from: c.committed_from,
                committed_to: c.committed_to,
                recorded_at: c.recorded_at,
                domestic_abuse: c.domestic,
                location_id: location_id(c.location),
                incident_id: c.incident.and_then(|i| incident_ids.get(i).copied()),
            },
        ));
        for v in c.victims.iter().chain(&c.suspects) {
            involved.note(*v, c.recorded_at, by);
        }
        crime_ids.push(id);
        crime_by.push(by);
    }

    // First contact: each incident's channel, THRIVE, attendance, decision and closure,
    // the queue at the end of the period, and the duties they raise.
    let mut crime_of: Vec<Option<usize>> = vec![None; ev.incidents.len()];
    let mut victimised: HashMap<u32, u32> = HashMap::new();
    let mut repeat = Vec::with_capacity(ev.crimes.len());
    for (i, c) in ev.crimes.iter().enumerate() {
        if let Some(slot) = c.incident.and_then(|n| crime_of.get_mut(n)) {
            *slot = Some(i);
        }
        let again = c
            .victims
            .first()
            .is_some_and(|v| victimised.get(v).is_some_and(|n| *n > 0));
        repeat.push(again);
        for v in &c.victims {
            *victimised.entry(*v).or_default() += 1;
        }
    }
    drop(victimised);
    let hood_of_lsoa = |lsoa: usize| {
        geo.lsoas
            .get(lsoa)
            .map(|l| (hood_ids.get(l.neighbourhood).copied(), l.neighbourhood))
    };
    let child_at_home = |resident: u32| {
        pop.household_of(resident).is_some_and(|h| {
            (h.first..h.first + u32::from(h.size))
                .filter(|m| *m != resident)
                .any(|m| pop.residents.get(m as usize).is_some_and(|x| x.age < 18))
        })
    };
    let facts: Vec<Facts> = ev
        .incidents
        .iter()
        .zip(&incident_ids)
        .zip(&incident_by)
        .enumerate()
        .map(|(n, ((inc, id), by))| {
            let (area, hood) = hood_of_lsoa(lsoa_of(inc.location)).unwrap_or((None, 0));
            let setting = geo
                .neighbourhoods
                .get(hood)
                .map_or(Setting::Urban, |h| setting_of_area(h.area));
            let crime = crime_of.get(n).copied().flatten().and_then(|i| {
                let c = ev.crimes.get(i)?;
                let victim = c
                    .victims
                    .first()
                    .and_then(|v| pop.residents.get(*v as usize));
                Some(CrimeFacts {
                    code: c.code,
                    domestic: c.domestic,
                    committed_from: c.committed_from,
                    recorded_at: c.recorded_at,
                    recorded_by: crime_by.get(i).copied().flatten(),
                    child: victim.is_some_and(|v| v.age < 18),
                    older: victim.is_some_and(|v| v.age >= 75),
                    repeat: repeat.get(i).copied().unwrap_or(false),
                    child_at_home: c.victims.first().is_some_and(|v| child_at_home(*v)),
                })
            });
            Facts {
                id: *id,
                received_at: inc.received_at,
                category: inc.category,
                call: inc.call,
                area,
                setting,
                opened_by: *by,
                crime,
            }
        })
        .collect();
    let handlers: Vec<UserId> = staff
        .call_handlers
        .iter()
        .filter_map(|i| user_at(*i))
        .collect();
    let fc = first_contact::generate(seed, &facts, &handlers, rules, end_at, &mut ids);
    drop(facts);
    for ((id, mut incident), o) in pending.into_iter().zip(&fc.outcomes) {
        incident.channel = o.channel;
        incident.occurred_at = o.occurred_at;
        b.incidents.push(NewIncident {
            id,
            area_id: None,
            incident,
            grade: o.grade,
            closure: o.closure.clone(),
        });
    }
    for (row, f) in b.incidents.iter_mut().zip(&ev.incidents) {
        row.area_id = hood_of_lsoa(lsoa_of(f.location)).and_then(|(a, _)| a);
    }
    b.assessments = fc.assessments;
    b.advice = fc.advice;
    b.attendance = fc.attendance;
    b.decisions = fc.decisions;
    b.queue = fc.queue;
    b.duties = fc.duties;
    let first_contact = fc.summary;

    // Persons: the residents who came to notice, recorded when they first did; and the
    // resident whose records are deliberately duplicated, whether or not he came to notice.
    let known = known_resident(&pop, start);
    if let Some(k) = known {
        involved.note(k, base, None);
    }
    let mut person_of: HashMap<u32, RecordId> = HashMap::with_capacity(involved.order.len());
    let mut keys: HashMap<String, Arc<str>> = HashMap::new();
    for resident in &involved.order {
        let Some(res) = pop.residents.get(*resident as usize) else {
            continue;
        };
        let Some((at, by)) = involved.first.get(resident).copied() else {
            continue;
        };
        let ethnicity = pop
            .household_of(*resident)
            .map_or(Ethnicity::NotStated, |h| {
                ethnicity_at(usize::from(h.ethnicity))
            });
        let mut pr = rng(seed, Stream::Names, (u64::from(*resident) << 8) | 2);
        let ethnicity = if pr.random::<f64>() < 0.04 {
            Ethnicity::NotStated
        } else {
            ethnicity
        };
        let born = start
            .checked_sub_months(Months::new(u32::from(res.age) * 12))
            .unwrap_or(start)
            - Duration::days(i64::from(res.birthday));
        let (forenames, surname, date_of_birth) = if known == Some(*resident) {
            let (f, s, d) = KNOWN_NOMINAL;
            (f.to_string(), s.to_string(), d.to_string())
        } else {
            let (f, s) = pop.name(*resident, born.year());
            (f, s, born.to_string())
        };
        let person = Person::parse(
            &PersonInput {
                forenames,
                surname,
                date_of_birth: Some(date_of_birth),
                sex: Some(res.sex.as_str().to_string()),
                ethnicity: Some(ethnicity.as_str().to_string()),
                ..PersonInput::default()
            },
            end,
        )
        .map_err(|e| invalid("person", e))?;
        let home = home_ids.get(res.household as usize).copied();
        let id = push_person(&mut b, &mut keys, &mut ids, person, at, by, home);
        person_of.insert(*resident, id);
    }
    // The same man recorded again by other officers, at the same address.
    if let Some(k) = known
        && let Some(res) = pop.residents.get(k as usize)
    {
        for (n, (forenames, surname, dob)) in DUPLICATES.iter().enumerate() {
            let at = base + Duration::days(30 * (n as i64 + 1));
            let person = Person::parse(
                &PersonInput {
                    forenames: (*forenames).to_string(),
                    surname: (*surname).to_string(),
                    date_of_birth: Some((*dob).to_string()),
                    sex: Some(res.sex.as_str().to_string()),
                    ..PersonInput::default()
                },
                end,
            )
            .map_err(|e| invalid("person", e))?;
            let home = home_ids.get(res.household as usize).copied();
            push_person(&mut b, &mut keys, &mut ids, person, at, None, home);
        }
    }
    drop(keys);
    // In index order, so that each insert appends (see `bluelamp_store::bulk::name_keys`).
    b.keys
        .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    // Links: where each event happened, and who was victim, suspect or offender.
    for ((inc, id), by) in ev.incidents.iter().zip(&incident_ids).zip(&incident_by) {
        if let Some(to) = location_id(inc.location) {
            b.links.push(NewLink {
                id: LinkId::from_uuid(ids.next(inc.received_at)),
                from: *id,
                role: LinkRole::OccurredAt,
                to,
                created_at: inc.received_at,
                created_by: *by,
            });
        }
    }
    let mut victims = HashSet::new();
    let mut suspects = HashSet::new();
    let mut domestic = 0;
    for ((c, id), by) in ev.crimes.iter().zip(&crime_ids).zip(&crime_by) {
        domestic += u64::from(c.domestic);
        let at = c.recorded_at;
        let mut link = |from: RecordId, role: LinkRole, to: RecordId| NewLink {
            id: LinkId::from_uuid(ids.next(at)),
            from,
            role,
            to,
            created_at: at,
            created_by: *by,
        };
        if let Some(to) = location_id(c.location) {
            b.links.push(link(*id, LinkRole::OccurredAt, to));
        }
        for v in &c.victims {
            if let Some(p) = person_of.get(v) {
                victims.insert(*p);
                b.links.push(link(*p, LinkRole::VictimOf, *id));
            }
        }
        for s in &c.suspects {
            if let Some(p) = person_of.get(s) {
                suspects.insert(*p);
                b.links.push(link(*p, LinkRole::SuspectIn, *id));
                if c.caught {
                    b.links.push(link(*p, LinkRole::OffenderIn, *id));
                }
            }
        }
    }

    // Investigations and victim care: each crime's investigation and each victim's needs
    // assessment, contacts and survey answers, after every other id has been drawn.
    let mut seen: HashMap<u32, u32> = HashMap::new();
    let party = |resident: &u32, repeat: bool| {
        let p = person_of.get(resident)?;
        let age = pop.residents.get(*resident as usize).map_or(30, |r| r.age);
        Some(Party {
            person: *p,
            age,
            repeat,
        })
    };
    let mut cases = Vec::with_capacity(ev.crimes.len());
    for ((c, id), by) in ev.crimes.iter().zip(&crime_ids).zip(&crime_by) {
        let mut victims: Vec<Party> = Vec::with_capacity(c.victims.len());
        for v in &c.victims {
            let n = seen.entry(*v).or_default();
            let repeat = *n > 0;
            *n += 1;
            if let Some(p) =
                party(v, repeat).filter(|p| !victims.iter().any(|x| x.person == p.person))
            {
                victims.push(p);
            }
        }
        let mut suspects: Vec<Party> = Vec::with_capacity(c.suspects.len());
        for s in &c.suspects {
            if let Some(p) =
                party(s, false).filter(|p| !suspects.iter().any(|x| x.person == p.person))
            {
                suspects.push(p);
            }
        }
        cases.push(Case {
            id: *id,
            code: c.code,
            domestic: c.domestic,
            reported_at: c.reported_at.min(c.recorded_at),
            recorded_at: c.recorded_at,
            recorded_by: *by,
            area: geo.area_of(lsoa_of(c.location)),
            victims,
            suspects,
        });
    }
    drop(seen);
    let workforce = Workforce::of(&staff);
    let mut inv = investigation::generate(seed, &cases, &workforce, rules, end_at, &mut ids)?;
    drop(cases);
    // Exactly, and freeing the investigation's own list: a force-year holds a million.
    b.duties.reserve_exact(inv.duties.len());
    b.duties.append(&mut inv.duties);
    inv.duties = Vec::new();
    b.duties.sort_unstable_by_key(|(id, _)| *id);
    let investigation_summary = std::mem::take(&mut inv.summary);
    b.investigation = inv;

    // In id order, so that each insert appends to the primary key's index.
    b.records.sort_unstable_by_key(|r| r.id);
    b.links.sort_unstable_by_key(|l| l.id);

    let mut by_group: Vec<(String, u64)> = bluelamp_domain::offence::OffenceGroup::ALL
        .iter()
        .map(|g| (g.as_str().to_string(), 0))
        .collect();
    for (_, c) in &b.crimes {
        let g = c.offence_code.group();
        if let Some(slot) = by_group.iter_mut().find(|(name, _)| name == g.as_str()) {
            slot.1 += 1;
        }
    }
    b.summary = Summary {
        residents: pop.residents.len() as u64,
        households: pop.households.len() as u64,
        local_policing_areas: geo.areas.len() as u64,
        neighbourhoods: geo.neighbourhoods.len() as u64,
        locations: b.locations.len() as u64,
        staff: b.users.len() as u64,
        teams: b.teams.len() as u64,
        persons: b.persons.len() as u64,
        victims: victims.len() as u64,
        suspects: suspects.len() as u64,
        incidents: b.incidents.len() as u64,
        crimes: b.crimes.len() as u64,
        domestic_abuse_crimes: domestic,
        links: b.links.len() as u64,
        search_keys: b.keys.len() as u64,
        crimes_by_group: by_group,
        first_contact,
        investigation: investigation_summary,
    };
    Ok(b)
}

/// Rows per call to the store when writing: large statements, progress often enough.
const CHUNK: usize = 20_000;

async fn in_chunks<T, F>(
    rows: &[T],
    progress: &dyn crate::Progress,
    mut write: F,
) -> Result<(), SynthError>
where
    F: AsyncFnMut(&[T]) -> bluelamp_store::Result<()>,
{
    for chunk in rows.chunks(CHUNK) {
        write(chunk).await?;
        progress.advance(chunk.len() as u64);
    }
    Ok(())
}

/// Writes every row of a run in `tx`, parents before children.
///
/// # Errors
/// The database failed; the transaction must then be abandoned.
pub async fn write(
    tx: &mut Tx,
    force: ForceId,
    b: &Built,
    progress: &dyn crate::Progress,
) -> Result<(), SynthError> {
    let total = b.areas.len()
        + b.teams.len()
        + b.users.len()
        + b.records.len()
        + b.locations.len()
        + b.persons.len()
        + b.keys.len()
        + b.incidents.len()
        + b.crimes.len()
        + b.investigation.count()
        + b.links.len()
        + b.assessments.len()
        + b.advice.len()
        + b.attendance.len()
        + b.decisions.len()
        + b.queue.len()
        + b.duties.len();
    progress.stage("Writing", total as u64);
    // Parents before children: areas before the neighbourhoods inside them.
    let (lpas, hoods): (Vec<NewArea>, Vec<NewArea>) = b
        .areas
        .iter()
        .cloned()
        .partition(|a| a.kind == AreaKind::LocalPolicingArea);
    bulk::areas(tx, force, &lpas).await?;
    bulk::areas(tx, force, &hoods).await?;
    progress.advance(b.areas.len() as u64);
    bulk::teams(tx, force, &b.teams).await?;
    progress.advance(b.teams.len() as u64);
    in_chunks(&b.users, progress, async |c| {
        bulk::users(tx, force, c).await
    })
    .await?;
    in_chunks(&b.records, progress, async |c| {
        bulk::records(tx, force, c).await
    })
    .await?;
    in_chunks(&b.locations, progress, async |c| {
        bulk::locations(tx, force, c).await
    })
    .await?;
    in_chunks(&b.persons, progress, async |c| {
        bulk::persons(tx, force, c).await
    })
    .await?;
    in_chunks(&b.keys, progress, async |c| {
        bulk::name_keys(tx, force, c).await
    })
    .await?;
    in_chunks(&b.incidents, progress, async |c| {
        bulk::incidents(tx, force, c).await
    })
    .await?;
    in_chunks(&b.crimes, progress, async |c| {
        bulk::crimes(tx, force, c).await
    })
    .await?;
    let v = &b.investigation;
    in_chunks(&v.investigations, progress, async |c| {
        bulk::investigations(tx, force, c).await
    })
    .await?;
    in_chunks(&v.steps, progress, async |c| {
        bulk::investigation_steps(tx, force, c).await
    })
    .await?;
    in_chunks(&v.plan, progress, async |c| {
        bulk::plan_items(tx, force, c).await
    })
    .await?;
    in_chunks(&v.reviews, progress, async |c| {
        bulk::supervision_reviews(tx, force, c).await
    })
    .await?;
    in_chunks(&v.handovers, progress, async |c| {
        bulk::handovers(tx, force, c).await
    })
    .await?;
    in_chunks(&v.developments, progress, async |c| {
        bulk::crime_developments(tx, force, c).await
    })
    .await?;
    in_chunks(&v.outcomes, progress, async |c| {
        bulk::crime_outcomes(tx, force, c).await
    })
    .await?;
    // Victims after the persons and crimes they join, their contacts and surveys after them.
    in_chunks(&v.victims, progress, async |c| {
        bulk::crime_victims(tx, force, c).await
    })
    .await?;
    in_chunks(&v.contacts, progress, async |c| {
        bulk::victim_contacts(tx, force, c).await
    })
    .await?;
    in_chunks(&v.surveys, progress, async |c| {
        bulk::victim_surveys(tx, force, c).await
    })
    .await?;
    in_chunks(&b.links, progress, async |c| {
        bulk::links(tx, force, c).await
    })
    .await?;
    in_chunks(&b.assessments, progress, async |c| {
        bulk::thrive_assessments(tx, force, c).await
    })
    .await?;
    in_chunks(&b.advice, progress, async |c| {
        bulk::incident_advice(tx, force, c).await
    })
    .await?;
    in_chunks(&b.attendance, progress, async |c| {
        bulk::incident_attendance(tx, force, c).await
    })
    .await?;
    in_chunks(&b.decisions, progress, async |c| {
        bulk::crime_recording_decisions(tx, force, c).await
    })
    .await?;
    in_chunks(&b.queue, progress, async |c| {
        bulk::incident_queue(tx, force, c).await
    })
    .await?;
    in_chunks(&b.duties, progress, async |c| {
        bulk::duties(tx, force, c).await
    })
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests;

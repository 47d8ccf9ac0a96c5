//! The run's events: crimes with their times, places, victims and suspects, and the
//! incidents (calls for service) they and everything else came from.
//!
//! Who is a victim and who a suspect follows the shape of what is known about both:
//! victimisation and offending are concentrated, a few people suffering or committing many
//! crimes (Farrell and Pease, "Once Bitten, Twice Bitten", Home Office 1993; the ONS Crime
//! Survey's repeat victimisation tables; Home Office, "Proven reoffending" statistics).
//! Each new victim or suspect is, with a fixed probability, someone already in that role,
//! chosen in proportion to how often they have been (a Yule–Simon process), and otherwise a
//! resident of the right age and sex not yet involved; this gives the heavy-tailed counts
//! seen in real data. Domestic abuse is between partners or former partners, mostly against
//! women, at the victim's home, and repeats with the same abuser.

use bluelamp_domain::incident::IncidentCategory;
use bluelamp_domain::offence::{HoOffenceCode, OffenceGroup};
use bluelamp_domain::person::Sex;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;

use crate::calibration::{CrimePlan, domestic_counts};
use crate::first_contact;
use crate::population::{PlaceKind, Population, pick_weighted};
use crate::seed::{Stream, rng};

/// Where an event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    /// At a household's address.
    Home(u32),
    /// At a non-residential place.
    Place(u32),
}

/// A crime as planned.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCrime {
    pub code: HoOffenceCode,
    pub committed_from: DateTime<Utc>,
    pub committed_to: Option<DateTime<Utc>>,
    /// When it was reported (the incident's time, when there is one).
    pub reported_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub domestic: bool,
    pub location: Loc,
    /// Residents who are victims.
    pub victims: Vec<u32>,
    /// Residents who are suspects.
    pub suspects: Vec<u32>,
    /// Whether the suspects were caught in the act (possession offences), and so are also
    /// recorded as offenders.
    pub caught: bool,
    /// The incident it came from, by index into [`Events::incidents`].
    pub incident: Option<usize>,
}

/// An incident as planned.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedIncident {
    pub received_at: DateTime<Utc>,
    pub category: IncidentCategory,
    pub location: Loc,
    pub summary: String,
    /// The kind of call, by index into [`crate::first_contact::CALLS`], for a call that is
    /// not a recorded crime.
    pub call: Option<usize>,
}

/// All the events of a run, each list in time order.
#[derive(Debug, Clone, Default)]
pub struct Events {
    pub crimes: Vec<PlannedCrime>,
    pub incidents: Vec<PlannedIncident>,
}

/// Calls and crimes by local hour of the day (relative): quiet before dawn, busiest in the
/// evening, as command-and-control demand profiles show.
const HOURS: [f64; 24] = [
    3.0, 2.5, 2.0, 1.5, 1.1, 0.9, 1.0, 1.6, 2.6, 3.4, 3.9, 4.2, 4.4, 4.6, 4.9, 5.3, 5.7, 5.9, 6.0,
    5.9, 5.6, 5.2, 4.6, 3.8,
];
/// By day of the week, Monday first: busier on Fridays and Saturdays.
const WEEKDAYS: [f64; 7] = [0.98, 0.96, 0.96, 0.98, 1.06, 1.05, 1.01];

/// A UTC instant for a local (Europe/London) date and time, taking the later reading in
/// the autumn overlap and skipping the spring gap.
fn london(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match London.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(_, t) => {
            t.with_timezone(&Utc)
        }
        chrono::LocalResult::None => (naive + Duration::hours(1)).and_utc() - Duration::hours(1),
    }
}

/// A random time in the month starting `month`, weighted by day of the week and hour.
fn time_in_month(r: &mut ChaCha8Rng, month: NaiveDate) -> DateTime<Utc> {
    let days: Vec<(NaiveDate, f64)> = month
        .iter_days()
        .take_while(|d| d.month() == month.month())
        .map(|d| (d, WEEKDAYS[d.weekday().num_days_from_monday() as usize]))
        .collect();
    let day = pick_weighted(r, &days).unwrap_or(month);
    let hours: Vec<(u32, f64)> = (0..24).map(|h| (h, HOURS[h as usize])).collect();
    let hour = pick_weighted(r, &hours).unwrap_or(12);
    let time = NaiveTime::from_hms_opt(hour, r.random_range(0..60), r.random_range(0..60))
        .unwrap_or(NaiveTime::MIN);
    london(day, time)
}

/// Who a victim of an offence usually is.
#[derive(Debug, Clone, Copy)]
struct Demographic {
    female: f64,
    min_age: u8,
    max_age: u8,
    mode_age: u8,
}

const ADULT: Demographic = Demographic {
    female: 0.5,
    min_age: 16,
    max_age: 85,
    mode_age: 35,
};

/// What is typical of the crimes of one offence code.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// The chance the crime has a person as victim (a shop, a business or the public
    /// order of the state has none).
    victim: f64,
    victim_is: Demographic,
    /// The chance a suspect is identified when the crime is recorded.
    suspect: f64,
    /// Where: at a home (the victim's), a commercial place, or else a public place.
    home: f64,
    commercial: f64,
    /// Possession offences: the suspect was found with the drugs or weapon.
    caught: bool,
    /// Which pool repeat victims are drawn from.
    repeat_class: usize,
    /// The chance a victim is one already victimised in this class.
    repeat: f64,
    /// The chance the offence took place over a period (committed between two times).
    period: f64,
    /// The chance the offence is reported long after (historic sexual offences).
    historic: f64,
}

const REPEAT_CLASSES: usize = 5;

fn shape(code: HoOffenceCode) -> Shape {
    let o = code.offence();
    let d = o.description.to_ascii_lowercase();
    let base = Shape {
        victim: 0.0,
        victim_is: ADULT,
        suspect: 0.2,
        home: 0.3,
        commercial: 0.2,
        caught: false,
        repeat_class: 0,
        repeat: 0.25,
        period: 0.1,
        historic: 0.0,
    };
    match (o.group, o.subgroup.as_str()) {
        (OffenceGroup::SexualOffences, _) => {
            let female = if d.contains("female") || d.contains("girl") {
                1.0
            } else if d.contains("male") || d.contains("boy") {
                0.0
            } else {
                0.85
            };
            let (min_age, max_age, mode_age) = if d.contains("under 13") {
                (4, 12, 10)
            } else if d.contains("under 16") || d.contains("child") {
                (13, 15, 14)
            } else {
                (16, 70, 22)
            };
            Shape {
                victim: 0.97,
                victim_is: Demographic {
                    female,
                    min_age,
                    max_age,
                    mode_age,
                },
                suspect: 0.6,
                home: 0.55,
                commercial: 0.1,
                repeat_class: 1,
                repeat: 0.15,
                historic: 0.2,
                ..base
            }
        }
        (_, "Stalking and harassment") => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.7,
                min_age: 16,
                max_age: 75,
                mode_age: 30,
            },
            suspect: 0.8,
            home: 0.6,
            commercial: 0.05,
            repeat_class: 2,
            repeat: 0.3,
            period: 0.7,
            ..base
        },
        (OffenceGroup::ViolenceAgainstThePerson, _) => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.4,
                min_age: 10,
                max_age: 80,
                mode_age: 26,
            },
            suspect: 0.65,
            home: 0.3,
            commercial: 0.2,
            repeat_class: 2,
            repeat: 0.25,
            ..base
        },
        (OffenceGroup::Robbery, "Robbery of business property") => Shape {
            victim: 0.0,
            suspect: 0.3,
            home: 0.0,
            commercial: 1.0,
            ..base
        },
        (OffenceGroup::Robbery, _) => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.3,
                min_age: 12,
                max_age: 60,
                mode_age: 19,
            },
            suspect: 0.25,
            home: 0.05,
            commercial: 0.1,
            repeat_class: 3,
            repeat: 0.1,
            ..base
        },
        (_, "Domestic burglary") => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.5,
                min_age: 20,
                max_age: 85,
                mode_age: 45,
            },
            suspect: 0.12,
            home: 1.0,
            commercial: 0.0,
            repeat_class: 4,
            repeat: 0.12,
            period: 0.6,
            ..base
        },
        (_, "Non-domestic burglary") => Shape {
            victim: 0.0,
            suspect: 0.1,
            home: 0.2,
            commercial: 0.7,
            period: 0.6,
            ..base
        },
        (_, "Shoplifting") => Shape {
            victim: 0.0,
            suspect: 0.7,
            home: 0.0,
            commercial: 1.0,
            ..base
        },
        (_, "Theft of a motor vehicle" | "Theft from a vehicle" | "Vehicle interference") => {
            Shape {
                victim: 1.0,
                victim_is: Demographic {
                    female: 0.4,
                    min_age: 20,
                    max_age: 80,
                    mode_age: 42,
                },
                suspect: 0.05,
                home: 0.5,
                commercial: 0.15,
                repeat_class: 3,
                repeat: 0.08,
                period: 0.6,
                ..base
            }
        }
        (_, "Bicycle theft") => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.3,
                min_age: 10,
                max_age: 65,
                mode_age: 25,
            },
            suspect: 0.05,
            home: 0.35,
            commercial: 0.2,
            repeat_class: 3,
            repeat: 0.05,
            period: 0.5,
            ..base
        },
        (_, "Theft from the person") => Shape {
            victim: 1.0,
            victim_is: Demographic {
                female: 0.55,
                min_age: 14,
                max_age: 85,
                mode_age: 25,
            },
            suspect: 0.1,
            home: 0.0,
            commercial: 0.4,
            repeat_class: 3,
            repeat: 0.05,
            ..base
        },
        (OffenceGroup::TheftOffences, _) => Shape {
            victim: 0.8,
            suspect: 0.15,
            home: 0.35,
            commercial: 0.3,
            repeat_class: 3,
            repeat: 0.1,
            period: 0.3,
            ..base
        },
        (OffenceGroup::CriminalDamageAndArson, _) => Shape {
            victim: 0.85,
            suspect: 0.25,
            home: 0.55,
            commercial: 0.15,
            repeat_class: 4,
            repeat: 0.2,
            period: 0.4,
            ..base
        },
        (OffenceGroup::DrugOffences | OffenceGroup::PossessionOfWeapons, _) => Shape {
            victim: 0.0,
            suspect: 1.0,
            home: 0.3,
            commercial: 0.1,
            caught: true,
            ..base
        },
        (OffenceGroup::PublicOrderOffences, _) => Shape {
            victim: 0.5,
            suspect: 0.6,
            home: 0.15,
            commercial: 0.25,
            repeat_class: 2,
            ..base
        },
        (OffenceGroup::FraudOffences, _) => Shape {
            victim: 1.0,
            suspect: 0.05,
            home: 0.8,
            commercial: 0.1,
            ..base
        },
        (OffenceGroup::MiscellaneousCrimes, _) => Shape {
            victim: 0.3,
            suspect: 0.7,
            home: 0.4,
            commercial: 0.2,
            ..base
        },
    }
}

/// A resident of roughly this sex and age, drawn from the five-year band of an age drawn
/// from a triangular distribution.
fn resident_like(pop: &Population, r: &mut ChaCha8Rng, d: Demographic) -> Option<u32> {
    for _ in 0..20 {
        let sex = if r.random::<f64>() < d.female {
            Sex::Female
        } else {
            Sex::Male
        };
        let (a, b, c) = (
            f64::from(d.min_age),
            f64::from(d.max_age) + 0.999,
            f64::from(d.mode_age),
        );
        let u: f64 = r.random();
        let f = (c - a) / (b - a);
        let age = if u < f {
            a + ((b - a) * (c - a) * u).sqrt()
        } else {
            b - ((b - a) * (b - c) * (1.0 - u)).sqrt()
        };
        let band = pop.band(sex, (age as usize) / 5);
        if let Some(&id) = band.choose(r)
            && pop
                .residents
                .get(id as usize)
                .is_some_and(|res| (d.min_age..=d.max_age).contains(&res.age))
        {
            return Some(id);
        }
    }
    None
}

/// A pool of residents who have been in a role, once per time: drawing from it uniformly
/// draws each in proportion to how often they have been.
#[derive(Debug, Default)]
struct Repeats {
    slots: Vec<u32>,
}

impl Repeats {
    fn draw(&self, r: &mut ChaCha8Rng, p: f64) -> Option<u32> {
        if r.random::<f64>() < p {
            self.slots.choose(r).copied()
        } else {
            None
        }
    }
}

/// Offender age and sex: mostly young men (Ministry of Justice, Criminal Justice Statistics).
const OFFENDER: Demographic = Demographic {
    female: 0.17,
    min_age: 12,
    max_age: 70,
    mode_age: 22,
};
/// The chance a suspect is someone already a suspect: offending is concentrated in a few
/// prolific offenders.
const REPEAT_OFFENDING: f64 = 0.55;
/// The chance a domestic abuse victim is one already victimised.
const REPEAT_DOMESTIC: f64 = 0.4;
/// The chance a crime is recorded more than 24 hours after it was reported.
const LATE_RECORDING: f64 = 0.06;

/// The settings of a run that events depend on.
#[derive(Debug, Clone, Copy)]
pub struct EventSettings {
    pub seed: u64,
    pub population: u64,
    pub incidents_per_1000: f64,
    pub domestic_abuse_share: f64,
}

/// Plans every crime and incident of a run.
pub fn plan(s: &EventSettings, crimes: &CrimePlan, pop: &Population) -> Events {
    let mut r = rng(s.seed, Stream::Crimes, 0);
    // Crimes per code and month, at random times in their months.
    let mut planned: Vec<(HoOffenceCode, DateTime<Utc>)> = Vec::new();
    for (code, _, months) in &crimes.codes {
        for (month, n) in crimes.months.iter().zip(months) {
            for _ in 0..*n {
                planned.push((*code, time_in_month(&mut r, *month)));
            }
        }
    }
    // Domestic abuse: an exact share of the run's crimes, per code, on random crimes of it.
    let codes: Vec<HoOffenceCode> = crimes.codes.iter().map(|(c, _, _)| *c).collect();
    let counts: Vec<u64> = crimes
        .codes
        .iter()
        .map(|(_, _, m)| m.iter().sum())
        .collect();
    let total = (crimes.total() as f64 * s.domestic_abuse_share).round() as u64;
    let da = domestic_counts(&codes, &counts, total);
    let mut domestic = vec![false; planned.len()];
    let mut at = 0;
    for (n, d) in counts.iter().zip(&da) {
        let n = usize::try_from(*n).unwrap_or(0);
        let mut flags: Vec<bool> = (0..n).map(|i| (i as u64) < *d).collect();
        flags.shuffle(&mut r);
        if let Some(slice) = domestic.get_mut(at..at + n) {
            slice.copy_from_slice(&flags);
        }
        at += n;
    }
    let mut order: Vec<usize> = (0..planned.len()).collect();
    order.sort_by_key(|&i| (planned[i].1, i));

    let mut victims_rng = rng(s.seed, Stream::Victims, 0);
    let mut suspects_rng = rng(s.seed, Stream::Suspects, 0);
    let mut repeat_victims: Vec<Repeats> =
        (0..REPEAT_CLASSES).map(|_| Repeats::default()).collect();
    let mut repeat_domestic = Repeats::default();
    let mut offenders = Repeats::default();
    let mut abuser_of: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let mut events = Events::default();
    let mut linked_incidents: Vec<PlannedIncident> = Vec::new();

    for i in order {
        let (code, recorded_at) = planned[i];
        let sh = shape(code);
        let vr = &mut victims_rng;
        let sr = &mut suspects_rng;
        let mut victims = Vec::new();
        let mut suspects = Vec::new();
        let is_domestic = domestic[i];
        if is_domestic {
            let victim = repeat_domestic.draw(vr, REPEAT_DOMESTIC).or_else(|| {
                resident_like(
                    pop,
                    vr,
                    Demographic {
                        female: 0.75,
                        min_age: 16,
                        max_age: 80,
                        mode_age: 30,
                    },
                )
            });
            if let Some(v) = victim {
                repeat_domestic.slots.push(v);
                victims.push(v);
                let abuser = match abuser_of.get(&v) {
                    Some(a) if sr.random::<f64>() < 0.85 => Some(*a),
                    _ => pop
                        .partner_of(v)
                        .filter(|_| sr.random::<f64>() < 0.7)
                        .or_else(|| {
                            let res = pop.residents.get(v as usize)?;
                            let mid = res.age.clamp(18, 75);
                            resident_like(
                                pop,
                                sr,
                                Demographic {
                                    female: if res.sex == Sex::Female { 0.05 } else { 0.9 },
                                    min_age: mid.saturating_sub(8).max(16),
                                    max_age: mid.saturating_add(10),
                                    mode_age: mid.saturating_add(2),
                                },
                            )
                        }),
                };
                if let Some(a) = abuser.filter(|a| *a != v) {
                    abuser_of.insert(v, a);
                    suspects.push(a);
                    offenders.slots.push(a);
                }
            }
        } else {
            if vr.random::<f64>() < sh.victim {
                let pool = repeat_victims.get_mut(sh.repeat_class);
                let again = pool
                    .as_ref()
                    .and_then(|p| p.draw(vr, sh.repeat))
                    .filter(|v| {
                        pop.residents.get(*v as usize).is_some_and(|res| {
                            (sh.victim_is.min_age..=sh.victim_is.max_age).contains(&res.age)
                        })
                    });
                if let Some(v) = again.or_else(|| resident_like(pop, vr, sh.victim_is)) {
                    if let Some(p) = pool {
                        p.slots.push(v);
                    }
                    victims.push(v);
                }
            }
            if sr.random::<f64>() < sh.suspect {
                let n = if sr.random::<f64>() < 0.1 { 2 } else { 1 };
                for _ in 0..n {
                    let s = offenders
                        .draw(sr, REPEAT_OFFENDING)
                        .or_else(|| resident_like(pop, sr, OFFENDER));
                    if let Some(s) = s.filter(|s| !victims.contains(s) && !suspects.contains(s)) {
                        offenders.slots.push(s);
                        suspects.push(s);
                    }
                }
            }
        }
        // Where: the victim's home, or a place near it, or anywhere in the force.
        let home_of = |v: u32| pop.residents.get(v as usize).map(|res| res.household);
        let anchor = victims
            .first()
            .or(suspects.first())
            .and_then(|v| home_of(*v));
        let lr = &mut victims_rng;
        let u: f64 = lr.random();
        let home_share = if is_domestic { 0.9 } else { sh.home };
        let location = match anchor {
            Some(h) if u < home_share => Loc::Home(h),
            _ => {
                let near = anchor
                    .filter(|_| lr.random::<f64>() < 0.6)
                    .and_then(|h| pop.households.get(h as usize))
                    .map(|h| h.lsoa);
                let lsoa = near.unwrap_or_else(|| pop.households.choose(lr).map_or(0, |h| h.lsoa));
                let commercial = u < home_share + sh.commercial;
                let kind = if commercial {
                    PlaceKind::Commercial
                } else {
                    PlaceKind::Public
                };
                match pop.place_in(lsoa, kind, lr) {
                    Some(p) => Loc::Place(p),
                    None => Loc::Home(pop.household_in(lsoa, lr).unwrap_or(0)),
                }
            }
        };
        // When: reported some time after it was committed, and recorded after the report
        // (the Home Office Counting Rules expect a crime to be recorded within 24 hours;
        // some are late, as crime-data integrity inspections keep finding).
        let recording_lag = if r.random::<f64>() < LATE_RECORDING {
            Duration::minutes(r.random_range(24 * 60 + 1..=6 * 24 * 60))
        } else {
            Duration::minutes(r.random_range(10..=24 * 60))
        };
        let reported_at = recorded_at - recording_lag;
        let historic = r.random::<f64>() < sh.historic;
        let report_lag = if historic {
            Duration::days(r.random_range(30..=3650))
        } else {
            // Mostly within the hour; a long tail over a few days.
            let hours = -(1.0 - r.random::<f64>()).ln() * 3.0;
            Duration::minutes((hours * 60.0) as i64 + r.random_range(1..=20))
        };
        let committed_to = (r.random::<f64>() < sh.period).then(|| reported_at - report_lag);
        let span = Duration::minutes(r.random_range(10..=12 * 60));
        let committed_from = match committed_to {
            Some(to) => to - span,
            None => reported_at - report_lag,
        };
        // Most crimes come from a call for service; domestic abuse nearly always.
        let via_incident = r.random::<f64>() < if is_domestic { 0.95 } else { 0.7 };
        let incident = via_incident.then(|| {
            linked_incidents.push(PlannedIncident {
                received_at: reported_at,
                category: if is_domestic {
                    IncidentCategory::Domestic
                } else {
                    IncidentCategory::Crime
                },
                location,
                summary: crime_summary(code, is_domestic, &mut r),
                call: None,
            });
            linked_incidents.len() - 1
        });
        events.crimes.push(PlannedCrime {
            code,
            committed_from,
            committed_to,
            reported_at,
            recorded_at,
            domestic: is_domestic,
            location,
            victims,
            suspects,
            caught: sh.caught,
            incident,
        });
    }

    // Every other call for service, to the rate asked for.
    let months = crimes.months.len() as f64;
    let wanted =
        (s.population as f64 / 1000.0 * s.incidents_per_1000 * months / 12.0).round() as usize;
    let others = wanted.saturating_sub(linked_incidents.len());
    let mut ir = rng(s.seed, Stream::Incidents, 0);
    let days: Vec<f64> = crimes
        .months
        .iter()
        .map(|m| m.iter_days().take_while(|d| d.month() == m.month()).count() as f64)
        .collect();
    let per_month = crate::calibration::largest_remainder(others as u64, &days);
    let mut incidents: Vec<(PlannedIncident, Option<usize>)> = linked_incidents
        .into_iter()
        .enumerate()
        .map(|(i, inc)| (inc, Some(i)))
        .collect();
    for (month, n) in crimes.months.iter().zip(per_month) {
        for _ in 0..n {
            let category =
                pick_weighted(&mut ir, OTHER_CALLS).unwrap_or(IncidentCategory::PublicSafety);
            let hi = ir.random_range(0..pop.households.len().max(1));
            let lsoa = pop.households.get(hi).map_or(0, |h| h.lsoa);
            let at_home = matches!(
                category,
                IncidentCategory::Domestic
                    | IncidentCategory::ConcernForWelfare
                    | IncidentCategory::MissingPerson
                    | IncidentCategory::Alarm
            ) || ir.random::<f64>() < 0.4;
            let location = if at_home {
                Loc::Home(u32::try_from(hi).unwrap_or(0))
            } else {
                let kind = if ir.random::<f64>() < 0.4 {
                    PlaceKind::Commercial
                } else {
                    PlaceKind::Public
                };
                pop.place_in(lsoa, kind, &mut ir)
                    .map_or(Loc::Home(0), Loc::Place)
            };
            let call = first_contact::pick_call(category, &mut ir);
            incidents.push((
                PlannedIncident {
                    received_at: time_in_month(&mut ir, *month),
                    category,
                    location,
                    summary: call
                        .and_then(|c| first_contact::CALLS.get(c))
                        .map_or("Call for service", |c| c.summary)
                        .to_string(),
                    call,
                },
                None,
            ));
        }
    }
    // Incidents in time order; crimes point at their incident's new place.
    incidents.sort_by_key(|(inc, linked)| (inc.received_at, linked.is_none(), *linked));
    let mut new_index = vec![0; incidents.len()];
    for (pos, (_, linked)) in incidents.iter().enumerate() {
        if let Some(old) = linked
            && let Some(slot) = new_index.get_mut(*old)
        {
            *slot = pos;
        }
    }
    for c in &mut events.crimes {
        if let Some(old) = c.incident {
            c.incident = new_index.get(old).copied();
        }
    }
    events.incidents = incidents.into_iter().map(|(inc, _)| inc).collect();
    events
}

/// Calls that are not (or not yet) crimes, by relative frequency: anti-social behaviour and
/// concern for welfare lead, as in forces' published demand analyses (UNCONFIRMED shares).
const OTHER_CALLS: &[(IncidentCategory, f64)] = &[
    (IncidentCategory::AntiSocialBehaviour, 22.0),
    (IncidentCategory::ConcernForWelfare, 17.0),
    (IncidentCategory::PublicSafety, 13.0),
    (IncidentCategory::Suspicious, 10.0),
    (IncidentCategory::Administrative, 9.0),
    (IncidentCategory::RoadTraffic, 8.0),
    (IncidentCategory::Domestic, 7.0),
    (IncidentCategory::Alarm, 5.0),
    (IncidentCategory::Crime, 5.0),
    (IncidentCategory::MissingPerson, 4.0),
];

fn crime_summary(code: HoOffenceCode, domestic: bool, r: &mut ChaCha8Rng) -> String {
    let what = code.offence().description.to_lowercase();
    if domestic {
        let who = [
            "partner",
            "ex-partner",
            "husband",
            "wife",
            "boyfriend",
            "girlfriend",
        ]
        .choose(r)
        .copied()
        .unwrap_or("partner");
        // The category says it is domestic; the summary does not repeat it.
        format!("Caller reports {what} by their {who}")
    } else {
        let how = [
            "Caller reports",
            "Report of",
            "Member of the public reports",
            "Victim reports",
        ]
        .choose(r)
        .copied()
        .unwrap_or("Report of");
        format!("{how} {what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_times_become_utc() {
        let summer = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap_or_default();
        let t = london(
            summer,
            NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
        );
        assert_eq!(t.to_rfc3339(), "2024-07-01T11:00:00+00:00");
        // The spring gap: 01:30 on the last Sunday of March does not exist.
        let gap = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap_or_default();
        let t = london(gap, NaiveTime::from_hms_opt(1, 30, 0).unwrap_or_default());
        assert_eq!(t.to_rfc3339(), "2024-03-31T01:30:00+00:00");
    }
}

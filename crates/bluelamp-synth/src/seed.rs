//! Reproducible randomness: one seeded generator per purpose, and record ids that are
//! UUIDv7 in form but follow from the seed, so that the same arguments give the same
//! records.
//!
//! Each part of the force draws from its own stream (`Stream`), so that changing how
//! crimes are drawn does not move a single resident. The generator is ChaCha8
//! (`rand_chacha`), whose output for a seed is fixed by its specification, unlike `rand`'s
//! `StdRng`, which may change algorithm between releases.

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

/// The streams of randomness, one per purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Geography,
    Households,
    Names,
    Staff,
    Crimes,
    Victims,
    Suspects,
    Incidents,
    Ids,
    /// First contact: one item per incident (its THRIVE, attendance, decision, closure).
    FirstContact,
    /// Investigators' PIP accreditation: one item per member of staff.
    Accreditation,
    /// Investigation: one item per crime (allocation, plan, reviews, outcome).
    Investigation,
    /// Victim care: one item per crime (needs assessments, contacts, surveys).
    VictimCare,
}

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): spreads a seed's bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A generator for one stream of a seeded run, and optionally one item of it (a
/// household, a resident), so that items can be drawn in any order.
pub fn rng(seed: u64, stream: Stream, item: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed
        ^ mix(stream as u64 + 1)
        ^ mix(item.wrapping_mul(31))))
}

/// Hands out record ids: UUIDv7 with the record's creation time in milliseconds, then bits
/// fixed by the seed, then a counter. Ids are unique within a run and increase with the
/// counter for records created in the same millisecond, so bulk inserts append to indexes
/// (RFC 9562, section 6.2, method 1: a counter in the random bits).
#[derive(Debug)]
pub struct Ids {
    salt: u64,
    counter: u64,
}

impl Ids {
    /// The ids of a run with this seed.
    pub fn new(seed: u64) -> Ids {
        Ids {
            salt: rng(seed, Stream::Ids, 0).random(),
            counter: 0,
        }
    }

    /// The next id, for a record created at `at`.
    pub fn next(&mut self, at: DateTime<Utc>) -> Uuid {
        self.counter += 1;
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0) & 0xffff_ffff_ffff;
        // 48 bits of time, version 7, 12 bits of salt; variant 10, 30 bits of salt and a
        // 32-bit counter.
        let high = (millis << 16) | 0x7000 | (self.salt >> 52);
        let low = (0b10 << 62) | ((self.salt & 0x3fff_ffff) << 32) | (self.counter & 0xffff_ffff);
        Uuid::from_u64_pair(high, low)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn ids_are_version_7_and_follow_the_seed() {
        let at = Utc
            .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let (mut a, mut b, mut c) = (Ids::new(1), Ids::new(1), Ids::new(2));
        let x = a.next(at);
        assert_eq!(x.get_version_num(), 7);
        assert_eq!(x.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(x, b.next(at));
        assert_ne!(x, c.next(at));
        assert!(a.next(at) > x, "ids of one millisecond increase");
    }

    #[test]
    fn streams_differ() {
        let a: u64 = rng(1, Stream::Crimes, 0).random();
        let b: u64 = rng(1, Stream::Victims, 0).random();
        let c: u64 = rng(1, Stream::Crimes, 0).random();
        assert_ne!(a, b);
        assert_eq!(a, c);
    }
}

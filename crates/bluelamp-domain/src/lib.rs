//! Bluelamp's domain: the pure types and rules of policing records.
//!
//! Nothing here performs I/O or reads the clock: time and dated configuration arrive as
//! arguments, so every rule is deterministic and can be tested exhaustively.

pub mod access;
pub mod area;
pub mod audit;
pub mod calendar;
pub mod crime;
pub mod csv;
pub mod dated;
pub mod duty;
pub mod field;
pub mod first_contact;
pub mod ids;
pub mod incident;
pub mod investigation;
pub mod location;
pub mod nominal;
pub mod object;
pub mod offence;
pub mod outcome;
pub mod partial_date;
pub mod person;
pub mod postcode;
pub mod record;
pub mod thrive;
pub mod victim;
mod vocabulary;

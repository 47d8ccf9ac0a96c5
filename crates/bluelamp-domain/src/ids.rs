//! Identifiers. Every record has a UUIDv7 (time-ordered, so indexed inserts stay cheap)
//! and belongs to one force; the force is part of every key in the store.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// Declares an identifier newtype over a UUID. This is the domain's one macro: it keeps
/// a dozen identical `Display`/`FromStr` impls out of sight.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID read from storage or a request.
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            /// The UUID.
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A police force: the unit of data ownership and of distribution on Citus.
    ForceId
);
id_type!(
    /// Any POLE record (person, location, object, event): the target of links, restrictions
    /// and audit entries.
    RecordId
);
id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A team of users.
    TeamId
);
id_type!(
    /// An area of the force's geography.
    AreaId
);
id_type!(
    /// A link between two records.
    LinkId
);
id_type!(
    /// A warning marker on a person.
    MarkerId
);

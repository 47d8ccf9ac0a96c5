//! The force's geography: local policing areas contain neighbourhoods, which are built
//! from LSOAs (ONS Lower layer Super Output Areas, 2011).

use crate::vocabulary::vocabulary;

vocabulary!(
    /// A level of the force's geography.
    AreaKind, "an area kind" {
        LocalPolicingArea = "local_policing_area",
        Neighbourhood = "neighbourhood",
    }
);

impl AreaKind {
    /// The kind an area of this kind must sit inside, if any.
    pub fn parent(&self) -> Option<AreaKind> {
        match self {
            AreaKind::LocalPolicingArea => None,
            AreaKind::Neighbourhood => Some(AreaKind::LocalPolicingArea),
        }
    }
}

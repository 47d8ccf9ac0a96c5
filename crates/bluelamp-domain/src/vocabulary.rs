//! Closed vocabularies: codes that are enums inside the domain and text at its edges.

/// Declares a closed vocabulary: an enum with one `as_str`/`FromStr` pair, so that no
/// status or code is ever a bare string inside the domain.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored and exchanged.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($code => Ok($name::$variant),)+
                    _ => Err(format!(
                        "must be {} (one of: {})",
                        $what,
                        [$($code),+].join(", ")
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

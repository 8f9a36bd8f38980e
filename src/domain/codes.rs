//! Enumerations whose values are short French codes, typed on the command line, stored
//! in SQL and written in JSON: one declaration gives the clap values, the code of each
//! variant, the reverse lookup and serde in both directions.

/// Declares a coded enumeration. The doc comment of each variant is its help text.
#[macro_export]
macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $nom:ident {
            $( $(#[doc = $doc:literal])* $variante:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
        pub enum $nom {
            $( $(#[doc = $doc])* #[value(name = $code)] $variante ),+
        }

        impl $nom {
            /// Every value, in declaration order.
            pub const TOUS: &'static [$nom] = &[$($nom::$variante),+];

            pub fn code(self) -> &'static str {
                match self { $($nom::$variante => $code),+ }
            }

            pub fn depuis_code(code: &str) -> Option<$nom> {
                match code { $($code => Some($nom::$variante),)+ _ => None }
            }

            /// The label: the variant's doc comment.
            pub fn libelle(self) -> String {
                clap::ValueEnum::to_possible_value(&self)
                    .and_then(|v| v.get_help().map(|h| h.to_string()))
                    .unwrap_or_default()
            }

            /// The valid codes, for error messages.
            pub fn codes_valides() -> String {
                [$($code),+].join(", ")
            }
        }

        impl serde::Serialize for $nom {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $nom {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let texte = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $nom::depuis_code(&texte).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{} ; valeurs possibles : {}",
                        $crate::domain::texte::inconnue("valeur", &texte),
                        $nom::codes_valides()
                    ))
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::codes! {
        /// A test enumeration.
        pub enum Essai {
            /// Un
            Un = "un",
            /// Deux mots
            DeuxMots = "deux-mots",
        }
    }

    #[test]
    fn codes_round_trip_through_clap_and_serde() {
        use clap::ValueEnum;
        for e in Essai::TOUS {
            assert_eq!(Essai::depuis_code(e.code()), Some(*e));
            assert_eq!(e.to_possible_value().unwrap().get_name(), e.code());
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(serde_json::from_str::<Essai>(&json).unwrap(), *e);
        }
        assert_eq!(Essai::DeuxMots.libelle(), "Deux mots");
        let erreur = serde_json::from_str::<Essai>("\"trois\"").unwrap_err().to_string();
        assert!(
            erreur.contains("« trois »") && erreur.contains("un, deux-mots"),
            "{erreur}"
        );
    }
}

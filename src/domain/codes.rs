//! Enumerations whose values are short French codes, typed on the command line, stored
//! in SQL and written in JSON: one declaration gives the clap values, the code of each
//! variant, the reverse lookup, serde in both directions, and the word shown to a reader.
//!
//! A code is ASCII without spaces (`non-aborde`), fit for a command line; the word shown
//! in tables, sheets and sentences is written after it when it differs (`/ "non abordé"`).

use std::marker::PhantomData;

use clap::ValueEnum;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// How clap reads a value of a list typed on the command line: as a person types it after
/// reading it on screen (capitals, accents, spaces: `CER`, `Téléphone`, `non abordé`);
/// otherwise the error lists the values and suggests the closest one.
#[derive(Clone)]
pub struct Souple<T>(PhantomData<fn() -> T>);

impl<T> Default for Souple<T> {
    fn default() -> Self {
        Souple(PhantomData)
    }
}

/// The parser of a coded option: `#[arg(value_enum, value_parser = souple::<TypeNote>())]`
/// (clap's own would take `CER` for no contract type).
pub fn souple<T>() -> Souple<T> {
    Souple::default()
}

/// The value of `T` whose name (or alias) is `saisie` once made a code.
pub fn depuis_saisie<T: ValueEnum + Clone>(saisie: &str) -> Option<T> {
    let code = super::texte::en_code(saisie);
    T::value_variants()
        .iter()
        .find(|v| {
            v.to_possible_value()
                .is_some_and(|p| p.get_name_and_aliases().any(|n| super::texte::en_code(n) == code))
        })
        .cloned()
}

/// The one value whose label has every word of `saisie` (`Entretien` → `suivi`, labelled
/// « Entretien de suivi »): a word read on screen rather than the code.
fn par_libelle<T: ValueEnum>(saisie: &str) -> Option<String> {
    let mots: Vec<String> = super::texte::en_code(saisie)
        .split('-')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    if mots.is_empty() {
        return None;
    }
    let mut trouvees = T::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .filter(|p| {
            let libelle = p
                .get_help()
                .map(|h| super::texte::en_code(&h.to_string()))
                .unwrap_or_default();
            let mots_du_libelle: Vec<&str> = libelle.split('-').collect();
            !p.is_hide_set() && mots.iter().all(|m| mots_du_libelle.contains(&m.as_str()))
        });
    match (trouvees.next(), trouvees.next()) {
        (Some(p), None) => Some(p.get_name().to_owned()),
        _ => None,
    }
}

impl<T: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for Souple<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let saisie = value.to_string_lossy();
        if let Some(v) = depuis_saisie(&saisie) {
            return Ok(v);
        }
        let noms: Vec<String> = T::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .filter(|p| !p.is_hide_set())
            .map(|p| p.get_name().to_owned())
            .collect();
        let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        let arg = arg.map(ToString::to_string).unwrap_or_default();
        e.insert(ContextKind::InvalidArg, ContextValue::String(arg));
        e.insert(
            ContextKind::InvalidValue,
            ContextValue::String(saisie.trim().to_owned()),
        );
        let refs: Vec<&str> = noms.iter().map(String::as_str).collect();
        let proche = super::texte::le_plus_proche(&super::texte::en_code(&saisie), &refs)
            .map(str::to_owned)
            .or_else(|| par_libelle::<T>(&saisie));
        if let Some(proche) = proche {
            e.insert(ContextKind::SuggestedValue, ContextValue::String(proche));
        }
        e.insert(ContextKind::ValidValue, ContextValue::Strings(noms));
        Err(e)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::value_variants().iter().filter_map(ValueEnum::to_possible_value),
        ))
    }
}

/// Declares a coded enumeration. The doc comment of each variant is its help text.
#[macro_export]
macro_rules! codes {
    (@mot $code:literal) => { $code };
    (@mot $code:literal, $mot:literal) => { $mot };
    (
        $(#[$meta:meta])*
        pub enum $nom:ident {
            $( $(#[doc = $doc:literal])* $variante:ident = $code:literal $(/ $mot:literal)? ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
        pub enum $nom {
            $( $(#[doc = $doc])* #[value(name = $code $(, alias = $mot)?)] $variante ),+
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

            /// The word a reader sees: accented and spaced, or the code when it is one.
            pub fn mot(self) -> &'static str {
                match self {
                    $($nom::$variante => $crate::codes!(@mot $code $(, $mot)?)),+
                }
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

            /// What a person typed: the code, or the word shown on screen, accents, case
            /// and spaces aside (`non abordé` → `non-aborde`).
            pub fn depuis_saisie(saisie: &str) -> Option<$nom> {
                let code = $crate::domain::texte::en_code(saisie);
                $nom::depuis_code(&code)
                    .or_else(|| $nom::TOUS.iter().copied().find(|v| $crate::domain::texte::en_code(v.mot()) == code))
            }

            /// "valeurs possibles : …", with the closest code first suggested.
            pub fn valeurs_possibles(saisie: &str) -> String {
                $crate::domain::texte::valeurs_possibles(saisie, &[$($code),+])
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
            DeuxMots = "deux-mots" / "deux mots",
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
        assert_eq!((Essai::Un.mot(), Essai::DeuxMots.mot()), ("un", "deux mots"));
        for saisie in ["deux-mots", "Deux mots", " deux_mots ", "DEUX MOTS"] {
            assert_eq!(Essai::depuis_saisie(saisie), Some(Essai::DeuxMots), "{saisie}");
        }
        assert_eq!(Essai::depuis_saisie("trois"), None);
        assert!(Essai::valeurs_possibles("deux-mot").starts_with("vouliez-vous dire « deux-mots » ?"));
        assert!(Essai::valeurs_possibles("zzz").starts_with("valeurs possibles : un, deux-mots"));
        let erreur = serde_json::from_str::<Essai>("\"trois\"").unwrap_err().to_string();
        assert!(
            erreur.contains("« trois »") && erreur.contains("un, deux-mots"),
            "{erreur}"
        );
    }
}

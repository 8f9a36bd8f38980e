//! Pure rules of the domain, without I/O: dates, text normalisation, the person's
//! identity and the parcours' life cycle. Everything here is unit- and property-tested.
//! And the records the commands return (a person, a parcours, a diagnostic, a line of a
//! list): their fields are the JSON the commands print; `db/` fills them.

pub mod acces;
pub mod agent;
pub mod anonymat;
pub mod calendrier;
pub mod codes;
pub mod connexion;
pub mod contrat;
pub mod date;
pub mod diagnostic;
pub mod echange;
pub mod geo;
pub mod grille;
pub mod habilitation;
pub mod indicateurs;
pub mod indicateurs_journee;
pub mod offre;
pub mod parcours;
pub mod personne;
pub mod prescription;
pub mod proposition;
pub mod pseudonyme;
pub mod publication;
pub mod rdv;
pub mod secret;
pub mod structure;
pub mod suivi;
pub mod territoire;
pub mod texte;

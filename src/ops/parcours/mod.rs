//! The use cases of `spie parcours …`, one function each, every one through the session
//! with the habilitation its action needs.

mod a_faire;
mod action;
mod chercher;
mod cloture;
pub mod commun;
mod consentement;
mod contrat;
mod droits;
mod echeances;
mod liste;
mod membre;
mod modifier;
mod note;
mod objectif;
mod orienter;
mod ouvrir;
mod referent;
pub mod voir;

pub use a_faire::{Tache, a_faire};
pub use action::{ActionAjoutee, ActionPrevue, StatutChange, ajouter_action, statut_action};
pub use chercher::{LIMITE, Trouves, chercher};
pub use cloture::{Clos, MOTIF_RDV_ANNULE, clore, rouvrir};
pub use commun::{date_dans, parcours_ouvert};
pub use consentement::{Recueil, consentir};
pub use contrat::{Contracte, ContratCorrige, CorrectionContrat, NouveauContrat, contracter, corriger_contrat};
pub use droits::{effacer, exporter};
pub use liste::{Choix, Criteres, Liste, Portefeuille, Tri, lister};
pub use membre::{Ajout, Arrivee, ajouter, retirer};
pub use modifier::{Rectification, Rectifie, modifier};
pub use note::{Correction, Corrige, Corrigee, Note, NoteAjoutee, corriger, noter};
pub use objectif::{NouvelObjectif, ObjectifAjoute, ajouter_objectif, statut_objectif};
pub use orienter::{Decider, Oriente, orienter};
pub use ouvrir::{DossierOuvert, Ouverture, ouvrir};
pub use referent::{Designe, designer};
pub use voir::voir;

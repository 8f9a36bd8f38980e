//! The use cases of `spie base …`: creating the base (outside any session: there is no
//! base yet), then checking, backing up, reading and pruning its audit trail, applying
//! the retention rule — an administrator's work.

mod cles;
mod init;
mod journal;
mod purger;
mod sauvegarder;
mod verifier;

pub use cles::{Chiffree, Recuperation, Recuperee, chiffrer, recuperer};
pub use init::{BaseCreee, Init, init, verifier as verifier_init};
pub use journal::{Demande, Journal, journal};
pub use purger::{Purge, purger};
pub use sauvegarder::{Restauration, Sauvegarde, restaurer, sauvegarder};
pub use verifier::{Controle, verifier};

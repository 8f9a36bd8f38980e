//! The exchange of parcours between structures, each with its own base: the structure's
//! keys, sending a parcours to a partner, receiving one. The file's format is in
//! [`crate::domain::echange`].

mod recevoir;
mod transmettre;

pub use recevoir::{Bilan, Choix, Reception, Recu, recevoir};
pub use transmettre::{Envoi, Transmis, transmettre};

use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::ops::{Exigence, Session};

/// The structure's public keys, as given to a partner.
#[derive(Debug, Serialize)]
pub struct CleStructure {
    pub structure: String,
    pub cle: String,
    pub empreinte: String,
}

/// `structure cle`: any agent may read the structure's public keys.
pub fn cle(session: &mut Session) -> Result<CleStructure> {
    session.base(Exigence::Agent, false, |tx, _| {
        let (_, structure) = db::echange::structure_de_la_base(tx)?;
        let publique = db::echange::cles(tx)?.publique().map_err(anyhow::Error::msg)?;
        Ok(CleStructure {
            structure,
            cle: publique.ligne(),
            empreinte: publique.empreinte(),
        })
    })
}

//! `offre voir`: one offer of the catalogue, withdrawn or not.

use anyhow::Result;

use crate::db;
use crate::db::offre::OffreStockee;
use crate::error::erreur;
use crate::ops::{Exigence, Session};

pub fn voir(session: &mut Session, id: i64) -> Result<OffreStockee> {
    session.base(Exigence::Agent, false, |conn, _| {
        db::offre::lire(conn, id)?.ok_or_else(|| {
            erreur(format!("offre inconnue : {id}"))
                .aide("`spie offre chercher` trouve les offres du catalogue")
                .into()
        })
    })
}

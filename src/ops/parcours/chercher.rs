//! `parcours chercher`: the dossiers the agent may see, by name, given name or birth date.

use anyhow::Result;

use crate::db;
use crate::db::parcours::Filtre;
use crate::domain::parcours::LigneDossier;
use crate::domain::{date, personne, texte};
use crate::error::UserError;
use crate::ops::Session;

/// At most this many dossiers are shown.
pub const LIMITE: usize = 50;

pub struct Trouves {
    pub lignes: Vec<LigneDossier>,
    /// More than [`LIMITE`] dossiers match.
    pub tronque: bool,
}

/// The stored forms a typed value may have as a telephone, an e-mail, a France Travail
/// identifier or a CAF number (none for a name or a date).
fn coordonnees(texte: &str) -> Vec<String> {
    let t = texte.trim();
    let chiffres = t.bytes().filter(u8::is_ascii_digit).count();
    if !t.contains('@') && chiffres < 5 {
        return Vec::new();
    }
    let formes = [
        personne::telephone(t),
        personne::courriel(t),
        personne::france_travail(t),
        personne::caf(t),
    ];
    formes.into_iter().filter_map(Result::ok).collect()
}

/// `texte`: beginnings of the name and given name, and/or a birth date, in any order; or
/// a telephone, an e-mail, a France Travail identifier or a CAF number, found as stored.
pub fn chercher(session: &mut Session, texte: &[String]) -> Result<Trouves> {
    let entier = texte.join(" ");
    let valeurs = coordonnees(&entier);
    let mut naissance = None;
    let mut mots = Vec::new();
    for morceau in texte.iter().flat_map(|t| t.split_whitespace()) {
        match date::parse(morceau) {
            Ok(d) => naissance = Some(d),
            Err(_) => mots.extend(texte::mots(morceau)),
        }
    }
    if mots.is_empty() && naissance.is_none() {
        return Err(UserError::usage("rien à chercher : donnez un nom, un prénom ou une date de naissance").into());
    }
    let mut tronque = false;
    let lignes = session.lister(
        |tx, _, lecteur| {
            let dossiers = if valeurs.is_empty() {
                db::personne::chercher(tx, &mots, naissance, lecteur, LIMITE + 1)?
            } else {
                db::personne::par_coordonnee(tx, &valeurs, lecteur, LIMITE + 1)?
            };
            tronque = dossiers.len() > LIMITE;
            let filtre = Filtre {
                dossiers: Some(dossiers),
                limite: Some(LIMITE),
                lecteur: Some(lecteur),
                ..Filtre::default()
            };
            db::parcours::lignes(tx, &filtre)
        },
        |l| l.dossier,
    )?;
    Ok(Trouves { lignes, tronque })
}

//! `parcours transmettre`: one file for a partner structure, encrypted to it and signed
//! by this one, with what changed since the last file sent to it (or everything).

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::db;
use crate::db::echange::Elements;
use crate::domain::echange::{self, Contenu, Emetteur, ParcoursTransmis, ReferentTransmis, condense, uid};
use crate::domain::habilitation::Action;
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::{Exigence, Session};

pub struct Envoi {
    pub dossiers: Vec<i64>,
    /// The partner, by name or number.
    pub vers: String,
    pub sortie: PathBuf,
    /// Everything, not only what changed since the last file to that partner.
    pub tout: bool,
    /// An agent of the partner proposed as référent.
    pub referent: Option<String>,
    /// The written reason to send without a recorded consent (never against a refusal).
    pub sans_consentement: Option<String>,
}

/// What was sent.
#[derive(Debug, Serialize)]
pub struct Transmis {
    pub partenaire: String,
    pub numero: i64,
    /// Dossiers whose records were sent.
    pub dossiers: Vec<i64>,
    /// Dossiers for which only the withdrawal of consent was sent.
    pub retraits: Vec<i64>,
    /// Records sent (notes, diagnostics, statuses…).
    pub elements: usize,
    #[serde(skip)]
    pub contenu: Contenu,
}

pub fn transmettre(session: &mut Session, e: Envoi) -> Result<Transmis> {
    let motif = match &e.sans_consentement {
        Some(m) => Some(champ_libre("motif", m, 2000).map_err(erreur)?),
        None => None,
    };
    if motif.as_deref().is_some_and(str::is_empty) {
        return Err(UserError::usage("--sans-consentement demande une raison écrite").into());
    }
    let referent = match &e.referent {
        Some(r) => Some(crate::domain::agent::identifiant(r).map_err(|m| erreur(format!("--referent : {m}")))?),
        None => None,
    };
    // The file carries the whole dossier: a role that does not read it (accueil) sends
    // nothing, and only the référent or the holding structure decides to send it.
    session.exiger(Exigence::Role(Action::Lire))?;
    for dossier in &e.dossiers {
        session.avant(*dossier, Action::Gerer, |_| Ok(()))?;
    }
    if let Some(m) = &motif {
        session.preciser(&format!(" — sans consentement : {m}"));
    }
    let fichier = crate::output::fichier::FichierAtomique::creer(&e.sortie, false)?;
    let transmis = session.dossiers(Exigence::Role(Action::Lire), true, |tx, _| {
        let partenaire = crate::ops::structure::structure(tx, &e.vers)?;
        let Some(cle) = db::echange::cle_de(tx, partenaire.id)? else {
            return Err(erreur(format!("la structure « {} » n'a pas de clé enregistrée", partenaire.nom))
                .aide(format!(
                    "demandez-lui sa clé (`spie structure cle` sur sa base), puis : spie structure ajouter \"{}\" --cle LIGNE",
                    partenaire.nom
                ))
                .into());
        };
        let (_, nom) = db::echange::structure_de_la_base(tx)?;
        let cles = db::echange::cles(tx)?;
        let moi = cles.publique().map_err(anyhow::Error::msg)?.empreinte();
        let envoi = Preparation {
            partenaire: partenaire.id,
            moi: &moi,
            tout: e.tout,
            referent: referent.as_deref(),
            motif: motif.as_deref(),
        };
        let mut parcours = Vec::new();
        let (mut dossiers, mut retraits, mut elements) = (Vec::new(), Vec::new(), 0);
        for dossier in &e.dossiers {
            let p = envoi.preparer(tx, *dossier)?;
            if p.retrait.is_some() {
                retraits.push(*dossier);
            } else {
                elements += compter(&p);
                dossiers.push(*dossier);
            }
            parcours.push(p);
        }
        let contenu = Contenu {
            version: echange::VERSION,
            de: Emetteur { nom, empreinte: moi },
            pour: cle.empreinte(),
            numero: db::echange::numero_suivant(tx, partenaire.id)?,
            emis_le: db::acces::maintenant(),
            parcours,
        };
        let texte = serde_json::to_string(&contenu)?;
        let octets = echange::sceller(&texte, &cles, &cle).map_err(anyhow::Error::msg)?;
        std::io::Write::write_all(&mut fichier.fichier()?, &octets)?;
        fichier.valider()?;
        let resultat = Transmis {
            partenaire: partenaire.nom,
            numero: contenu.numero,
            dossiers,
            retraits,
            elements,
            contenu,
        };
        Ok((resultat, e.dossiers.clone()))
    })?;
    Ok(transmis)
}

fn compter(p: &ParcoursTransmis) -> usize {
    p.diagnostics.len()
        + p.orientations.len()
        + p.objectifs.len()
        + p.actions.iter().map(|a| 1 + a.statuts.len()).sum::<usize>()
        + p.journal.len()
        + usize::from(p.identite.is_some())
}

struct Preparation<'a> {
    partenaire: i64,
    /// This structure's fingerprint, which names the records made here.
    moi: &'a str,
    tout: bool,
    referent: Option<&'a str>,
    motif: Option<&'a str>,
}

impl Preparation<'_> {
    /// The parcours of `dossier` as sent: the consent checked, only what changed.
    fn preparer(&self, tx: &Connection, dossier: i64) -> Result<ParcoursTransmis> {
        let parcours = db::parcours::du_dossier(tx, dossier)?
            .pop()
            .ok_or_else(|| erreur(format!("le dossier {dossier} n'a pas de parcours")))?;
        let consentement = db::suivi::consentements(tx, dossier)?.pop();
        let partage = db::echange::partage_du_parcours(tx, parcours.id)?;
        if let Some(c) = consentement.as_ref().filter(|c| !c.partage) {
            // A refusal: the partners that received the parcours are told to stop; nobody
            // else receives anything.
            return match partage {
                Some(p) if db::echange::deja_envoye(tx, self.partenaire, parcours.id)? => Ok(ParcoursTransmis {
                    uid: p.uid,
                    retrait: Some(c.date),
                    ..ParcoursTransmis::default()
                }),
                _ => Err(erreur(format!(
                    "la personne du dossier {dossier} a refusé le partage de son dossier le {} : il ne peut pas être \
                     transmis",
                    crate::domain::date::fr(c.date)
                ))
                .into()),
            };
        }
        if consentement.is_none() && self.motif.is_none() {
            return Err(erreur(format!(
                "aucun consentement au partage n'est enregistré pour le dossier {dossier} : il ne peut pas être transmis"
            ))
            .aide(format!(
                "recueillez l'accord de la personne puis : spie parcours consentement {dossier} --partage oui ; à \
                 défaut, et seulement si c'est nécessaire : --sans-consentement \"raison\""
            ))
            .into());
        }
        let uid_parcours = match partage {
            Some(p) => p.uid,
            None => {
                let nouveau = nouvel_uid()?;
                db::echange::partager(tx, parcours.id, &nouveau, None, None)?;
                nouveau
            }
        };
        let mut p = ParcoursTransmis {
            uid: uid_parcours.clone(),
            entree: Some(parcours.entree),
            consentement: consentement.filter(|c| c.partage).map(|c| c.date),
            referent: parcours.referent_actif().map(|r| ReferentTransmis {
                nom: format!("{} ({})", r.nom, parcours.structure),
                depuis: r.debut,
            }),
            equipe: db::suivi::membres(tx, parcours.id)?
                .into_iter()
                .filter(|m| m.fin.is_none())
                .map(|m| format!("{} ({})", m.nom, m.structure))
                .collect(),
            referent_propose: self.referent.map(str::to_owned),
            ..ParcoursTransmis::default()
        };
        let identite = db::echange::identite(tx, dossier)?;
        if self.nouveau(tx, parcours.id, &format!("{uid_parcours}/identite"), &identite)? {
            p.identite = Some(identite);
        }
        let Elements {
            diagnostics,
            orientations,
            objectifs,
            actions,
            journal,
        } = db::echange::elements(tx, parcours.id)?;
        let mut uids_objectifs = std::collections::HashMap::new();
        for (id, mut o) in objectifs {
            (o.uid, o.auteur) = self.uid_auteur(tx, "objectif", id, o.auteur)?;
            uids_objectifs.insert(id, o.uid.clone());
            let cle = format!("{}/statut", o.uid);
            db::echange::noter_envoye(tx, self.partenaire, parcours.id, &cle, &condense(&o.statut))?;
            if self.nouveau(tx, parcours.id, &o.uid.clone(), &o)? {
                p.objectifs.push(o);
            }
        }
        for (id, objectif, mut a, statuts) in actions {
            (a.uid, a.auteur) = self.uid_auteur(tx, "action", id, a.auteur)?;
            a.objectif = objectif.and_then(|o| uids_objectifs.get(&o).cloned());
            for (s, sid) in a.statuts.iter_mut().zip(statuts) {
                s.uid = self.uid(tx, "statut", sid)?;
            }
            if self.nouveau(tx, parcours.id, &a.uid.clone(), &a)? {
                p.actions.push(a);
            }
        }
        for (id, mut d) in diagnostics {
            (d.uid, d.auteur) = self.uid_auteur(tx, "diagnostic", id, d.auteur)?;
            if self.nouveau(tx, parcours.id, &d.uid.clone(), &d.uid)? {
                p.diagnostics.push(d);
            }
        }
        for (id, mut o) in orientations {
            (o.uid, o.auteur) = self.uid_auteur(tx, "orientation", id, o.auteur)?;
            if self.nouveau(tx, parcours.id, &o.uid.clone(), &o.uid)? {
                p.orientations.push(o);
            }
        }
        for (id, mut n) in journal {
            (n.uid, n.auteur) = self.uid_auteur(tx, "journal", id, n.auteur)?;
            if self.nouveau(tx, parcours.id, &n.uid.clone(), &n.uid)? {
                p.journal.push(n);
            }
        }
        Ok(p)
    }

    /// The shared identifier of a record: its own if received, else made here.
    fn uid(&self, tx: &Connection, nature: &str, id: i64) -> Result<String> {
        Ok(db::echange::uid_recu(tx, nature, id)?.map_or_else(|| uid(self.moi, nature, id), |(u, _)| u))
    }

    /// The shared identifier and the author of a record (the partner's, if received).
    fn uid_auteur(&self, tx: &Connection, nature: &str, id: i64, auteur: String) -> Result<(String, String)> {
        Ok(db::echange::uid_recu(tx, nature, id)?.unwrap_or_else(|| (uid(self.moi, nature, id), auteur)))
    }

    /// Whether the record `uid` is to be sent (never sent to the partner as it is now, or
    /// everything asked), noted as sent.
    fn nouveau(&self, tx: &Connection, parcours_id: i64, uid: &str, valeur: &impl Serialize) -> Result<bool> {
        let empreinte = condense(valeur);
        let deja = db::echange::envoye(tx, self.partenaire, uid)?;
        if !self.tout && deja.as_deref() == Some(empreinte.as_str()) {
            return Ok(false);
        }
        if deja.as_deref() != Some(empreinte.as_str()) {
            db::echange::noter_envoye(tx, self.partenaire, parcours_id, uid, &empreinte)?;
        }
        Ok(true)
    }
}

/// A new shared identifier for a parcours: 128 random bits.
fn nouvel_uid() -> Result<String> {
    let mut octets = [0u8; 16];
    getrandom::fill(&mut octets).map_err(|e| anyhow::anyhow!("générateur aléatoire du système : {e}"))?;
    Ok(data_encoding::HEXLOWER.encode(&octets))
}

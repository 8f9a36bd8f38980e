//! `parcours recevoir`: a file from a registered partner, meant for this structure,
//! merged into the dossiers it concerns. Records that only grow (notes, diagnostics,
//! decisions, status changes) are added by their shared identifier; values that change
//! (identity, an objective's status, the partner's référent) take the most recent one, the
//! other kept in `echange_ecart`. Shown first (aperçu), applied with `--appliquer`.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::db;
use crate::db::echange::Recu as Element;
use crate::domain::agent::Agent;
use crate::domain::diagnostic::{Orientation, suggerer, valider};
use crate::domain::echange::{
    self, Contenu, IdentiteTransmise, Illisible, ObjectifTransmis, ParcoursTransmis, condense,
};
use crate::domain::habilitation::Action;
use crate::domain::personne::{Identite, Sexe};
use crate::domain::suivi::{StatutAction, StatutObjectif, TypeNote};
use crate::error::{UserError, erreur};
use crate::ops::{Exigence, Session};

#[derive(Debug, Clone)]
pub struct Reception {
    pub fichier: PathBuf,
    pub appliquer: bool,
    pub choix: Choix,
    /// Accept the référent the partner proposes.
    pub accepter_referent: bool,
}

/// What to do with a person received who looks like a dossier of this base.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choix {
    /// It is that dossier: complete it.
    pub dossier: Option<i64>,
    /// It is someone else: create a new dossier.
    pub nouveau: bool,
}

#[derive(Debug, Serialize)]
pub struct Bilan {
    pub partenaire: String,
    pub numero: i64,
    /// The file was already received: nothing changes.
    pub deja_recu: bool,
    pub applique: bool,
    pub parcours: Vec<Recu>,
}

/// What a parcours of the file does to this base.
#[derive(Debug, Default, Serialize)]
pub struct Recu {
    /// The dossier completed or created (none while a duplicate is undecided).
    pub dossier: Option<i64>,
    /// `identifiant` (already shared), `doublon` (chosen among probable duplicates),
    /// `nouveau` (a new dossier), `a-decider`, or `inconnu` (a withdrawal for a parcours
    /// this base never followed).
    pub correspondance: &'static str,
    /// Dossiers of the same name, given name and birth date, when undecided.
    pub doublons: Vec<i64>,
    /// Records added.
    pub ajouts: usize,
    pub mises_a_jour: Vec<String>,
    /// Values changed on both sides where this base's, more recent, was kept.
    pub conflits: Vec<String>,
    /// The partner says the person withdrew their consent on that day.
    pub retrait: Option<NaiveDate>,
    pub referent_propose: Option<String>,
    pub referent_accepte: bool,
}

pub fn recevoir(session: &mut Session, r: Reception) -> Result<Bilan> {
    let octets = std::fs::read(&r.fichier).map_err(|e| {
        erreur(format!("lecture de {} : {e}", r.fichier.display())).aide("vérifiez le chemin du fichier reçu")
    })?;
    let exigence = Exigence::Role(Action::Ecrire);
    let jour = session.aujourdhui;
    if r.appliquer {
        session.dossiers(exigence, true, |tx, agent| {
            let bilan = fusionner(tx, agent, jour, &octets, &r)?;
            let dossiers = bilan.parcours.iter().filter_map(|p| p.dossier).collect();
            Ok((bilan, dossiers))
        })
    } else {
        session.apercu(exigence, |tx, agent| fusionner(tx, agent, jour, &octets, &r))
    }
}

fn fusionner(tx: &Connection, agent: &Agent, jour: NaiveDate, octets: &[u8], r: &Reception) -> Result<Bilan> {
    let cles = db::echange::cles(tx)?;
    let ouvert = echange::ouvrir(octets, &cles).map_err(|e| match e {
        Illisible::PasPourNous => erreur(format!(
            "le fichier {} n'est pas adressé à votre structure : il ne peut pas être lu ici",
            r.fichier.display()
        ))
        .aide("demandez à l'expéditeur de le transmettre à votre structure (sa clé : `spie structure cle`)"),
        Illisible::Altere => erreur(format!(
            "le fichier {} est altéré ou n'est pas un fichier d'échange spie : rien n'est enregistré",
            r.fichier.display()
        ))
        .aide("demandez à l'expéditeur de le transmettre à nouveau"),
        Illisible::Version(v) => erreur(format!(
            "le fichier {} est au format d'échange version {v}, que cette version de spie ne lit pas",
            r.fichier.display()
        ))
        .aide("mettez spie à jour"),
    })?;
    let Some((partenaire, nom)) = db::echange::partenaire_de(tx, &ouvert.emetteur)? else {
        return Err(erreur(format!(
            "le fichier {} vient d'une structure inconnue : sa signature ne correspond à aucun partenaire enregistré",
            r.fichier.display()
        ))
        .aide("enregistrez d'abord le partenaire avec la clé qu'il vous donne : spie structure ajouter NOM --cle LIGNE")
        .into());
    };
    let contenu: Contenu = serde_json::from_str(&ouvert.contenu)
        .map_err(|e| erreur(format!("le fichier de « {nom} » est illisible : {e}")))?;
    let moi = cles.publique().map_err(anyhow::Error::msg)?.empreinte();
    if contenu.pour != moi {
        return Err(erreur(format!(
            "le fichier de « {nom} » est adressé à une autre structure (empreinte {}) : rien n'est enregistré",
            contenu.pour
        ))
        .into());
    }
    // The base's key is its first structure's: the person consented to share with that
    // one, not with another structure that works in the same base.
    let (destinataire, nom_destinataire) = db::echange::structure_de_la_base(tx)?;
    if agent.structure_id != destinataire {
        return Err(erreur(format!(
            "le fichier de « {nom} » est adressé à « {nom_destinataire} », pas à « {} » : rien n'est enregistré",
            agent.structure
        ))
        .aide(format!("un agent de « {nom_destinataire} » le reçoit"))
        .into());
    }
    let dernier = db::echange::dernier_recu(tx, partenaire)?;
    let mut bilan = Bilan {
        partenaire: nom.clone(),
        numero: contenu.numero,
        deja_recu: contenu.numero == dernier,
        applique: r.appliquer,
        parcours: Vec::new(),
    };
    if contenu.numero < dernier {
        return Err(erreur(format!(
            "le fichier de « {nom} » (n° {}) est plus ancien que le dernier reçu de cette structure (n° {dernier}) : \
             rien n'est enregistré",
            contenu.numero
        ))
        .aide("si des informations manquent, demandez au partenaire un envoi complet : spie parcours transmettre N --vers … --tout")
        .into());
    }
    if bilan.deja_recu {
        return Ok(bilan);
    }
    let fusion = Fusion {
        tx,
        agent,
        partenaire,
        moi: &moi,
        reception: r,
        jour,
    };
    for p in &contenu.parcours {
        bilan.parcours.push(fusion.parcours(p)?);
    }
    db::echange::noter_recu(tx, partenaire, contenu.numero)?;
    Ok(bilan)
}

struct Fusion<'a> {
    tx: &'a Connection,
    agent: &'a Agent,
    partenaire: i64,
    /// This structure's fingerprint: records whose identifier starts with it were made here.
    moi: &'a str,
    reception: &'a Reception,
    /// The day of the reception.
    jour: NaiveDate,
}

impl Fusion<'_> {
    fn parcours(&self, p: &ParcoursTransmis) -> Result<Recu> {
        let tx = self.tx;
        let mut recu = Recu::default();
        let parcours_id = match db::echange::partage_du_uid(tx, &p.uid)? {
            Some(partage) => {
                recu.correspondance = "identifiant";
                recu.dossier = Some(partage.dossier);
                partage.parcours_id
            }
            // A withdrawal for a parcours this base never followed: nothing to stop.
            None if p.retrait.is_some() => {
                recu.correspondance = "inconnu";
                recu.retrait = p.retrait;
                return Ok(recu);
            }
            None => match self.trouver(p, &mut recu)? {
                Some(id) => id,
                None => return Ok(recu),
            },
        };
        let dossier = db::parcours::dossier_du_parcours(tx, parcours_id)?;
        recu.dossier = Some(dossier);
        if let Some(jour) = p.retrait {
            db::echange::noter_retrait(tx, parcours_id, jour)?;
            if db::suivi::consentements(tx, dossier)?.last().is_none_or(|c| c.partage) {
                db::suivi::consentir(tx, dossier, jour, false, self.agent.id)?;
            }
            recu.retrait = Some(jour);
            return Ok(recu);
        }
        if let Some(identite) = &p.identite {
            self.identite(&p.uid, parcours_id, dossier, identite, &mut recu)?;
        }
        if let Some(jour) = p.consentement
            && db::suivi::consentements(tx, dossier)?
                .last()
                .is_none_or(|c| !c.partage && c.date < jour)
        {
            db::suivi::consentir(tx, dossier, jour, true, self.agent.id)?;
        }
        self.referent(parcours_id, p, &mut recu)?;
        self.elements(parcours_id, p, &mut recu)?;
        Ok(recu)
    }

    /// A parcours not yet shared: the dossier chosen among probable duplicates, or a new
    /// one; `None` while a duplicate is undecided (in the aperçu).
    fn trouver(&self, p: &ParcoursTransmis, recu: &mut Recu) -> Result<Option<i64>> {
        let tx = self.tx;
        let Some(transmise) = &p.identite else {
            return Err(erreur(format!(
                "le fichier parle d'un parcours ({}) inconnu de cette base, sans l'identité de la personne",
                crate::domain::texte::apercu(&p.uid, 12)
            ))
            .aide("demandez au partenaire un envoi complet : spie parcours transmettre N --vers … --tout")
            .into());
        };
        let identite = identite_de(transmise)?;
        let doublons: Vec<i64> = db::personne::ressemblants(tx, &identite, None)?
            .into_iter()
            .filter(|(_, r)| *r == db::personne::Ressemblance::Identique)
            .map(|(d, _)| d)
            .collect();
        let choix = self.reception.choix;
        if let Some(d) = choix.dossier.filter(|d| !doublons.contains(d)) {
            return Err(UserError::usage(format!(
                "--dossier {d} : ce dossier n'a pas les mêmes nom, prénom et date de naissance que la personne reçue"
            ))
            .aide(
                "vérifiez le numéro (l'aperçu, sans --appliquer, montre les dossiers qui lui ressemblent) ; si c'est bien \
                 elle, corrigez d'abord son identité avec `spie parcours modifier`",
            )
            .into());
        }
        let dossier = match choix.dossier {
            Some(d) => {
                if !crate::ops::session::par_lien(tx, self.agent, d, Action::Ecrire)? {
                    return Err(erreur(format!(
                        "vous ne suivez pas le dossier {d} : impossible de le compléter"
                    ))
                    .aide("demandez au référent du dossier de recevoir le fichier")
                    .into());
                }
                recu.correspondance = "doublon";
                Some(d)
            }
            None if doublons.is_empty() || choix.nouveau => None,
            None => {
                recu.correspondance = "a-decider";
                recu.doublons = doublons.clone();
                if !self.reception.appliquer {
                    return Ok(None);
                }
                let liste: Vec<String> = doublons.iter().map(i64::to_string).collect();
                return Err(UserError::usage(format!(
                    "la personne reçue porte le même nom, prénom et date de naissance que le dossier {} : est-ce la même \
                     personne ?",
                    liste.join(", ")
                ))
                .aide(format!(
                    "si oui : --dossier {} pour compléter ce dossier ; sinon : --nouveau pour créer un autre dossier",
                    doublons[0]
                ))
                .into());
            }
        };
        let parcours_id = match dossier {
            Some(d) => match db::parcours::ouvert(tx, d)? {
                Some(ouvert) if db::echange::partage_du_parcours(tx, ouvert.id)?.is_none() => ouvert.id,
                _ => db::parcours::ouvrir(tx, d, self.agent.structure_id, self.jour)?,
            },
            None => {
                recu.correspondance = "nouveau";
                let jour = self.jour;
                let d = db::personne::inserer(tx, &identite, self.agent.id, jour)?;
                db::echange::ecrire_identite(tx, d, &identite, &transmise.modifie_le, jour)?;
                recu.ajouts += 1;
                db::parcours::ouvrir(tx, d, self.agent.structure_id, jour)?
            }
        };
        let jour = self.jour;
        db::echange::partager(tx, parcours_id, &p.uid, Some(self.partenaire), Some(jour))?;
        Ok(Some(parcours_id))
    }

    /// The identity: the partner's if this base's is the one the partner knew, else the
    /// most recent; the other is kept aside.
    fn identite(
        &self,
        partage: &str,
        parcours_id: i64,
        dossier: i64,
        recue: &IdentiteTransmise,
        recu: &mut Recu,
    ) -> Result<()> {
        let locale = db::echange::identite(self.tx, dossier)?;
        let cle = format!("{partage}/identite");
        if sans_date(&locale) != sans_date(recue) {
            let nouvelle = identite_de(recue)?;
            let (texte_local, texte_recu) = (serde_json::to_string(&locale)?, serde_json::to_string(recue)?);
            if self.gagne(&cle, &locale, recue.modifie_le > locale.modifie_le)? {
                db::echange::ecrire_identite(self.tx, dossier, &nouvelle, &recue.modifie_le, self.jour)?;
                self.ecarter(parcours_id, "identite", &texte_recu, &texte_local)?;
                recu.mises_a_jour.push("identité".into());
            } else {
                self.ecarter(parcours_id, "identite", &texte_local, &texte_recu)?;
                recu.conflits
                    .push("identité : celle de cette base, plus récente, est gardée".into());
            }
        }
        self.connu(parcours_id, &cle, recue)
    }

    /// Whether the partner's value of a record changed on both sides wins: when this
    /// base's `locale` is the one the partner knew (only the partner changed it), or when
    /// the partner's is the most recent (`recente`). Otherwise this base's is kept.
    fn gagne(&self, cle: &str, locale: &impl Serialize, recente: bool) -> Result<bool> {
        Ok(
            recente
                || db::echange::envoye(self.tx, self.partenaire, cle)?.as_deref() == Some(condense(locale).as_str()),
        )
    }

    /// The partner knows the record `uid` as `valeur`: it is not sent back to it unless it
    /// changes here.
    fn connu(&self, parcours_id: i64, uid: &str, valeur: &impl Serialize) -> Result<()> {
        db::echange::noter_envoye(self.tx, self.partenaire, parcours_id, uid, &condense(valeur))
    }

    fn ecarter(&self, parcours_id: i64, champ: &str, gardee: &str, ecartee: &str) -> Result<()> {
        db::echange::ecarter(
            self.tx,
            parcours_id,
            champ,
            Some(gardee),
            Some(ecartee),
            self.partenaire,
            self.jour,
        )
    }

    /// The partner's référent, and the référent it proposes here.
    fn referent(&self, parcours_id: i64, p: &ParcoursTransmis, recu: &mut Recu) -> Result<()> {
        let tx = self.tx;
        let partage = db::echange::partage_du_parcours(tx, parcours_id)?
            .ok_or_else(|| anyhow::anyhow!("parcours partagé introuvable"))?;
        if let Some(r) = &p.referent
            && partage.referent_externe.as_deref() != Some(r.nom.as_str())
            && partage.referent_externe_le.is_none_or(|le| r.depuis >= le)
        {
            if let Some(ancien) = &partage.referent_externe {
                let jour = self.jour;
                db::echange::ecarter(
                    tx,
                    parcours_id,
                    "referent",
                    Some(&r.nom),
                    Some(ancien),
                    self.partenaire,
                    jour,
                )?;
            }
            db::echange::noter_referent_externe(tx, parcours_id, &r.nom, r.depuis)?;
            recu.mises_a_jour
                .push(format!("référent chez le partenaire : {}", r.nom));
        }
        let propose = p.referent_propose.clone().or(partage.referent_propose);
        let Some(identifiant) = propose else {
            return Ok(());
        };
        recu.referent_propose = Some(identifiant.clone());
        if !self.reception.accepter_referent {
            db::echange::noter_referent_propose(tx, parcours_id, Some(&identifiant))?;
            return Ok(());
        }
        let structure = db::parcours::du_dossier(tx, partage.dossier)?
            .into_iter()
            .find(|x| x.id == parcours_id)
            .map_or(self.agent.structure_id, |x| x.structure_id);
        let agent = crate::ops::parcours::commun::agent_referent(tx, &identifiant, structure, Some(partage.dossier))?;
        db::parcours::designer_referent(tx, parcours_id, agent.id, self.jour)?;
        db::echange::noter_referent_propose(tx, parcours_id, None)?;
        recu.referent_accepte = true;
        Ok(())
    }

    /// The number here of the record `uid` of `nature`: made here, or received before.
    fn local(&self, uid: &str, nature: &str) -> Result<Option<i64>> {
        if let Some(reste) = uid.strip_prefix(self.moi).and_then(|r| r.strip_prefix('/')) {
            return Ok(reste
                .strip_prefix(nature)
                .and_then(|r| r.strip_prefix('/'))
                .and_then(|id| id.parse().ok()));
        }
        db::echange::element(self.tx, uid)
    }

    /// A record received, stored here as `local_id`: counted, and known to the partner.
    fn noter(
        &self,
        parcours_id: i64,
        uid: &str,
        nature: &str,
        local_id: i64,
        auteur: &str,
        recu: &mut Recu,
    ) -> Result<()> {
        recu.ajouts += 1;
        if !matches!(nature, "objectif" | "action") {
            self.connu(parcours_id, uid, &uid)?;
        }
        db::echange::noter_element(
            self.tx,
            &Element {
                uid,
                parcours_id,
                nature,
                local_id,
                origine: self.partenaire,
                auteur,
            },
        )
    }

    fn elements(&self, parcours_id: i64, p: &ParcoursTransmis, recu: &mut Recu) -> Result<()> {
        let (tx, agent) = (self.tx, self.agent.id);
        for d in &p.diagnostics {
            if self.local(&d.uid, "diagnostic")?.is_none() {
                let reponses = valider(d.reponses.clone()).map_err(|e| inconnu("diagnostic", &e))?;
                let id = db::diagnostic::inserer(tx, parcours_id, d.date, agent, &reponses, &suggerer(&reponses))?;
                self.noter(parcours_id, &d.uid, "diagnostic", id, &d.auteur, recu)?;
            }
        }
        for o in &p.orientations {
            if self.local(&o.uid, "orientation")?.is_none() {
                Orientation::depuis_code(&o.orientation).ok_or_else(|| inconnu("orientation", &o.orientation))?;
                let id = db::echange::ajouter_orientation(tx, parcours_id, o, agent)?;
                self.noter(parcours_id, &o.uid, "orientation", id, &o.auteur, recu)?;
            }
        }
        for o in &p.objectifs {
            StatutObjectif::depuis_code(&o.statut).ok_or_else(|| inconnu("statut d'objectif", &o.statut))?;
            match self.local(&o.uid, "objectif")? {
                None => {
                    let id = db::echange::ajouter_objectif(tx, parcours_id, o, agent)?;
                    self.noter(parcours_id, &o.uid, "objectif", id, &o.auteur, recu)?;
                }
                Some(id) => self.statut_objectif(parcours_id, id, o, recu)?,
            }
            self.connu(parcours_id, &format!("{}/statut", o.uid), &o.statut)?;
            self.connu(parcours_id, &o.uid, o)?;
        }
        for a in &p.actions {
            for s in &a.statuts {
                StatutAction::depuis_code(&s.statut).ok_or_else(|| inconnu("statut d'action", &s.statut))?;
            }
            let action_id = match self.local(&a.uid, "action")? {
                Some(id) => id,
                None => {
                    let objectif = match &a.objectif {
                        Some(uid) => self.local(uid, "objectif")?,
                        None => None,
                    };
                    let id = db::echange::ajouter_action(tx, parcours_id, objectif, a, agent)?;
                    self.noter(parcours_id, &a.uid, "action", id, &a.auteur, recu)?;
                    id
                }
            };
            for s in &a.statuts {
                if self.local(&s.uid, "statut")?.is_none() {
                    let id = db::echange::ajouter_statut(tx, action_id, s.date, &s.statut, agent)?;
                    self.noter(parcours_id, &s.uid, "statut", id, &a.auteur, recu)?;
                }
            }
            self.connu(parcours_id, &a.uid, a)?;
        }
        for n in &p.journal {
            if self.local(&n.uid, "journal")?.is_none() {
                TypeNote::depuis_code(&n.type_).ok_or_else(|| inconnu("type de note", &n.type_))?;
                let id = db::echange::ajouter_note(tx, parcours_id, n, agent)?;
                self.noter(parcours_id, &n.uid, "journal", id, &n.auteur, recu)?;
            }
        }
        Ok(())
    }

    /// An objective's status, changed on the partner's side.
    fn statut_objectif(&self, parcours_id: i64, id: i64, o: &ObjectifTransmis, recu: &mut Recu) -> Result<()> {
        let (statut, le) = db::echange::objectif(self.tx, id)?;
        if statut == o.statut {
            return Ok(());
        }
        let champ = format!("objectif {id}");
        if self.gagne(&format!("{}/statut", o.uid), &statut, o.statut_le > le)? {
            db::echange::statut_objectif(self.tx, id, &o.statut, o.statut_le)?;
            self.ecarter(parcours_id, &champ, &o.statut, &statut)?;
            recu.mises_a_jour
                .push(format!("statut de l'objectif {id} : {}", o.statut));
        } else {
            self.ecarter(parcours_id, &champ, &statut, &o.statut)?;
            recu.conflits.push(format!(
                "statut de l'objectif {id} : « {statut} », plus récent ici, est gardé"
            ));
        }
        Ok(())
    }
}

/// The identity without its time of change, to compare values.
fn sans_date(i: &IdentiteTransmise) -> IdentiteTransmise {
    IdentiteTransmise {
        modifie_le: String::new(),
        ..i.clone()
    }
}

fn identite_de(i: &IdentiteTransmise) -> Result<Identite> {
    let sexe = match &i.sexe {
        Some(s) => Some(Sexe::depuis_code(s).ok_or_else(|| inconnu("sexe", s))?),
        None => None,
    };
    if crate::referentiel::communes::par_code(&i.commune).is_none() {
        return Err(inconnu("commune", &i.commune));
    }
    Ok(Identite {
        nom: i.nom.clone(),
        prenom: i.prenom.clone(),
        naissance: i.naissance,
        sexe,
        commune: i.commune.clone(),
        telephone: i.telephone.clone(),
        courriel: i.courriel.clone(),
        publics: i.publics.clone(),
        // Not exchanged: each base keeps the identifiers it holds (see `ecrire_identite`).
        france_travail: None,
        caf: None,
        adresse: None,
    })
}

fn inconnu(champ: &str, valeur: &str) -> anyhow::Error {
    erreur(format!(
        "le fichier reçu contient une valeur inconnue pour « {champ} » : « {} » ; rien n'est enregistré",
        crate::domain::texte::apercu(valeur, 40)
    ))
    .aide("le partenaire utilise peut-être une version plus récente de spie : mettez spie à jour")
    .into()
}

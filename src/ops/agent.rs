//! `agent …`: the professionals who use the base; only an administrator adds, removes or
//! gives a new passphrase to one. On an encrypted base each agent has a key slot.

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::db::chiffrement::Cle;
use crate::db::trousseau::{Emplacement, Trousseau};
use crate::domain::agent::{Agent, Role, gere, identifiant};
use crate::domain::connexion::phrase_solide;
use crate::domain::personne::nom;
use crate::domain::structure::Structure;
use crate::domain::texte::normaliser;
use crate::error::erreur;
use crate::ops::session::RefusSur;
use crate::ops::{Exigence, Session};

pub struct NouvelAgent {
    pub identifiant: String,
    pub nom: String,
    /// The structure's name or number.
    pub structure: String,
    pub role: Role,
    /// On an encrypted base: the one-time passphrase the administrator gives the agent.
    pub phrase: Option<SecretString>,
}

/// Adds the agent; returns its checked identifier and its structure.
pub fn ajouter(session: &mut Session, n: NouvelAgent) -> Result<(String, Structure)> {
    let id = identifiant(&n.identifiant).map_err(erreur)?;
    let nom = nom("nom", &n.nom).map_err(erreur)?;
    let emplacement = emplacement_provisoire(session, &id, n.phrase.as_ref())?;
    let aujourdhui = session.aujourdhui;
    let base = session.chemin().to_path_buf();
    session.base(Exigence::Admin, true, |tx, admin| {
        let s = super::structure::structure(tx, &n.structure)?;
        gerer(tx, admin, s.id, &s.nom)?;
        if db::agent::trouver_agent(tx, &id)?.is_some() {
            return Err(erreur(format!("l'agent « {id} » existe déjà (ou a été retiré)"))
                .aide("`spie agent liste` montre les agents enregistrés")
                .into());
        }
        db::agent::ajouter_agent(tx, &id, &nom, s.id, n.role, aujourdhui)?;
        if let Some(e) = emplacement {
            let mut trousseau = Trousseau::lire(&base)?;
            trousseau.agents.insert(id.clone(), e);
            trousseau.ecrire(&base, false)?;
        }
        Ok((id, s))
    })
}

/// That `admin` manages the agents of the structure `structure_id` (see [`gere`]), and
/// so what the structure says of itself (its address on convocations): a refusal is
/// audited.
pub(crate) fn gerer(conn: &Connection, admin: &Agent, structure_id: i64, structure: &str) -> Result<()> {
    if gere(admin, structure_id, db::agent::administrateurs_de(conn, structure_id)?) {
        return Ok(());
    }
    Err(RefusSur {
        dossier: None,
        erreur: erreur(format!(
            "« {structure} » et ses agents sont gérés par ses propres administrateurs, pas par ceux de « {} »",
            admin.structure
        ))
        .aide(
            "un administrateur de cette structure le fait ; à travers un agent d'une autre structure, ou dont \
             vous auriez choisi la phrase, vous liriez ses dossiers",
        ),
    }
    .into())
}

/// On an encrypted base, the key slot of `agent` opened by the one-time `phrase`; on a
/// plain one, nothing (and no passphrase may be given).
fn emplacement_provisoire(
    session: &Session,
    agent: &str,
    phrase: Option<&SecretString>,
) -> Result<Option<Emplacement>> {
    match (session.cle(), phrase) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(
            erreur("cette base n'est pas chiffrée : ses agents n'ont pas de phrase de passe")
                .aide("retirez --phrase-fichier ; sur une base d'essai, l'agent est donné par --agent")
                .into(),
        ),
        (Some(_), None) => Err(erreur("la phrase de passe provisoire de l'agent manque")
            .aide("donnez-la avec --phrase-fichier FICHIER (droits 0600), ou lancez la commande sur un terminal")
            .into()),
        (Some(cle), Some(phrase)) => {
            phrase_solide(phrase.expose_secret(), agent).map_err(erreur)?;
            Ok(Some(Emplacement::nouveau(phrase, cle, true)?))
        }
    }
}

pub fn liste(session: &mut Session) -> Result<Vec<Agent>> {
    session.base(Exigence::Agent, false, |tx, _| db::agent::agents(tx))
}

/// An agent named on the command line (`--referent`, `parcours referent N AGENT`).
pub fn agent(conn: &Connection, identifiant: &str) -> Result<Agent> {
    if let Some(agent) = db::agent::trouver_agent(conn, identifiant)? {
        return Ok(agent);
    }
    let agents = db::agent::agents(conn)?;
    let identifiants: Vec<&str> = agents.iter().map(|a| a.identifiant.as_str()).collect();
    // A first name or a surname typed for the login (`sarah` for s.petit, Sarah Petit).
    let saisie = normaliser(identifiant);
    let par_nom: Vec<&Agent> = agents
        .iter()
        .filter(|a| {
            let nom = normaliser(&a.nom);
            !saisie.is_empty() && (nom == saisie || nom.split(' ').any(|mot| mot == saisie))
        })
        .collect();
    let aide = match (
        crate::domain::texte::le_plus_proche(identifiant.trim(), &identifiants),
        par_nom.as_slice(),
    ) {
        (Some(proche), _) => {
            format!("vouliez-vous dire « {proche} » ? `spie agent liste` montre les agents de la base")
        }
        (None, [a]) => format!(
            "vouliez-vous dire « {} » ({}) ? un agent se désigne par son identifiant",
            a.identifiant, a.nom
        ),
        (None, [_, ..]) => format!(
            "un agent se désigne par son identifiant : {}",
            par_nom
                .iter()
                .map(|a| format!("« {} » ({})", a.identifiant, a.nom))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (None, []) => "`spie agent liste` montre les agents de la base".to_owned(),
    };
    Err(erreur(format!("agent inconnu : « {} »", identifiant.trim()))
        .aide(aide)
        .into())
}

/// `agent retirer`: the agent no longer works in the base. On an encrypted base their key
/// slot is removed and the base rekeyed, the new key wrapped to the remaining slots: what
/// the agent knew or kept (passphrase, slot, session, old key) opens it no more.
pub fn retirer(session: &mut Session, agent: &str) -> Result<()> {
    let agent = identifiant(agent).map_err(erreur)?;
    let aujourdhui = session.aujourdhui;
    let base = session.chemin().to_path_buf();
    let chiffree = session.chiffree();
    session.preciser(&format!(" {agent}{}", if chiffree { " — base rechiffrée" } else { "" }));
    // Everything is checked before anything changes, and the key changes before the agent
    // is marked removed: a base too busy to be rekeyed keeps the agent, and the command can
    // simply be run again.
    let nouvelle = session.hors_transaction(Exigence::Admin, |conn, admin| {
        retrait_possible(conn, admin, &agent, chiffree)?;
        let nouvelle = if chiffree {
            Some(changer_de_cle(conn, &base, &agent)?)
        } else {
            None
        };
        db::agent::retirer(conn, &agent, aujourdhui)?;
        Ok(nouvelle)
    })?;
    if let Some(nouvelle) = nouvelle {
        let mut jeton = crate::ops::connexion::en_cours(&base)?;
        jeton.cle = nouvelle.clone();
        jeton.ecrire(&base)?;
        session.nouvelle_cle(nouvelle);
    }
    Ok(())
}

/// Whether `admin` may remove `agent` now: not themself, not the last administrator, and
/// on an encrypted base not while an import runs (a new key needs the base to itself).
fn retrait_possible(conn: &Connection, admin: &Agent, agent: &str, chiffree: bool) -> Result<()> {
    if admin.identifiant == agent {
        return Err(erreur("un administrateur ne se retire pas lui-même")
            .aide("un autre administrateur le fait")
            .into());
    }
    let retire = self::agent(conn, agent)?;
    gerer(conn, admin, retire.structure_id, &retire.structure)?;
    if retire.role == Role::Admin && db::agent::administrateurs(conn)? <= 1 {
        return Err(erreur("la base doit garder un administrateur").into());
    }
    if let Some(import) = db::etapes::en_cours(conn)?.filter(|_| chiffree) {
        return Err(erreur(format!(
            "un import d'offres est en cours depuis le {} : retirer un agent change la clé de la base, ce \
             qui demande qu'aucune autre commande n'y travaille",
            crate::domain::date::moment_fr(&import.depuis)
        ))
        .aide("relancez `spie agent retirer` une fois l'import terminé ; rien n'a été changé")
        .into());
    }
    Ok(())
}

/// Gives the base a new key, in three steps that each leave a base its slots open: the
/// new key is added to every remaining slot (the retired one removed), the base rekeyed,
/// then the old key dropped from the slots.
fn changer_de_cle(conn: &Connection, base: &std::path::Path, retire: &str) -> Result<Cle> {
    let mut trousseau = Trousseau::lire(base)?;
    trousseau.agents.remove(retire);
    let nouvelle = Cle::generer()?;
    trousseau.envelopper_partout(&nouvelle)?;
    trousseau.ecrire(base, false)?;
    db::chiffrement::changer_de_cle(conn, &nouvelle)?;
    trousseau.garder_seulement(&nouvelle)?;
    trousseau.ecrire(base, false)?;
    Ok(nouvelle)
}

/// `agent reinitialiser`: a new one-time passphrase for an agent who forgot theirs (a new
/// identity, holding the base's key).
pub fn reinitialiser(session: &mut Session, agent: &str, phrase: Option<SecretString>) -> Result<()> {
    let agent = identifiant(agent).map_err(erreur)?;
    let emplacement = emplacement_provisoire(session, &agent, phrase.as_ref())?.ok_or_else(|| {
        erreur("cette base n'est pas chiffrée : ses agents n'ont pas de phrase de passe")
            .aide("sur une base d'essai, l'agent est donné par --agent")
    })?;
    session.preciser(&format!(" {agent}"));
    let base = session.chemin().to_path_buf();
    session.base(Exigence::Admin, true, |tx, admin| {
        let cible = self::agent(tx, &agent)?;
        gerer(tx, admin, cible.structure_id, &cible.structure)?;
        let mut trousseau = Trousseau::lire(&base)?;
        trousseau.agents.insert(agent.clone(), emplacement);
        trousseau.ecrire(&base, false)
    })
}

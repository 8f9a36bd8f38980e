//! The session of one command: the base, the agent at work, one transaction, the
//! habilitation rule and the audit trail, in that order, for every use case.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction};

use crate::db;
use crate::db::chiffrement::Cle;
use crate::db::habilitation::Lecteur;
use crate::domain::agent::Agent;
use crate::domain::habilitation::{Action, Autorisation, Refus, decider, hors_du_role, role_permet};
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};

/// What a run knows before opening the base.
pub struct Lancement {
    pub base: PathBuf,
    /// `--agent`, `SPIE_AGENT` or the system user.
    pub agent: Option<String>,
    /// The agent was named (`--agent`, `SPIE_AGENT`), not taken from the system user: on
    /// an encrypted base, naming another agent than the session's is refused.
    pub agent_nomme: bool,
    pub aujourdhui: NaiveDate,
    /// The command as typed (`parcours voir`), named in the audit trail.
    pub commande: String,
    /// `SPIE_DATE` set the day: refused unless the base is a test base.
    pub date_forcee: bool,
}

/// `SPIE_DATE` on a real base: a date set by hand would date real records (an entry, a
/// diagnostic) at will.
pub fn date_forcee_refusee() -> crate::error::UserError {
    erreur("SPIE_DATE fixe la date du jour : elle n'est permise que sur une base d'essai").aide(
        "retirez la variable SPIE_DATE pour travailler sur cette base ; pour des essais, créez une base avec \
             `spie base init --essai` ou `spie demo`",
    )
}

pub struct Session {
    conn: Connection,
    /// An import whose process died, undone at the opening (see [`db::etapes`]).
    pub import_annule: Option<db::etapes::EnCours>,
    pub agent: Agent,
    pub aujourdhui: NaiveDate,
    commande: String,
    base: PathBuf,
    /// The key of an encrypted base, from the agent's work session.
    cle: Option<Cle>,
}

/// A dossier opened by the session: the transaction it works in, and how the access was
/// allowed.
pub struct SurDossier<'s> {
    pub tx: &'s Transaction<'s>,
    pub agent: &'s Agent,
    pub aujourdhui: NaiveDate,
    pub autorisation: Autorisation,
    commande: &'s str,
}

impl SurDossier<'_> {
    /// `autre` was shown to the agent as a probable duplicate of this dossier: its trail
    /// says who came across it (see [`SIGNALE`]).
    pub fn signaler(&self, autre: i64) -> Result<()> {
        signaler(self.tx, &self.agent.identifiant, self.commande, autre)
    }
}

/// A dossier created by a use case, and the dossiers shown beside it as probable
/// duplicates.
pub struct Cree<T> {
    pub dossier: i64,
    pub signales: Vec<i64>,
    pub resultat: T,
}

/// A refusal found by a use case itself, audited as such: on a dossier when it reveals
/// something of one the agent may not see (a person already followed by another
/// structure), so that its trail tells who came across it; on none otherwise (an
/// administrator reaching for another structure's agents).
#[derive(Debug)]
pub struct RefusSur {
    pub dossier: Option<i64>,
    pub erreur: crate::error::UserError,
}

impl std::fmt::Display for RefusSur {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.erreur.fmt(f)
    }
}

impl std::error::Error for RefusSur {}

/// Who may run a use case that names no dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exigence {
    /// Any registered agent (the catalogue, the statistics, one's own to-do list).
    Agent,
    /// An administrator (agents, structures, imports, the base itself).
    Admin,
    /// An agent whose role ever does the action (a list of what only reading the whole
    /// dossier shows).
    Role(Action),
}

/// An element of a plan, by its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Objectif(i64),
    Action(i64),
    Note(i64),
    Diagnostic(i64),
    Rdv(i64),
    Contrat(i64),
}

impl Element {
    /// The error for a number no element of this kind has: the number typed, and where
    /// the right one is read.
    pub fn inconnu(self) -> UserError {
        let (message, aide) = match self {
            Element::Objectif(id) => (
                format!("objectif inconnu : {id}"),
                "les objectifs d'un dossier et leurs numéros sont dans la section « Plan » de `spie parcours voir DOSSIER`",
            ),
            Element::Action(id) => (
                format!("action inconnue : {id}"),
                "les actions d'un dossier et leurs numéros sont dans la section « Plan » de `spie parcours voir DOSSIER`",
            ),
            Element::Note(id) => (
                format!("note inconnue : {id}"),
                "les notes d'un dossier et leurs numéros sont dans la colonne « N° » du journal de `spie parcours voir \
                 DOSSIER`",
            ),
            Element::Diagnostic(id) => (
                format!("diagnostic inconnu : {id}"),
                "les diagnostics d'un dossier et leurs numéros : `spie diagnostic voir DOSSIER --historique`",
            ),
            Element::Contrat(id) => (
                format!("contrat inconnu : {id}"),
                "les contrats d'un dossier et leurs numéros sont dans la section « Contrats » de `spie parcours voir \
                 DOSSIER`",
            ),
            Element::Rdv(id) => (
                format!("rendez-vous inconnu : {id}"),
                "`spie rdv agenda` montre les rendez-vous et leurs numéros ; ceux d'un dossier sont dans `spie parcours \
                 voir DOSSIER`",
            ),
        };
        erreur(message).aide(aide)
    }
}

/// What marks a break-glass read in the audit trail, before its reason.
pub const BRIS_DE_GLACE: &str = " — bris de glace : ";
/// What marks a refused attempt in the audit trail.
pub const REFUS: &str = " — refusé";
/// What marks, in the trail of a dossier, that another command showed it as a probable
/// duplicate (even unnumbered, the warning tells that such a person is followed).
pub const SIGNALE: &str = " — doublon signalé";

impl Session {
    /// Opens the base and identifies the agent at work, who must be registered: on an
    /// encrypted base, the agent of the work session opened by `spie connexion`; on a
    /// plain test or demo base, the agent named by `--agent` or `SPIE_AGENT`.
    pub fn ouvrir(l: &Lancement) -> Result<Session> {
        if db::chiffree(&l.base) {
            return Session::ouvrir_chiffree(l);
        }
        let conn = db::ouvrir(&l.base)?;
        if !db::meta::essai(&conn)? {
            return Err(base_en_clair(&l.base).into());
        }
        let identifiant = l.agent.as_deref().ok_or_else(|| {
            erreur("impossible de savoir quel agent travaille")
                .aide("indiquez-le avec --agent IDENTIFIANT ou la variable SPIE_AGENT")
        })?;
        let agent = enregistre(&conn, identifiant)?;
        Session::de(conn, agent, l, None)
    }

    /// The session of `agent` on the base opened as `conn` (with `cle`, if encrypted).
    fn de(conn: Connection, agent: Agent, l: &Lancement, cle: Option<Cle>) -> Result<Session> {
        Ok(Session {
            import_annule: import_annule(&conn)?,
            conn,
            agent,
            aujourdhui: l.aujourdhui,
            commande: l.commande.clone(),
            base: l.base.clone(),
            cle,
        })
    }

    /// An encrypted base, opened with the key of the work session; the agent is the
    /// session's, whom `--agent` may only repeat.
    fn ouvrir_chiffree(l: &Lancement) -> Result<Session> {
        let jeton = crate::ops::connexion::en_cours(&l.base)?;
        let conn = db::ouvrir_avec(&l.base, Some(&jeton.cle))?;
        if l.date_forcee && !db::meta::essai(&conn)? {
            return Err(date_forcee_refusee().into());
        }
        let agent = enregistre(&conn, &jeton.agent)?;
        let mut session = Session::de(conn, agent, l, Some(jeton.cle.clone()))?;
        if let Some(autre) = l.agent.as_deref().filter(|a| l.agent_nomme && *a != jeton.agent) {
            let autre = crate::domain::texte::apercu(autre, 40);
            session.preciser(&format!(" au nom de {autre}"));
            session.consigner_refus(None)?;
            return Err(erreur(format!(
                "vous êtes connecté comme « {} » : impossible d'agir au nom de « {autre} »",
                jeton.agent
            ))
            .aide(format!(
                "sur une base chiffrée, l'agent est celui de la session : retirez --agent et SPIE_AGENT, ou \
                 laissez l'agent « {autre} » se connecter lui-même (`spie deconnexion`, puis `spie connexion`)"
            ))
            .into());
        }
        crate::ops::connexion::prolonger(&l.base, jeton)?;
        Ok(session)
    }

    /// A second connection to the base, with the session's key (checks on a damaged base,
    /// the copy of the WAL into the base during an import).
    pub fn rouvrir(&self) -> Result<Connection> {
        db::ouvrir_avec(&self.base, self.cle.as_ref())
    }

    /// Whether the base is encrypted (then its copies and exports must be too).
    pub fn chiffree(&self) -> bool {
        self.cle.is_some()
    }

    /// The base file.
    pub fn chemin(&self) -> &std::path::Path {
        &self.base
    }

    /// The key of the encrypted base, for the use cases that copy or rekey it.
    pub(crate) fn cle(&self) -> Option<&Cle> {
        self.cle.as_ref()
    }

    /// After a key change by this session: the base is now under `cle`.
    pub(crate) fn nouvelle_cle(&mut self, cle: Cle) {
        self.cle = Some(cle);
    }

    /// Adds a precision to the command named in the audit trail (which agent was
    /// removed, a copy made in the clear): never personal data.
    pub fn preciser(&mut self, precision: &str) {
        self.commande.push_str(precision);
    }

    /// Runs a use case on the dossier `dossier`, in one transaction: the agent's
    /// habilitation for `action` is checked first (a refusal is audited, committed on its
    /// own, and returned as a French error), then `f` runs, then the access is audited and
    /// everything committed together. `motif`: a break-glass reason, for a read only.
    pub fn dossier<T>(
        &mut self,
        dossier: i64,
        action: Action,
        motif: Option<&str>,
        f: impl FnOnce(&SurDossier<'_>) -> Result<T>,
    ) -> Result<T> {
        let motif = match motif {
            Some(m) => {
                let m = champ_libre("--motif", m, 300).map_err(erreur)?;
                if m.is_empty() {
                    return Err(erreur("--motif : écrivez la raison de l'accès").into());
                }
                Some(m)
            }
            None => None,
        };
        // IMMEDIATE in every case: a read appends its audit entry too.
        let tx = db::consultation(&mut self.conn)?;
        let autorisation = match decision(&tx, &self.agent, dossier, action, motif.is_some())? {
            Ok(a) => a,
            Err(refus) => {
                drop(tx);
                return Err(self.refuser(dossier, action, refus));
            }
        };
        let resultat = match f(&SurDossier {
            tx: &tx,
            agent: &self.agent,
            aujourdhui: self.aujourdhui,
            autorisation,
            commande: &self.commande,
        }) {
            Ok(resultat) => resultat,
            Err(e) => {
                drop(tx);
                return Err(self.auditer_refus(e));
            }
        };
        let commande = match (autorisation, &motif) {
            (Autorisation::BrisDeGlace, Some(m)) => format!("{}{BRIS_DE_GLACE}{m}", self.commande),
            _ => self.commande.clone(),
        };
        consigner(&tx, &self.agent.identifiant, &commande, Some(dossier))?;
        tx.commit()?;
        if !matches!(action, Action::Identite | Action::Lire) {
            crate::output::travail_enregistre();
        }
        Ok(resultat)
    }

    /// Checks, before a use case that first asks the agent questions (the interactive
    /// diagnostic), that the agent may do `action` on `dossier`, then runs `f` on the
    /// dossier's facts, in a read that saves and audits nothing: a refusal is audited and
    /// returned as by [`Session::dossier`], which checks again when the use case runs.
    pub fn avant<T>(
        &mut self,
        dossier: i64,
        action: Action,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = db::lecture(&mut self.conn)?;
        match decision(&tx, &self.agent, dossier, action, false)? {
            Ok(_) => f(&tx),
            Err(refus) => {
                drop(tx);
                Err(self.refuser(dossier, action, refus))
            }
        }
    }

    /// A refusal: audited in a transaction of its own, returned as a French error.
    fn refuser(&mut self, dossier: i64, action: Action, refus: Refus) -> anyhow::Error {
        if let Err(e) = self.consigner_refus(Some(dossier)) {
            return e;
        }
        erreur(refus.message(self.agent.role, action, dossier))
            .aide(refus.aide(action))
            .into()
    }

    /// Runs a use case that names no dossier, in one transaction, audited: `ecrit` says
    /// whether it saves work (a read that cannot be printed must still fail the run).
    pub fn base<T>(
        &mut self,
        exigence: Exigence,
        ecrit: bool,
        f: impl FnOnce(&Transaction<'_>, &Agent) -> Result<T>,
    ) -> Result<T> {
        self.dossiers(exigence, ecrit, |tx, agent| Ok((f(tx, agent)?, Vec::new())))
    }

    /// Like [`Session::base`], for a use case that reads or changes several dossiers it
    /// finds itself (a retention purge, a list): `f` returns them with its result, and the
    /// audit trail gets one entry per dossier (one without dossier when there is none).
    pub fn dossiers<T>(
        &mut self,
        exigence: Exigence,
        ecrit: bool,
        f: impl FnOnce(&Transaction<'_>, &Agent) -> Result<(T, Vec<i64>)>,
    ) -> Result<T> {
        self.exiger(exigence)?;
        let tx = db::consultation(&mut self.conn)?;
        let (resultat, dossiers) = match f(&tx, &self.agent) {
            Ok(fait) => fait,
            Err(e) => {
                drop(tx);
                return Err(self.auditer_refus(e));
            }
        };
        // One entry per dossier shown (one without dossier when none is), dated once.
        let mut chacun: Vec<Option<i64>> = dossiers.into_iter().map(Some).collect();
        if chacun.is_empty() {
            chacun.push(None);
        }
        db::acces::consigner_chacun(
            &tx,
            &db::acces::maintenant(),
            &self.agent.identifiant,
            &self.commande,
            &chacun,
        )?;
        tx.commit()?;
        if ecrit {
            crate::output::travail_enregistre();
        }
        Ok(resultat)
    }

    /// Like [`Session::base`], for a use case that only shows what it would do (an
    /// import's preview): `f` runs in a transaction that reads the base, rolled back (what
    /// it writes goes to the connection's TEMP schema), then the run is audited.
    pub fn apercu<T>(
        &mut self,
        exigence: Exigence,
        f: impl FnOnce(&Transaction<'_>, &Agent) -> Result<T>,
    ) -> Result<T> {
        self.exiger(exigence)?;
        let tx = db::lecture(&mut self.conn)?;
        let resultat = f(&tx, &self.agent)?;
        tx.rollback()?;
        let tx = db::consultation(&mut self.conn)?;
        consigner(&tx, &self.agent.identifiant, &self.commande, None)?;
        tx.commit()?;
        Ok(resultat)
    }

    /// What a use case that names no dossier requires of the agent; a refusal is audited.
    /// Also checked before a secret is asked (a passphrase for another agent).
    pub fn exiger(&mut self, exigence: Exigence) -> Result<()> {
        let role = self.agent.role;
        let refus = match exigence {
            Exigence::Admin if role != crate::domain::agent::Role::Admin => erreur(format!(
                "l'agent « {} » n'est pas administrateur de la base",
                self.agent.identifiant
            ))
            .aide("seul un administrateur (rôle admin) peut faire cela (voir `spie agent liste`)"),
            Exigence::Role(action) if !role_permet(role, action) => erreur(hors_du_role(role, action))
                .aide("un référent ou un administrateur peut le faire (voir `spie agent liste`)"),
            _ => return Ok(()),
        };
        self.consigner_refus(None)?;
        Err(refus.into())
    }

    /// Like [`Session::base`], for the work SQLite does outside any transaction (a copy
    /// of the whole base cannot run inside a write): `f` runs on the connection, then the
    /// run is audited.
    pub fn hors_transaction<T>(
        &mut self,
        exigence: Exigence,
        f: impl FnOnce(&Connection, &Agent) -> Result<T>,
    ) -> Result<T> {
        self.exiger(exigence)?;
        let resultat = f(&self.conn, &self.agent).map_err(|e| self.auditer_refus(e))?;
        let tx = db::consultation(&mut self.conn)?;
        consigner(&tx, &self.agent.identifiant, &self.commande, None)?;
        tx.commit()?;
        Ok(resultat)
    }

    /// Like [`Session::base`], for a long use case that commits its work in steps of its
    /// own (an import, see [`db::etapes`]): the run is audited first, in a transaction of
    /// its own, then `f` runs on the connection, outside any transaction, with the time of
    /// that entry.
    pub fn par_etapes<T>(
        &mut self,
        exigence: Exigence,
        f: impl FnOnce(&Connection, &Agent, &str) -> Result<T>,
    ) -> Result<T> {
        self.exiger(exigence)?;
        let depuis = db::acces::maintenant();
        let tx = db::consultation(&mut self.conn)?;
        db::acces::consigner(&tx, &depuis, &self.agent.identifiant, &self.commande, None)?;
        tx.commit()?;
        let resultat = f(&self.conn, &self.agent, &depuis)?;
        crate::output::travail_enregistre();
        Ok(resultat)
    }

    /// Runs a use case that creates a dossier (any agent, `accueil` included: there is no
    /// relation to check yet): `f` returns the new dossier's number, which the audit entry
    /// names.
    /// A [`RefusSur`] from `f` is audited on the dossier it names, and so is each dossier
    /// it shows as a probable duplicate.
    pub fn creer_dossier<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Agent) -> Result<Cree<T>>,
    ) -> Result<(i64, T)> {
        let tx = db::consultation(&mut self.conn)?;
        let Cree {
            dossier,
            signales,
            resultat,
        } = match f(&tx, &self.agent) {
            Ok(fait) => fait,
            Err(e) => {
                drop(tx);
                return Err(self.auditer_refus(e));
            }
        };
        consigner(&tx, &self.agent.identifiant, &self.commande, Some(dossier))?;
        for autre in signales {
            signaler(&tx, &self.agent.identifiant, &self.commande, autre)?;
        }
        tx.commit()?;
        crate::output::travail_enregistre();
        Ok((dossier, resultat))
    }

    /// Runs a use case that shows several dossiers (a list, a search, a to-do list): `f`
    /// gets the agent as a [`Lecteur`], to keep only the dossiers the agent may see
    /// ([`db::habilitation::condition_visible`]); each dossier shown (`dossier` of each
    /// row) gets an audit entry of its own, so that the trail of a dossier says who saw it.
    pub fn lister<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>, &Agent, Lecteur) -> Result<Vec<T>>,
        dossier: impl Fn(&T) -> i64,
    ) -> Result<Vec<T>> {
        let lecteur = Lecteur::de(&self.agent);
        self.dossiers(Exigence::Agent, false, |tx, agent| {
            let lignes = f(tx, agent, lecteur)?;
            let vus: std::collections::BTreeSet<i64> = lignes.iter().map(dossier).collect();
            Ok((lignes, vus.into_iter().collect()))
        })
    }

    /// [`Session::dossier`] for the erasure of a dossier: freed pages are overwritten, and
    /// once committed the file is rewritten, so that the old values stay neither in the
    /// log nor in free pages.
    pub fn effacer<T>(&mut self, dossier: i64, f: impl FnOnce(&SurDossier<'_>) -> Result<T>) -> Result<T> {
        db::effacement_sur(&self.conn)?;
        let resultat = self.dossier(dossier, Action::Effacer, None, f)?;
        self.compacter()?;
        Ok(resultat)
    }

    /// The dossier a plan element belongs to, to check the agent's habilitation on it
    /// before anything else is read.
    pub fn dossier_de(&self, element: Element) -> Result<i64> {
        let parcours = match element {
            Element::Objectif(id) => db::suivi::objectif(&self.conn, id)?.map(|o| o.parcours_id),
            Element::Action(id) => db::suivi::action(&self.conn, id)?.map(|a| a.parcours_id),
            Element::Note(id) => db::suivi::note(&self.conn, id)?.map(|n| n.0),
            Element::Diagnostic(id) => db::diagnostic::parcours_du_diagnostic(&self.conn, id)?,
            Element::Contrat(id) => db::contrat::contrat(&self.conn, id)?.map(|c| c.0),
            Element::Rdv(id) => {
                return db::rdv::dossier_du_rdv(&self.conn, id)?.ok_or_else(|| element.inconnu().into());
            }
        };
        let parcours = parcours.ok_or_else(|| element.inconnu())?;
        db::parcours::dossier_du_parcours(&self.conn, parcours)
    }

    /// The base's département, to resolve a commune typed at a prompt before the use case
    /// runs (no personal data: not audited).
    pub fn departement(&self) -> Result<String> {
        db::meta::departement(&self.conn)
    }

    /// After an erasure committed: leaves no erased value readable in the file (see
    /// [`db::compacter`]).
    pub fn compacter(&self) -> Result<()> {
        db::compacter(&self.conn)
    }

    /// The error of a use case: a [`RefusSur`] is audited, then returned as its French
    /// error; any other is returned as it is.
    fn auditer_refus(&mut self, e: anyhow::Error) -> anyhow::Error {
        match e.downcast::<RefusSur>() {
            Ok(refus) => match self.consigner_refus(refus.dossier) {
                Ok(()) => refus.erreur.into(),
                Err(e) => e,
            },
            Err(e) => e,
        }
    }

    /// A refused attempt (on `dossier`, if one is named), in a transaction of its own:
    /// the refusal stays in the trail. Not the command's work: committing it does not make
    /// the run a success.
    fn consigner_refus(&mut self, dossier: Option<i64>) -> Result<()> {
        let tx = db::consultation(&mut self.conn)?;
        let commande = format!("{}{REFUS}", self.commande);
        consigner(&tx, &self.agent.identifiant, &commande, dossier)?;
        Ok(tx.commit()?)
    }
}

/// An import whose process died, undone: like SQLite with a journal left by a dead
/// process, the next opening puts the base back as it was before that import.
fn import_annule(conn: &Connection) -> Result<Option<db::etapes::EnCours>> {
    Ok(db::etapes::reprendre(conn)?.and_then(|(import, vivant)| (!vivant).then_some(import)))
}

/// The agent `identifiant`, who must be registered and not removed.
fn enregistre(conn: &Connection, identifiant: &str) -> Result<Agent> {
    if let Some(agent) = db::agent::trouver_agent(conn, identifiant)? {
        return Ok(agent);
    }
    if db::agent::retire(conn, identifiant)? {
        return Err(erreur(format!("l'agent « {identifiant} » a été retiré de cette base"))
            .aide("un administrateur peut le réinscrire sous un autre identifiant : spie agent ajouter")
            .into());
    }
    Err(erreur(format!(
        "l'agent « {identifiant} » n'est pas enregistré dans cette base"
    ))
    .aide(format!(
        "un administrateur peut l'ajouter : spie agent ajouter {identifiant} --nom \"Prénom Nom\" --structure \
             STRUCTURE ; ou choisissez un agent enregistré avec --agent (voir `spie agent liste`)"
    ))
    .into())
}

/// A plain base that is neither a test nor a demo base: its people's data would be read by
/// whoever copies the file. Only `base chiffrer` opens it.
pub fn base_en_clair(base: &std::path::Path) -> crate::error::UserError {
    erreur(format!(
        "la base {} n'est pas chiffrée : quiconque copie le fichier y lirait les données des personnes",
        base.display()
    ))
    .aide("un administrateur la chiffre d'abord : spie base chiffrer --agent IDENTIFIANT")
}

/// Appends an entry to the audit trail, dated by the system's clock: `SPIE_DATE` never
/// dates an entry, and an entry cannot be backdated.
fn consigner(conn: &Connection, agent: &str, commande: &str, dossier: Option<i64>) -> Result<()> {
    db::acces::consigner(conn, &db::acces::maintenant(), agent, commande, dossier)
}

fn signaler(conn: &Connection, agent: &str, commande: &str, autre: i64) -> Result<()> {
    consigner(conn, agent, &format!("{commande}{SIGNALE}"), Some(autre))
}

/// What the rule says of the agent and `action` on `dossier`; an unknown or erased
/// dossier is an error.
fn decision(
    conn: &Connection,
    agent: &Agent,
    dossier: i64,
    action: Action,
    motif: bool,
) -> Result<Result<Autorisation, Refus>> {
    match db::habilitation::relation(conn, dossier, agent.id, agent.structure_id)? {
        Some(relation) => Ok(decider(agent.role, &relation, action, motif)),
        None => Err(super::dossier::absent(conn, dossier)?.into()),
    }
}

/// Whether `agent` may do `action` on `dossier` by its link with it, without a reason
/// (what a to-do list shows; whether a duplicate may be named by its number).
pub fn par_lien(conn: &Connection, agent: &Agent, dossier: i64, action: Action) -> Result<bool> {
    Ok(matches!(
        decision(conn, agent, dossier, action, false)?,
        Ok(Autorisation::Lien)
    ))
}

//! The shared follow-up: kinds of journal entries, statuses of objectives and actions.

use chrono::NaiveDate;
use serde::Serialize;

crate::codes! {
    /// Kind of a journal entry.
    pub enum TypeNote {
        /// Entretien avec la personne
        Entretien = "entretien",
        /// Échange téléphonique avec la personne
        Telephone = "telephone" / "téléphone",
        /// Visite à domicile
        Visite = "visite",
        /// Atelier collectif suivi par la personne
        Atelier = "atelier",
        /// Courriel
        Courriel = "courriel",
        /// Courrier
        Courrier = "courrier",
        /// Rendez-vous manqué
        Absence = "absence",
        /// Note interne
        Note = "note",
    }
}

/// The last contact with the person, one definition for everything that uses it: the
/// retention rule (`base purger`), the indicator `taux_contact_90j`, the to-do
/// `sans-contact`, `parcours liste --sans-contact`, the caseload and the dossier. A contact
/// is a journal entry of a contact type ([`TypeNote::est_un_contact`]) that was not
/// withdrawn, or an appointment the person attended. An action of the plan is not one: it
/// can be created, or marked done, without seeing the person.
pub mod contact {
    use super::TypeNote;
    use crate::domain::rdv::StatutRdv;

    /// Whether a journal entry is a contact.
    pub fn note(type_: TypeNote, retiree: bool) -> bool {
        type_.est_un_contact() && !retiree
    }

    /// The outcomes of an appointment that are a contact: the person came.
    pub const STATUTS_RDV: &[StatutRdv] = &[StatutRdv::Honore];

    /// Whether an appointment with this outcome is a contact.
    pub fn rdv(statut: StatutRdv) -> bool {
        STATUTS_RDV.contains(&statut)
    }
}

impl TypeNote {
    /// Entretien, téléphone, visite and atelier are contacts with the person (unless
    /// withdrawn, see [`contact`]).
    pub fn est_un_contact(self) -> bool {
        matches!(
            self,
            TypeNote::Entretien | TypeNote::Telephone | TypeNote::Visite | TypeNote::Atelier
        )
    }

    /// The codes of the contact types, for SQL.
    pub fn codes_contact() -> Vec<&'static str> {
        TypeNote::TOUS
            .iter()
            .filter(|t| t.est_un_contact())
            .map(|t| t.code())
            .collect()
    }
}

crate::codes! {
    /// Status of an objective of the plan.
    pub enum StatutObjectif {
        /// En cours
        EnCours = "en-cours" / "en cours",
        /// Atteint
        Realise = "realise" / "atteint",
        /// Abandonné
        Abandonne = "abandonne" / "abandonné",
    }
}

crate::codes! {
    /// Status of an action of the plan.
    pub enum StatutAction {
        /// Proposée à la personne
        Proposee = "proposee" / "proposée",
        /// En cours
        EnCours = "en-cours" / "en cours",
        /// Réalisée
        Realisee = "realisee" / "réalisée",
        /// Abandonnée
        Abandonnee = "abandonnee" / "abandonnée",
        /// Refusée par la personne
        Refusee = "refusee" / "refusée",
    }
}

impl StatutAction {
    /// An action still to be done: its due date can pass.
    pub fn est_ouverte(self) -> bool {
        matches!(self, StatutAction::Proposee | StatutAction::EnCours)
    }
}

/// A thematique of an objective or an action: a data·inclusion v1 code, or a category.
pub fn thematique(code: &str) -> Result<String, String> {
    use crate::referentiel::thematiques;
    let code = code.trim();
    if thematiques::par_code(code).is_some() || thematiques::toutes().iter().any(|t| t.categorie() == code) {
        return Ok(code.to_owned());
    }
    // Its label (« Préparer un permis »), as a partner's file or a caseworker writes it.
    if let Some(trouve) = crate::referentiel::listes::thematiques().code(code) {
        return Ok(trouve.to_owned());
    }
    Err(format!(
        "{} ; {}",
        super::texte::inconnue("thématique", code),
        thematiques_proches(code)
    ))
}

/// « vouliez-vous dire « code » (libellé), autre, autre ? (liste des codes et libellés :
/// `spie offre thematiques [MOT]`) »: the thematiques and categories closest to `saisie`.
pub fn thematiques_proches(saisie: &str) -> String {
    use crate::referentiel::thematiques;
    let mut categories: Vec<&str> = thematiques::toutes().iter().map(|t| t.categorie()).collect();
    categories.dedup();
    let mut valides: Vec<&str> = thematiques::toutes().iter().map(|t| t.code.as_str()).collect();
    valides.extend(&categories);
    let montre = super::texte::apercu(saisie, super::texte::APERCU);
    let proches: Vec<String> = thematiques::proches(&montre, &valides)
        .iter()
        .enumerate()
        .map(|(i, code)| match i {
            0 => format!("« {code} » ({})", thematiques::libelle(code)),
            _ => (*code).to_owned(),
        })
        .collect();
    format!(
        "vouliez-vous dire {} ? (liste des codes et libellés : `spie offre thematiques [MOT]`)",
        proches.join(", ")
    )
}

/// A membership of a parcours' team, with its reason when recorded without consent.
#[derive(Debug, Clone, Serialize)]
pub struct Membre {
    pub agent: String,
    pub nom: String,
    pub structure: String,
    #[serde(skip)]
    pub structure_id: i64,
    pub debut: NaiveDate,
    pub fin: Option<NaiveDate>,
    pub motif_sans_consentement: Option<String>,
}

/// The person's decision on sharing the dossier with partners, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Consentement {
    pub date: NaiveDate,
    pub partage: bool,
    pub agent: String,
}

/// An objective of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Objectif {
    pub id: i64,
    #[serde(skip)]
    pub parcours_id: i64,
    pub thematique: String,
    pub libelle: Option<String>,
    pub statut: StatutObjectif,
    pub statut_le: NaiveDate,
    pub cree_le: NaiveDate,
}

/// An action of the plan, with the history of its status.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    pub id: i64,
    #[serde(skip)]
    pub parcours_id: i64,
    pub objectif: Option<i64>,
    pub libelle: String,
    pub thematique: Option<String>,
    pub structure: Option<String>,
    /// The offer of the catalogue it uses.
    pub offre: Option<i64>,
    pub echeance: Option<NaiveDate>,
    pub statut: StatutAction,
    pub cree_le: NaiveDate,
    /// Every status with its date, the first one included.
    pub historique: Vec<ChangementStatut>,
}

/// A status an action took, when, and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct ChangementStatut {
    pub date: NaiveDate,
    pub statut: StatutAction,
    pub agent: String,
}

/// An entry of the parcours' journal.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub id: i64,
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub type_: TypeNote,
    pub texte: String,
    /// Who wrote it: the agent's identifier here; for a note received from a partner
    /// structure, its author as the file named them (« Prénom Nom (structure) »).
    pub agent: String,
    /// The author's name, and structure when it is not the reader's (for a received
    /// note, as the file named them).
    pub agent_nom: String,
    /// Received from this partner structure (its name here), not written in this base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recue_de: Option<String>,
    /// The agent of this base who received it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recue_par: Option<String>,
    /// Withdrawn: the text is gone from the journal, kept in the corrections.
    pub retiree: bool,
    /// Corrected at least once: its previous texts are in the corrections.
    pub corrigee: bool,
}

/// A previous text of a note or of an action label, as it was before a correction or a
/// withdrawal, with who changed it, when and why.
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub date: NaiveDate,
    /// `note N` or `action N`.
    pub element: String,
    pub ancien: String,
    pub retrait: bool,
    pub motif: Option<String>,
    pub agent: String,
}

/// What falls due: an open action of the plan (its number) or the end of the parcours'
/// contract. Written in words in lists and JSON: « action n° 12 », « fin du contrat CER ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjetEcheance {
    Action(i64),
    FinContrat(crate::domain::rdv::TypeContrat),
}

impl ObjetEcheance {
    pub fn libelle(self) -> String {
        match self {
            ObjetEcheance::Action(id) => format!("action n° {id}"),
            ObjetEcheance::FinContrat(t) => format!("fin du contrat {}", t.code().to_uppercase()),
        }
    }
}

impl Serialize for ObjetEcheance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.libelle())
    }
}

/// The next due date of a parcours: the soonest of its open actions' due date and its
/// contract's end (the action first on the same day), with what it is.
pub fn prochaine_echeance(
    action: Option<(NaiveDate, i64)>,
    contrat: Option<(NaiveDate, crate::domain::rdv::TypeContrat)>,
) -> Option<(NaiveDate, ObjetEcheance)> {
    let action = action.map(|(d, id)| (d, ObjetEcheance::Action(id)));
    let contrat = contrat.map(|(d, t)| (d, ObjetEcheance::FinContrat(t)));
    match (action, contrat) {
        (Some(a), Some(c)) => Some(if c.0 < a.0 { c } else { a }),
        (a, c) => a.or(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_due_date_is_the_soonest_of_action_and_contract_end() {
        use crate::domain::rdv::TypeContrat;
        let d = |j| NaiveDate::from_ymd_opt(2026, 12, j).unwrap();
        assert_eq!(prochaine_echeance(None, None), None);
        assert_eq!(
            prochaine_echeance(Some((d(10), 4)), Some((d(5), TypeContrat::Cer))),
            Some((d(5), ObjetEcheance::FinContrat(TypeContrat::Cer)))
        );
        assert_eq!(
            prochaine_echeance(Some((d(5), 4)), Some((d(10), TypeContrat::Cer))),
            Some((d(5), ObjetEcheance::Action(4)))
        );
        assert_eq!(
            prochaine_echeance(Some((d(5), 4)), Some((d(5), TypeContrat::Cej))),
            Some((d(5), ObjetEcheance::Action(4)))
        );
        assert_eq!(
            prochaine_echeance(None, Some((d(5), TypeContrat::Pacea))).map(|(_, o)| o.libelle()),
            Some("fin du contrat PACEA".to_owned())
        );
        assert_eq!(ObjetEcheance::Action(12).libelle(), "action n° 12");
    }

    #[test]
    fn a_withdrawn_note_and_a_missed_appointment_are_not_contacts() {
        use crate::domain::rdv::StatutRdv;
        assert!(contact::note(TypeNote::Entretien, false));
        assert!(!contact::note(TypeNote::Entretien, true));
        assert!(!contact::note(TypeNote::Courriel, false));
        assert!(contact::rdv(StatutRdv::Honore));
        for statut in [
            StatutRdv::Prevu,
            StatutRdv::Absent,
            StatutRdv::Excuse,
            StatutRdv::Annule,
        ] {
            assert!(!contact::rdv(statut), "{statut:?}");
        }
    }

    #[test]
    fn contacts_are_the_four_face_to_face_or_voice_types() {
        assert_eq!(
            TypeNote::codes_contact(),
            ["entretien", "telephone", "visite", "atelier"]
        );
        assert!(!TypeNote::Absence.est_un_contact());
        assert!(StatutAction::EnCours.est_ouverte() && !StatutAction::Refusee.est_ouverte());
    }

    #[test]
    fn thematiques_and_categories_are_accepted_typos_get_suggestions() {
        assert_eq!(
            thematique("mobilite--preparer-un-permis").as_deref(),
            Ok("mobilite--preparer-un-permis")
        );
        assert_eq!(thematique("mobilite").as_deref(), Ok("mobilite"));
        let e = thematique("mobilite--passer-le-permis").unwrap_err();
        assert!(e.contains("vouliez-vous dire") && e.contains("mobilite--"), "{e}");
    }
}

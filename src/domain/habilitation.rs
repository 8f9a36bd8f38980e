//! Who may see and change a dossier: the rule, from the agent's role and what the agent
//! is to the dossier. Applied in one place, by the session every command goes through.

use super::agent::Role;

/// What the agent at work is to a dossier (its last parcours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relation {
    /// The parcours is held by the agent's structure.
    pub structure_porteuse: bool,
    /// The agent is its référent now.
    pub referent: bool,
    /// The agent is an active member of its team.
    pub membre: bool,
    /// The person's last recorded decision on sharing with partners: `None` never asked,
    /// `Some(false)` refused or withdrawn.
    pub consentement: Option<bool>,
}

impl Relation {
    /// The agent works on the dossier: of the holding structure, or its référent or team
    /// member while the person has not refused sharing.
    pub fn lien(&self) -> bool {
        self.structure_porteuse || ((self.referent || self.membre) && self.consentement != Some(false))
    }

    /// The agent answers for the dossier: of the holding structure, or its référent.
    fn responsable(&self) -> bool {
        self.structure_porteuse || (self.referent && self.consentement != Some(false))
    }
}

/// What a command does to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See identity, contacts and référent.
    Identite,
    /// Read the whole dossier: diagnostics, plan, journal.
    Lire,
    /// Write in it: diagnostic, plan, journal, orientation, team.
    Ecrire,
    /// Record consent, rectify identity.
    Gerer,
    /// Close or reopen the parcours, change its référent.
    Clore,
    /// Erase the dossier.
    Effacer,
    /// Plan its appointments, see them, record their outcome (the reception's work).
    RendezVous,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refus {
    /// The role never does it (`accueil` reading a diagnostic).
    Role,
    /// The agent has no link with the dossier.
    SansLien,
    /// A team member, for what only the référent or the holding structure does.
    Membre,
    /// A partner, after the person refused or withdrew sharing.
    ConsentementRetire,
}

/// How an action is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Autorisation {
    /// By the agent's link with the dossier.
    Lien,
    /// Break-glass: a read without a link, with a written reason, logged as such and shown
    /// to the référent.
    BrisDeGlace,
}

/// Whether the role ever does the action, whatever the dossier.
pub fn role_permet(role: Role, action: Action) -> bool {
    match role {
        Role::Accueil => matches!(action, Action::Identite | Action::Gerer | Action::RendezVous),
        Role::Referent | Role::Admin => true,
    }
}

/// The rule. `motif`: the agent gave a written reason to read a dossier it has no link
/// with (break-glass: reads only, and not when the person refused sharing).
pub fn decider(role: Role, r: &Relation, action: Action, motif: bool) -> Result<Autorisation, Refus> {
    if !role_permet(role, action) {
        return Err(Refus::Role);
    }
    let permis = match action {
        Action::Identite | Action::Lire | Action::Ecrire | Action::RendezVous => r.lien(),
        Action::Gerer | Action::Clore | Action::Effacer => r.responsable(),
    };
    if permis {
        return Ok(Autorisation::Lien);
    }
    // Break-glass reads a dossier without a link, never against the person's refusal.
    if motif && matches!(action, Action::Identite | Action::Lire) && r.consentement != Some(false) {
        return Ok(Autorisation::BrisDeGlace);
    }
    if !r.structure_porteuse && (r.referent || r.membre) && r.consentement == Some(false) {
        Err(Refus::ConsentementRetire)
    } else if r.lien() {
        Err(Refus::Membre)
    } else {
        Err(Refus::SansLien)
    }
}

impl Refus {
    /// The refusal, for a message naming the dossier and the agent.
    pub fn message(self, role: Role, action: Action, dossier: i64) -> String {
        match self {
            Refus::Role => format!("{} (dossier {dossier})", hors_du_role(role, action)),
            Refus::SansLien => format!(
                "vous ne suivez pas le dossier {dossier} : ni votre structure ne porte son parcours, ni vous n'êtes \
                 son référent ou membre de son équipe"
            ),
            Refus::Membre => format!(
                "vous êtes membre de l'équipe du dossier {dossier}, mais seuls son référent et la structure qui porte \
                 son parcours peuvent {}",
                action.verbe()
            ),
            Refus::ConsentementRetire => format!(
                "la personne du dossier {dossier} a refusé ou retiré le partage de son dossier avec les partenaires : \
                 votre accès a pris fin"
            ),
        }
    }

    pub fn aide(self, action: Action) -> &'static str {
        match (self, action) {
            (Refus::Role, _) => "un agent de rôle referent ou admin de la structure du dossier peut le faire",
            (_, Action::Identite | Action::Lire) => {
                "demandez au référent de vous ajouter à l'équipe (avec le consentement de la personne) ; en cas \
                 d'urgence, --motif \"…\" ouvre le dossier en lecture une fois, et le référent en est averti"
            }
            _ => "demandez au référent du dossier ou à un agent de la structure qui porte le parcours",
        }
    }
}

/// The refusal of an action the role never does, whatever the dossier.
pub fn hors_du_role(role: Role, action: Action) -> String {
    format!("le rôle « {} » ne permet pas {}", role.code(), action.verbe())
}

impl Action {
    fn verbe(self) -> &'static str {
        match self {
            Action::Identite => "de voir l'identité d'une personne",
            Action::Lire => "de lire un dossier (diagnostics, plan, journal)",
            Action::Ecrire => "d'écrire dans un dossier",
            Action::Gerer => "d'enregistrer le consentement ou rectifier l'identité",
            Action::Clore => "de clore ou rouvrir un parcours, ou changer de référent",
            Action::Effacer => "d'effacer un dossier",
            Action::RendezVous => "de planifier ou voir les rendez-vous d'un dossier",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANS: Relation = Relation {
        structure_porteuse: false,
        referent: false,
        membre: false,
        consentement: None,
    };

    fn rel(porteuse: bool, referent: bool, membre: bool, consentement: Option<bool>) -> Relation {
        Relation {
            structure_porteuse: porteuse,
            referent,
            membre,
            consentement,
        }
    }

    /// The relations the table of docs/protection-des-donnees.md names.
    fn relations_du_texte(texte: &str) -> Vec<Relation> {
        match texte {
            "agent de la structure qui porte le parcours" => {
                vec![rel(true, false, false, None), rel(true, false, false, Some(false))]
            }
            "référent, d'une autre structure, consentement non refusé" => {
                vec![rel(false, true, false, Some(true)), rel(false, true, false, None)]
            }
            "membre de l'équipe, d'une autre structure, consentement non refusé"
            | "membre de l'équipe, consentement non refusé" => {
                vec![rel(false, false, true, Some(true)), rel(false, false, true, None)]
            }
            "référent ou membre d'une autre structure, consentement refusé ou retiré" => {
                vec![
                    rel(false, true, false, Some(false)),
                    rel(false, false, true, Some(false)),
                ]
            }
            "aucun lien" => vec![SANS],
            autre => panic!("relation inconnue dans la matrice : {autre}"),
        }
    }

    /// The matrix the data protection note publishes is the rule, cell by cell: the note
    /// is read here, so that the two cannot drift apart.
    #[test]
    fn the_published_matrix_is_the_rule() {
        let note = include_str!("../../docs/protection-des-donnees.md");
        let actions = [
            Action::Identite,
            Action::Lire,
            Action::Ecrire,
            Action::Gerer,
            Action::Clore,
            Action::Effacer,
            Action::RendezVous,
        ];
        let mut lignes = 0;
        for ligne in note.lines().filter(|l| l.starts_with("| `")) {
            let cellules: Vec<&str> = ligne.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cellules.len(), 9, "{ligne}");
            let roles: Vec<Role> = cellules[0]
                .split(", ")
                .map(|r| Role::depuis_code(r.trim_matches('`')).expect("rôle"))
                .collect();
            for role in roles {
                for r in relations_du_texte(cellules[1]) {
                    for (action, cellule) in actions.iter().zip(&cellules[2..]) {
                        let (sans, avec) = match *cellule {
                            "oui" => (true, true),
                            "non (sauf bris de glace)" => (false, true),
                            "non" => (false, false),
                            autre => panic!("cellule inconnue : {autre}"),
                        };
                        assert_eq!(
                            decider(role, &r, *action, false).is_ok(),
                            sans,
                            "{role:?} {r:?} {action:?}"
                        );
                        assert_eq!(
                            decider(role, &r, *action, true).is_ok(),
                            avec,
                            "{role:?} {r:?} {action:?} --motif"
                        );
                    }
                }
            }
            lignes += 1;
        }
        assert_eq!(lignes, 8, "the whole matrix is read");
    }

    #[test]
    fn break_glass_opens_reads_only_and_never_overrides_the_role() {
        assert_eq!(
            decider(Role::Referent, &SANS, Action::Lire, true),
            Ok(Autorisation::BrisDeGlace)
        );
        assert_eq!(
            decider(Role::Referent, &SANS, Action::Ecrire, true),
            Err(Refus::SansLien)
        );
        assert_eq!(decider(Role::Accueil, &SANS, Action::Lire, true), Err(Refus::Role));
        assert_eq!(
            decider(Role::Accueil, &SANS, Action::Identite, true),
            Ok(Autorisation::BrisDeGlace)
        );
        // With a link, a reason changes nothing: the read is an ordinary one.
        let porteuse = rel(true, false, false, None);
        assert_eq!(
            decider(Role::Referent, &porteuse, Action::Lire, true),
            Ok(Autorisation::Lien)
        );
    }

    #[test]
    fn a_withdrawn_consent_is_named_as_the_reason() {
        let membre_refus = rel(false, false, true, Some(false));
        assert_eq!(
            decider(Role::Referent, &membre_refus, Action::Lire, false),
            Err(Refus::ConsentementRetire)
        );
        let membre = rel(false, false, true, Some(true));
        assert_eq!(
            decider(Role::Referent, &membre, Action::Clore, false),
            Err(Refus::Membre)
        );
        let m = Refus::ConsentementRetire.message(Role::Referent, Action::Lire, 12);
        assert!(m.contains("dossier 12") && m.contains("retiré"), "{m}");
    }
}

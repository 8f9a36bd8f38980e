//! Agents: who may do what.

use serde::Serialize;

crate::codes! {
    /// What an agent may do.
    pub enum Role {
        /// Accompagne des personnes ; peut être référent
        Referent = "referent" / "référent",
        /// Accueille et ouvre les dossiers ; ne peut pas être référent
        Accueil = "accueil",
        /// Administre la base : agents, structures, imports
        Admin = "admin",
    }
}

impl Role {
    /// Whether an agent of this role can be the référent of a parcours.
    pub fn peut_etre_referent(self) -> bool {
        self != Role::Accueil
    }
}

/// An agent's identifier: 2 to 40 characters among lower-case ASCII letters, digits,
/// `.`, `_` and `-` (it is typed often and appears in the audit trail).
pub fn identifiant(valeur: &str) -> Result<String, String> {
    let v = valeur.trim();
    let valide = (2..=40).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if valide {
        Ok(v.to_owned())
    } else {
        let montre = super::texte::apercu(v, 40);
        Err(format!(
            "identifiant d'agent « {montre} » invalide : 2 à 40 caractères parmi a-z, 0-9, « . », « _ » et « - »"
        ))
    }
}

/// A registered agent, of a structure, with a role.
#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    #[serde(skip)]
    pub id: i64,
    pub identifiant: String,
    pub nom: String,
    #[serde(skip)]
    pub structure_id: i64,
    pub structure: String,
    pub role: Role,
}

impl Agent {
    /// How the agent is named to a reader of the structure `lecteur`: by name, followed by
    /// their structure's when it is another (`Léa Roux (Mission locale)`); never by
    /// identifier, which only scripts read. The SQL queries follow the same rule
    /// (`db::agent::nom_vu`).
    pub fn nom_vu(&self, lecteur: i64) -> String {
        if self.structure_id == lecteur {
            self.nom.clone()
        } else {
            format!("{} ({})", self.nom, self.structure)
        }
    }
}

/// Whether the administrator `admin` manages (adds, gives a new passphrase to, removes)
/// the agents of the structure `structure_id`, which has `administrateurs` active
/// administrators: those of their own structure, and those of a structure without any
/// yet (a new partner's first agents). Through an agent of another structure, or one
/// whose passphrase they chose, an administrator would read that structure's dossiers.
pub fn gere(admin: &Agent, structure_id: i64, administrateurs: i64) -> bool {
    admin.role == Role::Admin && (admin.structure_id == structure_id || administrateurs == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_administrator_manages_the_agents_of_their_structure_or_of_one_without_administrator() {
        let admin = |role, structure_id| Agent {
            id: 1,
            identifiant: "a".into(),
            nom: "A".into(),
            structure_id,
            structure: "S".into(),
            role,
        };
        assert!(gere(&admin(Role::Admin, 1), 1, 1));
        assert!(gere(&admin(Role::Admin, 1), 1, 3));
        assert!(!gere(&admin(Role::Admin, 1), 2, 1));
        assert!(gere(&admin(Role::Admin, 1), 2, 0));
        // Named by name, with their structure for a reader of another one.
        assert_eq!(admin(Role::Admin, 1).nom_vu(1), "A");
        assert_eq!(admin(Role::Admin, 1).nom_vu(2), "A (S)");
        assert!(!gere(&admin(Role::Referent, 1), 1, 1));
        assert!(!gere(&admin(Role::Referent, 1), 2, 0));
    }

    #[test]
    fn only_accueil_cannot_be_referent() {
        assert!(!Role::Accueil.peut_etre_referent());
        assert!(Role::Referent.peut_etre_referent() && Role::Admin.peut_etre_referent());
    }

    #[test]
    fn identifiers_are_short_lower_ascii() {
        assert_eq!(identifiant(" m.dupont ").as_deref(), Ok("m.dupont"));
        for mauvais in ["M.Dupont", "x", "marie dupont", "é", &"a".repeat(41)] {
            assert!(identifiant(mauvais).is_err(), "{mauvais}");
        }
    }
}

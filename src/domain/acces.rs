//! The audit trail's records: who read or wrote which dossier, when, with which command.

use serde::Serialize;

/// An entry of the trail, as `base journal` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entree {
    pub id: i64,
    pub horodatage: String,
    pub agent: String,
    pub commande: String,
    pub dossier: Option<i64>,
    #[serde(skip)]
    pub empreinte: String,
}

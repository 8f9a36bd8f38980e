//! The use cases, one function per command: typed input, typed result, no printing. Each
//! runs inside a [`Session`], which opens the base, identifies the agent, checks the
//! habilitation for the dossier, writes the audit entry and commits: no use case can skip
//! the check or the audit.

pub mod agent;
pub mod base;
pub mod connexion;
pub mod demo;
pub mod diagnostic;
pub mod dossier;
pub mod echange;
pub mod jeton;
pub mod offre;
pub mod parcours;
pub mod rdv;
pub mod session;
pub mod stats;
pub mod structure;

pub use session::{Element, Exigence, Lancement, Session};

//! `diagnostic voir`: every diagnostic of a dossier.

use anyhow::Result;

use crate::db;
use crate::domain::diagnostic::Diagnostic;
use crate::domain::habilitation::Action;
use crate::ops::Session;

/// Every diagnostic of `dossier`, oldest first; `motif`: a break-glass reason (see
/// [`crate::domain::habilitation`]).
pub fn diagnostics(session: &mut Session, dossier: i64, motif: Option<&str>) -> Result<Vec<Diagnostic>> {
    session.dossier(dossier, Action::Lire, motif, |d| {
        db::diagnostic::du_dossier(d.tx, dossier)
    })
}

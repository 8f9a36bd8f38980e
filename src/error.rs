//! Errors the user is meant to read: a French message, an optional hint, an exit code.
//!
//! Internal failures (SQLite, I/O) travel as `anyhow::Error` with French context; the
//! messages here never contain personal data (names, birth dates, contacts): they name
//! dossiers by number and echo only what the user typed in a flag that is not personal.

use std::fmt;

/// Exit code of a run that went through (DESIGN.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    /// 0: done.
    Succes,
    /// 3: done, with findings (rejected rows, a check that found problems).
    Constats,
}

/// A failure explained to the user.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub aide: Option<String>,
    /// 1 for an error, 2 for a usage error.
    pub code: u8,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            aide: None,
            code: 1,
        }
    }

    /// A usage error (exit code 2): a flag that does not make sense as given.
    pub fn usage(message: impl Into<String>) -> Self {
        UserError {
            code: 2,
            ..UserError::new(message)
        }
    }

    pub fn aide(mut self, aide: impl Into<String>) -> Self {
        self.aide = Some(aide.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Shorthand: `return Err(erreur("…").into())` reads worse than `bail!(erreur("…"))`.
pub fn erreur(message: impl Into<String>) -> UserError {
    UserError::new(message)
}

//! spie: the Service public de l'insertion et de l'emploi on one SQLite file.
//! `docs/guide.md` describes what it does; `main.rs` only parses, runs and maps the exit code.

// Every line for the person goes through `output::message`, every datum through
// `output::donnees`: neither a closed stderr nor a gone reader may fail a command.
#![cfg_attr(not(test), deny(clippy::print_stderr, clippy::print_stdout))]

pub mod cli;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod import;
pub mod ops;
pub mod output;
pub mod referentiel;

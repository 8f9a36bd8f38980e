//! spie: the Service public de l'insertion et de l'emploi on one SQLite file.
//! See DESIGN.md for the contract; `main.rs` only parses, runs and maps the exit code.

pub mod cli;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod import;
pub mod output;
pub mod referentiel;

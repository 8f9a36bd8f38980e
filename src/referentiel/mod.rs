//! Reference data compiled into the binary (public files; where each comes from is in
//! `SOURCES.md` beside this file). Parsed lazily: a command that never names a commune
//! never pays for it.

pub mod communes;
pub mod listes;
pub mod thematiques;
pub mod typologies;

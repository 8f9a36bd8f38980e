//! The use cases of `spie parcours …`.

mod note;
pub mod voir;

pub use note::{Note, NoteAjoutee, noter};
pub use voir::voir;

//! What went wrong with the base or its files, as facts. `crate::error` says them in
//! French, with what to do: `db` never words a message.

use std::path::PathBuf;

/// A failure the person can act on.
#[derive(Debug)]
pub enum Fait {
    /// No file at the base's path.
    BaseIntrouvable(PathBuf),
    /// Something that is not a file (a folder) at the base's path.
    BasePasUnFichier(PathBuf),
    /// The key given does not open the encrypted base.
    CleRefusee,
    /// A file that starts as SQLite does but ends within the header.
    BaseTronquee(PathBuf),
    /// Not a spie base; `cles` is the key file expected beside it when the file looks
    /// encrypted.
    PasUneBaseSpie { chemin: PathBuf, cles: Option<PathBuf> },
    /// A file already at a path spie never overwrites.
    FichierExistant(PathBuf),
    /// Not an archive written by `base sauvegarder` on an encrypted base.
    PasUneSauvegarde(PathBuf),
    /// A path SQLite cannot be given (not UTF-8).
    CheminIllisible(PathBuf),
    /// The base's key file is missing (`true`) or unreadable (`false`).
    ClesAbsentes { fichier: PathBuf, introuvable: bool },
    /// The base's key file, or one of its slots (`None`), is damaged.
    ClesAbimees(Option<PathBuf>),
    /// The base's key file may be read by other accounts (its permission bits).
    ClesExposees { fichier: PathBuf, droits: u32 },
    /// The system's random generator failed.
    Hasard,
    /// The base has no structure keys (for exchanges and signed packs).
    SansClesDeStructure,
}

impl std::error::Error for Fait {}

/// What spie was doing when the system failed: said before the system's own reason
/// ("écriture de copie.sqlite : dossier introuvable").
#[derive(Debug)]
pub enum Etape {
    Ouverture(PathBuf),
    Lecture(PathBuf),
    Ecriture(PathBuf),
    /// Creating a file in this folder.
    Creation(PathBuf),
    EcritureArchive,
    CopieBase,
    ChiffrementCle,
}

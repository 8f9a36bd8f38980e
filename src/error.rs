//! Errors the user is meant to read: a French message, an optional hint, an exit code.
//!
//! Internal failures (SQLite, I/O) travel as `anyhow::Error` with French context; the
//! messages here never contain personal data (names, birth dates, contacts): they name
//! dossiers by number and echo only what the user typed in a flag that is not personal.

use std::fmt;

use crate::db::{Etape, Fait};

/// Exit code of a run that went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    /// 0: done.
    Succes,
    /// 3: done, with findings (rejected rows, a check that found problems).
    Constats,
}

/// A failure explained to the user.
#[derive(Debug, Clone)]
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

/// Any failure as the person reads it: a [`UserError`] as it is; otherwise the first
/// cause of the chain that SQLite or the system raised, said in French after spie's own
/// contexts ("écriture de copie.sqlite : dossier introuvable"), with what to do. Only
/// an unforeseen failure keeps its technical text, for whoever fixes it.
pub fn en_francais(e: &anyhow::Error) -> UserError {
    if let Some(u) = e.downcast_ref::<UserError>() {
        return u.clone();
    }
    if let Some(fait) = e.downcast_ref::<Fait>() {
        return UserError::new(fait.to_string()).aide(aide(fait));
    }
    let chaine: Vec<&(dyn std::error::Error + 'static)> = e.chain().collect();
    match chaine
        .iter()
        .enumerate()
        .find_map(|(i, c)| expliquer(*c).map(|x| (i, x)))
    {
        Some((i, (explication, aide))) => {
            // spie's own contexts; a library's wrapper repeats its cause in English.
            let mut parties: Vec<String> = chaine[..i]
                .iter()
                .filter(|c| !c.is::<rusqlite_migration::Error>())
                .map(|c| c.to_string())
                .collect();
            parties.push(explication.to_owned());
            UserError::new(parties.join(" : ")).aide(aide)
        }
        None => {
            let detail: Vec<String> = chaine.iter().map(|c| c.to_string()).collect();
            UserError::new(format!("erreur inattendue ({})", detail.join(" : ")))
                .aide("relancez la commande ; si l'erreur revient, transmettez ce message à l'administrateur de spie")
        }
    }
}

const VERIFIEZ_LE_CHEMIN: &str = "vérifiez le chemin donné à --base ou SPIE_BASE";
const RESTAUREZ_LES_CLES: &str =
    "restaurez la base et son fichier des clés depuis une sauvegarde (`spie base restaurer`)";

impl fmt::Display for Fait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fait::BaseIntrouvable(chemin) => write!(f, "base introuvable : {}", chemin.display()),
            Fait::BasePasUnFichier(chemin) => write!(f, "base n'est pas un fichier : {}", chemin.display()),
            Fait::CleRefusee => f.write_str(
                "cette clé n'ouvre pas la base : elle a été rechiffrée depuis (un agent retiré), ou remplacée",
            ),
            Fait::BaseTronquee(chemin) => {
                write!(f, "{} est tronqué : il manque la fin de son en-tête", chemin.display())
            }
            Fait::PasUneBaseSpie { chemin, .. } => write!(f, "{} n'est pas une base spie", chemin.display()),
            Fait::FichierExistant(chemin) => write!(f, "le fichier {} existe déjà", chemin.display()),
            Fait::PasUneSauvegarde(chemin) => {
                write!(f, "{} n'est pas une sauvegarde de base chiffrée", chemin.display())
            }
            Fait::CheminIllisible(chemin) => write!(f, "chemin illisible : {}", chemin.display()),
            Fait::ClesAbsentes { fichier, introuvable } => {
                let quoi = if *introuvable { "introuvable" } else { "illisible" };
                write!(f, "fichier des clés de la base {quoi} : {}", fichier.display())
            }
            Fait::ClesAbimees(Some(fichier)) => {
                write!(f, "fichier des clés de la base abîmé : {}", fichier.display())
            }
            Fait::ClesAbimees(None) => {
                f.write_str("fichier des clés de la base abîmé : un emplacement de clé est illisible")
            }
            Fait::ClesExposees { fichier, droits } => write!(
                f,
                "le fichier des clés de la base {} est lisible par d'autres comptes (droits {droits:o})",
                fichier.display()
            ),
            Fait::Hasard => f.write_str("le générateur aléatoire du système ne répond pas"),
            Fait::SansClesDeStructure => f.write_str("cette base n'a pas les clés de sa structure"),
        }
    }
}

/// What to do about a [`Fait`].
fn aide(fait: &Fait) -> String {
    match fait {
        Fait::BaseIntrouvable(_) | Fait::BasePasUnFichier(_) => {
            "lancez `spie base init` pour la créer, ou indiquez la base avec --base FICHIER ou SPIE_BASE".into()
        }
        Fait::CleRefusee => {
            "reconnectez-vous avec `spie connexion` ; si cela échoue, voyez votre administrateur".into()
        }
        Fait::BaseTronquee(_) => {
            format!("si c'est votre base, restaurez la dernière sauvegarde ; sinon {VERIFIEZ_LE_CHEMIN}")
        }
        Fait::PasUneBaseSpie { cles: Some(cles), .. } => format!(
            "{VERIFIEZ_LE_CHEMIN} ; si c'est une base chiffrée, son fichier des clés {} doit être à côté d'elle \
             (restaurez-les ensemble : `spie base restaurer`)",
            cles.display()
        ),
        Fait::PasUneBaseSpie { cles: None, .. } => VERIFIEZ_LE_CHEMIN.into(),
        Fait::FichierExistant(_) => "choisissez un autre nom : spie ne remplace jamais une base existante".into(),
        Fait::PasUneSauvegarde(_) => "donnez le fichier écrit par `spie base sauvegarder` sur une base chiffrée".into(),
        Fait::CheminIllisible(_) => "choisissez un chemin sans caractères spéciaux".into(),
        Fait::ClesAbsentes { .. } => {
            format!("il est créé avec la base et se garde à côté d'elle ; {RESTAUREZ_LES_CLES}")
        }
        Fait::ClesAbimees(_) => RESTAUREZ_LES_CLES.into(),
        Fait::ClesExposees { fichier, .. } => format!(
            "il garde les clés de chaque agent sous sa phrase de passe : réservez-le au compte qui travaille, \
             chmod 600 {}",
            fichier.display()
        ),
        Fait::Hasard => "relancez la commande ; si l'erreur revient, redémarrez le poste".into(),
        Fait::SansClesDeStructure => {
            "elles sont créées avec la base : si elle vient d'ailleurs que de `spie base init` ou d'une sauvegarde, \
             restaurez la dernière sauvegarde"
                .into()
        }
    }
}

impl fmt::Display for Etape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Etape::Ouverture(chemin) => write!(f, "ouverture de la base {}", chemin.display()),
            Etape::Lecture(chemin) => write!(f, "lecture de {}", chemin.display()),
            Etape::Ecriture(chemin) => write!(f, "écriture de {}", chemin.display()),
            Etape::Creation(dossier) => write!(f, "création d'un fichier dans {}", dossier.display()),
            Etape::EcritureArchive => f.write_str("écriture de l'archive"),
            Etape::CopieBase => f.write_str("copie de la base"),
            Etape::ChiffrementCle => f.write_str("chiffrement d'une clé"),
        }
    }
}

/// serde's words for a document whose values do not fit what spie expects (the same
/// whatever the format serde reads: JSON answers, TOML profiles), in French. `None` for a
/// message that is not serde's: a format's own syntax error, or spie's own message, already
/// in French. A value of the document is never echoed: it may hold personal data.
pub fn serde_en_francais(message: &str) -> Option<String> {
    let m = message.split(" at line ").next().unwrap_or(message);
    let (quoi, attendu) = m.split_once(", expected ").unwrap_or((m, ""));
    let champ = |prefixe: &str| quoi.strip_prefix(prefixe).map(str::to_owned);
    if let Some(c) = champ("unknown field ") {
        return Some(match attendu.strip_prefix("one of ") {
            Some(possibles) => format!("champ inconnu {c} ; champs possibles : {possibles}"),
            None => format!("champ inconnu {c}"),
        });
    }
    if let Some(c) = champ("missing field ") {
        return Some(format!("champ {c} manquant"));
    }
    if let Some(c) = champ("duplicate field ") {
        return Some(format!("champ {c} en double"));
    }
    if let Some(v) = champ("invalid type: ").or_else(|| champ("invalid value: ")) {
        return Some(match nature(attendu) {
            Some(attendu) => format!("attendu : {attendu} ; trouvé : {}", nature(&v).unwrap_or("autre chose")),
            None => format!("valeur inattendue ({})", nature(&v).unwrap_or("de ce type")),
        });
    }
    if quoi.starts_with("invalid length") {
        return Some("nombre d'éléments inattendu".into());
    }
    if quoi.starts_with("unknown variant") || quoi.starts_with("key must be") {
        return Some("valeur inconnue".into());
    }
    None
}

/// The kind of a value as serde names it ("string \"…\"", "a boolean", "struct X"), in
/// French.
fn nature(serde: &str) -> Option<&'static str> {
    let mot = serde
        .trim_start_matches("an ")
        .trim_start_matches("a ")
        .split([' ', '`', '"'])
        .next()
        .unwrap_or("");
    Some(match mot {
        "boolean" => "true ou false",
        "string" | "char" => "un texte",
        "integer" | "floating" | "number" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "f64" => {
            "un nombre"
        }
        "map" | "struct" | "table" => "un objet",
        "sequence" | "tuple" | "array" => "une liste",
        "null" | "unit" => "null",
        _ => return None,
    })
}

/// The SQLite error code of the first SQLite failure in the chain.
pub fn code_sqlite(e: &anyhow::Error) -> Option<rusqlite::ErrorCode> {
    e.chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>()?.sqlite_error_code())
}

/// What one link of a chain means, and what to do, when SQLite or the system raised it.
fn expliquer(e: &(dyn std::error::Error + 'static)) -> Option<(&'static str, &'static str)> {
    if e.is::<crate::db::PlusRecente>() {
        return Some((
            "cette base a été créée par une version plus récente de spie",
            "mettez spie à jour avant d'ouvrir cette base",
        ));
    }
    if let Some(code) = e
        .downcast_ref::<rusqlite::Error>()
        .and_then(rusqlite::Error::sqlite_error_code)
    {
        return sqlite(code);
    }
    e.downcast_ref::<std::io::Error>().map(|io| systeme(io.kind()))
}

const AIDE_DROITS: &str = "vérifiez les droits du fichier et de son dossier (spie y écrit aussi les fichiers -wal et -shm), \
     ou copiez la base dans un dossier où vous pouvez écrire";
const AIDE_RESTAURER: &str = "`spie base verifier` détaille les dégâts ; restaurez la dernière bonne sauvegarde \
     et n'en écrivez aucune par-dessus (une sauvegarde de cette base en copierait les dégâts)";
const AIDE_DISQUE_PLEIN: &str =
    "libérez de la place sur le disque, puis relancez la commande (une commande interrompue n'écrit rien à moitié)";

/// SQLite's failures that a person can meet and act upon.
pub fn sqlite(code: rusqlite::ErrorCode) -> Option<(&'static str, &'static str)> {
    use rusqlite::ErrorCode::*;
    Some(match code {
        DatabaseBusy | DatabaseLocked => (
            "la base est occupée par une autre commande depuis plus de 10 secondes",
            "réessayez dans un moment ; si cela dure, vérifiez qu'aucun programme (spie, sqlite3, une copie) \
             ne garde la base ouverte",
        ),
        DiskFull => ("le disque est plein", AIDE_DISQUE_PLEIN),
        ReadOnly => ("la base est en lecture seule : spie ne peut pas y écrire", AIDE_DROITS),
        PermissionDenied | AuthorizationForStatementDenied => ("accès refusé à la base", AIDE_DROITS),
        DatabaseCorrupt => ("la base est endommagée (fichier abîmé ou tronqué)", AIDE_RESTAURER),
        NotADatabase => (
            "ce fichier n'est pas une base SQLite, ou son en-tête est abîmé",
            "vérifiez le chemin donné à --base ou SPIE_BASE ; si c'est bien votre base, restaurez la dernière sauvegarde",
        ),
        CannotOpen => (
            "impossible d'ouvrir le fichier de la base",
            "vérifiez que le fichier et son dossier existent et que vous pouvez y lire et y écrire",
        ),
        SystemIoFailure => (
            "lecture ou écriture impossible sur le disque de la base",
            "vérifiez le disque (plein, retiré, partage réseau coupé), puis lancez `spie base verifier`",
        ),
        FileLockingProtocolFailed => (
            "le verrouillage du fichier de la base a échoué",
            "placez la base sur un disque local : les partages réseau verrouillent mal les fichiers",
        ),
        OutOfMemory => (
            "mémoire insuffisante",
            "fermez d'autres programmes, puis relancez la commande",
        ),
        _ => return None,
    })
}

/// The system's failures on files, in French.
pub fn systeme(kind: std::io::ErrorKind) -> (&'static str, &'static str) {
    use std::io::ErrorKind::*;
    match kind {
        NotFound => (
            "fichier ou dossier introuvable",
            "vérifiez le chemin : le dossier doit exister et le nom être exact",
        ),
        PermissionDenied => (
            "accès refusé",
            "vérifiez les droits sur le fichier et son dossier, ou choisissez un autre emplacement",
        ),
        StorageFull | QuotaExceeded => ("disque plein", AIDE_DISQUE_PLEIN),
        ReadOnlyFilesystem => (
            "disque en lecture seule",
            "choisissez un emplacement où vous pouvez écrire",
        ),
        AlreadyExists => ("le fichier existe déjà", "choisissez un autre nom"),
        IsADirectory => ("c'est un dossier, pas un fichier", "indiquez le chemin d'un fichier"),
        NotADirectory => ("un élément du chemin n'est pas un dossier", "vérifiez le chemin"),
        InvalidData => (
            "contenu illisible",
            "vérifiez que c'est le bon fichier, enregistré en texte UTF-8",
        ),
        UnexpectedEof => ("fichier tronqué", "vérifiez que le fichier a été copié en entier"),
        FileTooLarge => ("fichier trop grand", "vérifiez que c'est le bon fichier"),
        _ => (
            "erreur de lecture ou d'écriture",
            "vérifiez le disque et le chemin, puis relancez la commande",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::{Connection, OpenFlags};

    /// Every English fragment SQLite or the system may write.
    fn sans_anglais(u: &UserError) {
        let texte = format!("{} {}", u.message, u.aide.as_deref().unwrap_or_default());
        for etranger in [
            "database", "disk", "readonly", "locked", "os error", "No such", "Error code", ".spie-",
        ] {
            assert!(!texte.contains(etranger), "« {etranger} » : {texte}");
        }
        assert!(u.aide.is_some(), "{texte}");
    }

    fn base(dossier: &std::path::Path) -> (std::path::PathBuf, Connection) {
        let chemin = dossier.join("b.sqlite");
        let conn = Connection::open(&chemin).unwrap();
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        (chemin, conn)
    }

    #[test]
    fn a_locked_base_is_told_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let (chemin, verrou) = base(dir.path());
        verrou
            .execute_batch("BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)")
            .unwrap();
        let autre = Connection::open(&chemin).unwrap();
        autre.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = autre.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
        let u = en_francais(&anyhow::Error::from(e).context("écriture de la note"));
        assert!(
            u.message.starts_with("écriture de la note : la base est occupée"),
            "{}",
            u.message
        );
        sans_anglais(&u);
    }

    #[test]
    fn a_full_disk_is_told_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let (_, conn) = base(dir.path());
        // SQLite answers SQLITE_FULL once the base may not grow: a full disk as SQLite says it.
        let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0)).unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let e = conn.execute("INSERT INTO t VALUES (zeroblob(100000))", []).unwrap_err();
        let u = en_francais(&e.into());
        assert_eq!(u.message, "le disque est plein");
        sans_anglais(&u);
        let plein = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(en_francais(&plein.into()).message, "disque plein");
    }

    #[test]
    fn a_read_only_base_is_told_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let (chemin, _) = base(dir.path());
        let lecture = Connection::open_with_flags(&chemin, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let e = lecture.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        let u = en_francais(&e.into());
        assert!(u.message.contains("lecture seule"), "{}", u.message);
        sans_anglais(&u);
    }

    #[test]
    fn a_file_that_is_no_sqlite_base_is_told_in_french() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("texte.sqlite");
        std::fs::write(
            &chemin,
            "ceci n'est pas une base, mais un texte assez long pour un en-tête ".repeat(20),
        )
        .unwrap();
        let conn = Connection::open(&chemin).unwrap();
        let e = conn.execute_batch("SELECT * FROM sqlite_schema").unwrap_err();
        let u = en_francais(&e.into());
        assert!(u.message.contains("n'est pas une base SQLite"), "{}", u.message);
        sans_anglais(&u);
    }

    #[test]
    fn a_missing_folder_is_told_without_the_temporary_name() {
        let e = tempfile::Builder::new()
            .prefix(".spie-")
            .tempfile_in("/dossier/absent")
            .map_err(anyhow::Error::from)
            .map(|_| ())
            .unwrap_err()
            .context("écriture dans /dossier/absent");
        let u = en_francais(&e);
        assert_eq!(
            u.message,
            "écriture dans /dossier/absent : fichier ou dossier introuvable"
        );
        sans_anglais(&u);
    }

    #[test]
    fn an_unforeseen_failure_says_so_in_french_and_a_user_error_is_kept() {
        let u = en_francais(&anyhow::anyhow!("bogue"));
        assert!(u.message.starts_with("erreur inattendue"), "{}", u.message);
        assert_eq!(u.code, 1);
        let usage = anyhow::Error::from(UserError::usage("--x manque").aide("donnez --x")).context("contexte");
        let u = en_francais(&usage);
        assert_eq!(
            (u.message.as_str(), u.aide.as_deref(), u.code),
            ("--x manque", Some("donnez --x"), 2)
        );
    }
}

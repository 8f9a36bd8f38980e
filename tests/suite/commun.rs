//! A hermetic environment for the binary: empty environment, temporary folder, fixed
//! date (`SPIE_DATE`), a known agent, no terminal.

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

pub const AUJOURDHUI: &str = "2026-11-26";
/// The passphrase of the administrator of an encrypted test base.
pub const PHRASE_ADMIN: &str = "le phare de Verdun veille";

/// The binary under test. `SPIE_BINAIRE_ESSAI` names another one, e.g. a build of the
/// previous commit, to check that a new test fails without its fix.
pub fn binaire() -> PathBuf {
    std::env::var_os("SPIE_BINAIRE_ESSAI").map_or_else(|| assert_cmd::cargo::cargo_bin("spie"), PathBuf::from)
}

pub struct Env {
    pub dir: TempDir,
    pub agent: String,
    /// An encrypted base: the agent is the work session's (no `SPIE_AGENT`), the date the
    /// system's (no `SPIE_DATE`), sessions kept in the test's own runtime folder.
    pub chiffree: bool,
}

impl Env {
    /// A folder without a base.
    pub fn vide() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            agent: "admin".into(),
            chiffree: false,
        }
    }

    /// An encrypted base of Meuse whose administrator `admin` is connected (passphrase
    /// `PHRASE_ADMIN`); returns it with the recovery code `base init` showed once.
    pub fn chiffree() -> (Env, String) {
        let mut env = Env::vide();
        env.chiffree = true;
        env.secret("admin.phrase", PHRASE_ADMIN);
        let creee = env.json(&[
            "base", "init", "--agent", "admin", "--structure", "CCAS de Verdun", "--phrase-fichier", "admin.phrase",
        ]);
        env.connecter("admin", "admin.phrase", None);
        (env, creee["code_de_secours"].as_str().unwrap().to_owned())
    }

    /// Writes a secret file of the test folder, readable by its owner only.
    pub fn secret(&self, nom: &str, contenu: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let chemin = self.dir.path().join(nom);
        std::fs::write(&chemin, format!("{contenu}\n")).unwrap();
        std::fs::set_permissions(&chemin, std::fs::Permissions::from_mode(0o600)).unwrap();
        nom.to_owned()
    }

    /// `spie connexion` for `agent` with the passphrase in the file `phrase` (and the new
    /// one in `nouvelle`, on a first connexion).
    pub fn connecter(&self, agent: &str, phrase: &str, nouvelle: Option<&str>) {
        let mut args = vec!["connexion", "--agent", agent, "--phrase-fichier", phrase];
        if let Some(n) = nouvelle {
            args.extend(["--nouvelle-phrase-fichier", n]);
        }
        self.ok(&args);
    }

    /// The runtime folder of the test's work sessions.
    pub fn sessions(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    /// A base of Meuse whose administrator is `admin`, structure "CCAS de Verdun", with a
    /// référent `m.durand` and an accueil agent `accueil`.
    pub fn initialisee() -> Env {
        let env = Env::vide();
        env.ok(&["base", "init", "--essai", "--structure", "CCAS de Verdun"]);
        env.ok(&[
            "agent", "ajouter", "m.durand", "--nom", "Marc Durand", "--structure", "CCAS de Verdun",
        ]);
        env.ok(&[
            "agent", "ajouter", "accueil", "--nom", "Accueil", "--structure", "CCAS de Verdun", "--role", "accueil",
        ]);
        env
    }

    /// A test base of the structure `structure`, whose administrator is `admin`, with a
    /// référent `referent`.
    pub fn de_structure(structure: &str, referent: &str) -> Env {
        let env = Env::vide();
        env.ok(&["base", "init", "--essai", "--structure", structure]);
        env.ok(&[
            "agent", "ajouter", referent, "--nom", referent, "--structure", structure,
        ]);
        env
    }

    /// Registers the structure of `autre` (named `nom` here) with its key, as read with
    /// `spie structure cle` on its base.
    pub fn connaitre(&self, nom: &str, autre: &Env) {
        let cle = autre.ok(&["structure", "cle"]);
        self.ok(&["structure", "ajouter", nom, "--cle", cle.trim(), "--confirmer"]);
    }

    /// A path in the test folder, for a file given to another base.
    pub fn chemin(&self, nom: &str) -> String {
        self.dir.path().join(nom).display().to_string()
    }

    /// Adds the partner structure "Mission locale" and its référent `l.roux`, who has no
    /// link with the dossiers of "CCAS de Verdun".
    pub fn partenaire(&self) -> &'static str {
        self.ok(&["structure", "ajouter", "Mission locale"]);
        self.ok(&[
            "agent", "ajouter", "l.roux", "--nom", "Léa Roux", "--structure", "Mission locale",
        ]);
        "l.roux"
    }

    /// The refused attempts of the audit trail (read by the administrator), as (agent,
    /// command, dossier).
    pub fn refus(&self) -> Vec<(String, String, Option<i64>)> {
        let journal = self.json(&["base", "journal", "--agent", "admin"]);
        journal
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["commande"].as_str().unwrap().ends_with(" — refusé"))
            .map(|e| {
                (
                    e["agent"].as_str().unwrap().to_owned(),
                    e["commande"].as_str().unwrap().trim_end_matches(" — refusé").to_owned(),
                    e["dossier"].as_i64(),
                )
            })
            .collect()
    }

    /// Whether the audit trail (read by the agent at work) holds an entry of `agent` for
    /// `commande`.
    pub fn dans_le_journal(&self, agent: &str, commande: &str) -> bool {
        let journal = self.json(&["base", "journal"]);
        journal
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["agent"] == agent && e["commande"] == commande)
    }

    pub fn base(&self) -> PathBuf {
        self.dir.path().join("spie.sqlite")
    }

    /// The binary with the environment of a test, run in the temporary folder.
    pub fn spie(&self, args: &[&str]) -> Command {
        Command::from_std(self.processus(binaire(), args))
    }

    /// `programme` (the binary, or a shell that runs it) with the environment of a test,
    /// for the cases where the test sets stdin, stdout or stderr itself.
    pub fn processus(&self, programme: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(programme);
        cmd.env_clear()
            .env("SPIE_BASE", self.base())
            .env("COLUMNS", "200")
            .current_dir(self.dir.path())
            .args(args);
        if self.chiffree {
            use std::os::unix::fs::DirBuilderExt;
            let _ = std::fs::DirBuilder::new().mode(0o700).create(self.sessions());
            cmd.env("XDG_RUNTIME_DIR", self.sessions());
        } else {
            cmd.env("SPIE_DATE", AUJOURDHUI).env("SPIE_AGENT", &self.agent);
        }
        cmd
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.spie(args).output().unwrap();
        assert!(
            out.status.success(),
            "spie {args:?} a échoué ({:?})\nstderr : {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must succeed; returns its messages (stderr).
    pub fn messages(&self, args: &[&str]) -> String {
        self.ok_dit(args).1
    }

    /// Runs a command that must succeed; returns its stdout and what it said on stderr
    /// (confirmations, warnings).
    pub fn ok_dit(&self, args: &[&str]) -> (String, String) {
        let out = self.spie(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "spie {args:?} a échoué ({:?})\nstderr : {stderr}",
            out.status.code()
        );
        (String::from_utf8(out.stdout).unwrap(), stderr)
    }

    /// Runs a command that must succeed with `--format json`; returns the parsed output.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut tous = args.to_vec();
        tous.extend(["--format", "json"]);
        let sortie = self.ok(&tous);
        serde_json::from_str(&sortie).unwrap_or_else(|e| panic!("JSON invalide ({e}) : {sortie}"))
    }

    /// The dossier numbers of a command that lists dossiers, in its order.
    pub fn dossiers(&self, args: &[&str]) -> Vec<i64> {
        let liste = self.json(args);
        liste
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["dossier"].as_i64().unwrap())
            .collect()
    }

    /// Runs a command that must fail with `code`; returns its stderr.
    pub fn echec(&self, args: &[&str], code: i32) -> String {
        let out = self.spie(args).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "spie {args:?}\nstderr : {stderr}");
        assert!(
            out.stdout.is_empty(),
            "rien sur stdout en cas d'erreur : {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(stderr.starts_with("erreur : "), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// Opens a dossier for a synthetic person; returns its number.
    /// The dossier of Lucie Martin, born on 2 April 1990, of Verdun (a synthetic person), as
    /// a string for the next commands.
    pub fn lucie_martin(&self, autres: &[&str]) -> String {
        self.ouvrir("Martin", "Lucie", "1990-04-02", "Verdun", autres)
            .to_string()
    }

    pub fn ouvrir(&self, nom: &str, prenom: &str, naissance: &str, commune: &str, autres: &[&str]) -> i64 {
        let mut args = vec![
            "parcours", "ouvrir", "--nom", nom, "--prenom", prenom, "--naissance", naissance, "--commune", commune,
        ];
        args.extend(autres);
        self.json(&args)["dossier"].as_i64().unwrap()
    }

    /// The file of the test folder (the base, its `-wal`, a backup…) whose bytes, free
    /// pages included, still hold `mot` as typed or as the name index stores it
    /// (lower case, without accents).
    pub fn trace(&self, mot: &str) -> Option<String> {
        let normalise = spie::domain::texte::normaliser(mot);
        std::fs::read_dir(self.dir.path()).unwrap().find_map(|f| {
            let chemin = f.unwrap().path();
            let octets = std::fs::read(&chemin).ok()?;
            [mot, normalise.as_str()]
                .iter()
                .any(|m| octets.windows(m.len()).any(|w| w == m.as_bytes()))
                .then(|| chemin.display().to_string())
        })
    }

    /// Reads one value straight from the base, as an auditor would with `sqlite3`.
    pub fn sql(&self, requete: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.base()).unwrap();
        conn.query_row(requete, [], |r| r.get(0)).unwrap()
    }
}

/// A file of `fixtures/`, as a path argument.
pub fn fixture(nom: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(nom)
        .display()
        .to_string()
}

/// `spie offre importer FICHIER --source SOURCE --format json …`: the exit code, the
/// summary (JSON) and stderr, never a panic.
pub fn importer(env: &Env, fichier: &str, source: &str, autres: &[&str]) -> (i32, serde_json::Value, String) {
    let mut args = vec!["offre", "importer", fichier, "--source", source, "--format", "json"];
    args.extend(autres);
    let out = env.spie(&args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let bilan = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), bilan, stderr)
}

/// Checks that `texte` (a command's stderr) says each of `attendus`.
pub fn dit_tout(texte: &str, attendus: &[&str]) {
    for attendu in attendus {
        assert!(texte.contains(attendu), "« {attendu} » absent de :\n{texte}");
    }
}

/// A workbook of one sheet, `entetes` in its first row.
pub fn classeur(entetes: &[&str]) -> rust_xlsxwriter::Workbook {
    let mut classeur = rust_xlsxwriter::Workbook::new();
    let feuille = classeur.add_worksheet();
    for (c, t) in entetes.iter().enumerate() {
        feuille.write_string(0, c as u16, *t).unwrap();
    }
    classeur
}

/// The element of a JSON list whose `cle` is `valeur`.
pub fn element<'a>(liste: &'a serde_json::Value, cle: &str, valeur: &str) -> &'a serde_json::Value {
    let elements = liste.as_array().unwrap_or_else(|| panic!("pas une liste : {liste}"));
    (elements.iter().find(|e| e[cle] == valeur)).unwrap_or_else(|| panic!("pas de {cle} = {valeur} dans {liste}"))
}

/// A partner file of `lignes` offers, with identifiers.
pub fn gros_fichier(env: &Env, lignes: usize) -> String {
    let fichier = env.dir.path().join("gros.csv");
    let mut csv = String::from("id;nom;thematiques;code_insee;date_maj\n");
    for i in 0..lignes {
        csv.push_str(&format!("K{i};Offre {i};mobilite;55545;2026-10-01\n"));
    }
    std::fs::write(&fichier, csv).unwrap();
    fichier.to_str().unwrap().to_owned()
}

/// `offre importer … --appliquer` started in the background.
pub fn importer_en_fond(env: &Env, fichier: &str, source: &str) -> std::process::Child {
    env.processus(
        binaire(),
        &["-q", "offre", "importer", fichier, "--source", source, "--appliquer"],
    )
    .env("SPIE_AGENT", "admin")
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap()
}

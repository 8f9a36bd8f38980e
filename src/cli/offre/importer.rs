//! `spie offre importer FICHIER --source NOM`: a partner's list checked row by row, then
//! (with `--appliquer`) written in one transaction.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::cli::Ctx;
use crate::cli::contexte::Unite;
use crate::db;
use crate::db::offre::Etat;
use crate::domain::offre::{Champ, Gravite, controler_retrait};
use crate::domain::texte::{APERCU, apercu, champ_libre, compte};
use crate::error::{Issue, UserError, erreur};
use crate::export::Tableur;
use crate::import::{self, Forme, Options, profil::Profil};
use crate::output::fichier::FichierAtomique;
use crate::output::{Fiche, Section, message};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Le fichier du partenaire : CSV, classeur .xlsx, .xls, .ods, .xlsb, ou JSON
    fichier: PathBuf,
    /// Nom de la source (le partenaire) : un nouvel import de la même source met ses offres à jour
    #[arg(long)]
    source: String,
    /// Écrit dans la base (sinon : aperçu, rien n'est écrit)
    #[arg(long)]
    appliquer: bool,
    /// Refuse tout le fichier si une seule ligne est rejetée
    #[arg(long)]
    strict: bool,
    /// Fichier partiel : les offres absentes ne sont pas marquées retirées
    #[arg(long, conflicts_with = "retirer")]
    partiel: bool,
    /// Confirme le retrait des offres absentes quand il y en a plus de la moitié des offres
    /// actives de la source (sans cette option, l'import est alors refusé en entier ; un
    /// fichier qui ne laisserait aucune offre active est toujours refusé)
    #[arg(long)]
    retirer: bool,
    /// Profil TOML qui décrit les colonnes et les valeurs du fichier
    #[arg(long, value_name = "FICHIER.toml")]
    profil: Option<PathBuf>,
    /// Feuille d'un classeur : son nom ou son numéro (1 pour la première) [défaut : la
    /// première feuille visible]
    #[arg(long, value_name = "NOM|N")]
    feuille: Option<String>,
    /// Encodage d'un CSV : auto, utf-8, windows-1252, utf-16le…
    #[arg(long, default_value = "auto")]
    encodage: String,
    /// Séparateur d'un CSV : auto, ';', ',', tab, '|'
    #[arg(long, default_value = "auto")]
    separateur: String,
    /// Ne lit que les offres d'un département (fichier national) : sans valeur, celui de la
    /// base. Une offre en est si sa commune ou son code postal en est, ou, sans lieu, si sa
    /// zone d'éligibilité le nomme
    #[arg(long, value_name = "CODE", num_args = 0..=1, default_missing_value = "")]
    departement: Option<String>,
    /// Fichier des structures d'un catalogue data·inclusion (JSON ou CSV) : chaque service
    /// y prend le nom de sa structure, et son lieu et ses contacts s'il n'en donne pas
    #[arg(long, value_name = "FICHIER")]
    structures: Option<PathBuf>,
    /// Écrit les lignes rejetées, avec une colonne motif_rejet, dans ce fichier CSV (séparateur
    /// « ; », UTF-8 avec BOM, pour un tableur)
    #[arg(long, value_name = "FICHIER")]
    rejets: Option<PathBuf>,
}

#[derive(Debug, Default, Serialize)]
struct Bilan {
    source: String,
    applique: bool,
    /// `csv`, `xlsx`, `xls`, `ods` or `xlsb`.
    format: String,
    /// CSV only.
    encodage: Option<String>,
    separateur: Option<String>,
    /// Workbooks only: the sheet read, and the row of its header.
    feuille: Option<String>,
    ligne_entete: Option<u64>,
    colonnes_ignorees: Vec<String>,
    /// No column gave the identifiers: they were computed.
    identifiants_calcules: bool,
    lignes: usize,
    valides: usize,
    avec_avertissements: usize,
    rejetees: usize,
    ajoutees: usize,
    modifiees: usize,
    inchangees: usize,
    /// Rows whose identifiant an earlier row of the file already gave.
    doublons: usize,
    retirees: usize,
    /// The sources written: the one named, or one per producer of a data·inclusion file.
    sources: Vec<String>,
    /// Rows of another département passed over (`--departement`).
    hors_departement: u64,
}

impl Bilan {
    fn offres(&mut self, etat: Etat) -> &mut usize {
        match etat {
            Etat::Ajoutee => &mut self.ajoutees,
            Etat::Modifiee => &mut self.modifiees,
            Etat::Inchangee => &mut self.inchangees,
        }
    }
}

fn separateur(texte: &str) -> Result<Option<u8>> {
    Ok(match texte.trim() {
        "auto" => None,
        ";" => Some(b';'),
        "," => Some(b','),
        "tab" | "\\t" | "\t" => Some(b'\t'),
        "|" => Some(b'|'),
        autre => {
            return Err(
                UserError::usage(format!("séparateur « {autre} » inconnu : auto, ';', ',', tab ou '|'")).into(),
            );
        }
    })
}

/// The warning for a row repeating an identifiant of the file (`colonne`: where the file
/// gives identifiants).
fn doublon(colonne: &str, identifiant: &str) -> crate::domain::offre::Probleme {
    crate::domain::offre::Probleme {
        gravite: Gravite::Avertissement,
        colonne: colonne.to_owned(),
        valeur: apercu(identifiant, APERCU).into_owned(),
        message: "identifiant déjà donné plus haut dans le fichier : cette ligne remplace la précédente".into(),
    }
}

/// Problems printed on the terminal; the others go to `--rejets`.
const AFFICHES: usize = 30;

/// The findings of an import, for the terminal: each rejection on its own line (the
/// first ones), and each kind of warning once with the first lines it concerns. Bounded
/// whatever the file's size.
#[derive(Default)]
struct Remarques {
    /// What a row is called: `ligne`, or `objet` in a JSON file.
    unite: &'static str,
    rejets: Vec<String>,
    rejetees: usize,
    avertissements: Vec<Avertissement>,
}

struct Avertissement {
    colonne: String,
    message: String,
    /// The first ten lines.
    lignes: Vec<u64>,
    total: usize,
}

impl Remarques {
    fn noter(&mut self, ligne: u64, p: &crate::domain::offre::Probleme) {
        if p.gravite == Gravite::Erreur {
            self.rejetees += 1;
            if self.rejets.len() < AFFICHES {
                let valeur = if p.valeur.is_empty() {
                    "vide".to_string()
                } else {
                    format!("« {} »", p.valeur)
                };
                self.rejets.push(format!(
                    "{} {ligne} rejeté{}, colonne « {} », valeur {valeur} : {}",
                    self.unite,
                    if self.unite == "ligne" { "e" } else { "" },
                    p.colonne,
                    p.message
                ));
            }
            return;
        }
        let a = match self
            .avertissements
            .iter()
            .position(|a| a.colonne == p.colonne && a.message == p.message)
        {
            Some(i) => &mut self.avertissements[i],
            None => {
                self.avertissements.push(Avertissement {
                    colonne: p.colonne.clone(),
                    message: p.message.clone(),
                    lignes: Vec::new(),
                    total: 0,
                });
                self.avertissements.last_mut().expect("just pushed")
            }
        };
        a.total += 1;
        if a.lignes.len() < 10 {
            a.lignes.push(ligne);
        }
    }

    fn afficher(&self, ctx: &Ctx) {
        for r in &self.rejets {
            message(r);
        }
        if self.rejetees > self.rejets.len() {
            message(format_args!(
                "… et {} sur des lignes rejetées (--rejets FICHIER garde toutes ces lignes)",
                compte(
                    (self.rejetees - self.rejets.len()) as u64,
                    "autre problème",
                    "autres problèmes"
                )
            ));
        }
        for a in &self.avertissements {
            let liste: Vec<String> = a.lignes.iter().map(u64::to_string).collect();
            let suite = if a.total > a.lignes.len() {
                format!(
                    ", … : {}",
                    compte(a.total as u64, self.unite, &format!("{}s", self.unite))
                )
            } else {
                String::new()
            };
            let pluriel = if a.total > 1 { "s" } else { "" };
            ctx.dire(format!(
                "avertissement, colonne « {} » : {} ({}{pluriel} {}{suite})",
                apercu(&a.colonne, APERCU),
                a.message,
                self.unite,
                liste.join(", ")
            ));
        }
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let source = champ_libre("source", &a.source, 100).map_err(erreur)?;
    if source.is_empty() {
        return Err(UserError::usage("--source : nommez la source (le partenaire)")
            .aide("par exemple --source mission-locale : un nouvel import de la même source met ses offres à jour")
            .into());
    }
    let encodage = match a.encodage.trim() {
        "auto" => None,
        nom => Some(import::encodage(nom).map_err(UserError::usage)?),
    };
    let profil = match &a.profil {
        Some(chemin) => Some(Profil::lire(chemin)?.verifier(chemin)?),
        None => None,
    };
    let mut conn = ctx.ouvrir()?;
    // An import reads back the offers it already knows: through mmap, every page of the
    // catalogue would stay mapped in the process (400 MB re-importing 1,000,000 rows, as
    // fast as 53 MB with reads into SQLite's bounded page cache).
    conn.pragma_update(None, "mmap_size", 0)?;
    let agent = ctx.agent(&conn)?;
    if a.appliquer && agent.role != crate::domain::agent::Role::Admin {
        ctx.admin(&conn)?;
    }
    let departement = db::meta::departement(&conn)?;
    let filtre = match a.departement.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(departement.clone()),
        Some(code) if crate::referentiel::communes::departement_existe(&code.to_uppercase()) => {
            Some(code.to_uppercase())
        }
        Some(code) => {
            return Err(UserError::usage(format!(
                "--departement : « {} » n'est pas un code de département (55, 2A, 974…)",
                apercu(code, APERCU)
            ))
            .into());
        }
    };
    let structures = match &a.structures {
        Some(chemin) => Some(import::structures::Structures::lire(chemin)?),
        None => None,
    };
    let options = Options {
        encodage,
        separateur: separateur(&a.separateur)?,
        feuille: a.feuille.clone(),
        profil,
        departement: filtre,
        structures,
    };
    let csv_seulement = options.encodage.is_some() || options.separateur.is_some();
    let lecture = import::ouvrir(&a.fichier, options)?;
    let mut bilan = Bilan {
        source: source.clone(),
        applique: a.appliquer,
        colonnes_ignorees: (lecture.correspondance.ignorees.iter())
            .map(|c| apercu(c, APERCU).into_owned())
            .collect(),
        ..Bilan::default()
    };
    let barre = match &lecture.forme {
        Forme::Csv { encodage, separateur } => {
            bilan.format = "csv".into();
            bilan.encodage = Some(encodage.name().to_owned());
            bilan.separateur = Some(match separateur {
                b'\t' => "tab".into(),
                s => (*s as char).to_string(),
            });
            ctx.barre(lecture.etendue, Unite::Octets)
        }
        Forme::Classeur {
            format,
            feuille,
            entete,
        } => {
            bilan.format = (*format).into();
            bilan.feuille = Some(feuille.clone());
            bilan.ligne_entete = Some(*entete);
            if csv_seulement {
                ctx.avertir("--encodage et --separateur ne valent que pour un CSV : ignorés pour ce classeur");
            }
            if *entete > 1 {
                ctx.dire(format!(
                    "Feuille « {} » : en-tête trouvé ligne {entete} (les lignes au-dessus sont ignorées).",
                    apercu(feuille, APERCU)
                ));
            }
            ctx.barre(lecture.etendue, Unite::Lignes)
        }
        Forme::Json => {
            bilan.format = "json".into();
            None
        }
    };
    let lecture_unite = lecture.unite;
    let par_producteur = lecture
        .correspondance
        .champs
        .iter()
        .any(|(c, _, _)| *c == Champ::Source);
    let lecture_id_calcule = lecture.correspondance.id_calcule;
    bilan.identifiants_calcules = lecture_id_calcule;
    let mut remarques = Remarques {
        unite: lecture_unite,
        ..Remarques::default()
    };
    let colonne_id = lecture
        .correspondance
        .champs
        .iter()
        .find(|(champ, _, _)| *champ == Champ::Id)
        .map_or_else(
            || {
                if lecture.correspondance.id_calcule {
                    "identifiant calculé".to_owned()
                } else {
                    Champ::Id.code().to_owned()
                }
            },
            |(_, _, nom)| nom.to_string(),
        );
    // The rejected rows as they were, with the reason, in a CSV a spreadsheet opens; written
    // as they come, under their name once complete.
    let largeur = lecture.entetes().len();
    let mut rejets = match &a.rejets {
        Some(chemin) => {
            let mut titres: Vec<&str> = lecture.entetes().iter().map(String::as_str).collect();
            titres.push("motif_rejet");
            Some(Tableur::nouveau(FichierAtomique::creer(chemin, true)?, &titres)?)
        }
        None => None,
    };

    // One transaction for the whole file: 32 MiB of pages in memory so that SQLite spills
    // fewer half-written pages to the WAL before the commit, and memory stays bounded.
    conn.pragma_update(None, "cache_size", -32 * 1024)?;
    let tx = db::ecriture(&mut conn)?;
    let mut imports = db::offre::Imports::new(&tx, ctx.aujourdhui);
    // A file that names each row's producer writes into their sources only; any other into
    // the source named, even when it holds no row (then it withdraws, if allowed).
    if !par_producteur {
        imports.de(&source, false)?;
    }
    let nom_de_source =
        |producteur: Option<&str>| producteur.map_or_else(|| source.clone(), |p| format!("{source}/{p}"));
    bilan.hors_departement = lecture.verifier_chaque(ctx.aujourdhui, &departement, |v| {
        bilan.lignes += 1;
        if let Some(b) = &barre
            && bilan.lignes.is_multiple_of(1000)
        {
            b.set_position(v.octet);
        }
        for p in &v.problemes {
            remarques.noter(v.numero, p);
        }
        match &v.offre {
            Ok((o, texte)) => {
                bilan.valides += 1;
                if !v.problemes.is_empty() {
                    bilan.avec_avertissements += 1;
                }
                let ecrite = imports
                    .de(&nom_de_source(v.producteur.as_deref()), par_producteur)?
                    .enregistrer(o, texte)?;
                // A repeated identifiant: the offer is counted once, as its last row leaves it.
                if let Some(avant) = ecrite.remplace {
                    bilan.doublons += 1;
                    *bilan.offres(avant) -= 1;
                    remarques.noter(v.numero, &doublon(&colonne_id, &o.identifiant));
                }
                *bilan.offres(ecrite.etat) += 1;
            }
            Err(rejet) => {
                bilan.rejetees += 1;
                // A rejected row still names an offer the partner keeps: not withdrawn.
                if let Some(id) = &rejet.identifiant {
                    imports
                        .de(&nom_de_source(v.producteur.as_deref()), par_producteur)?
                        .nommee(id)?;
                }
                let motif: Vec<String> = v
                    .problemes
                    .iter()
                    .filter(|p| p.gravite == Gravite::Erreur)
                    .map(|p| format!("{} : {}", p.colonne, p.message))
                    .collect();
                if let Some(rejets) = &mut rejets {
                    let mut ligne = rejet.cellules.clone();
                    ligne.resize(largeur, String::new());
                    ligne.push(format!("{} {} : {}", lecture_unite, v.numero, motif.join(" ; ")));
                    rejets.ligne(&ligne)?;
                }
            }
        }
        Ok(())
    })?;
    if let Some(b) = barre {
        b.finish_and_clear();
    }
    remarques.afficher(ctx);
    if !a.partiel {
        for (nom, import) in &imports.sources {
            let (absentes, restantes) = import.absentes()?;
            bilan.retirees += absentes.len();
            // A truncated file, or one that takes away most of a catalogue: nothing of it
            // is written, so that the administrator runs it again knowingly.
            if let Err(refus) = controler_retrait(import.actives_avant, absentes.len() as u64, restantes, a.retirer) {
                if a.appliquer {
                    return Err(erreur(format!("{} : rien n'est importé", refus.message(nom)))
                        .aide(refus.aide())
                        .into());
                }
                ctx.avertir(format!(
                    "{} : avec --appliquer, l'import sera refusé ; {}",
                    refus.message(nom),
                    refus.aide()
                ));
            }
            if a.appliquer {
                import.retirer(&absentes)?;
            }
        }
    }
    bilan.sources = imports.sources.iter().map(|(nom, _)| nom.clone()).collect();
    let refuse = a.strict && bilan.rejetees > 0;
    if a.appliquer && !refuse {
        for (_, import) in std::mem::take(&mut imports.sources) {
            import.fin()?;
        }
        drop(imports);
        tx.commit()?;
    } else {
        drop(imports);
        drop(tx);
    }
    if let Some(rejets) = rejets {
        rejets.fin()?.valider()?;
    }
    let offres = if a.appliquer && !refuse {
        compte(bilan.valides as u64, "offre importée", "offres importées")
    } else {
        compte(bilan.valides as u64, "offre à importer", "offres à importer")
            + " (aperçu : rien n'est écrit, ajoutez --appliquer)"
    };
    let doublons = match bilan.doublons {
        0 => String::new(),
        n => format!(", {}", compte(n as u64, "ligne en double", "lignes en double")),
    };
    let hors = match bilan.hors_departement {
        0 => String::new(),
        n => format!(" (et {n} hors du département, ignoré{})", if n > 1 { "s" } else { "" }),
    };
    ctx.dire(format!(
        "{}{hors} : {offres}, {} ({}, {}, {}{doublons}, {}).",
        if lecture_unite == "objet" {
            compte(bilan.lignes as u64, "objet lu", "objets lus")
        } else {
            compte(bilan.lignes as u64, "ligne lue", "lignes lues")
        },
        compte(bilan.rejetees as u64, "rejetée", "rejetées"),
        compte(bilan.ajoutees as u64, "ajoutée", "ajoutées"),
        compte(bilan.modifiees as u64, "modifiée", "modifiées"),
        compte(bilan.inchangees as u64, "inchangée", "inchangées"),
        compte(bilan.retirees as u64, "retirée", "retirées"),
    ));
    if lecture_id_calcule {
        ctx.dire(
            "Le fichier n'a pas de colonne d'identifiant : chaque offre a reçu un identifiant calculé à partir \
             de son nom, de sa structure et de sa commune (« calc-… ») ; un nouvel import du même fichier, même \
             réordonné, retrouve les mêmes offres.",
        );
    }
    if refuse {
        ctx.avertir("--strict : le fichier contient des lignes rejetées, rien n'a été importé");
    }
    let fiche = Fiche {
        sections: vec![
            Section::new(format!("Import de la source « {source} »"))
                .champ("Appliqué", if a.appliquer && !refuse { "oui" } else { "non (aperçu)" })
                .champ("Format", bilan.format.clone())
                .champ("Feuille", bilan.feuille.clone().unwrap_or_default())
                .champ("Encodage", bilan.encodage.clone().unwrap_or_default())
                .champ("Séparateur", bilan.separateur.clone().unwrap_or_default())
                .champ("Colonnes ignorées", bilan.colonnes_ignorees.join(", "))
                .champ("Lignes", bilan.lignes as i64)
                .champ("Offres valides", bilan.valides as i64)
                .champ("dont avec avertissements", bilan.avec_avertissements as i64)
                .champ("Lignes rejetées", bilan.rejetees as i64)
                .champ("Ajoutées", bilan.ajoutees as i64)
                .champ("Modifiées", bilan.modifiees as i64)
                .champ("Inchangées", bilan.inchangees as i64)
                .champ("Lignes en double", bilan.doublons as i64)
                .champ("Hors du département", bilan.hors_departement as i64)
                .champ("Retirées", bilan.retirees as i64),
        ],
    };
    bilan.applique = a.appliquer && !refuse;
    ctx.sortie.fiche(&bilan, &fiche)?;
    Ok(if bilan.rejetees > 0 {
        Issue::Constats
    } else {
        Issue::Succes
    })
}

//! `spie offre importer FICHIER --source NOM`: a partner's list checked row by row, then
//! (with `--appliquer`) written (see [`crate::ops::offre::importer`]); what it found and
//! its summary, for the terminal.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::Ctx;
use crate::cli::contexte::Unite;
use crate::domain::texte::{APERCU, apercu, compte};
use crate::error::Issue;
use crate::ops;
use crate::ops::offre::{Avertissement, Bilan, Etendue, Rejet, Remarques};
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

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let csv_seulement = a.encodage.trim() != "auto" || a.separateur.trim() != "auto";
    let barre = |e: Etendue| match e {
        Etendue::Octets(n) => ctx.barre(n, Unite::Octets),
        Etendue::Lignes(n) => ctx.barre(n, Unite::Lignes),
    };
    let arret = crate::cli::contexte::arret_demande();
    let import = ops::offre::Import {
        fichier: a.fichier,
        source: a.source,
        appliquer: a.appliquer,
        strict: a.strict,
        partiel: a.partiel,
        retirer: a.retirer,
        profil: a.profil,
        feuille: a.feuille,
        encodage: a.encodage,
        separateur: a.separateur,
        departement: a.departement,
        structures: a.structures,
        rejets: a.rejets,
        barre: &barre,
        interrompu: &arret,
    };
    let importe = ops::offre::importer(&mut ctx.session()?, import)?;
    let bilan = &importe.bilan;
    dire_la_feuille(ctx, bilan, csv_seulement);
    afficher(&importe.remarques, ctx);
    for avertissement in &importe.avertissements {
        ctx.avertir(avertissement);
    }
    if importe.refuse {
        refuser(bilan, &importe.remarques);
    } else {
        resumer(ctx, bilan, importe.remarques.unite);
    }
    ctx.sortie.fiche(bilan, &fiche(bilan))?;
    Ok(if bilan.rejetees > 0 {
        Issue::Constats
    } else {
        Issue::Succes
    })
}

/// For a workbook: the options that only apply to a CSV; for any file, where the header
/// was found below a title block.
fn dire_la_feuille(ctx: &Ctx, bilan: &Bilan, csv_seulement: bool) {
    if bilan.feuille.is_some() && csv_seulement {
        ctx.avertir("--encodage et --separateur ne valent que pour un CSV : ignorés pour ce classeur");
    }
    if let Some(entete) = bilan.ligne_entete.filter(|e| *e > 1) {
        let ou = match &bilan.feuille {
            Some(feuille) => format!("Feuille « {} »", apercu(feuille, APERCU)),
            None => "Fichier".to_owned(),
        };
        ctx.dire(format!(
            "{ou} : en-tête trouvé ligne {entete} (les lignes au-dessus sont ignorées)."
        ));
    }
}

/// What `--strict` refused, instead of a summary that would read as a success.
fn refuser(bilan: &Bilan, r: &Remarques) {
    let lignes: Vec<String> = r.lignes_rejetees.iter().map(u64::to_string).collect();
    let suite = if bilan.rejetees > lignes.len() { ", …" } else { "" };
    let (rejetee, rejetees, lue, lues) = if r.unite == "objet" {
        ("objet rejeté", "objets rejetés", "objet lu", "objets lus")
    } else {
        ("ligne rejetée", "lignes rejetées", "ligne lue", "lignes lues")
    };
    message(format_args!(
        "erreur : --strict : {} sur {} ({}{} {}{suite}) : rien n'a été importé\n\
         aide : corrigez-les dans le fichier, ou relancez sans --strict pour importer les autres",
        compte(bilan.rejetees as u64, rejetee, rejetees),
        compte(bilan.lignes as u64, lue, lues),
        r.unite,
        if lignes.len() > 1 { "s" } else { "" },
        lignes.join(", "),
    ));
}

/// The summary on stderr.
fn resumer(ctx: &Ctx, bilan: &Bilan, unite: &str) {
    // Offers, not rows: a row repeating an earlier one gives no offer of its own.
    let n = bilan.valides.saturating_sub(bilan.doublons) as u64;
    let doublons = match bilan.doublons {
        0 => String::new(),
        d => format!(
            " ({} {}, dont {d} en double)",
            if n > 1 { "données par" } else { "donnée par" },
            compte(bilan.valides as u64, "ligne valide", "lignes valides"),
        ),
    };
    let offres = if bilan.applique {
        compte(n, "offre importée", "offres importées") + &doublons
    } else {
        compte(n, "offre à importer", "offres à importer")
            + &doublons
            + " (aperçu : rien n'est écrit, ajoutez --appliquer)"
    };
    let hors = match bilan.hors_departement {
        0 => String::new(),
        // Agreed with what was read: « lignes … ignorées », « objets … ignorés ».
        n => {
            let accord = if unite == "objet" { "ignoré" } else { "ignorée" };
            format!(
                " (et {n} hors du département, {accord}{})",
                if n > 1 { "s" } else { "" }
            )
        }
    };
    ctx.dire(format!(
        "{}{hors} : {offres}, {} ({}, {}, {}, {}).",
        if unite == "objet" {
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
    if bilan.identifiants_calcules {
        ctx.dire(
            "Le fichier n'a pas de colonne d'identifiant : chaque offre a reçu un identifiant calculé à partir \
             de son nom, de sa structure et de sa commune (« calc-… ») ; un nouvel import du même fichier, même \
             réordonné, retrouve les mêmes offres.",
        );
    }
}

fn fiche(bilan: &Bilan) -> Fiche {
    Fiche {
        sections: vec![
            Section::new(format!("Import de la source « {} »", bilan.source))
                .champ("Appliqué", if bilan.applique { "oui" } else { "non (aperçu)" })
                .champ("Format", bilan.format.clone())
                .champ("Feuille", bilan.feuille.clone().unwrap_or_default())
                .champ("Encodage", bilan.encodage.clone().unwrap_or_default())
                .champ("Séparateur", bilan.separateur.clone().unwrap_or_default())
                .champ("Colonnes ignorées", bilan.colonnes_ignorees.join(", "))
                .champ("Lignes", bilan.lignes as i64)
                .champ("Lignes valides", bilan.valides as i64)
                .champ("dont avec avertissements", bilan.avec_avertissements as i64)
                .champ("Lignes rejetées", bilan.rejetees as i64)
                .champ("Ajoutées", bilan.ajoutees as i64)
                .champ("Modifiées", bilan.modifiees as i64)
                .champ("Inchangées", bilan.inchangees as i64)
                .champ("Lignes en double", bilan.doublons as i64)
                .champ("Hors du département", bilan.hors_departement as i64)
                .champ("Retirées", bilan.retirees as i64),
        ],
    }
}

/// « ligne 8 rejetée, colonne « Thème(s) », valeur « Jardinage » : … », or for rows
/// rejected alike « lignes 2, 3, … (3 000 lignes) rejetées, … ».
fn rejete(unite: &str, r: &Rejet) -> String {
    let valeur = if r.valeur.is_empty() {
        "vide".to_string()
    } else {
        format!("« {} »", r.valeur)
    };
    let e = if unite == "ligne" { "e" } else { "" };
    let lignes: Vec<String> = r.lignes.iter().map(u64::to_string).collect();
    let qui = match r.total {
        1 => format!("{unite} {} rejeté{e}", lignes.join(", ")),
        n if n > r.lignes.len() => format!(
            "{unite}s {}, … ({}) rejeté{e}s",
            lignes.join(", "),
            compte(n as u64, unite, &format!("{unite}s"))
        ),
        _ => format!("{unite}s {} rejeté{e}s", lignes.join(", ")),
    };
    format!("{qui}, colonne « {} », valeur {valeur} : {}", r.colonne, r.message)
}

/// The findings on stderr: each kind of rejection worded once, each kind of warning once.
fn afficher(r: &Remarques, ctx: &Ctx) {
    for rejet in &r.rejets {
        message(rejete(r.unite, rejet));
    }
    if r.rejets_tus > 0 {
        message(format_args!(
            "… et {} sur des lignes rejetées (--rejets FICHIER garde toutes ces lignes)",
            compte(r.rejets_tus as u64, "autre problème", "autres problèmes")
        ));
    }
    let lignes = |a: &Avertissement| {
        let liste: Vec<String> = a.lignes.iter().map(u64::to_string).collect();
        let suite = if a.total > a.lignes.len() {
            format!(", … : {}", compte(a.total as u64, r.unite, &format!("{}s", r.unite)))
        } else {
            String::new()
        };
        let pluriel = if a.total > 1 { "s" } else { "" };
        format!("{}{pluriel} {}{suite}", r.unite, liste.join(", "))
    };
    for a in &r.avertissements {
        ctx.dire(format!(
            "avertissement, colonne « {} » : {} ({})",
            apercu(&a.colonne, APERCU),
            a.message,
            lignes(a)
        ));
    }
    // The kinds past the first ones of a column (a value of its own on each row).
    for a in &r.autres {
        let autres = compte(
            a.total as u64,
            &format!("autre {}", r.unite),
            &format!("autres {}s", r.unite),
        );
        ctx.dire(format!(
            "avertissement, colonne « {} » : … et {autres} avec des avertissements sur d'autres valeurs ({})",
            apercu(&a.colonne, APERCU),
            lignes(a)
        ));
    }
    if r.doublons_tus > 0 {
        let autres = compte(
            r.doublons_tus as u64,
            &format!("autre {}", r.unite),
            &format!("autres {}s", r.unite),
        );
        ctx.dire(format!(
            "… et {autres} en double (identifiant déjà donné plus haut dans le fichier)"
        ));
    }
}

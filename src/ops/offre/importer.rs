//! `offre importer`: a partner's list checked row by row and written: when applied, in
//! short steps that other commands can slip between, undone if the import is refused or
//! interrupted; as a preview, in one transaction rolled back.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::remarques::{Remarques, doublon};
use crate::db;
use crate::db::etapes::Etapes;
use crate::db::offre::Etat;
use crate::domain::offre::{Champ, Gravite, controler_retrait};
use crate::domain::texte::{APERCU, apercu, champ_libre, compte};
use crate::error::{UserError, erreur};
use crate::export::Tableur;
use crate::import::{self, Forme, Options, profil::Profil};
use crate::ops::{Exigence, Session};
use crate::output::fichier::FichierAtomique;

/// What a progress bar counts, and up to what.
pub enum Etendue {
    Octets(u64),
    Lignes(u64),
}

pub struct Import<'a> {
    pub fichier: PathBuf,
    /// The partner: a new import of the same source updates its offers.
    pub source: String,
    /// Write (an administrator only); otherwise a preview.
    pub appliquer: bool,
    /// Nothing is written if a single row is rejected.
    pub strict: bool,
    /// The offers missing from the file are not withdrawn.
    pub partiel: bool,
    /// Confirms withdrawing more than half of a source's active offers.
    pub retirer: bool,
    pub profil: Option<PathBuf>,
    pub feuille: Option<String>,
    /// `auto` or an encoding's name.
    pub encodage: String,
    /// `auto`, `;`, `,`, `tab` or `|`.
    pub separateur: String,
    /// Only the offers of a département: `Some("")` the base's.
    pub departement: Option<String>,
    /// The structures of a data·inclusion catalogue.
    pub structures: Option<PathBuf>,
    /// Where the rejected rows go, with their reason.
    pub rejets: Option<PathBuf>,
    /// The progress bar for the rows to come, if one is shown.
    pub barre: &'a dyn Fn(Etendue) -> Option<indicatif::ProgressBar>,
    /// Whether the person asked to stop (Ctrl-C): the import is then undone.
    pub interrompu: &'a dyn Fn() -> bool,
}

pub struct Importe {
    pub bilan: Bilan,
    pub remarques: Remarques,
    /// `--strict` refused the file.
    pub refuse: bool,
    /// What the preview warns of (an import that would be refused once applied).
    pub avertissements: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Bilan {
    pub source: String,
    pub applique: bool,
    /// `csv`, `xlsx`, `xls`, `ods` or `xlsb`.
    pub format: String,
    /// CSV only.
    pub encodage: Option<String>,
    pub separateur: Option<String>,
    /// Workbooks only: the sheet read.
    pub feuille: Option<String>,
    /// The line (or sheet's row) of the header: below a title block, it is not the first.
    pub ligne_entete: Option<u64>,
    pub colonnes_ignorees: Vec<String>,
    /// No column gave the identifiers: they were computed.
    pub identifiants_calcules: bool,
    pub lignes: usize,
    pub valides: usize,
    pub avec_avertissements: usize,
    pub rejetees: usize,
    pub ajoutees: usize,
    pub modifiees: usize,
    pub inchangees: usize,
    /// Rows whose identifiant an earlier row of the file already gave.
    pub doublons: usize,
    pub retirees: usize,
    /// The sources written: the one named, or one per producer of a data·inclusion file.
    pub sources: Vec<String>,
    /// Rows of another département passed over (`--departement`).
    pub hors_departement: u64,
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

pub fn importer(session: &mut Session, a: Import<'_>) -> Result<Importe> {
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
    let separateur = separateur(&a.separateur)?;
    let options = Options {
        encodage,
        separateur,
        feuille: a.feuille.clone(),
        profil,
        departement: None,
        structures: None,
        de_structures: false,
    };
    let aujourdhui = session.aujourdhui;
    if !a.appliquer {
        return session.apercu(Exigence::Agent, |tx, _| {
            let mut etapes = Etapes::apercu(tx, &source)?;
            let resultat = lire_et_ecrire(tx, &mut etapes, &a, source, options, aujourdhui)?;
            etapes.terminer()?;
            Ok(resultat)
        });
    }
    // A second connection, for the thread that copies the WAL into the base as the steps go.
    let recopie = session.rouvrir()?;
    session.par_etapes(Exigence::Admin, |conn, agent, depuis| {
        let mut etapes = match Etapes::commencer(conn, &agent.identifiant, depuis, db::etapes::PAS)? {
            Ok(etapes) => etapes,
            Err(autre) => {
                return Err(erreur(format!(
                    "un autre import est en cours dans cette base depuis le {} (agent {})",
                    crate::domain::date::moment_fr(&autre.depuis),
                    autre.agent
                ))
                .aide("attendez qu'il se termine, puis relancez celui-ci")
                .into());
            }
        };
        etapes.recopier_avec(recopie)?;
        match lire_et_ecrire(conn, &mut etapes, &a, source, options, aujourdhui) {
            Ok(resultat) if resultat.refuse => {
                etapes.annuler()?;
                Ok(resultat)
            }
            Ok(resultat) => {
                etapes.terminer()?;
                Ok(resultat)
            }
            Err(e) => {
                // Undone; if even that fails, the next import undoes it.
                let _ = etapes.annuler();
                Err(e)
            }
        }
    })
}

/// A file without a data row (its header alone, or no row of the département).
fn rien_a_importer(fichier: &std::path::Path, bilan: &Bilan) -> UserError {
    let ou = match (bilan.ligne_entete, bilan.hors_departement) {
        (_, hors) if hors > 0 => format!(
            "aucune offre du département ({} hors du département)",
            compte(hors, "ligne", "lignes")
        ),
        (Some(entete), _) => format!("aucune ligne de données sous l'en-tête (ligne {entete})"),
        (None, _) => "aucun objet".to_owned(),
    };
    erreur(format!(
        "{} : {ou} : rien n'est importé (la source n'est ni créée ni changée)",
        fichier.display()
    ))
    .aide("demandez au partenaire sa liste complète ; un fichier réduit à son en-tête est le plus souvent un export interrompu")
}

/// The departement filter `--departement` asks for.
fn filtre_departement(demande: Option<&str>, departement: &str) -> Result<Option<String>> {
    Ok(match demande.map(str::trim) {
        None => None,
        Some("") => Some(departement.to_owned()),
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
    })
}

/// Reads the file, checks each row and writes the valid ones in `tx`; whether they stay
/// is the caller's decision.
/// A new source named as an existing one but for case, accents or punctuation (`CCAS`
/// beside `ccas`) would be the same partner twice: its offers listed twice, and an export
/// of both refused for identifiers given twice.
fn pas_d_homonyme(conn: &rusqlite::Connection, source: &str) -> Result<()> {
    let cle = crate::domain::texte::normaliser(source);
    let existantes = db::offre::sources_et_editeurs(conn)?;
    if existantes.iter().any(|(n, _)| n == source) {
        return Ok(());
    }
    match existantes
        .into_iter()
        .find(|(n, _)| crate::domain::texte::normaliser(n) == cle)
    {
        Some((autre, _)) => Err(UserError::usage(format!(
            "la source « {source} » ne diffère de la source « {autre} » de la base que par les majuscules, les \
             accents ou la ponctuation : ce serait le même partenaire sous deux noms"
        ))
        .aide(format!("relancez avec --source {autre}"))
        .into()),
        None => Ok(()),
    }
}

fn lire_et_ecrire(
    tx: &rusqlite::Connection,
    etapes: &mut Etapes<'_>,
    a: &Import<'_>,
    source: String,
    mut options: Options,
    aujourdhui: chrono::NaiveDate,
) -> Result<Importe> {
    db::offre::preparer_import(tx)?;
    pas_d_homonyme(tx, &source)?;
    let departement = db::meta::departement(tx)?;
    options.departement = filtre_departement(a.departement.as_deref(), &departement)?;
    options.structures = match &a.structures {
        Some(chemin) => Some(import::structures::Structures::lire(chemin, None)?),
        None => None,
    };
    let mut avertissements = Vec::new();
    let mut du_profil = Vec::new();
    if let (Some(profil), Some(chemin)) = (&options.profil, &a.profil) {
        for constat in profil.constats(aujourdhui, &departement) {
            let texte = format!("profil {}, {} : {}", chemin.display(), constat.cle, constat.message);
            if constat.refuse {
                return Err(erreur(format!("{texte} ; rien n'est importé"))
                    .aide(format!(
                        "corrigez cette valeur dans la section {} du profil, puis relancez",
                        constat.section
                    ))
                    .into());
            }
            du_profil.push(constat.colonne);
            avertissements.push(texte);
        }
    }
    let lecture = import::ouvrir(&a.fichier, options)?;
    let mut bilan = Bilan {
        source: source.clone(),
        applique: a.appliquer,
        colonnes_ignorees: (lecture.correspondance.ignorees.iter())
            .map(|c| apercu(c, APERCU).into_owned())
            .collect(),
        identifiants_calcules: lecture.correspondance.id_calcule,
        ..Bilan::default()
    };
    let barre = match &lecture.forme {
        Forme::Csv {
            encodage,
            separateur,
            entete,
        } => {
            bilan.format = "csv".into();
            bilan.ligne_entete = Some(*entete);
            bilan.encodage = Some(encodage.name().to_owned());
            bilan.separateur = Some(match separateur {
                b'\t' => "tab".into(),
                s => (*s as char).to_string(),
            });
            (a.barre)(Etendue::Octets(lecture.etendue))
        }
        Forme::Classeur {
            format,
            feuille,
            entete,
        } => {
            bilan.format = (*format).into();
            bilan.feuille = Some(feuille.clone());
            bilan.ligne_entete = Some(*entete);
            (a.barre)(Etendue::Lignes(lecture.etendue))
        }
        Forme::Json => {
            bilan.format = "json".into();
            None
        }
    };
    let unite = lecture.unite;
    let par_producteur = lecture
        .correspondance
        .champs
        .iter()
        .any(|(c, _, _)| *c == Champ::Source);
    let mut remarques = Remarques {
        unite,
        ..Remarques::default()
    };
    let id_calcule = lecture.correspondance.id_calcule;
    // Rejected rows that may name an offer of the base without saying which: a computed
    // identifier depends on the name, structure and commune a rejected row may have wrong.
    let mut rejets_sans_offre_sure = 0u64;
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

    // Per offer (by its row id): the last line of the file that gave it, to name it when
    // a later line repeats it.
    let mut premieres_lignes: Vec<u64> = Vec::new();
    // The file's name, never its path (a folder may bear a person's name).
    let nom_du_fichier = a.fichier.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut imports = db::offre::Imports::new(tx, aujourdhui);
    if let Some(nom) = &nom_du_fichier {
        imports = imports.lu_dans(nom);
    }
    // A file that names each row's producer writes into their sources only; any other into
    // the source named, even when it holds no row (then it withdraws, if allowed).
    if !par_producteur {
        imports.de(&source, false)?;
    }
    let nom_de_source =
        |producteur: Option<&str>| producteur.map_or_else(|| source.clone(), |p| format!("{source}/{p}"));
    bilan.hors_departement = lecture.verifier_chaque(aujourdhui, &departement, |v| {
        bilan.lignes += 1;
        if (a.interrompu)() {
            return Err(erreur("import interrompu : rien n'est importé").into());
        }
        if let Some(b) = &barre
            && bilan.lignes.is_multiple_of(1000)
        {
            b.set_position(v.octet);
        }
        // What a [fixe] value brings to every row was told once, as the profile's.
        for p in v.problemes.iter().filter(|p| !du_profil.contains(&p.colonne)) {
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
                    .enregistrer_ligne(o, texte, v.numero)?;
                // A repeated identifiant: the offer is counted once, as its last row leaves it.
                let i = usize::try_from(ecrite.id).unwrap_or(0);
                if premieres_lignes.len() <= i {
                    premieres_lignes.resize(i + 1, 0);
                }
                let avant_ligne = std::mem::replace(&mut premieres_lignes[i], v.numero);
                if let Some(avant) = ecrite.remplace {
                    bilan.doublons += 1;
                    *bilan.offres(avant) -= 1;
                    remarques.noter_doublon(
                        v.numero,
                        &doublon(&colonne_id, &o.identifiant, (unite, avant_ligne), id_calcule),
                    );
                }
                *bilan.offres(ecrite.etat) += 1;
                etapes.pas()?;
            }
            Err(rejet) => {
                bilan.rejetees += 1;
                if id_calcule || rejet.identifiant.is_none() {
                    rejets_sans_offre_sure += 1;
                }
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
                    ligne.push(format!("{} {} : {}", unite, v.numero, motif.join(" ; ")));
                    rejets.ligne(&ligne)?;
                }
            }
        }
        Ok(())
    })?;
    if let Some(b) = barre {
        b.finish_and_clear();
    }
    // Nothing to import: the source is not created (nor left as it was, when the file
    // would withdraw its offers: the guard below says how many).
    let actives_avant: u64 = imports.sources.iter().map(|(_, i)| i.actives_avant).sum();
    if bilan.lignes == 0 && (a.partiel || actives_avant == 0) {
        return Err(rien_a_importer(&a.fichier, &bilan).into());
    }
    if !a.partiel && rejets_sans_offre_sure > 0 {
        avertissements.push(format!(
            "{} sans identifiant sûr : aucune offre n'est retirée par cet import (une ligne rejetée peut \
             désigner une offre que le partenaire garde) ; corrigez les lignes rejetées, puis relancez l'import pour \
             retirer ce que le fichier ne nomme plus",
            compte(rejets_sans_offre_sure, "ligne rejetée", "lignes rejetées")
        ));
    }
    if !a.partiel && rejets_sans_offre_sure == 0 {
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
                avertissements.push(format!(
                    "{} : avec --appliquer, l'import sera refusé ; {}",
                    refus.message(nom),
                    refus.aide()
                ));
            }
            if a.appliquer {
                import.retirer(&absentes, etapes)?;
            }
        }
    }
    bilan.sources = imports.sources.iter().map(|(nom, _)| nom.clone()).collect();
    let refuse = a.strict && bilan.rejetees > 0;
    if a.appliquer && !refuse {
        for (_, import) in std::mem::take(&mut imports.sources) {
            import.fin()?;
        }
    }
    drop(imports);
    if let Some(rejets) = rejets {
        rejets.fin()?.valider()?;
    }
    bilan.applique = a.appliquer && !refuse;
    Ok(Importe {
        bilan,
        remarques,
        refuse,
        avertissements,
    })
}

//! `spie base …`: create, check and back up the base file, read its audit trail, apply
//! the retention rule; each calls its use case in [`crate::ops::base`].

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;

use super::phrase::{self, Question};

use super::Ctx;
use crate::db;
use crate::domain::date::fr;
use crate::domain::texte::{champ_libre, compte};
use crate::error::{Issue, UserError, erreur};
use crate::ops;
use crate::ops::base::{Controle, Demande, Journal};
use crate::output::{Colonne, Fiche, Ligne, Section, Valeur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Crée la base (refuse un fichier existant) et vous en fait administrateur
    Init {
        /// Nom de votre structure (demandé s'il manque, sur un terminal)
        #[arg(long, value_name = "NOM")]
        structure: Option<String>,
        /// Vos prénom et nom, montrés aux collègues et sur les convocations [défaut : votre
        /// identifiant]
        #[arg(long, value_name = "\"Prénom Nom\"")]
        nom: Option<String>,
        /// Département de la base : les communes y sont cherchées d'abord
        #[arg(long, value_name = "CODE", default_value = "55")]
        departement: String,
        /// Base d'essai (tests, formation) : SPIE_DATE y fixe la date du jour, et la base le dit
        /// partout (vérification, packs). Sur toute autre base, SPIE_DATE est refusée
        #[arg(long)]
        essai: bool,
        /// Lit la phrase de passe de l'administrateur dans ce fichier (droits 0600) [défaut : demandée]
        #[arg(long, value_name = "FICHIER", conflicts_with = "essai")]
        phrase_fichier: Option<PathBuf>,
    },
    /// Chiffre en place une base en clair (créée avant le chiffrement) ; affiche son code de secours
    Chiffrer {
        /// Lit la phrase de passe de l'administrateur dans ce fichier (droits 0600) [défaut : demandée]
        #[arg(long, value_name = "FICHIER")]
        phrase_fichier: Option<PathBuf>,
    },
    /// Rend l'accès à un administrateur par le code de secours (toutes les phrases oubliées)
    Recuperer {
        /// Le code de secours est demandé ; ou lu dans ce fichier (droits 0600)
        #[arg(long, value_name = "FICHIER")]
        code_fichier: Option<PathBuf>,
        /// Lit la phrase provisoire donnée à l'administrateur dans ce fichier (droits 0600)
        #[arg(long, value_name = "FICHIER")]
        phrase_fichier: Option<PathBuf>,
    },
    /// Restaure une base chiffrée et ses clés depuis une sauvegarde (vers --base, qui ne doit pas exister)
    Restaurer {
        /// L'archive écrite par `spie base sauvegarder`
        #[arg(value_name = "ARCHIVE")]
        archive: PathBuf,
    },
    /// Vérifie l'intégrité de la base (code de sortie 3 si un problème est trouvé)
    Verifier {
        /// Vérifie aussi que le journal des accès prolonge cette ancre, gardée hors de la base
        /// (le fichier ancre-journal.txt d'un pack mensuel, ou `base journal --ancre`)
        #[arg(long, value_name = "POSITION:EMPREINTE", value_parser = ancre)]
        ancre: Option<db::acces::Ancre>,
    },
    /// Le journal des accès : qui a consulté ou modifié quel dossier, quand, par quelle commande
    Journal {
        /// Seulement les accès à ce dossier (un droit de la personne)
        #[arg(long, value_parser = super::numero)]
        dossier: Option<i64>,
        /// Supprime les entrées de plus de 12 mois (administrateurs) ; la chaîne reste vérifiable
        #[arg(long, conflicts_with_all = ["dossier", "ancre"])]
        elaguer: bool,
        /// Affiche la tête de la chaîne, POSITION:EMPREINTE, à garder hors de la base pour
        /// vérifier plus tard qu'aucune entrée n'a été ôtée ni réécrite (`base verifier --ancre`)
        #[arg(long, conflicts_with = "dossier")]
        ancre: bool,
    },
    /// Durée de conservation : efface les dossiers clos sans contact depuis la durée (aperçu sans --appliquer)
    Purger {
        /// Durée en mois depuis le dernier contact avec la personne
        #[arg(long, default_value_t = 24, value_name = "MOIS", value_parser = super::entre(1u32, 1_200))]
        duree_mois: u32,
        /// Efface vraiment (sinon : la liste seulement)
        #[arg(long)]
        appliquer: bool,
    },
    /// Écrit une copie cohérente de la base, même pendant son utilisation
    Sauvegarder {
        /// Fichier de la copie (ne doit pas exister)
        #[arg(value_name = "FICHIER")]
        fichier: PathBuf,
        /// Écrit une copie en clair d'une base chiffrée (lisible par quiconque la trouve ; inscrit au
        /// journal)
        #[arg(long)]
        en_clair: bool,
    },
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Init {
            structure,
            nom,
            departement,
            essai,
            phrase_fichier,
        } => init(ctx, structure, nom, &departement, essai, phrase_fichier.as_deref()),
        Commande::Chiffrer { phrase_fichier } => chiffrer(ctx, phrase_fichier.as_deref()),
        Commande::Recuperer {
            code_fichier,
            phrase_fichier,
        } => recuperer(ctx, code_fichier.as_deref(), phrase_fichier.as_deref()),
        Commande::Restaurer { archive } => restaurer(ctx, &archive),
        Commande::Verifier { ancre } => verifier(ctx, ancre.as_ref()),
        Commande::Journal {
            dossier,
            elaguer,
            ancre,
        } => journal(
            ctx,
            if elaguer {
                Demande::Elaguer
            } else if ancre {
                Demande::Ancre
            } else {
                Demande::Entrees(dossier)
            },
        ),
        Commande::Purger { duree_mois, appliquer } => purger(ctx, duree_mois, appliquer),
        Commande::Sauvegarder { fichier, en_clair } => sauvegarder(ctx, &fichier, en_clair),
    }
}

/// The passphrase of an administrator who sets it (a new one, typed twice).
fn phrase_admin(ctx: &Ctx, fichier: Option<&Path>) -> Result<age::secrecy::SecretString> {
    phrase::lire(
        ctx,
        fichier,
        &Question {
            option: "--phrase-fichier",
            invite: "Votre phrase de passe (12 caractères au moins)",
            confirmer: true,
        },
    )
}

/// Shows a recovery code, once: it is kept nowhere else in the clear.
fn montrer_code(ctx: &Ctx, code: &str) {
    ctx.avertir(format!(
        "code de secours de la base : {code}\n  Notez-le maintenant et rangez-le dans le coffre de la structure : il ne sera \
         plus affiché. Il rend l'accès à la base si toutes les phrases des administrateurs sont oubliées \
         (`spie base recuperer`)."
    ));
}

fn init(
    ctx: &Ctx,
    structure: Option<String>,
    nom: Option<String>,
    departement: &str,
    essai: bool,
    phrase_fichier: Option<&Path>,
) -> Result<Issue> {
    let chemin = ctx.chemin_base();
    let agent = ctx.identifiant_agent()?.to_owned();
    // Checked before the structure is asked for.
    ops::base::verifier_init(&chemin, departement, &agent)?;
    let structure = ctx.exiger(structure, "--structure", "Nom de votre structure", |s| {
        let nom = champ_libre("nom de la structure", s, 200).map_err(erreur)?;
        if nom.is_empty() {
            return Err(UserError::usage("--structure : le nom ne peut pas être vide").into());
        }
        Ok(nom)
    })?;
    if ctx.date_forcee() && !essai {
        return Err(crate::ops::session::date_forcee_refusee().into());
    }
    let phrase = if essai {
        None
    } else {
        Some(phrase_admin(ctx, phrase_fichier)?)
    };
    let cree = ops::base::init(ops::base::Init {
        base: chemin,
        agent,
        nom,
        structure,
        departement: departement.to_owned(),
        aujourdhui: ctx.aujourdhui,
        essai,
        phrase,
    })?;
    if let Some(code) = &cree.code_de_secours {
        montrer_code(ctx, code);
    }
    let nature = if cree.chiffree {
        "chiffrée ; ouvrez votre session avec `spie connexion`, puis ajoutez"
    } else {
        "d'essai, en clair ; ajoutez"
    };
    ctx.dire(format!(
        "Base créée : {} ({nature} vos collègues avec `spie agent ajouter IDENTIFIANT --nom \"Prénom Nom\" \
         --structure \"{}\"`). Vous ({}) en êtes l'administrateur.",
        cree.base, cree.structure, cree.agent
    ));
    ctx.sortie.fiche(&cree, &fiche_init(&cree))?;
    Ok(Issue::Succes)
}

fn fiche_init(cree: &ops::base::BaseCreee) -> Fiche {
    Fiche {
        sections: vec![
            Section::new("Base créée")
                .champ("Fichier", cree.base.clone())
                .champ("Département", cree.departement.clone())
                .champ("Structure", cree.structure.clone())
                .champ("Administrateur", cree.agent.clone())
                .champ("Base d'essai", if cree.essai { "oui" } else { "non" })
                .champ("Chiffrée", if cree.chiffree { "oui" } else { "non" }),
        ],
    }
}

impl Ligne for Controle {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "controle",
            titre: "Contrôle",
        },
        Colonne {
            cle: "statut",
            titre: "Statut",
        },
        Colonne {
            cle: "detail",
            titre: "Détail",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![self.controle.into(), self.statut.into(), self.detail.clone().into()]
    }
}

/// `--ancre POSITION:EMPREINTE`.
fn ancre(texte: &str) -> Result<db::acces::Ancre, String> {
    texte.parse().map_err(|()| {
        "ancre attendue sous la forme POSITION:EMPREINTE (un nombre, « : », 64 chiffres hexadécimaux)".into()
    })
}

fn verifier(ctx: &Ctx, ancre: Option<&db::acces::Ancre>) -> Result<Issue> {
    let controles = ops::base::verifier(&ctx.lancement(), ancre)?;
    ctx.sortie.liste(&controles)?;
    if controles.iter().all(Controle::ok) {
        ctx.dire("Base saine.");
        Ok(Issue::Succes)
    } else {
        ctx.avertir(
            "la base présente des problèmes ; restaurez la dernière bonne sauvegarde ou contactez l'administrateur",
        );
        Ok(Issue::Constats)
    }
}

impl Ligne for crate::domain::acces::Entree {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "id", titre: "N°"
        },
        Colonne {
            cle: "horodatage",
            titre: "Quand",
        },
        Colonne {
            cle: "agent",
            titre: "Agent",
        },
        Colonne {
            cle: "commande",
            titre: "Commande",
        },
        Colonne {
            cle: "dossier",
            titre: "Dossier",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.id.into(),
            self.horodatage.replace('T', " ").into(),
            self.agent.clone().into(),
            self.commande.clone().into(),
            self.dossier.into(),
        ]
    }
}

fn journal(ctx: &Ctx, demande: Demande) -> Result<Issue> {
    match ops::base::journal(&mut ctx.session()?, demande)? {
        Journal::Ancre(Some(ancre)) => ctx.sortie.cree("ancre", &ancre.to_string())?,
        Journal::Ancre(None) => {
            return Err(
                crate::error::erreur("le journal des accès est vide : pas encore d'ancre")
                    .aide("la première commande sur un dossier y inscrit une entrée")
                    .into(),
            );
        }
        Journal::Entrees(entrees) => ctx.sortie.liste(&entrees)?,
        Journal::Elague { supprimees, avant } => ctx.dire(format!(
            "{} au {} du journal des accès.",
            compte(
                supprimees as u64,
                "entrée antérieure supprimée",
                "entrées antérieures supprimées"
            ),
            fr(avant)
        )),
    }
    Ok(Issue::Succes)
}

impl Ligne for crate::domain::parcours::APurger {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "dossier",
            titre: "Dossier",
        },
        Colonne {
            cle: "dernier_contact",
            titre: "Dernier contact",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![self.dossier.into(), self.dernier_contact.into()]
    }
}

fn purger(ctx: &Ctx, duree_mois: u32, appliquer: bool) -> Result<Issue> {
    let purge = ops::base::purger(&mut ctx.session()?, duree_mois, appliquer)?;
    let n = purge.dossiers.len() as u64;
    if appliquer {
        ctx.dire(format!(
            "{} (clos, sans contact depuis le {}).",
            compte(n, "dossier effacé", "dossiers effacés"),
            fr(purge.avant)
        ));
    } else {
        ctx.dire(format!(
            "{} à effacer (clos, sans contact depuis le {}) ; rien n'est effacé sans --appliquer.",
            compte(n, "dossier", "dossiers"),
            fr(purge.avant)
        ));
    }
    ctx.sortie.liste(&purge.dossiers)?;
    Ok(Issue::Succes)
}

fn sauvegarder(ctx: &Ctx, fichier: &Path, en_clair: bool) -> Result<Issue> {
    let s = ops::base::sauvegarder(&mut ctx.session()?, fichier, en_clair)?;
    if s.forme == "en clair" {
        ctx.avertir(format!(
            "{} est une copie en clair : rangez-la sous clé, ou détruisez-la après usage",
            s.fichier
        ));
    }
    if s.import_ecarte {
        ctx.avertir(
            "un import d'offres était en cours : la sauvegarde contient le catalogue d'avant lui (le reste est complet)",
        );
    }
    ctx.dire(format!(
        "Sauvegarde écrite : {} ({} Kio, {}).",
        s.fichier,
        s.octets / 1024,
        s.forme
    ));
    let fiche = Fiche {
        sections: vec![
            Section::new("Sauvegarde")
                .champ("Fichier", s.fichier.clone())
                .champ("Octets", s.octets as i64)
                .champ("Forme", s.forme)
                .champ("Import en cours écarté", if s.import_ecarte { "oui" } else { "non" }),
        ],
    };
    ctx.sortie.fiche(&s, &fiche)?;
    Ok(Issue::Succes)
}

fn chiffrer(ctx: &Ctx, phrase_fichier: Option<&Path>) -> Result<Issue> {
    let agent = ctx.identifiant_agent()?.to_owned();
    let base = ctx.chemin_base();
    let phrase = phrase_admin(ctx, phrase_fichier)?;
    let c = ops::base::chiffrer(&base, &agent, &phrase)?;
    montrer_code(ctx, &c.code_de_secours);
    ctx.dire(format!(
        "Base chiffrée : {}. Ouvrez votre session avec `spie connexion`, puis donnez une phrase provisoire à chaque \
         agent : `spie agent reinitialiser ID`. Détruisez les anciennes sauvegardes en clair.",
        c.base
    ));
    ctx.sortie.cree("base", &c.base)?;
    Ok(Issue::Succes)
}

fn recuperer(ctx: &Ctx, code_fichier: Option<&Path>, phrase_fichier: Option<&Path>) -> Result<Issue> {
    let agent = ctx.identifiant_agent()?.to_owned();
    let code = phrase::lire(
        ctx,
        code_fichier,
        &Question {
            option: "--code-fichier",
            invite: "Code de secours",
            confirmer: false,
        },
    )?;
    let phrase = phrase::lire(
        ctx,
        phrase_fichier,
        &Question {
            option: "--phrase-fichier",
            invite: &format!(
                "Phrase provisoire {} (12 caractères au moins)",
                crate::domain::texte::de(&agent)
            ),
            confirmer: true,
        },
    )?;
    let r = ops::base::recuperer(ops::base::Recuperation {
        base: ctx.chemin_base(),
        code,
        agent,
        phrase,
    })?;
    montrer_code(ctx, &r.code_de_secours);
    ctx.dire(format!(
        "Accès rendu à {} : connectez-vous avec la phrase provisoire (`spie connexion`), qui devra être changée. \
         L'ancien code de secours ne vaut plus.",
        r.agent
    ));
    ctx.sortie.cree("agent", &r.agent)?;
    Ok(Issue::Succes)
}

fn restaurer(ctx: &Ctx, archive: &Path) -> Result<Issue> {
    let r = ops::base::restaurer(archive, &ctx.chemin_base())?;
    ctx.dire(format!("Base restaurée : {} (clés : {}).", r.base, r.cles));
    ctx.sortie.cree("base", &r.base)?;
    Ok(Issue::Succes)
}

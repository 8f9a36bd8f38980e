//! `spie base …`: create, check and back up the base file, read its audit trail, apply
//! the retention rule; each calls its use case in [`crate::ops::base`].

use anyhow::Result;
use clap::Subcommand;

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
        /// Département de la base : les communes y sont cherchées d'abord
        #[arg(long, value_name = "CODE", default_value = "55")]
        departement: String,
        /// Base d'essai (tests, formation) : SPIE_DATE y fixe la date du jour, et la base le dit
        /// partout (vérification, packs). Sur toute autre base, SPIE_DATE est refusée
        #[arg(long)]
        essai: bool,
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
        fichier: std::path::PathBuf,
    },
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Init {
            structure,
            departement,
            essai,
        } => init(ctx, structure, &departement, essai),
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
        Commande::Sauvegarder { fichier } => sauvegarder(ctx, &fichier),
    }
}

fn init(ctx: &Ctx, structure: Option<String>, departement: &str, essai: bool) -> Result<Issue> {
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
    let cree = ops::base::init(ops::base::Init {
        base: chemin,
        agent,
        structure,
        departement: departement.to_owned(),
        aujourdhui: ctx.aujourdhui,
        essai,
    })?;
    ctx.dire(format!(
        "Base créée : {}. Vous ({}) en êtes l'administrateur.\n\
         Étape suivante : ajoutez vos collègues avec `spie agent ajouter IDENTIFIANT --nom \"Prénom Nom\" --structure \"{}\"`.",
        cree.base, cree.agent, cree.structure
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
                .champ("Base d'essai", if cree.essai { "oui" } else { "non" }),
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

fn sauvegarder(ctx: &Ctx, fichier: &std::path::Path) -> Result<Issue> {
    let s = ops::base::sauvegarder(&mut ctx.session()?, fichier)?;
    ctx.dire(format!("Sauvegarde écrite : {} ({} Kio).", s.fichier, s.octets / 1024));
    let fiche = Fiche {
        sections: vec![
            Section::new("Sauvegarde")
                .champ("Fichier", s.fichier.clone())
                .champ("Octets", s.octets as i64),
        ],
    };
    ctx.sortie.fiche(&s, &fiche)?;
    Ok(Issue::Succes)
}

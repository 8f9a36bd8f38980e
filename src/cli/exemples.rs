//! One example per command, shown at the end of its help (`spie parcours note --help`).
//! A test checks that every command that runs has one, and that each example is a valid
//! command line: a new command adds its line here.

/// (command path, example).
pub const EXEMPLES: &[(&str, &str)] = &[
    (
        "base init",
        "spie base init --structure \"CCAS de Verdun\" --departement 55",
    ),
    ("base chiffrer", "spie base chiffrer"),
    ("base recuperer", "spie --agent admin base recuperer"),
    (
        "base restaurer",
        "spie base restaurer ~/sauvegardes/spie-2027-02-01.spie",
    ),
    ("base verifier", "spie base verifier"),
    ("base journal", "spie base journal --dossier 12"),
    ("base purger", "spie base purger --duree-mois 24"),
    (
        "base sauvegarder",
        "spie base sauvegarder ~/sauvegardes/spie-2027-02-01.spie",
    ),
    (
        "agent ajouter",
        "spie agent ajouter m.durand --nom \"Marc Durand\" --structure \"CCAS de Verdun\"",
    ),
    ("agent liste", "spie agent liste"),
    ("agent retirer", "spie agent retirer s.petit"),
    ("agent reinitialiser", "spie agent reinitialiser m.durand"),
    ("structure ajouter", "spie structure ajouter \"Mission locale\""),
    (
        "structure modifier",
        "spie structure modifier \"CCAS de Verdun\" --adresse \"1 place de la Nation, 55100 Verdun\" --telephone \"03 29 86 00 00\"",
    ),
    ("structure liste", "spie structure liste"),
    ("structure cle", "spie structure cle"),
    (
        "stats consolider",
        "spie stats consolider packs/ccas-2026-10 packs/ml-2026-10 --sortie territoire-2026-10",
    ),
    (
        "rdv planifier",
        "spie rdv planifier 12 --le \"03/02/2027 14:30\" --type suivi --lieu \"CCAS, bureau 2\"",
    ),
    (
        "rdv honore",
        "spie rdv honore 7 --corriger --motif \"erreur de saisie : la personne était là\"",
    ),
    ("rdv absent", "spie rdv absent 7"),
    ("rdv excuse", "spie rdv excuse 7 --motif \"garde d'enfant\""),
    (
        "rdv annule",
        "spie rdv annule 7 --motif \"agent absent\" --sortie ~/convocations",
    ),
    ("rdv agenda", "spie rdv agenda --semaine"),
    ("rdv convocation", "spie rdv convocation 7 --sortie ~/convocations"),
    (
        "parcours contrat",
        "spie parcours contrat 12 --type cer --debut 01/02/2027 --fin 31/07/2027",
    ),
    (
        "parcours contrat corriger",
        "spie parcours contrat corriger 3 --fin 31/08/2027 --motif \"avenant signé le 15/07\"",
    ),
    (
        "parcours contrat retirer",
        "spie parcours contrat retirer 3 --motif \"enregistré dans le mauvais dossier\"",
    ),
    (
        "offre prescription",
        "spie offre prescription 5 refusee --motif \"plus de place cette session\"",
    ),
    (
        "parcours transmettre",
        "spie parcours transmettre 12 --vers \"Mission locale\" --sortie envoi-12.spie",
    ),
    ("parcours recevoir", "spie parcours recevoir envoi-12.spie --appliquer"),
    (
        "parcours ouvrir",
        "spie parcours ouvrir --nom Dupont --prenom Marie --naissance 12/03/1985 --commune \"55100 Verdun\"",
    ),
    (
        "parcours liste",
        "spie parcours liste --referent m.durand --sans-contact 90",
    ),
    ("parcours chercher", "spie parcours chercher dupont marie"),
    ("parcours voir", "spie parcours voir 12"),
    (
        "parcours modifier",
        "spie parcours modifier 12 --telephone \"06 12 34 56 78\"",
    ),
    ("parcours referent", "spie parcours referent 12 m.durand"),
    ("parcours orienter", "spie parcours orienter 12 sociopro"),
    ("parcours membre ajouter", "spie parcours membre ajouter 12 l.roux"),
    ("parcours membre retirer", "spie parcours membre retirer 12 l.roux"),
    ("parcours consentement", "spie parcours consentement 12 --partage oui"),
    (
        "parcours objectif ajouter",
        "spie parcours objectif ajouter 12 --thematique mobilite--preparer-un-permis",
    ),
    ("parcours objectif statut", "spie parcours objectif statut 3 realise"),
    (
        "parcours action ajouter",
        "spie parcours action ajouter 12 --objectif 3 --libelle \"Auto-école sociale\" --echeance 15/01/2027",
    ),
    ("parcours action statut", "spie parcours action statut 5 en-cours"),
    (
        "parcours action corriger",
        "spie parcours action corriger 5 \"Inscription à l'auto-école sociale\"",
    ),
    (
        "parcours note",
        "spie parcours note 12 \"Point sur le code de la route.\" --type entretien",
    ),
    (
        "parcours note corriger",
        "spie parcours note corriger 40 \"Point sur le code de la route, examen en mars.\"",
    ),
    (
        "parcours note retirer",
        "spie parcours note retirer 40 --motif \"saisie dans le mauvais dossier\" --autre-personne",
    ),
    ("parcours a-faire", "spie parcours a-faire"),
    (
        "parcours exporter",
        "spie parcours exporter 12 --sortie dossier-12.json.age",
    ),
    ("parcours effacer", "spie parcours effacer 12 --confirmer"),
    ("parcours clore", "spie parcours clore 12 --motif emploi-durable"),
    ("parcours rouvrir", "spie parcours rouvrir 12"),
    ("diagnostic grille", "spie diagnostic grille"),
    (
        "diagnostic nouveau",
        "spie diagnostic nouveau 12 --contrainte mobilite=fort --activite-24-mois non",
    ),
    ("diagnostic voir", "spie diagnostic voir 12 --historique"),
    ("diagnostic comparer", "spie diagnostic comparer 12"),
    ("diagnostic a-faire", "spie diagnostic a-faire --delai 30"),
    (
        "diagnostic erreur",
        "spie diagnostic erreur 7 --motif \"saisi dans le mauvais dossier\"",
    ),
    (
        "offre importer",
        "spie offre importer france-services.csv --source france-services --profil france-services.toml",
    ),
    (
        "offre chercher",
        "spie offre chercher --thematique mobilite --commune Verdun --rayon 20",
    ),
    ("offre voir", "spie offre voir 7"),
    ("offre sources", "spie offre sources"),
    ("offre proposer", "spie offre proposer 12"),
    ("offre prescrire", "spie offre prescrire 12 7"),
    ("offre exporter", "spie offre exporter --sortie offres.json"),
    ("offre thematiques", "spie offre thematiques permis"),
    ("stats mensuel", "spie stats mensuel --mois 2026-10"),
    ("stats export", "spie stats export --mois 2026-10 --sortie pack-2026-10"),
    (
        "stats rapport",
        "spie stats rapport --mois 2026-10 --sortie rapport-2026-10.html",
    ),
    ("demo", "spie demo --personnes 8000"),
    ("connexion", "spie connexion --agent m.durand"),
    ("deconnexion", "spie deconnexion"),
    (
        "completions",
        "spie completions bash > ~/.local/share/bash-completion/completions/spie",
    ),
    ("man", "spie man --dossier ~/.local/share/man/man1"),
];

/// The example of a command, by its path without `spie` (`parcours note`).
pub fn de(chemin: &str) -> Option<&'static str> {
    EXEMPLES.iter().find(|(c, _)| *c == chemin).map(|(_, e)| *e)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;

    /// The commands that run (not only a group of commands), by path.
    fn executables(cmd: &clap::Command, chemin: &str, sortie: &mut Vec<String>) {
        for sous in cmd.get_subcommands() {
            let chemin = format!("{chemin} {}", sous.get_name()).trim().to_owned();
            if sous.get_subcommands().next().is_none() || !sous.is_subcommand_required_set() {
                sortie.push(chemin.clone());
            }
            executables(sous, &chemin, sortie);
        }
    }

    #[test]
    fn every_command_has_an_example_that_parses() {
        let mut chemins = Vec::new();
        executables(&crate::cli::commande(), "", &mut chemins);
        assert!(chemins.len() > 50, "{chemins:?}");
        for chemin in &chemins {
            let exemple = de(chemin).unwrap_or_else(|| panic!("« spie {chemin} » n'a pas d'exemple"));
            let mots = mots(exemple);
            assert!(
                crate::cli::analyser(&mots).is_ok(),
                "l'exemple de « {chemin} » n'est pas une commande valide : {exemple}"
            );
            let trouve = crate::cli::analyser(&mots).map(|c| c.chemin).unwrap_or_default();
            assert_eq!(&trouve, chemin, "l'exemple de « {chemin} » lance une autre commande");
        }
        for (chemin, _) in EXEMPLES {
            assert!(
                chemins.contains(&chemin.to_string()),
                "exemple d'une commande inconnue : {chemin}"
            );
        }
    }

    /// The plain command parses what the French one parses, to the same matches: only
    /// their help differs.
    #[test]
    fn the_plain_command_reads_every_example_as_the_french_one() {
        for (_, exemple) in EXEMPLES {
            let mots = mots(exemple);
            let francaise = crate::cli::commande().try_get_matches_from(&mots).expect(exemple);
            let simple = crate::cli::Cli::command().try_get_matches_from(&mots).expect(exemple);
            let cli = |m: &clap::ArgMatches| format!("{:?}", crate::cli::Cli::from_arg_matches(m).unwrap());
            assert_eq!(cli(&simple), cli(&francaise), "{exemple}");
        }
        for lignes in [&["spie", "--help"][..], &["spie", "-V"], &["spie", "parcours", "voir"]] {
            assert!(crate::cli::Cli::command().try_get_matches_from(lignes).is_err());
        }
    }

    /// The words of an example as a shell reads them (double quotes; a redirection ends it).
    fn mots(exemple: &str) -> Vec<String> {
        let mut mots = Vec::new();
        let (mut mot, mut cite) = (String::new(), false);
        for c in exemple.chars() {
            match c {
                '"' => cite = !cite,
                '>' if !cite => break,
                ' ' if !cite => {
                    if !mot.is_empty() {
                        mots.push(std::mem::take(&mut mot));
                    }
                }
                _ => mot.push(c),
            }
        }
        if !mot.is_empty() {
            mots.push(mot);
        }
        mots
    }
}

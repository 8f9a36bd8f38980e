//! The dossier laid out for a terminal of about 100 columns: short sections of fields,
//! narrow tables, the plan as one table with each objective above its actions.

use crate::domain::date;
use crate::domain::personne::{PUBLICS, Sexe};
use crate::domain::suivi::TypeNote;
use crate::ops::parcours::voir::{ActionVue, Vue};
use crate::output::{Fiche, Section, Valeur};
use crate::referentiel::thematiques;

pub fn fiche(v: &Vue) -> Fiche {
    let mut sections = vec![identite(v), parcours(v)];
    if !v.equipe.is_empty() {
        sections.push(equipe(v));
    }
    sections.push(diagnostic(v));
    sections.push(plan(v));
    if !v.rdv.is_empty() {
        sections.push(rendez_vous(v));
    }
    if !v.contrats.is_empty() {
        sections.push(contrats(v));
    }
    sections.push(journal(v));
    if !v.corrections.is_empty() {
        sections.push(corrections(v));
    }
    if v.parcours.len() > 1 {
        sections.push(historique(v));
    }
    Fiche { sections }
}

fn identite(v: &Vue) -> Section {
    let id = &v.personne.identite;
    let publics: Vec<String> = id
        .publics
        .iter()
        .map(|p| {
            PUBLICS
                .iter()
                .find(|(c, _)| c == p)
                .map_or(p.clone(), |(_, l)| (*l).to_owned())
        })
        .collect();
    let commune = match (v.residence.commune_nom, v.residence.departement) {
        (Some(nom), Some(dep)) => format!("{nom} ({dep}) — INSEE {}", id.commune),
        _ => id.commune.clone(),
    };
    let sexe = id.sexe.map(Sexe::mot);
    Section::new(format!("Dossier {}", v.personne.dossier))
        .champ("Nom", format!("{} {}", id.prenom, id.nom))
        .champ(
            "Naissance",
            Valeur::avec(
                id.naissance,
                format!(
                    "({})",
                    crate::domain::texte::compte(v.age.unsigned_abs().into(), "an", "ans")
                ),
            ),
        )
        .champ("Sexe", sexe)
        .champ("Adresse", id.adresse.clone())
        .champ("Commune", commune)
        .champ("EPCI", v.residence.nom_epci)
        .champ("Téléphone", id.telephone.clone())
        .champ("Courriel", id.courriel.clone())
        .champ("Identifiant France Travail", id.france_travail.clone())
        .champ("Numéro CAF", id.caf.clone())
        .champ("Publics", publics.join(", "))
}

/// The orientation decided, by whom, and whether it follows the suggestion.
fn orientation(v: &Vue) -> String {
    match &v.orientation {
        Some(o) => {
            let suivi = match o.conforme {
                Some(true) => "conforme à la suggestion".to_string(),
                Some(false) => format!("contre la suggestion ({})", o.suggestion.map_or("", |s| s.mot())),
                None => "sans diagnostic".to_string(),
            };
            format!(
                "{} le {} par {}, {suivi}",
                o.orientation.mot(),
                date::fr(o.date),
                o.agent_nom.as_deref().unwrap_or(&o.agent)
            )
        }
        None if v.identite_seulement => "non visible (rôle accueil)".into(),
        None => "non décidée".into(),
    }
}

fn parcours(v: &Vue) -> Section {
    let Some(p) = v.parcours.last() else {
        return Section::new("Parcours").champ("Aucun", "");
    };
    let titre = if p.est_ouvert() {
        "Parcours en cours"
    } else {
        "Dernier parcours (clos)"
    };
    let referent = p
        .referent_actif()
        .map(|r| format!("{}, depuis le {}", r.nom, date::fr(r.debut)))
        .unwrap_or_else(|| "aucun".into());
    let consentement = match &v.consentement {
        Some(c) if c.partage => format!("partage accepté le {}", date::fr(c.date)),
        Some(c) => format!("partage refusé le {}", date::fr(c.date)),
        None => "non recueilli".into(),
    };
    let mut s = Section::new(titre)
        .champ("Structure", p.structure.clone())
        .champ("Entrée", p.entree)
        .champ("Référent", referent);
    let precedents: Vec<String> = p
        .referents
        .iter()
        .filter_map(|r| {
            r.fin
                .map(|fin| format!("{} ({} → {})", r.nom, date::fr(r.debut), date::fr(fin)))
        })
        .collect();
    if !precedents.is_empty() {
        s = s.champ("Référents précédents", precedents.join(", "));
    }
    if let (Some(sortie), Some(motif)) = (p.sortie, p.motif_sortie) {
        s = s.champ("Sortie", Valeur::avec(sortie, format!("({})", motif.mot())));
    }
    s = s.champ("Orientation", orientation(v));
    if let Some(motif) = v.orientation.as_ref().and_then(|o| o.motif.clone()) {
        s = s.champ("Motif de l'orientation", motif);
    }
    s = s.champ("Consentement", consentement).champ(
        "Dernier contact",
        v.dernier_contact.map_or_else(|| "aucun".into(), Valeur::from),
    );
    if let (Some(d), Some(o)) = (v.prochaine_echeance, v.echeance_objet) {
        s = s.champ("Prochaine échéance", Valeur::avec(d, format!("({})", o.libelle())));
    }
    s
}

fn rendez_vous(v: &Vue) -> Section {
    Section::new("Rendez-vous").tableau(
        vec!["N°", "Quand", "Type", "Avec", "Lieu", "Issue"],
        v.rdv
            .iter()
            .map(|r| {
                let mut issue = match &r.motif {
                    Some(motif) => format!("{} ({motif})", r.statut.libelle()),
                    None => r.statut.libelle(),
                };
                if v.corrections
                    .iter()
                    .any(|c| c.element == format!("rendez-vous {}", r.id))
                {
                    issue.push_str(" (issue corrigée : voir les corrections)");
                }
                vec![
                    r.id.into(),
                    r.debut.into(),
                    r.type_.libelle().into(),
                    r.agent_nom.clone().into(),
                    Valeur::from(r.lieu.clone()),
                    if r.statut == crate::domain::rdv::StatutRdv::Absent {
                        Valeur::alerte(issue)
                    } else {
                        issue.into()
                    },
                ]
            })
            .collect(),
    )
}

fn contrats(v: &Vue) -> Section {
    Section::new("Contrats").tableau(
        vec!["N°", "Contrat", "Début", "Fin"],
        v.contrats
            .iter()
            .map(|c| vec![c.id.into(), c.type_.libelle().into(), c.debut.into(), c.fin.into()])
            .collect(),
    )
}

fn equipe(v: &Vue) -> Section {
    Section::new("Équipe").tableau(
        vec!["Agent", "Nom", "Structure", "Depuis", "Jusqu'au", "Sans consentement"],
        v.equipe
            .iter()
            .map(|m| {
                vec![
                    m.agent.clone().into(),
                    m.nom.clone().into(),
                    m.structure.clone().into(),
                    m.debut.into(),
                    m.fin.into(),
                    Valeur::from(m.motif_sans_consentement.clone()),
                ]
            })
            .collect(),
    )
}

fn diagnostic(v: &Vue) -> Section {
    match &v.diagnostic {
        Some(d) => {
            let freins: Vec<String> = d
                .freins
                .iter()
                .map(|f| format!("{} ({})", f.dimension.mot(), f.niveau.mot()))
                .collect();
            Section::new("Dernier diagnostic")
                .champ(
                    "Date",
                    Valeur::avec(
                        d.date,
                        format!("(n° {}, {})", d.id, if d.complet { "complet" } else { "incomplet" }),
                    ),
                )
                .champ(
                    "Freins",
                    if freins.is_empty() {
                        "aucun".into()
                    } else {
                        freins.join(", ")
                    },
                )
                .champ(
                    "Orientation suggérée",
                    format!("{} (règle {})", d.suggestion.orientation.mot(), d.suggestion.regle),
                )
        }
        None if v.identite_seulement => Section::new("Dernier diagnostic").champ("Non visible", "rôle accueil"),
        None => Section::new("Dernier diagnostic").champ("Aucun", "pas encore de diagnostic"),
    }
}

fn ligne_action(a: &ActionVue, retrait: &str) -> Vec<Valeur> {
    let ac = &a.action;
    // Overdue: in words, and in colour on a terminal.
    let echeance = match ac.echeance {
        Some(e) if a.en_retard => Valeur::alerte(Valeur::avec(e, "EN RETARD")),
        Some(e) => e.into(),
        None => Valeur::Vide,
    };
    vec![
        format!("{retrait}action {}", ac.id).into(),
        ac.libelle.clone().into(),
        // A prescription says where the partner's answer stands, beside the action's status.
        // Said once when both say the same (« Proposée à la personne »).
        match &a.prescription {
            Some(p) if p.statut.libelle().to_lowercase() != ac.statut.libelle().to_lowercase() => format!(
                "{} ; prescription : {}",
                ac.statut.libelle(),
                p.statut.libelle().to_lowercase()
            )
            .into(),
            _ => ac.statut.libelle().into(),
        },
        echeance,
        Valeur::from(ac.structure.clone()),
    ]
}

fn plan(v: &Vue) -> Section {
    let mut lignes = Vec::new();
    for o in &v.objectifs {
        let titre = match &o.objectif.libelle {
            Some(l) => format!("{l} — {}", thematiques::libelle(&o.objectif.thematique)),
            None => thematiques::libelle(&o.objectif.thematique).to_owned(),
        };
        lignes.push(vec![
            format!("objectif {}", o.objectif.id).into(),
            titre.into(),
            o.objectif.statut.libelle().into(),
            Valeur::Vide,
            Valeur::Vide,
        ]);
        lignes.extend(o.actions.iter().map(|a| ligne_action(a, "  ")));
    }
    // Under a heading of their own: after the last objective they would read as its own.
    if !v.objectifs.is_empty() && !v.actions_sans_objectif.is_empty() {
        lignes.push(vec![
            "hors objectif".into(),
            Valeur::Vide,
            Valeur::Vide,
            Valeur::Vide,
            Valeur::Vide,
        ]);
    }
    lignes.extend(v.actions_sans_objectif.iter().map(|a| ligne_action(a, "")));
    Section::new("Plan").tableau(
        vec!["N°", "Objectif ou action", "Statut", "Échéance", "Porteur"],
        lignes,
    )
}

fn journal(v: &Vue) -> Section {
    Section::new("Journal (le plus récent d'abord)").tableau(
        vec!["N°", "Date", "Type", "Agent", "Note"],
        v.journal
            .iter()
            .map(|n| {
                let texte = match (n.retiree, n.corrigee) {
                    (true, _) => "(note retirée : voir les corrections)".to_owned(),
                    (false, true) => format!("{} (corrigée)", n.texte),
                    (false, false) => n.texte.clone(),
                };
                vec![
                    n.id.into(),
                    n.date.into(),
                    match n.type_ {
                        TypeNote::Absence => Valeur::alerte(n.type_.mot()),
                        t => t.mot().into(),
                    },
                    match &n.recue_de {
                        Some(de) => format!("{}, reçue de {de}", n.agent_nom).into(),
                        None => n.agent_nom.clone().into(),
                    },
                    texte.into(),
                ]
            })
            .collect(),
    )
}

fn corrections(v: &Vue) -> Section {
    Section::new("Corrections (textes antérieurs)").tableau(
        vec!["Date", "Élément", "Par", "Ancien texte", "Motif"],
        v.corrections
            .iter()
            .map(|c| {
                let motif = match (&c.motif, c.retrait) {
                    (Some(m), true) => format!("retrait : {m}"),
                    (m, _) => m.clone().unwrap_or_default(),
                };
                vec![
                    c.date.into(),
                    c.element.clone().into(),
                    c.agent.clone().into(),
                    if c.ancien.is_empty() && c.retrait {
                        "(texte effacé : il concernait une autre personne)".into()
                    } else {
                        c.ancien.clone().into()
                    },
                    motif.into(),
                ]
            })
            .collect(),
    )
}

fn historique(v: &Vue) -> Section {
    Section::new("Historique des parcours").tableau(
        vec!["Entrée", "Sortie", "Motif", "Structure", "Référents"],
        v.parcours
            .iter()
            .map(|p| {
                let referents: Vec<&str> = p.referents.iter().map(|r| r.nom.as_str()).collect();
                vec![
                    p.entree.into(),
                    p.sortie.into(),
                    Valeur::from(p.motif_sortie.map(|m| m.mot())),
                    p.structure.clone().into(),
                    referents.join(", ").into(),
                ]
            })
            .collect(),
    )
}

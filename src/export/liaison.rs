//! The "fiche de liaison": what a file sent to a partner holds, as a printable HTML page
//! for a partner who has no spie.

use crate::domain::date::fr;
use crate::domain::echange::{Contenu, ParcoursTransmis};
use crate::export::rapport::echapper;

pub fn fiche(contenu: &Contenu) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Fiche de liaison</title>\
         <style>body{{font-family:sans-serif;max-width:50em;margin:auto}}h2{{border-bottom:1px solid #888}}\
         td,th{{text-align:left;padding:0 1em 0 0;vertical-align:top}}@media print{{section{{break-after:page}}}}</style>\
         </head><body>\n<h1>Fiche de liaison</h1>\n<p>De : {} — envoi n° {} du {}</p>\n",
        echapper(&contenu.de.nom),
        contenu.numero,
        contenu
            .emis_le
            .get(..10)
            .and_then(|j| j.parse().ok())
            .map_or_else(|| echapper(&contenu.emis_le), fr)
    );
    for p in &contenu.parcours {
        html.push_str(&parcours(p));
    }
    html.push_str("</body></html>\n");
    html
}

fn parcours(p: &ParcoursTransmis) -> String {
    let mut html = String::from("<section>\n");
    if let Some(jour) = p.retrait {
        html.push_str(&format!(
            "<h2>Retrait du consentement</h2><p>La personne a retiré son consentement au partage le {} : ne gardez \
             que ce que la loi impose.</p>",
            fr(jour)
        ));
        return html + "</section>\n";
    }
    match &p.identite {
        Some(i) => html.push_str(&format!(
            "<h2>{} {}</h2><p>Né(e) le {} — commune (INSEE) {}{}{}</p>\n",
            echapper(&i.prenom),
            echapper(&i.nom),
            fr(i.naissance),
            echapper(&i.commune),
            i.telephone
                .as_deref()
                .map(|t| format!(" — tél. {}", echapper(t)))
                .unwrap_or_default(),
            i.courriel
                .as_deref()
                .map(|c| format!(" — {}", echapper(c)))
                .unwrap_or_default(),
        )),
        None => html.push_str("<h2>Suivi (mise à jour)</h2>\n"),
    }
    if let Some(r) = &p.referent {
        html.push_str(&format!(
            "<p>Référent : {} depuis le {}</p>\n",
            echapper(&r.nom),
            fr(r.depuis)
        ));
    }
    if !p.equipe.is_empty() {
        let equipe: Vec<String> = p.equipe.iter().map(|m| echapper(m)).collect();
        html.push_str(&format!("<p>Équipe : {}</p>\n", equipe.join(", ")));
    }
    for o in &p.orientations {
        html.push_str(&format!(
            "<p>Orientation du {} : {}{}</p>\n",
            fr(o.date),
            echapper(&o.orientation),
            o.motif
                .as_deref()
                .map(|m| format!(" ({})", echapper(m)))
                .unwrap_or_default()
        ));
    }
    let lignes = |titres: &str, rangees: Vec<String>| {
        if rangees.is_empty() {
            String::new()
        } else {
            format!("<table><tr>{titres}</tr>{}</table>\n", rangees.concat())
        }
    };
    if !p.objectifs.is_empty() || !p.actions.is_empty() {
        html.push_str("<h3>Plan</h3>\n");
    }
    html.push_str(&lignes(
        "<th>Objectif</th><th>Statut</th>",
        p.objectifs
            .iter()
            .map(|o| {
                format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    echapper(o.libelle.as_deref().unwrap_or(&o.thematique)),
                    echapper(&o.statut)
                )
            })
            .collect(),
    ));
    html.push_str(&lignes(
        "<th>Action</th><th>Statut</th>",
        p.actions
            .iter()
            .map(|a| {
                let statut = a.statuts.last().map_or("proposee", |s| s.statut.as_str());
                format!(
                    "<tr><td>{}</td><td>{}</td></tr>",
                    echapper(&a.libelle),
                    echapper(statut)
                )
            })
            .collect(),
    ));
    if !p.journal.is_empty() {
        html.push_str("<h3>Journal</h3>\n");
    }
    html.push_str(&lignes(
        "<th>Date</th><th>Type</th><th>Note</th><th>Auteur</th>",
        p.journal
            .iter()
            .map(|n| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    fr(n.date),
                    echapper(&n.type_),
                    echapper(&n.texte),
                    echapper(&n.auteur)
                )
            })
            .collect(),
    ));
    html + "</section>\n"
}

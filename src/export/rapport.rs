//! The steering committee's page: one self-contained HTML file (inline CSS and SVG, no
//! external resource), readable on screen and on paper.

use std::fmt::Write;

use crate::domain::indicateurs::Indicateurs;
use crate::export::pack::Table;

/// Escapes text for HTML.
pub fn echapper(texte: &str) -> String {
    texte
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn pourcent(t: Option<f64>) -> String {
    t.map_or("—".into(), |t| format!("{:.1} %", t * 100.0).replace('.', ","))
}

/// Horizontal bars, one per (label, cell as published): a hidden count (`<5`,
/// `secret`) is written without a bar.
fn barres(donnees: &[(String, String)], couleur: &str) -> String {
    let nombre = |c: &str| c.parse::<u64>().ok().map(|n| n as f64);
    let max = donnees
        .iter()
        .filter_map(|(_, c)| nombre(c))
        .fold(0.0, f64::max)
        .max(1.0);
    let hauteur = donnees.len() * 26 + 10;
    let mut svg = format!(r#"<svg viewBox="0 0 640 {hauteur}" width="640" height="{hauteur}" role="img">"#);
    for (i, (libelle, cellule)) in donnees.iter().enumerate() {
        let y = i * 26 + 5;
        let l = nombre(cellule).map_or(0.0, |n| (n / max * 380.0).round());
        let _ = write!(
            svg,
            r#"<text x="200" y="{}" text-anchor="end" class="l">{}</text><rect x="210" y="{y}" width="{l}" height="18" fill="{couleur}"/><text x="{}" y="{}" class="v">{}</text>"#,
            y + 14,
            echapper(libelle),
            210.0 + l + 6.0,
            y + 14,
            echapper(cellule)
        );
    }
    svg + "</svg>"
}

/// Months on the x axis: a line for the first series, bars for the two others. Each
/// value is a cell as its month's pack published it: a hidden one (`<5`, `secret`) is
/// drawn as nothing, not even at scale.
fn evolution(mois: &[String], ligne: &[String], entrees: &[String], sorties: &[String]) -> String {
    let nombre = |c: &String| c.parse::<u64>().ok().map(|n| n as f64);
    let (g, h, b) = (50.0, 260.0, 30.0);
    let largeur = 640.0 - g - 10.0;
    let pas = largeur / mois.len().max(1) as f64;
    let max_ligne = ligne.iter().filter_map(nombre).fold(0.0, f64::max).max(1.0);
    let max_barres = entrees
        .iter()
        .chain(sorties)
        .filter_map(nombre)
        .fold(0.0, f64::max)
        .max(1.0);
    let y = |v: f64, max: f64| h - b - v / max * (h - b - 20.0);
    let mut svg = format!(r#"<svg viewBox="0 0 640 {h}" width="640" height="{h}" role="img">"#);
    let _ = write!(
        svg,
        r#"<line x1="{g}" y1="{}" x2="630" y2="{}" class="axe"/>"#,
        h - b,
        h - b
    );
    for (i, m) in mois.iter().enumerate() {
        let x = g + pas * i as f64;
        for (decalage, serie, couleur) in [(4.0, entrees, "#7fb3d5"), (pas / 2.0, sorties, "#f0b27a")] {
            if let Some(v) = nombre(&serie[i]) {
                let haut = y(v, max_barres);
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{haut:.1}" width="{:.1}" height="{:.1}" fill="{couleur}"/>"#,
                    x + decalage,
                    pas / 2.0 - 5.0,
                    h - b - haut,
                );
            }
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" class="m">{}</text>"#,
            x + pas / 2.0,
            h - 10.0,
            echapper(m.get(2..).unwrap_or(m))
        );
    }
    // The line is drawn in pieces between shown values.
    let mut morceau: Vec<String> = Vec::new();
    let tracer = |morceau: &mut Vec<String>, svg: &mut String| {
        if morceau.len() > 1 {
            let _ = write!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="#1a5276" stroke-width="3"/>"##,
                morceau.join(" ")
            );
        }
        morceau.clear();
    };
    for (i, v) in ligne.iter().enumerate() {
        match nombre(v) {
            Some(v) => morceau.push(format!("{:.1},{:.1}", g + pas * (i as f64 + 0.5), y(v, max_ligne))),
            None => tracer(&mut morceau, &mut svg),
        }
    }
    tracer(&mut morceau, &mut svg);
    if let (Some(premier), Some(dernier)) = (ligne.first(), ligne.last()) {
        let _ = write!(
            svg,
            r#"<text x="{g}" y="14" class="v">file active : {} → {}</text>"#,
            echapper(premier),
            echapper(dernier)
        );
    }
    svg + "</svg>"
}

/// A rate of the pack (`0,625`) as a percentage (`62,5 %`); hidden or empty ones as
/// they are (`secret`, `—`).
fn en_pourcent(cellule: &str) -> String {
    match cellule.replace(',', ".").parse::<f64>() {
        Ok(t) => pourcent(Some(t)),
        Err(_) if cellule.is_empty() => "—".into(),
        Err(_) => cellule.to_owned(),
    }
}

/// The page for the last month of `historique`: each month's indicators with its
/// table of indicateurs.csv (EPCI rows, then the total). Every count of the page is a
/// cell of those tables, as published there, secret statistique included, so that the
/// page and the packs together tell no more than the packs; a month in progress is
/// marked provisional.
pub fn page(historique: &[(&Indicateurs, &Table)], seuil: u64) -> String {
    let Some((i, indicateurs)) = historique.last().copied() else {
        return String::new();
    };
    let Some(total) = indicateurs.lignes.last() else {
        return String::new();
    };
    let colonne = |nom: &str| indicateurs.entetes.iter().position(|e| e == nom);
    let cellule = |ligne: &[String], nom: &str| colonne(nom).map_or(String::new(), |c| ligne[c].clone());
    let mois: Vec<String> = historique
        .iter()
        .map(|(h, _)| {
            if h.mois_en_cours {
                format!("{}*", h.mois)
            } else {
                h.mois.clone()
            }
        })
        .collect();
    let serie = |nom: &str| -> Vec<String> {
        historique
            .iter()
            .map(|(_, t)| {
                let c = t.entetes.iter().position(|e| e == nom);
                t.lignes.last().zip(c).map_or(String::new(), |(l, c)| l[c].clone())
            })
            .collect()
    };
    let colonnes = |prefixe: &str| -> Vec<(String, String)> {
        indicateurs
            .entetes
            .iter()
            .zip(total)
            .filter_map(|(e, c)| e.strip_prefix(prefixe).map(|n| (n.to_owned(), c.clone())))
            .collect()
    };
    let freins = colonnes("frein_");
    let orientations: Vec<(String, String)> = [
        ("pro", "orientation_pro"),
        ("sociopro", "orientation_sociopro"),
        ("social", "orientation_social"),
        ("non orienté", "non_oriente"),
    ]
    .iter()
    .map(|(l, c)| (l.to_string(), cellule(total, c)))
    .collect();
    let sorties: Vec<(String, String)> = colonnes("sorties_")
        .into_iter()
        .filter(|(m, _)| m != "emploi")
        .collect();
    let mut epci = String::from(
        "<table><tr><th>EPCI</th><th>File active</th><th>Entrées</th><th>Sorties</th><th>Diagnostic sous 30 j</th><th>Contact 90 j</th></tr>",
    );
    let mut lignes: Vec<&Vec<String>> = indicateurs.lignes[..indicateurs.lignes.len() - 1].iter().collect();
    lignes.sort_by_key(|l| cellule(l, "nom_epci"));
    for ligne in lignes {
        let _ = write!(epci, "<tr><td>{}</td>", echapper(&cellule(ligne, "nom_epci")));
        for c in ["file_active", "entrees", "sorties"] {
            let _ = write!(epci, "<td>{}</td>", echapper(&cellule(ligne, c)));
        }
        for c in ["taux_diagnostic_30j", "taux_contact_90j"] {
            let _ = write!(epci, "<td>{}</td>", echapper(&en_pourcent(&cellule(ligne, c))));
        }
        epci.push_str("</tr>");
    }
    epci.push_str("</table>");
    let provisoire = if i.provisoire { " (provisoire)" } else { "" };
    let titre = if i.mois_en_cours {
        format!("{} (mois en cours : chiffres provisoires)", i.mois)
    } else {
        i.mois.clone()
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>SPIE — indicateurs de {m}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 760px; color: #1c2833; }}
h1 {{ font-size: 1.5em; border-bottom: 3px solid #1a5276; padding-bottom: .3em; }}
h2 {{ font-size: 1.15em; margin-top: 1.6em; color: #1a5276; }}
.chiffres {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: .6em; }}
.chiffres div {{ border: 1px solid #d5d8dc; border-radius: 6px; padding: .5em; text-align: center; }}
.chiffres b {{ display: block; font-size: 1.4em; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9em; }}
th, td {{ border-bottom: 1px solid #d5d8dc; padding: .3em .4em; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
svg text.l {{ font-size: 12px; }} svg text.v {{ font-size: 12px; fill: #1c2833; }} svg text.m {{ font-size: 11px; text-anchor: middle; }}
svg .axe {{ stroke: #566573; }}
.legende span {{ display: inline-block; width: 12px; height: 12px; margin: 0 .3em 0 1em; vertical-align: middle; }}
footer {{ margin-top: 2em; font-size: .8em; color: #566573; }}
@media print {{ body {{ margin: 0; }} h2 {{ break-after: avoid; }} svg, table {{ break-inside: avoid; }} }}
</style></head><body>
<h1>Service public de l'insertion et de l'emploi — {titre}</h1>
<div class="chiffres">
<div><b>{fa}</b>file active</div><div><b>{en}</b>entrées</div><div><b>{so}</b>sorties</div><div><b>{se}</b>sorties vers l'emploi</div>
<div><b>{diag}</b>diagnostic sous 30 j{provisoire}</div><div><b>{refe}</b>avec un référent</div><div><b>{cont}</b>contact sous 90 j</div><div><b>{nd}</b>diagnostics du mois</div>
</div>
<h2>Évolution sur {n} mois</h2>
<p class="legende"><span style="background:#1a5276"></span>file active <span style="background:#7fb3d5"></span>entrées <span style="background:#f0b27a"></span>sorties</p>
{evolution}
<h2>Freins dans la file active (moyen ou fort)</h2>
{freins}
<h2>Orientations de la file active</h2>
{orientations}
<h2>Sorties du mois par motif</h2>
{sorties}
<h2>Par EPCI de résidence</h2>
{epci}
<footer>Secret statistique : un effectif de 1 à {s1} est écrit « &lt;{seuil} » ; « secret » masque ce qui permettrait de le retrouver par différence, ou un taux calculé sur trop peu de personnes. Un mois marqué * est en cours. Produit par spie.</footer>
</body></html>
"#,
        m = echapper(&i.mois),
        titre = echapper(&titre),
        s1 = seuil - 1,
        fa = echapper(&cellule(total, "file_active")),
        en = echapper(&cellule(total, "entrees")),
        so = echapper(&cellule(total, "sorties")),
        se = echapper(&cellule(total, "sorties_emploi")),
        diag = echapper(&en_pourcent(&cellule(total, "taux_diagnostic_30j"))),
        refe = echapper(&en_pourcent(&cellule(total, "taux_referent"))),
        cont = echapper(&en_pourcent(&cellule(total, "taux_contact_90j"))),
        nd = echapper(&cellule(total, "diagnostics")),
        n = historique.len(),
        evolution = evolution(&mois, &serie("file_active"), &serie("entrees"), &serie("sorties")),
        freins = barres(&freins, "#c0392b"),
        orientations = barres(&orientations, "#1a5276"),
        sorties = barres(&sorties, "#b9770e"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_self_contained_and_escaped() {
        let i = Indicateurs {
            mois: "2026-10".into(),
            file_active: 12,
            ..Default::default()
        };
        let table = Table {
            entetes: ["epci", "nom_epci", "file_active", "frein_sante"]
                .map(String::from)
                .to_vec(),
            lignes: vec![
                ["1", "CC <script>", "<5", "secret"].map(String::from).to_vec(),
                ["total", "total", "12", "7"].map(String::from).to_vec(),
            ],
        };
        let html = page(&[(&i, &table), (&i, &table)], 5);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
        assert!(html.contains("CC &lt;script&gt;") && html.contains("&lt;5"));
        for externe in ["http://", "https://", "src=", "@import", "<link"] {
            assert!(!html.contains(externe), "ressource externe : {externe}");
        }
    }
}

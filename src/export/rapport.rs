//! The steering committee's page: one self-contained HTML file (inline CSS and SVG, no
//! external resource), readable on screen and on paper.

use std::fmt::Write;

use chrono::Datelike;

use crate::domain::date::{mois_abrege, mois_en_lettres};
use crate::domain::diagnostic::Orientation;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::domain::parcours::MotifSortie;
use crate::domain::prescription::StatutPrescription;
use crate::export::pack::Table;

/// Escapes text for HTML.
pub fn echapper(texte: &str) -> String {
    texte
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A count as French readers write it, thousands grouped by a no-break space
/// (`4 978`); any other cell (`<5`, `secret`, a rate) as it is.
pub fn milliers(cellule: &str) -> String {
    if cellule.is_empty() || !cellule.bytes().all(|b| b.is_ascii_digit()) {
        return cellule.to_owned();
    }
    let mut groupes: Vec<&str> = Vec::new();
    let mut fin = cellule.len();
    while fin > 3 {
        groupes.push(&cellule[fin - 3..fin]);
        fin -= 3;
    }
    groupes.push(&cellule[..fin]);
    groupes.reverse();
    groupes.join("\u{a0}")
}

/// A cell of the pack as the page shows it: escaped, thousands grouped.
fn montrer(cellule: &str) -> String {
    echapper(&milliers(cellule))
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
        let l = nombre(cellule).map_or(0.0, |n| (n / max * 280.0).round());
        let _ = write!(
            svg,
            r#"<text x="295" y="{}" text-anchor="end" class="l">{}</text><rect x="305" y="{y}" width="{l}" height="18" fill="{couleur}"/><text x="{}" y="{}" class="v">{}</text>"#,
            y + 14,
            echapper(libelle),
            305.0 + l + 6.0,
            y + 14,
            montrer(cellule)
        );
    }
    svg + "</svg>"
}

/// The top of an axis for values up to `max`: 1, 2 or 5 times a power of ten.
fn graduation(max: f64) -> f64 {
    let puissance = 10f64.powf(max.max(1.0).log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * puissance)
        .find(|haut| *haut >= max)
        .unwrap_or(10.0 * puissance)
}

/// A vertical axis at `x` for values 0 to `haut`, labelled on the side `ancre` (`end`
/// on the left, `start` on the right), with its title above.
fn axe(svg: &mut String, x: f64, haut: f64, y: impl Fn(f64) -> f64, ancre: &str, titre: &str, couleur: &str) {
    let decalage = if ancre == "end" { -6.0 } else { 6.0 };
    let _ = write!(
        svg,
        r#"<line x1="{x}" y1="{:.1}" x2="{x}" y2="{:.1}" class="axe"/><text x="{x}" y="12" text-anchor="middle" class="v" fill="{couleur}">{titre}</text>"#,
        y(0.0),
        y(haut)
    );
    // Whole numbers only: 1, 2 or 5 steps under 5, else 4 or 5.
    let pas = match haut {
        h if h <= 5.0 => 1.0,
        h if (h / 10f64.powf(h.log10().floor())).round() == 2.0 => h / 4.0,
        h => h / 5.0,
    };
    for k in 0..=(haut / pas).round() as u64 {
        let v = pas * k as f64;
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{x}" y2="{:.1}" class="axe"/><text x="{:.1}" y="{:.1}" text-anchor="{ancre}" class="g">{}</text>"#,
            x + decalage / 2.0,
            y(v),
            y(v),
            x + decalage,
            y(v) + 4.0,
            montrer(&format!("{}", v.round() as u64)),
        );
    }
}

/// Months on the x axis: a line for the file active (left axis), bars for entries and
/// exits (right axis): each scale has its own axis. Each value is a cell as its month's
/// pack published it: a hidden one (`<5`, `secret`) is drawn as nothing, not even at
/// scale.
fn evolution(mois: &[(String, String)], ligne: &[String], entrees: &[String], sorties: &[String]) -> String {
    let nombre = |c: &String| c.parse::<u64>().ok().map(|n| n as f64);
    let (g, d, h, b) = (60.0, 580.0, 280.0, 40.0);
    let pas = (d - g) / mois.len().max(1) as f64;
    let haut_ligne = graduation(ligne.iter().filter_map(nombre).fold(0.0, f64::max));
    let haut_barres = graduation(entrees.iter().chain(sorties).filter_map(nombre).fold(0.0, f64::max));
    let y = |v: f64, haut: f64| h - b - v / haut * (h - b - 30.0);
    let mut svg = format!(r#"<svg viewBox="0 0 640 {h}" width="640" height="{h}" role="img">"#);
    let _ = write!(
        svg,
        r#"<line x1="{g}" y1="{}" x2="{d}" y2="{}" class="axe"/>"#,
        h - b,
        h - b
    );
    axe(
        &mut svg,
        g,
        haut_ligne,
        |v| y(v, haut_ligne),
        "end",
        "file active",
        "#1a5276",
    );
    axe(
        &mut svg,
        d,
        haut_barres,
        |v| y(v, haut_barres),
        "start",
        "entrées, sorties",
        "#b9770e",
    );
    for (i, (court, annee)) in mois.iter().enumerate() {
        let x = g + pas * i as f64;
        for (decalage, serie, couleur) in [(4.0, entrees, "#7fb3d5"), (pas / 2.0, sorties, "#f0b27a")] {
            if let Some(v) = nombre(&serie[i]) {
                let haut = y(v, haut_barres);
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
            r#"<text x="{:.1}" y="{}" class="m">{}</text><text x="{:.1}" y="{}" class="m">{}</text>"#,
            x + pas / 2.0,
            h - b + 16.0,
            echapper(court),
            x + pas / 2.0,
            h - b + 30.0,
            echapper(annee)
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
        for point in morceau.iter() {
            let (cx, cy) = point.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(svg, r##"<circle cx="{cx}" cy="{cy}" r="3" fill="#1a5276"/>"##);
        }
        morceau.clear();
    };
    for (i, v) in ligne.iter().enumerate() {
        match nombre(v) {
            Some(v) => morceau.push(format!("{:.1},{:.1}", g + pas * (i as f64 + 0.5), y(v, haut_ligne))),
            None => tracer(&mut morceau, &mut svg),
        }
    }
    tracer(&mut morceau, &mut svg);
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

/// Whom the page is about.
pub struct Sujet<'a> {
    /// The structure, or the territory.
    pub nom: &'a str,
    /// A territory's structures: each one's row of indicateurs.csv as its own pack
    /// published it, its name first.
    pub structures: Option<&'a Table>,
}

/// `2026-10` → `octobre 2026`.
fn en_lettres(code: &str) -> String {
    Mois::lire(code).map_or_else(|_| code.to_owned(), |m| mois_en_lettres(m.d0))
}

/// A table of the page: one row per (name, row of indicateurs.csv).
fn tableau(premiere: &str, lignes: &[(String, &[String])], colonne: impl Fn(&str) -> Option<usize>) -> String {
    let mut html = format!(
        "<table><tr><th>{}</th><th>File active</th><th>Entrées</th><th>Sorties</th><th>Diagnostic sous 30 j</th><th>Contact 90 j</th></tr>",
        echapper(premiere)
    );
    let cellule = |ligne: &[String], nom: &str| colonne(nom).and_then(|c| ligne.get(c).cloned()).unwrap_or_default();
    for (nom, ligne) in lignes {
        let _ = write!(html, "<tr><td>{}</td>", echapper(nom));
        for c in ["file_active", "entrees", "sorties"] {
            let _ = write!(html, "<td>{}</td>", montrer(&cellule(ligne, c)));
        }
        for c in ["taux_diagnostic_30j", "taux_contact_90j"] {
            let _ = write!(html, "<td>{}</td>", echapper(&en_pourcent(&cellule(ligne, c))));
        }
        html.push_str("</tr>");
    }
    html + "</table>"
}

/// The page for the last month of `historique`: each month's indicators with its
/// table of indicateurs.csv (EPCI rows, then the total). Every count of the page is a
/// cell of those tables, as published there, secret statistique included, so that the
/// page and the packs together tell no more than the packs; a month in progress is
/// marked provisional.
pub fn page(sujet: &Sujet<'_>, historique: &[(&Indicateurs, &Table)], seuil: u64) -> String {
    let Some((i, indicateurs)) = historique.last().copied() else {
        return String::new();
    };
    let Some(total) = indicateurs.lignes.last() else {
        return String::new();
    };
    let colonne = |nom: &str| indicateurs.entetes.iter().position(|e| e == nom);
    let cellule = |ligne: &[String], nom: &str| colonne(nom).map_or(String::new(), |c| ligne[c].clone());
    let mois: Vec<(String, String)> = historique
        .iter()
        .enumerate()
        .map(|(n, (h, _))| {
            let Ok(m) = Mois::lire(&h.mois) else {
                return (h.mois.clone(), String::new());
            };
            let etoile = if h.mois_en_cours { "*" } else { "" };
            let annee = if n == 0 || m.d0.month() == 1 {
                m.d0.year().to_string()
            } else {
                String::new()
            };
            (format!("{}{etoile}", mois_abrege(m.d0)), annee)
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
    // Labels, not codes.
    let freins: Vec<(String, String)> = colonnes("frein_")
        .into_iter()
        .map(|(code, c)| {
            let libelle = Dimension::depuis_code(&code).map_or(code, |d| d.definition().libelle.to_owned());
            (libelle, c)
        })
        .collect();
    let mut orientations: Vec<(String, String)> = Orientation::TOUS
        .iter()
        .map(|o| (o.libelle(), cellule(total, &format!("orientation_{}", o.code()))))
        .collect();
    orientations.push(("Non orienté".into(), cellule(total, "non_oriente")));
    let sorties: Vec<(String, String)> = colonnes("sorties_")
        .into_iter()
        .filter(|(m, _)| m != "emploi")
        .map(|(code, c)| (MotifSortie::depuis_code(&code).map_or(code, MotifSortie::libelle), c))
        .collect();
    let prescriptions: Vec<(String, String)> = colonnes("prescriptions_")
        .into_iter()
        .map(|(code, c)| {
            (
                StatutPrescription::depuis_code(&code).map_or(code, StatutPrescription::libelle),
                c,
            )
        })
        .collect();
    let mut lignes: Vec<(String, &[String])> = indicateurs.lignes[..indicateurs.lignes.len() - 1]
        .iter()
        .map(|l| (cellule(l, "nom_epci"), l.as_slice()))
        .collect();
    lignes.sort();
    let epci = tableau("EPCI", &lignes, colonne);
    let par_structure = sujet.structures.map_or(String::new(), |t| {
        let lignes: Vec<(String, &[String])> = t
            .lignes
            .iter()
            .map(|l| (l.first().cloned().unwrap_or_default(), l.get(1..).unwrap_or_default()))
            .collect();
        format!(
            "<h2>Par structure</h2>\n<p>Chaque structure telle que son propre pack la publie ; une personne suivie par plusieurs structures compte dans chacune, et une seule fois dans le territoire.</p>\n{}\n",
            tableau("Structure", &lignes, colonne)
        )
    });
    let provisoire = if i.provisoire { " (provisoire)" } else { "" };
    let titre = if i.mois_en_cours {
        format!("{} (mois en cours : chiffres provisoires)", en_lettres(&i.mois))
    } else {
        en_lettres(&i.mois)
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{nom} — indicateurs, {m}</title>
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
svg .axe {{ stroke: #566573; }} svg text.g {{ font-size: 11px; fill: #566573; }}
.sous-titre {{ color: #566573; margin-top: -.6em; }}
.legende span {{ display: inline-block; width: 12px; height: 12px; margin: 0 .3em 0 1em; vertical-align: middle; }}
footer {{ margin-top: 2em; font-size: .8em; color: #566573; }}
@media print {{ body {{ margin: 0; }} h2 {{ break-after: avoid; }} svg, table {{ break-inside: avoid; }} }}
</style></head><body>
<h1>{nom} — {titre}</h1>
<p class="sous-titre">Service public de l'insertion et de l'emploi : indicateurs du mois</p>
<div class="chiffres">
<div><b>{fa}</b>file active</div><div><b>{en}</b>entrées</div><div><b>{so}</b>sorties</div><div><b>{se}</b>sorties vers l'emploi</div>
<div><b>{diag}</b>diagnostic sous 30 j{provisoire}</div><div><b>{refe}</b>avec un référent</div><div><b>{cont}</b>contact sous 90 j</div><div><b>{nd}</b>diagnostics du mois</div>
</div>
<h2>Évolution sur {n} mois</h2>
<p class="legende"><span style="background:#1a5276"></span>file active (axe de gauche) <span style="background:#7fb3d5"></span>entrées <span style="background:#f0b27a"></span>sorties (axe de droite)</p>
{evolution}
<h2>Freins dans la file active (moyen ou fort)</h2>
{freins}
<h2>Orientations de la file active</h2>
{orientations}
<h2>Sorties du mois par motif</h2>
{sorties}
<h2>Réponses aux prescriptions du mois</h2>
{prescriptions}
{par_structure}<h2>Par EPCI de résidence</h2>
{epci}
<footer>Secret statistique : un effectif de 1 à {s1} est écrit « &lt;{seuil} » ; « secret » masque ce qui permettrait de le retrouver par différence, ou un taux calculé sur trop peu de personnes. Un mois marqué * est en cours. Produit par spie.</footer>
</body></html>
"#,
        m = echapper(&en_lettres(&i.mois)),
        nom = echapper(sujet.nom),
        titre = echapper(&titre),
        s1 = seuil - 1,
        fa = montrer(&cellule(total, "file_active")),
        en = montrer(&cellule(total, "entrees")),
        so = montrer(&cellule(total, "sorties")),
        se = montrer(&cellule(total, "sorties_emploi")),
        diag = echapper(&en_pourcent(&cellule(total, "taux_diagnostic_30j"))),
        refe = echapper(&en_pourcent(&cellule(total, "taux_referent"))),
        cont = echapper(&en_pourcent(&cellule(total, "taux_contact_90j"))),
        nd = montrer(&cellule(total, "diagnostics")),
        n = historique.len(),
        evolution = evolution(&mois, &serie("file_active"), &serie("entrees"), &serie("sorties")),
        freins = barres(&freins, "#c0392b"),
        orientations = barres(&orientations, "#1a5276"),
        sorties = barres(&sorties, "#b9770e"),
        prescriptions = barres(&prescriptions, "#117864"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_and_markers_kept() {
        assert_eq!(milliers("4978"), "4\u{a0}978");
        assert_eq!(milliers("1234567"), "1\u{a0}234\u{a0}567");
        assert_eq!(milliers("978"), "978");
        for cellule in ["<5", "secret", "0,625", ""] {
            assert_eq!(milliers(cellule), cellule);
        }
    }

    #[test]
    fn each_scale_has_its_axis_with_whole_graduations() {
        assert_eq!(
            (graduation(0.0), graduation(7.0), graduation(1861.0)),
            (1.0, 10.0, 2000.0)
        );
        let svg = evolution(
            &[("oct.".into(), "2026".into())],
            &["4978".into()],
            &["12".into()],
            &["secret".into()],
        );
        assert!(
            svg.contains(">5\u{a0}000</text>") && svg.contains(">20</text>"),
            "{svg}"
        );
        assert!(!svg.contains(">0.5<") && !svg.contains(">2\u{a0}500</text>"));
    }

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
        let sujet = Sujet {
            nom: "CCAS <b>",
            structures: None,
        };
        let html = page(&sujet, &[(&i, &table), (&i, &table)], 5);
        assert!(html.contains("CCAS &lt;b&gt; — octobre 2026"), "{html}");
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
        assert!(html.contains("CC &lt;script&gt;") && html.contains("&lt;5"));
        for externe in ["http://", "https://", "src=", "@import", "<link"] {
            assert!(!html.contains(externe), "ressource externe : {externe}");
        }
    }
}

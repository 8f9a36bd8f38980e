//! The steering committee's page: one self-contained HTML file (inline CSS and SVG, no
//! external resource), readable on screen and on paper.

use std::fmt::Write;

use crate::domain::indicateurs::Indicateurs;
use crate::domain::parcours::MotifSortie;
use crate::domain::secret::{Masque, masquer};

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

/// Counts as published: hidden ones (`<5`, `secret`) are drawn without a bar.
struct Publie {
    valeur: u64,
    masque: Masque,
}

/// Protects one row of counts; each family is (index of a total, indices of its parts).
fn publier(ligne: &[u64], familles: &[(usize, Vec<usize>)], seuil: u64) -> Vec<Publie> {
    // One row and no group: the row is its own total row.
    let masque = masquer(&[ligne.to_vec()], seuil, familles).remove(0);
    ligne
        .iter()
        .zip(masque)
        .map(|(valeur, masque)| Publie {
            valeur: *valeur,
            masque,
        })
        .collect()
}

/// Horizontal bars, one per (label, count).
fn barres(libelles: &[String], valeurs: &[Publie], seuil: u64, couleur: &str) -> String {
    let max = valeurs
        .iter()
        .filter(|v| !v.masque.cache())
        .map(|v| v.valeur as f64)
        .fold(0.0, f64::max)
        .max(1.0);
    let hauteur = valeurs.len() * 26 + 10;
    let mut svg = format!(r#"<svg viewBox="0 0 640 {hauteur}" width="640" height="{hauteur}" role="img">"#);
    for (i, (libelle, p)) in libelles.iter().zip(valeurs).enumerate() {
        let y = i * 26 + 5;
        let l = if p.masque.cache() {
            0.0
        } else {
            (p.valeur as f64 / max * 380.0).round()
        };
        let v = echapper(&p.masque.publier(p.valeur, seuil));
        let _ = write!(
            svg,
            r#"<text x="200" y="{}" text-anchor="end" class="l">{}</text><rect x="210" y="{y}" width="{l}" height="18" fill="{couleur}"/><text x="{}" y="{}" class="v">{}</text>"#,
            y + 14,
            echapper(libelle),
            210.0 + l + 6.0,
            y + 14,
            v
        );
    }
    svg + "</svg>"
}

/// Months on the x axis: a line for the first series, bars for the two others (a count
/// under the threshold is drawn as no bar).
fn evolution(mois: &[String], ligne: &[f64], entrees: &[f64], sorties: &[f64]) -> String {
    let (g, h, b) = (50.0, 260.0, 30.0);
    let largeur = 640.0 - g - 10.0;
    let pas = largeur / mois.len().max(1) as f64;
    let max_ligne = ligne.iter().copied().fold(0.0, f64::max).max(1.0);
    let max_barres = entrees.iter().chain(sorties).copied().fold(0.0, f64::max).max(1.0);
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
        let (ye, ys) = (y(entrees[i], max_barres), y(sorties[i], max_barres));
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{ye:.1}" width="{:.1}" height="{:.1}" fill="#7fb3d5"/><rect x="{:.1}" y="{ys:.1}" width="{:.1}" height="{:.1}" fill="#f0b27a"/><text x="{:.1}" y="{}" class="m">{}</text>"##,
            x + 4.0,
            pas / 2.0 - 5.0,
            h - b - ye,
            x + pas / 2.0,
            pas / 2.0 - 5.0,
            h - b - ys,
            x + pas / 2.0,
            h - 10.0,
            echapper(&m[2..])
        );
    }
    let points: Vec<String> = ligne
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", g + pas * (i as f64 + 0.5), y(*v, max_ligne)))
        .collect();
    let _ = write!(
        svg,
        r##"<polyline points="{}" fill="none" stroke="#1a5276" stroke-width="3"/>"##,
        points.join(" ")
    );
    if let (Some(premier), Some(dernier)) = (ligne.first(), ligne.last()) {
        let _ = write!(
            svg,
            r#"<text x="{g}" y="14" class="v">file active : {premier} → {dernier}</text>"#
        );
    }
    svg + "</svg>"
}

/// The page for month `dernier` (last of `historique`), with `par_epci` rows already
/// protected. Every count of the page under `seuil` is written `<5`, and what would
/// give it back by difference `secret`; a month in progress is marked provisional.
pub fn page(historique: &[Indicateurs], par_epci: &[(String, Vec<String>)], seuil: u64) -> String {
    let Some(i) = historique.last() else {
        return String::new();
    };
    let mois: Vec<String> = historique
        .iter()
        .map(|h| {
            if h.mois_en_cours {
                format!("{}*", h.mois)
            } else {
                h.mois.clone()
            }
        })
        .collect();
    let petit = |v: usize| v > 0 && (v as u64) < seuil;
    let serie = |f: fn(&Indicateurs) -> usize| {
        historique
            .iter()
            .map(|h| if petit(f(h)) { 0.0 } else { f(h) as f64 })
            .collect::<Vec<_>>()
    };
    let freins: Vec<String> = i.freins.keys().cloned().collect();
    let valeurs_freins = publier(&i.freins.values().map(|v| *v as u64).collect::<Vec<_>>(), &[], seuil);
    let orientations: Vec<String> = ["pro", "sociopro", "social", "non orienté"].map(String::from).to_vec();
    let o = &i.orientations;
    let mut valeurs_orientations = publier(
        &[i.file_active, o.pro, o.sociopro, o.social, o.non_oriente].map(|v| v as u64),
        &[(0, vec![1, 2, 3, 4])],
        seuil,
    );
    let fa = valeurs_orientations.remove(0);
    // Exits, exits to work, then each motif: both totals protect their parts.
    let motifs: Vec<String> = i.sorties_par_motif.keys().cloned().collect();
    let mut ligne = vec![i.sorties as u64, i.sorties_emploi as u64];
    ligne.extend(i.sorties_par_motif.values().map(|v| *v as u64));
    let emploi = motifs
        .iter()
        .enumerate()
        .filter(|(_, m)| MotifSortie::depuis_code(m).is_some_and(MotifSortie::vers_emploi))
        .map(|(k, _)| k + 2)
        .collect();
    let mut valeurs_sorties = publier(&ligne, &[(0, (2..ligne.len()).collect()), (1, emploi)], seuil);
    let (so, se) = (valeurs_sorties.remove(0), valeurs_sorties.remove(0));
    let chiffre = |p: Publie| p.masque.publier(p.valeur, seuil);
    let seul = |v: usize| publier(&[v as u64], &[], seuil).remove(0);
    let mut epci = String::from(
        "<table><tr><th>EPCI</th><th>File active</th><th>Entrées</th><th>Sorties</th><th>Diagnostic sous 30 j</th><th>Contact 90 j</th></tr>",
    );
    for (nom, cellules) in par_epci {
        let _ = write!(epci, "<tr><td>{}</td>", echapper(nom));
        for c in cellules {
            let _ = write!(epci, "<td>{}</td>", echapper(c));
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
        fa = echapper(&chiffre(fa)),
        en = echapper(&chiffre(seul(i.entrees))),
        so = echapper(&chiffre(so)),
        se = echapper(&chiffre(se)),
        diag = pourcent(i.taux_diagnostic_30j),
        refe = pourcent(i.taux_referent),
        cont = pourcent(i.taux_contact_90j),
        nd = echapper(&chiffre(seul(i.comptes.as_ref().map_or(0, |c| c.diagnostics)))),
        n = historique.len(),
        evolution = evolution(
            &mois,
            &serie(|h| h.file_active),
            &serie(|h| h.entrees),
            &serie(|h| h.sorties)
        ),
        freins = barres(&freins, &valeurs_freins, seuil, "#c0392b"),
        orientations = barres(&orientations, &valeurs_orientations, seuil, "#1a5276"),
        sorties = barres(&motifs, &valeurs_sorties, seuil, "#b9770e"),
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
        let html = page(&[i.clone(), i], &[("CC <script>".into(), vec!["<5".into()])], 5);
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
        assert!(html.contains("CC &lt;script&gt;") && html.contains("&lt;5"));
        for externe in ["http://", "https://", "src=", "@import", "<link"] {
            assert!(!html.contains(externe), "ressource externe : {externe}");
        }
    }
}

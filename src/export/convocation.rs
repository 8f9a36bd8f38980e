//! A convocation to an appointment: a printable letter (one self-contained HTML page, A4)
//! and the calendar file (`.ics`, RFC 5545) for the person's phone.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::db::rdv::Entete;
use crate::domain::date::fr;
use crate::domain::personne::{Sexe, civilite};
use crate::domain::rdv::Rdv;
use crate::export::rapport::echapper;
use crate::referentiel::communes;

/// How long an appointment lasts in the calendar.
const DUREE_MINUTES: i64 = 60;

fn commune(entete: &Entete) -> Option<String> {
    let code = entete.commune.as_deref()?;
    communes::par_code(code).map(|c| c.nom.to_owned())
}

/// Where the person goes, as the letter and the calendar file print it.
fn lieu(rdv: &Rdv, entete: &Entete) -> String {
    crate::domain::rdv::lieu_imprime(
        rdv.lieu.as_deref(),
        &entete.structure,
        entete.adresse.as_deref(),
        commune(entete).as_deref(),
    )
}

/// The lines of the person's address as the envelope's window shows them: the lines
/// recorded (separated by « ; »), then the postal code and the commune of residence in
/// capitals, unless the address already holds a postal code. A commune with several
/// postal codes gets its name alone (the code is then to be written in the address).
pub fn lignes_adresse(adresse: &str, commune: &str) -> Vec<String> {
    let mut lignes: Vec<String> = adresse
        .split(';')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let a_un_code_postal = adresse.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 5);
    if !a_un_code_postal && let Some(c) = communes::par_code(commune) {
        let nom = c.nom.to_uppercase();
        lignes.push(match c.codes_postaux.split_once('|') {
            None if !c.codes_postaux.is_empty() => format!("{} {nom}", c.codes_postaux),
            _ => nom,
        });
    }
    lignes
}

/// The letter, dated `jour`, laid out on an A4 page for a DL window envelope (the
/// person's address top right, where the window is once the page is folded in three).
pub fn html(rdv: &Rdv, entete: &Entete, jour: NaiveDate) -> String {
    lettre(rdv, entete, jour, false)
}

/// The letter that cancels a convocation: the same layout and address block, the
/// appointment recalled and said cancelled (the internal reason is not printed).
pub fn annulation_html(rdv: &Rdv, entete: &Entete, jour: NaiveDate) -> String {
    lettre(rdv, entete, jour, true)
}

fn lettre(rdv: &Rdv, entete: &Entete, jour: NaiveDate, annule: bool) -> String {
    let e = |t: &str| echapper(t);
    let mut expediteur = vec![format!("<strong>{}</strong>", e(&entete.structure))];
    if let Some(a) = &entete.adresse {
        expediteur.push(e(a));
    }
    if let Some(c) = commune(entete) {
        expediteur.push(e(&c));
    }
    if let Some(t) = &entete.telephone {
        expediteur.push(format!("Tél. {}", e(t)));
    }
    let d = &entete.destinataire;
    // The postal way: civility, first name, surname in capitals (« Madame Lucie MARTIN »).
    let nom = match d.sexe {
        Some(_) => format!("{} {} {}", civilite(d.sexe), d.prenom, d.nom.to_uppercase()),
        None => format!("{} {}", d.prenom, d.nom.to_uppercase()),
    };
    let mut fenetre = vec![e(&nom)];
    if let Some(a) = &d.adresse {
        fenetre.extend(lignes_adresse(a, &d.commune).iter().map(|l| e(l)));
    }
    let lieu = e(&lieu(rdv, entete));
    let apporter: String = rdv
        .type_
        .a_apporter()
        .iter()
        .map(|a| format!("<li>{}</li>", e(a)))
        .collect();
    let prevenir = match &entete.telephone {
        Some(t) => format!(", au {}", e(t)),
        None => String::new(),
    };
    let civilite = civilite(d.sexe);
    let rendez_vous = format!(
        "<div class=\"rdv\">\n<p><strong>Le {moment}</strong></p>\n<p>Lieu : {lieu}</p>\n<p>Avec : {agent}</p>\n</div>",
        moment = e(&format!(
            "{} à {}",
            crate::domain::date::avec_jour(rdv.debut.date()),
            rdv.debut.format("%H:%M")
        )),
        agent = e(&entete.agent),
    );
    let type_ = e(&rdv.type_.libelle().to_lowercase());
    let accord = match d.sexe {
        Some(Sexe::F) => "e",
        Some(Sexe::M) => "",
        None => "(e)",
    };
    let (titre, corps) = if annule {
        (
            "Annulation d'un rendez-vous",
            format!(
                "<p>Le rendez-vous ({type_}) pour lequel vous aviez été convoqué{accord} est annulé :</p>\n{rendez_vous}\n\
                 <p>Vous n'avez pas à vous déplacer. Pour toute question, contactez-nous{prevenir}.</p>\n"
            ),
        )
    } else {
        (
            "Convocation à un rendez-vous",
            format!(
                "<p>Vous êtes attendu{accord} pour un rendez-vous ({type_}) :</p>\n{rendez_vous}\n<p>Merci d'apporter :</p>\n\
                 <ul>{apporter}</ul>\n<p>Si vous ne pouvez pas venir, prévenez-nous au plus tôt{prevenir} : \
                 un autre rendez-vous vous sera proposé.</p>\n"
            ),
        )
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{titre}</title>
<style>
@page {{ size: A4; margin: 0; }}
body {{ font-family: sans-serif; font-size: 11pt; margin: 0; color: #000; }}
.page {{ position: relative; width: 21cm; min-height: 29.7cm; box-sizing: border-box; margin: 0 auto; padding: 10.5cm 2cm 2cm 2cm; }}
.expediteur {{ position: absolute; top: 1.5cm; left: 2cm; width: 8.5cm; }}
.destinataire {{ position: absolute; left: 11cm; top: 4.5cm; width: 8.5cm; height: 3.5cm; overflow: hidden; line-height: 1.3; }}
.date {{ position: absolute; top: 8.3cm; left: 11cm; margin: 0; }}
.rdv {{ border: 1px solid #000; padding: 0.8em 1em; margin: 1.5em 0; }}
.rdv p {{ margin: 0.3em 0; }}
h1 {{ font-size: 14pt; margin-top: 0; }}
</style>
</head>
<body>
<div class="page">
<div class="expediteur">{expediteur}</div>
<div class="destinataire">{fenetre}</div>
<p class="date">Le {jour}<br>Réf. : dossier n° {dossier}</p>
<h1>{titre}</h1>
<p>{civilite},</p>
{corps}<p>Veuillez agréer, {civilite}, nos salutations distinguées.</p>
<p>{agent}<br>{structure}</p>
</div>
</body>
</html>
"#,
        expediteur = expediteur.join("<br>"),
        fenetre = fenetre.join("<br>"),
        structure = e(&entete.structure),
        dossier = rdv.dossier,
        jour = fr(jour),
        agent = e(&entete.agent),
    )
}

/// Text of an iCalendar property: `\`, `;`, `,` and line breaks escaped.
fn texte_ics(t: &str) -> String {
    t.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// A content line folded at 75 octets (RFC 5545 §3.1), never inside a character.
fn plier(ligne: &str) -> String {
    let mut sortie = String::new();
    let mut longueur = 0;
    for c in ligne.chars() {
        if longueur + c.len_utf8() > 75 {
            sortie.push_str("\r\n ");
            longueur = 1;
        }
        sortie.push(c);
        longueur += c.len_utf8();
    }
    sortie.push_str("\r\n");
    sortie
}

fn date_ics(m: NaiveDateTime) -> String {
    m.format("%Y%m%dT%H%M%S").to_string()
}

/// The calendar file: one event, in the local time of the structure (floating time),
/// stamped `jour`. Its summary names the structure, not the person.
pub fn ics(rdv: &Rdv, entete: &Entete, jour: NaiveDate) -> String {
    evenement(rdv, entete, jour, false)
}

/// The calendar file that cancels the convocation's event (RFC 5545, as iTIP sends it):
/// the same `UID`, `METHOD:CANCEL`, `STATUS:CANCELLED` and a higher `SEQUENCE`, so that
/// a calendar that imported the convocation removes or strikes the event.
pub fn annulation_ics(rdv: &Rdv, entete: &Entete, jour: NaiveDate) -> String {
    evenement(rdv, entete, jour, true)
}

fn evenement(rdv: &Rdv, entete: &Entete, jour: NaiveDate, annule: bool) -> String {
    let fin = rdv.debut + Duration::minutes(DUREE_MINUTES);
    let lieu = lieu(rdv, entete);
    let lieu = lieu.as_str();
    let (methode, statut, sequence, prefixe) = if annule {
        ("CANCEL", "CANCELLED", 1, "Annulé : ")
    } else {
        ("PUBLISH", "CONFIRMED", 0, "")
    };
    let lignes = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//spie//rendez-vous//FR".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{methode}"),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:spie-rdv-{}-{}", rdv.id, date_ics(rdv.debut)),
        format!("SEQUENCE:{sequence}"),
        format!("STATUS:{statut}"),
        format!("DTSTAMP:{}Z", date_ics(jour.and_hms_opt(0, 0, 0).unwrap_or_default())),
        format!("DTSTART:{}", date_ics(rdv.debut)),
        format!("DTEND:{}", date_ics(fin)),
        format!(
            "SUMMARY:{}",
            texte_ics(&format!(
                "{prefixe}Rendez-vous ({}) — {}",
                rdv.type_.libelle().to_lowercase(),
                entete.structure
            ))
        ),
        format!("LOCATION:{}", texte_ics(lieu)),
        format!(
            "DESCRIPTION:{}",
            texte_ics(&if annule {
                format!(
                    "Ce rendez-vous avec {} est annulé. La structure vous proposera un autre rendez-vous.",
                    entete.agent
                )
            } else {
                format!(
                    "Avec {}. À apporter : {}.",
                    entete.agent,
                    rdv.type_.a_apporter().join(" ; ")
                )
            })
        ),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lignes.iter().map(|l| plier(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rdv::{StatutRdv, TypeRdv};

    fn exemple(lieu: Option<&str>) -> (Rdv, Entete) {
        let debut = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(14, 30, 0)
            .unwrap();
        (
            Rdv {
                id: 7,
                dossier: 3,
                personne: "Léa <Martin>".into(),
                debut,
                type_: TypeRdv::Diagnostic,
                lieu: lieu.map(str::to_owned),
                agent: "m.durand".into(),
                agent_nom: "Marc Durand".into(),
                statut: StatutRdv::Prevu,
                statut_le: None,
                motif: None,
            },
            Entete {
                structure: "CCAS de Verdun".into(),
                adresse: Some("1 place de la Nation, 55100 Verdun".into()),
                telephone: Some("03 29 00 00 00".into()),
                commune: Some("55545".into()),
                agent: "Marc Durand".into(),
                destinataire: crate::db::rdv::Destinataire {
                    sexe: Some(Sexe::F),
                    prenom: "Léa".into(),
                    nom: "<Martin>".into(),
                    adresse: Some("12 rue des Lilas".into()),
                    commune: "55545".into(),
                },
            },
        )
    }

    #[test]
    fn the_letter_names_the_structure_the_moment_and_what_to_bring_escaped() {
        let (rdv, entete) = exemple(Some("Bureau 2"));
        let page = html(&rdv, &entete, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        for attendu in [
            "CCAS de Verdun",
            "1 place de la Nation, 55100 Verdun",
            "Le mercredi 02/12/2026 à 14:30",
            "Lieu : Bureau 2",
            "Avec : Marc Durand",
            "Le 26/11/2026",
            "votre CV",
            "Madame Léa &lt;MARTIN&gt;",
        ] {
            assert!(page.contains(attendu), "{attendu} : {page}");
        }
        assert!(!page.contains("<Martin>"));
    }

    #[test]
    fn the_window_shows_the_address_then_postal_code_and_commune() {
        assert_eq!(
            lignes_adresse("12 rue des Lilas ; Bâtiment B", "55545"),
            ["12 rue des Lilas", "Bâtiment B", "55100 VERDUN"]
        );
        // A postal code typed in the address is not repeated.
        assert_eq!(
            lignes_adresse("12 rue des Lilas ; 55100 Verdun", "55545"),
            ["12 rue des Lilas", "55100 Verdun"]
        );
        // A street number is not a postal code; an unknown commune adds nothing.
        assert_eq!(lignes_adresse("1234 route de Metz", "00000"), ["1234 route de Metz"]);
    }

    #[test]
    fn the_calendar_file_is_valid_icalendar() {
        // An address (a postal code): printed as typed, escaped.
        let (rdv, entete) = exemple(Some("Salle 1, étage 2; 55100 Verdun"));
        let ics = ics(&rdv, &entete, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("DTSTART:20261202T143000\r\n"), "{ics}");
        assert!(ics.contains("DTEND:20261202T153000\r\n"), "{ics}");
        assert!(ics.contains("DTSTAMP:20261126T000000Z\r\n"), "{ics}");
        assert!(ics.contains("LOCATION:Salle 1\\, étage 2\\; 55100 Verdun\r\n"), "{ics}");
        // The person's name is not in the calendar file.
        assert!(!ics.contains("Martin"), "{ics}");
        for ligne in ics.split("\r\n") {
            assert!(ligne.len() <= 75, "{ligne}");
        }
        // Unfolded, the description is whole.
        let deplie = ics.replace("\r\n ", "");
        assert!(
            deplie.contains("DESCRIPTION:Avec Marc Durand. À apporter : une pièce"),
            "{deplie}"
        );
    }
}

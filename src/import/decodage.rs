//! Encoding and separator of a file, guessed from its first 64 KiB.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A BOM decides; otherwise valid UTF-8 is UTF-8, and anything else is the Windows-1252
/// of French Excel exports (Latin-1 is a subset of it).
pub fn detecter(debut: &[u8]) -> &'static Encoding {
    if let Some((encodage, _)) = Encoding::for_bom(debut) {
        return encodage;
    }
    // The sample may end in the middle of a character.
    let coupe = debut.len().saturating_sub(3);
    match std::str::from_utf8(debut) {
        Ok(_) => UTF_8,
        Err(e) if e.valid_up_to() >= coupe && e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

/// UTF-16 without its byte order mark: a zero byte every other byte (the high byte of
/// each ASCII character), on the odd bytes for little-endian, the even ones for
/// big-endian. `utf-16le` or `utf-16be`, or `None`.
pub fn utf16_sans_bom(debut: &[u8]) -> Option<&'static str> {
    let echantillon = &debut[..debut.len().min(1024) & !1];
    let paires = echantillon.len() / 2;
    if paires < 4 {
        return None;
    }
    let nuls = |decalage: usize| {
        echantillon
            .iter()
            .skip(decalage)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (pairs, impairs) = (nuls(0), nuls(1));
    // Nearly all of one side zero, nearly none of the other (accented letters and other
    // characters past U+00FF have a non-zero high byte).
    let presque_tous = |n: usize| n * 10 >= paires * 9;
    let presque_aucun = |n: usize| n * 10 <= paires;
    if presque_tous(impairs) && presque_aucun(pairs) {
        Some("utf-16le")
    } else if presque_tous(pairs) && presque_aucun(impairs) {
        Some("utf-16be")
    } else {
        None
    }
}

/// Whether the first bytes are those of a binary file (an image, a PDF, an archive)
/// rather than text: control characters (NUL included, outside UTF-16) in numbers no
/// text has. A stray one in a text file is left to the row's own check, which names its
/// line and column.
fn binaire(debut: &[u8], encodage: &'static Encoding) -> bool {
    if encodage == encoding_rs::UTF_16LE || encodage == encoding_rs::UTF_16BE {
        return false;
    }
    let controles = debut
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controles >= 8 && controles * 20 > debut.len()
}

/// What a file that is no text is, when its first bytes say it (a PDF, an image), or
/// `None` for text.
pub fn nature_binaire(debut: &[u8], encodage: &'static Encoding) -> Option<&'static str> {
    if debut.starts_with(b"%PDF") {
        Some("c'est un document PDF")
    } else if debut.starts_with(b"\x89PNG") {
        Some("c'est une image PNG")
    } else if debut.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("c'est une image JPEG")
    } else if debut.starts_with(b"GIF8") {
        Some("c'est une image GIF")
    } else if binaire(debut, encodage) {
        Some("il contient des données binaires")
    } else {
        None
    }
}

/// What a text file is when it is markup rather than rows: a web page (the "Excel" export
/// of many portals is an HTML table), or XML (a flat OpenDocument `.fods`, a web service's
/// answer).
pub fn balisage(texte: &str) -> Option<&'static str> {
    let debut: String = texte
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_lowercase();
    if debut.starts_with("<!doctype html") || debut.starts_with("<html") || debut.starts_with("<table") {
        Some("une page web (HTML)")
    } else if debut.starts_with("<?xml") || debut.starts_with('<') {
        Some("un fichier XML")
    } else {
        None
    }
}

pub fn decoder_debut(debut: &[u8], encodage: &'static Encoding) -> String {
    encodage.decode(debut).0.into_owned()
}

/// The separator among `; , tab |` that appears most often outside quotes on the first
/// line (`;` if none: the French default).
pub fn separateur(texte: &str) -> u8 {
    let premiere = texte
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut dans_guillemets = false;
    let mut comptes = [0usize; 4];
    let candidats = [b';', b',', b'\t', b'|'];
    for b in premiere.bytes() {
        if b == b'"' {
            dans_guillemets = !dans_guillemets;
        } else if !dans_guillemets && let Some(i) = candidats.iter().position(|c| *c == b) {
            comptes[i] += 1;
        }
    }
    let (i, n) = comptes
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .unwrap_or((0, &0));
    if *n == 0 { b';' } else { candidats[i] }
}

/// The encoding named by `--encodage`.
pub fn encodage(nom: &str) -> Result<&'static Encoding, String> {
    let nom = nom.trim().to_lowercase();
    let alias = match nom.as_str() {
        "latin1" | "latin-1" | "iso-8859-1" | "ansi" | "excel" => "windows-1252",
        "utf8" => "utf-8",
        "utf16" | "utf-16" => "utf-16le",
        autre => autre,
    };
    Encoding::for_label(alias.as_bytes())
        .ok_or_else(|| format!("encodage « {nom} » inconnu ; essayez utf-8, windows-1252, utf-16le"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};
    use proptest::prelude::*;

    #[test]
    fn utf16_without_bom_is_told_by_its_zero_bytes() {
        let texte = "id;nom;commune\nA;Épicerie sociale;Verdun\n";
        let le: Vec<u8> = texte.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = texte.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(utf16_sans_bom(&le), Some("utf-16le"));
        assert_eq!(utf16_sans_bom(&be), Some("utf-16be"));
        assert_eq!(utf16_sans_bom(texte.as_bytes()), None);
        assert_eq!(utf16_sans_bom(&[0u8; 64]), None);
    }

    #[test]
    fn markup_is_told_from_rows() {
        assert_eq!(balisage("\u{feff}  <!DOCTYPE html><html>"), Some("une page web (HTML)"));
        assert_eq!(
            balisage("<?xml version=\"1.0\"?><office:document>"),
            Some("un fichier XML")
        );
        assert_eq!(balisage("id;nom\n1;<b>Atelier</b>\n"), None);
        assert_eq!(nature_binaire(b"%PDF-1.7", UTF_8), Some("c'est un document PDF"));
        assert_eq!(nature_binaire(b"id;nom\n", UTF_8), None);
    }

    #[test]
    fn binary_files_are_told_from_text_with_a_stray_control_character() {
        let mut image = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        image.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
        assert!(binaire(&image, WINDOWS_1252));
        let texte = "id;nom\n1;Atelier\0 d'écriture\n".repeat(20);
        assert!(
            !binaire(texte.as_bytes(), UTF_8),
            "one NUL per row is the row check's business"
        );
        let utf16: Vec<u8> = "id;nom\n1;Atelier\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(!binaire(&utf16, UTF_16LE));
        assert!(!binaire(b"id;nom\x07\nA;Atelier\n", UTF_8));
    }

    #[test]
    fn encodings_are_recognised() {
        assert_eq!(detecter("nom;ville\nÉtain;Verdun\n".as_bytes()), UTF_8);
        assert_eq!(detecter(b"\xef\xbb\xbfnom;ville\n"), UTF_8);
        assert_eq!(detecter(b"\xff\xfen\x00o\x00m\x00"), UTF_16LE);
        assert_eq!(detecter(b"\xfe\xff\x00n\x00o\x00m"), UTF_16BE);
        assert_eq!(detecter(b"nom;ville\n\xc9tain;Verdun\n"), WINDOWS_1252);
        // A sample cut in the middle of "é" is still UTF-8.
        assert_eq!(detecter(&"aé".as_bytes()[..2]), UTF_8);
        assert_eq!(encodage("Latin-1"), Ok(WINDOWS_1252));
        assert!(encodage("klingon").unwrap_err().contains("windows-1252"));
    }

    #[test]
    fn separators_are_sniffed_outside_quotes() {
        assert_eq!(separateur("a;b;c\n1;2;3"), b';');
        assert_eq!(separateur("\"a;x\",b,c\n"), b',');
        assert_eq!(separateur("a\tb\tc"), b'\t');
        assert_eq!(separateur("a|b|c"), b'|');
        assert_eq!(separateur("\n\nseule"), b';');
    }

    proptest! {
        #[test]
        fn detection_never_panics(octets in prop::collection::vec(any::<u8>(), 0..200)) {
            let e = detecter(&octets);
            let _ = separateur(&decoder_debut(&octets, e));
        }
    }
}

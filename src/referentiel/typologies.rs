//! Typologies of structures (CCAS, ML, FT…) from the data·inclusion schema.

use std::sync::OnceLock;

static CSV: &str = include_str!("data/typologies_de_structures.csv");

/// (code, label) pairs, in the file's order.
pub fn toutes() -> &'static [(String, String)] {
    static TYPOLOGIES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    TYPOLOGIES.get_or_init(|| {
        csv::ReaderBuilder::new()
            .from_reader(CSV.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| (r[0].to_owned(), r[1].to_owned()))
            .collect()
    })
}

/// The official code for what the user typed (`ccas` → `CCAS`), or an error naming the
/// closest codes.
pub fn resoudre(saisie: &str) -> Result<&'static str, String> {
    let s = saisie.trim();
    if let Some((code, _)) = toutes().iter().find(|(c, _)| c.eq_ignore_ascii_case(s)) {
        return Ok(code);
    }
    let mut proches: Vec<(f64, &str)> = toutes()
        .iter()
        .map(|(c, _)| (strsim::jaro_winkler(&c.to_lowercase(), &s.to_lowercase()), c.as_str()))
        .collect();
    proches.sort_by(|a, b| b.0.total_cmp(&a.0));
    let proches: Vec<&str> = proches.iter().take(4).map(|(_, c)| *c).collect();
    let montre = crate::domain::texte::apercu(s, 40);
    Err(format!(
        "typologie « {montre} » inconnue ; vouliez-vous dire {} ? (liste complète : typologies de structures data·inclusion)",
        proches.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_case_insensitively() {
        assert_eq!(toutes().len(), 92);
        assert_eq!(resoudre("ccas"), Ok("CCAS"));
        assert_eq!(resoudre("ML"), Ok("ML"));
        let e = resoudre("CCSA").unwrap_err();
        assert!(e.contains("CCAS"), "{e}");
    }
}

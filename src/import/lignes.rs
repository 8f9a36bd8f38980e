//! The line of each record, counted here: the csv crate's own count is one short after a
//! CRLF line ending (what Excel writes) and after a blank line (BurntSushi/rust-csv#395
//! and #208), ignores a lone CR (old Mac exports), and a caseworker must find the line the
//! message names.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// The line breaks the CSV reader has read but no record has passed yet, as (offset of
/// the break's first byte, offset of its last): `\n`, `\r\n` or a lone `\r`. At most the
/// reader's buffer's worth, whatever the file's size.
type Sauts = Arc<Mutex<VecDeque<(u64, u64)>>>;

/// Passes the text to the CSV reader, noting where each line ends.
pub struct Compteur<R> {
    interieur: R,
    lu: u64,
    /// A `\r` whose next byte is not read yet: a CRLF or a lone CR.
    retour: Option<u64>,
    sauts: Sauts,
}

/// Turns the byte offset of a record into its line, offsets asked in increasing order.
pub struct Lignes {
    sauts: Sauts,
    ligne: u64,
}

pub fn compter<R: Read>(interieur: R) -> (Compteur<R>, Lignes) {
    let sauts = Sauts::default();
    (
        Compteur {
            interieur,
            lu: 0,
            retour: None,
            sauts: Arc::clone(&sauts),
        },
        Lignes { sauts, ligne: 1 },
    )
}

impl<R: Read> Read for Compteur<R> {
    fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
        let n = self.interieur.read(tampon)?;
        let mut sauts = self.sauts.lock().unwrap_or_else(PoisonError::into_inner);
        for i in memchr::memchr2_iter(b'\n', b'\r', &tampon[..n]) {
            let (position, octet) = (self.lu + i as u64, tampon[i]);
            match (self.retour.take(), octet) {
                (Some(r), b'\n') if r + 1 == position => sauts.push_back((r, position)),
                (seul, _) => {
                    sauts.extend(seul.map(|r| (r, r)));
                    if octet == b'\n' {
                        sauts.push_back((position, position));
                    } else {
                        self.retour = Some(position);
                    }
                }
            }
        }
        self.lu += n as u64;
        // A CR followed by something else than LF, or by the end of the text: a lone CR.
        if let Some(r) = self.retour
            && (n == 0 || r + 1 < self.lu)
        {
            sauts.push_back((r, r));
            self.retour = None;
        }
        Ok(n)
    }
}

impl Lignes {
    /// The line (from 1) of the record the CSV reader places at `octet`. The reader may
    /// place a record inside the line break before it (the `\n` of a CRLF) or at a blank
    /// line before it: the record starts after those.
    pub fn de(&mut self, octet: u64) -> u64 {
        let mut sauts = self.sauts.lock().unwrap_or_else(PoisonError::into_inner);
        let mut debut = octet;
        while let Some(&(saut, fin)) = sauts.front()
            && saut <= debut
        {
            debut = debut.max(fin + 1);
            sauts.pop_front();
            self.ligne += 1;
        }
        self.ligne
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text handed out `taille` bytes at a time, as a file or a decoder may.
    struct Morceaux<'a> {
        texte: &'a [u8],
        taille: usize,
    }

    impl Read for Morceaux<'_> {
        fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
            let n = self.taille.min(tampon.len()).min(self.texte.len());
            tampon[..n].copy_from_slice(&self.texte[..n]);
            self.texte = &self.texte[n..];
            Ok(n)
        }
    }

    /// The line of each record as the reader of an import sees them.
    fn lignes_des_records(texte: &str) -> Vec<(String, u64)> {
        lignes_par_morceaux(texte, usize::MAX)
    }

    fn lignes_par_morceaux(texte: &str, taille: usize) -> Vec<(String, u64)> {
        let (compteur, mut lignes) = compter(Morceaux {
            texte: texte.as_bytes(),
            taille,
        });
        let mut lecteur = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(compteur);
        let mut record = csv::StringRecord::new();
        let mut vus = Vec::new();
        while lecteur.read_record(&mut record).unwrap() {
            let octet = record.position().unwrap().byte();
            vus.push((record[0].to_owned(), lignes.de(octet)));
        }
        vus
    }

    #[test]
    fn records_get_their_true_line_whatever_the_line_endings() {
        for fin in ["\n", "\r\n", "\r"] {
            let texte = ["a", "b", "", "c", "\"d", "suite\"", "e", ""].join(fin);
            let attendu = [("a", 1), ("b", 2), ("c", 4), ("d\nsuite", 5), ("e", 7)]
                .map(|(c, l)| (c.replace('\n', fin), l))
                .to_vec();
            assert_eq!(lignes_des_records(&texte), attendu, "fins de ligne {fin:?}");
        }
    }

    proptest::proptest! {
        /// Records, blank lines and cells over two lines, in any order and with either line
        /// ending: each record gets the line it starts on.
        #[test]
        fn any_layout_gives_each_record_its_line(
            lignes in proptest::collection::vec((0u8..3, "[a-z;]{1,8}"), 1..40),
            fin in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
            taille in 1usize..9,
        ) {
            let (mut texte, mut attendu, mut ligne) = (String::new(), Vec::new(), 1);
            for (i, (genre, cellule)) in lignes.iter().enumerate() {
                let premiere = format!("r{i}{cellule}");
                match genre {
                    0 => texte += fin,
                    1 => {
                        attendu.push((premiere.clone(), ligne));
                        texte += &format!("{premiere}{fin}");
                    }
                    _ => {
                        attendu.push((premiere.clone(), ligne));
                        texte += &format!("{premiere},\"a{fin}b\"{fin}");
                        ligne += 1;
                    }
                }
                ligne += 1;
            }
            let vus: Vec<(String, u64)> = lignes_par_morceaux(&texte, taille)
                .into_iter()
                .filter(|(c, _)| !c.is_empty())
                .collect();
            proptest::prop_assert_eq!(vus, attendu);
        }
    }
}

//! The cryptography SQLCipher uses, from the RustCrypto crates spie already relies on
//! (AES, SHA-2, HMAC, PBKDF2) and the system's random generator.
//!
//! SQLCipher calls a "provider" for five things: random bytes (one IV per page written, a
//! salt per base), HMAC of each page, PBKDF2 (to derive the HMAC key from the base key),
//! AES-256-CBC of each page, and the sizes of these. Its default provider is OpenSSL 3,
//! which builds its whole algorithm registry and a random generator on first use: about
//! a third of the instructions of `parcours voir` on a plain base (SQLCipher draws random
//! bytes when SQLite starts), and the larger part of what an encrypted base costs over a
//! plain one. SQLite is compiled with `SQLCIPHER_CRYPTO_CUSTOM=spie_sqlcipher_fournisseur`
//! (see `.cargo/config.toml`), so SQLCipher asks [`spie_sqlcipher_fournisseur`] to fill in
//! its provider instead.
//!
//! The file format is SQLCipher 4's, unchanged: AES-256-CBC, HMAC-SHA512, PBKDF2-HMAC-
//! SHA512; a base written with the OpenSSL provider opens with this one (tested). SHA-1,
//! used only by SQLCipher 3 bases, is refused: spie never wrote one.

use std::ffi::{c_char, c_int, c_void};

use aes::Aes256;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha512};

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;

/// SQLCipher's algorithm numbers (`SQLCIPHER_HMAC_SHA*`, also used for PBKDF2).
const SHA256: c_int = 1;
const SHA512: c_int = 2;
/// SQLCipher's cipher modes.
const CHIFFRER: c_int = 1;

const NOM: &std::ffi::CStr = c"spie (RustCrypto)";
const VERSION: &std::ffi::CStr = c"aes 0.8, sha2 0.11, hmac 0.13, pbkdf2 0.13";
const CHIFFRE: &std::ffi::CStr = c"aes-256-cbc";
const TAILLE_CLE: c_int = 32;
const TAILLE_BLOC: c_int = 16;

type Ctx = *mut c_void;

/// SQLCipher's `sqlcipher_provider` structure, field for field (SQLCipher 4.14,
/// `src/sqlcipher.h`). The `provider_is_sqlcipher_4` test checks that SQLCipher reaches
/// these functions through it.
#[repr(C)]
pub struct Fournisseur {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    add_random: Option<unsafe extern "C" fn(Ctx, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(Ctx, *mut c_void, c_int) -> c_int>,
    hmac: Option<
        unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, c_int, *const u8, c_int, *mut u8) -> c_int,
    >,
    kdf: Option<unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, c_int, c_int, c_int, *mut u8) -> c_int>,
    cipher: Option<unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, *const u8, c_int, *mut u8) -> c_int>,
    get_cipher: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    get_key_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_iv_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_block_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_hmac_sz: Option<unsafe extern "C" fn(Ctx, c_int) -> c_int>,
    ctx_init: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    ctx_free: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    fips_status: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_provider_version: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    next: *mut Fournisseur,
}

/// Called by SQLCipher when SQLite starts, with its provider structure to fill in.
///
/// # Safety
/// `p` points to a writable `sqlcipher_provider` (SQLCipher allocates it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn spie_sqlcipher_fournisseur(p: *mut Fournisseur) -> c_int {
    if p.is_null() {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher hands its own provider structure, ours for the duration of the call.
    let p = unsafe { &mut *p };
    p.init = None;
    p.shutdown = None;
    p.get_provider_name = Some(nom);
    p.add_random = Some(ajouter_hasard);
    p.random = Some(hasard);
    p.hmac = Some(hmac);
    p.kdf = Some(pbkdf2);
    p.cipher = Some(chiffre);
    p.get_cipher = Some(nom_du_chiffre);
    p.get_key_sz = Some(taille_cle);
    p.get_iv_sz = Some(taille_bloc);
    p.get_block_sz = Some(taille_bloc);
    p.get_hmac_sz = Some(taille_hmac);
    p.ctx_init = Some(sans_contexte);
    p.ctx_free = Some(sans_contexte);
    p.fips_status = Some(hors_fips);
    p.get_provider_version = Some(version);
    SQLITE_OK
}

/// Makes sure the linker keeps [`spie_sqlcipher_fournisseur`], which only C code names.
pub fn garder() {
    std::hint::black_box(spie_sqlcipher_fournisseur as unsafe extern "C" fn(*mut Fournisseur) -> c_int);
}

/// A byte slice from C, empty for a null pointer or a negative length.
///
/// # Safety
/// Non-null `p` points to `n` readable bytes that outlive the slice.
unsafe fn octets<'a>(p: *const u8, n: c_int) -> Option<&'a [u8]> {
    let n = usize::try_from(n).ok()?;
    if p.is_null() {
        return (n == 0).then_some(&[]);
    }
    // SAFETY: as the caller promises.
    Some(unsafe { std::slice::from_raw_parts(p, n) })
}

fn code(ok: bool) -> c_int {
    if ok { SQLITE_OK } else { SQLITE_ERROR }
}

unsafe extern "C" fn nom(_: Ctx) -> *const c_char {
    NOM.as_ptr()
}

unsafe extern "C" fn version(_: Ctx) -> *const c_char {
    VERSION.as_ptr()
}

unsafe extern "C" fn nom_du_chiffre(_: Ctx) -> *const c_char {
    CHIFFRE.as_ptr()
}

unsafe extern "C" fn taille_cle(_: Ctx) -> c_int {
    TAILLE_CLE
}

unsafe extern "C" fn taille_bloc(_: Ctx) -> c_int {
    TAILLE_BLOC
}

unsafe extern "C" fn taille_hmac(_: Ctx, algorithme: c_int) -> c_int {
    match algorithme {
        SHA256 => 32,
        SHA512 => 64,
        _ => 0,
    }
}

unsafe extern "C" fn sans_contexte(_: *mut Ctx) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn hors_fips(_: Ctx) -> c_int {
    0
}

/// Entropy offered by the application (`PRAGMA cipher_add_random`): the system's
/// generator needs none.
unsafe extern "C" fn ajouter_hasard(_: Ctx, _: *const c_void, _: c_int) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn hasard(_: Ctx, tampon: *mut c_void, n: c_int) -> c_int {
    let Ok(n) = usize::try_from(n) else { return SQLITE_ERROR };
    if tampon.is_null() {
        return code(n == 0);
    }
    // SAFETY: SQLCipher hands a writable buffer of `n` bytes.
    let tranche = unsafe { std::slice::from_raw_parts_mut(tampon.cast::<u8>(), n) };
    code(getrandom::fill(tranche).is_ok())
}

/// HMAC of `in` then `in2` (the page, then its number) under `cle`, into `sortie`.
unsafe extern "C" fn hmac(
    _: Ctx,
    algorithme: c_int,
    cle: *const u8,
    n_cle: c_int,
    entree: *const u8,
    n_entree: c_int,
    entree2: *const u8,
    n_entree2: c_int,
    sortie: *mut u8,
) -> c_int {
    // SAFETY: SQLCipher passes buffers of the lengths it gives.
    let (Some(cle), Some(entree), Some(entree2)) = (
        unsafe { octets(cle, n_cle) },
        unsafe { octets(entree, n_entree) },
        unsafe { octets(entree2, n_entree2) },
    ) else {
        return SQLITE_ERROR;
    };
    if sortie.is_null() || entree.is_empty() {
        return SQLITE_ERROR;
    }
    fn calculer<M: Mac + KeyInit>(cle: &[u8], parties: [&[u8]; 2]) -> Option<Vec<u8>> {
        let mut mac = <M as KeyInit>::new_from_slice(cle).ok()?;
        for partie in parties {
            mac.update(partie);
        }
        Some(mac.finalize().into_bytes().to_vec())
    }
    let resultat = match algorithme {
        SHA256 => calculer::<Hmac<Sha256>>(cle, [entree, entree2]),
        SHA512 => calculer::<Hmac<Sha512>>(cle, [entree, entree2]),
        _ => None,
    };
    let Some(resultat) = resultat else { return SQLITE_ERROR };
    // SAFETY: the output buffer holds `get_hmac_sz` bytes for this algorithm.
    unsafe { std::ptr::copy_nonoverlapping(resultat.as_ptr(), sortie, resultat.len()) };
    SQLITE_OK
}

/// PBKDF2 of `phrase` with `sel`, `tours` iterations, into `cle` (`n_cle` bytes).
unsafe extern "C" fn pbkdf2(
    _: Ctx,
    algorithme: c_int,
    phrase: *const u8,
    n_phrase: c_int,
    sel: *const u8,
    n_sel: c_int,
    tours: c_int,
    n_cle: c_int,
    cle: *mut u8,
) -> c_int {
    // SAFETY: SQLCipher passes buffers of the lengths it gives.
    let (Some(phrase), Some(sel)) = (unsafe { octets(phrase, n_phrase) }, unsafe { octets(sel, n_sel) }) else {
        return SQLITE_ERROR;
    };
    let (Ok(tours), Ok(n_cle)) = (u32::try_from(tours), usize::try_from(n_cle)) else {
        return SQLITE_ERROR;
    };
    if cle.is_null() || tours == 0 {
        return SQLITE_ERROR;
    }
    // SAFETY: the key buffer holds `n_cle` bytes.
    let cle = unsafe { std::slice::from_raw_parts_mut(cle, n_cle) };
    match algorithme {
        SHA256 => code(pbkdf2::pbkdf2::<Hmac<Sha256>>(phrase, sel, tours, cle).is_ok()),
        SHA512 => code(pbkdf2::pbkdf2::<Hmac<Sha512>>(phrase, sel, tours, cle).is_ok()),
        _ => SQLITE_ERROR,
    }
}

/// AES-256-CBC without padding of `n` bytes (whole blocks) from `entree` into `sortie`.
unsafe extern "C" fn chiffre(
    _: Ctx,
    mode: c_int,
    cle: *const u8,
    n_cle: c_int,
    iv: *const u8,
    entree: *const u8,
    n: c_int,
    sortie: *mut u8,
) -> c_int {
    // SAFETY: SQLCipher passes a key of `n_cle` bytes and an IV of one block.
    let (Some(cle), Some(iv)) = (unsafe { octets(cle, n_cle) }, unsafe { octets(iv, TAILLE_BLOC) }) else {
        return SQLITE_ERROR;
    };
    let Ok(n) = usize::try_from(n) else { return SQLITE_ERROR };
    if entree.is_null() || sortie.is_null() || n % TAILLE_BLOC as usize != 0 {
        return SQLITE_ERROR;
    }
    // SQLCipher reads the page and writes into its own buffer: they never overlap. Copy
    // first if they ever did, rather than alias a buffer.
    // SAFETY: both buffers hold `n` bytes.
    let source = unsafe { std::slice::from_raw_parts(entree, n) }.to_vec();
    let destination = unsafe { std::slice::from_raw_parts_mut(sortie, n) };
    let fait = if mode == CHIFFRER {
        cbc::Encryptor::<Aes256>::new_from_slices(cle, iv)
            .ok()
            .and_then(|c| c.encrypt_padded_b2b_mut::<NoPadding>(&source, destination).ok())
            .is_some()
    } else {
        cbc::Decryptor::<Aes256>::new_from_slices(cle, iv)
            .ok()
            .and_then(|c| c.decrypt_padded_b2b_mut::<NoPadding>(&source, destination).ok())
            .is_some()
    };
    code(fait)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(dossier: &std::path::Path, nom: &str) -> rusqlite::Connection {
        garder();
        let conn = rusqlite::Connection::open(dossier.join(nom)).unwrap();
        conn.pragma_update(None, "cipher_log_level", "NONE").unwrap();
        conn.pragma_update(
            None,
            "key",
            "x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'",
        )
        .unwrap();
        conn
    }

    /// SQLCipher reaches this provider (the structure matches).
    #[test]
    fn provider_is_sqlcipher_4() {
        let dossier = tempfile::tempdir().unwrap();
        let conn = base(dossier.path(), "a.sqlite");
        let lire = |pragma: &str| -> String { conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0)).unwrap() };
        assert_eq!(lire("cipher_provider"), "spie (RustCrypto)");
        assert_eq!(
            lire("cipher_provider_version"),
            "aes 0.8, sha2 0.11, hmac 0.13, pbkdf2 0.13"
        );
        assert_eq!(lire("cipher_page_size"), "4096");
    }

    /// Written, closed, read again; two bases get different salts (random bytes); a
    /// flipped byte in a page is caught by the HMAC.
    #[test]
    fn pages_round_trip_salts_differ_and_tampering_is_caught() {
        let dossier = tempfile::tempdir().unwrap();
        for nom in ["a.sqlite", "b.sqlite"] {
            let conn = base(dossier.path(), nom);
            conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES ('Marie Planquée');")
                .unwrap();
        }
        let conn = base(dossier.path(), "a.sqlite");
        let x: String = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, "Marie Planquée");
        drop(conn);
        let a = std::fs::read(dossier.path().join("a.sqlite")).unwrap();
        let b = std::fs::read(dossier.path().join("b.sqlite")).unwrap();
        assert_ne!(a[..16], b[..16]);
        assert!(!a.windows(7).any(|w| w == b"Planqu\xc3"));

        let mut abime = a.clone();
        abime[4096 + 100] ^= 1;
        std::fs::write(dossier.path().join("a.sqlite"), abime).unwrap();
        let conn = base(dossier.path(), "a.sqlite");
        assert!(
            conn.query_row("SELECT x FROM t", [], |r| r.get::<_, String>(0))
                .is_err()
        );
    }

    /// Known answers: RFC 4231 (HMAC-SHA-512, case 2) and AES-256-CBC (NIST SP 800-38A,
    /// F.2.5, first block); whole blocks only, known algorithms only, never a crash.
    #[test]
    fn primitives_give_the_standard_answers() {
        let hex = |s: &str| data_encoding::HEXLOWER.decode(s.as_bytes()).unwrap();
        let mac = |algorithme: c_int| -> (c_int, String) {
            let (cle, texte, suite) = (b"Jefe", b"what do ya want ", b"for nothing?");
            let mut sortie = [0u8; 64];
            // SAFETY: buffers of the lengths given.
            let rc = unsafe {
                hmac(
                    std::ptr::null_mut(),
                    algorithme,
                    cle.as_ptr(),
                    4,
                    texte.as_ptr(),
                    16,
                    suite.as_ptr(),
                    12,
                    sortie.as_mut_ptr(),
                )
            };
            (rc, data_encoding::HEXLOWER.encode(&sortie))
        };
        let cle = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let aes = |mode: c_int, entree: &[u8], n: c_int| -> (c_int, Vec<u8>) {
            let mut sortie = vec![0u8; entree.len()];
            // SAFETY: buffers of at least `n` bytes.
            let rc = unsafe {
                chiffre(
                    std::ptr::null_mut(),
                    mode,
                    cle.as_ptr(),
                    32,
                    iv.as_ptr(),
                    entree.as_ptr(),
                    n,
                    sortie.as_mut_ptr(),
                )
            };
            (rc, sortie)
        };
        assert_eq!(
            mac(SHA512),
            (
                SQLITE_OK,
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737".to_owned()
            )
        );
        assert_eq!(mac(0).0, SQLITE_ERROR);
        let clair = hex("6bc1bee22e409f96e93d7e117393172a");
        let (rc, chiffre_) = aes(CHIFFRER, &clair, 16);
        assert_eq!(
            (rc, chiffre_.clone()),
            (SQLITE_OK, hex("f58c4c04d6e5f1ba779eabfb5f7bfbd6"))
        );
        assert_eq!(aes(0, &chiffre_, 16), (SQLITE_OK, clair.clone()));
        assert_eq!(aes(CHIFFRER, &clair, 15).0, SQLITE_ERROR);
    }
}

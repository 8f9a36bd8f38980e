//! The exchange of parcours between structures: the keys of a structure, the line that
//! gives its public part to a partner, the file's format (versioned JSON), and how a file
//! is sealed (signed by the sender with Ed25519, then encrypted to the partner with age
//! X25519) and opened. Pure: bytes in, bytes out.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::diagnostic::Reponses;

/// The name of the format, first field of every file.
pub const FORMAT: &str = "spie-echange";
/// The version of the format this spie writes and reads.
pub const VERSION: u32 = 1;
/// What starts the line of a structure's public keys.
const PREFIXE: &str = "spie1";

/// A structure's public keys, as a partner registers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClePublique {
    /// age X25519 recipient (`age1…`): files for the structure are encrypted to it.
    pub age: String,
    /// Ed25519 verifying key, hexadecimal: the structure's files are signed with it.
    pub signature: String,
}

impl ClePublique {
    /// The one line given to a partner: `spie1:age1…:HEX`.
    pub fn ligne(&self) -> String {
        format!("{PREFIXE}:{}:{}", self.age, self.signature)
    }

    /// A short fingerprint to read over the phone: 16 characters in 4 groups.
    pub fn empreinte(&self) -> String {
        let condense = Sha256::digest(format!("{}|{}", self.age, self.signature).as_bytes());
        let texte = data_encoding::BASE32_NOPAD.encode(&condense[..10]);
        texte
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Reads a line given by a partner; spaces around it are ignored.
    pub fn lire(ligne: &str) -> Result<ClePublique, String> {
        let morceaux: Vec<&str> = ligne.trim().split(':').collect();
        let [prefixe, age, signature] = morceaux[..] else {
            return Err("clé illisible : attendu une ligne « spie1:age1…:… » (`spie structure cle` l'affiche)".into());
        };
        if prefixe != PREFIXE {
            return Err(format!(
                "clé illisible : elle commence par « {} » au lieu de « {PREFIXE} »",
                super::texte::apercu(prefixe, 20)
            ));
        }
        age::x25519::Recipient::from_str(age)
            .map_err(|_| "clé illisible : la partie de chiffrement (age1…) est incorrecte".to_string())?;
        verifiante(signature).map_err(|_| "clé illisible : la partie de signature est incorrecte".to_string())?;
        Ok(ClePublique {
            age: age.to_owned(),
            signature: signature.to_lowercase(),
        })
    }
}

fn verifiante(hex: &str) -> Result<VerifyingKey, ()> {
    let octets = data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.as_bytes())
        .map_err(|_| ())?;
    let octets: [u8; 32] = octets.try_into().map_err(|_| ())?;
    VerifyingKey::from_bytes(&octets).map_err(|_| ())
}

/// A structure's secret keys, as kept in its (encrypted) base.
pub struct CleSecrete {
    /// `AGE-SECRET-KEY-1…`
    pub age: String,
    /// Ed25519 seed, hexadecimal.
    pub signature: String,
}

impl CleSecrete {
    /// New keys from 32 random bytes for the signature (age draws its own).
    pub fn nouvelle(graine: [u8; 32]) -> CleSecrete {
        let age = age::x25519::Identity::generate().to_string().expose_secret().to_owned();
        CleSecrete {
            age,
            signature: data_encoding::HEXLOWER.encode(&graine),
        }
    }

    fn signataire(&self) -> Result<SigningKey, String> {
        let octets = data_encoding::HEXLOWER_PERMISSIVE
            .decode(self.signature.as_bytes())
            .map_err(|_| "clé de signature de la structure illisible".to_string())?;
        let graine: [u8; 32] = octets
            .try_into()
            .map_err(|_| "clé de signature de la structure illisible".to_string())?;
        Ok(SigningKey::from_bytes(&graine))
    }

    fn identite(&self) -> Result<age::x25519::Identity, String> {
        age::x25519::Identity::from_str(&self.age).map_err(|_| "clé de chiffrement de la structure illisible".into())
    }

    pub fn publique(&self) -> Result<ClePublique, String> {
        Ok(ClePublique {
            age: self.identite()?.to_public().to_string(),
            signature: data_encoding::HEXLOWER.encode(self.signataire()?.verifying_key().as_bytes()),
        })
    }
}

/// The first line of a pack's manifest signature.
const SIGNATURE_MANIFESTE: &str = "spie : signature du manifeste 1";

impl CleSecrete {
    /// The signature of a monthly pack's manifest (`texte`, its exact bytes) by the
    /// structure, as the text of the file written beside it: a first line, the
    /// structure's verifying key (`cle : HEX`) and the Ed25519 signature (`signature :
    /// BASE64`).
    pub fn signer_manifeste(&self, texte: &[u8]) -> Result<String, String> {
        let signataire = self.signataire()?;
        Ok(format!(
            "{SIGNATURE_MANIFESTE}\ncle : {}\nsignature : {}\n",
            data_encoding::HEXLOWER.encode(signataire.verifying_key().as_bytes()),
            data_encoding::BASE64.encode(&signataire.sign(texte).to_bytes())
        ))
    }
}

/// Checks a manifest's signature (the text written by [`CleSecrete::signer_manifeste`])
/// against the manifest's exact bytes: the verifying key that signed it (hexadecimal),
/// or why it does not hold, in French.
pub fn verifier_manifeste(signature: &str, texte: &[u8]) -> Result<String, String> {
    let mut lignes = signature.lines();
    if lignes.next() != Some(SIGNATURE_MANIFESTE) {
        return Err("signature illisible (ce n'est pas une signature de manifeste de spie)".into());
    }
    let mut champ = |nom: &str| {
        lignes
            .next()
            .and_then(|l| l.strip_prefix(nom))
            .and_then(|l| l.strip_prefix(" : "))
            .map(str::trim)
            .ok_or_else(|| format!("signature illisible (ligne « {nom} » attendue)"))
    };
    let (cle, valeur) = (champ("cle")?, champ("signature")?);
    let verifiante = verifiante(cle).map_err(|_| "signature illisible (clé incorrecte)".to_string())?;
    let valeur = data_encoding::BASE64
        .decode(valeur.as_bytes())
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or_else(|| "signature illisible (valeur incorrecte)".to_string())?;
    verifiante
        .verify(texte, &valeur)
        .map_err(|_| "la signature ne correspond pas au manifeste : il a été modifié après avoir été signé, ou signé d'une autre clé".to_string())?;
    Ok(cle.to_lowercase())
}

/// What is inside the encryption: the content, as the exact text that was signed, the
/// signature and the sender's verifying key.
#[derive(Debug, Serialize, Deserialize)]
struct Enveloppe {
    format: String,
    version: u32,
    emetteur: String,
    signature: String,
    contenu: String,
}

/// Signs `contenu` (JSON text) with the sender's keys and encrypts it to `pour`.
pub fn sceller(contenu: &str, de: &CleSecrete, pour: &ClePublique) -> Result<Vec<u8>, String> {
    let signataire = de.signataire()?;
    let enveloppe = Enveloppe {
        format: FORMAT.into(),
        version: VERSION,
        emetteur: data_encoding::HEXLOWER.encode(signataire.verifying_key().as_bytes()),
        signature: data_encoding::BASE64.encode(&signataire.sign(contenu.as_bytes()).to_bytes()),
        contenu: contenu.to_owned(),
    };
    let clair = serde_json::to_vec(&enveloppe).map_err(|e| e.to_string())?;
    let destinataire = age::x25519::Recipient::from_str(&pour.age).map_err(|_| "clé du partenaire illisible")?;
    age::encrypt(&destinataire, &clair).map_err(|e| format!("chiffrement : {e}"))
}

/// Why a file cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Illisible {
    /// Encrypted to another structure.
    PasPourNous,
    /// Changed after it was written (or not a spie file at all).
    Altere,
    /// A version of the format this spie does not know.
    Version(u32),
}

/// A file decrypted: the signer's verifying key (hexadecimal) and the signed content,
/// once the signature is checked against that key.
#[derive(Debug)]
pub struct Ouvert {
    pub emetteur: String,
    pub contenu: String,
}

/// Decrypts `fichier` with the structure's keys and checks its signature.
pub fn ouvrir(fichier: &[u8], cles: &CleSecrete) -> Result<Ouvert, Illisible> {
    let identite = cles.identite().map_err(|_| Illisible::Altere)?;
    let clair = age::decrypt(&identite, fichier).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => Illisible::PasPourNous,
        _ => Illisible::Altere,
    })?;
    let enveloppe: Enveloppe = serde_json::from_slice(&clair).map_err(|_| Illisible::Altere)?;
    if enveloppe.format != FORMAT {
        return Err(Illisible::Altere);
    }
    if enveloppe.version != VERSION {
        return Err(Illisible::Version(enveloppe.version));
    }
    let cle = verifiante(&enveloppe.emetteur).map_err(|_| Illisible::Altere)?;
    let signature = data_encoding::BASE64
        .decode(enveloppe.signature.as_bytes())
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or(Illisible::Altere)?;
    cle.verify(enveloppe.contenu.as_bytes(), &signature)
        .map_err(|_| Illisible::Altere)?;
    Ok(Ouvert {
        emetteur: enveloppe.emetteur.to_lowercase(),
        contenu: enveloppe.contenu,
    })
}

/// The content of a file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contenu {
    pub version: u32,
    pub de: Emetteur,
    /// The fingerprint of the structure the file is for.
    pub pour: String,
    /// Numbers the files from this sender to this partner: 1, 2, 3…
    pub numero: i64,
    /// When it was written (the sender's clock).
    pub emis_le: String,
    pub parcours: Vec<ParcoursTransmis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Emetteur {
    pub nom: String,
    pub empreinte: String,
}

/// One parcours: its shared identifier, and what changed since the last file (or
/// everything).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ParcoursTransmis {
    pub uid: String,
    /// The person withdrew their consent to share on that day: the file carries nothing
    /// else about them, and the partner stops following.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrait: Option<NaiveDate>,
    /// The day the person agreed to share their dossier with partners (none: sent with a
    /// written reason instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consentement: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identite: Option<IdentiteTransmise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entree: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referent: Option<ReferentTransmis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipe: Vec<String>,
    /// An agent of the partner proposed as the new référent (the partner accepts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referent_propose: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticTransmis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orientations: Vec<OrientationTransmise>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectifs: Vec<ObjectifTransmis>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionTransmise>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<NoteTransmise>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentiteTransmise {
    pub nom: String,
    pub prenom: String,
    pub naissance: NaiveDate,
    #[serde(default)]
    pub sexe: Option<String>,
    pub commune: String,
    #[serde(default)]
    pub telephone: Option<String>,
    #[serde(default)]
    pub courriel: Option<String>,
    #[serde(default)]
    pub publics: Vec<String>,
    /// When it last changed: the most recent identity wins.
    pub modifie_le: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferentTransmis {
    /// "Prénom Nom (structure)".
    pub nom: String,
    pub depuis: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DiagnosticTransmis {
    pub uid: String,
    pub date: NaiveDate,
    pub auteur: String,
    pub reponses: Reponses,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrientationTransmise {
    pub uid: String,
    pub date: NaiveDate,
    pub orientation: String,
    #[serde(default)]
    pub motif: Option<String>,
    pub auteur: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectifTransmis {
    pub uid: String,
    pub thematique: String,
    #[serde(default)]
    pub libelle: Option<String>,
    pub statut: String,
    pub statut_le: NaiveDate,
    pub cree_le: NaiveDate,
    pub auteur: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActionTransmise {
    pub uid: String,
    #[serde(default)]
    pub objectif: Option<String>,
    pub libelle: String,
    #[serde(default)]
    pub thematique: Option<String>,
    #[serde(default)]
    pub echeance: Option<NaiveDate>,
    pub cree_le: NaiveDate,
    pub auteur: String,
    /// Every change of status, oldest first: the last one is the action's status.
    pub statuts: Vec<StatutTransmis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatutTransmis {
    pub uid: String,
    pub date: NaiveDate,
    pub statut: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteTransmise {
    pub uid: String,
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub type_: String,
    pub texte: String,
    pub auteur: String,
}

/// The identifier of a record made in the base of fingerprint `empreinte`, shared by
/// every base that receives it.
pub fn uid(empreinte: &str, nature: &str, id: i64) -> String {
    format!("{empreinte}/{nature}/{id}")
}

/// A digest of a record's content, to send it again only when it changed.
pub fn condense(valeur: &impl Serialize) -> String {
    let texte = serde_json::to_vec(valeur).unwrap_or_default();
    data_encoding::HEXLOWER.encode(&Sha256::digest(&texte)[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cles(n: u8) -> CleSecrete {
        CleSecrete::nouvelle([n; 32])
    }

    #[test]
    fn the_public_line_reads_back_and_its_fingerprint_is_short() {
        let publique = cles(1).publique().unwrap();
        let lue = ClePublique::lire(&format!("  {}\n", publique.ligne())).unwrap();
        assert_eq!(lue, publique);
        let empreinte = publique.empreinte();
        assert_eq!(empreinte.len(), 19, "{empreinte}");
        assert_eq!(empreinte.matches('-').count(), 3);
        assert_ne!(empreinte, cles(2).publique().unwrap().empreinte());
    }

    #[test]
    fn a_damaged_line_is_refused_with_a_reason() {
        let ligne = cles(1).publique().unwrap().ligne();
        assert!(ClePublique::lire("bonjour").unwrap_err().contains("spie1:age1"));
        assert!(
            ClePublique::lire(&ligne.replace("spie1", "spie2"))
                .unwrap_err()
                .contains("spie2")
        );
        let mut abimee = ligne.clone();
        abimee.truncate(ligne.len() - 2);
        assert!(ClePublique::lire(&abimee).unwrap_err().contains("signature"));
        assert!(
            ClePublique::lire(&ligne.replacen("age1", "age1x", 1))
                .unwrap_err()
                .contains("chiffrement")
        );
    }

    #[test]
    fn a_sealed_file_opens_for_its_recipient_only_with_the_senders_key() {
        let (a, b, c) = (cles(1), cles(2), cles(3));
        let fichier = sceller("{\"x\":1}", &a, &b.publique().unwrap()).unwrap();
        let ouvert = ouvrir(&fichier, &b).unwrap();
        assert_eq!(ouvert.contenu, "{\"x\":1}");
        assert_eq!(ouvert.emetteur, a.publique().unwrap().signature);
        assert_eq!(ouvrir(&fichier, &c).unwrap_err(), Illisible::PasPourNous);
    }

    #[test]
    fn any_flipped_byte_of_the_payload_is_detected() {
        let (a, b) = (cles(1), cles(2));
        let fichier = sceller("{\"texte\":\"bonjour\"}", &a, &b.publique().unwrap()).unwrap();
        for i in (fichier.len() / 2..fichier.len()).step_by(7) {
            let mut abime = fichier.clone();
            abime[i] ^= 0x01;
            assert!(ouvrir(&abime, &b).is_err(), "octet {i}");
        }
    }

    #[test]
    fn a_manifest_signature_names_its_key_and_fails_on_any_change_or_other_key() {
        let (a, b) = (cles(1), cles(2));
        let manifeste = b"spie : pack mensuel 1\nstructure : CCAS\n";
        let signature = a.signer_manifeste(manifeste).unwrap();
        assert_eq!(
            verifier_manifeste(&signature, manifeste).unwrap(),
            a.publique().unwrap().signature
        );
        let mut change = manifeste.to_vec();
        change[30] ^= 0x01;
        assert!(verifier_manifeste(&signature, &change).unwrap_err().contains("modifié"));
        // Another structure's key put in place of the signer's.
        let autre = signature.replace(&a.publique().unwrap().signature, &b.publique().unwrap().signature);
        assert!(
            verifier_manifeste(&autre, manifeste)
                .unwrap_err()
                .contains("ne correspond pas")
        );
        assert!(
            verifier_manifeste("bonjour", manifeste)
                .unwrap_err()
                .contains("illisible")
        );
    }

    #[test]
    fn a_content_signed_by_another_key_is_refused() {
        let (a, b) = (cles(1), cles(2));
        let signataire = a.signataire().unwrap();
        let autre = cles(9).signataire().unwrap();
        let enveloppe = Enveloppe {
            format: FORMAT.into(),
            version: VERSION,
            emetteur: data_encoding::HEXLOWER.encode(signataire.verifying_key().as_bytes()),
            signature: data_encoding::BASE64.encode(&autre.sign(b"{}").to_bytes()),
            contenu: "{}".into(),
        };
        let destinataire = age::x25519::Recipient::from_str(&b.publique().unwrap().age).unwrap();
        let fichier = age::encrypt(&destinataire, &serde_json::to_vec(&enveloppe).unwrap()).unwrap();
        assert_eq!(ouvrir(&fichier, &b).unwrap_err(), Illisible::Altere);
    }
}

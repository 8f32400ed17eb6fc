//! SPIFFE identities with rcgen: the mesh CA and the X509-SVIDs it signs for nodes and
//! operators, and the checks `identity verify` runs on them.

pub mod jwt;
pub mod keys;
pub mod roster;

use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PublicKeyData, SanType, SerialNumber, PKCS_ECDSA_P256_SHA256,
};
use rustls_pki_types::{CertificateDer, UnixTime};
use serde::Serialize;
use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::time::ASN1Time;

use crate::engine::util::timefmt;

/// Backdating of `notBefore`, so that peers whose clocks run a little behind accept a
/// freshly issued certificate.
const BACKDATE: Duration = Duration::from_secs(60);

/// Why an identity could not be issued or read.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("certificate generation failed: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("{0}")]
    Parse(String),
}

/// A certificate and its private key, both PEM.
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: crate::engine::util::SecretText,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued").finish_non_exhaustive()
    }
}

fn random_serial() -> SerialNumber {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).expect("system randomness");
    bytes[0] &= 0x7f; // keep the DER integer positive
    bytes[0] |= 0x01; // and of a fixed length
    SerialNumber::from_slice(&bytes)
}

fn validity(
    params: &mut CertificateParams,
    now: OffsetDateTime,
    ttl: Duration,
    cap: Option<OffsetDateTime>,
) {
    params.not_before = now - BACKDATE;
    let mut not_after = now + ttl;
    if let Some(cap) = cap {
        not_after = not_after.min(cap);
    }
    params.not_after = not_after;
}

/// The parameters every x0t CA certificate shares: its name, one URI SAN, CA:TRUE with
/// `constraints`, certificate and CRL signing, a random serial.
fn ca_params(
    common_name: &str,
    uri: &str,
    constraints: BasicConstraints,
) -> Result<CertificateParams, IdentityError> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "x0tta6bl4");
    dn.push(DnType::CommonName, common_name);
    params.distinguished_name = dn;
    params.subject_alt_names = vec![SanType::URI(uri.try_into()?)];
    params.is_ca = IsCa::Ca(constraints);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.serial_number = Some(random_serial());
    Ok(params)
}

/// Creates a self-signed ECDSA P-256 CA for `trust_domain`, valid for `ttl`.
pub fn generate_ca(
    mesh: &str,
    trust_domain: &str,
    ttl: Duration,
    now: OffsetDateTime,
) -> Result<Issued, IdentityError> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    // Each CA gets a name of its own (its key's fingerprint), so that during a rollover the
    // two CAs of the trust bundle, and the certificates each signed, tell apart by name.
    let id = &crate::engine::util::fsutil::sha256_hex(key.public_key_raw())[..8];
    let mut params = ca_params(
        &format!("x0t mesh CA {mesh} {id}"),
        &format!("spiffe://{trust_domain}"),
        BasicConstraints::Unconstrained,
    )?;
    validity(&mut params, now, ttl, None);
    let cert = params.self_signed(&key)?;
    Ok(Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem().into(),
    })
}

/// A loaded CA that can sign SVIDs.
pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    not_after: OffsetDateTime,
}

impl Ca {
    /// Loads the CA from its PEM certificate and key.
    pub fn load(cert_pem: &str, key_pem: &str) -> Result<Ca, IdentityError> {
        let key = KeyPair::from_pem(key_pem)?;
        let info = CertInfo::from_pem(cert_pem)?;
        let issuer = Issuer::from_ca_cert_pem(cert_pem, key)?;
        Ok(Ca {
            issuer,
            not_after: info.not_after,
        })
    }

    /// When this CA's certificate expires.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// Issues an X509-SVID: one URI SAN, CA:FALSE, critical KeyUsage digitalSignature, EKU
    /// serverAuth + clientAuth; it never outlives the CA.
    pub fn issue_svid(
        &self,
        spiffe_id: &str,
        common_name: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Issued, IdentityError> {
        let (cert, key) = self.sign_svid(spiffe_id, common_name, ttl, now)?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem().into(),
        })
    }

    /// Issues an X509-SVID as DER: the certificate and its PKCS#8 private key.
    pub fn issue_svid_der(
        &self,
        spiffe_id: &str,
        common_name: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<(Vec<u8>, Vec<u8>), IdentityError> {
        let (cert, key) = self.sign_svid(spiffe_id, common_name, ttl, now)?;
        Ok((cert.der().to_vec(), key.serialize_der()))
    }

    fn sign_svid(
        &self,
        spiffe_id: &str,
        common_name: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<(rcgen::Certificate, KeyPair), IdentityError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::OrganizationName, "x0tta6bl4");
        dn.push(DnType::CommonName, common_name);
        params.distinguished_name = dn;
        params.subject_alt_names = vec![SanType::URI(spiffe_id.try_into()?)];
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        params.use_authority_key_identifier_extension = true;
        params.serial_number = Some(random_serial());
        validity(&mut params, now, ttl, Some(self.not_after));
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok((cert, key))
    }

    /// Issues a node's intermediate CA for its Workload API: CA:TRUE with path length 0, the
    /// node's SPIFFE ID as its URI SAN (so a verifier knows whose workloads it may sign), and
    /// never outliving the mesh CA.
    pub fn issue_intermediate(
        &self,
        node_spiffe_id: &str,
        node: &str,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Issued, IdentityError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = ca_params(
            &format!("x0t workload CA {node}"),
            node_spiffe_id,
            BasicConstraints::Constrained(0),
        )?;
        params.use_authority_key_identifier_extension = true;
        validity(&mut params, now, ttl, Some(self.not_after));
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem().into(),
        })
    }
}

/// What `identity show` reports about a certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub not_before: OffsetDateTime,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub not_after: OffsetDateTime,
    pub uris: Vec<String>,
    pub is_ca: bool,
    pub key_algorithm: String,
    /// SHA-256 of the DER certificate.
    pub sha256: String,
    /// SHA-256 of the SubjectPublicKeyInfo.
    pub public_key_sha256: String,
    #[serde(skip)]
    pub der: Vec<u8>,
}

impl CertInfo {
    pub fn from_pem(pem: &str) -> Result<CertInfo, IdentityError> {
        let der = first_pem_der(pem, "CERTIFICATE")?;
        CertInfo::from_der(der)
    }

    pub fn from_der(der: Vec<u8>) -> Result<CertInfo, IdentityError> {
        let (rest, cert) = X509Certificate::from_der(&der)
            .map_err(|e| IdentityError::Parse(format!("not an X.509 certificate: {e}")))?;
        if !rest.is_empty() {
            return Err(IdentityError::Parse(
                "trailing bytes after the certificate".into(),
            ));
        }
        let mut uris = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                if let GeneralName::URI(u) = name {
                    uris.push(u.to_string());
                }
            }
        }
        let key_algorithm = match cert.public_key().parsed() {
            Ok(x509_parser::public_key::PublicKey::EC(p)) if p.key_size() == 256 => {
                "ECDSA P-256".to_string()
            }
            Ok(x509_parser::public_key::PublicKey::EC(p)) => format!("ECDSA {}-bit", p.key_size()),
            Ok(x509_parser::public_key::PublicKey::RSA(r)) => format!("RSA {}-bit", r.key_size()),
            _ => cert.public_key().algorithm.algorithm.to_id_string(),
        };
        let to_time = |t: ASN1Time| {
            OffsetDateTime::from_unix_timestamp(t.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        };
        Ok(CertInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            serial: cert.raw_serial_as_string(),
            not_before: to_time(cert.validity().not_before),
            not_after: to_time(cert.validity().not_after),
            uris,
            is_ca: cert.is_ca(),
            key_algorithm,
            sha256: crate::engine::util::fsutil::sha256_hex(&der),
            public_key_sha256: crate::engine::util::fsutil::sha256_hex(cert.public_key().raw),
            der,
        })
    }
}

/// The DER of the first PEM block with `label`.
pub fn first_pem_der(pem: &str, label: &str) -> Result<Vec<u8>, IdentityError> {
    for item in x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes()) {
        let item = item.map_err(|e| IdentityError::Parse(format!("bad PEM: {e}")))?;
        if item.label == label {
            return Ok(item.contents);
        }
    }
    Err(IdentityError::Parse(format!(
        "no `{label}` PEM block (empty or truncated file?)"
    )))
}

/// The DER of every PEM block with `label`, in file order (a trust bundle holds one or more
/// CA certificates).
pub fn all_pem_der(pem: &str, label: &str) -> Result<Vec<Vec<u8>>, IdentityError> {
    let mut out = Vec::new();
    for item in x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes()) {
        let item = item.map_err(|e| IdentityError::Parse(format!("bad PEM: {e}")))?;
        if item.label == label {
            out.push(item.contents);
        }
    }
    if out.is_empty() {
        return Err(IdentityError::Parse(format!(
            "no `{label}` PEM block (empty or truncated file?)"
        )));
    }
    Ok(out)
}

/// DER as one PEM block with `label`, 64 columns.
pub fn der_to_pem(der: &[u8], label: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// A certificate's SHA-256 fingerprint as operators see it: `sha256:` and lowercase hex.
pub fn fingerprint(der: &[u8]) -> String {
    format!("sha256:{}", crate::engine::util::fsutil::sha256_hex(der))
}

/// Which of `anchors` signs `leaf` (as [`verify_chain`] checks it); the error of the last
/// anchor tried when none does.
pub fn verify_chain_any(
    anchors: &[impl AsRef<[u8]>],
    leaf_der: &[u8],
    now: OffsetDateTime,
) -> Result<usize, String> {
    let mut last = "the trust bundle is empty".to_string();
    for (i, a) in anchors.iter().enumerate() {
        match verify_chain(a.as_ref(), leaf_der, now) {
            Ok(_) => return Ok(i),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// The DER of the private key in a PKCS#8 PEM file.
pub fn private_key_der(pem: &str) -> Result<Vec<u8>, IdentityError> {
    first_pem_der(pem, "PRIVATE KEY")
}

/// The SHA-256 of the SubjectPublicKeyInfo of a PEM private key.
pub fn private_key_public_sha256(key_pem: &str) -> Result<String, IdentityError> {
    let key = KeyPair::from_pem(key_pem)
        .map_err(|e| IdentityError::Parse(format!("not a usable private key: {e}")))?;
    Ok(crate::engine::util::fsutil::sha256_hex(
        &key.subject_public_key_info(),
    ))
}

/// The outcome of one verification step.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// Checks an SVID the way a peer will: chain to the CA (directly), SPIFFE ID, validity
/// window, key pair, and conformance to the X509-SVID standard.
pub fn verify_svid(
    ca_pem: &str,
    svid_pem: &str,
    key_pem: &str,
    expected_id: &str,
    now: OffsetDateTime,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut push = |name, result: Result<String, String>| {
        let (ok, detail) = match result {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        checks.push(Check { name, ok, detail });
    };
    let ca_der = first_pem_der(ca_pem, "CERTIFICATE");
    let leaf = CertInfo::from_pem(svid_pem);
    let (ca_der, leaf) = match (ca_der, leaf) {
        (Ok(c), Ok(l)) => (c, l),
        (Err(e), _) => {
            push("chain", Err(format!("CA certificate unreadable: {e}")));
            return checks;
        }
        (_, Err(e)) => {
            push("chain", Err(format!("SVID unreadable: {e}")));
            return checks;
        }
    };
    push("chain", verify_chain(&ca_der, &leaf.der, now));
    push(
        "spiffeId",
        match leaf.uris.as_slice() {
            [one] if one == expected_id => Ok(one.clone()),
            [one] => Err(format!("{one}, expected {expected_id}")),
            [] => Err("no URI SAN".into()),
            many => Err(format!("{} URI SANs; an SVID has exactly one", many.len())),
        },
    );
    push(
        "validity",
        if now < leaf.not_before {
            Err(format!(
                "not valid before {} (clock behind?)",
                timefmt::rfc3339(leaf.not_before)
            ))
        } else if now >= leaf.not_after {
            Err(format!("expired at {}", timefmt::rfc3339(leaf.not_after)))
        } else {
            Ok(format!(
                "valid until {} ({} left)",
                timefmt::rfc3339(leaf.not_after),
                timefmt::span(timefmt::between(now, leaf.not_after))
            ))
        },
    );
    push(
        "keyPair",
        match private_key_public_sha256(key_pem) {
            Ok(h) if h == leaf.public_key_sha256 => {
                Ok("private key matches the certificate".into())
            }
            Ok(_) => Err("private key does not match the certificate".into()),
            Err(e) => Err(e.to_string()),
        },
    );
    push(
        "x509Svid",
        match private_key_der(key_pem) {
            Ok(key_der) => spiffe::X509Svid::parse_from_der(&leaf.der, &key_der)
                .map(|s| format!("conforms to X509-SVID ({})", s.spiffe_id()))
                .map_err(|e| format!("does not conform to X509-SVID: {e}")),
            Err(e) => Err(e.to_string()),
        },
    );
    checks
}

/// Verifies that `leaf` is signed directly by `ca` and usable for both TLS client and
/// server authentication at `now`.
pub fn verify_chain(ca_der: &[u8], leaf_der: &[u8], now: OffsetDateTime) -> Result<String, String> {
    let ca = CertificateDer::from(ca_der);
    let anchor = webpki::anchor_from_trusted_cert(&ca)
        .map_err(|e| format!("CA certificate unusable: {e:?}"))?;
    let leaf = CertificateDer::from(leaf_der);
    let ee = webpki::EndEntityCert::try_from(&leaf).map_err(|e| format!("SVID unusable: {e:?}"))?;
    let t = UnixTime::since_unix_epoch(Duration::from_secs(now.unix_timestamp().max(0) as u64));
    for usage in [
        webpki::KeyUsage::server_auth(),
        webpki::KeyUsage::client_auth(),
    ] {
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            std::slice::from_ref(&anchor),
            &[],
            t,
            usage,
            None,
            None,
        )
        .map_err(|e| format!("does not chain to the mesh CA: {e:?}"))?;
    }
    Ok("signed by the mesh CA; valid for serverAuth and clientAuth".into())
}

/// Verifies a workload SVID chain (`[leaf, node intermediate]`) against the mesh CA and the
/// rule that rcgen and webpki cannot express as name constraints: the intermediate belongs
/// to a node (its URI SAN), and the leaf's SPIFFE ID is one the manifest gives to a
/// workload of that node. `allowed(node, id)` answers the latter. Returns the leaf's ID.
pub fn verify_workload_chain(
    ca_der: &[u8],
    chain: &[Vec<u8>],
    now: OffsetDateTime,
    allowed: impl Fn(&str, &str) -> bool,
) -> Result<String, String> {
    let [leaf, intermediate] = chain else {
        return Err(format!(
            "a workload SVID chain has 2 certificates (SVID, node CA), this one has {}",
            chain.len()
        ));
    };
    let inter = CertInfo::from_der(intermediate.clone()).map_err(|e| e.to_string())?;
    let leaf_info = CertInfo::from_der(leaf.clone()).map_err(|e| e.to_string())?;
    if !inter.is_ca {
        return Err("the second certificate is not a CA".into());
    }
    let node = match inter.uris.as_slice() {
        [one] => one
            .rsplit_once("/node/")
            .map(|(_, n)| n.to_string())
            .ok_or_else(|| format!("the signing CA is {one}, not a node's workload CA"))?,
        _ => return Err("the signing CA has no node SPIFFE ID".into()),
    };
    let id = match leaf_info.uris.as_slice() {
        [one] => one.clone(),
        [] => return Err("the SVID has no URI SAN".into()),
        many => return Err(format!("{} URI SANs; an SVID has exactly one", many.len())),
    };
    let ca = CertificateDer::from(ca_der);
    let anchor = webpki::anchor_from_trusted_cert(&ca)
        .map_err(|e| format!("CA certificate unusable: {e:?}"))?;
    let leaf_der = CertificateDer::from(leaf.as_slice());
    let ee =
        webpki::EndEntityCert::try_from(&leaf_der).map_err(|e| format!("SVID unusable: {e:?}"))?;
    let t = UnixTime::since_unix_epoch(Duration::from_secs(now.unix_timestamp().max(0) as u64));
    let inter_der = CertificateDer::from(intermediate.as_slice());
    ee.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        std::slice::from_ref(&anchor),
        std::slice::from_ref(&inter_der),
        t,
        webpki::KeyUsage::client_auth(),
        None,
        None,
    )
    .map_err(|e| format!("does not chain to the mesh CA through node {node}'s CA: {e:?}"))?;
    if !allowed(&node, &id) {
        return Err(format!(
            "{id} is not a workload of node {node}: node {node}'s CA may not sign it"
        ));
    }
    Ok(id)
}

/// Checks that `cert` (a CA certificate, which webpki will not take as an end entity) is
/// signed by `ca` with ECDSA P-256 and valid at `now`.
pub fn verify_issued_by(ca_der: &[u8], cert_der: &[u8], now: OffsetDateTime) -> Result<(), String> {
    use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
    let (_, ca) = X509Certificate::from_der(ca_der).map_err(|e| format!("CA unreadable: {e}"))?;
    let (_, cert) =
        X509Certificate::from_der(cert_der).map_err(|e| format!("certificate unreadable: {e}"))?;
    if cert.issuer() != ca.subject() {
        return Err(format!(
            "issued by {}, not by {}",
            cert.issuer(),
            ca.subject()
        ));
    }
    let key = UnparsedPublicKey::new(
        &ECDSA_P256_SHA256_ASN1,
        ca.public_key().subject_public_key.data.as_ref(),
    );
    key.verify(
        cert.tbs_certificate.as_ref(),
        cert.signature_value.data.as_ref(),
    )
    .map_err(|_| "the signature does not verify against the CA's key".to_string())?;
    let t = ASN1Time::from_timestamp(now.unix_timestamp()).map_err(|e| e.to_string())?;
    if !cert.validity().is_valid_at(t) {
        return Err("outside its validity window".into());
    }
    Ok(())
}

/// The workload name in a workload SPIFFE ID (`spiffe://TD/workload/NAME`, one segment).
pub fn workload_name(spiffe_id: &str) -> Option<&str> {
    let (_, path) = spiffe_id.strip_prefix("spiffe://")?.split_once('/')?;
    path.strip_prefix("workload/")
        .filter(|w| !w.is_empty() && !w.contains('/'))
}

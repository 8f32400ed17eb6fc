//! JWT-SVIDs (the SPIFFE JWT-SVID standard): each node holds a P-256 signing key, signs
//! ES256 tokens for its workloads, and publishes the public halves of every node's keys as
//! the trust domain's JWKS. Verification here is what `ValidateJWTSVID` and
//! `identity verify-jwt` use; it names the reason a token is refused.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair as _, UnparsedPublicKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use time::OffsetDateTime;

use crate::engine::util::timefmt;

/// The only signature algorithm x0t issues and accepts.
pub const ALGORITHM: &str = "ES256";

/// Longer tokens are refused before any parsing: a JWT-SVID is a few hundred bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Why a JWT key or token is unusable. Every variant reads as the reason a token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("not a JWT: {0}")]
    Malformed(String),
    #[error("algorithm {0} is not accepted (x0t signs and accepts ES256 only)")]
    Algorithm(String),
    #[error("signed by unknown key {0:?} (not in the trust domain's JWT bundle)")]
    UnknownKey(String),
    #[error("signed by key {kid:?} of node {node}, which is revoked")]
    Revoked { kid: String, node: String },
    #[error("key {kid:?} was retired; it vouches only for tokens that expire by {until}")]
    Retired { kid: String, until: String },
    #[error("the signature does not verify with key {0:?}")]
    Signature(String),
    #[error("expired at {0}")]
    Expired(String),
    #[error("not valid before {0}")]
    NotYetValid(String),
    #[error("audience {want:?} is not among the token's audiences {have:?}")]
    Audience { want: String, have: Vec<String> },
    #[error("subject {0} is not in trust domain {1}")]
    TrustDomain(String, String),
    #[error(
        "subject {sub} may not be vouched for by node {node}: the manifest hosts it elsewhere"
    )]
    NotHosted { sub: String, node: String },
    #[error("subject {0} is revoked")]
    SubjectRevoked(String),
    #[error("JWT key: {0}")]
    Key(String),
}

/// A public JWT signing key as the roster carries it: the P-256 point and its key id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtKey {
    /// RFC 7638 thumbprint of the key: tokens name their signing key by it.
    pub kid: String,
    /// The point's coordinates, base64url without padding.
    pub x: String,
    pub y: String,
    /// For a retired key: until when tokens it signed may still be valid. The key leaves
    /// the JWKS after that.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "timefmt::rfc3339_opt_serde"
    )]
    pub valid_until: Option<OffsetDateTime>,
}

impl JwtKey {
    /// The key from an uncompressed SEC1 point (`04 || x || y`).
    pub fn from_point(point: &[u8]) -> Result<JwtKey, JwtError> {
        if point.len() != 65 || point[0] != 4 {
            return Err(JwtError::Key(format!(
                "not an uncompressed P-256 point ({} bytes)",
                point.len()
            )));
        }
        let x = B64.encode(&point[1..33]);
        let y = B64.encode(&point[33..]);
        Ok(JwtKey {
            kid: thumbprint(&x, &y),
            x,
            y,
            valid_until: None,
        })
    }

    /// The uncompressed SEC1 point.
    pub fn point(&self) -> Result<Vec<u8>, JwtError> {
        let bad = |c: &str| JwtError::Key(format!("key {:?}: bad {c} coordinate", self.kid));
        let x = B64.decode(&self.x).map_err(|_| bad("x"))?;
        let y = B64.decode(&self.y).map_err(|_| bad("y"))?;
        if x.len() != 32 {
            return Err(bad("x"));
        }
        if y.len() != 32 {
            return Err(bad("y"));
        }
        let mut p = vec![4u8];
        p.extend_from_slice(&x);
        p.extend_from_slice(&y);
        Ok(p)
    }

    /// The key as a JWK for a SPIFFE bundle.
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "EC",
            "crv": "P-256",
            "x": self.x,
            "y": self.y,
            "kid": self.kid,
            "use": "jwt-svid",
            "alg": ALGORITHM,
        })
    }
}

/// RFC 7638: SHA-256 over the required members in lexicographic order, base64url.
fn thumbprint(x: &str, y: &str) -> String {
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    B64.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

/// A JWKS document (`{"keys": [...]}`) of `keys`, as the Workload API serves it.
pub fn jwks<'a>(keys: impl IntoIterator<Item = &'a JwtKey>) -> Vec<u8> {
    let keys: Vec<serde_json::Value> = keys.into_iter().map(JwtKey::jwk).collect();
    serde_json::to_vec(&serde_json::json!({ "keys": keys })).expect("JSON values serialise")
}

/// What `jwt.pub` holds beside the secret key: the public key and when it was made.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtPublicFile {
    pub algorithm: String,
    #[serde(with = "timefmt::rfc3339_serde")]
    pub created: OffsetDateTime,
    pub key: JwtKey,
}

/// A node's signing key.
pub struct JwtSigner {
    pair: EcdsaKeyPair,
    pub key: JwtKey,
}

impl std::fmt::Debug for JwtSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSigner")
            .field("kid", &self.key.kid)
            .finish_non_exhaustive()
    }
}

/// A new key pair: the secret key as PKCS#8 PEM and the public file as JSON.
pub fn generate(now: OffsetDateTime) -> Result<(String, Vec<u8>), JwtError> {
    let doc = EcdsaKeyPair::generate_pkcs8(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &SystemRandom::new(),
    )
    .map_err(|e| JwtError::Key(format!("generate: {e}")))?;
    let signer = JwtSigner::from_pkcs8(doc.as_ref())?;
    let public = JwtPublicFile {
        algorithm: ALGORITHM.into(),
        created: now,
        key: signer.key.clone(),
    };
    Ok((
        super::der_to_pem(doc.as_ref(), "PRIVATE KEY"),
        serde_json::to_vec_pretty(&public).expect("public file serialises"),
    ))
}

/// Reads `jwt.pub`.
pub fn decode_public(bytes: &[u8]) -> Result<JwtPublicFile, JwtError> {
    let f: JwtPublicFile =
        serde_json::from_slice(bytes).map_err(|e| JwtError::Key(format!("jwt.pub: {e}")))?;
    if f.algorithm != ALGORITHM {
        return Err(JwtError::Algorithm(f.algorithm));
    }
    f.key.point()?;
    if f.key.kid != thumbprint(&f.key.x, &f.key.y) {
        return Err(JwtError::Key(format!(
            "jwt.pub: kid {:?} is not the key's thumbprint",
            f.key.kid
        )));
    }
    Ok(f)
}

/// The claims x0t puts in a JWT-SVID.
#[derive(Debug, Clone, Serialize)]
struct Claims<'a> {
    sub: &'a str,
    aud: &'a [String],
    exp: i64,
    iat: i64,
}

impl JwtSigner {
    pub fn from_pkcs8(der: &[u8]) -> Result<JwtSigner, JwtError> {
        let pair = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der)
            .map_err(|e| JwtError::Key(format!("not a P-256 PKCS#8 key: {e}")))?;
        let key = JwtKey::from_point(pair.public_key().as_ref())?;
        Ok(JwtSigner { pair, key })
    }

    pub fn from_pem(pem: &str) -> Result<JwtSigner, JwtError> {
        let der =
            super::first_pem_der(pem, "PRIVATE KEY").map_err(|e| JwtError::Key(e.to_string()))?;
        JwtSigner::from_pkcs8(&der)
    }

    /// A compact JWS over `claims` as given, however malformed: the fuzz harness signs
    /// what the fuzzer writes so that it reaches the checks behind the signature.
    pub(crate) fn sign_raw(&self, claims: &[u8]) -> String {
        let header = serde_json::json!({ "alg": ALGORITHM, "kid": self.key.kid, "typ": "JWT" });
        let mut token = B64.encode(serde_json::to_vec(&header).expect("header serialises"));
        token.push('.');
        token.push_str(&B64.encode(claims));
        let sig = (self.pair.sign(&SystemRandom::new(), token.as_bytes()))
            .expect("P-256 signing does not fail");
        token.push('.');
        token.push_str(&B64.encode(sig.as_ref()));
        token
    }

    /// A compact JWS for `sub`, valid from `iat` until `exp`.
    pub fn sign(
        &self,
        sub: &str,
        audience: &[String],
        iat: OffsetDateTime,
        exp: OffsetDateTime,
    ) -> Result<String, JwtError> {
        let header = serde_json::json!({ "alg": ALGORITHM, "kid": self.key.kid, "typ": "JWT" });
        let claims = Claims {
            sub,
            aud: audience,
            exp: exp.unix_timestamp(),
            iat: iat.unix_timestamp(),
        };
        let mut token = B64.encode(serde_json::to_vec(&header).expect("header serialises"));
        token.push('.');
        token.push_str(&B64.encode(serde_json::to_vec(&claims).expect("claims serialise")));
        let sig = self
            .pair
            .sign(&SystemRandom::new(), token.as_bytes())
            .map_err(|e| JwtError::Key(format!("sign: {e}")))?;
        token.push('.');
        token.push_str(&B64.encode(sig.as_ref()));
        Ok(token)
    }
}

/// A key a verifier may accept, with the node that owns it.
#[derive(Debug, Clone)]
pub struct Authority {
    pub node: String,
    pub key: JwtKey,
    pub revoked: bool,
}

/// A token that verified.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    pub spiffe_id: String,
    /// The node whose key signed it.
    pub node: String,
    #[serde(rename = "keyId")]
    pub kid: String,
    #[serde(rename = "expiresAt", with = "timefmt::rfc3339_serde")]
    pub expires: OffsetDateTime,
    pub audience: Vec<String>,
    /// Every claim, as the token carries them.
    pub claims: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    kid: Option<String>,
    #[serde(default)]
    typ: Option<String>,
}

/// What a verifier needs to know of the mesh.
pub struct Verifier<'a> {
    pub trust_domain: &'a str,
    /// Every key of the mesh that may have signed a live token.
    pub authorities: &'a [Authority],
    /// Whether node `node` may vouch for `spiffe_id`: the node itself, or a workload the
    /// manifest places on it.
    pub hosts: &'a dyn Fn(&str, &str) -> bool,
}

impl Verifier<'_> {
    /// Checks `token` for `audience` at `now`: shape, algorithm, key, revocation,
    /// signature, expiry, audience, trust domain, and that the signing node hosts the
    /// subject.
    pub fn verify(
        &self,
        token: &str,
        audience: &str,
        now: OffsetDateTime,
    ) -> Result<Verified, JwtError> {
        let bad = |m: &str| JwtError::Malformed(m.into());
        if token.len() > MAX_TOKEN_BYTES {
            return Err(bad("longer than 8 KiB"));
        }
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("a JWS has three dot-separated parts"));
        };
        let header: Header = serde_json::from_slice(
            &B64.decode(h)
                .map_err(|_| bad("the header is not base64url"))?,
        )
        .map_err(|e| JwtError::Malformed(format!("header: {e}")))?;
        if header.alg != ALGORITHM {
            return Err(JwtError::Algorithm(header.alg));
        }
        if let Some(t) = &header.typ {
            if t != "JWT" && t != "JOSE" {
                return Err(JwtError::Malformed(format!("header typ {t:?}")));
            }
        }
        let kid = header
            .kid
            .ok_or_else(|| bad("the header names no key (kid)"))?;
        let mut matching = self.authorities.iter().filter(|a| a.key.kid == kid);
        let auth = matching
            .next()
            .ok_or_else(|| JwtError::UnknownKey(kid.clone()))?;
        if matching.any(|other| other.node != auth.node) {
            return Err(JwtError::Key(format!(
                "key {kid:?} is claimed by more than one node"
            )));
        }
        if auth.revoked {
            return Err(JwtError::Revoked {
                kid,
                node: auth.node.clone(),
            });
        }
        let sig = B64
            .decode(s)
            .map_err(|_| bad("the signature is not base64url"))?;
        UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, auth.key.point()?)
            .verify(&token.as_bytes()[..h.len() + 1 + c.len()], &sig)
            .map_err(|_| JwtError::Signature(kid.clone()))?;
        let claims: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(
            &B64.decode(c)
                .map_err(|_| bad("the claims are not base64url"))?,
        )
        .map_err(|e| JwtError::Malformed(format!("claims: {e}")))?;
        let int = |k: &str| -> Result<Option<i64>, JwtError> {
            match claims.get(k) {
                None => Ok(None),
                Some(v) => v
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| JwtError::Malformed(format!("claim {k} is not an integer"))),
            }
        };
        let at = |t: i64| {
            OffsetDateTime::from_unix_timestamp(t)
                .map(timefmt::rfc3339)
                .unwrap_or_else(|_| t.to_string())
        };
        let exp = int("exp")?.ok_or_else(|| bad("no exp claim"))?;
        if now.unix_timestamp() >= exp {
            return Err(JwtError::Expired(at(exp)));
        }
        // A retired key vouches only for tokens that end inside its overlap window.
        if let Some(until) = auth.key.valid_until {
            if exp > until.unix_timestamp() {
                return Err(JwtError::Retired {
                    kid,
                    until: timefmt::rfc3339(until),
                });
            }
        }
        if let Some(nbf) = int("nbf")? {
            if now.unix_timestamp() < nbf {
                return Err(JwtError::NotYetValid(at(nbf)));
            }
        }
        let have: Vec<String> = match claims.get("aud") {
            Some(serde_json::Value::String(a)) => vec![a.clone()],
            Some(serde_json::Value::Array(list)) => list
                .iter()
                .map(|a| a.as_str().map(String::from))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("aud holds a non-string"))?,
            _ => return Err(bad("no aud claim")),
        };
        if !have.iter().any(|a| a == audience) {
            return Err(JwtError::Audience {
                want: audience.into(),
                have,
            });
        }
        let sub = claims
            .get("sub")
            .and_then(|s| s.as_str())
            .ok_or_else(|| bad("no sub claim"))?
            .to_string();
        let td = sub
            .strip_prefix("spiffe://")
            .and_then(|r| r.split('/').next())
            .unwrap_or_default();
        if td != self.trust_domain {
            return Err(JwtError::TrustDomain(sub, self.trust_domain.into()));
        }
        if !(self.hosts)(&auth.node, &sub) {
            return Err(JwtError::NotHosted {
                sub,
                node: auth.node.clone(),
            });
        }
        Ok(Verified {
            spiffe_id: sub,
            node: auth.node.clone(),
            kid,
            expires: OffsetDateTime::from_unix_timestamp(exp)
                .map_err(|_| bad("exp out of range"))?,
            audience: have,
            claims,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    fn setup() -> (JwtSigner, Vec<Authority>) {
        let (pem, public) = generate(now()).unwrap();
        let signer = JwtSigner::from_pem(&pem).unwrap();
        let public = decode_public(&public).unwrap();
        assert_eq!(public.key, signer.key);
        let auth = vec![Authority {
            node: "n1".into(),
            key: signer.key.clone(),
            revoked: false,
        }];
        (signer, auth)
    }

    fn verifier(auth: &[Authority]) -> Verifier<'_> {
        Verifier {
            trust_domain: "td.test",
            authorities: auth,
            hosts: &|node, sub| node == "n1" && sub == "spiffe://td.test/workload/api",
        }
    }

    #[test]
    fn a_signed_token_verifies_and_each_fault_names_its_reason() {
        let (signer, mut auth) = setup();
        let sub = "spiffe://td.test/workload/api";
        let aud = vec!["db".to_string(), "web".to_string()];
        let exp = now() + time::Duration::minutes(5);
        let token = signer.sign(sub, &aud, now(), exp).unwrap();
        let v = verifier(&auth).verify(&token, "web", now()).unwrap();
        assert_eq!(v.spiffe_id, sub);
        assert_eq!(v.node, "n1");
        assert_eq!(v.audience, aud);

        let e = |t: &str, a: &str, at| verifier(&auth).verify(t, a, at).unwrap_err();
        assert!(matches!(
            e(&token, "mail", now()),
            JwtError::Audience { .. }
        ));
        assert!(matches!(e(&token, "web", exp), JwtError::Expired(_)));
        let mut tampered = token.clone();
        tampered.replace_range(token.len() - 3.., "AAA");
        assert!(matches!(e(&tampered, "web", now()), JwtError::Signature(_)));
        assert!(matches!(e("a.b", "web", now()), JwtError::Malformed(_)));
        let foreign = signer
            .sign("spiffe://other.test/workload/api", &aud, now(), exp)
            .unwrap();
        assert!(matches!(
            e(&foreign, "web", now()),
            JwtError::TrustDomain(..)
        ));
        let elsewhere = signer
            .sign("spiffe://td.test/workload/db", &aud, now(), exp)
            .unwrap();
        assert!(matches!(
            e(&elsewhere, "web", now()),
            JwtError::NotHosted { .. }
        ));
        let (other, _) = setup();
        let unknown = other.sign(sub, &aud, now(), exp).unwrap();
        assert!(matches!(e(&unknown, "web", now()), JwtError::UnknownKey(_)));
        auth[0].revoked = true;
        assert!(matches!(
            verifier(&auth).verify(&token, "web", now()).unwrap_err(),
            JwtError::Revoked { .. }
        ));
        auth[0].revoked = false;

        // A retired key vouches only for tokens ending inside its window.
        auth[0].key.valid_until = Some(exp - time::Duration::seconds(1));
        assert!(matches!(
            verifier(&auth).verify(&token, "web", now()).unwrap_err(),
            JwtError::Retired { .. }
        ));
        auth[0].key.valid_until = Some(exp);
        verifier(&auth).verify(&token, "web", now()).unwrap();
    }

    /// A token with the given header and claims, signed by `signer` over exactly that.
    fn raw(signer: &JwtSigner, header: serde_json::Value, claims: serde_json::Value) -> String {
        let mut t = B64.encode(header.to_string());
        t.push('.');
        t.push_str(&B64.encode(claims.to_string()));
        let sig = signer
            .pair
            .sign(&SystemRandom::new(), t.as_bytes())
            .unwrap();
        t.push('.');
        t.push_str(&B64.encode(sig.as_ref()));
        t
    }

    #[test]
    fn algorithm_confusion_and_odd_claims_are_refused_or_read_as_the_standard_says() {
        let (signer, auth) = setup();
        let kid = signer.key.kid.clone();
        let sub = "spiffe://td.test/workload/api";
        let exp = (now() + time::Duration::minutes(5)).unix_timestamp();
        let claims = serde_json::json!({ "sub": sub, "aud": "web", "exp": exp });
        let v = verifier(&auth);
        // `alg: none` with no signature, and HS256 keyed with the public key's id.
        let none = format!(
            "{}.{}.",
            B64.encode(serde_json::json!({ "alg": "none", "kid": kid }).to_string()),
            B64.encode(claims.to_string())
        );
        assert!(
            matches!(v.verify(&none, "web", now()), Err(JwtError::Algorithm(a)) if a == "none")
        );
        let hs = raw(
            &signer,
            serde_json::json!({ "alg": "HS256", "kid": kid }),
            claims.clone(),
        );
        assert!(matches!(
            v.verify(&hs, "web", now()),
            Err(JwtError::Algorithm(_))
        ));
        // No kid; an extra header field.
        let no_kid = raw(
            &signer,
            serde_json::json!({ "alg": "ES256" }),
            claims.clone(),
        );
        assert!(matches!(
            v.verify(&no_kid, "web", now()),
            Err(JwtError::Malformed(_))
        ));
        let extra = raw(
            &signer,
            serde_json::json!({ "alg": "ES256", "kid": kid, "jku": "https://evil" }),
            claims.clone(),
        );
        assert!(matches!(
            v.verify(&extra, "web", now()),
            Err(JwtError::Malformed(_))
        ));
        // `aud` as a single string is one audience.
        let plain = raw(
            &signer,
            serde_json::json!({ "alg": "ES256", "kid": kid }),
            claims,
        );
        assert_eq!(v.verify(&plain, "web", now()).unwrap().audience, ["web"]);
        // `nbf` in the future.
        let later = raw(
            &signer,
            serde_json::json!({ "alg": "ES256", "kid": kid }),
            serde_json::json!({ "sub": sub, "aud": "web", "exp": exp, "nbf": exp - 1 }),
        );
        assert!(matches!(
            v.verify(&later, "web", now()),
            Err(JwtError::NotYetValid(_))
        ));
        // Oversized input is refused before parsing.
        let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert!(matches!(
            v.verify(&huge, "web", now()),
            Err(JwtError::Malformed(_))
        ));
        // Two nodes claiming one key id: refused rather than credited to either.
        let mut twice = auth.clone();
        twice.push(Authority {
            node: "n2".into(),
            ..auth[0].clone()
        });
        let twice_v = Verifier {
            authorities: &twice,
            ..verifier(&auth)
        };
        assert!(matches!(
            twice_v.verify(&plain, "web", now()),
            Err(JwtError::Key(_))
        ));
    }
}

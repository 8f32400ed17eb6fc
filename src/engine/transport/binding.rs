//! The post-quantum identity binding: after the TLS handshake each side signs (role, both
//! SPIFFE IDs, the TLS exporter value) with its ML-DSA key on the raw stream, and the other
//! checks the signature against the roster before any RPC starts.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::engine::bundle::Credentials;
use crate::engine::pqc::{self};

use super::*;

/// The binding frame, sent by each side on the raw TLS stream.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Binding {
    /// The oldest protocol the sender speaks. An x0t of protocol 2 or older reads this as
    /// the only one, and refuses a peer whose value is above its own.
    protocol: u32,
    /// The newest protocol the sender speaks (absent from x0t 2 and older: `protocol`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    speaks: Option<u32>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    spiffe_id: String,
    #[serde(default)]
    algorithm: String,
    #[serde(default)]
    signature: String,
    /// During a key rotation: the same message signed with the sender's previous key, for
    /// peers whose roster does not name the new key yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    previous_signature: Option<String>,
    /// Set instead of a signature when the sender refuses the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl Binding {
    pub(super) fn refusal(why: &str) -> Binding {
        Binding {
            protocol: PROTOCOL_MIN,
            speaks: Some(PROTOCOL_VERSION),
            role: String::new(),
            spiffe_id: String::new(),
            algorithm: String::new(),
            signature: String::new(),
            previous_signature: None,
            error: Some(why.into()),
        }
    }
}

pub(super) fn binding_message(
    role: &str,
    signer: &str,
    peer: &str,
    exporter: &[u8; 32],
) -> Vec<u8> {
    let mut m = b"x0t-pq-binding-v1\0".to_vec();
    for part in [role.as_bytes(), signer.as_bytes(), peer.as_bytes()] {
        m.extend_from_slice(part);
        m.push(0);
    }
    m.extend_from_slice(exporter);
    m
}

pub(super) async fn send_binding<S: AsyncWrite + Unpin>(
    s: &mut S,
    creds: &Credentials,
    role: &str,
    peer: &str,
    exporter: &[u8; 32],
) -> Result<(), Refusal> {
    let message = binding_message(role, &creds.spiffe_id, peer, exporter);
    let sig = pqc::sign(creds.dsa, &creds.dsa_secret, &message)
        .map_err(|e| Refusal::new("pq_binding", e.to_string()))?;
    let previous = match &creds.dsa_previous {
        Some((alg, secret)) => Some(
            pqc::sign(*alg, secret, &message)
                .map_err(|e| Refusal::new("pq_binding", e.to_string()))?,
        ),
        None => None,
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let b = Binding {
        protocol: PROTOCOL_MIN,
        speaks: Some(PROTOCOL_VERSION),
        role: role.into(),
        spiffe_id: creds.spiffe_id.clone(),
        algorithm: creds.dsa.name().into(),
        signature: b64.encode(sig),
        previous_signature: previous.map(|p| b64.encode(p)),
        error: None,
    };
    write_frame(s, &b).await
}

pub(super) async fn recv_binding<S: AsyncRead + Unpin>(
    s: &mut S,
    trust: &Trust,
    role: &str,
    peer: &str,
    me: &str,
    exporter: &[u8; 32],
) -> Result<Protocols, Refusal> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len).await.map_err(|e| {
        Refusal::new(
            "pq_binding",
            format!("peer closed before its binding ({e})"),
        )
    })?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_BINDING_FRAME {
        return Err(Refusal::new(
            "oversized",
            format!("binding frame of {len} bytes (limit {MAX_BINDING_FRAME})"),
        ));
    }
    let mut buf = vec![0u8; len];
    s.read_exact(&mut buf).await?;
    let (b, protocols) = parse_binding(&buf)?;
    if b.role != role || b.spiffe_id != peer {
        return Err(Refusal::new(
            "pq_binding",
            format!(
                "binding claims {} as {}, expected {peer} as {role}",
                b.spiffe_id, b.role
            ),
        ));
    }
    let (_, _, alg) = trust.identify(peer)?;
    if b.algorithm != alg.name() {
        return Err(Refusal::new(
            "pq_binding",
            format!(
                "binding signed with {}, roster has {}",
                b.algorithm,
                alg.name()
            ),
        ));
    }
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&b.signature)
        .map_err(|_| Refusal::new("pq_binding", "signature is not base64"))?;
    let message = binding_message(role, peer, me, exporter);
    // Mid-rotation, either side may be a step behind: the peer may still sign with the key
    // it had before (the roster keeps it as the last retired one), or this node's roster
    // may not name the peer's new key yet (the peer also signs with its previous key).
    let previous_sig = b
        .previous_signature
        .as_deref()
        .and_then(|p| base64::engine::general_purpose::STANDARD.decode(p).ok());
    let mut sigs: Vec<&[u8]> = vec![&sig];
    sigs.extend(previous_sig.as_deref());
    trust.verify_signed(peer, &message, &sigs)?;
    Ok(protocols)
}

/// Reads a binding frame's body: JSON of a peer that shares a protocol with this x0t, not
/// a refusal. Returns it with the protocols the peer speaks.
pub(super) fn parse_binding(buf: &[u8]) -> Result<(Binding, Protocols), Refusal> {
    let b: Binding = serde_json::from_slice(buf)
        .map_err(|e| Refusal::new("pq_binding", format!("malformed binding frame: {e}")))?;
    if let Some(err) = b.error {
        return Err(Refusal::new("refused_by_peer", err));
    }
    let theirs = Protocols {
        min: b.protocol,
        max: b.speaks.unwrap_or(b.protocol).max(b.protocol),
    };
    if theirs.min > PROTOCOL_VERSION {
        return Err(Refusal::new(
            "protocol_version",
            format!(
                "peer speaks protocol {theirs}, this x0t speaks {}; upgrade x0t",
                Protocols::OURS
            ),
        ));
    }
    if theirs.max < PROTOCOL_MIN {
        return Err(Refusal::new(
            "protocol_version",
            format!(
                "peer speaks protocol {theirs}, this x0t speaks {}; upgrade x0t on the peer",
                Protocols::OURS
            ),
        ));
    }
    Ok((b, theirs))
}

pub(super) async fn write_frame<S: AsyncWrite + Unpin>(
    s: &mut S,
    b: &Binding,
) -> Result<(), Refusal> {
    let body = serde_json::to_vec(b).expect("binding serialises");
    let mut frame = (body.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(&body);
    s.write_all(&frame).await?;
    s.flush().await?;
    Ok(())
}

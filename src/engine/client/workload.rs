//! A workload's side of the SPIFFE Workload API: fetch SVIDs and bundles with the `spiffe`
//! crate's client, as any SPIFFE workload would (`x0t identity fetch`).

use std::time::Duration;

use time::OffsetDateTime;

use crate::engine::identity::CertInfo;

/// Why a workload could not fetch its SVID.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("no Workload API endpoint: pass --socket or set SPIFFE_ENDPOINT_SOCKET")]
    NoEndpoint,
    #[error("Workload API at {endpoint}: no identity issued to this process")]
    NoIdentity { endpoint: String },
    #[error("Workload API at {endpoint}: {message}")]
    Failed { endpoint: String, message: String },
    #[error("Workload API at {endpoint}: no answer within {seconds}s")]
    Timeout { endpoint: String, seconds: u64 },
}

impl FetchError {
    pub fn hints(&self) -> Vec<String> {
        match self {
            FetchError::NoIdentity { .. } => vec![
                "no workload of this node has selectors matching this process (uid, gid, user, group, path); see `workloads` in the manifest".into(),
            ],
            FetchError::Failed { .. } => {
                vec!["is the node running? `x0t node run` prints SPIFFE_ENDPOINT_SOCKET when its Workload API is up".into()]
            }
            _ => Vec::new(),
        }
    }
}

/// One SVID as a workload received it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchedSvid {
    pub spiffe_id: String,
    pub serial: String,
    pub issuer: String,
    #[serde(with = "crate::engine::util::timefmt::rfc3339_serde")]
    pub not_after: OffsetDateTime,
    pub chain_length: usize,
    #[serde(skip)]
    pub chain: Vec<Vec<u8>>,
    #[serde(skip)]
    pub key: Vec<u8>,
}

/// A trust bundle as a workload received it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchedBundle {
    pub trust_domain: String,
    /// SHA-256 of each CA certificate.
    pub authorities: Vec<String>,
    #[serde(skip)]
    pub der: Vec<Vec<u8>>,
}

/// What `identity fetch` got from a Workload API.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fetched {
    pub schema_version: u32,
    pub endpoint: String,
    pub svids: Vec<FetchedSvid>,
    pub bundles: Vec<FetchedBundle>,
}

/// `unix:///path` for a bare path; `unix:` and `tcp:` endpoints unchanged.
pub fn endpoint_uri(socket: &str) -> String {
    if socket.starts_with("unix:") || socket.starts_with("tcp:") {
        socket.to_string()
    } else {
        format!("unix://{socket}")
    }
}

/// Fetches the caller's SVIDs and bundles with the `spiffe` crate's client, the way any
/// SPIFFE workload would.
pub async fn fetch(endpoint: &str, timeout: Duration) -> Result<Fetched, FetchError> {
    let endpoint = endpoint_uri(endpoint);
    let ctx = call(&endpoint, timeout, |c| async move {
        c.fetch_x509_context().await
    })
    .await?;
    let failed = |message: String| FetchError::Failed {
        endpoint: endpoint.clone(),
        message,
    };
    let mut svids = Vec::new();
    for s in ctx.svids() {
        let chain: Vec<Vec<u8>> = s
            .cert_chain()
            .iter()
            .map(|c| c.as_bytes().to_vec())
            .collect();
        let leaf = CertInfo::from_der(chain[0].clone()).map_err(|e| failed(e.to_string()))?;
        svids.push(FetchedSvid {
            spiffe_id: s.spiffe_id().to_string(),
            serial: leaf.serial,
            issuer: leaf.issuer,
            not_after: leaf.not_after,
            chain_length: chain.len(),
            chain,
            key: s.private_key().as_bytes().to_vec(),
        });
    }
    let mut bundles: Vec<FetchedBundle> = ctx
        .bundle_set()
        .iter()
        .map(|(td, b)| {
            let der: Vec<Vec<u8>> = b
                .authorities()
                .iter()
                .map(|c| c.as_bytes().to_vec())
                .collect();
            FetchedBundle {
                trust_domain: td.to_string(),
                authorities: der
                    .iter()
                    .map(|d| crate::engine::util::fsutil::sha256_hex(d))
                    .collect(),
                der,
            }
        })
        .collect();
    bundles.sort_by(|a, b| a.trust_domain.cmp(&b.trust_domain));
    Ok(Fetched {
        schema_version: 1,
        endpoint,
        svids,
        bundles,
    })
}

/// One JWT-SVID as a workload received it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchedJwt {
    pub spiffe_id: String,
    /// Left out when the token was written to a file instead.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub token: String,
    pub audience: Vec<String>,
    /// The signing key's id (`kid`).
    pub key_id: String,
    #[serde(with = "crate::engine::util::timefmt::rfc3339_serde")]
    pub expires_at: OffsetDateTime,
}

/// What `identity fetch --jwt` got from a Workload API.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchedJwts {
    pub schema_version: u32,
    pub endpoint: String,
    pub svids: Vec<FetchedJwt>,
}

/// Fetches JWT-SVIDs for `audience` with the `spiffe` crate's client: one per identity the
/// caller holds, the default one first.
pub async fn fetch_jwt(
    endpoint: &str,
    audience: &[String],
    timeout: Duration,
) -> Result<FetchedJwts, FetchError> {
    let endpoint = endpoint_uri(endpoint);
    let svids = call(&endpoint, timeout, |c| async move {
        c.fetch_all_jwt_svids(audience, None).await
    })
    .await?;
    Ok(FetchedJwts {
        schema_version: 1,
        endpoint: endpoint.clone(),
        svids: svids
            .iter()
            .map(|s| FetchedJwt {
                spiffe_id: s.spiffe_id().to_string(),
                token: s.token().to_string(),
                audience: s.audience().to_vec(),
                key_id: s.key_id().to_string(),
                expires_at: s.expiry(),
            })
            .collect(),
    })
}

/// Connects to the Workload API at `endpoint` (a URI) with the `spiffe` crate's client and
/// runs `f` on it, all within `timeout`; the crate's errors become [`FetchError`]s that
/// name the endpoint.
async fn call<T, F, Fut>(endpoint: &str, timeout: Duration, f: F) -> Result<T, FetchError>
where
    F: FnOnce(spiffe::WorkloadApiClient) -> Fut,
    Fut: std::future::Future<Output = Result<T, spiffe::WorkloadApiError>>,
{
    let failed = |message: String| FetchError::Failed {
        endpoint: endpoint.into(),
        message,
    };
    let work = async {
        let client = spiffe::WorkloadApiClient::connect_to(endpoint)
            .await
            .map_err(|e| failed(e.to_string()))?;
        f(client).await.map_err(|e| match e {
            spiffe::WorkloadApiError::NoIdentityIssued => FetchError::NoIdentity {
                endpoint: endpoint.into(),
            },
            e => failed(e.to_string()),
        })
    };
    tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| FetchError::Timeout {
            endpoint: endpoint.into(),
            seconds: timeout.as_secs(),
        })?
}

/// PEM text of DER blocks under `label`.
pub fn pem(label: &str, blocks: &[Vec<u8>]) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    for der in blocks {
        out.push_str(&format!("-----BEGIN {label}-----\n"));
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            out.push('\n');
        }
        out.push_str(&format!("-----END {label}-----\n"));
    }
    out
}

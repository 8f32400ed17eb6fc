//! The replicated deny list, as the CLI reads and changes it through the admin API.

use crate::engine::client::{Client, ClientError, KvWrite};
use crate::engine::node::raft::REVOKED_PREFIX;

/// Why and when an identity was revoked (the value of its deny-list key).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    pub spiffe_id: String,
    pub reason: String,
    #[serde(with = "crate::engine::util::timefmt::rfc3339_serde")]
    pub revoked_at: time::OffsetDateTime,
}

/// Puts `spiffe_id` on the deny list, revoked `at`; returns the write's revision.
pub async fn revoke(
    client: &Client,
    spiffe_id: &str,
    reason: &str,
    at: time::OffsetDateTime,
) -> Result<KvWrite, ClientError> {
    let r = Revocation {
        spiffe_id: spiffe_id.into(),
        reason: reason.into(),
        revoked_at: at,
    };
    let bytes = serde_json::to_vec(&r).expect("revocation serialises");
    client
        .put(&format!("{REVOKED_PREFIX}{spiffe_id}"), bytes)
        .await
}

/// Takes `spiffe_id` off the deny list; `None` when it was not on it.
pub async fn unrevoke(client: &Client, spiffe_id: &str) -> Result<Option<KvWrite>, ClientError> {
    match client.delete(&format!("{REVOKED_PREFIX}{spiffe_id}")).await {
        Ok(w) => Ok(Some(w)),
        Err(ClientError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The deny list as the mesh holds it.
pub async fn revocations(client: &Client) -> Result<Vec<Revocation>, ClientError> {
    let (values, _) = client.list(REVOKED_PREFIX).await?;
    Ok(values
        .into_iter()
        .filter_map(|v| serde_json::from_slice(&v.raw).ok())
        .collect())
}

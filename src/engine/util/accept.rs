//! Accepting connections without spinning when the kernel refuses them.

use std::future::Future;
use std::time::Duration;

/// Calls `accept` until it yields a connection. After each failure (out of descriptors,
/// say) it waits 5 ms, doubling up to 1 s, instead of retrying in a hot loop; `what` names
/// the listener in the log.
pub async fn with_backoff<T, F, Fut>(mut accept: F, what: &str) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::io::Result<T>>,
{
    let mut backoff = Duration::ZERO;
    loop {
        match accept().await {
            Ok(conn) => return conn,
            Err(e) => {
                backoff = (backoff * 2).clamp(Duration::from_millis(5), Duration::from_secs(1));
                tracing::warn!("{what}: accept failed, retrying in {backoff:?}: {e}");
                tokio::time::sleep(backoff).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failures_back_off_doubling_until_one_succeeds() {
        let started = tokio::time::Instant::now();
        let mut calls = 0;
        let got = with_backoff(
            || {
                calls += 1;
                let n = calls;
                async move {
                    match n {
                        1..=3 => Err(std::io::Error::other("EMFILE")),
                        _ => Ok(n),
                    }
                }
            },
            "test",
        )
        .await;
        assert_eq!(got, 4);
        // It waited 5 + 10 + 20 ms between the tries, not less.
        assert!(started.elapsed() >= Duration::from_millis(35));
    }
}

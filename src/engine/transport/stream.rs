//! A verified, bound connection: the TLS stream with the peer it was bound to, which tonic
//! serves RPC on.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsStream;

use super::*;

/// A verified, bound connection; RPC runs on it.
pub struct MeshStream {
    inner: TlsStream<TcpStream>,
    pub peer: PeerInfo,
    trust: Arc<Trust>,
    /// The trust generation this connection's peer was last checked against.
    seen: u64,
    /// Set once the peer is revoked or leaves the roster: every later read and write fails.
    cut: Option<String>,
    /// What the observer keeps alive while the connection is open.
    pub(super) open: Option<OpenGuard>,
    /// The inbound connection's place under `spec.limits.maxConnections`.
    pub(super) slot: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl MeshStream {
    pub(super) fn new(
        inner: TlsStream<TcpStream>,
        peer: PeerInfo,
        trust: Arc<Trust>,
    ) -> MeshStream {
        let seen = trust.generation.load(std::sync::atomic::Ordering::Acquire);
        MeshStream {
            inner,
            peer,
            trust,
            seen,
            cut: None,
            open: None,
            slot: None,
        }
    }

    /// Fails once the peer is no longer trusted (revoked or removed), so a revocation ends
    /// open connections, not only new handshakes.
    fn still_trusted(&mut self) -> std::io::Result<()> {
        let g = self
            .trust
            .generation
            .load(std::sync::atomic::Ordering::Acquire);
        if g != self.seen {
            self.seen = g;
            if self.cut.is_none() {
                if let Err(r) = self.trust.admits(&self.peer.spiffe_id) {
                    tracing::warn!(peer = %self.peer.spiffe_id, reason = r.tag(), "closing connection: {r}");
                    self.cut = Some(r.to_string());
                }
            }
        }
        match &self.cut {
            Some(why) => Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                why.clone(),
            )),
            None => Ok(()),
        }
    }
}

impl AsyncRead for MeshStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for MeshStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        self.still_trusted()?;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

impl tonic::transport::server::Connected for MeshStream {
    type ConnectInfo = PeerInfo;
    fn connect_info(&self) -> PeerInfo {
        self.peer.clone()
    }
}

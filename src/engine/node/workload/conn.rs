//! Connections to the Workload API socket: at most [`MAX_CONNECTIONS`] at once, each
//! carrying what the kernel said about its caller when it connected, and the process it
//! was then (executable and start time), so a request from a process that has since
//! exec'd another program, or a reused pid, is refused instead of attested as the new one.

use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::transport::server::{Connected, UdsConnectInfo};

/// Connections served at once; one more is closed at once.
pub const MAX_CONNECTIONS: usize = 256;

/// A process as `/proc` describes it: what it runs and when it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub exe: Option<PathBuf>,
    /// Clock ticks after boot (field 22 of `/proc/PID/stat`): tells a reused pid apart.
    pub start: Option<u64>,
}

impl Process {
    pub fn of(pid: i32) -> Process {
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
        let start = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                // The command name may hold spaces and parentheses: count from its end.
                let rest = &stat[stat.rfind(')')? + 1..];
                rest.split_whitespace().nth(19)?.parse().ok()
            });
        Process { exe, start }
    }
}

/// What a request learns about its connection.
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub uds: UdsConnectInfo,
    /// The caller's process when it connected.
    pub process: Option<Process>,
}

/// An accepted connection, holding its place under [`MAX_CONNECTIONS`].
pub struct Conn {
    stream: UnixStream,
    info: ConnInfo,
    _slot: OwnedSemaphorePermit,
}

impl Connected for Conn {
    type ConnectInfo = ConnInfo;
    fn connect_info(&self) -> ConnInfo {
        self.info.clone()
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Accepts connections from `listener` until the returned stream is dropped.
pub fn incoming(
    listener: UnixListener,
) -> tokio_stream::wrappers::ReceiverStream<std::io::Result<Conn>> {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::spawn(async move {
        loop {
            let accept = || listener.accept();
            let (stream, _) = tokio::select! {
                a = crate::engine::util::accept::with_backoff(accept, "workload API") => a,
                () = tx.closed() => break,
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                tracing::debug!(
                    "workload API: {MAX_CONNECTIONS} connections open; closed a new one"
                );
                continue;
            };
            let uds = stream.connect_info();
            let process = uds.peer_cred.and_then(|c| c.pid()).map(Process::of);
            let conn = Conn {
                stream,
                info: ConnInfo { uds, process },
                _slot: slot,
            };
            if tx.send(Ok(conn)).await.is_err() {
                break;
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(rx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_is_known_by_its_executable_and_start_time() {
        let me = Process::of(std::process::id() as i32);
        assert_eq!(me.exe, std::env::current_exe().ok());
        assert!(me.start.is_some_and(|s| s > 0), "{me:?}");
        assert_eq!(me, Process::of(std::process::id() as i32));
        let parent = Process::of(std::os::unix::process::parent_id() as i32);
        assert_ne!(me, parent);
    }
}

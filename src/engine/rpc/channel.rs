//! A lazily connected gRPC channel over the mesh transport, which records per peer whether
//! the link is up and which key-exchange group it negotiated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tonic::transport::{Channel, Endpoint};

use crate::engine::rpc;
use crate::engine::transport::Transport;

/// What the node knows about its link to one peer.
#[derive(Debug, Clone, Default)]
pub struct ChannelState {
    pub connected: bool,
    pub kx_group: String,
    pub last_error: String,
    /// Connections established so far; a change means the last call paid for a handshake.
    pub connects: u64,
}

/// Links by node name.
pub type Links = Arc<Mutex<HashMap<String, ChannelState>>>;

/// Opens a gRPC channel to `addr`, expecting `spiffe_id` at the other end.
pub fn channel(
    transport: Arc<Transport>,
    addr: String,
    spiffe_id: String,
    peer: String,
    links: Links,
    timeout: Duration,
) -> Channel {
    let connector = tower::service_fn(move |_uri: tonic::codegen::http::Uri| {
        let (t, addr, id, peer, links) = (
            transport.clone(),
            addr.clone(),
            spiffe_id.clone(),
            peer.clone(),
            links.clone(),
        );
        async move {
            let result = t.dial(&addr, &id).await;
            let mut map = links.lock().expect("links lock");
            let link = map.entry(peer).or_default();
            match &result {
                Ok(s) => {
                    link.connected = true;
                    link.connects += 1;
                    link.kx_group = s.peer.kx_group.clone();
                    link.last_error.clear();
                }
                Err(e) => {
                    link.connected = false;
                    link.last_error = e.to_string();
                }
            }
            result.map(TokioIo::new).map_err(std::io::Error::other)
        }
    });
    Endpoint::from_static("http://x0t.mesh")
        .connect_timeout(timeout)
        .timeout(timeout)
        .http2_keep_alive_interval(Duration::from_secs(5))
        .keep_alive_timeout(Duration::from_secs(5))
        .initial_stream_window_size(rpc::STREAM_WINDOW)
        .initial_connection_window_size(rpc::CONNECTION_WINDOW)
        .connect_with_connector_lazy(connector)
}

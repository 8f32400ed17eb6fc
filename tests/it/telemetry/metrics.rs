//! The Prometheus registry: names, the node label, and the helpers that keep counters consistent.

use std::time::Duration;

use x0tta6bl4::engine::telemetry::{Direction, Metrics, RefusalReason};

/// Every metric the node promises, by family name.
pub const FAMILIES: &[&str] = &[
    "x0t_raft_term",
    "x0t_raft_last_log_index",
    "x0t_raft_applied_index",
    "x0t_raft_is_leader",
    "x0t_raft_leader_changes_total",
    "x0t_raft_append_duration_seconds",
    "x0t_transport_connections_total",
    "x0t_transport_refusals_total",
    "x0t_transport_open_connections",
    "x0t_rpc_requests_total",
    "x0t_rpc_duration_seconds",
    "x0t_build_info",
];

/// A node with one RPC observed, since RPC series only exist once a method has been called.
pub fn sample_metrics(node: &str) -> Metrics {
    let metrics = Metrics::new(node, "1.2.3", "0.12.0").expect("metrics build");
    metrics
        .rpc
        .observe("kv", "put", "ok", Duration::from_millis(3));
    metrics.raft.append_duration.observe(0.004);
    metrics
}

/// Samples of `family` (including `_bucket`, `_sum`, `_count` for histograms).
fn samples<'a>(text: &'a str, family: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.strip_prefix(family).is_some_and(|rest| {
                rest.starts_with('{')
                    || rest.starts_with(' ')
                    || ["_bucket{", "_sum{", "_count{"]
                        .iter()
                        .any(|suffix| rest.starts_with(suffix))
            })
        })
        .collect()
}

#[test]
fn every_family_is_exposed_with_the_node_label() {
    let text = sample_metrics("node-a").encode();
    for family in FAMILIES {
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "no TYPE line for {family} in:\n{text}"
        );
        let samples = samples(&text, family);
        assert!(!samples.is_empty(), "no samples for {family} in:\n{text}");
        for sample in samples {
            assert!(
                sample.contains(r#"node="node-a""#),
                "sample without node label: {sample}"
            );
        }
    }
}

#[test]
fn metric_types_match_their_names() {
    let text = sample_metrics("n").encode();
    for (family, kind) in [
        ("x0t_raft_term", "gauge"),
        ("x0t_raft_is_leader", "gauge"),
        ("x0t_raft_leader_changes_total", "counter"),
        ("x0t_raft_append_duration_seconds", "histogram"),
        ("x0t_transport_connections_total", "counter"),
        ("x0t_transport_open_connections", "gauge"),
        ("x0t_rpc_duration_seconds", "histogram"),
        ("x0t_build_info", "gauge"),
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} {kind}\n")),
            "{family} is not a {kind}"
        );
    }
}

#[test]
fn build_info_carries_version_and_liboqs() {
    let text = sample_metrics("n").encode();
    let line = samples(&text, "x0t_build_info")
        .into_iter()
        .next()
        .expect("build info sample");
    assert!(line.contains(r#"version="1.2.3""#), "{line}");
    assert!(line.contains(r#"liboqs="0.12.0""#), "{line}");
    assert!(line.ends_with(" 1"), "{line}");
}

#[test]
fn known_transport_labels_start_at_zero() {
    let text = Metrics::new("n", "v", "l").expect("metrics").encode();
    for reason in RefusalReason::ALL {
        let needle = format!(r#"reason="{}""#, reason.as_str());
        let line = samples(&text, "x0t_transport_refusals_total")
            .into_iter()
            .find(|line| line.contains(&needle))
            .unwrap_or_else(|| panic!("no refusal series for {needle}"));
        assert!(line.ends_with(" 0"), "{line}");
    }
    // in and out, each ok, refused and error.
    assert_eq!(samples(&text, "x0t_transport_connections_total").len(), 6);
}

#[test]
fn refused_handshake_counts_connection_and_reason() {
    let metrics = Metrics::new("n", "v", "l").expect("metrics");
    let transport = &metrics.transport;
    transport.record_handshake(Direction::In, Err(RefusalReason::Revoked));
    transport.record_handshake(Direction::In, Err(RefusalReason::Revoked));
    transport.record_handshake(Direction::Out, Ok(()));

    assert_eq!(
        transport
            .connections
            .with_label_values(&["in", "refused"])
            .get(),
        2
    );
    assert_eq!(
        transport
            .connections
            .with_label_values(&["out", "ok"])
            .get(),
        1
    );
    assert_eq!(transport.refusals.with_label_values(&["revoked"]).get(), 2);
    assert_eq!(transport.refusals.with_label_values(&["expired"]).get(), 0);
}

#[test]
fn open_connection_guard_restores_the_gauge() {
    let metrics = Metrics::new("n", "v", "l").expect("metrics");
    let first = metrics.transport.track_open();
    let second = metrics.transport.track_open();
    assert_eq!(metrics.transport.open_connections.get(), 2);
    drop(first);
    drop(second);
    assert_eq!(metrics.transport.open_connections.get(), 0);
}

#[test]
fn leader_flag_is_zero_or_one() {
    let metrics = Metrics::new("n", "v", "l").expect("metrics");
    metrics.raft.set_leader(true);
    assert_eq!(metrics.raft.is_leader.get(), 1);
    metrics.raft.set_leader(false);
    assert_eq!(metrics.raft.is_leader.get(), 0);
}

#[test]
fn nodes_in_one_process_do_not_share_series() {
    let a = Metrics::new("a", "v", "l").expect("metrics a");
    let b = Metrics::new("b", "v", "l").expect("metrics b");
    a.raft.term.set(7);
    b.raft.term.set(9);
    assert!(a.encode().contains("x0t_raft_term{node=\"a\"} 7\n"));
    assert!(b.encode().contains("x0t_raft_term{node=\"b\"} 9\n"));
    assert!(!a.encode().contains("node=\"b\""));
}

#[test]
fn node_names_are_escaped_in_the_exposition() {
    let metrics = Metrics::new("odd\"name", "v", "l").expect("metrics");
    assert!(metrics.encode().contains(r#"node="odd\"name""#));
}

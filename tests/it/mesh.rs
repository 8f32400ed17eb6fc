//! The mesh data plane on real processes: link-state routing through a relay, reroute when
//! the relay dies, and the checks every node makes on a flooded advert.

use std::time::{Duration, Instant};

use x0tta6bl4::engine::bundle::NodeBundle;
use x0tta6bl4::engine::mesh::advert::{Advert, AdvertError, AdvertLink};
use x0tta6bl4::engine::mesh::link::LinkState;
use x0tta6bl4::engine::mesh::seal::{self, KemKey, Recipient, Session};
use x0tta6bl4::engine::rpc::pb;
use x0tta6bl4::engine::state::StateDir;
use x0tta6bl4::engine::transport::Trust;

use crate::support::cluster::{free_ports, sample, Cluster};
use crate::support::Env;

pub(crate) const NODES: &[(&str, &str)] = &[
    ("eu-1", "voter"),
    ("eu-2", "voter"),
    ("us-1", "voter"),
    ("us-2", "voter"),
    ("ap-1", "voter"),
    ("ap-edge", "learner"),
    ("relay-1", "relay"),
];

/// The shape of `manifests/multi-region.yaml` on 127.0.0.1, plus a second way from eu to ap
/// that avoids the relay (ap-1 to us-2, cost 30).
fn multi_region() -> String {
    let ports = free_ports(NODES.len() * 2);
    multi_region_at(&|i| {
        (
            format!("127.0.0.1:{}", ports[2 * i]),
            format!("127.0.0.1:{}", ports[2 * i + 1]),
        )
    })
}

/// [`multi_region`] with node `i` listening at `addresses(i)` = (listen, metrics).
pub(crate) fn multi_region_at(addresses: &dyn Fn(usize) -> (String, String)) -> String {
    let mut m = String::from(
        "apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: { name: regions }\nspec:\n  trustDomain: regions.x0tta6bl4.mesh\n  operators:\n    - { name: admin, role: admin }\n    - { name: oncall, role: viewer }\n  raft: { heartbeat: 100ms, electionTimeout: [300ms, 600ms], snapshotEvery: 10000, keepSnapshots: 3 }\n  healing: { probeInterval: 100ms, suspectAfter: 3, removeDeadVoterAfter: 60s, minQuorum: 3 }\n  telemetry: { prometheus: true, otel: none }\n  chaos: { enabled: true }\n  nodes:\n",
    );
    for (i, (name, role)) in NODES.iter().enumerate() {
        let (listen, metrics) = addresses(i);
        m.push_str(&format!(
            "    - {{ name: {name}, listen: {listen}, metrics: {metrics}, role: {role} }}\n"
        ));
    }
    m.push_str(
        "  links:
    - { from: eu-1, to: eu-2, cost: 1 }
    - { from: us-1, to: us-2, cost: 1 }
    - { from: eu-1, to: relay-1, cost: 10 }
    - { from: eu-2, to: relay-1, cost: 10 }
    - { from: us-1, to: relay-1, cost: 2 }
    - { from: us-2, to: relay-1, cost: 2 }
    - { from: ap-1, to: relay-1, cost: 15 }
    - { from: ap-1, to: ap-edge, cost: 1 }
    - { from: eu-1, to: us-1, cost: 20 }
    - { from: ap-1, to: us-2, cost: 30 }
",
    );
    m
}

/// Polls `eu-1`'s route to `ap-edge` until `ok` accepts its path.
pub(crate) fn wait_route(c: &Cluster, ok: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = c.x0t(&["mesh", "routes", "--node", "eu-1", "-o", "json"]);
        let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
        let path: Option<Vec<String>> = j["nodes"][0]["routes"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["destination"] == "ap-edge"))
            .and_then(|r| serde_json::from_value(r["path"].clone()).ok());
        if let Some(p) = path.filter(|p| ok(p)) {
            return p;
        }
        assert!(
            Instant::now() < deadline,
            "eu-1 never found the route; last:\n{}\n{}\nlinks:\n{}",
            out.stdout,
            out.stderr,
            c.x0t(&["mesh", "links", "--node", "eu-1"]).stdout
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The path a ping from eu-1 to ap-edge took. Pings again while the nodes' link-state
/// views still disagree (a ping can bounce between two of them until the hop limit).
pub(crate) fn ping_path(c: &Cluster) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = c.x0t(&[
            "mesh", "ping", "ap-edge", "--from", "eu-1", "-c", "1", "-o", "json",
        ]);
        if out.code == 0 {
            let j = out.json();
            assert_eq!(j["received"], 1, "{}", out.stdout);
            return serde_json::from_value(j["attempts"][0]["path"].clone()).unwrap();
        }
        assert!(Instant::now() < deadline, "no ping got through: {out:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn traffic_from_eu_to_ap_crosses_the_relay_and_moves_off_it_when_it_dies() {
    let names: Vec<&str> = NODES.iter().map(|(n, _)| *n).collect();
    let mut c = Cluster::start(&multi_region(), &names);
    // status counts the relay as a node: reachable, no Raft fields.
    let status = c.wait_status(Duration::from_secs(30), |j| j["healthy"] == true);
    let relay = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "relay-1")
        .unwrap();
    assert_eq!(relay["role"], "relay");
    assert!(relay.get("raftState").is_none(), "{relay}");

    // eu-1 -> relay-1 -> ap-1 -> ap-edge costs 10 + 15 + 1; the way around the relay
    // (eu-1 -> us-1 -> us-2 -> ap-1) 20 + 1 + 30 + 1.
    let via_relay = wait_route(&c, |p| p.contains(&"relay-1".to_string()));
    assert_eq!(via_relay.last().map(String::as_str), Some("ap-edge"));
    let pinged = ping_path(&c);
    assert!(pinged.contains(&"relay-1".to_string()), "{pinged:?}");
    let links = c.x0t(&["mesh", "links", "--node", "relay-1", "-o", "json"]);
    let links = links.json();
    let relay_links = links["nodes"][0]["links"].as_array().unwrap();
    assert_eq!(
        relay_links.len(),
        5,
        "the relay links eu-1, eu-2, us-1, us-2, ap-1"
    );
    assert!(relay_links.iter().all(|l| l["kxGroup"] == "X25519MLKEM768"));

    // Cut eu-1 <-> relay-1 (chaos is enabled in this manifest): eu-1 routes around that
    // link, through eu-2, and back once it heals.
    let cut = c.x0t(&[
        "chaos", "link", "eu-1", "relay-1", "--cut", "--both", "-o", "json",
    ]);
    cut.ok();
    crate::support::golden("json/chaos-link.json", &cut.stdout);
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md"),
    )
    .unwrap();
    assert!(
        docs.contains(&format!("```json\n{}```", cut.stdout)),
        "docs/json.md lacks chaos link"
    );
    let detour = wait_route(&c, |p| {
        p.starts_with(&["eu-1".to_string(), "eu-2".to_string()])
    });
    assert!(detour.contains(&"relay-1".to_string()), "{detour:?}");
    c.x0t(&["chaos", "link", "eu-1", "relay-1", "--clear", "--both"])
        .ok();
    wait_route(&c, |p| {
        p.starts_with(&["eu-1".to_string(), "relay-1".to_string()])
    });
    let status = c.x0t(&["status"]);
    assert!(
        status.stdout.contains("chaos enabled on"),
        "{}",
        status.stdout
    );

    c.kill9("relay-1");
    // eu-1 reports the dead link (its neighbours' adverts may move the route off the
    // relay a moment before eu-1's own probes give up on it).
    let m = c.wait_metrics("eu-1", |m| {
        sample(m, "x0t_mesh_link_up", "peer=\"relay-1\"") == 0.0
    });
    let around = wait_route(&c, |p| !p.contains(&"relay-1".to_string()));
    assert_eq!(around, ["eu-1", "us-1", "us-2", "ap-1", "ap-edge"]);
    // The ping used the routes each hop holds.
    assert_eq!(ping_path(&c), around);
    assert!(sample(&m, "x0t_mesh_route_changes_total", "") >= 2.0, "{m}");
    let unreachable = c.x0t(&["mesh", "ping", "relay-1", "--from", "eu-1", "-c", "1"]);
    unreachable.code(1);
    assert!(
        unreachable.stdout.contains("eu-1 has no route to relay-1")
            && unreachable.stderr.contains("cannot reach relay-1"),
        "{unreachable:?}"
    );

    // The relay comes back: traffic returns to the cheaper path.
    c.restart("relay-1");
    wait_route(&c, |p| p.contains(&"relay-1".to_string()));
    c.kill_all();
}

fn advert(origin: &str, links: &[(&str, LinkState)]) -> Advert {
    Advert {
        origin: origin.into(),
        seq: 7,
        lifetime: Duration::from_secs(60),
        links: links
            .iter()
            .map(|(p, s)| AdvertLink {
                peer: p.to_string(),
                state: *s,
                rtt: Duration::from_micros(300),
                loss: 0.0,
            })
            .collect(),
    }
}

#[test]
fn a_flooded_advert_is_accepted_only_as_its_origin_signed_it() {
    let env = Env::new(&multi_region());
    env.x0t(&["apply", "--auto-approve"]).ok();
    let dir = StateDir::new(env.state(""));
    let eu1 = NodeBundle::from_state(&dir, "eu-1").unwrap();
    let relay = NodeBundle::from_state(&dir, "relay-1").unwrap();
    let trust = Trust::new(&eu1.creds);
    let mesh = "regions";
    let up = [("ap-1", LinkState::Up)];

    let genuine = advert("relay-1", &up)
        .sign(mesh, relay.creds.dsa, &relay.creds.dsa_secret)
        .unwrap();
    let opened = Advert::open(&genuine, mesh, &trust).unwrap();
    assert_eq!(opened, advert("relay-1", &up));

    // The relay claims to speak for eu-1.
    let forged = advert("eu-1", &up)
        .sign(mesh, relay.creds.dsa, &relay.creds.dsa_secret)
        .unwrap();
    let e = Advert::open(&forged, mesh, &trust).unwrap_err();
    assert!(
        matches!(e, AdvertError::BadSignature(ref o) if o == "eu-1"),
        "{e}"
    );

    // A forwarder flips a byte of a genuine advert (a link state, say).
    let mut tampered = genuine.clone();
    let last = tampered.body.len() - 1;
    tampered.body[last] ^= 1;
    assert!(Advert::open(&tampered, mesh, &trust).is_err());

    // Another mesh's advert, and a signed advert naming a node outside the roster.
    let e = Advert::open(&genuine, "elsewhere", &trust).unwrap_err();
    assert_eq!(e.tag(), "wrong_mesh");
    let stranger = advert("relay-1", &[("ghost", LinkState::Up)])
        .sign(mesh, relay.creds.dsa, &relay.creds.dsa_secret)
        .unwrap();
    assert_eq!(
        Advert::open(&stranger, mesh, &trust).unwrap_err().tag(),
        "malformed"
    );

    // A revoked origin: even its genuine adverts are refused.
    trust.set_revoked(["spiffe://regions.x0tta6bl4.mesh/node/relay-1".to_string()].into());
    let e = Advert::open(&genuine, mesh, &trust).unwrap_err();
    assert_eq!(e.tag(), "unknown_origin", "{e}");
}

#[test]
fn messages_through_a_dying_relay_are_all_stored_once_in_order_and_survive_a_restart() {
    let names: Vec<&str> = NODES.iter().map(|(n, _)| *n).collect();
    let mut c = Cluster::start(&multi_region(), &names);
    wait_route(&c, |p| p.contains(&"relay-1".to_string()));
    let first = c.x0t(&["send", "ap-edge", "m0", "--via", "eu-1", "-o", "json"]);
    first.ok();
    assert_eq!(first.json()["node"], "ap-edge");
    // Sends one after another from eu-1 while the relay on their path is killed: each must
    // be acknowledged (the stream retries on the new route).
    let root = c.env.root().to_path_buf();
    let sender = std::thread::spawn(move || {
        (1..40)
            .map(|i| {
                let out = crate::support::run_in(
                    &root,
                    &[
                        "send",
                        "ap-edge",
                        &format!("m{i}"),
                        "--via",
                        "eu-1",
                        "--timeout",
                        "20s",
                    ],
                    &[("X0T_MANIFEST", "x0t.yaml")],
                );
                (i, out)
            })
            .collect::<Vec<_>>()
    });
    // Kill the relay once a few of them have arrived.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let peek = c
            .x0t(&["recv", "--node", "ap-edge", "--peek", "-o", "json"])
            .json();
        if peek["messages"].as_array().unwrap().len() >= 8 {
            break;
        }
        assert!(Instant::now() < deadline, "messages are not arriving");
        std::thread::sleep(Duration::from_millis(20));
    }
    c.kill9("relay-1");
    for (i, out) in sender.join().unwrap() {
        assert_eq!(out.code, 0, "m{i} not acknowledged: {out:?}");
    }
    // The destination dies before anyone reads: its inbox is on disk.
    c.kill9("ap-edge");
    c.restart("ap-edge");
    let read = c.x0t(&["recv", "--node", "ap-edge", "--max", "1000", "-o", "json"]);
    read.ok();
    let got = read.message_data();
    let want: Vec<String> = (0..40).map(|i| format!("m{i}")).collect();
    assert_eq!(got, want, "every acknowledged message once, in order");
    assert_eq!(read.json()["confirmed"], 40);
    let again = c.x0t(&["recv", "--node", "ap-edge", "-o", "json"]).json();
    assert_eq!(
        again["messages"],
        serde_json::json!([]),
        "confirmed messages are gone"
    );
    // eu-1's frames name their session by id once it was acknowledged; the restarted
    // destination no longer holds it, says so, and gets the whole offer again.
    let after = c.x0t(&["send", "ap-edge", "after-restart", "--via", "eu-1"]);
    after.ok();
    let read = c.x0t(&["recv", "--node", "ap-edge", "-o", "json"]);
    assert_eq!(read.message_data(), ["after-restart"]);
    // The relay carried ciphertext only; eu-1 counted retries once the relay was gone.
    let m = c.metrics("eu-1");
    let sent = |result: &str| {
        counter(
            &c,
            "eu-1",
            "x0t_mesh_messages_total",
            &format!("result=\"{result}\""),
        )
    };
    assert_eq!(sent("sent"), 41.0, "{m}");
    assert!(
        sent("retried") >= 1.0,
        "frames to the dead relay were retried: {m}"
    );

    // A viewer may not send: the destination refuses it.
    let viewer = c.x0t(&[
        "send",
        "ap-edge",
        "nope",
        "--via",
        "eu-1",
        "--operator",
        "oncall",
    ]);
    viewer.code(1);
    assert!(
        viewer
            .stderr
            .contains("no spec.messaging.allow rule lets operator oncall (viewer) send"),
        "{}",
        viewer.stderr
    );
    // Nor read an inbox.
    c.x0t(&["recv", "--node", "ap-edge", "--operator", "oncall"])
        .code(1);

    // The relay killed above comes back for what follows.
    c.restart("relay-1");
    // The policy is a manifest field: once apply publishes a narrower one, destinations
    // enforce it without a restart.
    let text = std::fs::read_to_string(c.env.root().join("x0t.yaml")).unwrap();
    c.env.write_manifest(&text.replace(
        "  chaos: { enabled: true }\n",
        "  chaos: { enabled: true }\n  messaging:\n    allow:\n      - { from: admins, to: node:us-1 }\n",
    ));
    let plan = c.x0t(&["plan"]);
    assert!(
        plan.stdout.contains("messaging policy changes"),
        "{}",
        plan.stdout
    );
    c.x0t(&["apply", "--auto-approve"]).ok();
    let deadline = Instant::now() + Duration::from_secs(10);
    let refused = loop {
        let out = c.x0t(&["send", "ap-edge", "late", "--via", "eu-1"]);
        if out.code != 0 || Instant::now() > deadline {
            break out;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    refused.code(1);
    assert!(
        refused.stderr.contains(
            "no spec.messaging.allow rule lets operator admin (admin) send to node ap-edge"
        ),
        "{}",
        refused.stderr
    );
    c.x0t(&["send", "us-1", "allowed", "--via", "eu-1"]).ok();

    // The relay runs no Raft, yet follows the deny list through its neighbours: once us-2
    // is revoked, the relay cuts its link to it; it took up the roster of the policy change
    // above the same way.
    c.x0t(&["revoke", "us-2", "--reason", "test"]).ok();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = c.x0t(&["mesh", "links", "--node", "relay-1", "-o", "json"]);
        let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
        let state = j["nodes"][0]["links"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["peer"] == "us-2"))
            .map(|l| l["state"].as_str().unwrap_or_default().to_string());
        // Down, or dropped from its links altogether.
        if j["nodes"][0]["reachable"] == true && state.as_deref().is_none_or(|s| s == "down") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "relay-1 kept its link to the revoked us-2: {}",
            out.stdout
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = c.node("relay-1").log();
    for line in ["revoked: refusing it", "roster updated from a neighbour"] {
        assert!(
            log.iter().any(|l| l.contains(line)),
            "{line}:\n{}",
            log.join("\n")
        );
    }
    c.kill_all();
}

#[test]
fn a_session_opens_only_for_its_receiver_and_a_sealed_message_only_unaltered() {
    let env = Env::new(&multi_region());
    env.x0t(&["apply", "--auto-approve"]).ok();
    let dir = StateDir::new(env.state(""));
    let eu1 = NodeBundle::from_state(&dir, "eu-1").unwrap();
    let ap = NodeBundle::from_state(&dir, "ap-edge").unwrap();
    let relay = NodeBundle::from_state(&dir, "relay-1").unwrap();
    let trust = Trust::new(&ap.creds);
    let roster_kem = |name: &str| {
        let n = eu1
            .creds
            .roster
            .nodes
            .iter()
            .find(|n| n.name == name)
            .unwrap();
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &n.kem.key).unwrap()
    };
    let keys = |b: &NodeBundle| {
        vec![KemKey {
            public_sha256: b.kem.public_sha256.clone(),
            secret: b.kem.secret.clone(),
        }]
    };
    let ap_keys = keys(&ap);
    let ap_fp = ap.kem.public_sha256.clone();
    let ap_kem = roster_kem("ap-edge");
    let to_ap = Recipient {
        name: "ap-edge",
        kem: eu1.kem.algorithm,
        key: &ap_kem,
        key_sha256: &ap_fp,
    };
    let (sending, offer) =
        Session::offer("eu-1", &to_ap, eu1.creds.dsa, &eu1.creds.dsa_secret, 0).unwrap();
    let receiving = Session::accept(&offer, "ap-edge", &trust, ap.kem.algorithm, &ap_keys).unwrap();
    let mut m = pb::Sealed {
        message_id: vec![7; 16],
        seq: 1,
        counter: 1,
        expires_unix_ms: 99,
        ciphertext: Default::default(),
    };
    let aad = seal::aad("eu-1", "ap-edge", 5, &m);
    m.ciphertext = sending.seal(1, &aad, b"secret").into();
    assert_eq!(receiving.open(1, &aad, &m.ciphertext).unwrap(), b"secret");
    // A relay flips a bit, or changes the sequence number or the expiry it cannot read.
    let mut flipped = m.ciphertext.to_vec();
    flipped[0] ^= 1;
    assert!(receiving.open(1, &aad, &flipped).is_none());
    let moved = pb::Sealed {
        seq: 2,
        ..m.clone()
    };
    assert!(receiving
        .open(1, &seal::aad("eu-1", "ap-edge", 5, &moved), &m.ciphertext)
        .is_none());
    // The relay cannot open the session: it is not its receiver, and its KEM key differs.
    let e = Session::accept(
        &offer,
        "relay-1",
        &Trust::new(&relay.creds),
        relay.kem.algorithm,
        &keys(&relay),
    )
    .unwrap_err();
    assert!(e.to_string().contains("addressed to ap-edge"), "{e}");
    let readdressed = pb::SessionOffer {
        receiver: "relay-1".into(),
        ..offer.clone()
    };
    let e = Session::accept(
        &readdressed,
        "relay-1",
        &Trust::new(&relay.creds),
        relay.kem.algorithm,
        &keys(&relay),
    )
    .unwrap_err();
    assert_eq!(
        e.tag(),
        "bad_session",
        "the signature covers the receiver: {e}"
    );
    // A relay offering a session in eu-1's name.
    let (_, mut forged) =
        Session::offer("eu-1", &to_ap, relay.creds.dsa, &relay.creds.dsa_secret, 0).unwrap();
    assert!(Session::accept(&forged, "ap-edge", &trust, ap.kem.algorithm, &ap_keys).is_err());
    forged.sender = "relay-1".into();
    assert!(
        Session::accept(&forged, "ap-edge", &trust, ap.kem.algorithm, &ap_keys).is_err(),
        "changing the sender breaks the relay's own signature"
    );
    // An offer for a key the receiver does not hold (rotated away) is stale, not garbage:
    // the sender sets up a new session.
    let e =
        Session::accept(&offer, "ap-edge", &trust, ap.kem.algorithm, &keys(&relay)).unwrap_err();
    assert_eq!(e.tag(), "stale_session", "{e}");
}

#[test]
fn bench_mesh_acknowledges_every_message_it_offers_at_a_low_rate() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::run_in(
        dir.path(),
        &[
            "bench",
            "mesh",
            "--rates",
            "200",
            "--duration",
            "1s",
            "-o",
            "json",
        ],
        &[],
    );
    out.ok();
    let j = out.json();
    for path in ["relayed", "direct"] {
        let level = &j[path]["levels"][0];
        assert_eq!(level["scheduled"], 200, "{j}");
        assert_eq!(level["acknowledged"], 200, "{path}: {j}");
        assert_eq!(level["errors"], 0, "{j}");
    }
    assert_eq!(j["relayed"]["path"], serde_json::json!(["n1", "r1", "n3"]));
}

/// Kills the child on drop.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn bench_tcp_drives_a_sink_open_loop_and_names_an_address_it_cannot_reach() {
    use std::io::BufRead as _;
    let port = crate::support::cluster::free_ports(1)[0];
    let addr = format!("127.0.0.1:{port}");
    let mut sink = Killed(
        std::process::Command::new(env!("CARGO_BIN_EXE_x0t"))
            .args(["bench", "tcp", "--listen", &addr])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // It says so once it listens.
    let mut line = String::new();
    std::io::BufReader::new(sink.0.stderr.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("listening on"), "{line}");
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::run_in(
        dir.path(),
        &[
            "bench",
            "tcp",
            "--connect",
            &addr,
            "--rates",
            "500,2000",
            "--duration",
            "1s",
            "--warmup",
            "200ms",
            "-o",
            "json",
        ],
        &[],
    );
    out.ok();
    let j = out.json();
    for (level, want) in [(0, 500), (1, 2000)] {
        let l = &j["levels"][level];
        assert_eq!(l["scheduled"], want, "{j}");
        assert_eq!(l["acknowledged"], want, "{j}");
        assert_eq!(l["errors"], 0, "{j}");
    }
    drop(sink);
    let refused = crate::support::run_in(
        dir.path(),
        &["bench", "tcp", "--connect", &addr, "--rates", "10"],
        &[],
    );
    assert_ne!(refused.code, 0);
    assert!(
        refused
            .stderr
            .contains(&format!("offer messages to {addr}")),
        "{refused:?}"
    );
}

/// The value of a counter in `node`'s metrics whose line carries `label`.
fn counter(c: &Cluster, node: &str, name: &str, label: &str) -> f64 {
    sample(&c.metrics(node), name, label)
}

/// Polls until `node`'s counter reaches `at_least`.
fn wait_counter(c: &Cluster, node: &str, name: &str, label: &str, at_least: f64) {
    c.wait_metrics(node, |m| sample(m, name, label) >= at_least);
}

#[test]
fn a_relay_that_alters_drops_or_replays_frames_is_caught_and_routed_around() {
    let names: Vec<&str> = NODES.iter().map(|(n, _)| *n).collect();
    let c = Cluster::start(&multi_region(), &names);
    wait_route(&c, |p| p.contains(&"relay-1".to_string()));
    let send = |via: &str, data: &str| {
        c.x0t(&["send", "ap-edge", data, "--via", via, "--timeout", "30s"])
            .ok();
    };
    send("eu-1", "clean");
    // relay-1 treats the frames it passes on towards ap this way, whichever of its links
    // (to ap-1 directly, or through us-1/us-2) the route of the moment takes.
    let hostile = |flags: &[&str]| {
        for to in ["ap-1", "us-1", "us-2"] {
            let mut args = vec!["chaos", "link", "relay-1", to];
            args.extend(flags);
            c.x0t(&args).ok();
        }
    };

    // Replayed frames are stored once; the destination counts the copies.
    hostile(&["--replay"]);
    send("eu-1", "replayed");
    wait_counter(
        &c,
        "ap-edge",
        "x0t_mesh_messages_total",
        "result=\"duplicate\"",
        1.0,
    );

    // Altered frames are refused and counted by the destination; the sender routes around
    // the relay and the message arrives the other way.
    hostile(&["--corrupt", "100"]);
    send("eu-1", "altered");
    assert!(
        counter(
            &c,
            "ap-edge",
            "x0t_mesh_messages_total",
            "result=\"tampered\""
        ) >= 1.0
    );
    wait_counter(
        &c,
        "eu-1",
        "x0t_mesh_suspects_total",
        "suspect=\"relay-1\"",
        1.0,
    );

    // A relay that swallows frames but answers probes: the sender notices the silence.
    hostile(&["--blackhole"]);
    send("eu-2", "dropped");
    wait_counter(
        &c,
        "eu-2",
        "x0t_mesh_suspects_total",
        "suspect=\"relay-1\"",
        1.0,
    );
    let links = c
        .x0t(&["mesh", "links", "--node", "relay-1", "-o", "json"])
        .json();
    let to_ap = links["nodes"][0]["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["peer"] == "ap-1")
        .unwrap()
        .clone();
    assert_eq!(to_ap["state"], "up", "probes still pass: {to_ap}");

    let inbox = c.x0t(&["recv", "--node", "ap-edge", "--max", "10", "-o", "json"]);
    let got = inbox.message_data();
    assert_eq!(got, ["clean", "replayed", "altered", "dropped"]);
}

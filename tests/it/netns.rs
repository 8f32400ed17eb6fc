//! The data plane across hosts with different addresses: every node of the multi-region
//! mesh runs in a network namespace of its own (ip netns + veth, joined by a bridge in this
//! namespace, where the CLI runs). Needs root, as CI has.

use std::path::PathBuf;
use std::process::Command;

use crate::mesh::{multi_region_at, ping_path, wait_route, NODES};
use crate::support::cluster::Cluster;

/// Namespaces, veths and a bridge that exist until dropped.
struct Hosts {
    tag: String,
    subnet: u32,
    dir: tempfile::TempDir,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Hosts {
    fn new() -> Hosts {
        let pid = std::process::id();
        let hosts = Hosts {
            tag: format!("{}", pid % 100_000),
            subnet: 10 + pid % 200,
            dir: tempfile::tempdir().unwrap(),
        };
        let br = hosts.bridge();
        ip(&["link", "add", &br, "type", "bridge"]);
        ip(&[
            "addr",
            "add",
            &format!("{}/24", hosts.addr(254)),
            "dev",
            &br,
        ]);
        ip(&["link", "set", &br, "up"]);
        for (i, (name, _)) in NODES.iter().enumerate() {
            let ns = hosts.ns(name);
            let veth = format!("x0v{}-{i}", hosts.tag);
            ip(&["netns", "add", &ns]);
            ip(&[
                "link", "add", &veth, "type", "veth", "peer", "name", "eth0", "netns", &ns,
            ]);
            ip(&["link", "set", &veth, "master", &br, "up"]);
            let host = hosts.addr(i as u32 + 1);
            ip(&[
                "-n",
                &ns,
                "addr",
                "add",
                &format!("{host}/24"),
                "dev",
                "eth0",
            ]);
            ip(&["-n", &ns, "link", "set", "eth0", "up"]);
            ip(&["-n", &ns, "link", "set", "lo", "up"]);
        }
        hosts
    }

    fn bridge(&self) -> String {
        format!("x0b{}", self.tag)
    }

    fn ns(&self, node: &str) -> String {
        format!("x0t{}-{node}", self.tag)
    }

    fn addr(&self, host: u32) -> String {
        format!("10.{}.77.{host}", self.subnet)
    }

    /// A wrapper that runs `x0t --state-dir DIR node run NAME ...` inside NAME's namespace.
    fn wrapper(&self) -> PathBuf {
        let path = self.dir.path().join("x0t-in-netns");
        let script = format!(
            "#!/bin/sh\nexec ip netns exec \"x0t{}-$5\" '{}' \"$@\"\n",
            self.tag,
            env!("CARGO_BIN_EXE_x0t")
        );
        std::fs::write(&path, script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        for (name, _) in NODES {
            let _ = Command::new("ip")
                .args(["netns", "del", &self.ns(name)])
                .output();
        }
        let _ = Command::new("ip")
            .args(["link", "del", &self.bridge()])
            .output();
    }
}

#[test]
fn routes_and_reroutes_between_nodes_in_their_own_network_namespaces() {
    let hosts = Hosts::new();
    let manifest = multi_region_at(&|i| {
        let a = hosts.addr(i as u32 + 1);
        (format!("{a}:7400"), format!("{a}:9400"))
    });
    let names: Vec<&str> = NODES.iter().map(|(n, _)| *n).collect();
    let mut c = Cluster::start_with(&manifest, &names, &[], &hosts.wrapper());

    // Each node is alone on its host: 127.0.0.1 in eu-1's namespace reaches nothing else.
    let lo = Command::new("ip")
        .args(["netns", "exec", &hosts.ns("eu-1"), "ip", "-4", "-o", "addr"])
        .output()
        .unwrap();
    let lo = String::from_utf8_lossy(&lo.stdout);
    assert!(
        lo.contains(&hosts.addr(1)) && !lo.contains(&hosts.addr(2)),
        "{lo}"
    );

    // eu-1 > relay-1 (cost 10) and eu-1 > eu-2 > relay-1 (1 + 10) are within the switching
    // margin of each other, so either may carry it.
    let through_relay = |p: &[String]| {
        p.contains(&"relay-1".to_string()) && p.ends_with(&["ap-1".into(), "ap-edge".into()])
    };
    wait_route(&c, through_relay);
    let pinged = ping_path(&c);
    assert!(through_relay(&pinged), "{pinged:?}");
    c.x0t(&["send", "ap-edge", "across", "--via", "eu-1"]).ok();

    c.kill9("relay-1");
    let around = wait_route(&c, |p| !p.contains(&"relay-1".to_string()));
    assert_eq!(around, ["eu-1", "us-1", "us-2", "ap-1", "ap-edge"]);
    assert_eq!(ping_path(&c), around);
    c.x0t(&["send", "ap-edge", "around", "--via", "eu-1"]).ok();
    let inbox = c.x0t(&["recv", "--node", "ap-edge", "-o", "json"]);
    let got = inbox.message_data();
    assert_eq!(got, ["across", "around"]);
    c.kill_all();
}

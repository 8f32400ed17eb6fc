//! Checks a parsed manifest beyond what its types enforce, and turns parser errors into
//! located diagnostics with did-you-mean hints.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::Path;

use crate::engine::manifest::{
    ByteSize, Diagnostic, HumanDuration, Manifest, Selector, Severity, SourceMap, API_VERSION,
    KIND, SELECTOR_FORMS,
};
use crate::engine::pqc;

mod durations;
mod limits;

use durations::check_durations;
use limits::check_limits;

/// Turns a serde error into a diagnostic with position, field path and a hint.
pub(super) fn from_serde(err: &serde_norway::Error, text: &str, file: &Path) -> Diagnostic {
    let (line, column) = match err.location() {
        Some(loc) => (loc.line(), loc.column()),
        None => (text.lines().count().max(1), 1),
    };
    let mut message = err.to_string();
    // serde_norway appends " at line L column C"; the position is shown in front instead.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut field = String::new();
    if let Some((path, rest)) = message.split_once(": ") {
        if !path.contains(' ') && !path.is_empty() {
            field = path.to_string();
            message = rest.to_string();
        }
    }
    let hint = suggestion_for(&message);
    // Errors raised inside a value (an unparsable duration, say) point at the enclosing
    // mapping; find the field that holds the quoted value instead.
    let (mut line, mut column) = (line, column);
    if let Some(value) = message.split('`').nth(1) {
        if let Some((path, pos)) = SourceMap::build(text).find_value(&field, value) {
            if path != field && !message.starts_with("unknown field") {
                field = path;
                (line, column) = (pos.line, pos.column);
            }
        }
    }
    Diagnostic {
        severity: Severity::Error,
        file: file.into(),
        line,
        column,
        field,
        message,
        hint,
    }
}

/// For "unknown field `x`, expected one of `a`, `b`" (and variants), the closest name.
fn suggestion_for(message: &str) -> Option<String> {
    let (given, expected) = if let Some(rest) = message.strip_prefix("unknown field `") {
        rest.split_once('`')?
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        rest.split_once('`')?
    } else if message.starts_with("missing field") {
        return Some("add the field; `x0t schema` prints every field with its type".into());
    } else if message.contains("did not find expected")
        || message.contains("while parsing")
        || message.contains("mapping values are not allowed")
    {
        return Some(
            "YAML syntax: check indentation, quotes and that every [ and { is closed".into(),
        );
    } else {
        return None;
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(given, &candidates).map(|best| format!("did you mean `{best}`?"))
}

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&given.to_lowercase(), &c.to_lowercase()),
                *c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

struct Checker<'a> {
    map: &'a SourceMap,
    file: &'a Path,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, severity: Severity, field: String, message: String, hint: Option<String>) {
        let pos = self.map.locate(&field);
        let d = Diagnostic {
            severity,
            file: self.file.into(),
            line: pos.line,
            column: pos.column,
            field,
            message,
            hint,
        };
        match severity {
            Severity::Error => self.errors.push(d),
            Severity::Warning => self.warnings.push(d),
        }
    }

    fn error(&mut self, field: impl Into<String>, message: impl Into<String>, hint: Option<&str>) {
        self.push(
            Severity::Error,
            field.into(),
            message.into(),
            hint.map(str::to_string),
        );
    }

    fn warn(&mut self, field: impl Into<String>, message: impl Into<String>, hint: Option<&str>) {
        self.push(
            Severity::Warning,
            field.into(),
            message.into(),
            hint.map(str::to_string),
        );
    }

    fn dns_label(&mut self, field: String, what: &str, name: &str) {
        if let Err(why) = check_dns_label(name) {
            self.error(
                field,
                format!("{what} `{name}` is not a valid name: {why}"),
                Some("use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit"),
            );
        }
    }

    fn socket_addr(&mut self, field: String, value: &str) -> Option<SocketAddr> {
        match value.parse::<SocketAddr>() {
            Ok(addr) if addr.port() == 0 => {
                self.error(
                    field,
                    format!("address `{value}` has port 0"),
                    Some("give a fixed port, e.g. 127.0.0.1:7101"),
                );
                None
            }
            Ok(addr) => Some(addr),
            Err(_) => {
                self.error(
                    field,
                    format!("`{value}` is not an ip:port address"),
                    Some("write it like 127.0.0.1:7101 or [::1]:7101"),
                );
                None
            }
        }
    }
}

/// Runs every semantic check; returns (errors, warnings).
pub(super) fn check(
    m: &Manifest,
    map: &SourceMap,
    file: &Path,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut c = Checker {
        map,
        file,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if m.api_version != API_VERSION {
        c.error(
            "apiVersion",
            format!("unsupported apiVersion `{}`", m.api_version),
            Some(&format!("this x0t reads apiVersion: {API_VERSION}")),
        );
    }
    if m.kind != KIND {
        c.error(
            "kind",
            format!("unsupported kind `{}`", m.kind),
            Some("the only kind is Mesh"),
        );
    }
    c.dns_label("metadata.name".into(), "mesh name", &m.metadata.name);
    check_trust_domain(&mut c, &m.spec.trust_domain);
    check_durations(&mut c, m);
    check_limits(&mut c, m);
    check_pqc(&mut c, m);
    check_operators(&mut c, m);
    let names = check_nodes(&mut c, m);
    check_workloads(&mut c, m, &names);
    check_host_port(
        &mut c,
        "spec.spire.serverAddress".into(),
        &m.spec.spire.server_address,
    );
    check_links(&mut c, m, &names);
    check_messaging(&mut c, m);
    (c.errors, c.warnings)
}

fn check_dns_label(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.len() > 63 {
        return Err("it is longer than 63 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("only lowercase letters, digits and '-' are allowed");
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("it starts or ends with '-'");
    }
    Ok(())
}

fn check_trust_domain(c: &mut Checker, td: &str) {
    let field = "spec.trustDomain";
    if td.is_empty() {
        c.error(
            field,
            "trust domain is empty",
            Some("e.g. trustDomain: prod.example.mesh"),
        );
    } else if td.len() > 255 {
        c.error(field, "trust domain is longer than 255 characters", None);
    } else if let Some(bad) = td.chars().find(|ch| {
        !(ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '-' | '_'))
    }) {
        let hint = if td.chars().any(|ch| ch.is_ascii_uppercase()) {
            format!(
                "SPIFFE trust domains are lowercase: `{}`",
                td.to_ascii_lowercase()
            )
        } else {
            "SPIFFE allows only lowercase letters, digits, '.', '-' and '_'".to_string()
        };
        c.error(
            field,
            format!("trust domain `{td}` contains `{bad}`"),
            Some(&hint),
        );
    }
}

/// The longest duration a manifest may name: 100 years. Certificates and keys are dated
/// `now + duration`, and X.509 and the time library stop at the year 9999; anything near
/// that is a typo, not a policy.
pub const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);

fn check_pqc(c: &mut Checker, m: &Manifest) {
    let pqc = &m.spec.pqc;
    if pqc::KemAlgorithm::from_name(&pqc.kem).is_none() {
        let names = pqc::KemAlgorithm::enabled_names();
        let hint = did_you_mean(&pqc.kem, &names)
            .map(|b| format!("did you mean `{b}`?"))
            .unwrap_or_else(|| format!("this x0t's liboqs offers: {}", names.join(", ")));
        c.error(
            "spec.pqc.kem",
            format!("unsupported KEM `{}`", pqc.kem),
            Some(&hint),
        );
    }
    if pqc::DsaAlgorithm::from_name(&pqc.dsa).is_none() {
        let names = pqc::DsaAlgorithm::enabled_names();
        let hint = did_you_mean(&pqc.dsa, &names)
            .map(|b| format!("did you mean `{b}`?"))
            .unwrap_or_else(|| format!("this x0t's liboqs offers: {}", names.join(", ")));
        c.error(
            "spec.pqc.dsa",
            format!("unsupported signature algorithm `{}`", pqc.dsa),
            Some(&hint),
        );
    }
}

fn check_operators(c: &mut Checker, m: &Manifest) {
    let mut seen = HashSet::new();
    for (i, op) in m.spec.operators.iter().enumerate() {
        c.dns_label(
            format!("spec.operators[{i}].name"),
            "operator name",
            &op.name,
        );
        if !seen.insert(op.name.as_str()) {
            c.error(
                format!("spec.operators[{i}].name"),
                format!("operator `{}` is declared twice", op.name),
                None,
            );
        }
    }
    if !m
        .spec
        .operators
        .iter()
        .any(|o| o.role == crate::engine::manifest::OperatorRole::Admin)
    {
        c.warn(
            "spec.operators",
            "no operator has role admin; nobody can change the live mesh",
            None,
        );
    }
}

fn check_nodes(c: &mut Checker, m: &Manifest) -> HashSet<String> {
    let mut names = HashSet::new();
    // Nodes that advertise different hosts may listen on the same address: uniqueness is
    // per host, and nodes without `advertise` share the local one.
    let host_of = |n: &crate::engine::manifest::NodeSpec| {
        n.advertise
            .as_deref()
            .and_then(|a| a.rsplit_once(':'))
            .map(|(h, _)| h.to_string())
            .unwrap_or_default()
    };
    let mut listens: HashMap<(String, SocketAddr), String> = HashMap::new();
    let mut metrics: HashMap<(String, SocketAddr), String> = HashMap::new();
    let mut sockets: HashMap<&str, &str> = HashMap::new();
    if m.spec.nodes.is_empty() {
        c.error("spec.nodes", "a mesh needs at least one node", None);
    }
    for (i, node) in m.spec.nodes.iter().enumerate() {
        let at = format!("spec.nodes[{i}]");
        c.dns_label(format!("{at}.name"), "node name", &node.name);
        if !names.insert(node.name.clone()) {
            c.error(
                format!("{at}.name"),
                format!("node `{}` is declared twice", node.name),
                Some("node names must be unique"),
            );
        }
        if let Some(addr) = c.socket_addr(format!("{at}.listen"), &node.listen) {
            if let Some(other) = listens.insert((host_of(node), addr), node.name.clone()) {
                c.error(
                    format!("{at}.listen"),
                    format!("listen address {addr} is already used by node {other}"),
                    Some("give every node its own port"),
                );
            }
        }
        if let Some(adv) = &node.advertise {
            check_host_port(c, format!("{at}.advertise"), adv);
        }
        if let Some(text) = &node.metrics {
            if let Some(addr) = c.socket_addr(format!("{at}.metrics"), text) {
                if let Some(other) = metrics.insert((host_of(node), addr), node.name.clone()) {
                    c.error(
                        format!("{at}.metrics"),
                        format!("metrics address {addr} is already used by node {other}"),
                        Some("give every node its own metrics port"),
                    );
                }
            }
        }
        if let Some(sock) = &node.workload_socket {
            if let Some(other) = sockets.insert(sock, &node.name) {
                c.error(
                    format!("{at}.workloadSocket"),
                    format!("workload socket {sock} is already used by node {other}"),
                    None,
                );
            }
        }
        for key in node.labels.keys() {
            if key.is_empty() {
                c.error(format!("{at}.labels"), "label keys must not be empty", None);
            }
        }
    }
    // A metrics port equal to a mesh port of another node would fail to bind at run time.
    for (i, node) in m.spec.nodes.iter().enumerate() {
        if let Some(addr) = node
            .metrics
            .as_deref()
            .and_then(|t| t.parse::<SocketAddr>().ok())
        {
            if let Some(other) = listens.get(&(host_of(node), addr)) {
                c.error(
                    format!("spec.nodes[{i}].metrics"),
                    format!("metrics address {addr} is the listen address of node {other}"),
                    None,
                );
            }
        }
    }
    let voters = m.spec.nodes.iter().filter(|n| n.role.is_voter()).count();
    if !m.spec.nodes.is_empty() && voters == 0 {
        c.error(
            "spec.nodes",
            "no node has role voter; Raft needs at least one",
            Some("set role: voter on one or more nodes (3 or 5 tolerate 1 or 2 failures)"),
        );
    } else if voters > 0 && voters < 3 {
        c.warn(
            "spec.nodes",
            format!("{voters} voter(s) tolerate no failure"),
            Some("run 3 or 5 voters"),
        );
    } else if voters > 0 && voters % 2 == 0 {
        c.warn(
            "spec.nodes",
            format!(
                "{voters} voters tolerate {} failures, no more than {} would",
                (voters - 1) / 2,
                voters - 1
            ),
            Some("an odd number of voters is enough"),
        );
    }
    names
}

fn check_host_port(c: &mut Checker, field: String, value: &str) {
    if value.parse::<SocketAddr>().is_ok() {
        return;
    }
    let ok = match value.rsplit_once(':') {
        Some((host, port)) => {
            !host.is_empty()
                && port.parse::<u16>().is_ok_and(|p| p != 0)
                && host.split('.').all(|l| {
                    !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        }
        None => false,
    };
    if !ok {
        c.error(
            field,
            format!("`{value}` is not a host:port address"),
            Some("write it like node1.example.net:7101 or 10.0.0.5:7101"),
        );
    }
}

/// The `unix:` selector keys a node's Workload API attests.
const UNIX_SELECTORS: &[&str] = &[
    "uid",
    "gid",
    "user",
    "group",
    "supplementary_gid",
    "supplementary_group",
    "path",
];

fn check_workloads(c: &mut Checker, m: &Manifest, nodes: &HashSet<String>) {
    let node_names: Vec<&str> = m.spec.nodes.iter().map(|n| n.name.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, w) in m.spec.workloads.iter().enumerate() {
        let at = format!("spec.workloads[{i}]");
        c.dns_label(format!("{at}.name"), "workload name", &w.name);
        if !seen.insert(&w.name) {
            c.error(
                format!("{at}.name"),
                format!("workload `{}` is declared twice", w.name),
                None,
            );
        }
        if !nodes.contains(&w.node) {
            unknown_node(c, format!("{at}.node"), &w.node, &node_names);
        }
        if w.selectors.is_empty() {
            c.error(
                format!("{at}.selectors"),
                "a workload needs at least one selector",
                Some("e.g. selectors: [\"unix:uid:1000\"]"),
            );
        }
        for (j, s) in w.selectors.iter().enumerate() {
            let parts: Vec<&str> = s.splitn(3, ':').collect();
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
                c.error(
                    format!("{at}.selectors[{j}]"),
                    format!("selector `{s}` is not type:key:value"),
                    Some("e.g. unix:uid:1000, unix:gid:100, unix:path:/usr/bin/api"),
                );
            } else if parts[0] != "unix" {
                c.error(
                    format!("{at}.selectors[{j}]"),
                    format!("selector type `{}` is not supported", parts[0]),
                    Some("nodes attest workloads with `unix:` selectors (the caller's uid, gid, user, group, path)"),
                );
            } else if !UNIX_SELECTORS.contains(&parts[1]) {
                let hint = did_you_mean(parts[1], UNIX_SELECTORS)
                    .map(|b| format!("did you mean `unix:{b}`?"))
                    .unwrap_or_else(|| {
                        format!("unix selectors are: {}", UNIX_SELECTORS.join(", "))
                    });
                c.error(
                    format!("{at}.selectors[{j}]"),
                    format!("unknown unix selector `{}`", parts[1]),
                    Some(&hint),
                );
            } else if matches!(parts[1], "uid" | "gid" | "supplementary_gid")
                && parts[2].parse::<u32>().is_err()
            {
                c.error(
                    format!("{at}.selectors[{j}]"),
                    format!("`{}` is not a numeric id", parts[2]),
                    Some("use unix:user: or unix:group: for names"),
                );
            }
        }
        if w.ttl.0 < std::time::Duration::from_secs(2) {
            c.error(
                format!("{at}.ttl"),
                format!(
                    "ttl {} is too short: a workload SVID lives at least 2s",
                    w.ttl
                ),
                None,
            );
        }
    }
}

fn check_links(c: &mut Checker, m: &Manifest, nodes: &HashSet<String>) {
    let node_names: Vec<&str> = m.spec.nodes.iter().map(|n| n.name.as_str()).collect();
    let mut edges = HashSet::new();
    for (i, l) in m.spec.links.iter().enumerate() {
        let at = format!("spec.links[{i}]");
        for (end, name) in [("from", &l.from), ("to", &l.to)] {
            if !nodes.contains(name) {
                unknown_node(c, format!("{at}.{end}"), name, &node_names);
            }
        }
        if l.from == l.to {
            c.error(
                format!("{at}.to"),
                format!("link from {} to itself", l.from),
                None,
            );
        }
        let key = if l.from < l.to {
            (&l.from, &l.to)
        } else {
            (&l.to, &l.from)
        };
        if !edges.insert(key) {
            c.error(
                at.to_string(),
                format!("link {} - {} is declared twice", l.from, l.to),
                Some("links are undirected"),
            );
        }
        if l.cost == Some(0) {
            c.error(format!("{at}.cost"), "cost must be at least 1", None);
        }
    }
    if !m.spec.links.is_empty() {
        for n in &m.spec.nodes {
            if !m
                .spec
                .links
                .iter()
                .any(|l| l.from == n.name || l.to == n.name)
            {
                c.warn(
                    "spec.links",
                    format!("node {} has no link; it cannot reach the mesh", n.name),
                    Some("add a link or leave links empty for a full mesh"),
                );
            }
        }
    }
}

/// `spec.messaging.allow`: every selector parses, names someone the manifest declares, and
/// no target is an operator (operators have no inbox).
fn check_messaging(c: &mut Checker, m: &Manifest) {
    for (i, rule) in m.spec.messaging.allow.iter().enumerate() {
        for (side, text) in [("from", &rule.from), ("to", &rule.to)] {
            let at = format!("spec.messaging.allow[{i}].{side}");
            let sel = match Selector::parse(text) {
                Ok(sel) => sel,
                Err(e) => {
                    c.error(
                        at,
                        format!("invalid selector: {e}"),
                        Some(&format!("selectors are: {SELECTOR_FORMS}")),
                    );
                    continue;
                }
            };
            if side == "to" && sel.is_operators() {
                c.error(
                    at,
                    format!("`{text}` names operators, who receive no messages"),
                    Some("targets are nodes and workloads: *, nodes, node:NAME, workloads, workload:NAME, label:KEY=VALUE"),
                );
                continue;
            }
            let Some((kind, name)) = sel.named() else {
                continue;
            };
            let known: Vec<&str> = match kind {
                "node" => m.spec.nodes.iter().map(|n| n.name.as_str()).collect(),
                "workload" => m.spec.workloads.iter().map(|w| w.name.as_str()).collect(),
                _ => m.spec.operators.iter().map(|o| o.name.as_str()).collect(),
            };
            if !known.contains(&name) {
                let hint = did_you_mean(name, &known)
                    .map(|b| format!("did you mean `{kind}:{b}`?"))
                    .unwrap_or_else(|| format!("{kind}s are: {}", known.join(", ")));
                c.error(at, format!("no {kind} named `{name}`"), Some(&hint));
            }
        }
    }
}

fn unknown_node(c: &mut Checker, field: String, name: &str, known: &[&str]) {
    let hint = did_you_mean(name, known)
        .map(|b| format!("did you mean `{b}`?"))
        .unwrap_or_else(|| format!("nodes are: {}", known.join(", ")));
    c.error(field, format!("no node named `{name}`"), Some(&hint));
}

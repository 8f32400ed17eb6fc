//! Selectors of the message policy's allow rules (`spec.messaging.allow[].from|to`).

/// One side of an allow rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Any,
    Nodes,
    Node(String),
    Workloads,
    Workload(String),
    /// Nodes carrying the label, and the workloads they host.
    Label(String, String),
    Admins,
    Viewers,
    Operator(String),
}

/// The selector forms, for error hints.
pub const FORMS: &str =
    "*, nodes, node:NAME, workloads, workload:NAME, label:KEY=VALUE, admins, viewers, operator:NAME";

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let s = match text.trim() {
            "*" => Selector::Any,
            "nodes" => Selector::Nodes,
            "workloads" => Selector::Workloads,
            "admins" => Selector::Admins,
            "viewers" => Selector::Viewers,
            t => {
                let (kind, rest) = t
                    .split_once(':')
                    .ok_or_else(|| format!("`{t}` is not a selector"))?;
                if rest.is_empty() {
                    return Err(format!("`{t}` names nothing after `{kind}:`"));
                }
                match kind {
                    "node" => Selector::Node(rest.into()),
                    "workload" => Selector::Workload(rest.into()),
                    "operator" => Selector::Operator(rest.into()),
                    "label" => match rest.split_once('=') {
                        Some((k, v)) if !k.is_empty() => Selector::Label(k.into(), v.into()),
                        _ => return Err(format!("`{t}` must read label:KEY=VALUE")),
                    },
                    _ => return Err(format!("`{kind}:` is not a selector kind")),
                }
            }
        };
        Ok(s)
    }

    /// Whether the selector names operators, who have no inbox and so cannot be targets.
    pub fn is_operators(&self) -> bool {
        matches!(
            self,
            Selector::Admins | Selector::Viewers | Selector::Operator(_)
        )
    }

    /// The roster entry the selector names, if it names one: ("node" | "workload" |
    /// "operator", name).
    pub fn named(&self) -> Option<(&'static str, &str)> {
        match self {
            Selector::Node(n) => Some(("node", n)),
            Selector::Workload(n) => Some(("workload", n)),
            Selector::Operator(n) => Some(("operator", n)),
            _ => None,
        }
    }
}

//! `cargo xtask layers`: checks that the engine's modules form layers. At every level of
//! `src/engine`, the sibling modules and the imports between them must form a graph
//! without cycles (a module never imports one that imports it back, directly or through
//! others). A parent may use its children and a child its parent's own items; that is
//! nesting, not a cycle. It also lists files over 700 lines whose `//!` header does not
//! say why they are that long.
//!
//! It reads the source as text (std only, like the rest of xtask): `use` trees are
//! expanded and inline `crate::engine::...`, `super::...` and `self::...` paths are
//! resolved against the module the file defines. `#[cfg(test)]` modules are skipped:
//! a unit test may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::{root, Result};

/// A module path below `crate::engine`, e.g. `["node", "raft"]`.
type ModPath = Vec<String>;

/// The line count past which a file must justify its length in its header.
const MAX_LINES: usize = 700;

pub fn run(verbose: bool) -> Result {
    let engine = root().join("src/engine");
    let files = rust_files(&engine)?;
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(&engine, f)).collect();
    // (parent, from child, to child) -> one example of the import, for the report.
    let mut edges: BTreeMap<(ModPath, String, String), String> = BTreeMap::new();
    for file in &files {
        let text =
            fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let module = module_of(&engine, file);
        for path in referenced_paths(&strip_tests(&strip_comments(&text))) {
            let Some(target) = resolve(&module, &path) else {
                continue;
            };
            let target = longest_module(&modules, &target);
            if let Some((parent, from, to)) = sibling_edge(&module, &target) {
                let rel = file.strip_prefix(root()).unwrap_or(file);
                edges
                    .entry((parent, from, to))
                    .or_insert_with(|| format!("{} uses {}", rel.display(), path.join("::")));
            }
        }
    }
    let mut cycles = Vec::new();
    let parents: BTreeSet<&ModPath> = edges.keys().map(|(p, _, _)| p).collect();
    for parent in parents {
        let graph: BTreeMap<&str, Vec<&str>> = edges.keys().filter(|(p, _, _)| p == parent).fold(
            BTreeMap::new(),
            |mut g, (_, from, to)| {
                g.entry(from.as_str()).or_default().push(to.as_str());
                g
            },
        );
        for cycle in find_cycles(&graph) {
            let scope = display_mod(parent);
            let mut lines = vec![format!("cycle in {scope}: {}", cycle.join(" -> "))];
            for pair in cycle.windows(2) {
                let key = (parent.clone(), pair[0].to_string(), pair[1].to_string());
                lines.push(format!("    {}", edges[&key]));
            }
            cycles.push(lines.join("\n"));
        }
    }
    if verbose {
        for ((parent, from, to), example) in &edges {
            eprintln!("{}: {from} -> {to}  ({example})", display_mod(parent));
        }
    }
    let long = long_files(&root().join("src"))?;
    for (file, lines) in &long {
        eprintln!(
            "{}: {lines} lines and no `//!` line saying why it is longer than {MAX_LINES}",
            file.display()
        );
    }
    for cycle in &cycles {
        eprintln!("{cycle}");
    }
    eprintln!(
        "layers: {} modules, {} sibling imports, {} cycles, {} long files",
        modules.len(),
        edges.len(),
        cycles.len(),
        long.len()
    );
    if cycles.is_empty() && long.is_empty() {
        Ok(())
    } else {
        Err("the engine's modules do not form layers (see above)".into())
    }
}

fn display_mod(m: &[String]) -> String {
    if m.is_empty() {
        "engine".into()
    } else {
        format!("engine::{}", m.join("::"))
    }
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `src/engine/node/raft/mod.rs` -> `[node, raft]`; `src/engine/mod.rs` -> `[]`.
fn module_of(engine: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(engine).unwrap_or(file);
    let mut parts: ModPath = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// Blanks out comments and string literals so paths inside them are not read as imports.
fn strip_comments(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'"' {
            // A raw string's hashes are not tracked: none of ours holds a path-like `"#`.
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('"' or '\n'), not a lifetime.
            let end = b[i + 1..]
                .iter()
                .position(|&c| c == b'\'')
                .map_or(b.len(), |p| i + 1 + p);
            let end = if b[i + 1] == b'\\' {
                b[i + 3..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(b.len(), |p| i + 3 + p)
            } else {
                end
            };
            i = end + 1;
            out.push_str("' '");
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Cuts `#[cfg(test)] mod ... { ... }` blocks.
fn strip_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        let brace = after.find('{');
        let semi = after.find(';');
        match (brace, semi) {
            (Some(b), s) if s.is_none_or(|s| b < s) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            (_, Some(s)) => rest = &after[s + 1..],
            _ => rest = "",
        }
    }
    out.push_str(rest);
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path the text names that starts with `crate`, `super` or `self`, with `use`
/// trees expanded (`use super::{a, b::c}` gives `super::a` and `super::b::c`).
fn referenced_paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    // `use` items first, so their braces are expanded.
    let mut without_uses = String::new();
    while let Some(pos) = find_use(rest) {
        without_uses.push_str(&rest[..pos]);
        let after = &rest[pos + 4..];
        let end = after.find(';').unwrap_or(after.len());
        expand_tree(&after[..end], Vec::new(), &mut out);
        rest = &after[(end + 1).min(after.len())..];
    }
    without_uses.push_str(rest);
    // Inline paths: `crate::engine::x::Y`, `super::x::f(...)`.
    let chars: Vec<(usize, char)> = without_uses.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let boundary = i == 0 || !is_ident(chars[i - 1].1) && chars[i - 1].1 != ':';
        if boundary && is_ident(c) {
            let start = pos;
            let mut j = i;
            while j < chars.len() && (is_ident(chars[j].1) || chars[j].1 == ':') {
                j += 1;
            }
            let end = chars.get(j).map_or(without_uses.len(), |&(p, _)| p);
            let word = &without_uses[start..end];
            if word.contains("::")
                && ["crate::", "super::", "self::"]
                    .iter()
                    .any(|p| word.starts_with(p))
            {
                out.push(
                    word.split("::")
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The byte offset of the next `use` keyword that starts an item.
fn find_use(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = text[from..].find("use ") {
        let at = from + p;
        let before = text[..at].chars().next_back();
        if before.is_none_or(|c| !is_ident(c)) {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn expand_tree(tree: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let mut base = prefix;
        base.extend(
            head.split("::")
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_string()),
        );
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_tree(&inner[start..i], base.clone(), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_tree(&inner[start..], base, out);
    } else {
        let item = tree.split(" as ").next().unwrap_or("").trim();
        if item.is_empty() {
            return;
        }
        let mut path = prefix;
        path.extend(item.split("::").map(|s| s.trim().to_string()));
        out.push(path);
    }
}

/// Resolves a path to segments below `crate::engine`; `None` for paths outside it.
fn resolve(module: &[String], path: &[String]) -> Option<ModPath> {
    let mut segs = path.iter();
    let mut base: ModPath = match segs.next()?.as_str() {
        "crate" => {
            if segs.next()? != "engine" {
                return None;
            }
            Vec::new()
        }
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        _ => return None,
    };
    for s in segs {
        match s.as_str() {
            "super" => {
                base.pop()?;
            }
            "self" | "*" => {}
            _ => base.push(s.clone()),
        }
    }
    Some(base)
}

/// The longest prefix of `path` that is a module (the rest names items in it).
fn longest_module(modules: &BTreeSet<ModPath>, path: &[String]) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// The edge between the two children of the deepest common parent, if neither module
/// contains the other.
fn sibling_edge(from: &[String], to: &[String]) -> Option<(ModPath, String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((
        from[..common].to_vec(),
        from[common].clone(),
        to[common].clone(),
    ))
}

/// One cycle per strongly connected component of more than one module, as a path that
/// returns to its start.
fn find_cycles(graph: &BTreeMap<&str, Vec<&str>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&str> = graph
        .iter()
        .flat_map(|(k, v)| std::iter::once(*k).chain(v.iter().copied()))
        .collect();
    let reach = |from: &str| -> BTreeMap<String, String> {
        // BFS with parents, to rebuild a path.
        let mut parent = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from.to_string()]);
        while let Some(n) = queue.pop_front() {
            for &m in graph.get(n.as_str()).into_iter().flatten() {
                if !parent.contains_key(m) {
                    parent.insert(m.to_string(), n.clone());
                    queue.push_back(m.to_string());
                }
            }
        }
        parent
    };
    let mut seen = BTreeSet::new();
    let mut cycles = Vec::new();
    for &n in &nodes {
        if seen.contains(n) {
            continue;
        }
        let parent = reach(n);
        if !parent.contains_key(n) {
            continue;
        }
        // Walk back from n to n.
        let mut path = vec![n.to_string()];
        let mut cur = parent[n].clone();
        while cur != n {
            path.push(cur.clone());
            cur = parent[&cur].clone();
        }
        path.push(n.to_string());
        path.reverse();
        for m in &path {
            seen.insert(m.clone());
        }
        cycles.push(path);
    }
    cycles
}

/// Files longer than the limit whose opening `//!` lines do not mention why.
fn long_files(src: &Path) -> Result<Vec<(PathBuf, usize)>> {
    let mut out = Vec::new();
    for file in rust_files(src)? {
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let lines = text.lines().count();
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join(" ");
        if lines > MAX_LINES && !header.contains("lines") {
            let rel = file.strip_prefix(root()).unwrap_or(&file).to_path_buf();
            out.push((rel, lines));
        }
    }
    Ok(out)
}

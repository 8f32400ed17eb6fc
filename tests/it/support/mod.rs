//! Helpers shared by the suite: a temporary mesh directory, running `x0t`, golden files
//! with masking of the parts that change from run to run.

pub mod cluster;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use regex::Regex;

pub const QUICKSTART: &str = include_str!("../../../manifests/quickstart.yaml");

/// A temporary directory holding `x0t.yaml`.
pub struct Env {
    pub dir: tempfile::TempDir,
}

/// A finished `x0t` run.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts the exit code and returns self.
    #[track_caller]
    pub fn code(&self, want: i32) -> &Out {
        assert_eq!(
            self.code, want,
            "exit code {} (wanted {want})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Out {
        self.code(0)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The `data` of each message an `x0t recv -o json` printed, in order.
    pub fn message_data(&self) -> Vec<String> {
        (self.json()["messages"].as_array().expect("a recv reply"))
            .iter()
            .map(|m| m["data"].as_str().expect("text data").to_string())
            .collect()
    }
}

impl Env {
    pub fn new(manifest: &str) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("x0t.yaml"), manifest).expect("write manifest");
        Env { dir }
    }

    pub fn quickstart() -> Env {
        Env::new(QUICKSTART)
    }

    /// A quickstart that has been applied once.
    pub fn applied() -> Env {
        let env = Env::quickstart();
        env.x0t(&["apply", "--auto-approve"]).ok();
        env
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path in the state directory.
    pub fn state(&self, rel: &str) -> PathBuf {
        self.root().join(".x0t").join(rel)
    }

    pub fn write_manifest(&self, text: &str) {
        std::fs::write(self.root().join("x0t.yaml"), text).expect("write manifest");
    }

    pub fn x0t(&self, args: &[&str]) -> Out {
        self.x0t_env(args, &[])
    }

    pub fn x0t_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Out {
        run_in(self.root(), args, envs)
    }
}

/// Runs `x0t` in `dir` with no terminal and no colour.
pub fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_x0t"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("X0T_MANIFEST")
        .env_remove("X0T_NOW")
        .env_remove("X0T_FAULT")
        .stdin(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run x0t");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Replaces what differs between runs: paths, times, hashes, serials, key bytes.
pub fn mask(text: &str, root: Option<&Path>) -> String {
    let mut t = text.to_string();
    if let Some(root) = root {
        t = t.replace(&root.display().to_string(), "[ROOT]");
    }
    let rules = [
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[TIME]"),
        (r"[0-9a-f]{64}", "[SHA256]"),
        (r"[0-9a-f]{12} -> [0-9a-f]{12}", "[HASH] -> [HASH]"),
        (r"([0-9a-f]{2}:){15}[0-9a-f]{2}", "[SERIAL]"),
        (r#""key": "[A-Za-z0-9+/=]{40,}""#, r#""key": "[BASE64]""#),
        (r#""keyId": "[A-Za-z0-9_-]{43}""#, r#""keyId": "[KID]""#),
        (
            r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+",
            "[JWT]",
        ),
        (r#""(exp|iat)": \d+"#, r#""$1": [N]"#),
        (r"pid \d+", "pid [PID]"),
        (r"(mesh CA \S+) [0-9a-f]{8}\b", "$1 [CAID]"),
        (r#""expiresInSeconds": \d+"#, r#""expiresInSeconds": [N]"#),
        (r"\(\d+h left\)", "([N]h left)"),
        (r"liboqs \d+\.\d+\.\d+", "liboqs [VERSION]"),
        (
            r#""liboqsVersion": "[^"]+""#,
            r#""liboqsVersion": "[VERSION]""#,
        ),
        (r#""version": "\d+\.\d+\.\d+""#, r#""version": "[VERSION]""#),
        (r"x0t \d+\.\d+\.\d+", "x0t [VERSION]"),
    ];
    for (re, with) in rules {
        t = Regex::new(re)
            .expect("regex")
            .replace_all(&t, with)
            .into_owned();
    }
    t
}

/// Compares `actual` with `tests/it/golden/<name>`; `X0T_BLESS=1` rewrites the file.
#[track_caller]
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/golden")
        .join(name);
    if std::env::var_os("X0T_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with X0T_BLESS=1",
            path.display()
        )
    });
    if want != actual {
        panic!(
            "golden file {} differs (X0T_BLESS=1 rewrites it)\n--- want\n{want}\n--- got\n{actual}",
            path.display()
        );
    }
}

/// A manifest with `n` local voters (ports from `base`).
pub fn manifest_with_nodes(name: &str, n: usize, base: u16) -> String {
    let mut m = format!(
        "apiVersion: x0tta6bl4.io/v1alpha1\nkind: Mesh\nmetadata: {{ name: {name} }}\nspec:\n  trustDomain: {name}.x0tta6bl4.mesh\n  nodes:\n"
    );
    for i in 1..=n {
        m.push_str(&format!(
            "    - {{ name: n{i}, listen: 127.0.0.1:{}, metrics: 127.0.0.1:{} }}\n",
            base as usize + i,
            base as usize + 10_000 + i
        ));
    }
    m
}

/// SHA-256 of every file under `dir`, by relative path.
pub fn tree_hashes(dir: &Path) -> std::collections::BTreeMap<String, String> {
    use sha2::{Digest, Sha256};
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, hex::encode(Sha256::digest(std::fs::read(&p).unwrap())));
            }
        }
    }
    out
}

/// `text` with every run of spaces collapsed to one, for matching aligned columns.
pub fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split(' ').filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.replace(" \n", "\n").replace("\n ", "\n")
}

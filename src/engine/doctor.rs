//! `doctor` and `version --verbose`: what this build links, and whether the environment
//! can run a mesh (liboqs self-test, state directory writable, key permissions, clock).

use serde::Serialize;
use time::OffsetDateTime;

use crate::engine::identity::CertInfo;
use crate::engine::pqc::{self, DsaAlgorithm, KemAlgorithm};
use crate::engine::state::{layout, StateDir};
use crate::engine::util::fsutil;
use crate::engine::util::timefmt;

/// What this binary was built with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    pub schema_version: u32,
    pub version: String,
    pub liboqs_version: String,
    pub kem_algorithms: Vec<&'static str>,
    pub signature_algorithms: Vec<&'static str>,
    pub target: String,
}

pub fn build_info() -> BuildInfo {
    BuildInfo {
        schema_version: 1,
        version: env!("CARGO_PKG_VERSION").into(),
        liboqs_version: pqc::liboqs_version(),
        kem_algorithms: KemAlgorithm::enabled_names(),
        signature_algorithms: DsaAlgorithm::enabled_names(),
        target: format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
    }
}

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoctorCheck {
    pub name: String,
    pub status: Status,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoctorReport {
    pub schema_version: u32,
    pub build: BuildInfo,
    pub checks: Vec<DoctorCheck>,
    pub healthy: bool,
}

/// Runs every check; `manifest` is the manifest check's outcome, done by the caller.
/// Runs every check; `now` is the time the clock check judges and key checks use.
pub fn doctor(dir: &StateDir, manifest: DoctorCheck, now: OffsetDateTime) -> DoctorReport {
    let mut checks = vec![manifest, liboqs_self_test(now), writable(dir)];
    checks.push(key_modes(dir));
    checks.push(clock(dir, now));
    let healthy = checks.iter().all(|c| c.status != Status::Fail);
    DoctorReport {
        schema_version: 1,
        build: build_info(),
        checks,
        healthy,
    }
}

fn check(name: &str, status: Status, detail: impl Into<String>) -> DoctorCheck {
    DoctorCheck {
        name: name.into(),
        status,
        detail: detail.into(),
    }
}

fn liboqs_self_test(now: OffsetDateTime) -> DoctorCheck {
    let run = || -> Result<String, pqc::PqcError> {
        let kem = pqc::generate(pqc::Algorithm::Kem(KemAlgorithm::MlKem768), now)?;
        let dsa = pqc::generate(pqc::Algorithm::Dsa(DsaAlgorithm::MlDsa65), now)?;
        let kem_ok = pqc::pair_matches(kem.algorithm, &kem.public, &kem.secret)?;
        let dsa_ok = pqc::pair_matches(dsa.algorithm, &dsa.public, &dsa.secret)?;
        let forged = pqc::verify(
            DsaAlgorithm::MlDsa65,
            &dsa.public,
            b"other message",
            &pqc::sign(DsaAlgorithm::MlDsa65, &dsa.secret, b"message")?,
        )?;
        if kem_ok && dsa_ok && !forged {
            Ok(format!(
                "liboqs {}: ML-KEM-768 round trip and ML-DSA-65 sign/verify pass",
                pqc::liboqs_version()
            ))
        } else {
            Err(pqc::PqcError::Liboqs(
                "self-test gave a wrong result".into(),
            ))
        }
    };
    match run() {
        Ok(d) => check("liboqs", Status::Ok, d),
        Err(e) => check("liboqs", Status::Fail, e.to_string()),
    }
}

fn writable(dir: &StateDir) -> DoctorCheck {
    // Probe the state directory, or the nearest existing ancestor it would be created in.
    let mut probe_dir = dir.root.clone();
    while !probe_dir.exists() {
        match probe_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => probe_dir = p.to_path_buf(),
            _ => {
                probe_dir = ".".into();
                break;
            }
        }
    }
    let probe = probe_dir.join(format!(".x0t-doctor-{}", std::process::id()));
    match fsutil::write_atomic(&probe, b"probe", 0o600) {
        Ok(()) => {
            let _ = std::fs::remove_file(&probe);
            check(
                "stateDir",
                Status::Ok,
                format!("{} is writable", probe_dir.display()),
            )
        }
        Err(e) => check("stateDir", Status::Fail, format!("{e}: {}", e.source)),
    }
}

fn key_modes(dir: &StateDir) -> DoctorCheck {
    let state = match dir.load() {
        Ok(Some(s)) => s,
        Ok(None) => return check("keyPermissions", Status::Ok, "nothing applied yet"),
        Err(e) => return check("keyPermissions", Status::Fail, e.to_string()),
    };
    let mut bad = Vec::new();
    let mut n = 0;
    for record in state.resources.values() {
        for (rel, f) in &record.files {
            if f.mode == fsutil::PRIVATE_MODE {
                n += 1;
                match fsutil::mode_of(&dir.path(rel)) {
                    Some(m) if m & 0o077 != 0 => bad.push(format!("{rel} is {m:04o}")),
                    _ => {}
                }
            }
        }
    }
    if bad.is_empty() {
        check(
            "keyPermissions",
            Status::Ok,
            format!("{n} private files are 0600"),
        )
    } else {
        check(
            "keyPermissions",
            Status::Fail,
            format!("readable by others: {} (chmod 600 them)", bad.join(", ")),
        )
    }
}

fn clock(dir: &StateDir, now: OffsetDateTime) -> DoctorCheck {
    if now.year() < 2025 {
        return check(
            "clock",
            Status::Fail,
            format!(
                "system time {} is in the past; certificates would not verify",
                timefmt::rfc3339(now)
            ),
        );
    }
    if let Ok(Some(pem)) = dir.read_opt(layout::CA_CERT) {
        if let Ok(ca) = CertInfo::from_pem(&String::from_utf8_lossy(&pem)) {
            if now < ca.not_before {
                return check(
                    "clock",
                    Status::Fail,
                    format!(
                        "system time is before the CA's notBefore {}",
                        timefmt::rfc3339(ca.not_before)
                    ),
                );
            }
        }
    }
    if let Ok(Some(state)) = dir.load() {
        if state.applied_at > now + time::Duration::minutes(5) {
            return check(
                "clock",
                Status::Warn,
                format!(
                    "the last apply is dated {} in the future",
                    timefmt::rfc3339(state.applied_at)
                ),
            );
        }
    }
    check(
        "clock",
        Status::Ok,
        format!("system time {}", timefmt::rfc3339(now)),
    )
}

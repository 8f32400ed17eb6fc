//! Process hardening for a process that holds secret keys: no core file, and no
//! same-user process may attach to it or read its memory through /proc.

/// Turns off core dumps and ptrace attach for this process. A failure is reported, not
/// fatal: the node still runs, and the caller logs the reason.
pub fn protect_secrets() -> Result<(), String> {
    let zero = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit and prctl take plain values; neither touches memory we own.
    if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) } != 0 {
        return Err(format!(
            "setrlimit(RLIMIT_CORE): {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: as above.
    if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
        return Err(format!(
            "prctl(PR_SET_DUMPABLE): {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

//! `init_logging`, checked in child processes because it installs process-global state.
//!
//! The parent re-runs this test binary with `CHILD_ENV` naming a scenario and only
//! `child_process_entry` selected; the child sets up logging, emits, exits, and the parent
//! inspects what reached stdout and stderr.

use std::process::{Command, Output};

use x0tta6bl4::engine::telemetry::{init_logging, TelemetryError};

const CHILD_ENV: &str = "X0T_TELEMETRY_TEST_CHILD";
const NODE: &str = "node-7";
const SPAN_NAME: &str = "x0t.test.exchange";
const LOG_LINE: &str = "child log line inside span";
const DEBUG_LINE: &str = "debug line hidden at verbosity 0";

const BURST: usize = 1500;
const BURST_SPAN: &str = "x0t.test.burst";
const BURST_LOG: &str = "burst log line";

/// libtest prints this before running the selected test; everything after it is the child's.
const LIBTEST_PREAMBLE: &str = "\nrunning 1 test\n";

/// Not a test of its own: the body of the child process. Without `CHILD_ENV` it does nothing.
#[test]
fn child_process_entry() {
    let Ok(scenario) = std::env::var(CHILD_ENV) else {
        return;
    };
    match scenario.as_str() {
        "otel" => {
            let guard = init_logging(NODE, true, 0).expect("init_logging");
            {
                let span = tracing::info_span!(SPAN_NAME, peer = "node-8");
                let _entered = span.enter();
                tracing::info!(answer = 42, "{LOG_LINE}");
                tracing::debug!("{DEBUG_LINE}");
            }
            guard
                .meter()
                .u64_counter("x0t.test.requests")
                .build()
                .add(3, &[]);
            // A second subscriber must be refused rather than silently replacing the first.
            // Asked for OpenTelemetry too, so a stray pipeline would show up on stdout.
            let again = init_logging(NODE, true, 0);
            assert!(
                matches!(again, Err(TelemetryError::AlreadyInitialised)),
                "{again:?}"
            );
            // Dropping the guard, not an explicit shutdown, is what flushes on a normal exit.
            drop(guard);
        }
        "burst" => {
            let guard = init_logging(NODE, true, 0).expect("init_logging");
            // Spans and logs from separate threads fill both batch queues past their export size,
            // so the span and log exporters print at the same time.
            let emitters: Vec<_> = (0..2)
                .map(|thread| {
                    std::thread::spawn(move || {
                        for i in 0..BURST / 2 {
                            let span = tracing::info_span!(BURST_SPAN, thread, i);
                            let _entered = span.enter();
                            tracing::info!(thread, i, "{BURST_LOG}");
                        }
                    })
                })
                .collect();
            for emitter in emitters {
                emitter.join().expect("emitter thread");
            }
            drop(guard);
        }
        "bad-filter" => {
            let result = init_logging(NODE, true, 0);
            assert!(
                matches!(result, Err(TelemetryError::LogFilter { .. })),
                "{result:?}"
            );
        }
        other => panic!("unknown child scenario {other}"),
    }
    // Exiting here keeps libtest's result lines off the stdout the parent inspects.
    std::process::exit(0);
}

fn run_child(scenario: &str, rust_log: Option<&str>) -> (String, String) {
    let exe = std::env::current_exe().expect("test binary path");
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "telemetry::logging::child_process_entry",
            "--test-threads=1",
            "--quiet",
            // Threads inherit libtest's capture, which would swallow the exporters' output.
            "--nocapture",
        ])
        .env(CHILD_ENV, scenario)
        .env_remove("OTEL_RESOURCE_ATTRIBUTES")
        .env_remove("OTEL_SERVICE_NAME");
    match rust_log {
        Some(filter) => command.env("RUST_LOG", filter),
        None => command.env_remove("RUST_LOG"),
    };
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("spawn child");
    let stdout = String::from_utf8(stdout).expect("utf-8 stdout");
    let stderr = String::from_utf8(stderr).expect("utf-8 stderr");
    assert!(
        status.success(),
        "child {scenario} failed ({status}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let stdout = stdout
        .strip_prefix(LIBTEST_PREAMBLE)
        .unwrap_or_else(|| panic!("unexpected libtest preamble:\n{stdout}"))
        .to_owned();
    (stdout, stderr)
}

/// One exported item (a span, a log record or a metric) with the lines that describe it.
struct Item {
    kind: &'static str,
    text: String,
}

impl Item {
    /// Values of `key` in this item's `key : value` lines, in order.
    fn fields<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.text.lines().filter_map(move |line| {
            let (name, value) = line.trim().split_once(':')?;
            (name.trim() == key).then(|| value.trim())
        })
    }

    fn field<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        self.fields(key).next()
    }
}

/// Splits the stdout exporters' stream into items. Batches open with an unindented `Spans`,
/// `Logs` or `Metrics` line and an optional `Resource` block; items open with `Span #n`,
/// `Log #n` or `Metric #n`. Fails on any line that fits none of that.
fn otel_items(stdout: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut batch: Option<&str> = None;
    // Lines between a batch header and its first item (resource, scope) belong to no item.
    let mut in_item = false;
    for line in stdout.lines() {
        if let "Spans" | "Logs" | "Metrics" = line {
            batch = Some(line);
            in_item = false;
            continue;
        }
        let batch = batch.unwrap_or_else(|| panic!("stdout does not open with a batch:\n{stdout}"));
        let opens = [
            ("Span #", "Spans"),
            ("Log #", "Logs"),
            ("Metric #", "Metrics"),
        ]
        .into_iter()
        .find(|(prefix, _)| line.starts_with(prefix));
        match opens {
            Some((prefix, owner)) => {
                assert_eq!(owner, batch, "{prefix} inside a {batch} batch");
                items.push(Item {
                    kind: owner,
                    text: String::new(),
                });
                in_item = true;
            }
            None => {
                let belongs = line == "Resource" || line.is_empty() || line.starts_with('\t');
                assert!(belongs, "foreign line on stdout: {line:?}\n{stdout}");
                if let Some(item) = items.last_mut().filter(|_| in_item) {
                    item.text.push_str(line);
                    item.text.push('\n');
                }
            }
        }
    }
    items
}

#[test]
fn otel_stdout_carries_spans_logs_and_metrics_and_nothing_else() {
    let (stdout, _) = run_child("otel", None);
    let items = otel_items(&stdout);

    let span = items
        .iter()
        .filter(|item| item.kind == "Spans")
        .find(|item| item.fields("Name").any(|name| name == SPAN_NAME))
        .unwrap_or_else(|| panic!("span {SPAN_NAME} not exported:\n{stdout}"));
    let trace_id = span.field("TraceId").expect("span trace id");

    let logs: Vec<&Item> = items.iter().filter(|item| item.kind == "Logs").collect();
    let log = logs
        .iter()
        .find(|item| {
            item.field("Body")
                .is_some_and(|body| body.contains(LOG_LINE))
        })
        .unwrap_or_else(|| panic!("log record not exported:\n{stdout}"));
    assert_eq!(
        log.field("TraceId"),
        Some(trace_id),
        "log is not tied to its span"
    );
    assert_eq!(log.field("SeverityText"), Some("\"INFO\""));
    assert!(
        log.text.contains("answer: Int(42)"),
        "log lacks its field:\n{}",
        log.text
    );
    assert!(
        logs.iter().all(|item| !item.text.contains(DEBUG_LINE)),
        "debug record exported at verbosity 0"
    );

    for instrument in ["x0t.node.uptime", "x0t.log.events", "x0t.test.requests"] {
        let exported = items
            .iter()
            .filter(|item| item.kind == "Metrics" && item.field("Name") == Some(instrument))
            .count();
        // One export, the final one at shutdown: the child is done long before the 10 s period,
        // and the refused second init must not have built a pipeline of its own.
        assert_eq!(exported, 1, "{instrument} exports:\n{stdout}");
    }

    // The resource is printed in the stdout exporter's Debug form once per exporter.
    for attribute in [
        r#"service.name=String(Static("x0t"))"#,
        r#"service.instance.id=String(Owned("node-7"))"#,
    ] {
        assert_eq!(
            stdout.matches(attribute).count(),
            3,
            "{attribute} not in each exporter's resource:\n{stdout}"
        );
    }
}

#[test]
fn human_logs_go_to_stderr() {
    let (stdout, stderr) = run_child("otel", None);
    let line = stderr
        .lines()
        .find(|line| line.contains(LOG_LINE))
        .unwrap_or_else(|| panic!("log line missing from stderr:\n{stderr}"));
    assert!(line.contains("INFO"), "{line}");
    assert!(
        line.contains("it::telemetry::logging"),
        "target missing: {line}"
    );
    assert!(line.contains("answer=42"), "{line}");
    assert!(!stderr.contains(DEBUG_LINE), "debug shown at verbosity 0");
    let (_timestamp, human) = line.split_once(' ').expect("timestamped line");
    assert!(!stdout.contains(human.trim()), "human log leaked to stdout");
    assert!(
        !stderr.contains("\nSpans\n"),
        "otel stream leaked to stderr"
    );
}

#[test]
fn rust_log_overrides_verbosity() {
    let (_, stderr) = run_child("otel", Some("debug"));
    assert!(
        stderr.contains(DEBUG_LINE),
        "RUST_LOG=debug ignored:\n{stderr}"
    );
}

#[test]
fn invalid_rust_log_is_an_error() {
    let (stdout, _) = run_child("bad-filter", Some("x0t=loudest"));
    assert_eq!(stdout, "", "nothing may reach stdout when setup fails");
}

#[test]
fn concurrent_exports_do_not_interleave_on_stdout() {
    let (stdout, _) = run_child("burst", None);
    // `otel_items` rejects a line of one record type inside a batch of another.
    let items = otel_items(&stdout);
    let spans = items
        .iter()
        .filter(|item| item.kind == "Spans" && item.fields("Name").any(|name| name == BURST_SPAN))
        .count();
    let logs = items
        .iter()
        .filter(|item| {
            item.kind == "Logs" && item.field("Body").is_some_and(|b| b.contains(BURST_LOG))
        })
        .count();
    // Every record arrives whole: none lost in the queues or the final flush.
    assert_eq!((spans, logs), (BURST, BURST));
}

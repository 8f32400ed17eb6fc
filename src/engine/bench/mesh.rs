//! Open-loop load over the data plane for `x0t bench mesh`: messages are scheduled at a
//! fixed rate whether or not earlier ones were acknowledged, and each one's latency runs
//! from its scheduled send time to its acknowledgement, so a stall shows up in the tail
//! instead of slowing the generator down (no coordinated omission).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::engine::client::Client;
use crate::engine::util::stats::percentile_ms;

/// One rate level on one path.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateResult {
    /// Messages per second offered.
    pub offered: u64,
    pub scheduled: u64,
    pub acknowledged: u64,
    pub errors: u64,
    /// Acknowledged per second of the level.
    pub acknowledged_per_second: f64,
    /// Acknowledged within the level's duration plus its grace, as a fraction of scheduled.
    pub acknowledged_ratio: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// What one open-loop run saw, message by message.
#[derive(Debug, Default)]
pub struct Samples {
    /// When message 0 was due; message i was due at `start + i / rate`.
    pub start: Option<Instant>,
    pub interval: Duration,
    pub scheduled: u64,
    /// (index, latency from its due time) of every acknowledged message.
    pub acked: Vec<(u64, Duration)>,
    /// Message ids (hex) of the acknowledged messages.
    pub acked_ids: Vec<String>,
    pub errors: u64,
}

impl Samples {
    pub fn due(&self, i: u64) -> Instant {
        self.start.unwrap_or_else(Instant::now) + self.interval.mul_f64(i as f64)
    }

    /// The aggregate of a level of `duration`.
    pub fn result(&self, rate: u64, duration: Duration) -> RateResult {
        let mut latencies: Vec<Duration> = self.acked.iter().map(|(_, l)| *l).collect();
        latencies.sort();
        let acknowledged = latencies.len() as u64;
        RateResult {
            offered: rate,
            scheduled: self.scheduled,
            acknowledged,
            errors: self.errors + self.scheduled.saturating_sub(acknowledged + self.errors),
            acknowledged_per_second: acknowledged as f64 / duration.as_secs_f64(),
            acknowledged_ratio: acknowledged as f64 / self.scheduled.max(1) as f64,
            p50_ms: percentile_ms(&latencies, 0.50),
            p99_ms: percentile_ms(&latencies, 0.99),
            max_ms: latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        }
    }

    /// How long the data plane stalled after a failure at `at`: the longest any message
    /// due from half a second before it to two seconds after waited beyond the later of its
    /// due time and `at`.
    pub fn stall_after(&self, at: Instant) -> Duration {
        let from = at.checked_sub(Duration::from_millis(500)).unwrap_or(at);
        let to = at + Duration::from_secs(2);
        self.acked
            .iter()
            .filter_map(|&(i, latency)| {
                let due = self.due(i);
                (due >= from && due < to)
                    .then(|| (due + latency).saturating_duration_since(due.max(at)))
            })
            .max()
            .unwrap_or_default()
    }
}

/// Offers `rate` messages per second of `size` bytes from `via` to `dest` for `duration`,
/// on one `SendStream`; a message not acknowledged within the duration plus `grace` counts
/// as an error.
pub async fn open_loop(
    client: Arc<Client>,
    via: &str,
    dest: &str,
    rate: u64,
    duration: Duration,
    size: usize,
) -> Result<RateResult, crate::engine::client::ClientError> {
    let samples = open_loop_samples(client, via, dest, rate, duration, size).await?;
    Ok(samples.result(rate, duration))
}

/// [`open_loop`], keeping every message's outcome.
pub async fn open_loop_samples(
    client: Arc<Client>,
    via: &str,
    dest: &str,
    rate: u64,
    duration: Duration,
    size: usize,
) -> Result<Samples, crate::engine::client::ClientError> {
    let grace = Duration::from_secs(5);
    let total = (rate as f64 * duration.as_secs_f64()).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / rate.max(1) as f64);
    let start = Instant::now() + Duration::from_millis(50);
    let due = move |i: u64| start + interval.mul_f64(i as f64);
    let stream = client.send_stream(via).await?;
    let mut replies = stream.replies;
    let collector = tokio::spawn(async move {
        let mut acked = Vec::with_capacity(total as usize);
        let mut ids = Vec::with_capacity(total as usize);
        let mut errors = 0u64;
        let deadline = start + duration + grace;
        while (acked.len() as u64 + errors) < total {
            let next = tokio::time::timeout_at(deadline, replies.message()).await;
            let Ok(Ok(Some(r))) = next else { break };
            let i = r
                .message_id
                .get(..8)
                .and_then(|b| b.try_into().ok())
                .map(u64::from_be_bytes);
            match i {
                Some(i) if r.error.is_empty() => {
                    acked.push((i, due(i).elapsed()));
                    ids.push(hex::encode(&r.message_id));
                }
                _ => errors += 1,
            }
        }
        (acked, ids, errors)
    });
    // Paced on a thread of its own: a runtime timer wakes up to 2 ms late, and that
    // lateness would count in every message's latency.
    let requests = stream.requests;
    let dest = dest.to_string();
    let pacer = tokio::task::spawn_blocking(move || {
        let mut pacer = Pacer::new();
        let data = bytes::Bytes::from(vec![b'm'; size]);
        for i in 0..total {
            pacer.wait(due(i).into_std());
            let mut id = i.to_be_bytes().to_vec();
            id.extend(rand_tail());
            let req = crate::engine::rpc::pb::SendRequest {
                destination: dest.clone(),
                data: data.clone(),
                message_id: id,
                ttl_ms: 60_000,
            };
            if requests.blocking_send(req).is_err() {
                break;
            }
        }
    });
    let _ = pacer.await;
    let (acked, acked_ids, errors) = collector.await.unwrap_or_default();
    Ok(Samples {
        start: Some(start),
        interval,
        scheduled: total,
        acked,
        acked_ids,
        errors,
    })
}

/// Makes this thread's sleeps end within microseconds of their deadline (Linux timer
/// slack is 50 us by default), for a generator that paces messages by sleeping.
fn precise_sleeps() {
    // SAFETY: PR_SET_TIMERSLACK takes an integer and touches only the calling thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// Paces a generator thread: waits until each message is due, but wakes at most every
/// [`Pacer::MIN_GAP`] (sending whatever fell due meanwhile at once), so that at high rates
/// the generator does not take the cores from the nodes it measures. The lateness it adds
/// (at most that gap) counts in the latencies.
pub struct Pacer {
    woke: std::time::Instant,
}

impl Pacer {
    pub const MIN_GAP: Duration = Duration::from_micros(250);

    pub fn new() -> Pacer {
        precise_sleeps();
        Pacer {
            woke: std::time::Instant::now(),
        }
    }

    pub fn wait(&mut self, due: std::time::Instant) {
        let until = due.max(self.woke + Self::MIN_GAP);
        let now = std::time::Instant::now();
        if due > now {
            std::thread::sleep(until - now);
            self.woke = std::time::Instant::now();
        }
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new()
    }
}

/// Eight random bytes: message ids of different runs never collide.
fn rand_tail() -> [u8; 8] {
    let mut b = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut b);
    b
}

//! One directed link as this node measures it: smoothed round trip, jitter and loss from
//! its probes, and a state with hysteresis so that a noisy or lossy link does not flap.

use std::time::Duration;

use serde::Serialize;

/// Loss above which an up link is degraded (penalised in routes, still used).
pub const LOSS_DEGRADED: f64 = 0.05;
/// Loss below which a degraded link is up again; the gap keeps it from flapping.
pub const LOSS_RECOVERED: f64 = 0.025;
/// Smoothing of the round trip (RFC 6298's alpha) and of its variation (beta).
const RTT_ALPHA: f64 = 0.125;
const RTT_BETA: f64 = 0.25;
/// Smoothing of the loss estimate: about the last 50 probes count, so one lost probe
/// moves it by 2 % (a 1.2x penalty) and does not reroute.
const LOSS_ALPHA: f64 = 0.02;
/// The smallest round trip a metric uses: below a millisecond, round trips differ by
/// scheduling noise, not by path quality, and routes would follow the noise.
const RTT_FLOOR_MS: f64 = 1.0;

/// Whether traffic may use a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkState {
    /// Answering, with little loss.
    Up,
    /// Answering, but losing more than [`LOSS_DEGRADED`] of its probes: used, at a penalty.
    Degraded,
    /// Not answering (or never answered): `suspectAfter` probes in a row were missed.
    Down,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Up => "up",
            LinkState::Degraded => "degraded",
            LinkState::Down => "down",
        }
    }

    pub fn parse(s: &str) -> Option<LinkState> {
        match s {
            "up" => Some(LinkState::Up),
            "degraded" => Some(LinkState::Degraded),
            "down" => Some(LinkState::Down),
            _ => None,
        }
    }

    /// Up or degraded: routes may cross it.
    pub fn usable(self) -> bool {
        self != LinkState::Down
    }
}

/// The route metric of one link: `cost x smoothed RTT (ms, at least 1) x loss penalty`,
/// where the loss penalty is `1 + 10 x loss` (5 % loss costs 1.5x, 30 % 4x).
pub fn metric(cost: u32, rtt: Duration, loss: f64) -> f64 {
    let rtt_ms = (rtt.as_secs_f64() * 1e3).max(RTT_FLOOR_MS);
    f64::from(cost.max(1)) * rtt_ms * (1.0 + 10.0 * loss.clamp(0.0, 1.0))
}

/// What the probes of one link have shown.
#[derive(Debug, Clone)]
pub struct LinkStats {
    suspect_after: u32,
    pub state: LinkState,
    /// Smoothed round trip; `None` until a sample counts.
    pub srtt: Option<Duration>,
    /// Smoothed variation of the round trip.
    pub jitter: Duration,
    /// Smoothed fraction of probes lost, 0..=1.
    pub loss: f64,
    pub sent: u64,
    pub answered: u64,
    misses_in_row: u32,
    answers_in_row: u32,
}

impl LinkStats {
    /// A link not heard from yet: down until `suspect_after` probes in a row are answered.
    pub fn new(suspect_after: u32) -> LinkStats {
        LinkStats {
            suspect_after: suspect_after.max(1),
            state: LinkState::Down,
            srtt: None,
            jitter: Duration::ZERO,
            loss: 0.0,
            sent: 0,
            answered: 0,
            misses_in_row: 0,
            answers_in_row: 0,
        }
    }

    /// A probe was answered after `rtt`. The first answer on a fresh connection includes its
    /// handshake, so pass `sample: false` for it: it counts as an answer, not as a round trip.
    /// Returns true if the state changed.
    pub fn answered(&mut self, rtt: Duration, sample: bool) -> bool {
        self.sent += 1;
        self.answered += 1;
        self.misses_in_row = 0;
        self.answers_in_row = self.answers_in_row.saturating_add(1);
        self.loss *= 1.0 - LOSS_ALPHA;
        if sample {
            let r = rtt.as_secs_f64();
            match self.srtt {
                None => {
                    self.srtt = Some(rtt);
                    self.jitter = rtt / 2;
                }
                Some(s) => {
                    let s = s.as_secs_f64();
                    let j = self.jitter.as_secs_f64();
                    self.jitter =
                        Duration::from_secs_f64((1.0 - RTT_BETA) * j + RTT_BETA * (s - r).abs());
                    self.srtt = Some(Duration::from_secs_f64(
                        (1.0 - RTT_ALPHA) * s + RTT_ALPHA * r,
                    ));
                }
            }
        }
        self.settle()
    }

    /// A probe went unanswered within the probe interval. Returns true if the state changed.
    pub fn missed(&mut self) -> bool {
        self.sent += 1;
        self.answers_in_row = 0;
        self.misses_in_row = self.misses_in_row.saturating_add(1);
        self.loss = self.loss * (1.0 - LOSS_ALPHA) + LOSS_ALPHA;
        self.settle()
    }

    fn settle(&mut self) -> bool {
        let before = self.state;
        self.state = match self.state {
            _ if self.misses_in_row >= self.suspect_after => LinkState::Down,
            // Probes missed while the link was down measured the outage, not the link's
            // loss: it comes back with a clean slate.
            LinkState::Down if self.answers_in_row >= self.suspect_after => {
                self.loss = 0.0;
                self.quality()
            }
            LinkState::Down => LinkState::Down,
            LinkState::Up if self.loss > LOSS_DEGRADED => LinkState::Degraded,
            LinkState::Degraded if self.loss < LOSS_RECOVERED => LinkState::Up,
            s => s,
        };
        self.state != before
    }

    fn quality(&self) -> LinkState {
        if self.loss > LOSS_DEGRADED {
            LinkState::Degraded
        } else {
            LinkState::Up
        }
    }

    /// The route metric over this link with `cost`, or `None` while it is down.
    pub fn metric(&self, cost: u32) -> Option<f64> {
        self.state
            .usable()
            .then(|| metric(cost, self.srtt.unwrap_or_default(), self.loss))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_link_is_up_only_after_enough_answers_and_down_only_after_enough_misses() {
        let mut l = LinkStats::new(3);
        assert_eq!(l.state, LinkState::Down);
        assert!(!l.answered(MS, false));
        assert!(!l.answered(MS, true));
        assert!(l.answered(MS, true), "third answer in a row brings it up");
        assert_eq!(l.state, LinkState::Up);
        // Two misses, then an answer: still up (the count restarts).
        l.missed();
        l.missed();
        l.answered(MS, true);
        assert_ne!(l.state, LinkState::Down);
        l.missed();
        l.missed();
        assert!(l.missed(), "third miss in a row takes it down");
        assert_eq!(l.state, LinkState::Down);
        assert_eq!(l.metric(1), None);
        // A long outage is down time, not loss: the link comes back up, not degraded.
        for _ in 0..50 {
            l.missed();
        }
        for _ in 0..3 {
            l.answered(MS, true);
        }
        assert_eq!(l.state, LinkState::Up);
        assert_eq!(l.loss, 0.0);
    }

    #[test]
    fn a_lossy_link_is_degraded_not_down_and_does_not_flap() {
        let mut l = LinkStats::new(3);
        for _ in 0..3 {
            l.answered(MS, true);
        }
        // 30 % loss, spread out: never three misses in a row.
        let mut states = Vec::new();
        for i in 0..400 {
            if matches!(i % 10, 0 | 2 | 4) {
                l.missed();
            } else {
                l.answered(MS, true);
            }
            states.push(l.state);
        }
        assert!(states.iter().all(|s| *s != LinkState::Down));
        let tail = &states[100..];
        assert!(
            tail.iter().all(|s| *s == LinkState::Degraded),
            "stays degraded"
        );
        let up = l.metric(1).unwrap();
        assert!(up > metric(1, MS, 0.0) * 2.0, "loss is penalised: {up}");
        // Loss clears: back to up, once.
        let mut changes = 0;
        for _ in 0..200 {
            changes += usize::from(l.answered(MS, true));
        }
        assert_eq!((l.state, changes), (LinkState::Up, 1));
    }

    #[test]
    fn round_trip_and_jitter_are_smoothed() {
        let mut l = LinkStats::new(1);
        l.answered(Duration::from_millis(50), false);
        assert_eq!(l.srtt, None, "a handshake round trip is not a sample");
        l.answered(Duration::from_millis(10), true);
        for _ in 0..100 {
            l.answered(Duration::from_millis(10), true);
        }
        l.answered(Duration::from_millis(90), true);
        let s = l.srtt.unwrap().as_secs_f64() * 1e3;
        assert!(
            (19.0..21.0).contains(&s),
            "one outlier moves srtt by 1/8: {s}"
        );
        assert!(l.jitter > Duration::from_millis(15));
    }

    #[test]
    fn metric_is_cost_times_rtt_times_loss_penalty() {
        assert_eq!(metric(10, Duration::from_millis(2), 0.0), 20.0);
        assert_eq!(metric(1, Duration::from_millis(2), 0.1), 4.0);
        assert_eq!(metric(0, Duration::ZERO, 0.0), RTT_FLOOR_MS, "floors");
    }
}

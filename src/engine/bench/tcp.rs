//! The open-loop generator of `x0t bench mesh` over a plain TCP connection, and the sink
//! that answers it: for driving another overlay (a Nebula relay hop, say) with the same
//! load and the same latency accounting as the data plane.
//!
//! On the wire, each message is `[id u64][length u32][data]` (big endian) and the sink
//! answers each with its `id` once it has read the whole message. The sink stores
//! nothing.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use super::mesh::{Pacer, Samples};

/// A message larger than this is refused by the sink.
const MAX_MESSAGE: u32 = 16 << 20;

/// Answers every connection on `listener` until the task is dropped.
pub async fn sink(listener: TcpListener) -> std::io::Result<()> {
    loop {
        let (conn, _) = listener.accept().await?;
        tokio::spawn(async move {
            if let Err(e) = answer(conn).await {
                tracing::debug!("bench sink: connection ended: {e}");
            }
        });
    }
}

async fn answer(conn: TcpStream) -> std::io::Result<()> {
    conn.set_nodelay(true)?;
    let (r, w) = conn.into_split();
    let mut r = BufReader::with_capacity(256 * 1024, r);
    let mut w = BufWriter::new(w);
    let mut data = Vec::new();
    loop {
        let id = match r.read_u64().await {
            Ok(id) => id,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        let len = r.read_u32().await?;
        if len > MAX_MESSAGE {
            return Err(std::io::Error::other(format!(
                "a message of {len} bytes is over {MAX_MESSAGE}"
            )));
        }
        data.resize(len as usize, 0);
        r.read_exact(&mut data).await?;
        w.write_u64(id).await?;
        // Answer at once unless more is already waiting: acknowledgements go out in
        // batches under load, one by one when idle.
        if r.buffer().is_empty() {
            w.flush().await?;
        }
    }
}

/// Offers `rate` messages per second of `size` bytes to the sink at `addr` for
/// `duration`, open loop on one connection; each latency runs from the message's due time
/// to its acknowledgement. A message unanswered 5 s after the end counts as an error.
/// Blocking: a thread paces the messages (see [`Pacer`]), another reads answers.
pub fn open_loop(
    addr: &str,
    rate: u64,
    duration: Duration,
    size: usize,
) -> std::io::Result<Samples> {
    use std::io::{BufReader, BufWriter, Read, Write};
    let conn = std::net::TcpStream::connect(addr)?;
    conn.set_nodelay(true)?;
    let reader = conn.try_clone()?;
    let total = (rate as f64 * duration.as_secs_f64()).round() as u64;
    let interval = Duration::from_secs_f64(1.0 / rate.max(1) as f64);
    let start = std::time::Instant::now() + Duration::from_millis(50);
    let due = move |i: u64| start + interval.mul_f64(i as f64);
    let deadline = start + duration + Duration::from_secs(5);
    // One timeout for the whole run (not a system call per answer): a silent sink ends the
    // collection at the deadline, a slow one at the first answer after it.
    reader.set_read_timeout(Some(deadline - std::time::Instant::now()))?;
    let collector = std::thread::spawn(move || {
        let mut acked = Vec::with_capacity(total as usize);
        let mut r = BufReader::new(reader);
        let mut id = [0u8; 8];
        while (acked.len() as u64) < total && std::time::Instant::now() < deadline {
            if r.read_exact(&mut id).is_err() {
                break;
            }
            let i = u64::from_be_bytes(id);
            acked.push((i, due(i).elapsed()));
        }
        acked
    });
    let mut pacer = Pacer::new();
    let mut w = BufWriter::with_capacity(256 * 1024, &conn);
    let mut frame = Vec::with_capacity(12 + size);
    for i in 0..total {
        pacer.wait(due(i));
        frame.clear();
        frame.extend_from_slice(&i.to_be_bytes());
        frame.extend_from_slice(&(size as u32).to_be_bytes());
        frame.resize(12 + size, b'm');
        w.write_all(&frame)?;
        // Whatever became due while sleeping goes out in one write.
        if due(i + 1) > std::time::Instant::now() {
            w.flush()?;
        }
    }
    w.flush()?;
    drop(w);
    let acked = collector.join().unwrap_or_default();
    Ok(Samples {
        start: Some(Instant::from_std(start)),
        interval,
        scheduled: total,
        errors: total - acked.len() as u64,
        acked_ids: Vec::new(),
        acked,
    })
}

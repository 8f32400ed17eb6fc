//! Writes 256-byte values into etcd from N concurrent clients for a fixed time and prints
//! writes/s and p50/p99 latency, in the same shape as `x0t bench raft`.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("fill") {
        return fill(&args[2..]).await;
    }
    let endpoints: Vec<String> = args.get(1).ok_or("usage: etcd-load ENDPOINTS CLIENTS,.. SECONDS")?.split(',').map(String::from).collect();
    let levels: Vec<usize> = args.get(2).ok_or("clients")?.split(',').map(|c| c.parse().unwrap()).collect();
    let seconds: u64 = args.get(3).ok_or("seconds")?.parse()?;
    println!("{:>8} {:>10} {:>10} {:>9} {:>9} {:>9} {:>7}", "CLIENTS", "WRITES", "WRITES/S", "P50 ms", "P99 ms", "MAX ms", "ERRORS");
    for clients in levels {
        // One connection per client, as etcdctl's benchmark does with many clients.
        let mut conns = Vec::new();
        for _ in 0..clients.min(64) {
            conns.push(etcd_client::Client::connect(&endpoints, None).await?);
        }
        let start = Instant::now();
        let deadline = start + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..clients)
            .map(|c| {
                let mut kv = conns[c % conns.len()].kv_client();
                tokio::spawn(async move {
                    let value = vec![b'x'; 256];
                    let (mut lat, mut errors, mut i) = (Vec::new(), 0u64, 0u64);
                    while Instant::now() < deadline {
                        let t = Instant::now();
                        match kv.put(format!("bench/{c}/{i}"), value.clone(), None).await {
                            Ok(_) => lat.push(t.elapsed()),
                            Err(_) => errors += 1,
                        }
                        i += 1;
                    }
                    (lat, errors)
                })
            })
            .collect();
        let (mut all, mut errors) = (Vec::new(), 0);
        for t in tasks {
            let (l, e) = t.await?;
            all.extend(l);
            errors += e;
        }
        let elapsed = start.elapsed().as_secs_f64();
        all.sort();
        let pct = |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len() - 1)).unwrap().as_secs_f64() * 1000.0;
        println!(
            "{:>8} {:>10} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>7}",
            clients,
            all.len(),
            all.len() as f64 / elapsed,
            pct(0.5),
            pct(0.99),
            all.last().unwrap().as_secs_f64() * 1000.0,
            errors
        );
    }
    Ok(())
}

/// `etcd-load fill ENDPOINTS KEYS VALUE_SIZE`: writes KEYS keys fill/000000… from 64 writers.
async fn fill(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let endpoints: Vec<String> = args.first().ok_or("endpoints")?.split(',').map(String::from).collect();
    let keys: u64 = args.get(1).ok_or("keys")?.parse()?;
    let size: usize = args.get(2).ok_or("value size")?.parse()?;
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let mut kv = etcd_client::Client::connect(&endpoints, None).await?.kv_client();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let value = vec![b'v'; size];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= keys {
                    return;
                }
                while kv.put(format!("fill/{i:06}"), value.clone(), None).await.is_err() {}
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let s = start.elapsed().as_secs_f64();
    println!("wrote {keys} keys of {size} bytes in {s:.1} s ({:.0} writes/s)", keys as f64 / s);
    Ok(())
}

//! Builds a synthetic store for load tests: `fill_synthetic` (see dyad-store) into a new file.
//!
//! ```text
//! cargo run --release -p dyad-serve --example make_store -- PATH [EVENTS=1000000] [SEED=42]
//! ```
//! Then print one dyad and one actor to aim a load test at (the busiest ones).

use dyad_store::Store;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: make_store PATH [EVENTS] [SEED]");
        std::process::exit(2);
    };
    let events: usize = args.get(2).map_or(Ok(1_000_000), |s| s.parse())?;
    let seed: u64 = args.get(3).map_or(Ok(42), |s| s.parse())?;
    let mut store = Store::open(path)?;
    if store.documents_count()? == 0 {
        let t = Instant::now();
        store.fill_synthetic(events, seed)?;
        eprintln!("make_store: {events} events in {:.1} s", t.elapsed().as_secs_f64());
    }
    let stats = store.stats()?;
    eprintln!(
        "make_store: {} documents, {} events, {:.0} MB",
        stats.documents,
        stats.events,
        stats.size_bytes as f64 / 1e6
    );
    let top = store.top_dyads(None, None, 1)?;
    if let Some(d) = top.first() {
        println!("{} {}", d.source, d.target);
    }
    Ok(())
}

//! Ingests a synthetic corpus into a store, batch by batch — the child process of the crash test.
//!
//! ```text
//! cargo run -p dyad-store --example ingest_many -- STORE.db [DOCS=20000] [BATCH=50] [SEED=7]
//! ```
//! Prints `committed N` after each batch (N = documents handled so far).

use dyad_store::{synth::Synth, Store};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: ingest_many STORE.db [DOCS] [BATCH] [SEED]")?;
    let docs: usize = args.get(2).map_or(Ok(20_000), |s| s.parse())?;
    let batch: usize = args.get(3).map_or(Ok(50), |s| s.parse())?;
    let seed: u64 = args.get(4).map_or(Ok(7), |s| s.parse())?;
    let synth = Synth::new(seed, docs);
    let mut store = Store::open(path)?;
    let mut out = std::io::stdout().lock();
    let mut start = 0;
    while start < docs {
        let end = (start + batch).min(docs);
        store.ingest(&synth.batch(start, end))?;
        writeln!(out, "committed {end}")?;
        out.flush()?;
        start = end;
    }
    Ok(())
}

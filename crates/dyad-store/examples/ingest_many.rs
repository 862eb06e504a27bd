//! Ingests a synthetic corpus into a store, batch by batch — the child process of the crash test.
//!
//! ```text
//! cargo run -p dyad-store --example ingest_many -- STORE.db [DOCS=20000] [BATCH=50] [SEED=7] [MODE=batches]
//! ```
//! Prints `committed N` after each batch (N = documents handled so far). MODE `bulk` writes as
//! `dyad ingest` does a bulk load: query indexes dropped first, batches as chunks of one
//! `Store::ingest_stream` (one transaction each), indexes built again at the end; it prints
//! `stored N` as each chunk is written (the commit follows).

use dyad_store::{synth::Synth, Coded, Store, TxLimits};
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: ingest_many STORE.db [DOCS] [BATCH] [SEED]")?;
    let docs: usize = args.get(2).map_or(Ok(20_000), |s| s.parse())?;
    let batch: usize = args.get(3).map_or(Ok(50), |s| s.parse())?;
    let seed: u64 = args.get(4).map_or(Ok(7), |s| s.parse())?;
    let bulk = args.get(5).is_some_and(|m| m == "bulk");
    let synth = Synth::new(seed, docs);
    let mut store = Store::open(path)?;
    let mut out = std::io::stdout().lock();
    if bulk {
        store.defer_query_indexes()?;
        let chunks = (0..docs).step_by(batch.max(1)).map(|start| {
            let coded: Vec<Coded> = synth
                .batch(start, (start + batch).min(docs))
                .into_iter()
                .map(|(doc, events)| Coded { doc, events, sentences: None, hash: None })
                .collect();
            coded
        });
        let limits = TxLimits { documents: batch, text_bytes: usize::MAX };
        store.ingest_stream(chunks, limits, |s| {
            let _ = writeln!(out, "stored {}", s.documents + s.unchanged);
            let _ = out.flush();
        })?;
        store.ensure_indexes()?;
        return Ok(());
    }
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

//! Times the store's writer alone: documents already coded are written into a fresh store with
//! `Store::ingest_stream` (chunks of 512 documents, the default transaction limits), as
//! `dyad ingest` writes them into a new store (query indexes deferred to the end, and built
//! within the time), without the coder running beside it.
//!
//! ```text
//! cargo run --release -p dyad-store --example write_bench -- DIR synth [DOCS=20000] [RUNS=5]
//! cargo run --release -p dyad-store --example write_bench -- DIR jsonl DOCS.jsonl EVENTS.jsonl [RUNS=5]
//! ```
//! `synth` generates documents and events (`dyad_store::synth`); `jsonl` reads documents as
//! `dyad ingest` does (`{"id", "text", "date"...}` per line) and their events as `dyad code`
//! prints them. Sentence spans and content hashes are computed before timing, as `dyad ingest`
//! hands them over.
//! Prints each run's wall time and the fastest, in µs per document and per event.

use dyad_core::{Document, Event};
use dyad_store::{sentence_spans, synth::Synth, Coded, Store, TxLimits};
use std::collections::HashMap;
use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: write_bench DIR synth [DOCS] [RUNS] | DIR jsonl DOCS.jsonl EVENTS.jsonl [RUNS]";
    let dir = std::path::PathBuf::from(args.get(1).ok_or(usage)?);
    let (docs, runs): (Vec<(Document, Vec<Event>)>, usize) = match args.get(2).map(String::as_str) {
        Some("synth") => {
            let n: usize = args.get(3).map_or(Ok(20_000), |s| s.parse())?;
            (Synth::new(7, n).batch(0, n), args.get(4).map_or(Ok(5), |s| s.parse())?)
        }
        Some("jsonl") => {
            let docs_path = args.get(3).ok_or(usage)?;
            let events_path = args.get(4).ok_or(usage)?;
            let mut by_doc: HashMap<String, Vec<Event>> = HashMap::new();
            for line in std::io::BufReader::new(std::fs::File::open(events_path)?).lines() {
                let ev: Event = serde_json::from_str(&line?)?;
                by_doc.entry(ev.doc_id.clone()).or_default().push(ev);
            }
            let mut docs = Vec::new();
            for line in std::io::BufReader::new(std::fs::File::open(docs_path)?).lines() {
                let v: serde_json::Value = serde_json::from_str(&line?)?;
                let doc = Document {
                    id: v["id"].as_str().ok_or("a document without an id")?.to_string(),
                    text: v["text"].as_str().ok_or("a document without a text")?.to_string(),
                    date: v["date"].as_str().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                    ..Document::default()
                };
                let events = by_doc.remove(&doc.id).unwrap_or_default();
                docs.push((doc, events));
            }
            (docs, args.get(5).map_or(Ok(5), |s| s.parse())?)
        }
        _ => return Err(usage.into()),
    };
    let coded: Vec<Coded> = docs
        .into_iter()
        .map(|(doc, events)| {
            let spans = sentence_spans(&doc.text);
            let hash = Some(Store::content_hash(&doc.text));
            Coded { doc, events, sentences: Some(spans), hash }
        })
        .collect();
    let n_events: usize = coded.iter().map(|c| c.events.len()).sum();
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("write_bench.db");
    let mut best = f64::MAX;
    for run in 0..runs {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let chunks: Vec<Vec<Coded>> = coded.chunks(512).map(<[Coded]>::to_vec).collect();
        let t = Instant::now();
        let mut store = Store::open(&db)?;
        store.defer_query_indexes()?;
        let stats = store.ingest_stream(chunks, TxLimits::default(), |_| {})?;
        store.ensure_indexes()?;
        drop(store);
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!("run {run}: {s:.3} s ({} documents, {} events stored)", stats.documents, stats.events);
    }
    println!(
        "best of {runs}: {best:.3} s, {:.1} µs/document, {:.1} µs/event ({} documents, {n_events} events)",
        best * 1e6 / coded.len() as f64,
        best * 1e6 / n_events.max(1) as f64,
        coded.len()
    );
    Ok(())
}

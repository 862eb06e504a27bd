//! What place finding costs the coder: codes a corpus (the repository's corpus and seeds, repeated
//! to about `MB` megabytes, default 5) on one thread, then times `find_in_sentence` alone on every
//! sentence that carries an event — the work the coder adds for locations.
//!
//! `cargo run --release -p dyad-places --example overhead -- [MB]`
use std::time::{Duration, Instant};

fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut texts: Vec<String> = Vec::new();
    if let Ok(s) = std::fs::read_to_string(root.join("corpus/south-caucasus.jsonl")) {
        for line in s.lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                    texts.push(t.to_string());
                }
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(root.join("../shared/seeds")) {
        for e in rd.flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                texts.push(t);
            }
        }
    }
    assert!(!texts.is_empty(), "no texts found");
    let t = Instant::now();
    let g = dyad_places::Gazetteer::builtin();
    println!(
        "gazetteer: {} places, {} keys, {:.1} MB index, first load {:?}",
        g.len(),
        g.key_count(),
        g.size_bytes() as f64 / 1e6,
        t.elapsed()
    );
    let coder = dyad_coder::Coder::builtin();
    let (mut bytes, mut i) = (0usize, 0usize);
    let mut docs = Vec::new();
    while bytes < mb << 20 {
        let text = texts[i % texts.len()].clone();
        bytes += text.len();
        docs.push(dyad_core::Document { id: format!("d{i}"), text, ..Default::default() });
        i += 1;
    }
    let t = Instant::now();
    let mut events = Vec::new();
    for d in &docs {
        events.extend(coder.code(d).into_iter().map(|e| (e.doc_id.clone(), e.sentence_index)));
    }
    let code_time = t.elapsed();
    // the place finding of the coder, alone: sentences with events, tokens ready
    let mut place_time = Duration::ZERO;
    let mut sentences = 0usize;
    let mut found = 0usize;
    let ctx = dyad_places::DocContext::new();
    let with_events: std::collections::HashSet<(String, usize)> = events.iter().cloned().collect();
    for d in &docs {
        let a = dyad_text::analyze(&d.text);
        for (si, s) in a.sentences.iter().enumerate() {
            if !with_events.contains(&(d.id.clone(), si)) {
                continue;
            }
            let toks = &a.tokens[s.tokens.clone()];
            let t = Instant::now();
            found += dyad_places::find_in_sentence(g, &d.text, toks, &ctx, &[], &[]).len();
            place_time += t.elapsed();
            sentences += 1;
        }
    }
    let mbs = bytes as f64 / 1e6 / code_time.as_secs_f64();
    println!(
        "coder (places included): {:.1} MB in {:.2?} = {mbs:.2} MB/s, {} events; place finding alone: {sentences} sentences, {found} names, {:.2?} = {:.1}% of the coder's time",
        bytes as f64 / 1e6,
        code_time,
        events.len(),
        place_time,
        100.0 * place_time.as_secs_f64() / code_time.as_secs_f64()
    );
}

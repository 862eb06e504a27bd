//! `dyad bench`: throughput and memory of the whole path from bytes on disk to JSONL.
//!
//! The benchmark writes a corpus of the requested size to a temporary JSON Lines file, built by
//! repeating the texts it is given (by default the project's example corpus, its test sentences
//! and, when present, `../shared/seeds`), then runs the real pipeline over it — streaming input,
//! coding, JSONL printing to a sink — once on one thread and once on all threads, and reports
//! MB/s, sentences/s, and the process's peak resident memory.

use crate::{code_stream, load_dictionaries};
use anyhow::{bail, Context, Result};
use clap::Args;
use dyad_coder::Coder;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub struct BenchArgs {
    /// Corpus size in megabytes.
    #[arg(long, default_value_t = 100)]
    mb: usize,
    /// Texts to build the corpus from (files/folders/JSONL). Default: corpus/, testdata/sentences/
    /// and ../shared/seeds when they exist.
    #[arg(long = "from")]
    from: Vec<PathBuf>,
    /// Where to write the generated corpus (default: a temporary file, removed afterwards).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Thread counts to measure, comma-separated (default: 1 and all cores).
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// Also measure `dyad ingest` on one thread: code the corpus into a temporary store and
    /// compare with coding alone. Each generated document then ends with a unique line, so that
    /// no document is skipped as already stored.
    #[arg(long)]
    store: bool,
}

/// CPU seconds (user + system) this process has used so far, from /proc/self/stat.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(a: BenchArgs) -> Result<ExitCode> {
    let from = if a.from.is_empty() {
        ["corpus", "testdata/sentences", "../shared/seeds"].iter().map(PathBuf::from).filter(|p| p.exists()).collect()
    } else {
        a.from.clone()
    };
    let mut texts: Vec<String> = Vec::new();
    for item in dyad_ingest::read_inputs(&from, &dyad_ingest::InputOptions::default()) {
        if let dyad_ingest::Item::Doc(d) = item {
            texts.push(d.text);
        }
    }
    if texts.is_empty() {
        bail!("no texts to build a corpus from (looked in {from:?})");
    }
    let path = a
        .corpus
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("dyad-bench-{}.jsonl", std::process::id())));
    let target = a.mb << 20;
    let mut written = 0usize;
    let mut text_bytes = 0usize;
    {
        let mut w =
            BufWriter::new(std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?);
        let mut i = 0usize;
        while text_bytes < target {
            let t = &texts[i % texts.len()];
            let unique;
            let t = if a.store {
                unique = format!("{t}\n\nReport {i}.");
                &unique
            } else {
                t
            };
            let line = serde_json::json!({"id": format!("bench-{i}"), "date": "2024-05-01", "text": t}).to_string();
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
            written += line.len() + 1;
            text_bytes += t.len();
            i += 1;
        }
        w.flush()?;
    }
    let sentences: usize = {
        // sentences per byte of text, from one pass over the distinct texts
        let per: usize = texts.iter().map(|t| dyad_text_sentences(t)).sum();
        let bytes: usize = texts.iter().map(|t| t.len()).sum();
        (per as f64 * text_bytes as f64 / bytes as f64) as usize
    };
    let t0 = Instant::now();
    let coder = Coder::from_dictionaries(load_dictionaries(&[])?);
    let load = t0.elapsed();
    println!(
        "corpus: {} ({:.1} MB of text, {:.1} MB on disk, ~{} sentences)",
        path.display(),
        text_bytes as f64 / 1e6,
        written as f64 / 1e6,
        sentences
    );
    println!("dictionary load: {:.1} ms", load.as_secs_f64() * 1e3);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let threads = if a.threads.is_empty() {
        if cores > 1 {
            vec![1, cores]
        } else {
            vec![1]
        }
    } else {
        a.threads.clone()
    };
    println!("threads\tseconds\tMB/s\tMB/s/core\tMB/cpu-s\tsentences/s\tsentences/s/core\tdocs\tevents");
    let mut one_thread_mbs = None;
    for n in threads {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
        let t = Instant::now();
        let cpu0 = cpu_seconds();
        let c = pool.install(|| {
            let p = path.clone();
            let items =
                move || dyad_ingest::read_inputs(std::slice::from_ref(&p), &dyad_ingest::InputOptions::default());
            code_stream(&coder, items, dyad_printer::Format::Jsonl, &mut std::io::sink())
        })?;
        let (docs, events) = (c.docs, c.events);
        let s = t.elapsed().as_secs_f64();
        let mbs = text_bytes as f64 / 1e6 / s;
        if n == 1 {
            one_thread_mbs = Some(mbs);
        }
        println!(
            "{n}\t{s:.2}\t{mbs:.2}\t{:.2}\t{:.2}\t{:.0}\t{:.0}\t{docs}\t{events}",
            mbs / n as f64,
            match (cpu0, cpu_seconds()) {
                (Some(a), Some(b)) if b > a => text_bytes as f64 / 1e6 / (b - a),
                _ => f64::NAN,
            },
            sentences as f64 / s,
            sentences as f64 / s / n as f64
        );
    }
    if a.store {
        bench_ingest(&coder, &path, text_bytes, one_thread_mbs)?;
    }
    if let Some(mb) = peak_rss_mb() {
        println!("peak RSS: {mb:.1} MB");
    }
    if a.corpus.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    Ok(ExitCode::SUCCESS)
}

/// `dyad ingest` on one thread: the corpus coded in chunks of 512 documents and stored with
/// `dyad ingest`'s default transaction limits (its query indexes kept) into a fresh store in
/// the temporary folder, which is removed afterwards.
fn bench_ingest(coder: &Coder, corpus: &std::path::Path, text_bytes: usize, coding_mbs: Option<f64>) -> Result<()> {
    let db = std::env::temp_dir().join(format!("dyad-bench-{}.db", std::process::id()));
    let remove = |db: &std::path::Path| {
        for ext in ["", "-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(ext);
            let _ = std::fs::remove_file(p);
        }
    };
    remove(&db);
    let mut store = dyad_store::Store::open(&db).with_context(|| format!("cannot create {}", db.display()))?;
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let (mut docs, mut events) = (0usize, 0usize);
    pool.install(|| -> Result<()> {
        // as `dyad ingest` does, on one thread: chunks of documents read, coded (the hash checks
        // skipped, the store being empty) and stored, several chunks per transaction
        let readers = store.has_documents()?.then(|| crate::store_cmds::Readers::new(&db));
        let mut docs_in = dyad_ingest::read_inputs(&[corpus.to_path_buf()], &dyad_ingest::InputOptions::default())
            .filter_map(|item| match item {
                dyad_ingest::Item::Doc(d) => Some(d),
                _ => None,
            })
            .peekable();
        let mut failed = None;
        let chunks = std::iter::from_fn(|| {
            docs_in.peek()?;
            let chunk: Vec<dyad_core::Document> = docs_in.by_ref().take(crate::store_cmds::CHUNK_DOCS).collect();
            crate::store_cmds::code_chunk(coder, chunk, readers.as_ref()).map_err(|e| failed = Some(e)).ok()
        });
        let st = store.ingest_stream(chunks, dyad_store::TxLimits::default(), |_| {})?;
        if let Some(e) = failed {
            return Err(e);
        }
        docs = st.documents;
        events = st.events;
        Ok(())
    })?;
    let s = t.elapsed().as_secs_f64();
    let cpu1 = cpu_seconds();
    let mbs = text_bytes as f64 / 1e6 / s;
    // Closing the store checkpoints its WAL into the file, whose size is then the store's.
    drop(store);
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "ingest (1 thread): {s:.2} s, {mbs:.2} MB/s, {:.2} MB/cpu-s, {docs} docs, {events} events, {:.0} docs/s, {:.0} events/s, store {size:.1} MB",
        match (cpu0, cpu1) {
            (Some(a), Some(b)) if b > a => text_bytes as f64 / 1e6 / (b - a),
            _ => f64::NAN,
        },
        docs as f64 / s,
        events as f64 / s,
    );
    if let Some(c) = coding_mbs {
        println!("ingest / coding alone (1 thread): {:.0} %", 100.0 * mbs / c);
    }
    remove(&db);
    Ok(())
}

fn dyad_text_sentences(t: &str) -> usize {
    dyad_coder::dyad_text_sentence_count(t)
}

//! The store commands: `ingest`, `recode`, `events`, `series`, `network`, `search`, `sql`,
//! `export`. They open a `dyad-store` database, run one operation, and print a readable table
//! (or `--json` / `--csv`).

use crate::{load_dictionaries, InputArgs};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dyad_coder::Coder;
use dyad_core::Document;
use dyad_ingest::Item;
use dyad_store::{Coded, EventQuery, Period, Store};
use rayon::prelude::*;
use serde_json::Value;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Clone)]
pub struct DbArg {
    /// The store (a SQLite file; created by `dyad ingest`).
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
}

#[derive(Args, Clone)]
pub struct OutputArgs {
    /// Print JSON instead of a table.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV instead of a table.
    #[arg(long)]
    pub csv: bool,
}

/// A transaction ends after this much text, whatever `--batch` says, so memory stays bounded.
const BATCH_BYTES: usize = 16 << 20;
/// Documents (or bytes of text) per chunk handed from the coding thread to the writer: small,
/// so that coding the next chunk overlaps writing this one.
pub(crate) const CHUNK_DOCS: usize = 512;
const CHUNK_BYTES: usize = 1 << 20;
/// Bytes of input per stored event, roughly (news items of a few hundred bytes carry about one
/// event each): how `--defer-indexes auto` guesses the size of a run before reading it.
const BYTES_PER_EVENT: u64 = 200;

#[derive(Args)]
pub struct IngestArgs {
    /// Files, folders, JSONL files, or `-` for standard input.
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// Dictionaries (see `dyad code --help`).
    #[arg(long = "dictionaries", value_name = "SPEC")]
    pub dictionaries: Vec<String>,
    /// Documents per transaction (a transaction also ends after 16 MB of text). Documents
    /// reach the writer in chunks of up to 512, coded while the previous chunk is written; a
    /// transaction spans several chunks because each commit writes every index page the
    /// transaction touched (BENCHMARKS.md). A killed run loses at most its open transaction,
    /// which the next run stores again.
    #[arg(long, default_value_t = 16 * 1024)]
    pub batch: usize,
    /// Drop the indexes only queries use while ingesting and build them again at the end (one
    /// sorted pass each instead of an update per row). `auto`: when the inputs' size suggests
    /// the run at least doubles the store (~200 bytes of input per stored event). Queries work meanwhile, only slower; a run killed
    /// before the rebuild leaves the store to be repaired by the next writer that opens it.
    #[arg(long, value_enum, default_value_t = DeferIndexes::Auto)]
    pub defer_indexes: DeferIndexes,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// `dyad ingest --defer-indexes`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeferIndexes {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
pub struct RecodeArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long = "dictionaries", value_name = "SPEC")]
    pub dictionaries: Vec<String>,
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Events where this actor (ISO3 country or org id) is source or target.
    #[arg(long)]
    pub actor: Option<String>,
    /// Events between two actors, either direction: `--dyad AZE,IRN` (or `--dyad AZE IRN`).
    #[arg(long, value_delimiter = ',', num_args = 1..=2)]
    pub dyad: Vec<String>,
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub org: Option<String>,
    /// CAMEO roots, comma-separated: `--root 04,05`.
    #[arg(long, value_delimiter = ',')]
    pub root: Vec<String>,
    /// CAMEO code or prefix: `--code 057`.
    #[arg(long)]
    pub code: Option<String>,
    /// PLOVER event type: `--plover AGREE`.
    #[arg(long)]
    pub plover: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Only events whose sentence matches this full-text query.
    #[arg(long)]
    pub text: Option<String>,
    /// One row per cluster (real-world event) instead of one per mention.
    #[arg(long)]
    pub clusters: bool,
    /// Include negated and hypothetical events.
    #[arg(long)]
    pub all: bool,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum By {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Args)]
pub struct SeriesArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// First actor (ISO3 country or org id).
    pub a: String,
    /// Second actor.
    pub b: String,
    #[arg(long, value_enum, default_value = "month")]
    pub by: By,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NetFormat {
    Table,
    Json,
    Graphml,
    Gexf,
}

#[derive(Args)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long)]
    pub until: Option<String>,
    /// Leave out edges with fewer events.
    #[arg(long, default_value_t = 1)]
    pub min_events: i64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: NetFormat,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Words to find in sentences.
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Args)]
pub struct SqlArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// A read-only SQL query.
    pub query: String,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Gdelt,
    Mentions,
    Plover,
    Parquet,
    Csv,
    Graphml,
    Gexf,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (required for parquet; standard output otherwise).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long)]
    pub until: Option<String>,
}

fn progress(quiet: bool, len: Option<u64>, what: &str) -> indicatif::ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = match len {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let style = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {what} {{pos}} docs [{{elapsed_precise}}] {{per_sec}} {{msg}}"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    pb.set_style(style);
    pb
}

pub fn ingest(a: IngestArgs) -> Result<ExitCode> {
    if a.inputs.is_empty() {
        bail!("no inputs: give files, folders, JSONL files or `-` (see dyad ingest --help)");
    }
    let mut store = Store::open(&a.db.db).with_context(|| format!("cannot open the store {}", a.db.db.display()))?;
    let mut opts = a.input.options()?;
    // The store's own files are never read as documents, even when the folder being ingested holds them.
    opts.exclude = ["", "-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|ext| {
            let mut p = a.db.db.clone().into_os_string();
            p.push(ext);
            std::fs::canonicalize(p).ok()
        })
        .collect();
    let pb = progress(a.quiet, None, "ingest");
    let started = std::time::Instant::now();
    let limits = dyad_store::TxLimits { documents: a.batch.max(1), text_bytes: BATCH_BYTES };
    let chunk_docs = limits.documents.min(CHUNK_DOCS);
    // Three stages joined by short queues, so that each overlaps the others:
    // 1. a reading thread walks the inputs and parses them into chunks of documents (it starts
    //    before the dictionaries load, which it overlaps);
    // 2. a coding thread hashes each chunk's documents, drops those whose text is already
    //    stored and codes the rest, on all cores;
    // 3. this thread writes the coded chunks, several per transaction (`Store::ingest_stream`).
    // The store checks hashes again inside its transaction, so a document repeated across
    // chunks in flight is still stored once.
    let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Document>)>(2);
    let reading = spawn_reader(a.inputs.clone(), opts, chunk_docs, pb.clone(), raw_tx);
    let coder = Coder::from_dictionaries(load_dictionaries(&a.dictionaries)?);
    let defer = match a.defer_indexes {
        DeferIndexes::Always => true,
        DeferIndexes::Never => false,
        DeferIndexes::Auto => {
            dyad_ingest::input_bytes(&a.inputs) / BYTES_PER_EVENT >= store.max_event_id()?.max(1) as u64
        }
    };
    if defer {
        store.defer_query_indexes().context("cannot drop the query indexes for a bulk load")?;
    }
    // A store with no documents when the run starts has none to skip: the writer alone
    // catches a text repeated in the inputs.
    let readers = store.has_documents()?.then(|| Readers::new(&a.db.db));
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Coded>)>(2);
    let read_so_far = std::cell::Cell::new(0usize);
    let written = std::thread::scope(|scope| -> Result<dyad_store::IngestStats> {
        let (coder, readers) = (&coder, &readers);
        let coding = scope.spawn(move || -> Result<()> {
            for (read, chunk) in raw_rx {
                let coded = code_chunk(coder, chunk, readers.as_ref())?;
                // a closed queue means the writer stopped on an error, which it reports
                if tx.send((read, coded)).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let chunks = rx.iter().map(|(read, coded)| {
            read_so_far.set(read);
            coded
        });
        let stored = store.ingest_stream(chunks, limits, |so_far| {
            pb.set_position(read_so_far.get() as u64);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            pb.set_message(format!("{:.0} events/s", so_far.events as f64 / secs));
        });
        // The writer's error first: it is why the coding thread's queue closed.
        let stored = stored.context("cannot write to the store")?;
        coding.join().map_err(|_| anyhow::anyhow!("the coding thread panicked"))??;
        Ok(stored)
    });
    let (docs, skipped) = reading.join().map_err(|_| anyhow::anyhow!("the reading thread panicked"))?;
    if defer {
        pb.set_message("building the query indexes");
        let rebuilt = store.ensure_indexes().context("cannot build the query indexes again");
        if let (Err(e), Ok(_)) = (&rebuilt, &written) {
            bail!("{e:#}");
        }
    }
    let stored = written?;
    let (new_docs, events) = (stored.documents, stored.events);
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    eprintln!(
        "dyad: {docs} document(s) read, {new_docs} new, {} already stored, {events} event(s) stored in {:.1}s ({:.0} docs/s, {:.0} events/s){}",
        docs - new_docs,
        secs,
        docs as f64 / secs,
        events as f64 / secs,
        if skipped > 0 { format!(", {skipped} input(s) skipped") } else { String::new() }
    );
    Ok(if skipped > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// The first stage of `dyad ingest`: reads `inputs` into chunks of up to `chunk_docs` documents
/// (or [`CHUNK_BYTES`] of text) and sends each with the number of documents read so far;
/// reports inputs it skips. Returns the documents read and the inputs skipped.
///
/// A detached thread, not a scoped one: when the run stops before the queue is read (bad
/// dictionaries), a thread blocked on standard input must not keep the process alive.
fn spawn_reader(
    inputs: Vec<PathBuf>,
    opts: dyad_ingest::InputOptions,
    chunk_docs: usize,
    pb: indicatif::ProgressBar,
    tx: std::sync::mpsc::SyncSender<(usize, Vec<Document>)>,
) -> std::thread::JoinHandle<(usize, usize)> {
    std::thread::spawn(move || {
        let (mut read, mut skipped, mut bytes) = (0usize, 0usize, 0usize);
        let mut chunk: Vec<Document> = Vec::with_capacity(chunk_docs);
        for item in dyad_ingest::read_inputs(&inputs, &opts) {
            match item {
                Item::Doc(d) => {
                    read += 1;
                    bytes += d.text.len();
                    chunk.push(d);
                    if chunk.len() >= chunk_docs || bytes >= CHUNK_BYTES {
                        bytes = 0;
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(chunk_docs));
                        // a closed queue means a later stage stopped, and says why
                        if tx.send((read, full)).is_err() {
                            return (read, skipped);
                        }
                    }
                }
                Item::Skipped(e) => {
                    skipped += 1;
                    pb.suspend(|| eprintln!("dyad: skipped {e}"));
                }
                Item::Warning(e) => pb.suspend(|| eprintln!("dyad: warning: {e}")),
            }
        }
        if !chunk.is_empty() {
            let _ = tx.send((read, chunk));
        }
        (read, skipped)
    })
}

/// The second stage of `dyad ingest` (also timed by `dyad bench --store`): hashes, filters and
/// codes one chunk of documents on the current rayon pool. With `readers`, a document whose text
/// is stored already is dropped before it is coded.
pub(crate) fn code_chunk(coder: &Coder, chunk: Vec<Document>, readers: Option<&Readers>) -> Result<Vec<Coded>> {
    chunk
        .into_par_iter()
        .map(|doc| -> Result<Option<Coded>> {
            let hash = Store::content_hash(&doc.text);
            if let Some(r) = readers {
                if r.contains_hash(&hash)? {
                    return Ok(None);
                }
            }
            let (events, spans) = coder.code_with_sentences(&doc);
            Ok(Some(Coded { doc, events, sentences: Some(spans), hash: Some(hash) }))
        })
        .filter_map(Result::transpose)
        .collect()
}

/// Read-only connections to a store for the coding threads' "is this text stored?" checks:
/// opened on first need, one per thread at most, and reused.
pub(crate) struct Readers<'a> {
    db: &'a std::path::Path,
    free: std::sync::Mutex<Vec<Store>>,
}

impl<'a> Readers<'a> {
    pub(crate) fn new(db: &'a std::path::Path) -> Readers<'a> {
        Readers { db, free: std::sync::Mutex::new(Vec::new()) }
    }

    fn contains_hash(&self, hash: &str) -> Result<bool> {
        let taken = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let reader = match taken {
            Some(r) => r,
            None => Store::open_read_only(self.db)
                .with_context(|| format!("cannot open the store {}", self.db.display()))?,
        };
        let found = reader.contains_hash(hash);
        self.free.lock().unwrap_or_else(|e| e.into_inner()).push(reader);
        Ok(found?)
    }
}

pub fn recode(a: RecodeArgs) -> Result<ExitCode> {
    let coder = Coder::from_dictionaries(load_dictionaries(&a.dictionaries)?);
    let mut store = open_rw(&a.db)?;
    let pb = progress(a.quiet, None, "recode");
    let stats = store.recode(|d| coder.code(d), |n| pb.set_position(n as u64))?;
    pb.finish_and_clear();
    eprintln!("dyad: re-coded {} document(s), {} event(s)", stats.documents, stats.events);
    Ok(ExitCode::SUCCESS)
}

fn open_rw(db: &DbArg) -> Result<Store> {
    if !db.db.exists() {
        bail!("no store at {} (create one with `dyad ingest FILES --db {}`)", db.db.display(), db.db.display());
    }
    Store::open(&db.db).with_context(|| format!("cannot open the store {}", db.db.display()))
}

fn open_ro(db: &DbArg) -> Result<Store> {
    Store::open_read_only(&db.db).with_context(|| format!("cannot open the store {}", db.db.display()))
}

/// Print rows as a table, JSON or CSV.
fn print_rows(out: &OutputArgs, columns: &[&str], rows: Vec<Vec<Value>>) -> Result<()> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let cell = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if out.json {
        let objs: Vec<Value> = rows
            .iter()
            .map(|r| Value::Object(columns.iter().zip(r).map(|(c, v)| (c.to_string(), v.clone())).collect()))
            .collect();
        serde_json::to_writer_pretty(&mut w, &objs)?;
        writeln!(w)?;
    } else if out.csv {
        let q =
            |s: String| if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s };
        writeln!(w, "{}", columns.iter().map(|c| q(c.to_string())).collect::<Vec<_>>().join(","))?;
        for r in &rows {
            writeln!(w, "{}", r.iter().map(|v| q(cell(v))).collect::<Vec<_>>().join(","))?;
        }
    } else {
        const MAX: usize = 60;
        let text: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| {
                        let s = cell(v).replace(['\n', '\t'], " ");
                        if s.chars().count() > MAX {
                            format!("{}…", s.chars().take(MAX - 1).collect::<String>())
                        } else {
                            s
                        }
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
        for r in &text {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |cells: Vec<String>| -> String {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        writeln!(w, "{}", line(columns.iter().map(|c| c.to_string()).collect()))?;
        writeln!(w, "{}", widths.iter().map(|n| "─".repeat(*n)).collect::<Vec<_>>().join("  "))?;
        for r in text {
            writeln!(w, "{}", line(r))?;
        }
        writeln!(w, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })?;
    }
    w.flush()?;
    Ok(())
}

fn s(v: impl Into<String>) -> Value {
    Value::String(v.into())
}

fn opt(v: &Option<String>) -> Value {
    v.as_ref().map(|x| s(x.clone())).unwrap_or(Value::Null)
}

pub fn events(a: EventsArgs) -> Result<ExitCode> {
    if !a.dyad.is_empty() && a.dyad.len() != 2 {
        bail!("--dyad takes two actors, `--dyad AZE,IRN`; got {:?}", a.dyad);
    }
    let store = open_ro(&a.db)?;
    let q = EventQuery {
        actor: a.actor.map(|x| x.to_uppercase()),
        dyad: if a.dyad.len() == 2 { Some((a.dyad[0].to_uppercase(), a.dyad[1].to_uppercase())) } else { None },
        country: a.country.map(|x| x.to_uppercase()),
        org: a.org.map(|x| x.to_uppercase()),
        roots: a.root.iter().map(|r| format!("{:0>2}", r.trim())).collect(),
        cameo_prefix: a.code,
        plover_type: a.plover.map(|x| x.to_uppercase()),
        since: a.since,
        until: a.until,
        text: a.text,
        include_negated: a.all,
        include_hypothetical: a.all,
        clusters_only: a.clusters,
        limit: a.limit,
        offset: a.offset,
    };
    if a.clusters {
        let rows = store.clusters(&q)?;
        let cols = [
            "cluster",
            "date",
            "source",
            "target",
            "cameo",
            "goldstein",
            "mentions",
            "sources",
            "articles",
            "sentence",
        ];
        let data = rows
            .iter()
            .map(|c| {
                vec![
                    Value::from(c.id),
                    opt(&c.date),
                    s(c.event.source.code.clone()),
                    s(c.event.target.as_ref().map(|t| t.code.clone()).unwrap_or_default()),
                    s(c.event.cameo.clone()),
                    Value::from(c.event.goldstein),
                    Value::from(c.num_mentions),
                    Value::from(c.num_sources),
                    Value::from(c.num_articles),
                    s(c.event.sentence.clone()),
                ]
            })
            .collect();
        print_rows(&a.out, &cols, data)?;
    } else {
        let rows = store.events(&q)?;
        if a.out.json {
            // the full records, not just the table columns
            let stdout = io::stdout();
            let mut w = stdout.lock();
            serde_json::to_writer_pretty(&mut w, &rows)?;
            writeln!(w)?;
            return Ok(ExitCode::SUCCESS);
        }
        let cols = ["id", "date", "source", "target", "cameo", "goldstein", "doc", "sentence"];
        let data = rows
            .iter()
            .map(|r| {
                vec![
                    Value::from(r.id),
                    opt(&r.event.date),
                    s(r.event.source.code.clone()),
                    s(r.event.target.as_ref().map(|t| t.code.clone()).unwrap_or_default()),
                    s(r.event.cameo.clone()),
                    Value::from(r.event.goldstein),
                    s(r.doc.id.clone()),
                    s(r.event.sentence.clone()),
                ]
            })
            .collect();
        print_rows(&a.out, &cols, data)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn series(a: SeriesArgs) -> Result<ExitCode> {
    let store = open_ro(&a.db)?;
    let by = match a.by {
        By::Day => Period::Day,
        By::Week => Period::Week,
        By::Month => Period::Month,
        By::Year => Period::Year,
    };
    let rows = store.series(&a.a.to_uppercase(), &a.b.to_uppercase(), by)?;
    let cols = ["period", "source", "target", "events", "q1", "q2", "q3", "q4", "goldstein_sum", "goldstein_mean"];
    let data = rows
        .iter()
        .map(|r| {
            vec![
                s(r.period.clone()),
                s(r.source.clone()),
                s(r.target.clone()),
                Value::from(r.events),
                Value::from(r.quad[0]),
                Value::from(r.quad[1]),
                Value::from(r.quad[2]),
                Value::from(r.quad[3]),
                Value::from((r.goldstein_sum * 100.0).round() / 100.0),
                Value::from((r.goldstein_mean * 100.0).round() / 100.0),
            ]
        })
        .collect();
    print_rows(&a.out, &cols, data)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the file `path` through `write`, as `path.partial` renamed into place only once
/// complete and synced; on any error the partial file is removed.
fn write_file<T>(path: &std::path::Path, write: impl FnOnce(&mut std::fs::File) -> Result<T>) -> Result<T> {
    let mut partial = path.to_path_buf().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let run = || -> Result<T> {
        let mut f = std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
        let out = write(&mut f)?;
        f.sync_all()?;
        std::fs::rename(&partial, path).with_context(|| format!("cannot move the output into {}", path.display()))?;
        Ok(out)
    };
    run().map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        e.context(format!("writing {}", path.display()))
    })
}

/// Runs `write` against the output: standard output, or the file `path` written as
/// `path.partial` and renamed into place only once complete, so that a failed export (full
/// disk, bad data) never leaves a truncated file under the requested name.
fn write_output<T>(path: &Option<PathBuf>, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    match path {
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            let out = write(&mut w)?;
            w.flush()?;
            Ok(out)
        }
        Some(p) => write_file(p, |f| {
            let mut w = io::BufWriter::new(f);
            let out = write(&mut w)?;
            w.flush()?;
            Ok(out)
        }),
    }
}

pub fn network(a: NetworkArgs) -> Result<ExitCode> {
    let store = open_ro(&a.db)?;
    let net = store.network(a.since.as_deref(), a.until.as_deref(), a.min_events)?;
    match a.format {
        NetFormat::Table => {
            let cols = ["source", "target", "events", "goldstein_mean", "q1", "q2", "q3", "q4"];
            let data = net
                .edges
                .iter()
                .map(|e| {
                    vec![
                        s(e.source.clone()),
                        s(e.target.clone()),
                        Value::from(e.events),
                        Value::from((e.goldstein_mean * 100.0).round() / 100.0),
                        Value::from(e.quad[0]),
                        Value::from(e.quad[1]),
                        Value::from(e.quad[2]),
                        Value::from(e.quad[3]),
                    ]
                })
                .collect();
            print_rows(&OutputArgs { json: false, csv: false }, &cols, data)?;
        }
        NetFormat::Json => {
            write_output(&a.output, |w| Ok(dyad_export::network_json(w, &net)?))?;
        }
        NetFormat::Graphml => {
            write_output(&a.output, |w| Ok(dyad_export::graphml(w, &net)?))?;
        }
        NetFormat::Gexf => {
            write_output(&a.output, |w| Ok(dyad_export::gexf(w, &net)?))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn search(a: SearchArgs) -> Result<ExitCode> {
    let store = open_ro(&a.db)?;
    let hits = store.search(&a.query, a.limit)?;
    if a.out.json {
        let stdout = io::stdout();
        let mut w = stdout.lock();
        serde_json::to_writer_pretty(&mut w, &hits)?;
        writeln!(w)?;
        return Ok(ExitCode::SUCCESS);
    }
    let cols = ["doc", "sentence", "events", "text"];
    let data = hits
        .iter()
        .map(|h| {
            let evs: Vec<String> = h
                .events
                .iter()
                .map(|r| {
                    format!(
                        "{}>{} {}",
                        r.event.source.code,
                        r.event.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                        r.event.cameo
                    )
                })
                .collect();
            vec![s(h.doc_id.clone()), Value::from(h.sentence_index as i64), s(evs.join(" ")), s(h.sentence.clone())]
        })
        .collect();
    print_rows(&a.out, &cols, data)?;
    Ok(ExitCode::SUCCESS)
}

pub fn sql(a: SqlArgs) -> Result<ExitCode> {
    let store = open_ro(&a.db)?;
    let (cols, rows) = store.sql(&a.query)?;
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    print_rows(&a.out, &cols, rows)?;
    Ok(ExitCode::SUCCESS)
}

/// Rows an export reads from the store at a time: however large the store, an export holds
/// the matching ids and one page of rows.
const EXPORT_PAGE: usize = 10_000;

pub fn export(a: ExportArgs) -> Result<ExitCode> {
    let store = open_ro(&a.db)?;
    let q = EventQuery { since: a.since.clone(), until: a.until.clone(), limit: usize::MAX, ..EventQuery::default() };
    // A read that fails part-way ends the rows; the output is then an error, not a short file.
    let failed = std::cell::Cell::new(None);
    let n = match a.format {
        ExportFormat::Gdelt => {
            let clusters = until_error(store.clusters_paged(&q, EXPORT_PAGE)?, &failed);
            write_output(&a.output, |w| whole(dyad_export::gdelt_events(w, clusters)?, &failed))?
        }
        ExportFormat::Mentions => {
            let all = EventQuery { include_negated: true, include_hypothetical: true, ..q };
            let events = until_error(store.events_paged(&all, EXPORT_PAGE)?, &failed);
            let mut added = ClusterTimes { store: &store, known: std::collections::HashMap::new(), failed: &failed };
            write_output(&a.output, |w| whole(dyad_export::gdelt_mentions(w, events, |id| added.get(id))?, &failed))?
        }
        ExportFormat::Plover => {
            let clusters = until_error(store.clusters_paged(&q, EXPORT_PAGE)?, &failed);
            write_output(&a.output, |w| whole(dyad_export::plover_jsonl(w, clusters)?, &failed))?
        }
        ExportFormat::Csv => {
            let events = until_error(store.events_paged(&q, EXPORT_PAGE)?, &failed);
            write_output(&a.output, |w| whole(dyad_export::csv_events(w, events)?, &failed))?
        }
        ExportFormat::Parquet => {
            let Some(path) = &a.output else { bail!("parquet needs a file: -o events.parquet") };
            let events = until_error(store.events_paged(&q, EXPORT_PAGE)?, &failed);
            write_file(path, |f| whole(dyad_export::parquet_events(f, events)?, &failed))?
        }
        ExportFormat::Graphml | ExportFormat::Gexf => {
            let net = store.network(a.since.as_deref(), a.until.as_deref(), 1)?;
            write_output(&a.output, |w| {
                Ok(if matches!(a.format, ExportFormat::Graphml) {
                    dyad_export::graphml(w, &net)?
                } else {
                    dyad_export::gexf(w, &net)?
                })
            })?
        }
    };
    eprintln!("dyad: exported {n} record(s)");
    Ok(ExitCode::SUCCESS)
}

/// The rows of a paged read until the first error, which is left in `failed`.
fn until_error<'f, T>(
    rows: impl Iterator<Item = dyad_store::Result<T>> + 'f,
    failed: &'f std::cell::Cell<Option<dyad_store::StoreError>>,
) -> impl Iterator<Item = T> + 'f {
    rows.map_while(move |r| r.map_err(|e| failed.set(Some(e))).ok())
}

/// `n` records written, unless a read failed on the way (then the output is incomplete).
fn whole(n: usize, failed: &std::cell::Cell<Option<dyad_store::StoreError>>) -> Result<usize> {
    match failed.take() {
        Some(e) => Err(anyhow::Error::new(e).context("cannot read the store")),
        None => Ok(n),
    }
}

/// When each cluster was first stored (GDELT's `EventTimeDate` of a mention), looked up as
/// mentions name them and remembered, up to a million at a time.
struct ClusterTimes<'s> {
    store: &'s Store,
    known: std::collections::HashMap<i64, Option<String>>,
    failed: &'s std::cell::Cell<Option<dyad_store::StoreError>>,
}

impl ClusterTimes<'_> {
    fn get(&mut self, id: i64) -> Option<String> {
        if let Some(t) = self.known.get(&id) {
            return t.clone();
        }
        if self.known.len() >= 1 << 20 {
            self.known.clear();
        }
        let t = self.store.cluster_added(id).unwrap_or_else(|e| {
            self.failed.set(Some(e));
            None
        });
        self.known.insert(id, t.clone());
        t
    }
}

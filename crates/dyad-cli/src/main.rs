//! `dyad`: turn news text into political event data.
//!
//! This binary only parses flags and wires the library crates together:
//! `dyad-ingest` (inputs) → `dyad-coder` (events) → `dyad-printer` (JSONL/TSV), plus `dyad-eval`
//! for scoring and a `bench` command for throughput.

mod bench;
mod legacy_cmd;
mod places_cmd;
mod serve_cmd;
mod store_cmds;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use dyad_coder::{Coder, Trace};
use dyad_core::{Document, Event};
use dyad_dict::Dictionaries;
use dyad_ingest::{InputOptions, Item};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Code news text into political event data: who did what to whom, when and where.",
    long_about = "dyad reads news articles and commentary and codes the political events they report:\n\
source and target actors (country, organisation, sector), the CAMEO event code with its Goldstein\n\
value and QuadClass, the PLOVER type, the date and its precision, negation and modality — every\n\
event tied to its document, sentence and character offsets.\n\n\
Examples:\n  \
dyad code corpus/south-caucasus.jsonl -o events.jsonl\n  \
dyad code articles.jsonl --date-field published --text-field body --format tsv\n  \
dyad code --explain \"Armenian Prime Minister Nikol Pashinyan visited Ankara on Monday.\"\n  \
dyad eval --gold gold.jsonl --pred events.jsonl\n  \
dyad actors --unknown events.jsonl\n  \
dyad bench --mb 100"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code documents into events (JSONL or TSV).
    ///
    /// Inputs are files, folders (walked recursively), JSON Lines files (.jsonl/.ndjson/.json: one
    /// document per line) or `-` for standard input. A plain-text file's document id is its file
    /// name without extension. Bad inputs are reported on standard error with the file (and line)
    /// and the reason; the run goes on, and the exit status is 2 if anything was skipped.
    Code(CodeArgs),
    /// Score coded events against a gold file (same matching as score_events.py).
    Eval(EvalArgs),
    /// List actor names the dictionaries did not know, with counts.
    Actors(ActorsArgs),
    /// Measure coding throughput (MB/s, sentences/s per core) and peak memory.
    Bench(bench::BenchArgs),
    /// Work with dictionary files.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Run another coder's validation suite with dyad (`dyad validate tabari Validate.project`).
    Validate(legacy_cmd::ValidateArgs),
    /// Code documents and add them to a store; documents already stored are skipped.
    Ingest(store_cmds::IngestArgs),
    /// Re-code every stored document with the current dictionaries.
    Recode(store_cmds::RecodeArgs),
    /// List stored events (mentions) or event clusters.
    Events(store_cmds::EventsArgs),
    /// Month, quarter or year series of a dyad, both directions.
    Series(store_cmds::SeriesArgs),
    /// The actor network: actors as nodes, dyads as weighted edges (GraphML, GEXF, JSON).
    Network(store_cmds::NetworkArgs),
    /// Full-text search over stored sentences, with the events they carry.
    Search(store_cmds::SearchArgs),
    /// Run a read-only SQL query against the store.
    Sql(store_cmds::SqlArgs),
    /// Export the store: GDELT 2.0 events/mentions, PLOVER JSONL, Parquet, CSV.
    Export(store_cmds::ExportArgs),
    /// Show the places a text names (gazetteer readings, and why each was chosen).
    Places(places_cmd::PlacesArgs),
    /// Serve the HTTP API and the web dashboard over a store (http://127.0.0.1:8080/ by default).
    Serve(serve_cmd::ServeArgs),
}

#[derive(Args, Clone)]
pub struct InputArgs {
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// JSONL field holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// JSONL field holding the publication date (anchors relative dates like "yesterday").
    #[arg(long, default_value = "date")]
    date_field: String,
    /// JSONL field holding the URL.
    #[arg(long, default_value = "url")]
    url_field: String,
    /// JSONL field holding the title.
    #[arg(long, default_value = "title")]
    title_field: String,
    /// JSONL field naming the outlet that published the document (a store counts each event's
    /// sources by it).
    #[arg(long, default_value = "source")]
    source_field: String,
    /// Document date (YYYY-MM-DD) for documents that carry none.
    #[arg(long)]
    doc_date: Option<String>,
    /// Outlet for documents that name none (plain-text files, records without the source field).
    #[arg(long)]
    doc_source: Option<String>,
}

impl InputArgs {
    fn options(&self) -> Result<InputOptions> {
        let doc_date = match &self.doc_date {
            Some(s) => Some(
                dyad_ingest::parse_date(s).with_context(|| format!("--doc-date {s:?} is not a date (YYYY-MM-DD)"))?,
            ),
            None => None,
        };
        Ok(InputOptions {
            id_field: self.id_field.clone(),
            text_field: self.text_field.clone(),
            date_field: self.date_field.clone(),
            url_field: self.url_field.clone(),
            title_field: self.title_field.clone(),
            source_field: self.source_field.clone(),
            doc_date,
            doc_source: self.doc_source.clone().filter(|s| !s.trim().is_empty()),
            ..InputOptions::default()
        })
    }
}

#[derive(Args)]
struct CodeArgs {
    /// Files, folders, JSONL files, or `-` for standard input.
    inputs: Vec<PathBuf>,
    /// Write events here instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "tsv"])]
    format: String,
    /// Code this text and explain every step: tokens, actors, rules tried, events.
    #[arg(long, value_name = "TEXT")]
    explain: Option<String>,
    /// Dictionaries: `dyad:builtin` (the default) or a folder/file in dyad's formats. Repeatable;
    /// later entries add to earlier ones.
    #[arg(long = "dictionaries", value_name = "SPEC")]
    dictionaries: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long)]
    threads: Option<usize>,
    /// Also emit events with a source but no target.
    #[arg(long)]
    untargeted: bool,
    /// A TABARI or PETRARCH2 verb dictionary (replaces dyad's built-in event patterns).
    #[arg(long = "verbs", value_name = "FILE")]
    verbs: Vec<PathBuf>,
    /// A TABARI/Phoenix actors file, or `dyad:builtin`; repeatable, earlier ones take precedence.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<String>,
    /// A TABARI/Phoenix agents file.
    #[arg(long = "agents", value_name = "FILE")]
    agents: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Args)]
struct EvalArgs {
    /// Gold events (JSONL: doc, a, b, roots, sym, date).
    #[arg(long)]
    gold: PathBuf,
    /// Predicted events (dyad's JSONL output).
    #[arg(long)]
    pred: PathBuf,
}

#[derive(Args)]
struct ActorsArgs {
    /// List names the dictionaries did not know.
    #[arg(long)]
    unknown: bool,
    /// Events JSONL (from `dyad code`), or documents to scan.
    inputs: Vec<PathBuf>,
    /// Show at most this many names.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Subcommand)]
enum DictCommand {
    /// Parse dictionary files and report every line that cannot be read, with its line number.
    Check {
        /// Files or folders in dyad's formats (.tsv actors, .verbs patterns).
        files: Vec<PathBuf>,
    },
    /// Summarise the built-in dictionaries.
    Stats,
    /// Convert TABARI / PETRARCH2 dictionaries into dyad's own format.
    Convert(legacy_cmd::ConvertArgs),
}

/// mimalloc serves every allocation of the process, Rust's and SQLite's (see the `mimalloc`
/// feature in Cargo.toml): coding twice as fast as with glibc's allocator on this workload.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Rust ignores SIGPIPE, so a closed pipe ("dyad code corpus/ | head") turns every later
    // print into an error or a panic. A command that prints dies of the signal instead, quietly,
    // as cat and grep do; the server keeps ignoring it, as a dropped client must not stop it.
    #[cfg(unix)]
    if !matches!(cli.command, Command::Serve(_)) {
        // SAFETY: called once at start, before any thread is spawned; it only restores the
        // signal's default disposition.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let res = match cli.command {
        Command::Code(a) => run_code(a),
        Command::Eval(a) => run_eval(a),
        Command::Actors(a) => run_actors(a),
        Command::Bench(a) => bench::run(a),
        Command::Dict(c) => run_dict(c),
        Command::Validate(a) => legacy_cmd::validate(a),
        Command::Ingest(a) => store_cmds::ingest(a),
        Command::Recode(a) => store_cmds::recode(a),
        Command::Events(a) => store_cmds::events(a),
        Command::Series(a) => store_cmds::series(a),
        Command::Network(a) => store_cmds::network(a),
        Command::Search(a) => store_cmds::search(a),
        Command::Sql(a) => store_cmds::sql(a),
        Command::Export(a) => store_cmds::export(a),
        Command::Places(a) => places_cmd::run(a),
        Command::Serve(a) => serve_cmd::run(a),
    };
    match res {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Build the dictionaries from `--dictionaries` specs.
pub fn load_dictionaries(specs: &[String]) -> Result<Dictionaries> {
    let specs: Vec<String> = if specs.is_empty() { vec!["dyad:builtin".into()] } else { specs.to_vec() };
    let mut d = Dictionaries::default();
    let mut problems = Vec::new();
    for s in &specs {
        if legacy_cmd::load_spec(s, &mut d, &mut problems)? {
            continue;
        }
        if s == "dyad:builtin" || s == "builtin" {
            for (name, text) in dyad_dict::BUILTIN_FILES {
                problems.extend(d.load_file(&format!("builtin:{name}"), name, text).errors);
            }
            continue;
        }
        let path = PathBuf::from(s.strip_prefix("dyad:").unwrap_or(s));
        if path.is_dir() {
            problems.extend(d.load_dir(&path));
        } else {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("cannot read dictionary {}", path.display()))?;
            let label = path.display().to_string();
            problems.extend(d.load_file(&label, &label, &text).errors);
        }
    }
    for p in &problems {
        eprintln!("dyad: dictionary: {p}");
    }
    Ok(d)
}

fn open_output(path: &Option<PathBuf>) -> Result<Box<dyn Write + Send>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout())),
    })
}

/// Counts of one run of [`code_stream`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub docs: usize,
    pub events: usize,
    pub skipped: usize,
}

/// Code a stream of input items and write the events to `out` in `format`, in input order.
///
/// Three stages overlap: a reader thread parses inputs into batches; the batches are coded and
/// rendered on all cores (rayon); this thread writes the rendered bytes in order. A very large
/// document is coded on its own and its events streamed out as they come, so memory stays
/// bounded whatever the input.
pub fn code_stream<I, F>(
    coder: &Coder,
    make_items: F,
    format: dyad_printer::Format,
    out: &mut dyn Write,
) -> Result<Counts>
where
    I: Iterator<Item = Item>,
    F: FnOnce() -> I + Send,
{
    const BATCH_DOCS: usize = 256;
    const BATCH_BYTES: usize = 4 << 20;
    const LARGE_DOC: usize = 4 << 20;
    let mut counts = Counts::default();
    if let Some(h) = dyad_printer::header(format) {
        out.write_all(h.as_bytes())?;
    }
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item>>(2);
        scope.spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0;
            for item in make_items() {
                let size = match &item {
                    Item::Doc(d) => d.text.len(),
                    _ => 0,
                };
                bytes += size;
                batch.push(item);
                if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        return;
                    }
                    bytes = 0;
                }
            }
            let _ = tx.send(batch);
        });
        for batch in rx {
            let mut small = Vec::new();
            for item in batch {
                match item {
                    Item::Doc(d) if d.text.len() > LARGE_DOC => {
                        write_coded(coder, &mut small, format, out, &mut counts)?;
                        counts.docs += 1;
                        let mut failed = None;
                        let mut buf = Vec::new();
                        coder.code_each(&d, &mut |e| {
                            if failed.is_some() {
                                return;
                            }
                            buf.clear();
                            let r = dyad_printer::render(format, &e, &mut buf).and_then(|()| out.write_all(&buf));
                            match r {
                                Ok(()) => counts.events += 1,
                                Err(err) => failed = Some(err),
                            }
                        });
                        if let Some(err) = failed {
                            return Err(err).context("cannot write output");
                        }
                    }
                    Item::Doc(d) => small.push(d),
                    Item::Skipped(e) => {
                        counts.skipped += 1;
                        eprintln!("dyad: skipped {e}");
                    }
                    Item::Warning(e) => eprintln!("dyad: warning: {e}"),
                }
            }
            write_coded(coder, &mut small, format, out, &mut counts)?;
        }
        Ok(())
    })?;
    out.flush().context("cannot write output")?;
    Ok(counts)
}

/// Code and render `docs` in parallel, then write them in order.
fn write_coded(
    coder: &Coder,
    docs: &mut Vec<Document>,
    format: dyad_printer::Format,
    out: &mut dyn Write,
    counts: &mut Counts,
) -> Result<()> {
    let rendered: Vec<(Vec<u8>, usize)> = docs
        .par_iter()
        .map(|d| {
            let mut buf = Vec::new();
            let mut n = 0;
            for e in coder.code(d) {
                // rendering into memory cannot fail
                let _ = dyad_printer::render(format, &e, &mut buf);
                n += 1;
            }
            (buf, n)
        })
        .collect();
    for (buf, n) in rendered {
        out.write_all(&buf).context("cannot write output")?;
        counts.events += n;
    }
    counts.docs += docs.len();
    docs.clear();
    Ok(())
}

fn set_threads(n: Option<usize>) {
    if let Some(n) = n {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
}

fn run_code(a: CodeArgs) -> Result<ExitCode> {
    set_threads(a.threads);
    let specs = legacy_cmd::specs(&a.dictionaries, &a.verbs, &a.actors, &a.agents);
    if let Some(project) = legacy_cmd::tabari_only(&specs) {
        return legacy_cmd::code_tabari(&project, &a);
    }
    let mut coder = Coder::from_dictionaries(load_dictionaries(&specs)?);
    coder.options.untargeted = a.untargeted;
    coder.options.legacy_codes = legacy_cmd::legacy_verbs_loaded();
    let format: dyad_printer::Format = a.format.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let opts = a.input.options()?;
    if let Some(text) = &a.explain {
        let doc = Document { id: "explain".into(), text: text.clone(), date: opts.doc_date, ..Default::default() };
        let mut trace = Trace::default();
        let events = coder.code_traced(&doc, &mut trace);
        let out = io::stdout();
        let mut out = out.lock();
        for l in &trace.lines {
            writeln!(out, "{l}")?;
        }
        writeln!(out, "{} event(s):", events.len())?;
        let mut p = dyad_printer::printer(format, Box::new(io::stdout()) as Box<dyn Write>);
        p.begin()?;
        for e in &events {
            p.print(e)?;
        }
        p.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    if a.inputs.is_empty() {
        bail!("no inputs: give files, folders, JSONL files or `-` for standard input (see dyad code --help)");
    }
    let mut out = open_output(&a.output)?;
    let inputs = a.inputs.clone();
    let c = code_stream(&coder, move || dyad_ingest::read_inputs(&inputs, &opts), format, &mut out)?;
    let (docs, events, skipped) = (c.docs, c.events, c.skipped);
    eprintln!(
        "dyad: {docs} document(s), {events} event(s){}",
        if skipped > 0 { format!(", {skipped} input(s) skipped") } else { String::new() }
    );
    Ok(if skipped > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn run_eval(a: EvalArgs) -> Result<ExitCode> {
    let gold = dyad_eval::load_gold(&a.gold).with_context(|| format!("cannot read gold file {}", a.gold.display()))?;
    let pred = dyad_eval::load_predictions(&a.pred)
        .with_context(|| format!("cannot read predictions {}", a.pred.display()))?;
    let report = dyad_eval::score(&gold, &pred);
    let text = report.to_string();
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    Ok(ExitCode::SUCCESS)
}

fn run_actors(a: ActorsArgs) -> Result<ExitCode> {
    if !a.unknown {
        bail!("say what to list: --unknown");
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    let coder = Coder::from_dictionaries(load_dictionaries(&[])?);
    let opts = a.input.options()?;
    for path in &a.inputs {
        // an events file from `dyad code`: count role-attached names the dictionaries did not know
        let first =
            std::fs::File::open(path).ok().and_then(|f| io::BufReader::new(f).lines().next()).and_then(|l| l.ok());
        let is_events = first
            .as_deref()
            .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .is_some_and(|v| v.get("event_id").is_some());
        if is_events {
            let f = std::fs::File::open(path)?;
            for (n, line) in io::BufReader::new(f).lines().enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                let e: Event = match serde_json::from_str(&line) {
                    Ok(e) => e,
                    Err(err) => {
                        eprintln!("dyad: skipped {}:{}: {err}", path.display(), n + 1);
                        continue;
                    }
                };
                for actor in std::iter::once(&e.source).chain(e.target.as_ref()) {
                    if let (Some(name), false) = (&actor.name, actor.name_known) {
                        *counts.entry(name.clone()).or_default() += 1;
                    }
                }
            }
        } else {
            for item in dyad_ingest::read_inputs(std::slice::from_ref(path), &opts) {
                match item {
                    Item::Doc(d) => coder.unknown_names(&d, &mut counts),
                    Item::Skipped(e) => eprintln!("dyad: skipped {e}"),
                    Item::Warning(e) => eprintln!("dyad: warning: {e}"),
                }
            }
        }
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let out = io::stdout();
    let mut out = out.lock();
    writeln!(out, "count\tname")?;
    for (name, n) in v.into_iter().take(a.limit) {
        writeln!(out, "{n}\t{name}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn run_dict(c: DictCommand) -> Result<ExitCode> {
    match c {
        DictCommand::Check { files } => {
            let mut bad = 0;
            for f in &files {
                if let Some(n) = legacy_cmd::check(f) {
                    bad += n;
                    continue;
                }
                let mut d = Dictionaries::default();
                let errors = if f.is_dir() {
                    d.load_dir(f)
                } else {
                    let text = std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
                    let label = f.display().to_string();
                    let l = d.load_file(&label, &label, &text);
                    println!("{label}: {} entries", l.entries);
                    l.errors
                };
                for e in &errors {
                    println!("{e}");
                }
                bad += errors.len();
            }
            println!("{bad} line(s) could not be read");
            Ok(if bad > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        DictCommand::Convert(a) => legacy_cmd::convert(a),
        DictCommand::Stats => {
            let (d, errors) = Dictionaries::builtin();
            let codes: std::collections::BTreeSet<&str> =
                d.events.triggers.iter().flat_map(|t| t.rules.iter().filter_map(|r| r.code.as_deref())).collect();
            let roots: std::collections::BTreeSet<&str> = codes.iter().map(|c| &c[..2]).collect();
            println!("polities: {}", d.actors.polities.len());
            println!(
                "people: {} ({} terms)",
                d.actors.people.len(),
                d.actors.people.iter().map(|p| p.terms.len()).sum::<usize>()
            );
            println!("roles: {}", d.actors.roles.len());
            println!("actor phrases: {}", d.actors.index.len());
            println!("triggers: {}", d.events.triggers.len());
            println!("rules: {}", d.events.rule_count());
            println!("CAMEO codes used: {} (roots: {})", codes.len(), roots.len());
            println!("load errors: {}", errors.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}

//! TABARI and PETRARCH2 dictionaries on the command line: `--dictionaries tabari:…|petrarch:…`,
//! `--verbs/--actors/--agents`, `dyad dict check` on legacy files, `dyad dict convert`, and
//! `dyad validate tabari`.
//!
//! `dyad code --dictionaries tabari:PROJECT` (that spec alone) codes with dyad's TABARI engine
//! ([`dyad_legacy::tabari`]): TABARI's own semantics and the project's options. Any other mix
//! of legacy dictionaries is converted and coded by dyad's coder.

use anyhow::{bail, Context, Result};
use clap::Args;
use dyad_core::Document;
use dyad_dict::{Dictionaries, LoadError};
use dyad_ingest::Item;
use dyad_legacy::convert::Legacy;
use dyad_legacy::tabari::Tabari;
use dyad_legacy::FileKind;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once verbs from a legacy dictionary are loaded: the coder then takes their codes as
/// written (WEIS and project codes included) and leaves modality rewrites to the patterns.
static LEGACY_VERBS: AtomicBool = AtomicBool::new(false);

/// Whether any legacy verb dictionary was loaded by [`load_spec`].
pub fn legacy_verbs_loaded() -> bool {
    LEGACY_VERBS.load(Ordering::Relaxed)
}

/// Whether `path` is a file in a legacy format (a `.verbs` file in dyad's own format, whose
/// blocks start with `VERB`/`NOUN`, is not).
pub fn is_legacy_file(path: &Path) -> bool {
    let name = path.display().to_string();
    match FileKind::from_name(&name) {
        None => false,
        Some(FileKind::TabariVerbs) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'));
            !first.is_some_and(|l| l.starts_with("VERB ") || l.starts_with("NOUN "))
        }
        Some(_) => path.extension().is_some_and(|e| e != "tsv"),
    }
}

/// Turn `--verbs/--actors/--agents` into `--dictionaries` specs, in the order given: verbs
/// first, then actors (where `dyad:builtin` stands for dyad's built-in actors), then agents.
/// Without `--verbs`, dyad's built-in event patterns are used.
pub fn specs(dictionaries: &[String], verbs: &[PathBuf], actors: &[String], agents: &[PathBuf]) -> Vec<String> {
    if verbs.is_empty() && actors.is_empty() && agents.is_empty() {
        return dictionaries.to_vec();
    }
    let mut out = dictionaries.to_vec();
    if verbs.is_empty() {
        out.push("dyad:builtin-events".into());
    }
    out.extend(verbs.iter().map(|v| format!("legacy:{}", v.display())));
    for a in actors {
        if a == "dyad:builtin" || a == "builtin" {
            out.push("dyad:builtin-actors".into());
        } else {
            out.push(format!("legacy:{a}"));
        }
    }
    out.extend(agents.iter().map(|v| format!("legacy:{}", v.display())));
    out
}

/// The project when `specs` is exactly one `tabari:PROJECT`: such a run codes with the TABARI
/// engine.
pub fn tabari_only(specs: &[String]) -> Option<PathBuf> {
    match specs {
        [s] => s.strip_prefix("tabari:").map(PathBuf::from),
        _ => None,
    }
}

/// `dyad code --dictionaries tabari:PROJECT`: code the inputs with the TABARI engine, every
/// sentence a TABARI record, under the project's options; events are written as `dyad code`
/// writes them, in input order.
pub fn code_tabari(project: &Path, a: &crate::CodeArgs) -> Result<ExitCode> {
    if !project.is_file() {
        bail!("TABARI project {} not found", project.display());
    }
    if a.explain.is_some() {
        bail!("--explain traces dyad's own coder; it is not available with --dictionaries tabari:");
    }
    if a.inputs.is_empty() {
        bail!("no inputs: give files, folders, JSONL files or `-` for standard input (see dyad code --help)");
    }
    let (legacy, errors) = Legacy::tabari_project(project);
    for e in &errors {
        eprintln!("dyad: dictionary: {e}");
    }
    let (engine, notes) = Tabari::new(&legacy);
    for n in &notes {
        eprintln!("dyad: dictionary: note: {n}");
    }
    let settings = engine.settings.clone();
    let format: dyad_printer::Format = a.format.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let opts = a.input.options()?;
    let mut out = crate::open_output(&a.output)?;
    if let Some(h) = dyad_printer::header(format) {
        out.write_all(h.as_bytes())?;
    }
    let (mut docs, mut events, mut skipped) = (0usize, 0usize, 0usize);
    let mut batch: Vec<Document> = Vec::new();
    let mut flush = |batch: &mut Vec<Document>, out: &mut dyn Write| -> Result<()> {
        let rendered: Vec<(Vec<u8>, usize)> = batch
            .par_iter()
            .map(|d| {
                let mut buf = Vec::new();
                let ev = engine.code_document(d, &settings);
                for e in &ev {
                    // rendering into memory cannot fail
                    let _ = dyad_printer::render(format, e, &mut buf);
                }
                (buf, ev.len())
            })
            .collect();
        for (buf, n) in rendered {
            out.write_all(&buf).context("cannot write output")?;
            events += n;
        }
        docs += batch.len();
        batch.clear();
        Ok(())
    };
    for item in dyad_ingest::read_inputs(&a.inputs, &opts) {
        match item {
            Item::Doc(d) => {
                batch.push(d);
                if batch.len() >= 256 {
                    flush(&mut batch, &mut out)?;
                }
            }
            Item::Skipped(e) => {
                skipped += 1;
                eprintln!("dyad: skipped {e}");
            }
            Item::Warning(e) => eprintln!("dyad: warning: {e}"),
        }
    }
    flush(&mut batch, &mut out)?;
    out.flush().context("cannot write output")?;
    eprintln!(
        "dyad: {docs} document(s), {events} event(s){}",
        if skipped > 0 { format!(", {skipped} input(s) skipped") } else { String::new() }
    );
    Ok(if skipped > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// Load one `--dictionaries` spec if it is a legacy one: `tabari:PROJECT`, `petrarch:INI`,
/// `legacy:FILE`, a legacy file by name, or the built-in halves `dyad:builtin-actors` /
/// `dyad:builtin-events`. Returns false for specs that are dyad's own.
pub fn load_spec(spec: &str, d: &mut Dictionaries, problems: &mut Vec<LoadError>) -> Result<bool> {
    if spec == "dyad:builtin-actors" || spec == "dyad:builtin-events" {
        let events = spec.ends_with("events");
        for (name, text) in dyad_dict::BUILTIN_FILES {
            if name.ends_with(".verbs") == events {
                problems.extend(d.load_file(&format!("builtin:{name}"), name, text).errors);
            }
        }
        return Ok(true);
    }
    let (legacy, errors) = if let Some(p) = spec.strip_prefix("tabari:") {
        let p = Path::new(p);
        if !p.is_file() {
            bail!("TABARI project {} not found", p.display());
        }
        Legacy::tabari_project(p)
    } else if let Some(p) = spec.strip_prefix("petrarch:") {
        let p = Path::new(p);
        if !p.is_file() {
            bail!("PETRARCH2 config {} not found", p.display());
        }
        Legacy::petrarch_config(p)
    } else {
        let p = spec.strip_prefix("legacy:").unwrap_or(spec);
        let path = Path::new(p);
        let named_legacy = spec.starts_with("legacy:") || (path.is_file() && is_legacy_file(path));
        if !named_legacy {
            return Ok(false);
        }
        if !path.is_file() {
            bail!("dictionary {} not found", path.display());
        }
        let mut l = Legacy::default();
        let e = l.add_file(path);
        (l, e)
    };
    problems.extend(errors);
    if !legacy.verbs.is_empty() {
        LEGACY_VERBS.store(true, Ordering::Relaxed);
    }
    // conversion notes are informative: they go to standard error but do not fail the load
    for n in legacy.into_dictionaries(d) {
        eprintln!("dyad: dictionary: note: {n}");
    }
    Ok(true)
}

/// `dyad dict check` on a legacy file: print what it read and every line it could not take.
/// Returns `None` when the file is in dyad's own format.
pub fn check(f: &Path) -> Option<usize> {
    if !is_legacy_file(f) {
        return None;
    }
    let c = dyad_legacy::check_file(f);
    println!("{}: {} entries ({:?})", f.display(), c.entries, c.kind.unwrap_or(FileKind::Records));
    for e in &c.errors {
        println!("{e}");
    }
    Some(c.errors.len())
}

/// `dyad dict convert --from tabari|petrarch|files INPUT... --to dyad OUT_DIR`
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// `tabari` (input: a .project), `petrarch` (input: a PETR_config.ini) or `files` (inputs:
    /// any legacy dictionary files).
    #[arg(long, value_parser = ["tabari", "petrarch", "files"])]
    pub from: String,
    /// The output format and folder: `--to dyad OUT_DIR` (`dyad` is the only format).
    #[arg(long, num_args = 2, value_names = ["FORMAT", "DIR"], required = true)]
    pub to: Vec<String>,
    /// The inputs: a .project, a PETR_config.ini, or legacy dictionary files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
}

pub fn convert(a: ConvertArgs) -> Result<ExitCode> {
    if a.to[0] != "dyad" {
        bail!("unknown output format {:?} (only `dyad`)", a.to[0]);
    }
    let out = &PathBuf::from(&a.to[1]);
    let inputs = &a.inputs;
    let (legacy, errors) = match a.from.as_str() {
        "tabari" => Legacy::tabari_project(&inputs[0]),
        "petrarch" => Legacy::petrarch_config(&inputs[0]),
        _ => {
            let mut l = Legacy::default();
            let mut e = Vec::new();
            for p in inputs {
                e.extend(l.add_file(p));
            }
            (l, e)
        }
    };
    for e in &errors {
        println!("{e}");
    }
    let (written, notes) =
        dyad_legacy::convert::write_dyad(&legacy, out).with_context(|| format!("cannot write {}", out.display()))?;
    for n in &notes {
        println!("note: {n}");
    }
    for w in &written {
        println!("wrote {}", w.display());
    }
    println!("{} line(s) could not be read, {} construct(s) not carried over", errors.len(), notes.len());
    Ok(if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

/// `dyad validate tabari Validate.project`
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The system whose validation suite this is (`tabari`).
    #[arg(value_parser = ["tabari"])]
    pub system: String,
    /// The TABARI project file (`Validate.project`); its `<textfile>` holds the records.
    pub project: PathBuf,
    /// Print only failures and the summary.
    #[arg(long)]
    pub failures_only: bool,
}

pub fn validate(a: ValidateArgs) -> Result<ExitCode> {
    if !a.project.is_file() {
        bail!("{} not found", a.project.display());
    }
    let report = dyad_legacy::validate::run(&a.project);
    for e in &report.load_errors {
        println!("load: {e}");
    }
    let fmt = |s: &std::collections::BTreeSet<dyad_legacy::validate::Triple>| -> String {
        if s.is_empty() {
            "{---}".into()
        } else {
            s.iter().map(|(a, b, c)| format!("{{ {a} / {b} / {c} }}")).collect::<Vec<_>>().join(" ")
        }
    };
    for r in &report.results {
        for o in &r.unsupported_options {
            println!("{}: option not supported by dyad: {o}", r.record.id);
        }
        if !r.record.is_test() {
            continue;
        }
        let tag = if !r.standard {
            "extra"
        } else if r.passed {
            "PASS"
        } else {
            "FAIL"
        };
        if r.passed && a.failures_only {
            continue;
        }
        if r.passed {
            println!("{tag} {}", r.record.id);
        } else {
            let miss: Vec<String> = r.missing().iter().map(|(a, b, c)| format!("{a}/{b}/{c}")).collect();
            let extra: Vec<String> = r.extra().iter().map(|(a, b, c)| format!("{a}/{b}/{c}")).collect();
            println!(
                "{tag} {}: expected {} got {} (missing: {}; extra: {})",
                r.record.id,
                fmt(&r.record.expected),
                fmt(&r.produced),
                if miss.is_empty() { "-".into() } else { miss.join(" ") },
                if extra.is_empty() { "-".into() } else { extra.join(" ") }
            );
        }
    }
    println!("pass rate by family (standard records):");
    for (fam, (p, n)) in report.by_family() {
        println!("  {fam:<10} {p:>3}/{n:<3} {:5.1}%", 100.0 * p as f64 / n.max(1) as f64);
    }
    let (p, f) = report.standard_counts();
    println!("{} passed, {} failed", p, f);
    Ok(ExitCode::SUCCESS)
}

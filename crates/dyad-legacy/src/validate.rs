//! TABARI's validation suite: `Validate.text` records and the runner that codes them with
//! dyad's TABARI engine ([`crate::tabari`]).
//!
//! A record is a header line `YYMMDD  ID` (`950101  DEMO-01`), the text, and a `/* ... */`
//! comment holding what TABARI must produce: `{ SRC / TGT / CODE }` lines, `{---}` for no event,
//! `{+++}` for a record TABARI flags as complex (no events), and `{ OPTION: ... }` changes of
//! settings. The standard records are those before `FINAL-01`.

use crate::convert::Legacy;
use crate::files::{parse_date, Options};
use crate::tabari::{Forward, Settings, Tabari};
use dyad_dict::LoadError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One expected (or produced) event: source code, target code, event code.
pub type Triple = (String, String, String);

/// One record of a validation file.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub date: String,
    pub id: String,
    pub text: String,
    pub expected: BTreeSet<Triple>,
    /// `{---}` or `{+++}` seen: the record expects no events.
    pub expects_none: bool,
    /// `{ OPTION: ... }` commands, in order.
    pub options: Vec<String>,
    pub line: usize,
}

impl Record {
    /// The family: the id up to the first `-` (`PATTERN-03a` → `PATTERN`).
    pub fn family(&self) -> &str {
        self.id.split('-').next().unwrap_or(&self.id)
    }

    /// Whether this record checks coding (it has expectations), rather than only set options.
    pub fn is_test(&self) -> bool {
        !self.expected.is_empty() || self.expects_none
    }

    /// Read every record of a validation / text file.
    pub fn parse_all(file: &str, text: &str) -> (Vec<Record>, Vec<LoadError>) {
        let mut out: Vec<Record> = Vec::new();
        let mut errors = Vec::new();
        let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let is_header = |l: &str| {
            let mut it = l.split_whitespace();
            // `950101  DEMO-01`, `20150607 YYYY-01` (with `SET: YYYY`), or `950101*INTRO`
            // (TABARI's file-header record)
            let digits = l.bytes().take_while(u8::is_ascii_digit).count();
            (digits == 6 || digits == 8)
                && l.len() > digits + 1
                && (l.as_bytes()[digits] == b'*' || l.as_bytes()[digits].is_ascii_whitespace())
                && it.next().is_some()
        };
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i];
            if !is_header(l) {
                let t = l.trim();
                if !(t.is_empty() || t.starts_with('#')) {
                    errors.push(LoadError::line(file, i + 1, "text outside a record (expected `YYMMDD  ID`)".into()));
                }
                i += 1;
                continue;
            }
            let digits = l.bytes().take_while(u8::is_ascii_digit).count();
            let date = l[..digits].to_string();
            let mut id = l[digits + 1..].trim();
            // `950101  950101  AGENTS-11`: the date written twice
            if let Some(rest) = id.strip_prefix(&l[..digits]).filter(|r| r.starts_with(char::is_whitespace)) {
                id = rest.trim();
            }
            let id = id.to_string();
            let start = i + 1;
            let mut j = i + 1;
            while j < lines.len() && !is_header(lines[j]) {
                j += 1;
            }
            let body = lines[start..j].join("\n");
            let (text, comment) = match body.find("/*") {
                Some(k) => {
                    let rest = &body[k + 2..];
                    let end = rest.find("*/").unwrap_or(rest.len());
                    (body[..k].to_string(), rest[..end].to_string())
                }
                None => (body.clone(), String::new()),
            };
            let mut rec = Record {
                date,
                id,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                expected: BTreeSet::new(),
                expects_none: false,
                options: Vec::new(),
                line: i + 1,
            };
            // `{ ... }` groups of the comment (a `-{` group is commented out)
            let c = comment.as_str();
            let mut k = 0;
            while let Some(off) = c[k..].find('{') {
                let a = k + off;
                let close = c[a..].find('}').map(|x| a + x);
                let inner = &c[a + 1..close.unwrap_or(c.len())];
                k = close.map(|x| x + 1).unwrap_or(c.len());
                if a > 0 && c.as_bytes()[a - 1] == b'-' {
                    continue;
                }
                let t = inner.trim();
                if let Some(opt) = t.strip_prefix("OPTION:") {
                    // an OPTION group may lack its `}`: it ends at the line end
                    let opt = opt.lines().next().unwrap_or("").trim();
                    rec.options.push(opt.to_string());
                } else if t == "---" || t == "+++" {
                    rec.expects_none = true;
                } else {
                    let parts: Vec<&str> = t.split('/').map(str::trim).collect();
                    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && !p.contains(char::is_whitespace)) {
                        rec.expected.insert((parts[0].to_string(), parts[1].to_string(), parts[2].to_string()));
                    }
                    // other braces are prose ("[...{|}...]") and ignored
                }
            }
            out.push(rec);
            i = j;
        }
        (out, errors)
    }
}

/// The outcome of one record.
#[derive(Clone, Debug)]
pub struct RecordResult {
    pub record: Record,
    pub produced: BTreeSet<Triple>,
    pub passed: bool,
    /// The record is before `FINAL-01` (a standard record).
    pub standard: bool,
    /// Options of this record dyad does not apply.
    pub unsupported_options: Vec<String>,
}

impl RecordResult {
    pub fn missing(&self) -> Vec<&Triple> {
        self.record.expected.difference(&self.produced).collect()
    }
    pub fn extra(&self) -> Vec<&Triple> {
        self.produced.difference(&self.record.expected).collect()
    }
}

/// The outcome of a validation run.
#[derive(Debug, Default)]
pub struct Report {
    pub results: Vec<RecordResult>,
    /// Problems loading the dictionaries and records.
    pub load_errors: Vec<LoadError>,
    /// Conversion notes (constructs dyad does not carry over).
    pub notes: Vec<LoadError>,
}

impl Report {
    /// (passed, failed) over the standard records.
    pub fn standard_counts(&self) -> (usize, usize) {
        let std: Vec<&RecordResult> = self.results.iter().filter(|r| r.standard).collect();
        let p = std.iter().filter(|r| r.passed).count();
        (p, std.len() - p)
    }

    /// family → (passed, total) over the standard records.
    pub fn by_family(&self) -> BTreeMap<String, (usize, usize)> {
        let mut m: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for r in self.results.iter().filter(|r| r.standard) {
            let e = m.entry(r.record.family().to_string()).or_default();
            e.1 += 1;
            if r.passed {
                e.0 += 1;
            }
        }
        m
    }
}

/// Whether dyad applies option command `cmd` (`SET: CODE ALL`, `COMMA: OFF`, ...), judged on
/// default settings.
pub fn option_supported(cmd: &str) -> bool {
    Options::parse_command(cmd).is_ok_and(|(k, v)| Settings::default().apply(&k, &v).is_ok())
}

/// Run a TABARI project's validation file: load the project's dictionaries, code every record
/// with dyad's coder and compare with the expected `{SRC/TGT/CODE}` sets.
pub fn run(project: &Path) -> Report {
    let (legacy, mut load_errors) = Legacy::tabari_project(project);
    let base = project.parent().unwrap_or(Path::new("."));
    let text_name = std::fs::read_to_string(project)
        .ok()
        .and_then(|t| {
            let (p, _) = crate::Project::parse("", &t);
            p.files.get("textfile").cloned()
        })
        .unwrap_or_else(|| "Validate.text".into());
    let text_path = base.join(text_name.trim());
    let text = match crate::read_text(&text_path) {
        Ok(t) => t,
        Err(e) => {
            load_errors.push(e);
            return Report { load_errors, ..Default::default() };
        }
    };
    let (records, errs) = Record::parse_all(&text_path.display().to_string(), &text);
    load_errors.extend(errs);
    run_records(&legacy, records, load_errors)
}

/// Code `records` with `legacy`'s dictionaries, TABARI's way ([`Tabari`]), and compare. Each
/// record's `{ OPTION: ... }` commands change the settings for the records after it, as in
/// TABARI.
pub fn run_records(legacy: &Legacy, records: Vec<Record>, load_errors: Vec<LoadError>) -> Report {
    let (engine, notes) = Tabari::new(legacy);
    let mut settings = engine.settings.clone();
    let mut forward = Forward::default();
    let mut results = Vec::new();
    let mut standard = true;
    for rec in records {
        if rec.id.starts_with("FINAL") {
            standard = false;
        }
        let mut unsupported = Vec::new();
        for o in &rec.options {
            let applied = Options::parse_command(o).and_then(|(k, v)| settings.apply(&k, &v));
            if applied.is_err() {
                unsupported.push(o.clone());
            }
        }
        if !rec.is_test() {
            results.push(RecordResult {
                record: rec,
                produced: BTreeSet::new(),
                passed: true,
                standard: false,
                unsupported_options: unsupported,
            });
            continue;
        }
        // `FORWARD:` passes actors between the sentences of a story: `FRWD-001-002` is sentence
        // 2 of story `FRWD-001`
        forward.enter(rec.id.rsplit_once('-').map_or(rec.id.as_str(), |(story, _)| story));
        let outcome = engine.code(&rec.text, parse_date(&rec.date).ok(), &settings, &mut forward);
        let produced: BTreeSet<Triple> =
            outcome.events().iter().map(|e| (e.source.clone(), e.target.clone(), e.code.clone())).collect();
        let passed = produced == rec.expected;
        results.push(RecordResult { record: rec, produced, passed, standard, unsupported_options: unsupported });
    }
    Report { results, load_errors, notes }
}

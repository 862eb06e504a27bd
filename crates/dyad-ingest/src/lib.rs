//! Input stage of dyad: turns paths (files, folders, `-` for stdin) into a stream of
//! [`Document`]s.
//!
//! The one rule of this crate is that **one bad input never stops the run** and nothing
//! panics. Every input becomes zero or more [`Item`]s:
//!
//! * [`Item::Doc`] — a document to code;
//! * [`Item::Warning`] — something was off but the document (which follows) was still read,
//!   e.g. invalid UTF-8 decoded lossily, or a date that could not be parsed;
//! * [`Item::Skipped`] — an input (a file, or one line of a JSONL file) was left out, with
//!   the reason: binary file, empty file, malformed JSON, a line over the size limit...
//!
//! # Input kinds
//!
//! * **Folders** are walked recursively, entries in sorted file-name order, hidden entries
//!   (names starting with `.`) skipped.
//! * **`.jsonl`, `.ndjson`, `.json`** files are JSON Lines: one JSON object per line, one
//!   document per object. They are streamed line by line, never read whole into memory.
//!   The field names are configurable in [`InputOptions`].
//! * **Any other file** is one plain-text document: its id is the file name without its
//!   extension, its text the whole file.
//! * **`-`** is stdin: JSON Lines if its first non-whitespace byte is `{`, else one plain-text
//!   document with id `stdin` (see [`sniff`]).
//!
//! # Example
//!
//! ```
//! use dyad_ingest::{read_inputs, InputOptions, Item};
//! use std::path::PathBuf;
//!
//! let dir = std::env::temp_dir().join(format!("dyad-ingest-doctest-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("b.txt"), "Azerbaijan and Turkiye signed a declaration.").unwrap();
//! std::fs::write(
//!     dir.join("a.jsonl"),
//!     "{\"id\": 7, \"text\": \"Russia attacked Ukraine.\", \"date\": \"2022-02-24\"}\n\
//!      this line is not JSON\n",
//! ).unwrap();
//!
//! let opts = InputOptions::default();
//! let mut docs = Vec::new();
//! let mut skipped = Vec::new();
//! for item in read_inputs(&[dir.clone()], &opts) {
//!     match item {
//!         Item::Doc(d) => docs.push(d),
//!         Item::Skipped(e) => skipped.push(e.to_string()),
//!         Item::Warning(w) => eprintln!("warning: {w}"),
//!     }
//! }
//! // a.jsonl comes before b.txt; the bad line is reported and reading goes on.
//! assert_eq!(docs[0].id, "7");
//! assert_eq!(docs[0].date.unwrap().to_string(), "2022-02-24");
//! assert_eq!(docs[1].id, "b");
//! assert_eq!(skipped.len(), 1);
//! assert!(skipped[0].contains("a.jsonl:2: malformed JSON"));
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use dyad_core::Document;
use serde_json::Value;

/// How inputs are read. [`Default`] gives the field names `id`, `text`, `date`, `url`,
/// `title`, `source`, no fallback date or outlet and a 128 MiB document size limit.
#[derive(Clone, Debug, PartialEq)]
pub struct InputOptions {
    /// JSONL field holding the document id (a string or a number).
    pub id_field: String,
    /// JSONL field holding the document text.
    pub text_field: String,
    /// JSONL field holding the publication date.
    pub date_field: String,
    /// JSONL field holding the URL.
    pub url_field: String,
    /// JSONL field holding the title.
    pub title_field: String,
    /// JSONL field holding the outlet that published the document ([`Document::source`]).
    pub source_field: String,
    /// The date given with `--doc-date`: used for every document whose record has no date.
    pub doc_date: Option<NaiveDate>,
    /// The outlet given with `--doc-source`: used for every document whose record names none
    /// (plain-text files always).
    pub doc_source: Option<String>,
    /// Documents (plain-text files, JSONL lines) larger than this many bytes are skipped.
    pub max_doc_bytes: usize,
    /// Files never read when met while walking a folder (compared after canonicalisation): the
    /// store's own files, when `dyad ingest` is pointed at the folder that holds the store.
    pub exclude: Vec<PathBuf>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            date_field: "date".into(),
            url_field: "url".into(),
            title_field: "title".into(),
            source_field: "source".into(),
            doc_date: None,
            doc_source: None,
            exclude: Vec::new(),
            max_doc_bytes: 128 * 1024 * 1024,
        }
    }
}

/// Why an input, or one line of it, was skipped or warned about.
///
/// Displays as `path:line: reason`, or `path: reason` when there is no line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {reason}", LineSuffix(*.line))]
pub struct IngestError {
    /// The path as given (or found in a folder walk), or `stdin`.
    pub path: String,
    /// 1-based line number, for JSON Lines input.
    pub line: Option<usize>,
    pub reason: String,
}

impl IngestError {
    pub fn new(path: impl Into<String>, line: Option<usize>, reason: impl Into<String>) -> Self {
        IngestError { path: path.into(), line, reason: reason.into() }
    }
}

/// Displays `:N` for `Some(N)`, nothing for `None`.
struct LineSuffix(Option<usize>);

impl fmt::Display for LineSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, ":{n}"),
            None => Ok(()),
        }
    }
}

/// One element of the input stream.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A document to code.
    Doc(Document),
    /// The input was left out (the run goes on).
    Skipped(IngestError),
    /// A problem that did not stop the document; emitted just before the [`Item::Doc`] it is
    /// about.
    Warning(IngestError),
}

/// What a stream of unknown kind (stdin) holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// JSON Lines: the first non-whitespace byte is `{`.
    Jsonl,
    /// Anything else: one plain-text document.
    Text,
}

/// Reads every input in `paths`, lazily, as a stream of [`Item`]s.
///
/// Folders are walked recursively in sorted order (hidden entries skipped), `-` is stdin,
/// `.jsonl`/`.ndjson`/`.json` files are JSON Lines and everything else is plain text.
/// The iterator never panics and never stops early: unreadable inputs become
/// [`Item::Skipped`].
pub fn read_inputs(paths: &[PathBuf], opts: &InputOptions) -> impl Iterator<Item = Item> {
    Inputs {
        queue: paths.iter().map(|p| Source::Path(p.clone())).collect(),
        current: None,
        pending: VecDeque::new(),
        opts: opts.clone(),
        visited: HashSet::new(),
    }
}

/// The total size in bytes of the files that [`read_inputs`] would read from `paths`: files as
/// they are, folders walked recursively (hidden entries skipped, symlinked folders followed
/// once), `-` and unreadable paths counted as 0. A cheap estimate of a run's size taken before
/// reading anything (`dyad ingest` uses it to decide whether a run is a bulk load).
///
/// ```
/// let dir = std::env::temp_dir().join(format!("dyad-doc-input-bytes-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("sub")).unwrap();
/// std::fs::write(dir.join("a.txt"), "12345").unwrap();
/// std::fs::write(dir.join("sub/b.txt"), "123").unwrap();
/// std::fs::write(dir.join(".hidden"), "123456789").unwrap();
/// assert_eq!(dyad_ingest::input_bytes(&[dir.clone(), "-".into()]), 8);
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn input_bytes(paths: &[PathBuf]) -> u64 {
    fn walk(path: &Path, visited: &mut HashSet<PathBuf>) -> u64 {
        let Ok(meta) = std::fs::metadata(path) else { return 0 };
        if !meta.is_dir() {
            return meta.len();
        }
        if !std::fs::canonicalize(path).is_ok_and(|c| visited.insert(c)) {
            return 0;
        }
        let Ok(rd) = std::fs::read_dir(path) else { return 0 };
        rd.filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| walk(&e.path(), visited))
            .sum()
    }
    let mut visited = HashSet::new();
    paths.iter().filter(|p| p.as_os_str() != "-").map(|p| walk(p, &mut visited)).sum()
}

/// Reads one stream whose kind is not known in advance (what `-` does with stdin):
/// [`sniff`]s it, then yields JSON Lines documents (ids defaulting to `<name>-<line>`) or a
/// single plain-text document with id `name`.
///
/// ```
/// use dyad_ingest::{read_stream, InputOptions, Item};
/// let input = "\n  {\"id\": \"x\", \"text\": \"Iran threatened Israel.\"}\n";
/// let items: Vec<Item> = read_stream("stdin", input.as_bytes(), &InputOptions::default()).collect();
/// assert!(matches!(&items[0], Item::Doc(d) if d.id == "x"));
///
/// let items: Vec<Item> = read_stream("stdin", &b"Iran threatened Israel."[..], &InputOptions::default()).collect();
/// assert!(matches!(&items[0], Item::Doc(d) if d.id == "stdin" && d.provenance.as_deref() == Some("stdin")));
/// ```
pub fn read_stream<R: Read + 'static>(name: &str, reader: R, opts: &InputOptions) -> Box<dyn Iterator<Item = Item>> {
    match sniff(reader) {
        Err(e) => Box::new(std::iter::once(Item::Skipped(IngestError::new(name, None, e.to_string())))),
        Ok((StreamKind::Jsonl, r)) => Box::new(JsonlItems::new(
            name.to_string(),
            name.to_string(),
            BufReader::with_capacity(64 * 1024, r),
            opts.clone(),
        )),
        Ok((StreamKind::Text, r)) => {
            let items = match read_limited(r, opts.max_doc_bytes) {
                Ok(Some(bytes)) => text_items(name, name, bytes, opts),
                Ok(None) => vec![too_large(name, None, opts.max_doc_bytes)],
                Err(e) => vec![Item::Skipped(IngestError::new(name, None, e.to_string()))],
            };
            Box::new(items.into_iter())
        }
    }
}

/// Decides whether a stream is JSON Lines or plain text, without losing any of it.
///
/// Reads past leading whitespace (and a UTF-8 byte-order mark): if the first other byte is
/// `{` the stream is [`StreamKind::Jsonl`], otherwise [`StreamKind::Text`] (an empty stream is
/// `Text`). The returned reader replays the bytes already read, then the rest of the stream.
///
/// ```
/// use dyad_ingest::{sniff, StreamKind};
/// use std::io::Read;
/// let (kind, mut r) = sniff(&b" \n{\"text\": \"hi\"}"[..]).unwrap();
/// assert_eq!(kind, StreamKind::Jsonl);
/// let mut all = String::new();
/// r.read_to_string(&mut all).unwrap();
/// assert_eq!(all, " \n{\"text\": \"hi\"}");
/// assert_eq!(sniff(&b"  plain [text]"[..]).unwrap().0, StreamKind::Text);
/// ```
pub fn sniff<R: Read>(mut reader: R) -> io::Result<(StreamKind, Replay<R>)> {
    let mut prefix = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut scanned = 0;
    let kind = loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break StreamKind::Text;
        }
        prefix.extend_from_slice(&chunk[..n]);
        let mut decided = None;
        while scanned < prefix.len() {
            // Skip a BOM only at the very start of the stream.
            if scanned == 0 && prefix.len() < 3 && BOM.starts_with(&prefix) {
                break; // need more bytes to know whether this is a BOM
            }
            if scanned == 0 && prefix.starts_with(BOM) {
                scanned = 3;
                continue;
            }
            let b = prefix[scanned];
            if is_ascii_ws(b) {
                scanned += 1;
                continue;
            }
            decided = Some(if b == b'{' { StreamKind::Jsonl } else { StreamKind::Text });
            break;
        }
        if let Some(k) = decided {
            break k;
        }
    };
    Ok((kind, Cursor::new(prefix).chain(reader)))
}

/// A reader that replays the bytes [`sniff`] looked at, then the rest of the stream.
pub type Replay<R> = io::Chain<Cursor<Vec<u8>>, R>;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn too_large(path: &str, line: Option<usize>, max: usize) -> Item {
    Item::Skipped(IngestError::new(path, line, format!("document larger than {max} bytes (max_doc_bytes)")))
}

/// Reads at most `max` bytes; `None` if there was more.
fn read_limited<R: Read>(r: R, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    r.take(max as u64 + 1).read_to_end(&mut buf)?;
    Ok(if buf.len() > max { None } else { Some(buf) })
}

/// Is this JSON Lines input, by extension?
fn is_jsonl_path(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            let e = e.to_ascii_lowercase();
            e == "jsonl" || e == "ndjson" || e == "json"
        })
        .unwrap_or(false)
}

fn file_stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| p.to_string_lossy().into_owned())
}

/// True when the bytes look like a binary file: a NUL in the first 8 KiB, or more than 30%
/// control bytes (other than tab, newline, carriage return, form feed and escape).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    if bytes.is_empty() {
        return false;
    }
    let control =
        bytes.iter().filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f).count();
    control * 10 > bytes.len() * 3
}

/// Turns the bytes of a plain-text input into items: binary / empty checks, BOM stripping,
/// lossy decoding with a warning.
fn text_items(path: &str, id: &str, bytes: Vec<u8>, opts: &InputOptions) -> Vec<Item> {
    if looks_binary(&bytes) {
        return vec![Item::Skipped(IngestError::new(path, None, "binary file"))];
    }
    let (bom, body) = if bytes.starts_with(BOM) { (3, &bytes[3..]) } else { (0, &bytes[..]) };
    let mut items = Vec::new();
    let text = match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let text = String::from_utf8_lossy(body).into_owned();
            if !text.trim().is_empty() {
                items.push(Item::Warning(IngestError::new(
                    path,
                    None,
                    format!("invalid UTF-8 at byte {}, decoded lossily", bom + e.valid_up_to()),
                )));
            }
            text
        }
    };
    if text.trim().is_empty() {
        return vec![Item::Skipped(IngestError::new(path, None, "empty file"))];
    }
    items.push(Item::Doc(Document {
        id: id.to_string(),
        text,
        date: opts.doc_date,
        url: None,
        title: None,
        source: opts.doc_source.clone(),
        provenance: Some(path.to_string()),
    }));
    items
}

fn read_text_file(path: &Path, opts: &InputOptions) -> Vec<Item> {
    let name = path.display().to_string();
    let skip = |reason: String| vec![Item::Skipped(IngestError::new(name.clone(), None, reason))];
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return skip(e.to_string()),
    };
    if let Ok(meta) = file.metadata() {
        if meta.is_file() && meta.len() > opts.max_doc_bytes as u64 {
            return vec![too_large(&name, None, opts.max_doc_bytes)];
        }
    }
    match read_limited(file, opts.max_doc_bytes) {
        Ok(Some(bytes)) => text_items(&name, &file_stem(path), bytes, opts),
        Ok(None) => vec![too_large(&name, None, opts.max_doc_bytes)],
        Err(e) => skip(e.to_string()),
    }
}

enum Source {
    Path(PathBuf),
    /// A file found in a folder walk (already known not to be a folder or hidden).
    Walked(PathBuf),
}

struct Inputs {
    queue: VecDeque<Source>,
    current: Option<Box<dyn Iterator<Item = Item>>>,
    /// Items already produced by opening a source, yielded before anything else.
    pending: VecDeque<Item>,
    opts: InputOptions,
    /// Canonical paths of folders already walked (guards against symlink loops).
    visited: HashSet<PathBuf>,
}

impl Inputs {
    /// Opens one queued source: returns items to yield now, or installs a streaming reader.
    fn open(&mut self, src: Source) -> Vec<Item> {
        let path = match src {
            Source::Path(p) if p.as_os_str() == "-" => {
                self.current = Some(read_stream("stdin", io::stdin(), &self.opts));
                return Vec::new();
            }
            Source::Path(p) | Source::Walked(p) => p,
        };
        let name = path.display().to_string();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return vec![Item::Skipped(IngestError::new(name, None, e.to_string()))],
        };
        if meta.is_dir() {
            return self.walk_dir(&path);
        }
        if is_jsonl_path(&path) {
            match File::open(&path) {
                Ok(f) => {
                    self.current = Some(Box::new(JsonlItems::new(
                        name,
                        file_stem(&path),
                        BufReader::with_capacity(64 * 1024, f),
                        self.opts.clone(),
                    )));
                    Vec::new()
                }
                Err(e) => vec![Item::Skipped(IngestError::new(name, None, e.to_string()))],
            }
        } else {
            read_text_file(&path, &self.opts)
        }
    }

    fn walk_dir(&mut self, dir: &Path) -> Vec<Item> {
        let name = dir.display().to_string();
        if let Ok(canon) = std::fs::canonicalize(dir) {
            if !self.visited.insert(canon) {
                return vec![Item::Skipped(IngestError::new(name, None, "folder already read (symlink loop?)"))];
            }
        }
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return vec![Item::Skipped(IngestError::new(name, None, e.to_string()))],
        };
        let mut items = Vec::new();
        let mut entries = Vec::new();
        for entry in rd {
            match entry {
                Ok(e) => {
                    let fname = e.file_name();
                    if fname.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if !self.opts.exclude.is_empty()
                        && std::fs::canonicalize(e.path()).is_ok_and(|c| self.opts.exclude.contains(&c))
                    {
                        continue;
                    }
                    entries.push((fname, e.path()));
                }
                Err(e) => items.push(Item::Skipped(IngestError::new(name.clone(), None, e.to_string()))),
            }
        }
        entries.sort();
        for (_, p) in entries.into_iter().rev() {
            self.queue.push_front(Source::Walked(p));
        }
        items
    }
}

impl Iterator for Inputs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if let Some(cur) = self.current.as_mut() {
                if let Some(item) = cur.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let src = self.queue.pop_front()?;
            let items = self.open(src);
            self.pending.extend(items);
        }
    }
}

/// Result of reading one line with a size limit.
enum Line {
    Eof,
    /// The line (without its `\n`) is in the buffer.
    Ok,
    /// The line was longer than the limit and was skipped; its length in bytes.
    TooLong(usize),
}

/// Reads one `\n`-terminated line into `buf` (cleared first), holding at most `limit` bytes
/// in memory: a longer line is consumed up to its newline and reported as `TooLong`.
fn read_line_limited<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, limit: usize) -> io::Result<Line> {
    buf.clear();
    let mut len = 0usize;
    let mut too_long = false;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (chunk, consumed, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        len += chunk.len();
        // Hold at most limit + 1 bytes (room for a trailing '\r', which does not count).
        if !too_long {
            if len > limit.saturating_add(1) {
                too_long = true;
                buf.clear();
                buf.shrink_to(64 * 1024);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(consumed);
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if !too_long && buf.last() == Some(&b'\r') {
        buf.pop();
    }
    if too_long || buf.len() > limit {
        return Ok(Line::TooLong(len));
    }
    Ok(Line::Ok)
}

/// Streams the documents of a JSON Lines input.
struct JsonlItems<R: BufRead> {
    path: String,
    stem: String,
    reader: R,
    opts: InputOptions,
    line_no: usize,
    buf: Vec<u8>,
    pending: VecDeque<Item>,
    done: bool,
}

impl<R: BufRead> JsonlItems<R> {
    fn new(path: String, stem: String, reader: R, opts: InputOptions) -> Self {
        JsonlItems { path, stem, reader, opts, line_no: 0, buf: Vec::new(), pending: VecDeque::new(), done: false }
    }

    fn err(&self, reason: impl Into<String>) -> IngestError {
        IngestError::new(self.path.clone(), Some(self.line_no), reason)
    }

    /// Parses the line in `self.buf` into `self.pending`.
    fn parse_line(&mut self) {
        let mut bytes: &[u8] = &self.buf;
        if self.line_no == 1 && bytes.starts_with(BOM) {
            bytes = &bytes[3..];
        }
        if bytes.iter().all(|&b| is_ascii_ws(b)) {
            return;
        }
        let owned;
        let text: &str = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let w = self.err(format!("invalid UTF-8 at byte {}, decoded lossily", e.valid_up_to()));
                self.pending.push_back(Item::Warning(w));
                owned = String::from_utf8_lossy(bytes).into_owned();
                &owned
            }
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let e = self.err(format!("malformed JSON: {e}"));
                self.pending.push_back(Item::Skipped(e));
                return;
            }
        };
        let Value::Object(obj) = value else {
            let e = self.err("expected a JSON object");
            self.pending.push_back(Item::Skipped(e));
            return;
        };
        let o = &self.opts;
        let text = match obj.get(&o.text_field) {
            None | Some(Value::Null) => {
                let e = self.err(format!("no text field {:?}", o.text_field));
                self.pending.push_back(Item::Skipped(e));
                return;
            }
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                let e = self.err(format!("text field {:?} is not a string", o.text_field));
                self.pending.push_back(Item::Skipped(e));
                return;
            }
        };
        if text.trim().is_empty() {
            let e = self.err(format!("empty text field {:?}", o.text_field));
            self.pending.push_back(Item::Skipped(e));
            return;
        }
        let id = match obj.get(&o.id_field) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("{}-{}", self.stem, self.line_no),
        };
        let date = match obj.get(&o.date_field) {
            None | Some(Value::Null) => o.doc_date,
            Some(Value::String(s)) if s.trim().is_empty() => o.doc_date,
            Some(v) => {
                let s = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match parse_date(&s) {
                    Some(d) => Some(d),
                    None => {
                        let w =
                            self.err(format!("unparseable date {s:?} in field {:?}, date left empty", o.date_field));
                        self.pending.push_back(Item::Warning(w));
                        None
                    }
                }
            }
        };
        let string_field = |f: &str| match obj.get(f) {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        let doc = Document {
            id,
            text,
            date,
            url: string_field(&o.url_field),
            title: string_field(&o.title_field),
            source: string_field(&o.source_field).filter(|s| !s.trim().is_empty()).or_else(|| o.doc_source.clone()),
            provenance: Some(format!("{}:{}", self.path, self.line_no)),
        };
        self.pending.push_back(Item::Doc(doc));
    }
}

impl<R: BufRead> Iterator for JsonlItems<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            let mut buf = std::mem::take(&mut self.buf);
            let res = read_line_limited(&mut self.reader, &mut buf, self.opts.max_doc_bytes);
            self.buf = buf;
            match res {
                Ok(Line::Eof) => self.done = true,
                Ok(Line::Ok) => {
                    self.line_no += 1;
                    self.parse_line();
                }
                Ok(Line::TooLong(len)) => {
                    self.line_no += 1;
                    let e = self.err(format!(
                        "line of {len} bytes is larger than {} bytes (max_doc_bytes)",
                        self.opts.max_doc_bytes
                    ));
                    self.pending.push_back(Item::Skipped(e));
                }
                Err(e) => {
                    self.done = true;
                    let e = IngestError::new(self.path.clone(), Some(self.line_no + 1), format!("read error: {e}"));
                    self.pending.push_back(Item::Skipped(e));
                }
            }
        }
    }
}

/// Parses a document date: `YYYY-MM-DD`, any RFC 3339 date-time (`2024-01-15T10:00:00Z`,
/// `...+02:00`; the date as written, in its own offset), `YYYYMMDD`, `YYYY/MM/DD`, and
/// leniently `YYYY-MM-DD` followed by `T` or a space and anything.
///
/// ```
/// use dyad_ingest::parse_date;
/// let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
/// for s in ["2024-01-15", "2024-01-15T23:30:00-05:00", "20240115", "2024/01/15", "2024-01-15 08:00"] {
///     assert_eq!(parse_date(s), Some(d), "{s}");
/// }
/// assert_eq!(parse_date("15 January 2024"), None);
/// assert_eq!(parse_date("2024-02-30"), None);
/// ```
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..].parse().ok()?);
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y/%m/%d") {
        return Some(d);
    }
    if s.len() > 10 && s.is_char_boundary(10) && matches!(s.as_bytes()[10], b'T' | b' ') {
        return NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").ok();
    }
    None
}

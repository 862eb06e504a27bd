//! Event printers for dyad, in the spirit of ripgrep's printer crate: the coder hands
//! [`Event`]s to an [`EventPrinter`], which owns the output format.
//!
//! * [`JsonLines`] writes one compact JSON object per event per line, with exactly the fields
//!   of [`dyad_core::Event`] in their declared order, so the output reads back with serde.
//! * [`Tsv`] writes a header row and one tab-separated line per event with the flat columns
//!   in [`TSV_COLUMNS`]; tabs and newlines inside fields become spaces, `None` is empty.
//!
//! A printer's life is `begin`, any number of `print`s, then `finish` (which flushes).
//!
//! # Example
//!
//! ```
//! use dyad_core::{Actor, Event};
//! use dyad_printer::{printer, EventPrinter, Format, JsonLines};
//!
//! let event = Event {
//!     doc_id: "d1".into(),
//!     source: Actor { text: "Azerbaijan".into(), code: "AZE".into(), country: Some("AZE".into()), ..Default::default() },
//!     cameo: "057".into(),
//!     root: "05".into(),
//!     ..Default::default()
//! };
//!
//! // A concrete printer, writing into a Vec.
//! let mut p = JsonLines::new(Vec::new());
//! p.begin().unwrap();
//! p.print(&event).unwrap();
//! p.finish().unwrap();
//! let out = String::from_utf8(p.into_inner()).unwrap();
//! let back: Event = serde_json::from_str(out.trim_end()).unwrap();
//! assert_eq!(back, event);
//!
//! // Or chosen at run time from a format name.
//! let format: Format = "tsv".parse().unwrap();
//! let mut p = printer(format, std::io::sink());
//! p.begin().unwrap();
//! p.print(&event).unwrap();
//! p.finish().unwrap();
//! ```

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use dyad_core::{Actor, Event};

/// Something that writes events out.
pub trait EventPrinter {
    /// Starts the output (writes a header, if the format has one).
    fn begin(&mut self) -> io::Result<()>;
    /// Writes one event.
    fn print(&mut self, e: &Event) -> io::Result<()>;
    /// Ends the output and flushes it.
    fn finish(&mut self) -> io::Result<()>;
}

impl<P: EventPrinter + ?Sized> EventPrinter for Box<P> {
    fn begin(&mut self) -> io::Result<()> {
        (**self).begin()
    }
    fn print(&mut self, e: &Event) -> io::Result<()> {
        (**self).print(e)
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

impl<P: EventPrinter + ?Sized> EventPrinter for &mut P {
    fn begin(&mut self) -> io::Result<()> {
        (**self).begin()
    }
    fn print(&mut self, e: &Event) -> io::Result<()> {
        (**self).print(e)
    }
    fn finish(&mut self) -> io::Result<()> {
        (**self).finish()
    }
}

/// One compact JSON object per line: the serde serialisation of [`Event`].
#[derive(Debug)]
pub struct JsonLines<W: Write> {
    w: W,
}

impl<W: Write> JsonLines<W> {
    pub fn new(w: W) -> Self {
        JsonLines { w }
    }
    pub fn get_ref(&self) -> &W {
        &self.w
    }
    pub fn into_inner(self) -> W {
        self.w
    }
}

impl<W: Write> EventPrinter for JsonLines<W> {
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn print(&mut self, e: &Event) -> io::Result<()> {
        serde_json::to_writer(&mut self.w, e)?;
        self.w.write_all(b"\n")
    }
    fn finish(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// The TSV columns, in order. The header row is these names joined by tabs.
pub const TSV_COLUMNS: [&str; 30] = [
    "event_id",
    "doc_id",
    "sentence_index",
    "date",
    "date_precision",
    "source_code",
    "source_country",
    "source_org",
    "source_sector",
    "source_name",
    "source_text",
    "target_code",
    "target_country",
    "target_org",
    "target_sector",
    "target_name",
    "target_text",
    "cameo",
    "root",
    "goldstein",
    "quad_class",
    "plover_type",
    "plover_mode",
    "negated",
    "hypothetical",
    "symmetric",
    "rule",
    "trigger_start",
    "trigger_end",
    "sentence",
];

/// A header row, then one tab-separated line per event (columns: [`TSV_COLUMNS`]).
///
/// Tabs, newlines and carriage returns inside a field are replaced by spaces; `None` and a
/// missing target are empty fields; booleans are `true`/`false`.
#[derive(Debug)]
pub struct Tsv<W: Write> {
    w: W,
    header_written: bool,
}

impl<W: Write> Tsv<W> {
    pub fn new(w: W) -> Self {
        Tsv { w, header_written: false }
    }
    pub fn get_ref(&self) -> &W {
        &self.w
    }
    pub fn into_inner(self) -> W {
        self.w
    }
}

/// Writes a field with tabs and line breaks turned into spaces.
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn actor_fields(a: Option<&Actor>) -> [String; 6] {
    match a {
        Some(a) => [a.code.clone(), opt(&a.country), opt(&a.org), opt(&a.sector), opt(&a.name), a.text.clone()],
        None => Default::default(),
    }
}

/// The flattened event, in [`TSV_COLUMNS`] order, with text as it is (tabs and newlines kept):
/// the fields every tabular output starts from (`dyad-export`'s CSV adds its own after them).
pub fn event_fields(e: &Event) -> Vec<String> {
    let mut f = Vec::with_capacity(TSV_COLUMNS.len());
    f.push(e.event_id.clone());
    f.push(e.doc_id.clone());
    f.push(e.sentence_index.to_string());
    f.push(opt(&e.date));
    f.push(e.date_precision.as_str().to_string());
    f.extend(actor_fields(Some(&e.source)));
    f.extend(actor_fields(e.target.as_ref()));
    f.push(e.cameo.clone());
    f.push(e.root.clone());
    f.push(e.goldstein.to_string());
    f.push(e.quad_class.to_string());
    f.push(e.plover.kind.clone());
    f.push(opt(&e.plover.mode));
    f.push(e.negated.to_string());
    f.push(e.hypothetical.to_string());
    f.push(e.symmetric.to_string());
    f.push(e.rule.clone());
    f.push(e.offsets.trigger[0].to_string());
    f.push(e.offsets.trigger[1].to_string());
    f.push(e.sentence.clone());
    debug_assert_eq!(f.len(), TSV_COLUMNS.len());
    f
}

/// The TSV fields of one event, in [`TSV_COLUMNS`] order: [`event_fields`] with tabs, newlines
/// and carriage returns replaced by spaces.
pub fn tsv_fields(e: &Event) -> Vec<String> {
    event_fields(e).iter().map(|s| clean(s)).collect()
}

impl<W: Write> EventPrinter for Tsv<W> {
    fn begin(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            writeln!(self.w, "{}", TSV_COLUMNS.join("\t"))?;
        }
        Ok(())
    }
    fn print(&mut self, e: &Event) -> io::Result<()> {
        self.begin()?;
        writeln!(self.w, "{}", tsv_fields(e).join("\t"))
    }
    fn finish(&mut self) -> io::Result<()> {
        self.begin()?;
        self.w.flush()
    }
}

/// An output format, parsed from its name (`jsonl`, also `json`/`ndjson`; `tsv`), case
/// insensitive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    #[default]
    Jsonl,
    Tsv,
}

/// An unknown format name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {0:?} (expected \"jsonl\" or \"tsv\")")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" => Ok(Format::Jsonl),
            "tsv" => Ok(Format::Tsv),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Jsonl => "jsonl",
            Format::Tsv => "tsv",
        })
    }
}

/// A boxed printer for `format`, writing to `w`.
pub fn printer<W: Write + 'static>(format: Format, w: W) -> Box<dyn EventPrinter> {
    match format {
        Format::Jsonl => Box::new(JsonLines::new(w)),
        Format::Tsv => Box::new(Tsv::new(w)),
    }
}

/// The header line of a format, if it has one (TSV), with its newline.
pub fn header(format: Format) -> Option<String> {
    match format {
        Format::Jsonl => None,
        Format::Tsv => Some(format!("{}\n", TSV_COLUMNS.join("\t"))),
    }
}

/// Render one event as one line of `format` (no header), appending to `buf`. With [`header`],
/// this lets a caller render events on many threads and write them in order on one.
///
/// ```
/// let e = dyad_core::Event { event_id: "e1".into(), cameo: "042".into(), ..Default::default() };
/// let mut buf = Vec::new();
/// dyad_printer::render(dyad_printer::Format::Tsv, &e, &mut buf).unwrap();
/// assert!(buf.starts_with(b"e1\t"));
/// assert_eq!(buf.last(), Some(&b'\n'));
/// ```
pub fn render(format: Format, e: &Event, buf: &mut Vec<u8>) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            serde_json::to_writer(&mut *buf, e)?;
            buf.push(b'\n');
        }
        Format::Tsv => {
            buf.extend_from_slice(tsv_fields(e).join("\t").as_bytes());
            buf.push(b'\n');
        }
    }
    Ok(())
}

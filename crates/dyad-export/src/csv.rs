//! CSV (RFC 4180): a header, then one row per mention.
//!
//! The columns ([`CSV_COLUMNS`]) are the flattened event, exactly as `dyad-printer`'s TSV
//! columns, followed by `cluster_id`, `doc_url`, `doc_title` and `doc_date`. `None` and a
//! missing target are empty fields; booleans are `true`/`false`.
//!
//! Quoting follows RFC 4180, which every spreadsheet and CSV library reads: a field that
//! contains a comma, a double quote, a carriage return or a line feed is enclosed in double
//! quotes, and a double quote inside it is doubled (`say "hi"` → `"say ""hi"""`). Fields are
//! otherwise written as they are — line breaks inside a sentence survive, unlike in TSV. Lines
//! end with CRLF, as the RFC says.

use std::borrow::{Borrow, Cow};
use std::io::Write;

use dyad_store::EventRow;

use crate::ExportError;

/// The CSV header: the event columns of `dyad-printer`'s TSV, then the cluster and document.
pub const CSV_COLUMNS: [&str; 34] = [
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
    "cluster_id",
    "doc_url",
    "doc_title",
    "doc_date",
];

/// Quotes a field if RFC 4180 requires it.
///
/// ```
/// # use dyad_export::csv::quote;
/// assert_eq!(quote("plain"), "plain");
/// assert_eq!(quote("a,b"), "\"a,b\"");
/// assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(quote("two\nlines"), "\"two\nlines\"");
/// ```
pub fn quote(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The unquoted fields of one row, in [`CSV_COLUMNS`] order: the event as `dyad-printer`
/// flattens it, then the cluster and document.
pub fn csv_fields(r: &EventRow) -> Vec<String> {
    let mut f = dyad_printer::event_fields(&r.event);
    f.reserve(CSV_COLUMNS.len() - f.len());
    f.push(r.cluster_id.to_string());
    f.push(opt(&r.doc.url));
    f.push(opt(&r.doc.title));
    f.push(opt(&r.doc.date));
    debug_assert_eq!(f.len(), CSV_COLUMNS.len());
    f
}

fn write_row<W: Write>(w: &mut W, fields: impl IntoIterator<Item = impl AsRef<str>>) -> std::io::Result<()> {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(quote(field.as_ref()).as_bytes())?;
    }
    w.write_all(b"\r\n")
}

/// Writes the header and one CSV row per event row; returns the number of rows (the header not
/// counted).
///
/// ```
/// use dyad_export::{csv_events, EventRow};
///
/// let mut row = EventRow { cluster_id: 4, ..Default::default() };
/// row.event.sentence = "Baku, Ankara and \"others\" met.".into();
/// let mut out = Vec::new();
/// assert_eq!(csv_events(&mut out, [&row]).unwrap(), 1);
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(r#","Baku, Ankara and ""others"" met.",4,"#));
/// ```
pub fn csv_events<W: Write, R: Borrow<EventRow>>(
    mut w: W,
    events: impl IntoIterator<Item = R>,
) -> Result<usize, ExportError> {
    write_row(&mut w, CSV_COLUMNS)?;
    let mut n = 0;
    for r in events {
        write_row(&mut w, csv_fields(r.borrow()))?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

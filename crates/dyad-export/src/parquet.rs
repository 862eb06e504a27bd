//! Apache Parquet: one row per mention, typed columns, Snappy-compressed, streamed in row groups.
//!
//! The file is meant to be opened as-is by pandas, Polars, DuckDB, Spark or pyarrow, so it uses
//! only plain flat types: `Utf8` strings, `Int64`, `Float64` and `Boolean` — no nested columns,
//! no dictionary-typed or extension columns. A column is nullable exactly where the data is
//! optional (a missing target, an undated event, an unknown sector…). The columns are those of
//! [`CSV_COLUMNS`](crate::CSV_COLUMNS) with their natural types (`plover_type` is null rather
//! than empty when the CAMEO code has no PLOVER type), followed by the source and target
//! character spans, the location, the store row id and the document's metadata; see
//! [`PARQUET_COLUMNS`].
//!
//! Rows are buffered in Arrow column builders and written out as a row group each time
//! [`ROW_GROUP_ROWS`] rows have accumulated, so memory stays bounded however many rows you
//! export. The footer is written by [`ParquetEventWriter::finish`]; a file without it is not
//! readable, so always finish.

use std::borrow::Borrow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::file::properties::WriterProperties;
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use dyad_store::EventRow;

use crate::ExportError;

/// Rows per row group (64 Ki), written as soon as they are complete.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// A column's value for one row, borrowed from the row.
enum Val<'a> {
    Str(Option<&'a str>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(bool),
}

/// A column: name, Arrow type, nullability and how to get its value from a row.
struct Col {
    name: &'static str,
    ty: DataType,
    nullable: bool,
    get: for<'a> fn(&'a EventRow) -> Val<'a>,
}

const fn col(name: &'static str, ty: DataType, nullable: bool, get: for<'a> fn(&'a EventRow) -> Val<'a>) -> Col {
    Col { name, ty, nullable, get }
}

fn some(s: &str) -> Val<'_> {
    Val::Str(Some(s))
}
fn opt(s: &Option<String>) -> Val<'_> {
    Val::Str(s.as_deref())
}
fn non_empty(s: &str) -> Val<'_> {
    Val::Str(Some(s).filter(|s| !s.is_empty()))
}
fn int(v: i64) -> Val<'static> {
    Val::Int(Some(v))
}

use DataType::{Boolean as B, Float64 as F, Int64 as I, Utf8 as S};

/// All columns, in file order.
static COLUMNS: &[Col] = &[
    col("event_id", S, false, |r| some(&r.event.event_id)),
    col("doc_id", S, false, |r| some(&r.event.doc_id)),
    col("sentence_index", I, false, |r| int(r.event.sentence_index as i64)),
    col("date", S, true, |r| opt(&r.event.date)),
    col("date_precision", S, false, |r| some(r.event.date_precision.as_str())),
    col("source_code", S, false, |r| some(&r.event.source.code)),
    col("source_country", S, true, |r| opt(&r.event.source.country)),
    col("source_org", S, true, |r| opt(&r.event.source.org)),
    col("source_sector", S, true, |r| opt(&r.event.source.sector)),
    col("source_name", S, true, |r| opt(&r.event.source.name)),
    col("source_text", S, false, |r| some(&r.event.source.text)),
    col("target_code", S, true, |r| Val::Str(r.event.target.as_ref().map(|t| t.code.as_str()))),
    col("target_country", S, true, |r| Val::Str(r.event.target.as_ref().and_then(|t| t.country.as_deref()))),
    col("target_org", S, true, |r| Val::Str(r.event.target.as_ref().and_then(|t| t.org.as_deref()))),
    col("target_sector", S, true, |r| Val::Str(r.event.target.as_ref().and_then(|t| t.sector.as_deref()))),
    col("target_name", S, true, |r| Val::Str(r.event.target.as_ref().and_then(|t| t.name.as_deref()))),
    col("target_text", S, true, |r| Val::Str(r.event.target.as_ref().map(|t| t.text.as_str()))),
    col("cameo", S, false, |r| some(&r.event.cameo)),
    col("root", S, false, |r| some(&r.event.root)),
    col("goldstein", F, false, |r| Val::Float(Some(r.event.goldstein))),
    col("quad_class", I, false, |r| int(r.event.quad_class as i64)),
    col("plover_type", S, true, |r| non_empty(&r.event.plover.kind)),
    col("plover_mode", S, true, |r| opt(&r.event.plover.mode)),
    col("negated", B, false, |r| Val::Bool(r.event.negated)),
    col("hypothetical", B, false, |r| Val::Bool(r.event.hypothetical)),
    col("symmetric", B, false, |r| Val::Bool(r.event.symmetric)),
    col("rule", S, false, |r| some(&r.event.rule)),
    col("trigger_start", I, false, |r| int(r.event.offsets.trigger[0] as i64)),
    col("trigger_end", I, false, |r| int(r.event.offsets.trigger[1] as i64)),
    col("sentence", S, false, |r| some(&r.event.sentence)),
    col("cluster_id", I, false, |r| int(r.cluster_id)),
    col("doc_url", S, true, |r| opt(&r.doc.url)),
    col("doc_title", S, true, |r| opt(&r.doc.title)),
    col("doc_date", S, true, |r| opt(&r.doc.date)),
    col("source_start", I, true, |r| Val::Int(r.event.offsets.source.map(|o| o[0] as i64))),
    col("source_end", I, true, |r| Val::Int(r.event.offsets.source.map(|o| o[1] as i64))),
    col("target_start", I, true, |r| Val::Int(r.event.offsets.target.map(|o| o[0] as i64))),
    col("target_end", I, true, |r| Val::Int(r.event.offsets.target.map(|o| o[1] as i64))),
    col("location_name", S, true, |r| Val::Str(r.event.location.as_ref().map(|l| l.name.as_str()))),
    col("location_country", S, true, |r| Val::Str(r.event.location.as_ref().and_then(|l| l.country.as_deref()))),
    col("location_lat", F, true, |r| Val::Float(r.event.location.as_ref().and_then(|l| l.lat))),
    col("location_lon", F, true, |r| Val::Float(r.event.location.as_ref().and_then(|l| l.lon))),
    col("date_source", S, false, |r| some(&r.event.date_source)),
    col("row_id", I, false, |r| int(r.id)),
    col("doc_source", S, true, |r| opt(&r.doc.source)),
    col("doc_added", S, false, |r| some(&r.doc.added)),
    col("doc_provenance", S, true, |r| opt(&r.doc.provenance)),
];

/// The Parquet column names, in file order.
pub const PARQUET_COLUMNS: [&str; 47] = [
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
    "source_start",
    "source_end",
    "target_start",
    "target_end",
    "location_name",
    "location_country",
    "location_lat",
    "location_lon",
    "date_source",
    "row_id",
    "doc_source",
    "doc_added",
    "doc_provenance",
];

/// The Arrow schema of the file.
pub fn parquet_schema() -> SchemaRef {
    Arc::new(Schema::new(COLUMNS.iter().map(|c| Field::new(c.name, c.ty.clone(), c.nullable)).collect::<Vec<_>>()))
}

enum Builder {
    Str(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(ty: &DataType) -> Self {
        match ty {
            DataType::Utf8 => Builder::Str(StringBuilder::new()),
            DataType::Int64 => Builder::Int(Int64Builder::new()),
            DataType::Float64 => Builder::Float(Float64Builder::new()),
            DataType::Boolean => Builder::Bool(BooleanBuilder::new()),
            other => unreachable!("no builder for {other}"),
        }
    }

    fn append(&mut self, v: Val<'_>) {
        match (self, v) {
            (Builder::Str(b), Val::Str(v)) => b.append_option(v),
            (Builder::Int(b), Val::Int(v)) => b.append_option(v),
            (Builder::Float(b), Val::Float(v)) => b.append_option(v),
            (Builder::Bool(b), Val::Bool(v)) => b.append_value(v),
            _ => unreachable!("column type and value disagree"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// A streaming Parquet writer of event rows: [`write`](Self::write) rows, then
/// [`finish`](Self::finish).
///
/// ```
/// use dyad_export::{EventRow, ParquetEventWriter};
///
/// let mut w = ParquetEventWriter::new(Vec::new()).unwrap();
/// for id in 0..3 {
///     w.write(&EventRow { id, cluster_id: id, ..Default::default() }).unwrap();
/// }
/// let (n, bytes) = w.finish_into_inner().unwrap();
/// assert_eq!(n, 3);
/// assert_eq!(&bytes[..4], b"PAR1");
/// ```
pub struct ParquetEventWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    builders: Vec<Builder>,
    buffered: usize,
    written: usize,
}

impl<W: Write + Send> ParquetEventWriter<W> {
    /// Starts a Parquet file on `w` (Snappy compression, [`ROW_GROUP_ROWS`] rows per row group).
    pub fn new(w: W) -> Result<Self, ExportError> {
        let schema = parquet_schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_size(ROW_GROUP_ROWS)
            .set_created_by(format!("dyad-export {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(w, schema.clone(), Some(props))?;
        let builders = COLUMNS.iter().map(|c| Builder::new(&c.ty)).collect();
        Ok(ParquetEventWriter { writer, schema, builders, buffered: 0, written: 0 })
    }

    /// Adds one row; writes a row group out when [`ROW_GROUP_ROWS`] rows are buffered.
    pub fn write(&mut self, row: &EventRow) -> Result<(), ExportError> {
        for (b, c) in self.builders.iter_mut().zip(COLUMNS) {
            b.append((c.get)(row));
        }
        self.buffered += 1;
        if self.buffered >= ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Rows written so far (including those still buffered).
    pub fn count(&self) -> usize {
        self.written + self.buffered
    }

    fn flush_group(&mut self) -> Result<(), ExportError> {
        if self.buffered == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        // Close the row group now, so the encoded data goes to `W` instead of piling up.
        self.writer.flush()?;
        self.written += self.buffered;
        self.buffered = 0;
        Ok(())
    }

    /// Writes the last row group and the footer, flushes, and returns the number of rows.
    pub fn finish(self) -> Result<usize, ExportError> {
        self.finish_into_inner().map(|(n, _)| n)
    }

    /// Like [`finish`](Self::finish), and also gives the underlying writer back.
    pub fn finish_into_inner(mut self) -> Result<(usize, W), ExportError> {
        self.flush_group()?;
        let mut w = self.writer.into_inner()?;
        w.flush()?;
        Ok((self.written, w))
    }
}

/// Writes event rows as a Parquet file to `w`; returns the number of rows.
///
/// `W` must be `Send` (the Parquet writer's requirement); a `File`, a `BufWriter<File>` or a
/// `Vec<u8>` all are. See [`parquet_events_file`] to write to a path.
pub fn parquet_events<W: Write + Send, R: Borrow<EventRow>>(
    w: W,
    events: impl IntoIterator<Item = R>,
) -> Result<usize, ExportError> {
    let mut p = ParquetEventWriter::new(w)?;
    for r in events {
        p.write(r.borrow())?;
    }
    p.finish()
}

/// Writes event rows as a Parquet file at `path` (created or truncated); returns the number of
/// rows.
pub fn parquet_events_file<R: Borrow<EventRow>>(
    path: impl AsRef<Path>,
    events: impl IntoIterator<Item = R>,
) -> Result<usize, ExportError> {
    let file = File::create(path)?;
    parquet_events(BufWriter::new(file), events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_list_matches() {
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        assert_eq!(names, PARQUET_COLUMNS);
        // The CSV columns come first, in the same order.
        assert_eq!(&names[..crate::CSV_COLUMNS.len()], crate::CSV_COLUMNS);
    }

    #[test]
    fn streams_row_groups() {
        let row = EventRow::default();
        let mut w = ParquetEventWriter::new(Vec::new()).unwrap();
        for _ in 0..ROW_GROUP_ROWS + 10 {
            w.write(&row).unwrap();
        }
        assert_eq!(w.buffered, 10);
        assert_eq!(w.writer.flushed_row_groups().len(), 1);
        let (n, bytes) = w.finish_into_inner().unwrap();
        assert_eq!(n, ROW_GROUP_ROWS + 10);
        assert!(bytes.ends_with(b"PAR1"));
    }
}

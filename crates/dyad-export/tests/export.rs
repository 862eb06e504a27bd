//! End-to-end tests of every exporter on hand-built rows, read back by independent readers:
//! a small RFC 4180 parser written here, Python's `csv`, `json` and `xml.etree`, pyarrow and
//! networkx.
//!
//! Python checks need `python3` with the module in question. When it is missing the test prints
//! a note and skips that check — unless the `CI` environment variable is set, in which case it
//! fails and says what to `pip install`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use dyad_core::{Actor, DatePrecision, Event, Location, Offsets, Plover};
use dyad_export::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Fixtures

/// A sentence with everything that breaks naive writers: a tab, a line break, quotes, commas,
/// XML specials and non-ASCII.
const NASTY: &str = "Aliyev said \"we agree, fully\"\tto\nTürkiye's <plan> & Erdoğan's 'terms'.";

fn actor(text: &str, code: &str, country: Option<&str>, sector: Option<&str>) -> Actor {
    Actor {
        text: text.into(),
        code: code.into(),
        country: country.map(Into::into),
        sector: sector.map(Into::into),
        ..Default::default()
    }
}

fn rows() -> Vec<EventRow> {
    let e1 = Event {
        event_id: "ev-1".into(),
        doc_id: "doc-1".into(),
        sentence_index: 0,
        sentence: NASTY.into(),
        offsets: Offsets { source: Some([0, 6]), target: Some([32, 39]), trigger: [7, 11] },
        date: Some("2024-03-05".into()),
        date_precision: DatePrecision::Day,
        date_source: "sentence".into(),
        source: Actor {
            name: Some("Ilham Aliyev".into()),
            name_known: true,
            ..actor("Aliyev", "AZEGOV", Some("AZE"), Some("GOV"))
        },
        target: Some(actor("Türkiye", "TUR", Some("TUR"), None)),
        cameo: "036".into(),
        root: "03".into(),
        goldstein: 4.0,
        quad_class: 1,
        plover: Plover { kind: "AGREE".into(), mode: None },
        location: Some(Location {
            name: "Bakı, \"Baku\"".into(),
            country: Some("AZE".into()),
            lat: Some(40.4093),
            lon: Some(49.8671),
            ..Default::default()
        }),
        rule: "agree.meet".into(),
        ..Default::default()
    };
    // No target, month precision, hypothetical, no URL.
    let e2 = Event {
        event_id: "ev-2".into(),
        doc_id: "doc-2".into(),
        sentence_index: 2,
        sentence: "The EU, in Brussels, may fund ports.".into(),
        offsets: Offsets { source: Some([4, 6]), target: None, trigger: [24, 28] },
        date: Some("2024-02".into()),
        date_precision: DatePrecision::Month,
        date_source: "context".into(),
        source: Actor { org: Some("EU".into()), ..actor("EU", "EU", None, None) },
        target: None,
        cameo: "0311".into(),
        root: "03".into(),
        goldstein: 5.2,
        quad_class: 1,
        plover: Plover { kind: "AGREE".into(), mode: None },
        hypothetical: true,
        rule: "agree.fund".into(),
        ..Default::default()
    };
    // Negated, year unknown, country-level location.
    let e3 = Event {
        event_id: "ev-3".into(),
        doc_id: "doc-3".into(),
        sentence_index: 1,
        sentence: "Armenia did not attack on 30 December.".into(),
        offsets: Offsets { source: Some([0, 7]), target: None, trigger: [16, 22] },
        date: Some("--12-30".into()),
        date_precision: DatePrecision::Day,
        date_source: "sentence".into(),
        source: actor("Armenia", "ARMMIL", Some("ARM"), Some("MIL")),
        target: Some(actor("Azerbaijan", "AZE", Some("AZE"), None)),
        cameo: "190".into(),
        root: "19".into(),
        goldstein: -10.0,
        quad_class: 4,
        plover: Plover { kind: "ASSAULT".into(), mode: None },
        location: Some(Location { name: "Armenia".into(), country: Some("ARM".into()), lat: None, lon: None, ..Default::default() }),
        negated: true,
        rule: "fight.attack".into(),
        ..Default::default()
    };
    let doc = |id: &str, url: Option<&str>, source: Option<&str>, added: &str| DocMeta {
        id: id.into(),
        hash: "00".into(),
        source: source.map(Into::into),
        url: url.map(Into::into),
        title: Some(format!("Title of {id}, with \"quotes\"")),
        date: Some("2024-03-06".into()),
        added: added.into(),
        provenance: Some(format!("feed.jsonl:{}", id.len())),
    };
    vec![
        EventRow {
            id: 1,
            cluster_id: 10,
            event: e1.clone(),
            doc: doc("doc-1", Some("https://News.Example.az/a?x=1"), None, "2024-03-06T10:15:00Z"),
        },
        EventRow {
            id: 2,
            cluster_id: 10,
            event: Event { event_id: "ev-1b".into(), doc_id: "doc-1b".into(), sentence_index: 4, ..e1 },
            doc: doc("doc-1b", Some("https://other.example/b"), Some("Other Wire"), "2024-03-06T11:00:00+01:00"),
        },
        EventRow {
            id: 3,
            cluster_id: 20,
            event: e2,
            doc: doc("doc-2", None, Some("Wire Two"), "2024-03-07T00:00:00Z"),
        },
        EventRow { id: 4, cluster_id: 30, event: e3, doc: doc("doc-3", None, None, "2024-01-05T08:09:10Z") },
    ]
}

fn clusters(rows: &[EventRow]) -> Vec<ClusterRow> {
    let mut out: Vec<ClusterRow> = Vec::new();
    for r in rows {
        if let Some(c) = out.iter_mut().find(|c| c.id == r.cluster_id) {
            c.num_mentions += 1;
            c.num_sources += 1;
            c.num_articles += 1;
            continue;
        }
        out.push(ClusterRow {
            id: r.cluster_id,
            date: r.event.date.clone(),
            date_precision: r.event.date_precision,
            event: r.event.clone(),
            num_mentions: 1,
            num_sources: 1,
            num_articles: 1,
            added: r.doc.added.clone(),
            source_url: r.doc.url.clone(),
            source: r.doc.source.clone(),
            doc_id: r.doc.id.clone(),
        });
    }
    out
}

fn network() -> Network {
    let node = |id: &str, label: &str, kind: &str, weight| NetworkNode {
        id: id.into(),
        label: label.into(),
        kind: kind.into(),
        weight,
    };
    Network {
        nodes: vec![
            node("AZE", "Azərbaycan <Azerbaijan>", "country", 5),
            node("ARM", "Հայաստան \"Armenia\"", "country", 3),
            node("A&B", "Tab\there & 'quotes'", "org", 1),
        ],
        edges: vec![
            NetworkEdge {
                source: "AZE".into(),
                target: "ARM".into(),
                events: 3,
                goldstein_mean: -4.25,
                quad: [1, 0, 1, 1],
            },
            NetworkEdge {
                source: "ARM".into(),
                target: "AZE".into(),
                events: 2,
                goldstein_mean: 1.5,
                quad: [2, 0, 0, 0],
            },
            NetworkEdge {
                source: "A&B".into(),
                target: "AZE".into(),
                events: 1,
                goldstein_mean: 3.0,
                quad: [0, 1, 0, 0],
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn tmp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dyad-export-test-{}-{name}", std::process::id()))
}

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let p = tmp_path(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

/// Runs a Python script (with `args`) that needs `module`; returns its stdout, or `None` when
/// the check is skipped.
///
/// `pip` names the package that provides a third-party module: when it is missing, the check
/// fails if `CI` is set and is skipped with a note otherwise. Standard-library modules (`pip` =
/// `None`) are checked whenever `python3` is there, and skipped (with a note) when it is not.
fn python(module: &str, pip: Option<&str>, script: &str, args: &[&std::path::Path]) -> Option<String> {
    let probe = Command::new("python3").args(["-c", &format!("import {module}")]).output();
    let available = matches!(&probe, Ok(o) if o.status.success());
    if !available {
        match pip {
            Some(pip) if std::env::var_os("CI").is_some() => {
                panic!("python3 with `{module}` is required in CI to check the export: pip install {pip}")
            }
            Some(pip) => {
                eprintln!("note: skipping the {module} check: python3 or `{module}` is missing (pip install {pip})")
            }
            None => eprintln!("note: skipping the {module} check: python3 is missing"),
        }
        return None;
    }
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "python check failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// A small, strict RFC 4180 reader: CRLF (or LF) record ends, quoted fields with doubled quotes
/// and embedded line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(field.is_empty() && !quoted, "quote inside an unquoted field: {field:?}");
                in_quotes = true;
                quoted = true;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' => assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes"),
            '\n' => panic!("bare LF outside quotes: records must end with CRLF"),
            c => {
                assert!(!quoted, "text after a closing quote");
                field.push(c);
            }
        }
        if c == '\r' {
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
            quoted = false;
        }
    }
    assert!(!in_quotes, "unterminated quoted field");
    assert!(field.is_empty() && record.is_empty(), "last record lacks its CRLF");
    records
}

// ---------------------------------------------------------------------------------------------
// GDELT

#[test]
fn gdelt_events_61_columns_and_key_values() {
    let rows = rows();
    let clusters = clusters(&rows);
    let mut out = Vec::new();
    assert_eq!(gdelt_events(&mut out, &clusters).unwrap(), 3);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "one line per cluster, no header:\n{text}");
    let col = |name: &str| GDELT_EVENT_COLUMNS.iter().position(|c| *c == name).unwrap();
    let parsed: Vec<Vec<&str>> = lines.iter().map(|l| l.split('\t').collect()).collect();
    for f in &parsed {
        assert_eq!(f.len(), 61, "{f:?}");
    }
    assert_eq!(gdelt_events_header().split('\t').count(), 61);

    let a = &parsed[0];
    assert_eq!(a[col("GLOBALEVENTID")], "10");
    assert_eq!(a[col("SQLDATE")], "20240305");
    assert_eq!(a[col("MonthYear")], "202403");
    assert_eq!(a[col("Year")], "2024");
    assert_eq!(a[col("FractionDate")], "2024.1753"); // 2024 + 64/365
    assert_eq!(a[col("Actor1Code")], "AZEGOV");
    assert_eq!(a[col("Actor1Name")], "ILHAM ALIYEV");
    assert_eq!(a[col("Actor1CountryCode")], "AZE");
    assert_eq!(a[col("Actor1Type1Code")], "GOV");
    assert_eq!(a[col("Actor2Name")], "TÜRKIYE");
    assert_eq!(a[col("IsRootEvent")], "1");
    assert_eq!(a[col("EventCode")], "036");
    assert_eq!(a[col("EventBaseCode")], "036");
    assert_eq!(a[col("EventRootCode")], "03");
    assert_eq!(a[col("QuadClass")], "1");
    assert_eq!(a[col("GoldsteinScale")], "4");
    assert_eq!(a[col("NumMentions")], "2");
    assert_eq!(a[col("NumArticles")], "2");
    assert_eq!(a[col("AvgTone")], "0");
    // actor homes: the actors' countries, GDELT geo type 1, FIPS codes
    assert_eq!(a[col("Actor1Geo_Type")], "1");
    assert_eq!(a[col("Actor1Geo_FullName")], "Azerbaijan");
    assert_eq!(a[col("Actor1Geo_CountryCode")], "AJ");
    assert_eq!(a[col("Actor2Geo_CountryCode")], "TU");
    assert!(!a[col("Actor2Geo_Lat")].is_empty());
    assert_eq!(a[col("ActionGeo_Type")], "4");
    assert_eq!(a[col("ActionGeo_FullName")], "Bakı, \"Baku\"");
    assert_eq!(a[col("ActionGeo_CountryCode")], "AJ");
    assert_eq!(a[col("ActionGeo_Lat")], "40.4093");
    assert_eq!(a[col("ActionGeo_Long")], "49.8671");
    assert_eq!(a[col("DATEADDED")], "20240306101500");
    assert_eq!(a[col("SOURCEURL")], "https://News.Example.az/a?x=1");

    // No target: the Actor2 block is empty. Month precision: day 01. No URL: the doc id.
    let b = &parsed[1];
    assert_eq!(b[col("SQLDATE")], "20240201");
    assert_eq!(b[col("Actor1Code")], "EU");
    assert_eq!(b[col("Actor1KnownGroupCode")], "EU");
    assert!(b[col("Actor2Code")..=col("Actor2Type3Code")].iter().all(|f| f.is_empty()));
    assert_eq!(b[col("IsRootEvent")], "0");
    assert_eq!(b[col("EventCode")], "0311");
    assert_eq!(b[col("EventBaseCode")], "031");
    assert_eq!(b[col("ActionGeo_Type")], "0");
    assert_eq!(b[col("Actor1Geo_Type")], "0"); // an organisation has no home
    assert_eq!(b[col("ActionGeo_Lat")], "");
    assert_eq!(b[col("SOURCEURL")], "doc-2");

    // --12-30, stored 2024-01-05: the previous December. Country-level location.
    let c = &parsed[2];
    assert_eq!(c[col("SQLDATE")], "20231230");
    assert_eq!(c[col("QuadClass")], "4");
    assert_eq!(c[col("GoldsteinScale")], "-10");
    assert_eq!(c[col("ActionGeo_Type")], "1");
    assert_eq!(c[col("ActionGeo_FullName")], "Armenia");
    assert_eq!(c[col("ActionGeo_Lat")], "");
}

#[test]
fn gdelt_mentions_16_columns() {
    let rows = rows();
    let clusters = clusters(&rows);
    let added: HashMap<i64, String> = clusters.iter().map(|c| (c.id, c.added.clone())).collect();
    let mut out = Vec::new();
    assert_eq!(gdelt_mentions(&mut out, &rows, |id| added.get(&id).cloned()).unwrap(), 4);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(gdelt_mentions_header().split('\t').count(), 16);
    for f in &lines {
        assert_eq!(f.len(), 16, "{f:?}");
        let extras: Value = serde_json::from_str(f[15]).unwrap();
        assert!(extras["rule"].is_string());
    }
    let col = |name: &str| GDELT_MENTION_COLUMNS.iter().position(|c| *c == name).unwrap();
    let (a, b, c, d) = (&lines[0], &lines[1], &lines[2], &lines[3]);
    assert_eq!(a[col("GLOBALEVENTID")], "10");
    assert_eq!(a[col("EventTimeDate")], "20240306101500");
    assert_eq!(a[col("MentionTimeDate")], "20240306101500");
    assert_eq!(a[col("MentionType")], "1");
    assert_eq!(a[col("MentionSourceName")], "news.example.az");
    assert_eq!(a[col("MentionIdentifier")], "https://News.Example.az/a?x=1");
    assert_eq!(a[col("SentenceID")], "1");
    assert_eq!(a[col("Actor1CharOffset")], "0");
    assert_eq!(a[col("Actor2CharOffset")], "32");
    assert_eq!(a[col("ActionCharOffset")], "7");
    assert_eq!(a[col("InRawText")], "1");
    assert_eq!(a[col("Confidence")], "100");
    assert_eq!(a[col("MentionDocLen")], "0");
    let extras: Value = serde_json::from_str(a[col("Extras")]).unwrap();
    assert_eq!(extras["rule"], "agree.meet");
    assert_eq!(extras["row_id"], 1);

    // Second mention of cluster 10: the event time is the cluster's, the mention time its own (UTC).
    assert_eq!(b[col("EventTimeDate")], "20240306101500");
    assert_eq!(b[col("MentionTimeDate")], "20240306100000");
    assert_eq!(b[col("MentionSourceName")], "Other Wire");
    assert_eq!(b[col("SentenceID")], "5");

    assert_eq!(c[col("MentionSourceName")], "Wire Two");
    assert_eq!(c[col("MentionIdentifier")], "doc-2");
    assert_eq!(c[col("Actor2CharOffset")], "-1");
    assert_eq!(c[col("Confidence")], "50");
    assert_eq!(d[col("Confidence")], "0");
    assert_eq!(d[col("MentionSourceName")], "");

    // Without the cluster lookup, the mention's own time stands in.
    let mut out = Vec::new();
    gdelt_mentions(&mut out, &rows[1..2], |_| None).unwrap();
    let line = String::from_utf8(out).unwrap();
    assert!(line.starts_with("10\t20240306100000\t20240306100000\t"), "{line}");
}

// ---------------------------------------------------------------------------------------------
// PLOVER

#[test]
fn plover_lines_are_json_with_plover_fields() {
    let rows = rows();
    let clusters = clusters(&rows);
    let mut out = Vec::new();
    assert_eq!(plover_jsonl(&mut out, &clusters).unwrap(), 3);
    let text = String::from_utf8(out).unwrap();
    let recs: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs.len(), 3);
    let fields = [
        "id",
        "date",
        "event",
        "mode",
        "context",
        "actor",
        "actor_agent",
        "recipient",
        "recipient_agent",
        "event_text",
        "location",
        "source",
        "url",
        "doc_id",
        "num_mentions",
        "cameo",
        "goldstein",
        "quad_class",
        "date_precision",
    ];
    for r in &recs {
        for f in fields {
            assert!(r.get(f).is_some(), "missing {f} in {r}");
        }
    }
    let a = &recs[0];
    assert_eq!(a["id"], "10");
    assert_eq!(a["date"], "2024-03-05");
    assert_eq!(a["date_precision"], "day");
    assert_eq!(a["event"], "AGREE");
    assert_eq!(a["mode"], Value::Null);
    assert_eq!(a["context"], serde_json::json!(["diplomatic"]));
    assert_eq!(a["actor"], "AZE");
    assert_eq!(a["actor_agent"], "GOV");
    assert_eq!(a["recipient"], "TUR");
    assert_eq!(a["recipient_agent"], Value::Null);
    assert_eq!(a["event_text"], NASTY);
    assert_eq!(a["location"]["name"], "Bakı, \"Baku\"");
    assert_eq!(a["location"]["lat"], 40.4093);
    assert_eq!(a["source"], "news.example.az");
    assert_eq!(a["url"], "https://News.Example.az/a?x=1");
    assert_eq!(a["num_mentions"], 2);
    assert_eq!(a["cameo"], "036");
    assert_eq!(a["goldstein"], 4.0);
    assert_eq!(a["quad_class"], 1);

    let b = &recs[1];
    assert_eq!(b["date"], "2024-02");
    assert_eq!(b["date_precision"], "month");
    assert_eq!(b["mode"], "hypothetical");
    assert_eq!(b["context"], serde_json::json!(["economic"]));
    assert_eq!(b["actor"], "EU");
    assert_eq!(b["recipient"], Value::Null);
    assert_eq!(b["location"], Value::Null);
    assert_eq!(b["url"], Value::Null);
    assert_eq!(b["source"], "Wire Two", "the outlet, without a URL");

    assert_eq!(recs[2]["mode"], "negation");
    assert_eq!(recs[2]["event"], "ASSAULT");
    assert_eq!(recs[2]["date"], "--12-30");

    // Per mention, and the records round-trip through the typed struct.
    let mut out = Vec::new();
    assert_eq!(plover_mentions_jsonl(&mut out, &rows).unwrap(), 4);
    let text = String::from_utf8(out).unwrap();
    let recs: Vec<PloverEvent> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs[1].id, "ev-1b");
    assert_eq!(recs[1].cluster_id, 10);
    assert_eq!(recs[1].source.as_deref(), Some("Other Wire"));
    assert_eq!(recs[1].num_mentions, 1);
    assert_eq!(recs[2].source.as_deref(), Some("Wire Two"));
    assert_eq!(recs[3].source, None);
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_columns_extend_the_tsv_columns() {
    assert_eq!(&CSV_COLUMNS[..dyad_printer::TSV_COLUMNS.len()], dyad_printer::TSV_COLUMNS);
    assert_eq!(&CSV_COLUMNS[dyad_printer::TSV_COLUMNS.len()..], ["cluster_id", "doc_url", "doc_title", "doc_date"]);
}

#[test]
fn csv_round_trips_through_rfc4180_readers() {
    let rows = rows();
    let mut out = Vec::new();
    assert_eq!(csv_events(&mut out, &rows).unwrap(), 4);
    let text = String::from_utf8(out).unwrap();

    let recs = parse_csv(&text);
    assert_eq!(recs.len(), 5);
    assert_eq!(recs[0], CSV_COLUMNS);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    for r in &recs {
        assert_eq!(r.len(), CSV_COLUMNS.len());
    }
    assert_eq!(recs[1][col("sentence")], NASTY);
    assert_eq!(recs[1][col("target_text")], "Türkiye");
    assert_eq!(recs[1][col("doc_title")], "Title of doc-1, with \"quotes\"");
    assert_eq!(recs[1][col("cluster_id")], "10");
    assert_eq!(recs[1][col("goldstein")], "4");
    assert_eq!(recs[3][col("target_code")], "");
    assert_eq!(recs[3][col("hypothetical")], "true");
    assert_eq!(recs[3][col("doc_url")], "");

    let path = write_tmp("events.csv", text.as_bytes());
    let script = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
print(json.dumps(rows))
"#;
    if let Some(stdout) = python("csv", None, script, &[&path]) {
        let py: Vec<Vec<String>> = serde_json::from_str(&stdout).unwrap();
        assert_eq!(py, recs, "Python's csv module reads the same records");
    }
    std::fs::remove_file(path).ok();
}

// ---------------------------------------------------------------------------------------------
// Parquet

#[test]
fn parquet_reads_back_with_pyarrow() {
    let rows = rows();
    let path = tmp_path("events.parquet");
    assert_eq!(parquet_events_file(&path, &rows).unwrap(), 4);

    let script = r#"
import json, sys
import pyarrow.parquet as pq
f = pq.ParquetFile(sys.argv[1])
t = f.read()
md = f.metadata
print(json.dumps({
    "num_rows": t.num_rows,
    "columns": t.column_names,
    "types": {name: str(t.schema.field(name).type) for name in t.column_names},
    "nullable": {name: t.schema.field(name).nullable for name in t.column_names},
    "compression": md.row_group(0).column(0).compression,
    "rows": t.to_pylist(),
}))
"#;
    let Some(stdout) = python("pyarrow", Some("pyarrow"), script, &[&path]) else {
        std::fs::remove_file(path).ok();
        return;
    };
    std::fs::remove_file(&path).ok();
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["num_rows"], 4);
    let columns: Vec<&str> = v["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(columns, dyad_export::parquet::PARQUET_COLUMNS);
    assert_eq!(v["compression"], "SNAPPY");
    assert_eq!(v["types"]["event_id"], "string");
    assert_eq!(v["types"]["sentence_index"], "int64");
    assert_eq!(v["types"]["goldstein"], "double");
    assert_eq!(v["types"]["negated"], "bool");
    assert_eq!(v["nullable"]["event_id"], false);
    assert_eq!(v["nullable"]["target_code"], true);

    let r = &v["rows"];
    assert_eq!(r[0]["sentence"], NASTY);
    assert_eq!(r[0]["target_text"], "Türkiye");
    assert_eq!(r[0]["cluster_id"], 10);
    assert_eq!(r[0]["goldstein"], 4.0);
    assert_eq!(r[0]["location_lat"], 40.4093);
    assert_eq!(r[0]["source_start"], 0);
    assert_eq!(r[2]["target_code"], Value::Null);
    assert_eq!(r[2]["target_start"], Value::Null);
    assert_eq!(r[2]["hypothetical"], true);
    assert_eq!(r[2]["doc_url"], Value::Null);
    assert_eq!(r[0]["doc_provenance"], "feed.jsonl:5");
    assert_eq!(r[3]["negated"], true);
    assert_eq!(r[3]["quad_class"], 4);
    assert_eq!(r[3]["location_lat"], Value::Null);
}

#[test]
fn parquet_streams_many_row_groups() {
    // 2.5 row groups' worth of rows, read back: row count and row-group count.
    let rows = rows();
    let n = ROW_GROUP_ROWS * 2 + ROW_GROUP_ROWS / 2;
    let path = tmp_path("many.parquet");
    let written = parquet_events_file(&path, rows.iter().cycle().take(n)).unwrap();
    assert_eq!(written, n);
    let script = r#"
import sys
import pyarrow.parquet as pq
md = pq.ParquetFile(sys.argv[1]).metadata
print(md.num_rows, md.num_row_groups)
"#;
    if let Some(stdout) = python("pyarrow", Some("pyarrow"), script, &[&path]) {
        assert_eq!(stdout.trim(), format!("{n} 3"));
    }
    std::fs::remove_file(path).ok();
}

// ---------------------------------------------------------------------------------------------
// Networks

#[test]
fn graphml_reads_back_with_networkx() {
    let net = network();
    let mut out = Vec::new();
    assert_eq!(graphml(&mut out, &net).unwrap(), 6);
    let path = write_tmp("net.graphml", &out);
    let script = r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1])
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "aze": g.nodes["AZE"],
    "arm": g.nodes["ARM"],
    "ab": g.nodes["A&B"],
    "edge": g.edges["AZE", "ARM"],
    "edge_types": {k: type(v).__name__ for k, v in g.edges["AZE", "ARM"].items()},
    "weight_type": type(g.nodes["AZE"]["weight"]).__name__,
}))
"#;
    let Some(stdout) = python("networkx", Some("networkx"), script, &[&path]) else {
        std::fs::remove_file(path).ok();
        return;
    };
    std::fs::remove_file(&path).ok();
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["directed"], true);
    assert_eq!(v["nodes"], 3);
    assert_eq!(v["edges"], 3);
    assert_eq!(v["aze"]["label"], "Azərbaycan <Azerbaijan>");
    assert_eq!(v["aze"]["kind"], "country");
    assert_eq!(v["aze"]["weight"], 5);
    assert_eq!(v["weight_type"], "int");
    assert_eq!(v["arm"]["label"], "Հայաստան \"Armenia\"");
    assert_eq!(v["ab"]["label"], "Tab\there & 'quotes'");
    assert_eq!(v["edge"]["events"], 3);
    assert_eq!(v["edge"]["goldstein_mean"], -4.25);
    assert_eq!(v["edge"]["q4"], 1);
    assert_eq!(v["edge_types"]["goldstein_mean"], "float");
    assert_eq!(v["edge_types"]["q1"], "int");
}

#[test]
fn gexf_is_well_formed_xml() {
    let net = network();
    let mut out = Vec::new();
    assert_eq!(gexf(&mut out, &net).unwrap(), 6);
    let path = write_tmp("net.gexf", &out);
    let script = r#"
import json, sys
import xml.etree.ElementTree as ET
ns = {"g": "http://gexf.net/1.3"}
root = ET.parse(sys.argv[1]).getroot()
graph = root.find("g:graph", ns)
nodes = graph.findall("g:nodes/g:node", ns)
edges = graph.findall("g:edges/g:edge", ns)
print(json.dumps({
    "root": root.tag,
    "version": root.get("version"),
    "edgetype": graph.get("defaultedgetype"),
    "nodes": [{"id": n.get("id"), "label": n.get("label"),
               "att": {a.get("for"): a.get("value") for a in n.findall("g:attvalues/g:attvalue", ns)}} for n in nodes],
    "edges": [{"source": e.get("source"), "target": e.get("target"), "weight": e.get("weight"),
               "att": {a.get("for"): a.get("value") for a in e.findall("g:attvalues/g:attvalue", ns)}} for e in edges],
}))
"#;
    let Some(stdout) = python("xml.etree.ElementTree", None, script, &[&path]) else {
        std::fs::remove_file(path).ok();
        return;
    };
    std::fs::remove_file(&path).ok();
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["root"], "{http://gexf.net/1.3}gexf");
    assert_eq!(v["version"], "1.3");
    assert_eq!(v["edgetype"], "directed");
    assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(v["edges"].as_array().unwrap().len(), 3);
    assert_eq!(v["nodes"][1]["label"], "Հայաստան \"Armenia\"");
    assert_eq!(v["nodes"][2]["id"], "A&B");
    assert_eq!(v["nodes"][2]["label"], "Tab\there & 'quotes'");
    assert_eq!(v["nodes"][0]["att"]["weight"], "5");
    assert_eq!(v["edges"][2]["source"], "A&B");
    assert_eq!(v["edges"][0]["weight"], "3");
    assert_eq!(v["edges"][0]["att"]["goldstein_mean"], "-4.25");
    assert_eq!(v["edges"][0]["att"]["q3"], "1");
}

#[test]
fn network_json_is_node_link() {
    let net = network();
    let mut out = Vec::new();
    assert_eq!(network_json(&mut out, &net).unwrap(), 6);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["directed"], true);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(v["links"].as_array().unwrap().len(), 3);
    assert_eq!(v["nodes"][0]["label"], "Azərbaycan <Azerbaijan>");
    assert_eq!(v["links"][0]["goldstein_mean"], -4.25);
    assert_eq!(v["links"][1]["q1"], 2);

    let path = write_tmp("net.json", &out);
    let script = r#"
import json, sys
import networkx as nx
data = json.load(open(sys.argv[1], encoding="utf-8"))
try:
    g = nx.node_link_graph(data, edges="links")
except TypeError:
    g = nx.node_link_graph(data)
print(g.is_directed(), g.number_of_nodes(), g.number_of_edges(), g.edges["ARM", "AZE"]["events"])
"#;
    if let Some(stdout) = python("networkx", Some("networkx"), script, &[&path]) {
        assert_eq!(stdout.trim(), "True 3 3 2");
    }
    std::fs::remove_file(path).ok();
}

#[test]
fn empty_inputs_write_nothing_but_headers() {
    let none: Vec<EventRow> = Vec::new();
    let no_clusters: Vec<ClusterRow> = Vec::new();
    let mut out = Vec::new();
    assert_eq!(gdelt_events(&mut out, &no_clusters).unwrap(), 0);
    assert!(out.is_empty());
    assert_eq!(plover_jsonl(&mut out, &no_clusters).unwrap(), 0);
    assert!(out.is_empty());
    assert_eq!(csv_events(&mut out, &none).unwrap(), 0);
    assert_eq!(parse_csv(std::str::from_utf8(&out).unwrap()), vec![CSV_COLUMNS.to_vec()]);
    let mut pq = Vec::new();
    assert_eq!(parquet_events(&mut pq, &none).unwrap(), 0);
    assert!(pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"));
}

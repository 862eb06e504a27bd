use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use dyad_core::{Actor, DatePrecision, Event, Location, Offsets, Plover};
use dyad_printer::{printer, EventPrinter, Format, JsonLines, Tsv, TSV_COLUMNS};

fn events() -> Vec<Event> {
    let full = Event {
        event_id: "e1".into(),
        doc_id: "003_2003".into(),
        sentence_index: 4,
        sentence: "Azerbaijan and Turkiye\tsigned\nthe Shusha Declaration.".into(),
        offsets: Offsets { source: Some([0, 10]), target: Some([15, 22]), trigger: [23, 29] },
        date: Some("2021-06-15".into()),
        date_precision: DatePrecision::Day,
        date_source: "sentence".into(),
        source: Actor {
            text: "Azerbaijan".into(),
            code: "AZEGOV".into(),
            country: Some("AZE".into()),
            org: None,
            sector: Some("GOV".into()),
            name: Some("Ilham\tAliyev".into()),
            ..Default::default()
        },
        target: Some(Actor {
            text: "Turkiye".into(),
            code: "TUR".into(),
            country: Some("TUR".into()),
            ..Default::default()
        }),
        cameo: "057".into(),
        root: "05".into(),
        goldstein: 8.0,
        quad_class: 1,
        plover: Plover { kind: "AGREE".into(), mode: Some("sign".into()) },
        location: Some(Location {
            name: "Shusha".into(),
            country: Some("AZE".into()),
            lat: Some(39.76),
            lon: Some(46.75),
            ..Default::default()
        }),
        negated: false,
        hypothetical: false,
        symmetric: true,
        rule: "sign.with".into(),
    };
    let bare = Event { event_id: "e2".into(), doc_id: "d\n2".into(), goldstein: -2.5, ..Default::default() };
    vec![full, bare]
}

/// A writer whose contents stay readable after the printer (which owns a clone) is boxed.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn run<P: EventPrinter>(mut p: P, evs: &[Event]) -> P {
    p.begin().unwrap();
    for e in evs {
        p.print(e).unwrap();
    }
    p.finish().unwrap();
    p
}

#[test]
fn jsonl_round_trips() {
    let evs = events();
    let out = run(JsonLines::new(Vec::new()), &evs).into_inner();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), evs.len());
    assert!(text.ends_with('\n'));
    for (line, e) in lines.iter().zip(&evs) {
        let back: Event = serde_json::from_str(line).unwrap();
        assert_eq!(&back, e);
    }
}

#[test]
fn jsonl_fields_in_declared_order() {
    let out = run(JsonLines::new(Vec::new()), &events()[..1]).into_inner();
    let text = String::from_utf8(out).unwrap();
    let order = [
        "event_id",
        "doc_id",
        "sentence_index",
        "sentence",
        "offsets",
        "date",
        "date_precision",
        "date_source",
        "source",
        "target",
        "cameo",
        "root",
        "goldstein",
        "quad_class",
        "plover",
        "location",
        "negated",
        "hypothetical",
        "symmetric",
        "rule",
    ];
    let mut last = 0;
    for k in order {
        // Search from the previous key on: top-level keys must come in this order.
        let pos = text[last..].find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing or out of order"));
        last += pos + 1;
    }
    assert!(!text.trim_end().contains('\n'), "compact, one line");
    assert!(text.contains("\"date_precision\":\"day\""));
    assert!(text.contains("\"plover\":{\"type\":\"AGREE\""));
}

#[test]
fn tsv_header_and_constant_column_count() {
    let evs = events();
    let out = run(Tsv::new(Vec::new()), &evs).into_inner();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), 1 + evs.len());
    let header: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(
        header,
        [
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
        ]
    );
    assert_eq!(header, TSV_COLUMNS);
    for l in &lines {
        assert_eq!(l.split('\t').count(), 30, "{l:?}");
        assert!(!l.contains('\r'));
    }
    let row: Vec<&str> = lines[1].split('\t').collect();
    let col = |name: &str| row[TSV_COLUMNS.iter().position(|c| *c == name).unwrap()];
    assert_eq!(col("source_name"), "Ilham Aliyev");
    assert_eq!(col("source_org"), "");
    assert_eq!(col("target_code"), "TUR");
    assert_eq!(col("date_precision"), "day");
    assert_eq!(col("goldstein"), "8");
    assert_eq!(col("symmetric"), "true");
    assert_eq!(col("trigger_start"), "23");
    assert_eq!(col("sentence"), "Azerbaijan and Turkiye signed the Shusha Declaration.");
    let bare: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(bare[1], "d 2");
    assert_eq!(bare[3], "", "no date");
    assert_eq!(bare[4], "none");
    assert!(bare[11..17].iter().all(|f| f.is_empty()), "no target");
    assert_eq!(bare[19], "-2.5");
}

#[test]
fn tsv_header_even_without_events_or_begin() {
    let out = run(Tsv::new(Vec::new()), &[]).into_inner();
    assert_eq!(String::from_utf8(out).unwrap(), TSV_COLUMNS.join("\t") + "\n");
    let mut p = Tsv::new(Vec::new());
    p.print(&events()[1]).unwrap();
    p.begin().unwrap();
    p.finish().unwrap();
    assert_eq!(String::from_utf8(p.into_inner()).unwrap().lines().count(), 2);
}

#[test]
fn format_parsing_and_boxed_printers() {
    assert_eq!("jsonl".parse::<Format>().unwrap(), Format::Jsonl);
    assert_eq!("NDJSON".parse::<Format>().unwrap(), Format::Jsonl);
    assert_eq!("Tsv".parse::<Format>().unwrap(), Format::Tsv);
    let err = "csv".parse::<Format>().unwrap_err();
    assert!(err.to_string().contains("\"csv\""));
    assert_eq!(Format::Tsv.to_string(), "tsv");

    for (fmt, first) in [(Format::Jsonl, "{"), (Format::Tsv, "event_id\t")] {
        let buf = Shared::default();
        run(printer(fmt, buf.clone()), &events());
        let text = String::from_utf8(buf.0.borrow().clone()).unwrap();
        assert!(text.starts_with(first), "{fmt}: {text}");
    }
}

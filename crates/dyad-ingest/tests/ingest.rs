use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use dyad_core::Document;
use dyad_ingest::{read_inputs, read_stream, sniff, IngestError, InputOptions, Item, StreamKind};

/// A fresh temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let p = std::env::temp_dir().join(format!("dyad-ingest-test-{}-{}-{}", std::process::id(), tag, n));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(paths: &[PathBuf], opts: &InputOptions) -> Vec<Item> {
    read_inputs(paths, opts).collect()
}

fn docs(items: &[Item]) -> Vec<&Document> {
    items.iter().filter_map(|i| if let Item::Doc(d) = i { Some(d) } else { None }).collect()
}

fn skipped(items: &[Item]) -> Vec<&IngestError> {
    items.iter().filter_map(|i| if let Item::Skipped(e) = i { Some(e) } else { None }).collect()
}

fn warnings(items: &[Item]) -> Vec<&IngestError> {
    items.iter().filter_map(|i| if let Item::Warning(e) = i { Some(e) } else { None }).collect()
}

#[test]
fn folder_walk_is_recursive_sorted_and_skips_hidden() {
    let t = TempDir::new("walk");
    t.write("b.txt", "bee");
    t.write("a.txt", "ay");
    t.write("c/z.txt", "zed");
    t.write("c/d.txt", "dee");
    t.write("bb/x.md", "ex");
    t.write(".hidden.txt", "hidden");
    t.write(".git/config.txt", "hidden too");
    let items = read(&[t.path().to_path_buf()], &InputOptions::default());
    assert!(skipped(&items).is_empty(), "{items:?}");
    let ids: Vec<&str> = docs(&items).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "x", "d", "z"]);
    let d = docs(&items)[0];
    assert_eq!(d.text, "ay");
    assert_eq!(d.provenance.as_deref(), Some(t.path().join("a.txt").display().to_string().as_str()));
    assert_eq!(d.source, None, "a plain-text file names no outlet");
}

#[test]
fn explicit_paths_keep_their_order() {
    let t = TempDir::new("order");
    let b = t.write("b.txt", "bee");
    let a = t.write("a.txt", "ay");
    let items = read(&[b, a], &InputOptions::default());
    let ids: Vec<&str> = docs(&items).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["b", "a"]);
}

#[test]
fn missing_path_is_skipped_and_run_goes_on() {
    let t = TempDir::new("missing");
    let a = t.write("a.txt", "ay");
    let items = read(&[t.path().join("nope.txt"), a], &InputOptions::default());
    assert_eq!(skipped(&items).len(), 1);
    assert_eq!(docs(&items).len(), 1);
}

#[test]
fn jsonl_default_fields() {
    let t = TempDir::new("jsonl");
    let p = t.write(
        "news.jsonl",
        concat!(
            "{\"id\": \"n1\", \"text\": \"one\", \"date\": \"2024-03-05\", \"url\": \"http://x\", \"title\": \"T\"}\n",
            "\n",
            "   \n",
            "{\"text\": \"two\"}\r\n",
            "{\"id\": 42, \"text\": \"three\", \"date\": \"20240306\"}\n",
            "{\"id\": 4.5, \"text\": \"four\", \"date\": \"2024/03/07\"}\n",
            "{\"id\": \"n5\", \"text\": \"five\", \"date\": \"2024-03-08T23:10:00+05:00\"}",
        ),
    );
    let items = read(std::slice::from_ref(&p), &InputOptions::default());
    assert!(skipped(&items).is_empty() && warnings(&items).is_empty(), "{items:?}");
    let ds = docs(&items);
    let ids: Vec<&str> = ds.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["n1", "news-4", "42", "4.5", "n5"]);
    assert_eq!(ds[0].url.as_deref(), Some("http://x"));
    assert_eq!(ds[0].title.as_deref(), Some("T"));
    assert_eq!(ds[1].text, "two");
    assert_eq!(ds[1].provenance, Some(format!("{}:4", p.display())));
    assert!(ds.iter().all(|d| d.source.is_none()), "no record names an outlet: {ds:?}");
    let dates: Vec<Option<String>> = ds.iter().map(|d| d.date.map(|d| d.to_string())).collect();
    assert_eq!(
        dates,
        [Some("2024-03-05"), None, Some("2024-03-06"), Some("2024-03-07"), Some("2024-03-08")]
            .map(|d| d.map(String::from))
    );
}

#[test]
fn jsonl_fields_are_configurable_and_doc_date_fills_in() {
    let t = TempDir::new("fields");
    let p = t.write(
        "x.ndjson",
        "{\"uid\": \"a\", \"body\": \"alpha\", \"published\": \"2023-01-02\", \"link\": \"L\", \"headline\": \"H\", \"text\": \"wrong\"}\n\
         {\"uid\": \"b\", \"body\": \"beta\"}\n\
         {\"uid\": \"c\", \"text\": \"no body field\"}\n",
    );
    let opts = InputOptions {
        id_field: "uid".into(),
        text_field: "body".into(),
        date_field: "published".into(),
        url_field: "link".into(),
        title_field: "headline".into(),
        doc_date: NaiveDate::from_ymd_opt(2020, 5, 6),
        ..InputOptions::default()
    };
    let items = read(std::slice::from_ref(&p), &opts);
    let ds = docs(&items);
    assert_eq!(ds.len(), 2);
    assert_eq!((ds[0].id.as_str(), ds[0].text.as_str()), ("a", "alpha"));
    assert_eq!(ds[0].date, NaiveDate::from_ymd_opt(2023, 1, 2));
    assert_eq!(ds[0].url.as_deref(), Some("L"));
    assert_eq!(ds[0].title.as_deref(), Some("H"));
    assert_eq!(ds[1].date, NaiveDate::from_ymd_opt(2020, 5, 6));
    let sk = skipped(&items);
    assert_eq!(sk.len(), 1);
    assert_eq!(sk[0].line, Some(3));
    assert_eq!(sk[0].to_string(), format!("{}:3: no text field \"body\"", p.display()));
}

#[test]
fn bad_json_line_is_skipped_and_reading_continues() {
    let t = TempDir::new("badjson");
    let p = t.write(
        "d.jsonl",
        "{\"id\": \"1\", \"text\": \"ok\"}\n{\"id\": \"2\", \"text\": \n[1, 2]\n{\"id\": \"3\", \"text\": \"ok too\"}\n",
    );
    let items = read(std::slice::from_ref(&p), &InputOptions::default());
    let ids: Vec<&str> = docs(&items).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["1", "3"]);
    let sk = skipped(&items);
    assert_eq!(sk.len(), 2);
    assert_eq!(sk[0].line, Some(2));
    assert!(sk[0].to_string().starts_with(&format!("{}:2: malformed JSON: ", p.display())), "{}", sk[0]);
    assert!(sk[0].reason.contains("EOF"), "serde error kept: {}", sk[0].reason);
    assert_eq!(sk[1].line, Some(3));
    assert!(sk[1].reason.contains("object"));
}

#[test]
fn unparseable_date_warns_and_leaves_date_empty() {
    let t = TempDir::new("baddate");
    let p = t.write("d.jsonl", "{\"id\": \"1\", \"text\": \"ok\", \"date\": \"last Tuesday\"}\n");
    let opts = InputOptions { doc_date: NaiveDate::from_ymd_opt(2020, 1, 1), ..Default::default() };
    let items = read(&[p], &opts);
    assert_eq!(items.len(), 2);
    assert!(matches!(&items[0], Item::Warning(w) if w.line == Some(1) && w.reason.contains("last Tuesday")));
    assert!(matches!(&items[1], Item::Doc(d) if d.date.is_none()));
}

#[test]
fn binary_file_is_skipped() {
    let t = TempDir::new("binary");
    let bin = t.write("img.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let ctl = t.write("ctl.dat", [1u8, 2, 3, 4, b'a', 5, 6, 7, b'b', 8].repeat(50));
    let ok = t.write("ok.txt", "fine");
    let items = read(&[bin.clone(), ctl, ok], &InputOptions::default());
    let sk = skipped(&items);
    assert_eq!(sk.len(), 2);
    assert_eq!(sk[0].to_string(), format!("{}: binary file", bin.display()));
    assert_eq!(sk[1].reason, "binary file");
    assert_eq!(docs(&items).len(), 1);
}

#[test]
fn empty_and_whitespace_files_are_skipped() {
    let t = TempDir::new("empty");
    let e = t.write("e.txt", "");
    let w = t.write("w.txt", " \n\t\r\n ");
    let b = t.write("b.txt", "\u{feff}\n");
    let items = read(&[e, w, b], &InputOptions::default());
    assert_eq!(items.len(), 3);
    assert!(skipped(&items).iter().all(|s| s.reason == "empty file"));
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning_first() {
    let t = TempDir::new("utf8");
    let p = t.write("latin1.txt", b"Caf\xe9 in Baku");
    let items = read(std::slice::from_ref(&p), &InputOptions::default());
    assert_eq!(items.len(), 2);
    match &items[0] {
        Item::Warning(w) => {
            assert_eq!(w.to_string(), format!("{}: invalid UTF-8 at byte 3, decoded lossily", p.display()))
        }
        other => panic!("expected a warning, got {other:?}"),
    }
    match &items[1] {
        Item::Doc(d) => assert_eq!(d.text, "Caf\u{fffd} in Baku"),
        other => panic!("expected a doc, got {other:?}"),
    }
}

#[test]
fn utf8_bom_is_stripped() {
    let t = TempDir::new("bom");
    let p = t.write("bom.txt", "\u{feff}Baku, 2 October");
    let j = t.write("bom.jsonl", "\u{feff}{\"id\": \"j\", \"text\": \"json\"}\n");
    let items = read(&[p, j], &InputOptions::default());
    let ds = docs(&items);
    assert_eq!(ds.len(), 2, "{items:?}");
    assert_eq!(ds[0].text, "Baku, 2 October");
    assert_eq!(ds[1].id, "j");
}

#[test]
fn large_single_line_text_file_is_read() {
    let t = TempDir::new("large");
    let text = "Azerbaijan and Turkiye signed the Shusha Declaration. ".repeat(3_000_000 / 54 + 1);
    assert!(text.len() > 3_000_000);
    let p = t.write("big.txt", &text);
    let items = read(&[p], &InputOptions::default());
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Item::Doc(d) if d.text == text && d.id == "big"));
}

#[test]
fn text_file_over_the_limit_is_skipped() {
    let t = TempDir::new("limit-text");
    let p = t.write("big.txt", "x".repeat(2000));
    let items = read(&[p], &InputOptions { max_doc_bytes: 1000, ..Default::default() });
    assert_eq!(skipped(&items).len(), 1);
    assert!(skipped(&items)[0].reason.contains("larger than 1000 bytes"));
}

#[test]
fn over_limit_jsonl_line_is_skipped_and_next_line_read() {
    let t = TempDir::new("limit-jsonl");
    let long = format!("{{\"id\": \"long\", \"text\": \"{}\"}}\n", "y".repeat(300_000));
    let content =
        format!("{{\"id\": \"a\", \"text\": \"short\"}}\n{long}{{\"id\": \"b\", \"text\": \"after\"}}\n{long}");
    let p = t.write("l.jsonl", content);
    let opts = InputOptions { max_doc_bytes: 100_000, ..Default::default() };
    let items = read(std::slice::from_ref(&p), &opts);
    let ids: Vec<&str> = docs(&items).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let sk = skipped(&items);
    assert_eq!(sk.len(), 2);
    assert_eq!((sk[0].line, sk[1].line), (Some(2), Some(4)));
    assert!(sk[0].reason.contains("larger than 100000 bytes"), "{}", sk[0]);
    // A line exactly at the limit (with CRLF) still fits.
    let exact = format!("{{\"text\": \"{}\"}}", "z".repeat(89));
    assert_eq!(exact.len(), 101);
    let p2 = t.write("e.jsonl", format!("{exact}\r\n{exact}"));
    let items = read(&[p2], &InputOptions { max_doc_bytes: 101, ..Default::default() });
    assert_eq!(docs(&items).len(), 2, "{items:?}");
    let p3 = t.write("f.jsonl", format!("{exact}\n"));
    let items = read(&[p3], &InputOptions { max_doc_bytes: 100, ..Default::default() });
    assert_eq!(skipped(&items).len(), 1);
}

#[test]
fn stdin_detection() {
    assert_eq!(sniff(&b""[..]).unwrap().0, StreamKind::Text);
    assert_eq!(sniff(&b"   \n\t "[..]).unwrap().0, StreamKind::Text);
    assert_eq!(sniff(&b"{\"text\":1}"[..]).unwrap().0, StreamKind::Jsonl);
    assert_eq!(sniff(&b"\xEF\xBB\xBF\n {"[..]).unwrap().0, StreamKind::Jsonl);
    assert_eq!(sniff(&b"\n\n[1]"[..]).unwrap().0, StreamKind::Text);
    // Whitespace longer than one read chunk before the brace.
    let mut long = vec![b' '; 20_000];
    long.push(b'{');
    assert_eq!(sniff(&long[..]).unwrap().0, StreamKind::Jsonl);
    // One byte at a time: the BOM split across reads.
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }
    let (kind, mut r) = sniff(Trickle(b"\xEF\xBB\xBF {\"text\": \"t\"}")).unwrap();
    assert_eq!(kind, StreamKind::Jsonl);
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut r, &mut v).unwrap();
    assert_eq!(v, b"\xEF\xBB\xBF {\"text\": \"t\"}");
}

#[test]
fn stdin_streams_read_as_jsonl_or_one_text_doc() {
    let opts = InputOptions::default();
    let items: Vec<Item> =
        read_stream("stdin", &b"\n{\"text\": \"a\"}\n{\"id\": 9, \"text\": \"b\"}\n"[..], &opts).collect();
    let ds = docs(&items);
    assert_eq!(ds.len(), 2);
    assert_eq!(ds[0].id, "stdin-2");
    assert_eq!(ds[0].provenance.as_deref(), Some("stdin:2"));
    assert_eq!(ds[1].id, "9");

    let items: Vec<Item> = read_stream("stdin", &b"  Plain text {with braces}\n"[..], &opts).collect();
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Item::Doc(d) if d.id == "stdin" && d.text == "  Plain text {with braces}\n"));

    let items: Vec<Item> = read_stream("stdin", &b" \n "[..], &opts).collect();
    assert!(matches!(&items[0], Item::Skipped(e) if e.reason == "empty file"));
}

#[test]
fn error_display() {
    assert_eq!(IngestError::new("a.jsonl", Some(3), "boom").to_string(), "a.jsonl:3: boom");
    assert_eq!(IngestError::new("a.txt", None, "boom").to_string(), "a.txt: boom");
    let e: Box<dyn std::error::Error> = Box::new(IngestError::new("x", None, "y"));
    assert_eq!(e.to_string(), "x: y");
}

#[test]
fn the_outlet_comes_from_the_source_field_or_doc_source_and_provenance_is_kept_apart() {
    let t = TempDir::new("outlet");
    let p = t.write(
        "wire.jsonl",
        concat!(
            "{\"id\": \"a\", \"text\": \"one\", \"source\": \"Wire One\"}\n",
            "{\"id\": \"b\", \"text\": \"two\", \"source\": \"  \"}\n",
            "{\"id\": \"c\", \"text\": \"three\", \"outlet\": \"Daily Two\", \"source\": 7}\n",
        ),
    );
    let txt = t.write("plain.txt", "four");
    let items = read(&[p.clone(), txt.clone()], &InputOptions::default());
    let ds = docs(&items);
    let outlets: Vec<Option<&str>> = ds.iter().map(|d| d.source.as_deref()).collect();
    assert_eq!(outlets, [Some("Wire One"), None, None, None]);
    let provenance: Vec<String> = ds.iter().map(|d| d.provenance.clone().unwrap()).collect();
    let wire = p.display().to_string();
    assert_eq!(provenance, [format!("{wire}:1"), format!("{wire}:2"), format!("{wire}:3"), txt.display().to_string()]);

    // Another field name, and an outlet for every document whose record names none.
    let opts =
        InputOptions { source_field: "outlet".into(), doc_source: Some("Folder Desk".into()), ..Default::default() };
    let items = read(&[p, txt], &opts);
    let outlets: Vec<Option<&str>> = docs(&items).iter().map(|d| d.source.as_deref()).collect();
    assert_eq!(outlets, [Some("Folder Desk"), Some("Folder Desk"), Some("Daily Two"), Some("Folder Desk")]);
}

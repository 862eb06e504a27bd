//! Helpers shared by the store's integration tests.
#![allow(dead_code)]

use dyad_core::{Actor, DatePrecision, Document, Event, Plover};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "dyad-store-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn db(&self) -> PathBuf {
        self.0.join("store.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn country(key: &str, text: &str) -> Actor {
    Actor {
        text: text.into(),
        code: format!("{key}GOV"),
        country: Some(key.into()),
        sector: Some("GOV".into()),
        ..Default::default()
    }
}

pub fn org(key: &str, text: &str) -> Actor {
    Actor { text: text.into(), code: key.into(), org: Some(key.into()), ..Default::default() }
}

pub fn doc(id: &str, text: &str, source: Option<&str>) -> Document {
    Document { id: id.into(), text: text.into(), source: source.map(Into::into), ..Default::default() }
}

/// An event in sentence 0 of `doc_id`, with the code's Goldstein and QuadClass.
pub fn ev(doc_id: &str, n: usize, src: Actor, tgt: Actor, cameo: &str, date: Option<&str>) -> Event {
    let info = dyad_cameo::lookup(cameo).expect("known code");
    let precision = match date.map(|d| d.len()) {
        Some(10) | Some(7) if date.unwrap().starts_with("--") => DatePrecision::Day,
        Some(10) => DatePrecision::Day,
        Some(7) => DatePrecision::Month,
        Some(4) => DatePrecision::Year,
        _ => DatePrecision::None,
    };
    Event {
        event_id: format!("{doc_id}-e{n}"),
        doc_id: doc_id.into(),
        sentence_index: 0,
        date: date.map(Into::into),
        date_precision: precision,
        date_source: "sentence".into(),
        source: src,
        target: Some(tgt),
        cameo: cameo.into(),
        root: cameo[..2].into(),
        goldstein: info.goldstein,
        quad_class: info.quad_class,
        plover: Plover { kind: info.plover_type.unwrap_or("").into(), mode: info.plover_mode.map(Into::into) },
        rule: "test.rule".into(),
        ..Default::default()
    }
}

//! Coding whole documents the TABARI way, into dyad's [`dyad_core::Event`]s.
//!
//! A document is split into sentences by [`dyad_text::analyze`]; each sentence is coded as a
//! TABARI record, and with `FORWARD:` on, a pronoun with no antecedent takes the previous
//! sentence's source (the document is the story). Each event carries the document's date
//! (TABARI dates events by their story), character offsets of the verb and the actors, and the
//! CAMEO facts of its code (Goldstein, QuadClass, PLOVER) where the code is a CAMEO one.

use super::{Forward, Settings, Tabari};
use dyad_core::{Actor, DatePrecision, Document, Event, Offsets, Plover};
use std::fmt::Write;

/// An actor of a TABARI code: the first three letters are the country (or organisation) and
/// the rest the sector (`ARNGOVFRM` → `ARN` + `GOVFRM`), as [`crate::convert`] reads them.
fn actor(code: &str, text: &str) -> Actor {
    let split = code.len() > 3 && code.is_char_boundary(3) && code[..3].chars().all(|c| c.is_ascii_uppercase());
    let (country, sector) = if split {
        (Some(code[..3].to_string()), Some(code[3..].to_string()))
    } else if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        (Some(code.to_string()), None)
    } else {
        (None, None)
    };
    Actor { text: text.to_string(), code: code.to_string(), country, sector, ..Default::default() }
}

/// A stable event id: FNV-1a over document, sentence, trigger offset, dyad and code (as
/// dyad's own coder makes it).
fn event_id(e: &Event) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    feed(&e.doc_id);
    feed(&e.sentence_index.to_string());
    feed(&e.offsets.trigger[0].to_string());
    feed(&e.source.code);
    feed(&e.source.text);
    feed(e.target.as_ref().map(|t| t.code.as_str()).unwrap_or(""));
    feed(e.target.as_ref().map(|t| t.text.as_str()).unwrap_or(""));
    feed(&e.cameo);
    let mut s = String::with_capacity(16);
    let _ = write!(s, "{h:016x}");
    s
}

impl Tabari {
    /// Code every sentence of `doc` under `settings`.
    pub fn code_document(&self, doc: &Document, settings: &Settings) -> Vec<Event> {
        let analysis = dyad_text::analyze(&doc.text);
        let chars = dyad_text::CharIndex::new(&doc.text);
        let (date, precision, date_source) = match doc.date {
            Some(d) => (Some(d.format("%Y-%m-%d").to_string()), DatePrecision::Day, "document"),
            None => (None, DatePrecision::None, "none"),
        };
        let mut forward = Forward::default();
        forward.enter(&doc.id);
        let mut out = Vec::new();
        for (si, s) in analysis.sentences.iter().enumerate() {
            let stext = &doc.text[s.start..s.end];
            let outcome = self.code(stext, doc.date, settings, &mut forward);
            for te in outcome.events() {
                let off = |sp: [usize; 2]| [chars.char_offset(s.start + sp[0]), chars.char_offset(s.start + sp[1])];
                let text = |sp: Option<[usize; 2]>| sp.map_or("", |sp| &stext[sp[0]..sp[1]]);
                let info = dyad_cameo::lookup(&te.code);
                let root = dyad_cameo::root_of(&te.code).to_string();
                let mut e = Event {
                    event_id: String::new(),
                    doc_id: doc.id.clone(),
                    sentence_index: si,
                    sentence: stext.to_string(),
                    offsets: Offsets {
                        source: te.source_span.map(off),
                        target: te.target_span.map(off),
                        trigger: off(te.trigger),
                    },
                    date: date.clone(),
                    date_precision: precision,
                    date_source: date_source.to_string(),
                    source: actor(&te.source, text(te.source_span)),
                    target: Some(actor(&te.target, text(te.target_span))),
                    cameo: te.code.clone(),
                    goldstein: info.map_or(0.0, |i| i.goldstein),
                    quad_class: info.map_or_else(|| dyad_cameo::quad_class_of_root(&root), |i| i.quad_class),
                    root,
                    plover: Plover {
                        kind: info.and_then(|i| i.plover_type).unwrap_or("").to_string(),
                        mode: info.and_then(|i| i.plover_mode).map(String::from),
                    },
                    location: None,
                    negated: false,
                    hypothetical: false,
                    symmetric: false,
                    rule: format!("tabari:{}", te.code),
                };
                e.event_id = event_id(&e);
                out.push(e);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::Legacy;
    use crate::tabari::Tabari;
    use dyad_core::Document;

    #[test]
    fn documents_are_coded_sentence_by_sentence_with_offsets() {
        let mut l = Legacy { tabari_verbs: true, ..Default::default() };
        assert!(l.add_text("t.actors", "ARNOR [ARN]\nGONDOR [GON]\n").is_empty());
        assert!(l.add_text("t.verbs", "ACCUSE  [112]\nPRAISE [051]\n").is_empty());
        let (e, _) = Tabari::new(&l);
        let text = "Ünder a grey sky Arnor accused Gondor of lying to everyone. Gondor later praised Arnor for its calm words.";
        let doc = Document { id: "d1".into(), text: text.into(), ..Default::default() };
        let ev = e.code_document(&doc, &e.settings);
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert_eq!((ev[0].source.code.as_str(), ev[0].target.as_ref().unwrap().code.as_str()), ("ARN", "GON"));
        assert_eq!(ev[0].cameo, "112");
        assert_eq!(ev[0].source.text, "Arnor");
        let chars: Vec<char> = text.chars().collect();
        let [a, b] = ev[0].offsets.trigger;
        assert_eq!(chars[a..b].iter().collect::<String>(), "accused");
        assert_eq!((ev[1].sentence_index, ev[1].cameo.as_str()), (1, "051"));
    }
}

//! Every event points back into its document: the offsets of source, target and trigger are
//! character offsets that slice the original text to the words that were coded.

use dyad_coder::Coder;
use dyad_core::Document;

fn slice(text: &str, span: [usize; 2]) -> String {
    text.chars().skip(span[0]).take(span[1] - span[0]).collect()
}

#[test]
fn offsets_slice_the_original_text() {
    let coder = Coder::builtin();
    let text = "Şuşa, 15 June 2021 — Türkiye’s President Recep Tayyip Erdoğan and Azerbaijan’s President Ilham Aliyev \
                signed the Shusha Declaration.\n\nLater, “Armenian Prime Minister Nikol Pashinyan” visited Ankara at the invitation of Erdoğan.";
    let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
    let events = coder.code(&doc);
    assert!(events.len() >= 2, "{events:#?}");
    for e in &events {
        let src = slice(text, e.offsets.source.unwrap());
        assert_eq!(src, e.source.text);
        if let (Some(t), Some(span)) = (&e.target, e.offsets.target) {
            assert_eq!(slice(text, span), t.text);
        }
        let trig = slice(text, e.offsets.trigger);
        assert!(e.sentence.contains(&trig), "{trig:?} not in {:?}", e.sentence);
        // the sentence is where it says it is
        assert!(text.contains(&e.sentence));
    }
    let sign = events.iter().find(|e| e.root == "05").expect("the signing");
    assert_eq!(slice(text, sign.offsets.trigger), "signed");
    assert_eq!(sign.date.as_deref(), Some("2021-06-15"));
    let visit = events.iter().find(|e| e.cameo == "042").expect("the visit");
    assert_eq!(visit.source.country.as_deref(), Some("ARM"));
    assert_eq!(visit.target.as_ref().unwrap().country.as_deref(), Some("TUR"));
    assert_eq!(visit.sentence_index, 1);
}

#[test]
fn event_ids_are_stable_and_distinct() {
    let coder = Coder::builtin();
    let doc = Document {
        id: "d".into(),
        text: "Russia and Iran signed a memorandum. Iran condemned Israel. Israel condemned Iran.".into(),
        ..Default::default()
    };
    let a = coder.code(&doc);
    let b = coder.code(&doc);
    assert_eq!(a, b);
    let ids: std::collections::HashSet<&str> = a.iter().map(|e| e.event_id.as_str()).collect();
    assert_eq!(ids.len(), a.len());
}

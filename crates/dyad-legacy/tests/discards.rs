//! Discard lists apply when coding through dyad's pipeline: a sentence phrase drops its
//! sentence, a story phrase (`+`) every event of the document, wherever it appears.

fn coder(discards: &str) -> dyad_coder::Coder {
    let mut legacy = dyad_legacy::convert::Legacy::default();
    let errors = legacy.add_text("test.discards.txt", discards);
    assert!(errors.is_empty(), "{errors:?}");
    let (mut d, errors) = dyad_dict::Dictionaries::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    legacy.into_dictionaries(&mut d);
    dyad_coder::Coder::from_dictionaries(d)
}

fn code(c: &dyad_coder::Coder, text: &str) -> Vec<usize> {
    let doc = dyad_core::Document { id: "d".into(), text: text.into(), ..Default::default() };
    c.code(&doc).iter().map(|e| e.sentence_index).collect()
}

const TEXT: &str = "Azerbaijan signed a peace agreement with Armenia. \
    Iran condemned Israel, as it did years ago. \
    Russia hosted talks between Azerbaijan and Armenia. \
    The Golden Globe went to a film about Türkiye.";

#[test]
fn sentence_and_story_discards() {
    let none = code(&coder(""), TEXT);
    assert!(none.contains(&0) && none.contains(&1) && none.contains(&2), "{none:?}");
    // the sentence phrase drops sentence 1 only (case-insensitive, multi-word)
    let sentence = code(&coder("YEARS AGO\n"), TEXT);
    assert!(!sentence.contains(&1), "{sentence:?}");
    assert_eq!(sentence.len(), none.iter().filter(|&&s| s != 1).count(), "{sentence:?}");
    // a story phrase in the last sentence drops the events of the sentences before it too
    assert!(code(&coder("+GOLDEN GLOBE\n"), TEXT).is_empty());
    // an unrelated story phrase changes nothing
    assert_eq!(code(&coder("+ACADEMY AWARD\n"), TEXT), none);
}

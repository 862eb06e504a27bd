//! Polity adjectives coordinated before one noun share it: "Azerbaijani and Armenian forces"
//! are two militaries, "Azerbaijan and Armenian forces" a state and a military.

use dyad_coder::Coder;
use dyad_core::Document;

fn dyads(text: &str) -> Vec<(String, String, String)> {
    let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
    Coder::builtin()
        .code(&doc)
        .into_iter()
        .map(|e| (e.source.code, e.target.map(|t| t.code).unwrap_or_default(), e.cameo))
        .collect()
}

#[test]
fn adjectives_before_one_role_share_it() {
    let got = dyads("Azerbaijani and Armenian forces clashed along the border on Tuesday.");
    assert_eq!(got, [("AZEMIL".into(), "ARMMIL".into(), "190".into())]);
    let got = dyads("Armenian and Azerbaijani troops exchanged fire near Sotk.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("ARMMIL", "AZEMIL"), "{got:?}");
}

#[test]
fn a_name_or_an_adjective_with_its_own_noun_keeps_its_code() {
    let got = dyads("Azerbaijan and Armenian forces clashed along the border on Tuesday.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("AZE", "ARMMIL"), "{got:?}");
}

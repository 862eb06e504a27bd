//! Actor phrases that take their office from words around them, with the built-in dictionaries:
//! polity adjectives coordinated before one noun share it ("Azerbaijani and Armenian forces" are
//! two militaries, "Azerbaijan and Armenian forces" a state and a military), and "his Azerbaijani
//! counterpart" holds the office of the other party (the target of a visit or a meeting is that
//! country's government, not the bare country); plural role words "of" several polities are each
//! one's office. Verbs of the same scenes close the file.

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

#[test]
fn a_named_counterpart_takes_the_persons_office() {
    let got =
        dyads("Turkish President Recep Tayyip Erdogan received his Azerbaijani counterpart Ilham Aliyev in Ankara.");
    assert_eq!(got, [("TURGOV".into(), "AZEGOV".into(), "043".into())]);
}

#[test]
fn an_unnamed_counterpart_takes_the_other_partys_office() {
    let got = dyads("Azerbaijan's defence minister met his Turkish counterpart in Baku.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("AZEGOV", "TURGOV"), "{got:?}");
}

/// Not a counterpart, but the same signing scene: initialling an agreed text is coded as
/// signing it (057), between the two parties.
#[test]
fn initialling_a_text_is_signing_it() {
    let got = dyads("Aliyev and Pashinyan initialed the peace agreement at the White House on August 8, 2025.");
    assert_eq!(got, [("AZEGOV".into(), "ARMGOV".into(), "057".into())]);
}

#[test]
fn plural_roles_of_several_polities_are_each_ones_office() {
    let got = dyads("The foreign ministers of Armenia and Azerbaijan met in Berlin on February 28, 2024.");
    assert_eq!(got, [("ARMGOV".into(), "AZEGOV".into(), "040".into())]);
}

/// Also a verb: prisoners exchanged between two parties are a release (0841) between them,
/// while "exchanged fire" stays a clash.
#[test]
fn exchanging_prisoners_is_releasing_them() {
    let got = dyads("Armenia and Azerbaijan exchanged prisoners of war in December 2023.");
    assert_eq!(got, [("ARM".into(), "AZE".into(), "0841".into())]);
    let got = dyads("Armenia and Azerbaijan exchanged fire along the border.");
    assert_eq!(got, [("ARM".into(), "AZE".into(), "190".into())]);
}

/// "Received" with a polity adjective on the weapons names their supplier; on goods it is trade,
/// not the hosting of a visit.
#[test]
fn receiving_weapons_or_goods_is_no_visit() {
    let got = dyads("Armenia received Indian howitzers in 2023.");
    assert_eq!(got, [("IND".into(), "ARM".into(), "072".into())]);
    assert_eq!(dyads("Armenia received Russian gas at a discount."), []);
    let got = dyads("Erdogan received the Azerbaijani president in Ankara.");
    assert_eq!(got, [("TURGOV".into(), "AZEGOV".into(), "043".into())]);
}

#[test]
fn a_polity_s_own_leader_is_one_phrase() {
    // "Azerbaijan's Aliyev" is Aliyev (AZEGOV), not the bare state before him
    let got = dyads("Turkey's Erdogan spoke with Azerbaijan's Aliyev by phone on Tuesday.");
    assert_eq!(got, [("TURGOV".into(), "AZEGOV".into(), "041".into())]);
    // a polity's possessive before an event noun stays the polity
    let got = dyads("Russia's talks with Aliyev ended.");
    assert_eq!(got, [("RUS".into(), "AZEGOV".into(), "046".into())]);
}

//! A sentence that names one event twice ("clashed … in the worst fighting in years") codes it
//! once; two events of the same code in one sentence stay two when their actors differ.

use dyad_coder::Coder;
use dyad_core::Document;

fn code(text: &str) -> Vec<(String, String, String, String)> {
    let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
    Coder::builtin()
        .code(&doc)
        .into_iter()
        .map(|e| {
            let target = e.target.map(|t| t.code).unwrap_or_default();
            let who = format!("{}/{}", e.source.name.unwrap_or_default(), e.rule);
            (e.source.code, target, e.cameo, who)
        })
        .collect()
}

#[test]
fn a_second_trigger_of_the_same_event_adds_nothing() {
    let got = code(
        "Azerbaijani and Armenian forces clashed along the line of contact in Nagorno-Karabakh on Sunday \
         in the worst fighting in years.",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str(), got[0].2.as_str()), ("AZEMIL", "ARMMIL", "190"));
}

#[test]
fn events_of_one_code_with_other_actors_stay_apart() {
    let got = code("Aliyev met Putin in Moscow, and Bayramov met Lavrov in Baku.");
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|g| g.0 == "AZEGOV" && g.1 == "RUSGOV" && g.2 == "040"), "{got:?}");
    let got = code("Armenia accused Azerbaijan of shelling, and Azerbaijan accused Armenia of provocations.");
    let mut dyads: Vec<(&str, &str)> = got.iter().map(|g| (g.0.as_str(), g.1.as_str())).collect();
    dyads.sort();
    assert_eq!(dyads, [("ARM", "AZE"), ("AZE", "ARM")], "{got:?}");
}

#[test]
fn an_agreement_to_an_event_is_that_event_once() {
    // "agreed to" + a cooperative event: the event, as an intent, is what was agreed
    let got = code("Russia agreed to supply gas to Uzbekistan.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str(), got[0].2.as_str()), ("RUS", "UZB", "0311"));
    // an event noun inside what was agreed is part of it
    let got = code("Azerbaijan and Georgia agreed to deepen cooperation in transport and energy.");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1.as_str(), got[0].2.as_str()), ("AZE", "GEO", "0311"));
    // an agreement with someone else than the parties of the agreed event stays
    let got = code("Armenia agreed with Russia to hold talks.");
    assert!(got.iter().any(|g| g.0 == "ARM" && g.1 == "RUS"), "{got:?}");
}

#[test]
fn a_promise_of_an_event_is_that_event_once() {
    // "pledged / promised / offered to" + an event: the event, coded as an intent, is what was
    // promised; the promising verb adds no generic 030 beside it
    for (text, cameo) in [
        ("Ankara pledged to back Baku at every international forum.", "032"),
        ("Turkmenistan promised to supply gas to Azerbaijan.", "0311"),
        ("Turkmenistan has offered to supply gas to Azerbaijan.", "0311"),
    ] {
        let got = code(text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(got[0].2, cameo, "{text}: {got:?}");
    }
    // a literal after "to" is the infinitive's, not one past another preposition and actor: no
    // "offered to swap" with Iran here
    let got = code("Turkmenistan has offered to supply gas to Azerbaijan under a swap deal with Iran.");
    assert!(got.iter().all(|g| g.1 != "IRN"), "{got:?}");
}

//! Invariants of the built-in dictionaries: they load without a single error and cover what the
//! coder promises (every UN member, the named organisations, leaders of the regions dyad is
//! built for, all 20 CAMEO roots and at least 150 sub-codes).

use dyad_dict::{ActorDictionary, Dictionaries, PolityKind};
use std::collections::BTreeSet;

fn builtin() -> Dictionaries {
    let (d, errors) = Dictionaries::builtin();
    assert!(errors.is_empty(), "built-in dictionaries have errors: {errors:#?}");
    d
}

#[test]
fn states_and_organisations() {
    let d = builtin();
    let countries = d.actors.polities.iter().filter(|p| p.kind == PolityKind::Country).count();
    assert!(countries >= 195, "{countries} UN members and observers");
    for id in [
        "UN", "EU", "NATO", "OSCE", "OTS", "CIS", "EPC", "SCO", "BRICS", "CSTO", "GCC", "AU", "ASEAN", "OPEC", "IAEA",
        "IMF", "WB", "WTO", "OIC", "COE", "G7", "G20", "EAEU", "ICC", "ICJ", "ICRC",
    ] {
        let p = d.actors.polity_by_code(id).unwrap_or_else(|| panic!("no organisation {id}"));
        assert_eq!(p.kind, PolityKind::Org, "{id}");
    }
    // names, adjectives, demonyms and metonyms all resolve
    for (text, code) in [
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Azerbaijani", "AZE"),
        ("Iranians", "IRN"),
        ("the Kremlin", "RUS"),
        ("Baku", "AZE"),
        ("Brussels", "EU"),
        ("Washington", "USA"),
        ("Organization of Turkic States", "OTS"),
    ] {
        let toks = dyad_text::tokenize(text);
        let (n, hits) = d.actors.lookup(&toks, 0, false).unwrap_or_else(|| panic!("{text} not found"));
        assert_eq!(n, toks.len(), "{text}");
        let found = hits
            .iter()
            .any(|h| matches!(h, dyad_dict::ActorHit::Polity { id, .. } if d.actors.polities[*id].code == code));
        assert!(found, "{text} should be {code}");
    }
}

#[test]
fn leaders_with_terms_for_the_regions() {
    let d = builtin();
    let g20 = [
        "ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS", "SAU", "ZAF",
        "TUR", "GBR", "USA",
    ];
    let region = [
        "AZE", "ARM", "GEO", "KAZ", "KGZ", "TJK", "TKM", "UZB", "IRN", "IRQ", "ISR", "JOR", "LBN", "SYR", "ARE", "QAT",
        "KWT", "BHR", "OMN", "EGY",
    ];
    for c in g20.iter().chain(region.iter()) {
        let n = d.actors.people.iter().filter(|p| p.terms.iter().any(|t| t.country.as_deref() == Some(c))).count();
        assert!(n >= 3, "{c} has {n} people");
    }
    for p in &d.actors.people {
        for t in &p.terms {
            if let (Some(a), Some(b)) = (t.from, t.to) {
                assert!(a <= b, "{}: term {a} > {b}", p.name);
            }
        }
    }
    // the date picks the term
    let aliyev = d.actors.people.iter().find(|p| p.name == "Ilham Aliyev").unwrap();
    let on = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd);
    assert_eq!(aliyev.term_at(on(2025, 6, 19)).title, "President");
}

#[test]
fn every_cameo_root_and_many_subcodes() {
    let d = builtin();
    let codes: BTreeSet<&str> =
        d.events.triggers.iter().flat_map(|t| t.rules.iter().filter_map(|r| r.code.as_deref())).collect();
    let roots: BTreeSet<&str> = codes.iter().map(|c| &c[..2]).collect();
    assert_eq!(roots.len(), 20, "roots: {roots:?}");
    let sub = codes.iter().filter(|c| c.len() >= 3).count();
    assert!(sub >= 150, "{sub} sub-codes");
    for c in &codes {
        assert!(dyad_cameo::is_valid(c), "{c}");
    }
}

#[test]
fn national_bodies_name_their_state() {
    let d = builtin();
    for (body, code) in [("Knesset", "ISR"), ("Milli Majlis", "AZE"), ("Verkhovna Rada", "UKR"), ("Bundestag", "DEU")] {
        let role = d.actors.roles.iter().find(|r| r.phrase == body).unwrap_or_else(|| panic!("no role {body}"));
        assert_eq!(role.country.as_deref(), Some(code), "{body}");
    }
    // a name several states use has no state of its own
    let majlis = d.actors.roles.iter().find(|r| r.phrase == "Majlis").unwrap();
    assert_eq!(majlis.country, None);
    // a country column that is no ISO alpha-3 code is an error on its line
    let mut t = dyad_dict::ActorTable::default();
    let loaded = t.load_roles("test.tsv", "Knesset\tLEG\t\tIsrael\nSejm\tLEG\t\tPOL\n");
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    assert_eq!(t.roles.len(), 1);
    assert_eq!(t.roles[0].country.as_deref(), Some("POL"));
}

//! With the Phoenix actors loaded next to dyad's own, people the Phoenix lists know get their
//! Phoenix code for the event's date.

use std::path::PathBuf;

#[test]
fn ilham_aliyev_is_azegov_in_2025() {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dictionaries/phoenix");
    if !p.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "{} is missing (CI is set)", p.display());
        return;
    }
    let mut legacy = dyad_legacy::convert::Legacy::default();
    let errors = legacy.add_file(&p.join("Phoenix.Countries.actors.txt"));
    assert!(errors.len() < 20, "{errors:?}");
    let mut d = dyad_dict::Dictionaries::default();
    legacy.into_dictionaries(&mut d);
    for (name, text) in dyad_dict::BUILTIN_FILES {
        d.load_file(name, name, text);
    }
    let coder = dyad_coder::Coder::from_dictionaries(d);
    let doc = dyad_core::Document {
        id: "t".into(),
        text: "Ilham Aliyev met Vladimir Putin in Moscow on Monday.".into(),
        date: chrono::NaiveDate::from_ymd_opt(2025, 3, 3),
        ..Default::default()
    };
    let events = coder.code(&doc);
    assert!(!events.is_empty(), "no events");
    assert_eq!(events[0].source.code, "AZEGOV", "{:?}", events[0].source);
    assert_eq!(events[0].source.country.as_deref(), Some("AZE"));
}

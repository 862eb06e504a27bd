//! `dyad dict convert`: the Phoenix set written in dyad's own format is the same on every run
//! and loads back with dyad's loader, refusing only what the converter said it would.

use std::path::PathBuf;

fn phoenix() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dictionaries/phoenix/PETR_config.ini");
    if !p.is_file() {
        assert!(std::env::var_os("CI").is_none(), "{} is missing (CI is set)", p.display());
        return None;
    }
    Some(p)
}

#[test]
fn conversion_is_deterministic_and_loads_back() {
    let Some(config) = phoenix() else { return };
    let (legacy, _) = dyad_legacy::convert::Legacy::petrarch_config(&config);
    let base = std::env::temp_dir().join(format!("dyad-convert-{}", std::process::id()));
    let (first, second) = (base.join("a"), base.join("b"));
    let (written, notes) = dyad_legacy::convert::write_dyad(&legacy, &first).unwrap();
    dyad_legacy::convert::write_dyad(&legacy, &second).unwrap();
    assert!(written.len() >= 4, "{written:?}");
    for f in &written {
        let rel = f.strip_prefix(&first).unwrap();
        let (a, b) = (std::fs::read(f).unwrap(), std::fs::read(second.join(rel)).unwrap());
        assert!(a == b, "{} differs between two conversions of the same input", rel.display());
    }
    let mut d = dyad_dict::Dictionaries::default();
    let errors = d.load_dir(&first);
    let verbs: usize = d.events.triggers.iter().map(|t| t.rules.len()).sum();
    assert!(verbs > 4_000, "{verbs} rules loaded back");
    assert!(d.actors.people.len() > 20_000, "{} people loaded back", d.actors.people.len());
    std::fs::remove_dir_all(&base).ok();
    // The only lines dyad's loader refuses are rules whose code is not CAMEO (Phoenix has a
    // few), each announced by the converter: synsets inside noun phrases are expanded, so no
    // `&NAME` reaches the output.
    assert!(errors.iter().all(|e| e.reason.starts_with("unknown CAMEO code")), "{errors:?}");
    let announced = notes.iter().filter(|n| n.reason.contains("is not CAMEO")).count();
    assert_eq!(errors.len(), announced, "{errors:?}");
}

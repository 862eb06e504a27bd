//! The bar on the seed articles (`../shared/seeds`, read in place, never copied): every
//! event the text explicitly places in a city gets that city, within 25 km of its real position;
//! a place that only names a thing ("the Shusha Declaration") is no event location.
//!
//! The seeds live outside the repository; without them the test passes with a note, except under
//! CI (the `CI` variable set), where their absence is a failure.

use dyad_core::Document;
use dyad_places::distance_km;
use std::path::PathBuf;

/// Cities the seeds name as where something happened, with their real coordinates.
const CITIES: &[(&str, f64, f64)] = &[
    ("Copenhagen", 55.6761, 12.5683),
    ("Gabala", 40.9981, 47.8700),
    ("Dushanbe", 38.5598, 68.7870),
    ("Tehran", 35.6892, 51.3890),
    ("Kahramanmaraş", 37.5753, 36.9228),
];

fn seeds() -> Option<Vec<(String, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).ok()? {
        let p = e.ok()?.path();
        if p.extension().is_some_and(|x| x == "txt") {
            out.push((p.file_name()?.to_string_lossy().into_owned(), std::fs::read_to_string(&p).ok()?));
        }
    }
    out.sort();
    Some(out)
}

#[test]
fn seed_events_are_placed_in_their_cities() {
    let Some(docs) = seeds() else {
        assert!(std::env::var_os("CI").is_none(), "../shared/seeds is missing");
        eprintln!("note: ../shared/seeds not found; seed bar not checked");
        return;
    };
    let coder = dyad_coder::Coder::builtin();
    let mut placed: Vec<&str> = Vec::new();
    let mut expected = 0;
    for (name, text) in &docs {
        let doc = Document { id: name.clone(), text: text.clone(), ..Default::default() };
        for e in coder.code(&doc) {
            let loc = e.location.as_ref();
            eprintln!(
                "{name} s{} {} {}->{} @ {:?}",
                e.sentence_index,
                e.cameo,
                e.source.code,
                e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                loc.map(|l| (&l.name, l.lat, l.lon))
            );
            // a named thing is not a place
            if let Some(l) = loc {
                assert!(!l.name.contains("Declaration"), "{name}: {l:?}");
                if e.sentence.contains("Shusha Declaration") {
                    assert!(!l.name.starts_with("Shusha"), "{name}: the Shusha Declaration placed an event: {l:?}");
                }
            }
            // events whose sentence places them in one of the cities: "in Copenhagen", "held in
            // Copenhagen", "in Kahramanmaraş, Türkiye"
            for &(city, lat, lon) in CITIES {
                let locative = ["in ", "at "].iter().any(|p| e.sentence.contains(&format!("{p}{city}")));
                if !locative {
                    continue;
                }
                let Some(l) = loc else { continue };
                if l.name.starts_with(city) || l.name.contains(&format!(" {city}")) {
                    let d = distance_km(l.lat.unwrap(), l.lon.unwrap(), lat, lon);
                    assert!(d <= 25.0, "{name}: {city} placed {d:.1} km away: {l:?}");
                    assert_eq!(l.geo_type, Some(4), "{l:?}");
                    placed.push(city);
                }
            }
            if CITIES.iter().any(|(c, _, _)| e.sentence.contains(&format!("in {c}"))) {
                expected += 1;
                assert!(
                    loc.is_some_and(|l| CITIES.iter().any(|(c, _, _)| l.name.starts_with(c))),
                    "{name}: event in a seed city has no city location: {:?} in {:?}",
                    loc,
                    e.sentence
                );
            }
        }
    }
    eprintln!("{expected} events in seed cities; placed: {placed:?}");
    assert!(expected > 0, "no seed event names a city: the seeds changed?");
}

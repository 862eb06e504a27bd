//! Place recognition on sentences written for these tests: diacritics, ambiguity, metonymy,
//! borders, names of things; and the gazetteer's coverage.

use dyad_places::{distance_km, find_places, Gazetteer, Kind, PlaceMention, Role};

fn mention<'a>(found: &'a [PlaceMention], text: &str) -> &'a PlaceMention {
    found
        .iter()
        .find(|m| m.text == text)
        .unwrap_or_else(|| panic!("{text:?} not found among {:?}", found.iter().map(|m| &m.text).collect::<Vec<_>>()))
}

/// Asserts the chosen place of `text` is within `km` of (lat, lon) and in `iso3`.
fn near(m: &PlaceMention, iso3: &str, lat: f64, lon: f64, km: f64) {
    let p = m.chosen.unwrap_or_else(|| panic!("{:?}: nothing chosen", m.text));
    assert_eq!(p.country.iso3, iso3, "{:?} -> {}", m.text, p.name);
    let d = distance_km(p.lat, p.lon, lat, lon);
    assert!(d <= km, "{:?} -> {} at ({}, {}), {d:.0} km from ({lat}, {lon})", m.text, p.name, p.lat, p.lon);
}

#[test]
fn gazetteer_covers_countries_regions_and_towns() {
    let g = Gazetteer::builtin();
    assert!(g.country_count() >= 240, "{} countries", g.country_count());
    assert!(g.admin1_count() >= 3000, "{} regions", g.admin1_count());
    assert!(g.len() > 130_000, "{} places", g.len());
    // every country has a centroid inside a plausible range and a FIPS code where one exists
    let aze = g.country_by_code("AZE").unwrap();
    assert_eq!((aze.iso2, aze.fips), ("AZ", "AJ"));
    let p = g.country_place(aze).unwrap();
    assert!(distance_km(p.lat, p.lon, 40.3, 47.7) < 150.0, "Azerbaijan's centroid at {}, {}", p.lat, p.lon);
    // US states are first-level regions with names
    let tx = g.lookup("texas");
    assert!(tx.iter().any(|p| p.kind == Kind::Admin1 && p.country.iso2 == "US"), "{tx:?}");
    // a small town of more than 1,000 people
    assert!(g.lookup("horadiz").iter().any(|p| p.country.iso2 == "AZ"));
}

#[test]
fn diacritics_transliterations_and_english_names() {
    for (text, name, iso3, lat, lon) in [
        ("Rescuers worked in Kahramanmaraş overnight.", "Kahramanmaraş", "TUR", 37.58, 36.93),
        ("Rescuers worked in Kahramanmaras overnight.", "Kahramanmaras", "TUR", 37.58, 36.93),
        ("Ministers gathered in Şuşa on Friday.", "Şuşa", "AZE", 39.76, 46.75),
        ("Ministers gathered in Shusha on Friday.", "Shusha", "AZE", 39.76, 46.75),
        ("A forum opened in Gəncə.", "Gəncə", "AZE", 40.68, 46.36),
        ("A forum opened in Ganja.", "Ganja", "AZE", 40.68, 46.36),
        ("The leaders met in København.", "København", "DNK", 55.68, 12.57),
        ("Turkic leaders met in Gabala.", "Gabala", "AZE", 40.98, 47.85),
        // English names of cities GeoNames files under their own ("Genève", "Köln"), and
        // Georgian and Armenian names written without the ejective's apostrophe ("P’ot’i")
        ("Diplomats met in Geneva on Monday.", "Geneva", "CHE", 46.20, 6.15),
        ("A summit opened in Cologne.", "Cologne", "DEU", 50.93, 6.95),
        ("A ferry docked in Turkmenbashi.", "Turkmenbashi", "TKM", 40.02, 52.96),
        ("Grain was loaded in Poti.", "Poti", "GEO", 42.14, 41.67),
        ("Russian troops are based in Tskhinvali.", "Tskhinvali", "GEO", 42.23, 43.97),
        ("A festival was held in Stepanavan.", "Stepanavan", "ARM", 41.01, 44.39),
        ("The exhibition opened in New York.", "New York", "USA", 40.71, -74.01),
    ] {
        let found = find_places(text);
        let m = mention(&found, name);
        assert_eq!(m.role, Role::Location, "{text}");
        near(m, iso3, lat, lon, 25.0);
    }
    // the data's own name is replaced by the one the text world uses
    let found = find_places("Turkic leaders met in Qəbələ.");
    assert_eq!(mention(&found, "Qəbələ").chosen.unwrap().name, "Gabala");
}

#[test]
fn ambiguity_by_qualifier_context_and_population() {
    // a qualifier after a comma
    let found = find_places("The rally took place in Paris, Texas, on Saturday.");
    let paris = mention(&found, "Paris");
    near(paris, "USA", 33.66, -95.56, 25.0);
    assert_eq!(mention(&found, "Texas").role, Role::Qualifier);
    // population alone
    let found = find_places("The conference was held in Paris.");
    near(mention(&found, "Paris"), "FRA", 48.85, 2.35, 25.0);
    // Georgia: the country, with the Caucasus around it ...
    let found = find_places("Azerbaijan and Armenia held talks in Georgia.");
    let georgia = mention(&found, "Georgia").chosen.unwrap();
    assert_eq!((georgia.kind, georgia.country.iso3), (Kind::Country, "GEO"));
    // ... and the US state when the text is about the United States
    let found =
        find_places("The United States held elections on Tuesday. Voters in Georgia waited for hours in Atlanta.");
    let georgia = mention(&found, "Georgia").chosen.unwrap();
    assert_eq!((georgia.kind, georgia.country.iso3), (Kind::Admin1, "USA"), "{georgia:?}");
    // a city and the region named after it: the city
    let found = find_places("Protests were reported in Tehran.");
    assert_eq!(mention(&found, "Tehran").chosen.unwrap().kind, Kind::City);
    // ... unless the text says the region
    let found = find_places("Floods hit villages in Tehran province.");
    assert_eq!(mention(&found, "Tehran").chosen.unwrap().kind, Kind::Admin1);
}

#[test]
fn the_us_capital_and_seats_of_power() {
    // GeoNames names the capital "Washington, D.C.": a plain "Washington" is still it, not the
    // largest town of that name (in England), while the state and the English town stay reachable
    let found = find_places("The two ministers met in Washington on Monday.");
    near(mention(&found, "Washington"), "USA", 38.90, -77.04, 25.0);
    let found = find_places("Wildfires spread in Washington state.");
    assert_eq!(mention(&found, "Washington").chosen.unwrap().kind, Kind::Admin1);
    let found = find_places("He grew up in Washington, England.");
    near(mention(&found, "Washington"), "GBR", 54.90, -1.52, 25.0);
    // a seat of power is its capital, not a town of the same name (White House, Tennessee)
    let found = find_places("Aliyev and Pashinyan initialled the agreement at the White House.");
    near(mention(&found, "White House"), "USA", 38.90, -77.04, 25.0);
    let found = find_places("Talks were held at the Kremlin.");
    near(mention(&found, "Kremlin"), "RUS", 55.75, 37.62, 25.0);
}

#[test]
fn metonymy_capitals_that_act_are_actors() {
    let found = find_places("Tehran said it would respond, while talks in Tehran continued.");
    let roles: Vec<Role> = found.iter().filter(|m| m.text == "Tehran").map(|m| m.role).collect();
    assert_eq!(roles, vec![Role::Actor, Role::Location]);
    let found = find_places("The leaders of Baku and Tehran agreed to cooperate.");
    assert!(found.iter().all(|m| m.role == Role::Actor), "{found:?}");
    let found = find_places("Baku's position has not changed.");
    assert_eq!(mention(&found, "Baku").role, Role::Actor);
}

#[test]
fn border_phrases() {
    let found = find_places("Workers finished a new bridge on the Azerbaijan–Iran border.");
    let az = mention(&found, "Azerbaijan");
    assert_eq!(az.role, Role::Location);
    assert_eq!(az.border.as_deref(), Some("Azerbaijan–Iran border"));
    assert_eq!(mention(&found, "Iran").role, Role::Mention);
    let loc = dyad_places::mention_location(az).unwrap();
    assert_eq!((loc.geo_type, loc.name.as_str()), (Some(1), "Azerbaijan–Iran border"));
    let found = find_places("Troops massed near the border with Iran.");
    let iran = mention(&found, "Iran");
    assert_eq!(iran.role, Role::Location);
    assert_eq!(iran.border.as_deref(), Some("border with Iran"));
}

#[test]
fn names_of_things_are_not_locations() {
    let found = find_places("The anniversary of the Shusha Declaration was marked in Ankara.");
    assert_eq!(mention(&found, "Shusha").role, Role::Name);
    assert_eq!(mention(&found, "Ankara").role, Role::Location);
    let found = find_places("Rescuers reached the 'Azerbaijan' neighborhood in Kahramanmaraş.");
    assert_eq!(mention(&found, "Azerbaijan").role, Role::Name);
    assert_eq!(mention(&found, "Kahramanmaraş").role, Role::Location);
    // acronyms and institutions are not towns
    let found = find_places("Ministers met at the Council of the CIS in Dushanbe, Tajikistan.");
    let texts: Vec<&str> = found.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, vec!["Dushanbe", "Tajikistan"]);
    near(mention(&found, "Dushanbe"), "TJK", 38.54, 68.78, 25.0);
}

#[test]
fn compass_words_and_continents_are_not_places() {
    // "South Province" (Cameroon), "East" (Cameroon), "Central Region" (Nepal) and Asia in the
    // Philippines were readings of these
    let found = find_places("Tensions rose in the South Caucasus, the Middle East and Central Asia.");
    assert!(found.is_empty(), "{:?}", found.iter().map(|m| &m.text).collect::<Vec<_>>());
    // the full names of such regions still are
    let found = find_places("Floods hit the Central Region of Nepal.");
    assert_eq!(mention(&found, "Central Region").chosen.unwrap().country.iso3, "NPL");
}

#[test]
fn regions_no_admin_unit_stands_for() {
    for (text, name) in [
        ("Fighting erupted in Nagorno-Karabakh in September 2020.", "Nagorno-Karabakh"),
        ("Russian peacekeepers withdrew from Karabakh.", "Karabakh"),
    ] {
        let found = find_places(text);
        let m = mention(&found, name);
        assert_eq!(m.chosen.unwrap().kind, Kind::Admin1);
        near(m, "AZE", 39.82, 46.75, 30.0);
    }
    let found = find_places("Russian troops have stayed in South Ossetia since 2008.");
    near(mention(&found, "South Ossetia"), "GEO", 42.3, 43.97, 30.0);
}

#[test]
fn seats_and_capitals_against_small_namesakes() {
    // a provincial seat of 234,000 (Spain) over a departmental capital of 89,000 (Nicaragua)
    let found = find_places("Leaders met at the European Political Community summit in Granada.");
    near(mention(&found, "Granada"), "ESP", 37.18, -3.61, 25.0);
    // a country named only as an actor's adjective does not pull a capital to a village of
    // 1,110 people in Wisconsin
    let found = find_places("US Secretary of State Antony Blinken met Pashinyan in Brussels on Friday.");
    near(mention(&found, "Brussels"), "BEL", 50.85, 4.35, 25.0);
}

#[test]
fn world_cities_against_namesakes_in_an_actors_country() {
    // "US" is an actor here (the coder passes its span): its country alone does not pull a
    // capital, or a city five times the size of its namesake, to a town in the United States
    let g = Gazetteer::builtin();
    for (text, name, iso3, lat, lon) in [
        ("US and Russian officials held talks in Moscow.", "Moscow", "RUS", 55.75, 37.62),
        ("US and Russian officials held talks in Geneva.", "Geneva", "CHE", 46.20, 6.15),
        ("US and Ukrainian delegations met in Odessa.", "Odessa", "UKR", 46.48, 30.73),
    ] {
        let a = dyad_text::analyze(text);
        let toks = &a.tokens[a.sentences[0].tokens.clone()];
        let found = dyad_places::find_in_sentence(g, text, toks, &dyad_places::DocContext::new(), &[(0, 1)], &["USA"]);
        near(mention(&found, name), iso3, lat, lon, 25.0);
    }
    // where the sentence names a place of that country, the namesake still wins
    let found = find_places("The rally moved from Dallas to Paris, Texas.");
    near(mention(&found, "Paris"), "USA", 33.66, -95.56, 25.0);
}

#[test]
fn lists_share_their_cue_and_locations_carry_gdelt_fields() {
    let found = find_places("Summits were held in Baku, Gabala and Shusha.");
    for name in ["Baku", "Gabala", "Shusha"] {
        assert_eq!(mention(&found, name).role, Role::Location, "{name}");
    }
    let loc = dyad_places::mention_location(mention(&found, "Baku")).unwrap();
    assert_eq!(loc.country.as_deref(), Some("AZE"));
    assert_eq!(loc.country_fips.as_deref(), Some("AJ"));
    assert_eq!(loc.geo_type, Some(4));
    assert!(loc.adm1_code.as_deref().unwrap().starts_with("AJ"));
    assert!(loc.feature_id.as_deref().unwrap().parse::<u32>().is_ok());
    let found = find_places("A storm hit Houston, Texas.");
    let loc = dyad_places::mention_location(mention(&found, "Houston"));
    // "hit Houston" has no preposition of place, but the mention is still resolved
    assert_eq!(loc.unwrap().geo_type, Some(3));
}

#[test]
fn actor_homes() {
    let actor = |text: &str, country: Option<&str>| dyad_core::Actor {
        text: text.into(),
        country: country.map(Into::into),
        ..Default::default()
    };
    let home = dyad_places::actor_home(&actor("Tehran", Some("IRN"))).unwrap();
    assert_eq!((home.geo_type, home.name.as_str()), (Some(4), "Tehran, Iran"));
    let home = dyad_places::actor_home(&actor("Azerbaijan's foreign minister", Some("AZE"))).unwrap();
    assert_eq!((home.geo_type, home.country_fips.as_deref()), (Some(1), Some("AJ")));
    assert!(dyad_places::actor_home(&actor("the EU", None)).is_none());
}

#[test]
fn odd_input_does_not_panic() {
    for text in
        ["", " ", "in", "In in in at", "\u{0}\u{feff}Baku", "Ş", "'''", "Paris,", "on the - border", "Azerbaijan–"]
    {
        let _ = find_places(text);
    }
}

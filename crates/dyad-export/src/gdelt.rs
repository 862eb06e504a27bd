//! The GDELT 2.0 Event and Mentions tables.
//!
//! GDELT publishes two tab-separated tables without a header: the **Event** table, one line per
//! real-world event (61 columns, [`GDELT_EVENT_COLUMNS`]), and the **Mentions** table, one line
//! per time an event is mentioned in an article (16 columns, [`GDELT_MENTION_COLUMNS`]). In dyad
//! a real-world event is a *cluster* ([`ClusterRow`]) and a mention is an *event row*
//! ([`EventRow`]); `GLOBALEVENTID` is the cluster id in both tables, so the two join as GDELT's
//! do. Tabs, line feeds and carriage returns inside a field become spaces.
//!
//! # The Event table, column by column
//!
//! - `GLOBALEVENTID`: the cluster id.
//! - `SQLDATE` (`YYYYMMDD`), `MonthYear` (`YYYYMM`), `Year`, `FractionDate`: the event's day,
//!   chosen by this rule:
//!   1. the cluster's date, else the representative mention's date, when it has a year:
//!      `YYYY-MM-DD` as is, `YYYY-MM` → the 1st of the month, `YYYY` → January 1st;
//!   2. a `--MM-DD` date (year unknown) gets the year of `added` (when the cluster was stored),
//!      or the year before when that would put the event after `added` — news reports events
//!      that already happened;
//!   3. otherwise the day of `added`, the last resort;
//!   4. when even `added` cannot be parsed, the four date columns are empty.
//!
//!   `FractionDate` is `Year + (day_of_year - 1) / 365` with 4 decimals, as GDELT prints it.
//! - `Actor1*` from the mention's source actor, `Actor2*` from its target (all empty when there
//!   is no target): `Code` = the CAMEO actor code, `Name` = the person's name if known, else the
//!   actor's text, upper-cased; `CountryCode` = ISO alpha-3 country; `KnownGroupCode` = the
//!   organisation; `Type1Code` = the sector. Ethnic, religion, `Type2Code` and `Type3Code` are
//!   empty: dyad does not code them.
//! - `IsRootEvent`: 1 when the representative mention is in the document's first sentence
//!   (GDELT's "lead paragraph" proxy), else 0.
//! - `EventCode`, `EventBaseCode` (first 3 digits), `EventRootCode` (first 2 digits). A
//!   two-digit code (`"04"`) is written as its "not specified below" code (`"040"`), as GDELT
//!   does.
//! - `QuadClass`, `GoldsteinScale`: from the event. `NumMentions`, `NumSources`, `NumArticles`:
//!   from the cluster. `AvgTone`: 0 (dyad does not score tone).
//! - `Actor1Geo_*`, `Actor2Geo_*`: the actor's home ([`dyad_places::actor_home`]): the capital
//!   when the actor's phrase is one ("Tehran"), else the actor's country (`Type` 1, its centroid).
//!   An actor with no country (an organisation) is unlocated — `Type` 0, the rest empty — exactly
//!   as GDELT writes an actor it could not place.
//! - `ActionGeo_*`, from the event's location when it has one: `Type` = the location's GDELT geo
//!   type (1 country, 2 US state, 3 US city, 4 world city, 5 world state; for a location without
//!   one, 4 with coordinates and 1 without); `FullName` = the place name; `CountryCode` = the FIPS
//!   10-4 code as GDELT writes it (from the location, else mapped from its ISO code by dyad's
//!   gazetteer, else the ISO code as given); `ADM1Code` = FIPS country code + admin1 code
//!   (`AJ09`, `USTX`); `ADM2Code` empty; `Lat`, `Long`; `FeatureID` = the GeoNames id of a city,
//!   the ADM1 code of a region, the FIPS code of a country. Without a location: `Type` 0, the rest
//!   empty.
//! - `DATEADDED`: `added` as `YYYYMMDDHHMMSS` in UTC.
//! - `SOURCEURL`: the cluster's source URL, else its document id.
//!
//! # The Mentions table, column by column
//!
//! - `GLOBALEVENTID`: the cluster id. `EventTimeDate`: when the cluster was first stored (the
//!   Event table's `DATEADDED`), found with the `event_time` callback of [`gdelt_mentions`],
//!   else the mention's own document time. `MentionTimeDate`: when the mention's document was
//!   stored (`doc.added`). Both `YYYYMMDDHHMMSS`, UTC.
//! - `MentionType`: 1 (web).
//! - `MentionSourceName`: the document's `source`, else the host of its URL, else empty.
//! - `MentionIdentifier`: the document URL, else the document id.
//! - `SentenceID`: the 1-based sentence number (`sentence_index + 1`).
//! - `Actor1CharOffset`, `Actor2CharOffset`, `ActionCharOffset`: the character offsets where the
//!   source actor, the target actor and the trigger start in the document; -1 when absent, as
//!   GDELT.
//! - `InRawText`: 1 (dyad codes the raw text).
//! - `Confidence`: 100 for a factual mention, 50 for a hypothetical one ("may", "threatens
//!   to"…), 0 for a negated one ("did not meet") — a negated or hypothetical mention is not
//!   evidence that the event happened.
//! - `MentionDocLen`: 0 (the rows do not carry the document length). `MentionDocTone`: 0.
//!   `MentionDocTranslationInfo`: empty.
//! - `Extras`: a small JSON object, `{"rule":…,"event_id":…,"row_id":…}` — dyad's rule id, the
//!   event's stable id and the store row id.

use std::borrow::Borrow;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use dyad_core::{Actor, Event, Location};
use dyad_store::{ClusterRow, EventRow};

use crate::util::{
    clean, clean_opt, gdelt_timestamp, gdelt_timestamp_str, parse_partial, parse_timestamp, PartialDate,
};
use crate::ExportError;

/// The 61 columns of the GDELT 2.0 Event table, in order.
pub const GDELT_EVENT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The 16 columns of the GDELT 2.0 Mentions table, in order.
pub const GDELT_MENTION_COLUMNS: [&str; 16] = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// The Event table's header line (column names joined by tabs, no line break).
///
/// GDELT's files have no header; write this first if your tool wants one:
///
/// ```
/// let mut out = Vec::new();
/// std::io::Write::write_all(&mut out, (dyad_export::gdelt_events_header() + "\n").as_bytes()).unwrap();
/// assert!(out.starts_with(b"GLOBALEVENTID\tSQLDATE\t"));
/// ```
pub fn gdelt_events_header() -> String {
    GDELT_EVENT_COLUMNS.join("\t")
}

/// The Mentions table's header line (column names joined by tabs, no line break).
pub fn gdelt_mentions_header() -> String {
    GDELT_MENTION_COLUMNS.join("\t")
}

/// Writes one GDELT 2.0 Event line per cluster (no header) and returns the number of lines.
///
/// See the [module docs](self) for how each column is filled.
///
/// ```
/// use dyad_export::{gdelt_events, ClusterRow};
///
/// let cluster = ClusterRow { id: 1, date: Some("2024-05".into()), added: "2024-06-01T00:00:00Z".into(), ..Default::default() };
/// let mut out = Vec::new();
/// gdelt_events(&mut out, &[cluster]).unwrap();
/// let line = String::from_utf8(out).unwrap();
/// let cols: Vec<&str> = line.trim_end().split('\t').collect();
/// assert_eq!(&cols[..5], ["1", "20240501", "202405", "2024", "2024.3315"]);
/// ```
pub fn gdelt_events<W: Write, C: Borrow<ClusterRow>>(
    mut w: W,
    clusters: impl IntoIterator<Item = C>,
) -> Result<usize, ExportError> {
    let mut n = 0;
    for c in clusters {
        let fields = event_fields(c.borrow());
        debug_assert_eq!(fields.len(), GDELT_EVENT_COLUMNS.len());
        w.write_all(fields.join("\t").as_bytes())?;
        w.write_all(b"\n")?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Writes one GDELT 2.0 Mentions line per event row (no header) and returns the number of lines.
///
/// `event_time` maps a cluster id to the time the cluster was first stored (its `added`, RFC
/// 3339), which GDELT calls `EventTimeDate`; return `None` when unknown and the mention's own
/// document time is used. With the clusters at hand, a map does it:
///
/// ```
/// use std::collections::HashMap;
/// use dyad_export::{gdelt_mentions, ClusterRow, EventRow};
///
/// let clusters = vec![ClusterRow { id: 3, added: "2024-01-02T03:04:05Z".into(), ..Default::default() }];
/// let rows = vec![EventRow { id: 9, cluster_id: 3, ..Default::default() }];
///
/// let added: HashMap<i64, &str> = clusters.iter().map(|c| (c.id, c.added.as_str())).collect();
/// let mut out = Vec::new();
/// gdelt_mentions(&mut out, &rows, |id| added.get(&id).map(|s| s.to_string())).unwrap();
/// let line = String::from_utf8(out).unwrap();
/// assert!(line.starts_with("3\t20240102030405\t"));
/// ```
pub fn gdelt_mentions<W: Write, R: Borrow<EventRow>>(
    mut w: W,
    events: impl IntoIterator<Item = R>,
    mut event_time: impl FnMut(i64) -> Option<String>,
) -> Result<usize, ExportError> {
    let mut n = 0;
    for r in events {
        let r = r.borrow();
        let event_added = event_time(r.cluster_id);
        let fields = mention_fields(r, event_added.as_deref());
        debug_assert_eq!(fields.len(), GDELT_MENTION_COLUMNS.len());
        w.write_all(fields.join("\t").as_bytes())?;
        w.write_all(b"\n")?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// The day a cluster is dated to, by the rule in the module docs.
pub(crate) fn cluster_day(c: &ClusterRow) -> Option<NaiveDate> {
    let added = parse_timestamp(&c.added).map(|t| t.date());
    let candidates = [c.date.as_deref(), c.event.date.as_deref()];
    let parsed = candidates.iter().flatten().filter_map(|s| parse_partial(s));
    // 1. A date with a year.
    for p in parsed.clone() {
        match p {
            PartialDate::Day(d) => return Some(d),
            PartialDate::Month(y, m) => return NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Year(y) => return NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::MonthDay(..) => {}
        }
    }
    // 2. --MM-DD, completed with the year of `added` (or the year before).
    if let Some(a) = added {
        for p in parsed {
            if let PartialDate::MonthDay(m, d) = p {
                let this_year = NaiveDate::from_ymd_opt(a.year(), m, d);
                match this_year {
                    Some(day) if day <= a => return Some(day),
                    _ => {
                        // After `added`, or Feb 29 of a common year: go back to the latest
                        // earlier year that has that day.
                        for y in (a.year() - 8..a.year()).rev() {
                            if let Some(day) = NaiveDate::from_ymd_opt(y, m, d) {
                                return Some(day);
                            }
                        }
                    }
                }
            }
        }
    }
    // 3. The day the cluster was stored.
    added
}

fn actor_fields(a: Option<&Actor>) -> [String; 10] {
    let Some(a) = a else { return Default::default() };
    let name = a.name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&a.text);
    [
        clean(&a.code).into_owned(),
        clean(&name.to_uppercase()).into_owned(),
        clean_opt(&a.country).into_owned(),
        clean_opt(&a.org).into_owned(),
        String::new(), // EthnicCode
        String::new(), // Religion1Code
        String::new(), // Religion2Code
        clean_opt(&a.sector).into_owned(),
        String::new(), // Type2Code
        String::new(), // Type3Code
    ]
}

/// `Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID`.
fn geo_fields(loc: Option<&Location>) -> [String; 8] {
    let mut f: [String; 8] = Default::default();
    match loc {
        None => f[0] = "0".into(),
        Some(l) => {
            let has_coords = l.lat.is_some() && l.lon.is_some();
            let kind = l.geo_type.unwrap_or(if has_coords { 4 } else { 1 });
            f[0] = kind.to_string();
            f[1] = clean(&l.name).into_owned();
            let fips = l.country_fips.clone().or_else(|| {
                let code = l.country.as_deref()?;
                let c = dyad_places::Gazetteer::builtin().country_by_code(code)?;
                (!c.fips.is_empty()).then(|| c.fips.to_string())
            });
            f[2] = match fips {
                Some(x) => clean(&x).into_owned(),
                None => clean_opt(&l.country).into_owned(),
            };
            f[3] = clean_opt(&l.adm1_code).into_owned();
            if has_coords {
                f[5] = l.lat.map(|v| v.to_string()).unwrap_or_default();
                f[6] = l.lon.map(|v| v.to_string()).unwrap_or_default();
            }
            f[7] = clean_opt(&l.feature_id).into_owned();
        }
    }
    f
}

/// `EventCode`, `EventBaseCode`, `EventRootCode` of an event.
fn event_codes(e: &Event) -> [String; 3] {
    let code = e.cameo.trim();
    let code = if code.len() == 2 { format!("{code}0") } else { code.to_string() };
    let base: String = code.chars().take(3).collect();
    let root = if !e.root.trim().is_empty() { e.root.trim().to_string() } else { code.chars().take(2).collect() };
    [clean(&code).into_owned(), clean(&base).into_owned(), clean(&root).into_owned()]
}

fn event_fields(c: &ClusterRow) -> Vec<String> {
    let e = &c.event;
    let mut f = Vec::with_capacity(GDELT_EVENT_COLUMNS.len());
    f.push(c.id.to_string());
    match cluster_day(c) {
        Some(d) => {
            f.push(format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()));
            f.push(format!("{:04}{:02}", d.year(), d.month()));
            f.push(format!("{:04}", d.year()));
            f.push(format!("{:.4}", d.year() as f64 + (d.ordinal0() as f64) / 365.0));
        }
        None => f.resize(f.len() + 4, String::new()),
    }
    f.extend(actor_fields(Some(&e.source)));
    f.extend(actor_fields(e.target.as_ref()));
    f.push(if e.sentence_index == 0 { "1" } else { "0" }.into());
    f.extend(event_codes(e));
    f.push(e.quad_class.to_string());
    f.push(e.goldstein.to_string());
    f.push(c.num_mentions.to_string());
    f.push(c.num_sources.to_string());
    f.push(c.num_articles.to_string());
    f.push("0".into()); // AvgTone
    f.extend(geo_fields(dyad_places::actor_home(&e.source).as_ref())); // Actor1Geo
    f.extend(geo_fields(e.target.as_ref().and_then(dyad_places::actor_home).as_ref())); // Actor2Geo
    f.extend(geo_fields(e.location.as_ref())); // ActionGeo
    f.push(gdelt_timestamp_str(&c.added));
    let url = c.source_url.as_deref().filter(|u| !u.trim().is_empty()).unwrap_or(&c.doc_id);
    f.push(clean(url).into_owned());
    f
}

/// `MentionSourceName`: the document's source, else its URL's host.
pub(crate) fn source_name(r: &EventRow) -> String {
    if let Some(s) = r.doc.source.as_deref().filter(|s| !s.trim().is_empty()) {
        return clean(s).into_owned();
    }
    r.doc.url.as_deref().and_then(dyad_core::url_host).map(|h| clean(&h).into_owned()).unwrap_or_default()
}

/// GDELT's `Confidence` for a mention: 100 factual, 50 hypothetical, 0 negated.
pub(crate) fn confidence(e: &Event) -> u8 {
    if e.negated {
        0
    } else if e.hypothetical {
        50
    } else {
        100
    }
}

fn mention_fields(r: &EventRow, event_added: Option<&str>) -> Vec<String> {
    let e = &r.event;
    let mention_time = gdelt_timestamp_str(&r.doc.added);
    let event_time = event_added.and_then(parse_timestamp).map(gdelt_timestamp).unwrap_or_else(|| mention_time.clone());
    let id = r.doc.url.as_deref().filter(|u| !u.trim().is_empty()).unwrap_or(if r.doc.id.is_empty() {
        &e.doc_id
    } else {
        &r.doc.id
    });
    let offset = |o: Option<[usize; 2]>| o.map(|o| o[0] as i64).unwrap_or(-1).to_string();
    let extras = serde_json::json!({ "rule": e.rule, "event_id": e.event_id, "row_id": r.id });
    vec![
        r.cluster_id.to_string(),
        event_time,
        mention_time,
        "1".into(),
        source_name(r),
        clean(id).into_owned(),
        (e.sentence_index + 1).to_string(),
        offset(e.offsets.source),
        offset(e.offsets.target),
        e.offsets.trigger[0].to_string(),
        "1".into(),
        confidence(e).to_string(),
        "0".into(),
        "0".into(),
        String::new(),
        clean(&extras.to_string()).into_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(date: Option<&str>, added: &str) -> ClusterRow {
        ClusterRow { date: date.map(Into::into), added: added.into(), ..Default::default() }
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dating_rule() {
        let added = "2024-03-10T12:00:00Z";
        assert_eq!(cluster_day(&cluster(Some("2024-02-03"), added)), day(2024, 2, 3));
        assert_eq!(cluster_day(&cluster(Some("2023-07"), added)), day(2023, 7, 1));
        assert_eq!(cluster_day(&cluster(Some("2021"), added)), day(2021, 1, 1));
        assert_eq!(cluster_day(&cluster(Some("--03-01"), added)), day(2024, 3, 1));
        assert_eq!(cluster_day(&cluster(Some("--12-30"), added)), day(2023, 12, 30));
        assert_eq!(cluster_day(&cluster(Some("--02-29"), "2026-03-01T00:00:00Z")), day(2024, 2, 29));
        assert_eq!(cluster_day(&cluster(None, added)), day(2024, 3, 10));
        assert_eq!(cluster_day(&cluster(Some("garbage"), added)), day(2024, 3, 10));
        assert_eq!(cluster_day(&cluster(None, "")), None);
        // The representative mention's date when the cluster has none.
        let mut c = cluster(None, added);
        c.event.date = Some("2022-05-06".into());
        assert_eq!(cluster_day(&c), day(2022, 5, 6));
    }

    #[test]
    fn codes() {
        let e = Event { cameo: "04".into(), root: "04".into(), ..Default::default() };
        assert_eq!(event_codes(&e), ["040", "040", "04"]);
        let e = Event { cameo: "0311".into(), root: String::new(), ..Default::default() };
        assert_eq!(event_codes(&e), ["0311", "031", "03"]);
    }
}

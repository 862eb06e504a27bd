//! Synthetic documents and events, for benchmarks and crash tests.
//!
//! [`Synth`] makes deterministic documents, each with about five one-event sentences: ~60
//! countries and organisations (skewed, so some dyads dominate), every CAMEO root, dates
//! 2015–2025 in document order, mostly day precision with some month, year, `--MM-DD` and
//! undated ones, a few negated and hypothetical events, symmetric codes written in either
//! direction, and sentences drawn from a small vocabulary so full-text search finds things.
//! About a third of the events re-report a recent "story" (same dyad, code and date), so
//! clusters gather several mentions from several sources.
//!
//! Document `i` depends only on the seed, `i` and the corpus size: any document can be
//! regenerated alone, which is what the crash test uses to check that stored documents are whole.
//!
//! [`Store::fill_synthetic`] bulk-loads such a corpus much faster than [`Store::ingest`].

use crate::ingest::{
    insert_event_row, now_rfc3339, origin_of, PreparedEvent, INSERT_DOCUMENT, INSERT_EVENT, INSERT_SENTENCE,
};
use crate::raw::Insert;
use crate::rollup::{goldstein_milli, Rollups};
use crate::{Result, Store, StoreError};
use dyad_core::{Actor, DatePrecision, Document, Event, Offsets, Plover};
use rusqlite::params;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Actor keys with their surface texts; the first 45 are countries, the rest organisations.
pub const ACTORS: &[(&str, &[&str])] = &[
    ("USA", &["the United States", "Washington", "American officials"]),
    ("CHN", &["China", "Beijing", "Chinese officials"]),
    ("RUS", &["Russia", "Moscow", "the Kremlin"]),
    ("UKR", &["Ukraine", "Kyiv"]),
    ("GBR", &["Britain", "London", "the United Kingdom"]),
    ("FRA", &["France", "Paris"]),
    ("DEU", &["Germany", "Berlin"]),
    ("IRN", &["Iran", "Tehran"]),
    ("ISR", &["Israel", "Jerusalem"]),
    ("TUR", &["Türkiye", "Ankara", "Turkey"]),
    ("IND", &["India", "New Delhi"]),
    ("PAK", &["Pakistan", "Islamabad"]),
    ("JPN", &["Japan", "Tokyo"]),
    ("KOR", &["South Korea", "Seoul"]),
    ("PRK", &["North Korea", "Pyongyang"]),
    ("SAU", &["Saudi Arabia", "Riyadh"]),
    ("EGY", &["Egypt", "Cairo"]),
    ("SYR", &["Syria", "Damascus"]),
    ("IRQ", &["Iraq", "Baghdad"]),
    ("AFG", &["Afghanistan", "Kabul"]),
    ("BRA", &["Brazil", "Brasília"]),
    ("MEX", &["Mexico", "Mexico City"]),
    ("CAN", &["Canada", "Ottawa"]),
    ("AUS", &["Australia", "Canberra"]),
    ("ITA", &["Italy", "Rome"]),
    ("ESP", &["Spain", "Madrid"]),
    ("POL", &["Poland", "Warsaw"]),
    ("AZE", &["Azerbaijan", "Baku"]),
    ("ARM", &["Armenia", "Yerevan"]),
    ("GEO", &["Georgia", "Tbilisi"]),
    ("NGA", &["Nigeria", "Abuja"]),
    ("ETH", &["Ethiopia", "Addis Ababa"]),
    ("ZAF", &["South Africa", "Pretoria"]),
    ("KEN", &["Kenya", "Nairobi"]),
    ("SDN", &["Sudan", "Khartoum"]),
    ("VEN", &["Venezuela", "Caracas"]),
    ("COL", &["Colombia", "Bogotá"]),
    ("ARG", &["Argentina", "Buenos Aires"]),
    ("IDN", &["Indonesia", "Jakarta"]),
    ("PHL", &["the Philippines", "Manila"]),
    ("VNM", &["Vietnam", "Hanoi"]),
    ("TWN", &["Taiwan", "Taipei"]),
    ("QAT", &["Qatar", "Doha"]),
    ("LBN", &["Lebanon", "Beirut"]),
    ("CIV", &["Côte d'Ivoire", "Abidjan"]),
    ("UN", &["the United Nations", "the UN"]),
    ("EU", &["the European Union", "Brussels"]),
    ("NATO", &["NATO", "the Atlantic alliance"]),
    ("AU", &["the African Union"]),
    ("ASEAN", &["ASEAN"]),
    ("OPEC", &["OPEC"]),
    ("WHO", &["the World Health Organization"]),
    ("IMF", &["the IMF", "the International Monetary Fund"]),
    ("WB", &["the World Bank"]),
    ("ICC", &["the International Criminal Court"]),
    ("IAEA", &["the IAEA", "the nuclear watchdog"]),
    ("OSCE", &["the OSCE"]),
    ("ARL", &["the Arab League"]),
    ("GCC", &["the Gulf Cooperation Council"]),
    ("ECOWAS", &["ECOWAS"]),
];

const COUNTRIES: usize = 45;
const SECTORS: &[&str] = &["GOV", "GOV", "GOV", "MIL", "OPP", "BUS", "REB", "MED"];
const SOURCES: &[&str] = &[
    "reuters",
    "apnews",
    "afp",
    "bbc",
    "aljazeera",
    "xinhua",
    "tass",
    "dw",
    "france24",
    "nhk",
    "yonhap",
    "anadolu",
    "irna",
    "haaretz",
    "dawn",
    "thehindu",
    "scmp",
    "guardian",
    "nytimes",
    "wapo",
    "lemonde",
    "elpais",
    "spiegel",
    "kyodo",
    "interfax",
    "trend",
    "azertac",
    "armenpress",
    "allafrica",
    "premiumtimes",
    "mercopress",
    "efe",
    "ansa",
    "pap",
    "ukrinform",
    "kyivindependent",
    "arabnews",
    "gulfnews",
    "thenational",
    "rappler",
];
const VOCAB: &[&str] = &[
    "ceasefire",
    "sanctions",
    "talks",
    "border",
    "troops",
    "summit",
    "agreement",
    "treaty",
    "negotiations",
    "ministers",
    "delegation",
    "embassy",
    "ambassador",
    "parliament",
    "election",
    "protest",
    "protesters",
    "police",
    "militants",
    "rebels",
    "airstrike",
    "missile",
    "drone",
    "artillery",
    "shelling",
    "humanitarian",
    "aid",
    "refugees",
    "pipeline",
    "gas",
    "oil",
    "grain",
    "exports",
    "tariffs",
    "trade",
    "investment",
    "loan",
    "debt",
    "inflation",
    "currency",
    "nuclear",
    "uranium",
    "inspectors",
    "reactor",
    "security",
    "council",
    "resolution",
    "veto",
    "vote",
    "referendum",
    "constitution",
    "court",
    "ruling",
    "verdict",
    "prisoners",
    "hostages",
    "exchange",
    "corridor",
    "port",
    "airport",
    "capital",
    "province",
    "region",
    "coast",
    "island",
    "maritime",
    "navy",
    "fleet",
    "exercise",
    "drills",
    "alliance",
    "partnership",
    "cooperation",
    "dialogue",
    "mediation",
    "envoy",
    "visit",
    "statement",
    "condemnation",
    "warning",
    "threat",
    "ultimatum",
    "deadline",
    "investigation",
    "report",
    "evidence",
    "allegations",
    "corruption",
    "reform",
    "budget",
    "energy",
    "electricity",
    "water",
    "dam",
    "river",
    "drought",
    "flood",
    "earthquake",
    "vaccine",
    "pandemic",
    "hospital",
    "schools",
    "students",
    "journalists",
    "media",
    "internet",
    "cyberattack",
    "hackers",
    "spy",
    "intelligence",
    "defence",
    "weapons",
    "arms",
    "ammunition",
    "tanks",
    "jets",
    "frigate",
    "submarine",
    "satellite",
    "launch",
    "rocket",
    "peace",
    "plan",
    "proposal",
    "framework",
    "roadmap",
    "withdrawal",
    "deployment",
    "occupation",
    "annexation",
    "sovereignty",
    "territory",
    "enclave",
    "minority",
    "rights",
    "freedom",
    "detention",
    "crackdown",
    "curfew",
    "emergency",
    "coalition",
    "opposition",
    "government",
    "cabinet",
    "president",
    "premier",
    "minister",
    "spokesman",
    "diplomats",
    "consulate",
    "visa",
    "migrants",
    "asylum",
    "smuggling",
    "naïve",
    "Zürich",
    "São",
    "Ελλάδα",
    "Москва",
    "北京",
    "façade",
    "déjà",
];
const ENDINGS: &[&str] =
    &["today", "on Monday", "this week", "officials said", "according to reports", "in a statement"];

fn mix(mut x: u64) -> u64 {
    // splitmix64
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A tiny deterministic random stream.
struct Rng(u64);

impl Rng {
    fn new(a: u64, b: u64) -> Rng {
        Rng(mix(a ^ mix(b)))
    }
    fn next(&mut self) -> u64 {
        self.0 = mix(self.0);
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Skewed pick: low indexes much more likely.
    fn skewed(&mut self, n: usize) -> usize {
        ((self.unit().powf(2.2)) * n as f64) as usize % n
    }
}

fn codes() -> &'static [&'static dyad_cameo::CodeInfo] {
    static CODES: std::sync::OnceLock<Vec<&'static dyad_cameo::CodeInfo>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        dyad_cameo::all_codes().into_iter().filter(|c| c.len() >= 3).filter_map(dyad_cameo::lookup).collect()
    })
}

fn symmetric_code(code: &str) -> bool {
    matches!(code, "036" | "040" | "042" | "043" | "046" | "057" | "061" | "062" | "190" | "193")
}

const FIRST_DAY: i64 = 16436; // 2015-01-01 as days since 1970-01-01
const DAYS: i64 = 4018; // through 2025-12-31

/// A deterministic synthetic corpus of `docs` documents. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Synth {
    pub seed: u64,
    pub docs: usize,
}

struct Story {
    src: usize,
    tgt: usize,
    code: &'static dyad_cameo::CodeInfo,
    day: i64,
    negated: bool,
    hypothetical: bool,
}

impl Synth {
    pub fn new(seed: u64, docs: usize) -> Synth {
        Synth { seed, docs: docs.max(1) }
    }

    /// The corpus [`Store::fill_synthetic`] draws `events` events from (its first documents).
    pub fn for_events(seed: u64, events: usize) -> Synth {
        Synth::new(seed, events * 11 / 50 + 1)
    }

    fn day_of_doc(&self, i: usize) -> i64 {
        FIRST_DAY + (i as i64 * DAYS) / self.docs as i64
    }

    fn story(&self, sid: u64) -> Story {
        let mut r = Rng::new(self.seed ^ 0x5707, sid);
        let src = r.skewed(ACTORS.len());
        let mut tgt = r.skewed(ACTORS.len());
        if tgt == src {
            tgt = (src + 1 + r.below(ACTORS.len() - 1)) % ACTORS.len();
        }
        let cs = codes();
        let code = cs[r.below(cs.len())];
        let doc = (sid / 8) as usize;
        let day = (self.day_of_doc(doc) - r.below(3) as i64).max(FIRST_DAY);
        Story { src, tgt, code, day, negated: r.below(100) < 3, hypothetical: r.below(100) < 5 }
    }

    fn actor(&self, idx: usize, r: &mut Rng) -> Actor {
        let (key, texts) = ACTORS[idx];
        let text = texts[r.skewed(texts.len())].to_string();
        if idx < COUNTRIES {
            let sector = SECTORS[r.below(SECTORS.len())];
            Actor {
                text,
                code: format!("{key}{sector}"),
                country: Some(key.into()),
                sector: Some(sector.into()),
                ..Default::default()
            }
        } else {
            Actor { text, code: key.into(), org: Some(key.into()), ..Default::default() }
        }
    }

    /// Document `i` (0-based) with its events, one per sentence.
    pub fn document(&self, i: usize) -> (Document, Vec<Event>) {
        let mut r = Rng::new(self.seed, i as u64);
        let id = format!("syn{:x}-{:09}", self.seed, i);
        let day = self.day_of_doc(i);
        let date = chrono::DateTime::from_timestamp(day * 86400, 0).expect("in range").date_naive();
        let source = SOURCES[r.skewed(SOURCES.len())];
        let n_events = 3 + r.below(5);
        let mut text = String::new();
        let mut chars = 0usize;
        let mut events = Vec::with_capacity(n_events);
        let push = |text: &mut String, chars: &mut usize, s: &str| -> [usize; 2] {
            let start = *chars;
            text.push_str(s);
            *chars += s.chars().count();
            [start, *chars]
        };
        for k in 0..n_events {
            // A third of the events re-report a story from the last few documents.
            let sid = if r.below(3) == 0 && i > 0 {
                let back = 1 + r.below(i.min(40));
                ((i - back) * 8 + r.below(8)) as u64
            } else {
                (i * 8 + k) as u64
            };
            let st = self.story(sid);
            let mut src = self.actor(st.src, &mut r);
            let mut tgt = self.actor(st.tgt, &mut r);
            let symmetric = symmetric_code(st.code.code);
            if symmetric && r.below(2) == 0 {
                std::mem::swap(&mut src, &mut tgt);
            }
            if k > 0 {
                push(&mut text, &mut chars, " ");
            }
            let sent_start = text.len();
            let mut first = src.text.clone();
            if let Some(c) = first.get(..1) {
                let up = c.to_uppercase();
                first.replace_range(..1, &up);
            }
            let so = push(&mut text, &mut chars, &first);
            push(&mut text, &mut chars, " ");
            let verb = VOCAB[r.below(VOCAB.len())];
            let tr = push(&mut text, &mut chars, verb);
            push(&mut text, &mut chars, " ");
            let to = push(&mut text, &mut chars, &tgt.text);
            for _ in 0..(4 + r.below(8)) {
                push(&mut text, &mut chars, " ");
                push(&mut text, &mut chars, VOCAB[r.skewed(VOCAB.len())]);
            }
            push(&mut text, &mut chars, " ");
            push(&mut text, &mut chars, ENDINGS[r.below(ENDINGS.len())]);
            push(&mut text, &mut chars, ".");
            let sentence = text[sent_start..].to_string();
            let sd = chrono::DateTime::from_timestamp(st.day * 86400, 0).expect("in range").date_naive();
            let (date, precision, date_source) = match r.below(100) {
                0..=84 => (Some(sd.format("%Y-%m-%d").to_string()), DatePrecision::Day, "sentence"),
                85..=91 => (Some(sd.format("%Y-%m").to_string()), DatePrecision::Month, "sentence"),
                92..=95 => (Some(sd.format("%Y").to_string()), DatePrecision::Year, "context"),
                96..=97 => (Some(sd.format("--%m-%d").to_string()), DatePrecision::Day, "sentence"),
                _ => (None, DatePrecision::None, "none"),
            };
            let code = st.code;
            let mode = if st.negated {
                Some("negated".to_string())
            } else if st.hypothetical {
                Some("hypothetical".to_string())
            } else {
                code.plover_mode.map(str::to_string)
            };
            events.push(Event {
                event_id: format!("{id}-{k}"),
                doc_id: id.clone(),
                sentence_index: k,
                sentence,
                offsets: Offsets { source: Some(so), target: Some(to), trigger: tr },
                date,
                date_precision: precision,
                date_source: date_source.into(),
                source: src,
                target: Some(tgt),
                cameo: code.code.into(),
                root: dyad_cameo::root_of(code.code).into(),
                goldstein: code.goldstein,
                quad_class: code.quad_class,
                plover: Plover { kind: code.plover_type.unwrap_or("").into(), mode },
                location: None,
                negated: st.negated,
                hypothetical: st.hypothetical,
                symmetric,
                rule: format!("synthetic.{}", code.code),
            });
        }
        let doc = Document {
            url: Some(format!("https://www.{source}.example/{date}/{i}")),
            title: Some(format!("Synthetic report {i}")),
            source: Some(source.into()),
            provenance: None,
            date: Some(date),
            text,
            id,
        };
        (doc, events)
    }

    /// Documents `start..end`.
    pub fn batch(&self, start: usize, end: usize) -> Vec<(Document, Vec<Event>)> {
        (start..end.min(self.docs)).map(|i| self.document(i)).collect()
    }
}

fn hash128(s: &str) -> u128 {
    let mut a = DefaultHasher::new();
    (1u8, s).hash(&mut a);
    let mut b = DefaultHasher::new();
    (2u8, s).hash(&mut b);
    ((a.finish() as u128) << 64) | b.finish() as u128
}

/// A synthetic rollup row being summed: events, events by QuadClass, Goldstein sum in thousandths.
type RollupAcc = (i64, [i64; 4], i64);

struct ClusterAcc {
    key: String,
    base: String,
    date: Option<crate::PartialDate>,
    source_key: Option<String>,
    target_key: Option<String>,
    ev_code: &'static str,
    goldstein: f64,
    quad: u8,
    negated: bool,
    hypothetical: bool,
    mentions: i64,
    articles: i64,
    sources: u64,
    first_event: i64,
    last_doc: usize,
}

impl Store {
    /// Bulk-loads a synthetic corpus of exactly `events` events (one document per ~5 events, see
    /// [`Synth`]) into an EMPTY store, fast: secondary indexes are dropped and rebuilt, clusters,
    /// cluster document sets, rollups and labels are computed in memory and written once. The
    /// result is consistent ([`Store::check_consistency`]); clusters group mentions with the same
    /// dyad, code, flags and exact date (the cross-precision joining of [`Store::ingest`] is not
    /// applied). For benchmarks: the load runs with `synchronous=OFF`, so a crash during it can
    /// leave a partial store — use a fresh file.
    pub fn fill_synthetic(&mut self, events: usize, seed: u64) -> Result<()> {
        if self.documents_count()? > 0 {
            return Err(StoreError::NotEmpty(format!(
                "{}: fill_synthetic loads into an empty store only",
                self.path.display()
            )));
        }
        let res = self.fill_inner(events, seed);
        let restore = self.conn.execute_batch("PRAGMA synchronous=NORMAL;");
        res.map_err(|e| self.classify_err(e))?;
        restore?;
        Ok(())
    }

    fn fill_inner(&mut self, events: usize, seed: u64) -> Result<()> {
        let synth = Synth::for_events(seed, events);
        let docs = synth.docs;
        self.conn.execute_batch("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;")?;
        for (name, _) in crate::schema::INDEXES {
            self.conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
        }
        let added = now_rfc3339();
        let mut clusters: Vec<ClusterAcc> = Vec::new();
        let mut by_key: HashMap<u128, u32> = HashMap::new();
        // (source, target, month) -> its sums
        let mut rollup: HashMap<(u8, u8, String), RollupAcc> = HashMap::new();
        let mut labels: HashMap<(String, String), (&'static str, i64)> = HashMap::new();
        let actor_index: HashMap<&str, u8> = ACTORS.iter().enumerate().map(|(i, (k, _))| (*k, i as u8)).collect();
        let source_index: HashMap<&str, u32> = SOURCES.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
        let mut stored = 0usize;
        let chunk = 5_000usize;
        let mut next_event: i64 =
            self.conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM events", [], |r| r.get(0))?;
        let mut next_sentence: i64 =
            self.conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM sentences", [], |r| r.get(0))?;
        let mut start = 0;
        while start < docs && stored < events {
            let end = (start + chunk).min(docs);
            let batch: Vec<(Document, Vec<Event>)> = {
                use rayon::prelude::*;
                (start..end).into_par_iter().map(|i| synth.document(i)).collect()
            };
            let tx = self.conn.transaction()?;
            let mut insert_event = Insert::prepare(&tx, INSERT_EVENT)?;
            for (di, (doc, evs)) in batch.iter().enumerate() {
                if stored >= events {
                    break;
                }
                let doc_idx = start + di;
                let origin = origin_of(doc);
                // The last document may keep only its first events (see below).
                let kept = evs.len().min(events - stored);
                let src_bit = 1u64 << (source_index.get(origin.as_str()).copied().unwrap_or(63) % 64);
                tx.prepare_cached(INSERT_DOCUMENT)?.execute(params![
                    doc.id,
                    Store::content_hash(&doc.text),
                    doc.source,
                    doc.url,
                    doc.title,
                    doc.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    added,
                    origin,
                    doc.text,
                    (!evs.is_empty()).then_some(next_sentence),
                    evs.len() as i64,
                    (kept > 0).then_some(next_event),
                    kept as i64,
                    doc.provenance
                ])?;
                let mut doc_clusters: Vec<(u32, i64)> = Vec::new();
                for (k, ev) in evs.iter().enumerate() {
                    // One sentence per event, in order: the sentence index is the event's.
                    tx.prepare_cached(INSERT_SENTENCE)?.execute(params![
                        next_sentence,
                        doc.id,
                        ev.sentence_index as i64,
                        ev.sentence
                    ])?;
                    next_sentence += 1;
                    if stored >= events {
                        // The last document may keep only its first events; its sentences stay.
                        continue;
                    }
                    let prepared = PreparedEvent::of(ev, k, &doc.id, Some(&ev.sentence))?;
                    let ck = &prepared.key;
                    let key = match &ck.date {
                        Some(d) => ck.dated_key(d),
                        None => ck.undated_key(&doc.id),
                    };
                    let ci = *by_key.entry(hash128(&key)).or_insert_with(|| {
                        clusters.push(ClusterAcc {
                            key: key.clone(),
                            base: ck.base.clone(),
                            date: ck.date,
                            source_key: ck.source_key.clone(),
                            target_key: ck.target_key.clone(),
                            ev_code: dyad_cameo::lookup(&ev.cameo).map(|c| c.code).unwrap_or("010"),
                            goldstein: ev.goldstein,
                            quad: ev.quad_class,
                            negated: ev.negated,
                            hypothetical: ev.hypothetical,
                            mentions: 0,
                            articles: 0,
                            sources: 0,
                            first_event: next_event,
                            last_doc: usize::MAX,
                        });
                        (clusters.len() - 1) as u32
                    });
                    // its sentence is the row just stored
                    let sentence = Some(next_sentence - 1);
                    let new = insert_event_row(
                        &mut insert_event,
                        next_event,
                        ev,
                        &prepared,
                        &doc.id,
                        ci as i64 + 1,
                        sentence,
                    )?;
                    debug_assert!(new, "synthetic event ids are unique");
                    let month = prepared.month;
                    next_event += 1;
                    let c = &mut clusters[ci as usize];
                    c.mentions += 1;
                    if c.last_doc != doc_idx {
                        c.last_doc = doc_idx;
                        c.articles += 1;
                        c.sources |= src_bit;
                    }
                    match doc_clusters.iter_mut().find(|(x, _)| *x == ci) {
                        Some((_, n)) => *n += 1,
                        None => doc_clusters.push((ci, 1)),
                    }
                    if let (false, false, Some(m), Some(t)) = (ev.negated, ev.hypothetical, month, ev.target.as_ref()) {
                        let (s, t) = (actor_index[ev.source.key().unwrap_or("")], actor_index[t.key().unwrap_or("")]);
                        let e = rollup.entry((s, t, m)).or_insert((0, [0; 4], 0));
                        e.0 += 1;
                        if (1..=4).contains(&ev.quad_class) {
                            e.1[ev.quad_class as usize - 1] += 1;
                        }
                        e.2 += goldstein_milli(ev.goldstein);
                    }
                    for a in std::iter::once(&ev.source).chain(ev.target.as_ref()) {
                        let kind = if a.country.is_some() { "country" } else { "org" };
                        labels.entry((a.key().unwrap_or("").to_string(), a.text.clone())).or_insert((kind, 0)).1 += 1;
                    }
                    stored += 1;
                }
                for (ci, n) in doc_clusters {
                    tx.prepare_cached(
                        "INSERT INTO cluster_docs (cluster_id, doc_id, origin, mentions) VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![ci as i64 + 1, doc.id, origin, n])?;
                }
            }
            drop(insert_event);
            tx.commit()?;
            start = end;
        }
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare(
                "INSERT INTO clusters (id, dedup_key, base_key, year, date, date_precision, source_key, target_key,
                    cameo, root, goldstein, quad_class, negated, hypothetical, num_mentions, num_sources,
                    num_articles, first_event, added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?;
            for (i, c) in clusters.iter().enumerate() {
                st.execute(params![
                    i as i64 + 1,
                    c.key,
                    c.base,
                    c.date.and_then(|d| d.year).map(|y| format!("{y:04}")),
                    c.date.map(|d| d.to_string()),
                    c.date.map_or(DatePrecision::None, |d| d.precision()).as_str(),
                    c.source_key,
                    c.target_key,
                    c.ev_code,
                    dyad_cameo::root_of(c.ev_code),
                    c.goldstein,
                    c.quad as i64,
                    c.negated,
                    c.hypothetical,
                    c.mentions,
                    c.sources.count_ones() as i64,
                    c.articles,
                    c.first_event,
                    added
                ])?;
            }
            let mut st = tx.prepare(
                "INSERT INTO dyad_month (source_key, target_key, month, events, q1, q2, q3, q4, goldstein_sum,
                    goldstein_milli) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 / 1000.0, ?9)",
            )?;
            for ((s, t, m), (n, q, milli)) in &rollup {
                st.execute(params![ACTORS[*s as usize].0, ACTORS[*t as usize].0, m, n, q[0], q[1], q[2], q[3], milli])?;
            }
            let mut texts = Rollups::default();
            for ((key, text), (kind, n)) in &labels {
                texts.text(key, text, kind, *n);
            }
            texts.flush(&tx)?;
        }
        for (_, sql) in crate::schema::INDEXES {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch(crate::schema::FILL_DAY)?;
        tx.commit()?;
        self.conn.execute_batch("INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild'); ANALYZE;")?;
        Ok(())
    }
}

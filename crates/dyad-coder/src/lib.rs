//! The dyad event coder: raw text in, coded events out.
//!
//! The coder is generic over its dictionaries ([`ActorDictionary`], [`EventDictionary`]), so the
//! same pipeline runs with dyad's built-in data, a user's own files, or imported TABARI/PETRARCH
//! dictionaries. For each sentence it:
//!
//! 1. finds **actor phrases** ([`phrases`]): states, organisations, people, role words, and the
//!    groups they form ("Russia and Iran");
//! 2. finds **triggers** — verbs and event nouns of the event dictionary — and matches each
//!    trigger's **patterns** ([`patterns`]) to fill the source and target slots, handling passive
//!    voice, subjects separated by relative clauses, and coordinated verbs;
//! 3. reads **negation and modality** around the trigger ([`modality`]): "did not", "refused to",
//!    "may", "plans to";
//! 4. **dates** the event from the sentence, else from earlier sentences of the paragraph, else from
//!    the document date, and records which (a month or day named without its year belongs to the
//!    year ahead when the event is still to come: "will travel to Tehran in March");
//! 5. builds [`Event`]s with CAMEO code, Goldstein value, QuadClass, PLOVER type, and character
//!    offsets of source, target and trigger in the original text.
//!
//! ```
//! use dyad_coder::Coder;
//! let coder = Coder::builtin();
//! let doc = dyad_core::Document {
//!     id: "d1".into(),
//!     text: "Armenian Prime Minister Nikol Pashinyan visited Türkiye on June 20, 2025.".into(),
//!     ..Default::default()
//! };
//! let events = coder.code(&doc);
//! assert_eq!(events.len(), 1);
//! let e = &events[0];
//! assert_eq!(e.source.country.as_deref(), Some("ARM"));
//! assert_eq!(e.target.as_ref().unwrap().country.as_deref(), Some("TUR"));
//! assert_eq!(e.root, "04");
//! assert_eq!(e.date.as_deref(), Some("2025-06-20"));
//! ```

pub mod modality;
pub mod patterns;
pub mod phrases;

use chrono::{Datelike, NaiveDate};
use dyad_core::{Actor, DatePrecision, Document, Event, Offsets, Plover};
use dyad_dict::{ActorDictionary, Dictionaries, EventDictionary, Scope, TriggerKind};
use dyad_text::{CharIndex, Token};
use phrases::Phrase;
use std::fmt::Write as _;

pub use dyad_dict;

/// A record of what the coder saw and decided, for `dyad code --explain`.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub lines: Vec<String>,
}

impl Trace {
    fn push(&mut self, s: String) {
        self.lines.push(s);
    }
}

/// Settings of the coder.
#[derive(Clone, Debug)]
pub struct CoderOptions {
    /// Date an undated sentence from an earlier sentence of the same paragraph.
    pub context_dates: bool,
    /// Date an event with the document's date when the text gives none.
    pub document_dates: bool,
    /// Emit events that have a source but no target.
    pub untargeted: bool,
    /// Dictionaries imported from TABARI / PETRARCH2: codes are taken as the dictionary writes
    /// them (WEIS or user codes included, with no Goldstein value when not CAMEO), and modality
    /// does not rewrite them (the old dictionaries code refusals and threats with patterns).
    pub legacy_codes: bool,
}

impl Default for CoderOptions {
    fn default() -> Self {
        CoderOptions { context_dates: true, document_dates: true, untargeted: false, legacy_codes: false }
    }
}

/// What an imported dictionary's non-CAMEO code (WEIS, a project's own) carries: no label, no
/// Goldstein value, no QuadClass, no PLOVER type.
static LEGACY_CODE_INFO: dyad_cameo::CodeInfo = dyad_cameo::CodeInfo {
    code: "",
    label: "",
    goldstein: 0.0,
    quad_class: 0,
    plover_type: None,
    plover_mode: None,
    plover_context: None,
};

/// The event coder, generic over actor and event dictionaries.
pub struct Coder<A = dyad_dict::ActorTable, E = dyad_dict::EventTable> {
    pub actors: A,
    pub events: E,
    pub options: CoderOptions,
    /// Phrases that drop a sentence or a whole document before coding (legacy discard lists).
    pub discards: dyad_dict::Discards,
}

impl Coder {
    /// A coder with the dictionaries built into dyad. Panics only if the built-in data is broken,
    /// which the test suite rules out.
    pub fn builtin() -> Self {
        let (d, errors) = Dictionaries::builtin();
        assert!(errors.is_empty(), "built-in dictionaries have errors: {errors:?}");
        Coder::new(d.actors, d.events)
    }

    pub fn from_dictionaries(d: Dictionaries) -> Self {
        Coder { discards: d.discards, ..Coder::new(d.actors, d.events) }
    }
}

/// A date as the coder attaches it to an event.
#[derive(Clone, Debug, PartialEq)]
struct EventDate {
    iso: Option<String>,
    precision: DatePrecision,
    source: &'static str,
    /// For resolving people's terms.
    day: Option<NaiveDate>,
}

impl EventDate {
    fn none() -> Self {
        EventDate { iso: None, precision: DatePrecision::None, source: "none", day: None }
    }

    fn of(date: &dyad_dates::ResolvedDate, source: &'static str) -> Self {
        EventDate { iso: date.iso(), precision: date.precision(), source, day: to_naive(date) }
    }

    /// The date as its parts (from the ISO form, which says exactly what is known).
    fn resolved(&self) -> Option<dyad_dates::ResolvedDate> {
        let iso = self.iso.as_deref()?;
        let mut parts = iso.splitn(3, '-').map(str::parse::<u32>);
        let year = i32::try_from(parts.next()?.ok()?).ok()?;
        Some(dyad_dates::ResolvedDate {
            year: Some(year),
            month: parts.next().and_then(Result::ok),
            day: parts.next().and_then(Result::ok),
        })
    }
}

/// "…, and Herzog paid a visit to Baku two months later": an offset from a date named earlier
/// in the sentence ([`dyad_dates::narrative_offset`]) times what follows it, as a date of the
/// sentence at the offset's place.
fn offset_in_sentence(stext: &str, dates: &[dyad_dates::DateMention]) -> Option<dyad_dates::DateMention> {
    let o = dyad_dates::narrative_offset(stext)?;
    let from = dates
        .iter()
        .rfind(|m| m.end <= o.start && !m.attributive && m.date.iso().is_some() && !ends_state(stext, m))?;
    Some(dyad_dates::DateMention {
        start: o.start,
        end: o.end,
        date: o.shift(&from.date)?,
        relative: true,
        attributive: false,
    })
}

/// The gazetteer's towns among `places` that no actor phrase covers, as place phrases of their
/// country: the target slot of a consultation rule (CAMEO 04) right after its literal takes
/// them ("travelled to Shusha" is a visit to Azerbaijan), as it takes a capital ("travelled to
/// Baku"); no other slot does ("war crimes in Gaza" are not Palestine's).
fn place_phrases(ctx: &SentenceCtx, places: &[dyad_places::PlaceMention]) -> Vec<Phrase> {
    // each a group of its own
    let groups = ctx.phrases.iter().map(|p| p.group + 1).max().unwrap_or(0);
    places
        .iter()
        .filter(|m| (m.tok_start..m.tok_end).all(|q| ctx.phrase_at[q].is_none()))
        .enumerate()
        .filter_map(|(i, m)| {
            let place = m.chosen?;
            Some(Phrase {
                country: Some(place.country.iso3.to_string()),
                locative: true,
                group: groups + i,
                inferred: true,
                town: true,
                ..Phrase::new(m.tok_start, m.tok_end, phrases::Head::Name)
            })
        })
        .collect()
}

/// Whether the date expression at `date_start` of `stext` times the event that ends at byte
/// `event_end`: only a temporal preposition and a determiner stand between them ("... to
/// Azerbaijan during the 2020 war"), or the event's own complement and "during / throughout the"
/// ("supplied Azerbaijan with drones during the 2020 war"), so the date's noun is the event's
/// setting rather than a noun of a clause further on ("... for failing to protect Armenia during
/// the 2022 clashes").
fn times_event(stext: &str, event_end: usize, date_start: usize) -> bool {
    let Some(between) = stext.get(event_end..date_start) else { return false };
    let words: Vec<String> = between.split_whitespace().map(str::to_lowercase).collect();
    let prep = |w: &str| matches!(w, "during" | "in" | "amid" | "throughout");
    let det = |w: &str| matches!(w, "the" | "its" | "their" | "this" | "that");
    match words.as_slice() {
        [p] => prep(p),
        [p, d] => prep(p) && det(d),
        // "supplied Azerbaijan with drones and missile systems during the 2020 war": the event's
        // own complement, then "during / throughout the": no clause or other verb between
        [rest @ .., p, d] if rest.len() <= 6 && matches!(p.as_str(), "during" | "throughout") && det(d) => {
            !between.contains([',', ';', ':'])
                && rest.iter().all(|w| {
                    !matches!(
                        w.as_str(),
                        "for" | "to" | "that" | "which" | "who" | "after" | "before" | "when" | "while" | "because"
                    ) && !w.ends_with("ing")
                        && !w.ends_with("ed")
                })
        }
        _ => false,
    }
}

/// "Aliyev is due to visit Beijing in April" (reported in June 2024): a month or a day named
/// without its year, after the trigger of an event still to come, is the next such date, not the
/// last one that [`dyad_dates::find_dates`] gives a report of the past. Other dates as they are.
fn ahead(stext: &str, d: &dyad_dates::DateMention, anchor: NaiveDate) -> dyad_dates::ResolvedDate {
    let mut date = d.date;
    let named_year = stext[d.start..d.end].bytes().filter(u8::is_ascii_digit).count() >= 4;
    // "under a warrant issued in March": a past participle or a past verb before it dates
    // what has been done (not "will be held in March")
    let mut before = stext[..d.start].split_whitespace().rev().map(str::to_lowercase);
    let past = before.next().is_some_and(|p| matches!(p.as_str(), "in" | "on" | "by" | "during" | "from" | "since"))
        && before.next().is_some_and(|w| {
            w.ends_with("ed") || matches!(w.as_str(), "met" | "held" | "made" | "took" | "began" | "was" | "were")
        })
        && !before.next().is_some_and(|w| matches!(w.as_str(), "be" | "being"));
    if d.relative || named_year || past || date.month.is_none() {
        return date;
    }
    let Some(year) = date.year else { return date };
    let month_start = NaiveDate::from_ymd_opt(anchor.year(), anchor.month(), 1).unwrap_or(anchor);
    let (m, day) = (date.month.unwrap_or(1), date.day.unwrap_or(1));
    let starts = NaiveDate::from_ymd_opt(year, m, day).unwrap_or(anchor);
    if starts < month_start || (date.day.is_some() && starts < anchor) {
        date.year = Some(year + 1);
        if let (Some(dd), None) = (date.day, NaiveDate::from_ymd_opt(year + 1, m, day)) {
            date.day = Some(dd.min(28)); // 29 February of a year that has none
        }
    }
    date
}

/// "During the 2020 war, Turkey backed Azerbaijan": a date inside a time frame that opens the
/// sentence ("during / in / amid / throughout [the]" and nothing else before it) times what the
/// sentence reports, though it modifies a noun.
fn frames_sentence(stext: &str, date_start: usize) -> bool {
    let Some(before) = stext.get(..date_start) else { return false };
    let words: Vec<String> = before.split_whitespace().map(str::to_lowercase).collect();
    let prep = |w: &str| matches!(w, "during" | "in" | "amid" | "throughout");
    match words.as_slice() {
        [p] => prep(p),
        [p, d] => prep(p) && d == "the",
        _ => false,
    }
}

/// Words before a participle that make it a verb of its own ("and signed", "they agreed", "was
/// captured"), not a modifier of the noun before it.
const NOT_NOUNS: &[&str] = &[
    "and", "or", "but", "they", "it", "he", "she", "we", "who", "which", "that", "was", "were", "is", "are", "be",
    "been", "has", "have", "had", "not", "also",
];

/// Whether date `d`, after an event whose trigger ends at byte `trig_end`, belongs to a
/// participle modifying a noun: "(soldiers) captured in 2020", "(the treaty) signed on 10
/// November". Not a coordinated verb ("met in Prague and signed in 2022") nor a clause of its
/// own ("where they agreed in 2022").
fn participle_date(stext: &str, trig_end: usize, d: &dyad_dates::DateMention) -> bool {
    if d.start <= trig_end {
        return false;
    }
    let Some(between) = stext.get(trig_end..d.start) else { return false };
    let words: Vec<&str> =
        between.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect();
    let [.., noun, participle, prep] = words.as_slice() else { return false };
    matches!(*prep, "in" | "on")
        && participle.len() > 3
        && participle.ends_with("ed")
        && noun.chars().next().is_some_and(char::is_lowercase)
        && !NOT_NOUNS.contains(&noun.to_lowercase().as_str())
        && !between.contains(',')
}

/// The word right before a date expression of `stext`, lower-cased ("since", "until", "on").
fn word_before(stext: &str, d: &dyad_dates::DateMention) -> String {
    let before = stext[..d.start].trim_end();
    before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_ascii_lowercase()
}

/// "until 2028", "till March": the date ends a state; "by 2027": a deadline ("agreed to double
/// gas supplies by 2027"). Neither times an event.
fn ends_state(stext: &str, d: &dyad_dates::DateMention) -> bool {
    matches!(word_before(stext, d).as_str(), "until" | "till" | "by")
}

fn to_naive(d: &dyad_dates::ResolvedDate) -> Option<NaiveDate> {
    let y = d.year?;
    NaiveDate::from_ymd_opt(y, d.month.unwrap_or(7), d.day.unwrap_or(if d.month.is_some() { 15 } else { 1 }))
}

/// Per-sentence facts the matcher works with.
pub struct SentenceCtx<'a> {
    pub toks: &'a [Token],
    pub phrases: Vec<Phrase>,
    /// For each token, the phrase covering it.
    pub phrase_at: Vec<Option<usize>>,
    /// Set by the matcher when a rule's target slot, right after a literal ("travelled to"),
    /// met a capitalised word that is no actor: a town the gazetteer may know ("Shusha").
    pub wants_place: std::cell::Cell<bool>,
}

impl<'a> SentenceCtx<'a> {
    fn new(toks: &'a [Token], phrases: Vec<Phrase>) -> Self {
        let mut phrase_at = vec![None; toks.len()];
        for (k, p) in phrases.iter().enumerate() {
            for slot in &mut phrase_at[p.start..p.end] {
                *slot = Some(k);
            }
        }
        SentenceCtx { toks, phrases, phrase_at, wants_place: std::cell::Cell::new(false) }
    }

    /// Members of the group of phrase `k`.
    pub fn group_of(&self, k: usize) -> Vec<usize> {
        let g = self.phrases[k].group;
        (0..self.phrases.len()).filter(|&i| self.phrases[i].group == g).collect()
    }
}

impl<A: ActorDictionary, E: EventDictionary> Coder<A, E> {
    pub fn new(actors: A, events: E) -> Self {
        Coder { actors, events, options: CoderOptions::default(), discards: dyad_dict::Discards::default() }
    }

    /// Code one document.
    pub fn code(&self, doc: &Document) -> Vec<Event> {
        let mut out = Vec::new();
        self.code_inner(doc, None, None, &mut |e| out.push(e));
        out
    }

    /// Code one document and return, with its events, the byte spans of its sentences in the
    /// order `Event::sentence_index` counts them (what a store needs to keep the sentences
    /// without splitting the text a second time).
    pub fn code_with_sentences(&self, doc: &Document) -> (Vec<Event>, Vec<std::ops::Range<usize>>) {
        let mut out = Vec::new();
        let mut spans = Vec::new();
        self.code_inner(doc, None, Some(&mut spans), &mut |e| out.push(e));
        (out, spans)
    }

    /// Code one document, handing each event to `emit` as soon as it is coded: memory stays
    /// bounded however long the document is.
    pub fn code_each(&self, doc: &Document, emit: &mut dyn FnMut(Event)) {
        self.code_inner(doc, None, None, emit)
    }

    /// Code one document and record every step in `trace`.
    pub fn code_traced(&self, doc: &Document, trace: &mut Trace) -> Vec<Event> {
        let mut out = Vec::new();
        self.code_inner(doc, Some(trace), None, &mut |e| out.push(e));
        out
    }

    fn code_inner(
        &self,
        doc: &Document,
        mut trace: Option<&mut Trace>,
        mut spans: Option<&mut Vec<std::ops::Range<usize>>>,
        emit: &mut dyn FnMut(Event),
    ) {
        // A story discard found in any sentence drops the document's events, so while story
        // phrases are loaded the events wait here until the whole text has been read.
        let story_check = !self.discards.story.is_empty();
        let mut held: Vec<Event> = Vec::new();
        let mut story_hit = false;
        let mut sink = |e: Event| {
            if story_check {
                held.push(e)
            } else {
                emit(e)
            }
        };
        let text = doc.text.as_str();
        let chars = CharIndex::new(text);
        let mut para = usize::MAX;
        let mut para_date: Option<EventDate> = None;
        let mut si = 0usize;
        let mut para_base = 0usize;
        // places: the gazetteer, and the countries the document has named so far
        let gazetteer = dyad_places::Gazetteer::builtin();
        let mut doc_places = dyad_places::DocContext::new();
        // the last two actors named together, for "the two leaders" and "both sides" later on
        let mut pairs = phrases::Pairs::default();
        // the first person the last sentence of the paragraph named, for "he" and "she"
        let mut prev_person: Option<Phrase> = None;
        // the first actor of the paragraph's last sentence, for a bare role ("the ministry") that
        // opens the next
        let mut prev_actor: Option<Phrase> = None;
        // Long documents are analysed block by block (blocks end at a line break or, in a very
        // long line, at a sentence end), so memory stays bounded whatever the document's size.
        for (bstart, bend, new_para) in blocks(text, BLOCK_BYTES) {
            let mut analysis = dyad_text::analyze(&text[bstart..bend]);
            for t in &mut analysis.tokens {
                t.start += bstart;
                t.end += bstart;
            }
            let last_para = analysis.sentences.last().map(|s| s.paragraph).unwrap_or(0);
            for s in &mut analysis.sentences {
                s.start += bstart;
                s.end += bstart;
                s.paragraph += para_base;
            }
            para_base += last_para + usize::from(new_para);
            for s in analysis.sentences.iter() {
                if let Some(sp) = spans.as_deref_mut() {
                    sp.push(s.start..s.end);
                }
                let si = {
                    si += 1;
                    si - 1
                };
                if s.paragraph != para {
                    para = s.paragraph;
                    para_date = None;
                    prev_person = None;
                    prev_actor = None;
                }
                let toks = &analysis.tokens[s.tokens.clone()];
                let stext = &text[s.start..s.end];
                if story_hit {
                    continue;
                }
                if let Some((scope, at, n)) = self.discards.check(toks) {
                    if let Some(t) = trace.as_deref_mut() {
                        let words: Vec<&str> = toks[at..at + n].iter().map(|t| t.norm.as_str()).collect();
                        let what = if scope == Scope::Story { "document" } else { "sentence" };
                        t.push(format!("sentence {si}: discarded ({what}) by the phrase \"{}\"", words.join(" ")));
                    }
                    story_hit = scope == Scope::Story;
                    continue;
                }
                let mut dates = dyad_dates::find_dates(stext, doc.date);
                if let Some(m) = offset_in_sentence(stext, &dates) {
                    let at = dates.iter().position(|d| d.start > m.start).unwrap_or(dates.len());
                    dates.insert(at, m);
                }
                // "suspended talks until 2028": the end of a state the event began, never its time
                let timing: Vec<&dyad_dates::DateMention> = dates
                    .iter()
                    .filter(|m| !m.attributive && m.date.iso().is_some() && !ends_state(stext, m))
                    .collect();
                let sentence_date = timing.first().map(|m| EventDate::of(&m.date, "sentence"));
                // "The next day, ...", "Two months later, ...": the paragraph's last date moved
                // by the offset, in the offset's own units (`NarrativeOffset::shift`)
                let narrative =
                    para_date.as_ref().filter(|_| sentence_date.is_none()).and_then(EventDate::resolved).and_then(
                        |from| {
                            let o = dyad_dates::narrative_offset(stext)?;
                            Some((o, o.shift(&from)?))
                        },
                    );
                if let Some((_, shifted)) = &narrative {
                    para_date = Some(EventDate::of(shifted, "context"));
                }
                let lookup_date =
                    sentence_date.as_ref().and_then(|d| d.day).or(para_date.as_ref().and_then(|d| d.day)).or(doc.date);
                let mut phrases = phrases::find_phrases(
                    &self.actors,
                    text,
                    toks,
                    lookup_date,
                    prev_person.as_ref(),
                    prev_actor.as_ref(),
                );
                phrases::resolve_the_two(toks, &mut phrases, &pairs);
                let mut ctx = SentenceCtx::new(toks, phrases);
                if let Some(t) = trace.as_deref_mut() {
                    t.push(format!("sentence {si}: {stext}"));
                    t.push(format!("  tokens: {}", toks.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ")));
                    for p in &ctx.phrases {
                        t.push(format!(
                            "  actor: {:?} -> {} sector={} name={}{}{}{}{} group={}",
                            &text[toks[p.start].start..toks[p.end - 1].end],
                            p.key().unwrap_or("?"),
                            p.sector.as_deref().unwrap_or("-"),
                            p.name.as_deref().unwrap_or("-"),
                            if p.name.is_some() && !p.name_known { " (unknown name)" } else { "" },
                            if p.locative { " [place]" } else { "" },
                            if p.town {
                                " [town]"
                            } else if p.inferred {
                                " [country from context]"
                            } else {
                                ""
                            },
                            if p.shared_role { " [role shared with the group]" } else { "" },
                            p.group
                        ));
                    }
                    for m in &dates {
                        t.push(format!(
                            "  date: {:?} -> {}{}",
                            &stext[m.start..m.end],
                            m.date.iso().unwrap_or_else(|| "?".into()),
                            if m.attributive { " (modifies a noun: not the event's time)" } else { "" }
                        ));
                    }
                    if let Some((o, shifted)) = &narrative {
                        t.push(format!(
                            "  date: {:?} -> {} (the paragraph's last date, {})",
                            &stext[o.start..o.end],
                            shifted.iso().unwrap_or_default(),
                            if o.precision == DatePrecision::Day {
                                format!("{:+} days", o.days)
                            } else {
                                format!("{:+} months", o.months)
                            }
                        ));
                    }
                }
                let traced = trace.as_ref().map_or(0, |t| t.lines.len());
                let mut found = patterns::match_sentence(&self.events, &ctx, trace.as_deref_mut());
                let find_places = |ctx: &SentenceCtx| {
                    let actor_spans: Vec<(usize, usize)> =
                        ctx.phrases.iter().filter(|p| p.is_actor()).map(|p| (p.start, p.end)).collect();
                    let countries: Vec<&str> = ctx.phrases.iter().filter_map(|p| p.country.as_deref()).collect();
                    dyad_places::find_in_sentence(gazetteer, text, toks, &doc_places, &actor_spans, &countries)
                };
                // place names, read only for sentences with events, or where a target slot wants
                // one: then a town the gazetteer knows stands, as a place, for its country
                // ("Erdoğan travelled to Shusha"), and the sentence is matched again
                let mut places: Vec<dyad_places::PlaceMention> = Vec::new();
                if ctx.wants_place.get() {
                    places = find_places(&ctx);
                    let towns = place_phrases(&ctx, &places);
                    if !towns.is_empty() {
                        let mut phrases = std::mem::take(&mut ctx.phrases);
                        phrases.extend(towns);
                        phrases.sort_by_key(|p| p.start);
                        ctx = SentenceCtx::new(toks, phrases);
                        if let Some(t) = trace.as_deref_mut() {
                            t.lines.truncate(traced);
                            t.push("  (matched again with the towns named after a rule's literal as places)".into());
                        }
                        found = patterns::match_sentence(&self.events, &ctx, trace.as_deref_mut());
                    }
                } else if !found.is_empty() {
                    places = find_places(&ctx);
                }
                if let Some(t) = trace.as_deref_mut() {
                    for m in &places {
                        t.push(format!(
                            "  place: {:?} -> {} ({}{})",
                            m.text,
                            m.chosen.map(|p| p.name).unwrap_or("?"),
                            m.role.as_str(),
                            m.cue.as_deref().map(|c| format!(", after {c:?}")).unwrap_or_default()
                        ));
                    }
                }
                // One event per sentence for each actor pair, code, date and mood: a second trigger
                // of the same event ("clashed ... in the worst fighting in years") adds nothing.
                let mut coded: Vec<(EventKey, String)> = Vec::new();
                // "Russia agreed to supply gas to Uzbekistan": the supply, coded as an intent
                // (0311), is what was agreed; the verb "agreed" itself adds no event between the
                // same actors; nor does "pledged", "promised", "offered" or "vowed" before an event
                // so coded ("Ankara pledged to back Baku" is 032, not also a pledge, 030). Each
                // such verb with the actor pairs of what it governs.
                let pair_keys = |m: &patterns::Match| -> PairKeys {
                    m.pairs()
                        .into_iter()
                        .map(|(s, t)| (ctx.phrases[s].key(), t.and_then(|t| ctx.phrases[t].key())))
                        .collect()
                };
                let moods: Vec<modality::Mood> = found
                    .iter()
                    .map(|m| {
                        let noun = m.as_noun || self.events.trigger(m.trigger).kind == TriggerKind::Noun;
                        modality::read(toks, m.trigger_start, m.subject_end, noun)
                    })
                    .collect();
                let agreed: Vec<(usize, PairKeys)> = found
                    .iter()
                    .zip(&moods)
                    .filter_map(|(m, mood)| {
                        let code = self.events.trigger(m.trigger).rules[m.rule].code.as_deref()?;
                        let at = mood.agreed_at.or(mood.intent_at);
                        let at = at.filter(|_| mood.codes_intent(code) && !self.options.legacy_codes)?;
                        Some((at, pair_keys(m)))
                    })
                    .collect();
                for (m, mood) in found.into_iter().zip(moods) {
                    let trig = self.events.trigger(m.trigger);
                    let rule = &trig.rules[m.rule];
                    let Some(code) = rule.code.clone() else {
                        continue;
                    };
                    if trig.kind == TriggerKind::Verb
                        && agreed.iter().any(|(at, keys)| {
                            (m.trigger_start..m.trigger_end).contains(at)
                                && pair_keys(&m).iter().all(|k| keys.contains(k))
                        })
                    {
                        if let Some(t) = trace.as_deref_mut() {
                            t.push(format!(
                                "  not coded: rule {} is the agreement or promise to an event coded as an intent",
                                rule.id
                            ));
                        }
                        continue;
                    }
                    let code = if self.options.legacy_codes {
                        code
                    } else if mood.refused {
                        modality::reject_code(&code).to_string()
                    } else if mood.threat && !code.starts_with("13") {
                        modality::threat_code(&code).to_string()
                    } else if mood.codes_intent(&code) {
                        modality::intent_code(&code).to_string()
                    } else {
                        code
                    };
                    let info = match dyad_cameo::lookup(&code) {
                        Some(i) => i,
                        None if self.options.legacy_codes => &LEGACY_CODE_INFO,
                        None => continue,
                    };
                    // date: nearest timing date in the sentence, else the paragraph's, else the document's
                    let trig_byte = toks[m.trigger_start].start - s.start;
                    let trig_end = toks[m.trigger_end - 1].end - s.start;
                    // "released four soldiers captured in 2020": the date of a participle that
                    // modifies a noun after the event is that participle's, not the event's
                    let timing: Vec<&dyad_dates::DateMention> =
                        timing.iter().copied().filter(|d| !participle_date(stext, trig_end, d)).collect();
                    let date = if !timing.is_empty() {
                        // "since 1992", "from 1999": the start of a state, not the event's time
                        let duration = |d: &dyad_dates::DateMention| {
                            matches!(word_before(stext, d).as_str(), "since" | "from" | "through")
                        };
                        let best = timing
                            .iter()
                            .min_by_key(|d| (duration(d), (d.start as i64 - trig_byte as i64).abs()))
                            .map(|d| match doc.date.filter(|_| mood.hypothetical && d.start > trig_byte) {
                                Some(anchor) => EventDate::of(&ahead(stext, d, anchor), "sentence"),
                                None => EventDate::of(&d.date, "sentence"),
                            });
                        best.unwrap_or_else(EventDate::none)
                    } else if let (true, Some(pd)) = (self.options.context_dates, para_date.clone()) {
                        EventDate { source: "context", ..pd }
                    } else if let Some(m) = dates.iter().find(|d| {
                        // only a date that modifies a noun ("after the February 2023 earthquake"):
                        // the best the sentence offers, unless the document is dated after it: then
                        // the noun is an earlier event the report refers back to ("criticised
                        // Russia for failing to protect Armenia during the 2022 clashes"), and the
                        // report's own date is the better estimate. Not when the noun times the
                        // event itself, right after it: "supplied drones to Azerbaijan during the
                        // 2020 war", or opens the sentence: "During the 2020 war, Turkey backed...".
                        // where the event's words end (its trigger or its last target)
                        let event_end = || {
                            let ends = m.targets.iter().map(|&t| toks[ctx.phrases[t].end - 1].end);
                            ends.chain([toks[m.trigger_end - 1].end]).max().unwrap_or(s.start) - s.start
                        };
                        let referred_back = self.options.document_dates
                            && doc.date.zip(to_naive(&d.date)).is_some_and(|(doc, d)| doc > d)
                            && !times_event(stext, event_end(), d.start)
                            && !frames_sentence(stext, d.start);
                        d.date.iso().is_some() && !referred_back && !ends_state(stext, d)
                    }) {
                        EventDate::of(&m.date, "sentence")
                    } else if let (true, Some(d)) = (self.options.document_dates, doc.date) {
                        EventDate {
                            iso: Some(d.format("%Y-%m-%d").to_string()),
                            precision: DatePrecision::Day,
                            source: "document",
                            day: Some(d),
                        }
                    } else {
                        EventDate::none()
                    };
                    for (src, tgt) in m.pairs() {
                        let sp = &ctx.phrases[src];
                        let rebound =
                            tgt.and_then(|t| phrases::rebind_object_pronoun(toks, &ctx.phrases, sp, &ctx.phrases[t]));
                        let tp = rebound.as_ref().or(tgt.map(|t| &ctx.phrases[t]));
                        // a withdrawal from an organisation ("withdrew from PACE", "its withdrawal
                        // from the CSTO") leaves it (160); 0874 is a military retreat from a place
                        let left_org =
                            code == "0874" && !self.options.legacy_codes && tp.is_some_and(|t| t.org.is_some());
                        let (code, info) = match dyad_cameo::lookup("160").filter(|_| left_org) {
                            Some(i) => ("160", i),
                            None => (code.as_str(), info),
                        };
                        if tp.is_none() && !self.options.untargeted {
                            if let Some(t) = trace.as_deref_mut() {
                                t.push(format!("  not coded: rule {} found a source but no target (--untargeted keeps such events)", rule.id));
                            }
                            continue;
                        }
                        if let Some(tp) = tp {
                            // an actor with itself is no event; within one state, only between sectors
                            // ("Azerbaijani police detained Azerbaijani journalists")
                            // nor with what the source calls its own ("Moscow offers its peacekeepers")
                            let own = tp.start > 0
                                && matches!(toks[tp.start - 1].norm.as_str(), "its" | "their" | "his" | "her" | "our");
                            if sp.key().is_some()
                                && sp.key() == tp.key()
                                && (sp.sector == tp.sector || sp.sector.is_none() || tp.sector.is_none() || own)
                            {
                                if let Some(t) = trace.as_deref_mut() {
                                    t.push(format!(
                                        "  not coded: rule {} would pair {} with itself",
                                        rule.id,
                                        sp.key().unwrap_or("?")
                                    ));
                                }
                                continue;
                            }
                        }
                        let source = self.actor(text, toks, sp);
                        let target = tp.map(|p| self.actor(text, toks, p));
                        let span = |p: &Phrase| {
                            [chars.char_offset(toks[p.start].start), chars.char_offset(toks[p.end - 1].end)]
                        };
                        let trigger = [
                            chars.char_offset(toks[m.trigger_start].start),
                            chars.char_offset(toks[m.trigger_end - 1].end),
                        ];
                        let root = dyad_cameo::root_of(code).to_string();
                        let mut e = Event {
                            event_id: String::new(),
                            doc_id: doc.id.clone(),
                            sentence_index: si,
                            sentence: stext.to_string(),
                            offsets: Offsets { source: Some(span(sp)), target: tp.map(span), trigger },
                            date: date.iso.clone(),
                            date_precision: date.precision,
                            date_source: date.source.to_string(),
                            source,
                            target,
                            cameo: code.to_string(),
                            root,
                            goldstein: info.goldstein,
                            quad_class: info.quad_class,
                            plover: Plover {
                                kind: info.plover_type.unwrap_or("").to_string(),
                                mode: if mood.negated {
                                    Some("negation".into())
                                } else if mood.hypothetical {
                                    Some("hypothetical".into())
                                } else {
                                    info.plover_mode.map(String::from)
                                },
                            },
                            location: dyad_places::event_place(&places, m.trigger_start)
                                .and_then(dyad_places::mention_location),
                            negated: mood.negated,
                            hypothetical: mood.hypothetical,
                            symmetric: trig.symmetric,
                            rule: rule.id.clone(),
                        };
                        let key = EventKey::of(&e);
                        if let Some((_, first)) = coded.iter().find(|(k, _)| *k == key) {
                            if let Some(t) = trace.as_deref_mut() {
                                t.push(format!(
                                    "  not coded: rule {} repeats the event that rule {first} coded in this sentence",
                                    e.rule
                                ));
                            }
                            continue;
                        }
                        coded.push((key, e.rule.clone()));
                        e.event_id = event_id(&e);
                        if let Some(t) = trace.as_deref_mut() {
                            t.push(format!(
                                "  EVENT {} {} -> {} cameo {} ({}) rule {}{}{}{} date {} ({})",
                                e.cameo,
                                e.source.code,
                                e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                                e.cameo,
                                info.label,
                                e.rule,
                                if e.negated { " NEGATED" } else { "" },
                                if e.hypothetical { " HYPOTHETICAL" } else { "" },
                                if mood.refused {
                                    " (refusal: coded as REJECT)"
                                } else if mood.threat {
                                    " (threat: coded as 13)"
                                } else if mood.codes_intent(rule.code.as_deref().unwrap_or("")) {
                                    " (intent: coded as 03)"
                                } else {
                                    ""
                                },
                                e.date.as_deref().unwrap_or("none"),
                                e.date_source
                            ));
                        }
                        sink(e);
                    }
                }
                if let Some(d) = sentence_date {
                    para_date = Some(d);
                }
                for p in &ctx.phrases {
                    if let (Some(c), false) = (p.country.as_deref(), p.inferred) {
                        doc_places.add_code(gazetteer, c);
                    }
                }
                phrases::remember_pairs(&ctx.phrases, &mut pairs);
                if let Some(p) = phrases::first_person(toks, &ctx.phrases) {
                    prev_person = Some(p.clone());
                }
                prev_actor = ctx.phrases.iter().find(|p| p.names_actor()).cloned();
                doc_places.add_mentions(&places);
            }
        }
        if !story_hit {
            held.into_iter().for_each(emit);
        }
    }

    fn actor(&self, text: &str, toks: &[Token], p: &Phrase) -> Actor {
        let code = match (&p.country, &p.org) {
            (Some(c), _) => format!("{c}{}", p.sector.as_deref().unwrap_or("")),
            (None, Some(o)) => o.clone(),
            (None, None) => String::new(),
        };
        Actor {
            text: text[toks[p.start].start..toks[p.end - 1].end].to_string(),
            code,
            country: p.country.clone(),
            org: p.org.clone(),
            sector: p.sector.clone(),
            name: p.name.clone(),
            name_known: p.name_known,
        }
    }

    /// Capitalised names in `doc` that the actor dictionary does not know, with their counts
    /// (for `dyad actors --unknown` over raw documents).
    pub fn unknown_names(&self, doc: &Document, counts: &mut std::collections::HashMap<String, usize>) {
        let a = dyad_text::analyze(&doc.text);
        for s in &a.sentences {
            let toks = &a.tokens[s.tokens.clone()];
            let mut i = 0;
            while i < toks.len() {
                if let Some((n, _)) = self.actors.lookup(toks, i, false) {
                    i += n;
                    continue;
                }
                if self.events.lookup(toks, i).is_some() || !toks[i].cap || toks[i].kind != dyad_text::TokenKind::Word {
                    i += 1;
                    continue;
                }
                let st = i;
                while i < toks.len()
                    && toks[i].kind == dyad_text::TokenKind::Word
                    && (toks[i].cap
                        || (matches!(toks[i].norm.as_str(), "von" | "der" | "de" | "al" | "bin")
                            && toks.get(i + 1).is_some_and(|t| t.cap)))
                    && self.actors.lookup(toks, i, false).is_none()
                {
                    i += 1;
                }
                // a lone capitalised word opening a sentence is usually not a name
                if i - st >= 2 || (i - st == 1 && st > 0) {
                    *counts.entry(doc.text[toks[st].start..toks[i - 1].end].to_string()).or_default() += 1;
                }
                i = i.max(st + 1);
            }
        }
    }
}

/// Size of the blocks a long document is analysed in.
const BLOCK_BYTES: usize = 256 * 1024;

/// Split `text` into blocks of about `size` bytes: `(start, end, ends_a_paragraph)`. A block ends
/// after a line break, or — in a line longer than `size` — after a sentence-ending `. `, `! ` or
/// `? `; a text with neither is cut at a space (and, failing that, at a char boundary).
pub fn blocks(text: &str, size: usize) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let n = text.len();
    while start < n {
        if n - start <= size {
            out.push((start, n, true));
            break;
        }
        let window = &text.as_bytes()[start..(start + 2 * size).min(n)];
        let cut = window[size..].iter().position(|&b| b == b'\n').map(|p| (size + p + 1, true)).or_else(|| {
            let lo = size / 2;
            (lo..window.len().saturating_sub(2))
                .find(|&i| {
                    matches!(window[i], b'.' | b'!' | b'?')
                        && window[i + 1] == b' '
                        && window[i + 2].is_ascii_uppercase()
                })
                .map(|i| (i + 2, false))
                .or_else(|| window[lo..].iter().position(|&b| b == b' ').map(|p| (lo + p + 1, false)))
        });
        let (mut len, para) = cut.unwrap_or((window.len(), false));
        while !text.is_char_boundary(start + len) {
            len += 1;
        }
        out.push((start, start + len, para));
        start += len;
    }
    out
}

/// A stable event id: FNV-1a over document, sentence, trigger offset, dyad and code.
fn event_id(e: &Event) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    let mut feed = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    };
    feed(&e.doc_id);
    feed(&e.sentence_index.to_string());
    feed(&e.offsets.trigger[0].to_string());
    feed(&e.source.code);
    feed(&e.source.text);
    feed(e.target.as_ref().map(|t| t.code.as_str()).unwrap_or(""));
    feed(e.target.as_ref().map(|t| t.text.as_str()).unwrap_or(""));
    feed(&e.cameo);
    let mut s = String::with_capacity(16);
    let _ = write!(s, "{h:016x}");
    s
}

/// Number of sentences dyad splits `text` into (used by `dyad bench`).
pub fn dyad_text_sentence_count(text: &str) -> usize {
    dyad_text::analyze(text).sentences.len()
}

/// The (source, target) actor keys of a match's events.
type PairKeys<'a> = Vec<(Option<&'a str>, Option<&'a str>)>;

/// What makes two events of one sentence the same event: both actors (code and name), the
/// code, the date and the mood.
#[derive(Debug, PartialEq)]
struct EventKey {
    source: (String, Option<String>),
    target: Option<(String, Option<String>)>,
    cameo: String,
    date: Option<String>,
    negated: bool,
    hypothetical: bool,
}

impl EventKey {
    fn of(e: &Event) -> EventKey {
        EventKey {
            source: (e.source.code.clone(), e.source.name.clone()),
            target: e.target.as_ref().map(|t| (t.code.clone(), t.name.clone())),
            cameo: e.cameo.clone(),
            date: e.date.clone(),
            negated: e.negated,
            hypothetical: e.hypothetical,
        }
    }
}

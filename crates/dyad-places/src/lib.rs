//! dyad's places: an offline gazetteer, place recognition and disambiguation, event locations and
//! actor homes with coordinates.
//!
//! The gazetteer ([`Gazetteer`]) holds every country, every first-level region and every
//! populated place of 1,000 people or more of GeoNames (CC BY 4.0; see docs/places.md), built
//! into the binary as a compact index read in place.
//!
//! Recognition ([`find_in_sentence`]) reads a sentence's tokens, finds the longest names the
//! gazetteer knows (diacritics folded: "Kahramanmaras" finds "Kahramanmaraş"), and decides
//! for each what it is:
//! - a **location** when a preposition of place comes before it ("in", "at", "held in",
//!   "arrived in", "on the Azerbaijan–Iran border");
//! - an **actor** when it does something ("Tehran said": a capital standing for its government),
//!   or when the caller's actor phrases cover it;
//! - part of a **name** when a capitalised noun follows it ("the Shusha Declaration");
//! - else a plain **mention**, which still tells which countries the text is about.
//!
//! Ambiguous names are resolved by the qualifier after them ("Paris, Texas"), then by the
//! countries of the same sentence, then of the document, then by kind (a country before a region
//! before a city) and population.
//!
//! ```
//! use dyad_places::{find_places, Role};
//! let found = find_places("Talks were held in Gabala, and Tehran said it welcomed them.");
//! let gabala = found.iter().find(|m| m.text == "Gabala").unwrap();
//! assert_eq!(gabala.role, Role::Location);
//! assert_eq!(gabala.chosen.unwrap().country.iso3, "AZE");
//! let tehran = found.iter().find(|m| m.text == "Tehran").unwrap();
//! assert_eq!(tehran.role, Role::Actor);
//! ```

mod index;

pub use index::{key_of, Admin1, Country, Feature, Gazetteer, IndexError, Kind, Place};

use dyad_core::Location;
use dyad_text::{Token, TokenKind};
use std::collections::HashMap;

/// What a place name does in its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Where something happened: after a preposition of place.
    Location,
    /// A polity acting ("Tehran said", "Azerbaijan hosted").
    Actor,
    /// Part of the name of a thing ("the Shusha Declaration", "the 'Azerbaijan' neighborhood").
    Name,
    /// The qualifier of the place before it ("Dushanbe, Tajikistan"; "Paris, Texas").
    Qualifier,
    /// Named, with nothing that makes it a location or an actor.
    Mention,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Location => "location",
            Role::Actor => "actor",
            Role::Name => "name",
            Role::Qualifier => "qualifier",
            Role::Mention => "mention",
        }
    }
}

/// One reading of a place name, with the score it got and why.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub place: Place,
    pub score: f64,
    /// The factors that made the score, e.g. `"country named in the sentence"`.
    pub reasons: Vec<String>,
}

/// A place name found in a sentence.
#[derive(Clone, Debug)]
pub struct PlaceMention {
    /// Sentence-local token range `[tok_start, tok_end)`.
    pub tok_start: usize,
    pub tok_end: usize,
    /// Byte offsets in the text the tokens index.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub role: Role,
    /// The words that made it a location ("held in", "on the ... border").
    pub cue: Option<String>,
    /// For a border ("the Azerbaijan–Iran border"), the border's name.
    pub border: Option<String>,
    /// Every reading, best first.
    pub candidates: Vec<Candidate>,
    /// The reading chosen.
    pub chosen: Option<Place>,
}

/// The countries a document has named so far, for disambiguation.
#[derive(Clone, Debug, Default)]
pub struct DocContext {
    countries: HashMap<u16, u32>,
}

impl DocContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Count a country (ISO alpha-2 or alpha-3 code) as named in the document.
    pub fn add_code(&mut self, g: &Gazetteer, code: &str) {
        if let Some(c) = g.country_by_code(code) {
            *self.countries.entry(c.index).or_default() += 1;
        }
    }

    /// Count the countries of a sentence's place mentions: those whose readings all lie in one
    /// country ("Georgia", the country or the US state, counts for neither).
    pub fn add_mentions(&mut self, mentions: &[PlaceMention]) {
        for m in mentions {
            if let Some(p) = m.chosen {
                if m.candidates.iter().all(|c| c.place.country.index == p.country.index) {
                    *self.countries.entry(p.country.index).or_default() += 1;
                }
            }
        }
    }

    pub fn contains(&self, country: u16) -> bool {
        self.countries.contains_key(&country)
    }
}

/// Prepositions (and phrases ending in one) that put what follows in a place.
const CUES: &[&str] =
    &["in", "at", "near", "inside", "outside", "outskirts", "across", "throughout", "within", "around"];
/// Words of motion after which "to" names where the event happened ("a visit to Tehran").
const MOTION: &[&str] = &[
    "visit",
    "visits",
    "visiting",
    "trip",
    "travel",
    "travelled",
    "traveled",
    "travels",
    "flew",
    "came",
    "went",
    "arrived",
    "returned",
    "journey",
    "tour",
];
/// Words that may stand between a cue and the name ("in the city of Ganja", "in the capital Baku").
const BRIDGE: &[&str] = &[
    "the",
    "city",
    "town",
    "village",
    "capital",
    "of",
    "province",
    "region",
    "port",
    "district",
    "southern",
    "northern",
    "eastern",
    "western",
    "central",
    "azerbaijani",
    "iranian",
    "turkish",
    "armenian",
    "georgian",
    "russian",
];
/// Verbs and verb-like words after which a name is an actor ("Tehran said").
const ACTOR_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "stated",
    "announced",
    "announces",
    "accused",
    "accuses",
    "rejected",
    "rejects",
    "denied",
    "denies",
    "insisted",
    "warned",
    "warns",
    "responded",
    "reacted",
    "agreed",
    "agrees",
    "claimed",
    "claims",
    "called",
    "calls",
    "wants",
    "urged",
    "urges",
    "demanded",
    "demands",
    "condemned",
    "condemns",
    "welcomed",
    "welcomes",
    "signed",
    "hosted",
    "hosts",
    "sent",
    "sends",
    "has",
    "have",
    "had",
    "is",
    "was",
    "will",
    "would",
    "should",
    "must",
    "may",
    "can",
    "could",
    "did",
    "does",
    "seeks",
    "sought",
    "plans",
    "hopes",
    "expects",
    "considers",
    "remains",
    "continues",
    "views",
    "sees",
    "supports",
    "opposes",
    "recognized",
    "recognizes",
    "and",
];
/// Nouns after which "of X" makes X an actor ("the leaders of Baku and Tehran").
const ACTOR_HEADS: &[&str] = &[
    "leaders",
    "leader",
    "leadership",
    "government",
    "governments",
    "president",
    "presidents",
    "officials",
    "position",
];
/// Nouns after a quoted or bare name that make it the name of a smaller thing.
const THING_NOUNS: &[&str] = &[
    "neighborhood",
    "neighbourhood",
    "district",
    "street",
    "avenue",
    "square",
    "quarter",
    "park",
    "hotel",
    "stadium",
    "university",
    "school",
    "street's",
];
/// Lower-case words that may sit inside a place name ("Sant Julià de Lòria").
const NAME_PARTICLES: &[&str] = &[
    "de", "del", "la", "le", "les", "al", "el", "of", "the", "on", "upon", "sur", "di", "do", "da", "des", "du", "am",
    "an", "im", "-", "'",
];
/// Words after a name that ask for its region reading ("Tehran province").
const REGION_WORDS: &[&str] = &["province", "region", "state", "oblast", "governorate", "rayon", "district", "county"];

/// Finds the place names of a whole text and resolves them, with the countries of the whole text
/// as context. For `dyad places` and for callers without their own actor phrases.
pub fn find_places(text: &str) -> Vec<PlaceMention> {
    let g = Gazetteer::builtin();
    let a = dyad_text::analyze(text);
    // first pass: the countries the text names, for the document context
    let mut ctx = DocContext::new();
    for s in &a.sentences {
        let toks = &a.tokens[s.tokens.clone()];
        ctx.add_mentions(&find_in_sentence(g, text, toks, &DocContext::new(), &[], &[]));
    }
    let mut out = Vec::new();
    for s in &a.sentences {
        let toks = &a.tokens[s.tokens.clone()];
        out.extend(find_in_sentence(g, text, toks, &ctx, &[], &[]));
    }
    out
}

/// Finds and resolves the place names of one sentence.
///
/// `toks` are the sentence's tokens (offsets into `text`); `actors` are sentence-local token
/// ranges the caller has read as actors (a name inside one is an actor, not a location);
/// `sentence_countries` are ISO codes of countries the sentence names in other ways (the actors'
/// countries).
pub fn find_in_sentence(
    g: &Gazetteer,
    text: &str,
    toks: &[Token],
    ctx: &DocContext,
    actors: &[(usize, usize)],
    sentence_countries: &[&str],
) -> Vec<PlaceMention> {
    let spans = match_names(g, toks);
    if spans.is_empty() {
        return Vec::new();
    }
    let mut mentions: Vec<PlaceMention> = spans
        .into_iter()
        .map(|(a, b, places)| PlaceMention {
            tok_start: a,
            tok_end: b,
            start: toks[a].start,
            end: toks[b - 1].end,
            text: text[toks[a].start..toks[b - 1].end].to_string(),
            role: Role::Mention,
            cue: None,
            border: None,
            candidates: places.into_iter().map(|p| Candidate { place: p, score: 0.0, reasons: Vec::new() }).collect(),
            chosen: None,
        })
        .collect();
    let n = mentions.len();
    // qualifiers: "Dushanbe, Tajikistan", "Paris, Texas"
    let mut qualifier_of: Vec<Option<usize>> = vec![None; n];
    for k in 1..n {
        let (prev, cur) = (&mentions[k - 1], &mentions[k]);
        if cur.tok_start == prev.tok_end + 1
            && toks[prev.tok_end].norm == ","
            && cur.candidates.iter().any(|c| c.place.kind != Kind::City)
            && prev
                .candidates
                .iter()
                .any(|p| cur.candidates.iter().any(|q| q.place.kind != Kind::City && contains(&q.place, &p.place)))
        {
            qualifier_of[k] = Some(k - 1);
        }
    }
    // sentence countries: unambiguous country names and the caller's actor countries
    let mut given: Vec<u16> = sentence_countries.iter().filter_map(|c| g.country_by_code(c)).map(|c| c.index).collect();
    let mut unambiguous: Vec<Option<u16>> =
        mentions.iter().map(|m| (m.candidates.len() == 1).then(|| m.candidates[0].place.country.index)).collect();
    // a name inside an actor, or before a capitalised word ("US Secretary of State"), names a
    // country the way an actor does, not where anything happened
    for (m, u) in mentions.iter().zip(unambiguous.iter_mut()) {
        let in_actor = actors.iter().any(|&(s, e)| s < m.tok_end && m.tok_start < e);
        let before_name = toks.get(m.tok_end).is_some_and(|t| t.kind == TokenKind::Word && t.cap);
        if in_actor || before_name {
            given.extend(u.take());
        }
    }
    for k in 0..n {
        // the other place names of the sentence, not this one
        let sent: Vec<u16> = unambiguous.iter().enumerate().filter(|&(j, _)| j != k).filter_map(|(_, c)| *c).collect();
        let sent = SentenceCountries { places: &sent, actors: &given };
        let qual = (k + 1 < n && qualifier_of[k + 1] == Some(k)).then(|| mentions[k + 1].candidates.clone());
        let next_word = toks.get(mentions[k].tok_end).map(|t| t.norm.as_str()).unwrap_or("");
        let region_word = REGION_WORDS.contains(&next_word);
        let m = &mut mentions[k];
        let same_name_city: Vec<u16> =
            m.candidates.iter().filter(|c| c.place.kind == Kind::City).map(|c| c.place.country.index).collect();
        let cities: Vec<Place> = m.candidates.iter().filter(|c| c.place.kind == Kind::City).map(|c| c.place).collect();
        for c in &mut m.candidates {
            let overshadowed = overshadowed_by(&c.place, &cities);
            score(c, qual.as_deref(), &sent, ctx, &same_name_city, region_word, overshadowed);
        }
        m.candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.place.population.cmp(&a.place.population)));
        m.chosen = m.candidates.first().map(|c| c.place);
    }
    // a region that holds another place the sentence names ("Georgia ... Atlanta")
    let chosen: Vec<Option<Place>> = mentions.iter().map(|m| m.chosen).collect();
    for (k, m) in mentions.iter_mut().enumerate() {
        if m.candidates.len() < 2 {
            continue;
        }
        let mut changed = false;
        for c in m.candidates.iter_mut().filter(|c| c.place.kind == Kind::Admin1) {
            if let Some(inner) =
                chosen.iter().enumerate().find_map(|(j, p)| p.filter(|p| j != k && contains(&c.place, p)))
            {
                c.score += 3.0;
                c.reasons.push(format!("holds {}, named in the sentence", inner.name));
                changed = true;
            }
        }
        if changed {
            m.candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.place.population.cmp(&a.place.population)));
            m.chosen = m.candidates.first().map(|c| c.place);
        }
    }
    // roles
    for k in 0..n {
        let (a, b) = (mentions[k].tok_start, mentions[k].tok_end);
        if qualifier_of[k].is_some() {
            mentions[k].role = Role::Qualifier;
            continue;
        }
        if actors.iter().any(|&(s, e)| s < b && a < e) {
            mentions[k].role = Role::Actor;
            continue;
        }
        let after = skip_qualifier(toks, b, k, &mentions, &qualifier_of);
        let next = toks.get(after);
        let prev = a.checked_sub(1).and_then(|i| toks.get(i));
        // a quoted name before a thing noun: "the 'Azerbaijan' neighborhood"
        let quoted = prev.is_some_and(|t| t.norm == "'" || t.norm == "\"")
            && next.is_some_and(|t| t.norm == "'" || t.norm == "\"");
        let after_quote = if quoted { toks.get(after + 1) } else { next };
        if after_quote.is_some_and(|t| THING_NOUNS.contains(&t.norm.as_str()))
            && (quoted || prev.is_some_and(|t| t.norm == "the"))
        {
            mentions[k].role = Role::Name;
            continue;
        }
        // a capitalised noun after it: "the Shusha Declaration", "Tehran Times"
        if let Some(t) = next {
            if t.kind == TokenKind::Word && t.cap && !mentions.iter().any(|m| m.tok_start == after) {
                mentions[k].role = Role::Name;
                continue;
            }
            // "X of the ...", "X of Europe": the head of an organisation's name, unless a country
            let t2 = toks.get(after + 1);
            if t.norm == "of"
                && t2.is_some_and(|t2| t2.norm == "the" || t2.cap)
                && mentions[k].chosen.is_some_and(|p| p.kind == Kind::City)
            {
                mentions[k].role = Role::Name;
                continue;
            }
        }
        // a border: "on the Azerbaijan–Iran border", "near the border with Iran"
        if let Some((cue, name)) = border(toks, text, k, &mentions) {
            mentions[k].role = Role::Location;
            mentions[k].cue = Some(cue);
            mentions[k].border = Some(name);
            continue;
        }
        // "at Moscow's request", "hit back at Moscow's criticism": "at" before a possessor is no
        // place (unlike "in Baku's old city")
        let at_possessor = next.is_some_and(|t| t.norm == "'s") && a > 0 && toks[a - 1].norm == "at";
        if let Some(cue) = locative_cue(toks, a).filter(|_| !at_possessor) {
            mentions[k].role = Role::Location;
            mentions[k].cue = Some(cue);
            continue;
        }
        // actors: "Tehran said", "Baku's position", "the leaders of Baku and Tehran"
        let verb = next.is_some_and(|t| ACTOR_VERBS.contains(&t.norm.as_str()) && t.norm != "and")
            || next.is_some_and(|t| t.norm == "'s" || t.norm == "'")
            || (next.is_some_and(|t| t.norm == "and") && toks.get(after + 1).is_some_and(|t| t.cap));
        let of_head = a >= 2 && toks[a - 1].norm == "of" && ACTOR_HEADS.contains(&toks[a - 2].norm.as_str());
        let polity = mentions[k].chosen.is_some_and(|p| p.kind == Kind::Country || p.feature == Feature::Capital);
        if polity && (verb || of_head) {
            mentions[k].role = Role::Actor;
        }
    }
    // "in Gabala and Ganja", "in Baku, Ganja and Shusha": later members of a list of places
    // share the first one's cue
    for k in 1..n {
        let gap = &toks[mentions[k - 1].tok_end..mentions[k].tok_start];
        if mentions[k].role == Role::Mention
            && mentions[k - 1].role == Role::Location
            && mentions[k - 1].border.is_none()
            && !gap.is_empty()
            && gap.len() <= 2
            && gap.iter().all(|t| matches!(t.norm.as_str(), "and" | "," | "or" | "in" | "at"))
        {
            mentions[k].role = Role::Location;
            mentions[k].cue = mentions[k - 1].cue.clone();
        }
    }
    // "the leaders of Baku and Tehran": the second of a pair follows the first
    for k in 1..n {
        if mentions[k].role == Role::Mention
            && mentions[k - 1].role == Role::Actor
            && mentions[k].tok_start == mentions[k - 1].tok_end + 1
            && toks[mentions[k - 1].tok_end].norm == "and"
        {
            mentions[k].role = Role::Actor;
        }
    }
    mentions
}

/// Index of the token after a mention and its qualifier ("Dushanbe, Tajikistan ...").
fn skip_qualifier(
    _toks: &[Token],
    end: usize,
    k: usize,
    mentions: &[PlaceMention],
    qualifier_of: &[Option<usize>],
) -> usize {
    if k + 1 < mentions.len() && qualifier_of[k + 1] == Some(k) {
        mentions[k + 1].tok_end
    } else {
        end
    }
}

/// Whether region or country `outer` contains `inner`.
fn contains(outer: &Place, inner: &Place) -> bool {
    match outer.kind {
        Kind::Country => inner.country.index == outer.country.index && inner.index != outer.index,
        // a region with no admin1 code ("Karabakh") is a name, not a unit: it holds nothing
        Kind::Admin1 => {
            outer.admin1.is_some()
                && inner.kind == Kind::City
                && inner.country.index == outer.country.index
                && inner.admin1.map(|a| a.index) == outer.admin1.map(|a| a.index)
        }
        Kind::City => false,
    }
}

/// The countries a sentence names besides the place being scored: by other place names, and
/// by the actors the coder found (weaker evidence of where something happened).
struct SentenceCountries<'a> {
    places: &'a [u16],
    actors: &'a [u16],
}

/// The city of the same name that makes `p` the lesser reading when the only hint for `p` is an
/// actor's country or the document's: a national capital, or a city of 100,000 people or more
/// and at least five times `p`'s size. "US and Russian officials held talks in Moscow" are in
/// Russia's capital, not in Moscow, Idaho; "in Geneva", not Geneva, Illinois.
fn overshadowed_by(p: &Place, cities: &[Place]) -> Option<Place> {
    if p.kind != Kind::City || p.feature == Feature::Capital {
        return None;
    }
    cities.iter().copied().filter(|q| q.index != p.index).find(|q| {
        q.feature == Feature::Capital || (q.population >= 100_000 && q.population as u64 >= 5 * p.population as u64)
    })
}

fn score(
    c: &mut Candidate,
    qual: Option<&[Candidate]>,
    sent: &SentenceCountries,
    ctx: &DocContext,
    same_name_city: &[u16],
    region_word: bool,
    overshadowed: Option<Place>,
) {
    let p = c.place;
    let mut s = 0.0;
    let mut why = Vec::new();
    if let Some(q) = qual {
        if q.iter().any(|q| q.place.kind != Kind::City && contains(&q.place, &p)) {
            s += 10.0;
            why.push("inside the place named after it".to_string());
        }
    }
    if sent.places.contains(&p.country.index) {
        s += 4.0;
        why.push(format!("{} named in the sentence", p.country.iso3));
    } else if let Some(big) =
        overshadowed.filter(|_| sent.actors.contains(&p.country.index) || ctx.contains(p.country.index))
    {
        why.push(format!(
            "{} an actor's or the document's country, but {} ({}) is the better-known",
            p.country.iso3, big.name, big.country.iso3
        ));
    } else if sent.actors.contains(&p.country.index) {
        // an actor's country says less about where a thing happened than a place name does:
        // "Blinken met Pashinyan in Brussels" is not in Brussels, Wisconsin
        s += 2.0;
        why.push(format!("{} an actor's country", p.country.iso3));
    } else if ctx.contains(p.country.index) {
        s += 2.0;
        why.push(format!("{} named in the document", p.country.iso3));
    }
    match p.kind {
        Kind::Country => {
            s += 3.0;
            why.push("a country".into());
        }
        Kind::Admin1 => {
            if region_word {
                s += 3.0;
                why.push("a region, as the next word says".into());
            } else if same_name_city.contains(&p.country.index) {
                s -= 3.0;
                why.push("a region named after its city: the city is meant".into());
            } else {
                s += 1.0;
                why.push("a first-level region".into());
            }
        }
        Kind::City => match p.feature {
            Feature::Capital => {
                s += 1.5;
                why.push("a national capital".into());
            }
            Feature::Admin1Seat => {
                s += 1.0;
                why.push("a regional capital".into());
            }
            Feature::Admin2Seat => {
                s += 1.0;
                why.push("a provincial or county seat".into());
            }
            Feature::Section => {
                s -= 1.0;
                why.push("a neighbourhood".into());
            }
            _ => {}
        },
    }
    let pop = 0.5 * ((p.population as f64) + 1.0).log10();
    s += pop;
    why.push(format!("population {}", p.population));
    c.score = s;
    c.reasons = why;
}

/// The longest gazetteer names in a sentence: `(start, end, places)` with token ranges.
fn match_names(g: &Gazetteer, toks: &[Token]) -> Vec<(usize, usize, Vec<Place>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut key = String::new();
    while i < toks.len() {
        let t = &toks[i];
        if t.kind != TokenKind::Word || !t.cap || t.norm.len() < 2 {
            i += 1;
            continue;
        }
        key.clear();
        let mut best: Option<usize> = None;
        let mut j = i;
        while j < toks.len() && j < i + 8 {
            let tj = &toks[j];
            if j > i {
                // inside a name: capitalised words, particles and joiners, no line of spaces
                let joined = tj.start == toks[j - 1].end;
                if !(tj.cap || NAME_PARTICLES.contains(&tj.norm.as_str()) || joined) {
                    break;
                }
                key.push(' ');
            }
            key.push_str(&tj.norm);
            let (exact, longer) = g.probe(&key);
            if exact && (tj.kind == TokenKind::Word && tj.cap) {
                best = Some(j + 1);
            }
            if !longer {
                break;
            }
            j += 1;
        }
        match best {
            Some(end) => {
                let k = toks[i..end].iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ");
                let mut places = g.lookup(&k);
                // "of a place name": a single capitalised word at the start of a sentence only
                // counts as a place if it is a country, a region or a city of 100,000 or more
                if i == 0 && end == 1 {
                    places.retain(|p| p.kind != Kind::City || p.population >= 100_000);
                }
                // an acronym ("CIS", "EU") is not a town's name
                if toks[i].upper && end == i + 1 {
                    places.retain(|p| p.kind == Kind::Country);
                }
                if !places.is_empty() {
                    out.push((i, end, places));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The cue before token `a` that makes it a location, e.g. `"held in"`.
fn locative_cue(toks: &[Token], a: usize) -> Option<String> {
    let mut i = a;
    let mut skipped = 0;
    while i > 0 && skipped < 4 {
        let p = toks[i - 1].norm.as_str();
        if CUES.contains(&p) {
            let mut cue = p.to_string();
            if i >= 2
                && matches!(
                    toks[i - 2].norm.as_str(),
                    "held" | "arrived" | "hosted" | "took" | "met" | "gathered" | "summit" | "talks"
                )
            {
                cue = format!("{} {}", toks[i - 2].norm, cue);
            }
            return Some(cue);
        }
        if p == "to" && i >= 2 && MOTION.contains(&toks[i - 2].norm.as_str()) {
            return Some(format!("{} to", toks[i - 2].norm));
        }
        if BRIDGE.contains(&p) && !(p == "of" && i >= 2 && ACTOR_HEADS.contains(&toks[i - 2].norm.as_str())) {
            i -= 1;
            skipped += 1;
            continue;
        }
        return None;
    }
    None
}

/// A border phrase around mention `k`: returns the cue and the border's name.
fn border(toks: &[Token], text: &str, k: usize, mentions: &[PlaceMention]) -> Option<(String, String)> {
    let m = &mentions[k];
    let is_country = |m: &PlaceMention| m.chosen.is_some_and(|p| p.kind == Kind::Country);
    if !is_country(m) {
        return None;
    }
    let norm = |i: usize| toks.get(i).map(|t| t.norm.as_str()).unwrap_or("");
    // "the X–Y border": X here, joiner, Y, "border"
    let joiner = |i: usize| matches!(norm(i), "-" | "and" | "/");
    let (first, last_end) = if joiner(m.tok_end)
        && k + 1 < mentions.len()
        && mentions[k + 1].tok_start == m.tok_end + 1
        && is_country(&mentions[k + 1])
        && matches!(norm(mentions[k + 1].tok_end), "border" | "borders" | "frontier")
    {
        (m.tok_start, mentions[k + 1].tok_end + 1)
    } else if k > 0
        && joiner(mentions[k - 1].tok_end)
        && mentions[k - 1].tok_end + 1 == m.tok_start
        && is_country(&mentions[k - 1])
        && matches!(norm(m.tok_end), "border" | "borders" | "frontier")
    {
        // the second country of "the X–Y border": the first one carries the location
        return None;
    } else if matches!(norm(m.tok_end), "border" | "borders" | "frontier") {
        (m.tok_start, m.tok_end + 1)
    } else if m.tok_start >= 2
        && matches!(norm(m.tok_start - 1), "with")
        && matches!(norm(m.tok_start - 2), "border" | "borders" | "frontier")
    {
        // "the border with Iran": the cue sits before "the border"
        let b = m.tok_start - 2;
        let cue = locative_cue_border(toks, b)?;
        return Some((cue, text[toks[b].start..m.end].to_string()));
    } else {
        return None;
    };
    let cue = locative_cue_border(toks, first)?;
    Some((cue, text[toks[first].start..toks[last_end - 1].end].to_string()))
}

fn locative_cue_border(toks: &[Token], first: usize) -> Option<String> {
    let norm = |i: usize| toks.get(i).map(|t| t.norm.as_str()).unwrap_or("");
    let mut i = first;
    if i > 0 && norm(i - 1) == "the" {
        i -= 1;
    }
    let p = if i > 0 { norm(i - 1) } else { "" };
    matches!(p, "on" | "at" | "near" | "along" | "across" | "to" | "by").then(|| format!("{p} the ... border"))
}

/// The place where an event happened: among the sentence's locations, the nearest after the
/// trigger (token `trigger`), else the nearest before it.
pub fn event_place(mentions: &[PlaceMention], trigger: usize) -> Option<&PlaceMention> {
    let locs = mentions.iter().filter(|m| m.role == Role::Location && m.chosen.is_some());
    let after = locs.clone().filter(|m| m.tok_start >= trigger).min_by_key(|m| m.tok_start);
    after.or_else(|| locs.filter(|m| m.tok_end <= trigger).max_by_key(|m| m.tok_end))
}

/// GDELT's geo type of a place: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
pub fn geo_type(p: &Place) -> u8 {
    let us = p.country.iso2 == "US";
    match (p.kind, us) {
        (Kind::Country, _) => 1,
        (Kind::Admin1, true) => 2,
        (Kind::City, true) => 3,
        (Kind::City, false) => 4,
        (Kind::Admin1, false) => 5,
    }
}

/// A place as an event's or an actor's [`Location`]: name, ISO alpha-3 country, admin1, FIPS
/// codes, GDELT geo type, GeoNames id and coordinates.
pub fn to_location(p: &Place) -> Location {
    let fips = (!p.country.fips.is_empty()).then(|| p.country.fips.to_string());
    let (admin1, adm1_code) = match (p.kind, p.admin1) {
        (Kind::Country, _) | (_, None) => (None, fips.clone()),
        (_, Some(a)) => (Some(a.name.to_string()), Some(format!("{}{}", p.country.fips, a.code))),
    };
    let mut name = match (p.kind, admin1.as_deref()) {
        (Kind::City, Some(a)) if a != p.name => format!("{}, {}", p.name, a),
        _ => p.name.to_string(),
    };
    if p.kind != Kind::Country {
        if let Some(cp) = Gazetteer::builtin().country_place(p.country) {
            name = format!("{name}, {}", cp.name);
        }
    }
    Location {
        name,
        country: Some(p.country.iso3.to_string()),
        lat: Some(p.lat),
        lon: Some(p.lon),
        admin1,
        adm1_code,
        country_fips: fips,
        geo_type: Some(geo_type(p)),
        feature_id: Some(if p.geonames_id != 0 {
            p.geonames_id.to_string()
        } else if p.kind == Kind::Admin1 {
            format!("{}{}", p.country.fips, p.admin1.map(|a| a.code).unwrap_or(""))
        } else {
            p.country.fips.to_string()
        }),
    }
}

/// The location of a mention: its place, named after the border when it is one.
pub fn mention_location(m: &PlaceMention) -> Option<Location> {
    let p = m.chosen?;
    let mut l = to_location(&p);
    if let Some(b) = &m.border {
        l.name = b.clone();
    }
    Some(l)
}

/// The home of an actor, for GDELT's Actor1Geo/Actor2Geo: the capital when the actor's phrase is
/// one ("Tehran"), else the actor's country (geo type 1, the country's centroid). `None` for
/// organisations and actors with no country.
pub fn actor_home(actor: &dyad_core::Actor) -> Option<Location> {
    let g = Gazetteer::builtin();
    let c = g.country_by_code(actor.country.as_deref()?)?;
    let city = g
        .lookup(&key_of(actor.text.trim()))
        .into_iter()
        .find(|p| p.kind == Kind::City && p.feature == Feature::Capital && p.country.index == c.index);
    let place = city.or_else(|| g.country_place(c))?;
    Some(to_location(&place))
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

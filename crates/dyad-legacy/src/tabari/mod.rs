//! A TABARI-faithful coder: TABARI's own sparse parse and pattern semantics, run on a TABARI
//! project's dictionaries.
//!
//! dyad's generic coder ([`dyad_coder::Coder`]) is tuned for dyad's dictionaries. TABARI's
//! dictionaries rely on TABARI's exact behaviour — stems, connectors, the verb patterns'
//! `$ + % ^`, subordinate-clause deletion, compounds, agents, options — so this engine
//! reproduces it. One text (a record) is one sentence:
//!
//! 1. **Words** ([`words`]): upper-cased words and commas.
//! 2. **Lexical lookup** ([`lexicon`]): the longest actor, agent, verb, noun, adjective or time
//!    phrase at each word. A verb after `A`/`AN`/`THE`, or capitalised inside the sentence, is a
//!    noun.
//! 3. **Actors** (`sentence`): each actor takes its code on the text's date (`[---]`: not an
//!    actor); agents compose with the actor before them (`Arnor's foreign minister` →
//!    `ARNGOVFRM`), or the one after `OF`/`IN` (prefix agents: also right after); actors joined
//!    by commas and conjunctions (with determiners and adjectives) form compounds.
//! 4. **Subordinate clauses**: comma-delimited clauses within the `COMMA:` lengths are deleted,
//!    and the sentence is read again without them.
//! 5. **Pronouns**: `he`, `it`, `they`, `them`... take the first actor of the sentence (or, with
//!    `FORWARD:`, the source of the story's previous sentence).
//! 6. **Coding** (`coder`): conjunctions outside compounds split clauses; in each clause the
//!    first verb whose code is not null is coded (a `?` code, like `SAID [023?]`, only when no
//!    later verb codes); its patterns are matched ([`pattern`]) and the longest match gives the
//!    code and any `$`/`+`/`%` actors; the source defaults to the first actor before the verb,
//!    the target to the first actor after it.
//!
//! [`Tabari::code`] returns the events, or why there are none ([`Outcome`]).

mod coder;
mod document;
pub mod lexicon;
pub mod pattern;
mod sentence;
pub mod settings;
pub mod words;

use crate::convert::Legacy;
use crate::files::{ActorEntry, EventCode};
use chrono::NaiveDate;
use dyad_dict::LoadError;
use lexicon::{Lexicon, Marker, Sense};
pub use settings::{CodeBy, CommaLimits, DefaultCode, Settings};
use words::Endings;

/// The longest sentence coded, in words. TABARI rejects records that overflow its buffers as
/// too complex; dyad does the same past this length, which also bounds the work per sentence.
pub const MAX_WORDS: usize = 250;

/// An event code as TABARI applies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VCode {
    /// `[---]`: match, but code nothing (the next verb is tried).
    Null,
    /// `[###]`: discard the sentence.
    Discard,
    /// `[+++]`: the sentence is too complex to code.
    Complex,
    One(String),
    /// `[A:B]`: A from source to target, B back.
    Paired(String, String),
    /// PETRARCH `[:B]`: B from target to source.
    Reverse(String),
}

impl VCode {
    /// The code of a dictionary line, and its flags: `?` (subordinate: coded only when no later
    /// verb codes) and `!` (dominant: with `CODE ALL`, the only verb coded).
    fn from_event(c: &EventCode) -> (VCode, bool, bool) {
        let strip = |s: &str| -> (String, bool, bool) {
            let sub = s.contains('?');
            let dom = s.contains('!');
            (s.trim_end_matches(['?', '!']).to_string(), sub, dom)
        };
        match c {
            EventCode::Null => (VCode::Null, false, false),
            EventCode::Discard => (VCode::Discard, false, false),
            EventCode::One(s) if s == "+++" => (VCode::Complex, false, false),
            EventCode::One(s) => {
                let (s, sub, dom) = strip(s);
                (VCode::One(s), sub, dom)
            }
            EventCode::Paired(a, b) => {
                let (a, sub, dom) = strip(a);
                (VCode::Paired(a, strip(b).0), sub, dom)
            }
            EventCode::Reverse(b) => (VCode::Reverse(strip(b).0), false, false),
        }
    }
}

/// A verb pattern ready to match.
#[derive(Clone, Debug)]
struct Pat {
    split: pattern::Split,
    code: VCode,
}

/// A verb root with its forms and patterns.
#[derive(Clone, Debug)]
struct Root {
    code: VCode,
    subordinate: bool,
    dominant: bool,
    patterns: Vec<Pat>,
}

/// An agent: its code and whether it goes before the actor's (`[NGO~]`).
#[derive(Clone, Debug)]
struct Agent {
    code: String,
    prefix: bool,
}

/// One coded event. Spans are byte offsets in the coded text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub source: String,
    pub target: String,
    pub code: String,
    /// The verb phrase.
    pub trigger: [usize; 2],
    /// The source's words (none for a default, forwarded or split-off code).
    pub source_span: Option<[usize; 2]>,
    pub target_span: Option<[usize; 2]>,
}

/// What coding one text gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The events (possibly none).
    Events(Vec<Event>),
    /// A `[###]` code was met: the sentence is discarded.
    Discard,
    /// A `[+++]` code or a `COMPLEX:` limit was met: the sentence is not coded.
    Complex,
    /// Fewer words than `SET: MINIMUM WORDS`.
    TooShort,
}

impl Outcome {
    /// The events (none unless [`Outcome::Events`]).
    pub fn events(&self) -> &[Event] {
        match self {
            Outcome::Events(e) => e,
            _ => &[],
        }
    }
}

/// Between the sentences of a story: the actor a pronoun with no antecedent takes when
/// `FORWARD:` is on.
#[derive(Clone, Debug, Default)]
pub struct Forward {
    story: String,
    /// The source of the story's latest sentence with an explicit source.
    current: Option<String>,
    /// The story's first explicit source: a sentence whose source was itself forwarded passes
    /// this one on (TABARI's "secondary forwarding goes back to the original").
    original: Option<String>,
}

impl Forward {
    /// Start `story` (a new story forgets the last one's actors).
    pub fn enter(&mut self, story: &str) {
        if self.story != story {
            *self = Forward { story: story.to_string(), ..Default::default() };
        }
    }
}

/// The engine: a TABARI project's dictionaries, indexed, and the options its files set.
#[derive(Clone, Debug)]
pub struct Tabari {
    lexicon: Lexicon,
    actors: Vec<ActorEntry>,
    agents: Vec<Agent>,
    roots: Vec<Root>,
    /// The settings after the project's options files.
    pub settings: Settings,
}

impl Tabari {
    /// Index `legacy`'s dictionaries and apply its options files. The second value lists what
    /// could not be taken (a pattern that cannot be read, an option dyad does not apply).
    pub fn new(legacy: &Legacy) -> (Tabari, Vec<LoadError>) {
        let mut notes = Vec::new();
        let mut lexicon = Lexicon::default();
        let mut actors = Vec::new();
        for (_, d) in &legacy.actors {
            for e in &d.entries {
                for p in &e.phrases {
                    lexicon.add(p, Sense::Actor(actors.len()), Endings::Noun);
                }
                actors.push(e.clone());
            }
        }
        let mut agents = Vec::new();
        for (_, d) in &legacy.agents {
            for a in &d.entries {
                for p in &a.phrases {
                    lexicon.add(p, Sense::Agent(agents.len()), Endings::Noun);
                }
                agents.push(Agent { code: a.code.clone(), prefix: a.prefix });
            }
        }
        for (_, d) in &legacy.actors {
            for (class, w) in &d.words {
                match class.as_str() {
                    "NOUN" => lexicon.add(w, Sense::Noun, Endings::Noun),
                    "ADJECTIVE" => lexicon.add(w, Sense::Adjective, Endings::Noun),
                    _ => {}
                }
            }
        }
        let mut roots = Vec::new();
        let mut has_times = false;
        for (file, d) in &legacy.verbs {
            for t in &d.times {
                has_times = true;
                let marker = match t.shift.trim() {
                    "###" => Marker::Discard,
                    "+++" => Marker::Complex,
                    _ => continue,
                };
                if !t.phrase.contains('*') {
                    lexicon.add(&t.phrase, Sense::Time(marker), Endings::None);
                }
            }
            for b in &d.verbs {
                let (code, subordinate, dominant) = VCode::from_event(&b.code);
                let mut patterns = Vec::new();
                for p in &b.patterns {
                    let parsed = pattern::parse(&p.text, &d.synsets).map_err(|e| e.to_string());
                    match parsed.and_then(|els| pattern::split(els).ok_or_else(|| "no `*`".to_string())) {
                        Ok(split) => patterns.push(Pat { split, code: VCode::from_event(&p.code).0 }),
                        Err(e) => notes.push(LoadError {
                            file: file.clone(),
                            line: p.origin.rsplit(':').next().and_then(|n| n.parse().ok()),
                            reason: format!("pattern `{}` not used: {e}", p.text),
                        }),
                    }
                }
                let idx = roots.len();
                for v in &b.verbs {
                    for form in std::iter::once(&v.word).chain(&v.forms) {
                        lexicon.add(form, Sense::Verb(idx), Endings::Verb);
                    }
                }
                roots.push(Root { code, subordinate, dominant, patterns });
            }
        }
        let mut settings = Settings { time_shift: has_times, ..Settings::default() };
        for (file, o) in &legacy.options {
            for (k, v, line) in &o.commands {
                if let Err(e) = settings.apply(k, v) {
                    notes.push(LoadError { file: file.clone(), line: Some(*line), reason: e });
                }
            }
        }
        (Tabari { lexicon, actors, agents, roots, settings }, notes)
    }

    /// Code one text (a TABARI record: one sentence) dated `date` under `settings`. `forward`
    /// carries the story's actors from sentence to sentence when `FORWARD:` is on.
    pub fn code(&self, text: &str, date: Option<NaiveDate>, settings: &Settings, forward: &mut Forward) -> Outcome {
        let toks = words::tokenize(text);
        let n = toks.iter().filter(|t| !t.comma).count();
        if n < settings.min_words {
            return Outcome::TooShort;
        }
        if n > MAX_WORDS {
            return Outcome::Complex;
        }
        let fwd = if settings.forward { forward.current.clone() } else { None };
        let (outcome, source) = self.code_tokens(toks, date, settings, fwd.as_deref());
        if settings.forward {
            match source {
                Some((code, false)) => {
                    forward.original.get_or_insert_with(|| code.clone());
                    forward.current = Some(code);
                }
                Some((_, true)) => forward.current = forward.original.clone(),
                None => {}
            }
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Tabari {
        let mut l = Legacy { tabari_verbs: true, ..Default::default() };
        let actors = "ARNOR [ARN]\nGONDOR [GON]\nOSGILIATH [OSG]\nERIADOR [ERI]\n";
        let verbs = "RESTOR  [064]\n- * TIES [065]\nLEFT_ [032:033]\nSAID [023?]\nREGRET [111]\n- SAID $ * [113]\n";
        let agents = "FOREIGN_MINISTER_ [~GOVFRM]\n";
        assert!(l.add_text("t.actors", actors).is_empty());
        assert!(l.add_text("t.verbs", verbs).is_empty());
        assert!(l.add_text("t.agents", agents).is_empty());
        Tabari::new(&l).0
    }

    fn code(e: &Tabari, text: &str) -> Vec<(String, String, String)> {
        let mut f = Forward::default();
        let s = Settings { min_words: 0, ..e.settings.clone() };
        e.code(text, None, &s, &mut f)
            .events()
            .iter()
            .map(|e| (e.source.clone(), e.target.clone(), e.code.clone()))
            .collect()
    }

    fn t(s: &str, t: &str, c: &str) -> (String, String, String) {
        (s.into(), t.into(), c.into())
    }

    #[test]
    fn codes_patterns_agents_pairs_and_pronouns() {
        let e = engine();
        assert_eq!(
            code(&e, "Arnor's foreign minister will restore full ties with Gondor"),
            [t("ARNGOVFRM", "GON", "065")]
        );
        assert_eq!(code(&e, "Arnor left for Gondor on Monday"), [t("ARN", "GON", "032"), t("GON", "ARN", "033")]);
        assert_eq!(code(&e, "Arnor said he regretted Osgiliath's move"), [t("ARN", "OSG", "113")]);
        assert_eq!(
            code(&e, "Arnor and Eriador will restore relations with Gondor"),
            [t("ARN", "GON", "064"), t("ERI", "GON", "064")]
        );
        // a comma-delimited clause is subordinate: Osgiliath is not the target
        assert!(code(&e, "Arnor, which Osgiliath praised, will restore relations").is_empty());
    }
}

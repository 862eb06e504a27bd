//! Dictionaries: what dyad knows about actors and events, kept as data files.
//!
//! The coder reads dictionaries through two narrow traits, [`ActorDictionary`] and
//! [`EventDictionary`], in the spirit of ripgrep's `grep-matcher`: the coder does not care where an
//! entry came from. dyad's own formats (documented in `docs/dictionaries.md`) load into
//! [`ActorTable`] and [`EventTable`], which implement the traits; importers for other formats
//! (TABARI, PETRARCH2) fill the same tables.
//!
//! ```
//! use dyad_dict::ActorDictionary;
//! let (dicts, errors) = dyad_dict::Dictionaries::builtin();
//! assert!(errors.is_empty(), "{errors:?}");
//! let toks = dyad_text::tokenize("Azerbaijani Foreign Minister");
//! let (len, hits) = dicts.actors.lookup(&toks, 0, false).unwrap();
//! assert_eq!(len, 1); // "Azerbaijani"
//! assert!(matches!(hits[0], dyad_dict::ActorHit::Polity { .. }));
//! ```

pub mod actors;
pub mod discard;
pub mod events;
pub mod filter;
pub mod phrase;

pub use actors::{ActorHit, ActorTable, Form, Person, Polity, PolityKind, Role, Term};
pub use discard::{Discards, Scope};
pub use events::{Elem, EventTable, Rule, Trigger, TriggerForm, TriggerKind};
pub use filter::WordSet;
pub use phrase::{word_matches, PhraseIndex};

use dyad_text::Token;
use std::fmt;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// A line (or file) a loader could not take, and why.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct LoadError {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl LoadError {
    pub fn line(file: &str, line: usize, reason: String) -> Self {
        LoadError { file: file.to_string(), line: Some(line), reason }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.file, l, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// What a loader read: how many entries, and the lines it could not take.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub entries: usize,
    pub errors: Vec<LoadError>,
}

/// Actor lookups, as the coder needs them.
pub trait ActorDictionary: Send + Sync {
    /// The longest actor phrase starting at `tokens[at]`: its length in tokens and every entry it
    /// names (a surname may name two people; the event date picks). `relax_case` ignores
    /// capitalisation rules (all-capitals headlines).
    fn lookup(&self, tokens: &[Token], at: usize, relax_case: bool) -> Option<(usize, Vec<ActorHit>)>;
    fn polity(&self, id: usize) -> &Polity;
    fn person(&self, id: usize) -> &Person;
    fn role(&self, id: usize) -> &Role;
}

/// Trigger lookups, as the coder needs them.
pub trait EventDictionary: Send + Sync {
    /// The longest trigger form starting at `tokens[at]`, with its length in tokens.
    fn lookup(&self, tokens: &[Token], at: usize) -> Option<(usize, Vec<TriggerForm>)>;
    fn trigger(&self, id: usize) -> &Trigger;
    /// The rules of trigger `id` worth trying on a sentence with the words `words`: their
    /// indices, appended to `out` in rule order. A rule may be left out only if it cannot match
    /// there, because some literal has no alternative whose words all may occur; the coder tries
    /// only the rules listed. This default tests each rule with [`WordSet::may_match`]; a table
    /// with many rules per trigger can answer from literals compiled once, as [`EventTable`] does.
    fn candidate_rules(&self, id: usize, words: &WordSet, out: &mut Vec<usize>) {
        let rules = &self.trigger(id).rules;
        out.extend(rules.iter().enumerate().filter(|(_, r)| words.may_match(r)).map(|(i, _)| i));
    }
}

impl ActorDictionary for ActorTable {
    fn lookup(&self, tokens: &[Token], at: usize, relax_case: bool) -> Option<(usize, Vec<ActorHit>)> {
        self.index.longest(tokens, at, relax_case).map(|(n, v)| (n, v.into_iter().copied().collect()))
    }
    fn polity(&self, id: usize) -> &Polity {
        &self.polities[id]
    }
    fn person(&self, id: usize) -> &Person {
        &self.people[id]
    }
    fn role(&self, id: usize) -> &Role {
        &self.roles[id]
    }
}

impl EventDictionary for EventTable {
    fn lookup(&self, tokens: &[Token], at: usize) -> Option<(usize, Vec<TriggerForm>)> {
        self.index.longest(tokens, at, false).map(|(n, v)| (n, v.into_iter().copied().collect()))
    }
    fn trigger(&self, id: usize) -> &Trigger {
        &self.triggers[id]
    }
    fn candidate_rules(&self, id: usize, words: &WordSet, out: &mut Vec<usize>) {
        EventTable::candidate_rules(self, id, words, out)
    }
}

/// A complete set of dictionaries: actors, events, and the phrases that discard text.
#[derive(Clone, Debug, Default)]
pub struct Dictionaries {
    pub actors: ActorTable,
    pub events: EventTable,
    /// Discard lists (imported from TABARI / PETRARCH2; dyad's own files have none).
    pub discards: Discards,
}

impl Dictionaries {
    /// The dictionaries built into the binary (`dictionaries/` of the source tree).
    pub fn builtin() -> (Self, Vec<LoadError>) {
        let mut d = Dictionaries::default();
        let mut errors = Vec::new();
        for (name, text) in BUILTIN_FILES {
            errors.extend(d.load_file(&format!("builtin:{name}"), name, text).errors);
        }
        (d, errors)
    }

    /// Load one file, choosing the format from its name: `*.verbs` event patterns,
    /// `people*.tsv` people, `roles*.tsv` role words, any other `.tsv` states and organisations.
    pub fn load_file(&mut self, label: &str, name: &str, text: &str) -> Loaded {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.ends_with(".verbs") {
            self.events.load_verbs(label, text)
        } else if base.starts_with("people") {
            self.actors.load_people(label, text)
        } else if base.starts_with("roles") {
            self.actors.load_roles(label, text)
        } else if base == "cameo.tsv" {
            Loaded::default()
        } else if base.ends_with(".tsv") {
            self.actors.load_polities(label, text)
        } else {
            Loaded {
                entries: 0,
                errors: vec![LoadError {
                    file: label.into(),
                    line: None,
                    reason: "unknown dictionary file type (expected .tsv or .verbs)".into(),
                }],
            }
        }
    }

    /// Load every dictionary file in a folder (and its `actors/` and `events/` subfolders).
    pub fn load_dir(&mut self, dir: &Path) -> Vec<LoadError> {
        let mut errors = Vec::new();
        let mut files = Vec::new();
        for d in [dir.to_path_buf(), dir.join("actors"), dir.join("events")] {
            if let Ok(rd) = std::fs::read_dir(&d) {
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_file() && matches!(p.extension().and_then(|x| x.to_str()), Some("tsv" | "verbs")) {
                        files.push(p);
                    }
                }
            }
        }
        if files.is_empty() {
            errors.push(LoadError {
                file: dir.display().to_string(),
                line: None,
                reason: "no dictionary files (.tsv, .verbs) found".into(),
            });
        }
        files.sort();
        for p in files {
            let label = p.display().to_string();
            match std::fs::read_to_string(&p) {
                Ok(text) => errors.extend(self.load_file(&label, &label, &text).errors),
                Err(e) => errors.push(LoadError { file: label, line: None, reason: e.to_string() }),
            }
        }
        errors
    }
}

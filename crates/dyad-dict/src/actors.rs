//! Actor dictionaries: states, territories, organisations, people with terms, role words.

use crate::phrase::PhraseIndex;
use crate::{LoadError, Loaded};
use chrono::NaiveDate;

/// A state, territory or international organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Polity {
    /// ISO alpha-3 for states and territories, the short id for organisations.
    pub code: String,
    pub kind: PolityKind,
    /// The first listed name, used for display.
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolityKind {
    Country,
    Territory,
    Org,
}

/// How a polity was named in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// "Azerbaijan", "the European Union"
    Name,
    /// "Azerbaijani", "Iranians"
    Adjective,
    /// "Baku", "the Kremlin": a seat of power standing for the polity (or a place).
    Metonym,
}

/// One term of office of a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub country: Option<String>,
    pub org: Option<String>,
    pub sector: String,
    pub title: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A person the dictionary knows, with every term listed for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub name: String,
    pub terms: Vec<Term>,
}

impl Person {
    /// The term that applies on `date`: the one containing it, else the closest one; without a
    /// date, the current (open-ended) term, else the latest.
    pub fn term_at(&self, date: Option<NaiveDate>) -> &Term {
        let Some(d) = date else {
            return self
                .terms
                .iter()
                .find(|t| t.to.is_none())
                .or_else(|| self.terms.iter().max_by_key(|t| t.to))
                .unwrap_or(&self.terms[0]);
        };
        let distance = |t: &Term| -> i64 {
            if t.from.is_some_and(|f| d < f) {
                (t.from.unwrap() - d).num_days()
            } else if t.to.is_some_and(|e| d > e) {
                (d - t.to.unwrap()).num_days()
            } else {
                0
            }
        };
        self.terms.iter().min_by_key(|t| distance(t)).unwrap_or(&self.terms[0])
    }

    /// Whether the person held any listed office on `date`.
    pub fn in_office(&self, date: NaiveDate) -> bool {
        self.terms.iter().any(|t| t.from.is_none_or(|f| f <= date) && t.to.is_none_or(|e| date <= e))
    }
}

/// A role word ("foreign minister", "army") and its sector code.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub phrase: String,
    pub sector: String,
    /// The one state a body of this name belongs to ("Knesset": ISR, "Milli Majlis": AZE), which
    /// the role's phrase takes when no other state or organisation is named with it.
    pub country: Option<String>,
}

/// What one dictionary phrase refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorHit {
    Polity { id: usize, form: Form },
    Person { id: usize },
    Role { id: usize },
}

/// The actor dictionary in memory: every entry, and a phrase index over all their names.
#[derive(Clone, Debug, Default)]
pub struct ActorTable {
    pub polities: Vec<Polity>,
    pub people: Vec<Person>,
    pub roles: Vec<Role>,
    pub index: PhraseIndex<ActorHit>,
}

fn alts(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|e| format!("bad date {s:?}: {e}"))
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r'))).filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

impl ActorTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Look up a polity by code.
    pub fn polity_by_code(&self, code: &str) -> Option<&Polity> {
        self.polities.iter().find(|p| p.code == code)
    }

    /// Load a polity file (`countries.tsv`, `orgs.tsv`): `code type names adjectives metonyms`.
    pub fn load_polities(&mut self, file: &str, text: &str) -> Loaded {
        let mut out = Loaded::default();
        for (line, l) in data_lines(text) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 3 {
                out.errors.push(LoadError::line(
                    file,
                    line,
                    format!("expected 5 tab-separated columns, found {}", f.len()),
                ));
                continue;
            }
            let kind = match f[1].trim() {
                "country" => PolityKind::Country,
                "territory" => PolityKind::Territory,
                "org" => PolityKind::Org,
                other => {
                    out.errors.push(LoadError::line(
                        file,
                        line,
                        format!("unknown type {other:?} (country, territory or org)"),
                    ));
                    continue;
                }
            };
            let code = f[0].trim().to_string();
            let name = alts(f[2]).next().unwrap_or(&code).to_string();
            let id = match self.polities.iter().position(|p| p.code == code) {
                Some(id) => id,
                None => {
                    self.polities.push(Polity { code: code.clone(), kind, name });
                    self.polities.len() - 1
                }
            };
            let columns = [(2, Form::Name), (3, Form::Adjective), (4, Form::Metonym)];
            for (col, form) in columns {
                if let Some(field) = f.get(col) {
                    for phrase in alts(field) {
                        self.index.insert(phrase, true, ActorHit::Polity { id, form });
                        out.entries += 1;
                    }
                }
            }
            // the code itself names the polity when written in capitals ("AZE" is rare, "NATO" common)
            if kind == PolityKind::Org {
                self.index.insert(&code, true, ActorHit::Polity { id, form: Form::Name });
            }
        }
        out
    }

    /// Load a people file: `name aliases country sector title from to`.
    pub fn load_people(&mut self, file: &str, text: &str) -> Loaded {
        let mut out = Loaded::default();
        for (line, l) in data_lines(text) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 6 {
                out.errors.push(LoadError::line(
                    file,
                    line,
                    format!("expected 7 tab-separated columns, found {}", f.len()),
                ));
                continue;
            }
            let (from, to) = match (parse_date(f[5]), parse_date(f.get(6).copied().unwrap_or(""))) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => {
                    out.errors.push(LoadError::line(file, line, e));
                    continue;
                }
            };
            let title = f[4].trim().to_string();
            let country = Some(f[2].trim().to_string()).filter(|s| !s.is_empty());
            let org = if country.is_none() {
                title.rfind('(').and_then(|i| title[i + 1..].strip_suffix(')')).map(|s| s.trim().to_string())
            } else {
                None
            };
            if country.is_none() && org.is_none() {
                out.errors.push(LoadError::line(
                    file,
                    line,
                    "no country and no \"(ORG)\" at the end of the title".into(),
                ));
                continue;
            }
            let term = Term { country, org, sector: f[3].trim().to_string(), title, from, to };
            let name = f[0].trim().to_string();
            let id = match self.people.iter().position(|p| p.name == name) {
                Some(id) => {
                    self.people[id].terms.push(term);
                    id
                }
                None => {
                    self.people.push(Person { name: name.clone(), terms: vec![term] });
                    self.people.len() - 1
                }
            };
            self.index.insert(&name, true, ActorHit::Person { id });
            for a in alts(f[1]) {
                self.index.insert(a, true, ActorHit::Person { id });
            }
            out.entries += 1;
        }
        out
    }

    /// Load a roles file: `phrase sector forms [country]`.
    pub fn load_roles(&mut self, file: &str, text: &str) -> Loaded {
        let mut out = Loaded::default();
        for (line, l) in data_lines(text) {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 2 || f[1].trim().is_empty() {
                out.errors.push(LoadError::line(
                    file,
                    line,
                    "expected `phrase<TAB>sector[<TAB>forms[<TAB>country]]`".into(),
                ));
                continue;
            }
            let country = f.get(3).map(|c| c.trim()).filter(|c| !c.is_empty());
            if let Some(c) = country.filter(|c| c.len() != 3 || !c.chars().all(|x| x.is_ascii_uppercase())) {
                out.errors.push(LoadError::line(file, line, format!("country {c:?} is not an ISO 3166 alpha-3 code")));
                continue;
            }
            let phrase = f[0].trim().to_string();
            let id = self.roles.len();
            self.roles.push(Role {
                phrase: phrase.clone(),
                sector: f[1].trim().to_string(),
                country: country.map(str::to_string),
            });
            // Role words match in any case, except acronyms written in capitals (FM, MPs).
            let insert = |ix: &mut PhraseIndex<ActorHit>, p: &str| {
                let acronym = p.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && p.chars().filter(|c| c.is_alphabetic()).take(2).all(|c| c.is_uppercase());
                ix.insert(p, acronym, ActorHit::Role { id });
            };
            insert(&mut self.index, &phrase);
            if let Some(forms) = f.get(2) {
                for a in alts(forms) {
                    insert(&mut self.index, a);
                }
            }
            out.entries += 1;
        }
        out
    }
}

//! Reading one sentence: lexical items, actor units (agents composed, compounds joined),
//! subordinate comma clauses, pronouns and clauses.

use super::lexicon::{Marker, Sense};
use super::settings::{CommaLimits, Settings};
use super::words::{aligned_contains, Tok};
use super::{Tabari, VCode};
use chrono::NaiveDate;
use std::collections::HashSet;

const DETERMINERS: &[&str] = &["A", "AN", "THE"];
/// Conjunctions that join actors into a compound.
const COMPOUND_CONJ: &[&str] = &["AND", "OR", "NOR"];
/// Conjunctions that split clauses (outside compounds).
const CLAUSE_CONJ: &[&str] = &["AND", "OR", "NOR", "BUT"];
/// Pronouns that take an antecedent actor (possessive `ITS`/`HIS` are left alone).
const PRONOUNS: &[&str] = &["HE", "SHE", "IT", "THEY", "HIM", "HER", "THEM", "THEIR"];

/// A phrase found in the sentence and the words it covers.
#[derive(Clone, Debug)]
pub(super) struct Item {
    pub sense: Sense,
    pub toks: Vec<usize>,
}

/// An actor as coding sees it: one actor with its agents, a compound of several, or a
/// pronoun standing for one.
#[derive(Clone, Debug, Default)]
pub(super) struct Unit {
    /// The codes, one per actor (a compound or an `ELR/GAL` code has several).
    pub members: Vec<String>,
    /// The first actor's code before agents were added (what `FORWARD:` passes on).
    pub base: String,
    pub toks: Vec<usize>,
    pub first: usize,
    pub last: usize,
    /// Coded `[+++]`: using it makes the sentence complex.
    pub complex: bool,
    pub pronoun: bool,
    /// A pronoun that took the previous sentence's actor.
    pub forwarded: bool,
    agents: Vec<(String, bool)>,
}

impl Unit {
    pub fn is_compound(&self) -> bool {
        self.members.len() > 1
    }
}

/// A sentence read.
#[derive(Clone, Debug)]
pub(super) struct Analysis {
    pub toks: Vec<Tok>,
    pub items: Vec<Item>,
    pub item_of: Vec<Option<usize>>,
    pub units: Vec<Unit>,
    pub unit_of: Vec<Option<usize>>,
    /// Commas and conjunctions that join a compound (not clause boundaries).
    pub link: Vec<bool>,
    /// A `[###]` actor, verb or time phrase is present.
    pub discard: bool,
    /// A `[+++]` time phrase is present.
    pub complex: bool,
}

impl Analysis {
    fn free_word(&self, t: usize, words: &[&str]) -> bool {
        self.item_of[t].is_none() && words.contains(&self.toks[t].text.as_str())
    }

    /// The verbs (root, first word, last word) in sentence order.
    pub fn verbs(&self) -> Vec<(usize, usize, usize)> {
        let mut v: Vec<(usize, usize, usize)> = self
            .items
            .iter()
            .filter_map(|it| match it.sense {
                Sense::Verb(r) => Some((r, it.toks[0], *it.toks.last().unwrap_or(&it.toks[0]))),
                _ => None,
            })
            .collect();
        v.sort_by_key(|x| x.1);
        v
    }

    fn rebuild_unit_of(&mut self) {
        self.units.sort_by_key(|u| u.first);
        self.unit_of = vec![None; self.toks.len()];
        for (i, u) in self.units.iter().enumerate() {
            for &t in &u.toks {
                self.unit_of[t] = Some(i);
            }
        }
    }

    fn sense_at(&self, t: usize) -> Option<Sense> {
        self.item_of[t].map(|i| self.items[i].sense)
    }

    /// Whether the conjunction at `t` joins two adjectives ("awful and evil") or two nouns,
    /// the second perhaps with modifiers ("sheep and evil awful goats"): such a conjunction
    /// does not start a clause.
    fn joins_like_words(&self, t: usize) -> bool {
        let Some(left) = t.checked_sub(1).and_then(|l| self.sense_at(l)) else { return false };
        let right = |skip_modifiers: bool| {
            let mut p = t + 1;
            while skip_modifiers
                && p < self.toks.len()
                && (self.sense_at(p) == Some(Sense::Adjective) || self.free_word(p, DETERMINERS))
            {
                p += 1;
            }
            if p < self.toks.len() {
                self.sense_at(p)
            } else {
                None
            }
        };
        match left {
            Sense::Adjective => right(false) == Some(Sense::Adjective),
            Sense::Noun => right(true) == Some(Sense::Noun),
            _ => false,
        }
    }

    /// Add a unit for each pronoun: the sentence's first actor before it, else `forward`.
    pub fn add_pronouns(&mut self, forward: Option<&str>) {
        let mut new = Vec::new();
        for t in 0..self.toks.len() {
            if self.unit_of[t].is_some() || !self.free_word(t, PRONOUNS) {
                continue;
            }
            let antecedent = self.units.iter().filter(|u| !u.pronoun && u.first < t).min_by_key(|u| u.first);
            let mut u = match (antecedent, forward) {
                (Some(a), _) => Unit { forwarded: false, ..a.clone() },
                (None, Some(f)) => {
                    Unit { members: vec![f.to_string()], base: f.to_string(), forwarded: true, ..Default::default() }
                }
                (None, None) => continue,
            };
            u.toks = vec![t];
            u.first = t;
            u.last = t;
            u.pronoun = true;
            new.push(u);
        }
        self.units.extend(new);
        self.rebuild_unit_of();
    }

    /// The clauses (word ranges between conjunctions outside compounds) and how many such
    /// conjunctions there are. With `whole`, the sentence is one clause.
    pub fn clauses(&self, whole: bool) -> (Vec<(usize, usize)>, usize) {
        let n = self.toks.len();
        let splitters: Vec<usize> = (0..n)
            .filter(|&t| !self.link[t] && self.unit_of[t].is_none() && self.free_word(t, CLAUSE_CONJ))
            .filter(|&t| !self.joins_like_words(t))
            .collect();
        if whole {
            return (vec![(0, n)], splitters.len());
        }
        let mut out = Vec::new();
        let mut lo = 0;
        for &s in &splitters {
            out.push((lo, s));
            lo = s + 1;
        }
        out.push((lo, n));
        (out, splitters.len())
    }

    /// The words of subordinate comma-delimited clauses, by `limits` (lengths in lexical
    /// items: an actor or verb phrase counts once). A clause opened by a comma that joins a
    /// compound ("Mordor, Rohan, Fornost and Bree") is not subordinate.
    pub fn subordinate(&self, limits: &CommaLimits) -> Vec<bool> {
        let n = self.toks.len();
        let commas: Vec<usize> = (0..n).filter(|&t| self.toks[t].comma).collect();
        let size = |lo: usize, hi: usize| {
            let mut seen = HashSet::new();
            (lo..hi)
                .filter(|&t| !self.toks[t].comma)
                .filter(|&t| match self.item_of[t] {
                    Some(i) => seen.insert(i),
                    None => true,
                })
                .count()
        };
        let mut del = vec![false; n];
        let mut i = 0;
        while i + 1 < commas.len() {
            let (p, q) = (commas[i], commas[i + 1]);
            let s = size(p + 1, q);
            if !self.link[p] && s >= limits.min && s <= limits.max {
                del[p..=q].iter_mut().for_each(|d| *d = true);
                i += 2;
            } else {
                i += 1;
            }
        }
        let left: Vec<usize> = commas.iter().copied().filter(|&t| !del[t]).collect();
        if let Some(&f) = left.first().filter(|&&f| !self.link[f]) {
            let s = size(0, f);
            if s >= limits.bmin && s <= limits.bmax {
                del[..=f].iter_mut().for_each(|d| *d = true);
            }
        }
        if let Some(&l) = left.last().filter(|&&l| !self.link[l] && !del[l]) {
            let s = size(l + 1, n);
            if s >= limits.emin && s <= limits.emax {
                del[l..].iter_mut().for_each(|d| *d = true);
            }
        }
        del
    }
}

/// How a gap between two actors reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    Comma,
    Conj,
    /// A determiner or adjective.
    Modifier,
    Other,
}

/// A link between two members of a compound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    /// Holds a conjunction (`and`, `, and`).
    Conj,
    /// A comma alone.
    Comma,
    /// Modifiers only, inside one conjunct (`the evil Arnor awful Gondor`, `Arnor's Elrond`).
    Within,
}

fn compose(code: &str, agents: &[(String, bool)]) -> String {
    let mut c = code.to_string();
    for (a, prefix) in agents {
        if aligned_contains(&c, a) {
            continue;
        }
        if *prefix {
            c = format!("{a}{c}");
        } else {
            c.push_str(a);
        }
    }
    c
}

impl Tabari {
    /// Read a sentence's words into items and actor units.
    pub(super) fn analyse(&self, toks: Vec<Tok>, date: Option<NaiveDate>, st: &Settings) -> Analysis {
        let n = toks.len();
        let mut taken = vec![false; n];
        let mut items: Vec<Item> = Vec::new();
        let mut item_of = vec![None; n];
        for i in 0..n {
            if taken[i] || toks[i].comma {
                continue;
            }
            if let Some((sense, covered)) = self.lexicon.longest(&toks, i, &taken) {
                for &c in &covered {
                    taken[c] = true;
                    item_of[c] = Some(items.len());
                }
                items.push(Item { sense, toks: covered });
            }
        }
        let mut a = Analysis {
            toks,
            items,
            item_of,
            units: Vec::new(),
            unit_of: vec![None; n],
            link: vec![false; n],
            discard: false,
            complex: false,
        };
        // markers, and verbs read as nouns
        let all_caps = a.toks.iter().filter(|t| !t.comma).all(|t| t.cap);
        for i in 0..a.items.len() {
            match a.items[i].sense {
                Sense::Verb(r) => {
                    if self.roots[r].code == VCode::Discard {
                        a.discard = true;
                    }
                    let f = a.items[i].toks[0];
                    let det = f > 0 && a.free_word(f - 1, DETERMINERS);
                    let capital = a.toks[f].cap && !a.toks[f].first && !all_caps;
                    if det || capital {
                        a.items[i].sense = Sense::Noun;
                    }
                }
                Sense::Time(Marker::Discard) if st.time_shift => a.discard = true,
                Sense::Time(Marker::Complex) if st.time_shift => a.complex = true,
                _ => {}
            }
        }
        self.build_units(&mut a, date, st);
        self.join_compounds(&mut a);
        a
    }

    fn build_units(&self, a: &mut Analysis, date: Option<NaiveDate>, st: &Settings) {
        let n = a.toks.len();
        let mut units: Vec<Unit> = Vec::new();
        let mut unit_at: Vec<Option<usize>> = vec![None; n];
        for it in &a.items {
            let Sense::Actor(x) = it.sense else { continue };
            let Some(dc) = self.actors[x].applicable(date) else { continue };
            let (members, complex) = match (&dc.code, dc.marker.as_deref()) {
                (Some(c), _) => (c.split('/').map(String::from).collect::<Vec<_>>(), false),
                (None, Some("+++")) => (vec!["+++".to_string()], true),
                (None, Some("###")) => {
                    a.discard = true;
                    continue;
                }
                _ => continue,
            };
            for &t in &it.toks {
                unit_at[t] = Some(units.len());
            }
            let (first, last) = (it.toks[0], *it.toks.last().unwrap_or(&it.toks[0]));
            units.push(Unit {
                base: members[0].clone(),
                members,
                toks: it.toks.clone(),
                first,
                last,
                complex,
                ..Default::default()
            });
        }
        let mut alive = vec![true; units.len()];
        let is = |t: usize, w: &str| a.item_of[t].is_none() && a.toks[t].text == w;
        for it in &a.items {
            let Sense::Agent(g) = it.sense else { continue };
            let agent = &self.agents[g];
            let (f, l) = (it.toks[0], *it.toks.last().unwrap_or(&it.toks[0]));
            // neighbours in the text as written (a deleted clause between separates them)
            let adjacent = |x: usize, y: usize| a.toks[x].before(&a.toks[y]);
            let prev = |t: usize| t.checked_sub(1).filter(|&p| adjacent(p, t));
            let next = |t: usize| Some(t + 1).filter(|&p| p < n && adjacent(t, p));
            let mut former = prev(f).is_some_and(|p| is(p, "FORMER"));
            let left = {
                let p = if former { prev(f).and_then(prev) } else { prev(f) };
                p.and_then(|p| unit_at[p])
            };
            let mut p = next(l);
            if let Some(q) = p.filter(|&q| is(q, "FORMER")) {
                former = true;
                p = next(q);
            }
            let right = p.and_then(|p| unit_at[p]);
            let via = {
                let mut p = l + 1;
                if p < n && (is(p, "OF") || is(p, "IN")) {
                    p += 1;
                    if p < n && is(p, "THE") {
                        p += 1;
                    }
                    if p < n {
                        unit_at[p]
                    } else {
                        None
                    }
                } else {
                    None
                }
            };
            let (target, absorb) = match (left, right, via) {
                (Some(u), r, _) => (Some(u), r),
                (None, Some(r), _) => (Some(r), None),
                (None, _, Some(v)) => (Some(v), None),
                _ => (None, None),
            };
            match target {
                Some(u) => {
                    let former = former || (units[u].first > 0 && is(units[u].first - 1, "FORMER"));
                    // one agent per actor: a title of several agent words ("Deputy Defense
                    // Minister General") joins the actor's words but adds no more codes
                    if units[u].agents.is_empty() {
                        let code = if former { ("ELI".into(), false) } else { (agent.code.clone(), agent.prefix) };
                        units[u].agents.push(code);
                    }
                    for &t in &it.toks {
                        unit_at[t] = Some(u);
                    }
                    units[u].toks.extend(&it.toks);
                    if let Some(y) = absorb.filter(|&y| y != u && alive[y]) {
                        alive[y] = false;
                        let ytoks = units[y].toks.clone();
                        for &t in &ytoks {
                            unit_at[t] = Some(u);
                        }
                        units[u].toks.extend(ytoks);
                    }
                    let (mn, mx) = (units[u].toks.iter().min().copied(), units[u].toks.iter().max().copied());
                    units[u].first = mn.unwrap_or(f);
                    units[u].last = mx.unwrap_or(l);
                }
                None if st.convert_agent => {
                    let code = if agent.prefix { format!("{}~", agent.code) } else { format!("~{}", agent.code) };
                    for &t in &it.toks {
                        unit_at[t] = Some(units.len());
                    }
                    units.push(Unit {
                        members: vec![code.clone()],
                        base: code,
                        toks: it.toks.clone(),
                        first: f,
                        last: l,
                        ..Default::default()
                    });
                    alive.push(true);
                }
                None => {}
            }
        }
        a.units = units
            .into_iter()
            .zip(alive)
            .filter(|(_, live)| *live)
            .map(|(mut u, _)| {
                u.members = u.members.iter().map(|m| compose(m, &u.agents)).collect();
                u
            })
            .collect();
        a.rebuild_unit_of();
    }

    fn join_compounds(&self, a: &mut Analysis) {
        if a.units.len() < 2 {
            return;
        }
        let gap_kind = |t: usize| -> Gap {
            if a.toks[t].comma {
                Gap::Comma
            } else if a.free_word(t, COMPOUND_CONJ) {
                Gap::Conj
            } else if a.free_word(t, DETERMINERS) || a.item_of[t].is_some_and(|i| a.items[i].sense == Sense::Adjective)
            {
                Gap::Modifier
            } else {
                Gap::Other
            }
        };
        // groups of consecutive units and the links between them
        // each group: its units, and the link (with its gap words) before each unit after the first
        type Group = (Vec<usize>, Vec<(Link, Vec<usize>)>);
        let mut groups: Vec<Group> = vec![(vec![0], vec![])];
        for v in 1..a.units.len() {
            let u = v - 1;
            let (ul, vf) = (a.units[u].last, a.units[v].first);
            let group = groups.last_mut().expect("a group");
            let link = if vf <= ul {
                None
            } else {
                let gap: Vec<usize> = (ul + 1..vf).collect();
                let kinds: Vec<Gap> = gap.iter().map(|&t| gap_kind(t)).collect();
                let conj = kinds.iter().filter(|k| **k == Gap::Conj).count();
                let commas = kinds.iter().filter(|k| **k == Gap::Comma).count();
                let separators_first =
                    kinds.iter().skip_while(|k| matches!(k, Gap::Comma | Gap::Conj)).all(|k| *k == Gap::Modifier);
                let has_conj = group.1.iter().any(|l| l.0 == Link::Conj);
                if kinds.contains(&Gap::Other) {
                    None
                } else if conj + commas >= 1 && conj <= 1 && commas <= 1 && separators_first {
                    Some((if conj == 1 { Link::Conj } else { Link::Comma }, gap))
                } else if conj + commas == 0 && has_conj && (!gap.is_empty() || a.toks[ul].text.ends_with("'S")) {
                    Some((Link::Within, gap))
                } else {
                    None
                }
            };
            match link {
                Some(l) => {
                    group.0.push(v);
                    group.1.push(l);
                }
                None => groups.push((vec![v], vec![])),
            }
        }
        let mut dead = vec![false; a.units.len()];
        for (mut members, mut links) in groups {
            while links.last().is_some_and(|l| l.0 == Link::Comma) {
                links.pop();
                members.pop();
            }
            if !links.iter().any(|l| l.0 == Link::Conj) {
                continue;
            }
            let head = members[0];
            for (&m, (_, gap)) in members[1..].iter().zip(&links) {
                let other = a.units[m].clone();
                dead[m] = true;
                let h = &mut a.units[head];
                for c in other.members {
                    if !h.members.contains(&c) {
                        h.members.push(c);
                    }
                }
                h.toks.extend(other.toks);
                h.toks.extend(gap);
                h.complex |= other.complex;
                h.last = h.last.max(other.last);
                for &t in gap {
                    a.link[t] = true;
                }
            }
        }
        let mut k = 0;
        a.units.retain(|_| {
            k += 1;
            !dead[k - 1]
        });
        a.rebuild_unit_of();
    }
}

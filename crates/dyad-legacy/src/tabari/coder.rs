//! Coding a read sentence: which verbs are coded, with which pattern, between which actors.
//!
//! Source: the pattern's `$`, else the first actor of the clause before the verb, else the
//! previous clause's subject, else `DEFAULT: SOURCE [X] PRIOR`, else the first actor after the
//! verb (a compound there gives its first member; the rest become the target), else
//! `DEFAULT: SOURCE [X]`.
//! Target: the pattern's `+`, else the first actor after the verb that is not the source, else
//! `DEFAULT: TARGET [Y] AFTER`, else the actor nearest before the verb that is not the source,
//! else the rest of a compound source, else `DEFAULT: TARGET [Y]`.
//! A passive verb ("was opposed by X") with neither `$` nor `+` takes X as its source and the
//! subject as its target. `%` codes the members of a compound with each other.

use super::pattern::{Bind, Scene};
use super::sentence::Analysis;
use super::settings::{CodeBy, Settings};
use super::words::Tok;
use super::{Event, Outcome, Tabari, VCode};
use chrono::NaiveDate;

const BE: &[&str] = &["WAS", "WERE", "IS", "ARE", "BEEN", "BE", "BEING"];

/// What coding one verb gave.
enum Res {
    /// A null code: try the next verb.
    Null,
    Discard,
    Complex,
    /// Events (none when an actor was missing) and the source's forwarding code (and whether
    /// it was itself forwarded).
    Events(Vec<Event>, Option<(String, bool)>),
}

/// Who fills a role: a unit of the sentence, or bare codes (a default, a forwarded subject,
/// part of a compound).
#[derive(Clone, Debug)]
enum Who {
    Unit(usize),
    Codes(Vec<String>),
}

/// Where an event was found: the verb and the actors' words (byte offsets).
#[derive(Clone, Copy, Debug)]
struct Spans {
    trigger: [usize; 2],
    source: Option<[usize; 2]>,
    target: Option<[usize; 2]>,
}

fn pairs(src: &[String], tgt: &[String], code: &VCode, at: Spans) -> Vec<Event> {
    let ev = |s: &str, t: &str, c: &str, back: bool| Event {
        source: s.into(),
        target: t.into(),
        code: c.into(),
        trigger: at.trigger,
        source_span: if back { at.target } else { at.source },
        target_span: if back { at.source } else { at.target },
    };
    let mut out = Vec::new();
    for s in src {
        for t in tgt {
            if s == t {
                continue;
            }
            match code {
                VCode::One(c) => out.push(ev(s, t, c, false)),
                VCode::Paired(a, b) => {
                    out.push(ev(s, t, a, false));
                    out.push(ev(t, s, b, true));
                }
                VCode::Reverse(b) => out.push(ev(t, s, b, true)),
                _ => {}
            }
        }
    }
    out
}

fn among(members: &[String], code: &VCode, at: Spans) -> Vec<Event> {
    let mut out = Vec::new();
    for i in 0..members.len() {
        for j in i + 1..members.len() {
            let (a, b) = (std::slice::from_ref(&members[i]), std::slice::from_ref(&members[j]));
            out.extend(pairs(a, b, code, at));
            if !matches!(code, VCode::Paired(..)) {
                out.extend(pairs(b, a, code, at));
            }
        }
    }
    out
}

impl Tabari {
    /// Code a text's words: the outcome, and the source to forward to the story's next sentence.
    pub(super) fn code_tokens(
        &self,
        toks: Vec<Tok>,
        date: Option<NaiveDate>,
        st: &Settings,
        forward: Option<&str>,
    ) -> (Outcome, Option<(String, bool)>) {
        let first = self.analyse(toks.clone(), date, st);
        if first.discard {
            return (Outcome::Discard, None);
        }
        let deleted = st.comma.map(|c| first.subordinate(&c)).unwrap_or_default();
        let mut a = if deleted.iter().any(|d| *d) {
            let kept: Vec<Tok> = toks.into_iter().zip(&deleted).filter(|(_, d)| !**d).map(|(t, _)| t).collect();
            self.analyse(kept, date, st)
        } else {
            first
        };
        if a.discard {
            return (Outcome::Discard, None);
        }
        if a.complex {
            return (Outcome::Complex, None);
        }
        a.add_pronouns(forward);
        let verbs = a.verbs();
        let (clauses, conjunctions) = a.clauses(st.code_by == CodeBy::Sentence);
        if st.max_verbs.is_some_and(|m| verbs.len() >= m) || st.max_conj.is_some_and(|m| conjunctions >= m) {
            return (Outcome::Complex, None);
        }
        let mut events: Vec<Event> = Vec::new();
        let mut source = None;
        let mut subject: Option<Vec<String>> = None;
        let mut checked_prior = false;
        for &(lo, hi) in &clauses {
            let vs: Vec<(usize, usize, usize)> = verbs.iter().copied().filter(|v| v.1 >= lo && v.1 < hi).collect();
            let mut results = Vec::new();
            if st.code_by == CodeBy::All {
                let dominant: Vec<_> = vs.iter().copied().filter(|v| self.roots[v.0].dominant).collect();
                for v in if dominant.is_empty() { &vs } else { &dominant } {
                    results.push((*v, self.code_verb(&a, (lo, hi), *v, subject.as_deref(), st).0));
                }
            } else {
                let mut fallback = None;
                let mut chosen = None;
                for (k, v) in vs.iter().enumerate() {
                    match self.code_verb(&a, (lo, hi), *v, subject.as_deref(), st) {
                        (Res::Null, _) => continue,
                        (r, true) if k + 1 < vs.len() => {
                            fallback.get_or_insert((*v, r));
                        }
                        (r, _) => {
                            chosen = Some((*v, r));
                            break;
                        }
                    }
                }
                results.extend(chosen.or(fallback));
            }
            for (v, r) in results {
                // NOACTPRIOR: the first verb coded needs an actor before it
                if st.no_act_prior && !matches!(r, Res::Null) && !checked_prior {
                    checked_prior = true;
                    if !a.units.iter().any(|u| u.first < v.1) {
                        return (Outcome::Complex, None);
                    }
                }
                match r {
                    Res::Discard => return (Outcome::Discard, None),
                    Res::Complex => return (Outcome::Complex, None),
                    Res::Events(ev, src) => {
                        if source.is_none() && !ev.is_empty() {
                            source = src;
                        }
                        for e in ev {
                            if !events.contains(&e) {
                                events.push(e);
                            }
                        }
                    }
                    Res::Null => {}
                }
            }
            if let Some(u) = a.units.iter().find(|u| u.first >= lo && u.first < hi) {
                subject = Some(u.members.clone());
            }
        }
        (Outcome::Events(events), source)
    }

    /// Code verb `v` (root, first word, last word) in clause `lo..hi`. The flag says the code
    /// is the root's subordinate (`?`) default.
    fn code_verb(
        &self,
        a: &Analysis,
        (lo, hi): (usize, usize),
        v: (usize, usize, usize),
        subject: Option<&[String]>,
        st: &Settings,
    ) -> (Res, bool) {
        let root = &self.roots[v.0];
        let span_of = |f: usize, l: usize| [a.toks[f].start, a.toks[l].end];
        let unit_span = |w: &Who| match w {
            Who::Unit(u) => Some(span_of(a.units[*u].first, a.units[*u].last)),
            Who::Codes(_) => None,
        };
        let trigger = span_of(v.1, v.2);
        let words: Vec<&str> = a.toks.iter().map(|t| t.text.as_str()).collect();
        let spans: Vec<(usize, usize)> = a.units.iter().map(|u| (u.first, u.last)).collect();
        let compound: Vec<bool> = a.units.iter().map(|u| u.is_compound()).collect();
        let scene = Scene { words: &words, unit_of: &a.unit_of, spans: &spans, compound: &compound, lo, hi };
        let mut best: Option<(Bind, usize)> = None;
        for (k, p) in root.patterns.iter().enumerate() {
            if let Some(b) = scene.try_match(&p.split, v.1, v.2) {
                if best.as_ref().is_none_or(|(bb, _)| b.score() > bb.score()) {
                    best = Some((b, k));
                }
            }
        }
        let (code, bind, subordinate) = match best {
            Some((b, k)) => (&root.patterns[k].code, b, false),
            None => (&root.code, Bind::default(), root.subordinate),
        };
        match code {
            VCode::Null => return (Res::Null, subordinate),
            VCode::Discard => return (Res::Discard, subordinate),
            VCode::Complex => return (Res::Complex, subordinate),
            _ => {}
        }
        if let Some(c) = bind.compound {
            let u = &a.units[c];
            if u.complex {
                return (Res::Complex, subordinate);
            }
            let src = Some((u.base.clone(), u.forwarded));
            let at = Spans { trigger, source: unit_span(&Who::Unit(c)), target: unit_span(&Who::Unit(c)) };
            return (Res::Events(among(&u.members, code, at), src), subordinate);
        }
        let in_clause = |i: usize| a.units[i].first >= lo && a.units[i].first < hi;
        let free = |i: usize| in_clause(i) && !bind.used.contains(&i);
        let before: Vec<usize> = (0..a.units.len()).filter(|&i| free(i) && a.units[i].first < v.1).collect();
        let after: Vec<usize> = (0..a.units.len()).filter(|&i| free(i) && a.units[i].first > v.2).collect();
        // the source
        let mut rest: Option<Vec<String>> = None;
        let mut src: Option<Who> = bind.source.map(Who::Unit);
        if src.is_none() {
            src = if let Some(&u) = before.first() {
                Some(Who::Unit(u))
            } else if let Some(s) = subject {
                Some(Who::Codes(s.to_vec()))
            } else if let Some(d) = st.default_source.as_ref().filter(|d| d.eager) {
                Some(Who::Codes(vec![d.code.clone()]))
            } else if let Some(&u) = after.iter().find(|&&u| Some(u) != bind.target) {
                let m = &a.units[u].members;
                if m.len() > 1 {
                    rest = Some(m[1..].to_vec());
                    Some(Who::Codes(vec![m[0].clone()]))
                } else {
                    Some(Who::Unit(u))
                }
            } else {
                st.default_source.as_ref().map(|d| Who::Codes(vec![d.code.clone()]))
            };
        }
        let codes = |w: &Who| -> Vec<String> {
            match w {
                Who::Unit(u) => a.units[*u].members.clone(),
                Who::Codes(c) => c.clone(),
            }
        };
        let src_codes = src.as_ref().map(&codes).unwrap_or_default();
        let src_unit = match src {
            Some(Who::Unit(u)) => Some(u),
            _ => None,
        };
        let other = |i: &usize| Some(*i) != src_unit && !a.units[*i].members.iter().all(|m| src_codes.contains(m));
        // the target
        let mut tgt: Option<Who> = bind.target.map(Who::Unit);
        if tgt.is_none() {
            tgt = if let Some(&u) = after.iter().find(|i| other(i)) {
                Some(Who::Unit(u))
            } else if let Some(r) = rest.take() {
                Some(Who::Codes(r))
            } else if let Some(d) = st.default_target.as_ref().filter(|d| d.eager) {
                Some(Who::Codes(vec![d.code.clone()]))
            } else if let Some(&u) = before.iter().rev().find(|i| other(i)) {
                Some(Who::Unit(u))
            } else if let (Some(u), None) = (src_unit, bind.source) {
                let m = &a.units[u].members;
                if m.len() > 1 {
                    src = Some(Who::Codes(vec![m[0].clone()]));
                    Some(Who::Codes(m[1..].to_vec()))
                } else {
                    st.default_target.as_ref().map(|d| Who::Codes(vec![d.code.clone()]))
                }
            } else {
                st.default_target.as_ref().map(|d| Who::Codes(vec![d.code.clone()]))
            };
        }
        // passive voice: "X was opposed by Y"
        if bind.source.is_none() && bind.target.is_none() {
            if let Some(by) = passive_agent(a, (lo, hi), v) {
                if Some(by) != src_unit {
                    tgt = src.take();
                    src = Some(Who::Unit(by));
                }
            }
        }
        let (Some(s), Some(t)) = (src, tgt) else {
            return (Res::Events(Vec::new(), None), subordinate);
        };
        let complex = |w: &Who| matches!(w, Who::Unit(u) if a.units[*u].complex);
        if complex(&s) || complex(&t) {
            return (Res::Complex, subordinate);
        }
        let forward = match &s {
            Who::Unit(u) => Some((a.units[*u].base.clone(), a.units[*u].forwarded)),
            Who::Codes(c) => c.first().map(|c| (c.clone(), false)),
        };
        let at = Spans { trigger, source: unit_span(&s), target: unit_span(&t) };
        (Res::Events(pairs(&codes(&s), &codes(&t), code, at), forward), subordinate)
    }
}

/// For a passive verb ("was [fiercely] opposed [earlier] by X"), the unit X.
fn passive_agent(a: &Analysis, (lo, hi): (usize, usize), v: (usize, usize, usize)) -> Option<usize> {
    let w = |t: usize| a.toks[t].text.as_str();
    let free = |t: usize| a.item_of[t].is_none() && a.unit_of[t].is_none();
    let be = (v.1 > lo && BE.contains(&w(v.1 - 1))) || (v.1 > lo + 1 && BE.contains(&w(v.1 - 2)) && free(v.1 - 1));
    if !be {
        return None;
    }
    let by = (v.2 + 1..hi).take(3).find(|&t| w(t) == "BY" && free(t))?;
    let mut p = by + 1;
    if p < hi && w(p) == "THE" {
        p += 1;
    }
    if p < hi {
        a.unit_of[p]
    } else {
        None
    }
}

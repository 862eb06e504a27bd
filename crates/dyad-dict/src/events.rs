//! Event pattern dictionaries: triggers (verbs and event nouns) and their coded patterns.
//!
//! The format is documented in `docs/dictionaries.md`. In short:
//!
//! ```text
//! VERB meet {met} [040] sym
//!   040 meet.with   $ * with +
//! NOUN invasion [192]
//!   192 invasion.of $ 's * of +
//! ```

use crate::filter::RuleFilter;
use crate::phrase::PhraseIndex;
use crate::{LoadError, Loaded};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Whether a trigger is a verb or an event noun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerKind {
    Verb,
    Noun,
}

/// One element of a pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Elem {
    /// `$`
    Source,
    /// `+`
    Target,
    /// `%`: a coordinated group whose members are source and target of each other.
    Compound,
    /// A literal word or phrase, with alternatives; each alternative is a list of folded words.
    Words(Vec<Vec<String>>),
}

impl Elem {
    pub fn is_slot(&self) -> bool {
        !matches!(self, Elem::Words(_))
    }
}

/// One coded pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Stable id, unique across all loaded files (`meet.with`).
    pub id: String,
    /// CAMEO code; `None` for a null rule (`---`), which matches and codes nothing.
    pub code: Option<String>,
    /// Elements before the trigger, ordered outward (nearest the trigger first).
    pub before: Vec<Elem>,
    /// Elements after the trigger, in reading order.
    pub after: Vec<Elem>,
    /// Number of literal elements: more literals make a more specific rule.
    pub literals: usize,
    /// The pattern as written, for `--explain`.
    pub text: String,
    /// Where the rule was defined (`file:line`).
    pub origin: String,
}

/// A trigger block: a verb or noun, its forms, flags and rules.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub kind: TriggerKind,
    pub base: String,
    pub symmetric: bool,
    pub rules: Vec<Rule>,
}

/// A trigger form found in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggerForm {
    pub trigger: usize,
    /// The form may be a past participle (for passive voice detection).
    pub participle: bool,
}

/// All event patterns in memory.
#[derive(Clone, Debug, Default)]
pub struct EventTable {
    pub triggers: Vec<Trigger>,
    pub index: PhraseIndex<TriggerForm>,
    rule_ids: HashSet<String>,
    /// Named word sets (`SET name {a|b}` lines): name → its alternatives, `|`-separated, with
    /// any set they name already expanded.
    sets: HashMap<String, String>,
    /// Every rule's literals compiled for [`crate::WordSet`], built when the coder first asks
    /// (the dictionaries are complete by then: importers push triggers straight into
    /// `triggers`) and dropped by the loader when it adds rules.
    filter: OnceLock<RuleFilter>,
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Regular inflections of an English verb: (form, may be a past participle).
pub fn verb_forms(base: &str) -> Vec<(String, bool)> {
    let b = base.to_lowercase();
    let chars: Vec<char> = b.chars().collect();
    let n = chars.len();
    let mut out = vec![(b.clone(), false)];
    if n == 0 {
        return out;
    }
    let last = chars[n - 1];
    let prev = if n >= 2 { chars[n - 2] } else { ' ' };
    // third person
    let s = if b.ends_with('s') || b.ends_with('x') || b.ends_with('z') || b.ends_with("ch") || b.ends_with("sh") {
        format!("{b}es")
    } else if last == 'y' && !is_vowel(prev) {
        format!("{}ies", &b[..b.len() - 1])
    } else {
        format!("{b}s")
    };
    out.push((s, false));
    // past / participle
    let ed = if last == 'e' {
        format!("{b}d")
    } else if last == 'y' && !is_vowel(prev) {
        format!("{}ied", &b[..b.len() - 1])
    } else {
        format!("{b}ed")
    };
    out.push((ed, true));
    // gerund
    let ing = if b.ends_with("ie") {
        format!("{}ying", &b[..b.len() - 2])
    } else if last == 'e' && !b.ends_with("ee") && !b.ends_with("ye") && !b.ends_with("oe") && n > 2 {
        format!("{}ing", &b[..b.len() - 1])
    } else {
        format!("{b}ing")
    };
    out.push((ing, false));
    // consonant doubling (stop → stopped), offered as an extra form: harmless if unused
    let cvc =
        n >= 3 && !is_vowel(last) && !matches!(last, 'w' | 'x' | 'y') && is_vowel(prev) && !is_vowel(chars[n - 3]);
    if cvc {
        out.push((format!("{b}{last}ed"), true));
        out.push((format!("{b}{last}ing"), false));
    }
    out
}

/// Plural of an English noun.
pub fn noun_plural(base: &str) -> String {
    let b = base.to_lowercase();
    let last = b.chars().last().unwrap_or(' ');
    let prev = b.chars().rev().nth(1).unwrap_or(' ');
    if b.ends_with('s') || b.ends_with('x') || b.ends_with("ch") || b.ends_with("sh") {
        format!("{b}es")
    } else if last == 'y' && !is_vowel(prev) {
        format!("{}ies", &b[..b.len() - 1])
    } else {
        format!("{b}s")
    }
}

fn fold_words(phrase: &str) -> Vec<String> {
    dyad_text::tokenize(&phrase.replace('_', " ")).into_iter().map(|t| t.norm).collect()
}

/// Split a pattern into raw elements, keeping `{a b|c}` groups whole.
fn split_pattern(p: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    for c in p.chars() {
        match c {
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                if depth == 0 {
                    return Err("unbalanced `}`".into());
                }
                depth -= 1;
                cur.push(c);
            }
            c if c.is_whitespace() && depth == 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if depth != 0 {
        return Err("unbalanced `{`".into());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Replaces each `@name` in `pattern` by the alternatives of the word set `name`: inside braces
/// (`{@weapons|military aid}`) they join the group's other alternatives, standing alone
/// (`@weapons`) they make a group of their own.
fn expand_sets(pattern: &str, sets: &HashMap<String, String>) -> Result<String, String> {
    if !pattern.contains('@') {
        return Ok(pattern.to_string());
    }
    let set = |name: &str| {
        sets.get(name).ok_or_else(|| {
            format!("unknown word set @{name} (define it with `SET {name} {{...}}` before its first use)")
        })
    };
    let mut out = Vec::new();
    for el in split_pattern(pattern)? {
        if let Some(inner) = el.strip_prefix('{').and_then(|e| e.strip_suffix('}')) {
            let alts = inner
                .split('|')
                .map(|a| match a.trim().strip_prefix('@') {
                    Some(name) => set(name).cloned(),
                    None => Ok(a.to_string()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(format!("{{{}}}", alts.join("|")));
        } else if let Some(name) = el.strip_prefix('@') {
            out.push(format!("{{{}}}", set(name)?));
        } else {
            out.push(el);
        }
    }
    Ok(out.join(" "))
}

/// Parses a `SET name {a|b|@other}` line into the set's name and its expanded alternatives.
fn parse_set(l: &str, sets: &HashMap<String, String>) -> Result<(String, String), String> {
    let rest = l.strip_prefix("SET").unwrap_or(l).trim();
    let (name, alts) = rest.split_once(char::is_whitespace).ok_or("expected `SET name {a|b|...}`")?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(format!("a word set's name is lower-case letters, digits and `_`, not {name:?}"));
    }
    let alts = alts.trim();
    if !(alts.starts_with('{') && alts.ends_with('}')) || split_pattern(alts)?.len() != 1 {
        return Err("expected `SET name {a|b|...}`: one group in braces".into());
    }
    let expanded = expand_sets(alts, sets)?;
    let inner = &expanded[1..expanded.len() - 1];
    if inner.split('|').all(|a| a.trim().is_empty()) {
        return Err(format!("the word set {name} is empty"));
    }
    if sets.contains_key(name) {
        return Err(format!("the word set {name} is defined twice"));
    }
    Ok((name.to_string(), inner.to_string()))
}

/// Parse a pattern like `$ 's * with +` into (before-outward, after, literal count).
pub fn parse_pattern(p: &str) -> Result<(Vec<Elem>, Vec<Elem>, usize), String> {
    let raw = split_pattern(p)?;
    let stars = raw.iter().filter(|r| *r == "*").count();
    if stars != 1 {
        return Err(format!("a pattern needs exactly one `*`, found {stars}"));
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut seen_star = false;
    let mut literals = 0;
    for r in raw {
        let e = match r.as_str() {
            "*" => {
                seen_star = true;
                continue;
            }
            "$" => Elem::Source,
            "+" => Elem::Target,
            "%" => Elem::Compound,
            s if s.starts_with('{') => {
                let inner = s.trim_start_matches('{').trim_end_matches('}');
                let alts: Vec<Vec<String>> = inner.split('|').map(fold_words).filter(|w| !w.is_empty()).collect();
                if alts.is_empty() {
                    return Err(format!("empty alternatives {s}"));
                }
                literals += 1;
                Elem::Words(alts)
            }
            s => {
                if s.chars().any(|c| matches!(c, '$' | '+' | '%' | '*' | '^' | '&' | '[' | ']')) {
                    return Err(format!("unsupported pattern element {s:?}"));
                }
                literals += 1;
                Elem::Words(vec![fold_words(s)])
            }
        };
        if seen_star {
            after.push(e);
        } else {
            before.push(e);
        }
    }
    before.reverse();
    Ok((before, after, literals))
}

struct Header {
    kind: TriggerKind,
    base: String,
    forms: Vec<String>,
    code: Option<String>,
    symmetric: bool,
    /// `nobase`: the base form and its `-s` form are no trigger, only the other forms are.
    no_base: bool,
}

fn parse_header(l: &str) -> Result<Header, String> {
    let (kind, rest) = if let Some(r) = l.strip_prefix("VERB") {
        (TriggerKind::Verb, r)
    } else if let Some(r) = l.strip_prefix("NOUN") {
        (TriggerKind::Noun, r)
    } else {
        return Err("expected a `VERB` or `NOUN` block header".into());
    };
    let end_base = rest.find(['{', '[']).unwrap_or(rest.len());
    let mut base = rest[..end_base].trim().to_string();
    let mut tail = &rest[end_base..];
    let mut forms = Vec::new();
    if let Some(t) = tail.strip_prefix('{') {
        let close = t.find('}').ok_or("unclosed `{` in header")?;
        forms = t[..close].split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        tail = t[close + 1..].trim_start();
    }
    let mut code = None;
    if let Some(t) = tail.strip_prefix('[') {
        let close = t.find(']').ok_or("unclosed `[` in header")?;
        code = Some(t[..close].trim().to_string());
        tail = &t[close + 1..];
    }
    let (mut symmetric, mut no_base) = (false, false);
    for flag in tail.split_whitespace() {
        match flag {
            "sym" => symmetric = true,
            "nobase" if kind == TriggerKind::Verb => no_base = true,
            "nobase" => return Err("`nobase` is a flag of VERB blocks".into()),
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    // a base written with flags but no braces/brackets: "meet sym"
    if base.ends_with(" sym") {
        base.truncate(base.len() - 4);
        symmetric = true;
    }
    if base.is_empty() {
        return Err("empty trigger".into());
    }
    Ok(Header { kind, base, forms, code, symmetric, no_base })
}

impl EventTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of rules over all triggers.
    pub fn rule_count(&self) -> usize {
        self.triggers.iter().map(|t| t.rules.len()).sum()
    }

    fn check_code(code: &str) -> Result<Option<String>, String> {
        if code == "---" {
            return Ok(None);
        }
        if dyad_cameo::is_valid(code) {
            Ok(Some(code.to_string()))
        } else {
            Err(format!("unknown CAMEO code {code:?}"))
        }
    }

    fn add_rule(
        &mut self,
        trig: usize,
        id: &str,
        code: Option<String>,
        pattern: &str,
        origin: String,
    ) -> Result<(), String> {
        if !self.rule_ids.insert(id.to_string()) {
            return Err(format!("rule id {id:?} is used twice"));
        }
        let (before, after, literals) = parse_pattern(&expand_sets(pattern, &self.sets)?)?;
        self.triggers[trig].rules.push(Rule {
            id: id.to_string(),
            code,
            before,
            after,
            literals,
            text: pattern.to_string(),
            origin,
        });
        Ok(())
    }

    /// The rules of trigger `id` that may match a sentence with `words`, appended to `out` in
    /// order (see [`crate::EventDictionary::candidate_rules`]).
    pub fn candidate_rules(&self, id: usize, words: &crate::WordSet, out: &mut Vec<usize>) {
        let filter = self.filter.get_or_init(|| RuleFilter::new(&self.triggers));
        filter.candidates(id, &self.triggers[id], words, out)
    }

    /// Load one `.verbs` file. Lines that cannot be read are reported and skipped.
    pub fn load_verbs(&mut self, file: &str, text: &str) -> Loaded {
        self.filter.take();
        let mut out = Loaded::default();
        let mut current: Option<(usize, Option<String>, String)> = None; // trigger, default code, origin
        let finish = |tbl: &mut EventTable, cur: &mut Option<(usize, Option<String>, String)>, out: &mut Loaded| {
            if let Some((t, Some(code), origin)) = cur.take() {
                let base = tbl.triggers[t].base.replace(' ', "_");
                let defaults: &[&str] = match tbl.triggers[t].kind {
                    TriggerKind::Verb => &["$ * +"],
                    TriggerKind::Noun => &["$ 's * +", "$ * of +"],
                };
                let prefix = match tbl.triggers[t].kind {
                    TriggerKind::Verb => base.clone(),
                    TriggerKind::Noun => format!("{base}.noun"),
                };
                for (k, p) in defaults.iter().enumerate() {
                    let id = if k == 0 { format!("{prefix}.default") } else { format!("{prefix}.default{}", k + 1) };
                    let code = match EventTable::check_code(&code) {
                        Ok(c) => c,
                        Err(e) => {
                            out.errors.push(LoadError { file: origin.clone(), line: None, reason: e });
                            return;
                        }
                    };
                    if let Err(e) = tbl.add_rule(t, &id, code, p, origin.clone()) {
                        out.errors.push(LoadError { file: origin.clone(), line: None, reason: e });
                    }
                    out.entries += 1;
                }
            }
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.split('#').next().unwrap_or("").trim_end();
            if l.trim().is_empty() {
                continue;
            }
            let indented = l.starts_with(' ') || l.starts_with('\t');
            let l = l.trim();
            if !indented {
                finish(self, &mut current, &mut out);
                if l.starts_with("SET ") || l == "SET" {
                    match parse_set(l, &self.sets) {
                        Ok((name, alts)) => {
                            self.sets.insert(name, alts);
                            out.entries += 1;
                        }
                        Err(e) => out.errors.push(LoadError::line(file, line, e)),
                    }
                    continue;
                }
                match parse_header(l) {
                    Ok(h) => {
                        let t = self.triggers.len();
                        self.triggers.push(Trigger {
                            kind: h.kind,
                            base: h.base.clone(),
                            symmetric: h.symmetric,
                            rules: Vec::new(),
                        });
                        let mut words = h.base.split_whitespace();
                        let first = words.next().unwrap_or("");
                        let rest: Vec<&str> = words.collect();
                        let rest = if rest.is_empty() { String::new() } else { format!(" {}", rest.join(" ")) };
                        match h.kind {
                            TriggerKind::Verb => {
                                // `nobase`: the first two forms are the base and its `-s` form
                                for (f, participle) in verb_forms(first).into_iter().skip(if h.no_base { 2 } else { 0 })
                                {
                                    self.index.insert(
                                        &format!("{f}{rest}"),
                                        false,
                                        TriggerForm { trigger: t, participle },
                                    );
                                }
                            }
                            TriggerKind::Noun => {
                                self.index.insert(&h.base, false, TriggerForm { trigger: t, participle: false });
                                let all: Vec<&str> = h.base.split_whitespace().collect();
                                let (head, last) = all.split_at(all.len() - 1);
                                let mut plural = head.join(" ");
                                if !plural.is_empty() {
                                    plural.push(' ');
                                }
                                plural.push_str(&noun_plural(last[0]));
                                self.index.insert(&plural, false, TriggerForm { trigger: t, participle: false });
                            }
                        }
                        for f in &h.forms {
                            self.index.insert(
                                f,
                                false,
                                TriggerForm { trigger: t, participle: h.kind == TriggerKind::Verb },
                            );
                        }
                        current = Some((t, h.code, format!("{file}:{line}")));
                        out.entries += 1;
                    }
                    Err(e) => {
                        current = None;
                        out.errors.push(LoadError::line(file, line, e));
                    }
                }
                continue;
            }
            let Some((t, _, _)) = current.as_ref() else {
                out.errors.push(LoadError::line(file, line, "rule line outside a VERB/NOUN block".into()));
                continue;
            };
            let t = *t;
            let mut parts = l.splitn(3, char::is_whitespace);
            let (Some(code), Some(id), Some(pattern)) = (parts.next(), parts.next(), parts.next()) else {
                out.errors.push(LoadError::line(file, line, "expected `CODE RULE-ID PATTERN`".into()));
                continue;
            };
            let res = EventTable::check_code(code)
                .and_then(|c| self.add_rule(t, id, c, pattern.trim(), format!("{file}:{line}")));
            match res {
                Ok(()) => out.entries += 1,
                Err(e) => out.errors.push(LoadError::line(file, line, e)),
            }
        }
        finish(self, &mut current, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let f = |b| verb_forms(b).into_iter().map(|x| x.0).collect::<Vec<_>>();
        assert_eq!(f("visit")[..4], ["visit", "visits", "visited", "visiting"]);
        assert_eq!(f("agree"), ["agree", "agrees", "agreed", "agreeing"]);
        assert_eq!(f("carry"), ["carry", "carries", "carried", "carrying"]);
        assert!(f("stop").contains(&"stopped".to_string()));
        assert_eq!(f("host"), ["host", "hosts", "hosted", "hosting"]);
        assert_eq!(noun_plural("talk"), "talks");
        assert_eq!(noun_plural("clash"), "clashes");
    }

    #[test]
    fn nobase_leaves_out_the_base_form() {
        let mut t = EventTable::new();
        let r = t.load_verbs("t.verbs", "VERB gas {gassed} [2041] nobase\nNOUN gas attack [2041] nobase\n");
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert!(r.errors[0].to_string().contains("VERB"));
        let found = |s: &str| t.index.longest(&dyad_text::tokenize(s), 1, false).is_some();
        assert!(found("they gassed") && found("they gassing"));
        assert!(!found("buy gas") && !found("greenhouse gases"));
    }

    #[test]
    fn word_sets() {
        let mut t = EventTable::new();
        let src = "SET arms {weapons|tanks}\nSET aid {@arms|military aid}\nSET Bad {x}\nSET arms {y}\nSET empty {}\n\
                   VERB send [070]\n  072 send.arms $ * {@aid|drones} to +\n  072 send.arms2 $ * @arms to +\n  072 send.bad $ * {@nope} to +\n";
        let r = t.load_verbs("t.verbs", src);
        let reasons: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].starts_with("t.verbs:3:") && reasons[0].contains("name"), "{reasons:?}");
        assert!(reasons[1].starts_with("t.verbs:4:") && reasons[1].contains("defined twice"), "{reasons:?}");
        assert!(reasons[2].starts_with("t.verbs:5:") && reasons[2].contains("empty"), "{reasons:?}");
        assert!(reasons[3].starts_with("t.verbs:9:") && reasons[3].contains("unknown word set @nope"), "{reasons:?}");
        let words = |w: &[&str]| w.iter().map(|a| vec![a.to_string()]).collect::<Vec<_>>();
        let send = &t.triggers[0];
        let mut military_aid = words(&["weapons", "tanks"]);
        military_aid.push(vec!["military".into(), "aid".into()]);
        military_aid.push(vec!["drones".into()]);
        assert_eq!(send.rules[0].after[0], Elem::Words(military_aid));
        assert_eq!(send.rules[1].after[0], Elem::Words(words(&["weapons", "tanks"])));
        // the rule keeps the pattern as written, for `--explain`
        assert_eq!(send.rules[0].text, "$ * {@aid|drones} to +");
    }

    #[test]
    fn parse_block_and_errors() {
        let mut t = EventTable::new();
        let src = "VERB meet {met} [040] sym\n  040 meet.with $ * with +\n  999 meet.bad $ * +\n  040 meet.with $ * +\nNOUN talks [046] sym\n  046 talks.between * between %\n  xx\nBOGUS\n";
        let r = t.load_verbs("t.verbs", src);
        assert_eq!(t.triggers.len(), 2);
        let reasons: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].starts_with("t.verbs:3:"));
        assert!(reasons[1].contains("used twice"));
        let meet = &t.triggers[0];
        assert!(meet.symmetric);
        assert_eq!(meet.rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["meet.with", "meet.default"]);
        assert_eq!(meet.rules[0].after, vec![Elem::Words(vec![vec!["with".into()]]), Elem::Target]);
        assert_eq!(meet.rules[0].before, vec![Elem::Source]);
        let toks = dyad_text::tokenize("they met");
        assert!(t.index.longest(&toks, 1, false).is_some());
    }
}

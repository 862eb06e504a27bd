//! Readers for each TABARI / PETRARCH2 file kind.
//!
//! Every reader takes `(label, text)` and returns what it read plus a list of
//! [`LoadError`]s, one per line it could not take. Readers never panic on bad input.
//!
//! Conventions shared by both systems:
//!
//! - words are upper case; `_` joins words ("connected": nothing may stand between them) and a
//!   trailing `_` marks a whole word; a word with no trailing `_` is a *stem* that also matches
//!   longer words (`ARNOR` matches "Arnorian");
//! - codes sit in square brackets at the end of the line; `;` (TABARI) and `#` (PETRARCH)
//!   start comments;
//! - dates in actor codes are `YYMMDD` or `YYYYMMDD`; a two-digit year below 30 is 20YY.

use chrono::NaiveDate;
use dyad_dict::LoadError;
use std::collections::BTreeMap;

fn err(file: &str, line: usize, reason: impl Into<String>) -> LoadError {
    LoadError::line(file, line, reason.into())
}

/// Strip a comment (`;` or `#` outside brackets) and surrounding space. `keep_hash` keeps `#`
/// (TABARI verb files use `[###]`, which the bracket rule already protects).
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ';' | '#' if depth <= 0 => return line[..i].trim_end(),
            _ => {}
        }
    }
    line.trim_end()
}

/// A CAMEO (or WEIS, or any user-defined) event code as written in a verb dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventCode {
    /// `[---]`: the words match but code nothing.
    Null,
    /// `[###]`: discard the sentence.
    Discard,
    /// `[CCC]`
    One(String),
    /// `[A:B]`: a paired event, A from source to target and B back (visit / receive).
    Paired(String, String),
    /// PETRARCH `[:B]`: only the event B, from target back to source.
    Reverse(String),
}

impl EventCode {
    pub fn parse(s: &str) -> Result<EventCode, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("empty code `[]`".into());
        }
        if s.chars().all(|c| c == '-' || c == ' ') {
            return Ok(EventCode::Null);
        }
        if s.chars().all(|c| c == '#') {
            return Ok(EventCode::Discard);
        }
        if let Some((a, b)) = s.split_once(':') {
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() && !b.is_empty() && !b.contains(char::is_whitespace) {
                return Ok(EventCode::Reverse(b.into()));
            }
            if a.is_empty() || b.is_empty() || a.contains(char::is_whitespace) || b.contains(char::is_whitespace) {
                return Err(format!("bad paired code [{s}] (expected [A:B])"));
            }
            return Ok(EventCode::Paired(a.into(), b.into()));
        }
        if s.contains(char::is_whitespace) {
            return Err(format!("bad code [{s}]: spaces inside a code"));
        }
        Ok(EventCode::One(s.to_string()))
    }

    /// The forward code (A of A:B); `None` for null and discard.
    pub fn primary(&self) -> Option<&str> {
        match self {
            EventCode::One(c) | EventCode::Paired(c, _) => Some(c),
            _ => None,
        }
    }
}

/// Split the trailing `[code]` off a line: (text before, code text). `None` if no bracket.
fn split_code(l: &str) -> Option<(&str, &str)> {
    let close = l.rfind(']')?;
    let open = l[..close].rfind('[')?;
    Some((&l[..open], &l[open + 1..close]))
}

/// All `[...]` groups of a line and the text before the first one.
fn brackets(l: &str) -> Result<(&str, Vec<&str>), String> {
    let first = match l.find('[') {
        Some(i) => i,
        None => return Ok((l, Vec::new())),
    };
    let mut out = Vec::new();
    let mut rest = &l[first..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some(r) = rest.strip_prefix('[') else {
            return Err(format!("unexpected text {rest:?} after a code"));
        };
        let close = r.find(']').ok_or("unclosed `[`")?;
        out.push(&r[..close]);
        rest = &r[close + 1..];
    }
    Ok((&l[..first], out))
}

// ---------------------------------------------------------------------------------------------
// Actors

/// One code of an actor, possibly limited to a date range (both ends inclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedCode {
    /// `None` for `[---]`: not an actor in that period.
    pub code: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// For a code-less period, TABARI's marker as written: `---` (not an actor), `###` (discard
    /// the sentence) or `+++` (the sentence is too complex to code).
    pub marker: Option<String>,
}

impl DatedCode {
    pub fn restricted(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }
}

/// Parse `YYMMDD` or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    if !s.chars().all(|c| c.is_ascii_digit()) || !(s.len() == 6 || s.len() == 8) {
        return Err(format!("bad date {s:?} (expected YYMMDD or YYYYMMDD)"));
    }
    let (y, rest) = if s.len() == 8 {
        (s[..4].parse::<i32>().unwrap_or(0), &s[4..])
    } else {
        let yy = s[..2].parse::<i32>().unwrap_or(0);
        (if yy < 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
    };
    let m = rest[..2].parse::<u32>().unwrap_or(0);
    let d = rest[2..].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("impossible date {s:?}"))
}

/// Parse the inside of an actor code bracket: `AZEGOV`, `AZEGOV >031031`, `AZEGOV <031031`,
/// `AZEELI 780101-030804`, `---`, `### <890101`.
pub fn parse_dated_code(s: &str) -> Result<DatedCode, String> {
    let mut parts = s.split_whitespace();
    let code = parts.next().ok_or("empty code `[]`")?;
    let restriction: String = parts.collect::<Vec<_>>().join("");
    let marker = if code.chars().all(|c| c == '-') {
        Some("---".to_string())
    } else if code.chars().all(|c| c == '#') {
        Some("###".to_string())
    } else if code == "+++" {
        Some("+++".to_string())
    } else {
        None
    };
    let code = if marker.is_some() {
        // `---` not an actor, `###` discard, `+++` complex: no code in that period
        None
    } else if code.split('/').all(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_alphanumeric())) {
        // TABARI `ELR/GAL`: the phrase names several actors
        Some(code.to_string())
    } else if code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Some(code.to_string())
    } else {
        return Err(format!("bad actor code {code:?}"));
    };
    let (mut from, mut to) = (None, None);
    if let Some(d) = restriction.strip_prefix('>') {
        from = Some(parse_date(d)?);
    } else if let Some(d) = restriction.strip_prefix('<') {
        to = Some(parse_date(d)?);
    } else if let Some((a, b)) = restriction.split_once('-') {
        from = Some(parse_date(a)?);
        to = Some(parse_date(b)?);
    } else if !restriction.is_empty() {
        return Err(format!("bad date restriction {restriction:?} (>D, <D or D1-D2)"));
    }
    Ok(DatedCode { code, from, to, marker })
}

/// One actor: its phrases (the first is the main name, the rest `+` synonyms) and its codes.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorEntry {
    pub phrases: Vec<String>,
    pub codes: Vec<DatedCode>,
    /// `file:line` of the entry.
    pub origin: String,
}

impl ActorEntry {
    /// The code on `date`: the first restricted code whose range contains it, else the
    /// unrestricted code; without a date, the unrestricted code, else the latest restricted one.
    pub fn code_on(&self, date: Option<NaiveDate>) -> Option<&str> {
        self.applicable(date).and_then(|c| c.code.as_deref())
    }

    /// The dated code in force on `date`, chosen as [`ActorEntry::code_on`] chooses, with its
    /// marker when it has no code (`[### <890101]`).
    pub fn applicable(&self, date: Option<NaiveDate>) -> Option<&DatedCode> {
        if let Some(d) = date {
            if let Some(c) = self.codes.iter().find(|c| c.restricted() && c.contains(d)) {
                return Some(c);
            }
        }
        if let Some(c) = self.codes.iter().find(|c| !c.restricted()) {
            return Some(c);
        }
        if date.is_some() {
            return None;
        }
        self.codes.iter().filter(|c| c.code.is_some()).max_by_key(|c| c.to.unwrap_or(NaiveDate::MAX))
    }
}

/// An actors file (TABARI `.actors`, Phoenix `*.actors.txt`).
#[derive(Clone, Debug, Default)]
pub struct ActorDict {
    pub entries: Vec<ActorEntry>,
    /// Words declared in `<NOUN>` / `<ADJECTIVE>` sections: (class, word).
    pub words: Vec<(String, String)>,
}

impl ActorDict {
    pub fn parse(file: &str, text: &str) -> (ActorDict, Vec<LoadError>) {
        let mut d = ActorDict::default();
        let mut errors = Vec::new();
        let mut section: Option<String> = None;
        // index of the entry the next `+` / indented code line belongs to, and whether a blank
        // line separated us from it
        let mut current: Option<usize> = None;
        let mut pending_codeless: Vec<usize> = Vec::new();
        // the last line that started (or extended) an entry's names
        let mut last_name_line = 0usize;
        let mut inline_coded: Vec<usize> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let indented = raw.starts_with('\t') || raw.starts_with(' ');
            let l = strip_comment(raw.trim_end_matches('\r')).trim();
            if l.is_empty() {
                continue;
            }
            if l.starts_with("~~") {
                // TABARI's end-of-file marker (`~~FINISH`)
                break;
            }
            if l.starts_with('<') {
                let tag = l.trim_matches(|c| c == '<' || c == '>').trim();
                if let Some(end) = tag.strip_prefix('/') {
                    if section.as_deref() != Some(end.trim()) {
                        errors.push(err(file, line, format!("closing <{tag}> without an open section")));
                    }
                    section = None;
                } else if matches!(tag, "NOUN" | "ADJECTIVE" | "VERB" | "ADVERB") {
                    section = Some(tag.to_string());
                } else {
                    errors.push(err(file, line, format!("unknown section <{tag}>")));
                }
                continue;
            }
            if let Some(class) = &section {
                d.words.push((class.clone(), l.to_string()));
                continue;
            }
            if indented && l.starts_with('[') {
                let Some(cur) = current else {
                    errors.push(err(file, line, "code line before any actor"));
                    continue;
                };
                match brackets(l) {
                    Ok((_, bs)) if !bs.is_empty() => {
                        for b in bs {
                            match parse_dated_code(b) {
                                Ok(c) => d.entries[cur].codes.push(c),
                                Err(e) => errors.push(err(file, line, e)),
                            }
                        }
                    }
                    Ok(_) => errors.push(err(file, line, "expected a `[CODE ...]`")),
                    Err(e) => errors.push(err(file, line, e)),
                }
                continue;
            }
            if let Some(syn) = l.strip_prefix('+') {
                let Some(cur) = current else {
                    errors.push(err(file, line, "synonym `+` line before any actor"));
                    continue;
                };
                match brackets(syn) {
                    Ok((name, bs)) => {
                        let name = name.trim();
                        if name.is_empty() {
                            errors.push(err(file, line, "empty synonym"));
                            continue;
                        }
                        d.entries[cur].phrases.push(name.to_string());
                        for b in bs {
                            match parse_dated_code(b) {
                                Ok(c) => d.entries[cur].codes.push(c),
                                Err(e) => errors.push(err(file, line, e)),
                            }
                        }
                    }
                    Err(e) => errors.push(err(file, line, e)),
                }
                continue;
            }
            // a new actor
            let (name, bs) = match brackets(l) {
                Ok(x) => x,
                Err(e) => {
                    errors.push(err(file, line, e));
                    current = None;
                    continue;
                }
            };
            let name = name.trim();
            if name.is_empty() {
                errors.push(err(file, line, "code without an actor phrase"));
                continue;
            }
            let mut codes = Vec::new();
            for b in bs {
                match parse_dated_code(b) {
                    Ok(c) => codes.push(c),
                    Err(e) => errors.push(err(file, line, e)),
                }
            }
            // A name line with no code right after another entry is another name of it
            // (Phoenix writes `UN_ [IGOUNO]` then `U.N._`).
            // Consecutive name lines with no code share the codes that follow them.
            let prev_codeless = current.is_some_and(|c| d.entries[c].codes.is_empty())
                && last_name_line > 0
                && text
                    .lines()
                    .skip(last_name_line)
                    .take(line - 1 - last_name_line)
                    .all(|x| strip_comment(x).trim().is_empty() || x.trim_start().starts_with('+'));
            if codes.is_empty() && prev_codeless {
                let cur = current.unwrap_or(0);
                d.entries[cur].phrases.push(name.to_string());
                last_name_line = line;
                continue;
            }
            last_name_line = line;
            d.entries.push(ActorEntry { phrases: vec![name.to_string()], codes, origin: format!("{file}:{line}") });
            current = Some(d.entries.len() - 1);
            if d.entries[d.entries.len() - 1].codes.is_empty() {
                pending_codeless.push(d.entries.len() - 1);
            } else {
                inline_coded.push(line);
            }
        }
        // entries that never received a code
        // A codeless name line right below a name line with its code inline, that never got
        // codes of its own, is another name of that entry (`UN_ [IGOUNO]` then `U.N._`).
        let line_of = |e: &ActorEntry| e.origin.rsplit(':').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        let mut dead = Vec::new();
        for &k in &pending_codeless {
            if k > 0
                && d.entries[k].codes.is_empty()
                && inline_coded.contains(&line_of(&d.entries[k - 1]))
                && line_of(&d.entries[k]) == line_of(&d.entries[k - 1]) + 1
            {
                let names = d.entries[k].phrases.clone();
                d.entries[k - 1].phrases.extend(names);
                dead.push(k);
            }
        }
        for k in pending_codeless {
            if d.entries[k].codes.is_empty() && !dead.contains(&k) {
                let origin = d.entries[k].origin.clone();
                let line = origin.rsplit(':').next().and_then(|n| n.parse().ok()).unwrap_or(0);
                errors.push(err(file, line, format!("actor {:?} has no code", d.entries[k].phrases[0])));
                dead.push(k);
            }
        }
        dead.sort_unstable();
        dead.dedup();
        for k in dead.into_iter().rev() {
            d.entries.remove(k);
        }
        errors.sort_by_key(|e| e.line);
        (d, errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Agents

/// One agent phrase and the code it composes with the actor's.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentEntry {
    /// The phrase and its listed plural / variant forms, substitution sets expanded.
    pub phrases: Vec<String>,
    /// The code without the `~`.
    pub code: String,
    /// `[CODE~]`: the code goes *before* the actor's (`NGO~` + `ARN` = `NGOARN`); otherwise
    /// `[~CODE]` goes after (`ARN` + `~GOV` = `ARNGOV`).
    pub prefix: bool,
    pub origin: String,
}

/// An agents file (TABARI `.agents`, Phoenix `Phoenix.agents.txt`).
#[derive(Clone, Debug, Default)]
pub struct AgentDict {
    pub entries: Vec<AgentEntry>,
    /// Substitution sets `!PERSON! = MAN, MEN, ...`.
    pub sets: BTreeMap<String, Vec<String>>,
}

fn expand_sets(s: &str, sets: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>, String> {
    let Some(a) = s.find('!') else { return Ok(vec![s.to_string()]) };
    let b = s[a + 1..].find('!').ok_or_else(|| format!("unclosed substitution set in {s:?}"))? + a + 1;
    let name = &s[a..=b];
    let alts = sets.get(name).ok_or_else(|| format!("unknown substitution set {name}"))?;
    let mut out = Vec::new();
    for alt in alts {
        for rest in expand_sets(&s[b + 1..], sets)? {
            out.push(format!("{}{}{}", &s[..a], alt, rest));
        }
    }
    Ok(out)
}

impl AgentDict {
    pub fn parse(file: &str, text: &str) -> (AgentDict, Vec<LoadError>) {
        let mut d = AgentDict::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = strip_comment(raw.trim_end_matches('\r')).trim();
            if l.is_empty() {
                continue;
            }
            if l.starts_with('!') {
                if let Some((name, vals)) = l.split_once('=') {
                    let name = name.trim().to_string();
                    if !(name.len() > 2 && name.ends_with('!')) {
                        errors.push(err(file, line, format!("bad substitution set name {name:?}")));
                        continue;
                    }
                    let vals: Vec<String> =
                        vals.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
                    if vals.is_empty() {
                        errors.push(err(file, line, "empty substitution set"));
                        continue;
                    }
                    d.sets.insert(name, vals);
                    continue;
                }
            }
            let Some((before, code)) = split_code(l) else {
                errors.push(err(file, line, "agent without a `[~CODE]`"));
                continue;
            };
            let code = code.trim();
            let (code, prefix) = if let Some(c) = code.strip_prefix('~') {
                (c.trim(), false)
            } else if let Some(c) = code.strip_suffix('~') {
                (c.trim(), true)
            } else {
                errors.push(err(file, line, format!("agent code [{code}] has no `~` (use [~CODE] or [CODE~])")));
                continue;
            };
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.push(err(file, line, format!("bad agent code {code:?}")));
                continue;
            }
            // PHRASE {PLURAL FORMS}
            let (phrase, forms) = match before.find('{') {
                Some(a) => {
                    let Some(b) = before[a..].find('}') else {
                        errors.push(err(file, line, "unclosed `{`"));
                        continue;
                    };
                    (before[..a].trim(), before[a + 1..a + b].split_whitespace().collect::<Vec<_>>())
                }
                None => (before.trim(), Vec::new()),
            };
            if phrase.is_empty() {
                errors.push(err(file, line, "empty agent phrase"));
                continue;
            }
            let mut phrases = Vec::new();
            for p in std::iter::once(phrase).chain(forms) {
                match expand_sets(p, &d.sets) {
                    Ok(v) => phrases.extend(v),
                    Err(e) => errors.push(err(file, line, e)),
                }
            }
            if phrases.is_empty() {
                continue;
            }
            d.entries.push(AgentEntry { phrases, code: code.to_string(), prefix, origin: format!("{file}:{line}") });
        }
        (d, errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Verbs

/// One element of a verb pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum PElem {
    /// `*`: the verb.
    Verb,
    /// `$`
    Source,
    /// `+`
    Target,
    /// `%`: a compound actor, source and target of each other.
    Compound,
    /// `^`: skip one actor.
    Skip,
    /// A word; `stem` when it had no trailing `_`; `joined` when `_` ties it to the next element.
    Word { text: String, stem: bool, joined: bool },
    /// `{ a | b }` alternatives (TABARI).
    Alt(Vec<Vec<PElem>>),
    /// `&NAME`: one member of a synset; `joined` as for words.
    Synset { name: String, joined: bool },
    /// PETRARCH `{A B}`: a noun phrase, head last.
    NounPhrase(Vec<String>),
    /// PETRARCH `(PREP NOUN ...)`: a prepositional phrase.
    Prep(Vec<PElem>),
}

/// One pattern line `- ... [code]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub elems: Vec<PElem>,
    pub code: EventCode,
    pub text: String,
    pub origin: String,
}

/// A verb (or multi-word verb) with its listed irregular forms.
#[derive(Clone, Debug, PartialEq)]
pub struct VerbWord {
    /// As written: `ABANDON`, `ACT_`, `CALL_OFF`.
    pub word: String,
    pub forms: Vec<String>,
    /// A code of this word overriding the block's.
    pub code: Option<EventCode>,
}

/// A verb block: TABARI's root with its patterns, or PETRARCH's `--- NAME [code] ---` block
/// with its synonyms and patterns.
#[derive(Clone, Debug, PartialEq)]
pub struct VerbBlock {
    pub name: String,
    pub code: EventCode,
    pub verbs: Vec<VerbWord>,
    pub patterns: Vec<Pattern>,
    pub origin: String,
}

/// A PETRARCH transformation `~ a (a b VERB) SAY = a b 138`.
#[derive(Clone, Debug, PartialEq)]
pub struct Transformation {
    pub lhs: String,
    pub rhs: String,
    pub origin: String,
}

/// A TABARI `<TIME>` entry: a phrase and its day shift (or `[###]`/`[---]`/`[+++]`).
#[derive(Clone, Debug, PartialEq)]
pub struct TimeShift {
    pub phrase: String,
    pub shift: String,
    pub origin: String,
}

/// A verb dictionary: TABARI `.verbs` or PETRARCH2 `CAMEO.2.0.txt`.
#[derive(Clone, Debug, Default)]
pub struct VerbDict {
    /// `&NAME` → members (each a phrase as written).
    pub synsets: BTreeMap<String, Vec<String>>,
    pub verbs: Vec<VerbBlock>,
    pub transformations: Vec<Transformation>,
    pub times: Vec<TimeShift>,
}

/// Split a pattern body into elements.
pub fn parse_pattern_elems(s: &str, synsets: &BTreeMap<String, Vec<String>>) -> Result<Vec<PElem>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out: Vec<PElem> = Vec::new();
    fn set_joined(out: &mut [PElem]) {
        match out.last_mut() {
            Some(PElem::Word { joined, stem, .. }) => {
                *joined = true;
                *stem = false;
            }
            Some(PElem::Synset { joined, .. }) => *joined = true,
            _ => {}
        }
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => {
                i += 1;
            }
            '_' => {
                // a connector (or the end-of-word mark when space follows)
                match out.last_mut() {
                    Some(PElem::Word { stem, joined, .. }) => {
                        *stem = false;
                        *joined = i + 1 < chars.len() && !chars[i + 1].is_whitespace();
                    }
                    Some(PElem::Synset { joined, .. }) => {
                        *joined = i + 1 < chars.len() && !chars[i + 1].is_whitespace();
                    }
                    _ => {}
                }
                i += 1;
            }
            '*' => {
                out.push(PElem::Verb);
                i += 1;
            }
            '$' => {
                out.push(PElem::Source);
                i += 1;
            }
            '+' => {
                out.push(PElem::Target);
                i += 1;
            }
            '%' => {
                out.push(PElem::Compound);
                i += 1;
            }
            '^' => {
                out.push(PElem::Skip);
                i += 1;
            }
            '{' | '(' => {
                let close = if c == '{' { '}' } else { ')' };
                let mut depth = 0;
                let mut j = i;
                while j < chars.len() {
                    if chars[j] == c {
                        depth += 1;
                    } else if chars[j] == close || (c == '{' && chars[j] == ']' && depth == 1) {
                        // TABARI reads `{ A | B ]` (a typo in its own files) as `{ A | B }`
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(format!("unclosed `{c}`"));
                }
                let inner: String = chars[i + 1..j].iter().collect();
                if c == '(' {
                    out.push(PElem::Prep(parse_pattern_elems(&inner, synsets)?));
                } else if inner.contains('|') {
                    let mut alts = Vec::new();
                    for a in inner.split('|') {
                        let e = parse_pattern_elems(a, synsets)?;
                        if e.is_empty() {
                            return Err("empty alternative in `{ | }`".into());
                        }
                        alts.push(e);
                    }
                    out.push(PElem::Alt(alts));
                } else {
                    let words: Vec<String> = inner.split_whitespace().map(|w| w.to_string()).collect();
                    if words.is_empty() {
                        return Err("empty `{}`".into());
                    }
                    out.push(PElem::NounPhrase(words));
                }
                i = j + 1;
            }
            '}' | ')' => return Err(format!("unbalanced `{c}`")),
            '|' => return Err("`|` outside `{ }`".into()),
            '&' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '-') {
                    j += 1;
                }
                let raw: String = chars[i..j].iter().collect();
                // the longest declared synset name that is a prefix of `raw` (names may end in `_`)
                let mut name = None;
                let mut k = raw.len();
                while k > 1 {
                    if raw.is_char_boundary(k) && synsets.contains_key(&raw[..k]) {
                        name = Some(raw[..k].to_string());
                        break;
                    }
                    k -= 1;
                }
                let Some(name) = name else {
                    return Err(format!("unknown synset {raw}"));
                };
                let used = name.chars().count();
                out.push(PElem::Synset { name, joined: false });
                i += used;
                if i < chars.len() && chars[i] == '_' {
                    set_joined(&mut out);
                    let next_space = i + 1 >= chars.len() || chars[i + 1].is_whitespace();
                    if next_space {
                        if let Some(PElem::Synset { joined, .. }) = out.last_mut() {
                            *joined = false;
                        }
                    }
                    i += 1;
                }
            }
            _ => {
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(chars[j], '_' | '{' | '}' | '(' | ')' | '|')
                {
                    // `*`, `$`, `+`, `%`, `^` inside a word belong to it ("PESO_$" is a literal)
                    if j > i && matches!(chars[j], '*' | '&') {
                        break;
                    }
                    j += 1;
                }
                let text: String = chars[i..j].iter().collect();
                out.push(PElem::Word { text, stem: true, joined: false });
                i = j;
            }
        }
    }
    Ok(out)
}

fn count_verbs(e: &[PElem]) -> usize {
    e.iter()
        .map(|x| match x {
            PElem::Verb => 1,
            PElem::Alt(a) => a.iter().map(|v| count_verbs(v)).max().unwrap_or(0),
            PElem::Prep(v) => count_verbs(v),
            _ => 0,
        })
        .sum()
}

/// Split `WORD {FORMS ...} [code]` into parts.
fn verb_line(l: &str) -> Result<(String, Vec<String>, Option<EventCode>), String> {
    let (body, code) = match split_code(l) {
        Some((b, c)) => (b, Some(EventCode::parse(c)?)),
        None => (l, None),
    };
    let (word, forms) = match body.find('{') {
        Some(a) => {
            let b = body[a..].find('}').ok_or("unclosed `{`")? + a;
            if !body[b + 1..].trim().is_empty() {
                return Err(format!("unexpected text {:?} after the forms", body[b + 1..].trim()));
            }
            (
                body[..a].trim(),
                body[a + 1..b].split_whitespace().map(|s| s.trim_start_matches('+').to_string()).collect(),
            )
        }
        None => (body.trim(), Vec::new()),
    };
    if word.is_empty() {
        return Err("empty verb".into());
    }
    // TABARI allows `EXPERTS SAY`: words apart (others may stand between them)
    Ok((word.split_whitespace().collect::<Vec<_>>().join(" "), forms, code))
}

impl VerbDict {
    pub fn parse(file: &str, text: &str) -> (VerbDict, Vec<LoadError>) {
        let mut d = VerbDict::default();
        let mut errors = Vec::new();
        let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let petrarch = lines.iter().any(|l| l.trim_start().starts_with("--- "));
        // pass 1: synset names, so patterns can refer to sets declared later
        let mut current_syn: Option<String> = None;
        let mut in_synsets = false;
        let mut syn_lines = vec![false; lines.len()];
        for (i, raw) in lines.iter().enumerate() {
            let l = strip_comment(raw).trim();
            if l.eq_ignore_ascii_case("<SYNSETS>") {
                in_synsets = true;
                continue;
            }
            if l.eq_ignore_ascii_case("</SYNSETS>") {
                in_synsets = false;
                current_syn = None;
                continue;
            }
            if l.is_empty() {
                continue;
            }
            if l.starts_with("~~") {
                break;
            }
            if let Some(name) = l.strip_prefix('&') {
                let name = format!("&{}", name.trim());
                d.synsets.entry(name.clone()).or_default();
                current_syn = Some(name);
                syn_lines[i] = true;
                continue;
            }
            if let (Some(m), Some(name)) = (l.strip_prefix('+'), current_syn.as_ref()) {
                if let Some(v) = d.synsets.get_mut(name) {
                    v.push(m.trim().to_string());
                }
                syn_lines[i] = true;
                continue;
            }
            if !in_synsets {
                current_syn = None;
            }
        }
        // pass 2: everything else
        let mut current: Option<usize> = None; // verb block
        let mut section: Option<String> = None;
        for (i, raw) in lines.iter().enumerate() {
            let line = i + 1;
            if syn_lines[i] {
                continue;
            }
            let l = strip_comment(raw).trim();
            if l.is_empty() {
                continue;
            }
            if l.starts_with("~~") {
                // TABARI's end-of-file marker (`~~FINISH`)
                break;
            }
            let origin = format!("{file}:{line}");
            if l.starts_with('<') && l.ends_with('>') {
                let tag = l[1..l.len() - 1].trim().to_ascii_uppercase();
                if let Some(t) = tag.strip_prefix('/') {
                    if section.as_deref() != Some(t) {
                        errors.push(err(file, line, format!("closing <{tag}> without an open section")));
                    }
                    section = None;
                } else if matches!(tag.as_str(), "SYNSETS" | "TIME" | "NOUN" | "ADJECTIVE") {
                    section = Some(tag);
                } else {
                    errors.push(err(file, line, format!("unknown section <{tag}>")));
                }
                continue;
            }
            if section.as_deref() == Some("SYNSETS") {
                errors.push(err(file, line, "line in <SYNSETS> is neither `&NAME` nor `+MEMBER`"));
                continue;
            }
            if section.as_deref() == Some("TIME") {
                match split_code(l) {
                    Some((p, c)) => {
                        let p = p.trim().trim_start_matches('-').trim();
                        d.times.push(TimeShift { phrase: p.to_string(), shift: c.trim().to_string(), origin });
                    }
                    None => errors.push(err(file, line, "time entry without a `[shift]`")),
                }
                continue;
            }
            if let Some(t) = l.strip_prefix('~') {
                match t.split_once('=') {
                    Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => d
                        .transformations
                        .push(Transformation { lhs: a.trim().to_string(), rhs: b.trim().to_string(), origin }),
                    _ => errors.push(err(file, line, "transformation without `LHS = RHS`")),
                }
                continue;
            }
            if l.starts_with("---") {
                let inner = l.trim_matches('-').trim();
                match split_code(inner) {
                    Some((name, code)) => match EventCode::parse(code) {
                        Ok(code) => {
                            d.verbs.push(VerbBlock {
                                name: name.trim().to_string(),
                                code,
                                verbs: Vec::new(),
                                patterns: Vec::new(),
                                origin,
                            });
                            current = Some(d.verbs.len() - 1);
                        }
                        Err(e) => {
                            errors.push(err(file, line, e));
                            current = None;
                        }
                    },
                    None => {
                        errors.push(err(file, line, "block header without `[code]`"));
                        current = None;
                    }
                }
                continue;
            }
            if let Some(body) = l.strip_prefix('-') {
                let Some(cur) = current else {
                    errors.push(err(file, line, "pattern before any verb"));
                    continue;
                };
                let Some((p, code)) = split_code(body) else {
                    errors.push(err(file, line, "pattern without a `[code]`"));
                    continue;
                };
                let code = match EventCode::parse(code) {
                    Ok(c) => c,
                    Err(e) => {
                        errors.push(err(file, line, e));
                        continue;
                    }
                };
                match parse_pattern_elems(p, &d.synsets) {
                    Ok(elems) => {
                        let n = count_verbs(&elems);
                        if n != 1 {
                            errors.push(err(file, line, format!("a pattern needs one `*` (the verb), found {n}")));
                            continue;
                        }
                        d.verbs[cur].patterns.push(Pattern { elems, code, text: p.trim().to_string(), origin });
                    }
                    Err(e) => errors.push(err(file, line, e)),
                }
                continue;
            }
            if l.starts_with('{') {
                // TABARI irregular forms of the verb just above
                let Some(cur) = current else {
                    errors.push(err(file, line, "forms `{...}` before any verb"));
                    continue;
                };
                let Some(close) = l.find('}') else {
                    errors.push(err(file, line, "unclosed `{`"));
                    continue;
                };
                let forms = l[1..close].split_whitespace().map(String::from);
                if let Some(v) = d.verbs[cur].verbs.last_mut() {
                    v.forms.extend(forms);
                }
                continue;
            }
            if l.starts_with('+') && !petrarch {
                errors.push(err(file, line, "`+` line outside a synset"));
                continue;
            }
            // a verb line
            match verb_line(l.trim_start_matches('+')) {
                Ok((word, forms, code)) => {
                    if petrarch {
                        let Some(cur) = current else {
                            errors.push(err(file, line, "verb before any `--- NAME [code] ---` block"));
                            continue;
                        };
                        d.verbs[cur].verbs.push(VerbWord { word, forms, code });
                    } else {
                        let Some(code) = code else {
                            errors.push(err(file, line, format!("verb {word:?} without a `[code]`")));
                            current = None;
                            continue;
                        };
                        d.verbs.push(VerbBlock {
                            name: word.clone(),
                            code,
                            verbs: vec![VerbWord { word, forms, code: None }],
                            patterns: Vec::new(),
                            origin,
                        });
                        current = Some(d.verbs.len() - 1);
                    }
                }
                Err(e) => errors.push(err(file, line, e)),
            }
        }
        (d, errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Discards, issues

/// Discard phrases: a sentence containing one is not coded; a story-level one (`+` prefix)
/// drops the whole story.
#[derive(Clone, Debug, Default)]
pub struct Discards {
    pub sentence: Vec<String>,
    pub story: Vec<String>,
}

impl Discards {
    pub fn parse(file: &str, text: &str) -> (Discards, Vec<LoadError>) {
        let mut d = Discards::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let l = strip_comment(raw.trim_end_matches('\r')).trim();
            if l.is_empty() {
                continue;
            }
            if l.contains('\t') {
                errors.push(err(file, i + 1, "tab-separated data, not a discard phrase"));
                continue;
            }
            // TABARI's discards list may carry a `[###]` code: the phrase is what matters
            let l = match split_code(l) {
                Some((p, c)) if EventCode::parse(c).is_ok() => p.trim(),
                Some(_) => {
                    errors.push(err(file, i + 1, "bad code on a discard line"));
                    continue;
                }
                None => l,
            };
            if let Some(p) = l.strip_prefix('+') {
                if p.trim().is_empty() {
                    errors.push(err(file, i + 1, "empty story discard"));
                } else {
                    d.story.push(p.trim().to_string());
                }
            } else if l.is_empty() {
                errors.push(err(file, i + 1, "empty discard"));
            } else {
                d.sentence.push(l.to_string());
            }
        }
        (d, errors)
    }
}

/// Issue coding (PETRARCH `Phoenix.IssueCoding.txt`): phrases that tag an event with an issue.
#[derive(Clone, Debug, Default)]
pub struct Issues {
    /// (category, phrase as written, issue code)
    pub entries: Vec<(String, String, String)>,
    /// (category, phrase): `~` lines that block the issue.
    pub exclusions: Vec<(String, String)>,
}

impl Issues {
    pub fn parse(file: &str, text: &str) -> (Issues, Vec<LoadError>) {
        let mut d = Issues::default();
        let mut errors = Vec::new();
        let mut category: Option<String> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = strip_comment(raw.trim_end_matches('\r')).trim();
            if l.is_empty() {
                continue;
            }
            if let Some(tag) = l.strip_prefix('<') {
                let tag = tag.trim_end_matches('>').trim();
                if tag.starts_with('/') {
                    category = None;
                } else if let Some(rest) = tag.strip_prefix("ISSUE") {
                    let cat = rest.split("CATEGORY=").nth(1).and_then(|s| s.split('"').nth(1));
                    match cat {
                        Some(c) => category = Some(c.to_string()),
                        None => errors.push(err(file, line, "<ISSUE> without CATEGORY=\"...\"")),
                    }
                } else {
                    errors.push(err(file, line, format!("unknown tag <{tag}>")));
                }
                continue;
            }
            let Some(cat) = category.clone() else {
                errors.push(err(file, line, "issue phrase outside an <ISSUE> block"));
                continue;
            };
            if let Some(x) = l.strip_prefix('~') {
                d.exclusions.push((cat, x.trim().to_string()));
                continue;
            }
            match split_code(l) {
                Some((p, c)) if !p.trim().is_empty() && !c.trim().is_empty() => {
                    d.entries.push((cat, p.trim().to_string(), c.trim().to_string()))
                }
                // a phrase without a code shares the code of the line above (`eu [EUROPEAN_UNION]`
                // then `european central bank`)
                None if d.entries.last().is_some_and(|e| e.0 == cat) => {
                    let code = d.entries.last().map(|e| e.2.clone()).unwrap_or_default();
                    d.entries.push((cat, l.to_string(), code))
                }
                _ => errors.push(err(file, line, "issue phrase without `[ISSUE]`")),
            }
        }
        (d, errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Options, project, PETRARCH config

/// A TABARI options file: `KEYWORD: arguments` commands (`COMPLEX:`, `SET:`, `LABEL:`, ...).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// (keyword upper-cased, arguments, line)
    pub commands: Vec<(String, String, usize)>,
}

/// The option keywords TABARI defines.
pub const OPTION_KEYWORDS: &[&str] =
    &["COMPLEX", "SET", "OUTPUT", "LABEL", "DEFAULT", "COMMA", "FORWARD", "CODE", "TIME", "FBIS", "ISSUES", "CONVERT"];

impl Options {
    pub fn parse(file: &str, text: &str) -> (Options, Vec<LoadError>) {
        let mut d = Options::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim_end_matches('\r').trim();
            if l.is_empty() || l.starts_with("//") {
                continue;
            }
            if l.starts_with("~~") {
                // TABARI's end-of-file marker
                break;
            }
            match Self::parse_command(l) {
                Ok((k, v)) => d.commands.push((k, v, i + 1)),
                Err(e) => errors.push(err(file, i + 1, e)),
            }
        }
        (d, errors)
    }

    /// Parse `KEYWORD: args` (also used for `{ OPTION: ... }` records of `Validate.text`).
    pub fn parse_command(l: &str) -> Result<(String, String), String> {
        let Some((k, v)) = l.split_once(':') else {
            return Err("expected `KEYWORD: arguments`".into());
        };
        let k = k.trim().to_ascii_uppercase();
        if !OPTION_KEYWORDS.contains(&k.as_str()) {
            return Err(format!("unknown option keyword {k:?}"));
        }
        Ok((k, v.trim().to_string()))
    }
}

/// A TABARI project file: the first line is a title, then `<tag> value` lines naming the
/// files; `<session ...>` lines are the coding log.
#[derive(Clone, Debug, Default)]
pub struct Project {
    pub title: String,
    /// tag (lower case, e.g. `actorsfile`) → file name
    pub files: BTreeMap<String, String>,
    pub sessions: usize,
}

impl Project {
    pub fn parse(file: &str, text: &str) -> (Project, Vec<LoadError>) {
        let mut d = Project::default();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim_end_matches('\r').trim();
            if l.is_empty() {
                continue;
            }
            if i == 0 && !l.starts_with('<') {
                d.title = l.to_string();
                continue;
            }
            if l.starts_with("<session") {
                d.sessions += 1;
                continue;
            }
            let Some(rest) = l.strip_prefix('<') else {
                errors.push(err(file, i + 1, "expected `<tag> value`"));
                continue;
            };
            let Some((tag, value)) = rest.split_once('>') else {
                errors.push(err(file, i + 1, "unclosed `<tag>`"));
                continue;
            };
            d.files.insert(tag.trim().to_ascii_lowercase(), value.trim().to_string());
        }
        (d, errors)
    }
}

/// PETRARCH2's `PETR_config.ini`: `[section]` headers and `key = value` lines.
#[derive(Clone, Debug, Default)]
pub struct PetrConfig {
    /// `section.key` → value
    pub values: BTreeMap<String, String>,
}

impl PetrConfig {
    pub fn parse(file: &str, text: &str) -> (PetrConfig, Vec<LoadError>) {
        let mut d = PetrConfig::default();
        let mut errors = Vec::new();
        let mut section = String::new();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim_end_matches('\r').trim();
            if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
                continue;
            }
            if l.starts_with('[') && l.ends_with(']') {
                section = l[1..l.len() - 1].trim().to_string();
                continue;
            }
            match l.split_once('=').or_else(|| l.split_once(':')) {
                Some((k, v)) if !k.trim().is_empty() => {
                    d.values.insert(format!("{section}.{}", k.trim()), v.trim().to_string());
                }
                _ => errors.push(err(file, i + 1, "expected `key = value` or `[section]`")),
            }
        }
        (d, errors)
    }

    /// A value by `section.key`, with continuation lines of the value joined by the ini rules
    /// (not needed by the shipped files, which keep each value on one line).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_codes() {
        let c = parse_dated_code("AZEGOV >031031").unwrap();
        assert_eq!(c.from, NaiveDate::from_ymd_opt(2003, 10, 31));
        let c = parse_dated_code("AZEELI 780101-030804").unwrap();
        assert_eq!(c.from, NaiveDate::from_ymd_opt(1978, 1, 1));
        assert_eq!(c.to, NaiveDate::from_ymd_opt(2003, 8, 4));
        assert!(parse_dated_code("AZE GOV").is_err());
        assert!(parse_dated_code("AZE 991399").is_err());
    }

    #[test]
    fn patterns() {
        let mut syn = BTreeMap::new();
        syn.insert("&TIETYPES".to_string(), vec!["MILITARY".to_string()]);
        let e = parse_pattern_elems("SUGGESTED_+ * DEMAND_{ GENEVA_ | INTERNATIONAL }_CONVENTIONS", &syn).unwrap();
        assert_eq!(e[0], PElem::Word { text: "SUGGESTED".into(), stem: false, joined: true });
        assert_eq!(e[1], PElem::Target);
        assert_eq!(e[2], PElem::Verb);
        assert!(matches!(&e[4], PElem::Alt(a) if a.len() == 2));
        let e = parse_pattern_elems("* NEW_&TIETYPES_RELATIONS", &syn).unwrap();
        assert_eq!(e[2], PElem::Synset { name: "&TIETYPES".into(), joined: true });
        assert!(parse_pattern_elems("* &NOPE", &syn).is_err());
        assert!(parse_pattern_elems("* {A | B", &syn).is_err());
    }

    #[test]
    fn bad_lines_are_reported() {
        let (v, e) = VerbDict::parse("t.verbs", "ABDUCT [181]\n- + * BY_ $ [181]\n- + BY_ $ [181]\nSEIZE\n");
        assert_eq!(v.verbs.len(), 1);
        assert_eq!(v.verbs[0].patterns.len(), 1);
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, Some(3));
        let (a, e) = AgentDict::parse("t.agents", "!P! = MAN, MEN\nCATTLE!P! [~AGR]\nX [AGR]\n");
        assert_eq!(a.entries[0].phrases, vec!["CATTLEMAN", "CATTLEMEN"]);
        assert_eq!(e.len(), 1);
    }
}

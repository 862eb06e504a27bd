//! From TABARI / PETRARCH2 dictionaries to dyad's tables, and to dyad's text format.
//!
//! The mapping:
//!
//! | legacy | dyad |
//! | --- | --- |
//! | actor with one undated code (`ARNOR [ARN]`) | a polity with that code (3 letters) or a person with one open term (longer codes: country = first 3 letters, sector = the rest) |
//! | actor with dated codes (`[AZEGOV >031031]`) | a person with one term per dated code; the undated code is a term with no dates, tried last |
//! | agent `[~GOVFRM]` | a role word with sector `GOVFRM` (so "Arnor's foreign minister" is `ARN` + `GOVFRM`) |
//! | agent `[NGO~]` (prefix) | a role word with sector `NGO` — dyad appends, it does not prepend (reported) |
//! | verb root / PETRARCH block | a `VERB` trigger; TABARI words without `_` are stems (prefix match) |
//! | pattern `- $ * WITH +  [036]` | a rule `$ * with +`; `a_b` joined words become one literal phrase, `{a|b}` and `&SYNSET` become alternatives |
//! | `[A:B]` | a rule coding A (the paired B event is reported as not converted) |
//! | `[---]`, `[###]` | a null rule |
//!
//! What cannot be mapped is reported per line as a [`LoadError`] with a reason; nothing is
//! dropped silently.

use crate::files::*;
use crate::read_text;
use dyad_dict::phrase::CaseRule;
use dyad_dict::{
    ActorHit, Dictionaries, Elem, LoadError, Person, Polity, PolityKind, Role, Rule, Term, Trigger, TriggerForm,
    TriggerKind,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A set of legacy dictionaries, loaded from a TABARI project, a PETRARCH config, or files.
#[derive(Clone, Debug, Default)]
pub struct Legacy {
    pub verbs: Vec<(String, VerbDict)>,
    pub actors: Vec<(String, ActorDict)>,
    pub agents: Vec<(String, AgentDict)>,
    pub discards: Vec<(String, Discards)>,
    pub issues: Vec<(String, Issues)>,
    pub options: Vec<(String, Options)>,
    /// TABARI verb files use stems (prefix matches); PETRARCH2 verbs use regular forms.
    pub tabari_verbs: bool,
}

fn resolve(base: &Path, name: &str) -> PathBuf {
    let p = PathBuf::from(name.trim());
    if p.is_absolute() {
        p
    } else {
        base.join(p)
    }
}

impl Legacy {
    /// Load one file, its kind chosen by name. Read errors and bad lines come back in the list.
    pub fn add_file(&mut self, path: &Path) -> Vec<LoadError> {
        let label = path.display().to_string();
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => return vec![e],
        };
        self.add_text(&label, &text)
    }

    /// Load one file's text, its kind chosen by `label`'s name.
    pub fn add_text(&mut self, label: &str, text: &str) -> Vec<LoadError> {
        match crate::FileKind::from_name(label) {
            Some(crate::FileKind::TabariVerbs) | Some(crate::FileKind::PetrarchVerbs) => {
                let (d, e) = VerbDict::parse(label, text);
                if crate::FileKind::from_name(label) == Some(crate::FileKind::TabariVerbs) {
                    self.tabari_verbs = true;
                }
                self.verbs.push((label.into(), d));
                e
            }
            Some(crate::FileKind::Actors) => {
                let (d, e) = ActorDict::parse(label, text);
                self.actors.push((label.into(), d));
                e
            }
            Some(crate::FileKind::Agents) => {
                let (d, e) = AgentDict::parse(label, text);
                self.agents.push((label.into(), d));
                e
            }
            Some(crate::FileKind::Discards) => {
                let (d, e) = Discards::parse(label, text);
                self.discards.push((label.into(), d));
                e
            }
            Some(crate::FileKind::Issues) => {
                let (d, e) = Issues::parse(label, text);
                self.issues.push((label.into(), d));
                e
            }
            Some(crate::FileKind::Options) => {
                let (d, e) = Options::parse(label, text);
                self.options.push((label.into(), d));
                e
            }
            _ => crate::check_text(label, text).errors,
        }
    }

    /// Load the files a TABARI `.project` names (actors, verbs, agents, options).
    pub fn tabari_project(path: &Path) -> (Legacy, Vec<LoadError>) {
        let mut l = Legacy { tabari_verbs: true, ..Default::default() };
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => return (l, vec![e]),
        };
        let (p, mut errors) = Project::parse(&path.display().to_string(), &text);
        let base = path.parent().unwrap_or(Path::new("."));
        for tag in ["verbsfile", "actorsfile", "agentsfile", "optionsfile"] {
            if let Some(f) = p.files.get(tag) {
                for name in f.split_whitespace() {
                    errors.extend(l.add_file(&resolve(base, name)));
                }
            }
        }
        (l, errors)
    }

    /// Load the files a PETRARCH2 `PETR_config.ini` names.
    pub fn petrarch_config(path: &Path) -> (Legacy, Vec<LoadError>) {
        let mut l = Legacy::default();
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => return (l, vec![e]),
        };
        let (c, mut errors) = PetrConfig::parse(&path.display().to_string(), &text);
        let base = path.parent().unwrap_or(Path::new("."));
        for key in [
            "Dictionaries.verbfile_name",
            "Dictionaries.actorfile_list",
            "Dictionaries.agentfile_name",
            "Dictionaries.discardfile_name",
            "Dictionaries.issuefile_name",
        ] {
            if let Some(v) = c.get(key) {
                for name in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    errors.extend(l.add_file(&resolve(base, name)));
                }
            }
        }
        (l, errors)
    }

    /// Add everything to `d` (after what it holds already). Returns what could not be converted.
    pub fn into_dictionaries(&self, d: &mut Dictionaries) -> Vec<LoadError> {
        let mut notes = Vec::new();
        for (_, a) in &self.actors {
            add_actors(d, a, &mut notes);
        }
        for (_, a) in &self.agents {
            add_agents(d, a, &mut notes);
        }
        for (label, v) in &self.verbs {
            add_verbs(d, label, v, self.tabari_verbs, &mut notes);
        }
        for (_, ds) in &self.discards {
            // TABARI's phrases are stems unless they end in `_`, like its other lists
            let words = |p: &str| index_words(&phrase_words(p, self.tabari_verbs), false);
            for p in &ds.sentence {
                d.discards.sentence.insert_words(words(p), ());
            }
            for p in &ds.story {
                d.discards.story.insert_words(words(p), ());
            }
        }
        notes
    }
}

/// Words of a legacy phrase, each with "is a stem": `_` and spaces separate words; the last word
/// is a stem unless the phrase ends with `_`. Words are folded and split like dyad's text.
pub fn phrase_words(phrase: &str, stems: bool) -> Vec<(String, bool)> {
    let exact_end = phrase.ends_with('_');
    let raw: Vec<&str> = phrase.split(|c: char| c == '_' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    for (k, w) in raw.iter().enumerate() {
        let toks = dyad_text::tokenize(w);
        let n = toks.len();
        for (j, t) in toks.into_iter().enumerate() {
            let last = k + 1 == raw.len() && j + 1 == n;
            out.push((t.norm, stems && last && !exact_end && t.kind == dyad_text::TokenKind::Word));
        }
    }
    out
}

fn index_words(words: &[(String, bool)], first_capital: bool) -> Vec<(String, CaseRule)> {
    words
        .iter()
        .enumerate()
        .map(|(k, (w, stem))| {
            let w = if *stem && w.chars().count() >= 3 { format!("{w}*") } else { w.clone() };
            (w, if k == 0 && first_capital { CaseRule::Capital } else { CaseRule::Any })
        })
        .collect()
}

fn split_code(code: &str) -> (String, String) {
    let cut = code.char_indices().nth(3).map(|(i, _)| i).unwrap_or(code.len());
    (code[..cut].to_string(), code[cut..].to_string())
}

fn add_actors(d: &mut Dictionaries, a: &ActorDict, notes: &mut Vec<LoadError>) {
    let t = &mut d.actors;
    for e in &a.entries {
        let undated: Vec<&DatedCode> = e.codes.iter().filter(|c| !c.restricted()).collect();
        let dated: Vec<&DatedCode> = e.codes.iter().filter(|c| c.restricted()).collect();
        let hit = if dated.is_empty() && undated.len() == 1 && undated[0].code.as_deref().is_some_and(|c| c.len() == 3)
        {
            let code = undated[0].code.clone().unwrap_or_default();
            let id = match t.polities.iter().position(|p| p.code == code) {
                Some(id) => id,
                None => {
                    t.polities.push(Polity {
                        code: code.clone(),
                        kind: PolityKind::Country,
                        name: e.phrases[0].replace('_', " ").trim().to_string(),
                    });
                    t.polities.len() - 1
                }
            };
            ActorHit::Polity { id, form: dyad_dict::Form::Name }
        } else {
            let mut terms = Vec::new();
            for c in dated.iter().chain(undated.iter()) {
                let Some(code) = &c.code else { continue };
                let (country, sector) = split_code(code);
                terms.push(Term {
                    country: Some(country),
                    org: None,
                    sector,
                    title: String::new(),
                    from: c.from,
                    to: c.to,
                });
            }
            if terms.is_empty() {
                notes.push(LoadError {
                    file: e.origin.clone(),
                    line: None,
                    reason: format!(
                        "actor {:?} has only null codes: dyad has no \"not an actor\" entry, skipped",
                        e.phrases[0]
                    ),
                });
                continue;
            }
            t.people.push(Person { name: e.phrases[0].replace('_', " ").trim().to_string(), terms });
            ActorHit::Person { id: t.people.len() - 1 }
        };
        for p in &e.phrases {
            let words = phrase_words(p, true);
            if !words.is_empty() {
                t.index.insert_words(index_words(&words, true), hit);
            }
        }
    }
}

fn add_agents(d: &mut Dictionaries, a: &AgentDict, notes: &mut Vec<LoadError>) {
    let t = &mut d.actors;
    for e in &a.entries {
        if e.prefix {
            notes.push(LoadError {
                file: e.origin.clone(),
                line: None,
                reason: format!("prefix agent [{}~] is appended to the actor's code, not prepended", e.code),
            });
        }
        let id = t.roles.len();
        t.roles.push(Role {
            phrase: e.phrases[0].replace('_', " ").trim().to_string(),
            sector: e.code.clone(),
            country: None,
        });
        for p in &e.phrases {
            let words = phrase_words(p, false);
            if words.is_empty() {
                continue;
            }
            t.index.insert_words(index_words(&words, false), ActorHit::Role { id });
            // regular plural of the last word (TABARI and PETRARCH generate them)
            let mut pl = words.clone();
            if let Some(last) = pl.last_mut() {
                last.0 = dyad_dict::events::noun_plural(&last.0);
            }
            t.index.insert_words(index_words(&pl, false), ActorHit::Role { id });
        }
    }
}

/// Expand a sequence of pattern elements without slots into alternative word sequences.
fn expand_words(
    elems: &[PElem],
    synsets: &BTreeMap<String, Vec<String>>,
    depth: usize,
) -> Result<Vec<Vec<(String, bool)>>, String> {
    if depth > 6 {
        return Err("synsets nested too deep".into());
    }
    let mut out: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    for e in elems {
        let alts: Vec<Vec<(String, bool)>> = match e {
            PElem::Word { text, stem, .. } => {
                vec![phrase_words(&format!("{text}{}", if *stem { "" } else { "_" }), true)]
            }
            // A noun phrase's words in order; a synset among them (`{&WEAPON ATTACK}`) stands
            // for any of its members, so the phrase expands like a pattern of those elements.
            PElem::NounPhrase(ws) => {
                let mut elems = Vec::new();
                for w in ws {
                    if w.starts_with('&') {
                        elems.extend(parse_pattern_elems(w, synsets)?);
                    } else {
                        elems.push(PElem::Word { text: w.clone(), stem: false, joined: false });
                    }
                }
                expand_words(&elems, synsets, depth + 1)?
            }
            PElem::Alt(a) => {
                let mut v = Vec::new();
                for alt in a {
                    v.extend(expand_words(alt, synsets, depth + 1)?);
                }
                v
            }
            PElem::Synset { name, .. } => {
                let mut v = Vec::new();
                for m in synsets.get(name).map(Vec::as_slice).unwrap_or(&[]) {
                    let elems = parse_pattern_elems(m, synsets)?;
                    v.extend(expand_words(&elems, synsets, depth + 1)?);
                }
                v
            }
            other => return Err(format!("{other:?} inside a word group")),
        };
        let mut next = Vec::new();
        for a in &out {
            for b in &alts {
                let mut x = a.clone();
                x.extend(b.iter().cloned());
                next.push(x);
            }
        }
        if next.len() > 512 {
            return Err("too many alternatives".into());
        }
        out = next;
    }
    Ok(out)
}

fn joined(e: &PElem) -> bool {
    matches!(e, PElem::Word { joined: true, .. } | PElem::Synset { joined: true, .. })
}

/// Convert one legacy pattern into dyad's (before, after, literal count).
pub fn pattern_to_dyad(
    p: &[PElem],
    synsets: &BTreeMap<String, Vec<String>>,
) -> Result<(Vec<Elem>, Vec<Elem>, usize), String> {
    // flatten PETRARCH prepositional phrases: their words and slots in order
    let mut flat: Vec<PElem> = Vec::new();
    for e in p {
        match e {
            PElem::Prep(inner) => flat.extend(inner.iter().cloned()),
            other => flat.push(other.clone()),
        }
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut seen_verb = false;
    let mut literals = 0;
    let mut i = 0;
    while i < flat.len() {
        let e = &flat[i];
        let elem = match e {
            PElem::Verb => {
                seen_verb = true;
                i += 1;
                continue;
            }
            PElem::Source => Elem::Source,
            PElem::Target => Elem::Target,
            PElem::Compound => Elem::Compound,
            PElem::Skip => return Err("`^` (skip an actor) has no dyad equivalent".into()),
            PElem::Prep(_) => return Err("nested prepositional phrase".into()),
            _ => {
                // a run of words tied by `_`
                let mut j = i;
                while j + 1 < flat.len()
                    && joined(&flat[j])
                    && !matches!(
                        flat[j + 1],
                        PElem::Verb | PElem::Source | PElem::Target | PElem::Compound | PElem::Skip | PElem::Prep(_)
                    )
                {
                    j += 1;
                }
                let alts = expand_words(&flat[i..=j], synsets, 0)?;
                let alts: Vec<Vec<String>> = alts
                    .into_iter()
                    .map(|ws| {
                        ws.into_iter()
                            .map(|(w, stem)| if stem && w.chars().count() >= 3 { format!("{w}*") } else { w })
                            .collect::<Vec<_>>()
                    })
                    .filter(|w| !w.is_empty())
                    .collect();
                i = j + 1;
                if alts.is_empty() {
                    continue;
                }
                literals += alts.iter().map(Vec::len).max().unwrap_or(0);
                let el = Elem::Words(alts);
                if seen_verb {
                    after.push(el);
                } else {
                    before.push(el);
                }
                continue;
            }
        };
        if seen_verb {
            after.push(elem);
        } else {
            before.push(elem);
        }
        i += 1;
    }
    before.reverse();
    Ok((before, after, literals))
}

fn rule_code(c: &EventCode) -> Option<String> {
    match c {
        EventCode::Reverse(b) => Some(b.clone()),
        _ => c.primary().map(str::to_string),
    }
}

/// `[:B]`: the event goes from the target back to the source.
fn swap_roles(e: &mut [Elem]) {
    for x in e.iter_mut() {
        match x {
            Elem::Source => *x = Elem::Target,
            Elem::Target => *x = Elem::Source,
            _ => {}
        }
    }
}

fn add_verbs(d: &mut Dictionaries, label: &str, v: &VerbDict, tabari: bool, notes: &mut Vec<LoadError>) {
    let t = &mut d.events;
    let short = label.rsplit(['/', '\\']).next().unwrap_or(label);
    for (bi, b) in v.verbs.iter().enumerate() {
        let trig = t.triggers.len();
        let mut rules: Vec<Rule> = Vec::new();
        for (pi, p) in b.patterns.iter().enumerate() {
            match pattern_to_dyad(&p.elems, &v.synsets) {
                Ok((mut before, mut after, literals)) => {
                    if let EventCode::Reverse(_) = &p.code {
                        swap_roles(&mut before);
                        swap_roles(&mut after);
                    }
                    rules.push(Rule {
                        id: format!("{short}:{}.{bi}.{pi}", b.name),
                        code: rule_code(&p.code),
                        before,
                        after,
                        literals,
                        text: p.text.clone(),
                        origin: p.origin.clone(),
                    })
                }
                Err(e) => notes.push(LoadError {
                    file: p.origin.clone(),
                    line: None,
                    reason: format!("pattern not converted: {e}"),
                }),
            }
        }
        // most specific first (TABARI tries the longest pattern first); stable for ties
        rules.sort_by_key(|r| std::cmp::Reverse(r.literals));
        if let Some(code) = rule_code(&b.code) {
            rules.push(Rule {
                id: format!("{short}:{}.{bi}.default", b.name),
                code: Some(code),
                before: vec![Elem::Source],
                after: vec![Elem::Target],
                literals: 0,
                text: "$ * +".into(),
                origin: b.origin.clone(),
            });
        }
        t.triggers.push(Trigger { kind: TriggerKind::Verb, base: b.name.to_lowercase(), symmetric: false, rules });
        for vw in &b.verbs {
            if let Some(c) = &vw.code {
                if Some(c) != Some(&b.code) {
                    notes.push(LoadError {
                        file: b.origin.clone(),
                        line: None,
                        reason: format!("verb {} has its own code {:?}; dyad uses the block's code", vw.word, c),
                    });
                }
            }
            let words = phrase_words(&vw.word, tabari);
            if words.is_empty() {
                continue;
            }
            let form = TriggerForm { trigger: trig, participle: false };
            t.index.insert_words(index_words(&words, false), form);
            if !tabari {
                // PETRARCH: regular forms of the first word
                let rest: Vec<(String, bool)> = words[1..].to_vec();
                for (f, participle) in dyad_dict::events::verb_forms(&words[0].0) {
                    let mut ws = vec![(f, false)];
                    ws.extend(rest.iter().cloned());
                    t.index.insert_words(index_words(&ws, false), TriggerForm { trigger: trig, participle });
                }
            }
            for f in &vw.forms {
                let ws = phrase_words(f, false);
                if !ws.is_empty() {
                    t.index.insert_words(
                        index_words(&ws, false),
                        TriggerForm { trigger: trig, participle: f.ends_with("ED") || f.ends_with("EN") },
                    );
                }
            }
        }
    }
    for tr in &v.transformations {
        notes.push(LoadError {
            file: tr.origin.clone(),
            line: None,
            reason: "PETRARCH transformation kept but not applied: dyad has no parse tree to rewrite".into(),
        });
    }
}

/// Write `legacy` in dyad's own format into `dir`: `actors/people-legacy.tsv`,
/// `actors/countries-legacy.tsv`, `actors/roles-legacy.tsv`, `events/legacy.verbs`. Returns the
/// files written and the notes on what could not be expressed.
pub fn write_dyad(legacy: &Legacy, dir: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<LoadError>)> {
    let mut d = Dictionaries::default();
    let notes = legacy.into_dictionaries(&mut d);
    std::fs::create_dir_all(dir.join("actors"))?;
    std::fs::create_dir_all(dir.join("events"))?;
    let mut written = Vec::new();
    let a = &d.actors;
    // names per hit, from the index (one line per entry, names joined with |)
    let mut pol_names: Vec<Vec<String>> = vec![Vec::new(); a.polities.len()];
    let mut people_names: Vec<Vec<String>> = vec![Vec::new(); a.people.len()];
    let mut role_names: Vec<Vec<String>> = vec![Vec::new(); a.roles.len()];
    for (phrase, hit) in a.index.entries() {
        let phrase = phrase.replace('*', "");
        match hit {
            ActorHit::Polity { id, .. } => pol_names[*id].push(phrase),
            ActorHit::Person { id } => people_names[*id].push(phrase),
            ActorHit::Role { id } => role_names[*id].push(phrase),
        }
    }
    // The index lists phrases in hash order: sorted, the files are the same on every run.
    for names in pol_names.iter_mut().chain(people_names.iter_mut()).chain(role_names.iter_mut()) {
        names.sort_unstable();
        names.dedup();
    }
    let clean = |s: &str| s.replace(['\t', '|', '\n'], " ");
    let mut s = String::from(
        "# converted from TABARI/PETRARCH actors by `dyad dict convert`\n# code\ttype\tnames\tadjectives\tmetonyms\n",
    );
    for (p, names) in a.polities.iter().zip(&pol_names) {
        let names: Vec<String> = names.iter().map(|n| clean(n)).collect();
        s.push_str(&format!("{}\tcountry\t{}\t \t \n", p.code, names.join("|")));
    }
    let f = dir.join("actors/countries-legacy.tsv");
    std::fs::write(&f, s)?;
    written.push(f);
    let mut s = String::from("# name\taliases\tcountry\tsector\ttitle\tfrom\tto\n");
    for (p, names) in a.people.iter().zip(&people_names) {
        let aliases: Vec<String> = names.iter().map(|n| clean(n)).collect();
        for t in &p.terms {
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                clean(&p.name),
                aliases.join("|"),
                t.country.clone().unwrap_or_default(),
                t.sector,
                if t.title.is_empty() { "-" } else { &t.title },
                date(t.from),
                date(t.to)
            ));
        }
    }
    let f = dir.join("actors/people-legacy.tsv");
    std::fs::write(&f, s)?;
    written.push(f);
    let mut s = String::from("# phrase\tsector\tforms\n");
    for (r, names) in a.roles.iter().zip(&role_names) {
        let forms: Vec<String> = names.iter().map(|n| clean(n)).collect();
        s.push_str(&format!("{}\t{}\t{}\n", clean(&r.phrase), r.sector, forms.join("|")));
    }
    let f = dir.join("actors/roles-legacy.tsv");
    std::fs::write(&f, s)?;
    written.push(f);
    // verbs
    let mut forms: Vec<Vec<String>> = vec![Vec::new(); d.events.triggers.len()];
    for (phrase, tf) in d.events.index.entries() {
        forms[tf.trigger].push(phrase.replace('*', ""));
    }
    for fs in &mut forms {
        fs.sort_unstable();
        fs.dedup();
    }
    let mut s = String::from("# converted from TABARI/PETRARCH verbs by `dyad dict convert`\n");
    let elem_text = |e: &Elem| match e {
        Elem::Source => "$".to_string(),
        Elem::Target => "+".to_string(),
        Elem::Compound => "%".to_string(),
        Elem::Words(alts) => {
            let a: Vec<String> = alts.iter().map(|w| w.join("_").replace('*', "")).collect();
            if a.len() == 1 {
                a[0].clone()
            } else {
                format!("{{{}}}", a.join("|"))
            }
        }
    };
    let mut notes = notes;
    for (t, fs) in d.events.triggers.iter().zip(&forms) {
        let mut base = t.base.replace('_', " ").trim().to_string();
        if base.is_empty() || fs.is_empty() {
            continue;
        }
        if base.contains(char::is_whitespace) {
            base = fs[0].clone();
        }
        s.push_str(&format!("VERB {} {{{}}}\n", base, fs.join("|")));
        for r in &t.rules {
            let code = r.code.clone().unwrap_or_else(|| "---".into());
            if !(code == "---" || dyad_cameo::is_valid(&code)) {
                notes.push(LoadError {
                    file: r.origin.clone(),
                    line: None,
                    reason: format!("code {code:?} is not CAMEO: the rule is written but dyad's loader will refuse it"),
                });
            }
            let mut parts: Vec<String> = r.before.iter().rev().map(elem_text).collect();
            parts.push("*".into());
            parts.extend(r.after.iter().map(elem_text));
            let id: String =
                r.id.chars()
                    .map(|c| if c.is_alphanumeric() || c == '.' { c.to_ascii_lowercase() } else { '_' })
                    .collect();
            s.push_str(&format!("  {code} {id} {}\n", parts.join(" ")));
        }
    }
    let f = dir.join("events/legacy.verbs");
    std::fs::write(&f, s)?;
    written.push(f);
    Ok((written, notes))
}

//! Pattern matching: triggers, their rules, and the actors that fill a rule's slots.
//!
//! For each trigger in a sentence, every rule of the trigger is tried, except those with a literal
//! none of whose words occur in the sentence (see [`dyad_dict::filter`]: they cannot match); the
//! one with the most literal words wins, then the one with the fewest skipped tokens, then the
//! first listed. Slots are filled by phrases ([`crate::phrases`]):
//!
//! - `$` right before a **verb** is its *subject*: the nearest actor to the left in the same
//!   clause, skipping auxiliaries and adverbs, relative clauses (", which ..., "), and subordinate
//!   clause openers; a verb coordinated with an earlier one ("met Macron and agreed") shares its
//!   subject.
//! - `+` after a trigger is the nearest actor to the right within a short window; a place phrase
//!   ("in Tehran") only fills a slot that follows a literal preposition in the pattern.
//! - **Passive** verbs ("was attacked by X") swap roles: the subject becomes the target and the
//!   actor after "by" the source.
//! - A slot that lands on a member of a coordinated group takes the whole group.

use crate::phrases::{Head, Phrase};
use crate::{SentenceCtx, Trace};
use dyad_dict::{word_matches, Elem, EventDictionary, Rule, TriggerKind, WordSet};
use dyad_text::Token;

/// Tokens that may stand between two pattern elements.
pub const MAX_GAP: usize = 6;
/// How far right a target slot looks for its actor when no literal anchors it.
const OBJECT_WINDOW: usize = 4;

const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "not",
    "n't",
    "never",
    "also",
    "recently",
    "reportedly",
    "already",
    "still",
    "then",
    "now",
    "soon",
    "today",
    "yesterday",
    "eventually",
    "jointly",
    "officially",
    "formally",
    "finally",
    "again",
    "once",
    "later",
    "earlier",
    "just",
    "allegedly",
    "repeatedly",
    "publicly",
    "strongly",
    "firmly",
    "openly",
    "reportedly",
    "apparently",
    "further",
    "fully",
    "to",
    "both",
    "all",
    "each",
    "separately",
    "personally",
    "directly",
    "immediately",
    "quickly",
    "briefly",
    "first",
    "subsequently",
    "previously",
    "long",
];
const BE: &[&str] = &["was", "were", "is", "are", "be", "been", "being", "got", "get", "gets", "'s"];
/// Verbs whose object does not do what a following infinitive says ("called Aliyev to
/// congratulate him": the caller congratulates).
const CONTACT_VERBS: &[&str] =
    &["called", "phoned", "telephoned", "rang", "contacted", "visited", "met", "hosted", "received", "wrote"];
const SUBORDINATORS: &[&str] = &[
    "when", "while", "after", "before", "because", "although", "though", "if", "unless", "whereas", "until", "that",
    "whether", "where", "once",
];
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "in", "during", "at", "on", "for", "with", "by", "to", "from", "and", "or", "but", "after",
    "before", "since", "as", "into", "over", "under", "about", "against", "between", "among", "than", "that", "which",
    "who", "its", "their", "his", "her", "this", "these", "those", "is", "was", "were", "are", "has", "have", "had",
];
const PREPOSITIONS: &[&str] = &[
    "between", "of", "with", "on", "against", "in", "to", "from", "for", "by", "near", "at", "among", "toward",
    "towards", "into", "across", "over", "about", "like", "than",
];
const DETERMINERS: &[&str] =
    &["a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "these", "those", "any", "no", "every"];
/// Words skipped between a preposition and its actor in "the border with X" (the first four
/// are the heads that license the skip).
const BORDER_WORDS: &[&str] = &[
    "border", "borders", "frontier", "boundary", "the", "its", "their", "with", "of", "shared", "common", "northern",
    "southern", "eastern", "western", "state",
];
/// Verbs whose object noun names the event: the verb's subject is the event's source.
const LIGHT_VERBS: &[&str] = &[
    "paid",
    "pay",
    "pays",
    "paying",
    "made",
    "make",
    "makes",
    "making",
    "opened",
    "open",
    "opens",
    "launched",
    "launch",
    "launches",
    "began",
    "begin",
    "begins",
    "started",
    "start",
    "starts",
    "held",
    "hold",
    "holds",
    "conducted",
    "conduct",
    "conducts",
    "staged",
    "stage",
    "stages",
    "continued",
    "continue",
    "continues",
    "resumed",
    "resume",
    "resumes",
    "expanded",
    "expand",
    "expands",
    "ordered",
    "order",
    "orders",
    "deepened",
    "deepen",
    "deepens",
    "intensified",
    "intensify",
    "stepped",
    "carried",
    "carry",
    "carries",
    "announced",
    "announce",
    "announces",
    "ordered",
    "order",
    "orders",
    "mounted",
    "mount",
    "mounts",
    "waged",
    "wage",
    "wages",
    "completed",
    "complete",
    "concluded",
    "conclude",
    "strengthened",
    "strengthen",
    "boosted",
    "boost",
    "froze",
    "freeze",
    "suspended",
    "suspend",
    "halted",
    "halt",
    "ended",
    "end",
    "sent",
    "send",
    "provided",
    "provide",
    "delivered",
    "deliver",
    "offered",
    "extended",
    "extend",
];
const RELATIVES: &[&str] = &["which", "who", "whom", "whose", "that"];
/// Verbs of saying whose complement clause has its own subject: "Aliyev said the plane had been
/// hit by Russian air defences" (the plane was hit, not Aliyev).
const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "stated",
    "reported",
    "added",
    "noted",
    "announced",
    "insisted",
    "argued",
    "believed",
    "believes",
    "concluded",
    "confirmed",
    "alleged",
    "thought",
    "suggested",
    "claimed",
];

fn is_boundary(t: &Token) -> bool {
    // A period inside a sentence is an abbreviation's ("Mr.", "Gen."): the sentence splitter has
    // already cut at real sentence ends.
    matches!(t.norm.as_str(), ";" | ":" | "(" | ")" | "[" | "]")
}

/// Where the search for a rule's next literal stops: a boundary, or a word that opens another
/// clause or adjunct (the word itself may still be the literal).
fn ends_literal_search(t: &Token) -> bool {
    is_boundary(t)
        || matches!(
            t.norm.as_str(),
            "after" | "before" | "because" | "when" | "while" | "although" | "though" | "amid" | "following" | "but"
        )
}

/// One rule matched at one trigger.
#[derive(Clone, Debug)]
pub struct Match {
    pub trigger: usize,
    pub rule: usize,
    pub trigger_start: usize,
    pub trigger_end: usize,
    /// Where the subject phrase ends (for reading negation and modality between it and the verb).
    pub subject_end: Option<usize>,
    pub sources: Vec<usize>,
    pub targets: Vec<usize>,
    /// Members of a `%` slot, or of a compound subject of a symmetric verb with no object.
    pub compound: Vec<usize>,
    /// The object is "each other" / "one another": every member of the compound subject acts on
    /// every other ("Armenia and Azerbaijan accused each other").
    pub reciprocal: bool,
    literals: usize,
    gaps: usize,
    consumed: Vec<usize>,
    /// The last phrase of each slot filled after the trigger, in order.
    slot_phrases: Vec<usize>,
    /// The trigger was matched as a noun: a noun entry, or a verb form read as one ("his visit").
    pub as_noun: bool,
    /// Read as a passive ("was attacked by X"): the clause's subject is the target, not the source.
    passive: bool,
}

impl Match {
    /// Source/target pairs of the match (phrase indices).
    pub fn pairs(&self) -> Vec<(usize, Option<usize>)> {
        let mut out = Vec::new();
        // (a symmetric verb's members are in `compound` instead, one event per pair)
        if self.reciprocal && !self.sources.is_empty() {
            for &s in &self.sources {
                for &t in &self.sources {
                    if s != t {
                        out.push((s, Some(t)));
                    }
                }
            }
            return out;
        }
        for &s in &self.sources {
            if self.targets.is_empty() {
                if self.compound.is_empty() {
                    out.push((s, None));
                }
            } else {
                for &t in &self.targets {
                    if s != t {
                        out.push((s, Some(t)));
                    }
                }
            }
        }
        for (i, &a) in self.compound.iter().enumerate() {
            for &b in &self.compound[i + 1..] {
                out.push((a, Some(b)));
            }
        }
        out
    }
}

/// Whether "each other" or "one another" (an object that points back at a compound subject)
/// starts at `at`.
fn reciprocal_at(toks: &[Token], at: usize) -> bool {
    matches!(
        (toks.get(at).map(|t| t.norm.as_str()), toks.get(at + 1).map(|t| t.norm.as_str())),
        (Some("each"), Some("other")) | (Some("one"), Some("another"))
    )
}

fn words_at(toks: &[Token], at: usize, words: &[String]) -> bool {
    // a word ending in `*` is a stem (imported TABARI/PETRARCH patterns): it matches any token
    // starting with the rest
    at + words.len() <= toks.len() && words.iter().enumerate().all(|(k, w)| word_matches(&toks[at + k].norm, w))
}

/// The first position of `starts` where an alternative of a literal begins, with the length of
/// the first alternative found there.
///
/// Alternatives are taken one at a time, each tried at every position before the next: a synset
/// literal of a hundred alternatives is then read once, not once per position, and the answer
/// is the same as trying every alternative at each position in turn.
fn first_start(toks: &[Token], starts: std::ops::Range<usize>, alts: &[Vec<String>]) -> Option<(usize, usize)> {
    let mut hit: Option<(usize, usize)> = None;
    for w in alts {
        // only an earlier position can beat the hit (at the same one, the earlier alternative wins)
        let end = hit.map_or(starts.end, |(p, _)| p);
        if let Some(p) = (starts.start..end).find(|&p| words_at(toks, p, w)) {
            hit = Some((p, w.len()));
            if p == starts.start {
                break;
            }
        }
    }
    hit
}

/// The last position of `ends` where an alternative of a literal ends, as the span of the first
/// alternative found there (the mirror of [`first_start`], for literals before a trigger).
fn last_end(toks: &[Token], ends: std::ops::RangeInclusive<usize>, alts: &[Vec<String>]) -> Option<(usize, usize)> {
    let (lo, hi) = ends.into_inner();
    let mut hit: Option<(usize, usize)> = None;
    for w in alts {
        let lo = hit.map_or(lo, |(_, e)| e + 1);
        if let Some(e) = (lo..=hi).rev().find(|&e| e >= w.len() && words_at(toks, e - w.len(), w)) {
            hit = Some((e - w.len(), e));
            if e == hi {
                break;
            }
        }
    }
    hit
}

/// Phrases that are actors (not places), as group member lists.
fn group(ctx: &SentenceCtx, k: usize) -> Vec<usize> {
    ctx.group_of(k).into_iter().filter(|&i| ctx.phrases[i].is_actor()).collect()
}

/// "his", "her", "its", "their": a possessive pronoun, which points to an actor named elsewhere.
fn possessive_pronoun(w: &str) -> bool {
    matches!(w, "his" | "her" | "its" | "their")
}

/// The actor phrase that ends right before token `end`, and where its coordinated group starts:
/// "visited Baku and Tbilisi| to", "a letter to Biden| urging".
fn actor_group_before(ctx: &SentenceCtx, end: usize) -> Option<(usize, usize)> {
    let k = ctx.phrase_at[end.checked_sub(1)?].filter(|&k| ctx.phrases[k].is_actor() && ctx.phrases[k].end == end)?;
    let start = group(ctx, k).iter().map(|&m| ctx.phrases[m].start).min().unwrap_or(ctx.phrases[k].start);
    Some((k, start))
}

/// A purpose infinitive after a contact verb and the one contacted: "called Aliyev [on 28
/// December] to express his condolences".
struct ContactPurpose {
    /// The contact verb ("called").
    verb: usize,
    /// The members of the contacted actor's group.
    contacted: Vec<usize>,
}

/// [`ContactPurpose`] of the verb whose first token is `at`, when it is the infinitive of
/// `CONTACT_VERB actor [time] to VERB`.
fn contact_purpose(ctx: &SentenceCtx, at: usize) -> Option<ContactPurpose> {
    let toks = ctx.toks;
    if at < 2 || toks[at - 1].norm != "to" {
        return None;
    }
    // back over when and where: "hosted Pashinyan in Paris on Monday to sign"
    let mut end = at - 1;
    loop {
        let before = end;
        end = time_adverbial_start(toks, end);
        if let Some(place) = ctx.phrase_at[end.checked_sub(1)?].map(|k| &ctx.phrases[k]) {
            if place.locative
                && place.end == end
                && place.start > 0
                && matches!(toks[place.start - 1].norm.as_str(), "in" | "at")
            {
                end = place.start - 1;
            }
        }
        if end == before {
            break;
        }
    }
    let (k, mut start) = actor_group_before(ctx, end)?;
    let contacted = group(ctx, k);
    // "called his Azerbaijani counterpart"
    if start > 1 && (possessive_pronoun(&toks[start - 1].norm) || toks[start - 1].norm == "the") {
        start -= 1;
    }
    (start > 0 && CONTACT_VERBS.contains(&toks[start - 1].norm.as_str()))
        .then(|| ContactPurpose { verb: start - 1, contacted })
}

/// The actor phrase right after a verb that ends at `at` (past a determiner), when it is a noun
/// phrase of its own: not an adjective ("sent Russian-made weapons"), a bare role word ("a
/// civilian monitoring mission"), a possessor ("discussed Azerbaijan's proposal") or a place.
fn direct_object(ctx: &SentenceCtx, at: usize) -> Option<usize> {
    let p = if ctx.toks.get(at).is_some_and(|t| matches!(t.norm.as_str(), "the" | "a" | "an")) { at + 1 } else { at };
    let k = (*ctx.phrase_at.get(p)?)?;
    let ph = &ctx.phrases[k];
    // a possessive pronoun ("closed its airspace to") determines the object, it is not one
    let pronoun = possessive_pronoun(&ctx.toks[p].norm) || matches!(ctx.toks[p].norm.as_str(), "our" | "my");
    let named = !matches!(ph.head, Head::Adjective | Head::BareRole) && !pronoun;
    (ph.start == p && ph.is_actor() && !ph.possessive && !ph.locative && named).then_some(k)
}

/// Words a time adverbial is made of: "on 28 December", "on Monday", "last week", "in May 2024".
const TIME_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "week",
    "month",
    "year",
    "morning",
    "evening",
    "night",
    "weekend",
    "last",
    "this",
    "on",
    "in",
    "early",
    "late",
];

/// The first token of a time adverbial that ends right before token `p` ("Aliyev on 28 December
/// to"), or `p` when none does. The adverbial opens with a preposition or "last"/"this", or is
/// one word ("yesterday").
fn time_adverbial_start(toks: &[Token], p: usize) -> usize {
    let mut q = p;
    while q > 0 && p - q < 5 {
        let t = &toks[q - 1];
        if t.kind != dyad_text::TokenKind::Number && !TIME_WORDS.contains(&t.norm.as_str()) {
            break;
        }
        q -= 1;
    }
    // back to the word that opens it
    (q..p)
        .find(|&s| matches!(toks[s].norm.as_str(), "on" | "in" | "last" | "this" | "yesterday" | "today"))
        .unwrap_or(p)
}

/// The subject of a gerund or an event noun at `at` in a clause that opens the sentence:
/// "After meeting Blinken, Aliyev said", "After talks with Erdogan, Aliyev flew", "During his
/// visit to Baku, Erdogan praised". It is the actor group right after the comma that closes the
/// clause. A gerund follows its subordinator; a noun may have a determiner, a possessive pronoun
/// or a modifier or two before it.
fn fronted_clause_subject(ctx: &SentenceCtx, at: usize, noun: bool) -> Option<(usize, Vec<usize>)> {
    let toks = ctx.toks;
    if at == 0 || ctx.phrase_at[..at].iter().any(Option::is_some) {
        return None;
    }
    let sub = toks[0].norm.as_str();
    // a noun with its own agent is not the main subject's: "At the invitation of Aliyev, Japarov"
    let opens = if noun {
        at <= 4
            && toks.get(at + 1).is_none_or(|t| !matches!(t.norm.as_str(), "of" | "by"))
            && matches!(sub, "after" | "before" | "during" | "following" | "at" | "in" | "upon")
            && toks[1..at].iter().all(|t| t.kind == dyad_text::TokenKind::Word && !t.cap)
    } else {
        at == 1
            && toks[at].norm.ends_with("ing")
            && matches!(sub, "after" | "before" | "while" | "since" | "upon" | "when")
    };
    if !opens {
        return None;
    }
    let comma = (at + 1..toks.len()).take(15).take_while(|&q| !is_boundary(&toks[q])).find(|&q| toks[q].norm == ",")?;
    let k = ctx.phrase_at.get(comma + 1).copied().flatten().filter(|&k| ctx.phrases[k].is_actor())?;
    Some((ctx.phrases[k].end, group(ctx, k)))
}

/// The subject of a verb whose first token is `at`.
fn subject(
    ctx: &SentenceCtx,
    at: usize,
    prev_subject: Option<&(usize, Vec<usize>)>,
    noun_at: &[bool],
) -> Option<(usize, Vec<usize>)> {
    let toks = ctx.toks;
    // skip auxiliaries and adverbs
    let mut p = at;
    while p > 0 && (AUX.contains(&toks[p - 1].norm.as_str()) || toks[p - 1].norm.ends_with("ly")) {
        p -= 1;
    }
    // A gerund or event noun in a clause that opens the sentence belongs to the main clause's
    // subject, after the comma that closes it: "After meeting Blinken, Aliyev said..."
    if let Some(found) = fronted_clause_subject(ctx, at, false) {
        return Some(found);
    }
    // A purpose infinitive after a call or a visit belongs to the caller: "Erdoğan called Aliyev
    // to congratulate him" (unlike "urged Azerbaijan to release", where the one urged acts).
    if let Some(contact) = contact_purpose(ctx, at) {
        return subject(ctx, contact.verb, prev_subject, noun_at);
    }
    // A participle right after the object of "to" belongs to the clause's subject: "Aliyev sent
    // a letter to Biden urging him to lift the ban" (unlike "a letter from Putin urging...").
    if toks[at].norm.ends_with("ing") {
        if let Some((_, start)) = actor_group_before(ctx, p).filter(|&(_, s)| s > 0 && toks[s - 1].norm == "to") {
            if let Some((end, members)) = prev_subject.filter(|(end, _)| *end < start) {
                return Some((*end, members.clone()));
            }
        }
    }
    // A verb right after "and"/"but" is coordinated with an earlier verb and shares its subject:
    // "Aliyev met Macron and agreed...", "Azerbaijan has taken refugees and sent aid to Ukraine".
    // (Coordinated *subjects* put a phrase, not a conjunction, right before the verb.) So is one
    // after a parenthetical that follows the conjunction ("and, on 8 November, took"), and one
    // after a comma in a list of predicates that ends with "and" ("Baku called the shooting a
    // terrorist act, blamed the Iranian authorities and evacuated its staff"), unless an actor
    // stands before the comma ("Russia, Turkey and Iran met") or "by" after the verb (a
    // participle: "Pashinyan, criticised by the opposition and the church, resigned").
    if p > 1 && toks[p - 1].norm == "," {
        let open = (p.saturating_sub(10)..p - 1).rev().find(|&r| toks[r].norm == "," || is_boundary(&toks[r]));
        if let Some(r) =
            open.filter(|&r| r > 0 && toks[r].norm == "," && matches!(toks[r - 1].norm.as_str(), "and" | "but"))
        {
            p = r;
        }
    }
    let listed = p > 1
        && toks[p - 1].norm == ","
        && ctx.phrase_at[p - 2].is_none()
        && toks.get(at + 1).is_some_and(|t| t.norm != "by")
        && toks[at..].iter().take_while(|t| !is_boundary(t)).any(|t| t.norm == "and");
    if p > 0 && (listed || matches!(toks[p - 1].norm.as_str(), "and" | "but" | "then" | "or")) {
        if let Some((end, members)) = prev_subject {
            if *end < p {
                return Some((*end, members.clone()));
            }
        }
        // no earlier coded verb: the first actor of the clause before the conjunction. A
        // subordinator with no actor after it was a preposition ("Baku evacuated its diplomats
        // after the attack and accused Tehran"): the clause goes on before it. In a list of
        // predicates the clause runs over its commas.
        let mut start = p - 1;
        loop {
            while start > 0 {
                let t = &toks[start - 1];
                if is_boundary(t) || (t.norm == "," && !listed) || SUBORDINATORS.contains(&t.norm.as_str()) {
                    break;
                }
                start -= 1;
            }
            let first = (start..p - 1)
                .find_map(|q| ctx.phrase_at[q].filter(|&k| ctx.phrases[k].is_actor() && ctx.phrases[k].start >= start));
            let preposition = start > 0 && matches!(toks[start - 1].norm.as_str(), "after" | "before" | "until");
            if first.is_none() && preposition {
                start -= 1;
                continue;
            }
            return first.map(|k| (ctx.phrases[k].end, group(ctx, k)));
        }
    }
    let limit = at.saturating_sub(20);
    let mut q = at;
    while q > limit {
        q -= 1;
        let t = &toks[q];
        if let Some(k) = ctx.phrase_at[q] {
            let ph = &ctx.phrases[k];
            let members = group(ctx, k);
            let gstart = members.iter().map(|&m| ctx.phrases[m].start).min().unwrap_or(ph.start);
            // an actor inside a prepositional phrase is not the subject:
            // "the clashes between Kyrgyzstan and Tajikistan killed dozens"
            let gend = members.iter().map(|&m| ctx.phrases[m].end).max().unwrap_or(ph.end);
            // ...but "with Azerbaijan fully restoring its sovereignty" is an absolute clause
            let absolute = toks.get(gend).is_some_and(|t| t.norm.ends_with("ly") || t.norm.ends_with("ing"));
            // ...nor is "of" after a number: "Hundreds of Armenians demonstrated"
            let counted = gstart > 1
                && toks[gstart - 1].norm == "of"
                && matches!(
                    toks[gstart - 2].norm.as_str(),
                    "hundreds" | "thousands" | "dozens" | "tens" | "scores" | "millions" | "crowds" | "groups"
                );
            let in_pp = gstart > 0 && PREPOSITIONS.contains(&toks[gstart - 1].norm.as_str()) && !absolute && !counted;
            if ph.is_actor() && !in_pp && !members.is_empty() {
                return Some((ph.end, members));
            }
            q = gstart.min(ph.start);
            continue;
        }
        if noun_at[q] {
            // the subject is an event ("The Iran-Israel war killed hundreds"), unless a
            // possessor owns it: "Türkiye's mediation between Russia and Ukraine was praised"
            let mut r = q;
            while r > 0
                && r + 2 >= q
                && toks[r - 1].norm != "'s"
                && ctx.phrase_at[r - 1].is_none()
                && !FUNCTION_WORDS.contains(&toks[r - 1].norm.as_str())
            {
                r -= 1;
            }
            if r >= 2 && toks[r - 1].norm == "'s" {
                if let Some(k) = ctx.phrase_at[r - 2].filter(|&k| ctx.phrases[k].is_actor()) {
                    return Some((ctx.phrases[k].end, group(ctx, k)));
                }
            }
            return None;
        }
        if is_boundary(t) {
            return None;
        }
        if RELATIVES.contains(&t.norm.as_str()) && t.norm != "that" {
            // the verb is inside a relative clause: its subject is the antecedent before it
            let mut r = q;
            while r > 0 && toks[r - 1].norm == "," {
                r -= 1;
            }
            if r > 0 {
                if let Some(k) = ctx.phrase_at[r - 1] {
                    if ctx.phrases[k].is_actor() {
                        return Some((ctx.phrases[k].end, group(ctx, k)));
                    }
                }
            }
            return None;
        }
        if SUBORDINATORS.contains(&t.norm.as_str()) {
            return None;
        }
        if t.norm == "," {
            // a parenthetical (", seeking to avoid war with Israel,") between subject and verb:
            // jump to the comma that opens it
            let open = (limit..q).rev().find(|&r| toks[r].norm == ",");
            match open {
                Some(r) => {
                    let first = &toks[r + 1];
                    let parenthetical = RELATIVES.contains(&first.norm.as_str())
                        || (first.cap && toks.get(r + 2).is_some_and(|t| t.cap))
                        || first.norm.ends_with("ing")
                        || first.norm.ends_with("ed")
                        || ctx.phrase_at[r + 1]
                            .is_some_and(|k| matches!(ctx.phrases[k].head, Head::Role | Head::BareRole | Head::Person))
                        // an apposition after an actor: "Turkey, a NATO member, sent",
                        // "Bayramov and Mirzoyan, the two foreign ministers, met"
                        || (matches!(first.norm.as_str(), "a" | "an" | "the")
                            && r > 0
                            && ctx.phrase_at[r - 1].is_some_and(|k| ctx.phrases[k].is_actor()));
                    if parenthetical {
                        q = r;
                        continue;
                    }
                    return None;
                }
                None => return None,
            }
        }
    }
    None
}

/// Whether the bare role word `ph` modifies the noun after it rather than naming an actor:
/// "attended a military parade" attended no army; "clashed with police outside parliament",
/// "people suspected of spying" and "the embassy's staff" are actors.
fn modifies_next_word(toks: &[Token], ph: &Phrase) -> bool {
    ph.head == Head::BareRole
        && toks.get(ph.end).is_some_and(|n| {
            let w = n.norm.as_str();
            n.kind == dyad_text::TokenKind::Word
                && !n.cap
                && w != "'s"
                && !FUNCTION_WORDS.contains(&w)
                && !TIME_WORDS.contains(&w)
                && !matches!(
                    w,
                    "outside"
                        | "inside"
                        | "near"
                        | "along"
                        | "across"
                        | "around"
                        | "behind"
                        | "beyond"
                        | "overnight"
                        | "again"
                        | "also"
                        | "who"
                        | "whose"
                )
                && !w.ends_with("ed")
                && !w.ends_with("ing")
                && !w.ends_with("ly")
        })
}

/// Whether `ph` is joined by a hyphen to a participle after it ("Russian-brokered",
/// "EU-funded", "Iran-led"): it names who did the participle's act, inside a noun phrase.
fn agent_of_participle(toks: &[Token], ph: &Phrase) -> bool {
    let joined = |i: usize| toks.get(i).is_some_and(|t| i > 0 && t.start == toks[i - 1].end);
    toks.get(ph.end).is_some_and(|t| t.norm == "-")
        && joined(ph.end)
        && joined(ph.end + 1)
        && toks.get(ph.end + 1).is_some_and(|t| {
            !t.cap && (t.norm.ends_with("ed") || matches!(t.norm.as_str(), "led" | "made" | "built" | "run" | "held"))
        })
}

/// The actor group nearest after `from` within `window` tokens, not crossing a clause boundary.
fn object(ctx: &SentenceCtx, from: usize, window: usize, allow_place: bool) -> Option<(usize, Vec<usize>)> {
    let toks = ctx.toks;
    let mut q = from;
    let mut skipped = 0;
    while q < toks.len() && q <= from + window + skipped {
        // "on the border with Ukraine", "to its border with Armenia": the border leads to the actor
        // ("its" there is no phrase; in "attacked its border posts" it is, and the owner is the actor)
        if BORDER_WORDS.contains(&toks[q].norm.as_str())
            && ctx.phrase_at[q].is_none()
            && (q..(q + 4).min(toks.len())).any(|r| BORDER_WORDS[..4].contains(&toks[r].norm.as_str()))
        {
            skipped += 1;
            q += 1;
            continue;
        }
        if let Some(k) = ctx.phrase_at[q] {
            let ph = &ctx.phrases[k];
            if modifies_next_word(toks, ph) {
                return None;
            }
            // the agent of a hyphened participle is no object in an adjunct ("disarm under a
            // Russian-brokered ceasefire") nor before the actor it qualifies ("criticised the
            // Russian-led CSTO"); "condemned the US-led strikes" condemned the US
            let adjunct = || {
                toks[from..q]
                    .iter()
                    .any(|t| matches!(t.norm.as_str(), "under" | "within" | "through" | "via" | "following" | "per"))
            };
            let qualifies =
                || ctx.phrase_at.get(ph.end + 2).copied().flatten().is_some_and(|n| ctx.phrases[n].is_actor());
            // "bought oil from a US-sanctioned trader", "Russian-made drones": what the agent did
            // to the noun was done before and apart from this event
            let done_before = || {
                toks.get(ph.end + 1).is_some_and(|t| {
                    matches!(
                        t.norm.as_str(),
                        "sanctioned" | "designated" | "blacklisted" | "made" | "built" | "produced" | "manufactured"
                    )
                })
            };
            if agent_of_participle(toks, ph) && (adjunct() || qualifies() || done_before()) {
                q = ph.end;
                continue;
            }
            if ph.is_actor() || (allow_place && q == from) {
                let members = if ph.locative { vec![k] } else { group(ctx, k) };
                let end = members.iter().map(|&m| ctx.phrases[m].end).max().unwrap_or(ph.end);
                return Some((end, members));
            }
            q = ph.end;
            continue;
        }
        if allow_place && q == from && toks[q].cap {
            ctx.wants_place.set(true);
        }
        // a concessive or causal adjunct is no object: "ratified the Rome Statute despite Russian
        // objections" did nothing to Russia
        if is_boundary(&toks[q])
            || matches!(
                toks[q].norm.as_str(),
                "," | "which"
                    | "who"
                    | "that"
                    | "despite"
                    | "although"
                    | "though"
                    | "because"
                    | "whereas"
                    | "unless"
                    // nor one in a time adjunct: "traded accusations after the crash of the
                    // Azerbaijan Airlines plane" accused no one of the plane's country
                    | "after"
                    | "before"
                    | "amid"
            )
        {
            return None;
        }
        q += 1;
    }
    None
}

/// Try one rule at one trigger occurrence.
#[allow(clippy::too_many_arguments)]
fn try_rule(
    ctx: &SentenceCtx,
    kind: TriggerKind,
    symmetric: bool,
    rule: &Rule,
    ts: usize,
    te: usize,
    passive: bool,
    prev_subject: Option<&(usize, Vec<usize>)>,
    noun_at: &[bool],
) -> Option<Match> {
    let toks = ctx.toks;
    let mut m = Match {
        trigger: 0,
        rule: 0,
        trigger_start: ts,
        trigger_end: te,
        subject_end: None,
        sources: vec![],
        targets: vec![],
        compound: vec![],
        reciprocal: false,
        literals: rule.literals,
        gaps: 0,
        consumed: vec![],
        slot_phrases: vec![],
        as_noun: kind == TriggerKind::Noun,
        passive: false,
    };
    // A town stands for its country only as the target of a rule whose target is a place:
    // consultations (04: "travelled to Shusha"), a mission opened there (050: "opened a consulate
    // in Kapan"), the return of territory (0842: "gave back Aghdam"), military retreat (0874:
    // "withdrew from Kherson") and armed attack (19: "shelled Kharkiv"). Elsewhere a town is
    // where something happened, not who it happened to ("war crimes in Gaza").
    let place_target = rule
        .code
        .as_deref()
        .is_some_and(|c| c.starts_with("04") || c.starts_with("19") || matches!(c, "050" | "0842" | "0874"));
    // after the trigger
    let mut cur = te;
    let mut after_literal = false;
    let mut missing_target = false;
    for (k, e) in rule.after.iter().enumerate() {
        match e {
            Elem::Words(alts) => {
                // a literal may stand a few words from the trigger ("sent $45 million in aid to"),
                // but must follow an actor slot closely ("welcomed X to Baku")
                let after_slot = k > 0 && rule.after[k - 1].is_slot();
                let gap = if after_slot {
                    // "a British-flagged tanker": a hyphenated modifier may follow the actor
                    if toks.get(cur).is_some_and(|t| t.norm == "-") {
                        2
                    } else {
                        1
                    }
                } else if rule.code.is_none() {
                    // a null rule only blocks what is right there ("strike a balance")
                    2
                } else {
                    MAX_GAP
                };
                let mut found = None;
                if after_slot {
                    // the literal may be the head of the slot's own phrase:
                    // `$ * + diplomats` on "expelled two French diplomats"
                    if let Some(&last) = m.slot_phrases.last() {
                        let ph = &ctx.phrases[last];
                        for w in alts {
                            if ph.end >= ph.start + 1 + w.len() && ph.end == cur && words_at(toks, cur - w.len(), w) {
                                found = Some((cur - w.len(), w.len()));
                            }
                        }
                    }
                }
                if found.is_none() {
                    // up to `gap` tokens on, not past a boundary or a word that opens another
                    // clause: "summoned the ambassador after the arrest of Russian citizens" has
                    // no "ambassador of"
                    let max = (cur + gap).min(toks.len());
                    let mut end = (cur + 1..=max)
                        .find(|&p| p < toks.len() && ends_literal_search(&toks[p - 1]))
                        .unwrap_or(max + 1);
                    // a literal after a literal is not looked for in a new clause's object: a
                    // determiner after a content word ("systems drew a sharp reaction from Baku")
                    // opens one, one after a preposition ("an agreement on the supply of gas
                    // with") does not
                    if k > 0 && matches!(rule.after[k - 1], Elem::Words(_)) {
                        if let Some(q) = (cur + 1..end.min(toks.len())).find(|&q| {
                            matches!(toks[q].norm.as_str(), "a" | "an" | "the")
                                && toks[q - 1].kind == dyad_text::TokenKind::Word
                                && !FUNCTION_WORDS.contains(&toks[q - 1].norm.as_str())
                        }) {
                            end = end.min(q);
                        }
                        // a literal after `to` is the infinitive's verb or the head of its object,
                        // not a word past another preposition or an actor: "offered to supply gas
                        // to Azerbaijan under a swap deal" has no "to swap"
                        if toks[cur - 1].norm == "to" {
                            if let Some(q) = (cur..end.min(toks.len())).find(|&q| {
                                PREPOSITIONS.contains(&toks[q].norm.as_str())
                                    || matches!(toks[q].norm.as_str(), "under" | "through" | "via" | "within")
                                    || ctx.phrases.iter().any(|ph| ph.start == q && ph.is_actor())
                            }) {
                                end = end.min(q + 1);
                            }
                        }
                    }
                    // nor past an actor that is the verb's own object: "visited Baku last week to
                    // press Aliyev" has no "visit to Aliyev"
                    if k == 0 && kind == TriggerKind::Verb {
                        if let Some(obj) = direct_object(ctx, cur) {
                            end = end.min(ctx.phrases[obj].start + 1);
                        }
                    }
                    found = first_start(toks, cur..end, alts);
                }
                let (p, len) = found?;
                m.gaps += p.saturating_sub(cur);
                m.consumed.extend(p..p + len);
                cur = (p + len).max(cur);
                after_literal = true;
            }
            slot => {
                let window = if after_literal { 2 } else { OBJECT_WINDOW };
                // a slot right after a literal may skip a determiner or a few modifiers; a place
                // may fill it there, and right after the trigger of a rule whose target may be a
                // town ("visited Shusha", "gave back Aghdam")
                let allow_place = after_literal || (k == 0 && place_target);
                let found = object(ctx, cur, window, allow_place).filter(|(_, m)| !m.is_empty());
                // "accused each other of": the subject's members are each other's targets
                if found.is_none() && matches!(slot, Elem::Target) && m.targets.is_empty() && reciprocal_at(toks, cur) {
                    m.reciprocal = true;
                    m.consumed.extend(cur..cur + 2);
                    cur += 2;
                    after_literal = false;
                    continue;
                }
                let Some((end, members)) = found else {
                    // "called Aliyev to apologise for the crash": a purpose infinitive of a call or
                    // a visit may go without its object (the one contacted, filled in below)
                    if matches!(slot, Elem::Target)
                        && k + 1 == rule.after.len()
                        && kind == TriggerKind::Verb
                        && contact_purpose(ctx, ts).is_some()
                    {
                        continue;
                    }
                    // a symmetric verb may have no object when its subject is compound:
                    // "Russia and Iran signed a memorandum" (checked once the subject is known)
                    let mediation = rule.code.as_deref().is_some_and(|c| c.starts_with("045"));
                    if (symmetric || mediation) && matches!(slot, Elem::Target) && k + 1 == rule.after.len() {
                        missing_target = true;
                        continue;
                    }
                    return None;
                };
                if !place_target && members.iter().any(|&x| ctx.phrases[x].town) {
                    return None;
                }
                m.gaps += ctx.phrases[members[0]].start.saturating_sub(cur);
                if let Some(&last) = members.iter().max_by_key(|&&x| ctx.phrases[x].end) {
                    m.slot_phrases.push(last);
                }
                match slot {
                    Elem::Source => m.sources = members,
                    Elem::Target => m.targets = members,
                    Elem::Compound => {
                        if members.len() < 2 {
                            return None;
                        }
                        m.compound = members
                    }
                    Elem::Words(_) => unreachable!(),
                }
                cur = end;
                after_literal = false;
            }
        }
    }
    // before the trigger, outward
    let mut cur = ts;
    for (k, e) in rule.before.iter().enumerate() {
        match e {
            Elem::Words(alts) => {
                // next to an event noun only modifiers may intervene ("Russia's full-scale invasion")
                let gap = if (k == 0 && kind == TriggerKind::Noun) || rule.code.is_none() { 2 } else { MAX_GAP + 3 };
                let lo = cur.saturating_sub(gap);
                // the literal ends after any boundary between it and the trigger
                let lo = (lo..cur).rev().find(|&e| is_boundary(&toks[e])).map_or(lo, |e| e + 1);
                let (s, end) = last_end(toks, lo..=cur, alts)?;
                m.gaps += cur - end;
                m.consumed.extend(s..end);
                cur = s;
            }
            slot => {
                let members = if k == 0 && kind == TriggerKind::Verb {
                    let (end, members) = subject(ctx, cur, prev_subject, noun_at)?;
                    m.subject_end = Some(end);
                    members
                } else {
                    // a slot next to a noun or a literal: the actor right there
                    let window = if kind == TriggerKind::Noun && k == 0 { 2 } else { 3 };
                    // a place may fill a slot the pattern puts after a preposition of place:
                    // `$ in + for *` on "was in Tehran for talks"
                    let place_ok = matches!(rule.before.get(k + 1), Some(Elem::Words(w))
                        if w.iter().any(|x| x.len() == 1 && matches!(x[0].as_str(), "in" | "at" | "to")));
                    let mut found = None;
                    let mut q = cur;
                    while q > 0 && cur - q <= window {
                        q -= 1;
                        if let Some(pk) = ctx.phrase_at[q] {
                            let ph = &ctx.phrases[pk];
                            if ph.is_actor() || place_ok {
                                found = Some(pk);
                            }
                            break;
                        }
                        // only modifiers may stand between a noun and its actor ("Russian full-scale
                        // invasion"), never function words ("... von der Leyen during the summit")
                        if is_boundary(&toks[q])
                            || toks[q].norm == ","
                            || FUNCTION_WORDS.contains(&toks[q].norm.as_str())
                        {
                            break;
                        }
                    }
                    let pk = match found {
                        Some(pk) => pk,
                        None if k == 0 && kind == TriggerKind::Noun && matches!(e, Elem::Source | Elem::Compound) => {
                            if let Some((end, members)) =
                                fronted_clause_subject(ctx, cur, true).filter(|_| matches!(e, Elem::Source))
                            {
                                m.subject_end = Some(end);
                                m.sources = members;
                                continue;
                            }
                            // "Putin began his 'special military operation'", "Russia launched its
                            // invasion": a possessive pronoun points to the clause's subject
                            // ...and so does a light verb whose object the noun is: "Mirziyoyev paid a
                            // state visit to", "the ICC opened an investigation into", "Kazakhstan and
                            // China expanded their cooperation"
                            let mut q = cur;
                            let mut pron = None;
                            while q > 0 && cur - q < 5 {
                                q -= 1;
                                let w = toks[q].norm.as_str();
                                if possessive_pronoun(w) || light_verb_at(toks, q) {
                                    pron = Some(q);
                                    if !light_verb_at(toks, q) && q > 0 && light_verb_at(toks, q - 1) {
                                        pron = Some(q - 1);
                                    }
                                    break;
                                }
                                // ("held their first round of talks": a round of them is them)
                                let round_of = w == "of"
                                    && q > 0
                                    && matches!(toks[q - 1].norm.as_str(), "round" | "rounds" | "series");
                                let modifier = w == "\""
                                    || w == "'"
                                    || w == "-"
                                    || round_of
                                    || matches!(w, "a" | "an" | "the")
                                    // "its 14th sanctions package"
                                    || w.starts_with(|c: char| c.is_ascii_digit())
                                    || (toks[q].kind == dyad_text::TokenKind::Word
                                        && !FUNCTION_WORDS.contains(&w)
                                        && ctx.phrase_at[q].is_none());
                                if !modifier {
                                    break;
                                }
                            }
                            let pron = pron?;
                            // "Erdogan and Aliyev held a phone call": a compound subject of a
                            // finite light verb fills `%`; "ready to help Azerbaijan and Armenia
                            // conclude a treaty", "agreed to continue negotiations" are no such
                            // subject, nor an event that took place
                            if matches!(e, Elem::Compound) && !finite_verb(&toks[pron].norm) {
                                return None;
                            }
                            let (end, members) = subject(ctx, pron, prev_subject, noun_at)?;
                            m.subject_end = Some(end);
                            if matches!(e, Elem::Compound) {
                                if members.len() < 2 {
                                    return None;
                                }
                                m.compound = members;
                            } else {
                                m.sources = members;
                            }
                            continue;
                        }
                        None => return None,
                    };
                    m.gaps += cur.saturating_sub(ctx.phrases[pk].end);
                    // `$ *` straight before a noun: the possessor without 's must be adjacent-ish
                    let members = if ctx.phrases[pk].locative { vec![pk] } else { group(ctx, pk) };
                    cur = members.iter().map(|&x| ctx.phrases[x].start).min().unwrap_or(ctx.phrases[pk].start);
                    members
                };
                match slot {
                    Elem::Source => m.sources = members,
                    Elem::Target => m.targets = members,
                    Elem::Compound => {
                        if members.len() < 2 {
                            return None;
                        }
                        m.compound = members
                    }
                    Elem::Words(_) => unreachable!(),
                }
            }
        }
    }
    // an event noun's possessor written without 's must not be a whole sentence subject:
    // `$ *` for nouns takes only adjectives and hyphenated compounds right before the noun.
    if passive {
        // "Y was attacked by X": the subject is the target; the source follows "by"
        let by = (te..(te + MAX_GAP).min(toks.len())).find(|&p| toks[p].norm == "by");
        let src = by.and_then(|p| object(ctx, p + 1, 2, false));
        let tgt = std::mem::take(&mut m.sources);
        m.targets = if tgt.is_empty() { std::mem::take(&mut m.targets) } else { tgt };
        m.sources = src.map(|x| x.1).unwrap_or_default();
    }
    if missing_target && rule.code.as_deref().is_some_and(|c| c.starts_with("045")) && !m.sources.is_empty() {
        // mediation is between parties: "Trump played a pivotal role in mediating, ... Aliyev
        // negotiated a deal with Pashinyan" — with no object, the parties are the sentence's other
        // actors
        let own: Vec<Option<&str>> = m.sources.iter().map(|&x| ctx.phrases[x].key()).collect();
        let mut seen: Vec<&str> = Vec::new();
        for (i, p) in ctx.phrases.iter().enumerate() {
            if let Some(key) = p.key() {
                if p.is_actor() && !own.contains(&Some(key)) && !seen.contains(&key) {
                    seen.push(key);
                    m.targets.push(i);
                }
            }
        }
        if m.targets.len() < 2 {
            return None;
        }
        missing_target = false;
    }
    // "Armenian and Azerbaijani diplomats held talks in Washington": the joint subject of a
    // symmetric verb are its parties, and a place the rule takes as target is only where they met
    if symmetric
        && m.sources.len() >= 2
        && !m.targets.is_empty()
        && m.targets.iter().all(|&t| ctx.phrases[t].locative || ctx.phrases[t].town)
    {
        return None;
    }
    if (missing_target || m.reciprocal) && m.sources.len() < 2 {
        return None;
    }
    if symmetric && m.targets.is_empty() && m.compound.is_empty() && m.sources.len() >= 2 {
        // "Azerbaijan and Türkiye signed the declaration"
        m.compound = std::mem::take(&mut m.sources);
    }
    // "called Aliyev to express his condolences": the purpose infinitive of a call or a visit
    // is addressed to the one contacted when it names no one else
    if kind == TriggerKind::Verb && m.targets.is_empty() && m.compound.is_empty() && rule.code.is_some() {
        if let Some(c) = contact_purpose(ctx, ts) {
            m.targets = c.contacted;
        }
    }
    // a null rule needs only its words ("stocks rallied"); any other rule needs a source
    if m.sources.is_empty() && m.compound.is_empty() && rule.code.is_some() {
        return None;
    }
    Some(m)
}

/// Match a rule on a passive verb: "Two Azerbaijani diplomats were expelled by France",
/// "Sanctions on Syria were lifted by the United States", "Negotiations between Iran and the United
/// States were mediated by Oman".
///
/// The active pattern is read against the passive clause: its `+` is the first actor of the
/// clause's subject, its literals after `*` may stand in that subject ("diplomats", "sanctions
/// on"), and its `$` is the actor after "by". A symmetric verb whose "by" actor is a group
/// ("signed by Kazakhstan and Uzbekistan") pairs the group's members.
fn try_passive(ctx: &SentenceCtx, symmetric: bool, rule: &Rule, ts: usize, te: usize) -> Option<Match> {
    let toks = ctx.toks;
    // only verb-shaped rules: `$ * ...` with nothing else before the trigger
    if !matches!(rule.before.as_slice(), [Elem::Source]) {
        return None;
    }
    // the source: "by X", close after the verb
    let by = (te..(te + 4).min(toks.len())).find(|&p| toks[p].norm == "by")?;
    let (src_end, sources) = object(ctx, by + 1, 2, false)?;
    // the subject region: from the start of the clause to the auxiliary, or to the comma before
    // a reduced relative clause ("Azerbaijan, backed by Turkey,")
    let end = if ts > 1 && toks[ts - 1].norm == "," { ts - 1 } else { ts };
    let mut start = end;
    while start > 0 {
        let t = &toks[start - 1];
        if is_boundary(t)
            || t.norm == ","
            || SUBORDINATORS.contains(&t.norm.as_str())
            || RELATIVES.contains(&t.norm.as_str())
            || REPORTING.contains(&t.norm.as_str())
        {
            break;
        }
        start -= 1;
    }
    let region = start..end;
    let mut first = region.clone().find_map(|q| ctx.phrase_at[q].filter(|&k| ctx.phrases[k].is_actor()));
    // a relative clause's subject is its antecedent: "Armenia, which was supported by Russia,"
    if first.is_none() && start > 0 && RELATIVES.contains(&toks[start - 1].norm.as_str()) {
        let mut r = start - 1;
        while r > 0 && toks[r - 1].norm == "," {
            r -= 1;
        }
        first = r.checked_sub(1).and_then(|q| ctx.phrase_at[q]).filter(|&k| ctx.phrases[k].is_actor());
    }
    let mut m = Match {
        trigger: 0,
        rule: 0,
        trigger_start: ts,
        trigger_end: te,
        subject_end: None,
        sources: vec![],
        targets: vec![],
        compound: vec![],
        reciprocal: false,
        literals: rule.literals,
        gaps: 0,
        consumed: vec![],
        slot_phrases: vec![],
        as_noun: false,
        passive: true,
    };
    for e in &rule.after {
        match e {
            Elem::Target => m.targets = first.map(|k| group(ctx, k)).unwrap_or_default(),
            Elem::Words(alts) => {
                let (p, len) = first_start(toks, region.clone(), alts)?;
                m.consumed.extend(p..p + len);
            }
            // "$ * with +" and the like have no passive reading
            _ => return None,
        }
    }
    m.sources = sources;
    m.subject_end = Some(src_end);
    if m.targets.is_empty() {
        if symmetric && m.sources.len() >= 2 {
            m.compound = std::mem::take(&mut m.sources);
            return Some(m);
        }
        return None;
    }
    Some(m)
}

/// A rule written for the noun use of a verb block: its source is a possessor (`$ 's *`) or
/// stands right before the trigger with nothing else before it (`$ *` for "Russian attack").
fn is_noun_rule(rule: &Rule) -> bool {
    rule.before.is_empty()
        || matches!(rule.before.first(), Some(Elem::Compound))
        || matches!(rule.before.first(), Some(Elem::Words(w)) if w.iter().any(|x| x == &["'s"]))
        || rule.after.iter().any(|e| matches!(e, Elem::Source))
}

/// Whether a verb form at `i` reads as a noun: after a determiner ("a murder suspect", "a
/// detained citizen"), perhaps with adjectives between ("the deadly attack"), or as an -s form
/// right after adjectives ("illegal and deadly attacks by Azerbaijan").
fn reads_as_noun(ctx: &SentenceCtx, i: usize) -> bool {
    let toks = ctx.toks;
    let adjective = |q: usize| {
        let t = &toks[q];
        t.kind == dyad_text::TokenKind::Word
            && !t.cap
            && ctx.phrase_at[q].is_none()
            && (t.norm == "deadly"
                || ["al", "ous", "ive", "ful", "ic", "ent", "ant", "less", "ed"].iter().any(|e| t.norm.ends_with(e)))
    };
    let mut j = i;
    while j > 0 && (adjective(j - 1) || (toks[j - 1].norm == "and" && j > 1 && adjective(j - 2) && j < i)) {
        j -= 1;
    }
    // no finite verb follows a preposition: "calling for sanctions", "a wave of attacks" (but
    // "to" opens an infinitive, and "for attacking" is a gerund)
    let after_preposition = j > 0
        && toks[j - 1].norm != "to"
        && PREPOSITIONS.contains(&toks[j - 1].norm.as_str())
        && !toks[i].norm.ends_with("ing");
    (j > 0 && DETERMINERS.contains(&toks[j - 1].norm.as_str()))
        || after_preposition
        || (j < i && toks[i].norm.ends_with('s') && !toks[i].norm.ends_with("ss"))
}

/// Whether the word at `q` is a light verb whose object follows: one of [`LIGHT_VERBS`], or a
/// form of "have" right before a determiner or possessive ("Aliyev had a telephone conversation
/// with Zelensky"; not the auxiliary of "Armenia has rejected talks").
fn light_verb_at(toks: &[Token], q: usize) -> bool {
    let w = toks[q].norm.as_str();
    LIGHT_VERBS.contains(&w)
        || (matches!(w, "had" | "has" | "have" | "having")
            && toks
                .get(q + 1)
                .is_some_and(|n| matches!(n.norm.as_str(), "a" | "an" | "the") || possessive_pronoun(&n.norm)))
}

/// Whether the verb form at `i`, read as a noun, is the object of a light verb a few words
/// before it ("Erdoğan paid a visit to Baku", "made an official visit to"): then it says what
/// the light verb's subject did, and the verb's own rules (`$ * to +`) apply.
fn light_verb_object(ctx: &SentenceCtx, i: usize) -> bool {
    let toks = ctx.toks;
    let mut q = i;
    while q > 0 && i - q < 4 {
        q -= 1;
        let w = toks[q].norm.as_str();
        if LIGHT_VERBS.contains(&w) {
            return true;
        }
        let modifier = matches!(w, "a" | "an" | "the" | "-")
            || possessive_pronoun(w)
            || (toks[q].kind == dyad_text::TokenKind::Word
                && !toks[q].cap
                && !FUNCTION_WORDS.contains(&w)
                && ctx.phrase_at[q].is_none());
        if !modifier {
            return false;
        }
    }
    false
}

/// A finite form of a light verb or possessive: "held", "began", "opens"; "hold", "holding" are not.
fn finite_verb(w: &str) -> bool {
    possessive_pronoun(w)
        || matches!(w, "paid" | "made" | "began" | "held" | "froze" | "sent")
        || w.ends_with("ed")
        || (w.ends_with('s') && !w.ends_with("ss"))
}

fn has_noun_rules(t: &dyad_dict::Trigger) -> bool {
    t.rules.iter().any(is_noun_rule)
}

/// Find every coded pattern in a sentence.
pub fn match_sentence<E: EventDictionary>(events: &E, ctx: &SentenceCtx, mut trace: Option<&mut Trace>) -> Vec<Match> {
    let toks = ctx.toks;
    let mut out: Vec<Match> = Vec::new();
    let mut consumed = vec![false; toks.len()];
    // words between a verb's trigger and the last literal its rule matched after it: an event
    // noun there is part of that event ("agreed to deepen cooperation in energy" is one event,
    // not also "cooperation")
    let mut in_event = vec![false; toks.len()];
    let mut prev_subject: Option<(usize, Vec<usize>)> = None;
    let lookups: Vec<Option<(usize, Vec<dyad_dict::TriggerForm>)>> =
        (0..toks.len()).map(|i| events.lookup(toks, i)).collect();
    let noun_at: Vec<bool> = lookups
        .iter()
        .enumerate()
        .map(|(i, l)| {
            l.as_ref().is_some_and(|(_, forms)| {
                forms.iter().any(|f| events.trigger(f.trigger).kind == TriggerKind::Noun)
                    || (i > 0 && DETERMINERS.contains(&toks[i - 1].norm.as_str()))
            })
        })
        .collect();
    let mut words: Option<WordSet> = None;
    let mut cands: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if consumed[i] {
            i += 1;
            continue;
        }
        let Some((len, forms)) = lookups[i].as_ref() else {
            i += 1;
            continue;
        };
        let len = *len;
        // after a determiner a verb form is a noun: verb readings are dropped, noun readings stay
        let after_det = reads_as_noun(ctx, i) && !light_verb_object(ctx, i);
        let forms: Vec<_> = forms
            .iter()
            .copied()
            .filter(|f| {
                let kind = events.trigger(f.trigger).kind;
                !(after_det && kind == TriggerKind::Verb && !has_noun_rules(events.trigger(f.trigger)))
                    && !(in_event[i] && (kind == TriggerKind::Noun || after_det))
            })
            .collect();
        if forms.is_empty() {
            i += 1;
            continue;
        }
        // a trigger inside an actor phrase counts only if it reaches past it:
        // "special military operation" (the role word "military" starts a trigger phrase)
        if let Some(k) = ctx.phrase_at[i] {
            if i + len <= ctx.phrases[k].end {
                i += 1;
                continue;
            }
        }
        let (ts, te) = (i, i + len);
        let words = words.get_or_insert_with(|| WordSet::new(toks));
        let mut best: Option<Match> = None;
        for f in &forms {
            let trig = events.trigger(f.trigger);
            // passive: a participle after a form of "be" ("was attacked", "were received")
            let mut p = ts;
            while p > 0
                && (toks[p - 1].norm.ends_with("ly")
                    || matches!(
                        toks[p - 1].norm.as_str(),
                        "not" | "n't" | "never" | "also" | "reportedly" | "allegedly"
                    ))
            {
                p -= 1;
            }
            // ...or a participle with its agent set off by commas after an actor: "Azerbaijan,
            // backed by Turkey, retook ..." (a reduced relative clause)
            let reduced = trig.kind == TriggerKind::Verb
                && f.participle
                && ts > 1
                && toks[ts - 1].norm == ","
                && ctx.phrase_at[ts - 2].is_some_and(|k| ctx.phrases[k].is_actor())
                && toks.get(te).is_some_and(|t| t.norm == "by");
            let be_before = p > 0 && BE.contains(&toks[p - 1].norm.as_str());
            let passive = reduced || (trig.kind == TriggerKind::Verb && f.participle && be_before);
            // a past tense that is also the participle ("hit", "sent") has no active reading
            // after a form of "be": "had been hit by Russian air defences" is a passive only
            if trig.kind == TriggerKind::Verb
                && !f.participle
                && be_before
                && toks[p - 1].norm != "'s"
                && forms.iter().any(|g| g.participle && g.trigger == f.trigger)
            {
                continue;
            }
            // only the rules whose every literal may occur in the sentence are tried; a trace
            // lists the others too, as not matching
            cands.clear();
            events.candidate_rules(f.trigger, words, &mut cands);
            let mut listed = cands.iter().copied().peekable();
            for (ri, rule) in trig.rules.iter().enumerate() {
                let candidate = listed.next_if_eq(&ri).is_some();
                if !candidate && trace.is_none() {
                    continue;
                }
                // ...but right after a possessive pronoun its verb rules with a subject read as a
                // noun's ("his visit to Baku": the pronoun points to who visited)
                let owned = ts > 0
                    && possessive_pronoun(&toks[ts - 1].norm)
                    && matches!(rule.before.as_slice(), [Elem::Source]);
                if after_det && trig.kind == TriggerKind::Verb && !is_noun_rule(rule) && !owned {
                    continue;
                }
                let has_by =
                    || rule.after.iter().any(|e| matches!(e, Elem::Words(w) if w.iter().any(|x| x == &["by"])));
                // a rule written for the passive ("+ diplomats * from $") reads it as written
                let written_passive = || rule.before.iter().any(|e| matches!(e, Elem::Target));
                let r = if !candidate {
                    None
                } else if passive && !has_by() && !written_passive() {
                    try_passive(ctx, trig.symmetric, rule, ts, te)
                } else {
                    // a verb read as a noun is matched as a noun: its possessor stands right
                    // before it ("Russia's arrest of", not "Russia's ministry protested over the
                    // arrest of")
                    let kind = if after_det { TriggerKind::Noun } else { trig.kind };
                    try_rule(ctx, kind, trig.symmetric, rule, ts, te, false, prev_subject.as_ref(), &noun_at)
                };
                if let Some(t) = trace.as_deref_mut() {
                    t.push(format!(
                        "  rule {} `{}` at {:?}{}: {}",
                        rule.id,
                        rule.text,
                        toks[ts..te].iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" "),
                        if passive { " (passive)" } else { "" },
                        if r.is_some() { "matched" } else { "no match" }
                    ));
                }
                if let Some(mut r) = r {
                    r.trigger = f.trigger;
                    r.rule = ri;
                    let better = match &best {
                        None => true,
                        // a rule that finds both actors, or a null rule (which says the words are no
                        // event, whatever actors stand around them), beats one that finds only a
                        // source; then more literals win, then fewer skipped tokens
                        Some(b) => {
                            let null = |m: &Match| events.trigger(m.trigger).rules[m.rule].code.is_none();
                            let whole = |m: &Match| !m.targets.is_empty() || !m.compound.is_empty() || null(m);
                            (whole(&r), r.literals, std::cmp::Reverse(r.gaps))
                                > (whole(b), b.literals, std::cmp::Reverse(b.gaps))
                        }
                    };
                    if better {
                        best = Some(r);
                    }
                }
            }
        }
        if let Some(b) = best {
            for &c in &b.consumed {
                consumed[c] = true;
            }
            let coded = events.trigger(b.trigger).rules[b.rule].code.is_some()
                && (!b.targets.is_empty() || !b.compound.is_empty());
            if coded && events.trigger(b.trigger).kind == TriggerKind::Verb {
                if let Some(&last) = b.consumed.iter().filter(|&&c| c >= b.trigger_end).max() {
                    in_event[b.trigger_end..last].iter_mut().for_each(|x| *x = true);
                }
            }
            if events.trigger(b.trigger).kind == TriggerKind::Verb {
                // a verb coordinated with a passive shares its subject, the target: "Azerbaijan
                // was attacked by X and responded"; a passive with no actor as its subject ("the
                // plane had been hit by Russian air defences and ...") leaves it as it was
                if let Some(end) = b.subject_end.filter(|_| !b.passive || !b.targets.is_empty()) {
                    let subj = if b.passive {
                        b.targets.clone()
                    } else if b.sources.is_empty() {
                        b.compound.clone()
                    } else {
                        b.sources.clone()
                    };
                    prev_subject = Some((end, subj));
                }
            }
            if let Some(t) = trace.as_deref_mut() {
                let rule = &events.trigger(b.trigger).rules[b.rule];
                t.push(format!(
                    "  -> best rule {} ({})",
                    rule.id,
                    rule.code.as_deref().unwrap_or("null rule: nothing coded")
                ));
            }
            out.push(b);
        }
        i = te;
    }
    out
}

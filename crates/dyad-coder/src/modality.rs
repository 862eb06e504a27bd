//! Negation and modality: is the event denied, only possible, or refused?
//!
//! The words between the subject and the trigger (for a verb), or just before the trigger (for an
//! event noun), decide:
//!
//! | words | effect |
//! | --- | --- |
//! | not, n't, never, no longer, failed/fails/failing/failure to, yet to, came close to, nearly, almost | `negated` |
//! | blocked / vetoed / thwarted / cancelled + an event noun ("blocked EU sanctions") | `negated` |
//! | denied V-ing, denied that …, rejected claims that … (the event is what was denied) | `negated` |
//! | called on / urged / asked / invited X to (the event is what X was asked to do) | `hypothetical` |
//! | called for / urged / demanded / sought + an event noun ("called for EU sanctions") | `hypothetical` |
//! | offered / plans / ready … to + verb + an event noun ("offered to host the signing of the treaty") | `hypothetical` |
//! | will, would, may, might, could, should, can, must, plans to, intends to, expected to, set to, aims to, hopes to, seeks to, wants to, is to, ready to, possible, potential, planned, proposed | `hypothetical` |
//! | refused to, declined to, refuses, rejected calls to | a REJECT code ([`reject_code`]) |
//! | pledged / promised / offered / ready to; agreed to (roots 03–08 only) | an intent code ([`intent_code`]) |
//!
//! A sentence opened by "If", "Should", "Unless" or "Were" is hypothetical throughout.

use dyad_text::{Token, TokenKind};

/// What the words around a trigger say about it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mood {
    pub negated: bool,
    pub hypothetical: bool,
    pub refused: bool,
    /// "pledged to", "offered to", "ready to": the event is an expression of intent (CAMEO 03).
    pub intent: bool,
    /// "threatened to", "warned it would": the event is a threat (CAMEO 13).
    pub threat: bool,
    /// `intent` comes from "agreed to": the agreement is what happened, an expressed intent
    /// (CAMEO 03) for an event of roots 03–08 ("agreed to return four villages": 035); for
    /// any other code the event keeps its own code, as reported ("agreed to impose sanctions").
    pub agreed: bool,
    /// Where the "agreed" of `agreed` stands (a token index of the sentence).
    pub agreed_at: Option<usize>,
    /// Where the verb of `intent` stands when it is "pledged", "promised", "offered" or "vowed"
    /// (a token index): "Ankara pledged to back Baku" is the backing's intent (032), and the
    /// pledge adds no event of its own between the same actors.
    pub intent_at: Option<usize>,
}

impl Mood {
    /// Whether the event is coded as the intent to do it ([`intent_code`]).
    pub fn codes_intent(&self, code: &str) -> bool {
        self.intent && (!self.agreed || matches!(code.get(..2), Some("03" | "04" | "05" | "06" | "07" | "08")))
    }
}

const NEGATORS: &[&str] = &["not", "n't", "never", "no", "neither", "nor", "without", "cannot"];
pub(crate) const MODALS: &[&str] =
    &["will", "would", "may", "might", "could", "should", "can", "must", "shall", "ll", "'ll", "cannot"];
const INTENT_VERBS: &[&str] = &[
    "plan",
    "plans",
    "planned",
    "planning",
    "intend",
    "intends",
    "intended",
    "intending",
    "expected",
    "expect",
    "expects",
    "set",
    "aim",
    "aims",
    "aimed",
    "aiming",
    "hope",
    "hopes",
    "hoped",
    "hoping",
    "seek",
    "seeks",
    "sought",
    "seeking",
    "want",
    "wants",
    "wanted",
    "wish",
    "wishes",
    "ready",
    "willing",
    "likely",
    "unlikely",
    "going",
    "prepared",
    "scheduled",
    "due",
    "poised",
    "considering",
    "consider",
    "considers",
    "mulling",
    "threatened",
    "threatens",
    "threaten",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "promised",
    "promises",
    "proposed",
    "proposes",
    "offered",
    "offers",
    "urged",
    "urges",
    "asked",
    "asks",
    "demanded",
    "demands",
    "would-be",
];
/// "agreed to": like an intent marker, for the cooperative codes that [`Mood::agreed`] allows.
const AGREEMENTS: &[&str] = &["agreed", "agree", "agrees", "agreeing"];
const NOUN_MODIFIERS: &[&str] = &[
    "possible",
    "potential",
    "planned",
    "proposed",
    "future",
    "prospective",
    "expected",
    "upcoming",
    "would-be",
    "hypothetical",
    "eventual",
    "likely",
    "new",
];
/// Words that turn "X <word> to <verb>" into CAMEO 03, an expressed intent.
const INTENT_MARKERS: &[&str] = &[
    "pledged",
    "pledges",
    "pledge",
    "promised",
    "promises",
    "promise",
    "vowed",
    "vows",
    "vow",
    "offered",
    "offers",
    "offer",
    "ready",
    "willing",
    "prepared",
    "readiness",
    "intention",
    "committed",
    "commits",
    "undertook",
];
const BE_FORMS: &[&str] =
    &["is", "are", "was", "were", "be", "been", "being", "'s", "'re", "seemed", "seems", "appeared"];
const THREAT_MARKERS: &[&str] = &["threatened", "threatens", "threaten", "threatening"];
const REFUSALS: &[&str] = &["refused", "refuses", "refuse", "refusing", "declined", "declines", "decline", "declining"];
const SENTENCE_CONDITIONALS: &[&str] = &["if", "should", "unless", "were", "whether"];
/// Verbs that deny what follows them: "denied shelling", "denies that its troops fired".
const DENIALS: &[&str] = &["denied", "denies", "deny", "denying"];
/// Verbs that deny a claim named after them: "rejected claims that", "dismissed reports that".
const CLAIM_DENIALS: &[&str] =
    &["denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed", "dismisses", "refuted", "refutes"];
const CLAIMS: &[&str] =
    &["claims", "claim", "reports", "report", "allegations", "allegation", "accusations", "suggestions"];

/// Verbs whose object is asked or expected to do what follows "to": "called on the EU to impose
/// sanctions", "urged Armenia to stay", "invited Erdogan to visit Shusha".
const APPEALS: &[&str] = &[
    "urged",
    "urges",
    "asked",
    "asks",
    "pressed",
    "presses",
    "invited",
    "invites",
    "encouraged",
    "encourages",
    "told",
    "tells",
    "wants",
    "wanted",
    "expects",
    "expected",
    "advised",
    "advises",
    "begged",
    "appealed",
];

/// Forms of "call", as in "called on X to" and "called for".
const CALL_FORMS: &[&str] = &["called", "calls", "call", "calling"];

/// The positions of the (at most `n`) words before `end`, nearest first, up to a word of `stops`.
fn words_before<'t>(toks: &'t [Token], end: usize, n: usize, stops: &'t [&str]) -> impl Iterator<Item = usize> + 't {
    (end.saturating_sub(n)..end).rev().take_while(move |&j| !stops.contains(&toks[j].norm.as_str()))
}

/// "The European Parliament called on the EU to impose sanctions": the "to" before the trigger
/// at `to` follows an appeal and its object, a few words before it.
fn appealed_clause(toks: &[Token], to: usize) -> bool {
    words_before(toks, to, 10, &[";", ":", ".", ",", "and", "but", "that"]).any(|j| {
        APPEALS.contains(&toks[j].norm.as_str())
                // "called on X to", not "called X to apologise" (a telephone call)
                || (matches!(toks[j].norm.as_str(), "on" | "upon")
                    && j > 0
                    && CALL_FORMS.contains(&toks[j - 1].norm.as_str()))
    })
}

/// "She accused the ruling party of sabotaging EU integration", "blamed Baku for an attack on the
/// embassy": what an accusation says someone did (a gerund or an event noun right after its
/// "of" / "for", past an article) is alleged, not reported as done: the accusation is the event.
fn alleged(toks: &[Token], trigger: usize) -> bool {
    let mut k = trigger;
    if k > 0 && matches!(toks[k - 1].norm.as_str(), "a" | "an" | "the") {
        k -= 1;
    }
    let verbs = match toks[..k].last().map(|t| t.norm.as_str()) {
        Some("of") => OF_ALLEGING,
        Some("for") => FOR_ALLEGING,
        _ => return false,
    };
    words_before(toks, k - 1, 8, &[";", ":", ".", ",", "and", "but", "that"])
        .any(|j| verbs.contains(&toks[j].norm.as_str()))
}

/// "Talks between Aliyev and Pashinyan will be held in March", "The next round of talks is
/// expected to take place in Geneva": an event noun that opens the sentence, whose verb is a future
/// or a plan, names what has not happened yet.
fn future_subject(toks: &[Token], noun: usize) -> bool {
    if !opens_sentence(toks, noun) {
        return false;
    }
    for k in noun + 1..(noun + 14).min(toks.len()) {
        let w = toks[k].norm.as_str();
        let next = toks.get(k + 1).map_or("", |t| t.norm.as_str());
        match w {
            "will" | "would" | "shall" => return true,
            "is" | "are" => {
                return matches!(
                    next,
                    "to" | "due" | "expected" | "scheduled" | "set" | "planned" | "slated" | "likely"
                )
            }
            "," | ";" | ":" | "." | "was" | "were" | "has" | "have" | "had" | "took" | "began" | "ended" => {
                return false
            }
            _ if toks[k].kind == TokenKind::Word && !toks[k].cap && w.ends_with("ed") => return false,
            _ => {}
        }
    }
    false
}

/// An event noun that opens the sentence and whose verb says it did not happen: "The
/// Aliyev-Pashinyan meeting in Granada did not take place", "Erdoğan's visit to Yerevan was
/// called off". Not past a comma: "The summit, postponed twice, took place in May".
fn called_off_subject(toks: &[Token], noun: usize) -> bool {
    if !opens_sentence(toks, noun) {
        return false;
    }
    let at = |k: usize| toks.get(k).map_or("", |t| t.norm.as_str());
    for k in noun + 1..(noun + 14).min(toks.len()) {
        match at(k) {
            "," | ";" | ":" | "." => return false,
            "did" | "has" | "have" | "had" if matches!(at(k + 1), "not" | "n't" | "never") => {
                return matches!(at(k + 2), "take" | "taken" | "happen" | "happened" | "materialise" | "materialize")
            }
            "never" => return matches!(at(k + 1), "took" | "happened" | "materialised" | "materialized"),
            "was" | "were" => {
                return matches!(
                    at(k + 1),
                    "cancelled" | "canceled" | "postponed" | "scrapped" | "shelved" | "aborted" | "abandoned"
                ) || (at(k + 1) == "called" && at(k + 2) == "off")
            }
            "fell" => return at(k + 1) == "through",
            _ => {}
        }
    }
    false
}

/// Whether only capitalised words, determiners and a few modifiers stand before the event noun
/// at `noun`: the noun is (the head of) the sentence's subject.
fn opens_sentence(toks: &[Token], noun: usize) -> bool {
    toks[..noun].iter().all(|t| {
        t.kind != TokenKind::Word
            || t.cap
            || matches!(
                t.norm.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "next"
                    | "new"
                    | "first"
                    | "second"
                    | "third"
                    | "further"
                    | "fresh"
                    | "direct"
                    | "planned"
                    | "upcoming"
                    | "round"
                    | "of"
                    | "'s"
            )
    })
}

/// Verbs whose "of" names what is alleged ("accused X of ...", "suspected of", "charged of").
const OF_ALLEGING: &[&str] =
    &["accused", "accuses", "accusing", "accuse", "suspected", "suspects", "suspecting", "suspect", "charged"];

/// Verbs whose "for" names what is alleged ("blamed X for ...").
const FOR_ALLEGING: &[&str] = &["blamed", "blames", "blaming", "blame"];

/// "calling for sanctions against Azerbaijan", "urged new sanctions": an event noun a few
/// words after a call for it names what is asked for, which has not happened.
fn called_for(toks: &[Token], noun: usize) -> bool {
    words_before(toks, noun, 4, &[";", ":", ".", ",", "and", "but", "after", "over"]).any(|j| {
        let w = toks[j].norm.as_str();
        let before = |k: usize| toks[k].norm.as_str();
        (w == "for"
            && j > 0
            && (CALL_FORMS.contains(&before(j - 1))
                || matches!(before(j - 1), "appealed" | "appeals" | "appealing" | "pressed" | "pressing")))
            || matches!(w, "urged" | "urges" | "urging" | "demanded" | "demands" | "demanding" | "sought" | "seeking")
    })
}

/// "Kazakhstan offered to host the signing of the peace treaty", "plans to hold talks": an event
/// noun a few words after "to" and a word of intent names what is intended, which has not
/// happened.
fn intended(toks: &[Token], noun: usize) -> bool {
    // "and" between two names stays inside the clause: "ready to help Baku and Yerevan finalise
    // their peace treaty"
    let stop = |j: usize| {
        let w = toks[j].norm.as_str();
        matches!(w, ";" | ":" | "." | "," | "but") || (w == "and" && !toks.get(j + 1).is_some_and(|n| n.cap))
    };
    (noun.saturating_sub(8)..noun).rev().take_while(|&j| !stop(j)).any(|j| {
        // a verb after "to", not a noun phrase ("due to the war")
        let verb_follows = j + 1 < noun
            && !matches!(toks[j + 1].norm.as_str(), "the" | "a" | "an" | "his" | "her" | "its" | "their" | "this");
        toks[j].norm == "to" && j > 0 && verb_follows && {
            let w = toks[j - 1].norm.as_str();
            INTENT_VERBS.contains(&w) || INTENT_MARKERS.contains(&w)
        }
    })
}

/// "Hungary blocked EU sanctions against Georgian officials", "Lavrov cancelled his trip to
/// Yerevan": an event noun a few words after a veto or a cancellation names what did not come
/// about.
fn blocked(toks: &[Token], noun: usize) -> bool {
    words_before(toks, noun, 4, &[";", ":", ".", ",", "and", "but", "after", "over"]).any(|j| {
        matches!(
            toks[j].norm.as_str(),
            "blocked"
                | "blocks"
                | "blocking"
                | "vetoed"
                | "vetoes"
                | "vetoing"
                | "thwarted"
                | "thwarts"
                | "foiled"
                | "cancelled"
                | "canceled"
                | "cancels"
                | "cancelling"
        )
    })
}

/// Whether the "that" at `j` opens what a denial denies: "denied that", "rejected claims that".
fn denial_that(toks: &[Token], j: usize) -> bool {
    let w = |i: usize| toks[i].norm.as_str();
    toks[j].norm == "that"
        && j >= 1
        && (DENIALS.contains(&w(j - 1)) || (j >= 2 && CLAIMS.contains(&w(j - 1)) && CLAIM_DENIALS.contains(&w(j - 2))))
}

/// "Baku denied that its troops had fired": the subject of the trigger's clause ends at `lo`;
/// whether a denial's "that" stands just before that subject (within a few words, no clause
/// break between).
fn denied_clause(toks: &[Token], lo: usize) -> bool {
    words_before(toks, lo, 6, &[";", ":", ".", "and", "but"]).any(|j| denial_that(toks, j))
}

/// Read the mood of the trigger at `trigger` (sentence-local token index).
pub fn read(toks: &[Token], trigger: usize, subject_end: Option<usize>, noun: bool) -> Mood {
    let mut m = Mood::default();
    if toks.first().is_some_and(|t| SENTENCE_CONDITIONALS.contains(&t.norm.as_str())) {
        m.hypothetical = true;
    }
    // the clause of the trigger: from the subject (or a few words back) to the trigger
    let lo = match subject_end {
        Some(e) if e <= trigger && trigger - e <= 10 => e,
        _ => trigger.saturating_sub(if noun { 3 } else { 6 }),
    };
    let window = &toks[lo..trigger];
    if !noun && subject_end.is_some_and(|e| e <= trigger) && denied_clause(toks, lo) {
        m.negated = true;
    }
    if !noun && trigger > 0 && toks[trigger - 1].norm == "to" && appealed_clause(toks, trigger - 1) {
        m.hypothetical = true;
    }
    // a verb's form read as a noun ("Aliyev's visit to Beijing will take place in April")
    let nominal = noun
        || (trigger > 0
            && matches!(toks[trigger - 1].norm.as_str(), "'s" | "the" | "a" | "an" | "his" | "her" | "its" | "their"));
    if alleged(toks, trigger) || (nominal && future_subject(toks, trigger)) {
        m.hypothetical = true;
    }
    // ("The Aliyev-Pashinyan meeting": a gerund-shaped noun after a hyphened pair)
    if (nominal || toks[trigger].norm.ends_with("ing")) && called_off_subject(toks, trigger) {
        m.negated = true;
    }
    if noun && (called_for(toks, trigger) || intended(toks, trigger)) {
        m.hypothetical = true;
    }
    if noun && blocked(toks, trigger) {
        m.negated = true;
    }
    let mut in_relative = false;
    for (k, t) in window.iter().enumerate() {
        let w = t.norm.as_str();
        // a relative clause between subject and verb has its own mood:
        // "the minister, whose name was not disclosed, met..."
        if w == "," && window.get(k + 1).is_some_and(|n| matches!(n.norm.as_str(), "which" | "who" | "whose" | "whom"))
        {
            in_relative = true;
            continue;
        }
        if in_relative {
            if w == "," {
                in_relative = false;
            }
            continue;
        }
        if matches!(w, "," | ";" | ":" | "and" | "but") && subject_end.is_none() {
            // a clause break before the trigger: only what follows counts
            m = Mood {
                hypothetical: m.hypothetical
                    && toks.first().is_some_and(|t| SENTENCE_CONDITIONALS.contains(&t.norm.as_str())),
                ..Mood::default()
            };
            continue;
        }
        if noun {
            if NOUN_MODIFIERS.contains(&w) && w != "new" {
                m.hypothetical = true;
            }
            if w == "no" {
                m.negated = true;
            }
            continue;
        }
        if NEGATORS.contains(&w) && w != "without" {
            m.negated = true;
        }
        // "failed to (fully) implement": the verb right after "to" is the one that did not happen;
        // in "failing to respond to Azerbaijan's attack" the attack did
        if matches!(w, "failed" | "failing" | "fails" | "fail" | "failure")
            && window.get(k + 1).is_some_and(|n| n.norm == "to")
            && window.len() <= k + 3
        {
            m.negated = true;
        }
        // "denied shelling", "denied having attacked", "denied that ...", "rejected claims that
        // ...": what the denial takes as its object did not happen, in the speaker's words; "denied
        // Azerbaijani claims and accused Baku of ...": a denial of a noun leaves the trigger alone
        let unbroken = || !window[k + 1..].iter().any(|t| matches!(t.norm.as_str(), "and" | "but" | "," | ";" | ":"));
        if DENIALS.contains(&w)
            && (k + 1 == window.len()
                || window.get(k + 1).is_some_and(|n| n.norm == "having" || n.norm.ends_with("ing")))
            && unbroken()
        {
            m.negated = true;
        }
        if denial_that(toks, lo + k) && unbroken() {
            m.negated = true;
        }
        if w == "longer" && k > 0 && window[k - 1].norm == "no" {
            m.negated = true;
        }
        // "has yet to open its border": not done so far; "came close to signing", "nearly
        // signed", "almost went to war": not done at all
        let right_before = |n: usize| window.len() <= k + n;
        if (w == "yet" && window.get(k + 1).is_some_and(|n| n.norm == "to") && right_before(3))
            || (w == "close"
                && k > 0
                && matches!(window[k - 1].norm.as_str(), "came" | "come" | "comes" | "coming")
                && window.get(k + 1).is_some_and(|n| n.norm == "to")
                && right_before(2))
            || (matches!(w, "nearly" | "almost") && right_before(1))
        {
            m.negated = true;
        }
        // "stopped short of condemning": not done; "are close to signing", "on the verge of
        // signing": not done yet
        if w == "short"
            && k > 0
            && matches!(window[k - 1].norm.as_str(), "stopped" | "stop" | "stops" | "stopping")
            && window.get(k + 1).is_some_and(|n| n.norm == "of")
            && right_before(2)
        {
            m.negated = true;
        }
        if ((matches!(w, "close" | "closer")
            && k > 0
            && BE_FORMS.contains(&window[k - 1].norm.as_str())
            && window.get(k + 1).is_some_and(|n| n.norm == "to"))
            || (matches!(w, "verge" | "brink") && window.get(k + 1).is_some_and(|n| n.norm == "of")))
            && right_before(2)
        {
            m.hypothetical = true;
        }
        // "ruled out meeting Pashinyan": a refusal, as "refused to meet"
        if matches!(w, "ruled" | "rules" | "rule" | "ruling")
            && window.get(k + 1).is_some_and(|n| n.norm == "out")
            && right_before(2)
        {
            m.refused = true;
        }
        if MODALS.contains(&w) {
            m.hypothetical = true;
        }
        let next_to =
            window.get(k + 1).is_some_and(|n| n.norm == "to") || window.get(k + 2).is_some_and(|n| n.norm == "to");
        // "agreed in February 2023 to normalise relations": the "to" right before the trigger,
        // a date or place between
        let to_trigger = window.len() > k + 1
            && window.len() <= k + 6
            && window.last().is_some_and(|n| n.norm == "to")
            && !window[k + 1..].iter().any(|t| matches!(t.norm.as_str(), "," | ";" | "and" | "but" | "that"));
        if INTENT_VERBS.contains(&w) && next_to {
            m.hypothetical = true;
        }
        if w == "is" || w == "are" {
            // "is to visit"
            if window.get(k + 1).is_some_and(|n| n.norm == "to") {
                m.hypothetical = true;
            }
        }
        if REFUSALS.contains(&w) {
            m.refused = true;
        }
        if INTENT_MARKERS.contains(&w) && next_to {
            m.intent = true;
            m.intent_at = Some(lo + k);
        }
        if AGREEMENTS.contains(&w) && (next_to || to_trigger) {
            m.intent = true;
            m.agreed = true;
            m.agreed_at = Some(lo + k);
        }
        if THREAT_MARKERS.contains(&w) && next_to {
            m.threat = true;
        }
    }
    if m.threat && !m.negated {
        m.intent = false;
        m.hypothetical = toks.first().is_some_and(|t| SENTENCE_CONDITIONALS.contains(&t.norm.as_str()));
    } else {
        m.threat = false;
    }
    if m.intent && !m.negated && !m.refused {
        // the expression of intent is itself a factual event
        m.hypothetical = toks.first().is_some_and(|t| SENTENCE_CONDITIONALS.contains(&t.norm.as_str()));
    } else {
        m.intent = false;
        m.agreed = false;
        m.agreed_at = None;
        m.intent_at = None;
    }
    if m.refused && m.negated {
        // "did not refuse to meet": a meeting was not refused; leave it factual-but-negated-refusal out
        m.refused = false;
        m.negated = false;
    }
    if m.refused {
        // the refusal itself is the event: it is factual
        m.hypothetical = toks.first().is_some_and(|t| SENTENCE_CONDITIONALS.contains(&t.norm.as_str()));
    }
    m
}

/// The CAMEO 03 code (express intent) for promising or offering to do what `code` describes.
///
/// | pledged / offered / ready to … | code |
/// | --- | --- |
/// | meet, negotiate (04) | 036 |
/// | mediate (045) | 039 |
/// | sign, settle (057) | 037 |
/// | cooperate (06; 061 economic, 062 military) | 031 / 0311 / 0312 |
/// | give aid (07; 071, 072, 073, 074) | 033 / 0331–0334 |
/// | release (0841), ease sanctions (085), de-escalate (087), yield otherwise (08) | 0353 / 0354 / 0356 / 035 |
/// | threaten force (15–20) | 138 Threaten to use military force |
/// | impose sanctions (163), break relations (161) | 1312 / 1313 |
/// | anything else | 030 |
pub fn intent_code(code: &str) -> &'static str {
    match code {
        c if c.starts_with("03") => "030",
        c if c.starts_with("045") => "039",
        c if c.starts_with("04") => "036",
        c if c.starts_with("057") => "037",
        c if c.starts_with("05") => "032",
        c if c.starts_with("061") => "0311",
        c if c.starts_with("062") => "0312",
        c if c.starts_with("06") => "031",
        c if c.starts_with("071") => "0331",
        c if c.starts_with("072") => "0332",
        c if c.starts_with("073") => "0333",
        c if c.starts_with("074") => "0334",
        c if c.starts_with("07") => "033",
        c if c.starts_with("0841") => "0353",
        c if c.starts_with("085") => "0354",
        c if c.starts_with("087") => "0356",
        c if c.starts_with("08") => "035",
        c if c.starts_with("163") => "1312",
        c if c.starts_with("16") => "1313",
        c if c.starts_with("15")
            || c.starts_with("17")
            || c.starts_with("18")
            || c.starts_with("19")
            || c.starts_with("20") =>
        {
            "138"
        }
        _ => "030",
    }
}

/// The CAMEO 13 code (threaten) for threatening to do what `code` describes.
///
/// | threatened to … | code |
/// | --- | --- |
/// | cut aid (162) | 1311 |
/// | impose sanctions, embargo (163, 164) | 1312 |
/// | cut ties, expel, withdraw (161, 166, 16) | 1313 |
/// | break off talks (04) | 134 |
/// | arrest, repress (17) | 137 |
/// | blockade (191) / occupy (192) | 1381 / 1382 |
/// | use mass violence (20) | 1383; nuclear or chemical weapons (204) 1384 |
/// | attack (15, 18, 19) | 138 |
/// | anything else | 130 |
pub fn threat_code(code: &str) -> &'static str {
    match code {
        c if c.starts_with("162") => "1311",
        c if c.starts_with("163") || c.starts_with("164") => "1312",
        c if c.starts_with("16") => "1313",
        c if c.starts_with("04") => "134",
        c if c.starts_with("17") => "137",
        c if c.starts_with("191") => "1381",
        c if c.starts_with("192") => "1382",
        c if c.starts_with("204") => "1384",
        c if c.starts_with("20") => "1383",
        c if c.starts_with("15") || c.starts_with("18") || c.starts_with("19") => "138",
        _ => "130",
    }
}

/// The CAMEO REJECT code for refusing to do what `code` describes.
///
/// | refused to … | code |
/// | --- | --- |
/// | meet, negotiate (04, 036, 046) | 125 Reject proposal to meet, discuss, or negotiate |
/// | accept mediation, mediate (038, 039, 045) | 126 Reject mediation |
/// | sign, settle (057, 037) | 127 Reject plan, agreement to settle dispute |
/// | cooperate (06: 061 economic, 062 military) | 121 / 1211 / 1212 |
/// | give aid (07, 033) | 122 Reject request for aid |
/// | release (0841, 0353) / ease sanctions (085) / de-escalate (087) | 1243 / 1244 / 1246 |
/// | yield otherwise (08) | 124 |
/// | anything else | 120 Reject |
pub fn reject_code(code: &str) -> &'static str {
    match code {
        c if c.starts_with("057") || c.starts_with("037") => "127",
        c if c.starts_with("038") || c.starts_with("039") || c.starts_with("045") => "126",
        c if c.starts_with("04") || c.starts_with("036") || c.starts_with("046") => "125",
        c if c.starts_with("061") => "1211",
        c if c.starts_with("062") => "1212",
        c if c.starts_with("06") => "121",
        c if c.starts_with("07") || c.starts_with("033") => "122",
        c if c.starts_with("0841") || c.starts_with("0353") => "1243",
        c if c.starts_with("085") || c.starts_with("0354") => "1244",
        c if c.starts_with("087") || c.starts_with("0356") => "1246",
        c if c.starts_with("08") => "124",
        _ => "120",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mood(s: &str, trigger_word: &str) -> Mood {
        let toks = dyad_text::tokenize(s);
        let t = toks.iter().position(|t| t.norm == trigger_word).unwrap();
        read(&toks, t, Some(1), false)
    }

    #[test]
    fn negation_modality_refusal() {
        assert!(mood("Iran did not attack Israel", "attack").negated);
        assert!(mood("Azerbaijan may soon reopen its embassy", "reopen").hypothetical);
        assert!(mood("Armenia plans to visit", "visit").hypothetical);
        let r = mood("Iran refused to meet Israel", "meet");
        assert!(r.refused && !r.negated && !r.hypothetical);
        assert!(!mood("Iran met Israel", "met").negated);
        let m = mood("Serbia agreed in February 2023 to normalise relations", "normalise");
        assert!(m.intent && m.agreed && !m.hypothetical && m.codes_intent("050") && !m.codes_intent("163"));
        assert!(mood("Azerbaijan denied shelling Armenian villages", "shelling").negated);
        let toks = dyad_text::tokenize("The parliament called on the EU to impose sanctions");
        assert!(read(&toks, 7, Some(6), false).hypothetical);
        let toks = dyad_text::tokenize("Aliyev called Putin to congratulate him");
        assert!(!read(&toks, 4, Some(1), false).hypothetical);
        assert!(mood("Russia denied having attacked Kyiv", "attacked").negated);
        assert!(mood("Russia denied that it attacked Kyiv", "attacked").negated);
        assert!(mood("Baku rejected claims that it had attacked Yerevan", "attacked").negated);
        assert!(!mood("Baku denied the claims and attacked Yerevan", "attacked").negated);
        assert!(!mood("Armenia denied firing on civilians and accused Baku", "accused").negated);
        assert_eq!(reject_code("036"), "125");
        assert_eq!(reject_code("057"), "127");
    }
}

//! Actor phrases: from dictionary hits to the actors of a sentence.
//!
//! A sentence's tokens are first matched against the actor dictionary (longest match, left to
//! right). The hits are then composed into *phrases* the way news English builds them:
//!
//! | text | phrase |
//! | --- | --- |
//! | `Azerbaijan's Energy Minister Parviz Shabazov` | country AZE, sector GOV, name (unknown) |
//! | `the President of Azerbaijan, Ilham Aliyev,` | country AZE, sector GOV, name (known) |
//! | `Iranian Culture Minister Mehdi Esmaili` | country IRN, sector GOV |
//! | `President Erdoğan` | the person's term: TUR, GOV |
//! | `Azerbaijan's Aliyev` | the person, of the polity named (AZE, GOV) |
//! | `the European Political Community (EPC)` | org EPC |
//! | `Baku` / `the Kremlin` | metonym: the state's government |
//! | `in Tehran` | a place, not an actor (`locative`) |
//!
//! Phrases next to each other joined by `,`, `and`, `as well as` or a hyphen form a *group*
//! ("Russia, Turkey and Iran", "the Iran-Israel war"); a pattern slot that lands on one member
//! takes the whole group.

use chrono::NaiveDate;
use dyad_dict::{ActorDictionary, ActorHit, Form, PolityKind};
use dyad_text::{Token, TokenKind};

/// What kind of words a phrase is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Head {
    /// A polity named by name ("Azerbaijan").
    Name,
    /// A polity adjective alone ("Russian").
    Adjective,
    /// A capital or seat of power ("Baku").
    Metonym,
    /// A known person ("Ilham Aliyev").
    Person,
    /// A role word with a polity or name ("Azerbaijan's foreign minister").
    Role,
    /// A bare role word with no polity ("the minister"); its country comes from context.
    BareRole,
}

/// One actor phrase in a sentence. Token positions are sentence-local, `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrase {
    pub start: usize,
    pub end: usize,
    pub head: Head,
    pub country: Option<String>,
    pub org: Option<String>,
    pub sector: Option<String>,
    pub name: Option<String>,
    pub name_known: bool,
    /// Follows a preposition of place ("in Tehran"): a location rather than an actor.
    pub locative: bool,
    /// Directly followed by the possessive `'s` (which is not part of the phrase).
    pub possessive: bool,
    /// Index of the group the phrase belongs to.
    pub group: usize,
    /// Country or org came from an earlier phrase (a bare role resolved by context).
    pub inferred: bool,
    /// A polity adjective with role words after it ("Armenian forces", "Turkish foreign
    /// minister"): the shape whose role an adjective coordinated before it shares.
    pub adjective_role: bool,
    /// The sector came from the role words of a later member of its group ("Azerbaijani" in
    /// "Azerbaijani and Armenian forces").
    pub shared_role: bool,
    /// Plural role words before "of" and a polity ("the foreign ministers of Armenia"): the
    /// shape whose role the polities coordinated after it share.
    pub plural_of_role: bool,
    /// Built on a role word whose sector is `=` ("his Azerbaijani counterpart"): the phrase
    /// takes the sector of the person it names, else of the actor it is the counterpart of.
    pub counterpart: bool,
    /// A town of the gazetteer, not of the actor dictionaries, standing for its country as a
    /// place ("travelled to Shusha"): only a rule whose target is a place may take it as target.
    pub town: bool,
    /// "The two leaders", "both sides": one of the two phrases [`resolve_the_two`] made of a
    /// plural role over the same words.
    pub the_two: bool,
}

impl Phrase {
    /// A phrase over tokens `start..end` built on `head`, with nothing known about it yet.
    pub fn new(start: usize, end: usize, head: Head) -> Phrase {
        Phrase {
            start,
            end,
            head,
            country: None,
            org: None,
            sector: None,
            name: None,
            name_known: false,
            locative: false,
            possessive: false,
            group: 0,
            inferred: false,
            adjective_role: false,
            shared_role: false,
            counterpart: false,
            plural_of_role: false,
            town: false,
            the_two: false,
        }
    }

    pub fn key(&self) -> Option<&str> {
        self.country.as_deref().or(self.org.as_deref())
    }

    /// A pronoun at token `i` ("it", "its") standing for `who`'s polity or organisation, with no
    /// sector or name, marked as inferred.
    fn standing_for(who: &Phrase, i: usize) -> Phrase {
        let mut p = Phrase::new(i, i + 1, Head::Name);
        p.country = who.country.clone();
        p.org = who.org.clone();
        p.inferred = true;
        p
    }

    /// A phrase a pattern slot may fill with a real actor.
    pub fn is_actor(&self) -> bool {
        !self.locative
    }

    /// An actor the sentence names itself: one with a code, not a place, not inferred from
    /// context (what bare roles, "it" and "the two leaders" may stand for).
    pub fn names_actor(&self) -> bool {
        self.key().is_some() && !self.locative && !self.inferred
    }
}

const PARTICLES: &[&str] =
    &["von", "der", "van", "de", "la", "al", "el", "bin", "ibn", "abu", "da", "di", "du", "den", "ter", "le", "ul"];
const PLACE_PREPS: &[&str] =
    &["in", "at", "near", "inside", "outside", "across", "throughout", "within", "via", "into", "around", "outskirts"];
/// Nouns of places: an adjective before one of them, after "in"/"at", names a place.
const PLACE_NOUNS: &[&str] = &[
    "city",
    "town",
    "capital",
    "region",
    "province",
    "village",
    "villages",
    "port",
    "district",
    "border",
    "side",
    "resort",
    "enclave",
    "exclave",
    "island",
    "coast",
    "mountains",
    "territory",
];
/// Words that make `X-word` something other than the actor X ("Baku-based").
const NON_ACTOR_SUFFIXES: &[&str] =
    &["based", "born", "made", "style", "era", "type", "like", "speaking", "language", "owned"];

fn is_cap_word(t: &Token) -> bool {
    t.kind == TokenKind::Word && t.cap && t.norm != "'s"
}

/// Raw dictionary hits at token positions.
struct Raw {
    end: usize,
    hits: Vec<ActorHit>,
}

fn polity_hit(hits: &[ActorHit]) -> Option<(usize, Form)> {
    hits.iter().find_map(|h| match h {
        ActorHit::Polity { id, form } => Some((*id, *form)),
        _ => None,
    })
}

fn role_hit(hits: &[ActorHit]) -> Option<usize> {
    hits.iter().find_map(|h| match h {
        ActorHit::Role { id } => Some(*id),
        _ => None,
    })
}

/// Choose among persons sharing a name: the one in office on `date`, else the first.
fn person_hit<A: ActorDictionary>(dict: &A, hits: &[ActorHit], date: Option<NaiveDate>) -> Option<usize> {
    let persons: Vec<usize> = hits
        .iter()
        .filter_map(|h| match h {
            ActorHit::Person { id } => Some(*id),
            _ => None,
        })
        .collect();
    if persons.len() > 1 {
        if let Some(d) = date {
            if let Some(p) = persons.iter().find(|&&p| dict.person(p).in_office(d)) {
                return Some(*p);
            }
        }
        // without a date prefer someone still in office
        if let Some(p) = persons.iter().find(|&&p| dict.person(p).terms.iter().any(|t| t.to.is_none())) {
            return Some(*p);
        }
    }
    persons.first().copied()
}

/// Whether the dictionary hit of `len` tokens at `i` is a lowercase role word used as a verb
/// after the infinitive marker: "visited Baku to press Aliyev on the treaty" (not the media).
fn infinitive_role(toks: &[Token], i: usize, len: usize, hits: &[ActorHit]) -> bool {
    len == 1
        && i > 0
        && toks[i - 1].norm == "to"
        && !toks[i].cap
        && toks.get(i + 1).is_some_and(is_cap_word)
        && hits.iter().all(|h| matches!(h, ActorHit::Role { .. }))
}

/// Find the actor phrases of one sentence.
///
/// `text` is the document the tokens' byte offsets point into; `date` picks the term of a person
/// with several.
pub fn find_phrases<A: ActorDictionary>(
    dict: &A,
    text: &str,
    toks: &[Token],
    date: Option<NaiveDate>,
    prev_person: Option<&Phrase>,
    prev_actor: Option<&Phrase>,
) -> Vec<Phrase> {
    let words = toks.iter().filter(|t| t.kind == TokenKind::Word).count();
    let uppers = toks.iter().filter(|t| t.kind == TokenKind::Word && t.upper).count();
    let relax = words >= 4 && uppers * 10 >= words * 7;

    // 1. raw dictionary hits, longest first, left to right
    let mut raws: Vec<Raw> = Vec::new();
    let mut at = vec![usize::MAX; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        if let Some((len, hits)) =
            dict.lookup(toks, i, relax).filter(|(len, hits)| !infinitive_role(toks, i, *len, hits))
        {
            at[i] = raws.len();
            raws.push(Raw { end: i + len, hits });
            i += len;
        } else {
            i += 1;
        }
    }
    let raw_at = |i: usize| -> Option<&Raw> { at.get(i).and_then(|&k| raws.get(k)) };

    // 2. compose phrases
    let mut phrases: Vec<Phrase> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // Capitalised words right before a role word belong to the role ("Culture Minister").
        let role_start = |mut j: usize| -> Option<(usize, usize, usize)> {
            let s = j;
            while j < toks.len() && raw_at(j).is_none() && is_cap_word(&toks[j]) && j - s < 3 {
                j += 1;
            }
            let r = raw_at(j)?;
            let role = role_hit(&r.hits)?;
            if polity_hit(&r.hits).is_some() {
                return None;
            }
            Some((s, r.end, role))
        };
        let starts_here = raw_at(i).is_some() || (is_cap_word(&toks[i]) && role_start(i).is_some());
        if !starts_here {
            i += 1;
            continue;
        }
        let mut p = Phrase::new(i, i, Head::Name);
        let mut j = i;
        let mut have_polity = false;
        let mut have_role = false;
        let set_polity = |p: &mut Phrase, id: usize| {
            let pol = dict.polity(id);
            if pol.kind == PolityKind::Org {
                p.org = Some(pol.code.clone());
                p.country = None;
            } else {
                p.country = Some(pol.code.clone());
                p.org = None;
            }
        };
        // (a) a polity modifier or name
        if let Some(r) = raw_at(j) {
            if let Some((id, form)) = polity_hit(&r.hits) {
                set_polity(&mut p, id);
                have_polity = true;
                p.head = match form {
                    Form::Name => Head::Name,
                    Form::Adjective => Head::Adjective,
                    Form::Metonym => Head::Metonym,
                };
                if form == Form::Metonym {
                    p.sector = Some("GOV".into());
                }
                j = r.end;
                p.end = j;
                if toks.get(j).is_some_and(|t| t.norm == "'s") {
                    // "Azerbaijan's foreign minister" and "Azerbaijan's Aliyev" (a person of that
                    // polity) continue; "Azerbaijan's hosting" ends here
                    let own_person = |r: &Raw| {
                        person_hit(dict, &r.hits, date).is_some_and(|pid| {
                            let term = dict.person(pid).term_at(date);
                            term.country.is_some() && term.country.as_deref() == p.country.as_deref()
                        })
                    };
                    if role_start(j + 1).is_some()
                        || raw_at(j + 1).is_some_and(|r| role_hit(&r.hits).is_some() && polity_hit(&r.hits).is_none())
                        || raw_at(j + 1).is_some_and(own_person)
                    {
                        j += 1;
                    } else {
                        p.possessive = true;
                    }
                } else if toks.get(j).is_some_and(|t| t.norm == "-")
                    && toks.get(j + 1).is_some_and(|t| NON_ACTOR_SUFFIXES.contains(&t.norm.as_str()))
                {
                    i = j + 2;
                    continue;
                }
            }
        }
        // (b) role words, possibly several ("Deputy Defense Minister General")
        if !p.possessive {
            // the polity named after "of" at `of` (a name, not an adjective): its id and end
            // (or an adjective with the body it qualifies: "the speaker of the Saudi Shura
            // Council", "the speaker of the Pakistani parliament")
            let polity_after_of = |of: usize| -> Option<(usize, usize)> {
                let mut k = of + 1;
                if toks.get(k).is_some_and(|t| t.norm == "the") {
                    k += 1;
                }
                let r = raw_at(k)?;
                let (id, form) = polity_hit(&r.hits)?;
                if form != Form::Adjective {
                    return Some((id, r.end));
                }
                let (_, body_end, _) = role_start(r.end)?;
                Some((id, body_end))
            };
            while j < toks.len() {
                let Some((_, end, role)) = role_start(j) else {
                    break;
                };
                // a role word written with its "of" ("head of") is one only with the polity it
                // names: "the head of the IAEA", not "the head of the delegation"
                let ends_in_of = toks[end - 1].norm == "of";
                if ends_in_of && (have_polity || polity_after_of(end - 1).is_none()) {
                    break;
                }
                let sector = &dict.role(role).sector;
                if sector == COUNTERPART_SECTOR {
                    p.counterpart = true;
                } else {
                    p.sector = Some(sector.clone());
                }
                // a body only one state has: "the Knesset speaker" is Israel's
                if let (false, Some(c)) = (have_polity, &dict.role(role).country) {
                    p.country = Some(c.clone());
                    p.org = None;
                    have_polity = true;
                }
                have_role = true;
                j = end;
                p.end = j;
                // "President of (the) Azerbaijan", "head of the EU Commission"
                let of =
                    if ends_in_of { Some(j - 1) } else { toks.get(j).is_some_and(|t| t.norm == "of").then_some(j) };
                if let (false, Some(of)) = (have_polity, of) {
                    if let Some((id, polity_end)) = polity_after_of(of) {
                        set_polity(&mut p, id);
                        have_polity = true;
                        p.plural_of_role = toks[of - 1].norm.ends_with('s');
                        j = polity_end;
                        p.end = j;
                        // "President of the EU Commission": a trailing role word of the org
                        if let Some((_, end, _)) = role_start(j) {
                            j = end;
                            p.end = j;
                        }
                    }
                }
            }
        }
        // (c) a person, known or not
        if !p.possessive {
            // a known name followed by another capitalised word is someone else's first name:
            // "Energy Minister Abbas Tavakoli" is not Mahmoud Abbas
            let longer_name = |r: &Raw| toks.get(r.end).is_some_and(|t| is_cap_word(t) && raw_at(r.end).is_none());
            if let Some(r) = raw_at(j).filter(|r| !(have_role && longer_name(r))) {
                if let Some(pid) = person_hit(dict, &r.hits, date) {
                    let person = dict.person(pid);
                    let term = person.term_at(date);
                    if !have_polity {
                        p.country = term.country.clone();
                        p.org = term.org.clone();
                        have_polity = p.country.is_some() || p.org.is_some();
                    }
                    if p.sector.is_none() {
                        p.sector = Some(term.sector.clone());
                    }
                    p.name = Some(person.name.clone());
                    p.name_known = true;
                    if !have_role {
                        p.head = Head::Person;
                    }
                    j = r.end;
                    p.end = j;
                }
            }
            if p.name.is_none()
                && have_role
                && j < toks.len()
                && is_cap_word(&toks[j])
                && raw_at(j).is_none_or(|r| polity_hit(&r.hits).is_some() || longer_name(r))
            {
                // an unknown name after a role: "Energy Minister Parviz Shabazov",
                // "Prime Minister Georgia Meloni" (a country name inside a person's name)
                let s = j;
                let mut k = j;
                while k < toks.len() && k - s < 5 {
                    let t = &toks[k];
                    let particle = PARTICLES.contains(&t.norm.as_str()) && {
                        // "von der Leyen": particles, then a capitalised word
                        let mut m = k;
                        while m < toks.len() && PARTICLES.contains(&toks[m].norm.as_str()) {
                            m += 1;
                        }
                        toks.get(m).is_some_and(is_cap_word)
                    };
                    let is_role = raw_at(k).is_some_and(|r| role_hit(&r.hits).is_some());
                    if (is_cap_word(t) && !is_role) || particle {
                        k += 1;
                    } else {
                        break;
                    }
                }
                // a single capitalised word that is itself a polity is not a name ("... Minister Iran")
                let single_polity = k == s + 1 && raw_at(s).is_some_and(|r| polity_hit(&r.hits).is_some());
                if k > s && !single_polity {
                    // a known person inside the span?
                    p.name = Some(text[toks[s].start..toks[k - 1].end].to_string());
                    p.name_known = false;
                    j = k;
                    p.end = j;
                }
            }
        }
        // an unknown name in apposition after a role: "the President of Azerbaijan, Ilham Aliyev,"
        if have_role && p.name.is_none() && !p.possessive && toks.get(j).is_some_and(|t| t.norm == ",") {
            let s = j + 1;
            let mut k = s;
            while k < toks.len()
                && k - s < 4
                && raw_at(k).is_none()
                && (is_cap_word(&toks[k]) || (PARTICLES.contains(&toks[k].norm.as_str()) && k > s))
            {
                k += 1;
            }
            if k >= s + 2 && toks.get(k).is_some_and(|t| t.norm == ",") {
                p.name = Some(text[toks[s].start..toks[k - 1].end].to_string());
                p.name_known = false;
                j = k;
                p.end = j;
            }
        }
        if have_role && !have_polity {
            p.head = if p.name.is_some() { Head::Role } else { Head::BareRole };
        } else if have_role {
            p.adjective_role = p.head == Head::Adjective && p.name.is_none();
            p.head = Head::Role;
        }
        if p.end == p.start {
            i += 1;
            continue;
        }
        // "his counterpart" names no one: the other party's country is not in the phrase, and
        // the nearest actor before it (which a bare role would take) is the wrong one
        if p.counterpart && !have_polity {
            i = p.end;
            continue;
        }
        // a leading determiner belongs to the phrase
        if p.start > 0 && toks[p.start - 1].norm == "the" {
            p.start -= 1;
        }
        // a parenthesised acronym right after: "the Organization of Turkic States (OTS)"
        if toks.get(p.end).is_some_and(|t| t.norm == "(") && toks.get(p.end + 2).is_some_and(|t| t.norm == ")") {
            let inner = &toks[p.end + 1];
            let same = raw_at(p.end + 1).and_then(|r| polity_hit(&r.hits)).map(|(id, _)| dict.polity(id).code.clone());
            if inner.upper && (same.is_none() || same.as_deref() == p.key()) {
                p.end += 3;
            }
        }
        let prep = p.start.checked_sub(1).map(|k| toks[k].norm.as_str());
        // a country or capital after "in"/"at" is a place, and so is an organisation's seat
        // ("met in Brussels"); an organisation named by name never is ("in NATO")
        if (p.head == Head::Metonym || (p.head == Head::Name && p.org.is_none()))
            && prep.is_some_and(|w| PLACE_PREPS.contains(&w))
        {
            p.locative = true;
        }
        // "in the Uzbek city of Samarkand", "near the Iranian town of Astara": an adjective of a place
        if p.head == Head::Adjective
            && prep.is_some_and(|w| PLACE_PREPS.contains(&w))
            && toks.get(p.end).is_some_and(|t| PLACE_NOUNS.contains(&t.norm.as_str()))
        {
            p.locative = true;
        }
        // a capital that names a text or a forum is neither actor nor place: "the Rome Statute",
        // "the Paris Agreement", "the OSCE Minsk Group", "the Astana format"
        if p.head == Head::Metonym
            && (toks.get(p.end).is_some_and(|t| NAMED_AFTER_CAPITAL.contains(&t.norm.as_str()))
                || names_route(toks, p.end))
        {
            i = p.end.max(i + 1);
            continue;
        }
        i = p.end.max(i + 1);
        phrases.push(p);
    }

    merge_appositions(toks, &mut phrases);
    resolve_bare_roles(toks, &mut phrases, prev_actor);
    resolve_pronouns(toks, &mut phrases, prev_person);
    resolve_it(toks, &mut phrases, prev_actor);
    resolve_its(toks, &mut phrases);
    assign_groups(toks, &mut phrases);
    share_roles(&mut phrases);
    resolve_counterparts(&mut phrases);
    split_shared_possessor(toks, &mut phrases);
    phrases
}

/// "Aliyev and Pashinyan's foreign ministers": a plural role owned by a list of actors is one
/// such role for each of them. The role takes the first owner's polity, and a copy of it over
/// the same words and in the same group takes each other owner's.
fn split_shared_possessor(toks: &[Token], phrases: &mut Vec<Phrase>) {
    let mut k = 1;
    while k < phrases.len() {
        let p = &phrases[k];
        let owner = &phrases[k - 1];
        let plural = toks[p.end - 1].norm.ends_with('s');
        if !matches!(p.head, Head::BareRole) || !p.inferred || !plural || p.start < 2 {
            k += 1;
            continue;
        }
        if toks[p.start - 1].norm != "'s" || owner.end + 1 != p.start {
            k += 1;
            continue;
        }
        let owners: Vec<Phrase> = phrases[..k].iter().filter(|q| q.group == owner.group).cloned().collect();
        if owners.len() < 2 || !owners.iter().all(|q| q.names_actor()) {
            k += 1;
            continue;
        }
        for (n, who) in owners.iter().enumerate() {
            let mut q = phrases[k].clone();
            q.country = who.country.clone();
            q.org = who.org.clone();
            if n == 0 {
                phrases[k] = q;
            } else {
                phrases.insert(k + n, q);
            }
        }
        k += owners.len();
    }
}

/// A named person: a known person, or a role with a name ("President Ilham Aliyev").
pub fn is_person(p: &Phrase) -> bool {
    p.key().is_some() && !p.inferred && (p.head == Head::Person || (p.head == Head::Role && p.name.is_some()))
}

/// "him" as the object of a verb whose subject is the person it was resolved to: a pronoun
/// object never stands for its own clause's subject ("Erdoğan called Aliyev to congratulate
/// him", "Aliyev met Putin and thanked him"), so it stands for the nearest other person named
/// before it. Returns that reading (at the pronoun's place), or `None` when `target` is no such
/// pronoun or no other person is named.
pub fn rebind_object_pronoun(toks: &[Token], phrases: &[Phrase], source: &Phrase, target: &Phrase) -> Option<Phrase> {
    let pronoun = target.inferred && target.end == target.start + 1 && toks[target.start].norm == "him";
    if !pronoun || target.name.is_none() || target.name != source.name {
        return None;
    }
    let other = phrases.iter().rev().find(|p| p.end <= target.start && is_person(p) && p.name != source.name)?;
    Some(Phrase {
        start: target.start,
        end: target.end,
        inferred: true,
        locative: false,
        possessive: false,
        ..other.clone()
    })
}

/// A role of one polity in the singular, standing for one office holder ("Iran's foreign
/// minister"): what "he" or "she" may refer to when no person is named.
fn person_role(toks: &[Token], p: &Phrase) -> bool {
    p.head == Head::Role
        && p.name.is_none()
        && p.key().is_some()
        && !p.inferred
        && !p.locative
        && OFFICE_HOLDERS.contains(&toks[p.end - 1].norm.as_str())
}

/// Last words of roles that name one person ("foreign minister", "ambassador"), not a body
/// ("treasury", "government").
const OFFICE_HOLDERS: &[&str] = &[
    "minister",
    "president",
    "premier",
    "leader",
    "ambassador",
    "envoy",
    "chancellor",
    "king",
    "queen",
    "emir",
    "prince",
    "speaker",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "secretary",
    "mayor",
    "governor",
    "chairman",
    "chairwoman",
    "chair",
    "prosecutor",
    "negotiator",
    "representative",
    "adviser",
    "advisor",
    "aide",
    "ombudsman",
    "patriarch",
    "president-elect",
];

/// The first person among `phrases`, else the first office holder named by a singular role
/// ("Iran's foreign minister visited Baku. ... he met Aliyev").
pub fn first_person<'p>(toks: &[Token], phrases: &'p [Phrase]) -> Option<&'p Phrase> {
    phrases.iter().find(|p| is_person(p)).or_else(|| phrases.iter().find(|p| person_role(toks, p)))
}

/// "he", "she", "him": the first person named before it in the sentence, its subject as a rule
/// ("Erdoğan travelled to Shusha, where he and Aliyev signed...", "Pelosi met Pashinyan and
/// condemned what she called..."), else `prev_person`, the first person the previous sentence
/// of the paragraph named; a singular role of a polity ("Iran's foreign minister arrived in
/// Baku, where he met Aliyev") when no person is named. The pronoun becomes a phrase of that
/// person's polity, sector and name, marked as inferred.
fn resolve_pronouns(toks: &[Token], phrases: &mut Vec<Phrase>, prev_person: Option<&Phrase>) {
    let mut at = 0;
    for (i, t) in toks.iter().enumerate() {
        if !matches!(t.norm.as_str(), "he" | "she" | "him") || t.kind != TokenKind::Word {
            continue;
        }
        while at < phrases.len() && phrases[at].start < i {
            at += 1;
        }
        // "condemned what she called ...": the speaker's frame, not an actor of the event
        if phrases.iter().any(|p| p.start <= i && i < p.end) || (i > 0 && toks[i - 1].norm == "what") {
            continue;
        }
        let Some(who) = first_person(toks, &phrases[..at]).or(prev_person) else {
            continue;
        };
        let mut p = who.clone();
        p.start = i;
        p.end = i + 1;
        p.inferred = true;
        p.locative = false;
        p.possessive = false;
        phrases.insert(at, p);
        at += 1;
    }
}

/// "It" opening a sentence (or its main clause after "But", "And", "However,") as the subject of
/// a verb: the first actor of the paragraph's previous sentence, when that is a polity or an
/// organisation ("Armenia recalled its ambassador. It also accused Russia of ..."). Not "it" as
/// a placeholder subject: "It is unclear whether", "It was agreed that", "It took two years".
fn resolve_it(toks: &[Token], phrases: &mut Vec<Phrase>, prev_actor: Option<&Phrase>) {
    let Some(who) = prev_actor.filter(|p| !is_person(p) && p.head != Head::BareRole) else {
        return;
    };
    let mut i = 0;
    while i < toks.len() && matches!(toks[i].norm.as_str(), "but" | "and" | "however" | "," | "yet") {
        i += 1;
    }
    if toks.get(i).is_none_or(|t| t.norm != "it") || phrases.iter().any(|p| p.start <= i && i < p.end) {
        return;
    }
    let mut n = i + 1;
    while toks.get(n).is_some_and(|t| {
        matches!(t.norm.as_str(), "also" | "later" | "then" | "further" | "subsequently" | "again" | "now" | "too")
    }) {
        n += 1;
    }
    let Some(next) = toks.get(n) else { return };
    let placeholder = matches!(
        next.norm.as_str(),
        "is" | "was"
            | "were"
            | "'s"
            | "be"
            | "been"
            | "remains"
            | "remained"
            | "seems"
            | "seemed"
            | "appears"
            | "appeared"
            | "became"
            | "becomes"
            | "took"
            | "takes"
            | "means"
            | "meant"
            | "matters"
            | "mattered"
            | "happened"
            | "follows"
            | "followed"
            | "came"
            | "comes"
    ) || (matches!(next.norm.as_str(), "has" | "had" | "have")
        && toks.get(n + 1).is_some_and(|t| t.norm == "been"))
        || (crate::modality::MODALS.contains(&next.norm.as_str()) && toks.get(n + 1).is_some_and(|t| t.norm == "be"))
        || next.kind != TokenKind::Word;
    if placeholder {
        return;
    }
    let mut p = Phrase::standing_for(who, i);
    p.sector = who.sector.clone();
    let at = phrases.iter().position(|q| q.start > i).unwrap_or(phrases.len());
    phrases.insert(at, p);
}

/// Things a polity has that an event can strike, enter or seize: "its positions", "its embassy".
/// A role word after "its" ("its troops", "its ambassador") is a phrase of its own already.
const POSSESSIONS: &[&str] = &[
    "positions",
    "territory",
    "soil",
    "villages",
    "towns",
    "cities",
    "settlements",
    "outposts",
    "posts",
    "embassy",
    "consulate",
    "ships",
    "vessels",
    "tanker",
    "airliner",
    "aircraft",
    "facilities",
    "infrastructure",
    "bases",
    "base",
    "defences",
    "defenses",
    "airspace",
    "capital",
];

/// "Azerbaijan says Armenian forces fired on its positions", "Russia accused Ukraine of
/// attacking its embassy": "its" before a thing a polity has (after at most two lowercase
/// modifiers: "its air defences", "its southern border posts") stands for the first actor of the
/// sentence, the one whose statement or act the sentence reports; persons and plural roles
/// ("Israeli jets", whose pronoun is "their") are passed over for a person's polity or the next
/// actor. The pronoun becomes a phrase of that polity or organisation, with no sector or name,
/// marked as inferred. An event whose source is that same actor is self-directed and dropped
/// like any other.
fn resolve_its(toks: &[Token], phrases: &mut Vec<Phrase>) {
    let mut at = 0;
    for (i, t) in toks.iter().enumerate() {
        if t.norm != "its" || t.kind != TokenKind::Word {
            continue;
        }
        while at < phrases.len() && phrases[at].start < i {
            at += 1;
        }
        if phrases.iter().any(|p| p.start <= i && i < p.end) || phrases.get(at).is_some_and(|p| p.start == i + 1) {
            continue;
        }
        let owned = (1..=3).any(|n| {
            toks.get(i + n).is_some_and(|w| POSSESSIONS.contains(&w.norm.as_str()))
                && toks[i + 1..i + n].iter().all(|w| w.kind == TokenKind::Word && !w.cap)
                // "its border posts with Armenia": the border leads to another actor
                && toks.get(i + n + 1).is_none_or(|w| w.norm != "with")
        });
        if !owned {
            continue;
        }
        let plural_role = |p: &Phrase| {
            matches!(p.head, Head::Role | Head::BareRole) && p.name.is_none() && toks[p.end - 1].norm.ends_with('s')
        };
        let Some(who) = phrases[..at].iter().find(|p| p.key().is_some() && !p.locative && !plural_role(p)) else {
            continue;
        };
        phrases.insert(at, Phrase::standing_for(who, i));
        at += 1;
    }
}

/// The last group of exactly two actors of a sentence, each with its own country or
/// organisation and named, not inferred ("Aliyev and Pashinyan", "Armenia and Azerbaijan"), and
/// the last such group of two people: what "the two sides" and "the two leaders" of a later
/// sentence refer to. A sentence without one, or one that refers to the pair itself ("the two
/// leaders"), leaves `pairs` as it was.
pub fn remember_pairs(phrases: &[Phrase], pairs: &mut Pairs) {
    // a sentence about the pair ("the two leaders sat down with Macron and Michel") keeps it:
    // the others it names are who the pair met, not the pair the story follows
    if phrases.iter().any(|p| p.the_two) {
        return;
    }
    let mut grouped = false;
    for (k, a) in phrases.iter().enumerate() {
        let members: Vec<&Phrase> = phrases[k..].iter().filter(|p| p.group == a.group).collect();
        let first = phrases[..k].iter().all(|p| p.group != a.group);
        if first
            && members.len() == 2
            && members.iter().all(|p| p.names_actor())
            && members[0].key() != members[1].key()
        {
            let pair = [members[0].clone(), members[1].clone()];
            if members.iter().all(|p| is_person(p)) {
                pairs.people = Some(pair.clone());
            }
            pairs.any = Some(pair);
            grouped = true;
        }
    }
    // no such group: exactly two people of two states in the sentence, a pronoun that stands for
    // a named person counting as that person ("He held talks with Ilham Aliyev. The two
    // presidents signed a joint statement.")
    if !grouped {
        let people: Vec<&Phrase> = phrases.iter().filter(|q| !q.locative && names_person(q)).collect();
        if let [a, b] = people.as_slice() {
            if a.key().is_some() && a.key() != b.key() {
                let pair = [(*a).clone(), (*b).clone()];
                pairs.people = Some(pair.clone());
                pairs.any = Some(pair);
            }
        }
    }
}

/// A named person, or a pronoun that stands for one.
fn names_person(q: &Phrase) -> bool {
    is_person(q) || (q.inferred && q.name.is_some() && q.key().is_some())
}

/// See [`remember_pairs`].
#[derive(Clone, Debug, Default)]
pub struct Pairs {
    pub any: Option<[Phrase; 2]>,
    pub people: Option<[Phrase; 2]>,
}

/// Role words that name people, for which "the two ..." means the last two people named.
const PEOPLE_ROLES: &[&str] =
    &["leaders", "presidents", "ministers", "premiers", "chancellors", "heads", "counterparts", "envoys", "diplomats"];

/// "The two leaders", "both sides": a plural role after "the two" or "both" names the two actors
/// of the last pair (see [`remember_pairs`]; for people's roles the last pair of people). The
/// phrase takes the first's country or organisation and a copy of it, over the same words and in
/// the same group, the second's; both keep the role's sector.
pub fn resolve_the_two(toks: &[Token], phrases: &mut Vec<Phrase>, pairs: &Pairs) {
    let mut copies = Vec::new();
    // two people already named in the sentence come first: "Xi received Aliyev in Beijing and
    // the two leaders signed...", "He held talks with Aliyev and the two leaders signed..." (a
    // pronoun that stands for a named person counts as that person)
    let named_before = |phrases: &[Phrase], at: usize| -> Option<[Phrase; 2]> {
        let people: Vec<&Phrase> = phrases.iter().filter(|q| q.end <= at && !q.locative && names_person(q)).collect();
        match people.as_slice() {
            [.., a, b] if a.key() != b.key() => Some([(*a).clone(), (*b).clone()]),
            _ => None,
        }
    };
    let here: Vec<Option<[Phrase; 2]>> = phrases.iter().map(|p| named_before(phrases, p.start)).collect();
    for (p, here) in phrases.iter_mut().zip(here) {
        let cue = match p.start {
            0 => false,
            s => toks[s - 1].norm == "both" || (s >= 2 && toks[s - 1].norm == "two" && toks[s - 2].norm == "the"),
        };
        if !cue || p.head != Head::BareRole || (p.key().is_some() && !p.inferred) {
            continue;
        }
        let people = PEOPLE_ROLES.contains(&toks[p.end - 1].norm.as_str());
        let remembered = if people { pairs.people.as_ref().or(pairs.any.as_ref()) } else { pairs.any.as_ref() };
        let Some(pair) = here.as_ref().filter(|_| people).or(remembered) else {
            continue;
        };
        for (i, who) in pair.iter().enumerate() {
            let mut q = p.clone();
            q.country = who.country.clone();
            q.org = who.org.clone();
            q.name = None;
            q.sector = p.sector.clone().or_else(|| who.sector.clone());
            q.inferred = true;
            q.the_two = true;
            if i == 0 {
                *p = q;
            } else {
                copies.push(q);
            }
        }
    }
    for q in copies {
        let at = phrases.iter().position(|p| p.start > q.start).unwrap_or(phrases.len());
        phrases.insert(at, q);
    }
}

/// "the Baku-Tbilisi-Ceyhan pipeline", "the Kars-Tbilisi-Baku railway": a capital in a chain of
/// hyphened names (starting at token `end`, just past the capital) that ends in a route noun is
/// a stop on the route, not an actor.
fn names_route(toks: &[Token], mut end: usize) -> bool {
    while toks.get(end).is_some_and(|t| t.norm == "-") && toks.get(end + 1).is_some_and(|t| t.cap) {
        end += 2;
    }
    toks.get(end).is_some_and(|t| ROUTE_NOUNS.contains(&t.norm.as_str()))
}

/// What a chain of town names can name (see [`names_route`]).
const ROUTE_NOUNS: &[&str] = &[
    "pipeline",
    "pipelines",
    "railway",
    "railroad",
    "highway",
    "motorway",
    "road",
    "route",
    "corridor",
    "line",
    "link",
    "rail",
];

/// Nouns that, right after a capital, make it the name of a text, a forum or a process.
const NAMED_AFTER_CAPITAL: &[&str] = &[
    "statute",
    "declaration",
    "agreement",
    "agreements",
    "accord",
    "accords",
    "protocol",
    "protocols",
    "process",
    "format",
    "treaty",
    "convention",
    "conventions",
    "charter",
    "memorandum",
    "group",
    "communique",
    "communiqué",
    "principles",
    "platform",
    "final",
];

/// The sector a role word has in `roles.tsv` when it means "the same office as the other
/// party's" ("counterpart").
pub const COUNTERPART_SECTOR: &str = "=";

/// "Turkish Foreign Minister Hakan Fidan met his Azerbaijani counterpart": a counterpart whose
/// sector no name gave takes the sector of the nearest actor of another country or organisation
/// before it (else after it).
fn resolve_counterparts(phrases: &mut [Phrase]) {
    for k in 0..phrases.len() {
        if !phrases[k].counterpart || phrases[k].sector.is_some() {
            continue;
        }
        let key = phrases[k].key().map(str::to_string);
        let other = |p: &&Phrase| !p.locative && !p.counterpart && p.sector.is_some() && p.key() != key.as_deref();
        let sector = phrases[..k]
            .iter()
            .rev()
            .find(other)
            .or_else(|| phrases[k + 1..].iter().find(other))
            .and_then(|p| p.sector.clone());
        phrases[k].sector = sector;
    }
}

/// "Azerbaijani and Armenian forces", "the Russian, Turkish and Iranian foreign ministers": polity
/// adjectives coordinated before an adjective with role words modify the same noun, so each
/// takes that role's sector. Only a bare adjective does ("Azerbaijan and Armenian forces" names
/// the state Azerbaijan), and only within one group (an "and" or a list separator, nothing else,
/// between the members).
///
/// The mirror case: "the foreign ministers of Armenia and Azerbaijan", "the presidents of Russia,
/// Azerbaijan and Armenia" — plural role words before "of" and a polity, followed in the group by
/// bare polity names, are the office of each of them.
fn share_roles(phrases: &mut [Phrase]) {
    for k in 0..phrases.len() {
        let p = &phrases[k];
        if p.plural_of_role && p.name.is_none() && p.sector.is_some() {
            let after = k + 1..phrases.len();
            share_role(phrases, k, after, |b| b.head == Head::Name && b.name.is_none());
        } else if p.adjective_role && p.sector.is_some() {
            share_role(phrases, k, (0..k).rev(), |a| a.head == Head::Adjective);
        }
    }
}

/// Gives phrase `from`'s sector to the phrases at `along`, in that order, while they are in its
/// group, have no sector and no possessive, and pass `takes`.
fn share_role(
    phrases: &mut [Phrase],
    from: usize,
    along: impl Iterator<Item = usize>,
    takes: impl Fn(&Phrase) -> bool,
) {
    let (group, sector) = (phrases[from].group, phrases[from].sector.clone());
    for m in along {
        let b = &mut phrases[m];
        if b.group != group || b.sector.is_some() || b.possessive || !takes(b) {
            break;
        }
        b.sector = sector.clone();
        b.shared_role = true;
    }
}

/// "the President of Azerbaijan, Ilham Aliyev," and "Jeyhun Bayramov, Azerbaijan's foreign
/// minister," are one actor each.
fn merge_appositions(toks: &[Token], phrases: &mut Vec<Phrase>) {
    let mut k = 0;
    while k + 1 < phrases.len() {
        let (a, b) = (&phrases[k], &phrases[k + 1]);
        let comma_between = a.end + 1 == b.start && toks[a.end].norm == ",";
        let comma_then_det = a.end + 2 == b.start && toks[a.end].norm == "," && toks[a.end + 1].norm == "the";
        let adjacent =
            comma_between || comma_then_det || (a.end == b.start && a.head == Head::Role && b.head == Head::Person);
        let person_and_role = matches!(
            (a.head, b.head),
            (Head::Role | Head::BareRole, Head::Person) | (Head::Person, Head::Role | Head::BareRole)
        );
        let compatible = a.key().is_none() || b.key().is_none() || a.key() == b.key();
        let one_name = !(a.name.is_some() && b.name.is_some());
        // an apposition is closed by a comma or ends the subject before a verb
        let closed = toks.get(b.end).is_none_or(|t| t.kind != TokenKind::Word || t.norm != "and");
        if adjacent && person_and_role && compatible && one_name && closed {
            let b = phrases.remove(k + 1);
            let a = &mut phrases[k];
            a.end = b.end;
            if a.country.is_none() && a.org.is_none() {
                a.country = b.country;
                a.org = b.org;
            }
            if a.sector.is_none() {
                a.sector = b.sector;
            }
            if a.name.is_none() {
                a.name = b.name;
                a.name_known = b.name_known;
            }
            a.head = Head::Role;
            continue;
        }
        k += 1;
    }
}

/// Words before a role that say whose it is without naming a polity ("Western governments",
/// "other countries"; not "foreign", which belongs to "foreign ministry").
const SCOPES: &[&str] = &[
    "other",
    "international",
    "western",
    "eastern",
    "world",
    "global",
    "regional",
    "allied",
    "neighbouring",
    "neighboring",
    "arab",
    "european",
    "gulf",
];

/// Words after "of" that make a role's "of" phrase name no polity: "citizens of third
/// countries", "officials of several states", "representatives of both sides".
const SCOPES_AFTER_OF: &[&str] = &["third", "other", "several", "many", "various", "some", "all", "both", "foreign"];

/// Whether the role ending before `end` is scoped by an "of" phrase that names no polity
/// ([`SCOPES_AFTER_OF`]): such a role is nobody's in particular and takes no country.
fn scoped_after(toks: &[Token], end: usize) -> bool {
    let mut i = end;
    if toks.get(i).is_none_or(|t| t.norm != "of") {
        return false;
    }
    i += 1;
    if toks.get(i).is_some_and(|t| t.norm == "the") {
        i += 1;
    }
    toks.get(i).is_some_and(|t| SCOPES_AFTER_OF.contains(&t.norm.as_str()) || SCOPES.contains(&t.norm.as_str()))
}

/// "the minister", "officials": take the country of the nearest actor before them, else (none
/// before them in the sentence) of `prev_actor`, the first actor of the paragraph's previous
/// sentence ("Washington imposed sanctions on ... The Treasury accused him ...").
fn resolve_bare_roles(toks: &[Token], phrases: &mut [Phrase], prev_actor: Option<&Phrase>) {
    for k in 0..phrases.len() {
        if phrases[k].key().is_some() {
            continue;
        }
        let here = phrases[..k].iter().rev().find(|p| p.names_actor());
        // ...unless a word before the role gives it a scope of its own: "Western governments",
        // "international observers"
        let (start, end) = (phrases[k].start, phrases[k].end);
        let scoped = (start.saturating_sub(1)..end - 1).any(|b| {
            let t = &toks[b];
            (t.cap && b > 0 && b < start) || SCOPES.contains(&t.norm.as_str())
        });
        if scoped_after(toks, end) {
            continue;
        }
        let prev_actor = prev_actor.filter(|_| !scoped);
        if let Some((c, o)) = here.or(prev_actor).map(|p| (p.country.clone(), p.org.clone())) {
            phrases[k].country = c;
            phrases[k].org = o;
            phrases[k].inferred = true;
        }
    }
}

/// Join phrases coordinated by `,` `and` `as well as` `&` or a hyphen into groups. A run joined
/// by commas alone is not a list ("At the invitation of Xi Jinping, Mirziyoyev visited China"):
/// a list ends with "and" ("Russia, Turkey and Iran").
fn assign_groups(toks: &[Token], phrases: &mut [Phrase]) {
    let mut g = 0;
    let mut comma_only = vec![false; phrases.len()];
    for k in 0..phrases.len() {
        if k > 0 {
            let (a, b) = (&phrases[k - 1], &phrases[k]);
            let between: Vec<&str> = toks[a.end..b.start].iter().map(|t| t.norm.as_str()).collect();
            // written as the rule reads: a list separator ("Bayramov and his Armenian counterpart
            // Mirzoyan" is a list too), neither side a place, and no possessive before it (but a
            // hyphen) nor a possessive apposition after a comma
            #[allow(clippy::nonminimal_bool)]
            let coord = (matches!(
                between.as_slice(),
                [","]
                    | ["and"]
                    | [",", "and"]
                    | ["&"]
                    | ["-"]
                    | ["as", "well", "as"]
                    | [",", "as", "well", "as"]
                    | ["/"]
            ) || (matches!(between.as_slice(), ["and", "his" | "her"]) && matches!(b.head, Head::Role | Head::Person)))
                && !a.locative
                && !b.locative
                && !(a.possessive && between != ["-"])
                // "between Israel and Iran, Azerbaijan's main partners": an apposition, not a list
                && !(b.possessive && between == [","]);
            if !coord {
                g += 1;
            } else {
                comma_only[k] = between == [","];
            }
        }
        phrases[k].group = g;
    }
    // split groups whose every join is a bare comma
    let mut k = 0;
    let mut next = g + 1;
    while k < phrases.len() {
        let gid = phrases[k].group;
        let end = (k..phrases.len()).find(|&i| phrases[i].group != gid).unwrap_or(phrases.len());
        if end - k > 1 && (k + 1..end).all(|i| comma_only[i]) {
            for (n, p) in phrases[k..end].iter_mut().enumerate() {
                if n > 0 {
                    p.group = next;
                    next += 1;
                }
            }
        }
        k = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict() -> dyad_dict::ActorTable {
        let mut t = dyad_dict::ActorTable::new();
        let e = t.load_polities("t", "AZE\tcountry\tAzerbaijan\tAzerbaijani\tBaku\nIRN\tcountry\tIran\tIranian\tTehran\nGEO\tcountry\tGeorgia\tGeorgian\tTbilisi\nITA\tcountry\tItaly\tItalian\tRome\nEPC\torg\tEuropean Political Community\t \t \nEU\torg\tEuropean Union|EU|EU Commission\t \tBrussels\n");
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        t.load_people("t", "Ilham Aliyev\tAliyev\tAZE\tGOV\tPresident\t2003-10-31\t\n");
        t.load_roles("t", "president\tGOV\tpresidents\nminister\tGOV\tministers\nprime minister\tGOV\t \nforeign minister\tGOV\t \nenergy minister\tGOV\t \ncounterpart\t=\tcounterparts\narmy\tMIL\t \nhead of\tGOV\theads of\n");
        t
    }

    /// A found phrase as the tests compare it: its text, actor key, sector, name, and whether it
    /// is locative.
    type Found = (String, Option<String>, Option<String>, Option<String>, bool);

    fn phrases(text: &str) -> Vec<Found> {
        let toks = dyad_text::tokenize(text);
        let d = dict();
        find_phrases(&d, text, &toks, None, None, None)
            .into_iter()
            .map(|p| {
                (
                    text[toks[p.start].start..toks[p.end - 1].end].to_string(),
                    p.key().map(String::from),
                    p.sector,
                    p.name,
                    p.locative,
                )
            })
            .collect()
    }

    /// The actor key and sector of each phrase.
    fn keys_and_sectors(p: &[Found]) -> Vec<(Option<&str>, Option<&str>)> {
        p.iter().map(|f| (f.1.as_deref(), f.2.as_deref())).collect()
    }

    #[test]
    fn role_phrases_attach_to_their_country() {
        let p = phrases("Azerbaijan's Energy Minister Parviz Shabazov was in Tehran for talks.");
        assert_eq!(p[0].0, "Azerbaijan's Energy Minister Parviz Shabazov");
        assert_eq!(p[0].1.as_deref(), Some("AZE"));
        assert_eq!(p[0].2.as_deref(), Some("GOV"));
        assert_eq!(p[1].0, "Tehran");
        assert!(p[1].4, "Tehran after `in` is a place");
    }

    #[test]
    fn coordinated_adjectives_share_the_role_after_them() {
        let all_gov = [(Some("AZE"), Some("GOV")), (Some("GEO"), Some("GOV")), (Some("IRN"), Some("GOV"))];
        let p = phrases("Azerbaijani, Georgian and Iranian ministers met in Baku.");
        assert_eq!(keys_and_sectors(&p[..3]), all_gov, "{p:?}");
        // plural role words of a polity: the polities coordinated after it hold the same office
        let p = phrases("The foreign ministers of Azerbaijan, Georgia and Iran met in Baku.");
        assert_eq!(keys_and_sectors(&p[..3]), all_gov, "{p:?}");
        // ... but a singular one is one person's office
        let p = phrases("The President of Azerbaijan and Georgia met in Baku.");
        assert_eq!((p[1].1.as_deref(), p[1].2.as_deref()), (Some("GEO"), None), "{p:?}");
        // a country's name is not an adjective of the noun after it
        let p = phrases("Azerbaijan and Iranian ministers met in Baku.");
        assert_eq!((p[0].1.as_deref(), p[0].2.as_deref()), (Some("AZE"), None), "{p:?}");
        // an adjective with a noun of its own is not in the group
        let p = phrases("Azerbaijani gas and Iranian ministers were discussed.");
        assert_eq!(p[0].2, None, "{p:?}");
    }

    #[test]
    fn a_counterpart_has_the_office_of_the_other_party() {
        let p = phrases("Iranian President Masoud Pezeshkian received his Azerbaijani counterpart Ilham Aliyev.");
        assert_eq!(p[1].0, "Azerbaijani counterpart Ilham Aliyev", "{p:?}");
        assert_eq!((p[1].1.as_deref(), p[1].2.as_deref()), (Some("AZE"), Some("GOV")), "{p:?}");
        assert_eq!(p[1].3.as_deref(), Some("Ilham Aliyev"));
        // no name: the sector of the actor it is the counterpart of
        let p = phrases("The Iranian army chief met his Georgian counterpart in Tbilisi.");
        assert_eq!((p[1].1.as_deref(), p[1].2.as_deref()), (Some("GEO"), Some("MIL")), "{p:?}");
        // a counterpart of no named country is no actor (its country is not the subject's)
        let p = phrases("Aliyev met his counterpart in Rome.");
        assert!(p.iter().all(|f| !f.0.contains("counterpart")), "{p:?}");
    }

    #[test]
    fn a_role_written_with_of_needs_its_polity() {
        let p = phrases("The head of the EU, Josep Borrell, met Iranian ministers.");
        assert_eq!(p[0].0, "The head of the EU, Josep Borrell", "{p:?}");
        assert_eq!((p[0].1.as_deref(), p[0].2.as_deref()), (Some("EU"), Some("GOV")), "{p:?}");
        // no polity after it: not a role, and no actor
        let p = phrases("The head of the delegation met Iranian ministers.");
        assert!(p.iter().all(|f| !f.0.contains("head")), "{p:?}");
        let p = phrases("Aliyev will head to Tehran.");
        assert_eq!(p.len(), 2, "{p:?}");
    }

    #[test]
    fn apposition_and_of_phrases() {
        let p = phrases("On 2nd October the President of Azerbaijan, Ilham Aliyev, attended the summit of the European Political Community (EPC).");
        assert_eq!(p[0].0, "the President of Azerbaijan, Ilham Aliyev");
        assert_eq!(p[0].1.as_deref(), Some("AZE"));
        assert_eq!(p[1].0, "the European Political Community (EPC)");
        assert_eq!(p[1].1.as_deref(), Some("EPC"));
    }

    #[test]
    fn country_name_inside_a_person_name() {
        let p = phrases("Aliyev met the Italian Prime Minister Georgia Meloni and the President of the EU Commission Ursula von der Leyen.");
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[1].1.as_deref(), Some("ITA"));
        assert_eq!(p[2].1.as_deref(), Some("EU"));
        assert_eq!(p[2].0, "the President of the EU Commission Ursula von der Leyen");
    }
}

//! TABARI's coding options: what `.options` files and `{ OPTION: ... }` records set.
//!
//! | command | effect |
//! | --- | --- |
//! | `COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR` | a sentence with 5+ verbs, 4+ clause conjunctions, or no actor before the first verb it codes is complex (not coded) |
//! | `COMMA: MIN = 2 MAX = 10 EMIN = 2 EMAX = 10 BMIN = 255 BMAX = 0` / `COMMA: OFF` | lengths (in lexical items) of the internal, end and beginning comma-delimited clauses that are deleted as subordinate |
//! | `DEFAULT: SOURCE [X] PRIOR TARGET [Y] AFTER` / `DEFAULT: OFF` | codes used when no source (target) is found; `PRIOR`: whenever no actor precedes the verb; `AFTER`: whenever none follows it |
//! | `SET: CODE BY CLAUSE` / `CODE BY SENTENCE` / `CODE ALL` | code the first verb of each clause (the default), of the sentence, or every verb |
//! | `SET: MINIMUM WORDS = n` | shorter texts are not coded (default 8) |
//! | `SET: CONVERT AGENT = TRUE` | an agent with no actor is an actor coded `~CODE` |
//! | `SET: TIME SHIFT = TRUE` | `<TIME>` phrases apply (their `[###]` and `[+++]` markers) |
//! | `FORWARD: ...` / `FORWARD: ... OFF` | a pronoun with no antecedent takes the source of the story's previous sentence |
//!
//! `OUTPUT:`, `LABEL:` and the `SET:` switches about files and logs do not change the events.

/// Which verbs of a sentence are coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeBy {
    Clause,
    Sentence,
    All,
}

/// The longest comma-delimited clauses deleted as subordinate, in lexical items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommaLimits {
    pub min: usize,
    pub max: usize,
    pub emin: usize,
    pub emax: usize,
    pub bmin: usize,
    pub bmax: usize,
}

impl Default for CommaLimits {
    fn default() -> Self {
        CommaLimits { min: 2, max: 10, emin: 2, emax: 10, bmin: 255, bmax: 0 }
    }
}

/// A default actor code and when it applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefaultCode {
    pub code: String,
    /// Source: `PRIOR` (used whenever no actor precedes the verb); target: `AFTER` (whenever no
    /// actor follows it).
    pub eager: bool,
}

/// The options in force while coding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `None`: `COMMA: OFF`.
    pub comma: Option<CommaLimits>,
    pub default_source: Option<DefaultCode>,
    pub default_target: Option<DefaultCode>,
    pub code_by: CodeBy,
    pub min_words: usize,
    pub max_verbs: Option<usize>,
    pub max_conj: Option<usize>,
    pub no_act_prior: bool,
    pub convert_agent: bool,
    pub time_shift: bool,
    pub forward: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            comma: Some(CommaLimits::default()),
            default_source: None,
            default_target: None,
            code_by: CodeBy::Clause,
            min_words: 8,
            max_verbs: None,
            max_conj: None,
            no_act_prior: false,
            convert_agent: false,
            time_shift: false,
            forward: false,
        }
    }
}

fn flag(v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_uppercase().as_str() {
        "TRUE" | "YES" | "ON" | "1" => Ok(true),
        "FALSE" | "NO" | "OFF" | "0" => Ok(false),
        other => Err(format!("expected TRUE or FALSE, found {other:?}")),
    }
}

fn number(v: &str) -> Result<usize, String> {
    v.trim().parse().map_err(|_| format!("expected a number, found {:?}", v.trim()))
}

impl Settings {
    /// Apply one command (`keyword` upper case, as [`crate::Options::parse_command`] returns it).
    /// An error says why the command is not applied; the settings are then unchanged.
    pub fn apply(&mut self, keyword: &str, args: &str) -> Result<(), String> {
        let mut next = self.clone();
        next.apply_inner(keyword, args)?;
        *self = next;
        Ok(())
    }

    fn apply_inner(&mut self, keyword: &str, args: &str) -> Result<(), String> {
        let up = args.to_ascii_uppercase();
        match keyword {
            "COMPLEX" => {
                self.max_verbs = None;
                self.max_conj = None;
                self.no_act_prior = false;
                for w in up.split_whitespace() {
                    let limit = |name: &str| -> Result<Option<usize>, String> {
                        match w.strip_prefix(name).and_then(|r| r.strip_prefix('[')).and_then(|r| r.strip_suffix(']')) {
                            Some(n) => number(n).map(Some),
                            None => Ok(None),
                        }
                    };
                    if let Some(n) = limit("VERBS")? {
                        self.max_verbs = Some(n);
                    } else if let Some(n) = limit("CONJ")? {
                        self.max_conj = Some(n);
                    } else if w == "NOACTPRIOR" {
                        self.no_act_prior = true;
                    }
                    // EXPLAIN and the other reporting switches do not change the events
                }
                Ok(())
            }
            "COMMA" => {
                if up.trim() == "OFF" {
                    self.comma = None;
                    return Ok(());
                }
                let mut c = self.comma.unwrap_or_default();
                let flat = up.replace('=', " = ");
                let toks: Vec<&str> = flat.split_whitespace().collect();
                let mut i = 0;
                while i < toks.len() {
                    if i + 2 >= toks.len() || toks[i + 1] != "=" {
                        return Err(format!("expected `NAME = n` in COMMA: {args}"));
                    }
                    let n = number(toks[i + 2])?;
                    match toks[i] {
                        "MIN" => c.min = n,
                        "MAX" => c.max = n,
                        "EMIN" => c.emin = n,
                        "EMAX" => c.emax = n,
                        "BMIN" => c.bmin = n,
                        "BMAX" => c.bmax = n,
                        other => return Err(format!("unknown COMMA limit {other}")),
                    }
                    i += 3;
                }
                self.comma = Some(c);
                Ok(())
            }
            "DEFAULT" => {
                if up.trim() == "OFF" {
                    self.default_source = None;
                    self.default_target = None;
                    return Ok(());
                }
                let spaced = up.replace('[', " [").replace(']', "] ");
                let toks: Vec<&str> = spaced.split_whitespace().collect();
                let mut i = 0;
                while i < toks.len() {
                    let which = toks[i];
                    let code = toks
                        .get(i + 1)
                        .and_then(|c| c.strip_prefix('[')?.strip_suffix(']'))
                        .filter(|c| !c.is_empty())
                        .ok_or_else(|| format!("expected `{which} [CODE]` in DEFAULT: {args}"))?;
                    let eager_word = if which == "SOURCE" { "PRIOR" } else { "AFTER" };
                    let eager = toks.get(i + 2) == Some(&eager_word);
                    let d = Some(DefaultCode { code: code.to_string(), eager });
                    match which {
                        "SOURCE" => self.default_source = d,
                        "TARGET" => self.default_target = d,
                        other => return Err(format!("unknown DEFAULT part {other}")),
                    }
                    i += if eager { 3 } else { 2 };
                }
                Ok(())
            }
            "FORWARD" => {
                self.forward = !up.split_whitespace().any(|w| w == "OFF");
                Ok(())
            }
            "OUTPUT" | "LABEL" => Ok(()),
            "SET" => {
                let (key, value) = match up.split_once('=') {
                    Some((k, v)) => (k.split_whitespace().collect::<Vec<_>>().join(" "), Some(v.trim().to_string())),
                    None => (up.split_whitespace().collect::<Vec<_>>().join(" "), None),
                };
                let value = || value.clone().ok_or_else(|| format!("SET: {key} needs `= value`"));
                match key.as_str() {
                    "CODE BY CLAUSE" => self.code_by = CodeBy::Clause,
                    "CODE BY SENTENCE" => self.code_by = CodeBy::Sentence,
                    "CODE ALL" => self.code_by = CodeBy::All,
                    "MINIMUM WORDS" => self.min_words = number(&value()?)?,
                    "CONVERT AGENT" => self.convert_agent = flag(&value()?)?,
                    "TIME SHIFT" => self.time_shift = flag(&value()?)?,
                    // file handling, logs and labels: no effect on the events
                    "YYYY" | "SKIP RECORDS" | "VERB USAGE" | "ACTOR USAGE" | "AGENT USAGE" | "LABEL"
                    | "DUP WARNING" => {
                        if let Ok(v) = value() {
                            flag(&v)?;
                        }
                    }
                    other => return Err(format!("SET: {other} is not applied by dyad")),
                }
                Ok(())
            }
            other => Err(format!("{other}: is not applied by dyad")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_change_the_settings() {
        let mut s = Settings::default();
        s.apply("COMPLEX", "VERBS[5] CONJ[4] NOACTPRIOR EXPLAIN").unwrap();
        assert_eq!((s.max_verbs, s.max_conj, s.no_act_prior), (Some(5), Some(4), true));
        s.apply("COMMA", "MIN = 4 MAX = 6 EMIN = 3 EMAX = 6 BMIN = 3 BMAX = 8").unwrap();
        assert_eq!(s.comma, Some(CommaLimits { min: 4, max: 6, emin: 3, emax: 6, bmin: 3, bmax: 8 }));
        s.apply("DEFAULT", "SOURCE [DEFSRC] PRIOR TARGET [DEFTAR]").unwrap();
        assert_eq!(s.default_source, Some(DefaultCode { code: "DEFSRC".into(), eager: true }));
        assert_eq!(s.default_target, Some(DefaultCode { code: "DEFTAR".into(), eager: false }));
        s.apply("SET", "MINIMUM WORDS = 4").unwrap();
        s.apply("SET", "CODE ALL").unwrap();
        assert_eq!((s.min_words, s.code_by), (4, CodeBy::All));
        assert!(s.apply("SET", "FBIS = TRUE").is_err());
        assert_eq!(s.min_words, 4);
    }
}

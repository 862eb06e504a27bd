//! Readers for the dictionaries of the CAMEO coders that came before dyad — TABARI and
//! PETRARCH2 with its Phoenix lists — and the bridge that lets dyad code with them.
//!
//! The crate does four things:
//!
//! 1. **Read** every file kind of both systems into plain structures ([`VerbDict`],
//!    [`ActorDict`], [`AgentDict`], [`Discards`], [`Issues`], [`Options`], [`Project`],
//!    [`PetrConfig`]). A line a reader cannot take is never dropped silently: it comes back as a
//!    [`dyad_dict::LoadError`] naming the file, the line and the reason.
//! 2. **Convert** them into dyad's own tables ([`convert::Legacy::into_dictionaries`]), so the
//!    ordinary dyad coder codes raw text with them, or write them out in dyad's documented text
//!    format ([`convert::write_dyad`]).
//! 3. **Code the TABARI way** ([`tabari::Tabari`]): an engine that reproduces TABARI's sparse
//!    parse and pattern semantics on a TABARI project's dictionaries.
//! 4. **Validate**: run TABARI's own validation file (`Validate.text`) through that engine and
//!    compare every record with the events it expects ([`validate::run`]).
//!
//! ```
//! let text = "ARNOR  [ARN]\nILHAM_ALIYEV_\n\t[AZEGOV >031031]\n\t[AZEELI]\n";
//! let (actors, errors) = dyad_legacy::ActorDict::parse("demo.actors", text);
//! assert!(errors.is_empty(), "{errors:?}");
//! let aliyev = &actors.entries[1];
//! let d = chrono::NaiveDate::from_ymd_opt(2025, 1, 1);
//! assert_eq!(aliyev.code_on(d), Some("AZEGOV"));
//! ```

pub mod convert;
pub mod files;
pub mod tabari;
pub mod validate;

pub use files::*;

use dyad_dict::LoadError;
use std::path::Path;

/// The kinds of legacy file this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// TABARI `.verbs` (also `CAMEO.*.verbs`).
    TabariVerbs,
    /// PETRARCH2 verb dictionary (`CAMEO.2.0.txt`).
    PetrarchVerbs,
    /// TABARI or Phoenix actors (`*.actors`, `*.actors.txt`).
    Actors,
    /// TABARI or Phoenix agents (`*.agents`, `*agents*.txt`).
    Agents,
    /// Discard lists (`discards.txt`, `Phoenix.discards.txt`).
    Discards,
    /// PETRARCH issue coding (`*Issue*.txt`).
    Issues,
    /// TABARI options (`*.options`).
    Options,
    /// TABARI project (`*.project`).
    Project,
    /// PETRARCH2 configuration (`*.ini`).
    PetrConfig,
    /// TABARI validation / text records (`*.text`).
    Records,
}

impl FileKind {
    /// Guess the kind from the file name (the convention both systems use).
    pub fn from_name(name: &str) -> Option<FileKind> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let lower = base.to_ascii_lowercase();
        Some(if lower.ends_with(".verbs") {
            FileKind::TabariVerbs
        } else if lower.starts_with("cameo") && lower.ends_with(".txt") {
            FileKind::PetrarchVerbs
        } else if lower.contains(".actors") {
            FileKind::Actors
        } else if lower.contains("agents") {
            FileKind::Agents
        } else if lower.contains("discard") {
            FileKind::Discards
        } else if lower.contains("issue") {
            FileKind::Issues
        } else if lower.ends_with(".options") {
            FileKind::Options
        } else if lower.ends_with(".project") {
            FileKind::Project
        } else if lower.ends_with(".ini") {
            FileKind::PetrConfig
        } else if lower.ends_with(".text") {
            FileKind::Records
        } else {
            return None;
        })
    }
}

/// What checking one file found: how many entries it read and every line it could not take.
#[derive(Debug, Default)]
pub struct Checked {
    pub kind: Option<FileKind>,
    pub entries: usize,
    pub errors: Vec<LoadError>,
}

/// Parse one legacy file of any kind (chosen by its name) and report what it read and every
/// line it could not take. This is what `dyad dict check` runs on a legacy file.
pub fn check_text(label: &str, text: &str) -> Checked {
    let kind = FileKind::from_name(label);
    let (entries, errors) = match kind {
        Some(FileKind::TabariVerbs) | Some(FileKind::PetrarchVerbs) => {
            let (v, e) = VerbDict::parse(label, text);
            (v.verbs.len() + v.synsets.len() + v.transformations.len() + v.times.len(), e)
        }
        Some(FileKind::Actors) => {
            let (a, e) = ActorDict::parse(label, text);
            (a.entries.len() + a.words.len(), e)
        }
        Some(FileKind::Agents) => {
            let (a, e) = AgentDict::parse(label, text);
            (a.entries.len(), e)
        }
        Some(FileKind::Discards) => {
            let (d, e) = Discards::parse(label, text);
            (d.sentence.len() + d.story.len(), e)
        }
        Some(FileKind::Issues) => {
            let (d, e) = Issues::parse(label, text);
            (d.entries.len() + d.exclusions.len(), e)
        }
        Some(FileKind::Options) => {
            let (d, e) = Options::parse(label, text);
            (d.commands.len(), e)
        }
        Some(FileKind::Project) => {
            let (d, e) = Project::parse(label, text);
            (d.files.len(), e)
        }
        Some(FileKind::PetrConfig) => {
            let (d, e) = PetrConfig::parse(label, text);
            (d.values.len(), e)
        }
        Some(FileKind::Records) => {
            let (d, e) = validate::Record::parse_all(label, text);
            (d.len(), e)
        }
        None => (
            0,
            vec![LoadError {
                file: label.into(),
                line: None,
                reason: "not a TABARI or PETRARCH2 dictionary file name (.verbs, CAMEO*.txt, .actors, agents, \
                         discards, issues, .options, .project, .ini, .text)"
                    .into(),
            }],
        ),
    };
    Checked { kind, entries, errors }
}

/// [`check_text`] on a file read from disk.
pub fn check_file(path: &Path) -> Checked {
    let label = path.display().to_string();
    match read_text(path) {
        Ok(text) => check_text(&label, &text),
        Err(e) => Checked { kind: FileKind::from_name(&label), entries: 0, errors: vec![e] },
    }
}

/// Read a dictionary file as text. The old files are mostly ASCII with a few Latin-1 bytes;
/// bytes that are not UTF-8 are read as Latin-1 rather than refused.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError {
        file: path.display().to_string(),
        line: None,
        reason: format!("cannot read: {e}"),
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

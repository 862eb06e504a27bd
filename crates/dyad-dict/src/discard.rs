//! Discard lists: phrases that keep text out of coding.
//!
//! TABARI and PETRARCH2 ship them (`discards.txt`, `Phoenix.discards.txt`) to skip what their
//! verb patterns would misread: sports ("first seed"), retrospectives ("years ago"), awards.
//! A *sentence* phrase drops the sentence it occurs in; a *story* phrase drops every event of
//! the document. Matching is on dyad's tokens, case-insensitive, with the stems and multi-word
//! phrases of [`PhraseIndex`].

use crate::phrase::PhraseIndex;
use dyad_text::Token;

/// Sentence-level and story-level discard phrases.
#[derive(Clone, Debug, Default)]
pub struct Discards {
    /// A match drops the sentence.
    pub sentence: PhraseIndex<()>,
    /// A match drops the whole document.
    pub story: PhraseIndex<()>,
}

impl Discards {
    /// Whether there is nothing to discard (the coder then skips the checks).
    pub fn is_empty(&self) -> bool {
        self.sentence.is_empty() && self.story.is_empty()
    }

    /// The discard phrase in `tokens` that drops the most (a story phrase before a sentence
    /// one), with the token where it starts and its length in tokens.
    pub fn check(&self, tokens: &[Token]) -> Option<(Scope, usize, usize)> {
        if self.is_empty() {
            return None;
        }
        [(Scope::Story, &self.story), (Scope::Sentence, &self.sentence)].into_iter().find_map(|(scope, index)| {
            (0..tokens.len()).find_map(|at| index.longest(tokens, at, true).map(|(n, _)| (scope, at, n)))
        })
    }
}

/// What a discard phrase drops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The sentence it occurs in.
    Sentence,
    /// Every event of the document.
    Story,
}

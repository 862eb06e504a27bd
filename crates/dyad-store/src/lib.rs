//! The dyad event store (work in progress).
pub mod rows;
pub use rows::*;

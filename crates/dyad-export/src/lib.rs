//! Exporters (work in progress).

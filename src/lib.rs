//! pressroom turns a press office's sources (release facts in TOML, text in
//! Fluent, Typst layouts) into multilingual letterhead PDFs.
//!
//! Data flows one way: [`project`] -> [`release`] -> [`l10n`] + [`markup`]
//! -> [`document`] (the per-language model, as data) -> [`render`] (Typst)
//! -> PDF bytes -> [`build`] (atomic write). [`diag`] renders every error.

pub mod atomic;
pub mod build;
pub mod check;
pub mod date;
pub mod diag;
pub mod document;
pub mod fonts;
pub mod freshness;
pub mod l10n;
pub mod markup;
pub mod names;
pub mod pipeline;
pub mod project;
pub mod release;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod sign;
pub mod status;
pub mod toml_reader;
pub mod watch;

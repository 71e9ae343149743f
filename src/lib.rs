//! pressroom turns a press office's sources (release facts in TOML, text in
//! Fluent, Typst layouts) into signed, multilingual letterhead PDFs.
//!
//! Data flows one way, each module using only those above it:
//!
//! ```text
//! diag, names, date, toml_reader, atomic,  the ground floor: diagnostics, ids and
//! secret, locks                            name rules, dates and the clock, the one
//!                                          TOML reader, atomic writes, secrets, locks
//! project                                  the root and pressroom.toml
//! release                                  one release's facts, validated
//! l10n, markup                             Fluent catalogs, staleness, dates per
//!                                          language, checks; the text markup
//! document                                 one language's document model (data)
//! render                                   a sandboxed Typst world -> PDF / SVG pages
//! pipeline                                 one output: sources -> document -> render
//! freshness, build                         what is up to date; every output, written
//! sign                                     PAdES signing and verification
//! watch, serve                             rebuild on change; the browser preview
//! team                                     the office's shared service around serve:
//!                                          accounts, sessions, roles, audit, commits
//! publish                                  the web edition and the e-mail, from the
//!                                          document model and the final PDFs
//! check, status, fonts, scaffold           the commands that read without building
//! ```
//!
//! [`diag`] renders every problem the same way, wherever it is found.

pub mod atomic;
pub mod build;
pub mod check;
pub mod date;
pub mod diag;
pub mod document;
pub mod fonts;
pub mod freshness;
pub mod l10n;
pub mod locks;
pub mod markup;
pub mod names;
pub mod pipeline;
pub mod project;
pub mod publish;
pub mod release;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod secret;
pub mod serve;
pub mod sign;
pub mod status;
pub mod team;
pub mod toml_reader;
pub mod watch;

//! pressroom's integration tests: real projects in temp dirs, the real
//! binary, PDFs read back.

mod build;
mod editor;
mod finals;
mod fixtures;
mod fluent_spec;
mod fonts;
mod l10n;
mod languages;
mod props;
mod publish;
mod rules;
mod serve;
mod sign;
mod signed_pdf;
mod snapshots;
mod support;
mod team;
mod watch;
mod xliff;

//! `sign` and `verify`, and the signer `build --sign` uses: the passphrase
//! comes from the environment or a no-echo prompt, never the command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use pressroom::date::Timestamp;
use pressroom::diag::{Diagnostic, Diagnostics};
use pressroom::l10n::{Catalog, DateFormat};
use pressroom::project::Project;
use pressroom::sign::{Changes, RevocationStatus, Signing, Tooltips};

use super::report::Reporter;

/// The signer of `[signing]`: its passphrase or PIN from the environment,
/// else a no-echo prompt at a terminal.
pub(super) fn load_signer(
    project: &Project,
    level: Option<pressroom::project::SignatureLevel>,
) -> Result<Signing, Diagnostic> {
    let prompt = |question: &str| {
        std::io::stdin().is_terminal().then(|| rpassword::prompt_password(question).ok()).flatten()
    };
    pressroom::sign::load_signing(project, level, &prompt)
}

pub(super) fn sign(
    project: &Project,
    pdfs: &[PathBuf],
    level: Option<pressroom::project::SignatureLevel>,
    reporter: &Reporter,
    quiet: bool,
) -> ExitCode {
    let signing = match load_signer(project, level) {
        Ok(found) => found,
        Err(diag) => return reporter.finish(&diag.into()),
    };
    let (catalog, _) = Catalog::load(project, &[]);
    let mut diags = Diagnostics::default();
    for path in pdfs {
        let result = std::fs::read(path)
            .map_err(|e| Diagnostic::error("sign", format!("cannot read: {e}")).in_file(path))
            .and_then(|bytes| {
                if project.config.review.required {
                    pressroom::sign::check_reviewed(&bytes)
                        .map_err(|e| e.to_diagnostic().in_file(path))?;
                }
                let tooltips = tooltips(project, &catalog, &signing, &bytes)?;
                pressroom::sign::sign_pdf(&bytes, &signing.signer, &signing.time, &tooltips)
                    .map_err(|e| e.to_diagnostic().in_file(path))
            })
            .and_then(|signed| {
                pressroom::atomic::replace_keeping_mode(path, &signed).map_err(|e| {
                    Diagnostic::error("sign", format!("cannot write: {e}")).in_file(path)
                })
            });
        match result {
            Ok(()) if !quiet => println!("signed {}", path.display()),
            Ok(()) => {}
            Err(diag) => diags.push(diag),
        }
    }
    reporter.finish(&diags)
}

/// The signature fields' tooltips for a PDF signed after it was built: the
/// signature line `build --sign` would print, in the PDF's language (its
/// `/Lang`, when the project has it; else the source language).
fn tooltips(
    project: &Project,
    catalog: &Catalog,
    signing: &Signing,
    pdf: &[u8],
) -> Result<Tooltips, Diagnostic> {
    let languages = project.languages();
    let lang = pressroom::sign::language(pdf)
        .and_then(|tag| {
            let primary = tag.split('-').next().unwrap_or(&tag).to_ascii_lowercase();
            languages.iter().find(|l| **l == tag || **l == primary).cloned()
        })
        .unwrap_or_else(|| project.source_language());
    let (localizer, _) = catalog.office_localizer(&lang);
    let (source, _) = catalog.office_localizer(&project.source_language());
    let line = match signing.line() {
        None => None,
        Some(line) => {
            let dates = DateFormat::new(&project.date_locale(&lang)).map_err(|msg| {
                Diagnostic::error("cldr", msg).in_file(pressroom::project::CONFIG_FILE)
            })?;
            let words = pressroom::document::signature_words(
                &localizer,
                &dates,
                &line.signatory,
                line.date,
            )
            .map_err(|diags| {
                diags.into_iter().next().unwrap_or_else(|| {
                    Diagnostic::error("l10n", "the signature line has no words".to_owned())
                })
            })?;
            Some(words)
        }
    };
    let empty = pressroom::document::empty_signature_field(&localizer, &source);
    let empty = empty.as_deref().or(line.as_deref()).unwrap_or_default().to_owned();
    Ok(signing.tooltips(line.as_deref(), &empty))
}

pub(super) fn verify(
    pdfs: &[PathBuf],
    trust: &[PathBuf],
    no_trust_check: bool,
    reporter: &Reporter,
) -> ExitCode {
    let mut anchors = Vec::new();
    for path in trust {
        match pressroom::sign::read_certificate(path) {
            Ok(cert) => anchors.push(cert),
            Err(e) => return reporter.finish(&e.to_diagnostic().in_file(path).into()),
        }
    }
    let mut all_good = true;
    for path in pdfs {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                reporter.print(
                    &Diagnostic::error("verify", format!("cannot read: {e}")).in_file(path).into(),
                );
                all_good = false;
                continue;
            }
        };
        let found = match pressroom::sign::verify_pdf(&bytes, &anchors) {
            Ok(found) => found,
            Err(e) => {
                reporter.print(&e.to_diagnostic().in_file(path).into());
                all_good = false;
                continue;
            }
        };
        println!("{}:", path.display());
        if found.is_empty() {
            println!("  not signed");
            all_good = false;
            continue;
        }
        for (i, v) in found.iter().enumerate() {
            let yes = |b: bool| if b { "yes" } else { "NO" };
            let what = if v.document_timestamp { "document timestamp" } else { "signature" };
            println!("  {what} {} ({}): {}", i + 1, v.field, v.signer);
            if let Some(level) = v.level {
                println!("    level:              {}", level.name());
            }
            let label =
                if v.document_timestamp { "stamped at:         " } else { "timestamp:          " };
            match (v.timestamp, &v.timestamp_untrusted) {
                (Some((time, _)), None) => println!("    {label}{} (trusted)", utc(time)),
                (Some((0, false)), Some(why)) => println!("    {label}untrusted ({why})"),
                (Some((time, _)), Some(why)) => {
                    println!("    {label}untrusted ({why}); it says {}", utc(time))
                }
                (None, _) => {}
            }
            if !v.document_timestamp && !v.timestamp_trusted() {
                println!(
                    "    signed at:          {} (as the signer states; unproven)",
                    v.stated_time.map_or_else(|| "(not stated)".to_owned(), utc)
                );
            }
            println!(
                "    validated at:       {}{}",
                utc(v.validated_at),
                if v.timestamp_trusted() && !v.document_timestamp {
                    " (the timestamp's time)"
                } else {
                    " (the present)"
                }
            );
            println!("    digest matches:     {}", yes(v.digest_matches && v.range_well_formed));
            println!("    signature valid:    {}", yes(v.signature_valid));
            println!("    covers whole file:  {}", yes(v.covers_whole_file));
            match v.changes {
                Changes::Content => println!(
                    "    changed since:      {}: NOT AS SIGNED ({})",
                    v.changes.describe(),
                    v.changed.join(", ")
                ),
                Changes::Metadata => println!(
                    "    changed since:      {} ({})",
                    v.changes.describe(),
                    v.changed.join(", ")
                ),
                other => println!("    changed since:      {}", other.describe()),
            }
            match &v.revocation {
                RevocationStatus::Good { by } => {
                    println!("    revocation:         not revoked ({by} embedded)")
                }
                RevocationStatus::Revoked { at, by, .. } => println!(
                    "    revocation:         REVOKED on {at} ({by} embedded){}",
                    if v.revoked_before_signing() {
                        ", before it was signed"
                    } else {
                        ", after it was signed"
                    }
                ),
                RevocationStatus::Unknown if !v.document_timestamp => {
                    println!("    revocation:         no revocation data embedded")
                }
                RevocationStatus::Unknown => {}
            }
            if let Some(p) = v.certification {
                let allows = match p {
                    1 => "no changes but validation data",
                    2 => "form filling and signatures",
                    _ => "form filling, signatures and annotations",
                };
                println!(
                    "    certification:      P={p}, allows {allows}{}",
                    if v.beyond_certification { ": CHANGED BEYOND IT" } else { "" }
                );
            }
            match (v.trusted, &v.untrusted_because) {
                (Some(_), Some(why)) => println!("    chain trusted:      NO ({why})"),
                (Some(trusted), None) => println!("    chain trusted:      {}", yes(trusted)),
                (None, _) => println!(
                    "    chain trusted:      not checked (no trust anchors; --trust CERT){}",
                    if no_trust_check { ", as --no-trust-check asks" } else { "" }
                ),
            }
            all_good &= v.holds(!no_trust_check);
        }
    }
    if all_good { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Seconds since 1970 as `2026-11-29 03:23:57 UTC`.
fn utc(seconds: i64) -> String {
    let (date, hour, minute, second) = Timestamp(seconds).utc();
    format!(
        "{:04}-{:02}-{:02} {hour:02}:{minute:02}:{second:02} UTC",
        date.year, date.month, date.day
    )
}

//! `pressroom new`: a release's files, ready to fill in.

use std::path::PathBuf;

use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::names::ReleaseId;
use crate::names::is_name;
use crate::project::Project;

/// Writes `releases/<date>-<slug>.toml`, its English text to fill in, and an
/// empty stub per other language (which `status` shows as missing). Refuses
/// an existing id; writes nothing unless it can write everything.
pub fn new_release(project: &Project, slug: &str, date: Date) -> Result<Vec<PathBuf>, Diagnostics> {
    if !is_name(slug) {
        return Err(Diagnostic::error(
            "release-id",
            format!("`{slug}` is not a valid short title"),
        )
        .hint("use lowercase letters, digits and `-`, e.g. security-dialogue")
        .into());
    }
    let stamp = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
    let id = ReleaseId::new(&format!("{stamp}-{slug}")).map_err(Diagnostics::from)?;
    let toml_path = project.release_file(&id);
    if toml_path.exists() {
        return Err(Diagnostic::error("release-exists", format!("release `{id}` already exists"))
            .in_file(project.relative(&toml_path))
            .hint("choose another short title, or edit the existing release")
            .into());
    }
    let source = project.source_language();
    let place = first_message(project, &source, "place-").unwrap_or_else(|| "dushanbe".into());
    let kind = first_message(project, &source, "kind-").unwrap_or_else(|| "press-release".into());
    let contacts: Vec<String> =
        project.config.contacts.keys().take(1).map(|c| format!("\"{c}\"")).collect();

    let mut files = vec![(
        toml_path,
        format!(
            "# The release's facts; its text is in locales/<lang>/releases/{id}.ftl\n\
             date = {stamp}\nplace = \"{place}\"\nkind = \"{kind}\"\ncontacts = [{}]\n\
             # number = \"{}/001\"\n# embargo = {stamp}T10:00:00+05:00\n",
            contacts.join(", "),
            date.year
        ),
    )];
    for lang in project.languages() {
        let path = project.release_ftl(&lang, &id);
        if path.exists() {
            return Err(Diagnostic::error("release-exists", "this release's text already exists")
                .in_file(project.relative(&path))
                .into());
        }
        let text = if lang == source {
            "# The release's text. A blank line separates paragraphs; `- ` starts a bullet,\n\
             # `1. ` a numbered item; **strong**, *emphasis*, [text](https://…).\n\
             # Optional messages: subtitle, background, notes (notes to editors).\n\n\
             title = The title of the release\n\n\
             body =\n    The first paragraph.\n\n    The second paragraph.\n"
                .to_owned()
        } else {
            format!(
                "# Translation into {lang} of locales/{source}/releases/{id}.ftl:\n\
                 # add each of its messages here, translated.\n"
            )
        };
        files.push((path, text));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|err| {
            Diagnostic::error("write", format!("cannot write: {err}"))
                .in_file(project.relative(&path))
        })?;
        written.push(project.relative(&path));
    }
    Ok(written)
}

/// The first `<prefix>…` message of the office file, without the prefix.
fn first_message(project: &Project, lang: &str, prefix: &str) -> Option<String> {
    let (file, _) = crate::l10n::FtlFile::read(project, &project.office_ftl(lang)).ok()??;
    let (id, _) = file
        .entries
        .iter()
        .filter(|(id, _)| id.starts_with(prefix))
        .min_by_key(|(_, s)| s.start)?;
    Some(id[prefix.len()..].to_owned())
}

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
    write_all(project, files)
}

/// Writes each (path, text) atomically, making its folder; the paths as
/// the user knows them.
fn write_all(
    project: &Project,
    files: Vec<(PathBuf, String)>,
) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut written = Vec::new();
    for (path, text) in files {
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| crate::atomic::write_atomic(&path, text.as_bytes()))
            .map_err(|err| {
                Diagnostic::error("write", format!("cannot write: {err}"))
                    .in_file(project.relative(&path))
            })?;
        written.push(project.relative(&path));
    }
    Ok(written)
}

/// A file's text, or an error naming it.
fn read(project: &Project, path: &std::path::Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|err| {
        Diagnostic::error("read", format!("cannot read: {err}"))
            .in_file(project.relative(path))
            .into()
    })
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

/// What `lang add` wrote, and what the fonts lack for the language.
#[derive(Debug, Default)]
pub struct AddedLanguage {
    pub written: Vec<PathBuf>,
    pub warnings: Diagnostics,
}

/// `pressroom lang add <tag>`: `locales/<tag>/` with a stub per source
/// file (each message there as a comment, to translate and uncomment:
/// until then `status` counts it missing and drafts show the source text),
/// the tag added to `languages` in pressroom.toml, and a warning naming the
/// letters of the language no font has. Writes nothing unless it can
/// write everything; the configuration last.
pub fn add_language(project: &Project, tag: &str) -> Result<AddedLanguage, Diagnostics> {
    if !crate::names::is_language_tag(tag) {
        return Err(Diagnostic::error("language", format!("`{tag}` is not a language tag"))
            .hint(
                "a BCP 47 tag: a language and, if need be, its script and region (fa-AF, sr-Latn)",
            )
            .into());
    }
    if project.languages().iter().any(|l| l == tag) {
        return Err(Diagnostic::error("language", format!("the office already has `{tag}`"))
            .in_file(crate::project::CONFIG_FILE)
            .into());
    }
    let source = project.source_language();
    let mut sources = vec![project.office_ftl(&source)];
    sources.extend(project.release_ids()?.iter().map(|id| project.release_ftl(&source, id)));
    let mut files = Vec::new();
    for from in sources {
        let text = read(project, &from)?;
        let rel = from.strip_prefix(project.locale_dir(&source)).unwrap_or(&from);
        let to = project.locale_dir(tag).join(rel);
        if to.exists() {
            return Err(Diagnostic::error("language", "this file already exists")
                .in_file(project.relative(&to))
                .hint("remove locales/<tag>/ first, or add the tag to `languages` by hand")
                .into());
        }
        files.push((to, stub(&text, tag, &project.relative(&from))));
    }
    let config_path = project.root().join(crate::project::CONFIG_FILE);
    // The spans are of the text as read, without a byte-order mark: splice
    // there and put the mark back.
    let raw = read(project, &config_path)?;
    let bom = if raw.starts_with('\u{feff}') { "\u{feff}" } else { "" };
    let config = crate::project::without_bom(raw);
    let last = project.config.languages.last().map(|l| l.span().end);
    let Some(end) = last.filter(|&end| config.get(..end).is_some()) else {
        return Err(Diagnostic::error("language", "pressroom.toml lists no languages to add to")
            .in_file(crate::project::CONFIG_FILE)
            .into());
    };
    let config = format!("{bom}{}, \"{tag}\"{}", &config[..end], &config[end..]);
    // Read back what would be written: the same languages and the new one.
    let mut expected = project.languages();
    expected.push(tag.to_owned());
    let written = toml::from_str::<toml::Table>(&crate::project::without_bom(config.clone()))
        .ok()
        .and_then(|table| {
            let list = table.get("languages")?.as_array()?.iter();
            list.map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<String>>>()
        });
    if written.as_ref() != Some(&expected) {
        return Err(Diagnostic::error(
            "language",
            "cannot add the language to `languages` without changing what else the file says",
        )
        .in_file(crate::project::CONFIG_FILE)
        .hint(format!("add \"{tag}\" to `languages` by hand, and copy locales/{source}/ to locales/{tag}/ to translate"))
        .into());
    }

    files.push((config_path, config));
    let mut added = AddedLanguage { written: write_all(project, files)?, ..Default::default() };
    for gap in font_gaps(project, tag) {
        added.warnings.push(gap);
    }
    Ok(added)
}

/// What the layout's text fonts lack of the letters of `tag` (CLDR's
/// alphabet): one draft is rendered in memory in the new language to see
/// which faces the layout sets it in (with nothing translated yet, in the
/// faces it uses for every language).
fn font_gaps(project: &Project, tag: &str) -> Vec<Diagnostic> {
    let Ok(project) = Project::open(project.root()) else { return Vec::new() };
    let first = project.release_ids().ok().and_then(|ids| ids.first().map(|id| id.to_string()));
    let releases: Vec<String> = first.into_iter().collect();
    let Ok((used, _)) = crate::fonts::faces_in_use(&project, &releases, &[tag.to_owned()]) else {
        return Vec::new();
    };
    let letters = crate::l10n::cldr::letters(tag);
    let mut gaps = Vec::new();
    for font in crate::render::Fonts::load(Some(&project.fonts_dir())).iter() {
        let face = crate::render::face_name(font.info());
        let lacking = crate::fonts::lacking(font.info(), &letters);
        if !used.contains_key(&face) || lacking.is_empty() {
            continue;
        }
        let shown: Vec<String> = lacking.iter().take(16).map(char::to_string).collect();
        let more = if lacking.len() > 16 { " …" } else { "" };
        gaps.push(
            Diagnostic::warning(
                "fonts",
                format!(
                    "the layout sets `{tag}` in {face}, which lacks {} of its letters: {}{more}",
                    lacking.len(),
                    shown.join(" ")
                ),
            )
            .hint(
                "put an OFL font that has them in fonts/ and name it in the layout for this language",
            ),
        );
    }
    gaps
}

/// The source file `text` as a stub for `tag`: every line commented out,
/// under a header saying what to do.
fn stub(text: &str, tag: &str, from: &std::path::Path) -> String {
    let mut out = format!(
        "# Translation into {tag} of {}: translate each message below and remove\n\
         # the `# ` before its lines. Until then it counts as missing, and drafts\n\
         # show the source text in its place.\n\n",
        from.display()
    );
    for line in text.lines() {
        out.push_str(if line.is_empty() { "#" } else { "# " });
        out.push_str(line);
        out.push('\n');
    }
    out
}

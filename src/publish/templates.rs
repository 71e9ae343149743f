//! The web edition's templates: `layouts/<name>/web/`, read once into
//! memory and rendered by minijinja, which escapes every value in an
//! `.html` template. A template reads only what it is given (no file
//! system): release text stays data. A layout without a `web/` folder gets
//! the reference letterhead's, built in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::project::Project;

/// The reference letterhead's web folder, for layouts that have none.
const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../layouts/letterhead/web/base.html")),
    ("article.html", include_str!("../../layouts/letterhead/web/article.html")),
    ("release.html", include_str!("../../layouts/letterhead/web/release.html")),
    ("archive.html", include_str!("../../layouts/letterhead/web/archive.html")),
    ("home.html", include_str!("../../layouts/letterhead/web/home.html")),
    ("email.html", include_str!("../../layouts/letterhead/web/email.html")),
    ("email.txt", include_str!("../../layouts/letterhead/web/email.txt")),
    ("style.css", include_str!("../../layouts/letterhead/web/style.css")),
];

/// The templates every web folder must have.
const REQUIRED: &[&str] = &["release.html", "archive.html", "home.html", "email.html", "email.txt"];

/// Files of a web folder that are templates; the rest (a style sheet,
/// images) are copied to the site as they are.
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".txt")
}

/// One layout's web templates and the files copied beside them.
pub struct Templates {
    env: Environment<'static>,
    /// Template name -> the file it was read from, for errors.
    files: BTreeMap<String, SourceFile>,
    /// Non-template files: name -> bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Templates {
    /// Reads `layouts/<layout>/web/`, or the built-in templates when the
    /// layout has no such folder.
    pub fn load(project: &Project, layout: &str) -> Result<Self, Diagnostics> {
        let dir = project.layout_dir(layout).join("web");
        let mut sources: Vec<(String, PathBuf, Vec<u8>)> = Vec::new();
        if dir.is_dir() {
            let mut diags = Diagnostics::default();
            for (name, path) in files_in(&dir) {
                match std::fs::read(&path) {
                    Ok(bytes) => sources.push((name, project.relative(&path), bytes)),
                    Err(err) => diags.push(
                        Diagnostic::error("web-template", format!("cannot read: {err}"))
                            .in_file(project.relative(&path)),
                    ),
                }
            }
            for name in REQUIRED {
                if !sources.iter().any(|(n, _, _)| n == name) {
                    diags.push(
                        Diagnostic::error(
                            "web-template",
                            format!("the layout's web folder has no `{name}`"),
                        )
                        .in_file(project.relative(&dir))
                        .hint(format!(
                            "copy layouts/letterhead/web/{name} from pressroom's reference project \
                             and adapt it, or remove web/ to use the built-in templates"
                        )),
                    );
                }
            }
            diags.into_result(())?;
        } else {
            let shown = Path::new("(built in)").join("letterhead/web");
            for (name, text) in BUILT_IN {
                sources.push(((*name).to_owned(), shown.join(name), text.as_bytes().to_vec()));
            }
        }
        Self::from_sources(sources)
    }

    fn from_sources(sources: Vec<(String, PathBuf, Vec<u8>)>) -> Result<Self, Diagnostics> {
        let mut env = environment();
        env.set_keep_trailing_newline(true);
        let mut files = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut diags = Diagnostics::default();
        for (name, path, bytes) in sources {
            if !is_template(&name) {
                assets.insert(name, bytes);
                continue;
            }
            let Ok(text) = String::from_utf8(bytes) else {
                diags.push(Diagnostic::error("web-template", "not UTF-8 text").in_file(path));
                continue;
            };
            let file = SourceFile::new(path, text.clone());
            if let Err(err) = env.add_template_owned(name.clone(), text) {
                diags.push(template_error(&file, &err));
            }
            files.insert(name, file);
        }
        diags.into_result(Self { env, files, assets })
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Diagnostic> {
        let rendered = self.env.get_template(name).and_then(|t| t.render(context));
        rendered.map_err(|err| {
            // The error's own template (an included one, say), else `name`.
            let at = err.name().and_then(|n| self.files.get(n)).or_else(|| self.files.get(name));
            match at {
                Some(file) => template_error(file, &err),
                None => Diagnostic::error("web-template", err.to_string()),
            }
        })
    }
}

/// The one way pressroom makes pages: minijinja, every value escaped in
/// `.html` templates (`& < > " '` only: minijinja's default also writes `/`
/// as `&#x2f;`, which makes every URL hard to read), a misspelt name an
/// error rather than an empty string (an `if` may still test for what is
/// absent). The office's web templates, the preview's pages, the sitemap
/// and the team service's pages all use it.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            out.write_str(&quick_xml::escape::escape(text)).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env
}

/// An environment of pressroom's own templates, shipped in the binary
/// (the preview's and the team service's pages).
pub fn embedded(templates: &[(&'static str, &'static str)]) -> Environment<'static> {
    let mut env = environment();
    for (name, source) in templates {
        // Parsed by the tests, which render every page.
        let _ = env.add_template(name, source);
    }
    env
}

/// Page `name` of `env`. One of pressroom's own templates failing is a bug
/// (the tests render each): the page then says why instead of nothing.
pub fn render_embedded(env: &Environment<'_>, name: &str, context: impl Serialize) -> String {
    env.get_template(name).and_then(|t| t.render(context)).unwrap_or_else(|err| {
        format!(
            "<!doctype html><title>pressroom</title><p>{}</p>\n",
            quick_xml::escape::escape(err.to_string())
        )
    })
}

/// A template error at its line in its file.
fn template_error(file: &SourceFile, err: &minijinja::Error) -> Diagnostic {
    let message = match err.detail() {
        Some(detail) => format!("{}: {detail}", err.kind()),
        None => err.kind().to_string(),
    };
    let span = err.range().or_else(|| {
        let line = err.line()?;
        let start: usize =
            file.text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let len = file.text[start..].find('\n').unwrap_or(file.text.len() - start);
        Some(start..start + len)
    });
    let diag = Diagnostic::error("web-template", message);
    let diag = match span {
        Some(span) if span.end <= file.text.len() => diag.at(file, span),
        _ => diag.in_file(file.path.clone()),
    };
    diag.hint("templates are minijinja (Jinja2) syntax; values print escaped in .html files")
}

/// The files of `dir` (not its folders, not hidden files), by name.
fn files_in(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            (!name.starts_with('.')).then(|| (name, entry.path()))
        })
        .collect();
    files.sort();
    files
}

//! `pressroom publish`: the web edition and the e-mails of real projects,
//! read back as a reader would; more languages, right to left included.

use std::path::Path;

use crate::support::{Project, REFERENCE};

const NEW: &str = "2015-06-10-eu-cross-border-cooperation";

/// Every file under `root` but the hidden ones, by relative path.
fn relative_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn publish_writes_pages_feeds_sitemap_and_emails_from_the_final_pdfs() {
    let project = Project::reference();
    let run = project.run(&["publish", "--email"]);
    run.success();
    assert!(run.stdout().contains("3 release(s) × language(s) to publish"), "{}", run.stdout());
    for lang in ["en", "ru", "tg"] {
        let page = project.read(&format!("out/site/{lang}/{REFERENCE}.html"));
        assert!(page.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")), "{lang}");
        assert!(page.contains(&format!(
            "<link rel=\"canonical\" href=\"https://www.eeas.europa.eu/delegations/tajikistan/press/{lang}/{REFERENCE}.html\">"
        )));
        assert!(page.contains("<time datetime=\"2015-03-11\">"), "{lang}");
        // The PDF beside it is the final build's, byte for byte.
        let pdf = std::fs::read(project.file(&format!("out/site/{lang}/{REFERENCE}.{lang}.pdf")));
        assert_eq!(
            pdf.unwrap(),
            std::fs::read(project.file(&format!("out/{REFERENCE}.{lang}.pdf"))).unwrap()
        );
        let feed = project.read(&format!("out/site/{lang}/feed.xml"));
        assert!(feed.contains(&format!("xml:lang=\"{lang}\"")), "{feed}");
        let eml = project.read(&format!("out/email/{REFERENCE}.{lang}.eml"));
        assert!(eml.contains(&format!("Content-Language: {lang}")), "{lang}");
        assert!(eml.contains("List-Unsubscribe: <mailto:"), "{lang}");
        assert!(eml.contains("Content-Type: application/pdf"), "{lang}");
    }
    let tg = project.read(&format!("out/site/tg/{REFERENCE}.html"));
    // Every language version, each in its own name; the Tajik text itself.
    for (lang, name) in [("en", "English"), ("ru", "Русский"), ("tg", "Тоҷикӣ")] {
        assert!(
            tg.contains(&format!("hreflang=\"{lang}\" lang=\"{lang}\" rel=\"alternate\"")),
            "{lang}"
        );
        assert!(tg.contains(name), "{name}");
    }
    assert!(tg.contains("<h1>Дар Душанбе Муколамаи сатҳи баланди ИА"), "{tg}");
    let sitemap = project.read("out/site/sitemap.xml");
    assert!(sitemap.contains("xhtml:link rel=\"alternate\" hreflang=\"ru\""), "{sitemap}");

    // Again: nothing to write. Elsewhere: the same bytes.
    let again = project.run(&["publish", "--email"]);
    assert!(again.stdout().contains("site out/site: 0 file(s) written"), "{}", again.stdout());
    let other = tempfile::tempdir().unwrap();
    let out = other.path().join("site");
    project.run(&["publish", "--out", out.to_str().unwrap()]).success();
    assert_eq!(relative_files(&out), relative_files(&project.file("out/site")), "reproducible");

    // A release the office drops goes from the site too.
    let rel = format!("releases/{REFERENCE}.toml");
    std::fs::remove_file(project.file(&rel)).unwrap();
    let gone = project.run(&["publish"]);
    assert!(!project.file(&format!("out/site/tg/{REFERENCE}.html")).exists(), "{}", gone.stdout());
}

#[test]
fn publish_without_a_base_url_or_with_a_broken_template_says_where() {
    let project = Project::reference();
    let config = project.read("pressroom.toml");
    let without = config.split("\n[publish]").next().unwrap().to_owned();
    project.write("pressroom.toml", &without);
    let run = project.run(&["publish"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("publishing needs the address the site will be served from"));
    assert!(run.stderr().contains("base-url = "), "{}", run.stderr());
    project.write("pressroom.toml", &config);

    // A misspelt field: the template's file and line, and the published
    // page stays as it was.
    project.run(&["publish"]).success();
    let published = project.read(&format!("out/site/tg/{REFERENCE}.html"));
    let template = project.read("layouts/letterhead/web/release.html");
    let broken =
        template.replace("{{ doc.title.value }}</h1>", "{{ doc.title.valeu | nosuchfilter }}</h1>");
    project.write("layouts/letterhead/web/release.html", &broken);
    let run = project.run(&["publish"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("layouts/letterhead/web/release.html:9:"), "{}", run.stderr());
    assert_eq!(project.read(&format!("out/site/tg/{REFERENCE}.html")), published, "nothing lost");

    // Templates read nothing but what they are given.
    let peek = template
        .replace("{% include \"article.html\" %}", "{% include \"../../../pressroom.toml\" %}");
    project.write("layouts/letterhead/web/release.html", &peek);
    let run = project.run(&["publish"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("template not found"), "{}", run.stderr());
    assert_eq!(project.read(&format!("out/site/tg/{REFERENCE}.html")), published);
}

#[test]
fn a_right_to_left_and_a_latin_language_build_and_publish() {
    let project = Project::with_overlay("more-languages");
    let run = project.run(&["build"]);
    run.success();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let dari = project.pdf(NEW, "fa-AF");
    assert_eq!(dari.catalog_lang().as_deref(), Some("fa-AF"));
    assert!(
        dari.fonts().iter().any(|(name, embedded)| name.contains("NotoNaskhArabic") && *embedded)
    );
    // Solar Hijri calendar, Afghan month names, Persian digits.
    assert!(dari.text().contains("۱۳۹۴"), "{}", dari.text());
    let french = project.pdf(NEW, "fr");
    assert!(french.text().contains("Douchanbé"), "{}", french.text());
    // A release published in three languages only: no Russian one.
    assert!(!project.file(&format!("out/{NEW}.ru.pdf")).exists());

    project.run(&["publish"]).success();
    let page = project.read(&format!("out/site/fa-AF/{NEW}.html"));
    assert!(page.contains("<html lang=\"fa-AF\" dir=\"rtl\">"), "{page}");
    assert!(page.contains("دوشنبه، <time datetime=\"2015-06-10\">"), "the Arabic comma: {page}");
    let fr = project.read(&format!("out/site/fr/{NEW}.html"));
    assert!(fr.contains("<html lang=\"fr\" dir=\"ltr\">"));
    // Its language versions are the three it has.
    for lang in ["en", "fa-AF", "fr"] {
        assert!(fr.contains(&format!("hreflang=\"{lang}\" href=")), "{lang}");
    }
    assert!(!fr.contains("hreflang=\"ru\" href="), "no Russian version of it");
    let feed = project.read("out/site/fa-AF/feed.xml");
    assert!(feed.contains("xml:lang=\"fa-AF\""), "{feed}");
}

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
    assert!(
        run.stdout()
            .contains("3 edition(s) online (release × language): 3 made from changed sources"),
        "{}",
        run.stdout()
    );
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

    // The emblem, as the letterhead draws it, on pages and in e-mails.
    assert!(project.read("out/site/emblem.svg").matches("<polygon").count() == 12);
    assert!(tg.contains("src=\"../emblem.svg\""), "{tg}");
    let eml = project.read(&format!("out/email/{REFERENCE}.tg.eml"));
    assert!(eml.contains("Content-ID: <emblem@pressroom>"), "{eml}");
    // Units and numbers in the reader's language; the contact line
    // capitalised as the PDF prints it; From without the honorific.
    assert!(tg.contains(" кБ</bdi>"), "{tg}");
    assert!(tg.contains("<strong>Маҳбуба Абдуллаева</strong>"), "{tg}");
    let from = eml.lines().find(|l| l.starts_with("From:")).unwrap();
    // «Маҳбуба Абдуллаева», base64 in the header: no «хонум» before it.
    assert!(from.contains("0JzQsNKz0LHRg9Cx0LAg0JDQsdC00YPQu9C70LDQtdCy0LA="), "{from}");
    // Newsrooms and search engines: ninjs, JSON-LD, Open Graph.
    let ninjs = project.read(&format!("out/site/tg/{REFERENCE}.ninjs.json"));
    assert!(
        ninjs.contains("\"language\": \"tg\"") && ninjs.contains("\"translation-en\""),
        "{ninjs}"
    );
    assert!(tg.contains("<meta property=\"og:locale\" content=\"tg_TJ\">"), "{tg}");
    assert!(tg.contains("<meta property=\"og:locale:alternate\" content=\"ru_RU\">"), "{tg}");
    assert!(
        tg.contains("\"@type\":\"NewsArticle\"") && tg.contains("\"translationOfWork\""),
        "{tg}"
    );

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
    assert!(run.stderr().contains("layouts/letterhead/web/release.html:22:"), "{}", run.stderr());
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

/// The files of one edition on the site and in the e-mail folder.
fn edition_files(project: &Project, lang: &str) -> Vec<(String, Vec<u8>)> {
    [
        format!("out/site/{lang}/{REFERENCE}.html"),
        format!("out/site/{lang}/{REFERENCE}.{lang}.pdf"),
        format!("out/site/{lang}/{REFERENCE}.ninjs.json"),
        format!("out/email/{REFERENCE}.{lang}.eml"),
    ]
    .into_iter()
    .map(|rel| {
        let bytes = std::fs::read(project.file(&rel)).unwrap_or_else(|_| panic!("{rel} is there"));
        (rel, bytes)
    })
    .collect()
}

#[test]
fn an_english_correction_keeps_the_translations_online_until_they_follow() {
    let project = Project::reference();
    project.run(&["publish", "--email"]).success();
    let ru = edition_files(&project, "ru");
    let tg = edition_files(&project, "tg");

    // One word of the English title: ru and tg are stale now.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let text = project.read(&en);
    project.write(&en, &text.replacen("Dushanbe hosts", "Dushanbe welcomes", 1));
    let run = project.run(&["publish", "--email"]);
    assert_eq!(run.code(), 1, "the stale translations are errors: {}", run.stderr());
    let out = run.stdout();
    for lang in ["ru", "tg"] {
        assert!(
            out.contains(&format!("held back: {lang} {REFERENCE} stays online as published")),
            "{out}"
        );
        assert!(out.contains(&format!("locales/{lang}/releases/{REFERENCE}.ftl")), "{out}");
    }
    assert!(out.contains("0 removed"), "nothing removed: {out}");
    assert_eq!(edition_files(&project, "ru"), ru, "ru byte for byte");
    assert_eq!(edition_files(&project, "tg"), tg, "tg byte for byte");

    // Still listed wherever it was: the new English page's switcher, each
    // language's archive and feed, the sitemap and the front door.
    let page = project.read(&format!("out/site/en/{REFERENCE}.html"));
    assert!(page.contains("Dushanbe welcomes"), "the English is new");
    for lang in ["ru", "tg"] {
        assert!(page.contains(&format!("hreflang=\"{lang}\" href=")), "{lang} in the switcher");
        let archive = project.read(&format!("out/site/{lang}/index.html"));
        assert!(archive.contains(&format!("{REFERENCE}.html")), "{lang} archive");
        let feed = project.read(&format!("out/site/{lang}/feed.xml"));
        assert!(feed.contains(&format!("{lang}/{REFERENCE}.html")), "{lang} feed");
    }
    let sitemap = project.read("out/site/sitemap.xml");
    assert!(sitemap.contains(&format!("tg/{REFERENCE}.html")), "{sitemap}");
    let home = project.read("out/site/index.html");
    assert!(home.contains("Тоҷикӣ") && home.contains("Русский"), "{home}");

    // The translator catches up: the new version goes online.
    project.run(&["l10n", "accept", "tg"]).success();
    let run = project.run(&["publish", "--email"]);
    assert!(!run.stdout().contains("held back: tg"), "{}", run.stdout());
    assert!(run.stdout().contains("held back: ru"), "ru still waits: {}", run.stdout());
    assert_eq!(edition_files(&project, "ru"), ru, "ru still waits");

    // A language taken out of `languages` goes, and the summary says so.
    let config = project.read("pressroom.toml");
    project.write("pressroom.toml", &config.replace(r#", "ru""#, ""));
    let run = project.run(&["publish", "--email"]);
    assert!(run.stdout().contains(&format!("taken down: ru {REFERENCE}")), "{}", run.stdout());
    assert!(!project.file(&format!("out/site/ru/{REFERENCE}.html")).exists());
}

#[test]
fn a_release_under_embargo_is_on_no_page_until_its_moment() {
    let project = Project::reference();
    let rel = format!("releases/{REFERENCE}.toml");
    let toml = project.read(&rel);
    project.write(&rel, &format!("embargo = 2015-03-11T10:00:00+05:00\n{toml}"));

    let before = project.run(&["publish", "--email", "--now", "2015-03-11T09:59:00+05:00"]);
    before.success();
    assert!(
        before.stdout().contains(&format!(
            "under embargo: {REFERENCE} is on no page until 2015-03-11T10:00:00+05:00"
        )),
        "{}",
        before.stdout()
    );
    for lang in ["en", "ru", "tg"] {
        assert!(!project.file(&format!("out/site/{lang}/{REFERENCE}.html")).exists());
        assert!(!project.file(&format!("out/site/{lang}/{REFERENCE}.{lang}.pdf")).exists());
        assert!(!project.file(&format!("out/site/{lang}/feed.xml")).exists());
    }
    let sitemap = project.read("out/site/sitemap.xml");
    assert!(!sitemap.contains(REFERENCE), "{sitemap}");
    // Journalists get it, marked, in the subject and at the top of both parts.
    let eml = project.read(&format!("out/email/{REFERENCE}.en.eml"));
    let subject = |eml: &str| eml.lines().find(|l| l.starts_with("Subject:")).unwrap().to_owned();
    assert!(subject(&eml).contains("Embargoed_until_11_March_2015"), "{eml}");
    assert!(eml.contains("*** EMBARGOED UNTIL"), "the text part: {eml}");
    assert!(!eml.contains("/press/en/"), "no link to a page that is not there yet");
    let ru = project.read(&format!("out/email/{REFERENCE}.ru.eml"));
    assert!(ru.contains("Subject: =?utf-8?"), "a Russian subject, encoded: {ru}");

    let after = project.run(&["publish", "--email", "--now", "2015-03-11T10:00:00+05:00"]);
    after.success();
    assert!(!after.stdout().contains("under embargo"), "{}", after.stdout());
    for lang in ["en", "ru", "tg"] {
        assert!(project.file(&format!("out/site/{lang}/{REFERENCE}.html")).exists());
    }
    assert!(project.read("out/site/sitemap.xml").contains(REFERENCE));
    let eml = project.read(&format!("out/email/{REFERENCE}.en.eml"));
    assert!(!subject(&eml).contains("Embargoed"), "{eml}");
    // Its date is the moment of publication, and it stays on republishing.
    assert!(eml.contains("Date: Wed, 11 Mar 2015 05:00:00 +0000"), "{eml}");
    let again = project.run(&["publish", "--email", "--now", "2015-03-12T10:00:00+05:00"]);
    assert!(again.stdout().contains("e-mail out/email: 0 file(s) written"), "{}", again.stdout());
}

#[test]
fn nothing_in_pressroom_toml_becomes_a_header_or_a_script() {
    let project = Project::reference();
    let config = project.read("pressroom.toml");
    let hostile = config
        .replace(
            "website = \"http://eeas.europa.eu/delegations/tajikistan/index_en.htm\"",
            "website = \"javascript:alert(1)\"",
        )
        .replace(
            "list-unsubscribe = \"<mailto:Mahbuba.Abdullaeva@eeas.europa.eu?subject=unsubscribe>\"",
            "list-unsubscribe = \"<mailto:a@b.eu>\\r\\nBcc: someone@elsewhere.example\"",
        )
        .replace(
            "email = \"Mahbuba.Abdullaeva@eeas.europa.eu\"\ntelephone",
            "email = \"Mahbuba.Abdullaeva@eeas.europa.eu\\nBcc: x@y.example\"\ntelephone",
        );
    assert_ne!(hostile, config);
    project.write("pressroom.toml", &hostile);
    let run = project.run(&["publish", "--email"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("`office.website` must be an http:// or https:// address"), "{err}");
    assert!(err.contains("`publish.list-unsubscribe` holds a carriage return"), "{err}");
    assert!(err.contains("`contacts.press.email` holds a line break"), "{err}");
    assert!(err.contains("pressroom.toml:"), "located: {err}");
    assert!(!project.file("out/site").exists() && !project.file("out/email").exists());

    // A website per language, where the office has one.
    let ru_site = "https://eeas.europa.eu/delegations/tajikistan/ru/";
    project.write("pressroom.toml", &format!("{config}\n[office.websites]\nru = \"{ru_site}\"\n"));
    project.run(&["publish"]).success();
    let ru = project.read(&format!("out/site/ru/{REFERENCE}.html"));
    assert!(ru.contains("href=\"https://eeas.europa.eu/delegations/tajikistan/ru/\""), "{ru}");
    let en = project.read(&format!("out/site/en/{REFERENCE}.html"));
    assert!(en.contains("href=\"http://eeas.europa.eu/delegations/tajikistan/index_en.htm\""));
}

#[test]
fn a_line_break_or_control_character_in_a_title_never_reaches_a_header_or_a_feed() {
    let project = Project::reference();
    let tg = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&tg);
    let title = text.lines().next().unwrap().to_owned();
    project.write(
        &tg,
        &text.replacen(&title, &format!("{title}\n    Bcc: someone@elsewhere.example"), 1),
    );
    let run = project.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("`title` runs over several lines"), "{}", run.stderr());
    assert!(run.stderr().contains(&format!("{tg}:1:1")), "{}", run.stderr());

    project.write(&tg, &text.replacen(&title, &format!("{title}\u{b}"), 1));
    let run = project.run(&["check"]);
    assert!(run.stderr().contains("control character U+000B"), "{}", run.stderr());
    let run = project.run(&["publish", "--email"]);
    assert_eq!(run.code(), 1);
    assert!(!project.file(&format!("out/email/{REFERENCE}.tg.eml")).exists());
    assert!(!project.file("out/site/tg/feed.xml").exists(), "no Tajik feed to break");
    assert!(project.file("out/site/en/feed.xml").exists(), "the rest is published");
}

#[test]
fn a_release_cannot_take_the_name_of_a_site_page() {
    let project = Project::reference();
    let toml = project.read(&format!("releases/{REFERENCE}.toml"));
    project.write("releases/index.toml", &toml);
    let run = project.run(&["check"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("`index` cannot be a release id"), "{}", run.stderr());
}

#[test]
fn lang_add_keeps_a_config_with_a_byte_order_mark_valid() {
    let project = Project::reference();
    let config = project.read("pressroom.toml");
    project.write("pressroom.toml", &format!("\u{feff}{config}"));
    project.run(&["lang", "add", "fr"]).success();
    let written = project.read("pressroom.toml");
    assert!(written.starts_with('\u{feff}'), "the mark stays");
    assert!(written.contains(r#"languages = ["en", "ru", "tg", "fr"]"#), "{written}");
}

#[test]
fn a_language_in_progress_is_one_paragraph_with_every_word_it_lacks() {
    let project = Project::reference();
    project.run(&["lang", "add", "uz"]).success();
    let run = project.run(&["publish"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert_eq!(err.matches("error[").count(), 1, "one block, nothing else: {err}");
    assert!(err.contains("uz is not finished"), "{err}");
    // Each word once, the web words with the rest; no draft-only label.
    assert_eq!(err.matches("office-name").count(), 1, "{err}");
    assert!(err.contains("web-archive"), "{err}");
    assert!(!err.contains("label-draft"), "{err}");
    // The complete languages are published.
    assert!(project.file(&format!("out/site/tg/{REFERENCE}.html")).exists());
}

/// Under review before print, an edit nobody has approved yet never reaches
/// the web: the edition stays online as published until a reviewer approves.
#[test]
fn an_unapproved_edit_keeps_the_published_edition_online_until_it_is_approved() {
    let project = Project::reference();
    let config = project.read("pressroom.toml");
    project.write("pressroom.toml", &format!("{config}\n[review]\nrequired = true\n"));
    let repo = git2::Repository::init(project.path()).unwrap();
    repo.config().unwrap().set_str("user.name", "Rustam").unwrap();
    project.run(&["l10n", "approve", "tg"]).success();
    project.run(&["l10n", "approve", "ru"]).success();
    project.run(&["publish", "--email"]).success();
    let tg = edition_files(&project, "tg");

    // The Tajik title edited: translated, not approved.
    let path = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&path);
    project.write(&path, &text.replacen("баргузор гардид", "доир гардид", 1));
    let run = project.run(&["publish", "--email"]);
    assert_eq!(run.code(), 1, "the unapproved title is an error: {}", run.stderr());
    assert!(run.stderr().contains("unreviewed-translation"), "{}", run.stderr());
    let out = run.stdout();
    assert!(out.contains(&format!("held back: tg {REFERENCE} stays online as published")), "{out}");
    assert!(!out.contains("held back: ru"), "{out}");
    assert_eq!(edition_files(&project, "tg"), tg, "tg byte for byte");

    // Approved: the new title goes online.
    project.run(&["l10n", "approve", "tg"]).success();
    project.run(&["publish", "--email"]).success();
    let page = project.read(&format!("out/site/tg/{REFERENCE}.html"));
    assert!(page.contains("доир гардид"), "the approved title is online");
}

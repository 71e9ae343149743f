//! The rules every part keeps (README: What every build guarantees), checked from the outside: sandbox, data not code,
//! atomic writes, reproducibility, archival metadata.

use crate::support::{Project, REFERENCE};

fn en_text_path() -> String {
    format!("locales/en/releases/{REFERENCE}.ftl")
}

#[test]
fn release_text_is_data_never_typst_code() {
    let project = Project::reference();
    let hostile = r#"#read("/etc/passwd") $x^2$ ] [ @ref <label> _under_ \ #set page(width: 1cm) = Heading // no comment /* */"#;
    project.write(
        &en_text_path(),
        &format!(
            "title = Title with #emph[x] and $math$ and \\u{{41}}\nbody =\n    {hostile}\n\n    - * lone star, 5 * 3 and `raw`\n"
        ),
    );
    project.run(&["build", REFERENCE, "--lang", "en"]).success();
    let pdf = project.pdf(REFERENCE, "en");
    let text = pdf.text();
    for literal in [
        "#read(\"/etc/passwd\")",
        "$x^2$",
        "] [ @ref <label> _under_ \\ #set page(width: 1cm) = Heading // no comment /* */",
        "Title with #emph[x] and $math$",
        "* lone star, 5 * 3 and `raw`",
    ] {
        assert!(text.contains(literal), "`{literal}` not printed literally in\n{text}");
    }
    assert!(!text.contains("root:"), "the layout read /etc/passwd");
    assert!(pdf.pages() <= 2, "a `#set page` in the text changed the layout");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let project = Project::reference();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        project.file("layouts/letterhead/secret.txt"),
    )
    .unwrap();
    let layout = project.read("layouts/letterhead/main.typ");
    project.write("layouts/letterhead/main.typ", &format!("{layout}\n#read(\"secret.txt\")\n"));
    let run = project.run(&["build", REFERENCE, "--lang", "en"]);
    run.failure();
    assert!(run.stderr().contains("is a symbolic link out of"), "{}", run.stderr());
    assert!(run.stderr().contains("layouts/letterhead/main.typ:"), "{}", run.stderr());

    // A release text linked from outside the root is refused too.
    let text = project.file(&format!("locales/ru/releases/{REFERENCE}.ftl"));
    std::fs::rename(&text, outside.path().join("ru.ftl")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("ru.ftl"), &text).unwrap();
    let run = project.run(&["build", REFERENCE, "--lang", "ru"]);
    run.failure();
    assert!(run.stderr().contains("outside the project root"), "{}", run.stderr());
}

#[test]
fn a_failed_build_leaves_the_previous_pdf_untouched() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let ru_pdf = project.file(&format!("out/{REFERENCE}.ru.pdf"));
    let before = std::fs::read(&ru_pdf).unwrap();

    let path = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&path);
    project.write(&path, &text.replace("title =", "title = { $nope"));
    project.run(&["build"]).failure();

    assert_eq!(std::fs::read(&ru_pdf).unwrap(), before, "the good PDF was replaced");
    let leftovers: Vec<_> = std::fs::read_dir(project.file("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn same_sources_give_byte_identical_pdfs() {
    let project = Project::reference();
    let (a, b) = (project.file("a"), project.file("b"));
    project.run(&["build", "--out", a.to_str().unwrap()]).success();
    project.run(&["build", "--out", b.to_str().unwrap()]).success();
    for lang in ["en", "ru", "tg"] {
        let name = format!("{REFERENCE}.{lang}.pdf");
        let a = std::fs::read(a.join(&name)).unwrap();
        let b = std::fs::read(b.join(&name)).unwrap();
        assert!(a == b, "{lang}: two builds differ");
    }
}

#[test]
fn pdf_dates_come_from_the_release_or_source_date_epoch() {
    let project = Project::reference();
    project.run(&["build", REFERENCE, "--lang", "en"]).success();
    let pdf = project.pdf(REFERENCE, "en");
    let created = pdf.info("CreationDate").unwrap();
    assert!(created.starts_with("D:20150311"), "{created}");

    let run = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
        .args(["--root", project.path().to_str().unwrap(), "build", REFERENCE, "--lang", "en"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let created = project.pdf(REFERENCE, "en").info("CreationDate").unwrap();
    assert!(created.starts_with("D:20231114221320"), "{created}");
}

#[test]
fn pdfs_carry_title_author_subject_keywords_and_language() {
    let project = Project::reference();
    project.run(&["build"]).success();
    for (lang, author, kind) in [
        ("en", "Delegation of the European Union to the Republic of Tajikistan", "Press release"),
        ("ru", "Представительство Европейского союза в Республике Таджикистан", "Пресс-релиз"),
        ("tg", "Намояндагии Иттиҳоди Аврупо дар Ҷумҳурии Тоҷикистон", "Иттилооти матбуотӣ"),
    ] {
        let pdf = project.pdf(REFERENCE, lang);
        assert!(pdf.info("Title").is_some_and(|t| !t.is_empty()), "{lang}: title");
        assert_eq!(pdf.info("Author").as_deref(), Some(author), "{lang}: author");
        let subject = pdf.info("Subject").unwrap_or_default();
        assert!(subject.starts_with(kind), "{lang}: subject `{subject}`");
        let keywords = pdf.info("Keywords").unwrap_or_default();
        assert!(keywords.contains(kind), "{lang}: keywords `{keywords}`");
        assert_eq!(pdf.catalog_lang().as_deref(), Some(lang), "{lang}: /Lang");
        let xmp = String::from_utf8_lossy(&pdf.bytes);
        assert!(xmp.contains("pdfaid:part"), "{lang}: PDF/A identification in XMP");
        assert!(xmp.contains("pdfuaid:part"), "{lang}: PDF/UA identification in XMP");
    }
}

/// A fresh clone stays clean: the commands people run first (`status`,
/// `check`, `build`, `publish`) write only what git ignores. The committed
/// translation-state files are complete, so no read rewrites them.
#[test]
fn a_fresh_clone_stays_clean_after_the_first_commands() {
    let project = crate::support::Project::reference();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(project.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    std::fs::copy(crate::support::repo().join(".gitignore"), project.file(".gitignore")).unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "the office's sources"]);
    for command in [&["status"][..], &["check"], &["build"], &["publish", "--email"]] {
        project.run(command).success();
        let dirty = git(&["status", "--porcelain"]);
        assert!(
            dirty.is_empty(),
            "`pressroom {}` left the clone dirty:\n{dirty}",
            command.join(" ")
        );
    }
}

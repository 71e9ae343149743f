//! The translators' workflow end to end: status, the stale cycle, drafts of
//! stale text, accepting, and scaffolding a new release.

use serde_json::Value;

use crate::support::{Project, REFERENCE};

fn status(project: &Project) -> Vec<(String, String, u64, u64, u64)> {
    let run = project.run(&["status", "--format", "json"]);
    run.success();
    let rows: Value = serde_json::from_str(&run.stdout()).expect("status JSON");
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["release"].as_str().unwrap().to_owned(),
                r["language"].as_str().unwrap().to_owned(),
                r["messages"].as_u64().unwrap(),
                r["missing"].as_u64().unwrap(),
                r["stale"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(rows: &[(String, String, u64, u64, u64)], release: &str, lang: &str) -> (u64, u64, u64) {
    let r = rows
        .iter()
        .find(|r| r.0 == release && r.1 == lang)
        .expect("a row per release and language");
    (r.2, r.3, r.4)
}

#[test]
fn the_stale_cycle_translate_change_see_stale_edit_see_fresh() {
    let project = Project::reference();
    let rows = status(&project);
    assert_eq!(row(&rows, REFERENCE, "ru"), (3, 0, 0), "the shipped translation is complete");
    assert_eq!(row(&rows, "(office)", "tg").1, 0);

    // The press officer changes the English title.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let text = project.read(&en);
    project.write(&en, &text.replace("title = Dushanbe hosts", "title = Dushanbe hosted"));
    let rows = status(&project);
    assert_eq!(row(&rows, REFERENCE, "ru"), (3, 0, 1));
    assert_eq!(row(&rows, REFERENCE, "tg"), (3, 0, 1));

    // check names the stale message where it is; the final build refuses it.
    let check = project.run(&["check"]);
    check.success();
    assert!(check.stderr().contains("the translation of `title` is stale"), "{}", check.stderr());
    assert!(check.stderr().contains(&format!("locales/ru/releases/{REFERENCE}.ftl:1:1")));
    let build = project.run(&["build", REFERENCE, "--lang", "ru"]);
    build.failure();
    assert!(
        build.stderr().contains(&format!(
            "locales/ru/releases/{REFERENCE}.ftl:1:1: `title` is stale (the source text changed since)"
        )),
        "{}",
        build.stderr()
    );

    // A draft shows the new English title in its place, marked.
    project.run(&["build", REFERENCE, "--lang", "ru", "--draft"]).success();
    let draft = project.draft(REFERENCE, "ru").text();
    assert!(draft.contains("Dushanbe hosted EU-Central Asia"), "{draft}");
    assert!(draft.contains("ЧЕРНОВИК"), "draft mark");
    assert!(draft.contains("Перевод устарел"), "the stand-in is marked as stale");

    // The Russian translator edits the title: fresh. Tajik stays stale.
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&ru);
    project.write(&ru, &text.replace("title = В Душанбе состоялся", "title = В Душанбе прошёл"));
    let rows = status(&project);
    assert_eq!(row(&rows, REFERENCE, "ru"), (3, 0, 0));
    assert_eq!(row(&rows, REFERENCE, "tg"), (3, 0, 1));
    project.run(&["build", REFERENCE, "--lang", "ru"]).success();

    // The Tajik translator checks the title and accepts it as it is.
    let accept = project.run(&["l10n", "accept", "tg", REFERENCE]);
    accept.success();
    assert!(
        accept.stdout().contains("accepted 1 stale translation(s) in tg"),
        "{}",
        accept.stdout()
    );
    assert_eq!(row(&status(&project), REFERENCE, "tg"), (3, 0, 0));
    project.run(&["build", REFERENCE, "--lang", "tg"]).success();

    // The state is a readable file, one line per message.
    let state = project.read("locales/tg/translation-state.toml");
    assert!(state.starts_with("# Written by pressroom"), "{state}");
    assert!(state.lines().any(|l| l.starts_with("title = \"")), "{state}");
}

#[test]
fn status_table_has_a_row_per_release_a_column_per_language_and_totals() {
    let project = Project::reference();
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&ru);
    project.write(&ru, text.split("\nbackground =").next().unwrap());
    let run = project.run(&["status"]);
    run.success();
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["release", "en", "ru", "tg"]);
    let reference = lines.iter().find(|l| l.starts_with(REFERENCE)).unwrap();
    assert!(reference.contains("missing 1") && reference.contains("done"), "{out}");
    assert!(lines.last().unwrap().starts_with("total"), "{out}");
}

#[test]
fn check_json_gives_one_located_object_per_finding() {
    let project = Project::reference();
    let tg = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&tg);
    project.write(&tg, &format!("{text}\ntitle = Дубл\n"));
    let run = project.run(&["check", "--format", "json"]);
    run.failure();
    let findings: Value = serde_json::from_str(&run.stdout()).unwrap();
    let dup =
        findings.as_array().unwrap().iter().find(|f| f["code"] == "fluent-duplicate").unwrap();
    assert_eq!(dup["severity"], "error");
    assert_eq!(dup["file"], tg.as_str());
    assert_eq!(dup["line"], 21);
    assert_eq!(dup["column"], 1);
    assert_eq!(dup["language"], "tg");
    assert_eq!(dup["release"], REFERENCE);
}

#[test]
fn new_scaffolds_a_release_that_status_shows_as_missing() {
    let project = Project::reference();
    let run = project.run(&["new", "press-freedom-day", "--date", "2015-05-03"]);
    run.success();
    let id = "2015-05-03-press-freedom-day";
    for file in [
        format!("releases/{id}.toml"),
        format!("locales/en/releases/{id}.ftl"),
        format!("locales/ru/releases/{id}.ftl"),
        format!("locales/tg/releases/{id}.ftl"),
    ] {
        assert!(run.stdout().contains(&format!("created {file}")), "{}", run.stdout());
        assert!(project.file(&file).is_file());
    }
    let rows = status(&project);
    assert_eq!(row(&rows, id, "ru"), (2, 2, 0));
    assert_eq!(row(&rows, id, "tg"), (2, 2, 0));

    // The English builds as it is; Russian only as a draft until translated.
    project.run(&["build", id, "--lang", "en"]).success();
    project.run(&["build", id, "--lang", "ru"]).failure();
    project.run(&["build", id, "--lang", "ru", "--draft"]).success();

    let again = project.run(&["new", "press-freedom-day", "--date", "2015-05-03"]);
    again.failure();
    assert!(again.stderr().contains("already exists"), "{}", again.stderr());
    let bad = project.run(&["new", "Press Freedom", "--date", "2015-05-03"]);
    bad.failure();
    let bad_date = project.run(&["new", "x", "--date", "2015-13-01"]);
    assert_eq!(bad_date.code(), 2, "a usage error");
    assert!(bad_date.stderr().contains("is not a date"), "{}", bad_date.stderr());
}

#[test]
fn a_file_nested_200000_deep_is_named_and_the_rest_still_builds() {
    let project = crate::support::Project::reference();
    let tg = format!("locales/tg/releases/{}.ftl", crate::support::REFERENCE);
    let text = project.read(&tg);
    project.write(&tg, &format!("{text}\nnotes = {}\n", "{".repeat(200_000)));
    let check = project.run(&["check"]);
    assert_eq!(check.code(), 1, "{}", check.stderr());
    assert!(
        check.stderr().contains("placeables are nested more than 64 deep"),
        "{}",
        check.stderr()
    );
    assert!(check.stderr().contains(&format!("{tg}:")), "names the file: {}", check.stderr());
    let build = project.run(&["build"]);
    assert_eq!(build.code(), 1);
    assert!(project.file(&format!("out/{}.en.pdf", crate::support::REFERENCE)).exists());
    assert!(project.file(&format!("out/{}.ru.pdf", crate::support::REFERENCE)).exists());
}

/// The office's glossary: the shipped release keeps it (Russian endings
/// and all); a rendering dropped or a forbidden one used is found.
#[test]
fn the_glossary_finds_a_missing_or_forbidden_rendering_in_russian_with_its_case_endings() {
    let project = Project::reference();
    let clean = project.run(&["check"]);
    assert!(!clean.stderr().contains("glossary"), "{}", clean.stderr());
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&ru);
    assert!(text.contains("Пражском процессе"), "the case ending the glossary must allow");
    project.write(&ru, &text.replace("Пражском процессе", "процессе").replace("БОМКА", "BOMCA"));
    let found = project.run(&["check"]);
    let err = found.stderr();
    assert!(
        err.contains("warning[glossary-term]: `body`: the English says “Prague Process”, the translation has no “Пражский процесс” [ru]"),
        "{err}"
    );
    assert!(
        err.contains("warning[glossary-forbidden]: `body`: “BOMCA” is not how the office writes “BOMCA”: write “БОМКА” [ru]"),
        "{err}"
    );
    assert!(err.contains("locales/ru/glossary.tbx"), "{err}");
}

/// The glossary goes out as TBX for an agency, and an agency's TBX comes
/// in: new concepts and renderings added, nothing of the office's changed,
/// and a glossary holding what pressroom does not keep never rewritten.
#[test]
fn the_glossary_goes_out_and_comes_in_as_tbx() {
    let project = Project::reference();
    let exported = project.run(&["l10n", "tbx-export", "ru"]);
    exported.success();
    assert_eq!(exported.stdout(), project.read("locales/ru/glossary.tbx"), "as it is kept");

    let agency = project.file("agency.tbx");
    std::fs::write(
        &agency,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en-GB"><termSec><term>Prague process</term></termSec></langSec>
      <langSec xml:lang="ru-RU"><termSec><term>Процесс Праги</term>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en"><termSec><term>Organization for Security and Co-operation in Europe</term></termSec></langSec>
      <langSec xml:lang="ru"><termSec><term>Организация по безопасности и сотрудничеству в Европе</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"#,
    )
    .unwrap();
    let imported = project.run(&["l10n", "tbx-import", "ru", agency.to_str().unwrap()]);
    imported.success();
    assert!(
        imported.stdout().contains("imported 1 term(s) and 1 rendering(s) of known terms"),
        "{}",
        imported.stdout()
    );
    let glossary = project.read("locales/ru/glossary.tbx");
    assert!(
        glossary.contains("<term>Организация по безопасности и сотрудничеству в Европе</term>")
    );
    assert!(glossary.contains(
        "<term>Процесс Праги</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts"
    ));
    assert!(glossary.contains("<term>Пражский процесс</term>"), "the office's own stays");
    // Twice is once; the release still keeps the glossary.
    let again = project.run(&["l10n", "tbx-import", "ru", agency.to_str().unwrap()]);
    assert!(again.stdout().contains("imported 0 term(s) and 0 rendering(s)"), "{}", again.stdout());
    assert_eq!(project.read("locales/ru/glossary.tbx"), glossary);
    assert!(!project.run(&["check"]).stderr().contains("glossary"));

    // A broken file: refused, nothing written.
    std::fs::write(&agency, "<tbx><text><body><conceptEntry>").unwrap();
    let broken = project.run(&["l10n", "tbx-import", "ru", agency.to_str().unwrap()]);
    broken.failure();
    assert!(broken.stderr().contains("agency.tbx"), "{}", broken.stderr());
    assert_eq!(project.read("locales/ru/glossary.tbx"), glossary);

    // The office's glossary holding definitions: never rewritten without them.
    let defined = glossary.replacen(
        "<langSet xml:lang=\"en\">",
        "<descrip type=\"definition\">the EU's programme</descrip><langSet xml:lang=\"en\">",
        1,
    );
    project.write("locales/ru/glossary.tbx", &defined);
    std::fs::write(
        &agency,
        project.read("locales/tg/glossary.tbx").replace("xml:lang=\"tg\"", "xml:lang=\"ru\""),
    )
    .unwrap();
    let refused = project.run(&["l10n", "tbx-import", "ru", agency.to_str().unwrap()]);
    refused.failure();
    assert!(refused.stderr().contains("`descrip`"), "{}", refused.stderr());
    assert_eq!(project.read("locales/ru/glossary.tbx"), defined);
}

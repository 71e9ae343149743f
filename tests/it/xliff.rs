//! `l10n export` / `l10n import`: XLIFF 1.2 out and back, what is refused
//! and why, and nothing else lost.

use crate::support::{Project, REFERENCE};

fn export(project: &Project, args: &[&str]) -> String {
    let out = project.file("out.xlf");
    let mut all = vec!["l10n", "export"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().unwrap()]);
    project.run(&all).success();
    std::fs::read_to_string(out).unwrap()
}

fn import(project: &Project, xliff: &str) -> crate::support::Run {
    let path = project.file("in.xlf");
    std::fs::write(&path, xliff).unwrap();
    project.run(&["l10n", "import", path.to_str().unwrap()])
}

fn locales(project: &Project) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in ["ru", "tg"] {
        for rel in ["office.ftl".to_owned(), format!("releases/{REFERENCE}.ftl")] {
            let path = format!("locales/{lang}/{rel}");
            out.push((path.clone(), project.read(&path)));
        }
    }
    out
}

#[test]
fn an_unchanged_round_trip_changes_nothing() {
    let project = Project::reference();
    let before = locales(&project);
    for lang in ["ru", "tg"] {
        let xliff = export(&project, &[lang, "--all"]);
        assert!(xliff.contains("<xliff version=\"1.2\""));
        assert!(xliff.contains(&format!("target-language=\"{lang}\"")));
        assert!(xliff.contains(&format!("original=\"releases/{REFERENCE}.ftl\"")));
        // Placeables and structure are protected codes; terms are tags
        // around the language's own form.
        assert!(xliff.contains("ctype=\"x-paragraph\""));
        assert!(xliff.contains("ctype=\"x-list-item\">- </ph>"));
        assert!(xliff.contains("<g id=\"1\" ctype=\"x-term-eu\">European Union</g>"));
        let run = import(&project, &xliff);
        run.success();
        assert!(run.stderr().contains("imported 0 unit(s)"), "{}", run.stderr());
    }
    assert_eq!(locales(&project), before);
}

#[test]
fn a_changed_target_lands_in_the_pdf_and_counts_as_an_edit() {
    let project = Project::reference();
    let xliff = export(&project, &["ru", "--all"]);
    let xliff = xliff.replace(">В Душанбе состоялся Диалог", ">В Душанбе прошёл Диалог");
    let run = import(&project, &xliff);
    run.success();
    assert!(run.stderr().contains("imported 1 unit(s) into 1 file(s)"), "{}", run.stderr());
    // A second import of the same file changes nothing.
    let again = import(&project, &xliff);
    assert!(again.stderr().contains("imported 0 unit(s)"), "{}", again.stderr());
    project.run(&["build", "--lang", "ru"]).success();
    assert!(project.pdf(REFERENCE, "ru").text().contains("В Душанбе прошёл Диалог"));
}

#[test]
fn a_translator_picks_a_terms_case_by_writing_its_form() {
    let project = Project::reference();
    let xliff = export(&project, &["ru", REFERENCE, "--all"]);
    assert!(xliff.contains("Between the tags of -eu, write the form the sentence needs"));
    let changed = xliff.replacen(
        "ctype=\"x-term-eu\">Европейским союзом</g>",
        "ctype=\"x-term-eu\">Европейского союза</g>",
        1,
    );
    assert_ne!(changed, xliff, "the Russian body shows the term's instrumental form");
    import(&project, &changed).success();
    let text = project.read(&format!("locales/ru/releases/{REFERENCE}.ftl"));
    assert!(text.contains("между { -eu(case: \"gen\") } и странами"), "{text}");

    let wrong = xliff.replacen(
        "ctype=\"x-term-eu\">Европейским союзом</g>",
        "ctype=\"x-term-eu\">ЕС</g>",
        1,
    );
    let run = import(&project, &wrong);
    run.failure();
    assert!(
        run.stderr().contains("`ЕС` between the tags of -eu is not one of its forms"),
        "{}",
        run.stderr()
    );
}

#[test]
fn damaged_codes_and_changed_english_are_refused_unit_by_unit() {
    let project = Project::reference();
    let xliff = export(&project, &["ru", REFERENCE, "--all"]);
    // The body loses a paragraph break; the title is translated anew.
    let start = xliff.find("<target state=\"translated\">Сегодня").unwrap();
    let ph = start + xliff[start..].find("<ph id=\"2\" ctype=\"x-paragraph\">").unwrap();
    let end = ph + xliff[ph..].find("</ph>").unwrap() + "</ph>".len();
    let damaged = format!("{} {}", &xliff[..ph], &xliff[end..])
        .replace(">В Душанбе состоялся Диалог", ">В Душанбе прошёл Диалог");
    // And the English background changes after the export.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let english = project.read(&en);
    project.write(
        &en,
        &english.replace("The High Level Security Dialogue reflects", "The Dialogue reflects"),
    );
    let damaged = damaged
        .replace("Диалог высокого уровня по вопросам безопасности отражает", "Диалог отражает");
    let before = project.read(&format!("locales/ru/releases/{REFERENCE}.ftl"));

    let run = import(&project, &damaged);
    run.failure();
    let err = run.stderr();
    assert!(err.contains("`body`: inline code 2 (a paragraph break) is missing"), "{err}");
    assert!(
        err.contains("the English of `background` changed since this file was exported"),
        "{err}"
    );
    assert!(err.contains("in.xlf:"), "located in the XLIFF file: {err}");
    let after = project.read(&format!("locales/ru/releases/{REFERENCE}.ftl"));
    assert!(after.contains("title = В Душанбе прошёл Диалог"), "the good unit was written");
    let unchanged = |text: &str, from: &str| text[text.find(from).unwrap()..].to_owned();
    assert_eq!(
        unchanged(&after, "body ="),
        unchanged(&before, "body ="),
        "body and background untouched"
    );
}

#[test]
fn only_missing_and_stale_messages_are_exported_by_default() {
    let project = Project::reference();
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&ru);
    let cut = text.find("\nbackground =").unwrap();
    project.write(&ru, &text[..cut + 1]);
    let xliff = export(&project, &["ru"]);
    assert_eq!(xliff.matches("<trans-unit").count(), 1, "{xliff}");
    assert!(xliff.contains("<trans-unit id=\"background\""));
    assert!(xliff.contains("state=\"needs-translation\""));

    let filled = xliff.replace(
        "<target state=\"needs-translation\"></target>",
        "<target state=\"translated\">Диалог отражает общий интерес ЕС и Центральной Азии.</target>",
    );
    import(&project, &filled).success();
    let text = project.read(&ru);
    assert!(
        text.contains("background = Диалог отражает общий интерес ЕС и Центральной Азии."),
        "{text}"
    );
    let check = project.run(&["check"]);
    assert!(!check.stderr().contains("error["), "{}", check.stderr());
}

#[test]
fn stale_translations_go_out_for_review_and_invalid_fluent_is_refused() {
    let project = Project::reference();
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let english = project.read(&en);
    project.write(&en, &english.replace("title = Dushanbe hosts", "title = Dushanbe welcomes"));
    let xliff = export(&project, &["ru"]);
    assert_eq!(xliff.matches("<trans-unit").count(), 1, "{xliff}");
    assert!(xliff.contains("<source>Dushanbe welcomes EU-Central Asia"));
    assert!(xliff.contains("<target state=\"needs-review-translation\">В Душанбе состоялся"));

    let all = export(&project, &["ru", REFERENCE, "--all"]);
    let broken = all.replace(">Встреча прошла на уровне", ">[Встреча] прошла на уровне");
    assert_ne!(broken, all);
    let run = import(&project, &broken);
    run.failure();
    assert!(run.stderr().contains("`body` would not be valid Fluent"), "{}", run.stderr());
}

#[test]
fn elements_nested_300000_deep_are_refused_not_a_stack_overflow() {
    let project = Project::reference();
    let before = locales(&project);
    let xliff = export(&project, &["ru", "--all"]);
    let deep = format!("{}x{}", "<g id=\"1\">".repeat(300_000), "</g>".repeat(300_000));
    let xliff = xliff.replacen("<target", &format!("<target>{deep}</target><target"), 1);
    let run = import(&project, &xliff);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("nest deeper than 128 levels"), "{}", run.stderr());
    assert!(run.stderr().contains("in.xlf:"), "located: {}", run.stderr());
    assert_eq!(locales(&project), before, "nothing written");
}

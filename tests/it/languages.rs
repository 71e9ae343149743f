//! `pressroom lang add`: a language the office adds, with a region or
//! written right to left, builds (as drafts until translated).

use crate::support::{Project, REFERENCE};

#[test]
fn a_language_with_a_region_is_added_and_builds() {
    let project = Project::reference();
    let run = project.run(&["lang", "add", "de-AT"]);
    run.success();
    for file in ["locales/de-AT/office.ftl", &format!("locales/de-AT/releases/{REFERENCE}.ftl")] {
        assert!(run.stdout().contains(&format!("wrote {file}")), "{}", run.stdout());
        let stub = project.read(file);
        assert!(stub.starts_with("# Translation into de-AT of locales/en/"), "{stub}");
        assert!(stub.lines().all(|l| l.is_empty() || l.starts_with('#')), "only comments: {stub}");
    }
    assert!(project.read("pressroom.toml").contains(r#"["en", "ru", "tg", "de-AT"]"#));
    // Every message missing until translated; the others are untouched.
    let status = project.run(&["status"]);
    assert!(status.stdout().contains("missing 3"), "{}", status.stdout());
    // Typst takes `de` and `AT` apart: a region tag once failed the layout.
    project.run(&["build", "--draft", "--lang", "de-AT"]).success();
    assert_eq!(project.draft(REFERENCE, "de-AT").catalog_lang().as_deref(), Some("de-AT"));
    // A final needs the translation, and says so.
    let run = project.run(&["build", "--lang", "de-AT"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());

    let again = project.run(&["lang", "add", "de-AT"]);
    assert_eq!(again.code(), 1);
    assert!(again.stderr().contains("the office already has `de-AT`"), "{}", again.stderr());
    let bad = project.run(&["lang", "add", "not a tag"]);
    assert_eq!(bad.code(), 1);
    assert!(bad.stderr().contains("is not a language tag"), "{}", bad.stderr());
}

#[test]
fn a_right_to_left_language_gets_its_direction_calendar_and_a_font_warning() {
    let project = Project::reference();
    let run = project.run(&["lang", "add", "fa-AF"]);
    run.success();
    assert!(
        run.stderr().contains("the layout sets `fa-AF` in Libertinus Serif, which lacks"),
        "{}",
        run.stderr()
    );
    project.run(&["build", "--draft", "--lang", "fa-AF", "--emit-model"]).success();
    let model = project.read(&format!("out/drafts/{REFERENCE}.fa-AF.draft.json"));
    let model: serde_json::Value = serde_json::from_str(&model).unwrap();
    assert_eq!(model["lang"], "fa");
    assert_eq!(model["region"], "AF");
    assert_eq!(model["dir"], "rtl");
    assert_eq!(model["tag"], "fa-AF");
    // CLDR's Solar Hijri calendar with Afghan month names and Persian digits.
    assert_eq!(model["dateline"]["date"], "۲۰ حوت ۱۳۹۳");
    // And the languages already there read as before.
    let model = {
        project.run(&["build", "--draft", "--lang", "tg", "--emit-model"]).success();
        project.read(&format!("out/drafts/{REFERENCE}.tg.draft.json"))
    };
    let model: serde_json::Value = serde_json::from_str(&model).unwrap();
    assert_eq!((model["lang"].as_str(), model["dir"].as_str()), (Some("tg"), Some("ltr")));
    assert!(model["region"].is_null());
}

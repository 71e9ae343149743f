//! `pressroom watch` with a real watcher on real files: what changes is
//! rebuilt, nothing else; errors keep the last good PDF; Ctrl-C ends cleanly.

use std::time::Duration;

use crate::support::{Project, REFERENCE, Running, draft_path, save_by_rename};

/// `pressroom watch`, once its first build is done.
struct Watch;

impl Watch {
    fn start(project: &Project) -> Running {
        let watch = Running::start(project, &["watch"]);
        watch.watching(3);
        watch
    }
}

fn pdf(project: &Project, lang: &str) -> Vec<u8> {
    std::fs::read(project.file(&draft_path(REFERENCE, lang))).unwrap()
}

fn built(lang: &str) -> impl Fn(&str) -> bool {
    let want = format!("built {}", draft_path(REFERENCE, lang));
    move |line: &str| line.starts_with(&want)
}

#[cfg(unix)]
#[test]
fn a_russian_edit_rebuilds_only_the_russian_pdf_once() {
    let project = Project::reference();
    let watch = Watch::start(&project);
    let (en, ru, tg) = (pdf(&project, "en"), pdf(&project, "ru"), pdf(&project, "tg"));

    let rel = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&rel).replace("Сегодня в Душанбе", "Сегодня в столице, Душанбе,");
    save_by_rename(&project, &rel, &text);
    watch.expect(built("ru"));
    let after = watch.drain(Duration::from_millis(600));
    assert!(after.is_empty(), "one save, one rebuild; then: {after:?}");

    assert_ne!(pdf(&project, "ru"), ru, "the Russian PDF changed");
    assert_eq!(pdf(&project, "en"), en, "the English PDF was not touched");
    assert_eq!(pdf(&project, "tg"), tg, "the Tajik PDF was not touched");
    assert!(project.draft(REFERENCE, "ru").text().contains("Сегодня в столице, Душанбе,"));

    // Editor droppings build nothing.
    for junk in [".x.ftl.swp", "x.ftl~", "4913"] {
        std::fs::write(project.file(&format!("locales/ru/releases/{junk}")), "junk").unwrap();
    }
    let after = watch.drain(Duration::from_millis(600));
    assert!(after.is_empty(), "temporary files rebuilt something: {after:?}");
    assert_eq!(watch.stop(), 0, "Ctrl-C exits cleanly");
}

#[cfg(unix)]
#[test]
fn a_syntax_error_keeps_the_last_good_pdf_until_fixed() {
    let project = Project::reference();
    let watch = Watch::start(&project);
    let good = pdf(&project, "ru");
    let rel = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);

    save_by_rename(&project, &rel, &text.replace("title = В Душанбе", "title = { В Душанбе"));
    let seen = watch.expect(|l| l.starts_with(&format!("failed {REFERENCE}.ru")));
    let seen = [seen, watch.drain(Duration::from_millis(300))].concat().join("\n");
    assert!(seen.contains("error[fluent-syntax]"), "{seen}");
    assert!(seen.contains(&format!("{rel}:1:")), "located: {seen}");
    assert_eq!(pdf(&project, "ru"), good, "the previous PDF is kept");

    save_by_rename(&project, &rel, &text.replace("title = В Душанбе", "title = Сегодня в Душанбе"));
    watch.expect(built("ru"));
    assert!(project.draft(REFERENCE, "ru").text().contains("Сегодня в Душанбе состоялся"));
    assert_eq!(watch.stop(), 0);
}

#[cfg(unix)]
#[test]
fn a_new_release_starts_being_built() {
    let project = Project::reference();
    let watch = Watch::start(&project);
    let id = "2015-03-12-follow-up";
    project.write(
        &format!("locales/en/releases/{id}.ftl"),
        "title = A follow-up\nbody =\n    Text.\n",
    );
    project.write(
        &format!("releases/{id}.toml"),
        "date = 2015-03-12\nplace = \"dushanbe\"\nkind = \"statement\"\n",
    );
    watch.expect(|l| l.starts_with(&format!("built {}", draft_path(id, "en"))));
    assert!(project.file(&draft_path(id, "en")).is_file());
    assert_eq!(watch.stop(), 0);
}

#[cfg(unix)]
#[test]
fn a_file_deleted_then_recreated_gives_one_rebuild() {
    let project = Project::reference();
    let watch = Watch::start(&project);
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    std::fs::remove_file(project.file(&rel)).unwrap();
    project.write(&rel, &text.replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе"));
    watch.expect(built("tg"));
    let after = watch.drain(Duration::from_millis(600));
    assert!(after.is_empty(), "one change, one rebuild; then: {after:?}");
    assert!(project.draft(REFERENCE, "tg").text().contains("Имрӯз дар шаҳри Душанбе"));
    assert_eq!(watch.stop(), 0);
}

#[cfg(unix)]
#[test]
fn watch_starts_at_once_when_the_drafts_are_up_to_date() {
    let project = Project::reference();
    // Drafts from `build --draft` count: they are the same bytes.
    project.run(&["build", "--draft"]).success();
    let watch = Running::start(&project, &["watch"]);
    let seen = watch.expect(|l| l.starts_with("watching 3 output(s)"));
    assert!(seen.iter().all(|l| !l.starts_with("built")), "rebuilt: {seen:?}");
    assert!(seen.last().unwrap().contains("3 draft(s) up to date"), "{seen:?}");
    assert_eq!(watch.stop(), 0);

    // A draft changed on disk, or sources changed while nobody watched:
    // only those are rebuilt.
    std::fs::write(project.file(&draft_path(REFERENCE, "tg")), b"%PDF-1.7 edited").unwrap();
    let rel = format!("locales/ru/releases/{REFERENCE}.ftl");
    project.write(&rel, &project.read(&rel).replace("Сегодня в Душанбе", "Сегодня в столице"));
    let watch = Running::start(&project, &["watch"]);
    let seen = watch.watching(3);
    let built: Vec<&String> = seen.iter().filter(|l| l.starts_with("built")).collect();
    assert_eq!(built.len(), 2, "{seen:?}");
    // Watching at once; the two are caught up behind it.
    let line = seen.iter().position(|l| l.starts_with("watching")).unwrap();
    assert!(seen[line].contains("1 draft(s) up to date, 2 catching up"), "{seen:?}");
    assert!(seen[..line].iter().all(|l| !l.starts_with("built")), "{seen:?}");
    assert!(seen.last().unwrap().starts_with("caught up: 2 draft(s)"), "{seen:?}");
    assert!(project.draft(REFERENCE, "ru").text().contains("Сегодня в столице"));
    assert_eq!(watch.stop(), 0);
}

#[cfg(unix)]
#[test]
fn watch_after_a_final_build_starts_at_once_and_a_save_is_built_before_the_catch_up() {
    let project = Project::reference();
    // Forty releases, 120 drafts to catch up.
    let langs = ["en", "ru", "tg"];
    for i in 0..39 {
        let id = format!("2015-03-11-copy-{i:02}");
        let toml = project.read(&format!("releases/{REFERENCE}.toml"));
        project.write(&format!("releases/{id}.toml"), &toml);
        for lang in langs {
            let text = project.read(&format!("locales/{lang}/releases/{REFERENCE}.ftl"));
            let text = text.replace("title = ", &format!("title = №{i} "));
            project.write(&format!("locales/{lang}/releases/{id}.ftl"), &text);
        }
    }
    // The release saved below was edited longest ago: last in the catch-up.
    let long_ago = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let mut files = vec![format!("releases/{REFERENCE}.toml")];
    files.extend(langs.map(|lang| format!("locales/{lang}/releases/{REFERENCE}.ftl")));
    for rel in &files {
        let file = std::fs::File::options().write(true).open(project.file(rel)).unwrap();
        file.set_modified(long_ago).unwrap();
    }
    let watch = Running::start(&project, &["watch"]);
    let seen = watch.expect(|l| l.starts_with("watching 120 output(s)"));
    assert!(seen.last().unwrap().contains("120 catching up in the background"), "{seen:?}");
    assert!(seen.iter().all(|l| !l.starts_with("built")), "built before watching: {seen:?}");

    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    save_by_rename(&project, &rel, &project.read(&rel).replace("title = ", "title = Нав "));
    // The save is built at once, and the catch-up goes on behind it (the
    // catch-up itself would reach that draft last).
    let tg = format!("built {}", draft_path(REFERENCE, "tg"));
    let seen = watch.expect(|l| l.starts_with("caught up: 120 draft(s)"));
    let at: Vec<usize> = (0..seen.len()).filter(|&i| seen[i].starts_with(&tg)).collect();
    assert_eq!(at.len(), 1, "built once: {seen:?}");
    let after = seen[at[0]..].iter().filter(|l| l.starts_with("built")).count();
    assert!(after > 10, "the save waited for the catch-up: {seen:?}");
    assert!(project.draft(REFERENCE, "tg").text().contains("Нав"));
    assert_eq!(watch.stop(), 0);
}

//! A final PDF one can trust: drafts live apart, the manifest knows what it
//! wrote, layouts read only their own folder, files are written like any
//! other, bugs are told apart from bad input.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::sign::{GOOD, signing_project};
use crate::support::{Project, REFERENCE, Running, draft_path};

/// Every file directly in `dir` (not in its subfolders), by name, but for
/// the build's own manifest (which records when each PDF was written).
fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file() && e.file_name() != ".pressroom-manifest.json")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn wrote(run: &crate::support::Run) -> Vec<String> {
    run.stdout().lines().filter(|l| l.starts_with("wrote ")).map(str::to_owned).collect()
}

#[cfg(unix)]
#[test]
fn build_watch_build_leaves_the_finals_as_a_fresh_build_makes_them() {
    let project = Project::reference();
    project.run(&["build"]).success();

    let watch = Running::start(&project, &["watch"]);
    watch.watching(3);
    let rel = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    crate::support::save_by_rename(&project, &rel, &text.replace("title = В Душанбе", "title = Ж"));
    watch.expect(|l| l.starts_with(&format!("built {}", draft_path(REFERENCE, "ru"))));
    crate::support::save_by_rename(&project, &rel, &text);
    watch.expect(|l| l.starts_with(&format!("built {}", draft_path(REFERENCE, "ru"))));
    assert_eq!(watch.stop(), 0);
    // The drafts are apart, marked in their name and on the page.
    assert!(project.draft(REFERENCE, "ru").text().contains("ЧЕРНОВИК"));

    let run = project.run(&["build"]);
    run.success();
    assert!(run.stdout().contains("3 PDF(s) up to date"), "{}", run.stdout());

    let fresh = Project::reference();
    fresh.run(&["build", "--force"]).success();
    let (ours, theirs) = (files_in(&project.file("out")), files_in(&fresh.file("out")));
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>());
    for (name, bytes) in &ours {
        assert!(bytes == &theirs[name], "out/{name} differs from a fresh build");
    }
    for lang in ["en", "ru", "tg"] {
        let text = project.pdf(REFERENCE, lang).text();
        assert!(!text.contains("DRAFT") && !text.contains("ЧЕРНОВИК") && !text.contains("ЛОИҲА"));
    }
}

#[test]
fn a_draft_build_never_replaces_a_final() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let finals = files_in(&project.file("out"));
    let run = project.run(&["build", "--draft"]);
    run.success();
    assert!(run.stdout().contains(&format!("wrote {}", draft_path(REFERENCE, "tg"))));
    assert_eq!(files_in(&project.file("out")), finals, "a draft build touched out/");
    assert!(project.draft(REFERENCE, "tg").text().contains("ЛОИҲА"));
    // And a draft cannot be signed.
    let both = project.run(&["build", "--draft", "--sign"]);
    assert_eq!(both.code(), 2, "{}", both.stderr());
}

#[test]
fn a_signed_build_followed_by_an_unsigned_one_rebuilds_unsigned_finals() {
    let project = signing_project(GOOD);
    project.run(&["build", "--sign"]).success();
    let signed = std::fs::read(project.file(&format!("out/{REFERENCE}.en.pdf"))).unwrap();
    assert!(signed.windows(10).any(|w| w == b"/ByteRange"));
    let again = project.run(&["build", "--sign"]);
    assert!(again.stdout().contains("3 PDF(s) up to date"), "{}", again.stdout());

    let run = project.run(&["build"]);
    run.success();
    assert_eq!(wrote(&run).len(), 3, "{}", run.stdout());
    let unsigned = std::fs::read(project.file(&format!("out/{REFERENCE}.en.pdf"))).unwrap();
    assert!(!unsigned.windows(10).any(|w| w == b"/ByteRange"), "still signed");
}

#[test]
fn a_pdf_changed_or_deleted_on_disk_is_rebuilt() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let path = project.file(&format!("out/{REFERENCE}.ru.pdf"));
    let good = std::fs::read(&path).unwrap();
    let mut edited = good.clone();
    edited.extend_from_slice(b"\n% edited by hand\n");
    std::fs::write(&path, &edited).unwrap();

    let run = project.run(&["build"]);
    run.success();
    assert_eq!(wrote(&run), [format!("wrote out/{REFERENCE}.ru.pdf (2 pages)")]);
    assert_eq!(std::fs::read(&path).unwrap(), good);
}

#[test]
fn after_an_edit_one_build_rebuilds_and_the_next_does_nothing() {
    let project = Project::reference();
    project.run(&["build"]).success();
    // The English changes: the translations go stale, and a build records it.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let text = project.read(&en);
    project.write(&en, &text.replace("Dushanbe hosted today", "Dushanbe hosted on Wednesday"));
    project.run(&["build", "--draft"]).success();
    // The Russian translator edits their text.
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&ru);
    project.write(&ru, &text.replace("Сегодня в Душанбе", "В среду в Душанбе"));

    let first = project.run(&["build", "--lang", "ru", "--draft"]);
    first.success();
    assert_eq!(wrote(&first).len(), 1, "{}", first.stdout());
    let state = project.read("locales/ru/translation-state.toml");
    let second = project.run(&["build", "--lang", "ru", "--draft"]);
    second.success();
    assert!(wrote(&second).is_empty(), "a no-op rebuilt: {}", second.stdout());
    assert!(second.stdout().contains("1 PDF(s) up to date"), "{}", second.stdout());
    assert_eq!(project.read("locales/ru/translation-state.toml"), state);
}

#[test]
fn layouts_read_their_own_folder_and_nothing_else() {
    let project = signing_project(GOOD);
    let main = "layouts/letterhead/main.typ";
    let layout = project.read(main);
    project.run(&["build", "--lang", "en"]).success();
    std::fs::create_dir_all(project.file(".git")).unwrap();
    project.write(".git/config", "[core]\n");
    project.write("notes.txt", "not for layouts\n");
    for (path, why) in [
        ("/keys/signer.key.pem", "is a signing file named in [signing]"),
        ("/.git/config", "is the repository's own data"),
        (&format!("/out/{REFERENCE}.en.pdf"), "is in the output folder"),
        ("/notes.txt", "is outside what a layout may read"),
        ("/locales/en/office.ftl", "is outside what a layout may read"),
    ] {
        project.write(
            main,
            &layout.replace("#blocks(doc.body)", &format!("#read(\"{path}\")\n#blocks(doc.body)")),
        );
        let run = project.run(&["build", "--lang", "en", "--force"]);
        run.failure();
        let err = run.stderr();
        assert!(err.contains(why), "{path}: {err}");
        assert!(err.contains(&format!("┌─ {main}:")), "located in the layout: {err}");
        assert!(err.contains(&format!("#read(\"{path}\")")), "the line shown: {err}");
        assert!(!err.contains("--root"), "typst-cli's advice: {err}");
        assert!(!err.contains("BEGIN"), "key material leaked: {err}");
    }
    // Its own files still work, and a change to one rebuilds.
    project.write("layouts/letterhead/motto.txt", "Stronger together\n");
    project.write(
        main,
        &layout.replace("#blocks(doc.body)", "#read(\"motto.txt\")\n#blocks(doc.body)"),
    );
    project.run(&["build", "--lang", "en"]).success();
    assert!(project.pdf(REFERENCE, "en").text().contains("Stronger together"));
    project.write("layouts/letterhead/motto.txt", "Stronger still\n");
    project.run(&["build", "--lang", "en"]).success();
    assert!(project.pdf(REFERENCE, "en").text().contains("Stronger still"));
}

#[test]
fn layouts_never_read_the_output_folder_wherever_it_is_nor_a_git_of_their_own() {
    let project = Project::reference();
    let main = "layouts/letterhead/main.typ";
    let layout = project.read(main);
    let out = project.file("layouts/letterhead/pdf");
    let out_arg = out.to_str().unwrap();
    project.run(&["build", "--lang", "en", "--out", out_arg]).success();
    project.write("layouts/letterhead/.git/config", "[core]\n");
    for (path, why) in [
        (format!("pdf/{REFERENCE}.en.pdf"), "is in the output folder"),
        ("pdf/drafts/x.pdf".to_owned(), "is in the output folder"),
        (".git/config".to_owned(), "is in a repository's own data (.git)"),
    ] {
        project.write(
            main,
            &layout.replace("#blocks(doc.body)", &format!("#read(\"{path}\")\n#blocks(doc.body)")),
        );
        let run = project.run(&["build", "--lang", "en", "--force", "--out", out_arg]);
        run.failure();
        assert!(run.stderr().contains(why), "{path}: {}", run.stderr());
    }
    // The output folder and the .git inside the layout are no input: an
    // unchanged layout with outputs written into it is up to date.
    project.write(main, &layout);
    project.run(&["build", "--lang", "en", "--out", out_arg]).success();
    let again = project.run(&["build", "--lang", "en", "--out", out_arg]);
    assert!(again.stdout().contains("up to date"), "{}", again.stdout());
}

#[cfg(unix)]
#[test]
fn a_link_loop_and_a_fifo_in_the_layout_neither_hang_nor_count() {
    use std::time::Instant;
    let project = Project::reference();
    let dir = project.file("layouts/letterhead");
    std::os::unix::fs::symlink(".", dir.join("loop")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.join("outside")).unwrap();
    let made = std::process::Command::new("mkfifo").arg(dir.join("pipe")).status().unwrap();
    assert!(made.success());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
        .args(["--root", project.path().to_str().unwrap(), "--color", "never"])
        .args(["build", "--lang", "en"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("build hung on a link loop or a FIFO");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("layouts/letterhead/pipe` is not a regular file"), "{err}");
    assert!(err.contains("layouts/letterhead/outside` is a symbolic link out of"), "{err}");
    assert!(project.pdf(REFERENCE, "en").text().contains("Dushanbe"));
}

#[cfg(unix)]
#[test]
fn pdfs_get_the_usual_mode_and_signing_in_place_keeps_it() {
    use std::os::unix::fs::PermissionsExt;
    let project = signing_project(GOOD);
    project.run(&["build"]).success();
    let path = project.file(&format!("out/{REFERENCE}.en.pdf"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // The test runs under the usual umask 022.
    assert_eq!(mode(&path), 0o644);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    project.run(&["sign", path.to_str().unwrap()]).success();
    assert_eq!(mode(&path), 0o640, "signing in place changed the mode");
}

#[test]
fn a_bug_is_reported_as_internal_with_its_own_exit_code() {
    let project = Project::reference();
    for (hook, at) in [("main", "src/main.rs"), ("render", "src/pipeline/mod.rs")] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
            .args(["--root", project.path().to_str().unwrap(), "build"])
            .env("PRESSROOM_TEST_PANIC", hook)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(101), "{hook}: {stderr}");
        assert!(stderr.starts_with("error[internal]: pressroom hit a bug at "), "{stderr}");
        assert!(stderr.contains(at) && stderr.contains("please report"), "{stderr}");
        assert!(!stderr.contains("stack backtrace"), "{stderr}");
    }
    assert!(!project.file(&format!("out/{REFERENCE}.en.pdf")).exists());
}

#[test]
fn files_saved_with_a_byte_order_mark_are_read() {
    let project = Project::reference();
    for rel in [
        format!("locales/ru/releases/{REFERENCE}.ftl"),
        "locales/tg/office.ftl".to_owned(),
        format!("releases/{REFERENCE}.toml"),
        "pressroom.toml".to_owned(),
    ] {
        let text = project.read(&rel);
        project.write(&rel, &format!("\u{feff}{text}"));
    }
    let run = project.run(&["check"]);
    run.success();
    assert!(run.stderr().contains("check: 0 error(s), 0 warning(s)"), "{}", run.stderr());
    project.run(&["build"]).success();
    assert!(project.pdf(REFERENCE, "ru").text().contains("В Душанбе состоялся"));
}

#[test]
fn two_copies_built_at_different_places_and_times_are_identical() {
    let (a, b) = (Project::reference(), Project::reference());
    a.run(&["build"]).success();
    std::thread::sleep(Duration::from_millis(1100));
    // Newer modification times on every source of the second copy.
    let text = b.read("pressroom.toml");
    b.write("pressroom.toml", &text);
    b.run(&["build"]).success();
    assert_ne!(a.path(), b.path());
    assert_eq!(files_in(&a.file("out")), files_in(&b.file("out")));
}

#[cfg(unix)]
#[test]
fn a_build_killed_midway_leaves_each_pdf_whole() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let path = project.file(&format!("out/{REFERENCE}.tg.pdf"));
    let old = std::fs::read(&path).unwrap();
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel).replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе");
    project.write(&rel, &text);
    // The new PDF, as a build elsewhere makes it (builds are reproducible).
    let elsewhere = Project::reference();
    elsewhere.write(&rel, &text);
    elsewhere.run(&["build", "--lang", "tg"]).success();
    let new = std::fs::read(elsewhere.file(&format!("out/{REFERENCE}.tg.pdf"))).unwrap();
    assert_ne!(new, old);
    // Kill builds at spread-out moments; the PDF is the old or the new one.
    for delay in [5u64, 20, 40, 60, 90, 130, 200] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
            .args(["--root", project.path().to_str().unwrap(), "-q", "build", "--force"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&path).unwrap();
        assert!(now == old || now == new, "killed at {delay} ms: the PDF is neither old nor new");
    }
    project.run(&["build", "--force"]).success();
    assert_eq!(std::fs::read(&path).unwrap(), new);
}

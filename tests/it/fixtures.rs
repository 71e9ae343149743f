//! The corpus of bad inputs: each folder under `tests/fixtures/` is one case,
//! applied to a copy of the shipped project: `REMOVE` lists paths to delete,
//! `EDITS.toml` changes shipped files (`find`/`replace`, `append`,
//! `cut-from`, so a case keeps working when unrelated text changes), and any
//! other file is laid over the project as it is. `ARGS` holds the command line
//! (default `build`), and `expected.txt` is the snapshot of what pressroom
//! prints (stdout when there is any, then stderr), after the exit code.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test fixtures` rewrites the snapshots.

use std::path::Path;

use crate::support::{Project, repo};

#[test]
fn every_fixture_gives_its_expected_diagnostics() {
    let root = repo().join("tests/fixtures");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
    cases.sort();
    assert!(cases.len() >= 10, "the corpus has {} cases", cases.len());
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let actual = run_case(case);
        let expected_path = case.join("expected.txt");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&expected_path, &actual).unwrap();
            } else {
                failures.push(format!(
                    "--- {name}: expected\n{expected}\n--- {name}: actual\n{actual}"
                ));
            }
        }
        // A bug ends in `error[internal]` and exit code 101 (see
        // `a_bug_is_reported_as_internal_with_its_own_exit_code`).
        assert!(
            !actual.contains("error[internal]") && !actual.starts_with("exit code: 101"),
            "{name} hit a bug:\n{actual}"
        );
    }
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{} fixture cases checked", cases.len());
}

fn run_case(case: &Path) -> String {
    let project = Project::reference();
    if let Ok(list) = std::fs::read_to_string(case.join("REMOVE")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            let path = project.file(rel.trim());
            if path.is_dir() {
                std::fs::remove_dir_all(path).unwrap();
            } else {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    overlay(case, case, &project);
    apply_edits(case, &project);
    let args = std::fs::read_to_string(case.join("ARGS")).unwrap_or_else(|_| "build".into());
    let args: Vec<&str> = args.split_whitespace().collect();
    let run = project.run(&args);
    let stdout = run.stdout();
    let stdout =
        if stdout.is_empty() { String::new() } else { format!("--- stdout\n{stdout}--- stderr\n") };
    format!("exit code: {}\n{stdout}{}", run.code(), run.stderr())
}

fn overlay(base: &Path, dir: &Path, project: &Project) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let rel = path.strip_prefix(base).unwrap();
        let special = ["ARGS", "REMOVE", "EDITS.toml", "expected.txt"];
        if dir == base && special.iter().any(|n| rel == Path::new(n)) {
            continue;
        }
        if path.is_dir() {
            overlay(base, &path, project);
        } else {
            project.write(rel.to_str().unwrap(), &std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Edit {
    file: String,
    find: Option<String>,
    replace: Option<String>,
    append: Option<String>,
    cut_from: Option<String>,
}

#[derive(serde::Deserialize)]
struct Edits {
    edit: Vec<Edit>,
}

/// Applies `EDITS.toml`; a `find` or `cut-from` that no longer matches the
/// shipped file fails the test, so a case never silently stops testing.
fn apply_edits(case: &Path, project: &Project) {
    let Ok(text) = std::fs::read_to_string(case.join("EDITS.toml")) else { return };
    let edits: Edits = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
    for edit in edits.edit {
        let mut content = project.read(&edit.file);
        if let Some(find) = &edit.find {
            assert!(
                content.contains(find.as_str()),
                "{}: `{find}` not in {}",
                case.display(),
                edit.file
            );
            content = content.replacen(find.as_str(), edit.replace.as_deref().unwrap_or(""), 1);
        }
        if let Some(cut) = &edit.cut_from {
            let at = content
                .find(cut.as_str())
                .unwrap_or_else(|| panic!("{}: `{cut}` not in {}", case.display(), edit.file));
            content.truncate(at);
            content.push('\n');
        }
        if let Some(append) = &edit.append {
            content.push_str(append);
        }
        project.write(&edit.file, &content);
    }
}

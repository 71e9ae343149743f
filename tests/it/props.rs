//! Property tests: arbitrary text into the markup parser, arbitrary bytes and
//! mutations of the reference files into the release and locale loaders.
//! Nothing panics, and every problem found is located.

use pressroom::diag::{Diagnostic, SourceFile};
use pressroom::l10n::FtlFile;
use pressroom::project::Project as PressroomProject;
use pressroom::release::{Release, ReleaseId};
use proptest::prelude::*;

use crate::support::{Project, REFERENCE, repo};

fn located(diag: &Diagnostic) -> bool {
    diag.line_col().is_some() || diag.file_path().is_some()
}

/// A mutation of `base`: some bytes replaced, removed or inserted.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let len = base.len();
    prop::collection::vec((0..=len, 0usize..4, any::<char>(), 0u8..3), 1..6).prop_map(
        move |edits| {
            let mut text = base.to_owned();
            for (at, n, c, kind) in edits {
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match kind {
                    0 => text.insert(at, c),
                    1 => {
                        let mut end = (at + n).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    _ => {
                        let special = ['{', '}', '[', '*', '.', '-', '=', '\n', '"', '$', '#'];
                        text.insert(at, special[(c as usize) % special.len()]);
                    }
                }
            }
            text
        },
    )
}

fn reference_text(rel: &str) -> &'static str {
    Box::leak(std::fs::read_to_string(repo().join(rel)).unwrap().into_boxed_str())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn markup_never_panics_and_issues_point_into_the_text(text in "\\PC{0,200}") {
        let (_, issues) = pressroom::markup::parse(&text);
        for issue in issues {
            prop_assert!(issue.offset <= text.len());
        }
    }

    #[test]
    fn markup_of_marker_soup_never_panics(text in "[-*\\[\\]()0-9. \\nab:/h]{0,120}") {
        let _ = pressroom::markup::parse(&text);
    }

    #[test]
    fn fluent_files_never_panic_and_errors_are_located(
        text in mutated(reference_text(&format!("locales/ru/releases/{REFERENCE}.ftl")))
    ) {
        let (_, diags) = FtlFile::parse(SourceFile::new("x.ftl", text));
        for d in diags.iter() {
            prop_assert!(d.line_col().is_some(), "{}", d);
            let _ = d.to_plain_string();
        }
    }

    #[test]
    fn arbitrary_bytes_as_fluent_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (_, diags) = FtlFile::parse(SourceFile::new("x.ftl", text));
        for d in diags.iter() {
            let _ = d.to_plain_string();
        }
    }
}

/// The release loader reads files, so its cases share one project.
#[test]
fn release_files_never_panic_and_errors_are_located() {
    let project = Project::reference();
    let opened = PressroomProject::open(project.path()).unwrap();
    let id = ReleaseId::new(REFERENCE).unwrap();
    let base = reference_text(&format!("releases/{REFERENCE}.toml"));
    let mut runner =
        proptest::test_runner::TestRunner::new(ProptestConfig { cases: 300, ..Default::default() });
    let strategy = prop_oneof![
        mutated(base),
        prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    let errors = std::cell::Cell::new(0);
    runner
        .run(&strategy, |text| {
            project.write(&format!("releases/{REFERENCE}.toml"), &text);
            if let Err(diags) = Release::load(&opened, &id) {
                for d in diags.iter() {
                    prop_assert!(located(d), "unlocated: {}", d);
                    let _ = d.to_plain_string();
                }
                errors.set(errors.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    let errors = errors.get();
    assert!(errors > 0, "the mutations never broke the file: the test is not testing");
    eprintln!("release loader: 300 cases, {errors} rejected with located errors");
}

//! Glyph coverage: no silent blank boxes, no silent change of typeface, and
//! `pressroom fonts`.

use crate::support::{Project, REFERENCE};

fn tajik_text(project: &Project, title: &str, body: &str) {
    let path = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&path);
    let rest = text.split_once("\nbackground =").map(|(_, r)| r).unwrap();
    project.write(&path, &format!("title = {title}\n\nbody =\n    {body}\n\nbackground ={rest}"));
}

#[test]
fn a_letter_no_font_has_is_an_error_naming_letter_message_and_language() {
    let project = Project::reference();
    tajik_text(&project, "Изҳорот 𐌰", "Матн.");
    let run = project.run(&["build", REFERENCE, "--lang", "tg"]);
    run.failure();
    let err = run.stderr();
    assert!(err.contains("no font has `𐌰` (U+10330)"), "{err}");
    assert!(err.contains("(in `title`) [tg]"), "{err}");
    assert!(err.contains(&format!("locales/tg/releases/{REFERENCE}.ftl:1:17")), "{err}");
    assert!(!project.file(&format!("out/{REFERENCE}.tg.pdf")).exists(), "no PDF with a blank box");
}

#[test]
fn bold_italic_tajik_falling_back_to_another_face_is_reported() {
    let project = Project::reference();
    tajik_text(&project, "Изҳорот", "Матн бо ***ҷумҳурӣ ва ҳамкорӣ***.");
    let run = project.run(&["build", REFERENCE, "--lang", "tg"]);
    run.success();
    let err = run.stderr();
    assert!(err.contains("warning[glyph-fallback]"), "{err}");
    assert!(err.contains("`ҷ`"), "{err}");
    assert!(err.contains("Libertinus Serif Bold Italic lacks them [tg]"), "{err}");
}

#[test]
fn fonts_lists_faces_in_use_and_their_language_coverage() {
    let project = Project::reference();
    let run = project.run(&["fonts"]);
    run.success();
    let out = run.stdout();
    let row = out.lines().find(|l| l.starts_with("Libertinus Serif  ")).unwrap_or_default();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["Libertinus", "Serif", "yes", "yes", "yes", "3", "output(s)"]
    );
    assert!(!out.contains("DejaVu"), "only fonts in use without --all:\n{out}");

    let all = project.run(&["fonts", "--all"]);
    all.success();
    let out = all.stdout();
    let bold_italic = out
        .lines()
        .skip_while(|l| !l.starts_with("Libertinus Serif Bold Italic"))
        .take(2)
        .collect::<Vec<_>>();
    assert!(bold_italic[0].contains("yes   yes   no"), "{out}");
    assert!(bold_italic[1].contains("tg lacks: Ғ ғ Қ қ Ҳ ҳ Ҷ ҷ"), "{out}");
}

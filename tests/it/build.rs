//! `pressroom build` of the shipped reference release, read back.

use crate::support::{Project, REFERENCE};

struct Expected {
    lang: &'static str,
    title: &'static str,
    date: &'static str,
    bullets: [&'static str; 5],
    headings: [&'static str; 2],
    footer: [&'static str; 6],
}

const EXPECTED: [Expected; 3] = [
    Expected {
        lang: "en",
        title: "Dushanbe hosts EU-Central Asia High Level Security Dialogue",
        date: "DUSHANBE, 11 March 2015",
        bullets: [
            "preventing the proliferation of CBRN materials",
            "developing new forms of cooperation",
            "promoting the participation of Central Asian states",
            "strengthening further cooperation on border management",
            "deepening its cooperation on migration",
        ],
        headings: ["BACKGROUND", "CONTACTS"],
        footer: [
            "Address details:",
            "Tel:",
            "Fax:",
            "E-mail:",
            "Website:",
            "Follow us on Facebook:",
        ],
    },
    Expected {
        lang: "ru",
        title: "В Душанбе состоялся Диалог высокого уровня ЕС — Центральная Азия по вопросам безопасности",
        date: "ДУШАНБЕ, 11 марта 2015 г.",
        bullets: [
            "предотвращение распространения ХБРЯ-материалов",
            "развитие новых форм сотрудничества",
            "содействие участию государств Центральной Азии",
            "дальнейшее укрепление сотрудничества",
            "углубление сотрудничества в области миграции",
        ],
        headings: ["СПРАВОЧНАЯ ИНФОРМАЦИЯ", "КОНТАКТЫ"],
        footer: ["Адрес:", "Тел.:", "Факс:", "Эл. почта:", "Веб-сайт:", "Мы в Facebook:"],
    },
    Expected {
        lang: "tg",
        title: "Дар Душанбе Муколамаи сатҳи баланди ИА — Осиёи Марказӣ оид ба масъалаҳои амният баргузор гардид",
        date: "ДУШАНБЕ, 11 марти 2015",
        bullets: [
            "пешгирии паҳншавии маводи КБРҲ",
            "рушди шаклҳои нави ҳамкорӣ",
            "мусоидат ба иштироки давлатҳои Осиёи Марказӣ",
            "минбаъд таҳким бахшидани ҳамкорӣ",
            "амиқ гардонидани ҳамкорӣ",
        ],
        headings: ["МАЪЛУМОТИ ЗАМИНАВӢ", "БАРОИ ТАМОС"],
        footer: [
            "Суроға:",
            "Тел.:",
            "Факс:",
            "Почтаи электронӣ:",
            "Сомона:",
            "Моро дар Facebook пайгирӣ кунед:",
        ],
    },
];

#[test]
fn reference_release_builds_in_three_languages() {
    let project = Project::reference();
    let run = project.run(&["build"]);
    run.success();
    for lang in ["en", "ru", "tg"] {
        assert!(
            run.stdout().contains(&format!("wrote out/{REFERENCE}.{lang}.pdf")),
            "one line per written file:\n{}",
            run.stdout()
        );
    }

    for want in &EXPECTED {
        let pdf = project.pdf(REFERENCE, want.lang);
        let text = pdf.text();
        let lang = want.lang;
        assert!((1..=2).contains(&pdf.pages()), "{lang}: {} pages", pdf.pages());
        assert!(text.contains(want.title), "{lang}: title missing in\n{text}");
        assert!(text.contains(want.date), "{lang}: dateline `{}` missing in\n{text}", want.date);
        for phrase in want.bullets.iter().chain(&want.headings).chain(&want.footer) {
            assert!(text.contains(phrase), "{lang}: `{phrase}` missing in\n{text}");
        }
        // The seed's order: dateline, title, body, background, contacts.
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{lang}: `{s}` missing"));
        assert!(at(want.date) < at(want.title));
        assert!(at(want.title) < at(want.bullets[0]));
        assert!(at(want.bullets[4]) < at(want.headings[0]));
        assert!(at(want.headings[0]) < at(want.headings[1]));
        for bad in ['\u{2068}', '\u{2069}', '\u{FFFD}'] {
            assert!(!text.contains(bad), "{lang}: U+{:04X} in the PDF text", bad as u32);
        }
        let fonts = pdf.fonts();
        assert!(!fonts.is_empty());
        for (name, embedded) in &fonts {
            assert!(embedded, "{lang}: font {name} is not embedded");
        }
        let title = pdf.info("Title").map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        assert_eq!(title.as_deref(), Some(want.title), "{lang}: document title");
    }

    // A contact begins its own line, so it begins with a capital; a
    // hyphenated name stays whole on one line.
    for (lang, contact, place) in
        [("ru", "Махбуба Абдуллаева", "Абу-Даби"), ("tg", "Маҳбуба Абдуллаева", "Абу-Дабӣ")]
    {
        let text = project.pdf(REFERENCE, lang).text();
        assert!(text.contains(contact), "{lang}: `{contact}` missing in\n{text}");
        assert!(text.contains(place), "{lang}: `{place}` broken in\n{text}");
    }
    let tajik = project.pdf(REFERENCE, "tg").text();
    for letter in ['ғ', 'ӣ', 'қ', 'ӯ', 'ҳ', 'ҷ'] {
        assert!(tajik.contains(letter), "the Tajik PDF lacks {letter}");
    }
}

#[test]
fn build_can_select_languages_and_output_folder() {
    let project = Project::reference();
    let out = project.file("elsewhere");
    project.run(&["build", REFERENCE, "--lang", "ru", "--out", out.to_str().unwrap()]).success();
    assert!(out.join(format!("{REFERENCE}.ru.pdf")).is_file());
    assert!(!out.join(format!("{REFERENCE}.en.pdf")).exists());
    assert!(!project.file("out").exists());
}

#[test]
fn every_usage_error_exits_with_2() {
    let project = Project::reference();
    for args in [
        &["build", "--no-such-flag"][..],
        &["build", "--lang", "fr"],
        &["build", "no-such-release"],
        &["new", "x", "--date", "2015-13-01"],
        &["l10n", "accept", "en"],
        &["build", "--draft", "--sign"],
    ] {
        let run = project.run(args);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stderr());
    }
    // Problems in the sources are not usage errors.
    project.write("releases/2015-03-12-x.toml", "date = 2015-03-12\n");
    assert_eq!(project.run(&["build"]).code(), 1);
}

#[test]
fn unknown_or_unsafe_release_ids_are_refused() {
    let project = Project::reference();
    let run = project.run(&["build", "no-such-release"]);
    assert_eq!(run.code(), 2, "a usage error");
    assert!(run.stderr().contains("there is no release `no-such-release`"), "{}", run.stderr());

    let run = project.run(&["build", "../../etc/passwd"]);
    assert_eq!(run.code(), 2, "a usage error");
    assert!(run.stderr().contains("is not a release id"), "{}", run.stderr());
    assert!(!project.file("out").exists(), "nothing is written");
}

#[test]
fn missing_translation_fails_that_language_only_and_names_it() {
    let project = Project::reference();
    let path = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&path);
    let without_background = text.split("\nbackground =").next().unwrap().to_owned();
    project.write(&path, &without_background);

    let run = project.run(&["build"]);
    run.failure();
    let err = run.stderr();
    assert!(err.contains(&format!("{path} lacks: background")), "names file and message: {err}");
    assert!(err.contains("[ru]"), "names the language: {err}");
    assert!(project.file(&format!("out/{REFERENCE}.en.pdf")).is_file());
    assert!(!project.file(&format!("out/{REFERENCE}.ru.pdf")).exists());
}

/// A release using every optional field, long enough for several pages.
fn write_full_release(project: &Project) {
    project.write(
        "releases/2015-04-02-everything.toml",
        "date = 2015-04-02\nplace = \"khujand\"\nkind = \"statement\"\ncontacts = [\"press\"]\n\
         number = \"2015/014\"\nembargo = 2015-04-02T10:30:00+05:00\n",
    );
    let long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(30);
    let paragraphs = vec![format!("    {long}"); 6].join("\n\n");
    project.write(
        "locales/en/releases/2015-04-02-everything.ftl",
        &format!(
            "title = Statement on everything\nsubtitle = A subtitle\nbody =\n{paragraphs}\n\n    1. first\n    2. second\n\
             notes =\n    The note for editors.\n"
        ),
    );
    project.write(
        "locales/ru/releases/2015-04-02-everything.ftl",
        &format!(
            "title = Заявление обо всём\nsubtitle = Подзаголовок\nbody =\n{paragraphs}\n\
             notes =\n    Примечание для редакторов.\n"
        ),
    );
}

#[test]
fn optional_fields_show_and_long_releases_get_page_numbers() {
    let project = Project::reference();
    write_full_release(&project);
    project.run(&["build", "2015-04-02-everything", "--lang", "en", "--lang", "ru"]).success();

    let en = project.pdf("2015-04-02-everything", "en");
    let text = en.text();
    assert!(en.pages() >= 3, "{} pages", en.pages());
    for phrase in [
        "Ref. 2015/014",
        "Embargoed until 2 April 2015 at 10:30 (UTC+05:00)",
        "A subtitle",
        "NOTES TO EDITORS",
        "The note for editors.",
        "STATEMENT",
        "KHUJAND, 2 April 2015",
        &format!("Page 1 of {}", en.pages()),
        &format!("Page {0} of {0}", en.pages()),
    ] {
        assert!(text.contains(phrase), "en: `{phrase}` missing in\n{text}");
    }

    let ru = project.pdf("2015-04-02-everything", "ru").text();
    for phrase in ["Не для публикации до 2 апреля 2015", "ЗАЯВЛЕНИЕ", "ХУДЖАНД", "Страница 1 из"]
    {
        assert!(ru.contains(phrase), "ru: `{phrase}` missing in\n{ru}");
    }
}

#[test]
fn draft_builds_show_source_text_marked_under_a_draft_mark() {
    let project = Project::reference();
    write_full_release(&project);
    // No Tajik text at all: the final build refuses, the draft builds.
    let run = project.run(&["build", "2015-04-02-everything", "--lang", "tg"]);
    run.failure();
    assert!(run.stderr().contains("does not exist yet: title, subtitle, body"), "{}", run.stderr());

    project.run(&["build", "2015-04-02-everything", "--lang", "tg", "--draft"]).success();
    let text = project.draft("2015-04-02-everything", "tg").text();
    assert!(text.contains("Statement on everything"), "source text stands in:\n{text}");
    assert!(text.contains("Тарҷума нашудааст"), "marked as untranslated:\n{text}");
    assert!(text.contains("ЛОИҲА"), "draft mark:\n{text}");
    assert!(text.contains("ИЗҲОРОТ"), "office words stay Tajik:\n{text}");
    // Dates as Tajik writes them (its own `date-long` and `date-time`).
    for phrase in ["ХУҶАНД, 2 апрели 2015", "То 2 апрели 2015, соати 10:30 ("]
    {
        assert!(text.contains(phrase), "`{phrase}` missing in\n{text}");
    }
}

#[test]
fn a_second_build_skips_what_is_up_to_date() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let run = project.run(&["build"]);
    run.success();
    assert!(run.stdout().contains("3 PDF(s) up to date"), "{}", run.stdout());
    assert!(!run.stdout().contains("wrote"), "{}", run.stdout());

    // A Russian edit rebuilds the Russian PDF only.
    let path = format!("locales/ru/releases/{REFERENCE}.ftl");
    let text = project.read(&path);
    project.write(&path, &text.replace("Сегодня в Душанбе", "Сегодня в городе Душанбе"));
    let run = project.run(&["build", "-v"]);
    run.success();
    let out = run.stdout();
    assert!(out.contains(&format!("wrote out/{REFERENCE}.ru.pdf (2 pages) in ")), "{out}");
    assert!(out.contains(" ms\n"), "-v gives each PDF's time: {out}");
    let skipped = format!("up to date: out/{REFERENCE}.en.pdf (same sources, unchanged on disk)");
    assert!(out.contains(&skipped), "-v names what it skipped: {out}");
    assert!(out.contains("2 PDF(s) up to date"), "{out}");

    // A deleted PDF is rebuilt; --force rebuilds everything.
    std::fs::remove_file(project.file(&format!("out/{REFERENCE}.tg.pdf"))).unwrap();
    let run = project.run(&["build"]);
    assert!(run.stdout().contains(&format!("wrote out/{REFERENCE}.tg.pdf")), "{}", run.stdout());
    let run = project.run(&["build", "--force"]);
    assert_eq!(run.stdout().matches("wrote ").count(), 3, "{}", run.stdout());
}

#[test]
fn a_reader_that_stops_reading_ends_the_run_quietly() {
    // `pressroom status | head -0`: the pipe closes before pressroom writes.
    // That is the reader's choice, not a bug: exit 141 (as a process killed
    // by SIGPIPE reports), and no `error[internal]`.
    let project = Project::reference();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pressroom"))
        .arg("--root")
        .arg(project.path())
        .args(["--color", "never", "status"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error[internal]"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}

#[test]
fn the_native_editors_corrections_print() {
    let project = Project::reference();
    project.run(&["build"]).success();
    let words = |lang: &str| {
        project.pdf(REFERENCE, lang).text().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let ru = words("ru");
    for phrase in [
        "в контексте борьбы с незаконным оборотом",
        "Стратегия нового партнёрства",
        "и его результаты будут учтены в ходе этого пересмотра",
    ] {
        assert!(ru.contains(phrase), "ru: `{phrase}` missing in\n{ru}");
    }
    assert!(!ru.contains("г-жа"), "no honorific in the contact block");
    let tg = words("tg");
    for phrase in [
        "таҳти раёсати хонум Ҳелга Шмид",
        "табодули назарро",
        "«Иттиҳоди Аврупо ва Осиёи Марказӣ: Стратегия барои шарикии нав»",
        "Ин Муколама ба баррасии ҷории",
        "дар натиҷагирии он саҳм хоҳад гузошт",
        "масъули матбуот ва иттилоот",
    ] {
        assert!(tg.contains(phrase), "tg: `{phrase}` missing in\n{tg}");
    }
    assert!(!tg.contains("корманди матбуот") && !tg.contains("раёсат намуд"));
}

//! The translators' editor's JSON API on a real `pressroom serve`: what it
//! refuses, what a save writes (that message's bytes, nothing else), the
//! conflict when the file changed on disk, drafts drawn from unsaved text,
//! and accepting a stale translation.

use serde_json::{Value, json};

use crate::serve::{Reply, Serve};
use crate::support::{Project, REFERENCE, save_by_rename};

const TG: &str = "locales/tg/releases/2015-03-11-eu-central-asia-security-dialogue.ftl";

impl Serve {
    /// A POST as the editor's page sends it, with `extra` headers, or
    /// `headers` instead of the page's own when given.
    fn post(&self, path: &str, body: &str, headers: Option<&str>) -> Reply {
        let own = format!(
            "Origin: http://127.0.0.1:{}\r\nX-Pressroom-Token: {}\r\nContent-Type: application/json",
            self.port, self.token
        );
        let headers = headers.map_or(own, str::to_owned);
        self.request(&format!(
            "POST {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n{headers}\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        ))
    }

    fn api(&self, path: &str, body: &Value) -> Reply {
        self.post(path, &body.to_string(), None)
    }

    fn message(&self, lang: &str, id: &str) -> Value {
        let reply = self.get(&format!("/api/release/{REFERENCE}/{lang}/message/{id}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()
    }
}

/// The file's text with entry `id` (its first line and the indented ones
/// after it) taken out.
fn without(text: &str, id: &str) -> String {
    let mut inside = false;
    text.split_inclusive('\n')
        .filter(|line| {
            if line.starts_with(&format!("{id} =")) {
                inside = true;
            } else if inside && !line.starts_with([' ', '\t']) {
                inside = false;
            }
            !inside
        })
        .collect()
}

#[test]
fn the_editor_api_refuses_what_is_not_the_editors_page() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let before = project.read(TG);
    let message = serve.message("tg", "title");
    let body = json!({
        "release": REFERENCE, "lang": "tg", "id": "title",
        "source": "title = Дигар", "base": message["base"],
    })
    .to_string();
    let port = serve.port;
    let token = &serve.token;
    let json = "Content-Type: application/json";
    let own_origin = format!("Origin: http://127.0.0.1:{port}");
    for (headers, status, why) in [
        (format!("{own_origin}\r\n{json}"), 403, "no token"),
        (format!("{own_origin}\r\nX-Pressroom-Token: 00{token}\r\n{json}"), 403, "a wrong token"),
        (format!("X-Pressroom-Token: {token}\r\n{json}"), 403, "no Origin"),
        (
            format!("Origin: http://evil.example\r\nX-Pressroom-Token: {token}\r\n{json}"),
            403,
            "another Origin",
        ),
        (
            format!("Origin: http://127.0.0.1:1\r\nX-Pressroom-Token: {token}\r\n{json}"),
            403,
            "another port's Origin",
        ),
        (
            format!(
                "{own_origin}\r\nSec-Fetch-Site: cross-site\r\nX-Pressroom-Token: {token}\r\n{json}"
            ),
            403,
            "another site's page",
        ),
        (
            format!("{own_origin}\r\nX-Pressroom-Token: {token}\r\nContent-Type: text/plain"),
            415,
            "a form's content type",
        ),
        (format!("{own_origin}\r\nX-Pressroom-Token: {token}"), 415, "no content type"),
    ] {
        let reply = serve.post("/api/save", &body, Some(&headers));
        assert_eq!(reply.status, status, "{why}: {}", reply.text());
        assert!(reply.header("access-control-allow-origin").is_none(), "no CORS, ever");
    }
    // Requests name a release, a language and a message, never a path.
    for (edit, status) in [
        (json!({"release": "../../etc", "lang": "tg", "id": "title", "source": "title = x"}), 404),
        (json!({"release": REFERENCE, "lang": "../en", "id": "title", "source": "title = x"}), 404),
        (json!({"release": REFERENCE, "lang": "fr", "id": "title", "source": "title = x"}), 404),
        (json!({"release": REFERENCE, "lang": "tg", "id": "../x", "source": "title = x"}), 404),
        (json!({"release": REFERENCE, "lang": "tg", "id": "title", "path": "/etc/passwd"}), 400),
        (json!({"release": REFERENCE, "lang": "en", "id": "title", "source": "title = x"}), 403),
    ] {
        let reply = serve.api("/api/save", &edit);
        assert_eq!(reply.status, status, "{edit}: {}", reply.text());
    }
    assert_eq!(serve.post("/api/save", "{not json", None).status, 400);
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(2 << 20));
    assert_eq!(serve.post("/api/draft", &huge, None).status, 413, "over a megabyte");
    assert_eq!(project.read(TG), before, "nothing was written");
    assert_eq!(
        project.read("locales/en/office.ftl"),
        Project::reference().read("locales/en/office.ftl")
    );
    assert_eq!(serve.running.stop(), 0);

    // --read-only: the editor shows, and writes nothing.
    let serve = Serve::start(&project, &["--read-only"]);
    let messages = serve.get(&format!("/api/release/{REFERENCE}/tg/messages")).json();
    assert_eq!(messages["editable"], false);
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title", "source": "title = x",
                      "base": messages["messages"][0]["base"]});
    let reply = serve.api("/api/save", &edit);
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert!(reply.text().contains("--read-only"));
    assert_eq!(project.read(TG), before);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_save_writes_only_that_message_and_a_changed_file_is_a_conflict() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let before = project.read(TG);
    let message = serve.message("tg", "title");
    assert_eq!(message["state"], "current");
    assert_eq!(message["file"], TG);
    assert!(message["source"].as_str().unwrap().starts_with("title = Dushanbe hosts"));
    // Typed braces are text, never Fluent syntax.
    let typed = "Дар Душанбе {нав} Муколама";
    let fields =
        json!({"id": "title", "value": [{"kind": "text", "text": typed}], "attributes": []});
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "fields": fields, "base": message["base"]});
    let reply = serve.api("/api/save", &edit);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let saved = project.read(TG);
    assert_eq!(without(&saved, "title"), without(&before, "title"), "only `title` changed");
    assert!(saved.starts_with("title = Дар Душанбе {\"{\"}нав{\"}\"} Муколама\n"), "{saved}");
    let back = serve.message("tg", "title");
    assert_eq!(back["fields"]["value"][0]["text"], typed, "reads back as typed");
    assert_eq!(back["base"], reply.json()["base"]);

    // The same base again: the file has changed since, so nothing is written
    // and both versions come back.
    let stale_base = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                            "source": "title = Бори дигар", "base": message["base"]});
    let conflict = serve.api("/api/save", &stale_base);
    assert_eq!(conflict.status, 409, "{}", conflict.text());
    let conflict = conflict.json();
    assert!(conflict["disk"].as_str().unwrap().contains("нав"), "{conflict}");
    assert_eq!(conflict["yours"], "title = Бори дигар\n");
    assert_eq!(project.read(TG), saved, "nothing lost");

    // A text editor saves behind the editor's back: refused likewise.
    let elsewhere = saved.replace("Муколама\n", "Муколама!\n");
    save_by_rename(&project, TG, &elsewhere);
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "body",
                      "source": "body = x", "base": back["base"]});
    assert_eq!(serve.api("/api/save", &edit).status, 409);
    assert_eq!(project.read(TG), elsewhere);

    // Broken Fluent is never written.
    let base = serve.message("tg", "title")["base"].clone();
    let broken = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                        "source": "title = Муколама { -eu", "base": base});
    let reply = serve.api("/api/save", &broken);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(project.read(TG), elsewhere);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_draft_is_drawn_from_unsaved_text_with_its_findings() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    serve.open(REFERENCE, 3);
    let before = project.read(TG);
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "source": "title = Дар Душанбе Муколамаи сатҳи баланди ИА — Осиёи Марказӣ оид ба масъалаҳои амният оғоз ёфт"});
    let reply = serve.api("/api/draft", &edit);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let draft = reply.json();
    assert_eq!(draft["unsaved"], true);
    assert_eq!(draft["findings"], json!([]), "{draft}");
    let page = &draft["pages"][0];
    assert!(page["text"].as_str().unwrap().contains("масъалаҳои амният оғоз ёфт"), "{page}");
    assert!(page["regions"].as_array().unwrap().iter().any(|r| r["msg"] == "title"));
    let svg = serve.get(page["src"].as_str().unwrap());
    assert_eq!(svg.status, 200, "the draft's pages are served");
    assert_eq!(project.read(TG), before, "a draft writes nothing");

    // A broken placeable: the parser's finding, and no pages.
    let broken = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                        "source": "title = Сарлавҳа { -eu"});
    let draft = serve.api("/api/draft", &broken).json();
    let finding = &draft["findings"][0];
    assert_eq!(finding["severity"], "error", "{draft}");
    assert_eq!(finding["file"], TG);
    assert_eq!(draft["fields"], Value::Null, "broken source has no fields");
    // A term the source does not use: check's finding, before any save.
    let extra = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                       "fields": {"id": "title", "attributes": [],
                                  "value": [{"kind": "text", "text": "Сарлавҳа "},
                                            {"kind": "chip", "expr": "-eu"}]}});
    let draft = serve.api("/api/draft", &extra).json();
    assert!(
        draft["findings"].as_array().unwrap().iter().any(|f| f["code"] == "term-references"),
        "{draft}"
    );
    assert_eq!(draft["entry"], "title = Сарлавҳа { -eu }\n");
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn messages_show_the_languages_plural_categories_and_stale_ones_can_be_accepted() {
    let project = Project::reference();
    // An English message with a plural choice, not yet translated.
    let office = project.read("locales/en/office.ftl");
    project.write(
        "locales/en/office.ftl",
        &format!(
            "{office}\nlabel-attachments =\n    {{ $count ->\n        [one] One attachment\n       *[other] {{ $count }} attachments\n    }}\n"
        ),
    );
    let serve = Serve::start(&project, &[]);
    let keys = |lang: &str| -> Vec<String> {
        let message = serve.message(lang, "label-attachments");
        assert_eq!(message["state"], "missing", "{message}");
        let select = &message["fields"]["value"][0];
        assert_eq!(select["kind"], "select", "{message}");
        select["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["key"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(keys("ru"), ["one", "few", "many", "other"]);
    assert_eq!(keys("tg"), ["one", "other"]);

    // Saving a missing office word appends it to the language's office.ftl.
    let ru_office = project.read("locales/ru/office.ftl");
    let base = serve.message("ru", "label-attachments")["base"].clone();
    let variants: Vec<Value> = [
        ("one", "вложение"),
        ("few", "вложения"),
        ("many", "вложений"),
        ("other", "вложения"),
    ]
    .into_iter()
    .map(|(key, word)| {
            json!({"key": key, "default": key == "other",
                   "value": [{"kind": "chip", "expr": "$count"}, {"kind": "text", "text": format!(" {word}")}]})
        })
        .collect();
    let fields = json!({"id": "label-attachments", "attributes": [],
                        "value": [{"kind": "select", "selector": "$count", "plural": true, "variants": variants}]});
    let edit = json!({"release": REFERENCE, "lang": "ru", "id": "label-attachments",
                      "fields": fields, "base": base});
    let reply = serve.api("/api/save", &edit);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let saved = project.read("locales/ru/office.ftl");
    assert!(saved.starts_with(&ru_office), "the rest of the file is as it was");
    assert!(saved[ru_office.len()..].contains("[few] { $count } вложения"), "{saved}");
    assert_eq!(serve.message("ru", "label-attachments")["state"], "current");
    assert_eq!(serve.running.stop(), 0);

    // The English title changes: the Tajik one is stale until accepted.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let english = project.read(&en);
    let changed = english.replacen("Dushanbe hosts", "Dushanbe hosted", 1);
    assert_ne!(changed, english);
    project.write(&en, &changed);
    let serve = Serve::start(&project, &[]);
    let stale = serve.message("tg", "title");
    assert_eq!(stale["state"], "stale");
    // What changed in the English since the translation was made.
    assert!(stale["made_from"].as_str().unwrap().starts_with("title = Dushanbe hosts EU"));
    let changes: Vec<(String, String)> = stale["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|run| run["op"] != "same")
        .map(|run| {
            (run["op"].as_str().unwrap().to_owned(), run["text"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        changes,
        [("removed".to_owned(), "hosts".to_owned()), ("added".to_owned(), "hosted".to_owned())]
    );
    let accept = json!({"release": REFERENCE, "lang": "tg", "id": "title"});
    let reply = serve.api("/api/accept", &accept);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(serve.message("tg", "title")["state"], "current");
    assert_eq!(serve.message("ru", "title")["state"], "stale", "only that language");
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_saved_translation_is_made_from_todays_source() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let message = serve.message("tg", "background");
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "background",
                      "source": "background = Маълумоти нав", "base": message["base"]});
    assert_eq!(serve.api("/api/save", &edit).status, 200);
    // The state records the save: when the English changes afterwards, the
    // new translation is stale, and the diff is against what it was made from.
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let english = project.read(&en);
    let changed = english.replacen("shared interest", "common interest", 1);
    assert_ne!(changed, english);
    save_by_rename(&project, &en, &changed);
    let stale = serve.message("tg", "background");
    assert_eq!(stale["state"], "stale", "{stale}");
    let removed: Vec<&str> = stale["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|run| run["op"] == "removed")
        .map(|run| run["text"].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["shared"]);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_line_break_typed_into_a_title_never_becomes_an_e_mail_header() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let before = project.read(TG);
    let message = serve.message("tg", "title");
    let typed = "Муколамаи амниятӣ\nBcc: someone@elsewhere.example";
    let fields =
        json!({"id": "title", "value": [{"kind": "text", "text": typed}], "attributes": []});
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "fields": fields, "base": message["base"]});
    // As the translator types: a finding, in place.
    let draft = serve.api("/api/draft", &edit).json();
    assert!(
        draft["findings"].as_array().unwrap().iter().any(|f| f["code"] == "one-line"),
        "{draft}"
    );
    // Saved: refused, nothing written.
    let reply = serve.api("/api/save", &edit);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("runs over several lines"), "{}", reply.text());
    assert_eq!(project.read(TG), before, "nothing written");
    // A control character (a vertical tab) likewise.
    let fields = json!({"id": "title", "value": [{"kind": "text", "text": "Муколама\u{b}"}], "attributes": []});
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "fields": fields, "base": message["base"]});
    assert_eq!(serve.api("/api/save", &edit).status, 422);
    assert_eq!(project.read(TG), before);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_placeable_nested_200000_deep_is_refused_and_the_editor_lives_on() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let before = project.read(TG);
    let base = serve.message("tg", "title")["base"].clone();
    let deep = format!("title = {}", "{".repeat(200_000));
    let draft = json!({"release": REFERENCE, "lang": "tg", "id": "title", "source": deep});
    let reply = serve.api("/api/draft", &draft);
    assert!(reply.status == 200 || reply.status == 422, "{}", reply.status);
    assert!(
        reply.text().contains("nested more than 64 deep"),
        "{}",
        &reply.text()[..reply.text().len().min(2000)]
    );
    let save =
        json!({"release": REFERENCE, "lang": "tg", "id": "title", "source": deep, "base": base});
    assert_eq!(serve.api("/api/save", &save).status, 422);
    // Through the fields too: a chip holding nested calls.
    let chips = format!("{}$n{}", "NUMBER(".repeat(100_000), ")".repeat(100_000));
    let fields = json!({"id": "title", "attributes": [],
                        "value": [{"kind": "chip", "expr": chips}]});
    let save =
        json!({"release": REFERENCE, "lang": "tg", "id": "title", "fields": fields, "base": base});
    assert_eq!(serve.api("/api/save", &save).status, 422);
    assert_eq!(project.read(TG), before, "nothing written");
    // Still serving.
    assert_eq!(serve.message("tg", "title")["id"], "title");
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_save_never_writes_through_a_folder_linked_out_of_the_project() {
    let project = Project::reference();
    let outside = tempfile::tempdir().unwrap();
    let releases = project.file("locales/tg/releases");
    let moved = outside.path().join("releases");
    std::fs::rename(&releases, &moved).unwrap();
    std::os::unix::fs::symlink(&moved, &releases).unwrap();
    let before = std::fs::read_to_string(moved.join(format!("{REFERENCE}.ftl"))).unwrap();
    let serve = Serve::start(&project, &[]);
    let message = serve.message("tg", "title");
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "source": "title = Навиштан берун аз лоиҳа", "base": message["base"]});
    let reply = serve.api("/api/save", &edit);
    assert_eq!(reply.status, 403, "{}", reply.text());
    assert!(reply.text().contains("leads outside the project"), "{}", reply.text());
    let after = std::fs::read_to_string(moved.join(format!("{REFERENCE}.ftl"))).unwrap();
    assert_eq!(after, before, "nothing written outside");
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn only_the_editors_own_scripts_run_on_its_origin_and_only_its_token_is_kept() {
    let project = Project::reference();
    project.write("layouts/letterhead/web/steal.js", "fetch('/api/save', {method: 'POST'});\n");
    project.write(
        "layouts/letterhead/web/steal.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n",
    );
    let serve = Serve::start(&project, &[]);
    // A layout's script is served as text: no browser runs it (nosniff).
    let script = serve.get("/web/steal.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.header("Content-Type"), Some("text/plain; charset=utf-8"));
    assert_eq!(script.header("X-Content-Type-Options"), Some("nosniff"));
    // Opened by itself, a layout's file runs sandboxed: no storage, no token.
    let svg = serve.get("/web/steal.svg");
    assert!(svg.header("Content-Security-Policy").is_some_and(|csp| csp.starts_with("sandbox")));
    // The editor's own script is the editor's.
    assert_eq!(
        serve.get("/assets/editor.js").header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );

    // The page keeps a token from its address only when the server marks
    // it as this launch's: another site's link with another token cannot
    // replace the one a tab holds.
    let ours = serve.get(&format!("/?token={}", serve.token));
    assert!(ours.text().contains("<body data-token=\"valid\""), "{}", ours.text());
    let other = serve.get("/?token=0123456789abcdef0123456789abcdef");
    assert!(!other.text().contains("data-token=\"valid\""), "{}", other.text());
    let release = serve.get(&format!("/release/{REFERENCE}?token={}", serve.token));
    assert!(release.text().contains("data-token=\"valid\""));
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_source_save_is_exactly_the_one_entry_named_and_a_stub_is_replaced() {
    let project = Project::reference();
    project.run(&["lang", "add", "fr"]).success();
    let serve = Serve::start(&project, &[]);
    let before = project.read(TG);
    let base = serve.message("tg", "title")["base"].clone();
    // A second entry riding along: refused, nothing written.
    let two = json!({"release": REFERENCE, "lang": "tg", "id": "title", "base": base,
                     "source": "title = Сарлавҳа\nbody = Матни дигар\n"});
    let reply = serve.api("/api/save", &two);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("the one message `title` and nothing else"), "{}", reply.text());
    let other = json!({"release": REFERENCE, "lang": "tg", "id": "title", "base": base,
                       "source": "body = Матни дигар\n"});
    assert_eq!(serve.api("/api/save", &other).status, 422, "another entry than the one named");
    assert_eq!(project.read(TG), before);

    // Unchanged fields: the entry stays byte for byte.
    let message = serve.message("tg", "body");
    let same = json!({"release": REFERENCE, "lang": "tg", "id": "body",
                      "fields": message["fields"], "base": message["base"]});
    assert_eq!(serve.api("/api/save", &same).status, 200);
    assert_eq!(project.read(TG), before, "an unchanged save changes nothing");

    // A new language's stub: the translation takes the commented entry's place.
    let fr = format!("locales/fr/releases/{REFERENCE}.ftl");
    let stub = project.read(&fr);
    assert!(stub.contains("# title = "), "{stub}");
    let base = serve.message("fr", "title")["base"].clone();
    let save = json!({"release": REFERENCE, "lang": "fr", "id": "title", "base": base,
                      "source": "title = Douchanbé accueille le dialogue"});
    assert_eq!(serve.api("/api/save", &save).status, 200);
    let saved = project.read(&fr);
    assert!(saved.contains("title = Douchanbé accueille le dialogue\n"), "{saved}");
    assert!(!saved.contains("# title = "), "the stub is replaced: {saved}");
    assert!(saved.contains("# body ="), "the other stubs stay: {saved}");
    assert_eq!(serve.running.stop(), 0);
}

/// Every field the editor API answers with is named in the guide's API
/// page: the types and the documentation cannot drift apart unseen.
#[test]
fn the_guide_names_every_field_the_api_answers_with() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let guide =
        std::fs::read_to_string(crate::support::repo().join("guide/src/office-it/api.md")).unwrap();
    let mut answers: Vec<(String, Value)> = Vec::new();
    for path in [
        "/api/releases".to_owned(),
        format!("/api/release/{REFERENCE}/tg/messages"),
        format!("/api/release/{REFERENCE}/tg/message/title"),
    ] {
        answers.push((path.clone(), serve.get(&path).json()));
    }
    let message = serve.message("tg", "title");
    let draft =
        json!({"release": REFERENCE, "lang": "tg", "id": "title", "source": "title = Муколама"});
    answers.push(("/api/draft".into(), serve.api("/api/draft", &draft).json()));
    let save = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "source": "title = Муколама", "base": message["base"]});
    answers.push(("/api/save".into(), serve.api("/api/save", &save).json()));
    let stale = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                       "source": "title = Бори дигар", "base": message["base"]});
    answers.push(("409 /api/save".into(), serve.api("/api/save", &stale).json()));
    fn keys(value: &Value, out: &mut std::collections::BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    out.insert(key.clone());
                    // A release's outputs are keyed by language, not field names.
                    if key != "outputs" {
                        keys(inner, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| keys(i, out)),
            _ => {}
        }
    }
    for (path, answer) in &answers {
        let mut found = std::collections::BTreeSet::new();
        keys(answer, &mut found);
        assert!(!found.is_empty(), "{path}: {answer}");
        for key in found {
            let named = guide.contains(&format!("{key},"))
                || guide.contains(&format!("{key}}}"))
                || guide.contains(&format!("{{{key}"))
                || guide.contains(&format!("`{key}`"))
                || guide.contains(&format!(" {key}:"));
            assert!(
                named,
                "{path} answers with `{key}`, which guide/src/office-it/api.md never names"
            );
        }
    }
}

/// A copy of the shipped project under review before print, committed to
/// git with `name` as the person at this machine.
fn reviewed(name: &str) -> Project {
    let project = Project::reference();
    let config = project.read("pressroom.toml");
    project.write("pressroom.toml", &format!("{config}\n[review]\nrequired = true\n"));
    let repo = git2::Repository::init(project.path()).unwrap();
    repo.config().unwrap().set_str("user.name", name).unwrap();
    repo.config().unwrap().set_str("user.email", "reviewer@example.eu").unwrap();
    project
}

fn be(project: &Project, name: &str) {
    let repo = git2::Repository::open(project.path()).unwrap();
    repo.config().unwrap().set_str("user.name", name).unwrap();
}

#[test]
fn a_final_waits_for_approval_and_drafts_show_what_is_unapproved() {
    let project = reviewed("Rustam");
    let refused = project.run(&["build", "--lang", "tg"]);
    assert_eq!(refused.0.status.code(), Some(1), "{}", refused.stderr());
    let err = refused.stderr();
    assert!(err.contains("unreviewed-translation"), "{err}");
    assert!(err.contains("the translation of `title` is not approved yet"), "{err}");
    assert!(err.contains(&format!("locales/tg/releases/{REFERENCE}.ftl")), "{err}");
    assert!(!project.file(&format!("out/{REFERENCE}.tg.pdf")).exists());
    // A draft builds, the unapproved text marked as such.
    assert!(project.run(&["build", "--draft", "--lang", "tg"]).0.status.success());
    let draft = project.draft(REFERENCE, "tg").text();
    assert!(draft.contains("Тарҷума ҳанӯз тасдиқ нашудааст"), "the mark: {draft}");
    let status = project.run(&["status"]).stdout();
    assert!(status.contains("to review"), "{status}");
    let check = project.run(&["check", "--format", "json"]).stdout();
    assert!(check.contains("\"code\": \"unreviewed-translation\""), "{check}");

    let approved = project.run(&["l10n", "approve", "tg"]);
    assert!(approved.0.status.success(), "{}", approved.stderr());
    assert!(approved.stdout().contains("as Rustam"), "{}", approved.stdout());
    let state = project.read("locales/tg/translation-state.toml");
    assert!(state.contains("approved-by = \"Rustam\""), "{state}");
    let built = project.run(&["build", "--lang", "tg"]);
    assert!(built.0.status.success(), "{}", built.stderr());
    assert!(project.file(&format!("out/{REFERENCE}.tg.pdf")).exists());
}

#[test]
fn nobody_approves_their_own_translation_and_an_edit_needs_approval_again() {
    let project = reviewed("Nigora");
    // Everything approved by a reviewer first.
    be(&project, "Rustam");
    assert!(project.run(&["l10n", "approve", "tg"]).0.status.success());
    assert!(project.run(&["build", "--lang", "tg"]).0.status.success());

    // Nigora edits the title in the editor: it is hers, to be approved.
    be(&project, "Nigora");
    let serve = Serve::start(&project, &[]);
    let message = serve.message("tg", "title");
    let save = json!({"release": REFERENCE, "lang": "tg", "id": "title",
                      "source": "title = Муколамаи амниятӣ дар Душанбе", "base": message["base"]});
    assert_eq!(serve.api("/api/save", &save).status, 200);
    let mine = json!({"release": REFERENCE, "lang": "tg", "id": "title"});
    let refused = serve.api("/api/approve", &mine);
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(refused.text().contains("last written by Nigora"), "{}", refused.text());
    // The reviewer reads what changed since the version approved.
    let review = &serve.message("tg", "title")["review"];
    assert_eq!(review["state"], "translated", "{review}");
    let approved_text = review["approved_text"].as_str().unwrap();
    assert!(approved_text.starts_with("title = Дар Душанбе Муколамаи"), "{review}");
    let runs = review["since_approved"].as_array().unwrap();
    let said = |op: &str| -> String {
        runs.iter().filter(|r| r["op"] == op).map(|r| r["text"].as_str().unwrap()).collect()
    };
    assert!(said("added").contains("амниятӣ"), "{review}");
    assert!(said("removed").contains("баланди"), "{review}");
    assert!(said("same").contains("Муколамаи"), "{review}");
    assert!(serve.running.stop() == 0);
    let state = project.read("locales/tg/translation-state.toml");
    assert!(state.contains("was-approved = ") && state.contains("[approved-texts]"), "{state}");

    let again = project.run(&["build", "--lang", "tg"]);
    assert_eq!(again.0.status.code(), Some(1), "an edited approved message: {}", again.stderr());
    assert!(again.stderr().contains("`title` is not approved yet"), "{}", again.stderr());
    // Her own approval from the command line is refused too; Rustam's counts.
    let own = project.run(&["l10n", "approve", "tg"]);
    assert_eq!(own.0.status.code(), Some(1));
    assert!(own.stderr().contains("four eyes"), "{}", own.stderr());
    be(&project, "Rustam");
    assert!(project.run(&["l10n", "approve", "tg"]).0.status.success());
    assert!(project.run(&["build", "--lang", "tg"]).0.status.success());
    // Approved again: nothing left to compare, the old text no longer kept.
    let state = project.read("locales/tg/translation-state.toml");
    assert!(!state.contains("was-approved"), "{state}");
    assert!(!state.contains("Дар Душанбе Муколамаи сатҳи баланди"), "{state}");
}

/// The office's terms in the editor: underlined in the English with their
/// renderings, and a translation missing one warned of before it is saved.
#[test]
fn the_editor_names_the_glossarys_terms_and_warns_of_a_missing_rendering() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let body = serve.message("tg", "body");
    let terms = body["terms"].as_array().unwrap();
    let bomca = terms.iter().find(|t| t["term"] == "BOMCA").expect("BOMCA in the body's English");
    assert_eq!(bomca["renderings"], json!(["БОМКА"]), "{bomca}");
    assert!(terms.iter().any(|t| t["term"] == "CADAP"), "{terms:?}");
    assert!(
        !body["findings"].as_array().unwrap().iter().any(|f| f["code"] == "glossary-term"),
        "the shipped translation keeps the glossary: {body}"
    );
    // The source language is not translated: no terms to show.
    assert_eq!(serve.message("en", "body")["terms"], json!([]));
    // BOMCA left out of the Tajik: warned at once, nothing written.
    let before = project.read(TG);
    let source = body["text"].as_str().unwrap().replace("БОМКА", "барномаи сарҳадӣ");
    let edit = json!({"release": REFERENCE, "lang": "tg", "id": "body", "source": source});
    let draft = serve.api("/api/draft", &edit).json();
    let warned = draft["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "glossary-term")
        .unwrap_or_else(|| panic!("{}", draft["findings"]));
    assert!(warned["message"].as_str().unwrap().contains("“БОМКА”"), "{warned}");
    assert_eq!(project.read(TG), before);
    assert_eq!(serve.running.stop(), 0);
}

/// A second release whose English repeats and rewords paragraphs of the
/// reference one: the translation memory offers the reference's Tajik.
#[test]
fn a_release_repeating_the_archives_english_gets_its_translations_as_suggestions() {
    let project = Project::reference();
    let second = "2015-06-10-second-dialogue";
    project.write(
        &format!("releases/{second}.toml"),
        "date = 2015-06-10\nplace = \"dushanbe\"\nkind = \"press-release\"\ncontacts = [\"press\"]\n",
    );
    let reference = project.read(&format!("locales/en/releases/{REFERENCE}.ftl"));
    let paragraphs = pressroom::review::memory::paragraphs(
        reference.split("\nbackground =").next().unwrap().split("body =").nth(1).unwrap(),
    );
    let repeated = &paragraphs[1];
    let reworded = paragraphs[2].replace("exchanged views", "exchanged opinions");
    project.write(
        &format!("locales/en/releases/{second}.ftl"),
        &format!(
            "title = A second dialogue\nbody =\n    {repeated}\n\n    {reworded}\n\n    Fishing quotas in the Aral Sea were not discussed at all by anyone.\n\n    {}\n",
            paragraphs[0].replace("{ -eu }", "{ -eeas }")
        ),
    );
    let serve = Serve::start(&project, &[]);
    let reply = serve.get(&format!("/api/release/{second}/tg/suggest/body"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let found = reply.json();
    let paragraphs = found["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs.len(), 4, "{found}");
    let tajik = project.read(&format!("locales/tg/releases/{REFERENCE}.ftl"));
    let first = &paragraphs[0]["suggestions"][0];
    assert_eq!(first["score"], 100, "{found}");
    assert_eq!(first["release"], REFERENCE);
    assert!(tajik.contains(first["text"].as_str().unwrap()), "{first}");
    let second_best = &paragraphs[1]["suggestions"][0];
    let score = second_best["score"].as_u64().unwrap();
    assert!((75..100).contains(&score), "{found}");
    assert!(paragraphs[2]["suggestions"].as_array().unwrap().is_empty(), "under 0.75: {found}");
    // The archive's { -eu } where this paragraph has { -eeas }: the
    // suggestion carries this paragraph's placeable.
    let fitted = paragraphs[3]["suggestions"][0]["text"].as_str().unwrap();
    assert!(fitted.contains("{ -eeas }") && !fitted.contains("{ -eu }"), "{fitted}");
    // The release being translated never suggests itself.
    let own = serve.get(&format!("/api/release/{REFERENCE}/tg/suggest/body")).json();
    assert!(
        own["paragraphs"].as_array().unwrap().iter().all(|p| p["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["release"] != REFERENCE))
    );
}

/// The memory goes out as TMX for an agency, and an agency's TMX comes in:
/// its units are suggested like the archive's own.
#[test]
fn the_memory_goes_out_and_comes_in_as_tmx() {
    let project = Project::reference();
    let exported = project.run(&["l10n", "tmx-export", "tg"]);
    assert!(exported.0.status.success(), "{}", exported.stderr());
    let tmx = exported.stdout();
    assert!(
        tmx.contains("<tmx version=\"1.4\">") && tmx.contains("<tuv xml:lang=\"tg\">"),
        "{tmx}"
    );
    assert!(tmx.contains("Муколама"), "the Tajik text: {tmx}");

    let agency = project.file("agency.tmx");
    std::fs::write(
        &agency,
        "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en-GB\"/><body>\
         <tu><tuv xml:lang=\"en-GB\"><seg>Fishing quotas in the Aral Sea were discussed at length.</seg></tuv>\
         <tuv xml:lang=\"tg-TJ\"><seg>Саҳмияҳои моҳигирӣ дар баҳри Арал муфассал муҳокима шуданд.</seg></tuv></tu>\
         </body></tmx>\n",
    )
    .unwrap();
    let imported = project.run(&["l10n", "tmx-import", "tg", agency.to_str().unwrap()]);
    assert!(imported.0.status.success(), "{}", imported.stderr());
    assert!(
        imported.stdout().contains("imported 1 unit(s) into locales/tg/memory.tmx"),
        "{}",
        imported.stdout()
    );
    let again = project.run(&["l10n", "tmx-import", "tg", agency.to_str().unwrap()]);
    assert!(again.stdout().contains("imported 0 unit(s)"), "none twice: {}", again.stdout());

    let second = "2015-06-10-second-dialogue";
    project.write(
        &format!("releases/{second}.toml"),
        "date = 2015-06-10\nplace = \"dushanbe\"\nkind = \"press-release\"\ncontacts = [\"press\"]\n",
    );
    project.write(
        &format!("locales/en/releases/{second}.ftl"),
        "title = Fish\nbody =\n    Fishing quotas in the Aral Sea were discussed at length.\n",
    );
    let serve = Serve::start(&project, &[]);
    let found = serve.get(&format!("/api/release/{second}/tg/suggest/body")).json();
    let first = &found["paragraphs"][0]["suggestions"][0];
    assert_eq!(first["score"], 100, "{found}");
    assert_eq!(first["release"], "memory.tmx");
    assert_eq!(first["text"], "Саҳмияҳои моҳигирӣ дар баҳри Арал муфассал муҳокима шуданд.");
    let broken = project.file("broken.tmx");
    std::fs::write(&broken, "<tmx><body><tu></tmx>").unwrap();
    let refused = project.run(&["l10n", "tmx-import", "tg", broken.to_str().unwrap()]);
    assert_eq!(refused.0.status.code(), Some(1), "{}", refused.stderr());
}

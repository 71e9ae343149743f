//! `pressroom serve`: the routes answered from a real server over real
//! sockets, the events a save sends, and requests that must get nothing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::{Project, REFERENCE, Running, save_by_rename};

/// A running `pressroom serve --port 0`, its port and its editor token.
pub struct Serve {
    pub running: Running,
    pub port: u16,
    pub token: String,
}

impl Serve {
    pub fn start(project: &Project, args: &[&str]) -> Self {
        let mut all = vec!["serve", "--port", "0"];
        all.extend_from_slice(args);
        let running = Running::start(project, &all);
        let seen = running.expect(|l| l.starts_with("watching"));
        let line = seen.iter().find(|l| l.starts_with("serving http://127.0.0.1:")).unwrap();
        let port = line["serving http://127.0.0.1:".len()..].split('/').next().unwrap();
        let token = line.split("?token=").nth(1).unwrap().split(' ').next().unwrap();
        Self { running, port: port.parse().unwrap(), token: token.to_owned() }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request(&format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port))
    }

    /// Sends `raw` as is and reads the whole answer.
    pub fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Opens the reference release's page as a tab does: its event stream,
    /// and its outputs once rendered (serve renders what tabs show).
    fn events(&self) -> Receiver<String> {
        self.open(REFERENCE, 3)
    }

    /// Opens release `id`'s event stream and waits until its `langs`
    /// outputs are rendered.
    pub fn open(&self, id: &str, langs: usize) -> Receiver<String> {
        let events = self.stream(&format!("/release/{id}/events"));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let state = self.get(&format!("/release/{id}/state.json"));
            let state: serde_json::Value = serde_json::from_slice(&state.body).unwrap_or_default();
            let outputs = state["outputs"].as_object().cloned().unwrap_or_default();
            let rendered = outputs.values().filter(|o| !page_urls(o).is_empty()).count();
            if rendered >= langs {
                // The first render's own events are not what a test waits for.
                std::thread::sleep(Duration::from_millis(200));
                while events.try_recv().is_ok() {}
                return events;
            }
            assert!(Instant::now() < deadline, "{id} was never rendered: {state}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Opens an event stream; each complete event arrives as one string.
    fn stream(&self, path: &str) -> Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        // HTTP/1.0: the stream comes as is, not in chunks.
        let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", self.port);
        stream.write_all(request.as_bytes()).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if line.is_empty() {
                    if !event.is_empty() && tx.send(std::mem::take(&mut event)).is_err() {
                        return;
                    }
                } else {
                    event.push_str(&line);
                    event.push('\n');
                }
            }
        });
        // The head, then `retry:`: the stream is open.
        let first = rx.recv_timeout(Duration::from_secs(20)).unwrap();
        assert!(first.starts_with("HTTP/1.0 200") || first.starts_with("HTTP/1.1 200"), "{first}");
        assert!(first.contains("text/event-stream"), "{first}");
        rx
    }
}

/// Waits for an event of `kind` whose data satisfies `pred`.
#[track_caller]
pub fn next_event(
    events: &Receiver<String>,
    kind: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(event) = events.recv_timeout(left) else { break };
        if event.starts_with(&format!("event: {kind}\n")) {
            let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
            let data: serde_json::Value = serde_json::from_str(data).unwrap();
            if pred(&data) {
                return data;
            }
        }
        seen.push(event);
    }
    panic!("no `{kind}` event came; saw:\n{}", seen.join("\n"));
}

pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn parse(bytes: &[u8]) -> Self {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
        Self { status, head, body: bytes[split + 4..].to_vec() }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }
}

/// The `src` of every page image on a release page, in document order.
fn page_sources(html: &str) -> Vec<String> {
    html.split("<img src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

pub fn page_urls(output: &serde_json::Value) -> Vec<String> {
    output["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["src"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn serves_the_index_the_release_its_pages_and_pdfs() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);

    let index = serve.get("/");
    assert_eq!(index.status, 200);
    assert_eq!(index.header("Content-Type"), Some("text/html; charset=utf-8"));
    let csp = index.header("Content-Security-Policy").unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = index.text();
    assert!(html.contains(&format!("<a href=\"/release/{REFERENCE}\">")), "{html}");
    for lang in ["ru", "tg"] {
        assert!(html.contains(&format!("data-status=\"{REFERENCE}/{lang}\">done<")), "{html}");
    }

    // Nothing is rendered until a tab shows the release.
    let state = serve.get(&format!("/release/{REFERENCE}/state.json"));
    let _events = serve.events();
    assert!(state.text().contains("\"outputs\""), "{}", state.text());
    let page = serve.get(&format!("/release/{REFERENCE}"));
    assert_eq!(page.status, 200);
    let html = page.text();
    // The source language first, then the others, each with its PDF.
    let heads: Vec<usize> = ["en", "ru", "tg"]
        .iter()
        .map(|l| html.find(&format!("<div class=\"head\" data-lang=\"{l}\">")).unwrap())
        .collect();
    assert!(heads.windows(2).all(|w| w[0] < w[1]), "columns out of order");
    // Nothing is loaded from elsewhere: every link and source is local.
    for attr in ["src=\"", "href=\""] {
        for value in html.split(attr).skip(1) {
            assert!(value.starts_with('/'), "{attr}{}", &value[..value.len().min(40)]);
        }
    }
    // Two pages in each language, row by row: en, ru, tg, en, ru, tg.
    let sources = page_sources(&html);
    assert_eq!(sources.len(), 6, "{sources:?}");
    let rows = html.matches("<div class=\"row pages\">").count();
    assert_eq!(rows, 2);

    for src in &sources {
        let svg = serve.get(src);
        assert_eq!(svg.status, 200, "{src}");
        assert_eq!(svg.header("Content-Type"), Some("image/svg+xml"));
        assert!(svg.header("Cache-Control").unwrap().contains("immutable"));
        assert!(svg.text().starts_with("<svg"), "{src}");
        // The same page as a bitmap, shown first after a change: a BMP a
        // preview column wide (0.85 px/pt of A4), rows top-down.
        let bmp = serve.get(&src.replace(".svg", ".bmp"));
        assert_eq!(bmp.status, 200, "{src}");
        assert_eq!(bmp.header("Content-Type"), Some("image/bmp"));
        assert!(bmp.header("Cache-Control").unwrap().contains("immutable"));
        assert!(bmp.body.starts_with(b"BM"), "{src}");
        let width = i32::from_le_bytes(bmp.body[18..22].try_into().unwrap());
        let height = i32::from_le_bytes(bmp.body[22..26].try_into().unwrap());
        assert_eq!((width, height), (506, -716), "{src}");
        assert_eq!(u32::from_le_bytes(bmp.body[2..6].try_into().unwrap()) as usize, bmp.body.len());
    }
    // The alternative text is the page's text, Tajik letters and all.
    assert!(html.contains("Иттиҳоди Аврупо"), "Tajik page text in alt");

    let pdf = serve.get(&format!("/release/{REFERENCE}/tg.pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("Content-Type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    let on_disk =
        std::fs::read(project.file(&crate::support::draft_path(REFERENCE, "tg"))).unwrap();
    assert_eq!(pdf.body, on_disk, "the PDF served is the draft written");

    let state = serve.get(&format!("/release/{REFERENCE}/state.json"));
    let state: serde_json::Value = serde_json::from_slice(&state.body).unwrap();
    assert_eq!(state["languages"], serde_json::json!(["en", "ru", "tg"]));
    assert_eq!(page_urls(&state["outputs"]["ru"]).len(), 2);
    for asset in ["/assets/preview.js", "/assets/preview.css"] {
        assert_eq!(serve.get(asset).status, 200, "{asset}");
    }
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn unknown_and_hostile_requests_get_nothing() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    for path in [
        "/nope",
        "/release/2099-01-01-nothing",
        "/release/2099-01-01-nothing/en.pdf",
        &format!("/release/{REFERENCE}/fr.pdf"),
        "/page/00000000000000000000000000000000.svg",
        "/../pressroom.toml",
        "/%2e%2e/pressroom.toml",
        &format!("/release/{REFERENCE}/../../pressroom.toml"),
        "/out/",
        "/layouts/letterhead/main.typ",
        "/assets/../../Cargo.toml",
    ] {
        let reply = serve.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("languages = "), "{path} leaked a file");
    }
    let post = serve.request(&format!(
        "POST / HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: 2\r\n\r\nhi",
        serve.port
    ));
    assert_eq!(post.status, 405);
    // A name rebound to 127.0.0.1 by another site gets nothing.
    let nameless = serve.request("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(nameless.status, 403, "a request naming no host");
    let rebound = serve.request("GET / HTTP/1.0\r\nHost: evil.example\r\n\r\n");
    assert_eq!(rebound.status, 403);
    // Another site's page makes the browser send the right Host: its
    // Sec-Fetch-Site or Origin gives it away, on all but the pages.
    let port = serve.port;
    let from = |path: &str, header: &str| {
        serve.request(&format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{header}\r\n\r\n"))
    };
    // Answers first, streams last: an open stream would end only at the
    // read time-out.
    for path in [
        format!("/release/{REFERENCE}/en.pdf"),
        format!("/release/{REFERENCE}/state.json"),
        "/assets/preview.js".to_owned(),
        format!("/release/{REFERENCE}/events"),
        "/events".to_owned(),
    ] {
        for header in [
            "Sec-Fetch-Site: cross-site",
            "Sec-Fetch-Site: same-site",
            "Origin: http://evil.example",
            "Origin: http://127.0.0.1:1",
            "Origin: null",
        ] {
            assert_eq!(from(&path, header).status, 403, "{path} with {header}");
        }
    }
    assert_eq!(from("/", "Sec-Fetch-Site: cross-site").status, 200, "a link may open a page");
    let own = format!("Sec-Fetch-Site: same-origin\r\nOrigin: http://127.0.0.1:{port}");
    assert_eq!(from("/assets/preview.js", &own).status, 200, "the page's own requests");

    // Garbage, a huge line, a closed-early connection: the server answers
    // or hangs up, and keeps serving.
    for raw in [
        "\u{0}\u{1}\u{2} garbage\r\n\r\n".to_owned(),
        format!("GET /{} HTTP/1.0\r\n\r\n", "a".repeat(100_000)),
        "GET / HTTP/9.9\r\n\r\n".to_owned(),
        "GET".to_owned(),
    ] {
        let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = stream.write_all(raw.as_bytes());
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = stream.read_to_end(&mut Vec::new());
    }
    assert_eq!(serve.get("/").status, 200, "still serving");
    assert_eq!(serve.running.stop(), 0);
}

#[cfg(target_os = "linux")]
#[test]
fn listens_on_loopback_only() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    // Bound to 127.0.0.1 itself, not to every address: another loopback
    // address of this machine gets no connection.
    assert!(TcpStream::connect(("127.0.0.2", serve.port)).is_err());
    assert!(TcpStream::connect(("127.0.0.1", serve.port)).is_ok());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let project = Project::reference();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = project.run(&["serve", "--port", &port]);
    run.failure();
    assert!(
        run.stderr().contains(&format!("cannot listen on 127.0.0.1, port {port}")),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--port 0"), "{}", run.stderr());
}

#[test]
fn a_save_sends_the_changed_pages_and_errors_show_until_fixed() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let events = serve.events();
    let before: serde_json::Value =
        serde_json::from_slice(&serve.get(&format!("/release/{REFERENCE}/state.json")).body)
            .unwrap();

    // A translator's edit: only the Tajik output changes.
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    save_by_rename(&project, &rel, &text.replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе"));
    let output = next_event(&events, "output", |d| d["release"] == REFERENCE);
    assert_eq!(output["lang"], "tg", "only the Tajik output was rebuilt");
    assert_eq!(output["errors"], serde_json::json!([]));
    let new = page_urls(&output);
    let old = page_urls(&before["outputs"]["tg"]);
    assert_ne!(new[0], old[0], "the edited page has a new URL");
    assert!(output["pages"][0]["text"].as_str().unwrap().contains("Имрӯз дар шаҳри Душанбе"));
    let svg = serve.get(&new[0]);
    assert_eq!(svg.status, 200);
    assert!(svg.text().starts_with("<svg"));
    let settled = next_event(&events, "settled", |_| true);
    assert!(settled["status"].as_array().unwrap().iter().any(|r| r["lang"] == "tg"));

    // A syntax error: an event names the file and line; the last good
    // pages stay.
    let ru = format!("locales/ru/releases/{REFERENCE}.ftl");
    let good = project.read(&ru);
    save_by_rename(&project, &ru, &good.replacen("title =", "title", 1));
    let failed = next_event(&events, "output", |d| d["lang"] == "ru");
    let errors = failed["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{failed}");
    assert_eq!(errors[0]["file"], ru.as_str(), "{failed}");
    assert_eq!(errors[0]["line"], 1, "{failed}");
    assert!(errors[0]["text"].as_str().unwrap().contains(&format!("{ru}:1:")), "{failed}");
    assert_eq!(page_urls(&failed), page_urls(&before["outputs"]["ru"]), "last good pages kept");
    let page = serve.get(&format!("/release/{REFERENCE}")).text();
    assert!(page.contains(&format!("\"file\":\"{ru}\"")), "the page loads with the error");

    // Fixed: the errors clear.
    save_by_rename(&project, &ru, &good);
    let fixed = next_event(&events, "output", |d| d["lang"] == "ru");
    assert_eq!(fixed["errors"], serde_json::json!([]));
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_broken_release_file_shows_on_its_page() {
    let project = Project::reference();
    let serve = Serve::start(&project, &["--lang", "tg"]);
    // --lang tg: English and Tajik, side by side.
    let html = serve.get(&format!("/release/{REFERENCE}")).text();
    assert!(html.contains("data-lang=\"en\"") && html.contains("data-lang=\"tg\""));
    assert!(!html.contains("data-lang=\"ru\""));

    let events = serve.open(REFERENCE, 2);
    let rel = format!("releases/{REFERENCE}.toml");
    let good = project.read(&rel);
    save_by_rename(&project, &rel, &good.replacen("date = ", "date = = ", 1));
    let settled = next_event(&events, "settled", |d| !d["problems"].as_array().unwrap().is_empty());
    let problem = &settled["problems"][0];
    assert_eq!(problem["file"], rel.as_str(), "{settled}");
    assert_eq!(problem["release"], REFERENCE, "{settled}");
    save_by_rename(&project, &rel, &good);
    next_event(&events, "settled", |d| d["problems"].as_array().unwrap().is_empty());
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn releases_added_and_deleted_while_serving_come_and_go() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let events = serve.events();
    let id = "2015-03-12-second";
    for (from, to) in [
        (format!("releases/{REFERENCE}.toml"), format!("releases/{id}.toml")),
        (format!("locales/en/releases/{REFERENCE}.ftl"), format!("locales/en/releases/{id}.ftl")),
        (format!("locales/ru/releases/{REFERENCE}.ftl"), format!("locales/ru/releases/{id}.ftl")),
        (format!("locales/tg/releases/{REFERENCE}.ftl"), format!("locales/tg/releases/{id}.ftl")),
    ] {
        project.write(&to, &project.read(&from));
    }
    next_event(&events, "settled", |d| {
        d["status"].as_array().unwrap().iter().any(|r| r["release"] == id)
    });
    // Rendered once a tab opens it.
    let _second = serve.open(id, 3);
    assert!(serve.get("/").text().contains(&format!("href=\"/release/{id}\"")));
    assert_eq!(serve.get(&format!("/release/{id}")).status, 200);

    std::fs::remove_file(project.file(&format!("releases/{id}.toml"))).unwrap();
    next_event(&events, "settled", |d| {
        d["status"].as_array().unwrap().iter().all(|r| r["release"] != id)
    });
    assert_eq!(serve.get(&format!("/release/{id}")).status, 404);
    assert_eq!(serve.get(&format!("/release/{id}/en.pdf")).status, 404);
    assert!(!serve.get("/").text().contains(id));
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn an_untranslated_message_shows_the_source_marked_and_counts_as_missing() {
    let project = Project::reference();
    let serve = Serve::start(&project, &["--lang", "tg"]);
    let events = serve.open(REFERENCE, 2);
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    let title = text.lines().next().unwrap();
    assert!(title.starts_with("title = "));
    save_by_rename(&project, &rel, &text.replacen(title, "", 1));
    let output = next_event(&events, "output", |d| d["lang"] == "tg");
    let first = output["pages"][0]["text"].as_str().unwrap();
    assert!(
        first.contains("Dushanbe hosts EU-Central Asia High Level Security Dialogue"),
        "{first}"
    );
    assert!(first.contains("Тарҷума нашудааст"), "the stand-in is labelled: {first}");
    let settled = next_event(&events, "settled", |_| true);
    let row = settled["status"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["release"] == REFERENCE && r["lang"] == "tg")
        .unwrap()
        .clone();
    assert_eq!(row["label"], "missing 1", "{row}");
    assert!(serve.get("/").text().contains(&format!("data-status=\"{REFERENCE}/tg\">missing 1<")));
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_broken_pressroom_toml_stays_on_the_page_until_it_loads() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let events = serve.events();
    let good = project.read("pressroom.toml");
    save_by_rename(
        &project,
        "pressroom.toml",
        &good.replacen("languages = [", "languages = [[", 1),
    );
    let has_config_problem = |d: &serde_json::Value| {
        d["problems"].as_array().unwrap().iter().any(|p| p["file"] == "pressroom.toml")
    };
    next_event(&events, "settled", has_config_problem);
    // An unrelated save builds with the last good configuration; the
    // problem is still shown.
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    save_by_rename(&project, &rel, &text.replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе"));
    next_event(&events, "output", |d| d["lang"] == "tg" && d["errors"] == serde_json::json!([]));
    let settled = next_event(&events, "settled", |_| true);
    assert!(has_config_problem(&settled), "{settled}");
    save_by_rename(&project, "pressroom.toml", &good);
    next_event(&events, "settled", |d| d["problems"].as_array().unwrap().is_empty());
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn only_releases_someone_looks_at_are_rendered_and_kept() {
    let project = Project::reference();
    // An archive of eleven releases.
    let ids: Vec<String> = (0..10).map(|i| format!("2015-03-{:02}-copy", 12 + i)).collect();
    for id in &ids {
        for (from, to) in [
            (format!("releases/{REFERENCE}.toml"), format!("releases/{id}.toml")),
            (
                format!("locales/en/releases/{REFERENCE}.ftl"),
                format!("locales/en/releases/{id}.ftl"),
            ),
            (
                format!("locales/ru/releases/{REFERENCE}.ftl"),
                format!("locales/ru/releases/{id}.ftl"),
            ),
            (
                format!("locales/tg/releases/{REFERENCE}.ftl"),
                format!("locales/tg/releases/{id}.ftl"),
            ),
        ] {
            project.write(&to, &project.read(&from));
        }
    }
    let serve = Serve::start(&project, &[]);
    // The index comes from translation status alone: nothing is rendered.
    assert!(serve.get("/").text().contains(&format!("href=\"/release/{}\"", ids[9])));
    assert!(!project.file("out/drafts").exists(), "rendered before anyone looked");

    // A tab opens one release: it alone is rendered.
    let first = serve.open(&ids[0], 3);
    assert!(project.file(&crate::support::draft_path(&ids[0], "tg")).is_file());
    assert!(!project.file(&crate::support::draft_path(&ids[1], "tg")).exists());
    drop(first);

    // Nine more are looked at in turn: the first, shown by no tab and the
    // least recent, lets go of its pages (at most eight such are kept).
    for id in &ids[1..] {
        drop(serve.open(id, 3));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let state = serve.get(&format!("/release/{}/state.json", ids[0]));
        let state: serde_json::Value = serde_json::from_slice(&state.body).unwrap();
        if state["outputs"]["tg"]["pages"].as_array().is_none_or(|p| p.is_empty()) {
            break;
        }
        assert!(Instant::now() < deadline, "the first release's pages were never let go");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn serves_the_web_edition_as_publish_would_write_it_from_the_sources_as_they_stand() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let events = serve.events();

    // The release's page links each language's web page.
    let page = serve.get(&format!("/release/{REFERENCE}")).text();
    let web = format!("/web/tg/{REFERENCE}.html");
    assert!(page.contains(&format!("href=\"{web}\"")), "{page}");
    let moved = serve.get("/web");
    assert_eq!(moved.status, 308);
    assert_eq!(moved.header("Location"), Some("/web/"));

    // The Tajik page: the published template, the draft's text, the PDF
    // linked beside it (the preview's own, with its size), kept live.
    let tg = serve.get(&web);
    assert_eq!(tg.status, 200, "{}", tg.text());
    assert_eq!(tg.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(tg.header("Content-Security-Policy").unwrap().contains("script-src 'self'"));
    let html = tg.text();
    assert!(html.contains("<html lang=\"tg\" dir=\"ltr\">"), "{html}");
    assert!(html.contains("<article class=\"release\">"), "{html}");
    assert!(html.contains("Имрӯз дар Душанбе"), "{html}");
    assert!(html.contains(&format!(
        "<link rel=\"canonical\" href=\"https://www.eeas.europa.eu/delegations/tajikistan/press/tg/{REFERENCE}.html\">"
    )));
    for lang in ["en", "ru"] {
        let link = format!("<a href=\"../{lang}/{REFERENCE}.html\" hreflang=\"{lang}\"");
        assert!(html.contains(&link), "no switcher link to {lang}: {html}");
        assert_eq!(serve.get(&format!("/web/{lang}/{REFERENCE}.html")).status, 200);
    }
    assert!(
        html.contains(&format!("<script src=\"/assets/web-live.js\" data-release=\"{REFERENCE}\"")),
        "{html}"
    );
    assert_eq!(serve.get("/assets/web-live.js").status, 200);
    let pdf = serve.get(&format!("/web/tg/{REFERENCE}.tg.pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.body, serve.get(&format!("/release/{REFERENCE}/tg.pdf")).body);
    assert!(html.contains(&format!("href=\"{REFERENCE}.tg.pdf\"")), "{html}");
    // In the reader's unit (CLDR's Russian and Tajik `кБ`).
    let size = format!("{} кБ", pdf.body.len().div_ceil(1000));
    assert!(html.contains(&size), "the PDF's size {size}: {html}");

    // The rest of the site, at the paths publish writes.
    let css = serve.get("/web/style.css");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(html.contains("href=\"../style.css\""));
    let archive = serve.get("/web/tg/index.html").text();
    assert!(archive.contains(&format!("href=\"{REFERENCE}.html\"")), "{archive}");
    let feed = serve.get("/web/tg/feed.xml");
    assert_eq!(feed.header("Content-Type"), Some("application/atom+xml; charset=utf-8"));
    assert!(feed.text().contains("xml:lang=\"tg\""), "{}", feed.text());
    let home = serve.get("/web/").text();
    assert!(home.contains("href=\"tg/index.html\""), "{home}");
    assert!(serve.get("/web/sitemap.xml").text().contains("hreflang=\"tg\""));
    for missing in ["/web/de/index.html", "/web/tg/2099-01-01-nothing.html", "/web/base.html"] {
        assert_eq!(serve.get(missing).status, 404, "{missing}");
    }

    // A translator's save shows on the web page as on the PDF.
    let rel = format!("locales/tg/releases/{REFERENCE}.ftl");
    let text = project.read(&rel);
    save_by_rename(&project, &rel, &text.replace("Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе"));
    next_event(&events, "output", |d| d["release"] == REFERENCE && d["lang"] == "tg");
    assert!(serve.get(&web).text().contains("Имрӯз дар шаҳри Душанбе"));

    // It is a draft, and says so: every page carries the DRAFT mark, and
    // one that shows the source text for a translation names it.
    assert!(html.contains("<strong>DRAFT</strong>"), "{html}");
    assert!(!html.contains("until translated"), "nothing is untranslated yet: {html}");
    assert!(home.contains("<strong>DRAFT</strong>"), "{home}");
    let saved = project.read(&rel);
    let title = saved.lines().find(|l| l.starts_with("title =")).unwrap();
    save_by_rename(&project, &rel, &saved.replace(&format!("{title}\n"), ""));
    let untranslated = serve.get(&web).text();
    assert!(untranslated.contains("<h1>Dushanbe hosts"), "the English title: {untranslated}");
    assert!(
        untranslated.contains(
            "Shown in the source language (en) until translated: <code>title</code> (missing)."
        ),
        "{untranslated}"
    );
    save_by_rename(&project, &rel, &saved);

    // A broken template: the problem where it is, as publish says it.
    let template = "layouts/letterhead/web/release.html";
    let good = project.read(template);
    project.write(template, &good.replace("{% endblock %}", "{% endblok %}"));
    let broken = serve.get(&web);
    assert_eq!(broken.status, 422);
    assert!(broken.text().contains(template), "{}", broken.text());
    project.write(template, &good);
    assert_eq!(serve.get(&web).status, 200);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn another_site_may_link_a_page_but_not_embed_it() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let port = serve.port;
    let from = |path: &str, headers: &str| {
        serve
            .request(&format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n{headers}\r\n\r\n"))
    };
    let page = format!("/release/{REFERENCE}");
    // An <img> or <iframe> of another site's page: refused, nothing rendered.
    for (mode, dest) in [("no-cors", "image"), ("navigate", "iframe"), ("no-cors", "script")] {
        let headers = format!(
            "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: {mode}\r\nSec-Fetch-Dest: {dest}"
        );
        assert_eq!(from(&page, &headers).status, 403, "{mode} {dest}");
        assert_eq!(from("/", &headers).status, 403, "the index, {mode} {dest}");
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !project.file(&crate::support::draft_path(REFERENCE, "tg")).exists(),
        "nothing rendered for another site"
    );
    // A link followed is a page opened.
    let link = "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-Dest: document";
    assert_eq!(from(&page, link).status, 200);
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_closed_tab_frees_its_place_at_once() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let port = serve.port;
    let open = || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        let mut first = String::new();
        BufReader::new(stream.try_clone().unwrap()).read_line(&mut first).unwrap();
        (stream, first)
    };
    // As many tabs as are served, then all closed.
    let most = pressroom::serve::MAX_STREAMS;
    let tabs: Vec<_> = (0..most).map(|_| open()).collect();
    assert!(tabs.iter().all(|(_, first)| first.contains("200")), "{:?}", tabs[most - 1].1);
    let (_, full) = open();
    assert!(full.contains("503"), "one more tab waits: {full}");
    drop(tabs);
    std::thread::sleep(Duration::from_millis(50));
    // The next tab is served now, not at the next keep-alive.
    let started = Instant::now();
    let (_, first) = open();
    assert!(first.contains("200"), "{first}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(serve.running.stop(), 0);
}

#[test]
fn a_message_is_only_its_own_glyphs_never_the_footer_or_the_draft_mark() {
    let project = Project::reference();
    let serve = Serve::start(&project, &[]);
    let _events = serve.open(REFERENCE, 3);
    let state = serve.get(&format!("/release/{REFERENCE}/state.json"));
    let state: serde_json::Value = serde_json::from_slice(&state.body).unwrap();
    let pages = state["outputs"]["tg"]["pages"].as_array().unwrap().clone();
    assert!(pages.len() >= 2, "the body runs onto a second page");
    let rects = |page: &serde_json::Value, msg: &str| -> Vec<[f64; 4]> {
        page["regions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["msg"] == msg)
            .flat_map(|r| r["rects"].as_array().unwrap().clone())
            .map(|r| {
                let v: Vec<f64> =
                    r.as_array().unwrap().iter().map(|n| n.as_f64().unwrap()).collect();
                [v[0], v[1], v[2], v[3]]
            })
            .collect()
    };
    // Page 1: the body ends above the footer (which starts near y = 770 pt).
    let height = pages[0]["height"].as_f64().unwrap();
    let body = rects(&pages[0], "body");
    assert!(!body.is_empty());
    assert!(
        body.iter().all(|r| r[1] + r[3] < height - 70.0),
        "body spills onto the footer: {body:?}"
    );
    // The page number is its own message; so is the date where the
    // language writes it its own way (Tajik's `date-long`).
    assert!(!rects(&pages[0], "label-page").is_empty(), "the page number opens label-page");
    assert!(!rects(&pages[0], "date-long").is_empty(), "the Tajik date opens date-long");
    // Page 2: the body's lines, not the 96 pt DRAFT mark across the page.
    let continued = rects(&pages[1], "body");
    assert!(!continued.is_empty());
    assert!(continued.iter().all(|r| r[3] < 30.0), "the DRAFT mark is not the body: {continued:?}");
    assert_eq!(serve.running.stop(), 0);
}

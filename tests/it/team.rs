//! `pressroom serve --team`: the office's shared service over real sockets.
//! Every refusal the guard makes (no session, wrong role, foreign host or
//! origin, missing CSRF token, expired session or token, too many failed
//! sign-ins, oversized or deeply nested input) and what a save commits.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;

use std::time::Duration;

use crate::serve::Reply;
use crate::support::{Project, REFERENCE, Running};

const PASSWORD: &str = "a long office password";

/// The people of the office, one per role.
const PEOPLE: &[(&str, &str)] = &[
    ("mahbuba", "office"),
    ("nigora", "translator:tg"),
    ("olga", "translator:ru"),
    ("rustam", "reviewer:tg"),
    ("vera", "viewer"),
];

/// A running team service on a copy of the reference project, committed
/// into a fresh git repository, with an account per role.
struct Team {
    project: Project,
    state: tempfile::TempDir,
    running: Option<Running>,
    port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The repository made with libgit2 (`git` itself may not be installed).
fn commit_all(root: &Path) {
    let repo = git2::Repository::init(root).unwrap();
    let mut index = repo.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("setup", "setup@example.eu").unwrap();
    repo.commit(Some("HEAD"), &me, &me, "the office's sources", &tree, &[]).unwrap();
}

impl Team {
    fn configured(extra: &str) -> (Project, tempfile::TempDir, u16) {
        let project = Project::reference();
        let state = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = project.read("pressroom.toml");
        project.write(
            "pressroom.toml",
            &format!(
                "{config}\n[server]\nlisten = \"127.0.0.1:{port}\"\nstate = \"{}\"\n{extra}",
                state.path().join("state").display()
            ),
        );
        (project, state, port)
    }

    fn start() -> Self {
        Self::start_with("", |_| {})
    }

    /// With `extra` lines in `[server]`, and `prepare` run on the committed
    /// repository before the service starts.
    fn start_with(extra: &str, prepare: impl FnOnce(&Path)) -> Self {
        let (project, state, port) = Self::configured(extra);
        std::fs::write(project.file(".gitignore"), "out/\n").unwrap();
        commit_all(project.path());
        prepare(project.path());
        for (name, role) in PEOPLE {
            let run = user(
                &project,
                &["add", name, "--email", &format!("{name}@example.eu"), "--role", role],
            );
            assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        }
        let running = Running::start(&project, &["serve", "--team"]);
        running.expect(|l| l.starts_with("watching"));
        Self { project, state, running: Some(running), port }
    }

    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn send(&self, raw: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        stream.write_all(raw).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// A request as a browser on the service's own page sends it.
    fn call(&self, method: &str, path: &str, who: Option<&Session>, body: Option<&str>) -> Reply {
        let mut head = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n", self.port);
        if let Some(who) = who {
            head.push_str(&format!("Cookie: pressroom-session={}\r\n", who.cookie));
            head.push_str(&format!("X-Pressroom-Token: {}\r\n", who.csrf));
        }
        if let Some(body) = body {
            head.push_str(&format!(
                "Origin: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
                self.origin(),
                body.len()
            ));
        }
        head.push_str("\r\n");
        head.push_str(body.unwrap_or(""));
        self.send(head.as_bytes())
    }

    fn sign_in(&self, name: &str) -> Session {
        let body = format!("{{\"name\": \"{name}\", \"password\": \"{PASSWORD}\"}}");
        let reply = self.call("POST", "/api/signin", None, Some(&body));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let cookie = reply.header("set-cookie").expect("a session cookie").to_owned();
        let id = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
        let page = self.call(
            "GET",
            "/",
            Some(&Session { cookie: id.clone(), csrf: String::new(), set_cookie: String::new() }),
            None,
        );
        let csrf =
            page.text().split("data-csrf=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        Session { cookie: id, csrf, set_cookie: cookie }
    }

    fn database(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.state.path().join("state/pressroom.sqlite3")).unwrap()
    }

    fn base(&self, who: &Session, lang: &str, id: &str) -> String {
        let reply = self.call(
            "GET",
            &format!("/api/release/{REFERENCE}/{lang}/message/{id}"),
            Some(who),
            None,
        );
        reply.json()["base"].as_str().unwrap().to_owned()
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop();
        }
    }
}

struct Session {
    cookie: String,
    csrf: String,
    set_cookie: String,
}

fn user(project: &Project, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pressroom"))
        .args(["--root", project.path().to_str().unwrap(), "--color", "never", "user"])
        .args(args)
        .env("PRESSROOM_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn save_body(lang: &str, id: &str, text: &str, base: &str) -> String {
    serde_json::json!({
        "release": REFERENCE, "lang": lang, "id": id,
        "source": format!("{id} = {text}\n"), "base": base,
    })
    .to_string()
}

#[test]
fn signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session() {
    let team = Team::start();
    let page = team.call("GET", "/signin", None, None);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Sign in to pressroom"), "{}", page.text());
    let tajik = team.send(
        format!(
            "GET /signin HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nAccept-Language: tg, ru;q=0.8\r\n\r\n",
            team.port
        )
        .as_bytes(),
    );
    assert!(tajik.text().contains("Ворид шудан ба pressroom"), "{}", tajik.text());
    assert!(tajik.text().contains("<html lang=\"tg\">"));

    let nigora = team.sign_in("nigora");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(nigora.set_cookie.contains(flag), "{flag}: {}", nigora.set_cookie);
    }
    assert!(!nigora.set_cookie.contains("Max-Age"), "a session cookie: {}", nigora.set_cookie);
    let me = team.call("GET", "/api/me", Some(&nigora), None).json();
    assert_eq!(me["roles"], serde_json::json!(["translator:tg"]));
    assert_eq!(me["editable"], serde_json::json!(["tg"]));
    // A new id at each sign-in.
    assert_ne!(team.sign_in("nigora").cookie, nigora.cookie);

    let out = team.call("POST", "/api/signout", Some(&nigora), Some("{}"));
    assert_eq!(out.status, 204, "{}", out.text());
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(team.call("GET", "/api/me", Some(&nigora), None).status, 401);

    let log = team.project.run(&["audit"]);
    let log = log.stdout();
    assert!(log.contains("\tnigora\tsign-in\t"), "{log}");
    assert!(log.contains("\tnigora\tsign-out\t"), "{log}");
}

#[test]
fn unknown_names_and_wrong_passwords_get_the_same_answer_and_guessing_is_slowed() {
    let team = Team::start();
    let wrong = team.call(
        "POST",
        "/api/signin",
        None,
        Some("{\"name\": \"nigora\", \"password\": \"nope\"}"),
    );
    let unknown = team.call(
        "POST",
        "/api/signin",
        None,
        Some("{\"name\": \"nobody\", \"password\": \"nope\"}"),
    );
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.header("set-cookie").is_none());
    for _ in 0..4 {
        team.call(
            "POST",
            "/api/signin",
            None,
            Some("{\"name\": \"nigora\", \"password\": \"nope\"}"),
        );
    }
    // Five failures: even the right password waits now.
    let body = format!("{{\"name\": \"nigora\", \"password\": \"{PASSWORD}\"}}");
    let waited = team.call("POST", "/api/signin", None, Some(&body));
    assert_eq!(waited.status, 429, "{}", waited.text());
    assert!(waited.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    // Another account is not held up by nigora's.
    team.sign_in("olga");
    let log = team.project.run(&["audit"]).stdout();
    assert!(log.contains("\tnobody\tsign-in-failed\t"), "{log}");
}

#[test]
fn every_route_checks_the_session_and_the_role() {
    let team = Team::start();
    let sessions: Vec<(&str, Option<Session>)> = std::iter::once(("anonymous", None))
        .chain(PEOPLE.iter().map(|(name, role)| (*role, Some(team.sign_in(name)))))
        .collect();
    let draft = |lang: &str| {
        serde_json::json!({"release": REFERENCE, "lang": lang, "id": "title", "source": "title = Тест\n"}).to_string()
    };
    // (method, path, body, roles let in); what the others get: 401 without
    // a session, 403 with one.
    let reads = ["office", "translator:tg", "translator:ru", "reviewer:tg", "viewer"];
    let messages = format!("/api/release/{REFERENCE}/tg/messages");
    let message = format!("/api/release/{REFERENCE}/tg/message/title");
    let state = format!("/release/{REFERENCE}/state.json");
    let cases: Vec<(&str, &str, Option<String>, &[&str])> = vec![
        ("GET", "/api/releases", None, &reads),
        ("GET", &messages, None, &reads),
        ("GET", &message, None, &reads),
        ("GET", &state, None, &reads),
        ("GET", "/web/", None, &reads),
        ("GET", "/api/me", None, &reads),
        ("GET", "/api/audit", None, &["office"]),
        ("GET", "/desk", None, &["office"]),
        ("POST", "/api/draft", Some(draft("tg")), &["translator:tg"]),
        ("POST", "/api/draft", Some(draft("ru")), &["translator:ru"]),
        ("POST", "/api/draft", Some(draft("en")), &["office"]),
        (
            "POST",
            "/api/save",
            Some(save_body("tg", "title", "x", "stale-base")),
            &["translator:tg"],
        ),
        ("POST", "/api/save", Some(save_body("en", "title", "x", "stale-base")), &["office"]),
        (
            "POST",
            "/api/approve",
            Some(
                serde_json::json!({"release": REFERENCE, "lang": "tg", "id": "title"}).to_string(),
            ),
            &["reviewer:tg"],
        ),
        (
            "POST",
            "/api/accept",
            Some(
                serde_json::json!({"release": REFERENCE, "lang": "tg", "id": "title"}).to_string(),
            ),
            &["translator:tg"],
        ),
        ("POST", "/api/office/build", Some("{\"release\": \"../x\"}".into()), &["office"]),
        ("POST", "/api/office/publish", Some("not json".into()), &["office"]),
    ];
    for (method, path, body, allowed) in &cases {
        for (role, session) in &sessions {
            let reply = team.call(method, path, session.as_ref(), body.as_deref());
            let expected_in = allowed.contains(role);
            let refused = match session {
                None => reply.status == 401 || reply.status == 303,
                Some(_) => reply.status == 403 && reply.text().contains("\"code\":\"role\""),
            };
            assert_eq!(
                !refused,
                expected_in,
                "{method} {path} as {role}: {} {}",
                reply.status,
                reply.text().chars().take(200).collect::<String>()
            );
            if expected_in {
                assert!(reply.status < 500, "{method} {path} as {role}: {}", reply.text());
            }
        }
    }
    // The interface's files and the sign-in page are for everyone.
    for path in ["/signin", "/assets/team.js", "/assets/editor.js", "/assets/ui.json"] {
        assert_eq!(team.call("GET", path, None, None).status, 200, "{path}");
    }
    // A page opened without a session leads to the sign-in.
    let page = team.call("GET", &format!("/release/{REFERENCE}"), None, None);
    assert_eq!(page.status, 303);
    assert_eq!(
        page.header("location"),
        Some(format!("/signin?next=/release/{REFERENCE}").as_str())
    );
    // What the editor shows each person: only their own language editable.
    for (role, session) in &sessions[1..] {
        let listed = team.call("GET", &messages, session.as_ref(), None).json();
        assert_eq!(listed["editable"], *role == "translator:tg", "{role}");
    }
}

#[test]
fn an_account_whose_roles_were_taken_away_reads_nothing() {
    let team = Team::start();
    let vera = team.sign_in("vera");
    assert_eq!(team.call("GET", "/api/releases", Some(&vera), None).status, 200);
    team.database()
        .execute("DELETE FROM roles WHERE user = (SELECT id FROM users WHERE name = 'vera')", [])
        .unwrap();
    for path in ["/api/releases", "/web/", "/api/me"] {
        let reply = team.call("GET", path, Some(&vera), None);
        assert_eq!(reply.status, 403, "{path}: {}", reply.text());
        assert!(reply.text().contains("has no role"), "{}", reply.text());
    }
}

#[test]
fn changes_need_the_exact_origin_json_and_the_session_token() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    let base = team.base(&nigora, "tg", "title");
    let body = save_body("tg", "title", "Душанбе", &base);
    let raw = |origin: Option<&str>, content_type: &str, csrf: &str, host: &str| {
        let mut head = format!(
            "POST /api/save HTTP/1.0\r\nHost: {host}\r\nCookie: pressroom-session={}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
            nigora.cookie,
            body.len()
        );
        if !csrf.is_empty() {
            head.push_str(&format!("X-Pressroom-Token: {csrf}\r\n"));
        }
        if let Some(origin) = origin {
            head.push_str(&format!("Origin: {origin}\r\n"));
        }
        format!("{head}\r\n{body}")
    };
    let host = format!("127.0.0.1:{}", team.port);
    let ours = team.origin();
    for (what, request, status, code) in [
        (
            "another site",
            raw(Some("https://evil.example"), "application/json", &nigora.csrf, &host),
            403,
            "origin",
        ),
        ("no origin", raw(None, "application/json", &nigora.csrf, &host), 403, "origin"),
        (
            "a form",
            raw(Some(&ours), "application/x-www-form-urlencoded", &nigora.csrf, &host),
            415,
            "json",
        ),
        ("no token", raw(Some(&ours), "application/json", "", &host), 403, "csrf"),
        (
            "a wrong token",
            raw(Some(&ours), "application/json", &"0".repeat(64), &host),
            403,
            "csrf",
        ),
        (
            "another host",
            raw(Some(&ours), "application/json", &nigora.csrf, "evil.example"),
            421,
            "host",
        ),
    ] {
        let reply = team.send(request.as_bytes());
        assert_eq!(reply.status, status, "{what}: {}", reply.text());
        assert!(reply.text().contains(&format!("\"code\":\"{code}\"")), "{what}: {}", reply.text());
        assert!(reply.header("access-control-allow-origin").is_none());
    }
    let file = team.project.read(&format!("locales/tg/releases/{REFERENCE}.ftl"));
    assert!(!file.contains("title = Душанбе\n"), "a refused change wrote: {file}");
    // All in order: saved.
    let reply = team.send(raw(Some(&ours), "application/json", &nigora.csrf, &host).as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        team.project
            .read(&format!("locales/tg/releases/{REFERENCE}.ftl"))
            .contains("title = Душанбе\n")
    );
}

#[test]
fn a_save_is_a_commit_by_its_author_holding_only_that_file() {
    let team = Team::start();
    // Someone's unfinished work elsewhere in the tree stays theirs.
    team.project.write(
        "locales/ru/office.ftl",
        &(team.project.read("locales/ru/office.ftl") + "\n# not yet\n"),
    );
    let nigora = team.sign_in("nigora");
    let base = team.base(&nigora, "tg", "title");
    let reply = team.call(
        "POST",
        "/api/save",
        Some(&nigora),
        Some(&save_body("tg", "title", "Муколамаи амниятӣ дар Душанбе", &base)),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let commit = reply.json()["commit"].as_str().expect("a commit").to_owned();

    let repo = git2::Repository::open(team.project.path()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.id().to_string(), commit);
    assert_eq!(head.author().name(), Some("nigora"));
    assert_eq!(head.author().email(), Some("nigora@example.eu"));
    assert_eq!(head.committer().name(), Some("pressroom"));
    assert_eq!(head.message(), Some(format!("tg: title — {REFERENCE}").as_str()));
    let parent = head.parent(0).unwrap();
    let diff = repo
        .diff_tree_to_tree(Some(&parent.tree().unwrap()), Some(&head.tree().unwrap()), None)
        .unwrap();
    let files: Vec<String> =
        diff.deltas().map(|d| d.new_file().path().unwrap().display().to_string()).collect();
    assert!(files.iter().all(|f| f.starts_with("locales/tg/")), "{files:?}");
    assert!(files.contains(&format!("locales/tg/releases/{REFERENCE}.ftl")), "{files:?}");
    // The working tree: only the unrelated change is left uncommitted.
    let statuses = repo.statuses(None).unwrap();
    let dirty: Vec<String> = statuses.iter().filter_map(|s| s.path().map(str::to_owned)).collect();
    assert_eq!(dirty, ["locales/ru/office.ftl"]);
    let log = team.project.run(&["audit"]).stdout();
    assert!(
        log.contains(&format!("\tnigora\tsave\t{REFERENCE} tg title (commit {}", &commit[..10])),
        "{log}"
    );
}

#[test]
fn sessions_and_tokens_expire_and_tokens_carry_only_their_scope() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    team.database().execute("UPDATE sessions SET seen = seen - 5 * 3600", []).unwrap();
    assert_eq!(team.call("GET", "/api/me", Some(&nigora), None).status, 401, "idle for 5 hours");
    let olga = team.sign_in("olga");
    team.database().execute("UPDATE sessions SET created = created - 13 * 3600", []).unwrap();
    assert_eq!(
        team.call("GET", "/api/me", Some(&olga), None).status,
        401,
        "signed in 13 hours ago"
    );

    let add = user(
        &team.project,
        &[
            "add",
            "agency",
            "--email",
            "agency@example.eu",
            "--role",
            "translator:tg",
            "--role",
            "viewer",
        ],
    );
    assert!(add.status.success());
    let token = |scope: &str| {
        let out = user(&team.project, &["token", "agency", "--scope", scope, "--days", "30"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let (writer, reader) = (token("translator:tg"), token("viewer"));
    assert!(writer.starts_with("prt_"));
    let with = |token: &str, path: &str, body: Option<&str>| {
        let body = body.unwrap_or("");
        let method = if body.is_empty() { "GET" } else { "POST" };
        let raw = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            team.port,
            body.len()
        );
        team.send(raw.as_bytes())
    };
    let base =
        with(&writer, &format!("/api/release/{REFERENCE}/tg/message/title"), None).json()["base"]
            .as_str()
            .unwrap()
            .to_owned();
    let body = save_body("tg", "title", "Душанбе", &base);
    let refused = with(&reader, "/api/save", Some(&body));
    assert_eq!(refused.status, 403, "a viewer-scoped token: {}", refused.text());
    let saved = with(&writer, "/api/save", Some(&body));
    assert_eq!(saved.status, 200, "{}", saved.text());
    team.database().execute("UPDATE tokens SET expires = 0", []).unwrap();
    assert_eq!(with(&writer, "/api/releases", None).status, 401);
    assert_eq!(with("prt_not-a-token", "/api/releases", None).status, 401);
    let beyond = user(&team.project, &["token", "agency", "--scope", "office"]);
    assert_eq!(beyond.status.code(), Some(1));
}

#[test]
fn oversized_and_deeply_nested_requests_are_refused_whole() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    let huge = format!("{{\"lang\": \"tg\", \"pad\": \"{}\"}}", "x".repeat(2 << 20));
    assert_eq!(team.call("POST", "/api/save", Some(&nigora), Some(&huge)).status, 413);
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reply = team.call("POST", "/api/save", Some(&nigora), Some(&nested));
    assert_eq!(reply.status, 400, "{}", reply.text());
    let nested = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    assert_eq!(team.call("POST", "/api/signin", None, Some(&nested)).status, 400);
    // Still answering.
    assert_eq!(team.call("GET", "/api/me", Some(&nigora), None).status, 200);
}

#[test]
fn it_will_not_listen_beyond_this_machine_without_tls_or_a_proxy_origin() {
    let (project, _state, port) = Team::configured("");
    let config =
        project.read("pressroom.toml").replace("listen = \"127.0.0.1:", "listen = \"0.0.0.0:");
    project.write("pressroom.toml", &config);
    commit_all(project.path());
    let run = project.run(&["serve", "--team"]);
    assert_eq!(run.0.status.code(), Some(1));
    let err = run.stderr();
    assert!(err.contains(&format!("will not listen on 0.0.0.0:{port}")), "{err}");
    assert!(err.contains("without TLS"), "{err}");

    // Behind a proxy: loopback and an https origin; the state folder
    // inside the project is refused.
    let (project, _state, _) = Team::configured("origin = \"https://press.example.eu\"\n");
    let config = project.read("pressroom.toml");
    let inside = config
        .lines()
        .map(|l| if l.starts_with("state = ") { "state = \"state\"" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    project.write("pressroom.toml", &inside);
    let run = project.run(&["user", "list"]);
    assert_eq!(run.0.status.code(), Some(1));
    assert!(run.stderr().contains("inside the project"), "{}", run.stderr());

    // A remote that reads like an option: refused where it is written.
    let (project, _state, _) = Team::configured("remote = \"--upload-pack=touch planted\"\n");
    let run = project.run(&["check"]);
    assert_eq!(run.0.status.code(), Some(1));
    let err = run.stderr();
    assert!(err.contains("`server.remote` is not a remote's name or URL"), "{err}");
    assert!(err.contains("pressroom.toml:"), "located: {err}");

    // Not a git repository: no service that could not commit a save.
    let (project, _state, _) = Team::configured("");
    let run = project.run(&["serve", "--team"]);
    assert_eq!(run.0.status.code(), Some(1));
    assert!(run.stderr().contains("is not in a git repository"), "{}", run.stderr());
}

#[test]
fn behind_a_proxy_cookies_are_secure_and_host_bound() {
    let (project, _state, port) = Team::configured("origin = \"https://press.example.eu\"\n");
    let running = serve_for_vera(&project);
    let body = format!("{{\"name\": \"vera\", \"password\": \"{PASSWORD}\"}}");
    let raw = format!(
        "POST /api/signin HTTP/1.0\r\nHost: press.example.eu\r\nOrigin: https://press.example.eu\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let reply = Reply::parse(&bytes);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let cookie = reply.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-pressroom="), "{cookie}");
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(reply.header("strict-transport-security").is_some());
    running.stop();
}

/// The service on `project` (committed first) with one account, vera, a
/// viewer: for the tests of how it is reached.
fn serve_for_vera(project: &Project) -> Running {
    commit_all(project.path());
    let add = user(project, &["add", "vera", "--email", "vera@example.eu", "--role", "viewer"]);
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let running = Running::start(project, &["serve", "--team"]);
    running.expect(|l| l.starts_with("watching"));
    running
}

/// Pushes the current branch of `repo` to its `origin`.
fn push(repo: &git2::Repository) {
    let head = repo.head().unwrap().name().unwrap().to_owned();
    repo.find_remote("origin").unwrap().push(&[format!("{head}:{head}")], None).unwrap();
}

#[test]
fn the_office_pushes_english_and_the_service_pulls_it_and_pushes_saves() {
    let remote = tempfile::tempdir().unwrap();
    let bare = remote.path().join("office.git");
    git2::Repository::init_bare(&bare).unwrap();
    let team = Team::start_with("remote = \"origin\"\npull-interval = 3600\n", |root| {
        let repo = git2::Repository::open(root).unwrap();
        repo.remote("origin", bare.to_str().unwrap()).unwrap();
        push(&repo);
    });
    // The press officer, at their own machine, changes the English title.
    let officer =
        git2::Repository::clone(bare.to_str().unwrap(), remote.path().join("officer")).unwrap();
    let en = format!("locales/en/releases/{REFERENCE}.ftl");
    let path = officer.workdir().unwrap().join(&en);
    let text = std::fs::read_to_string(&path).unwrap();
    let title = text.lines().find(|l| l.starts_with("title = ")).unwrap().to_owned();
    std::fs::write(&path, text.replace(&title, "title = Dushanbe hosts the Dialogue")).unwrap();
    let mut index = officer.index().unwrap();
    index.add_path(Path::new(&en)).unwrap();
    index.write().unwrap();
    let tree = officer.find_tree(index.write_tree().unwrap()).unwrap();
    let me = git2::Signature::now("Mahbuba", "mahbuba@example.eu").unwrap();
    let parent = officer.head().unwrap().peel_to_commit().unwrap();
    officer.commit(Some("HEAD"), &me, &me, "en: title", &tree, &[&parent]).unwrap();
    push(&officer);

    let mahbuba = team.sign_in("mahbuba");
    let synced = team.call("POST", "/api/office/sync", Some(&mahbuba), Some("{}"));
    assert_eq!(synced.status, 200, "{}", synced.text());
    assert_eq!(synced.json()["state"], "pulled", "{}", synced.text());
    assert!(team.project.read(&en).contains("title = Dushanbe hosts the Dialogue"));
    // The Tajik title is now stale for the translator.
    let nigora = team.sign_in("nigora");
    let message = team.call(
        "GET",
        &format!("/api/release/{REFERENCE}/tg/message/title"),
        Some(&nigora),
        None,
    );
    assert_eq!(message.json()["state"], "stale", "{}", message.text());

    // A save is pushed to the office's repository by itself.
    let base = team.base(&nigora, "tg", "title");
    let body = save_body("tg", "title", "Душанбе Муколамаро баргузор мекунад", &base);
    let saved = team.call("POST", "/api/save", Some(&nigora), Some(&body));
    assert_eq!(saved.status, 200, "{}", saved.text());
    let commit = saved.json()["commit"].as_str().unwrap().to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let remote_head = || {
        git2::Repository::open_bare(&bare).unwrap().head().unwrap().target().unwrap().to_string()
    };
    while remote_head() != commit {
        assert!(std::time::Instant::now() < deadline, "the save never reached the remote");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The push is logged once git has finished it, a moment after the
    // remote holds the commit.
    let pushed = "\tnigora\tpush\t1 commit(s) to origin";
    let mut log = team.project.run(&["audit"]).stdout();
    while !log.contains(pushed) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        log = team.project.run(&["audit"]).stdout();
    }
    assert!(log.contains("\tmahbuba\tpull\t1 commit(s) from origin"), "{log}");
    assert!(log.contains(pushed), "{log}");
    // The desk says where things stand.
    let desk = team.call("GET", "/desk", Some(&mahbuba), None).text();
    assert!(desk.contains("Sent 1 commit(s) to origin."), "{desk}");
}

/// A request over TLS, trusting only the test certificate.
fn over_tls(port: u16, raw: &str) -> Reply {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let cert = crate::support::repo().join("tests/tls/ca.pem");
    roots.add(rustls::pki_types::CertificateDer::from_pem_file(cert).unwrap()).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let connection = rustls::ClientConnection::new(std::sync::Arc::new(config), name).unwrap();
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut tls = rustls::StreamOwned::new(connection, stream);
    tls.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = tls.read_to_end(&mut bytes);
    Reply::parse(&bytes)
}

#[test]
fn with_its_own_certificate_it_serves_tls_beyond_this_machine() {
    let (project, _state, port) = Team::configured("");
    let tls = crate::support::repo().join("tests/tls");
    let config = project.read("pressroom.toml").replace(
        &format!("listen = \"127.0.0.1:{port}\""),
        &format!(
            "listen = \"0.0.0.0:{port}\"\norigin = \"https://127.0.0.1:{port}\"\ncert = \"{}\"\nkey = \"{}\"",
            tls.join("cert.pem").display(),
            tls.join("key.pem").display()
        ),
    );
    project.write("pressroom.toml", &config);
    let running = serve_for_vera(&project);

    let body = format!("{{\"name\": \"vera\", \"password\": \"{PASSWORD}\"}}");
    let signin = format!(
        "POST /api/signin HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let reply = over_tls(port, &signin);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let cookie = reply.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-pressroom=") && cookie.contains("; Secure"), "{cookie}");
    assert_eq!(reply.header("strict-transport-security"), Some("max-age=31536000"));
    // Plain HTTP on the TLS port gets no page.
    let mut plain = TcpStream::connect(("127.0.0.1", port)).unwrap();
    plain.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    plain
        .write_all(format!("GET /signin HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes())
        .unwrap();
    let mut bytes = Vec::new();
    let _ = plain.read_to_end(&mut bytes);
    assert!(!String::from_utf8_lossy(&bytes).contains("<form"), "a page over plain HTTP");
    running.stop();

    // A key that is not there: said, and nothing listens.
    let config = project.read("pressroom.toml").replace("key.pem", "missing.pem");
    project.write("pressroom.toml", &config);
    let run = project.run(&["serve", "--team"]);
    assert_eq!(run.0.status.code(), Some(1));
    assert!(run.stderr().contains("missing.pem for TLS"), "{}", run.stderr());
}

#[test]
fn two_people_saving_different_messages_of_one_file_never_conflict() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    let token = {
        let out = user(&team.project, &["token", "nigora", "--days", "1"]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    // Both open their message before either saves.
    let title = team.base(&nigora, "tg", "title");
    let body_base = team.base(&nigora, "tg", "background");
    let first = team.call(
        "POST",
        "/api/save",
        Some(&nigora),
        Some(&save_body("tg", "title", "Сарлавҳаи нав", &title)),
    );
    assert_eq!(first.status, 200, "{}", first.text());
    let raw = |body: &str| {
        format!(
            "POST /api/save HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            team.port,
            body.len()
        )
    };
    let second =
        team.send(raw(&save_body("tg", "background", "Маълумоти нав", &body_base)).as_bytes());
    assert_eq!(second.status, 200, "another message of the same file: {}", second.text());
    let file = team.project.read(&format!("locales/tg/releases/{REFERENCE}.ftl"));
    assert!(
        file.contains("title = Сарлавҳаи нав\n") && file.contains("background = Маълумоти нав\n"),
        "{file}"
    );
    // The same message, from a version someone else has saved over: the
    // conflict, with both texts, and nothing written.
    let third = team.send(raw(&save_body("tg", "title", "Сарлавҳаи дигар", &title)).as_bytes());
    assert_eq!(third.status, 409, "{}", third.text());
    assert_eq!(third.json()["disk"], "title = Сарлавҳаи нав\n");
    assert!(
        team.project
            .read(&format!("locales/tg/releases/{REFERENCE}.ftl"))
            .contains("title = Сарлавҳаи нав\n")
    );
    let repo = git2::Repository::open(team.project.path()).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    assert_eq!(walk.count(), 3, "two saves, two commits");
}

#[test]
fn a_reviewer_approves_a_translators_save_but_not_their_own() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    let base = team.base(&nigora, "tg", "title");
    let saved = team.call(
        "POST",
        "/api/save",
        Some(&nigora),
        Some(&save_body("tg", "title", "Муколамаи амниятӣ", &base)),
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    let title = serde_json::json!({"release": REFERENCE, "lang": "tg", "id": "title"}).to_string();
    // A translator is not a reviewer, whatever the page sends.
    assert_eq!(team.call("POST", "/api/approve", Some(&nigora), Some(&title)).status, 403);
    let rustam = team.sign_in("rustam");
    let approved = team.call("POST", "/api/approve", Some(&rustam), Some(&title));
    assert_eq!(approved.status, 200, "{}", approved.text());
    assert_eq!(approved.json()["by"], "rustam");
    let repo = git2::Repository::open(team.project.path()).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.author().name(), Some("rustam"));
    assert_eq!(head.message(), Some(format!("tg: title — {REFERENCE} (approved)").as_str()));
    let state = team.project.read("locales/tg/translation-state.toml");
    assert!(state.contains("author = \"nigora\", approved-by = \"rustam\""), "{state}");
    let log = team.project.run(&["audit"]).stdout();
    assert!(log.contains("\trustam\tapprove\t"), "{log}");
}

#[test]
fn a_messages_history_lists_each_author_from_the_git_history() {
    let team = Team::start();
    let nigora = team.sign_in("nigora");
    for text in ["Муколамаи якум", "Муколамаи дуюм"] {
        let base = team.base(&nigora, "tg", "title");
        let saved = team.call(
            "POST",
            "/api/save",
            Some(&nigora),
            Some(&save_body("tg", "title", text, &base)),
        );
        assert_eq!(saved.status, 200, "{}", saved.text());
    }
    let mahbuba = team.sign_in("mahbuba");
    let history = team.call(
        "GET",
        &format!("/api/release/{REFERENCE}/tg/history/title"),
        Some(&mahbuba),
        None,
    );
    assert_eq!(history.status, 200, "{}", history.text());
    let versions = history.json()["versions"].as_array().unwrap().clone();
    let authors: Vec<&str> = versions.iter().map(|v| v["author"].as_str().unwrap()).collect();
    // Newest first: nigora twice, then the repository's first commit.
    assert_eq!(authors, ["nigora", "nigora", "setup"], "{versions:?}");
    assert_eq!(versions[0]["text"], "title = Муколамаи дуюм");
    let changes = &versions[0]["changes"];
    assert!(
        changes.as_array().unwrap().iter().any(|r| r["op"] == "added" && r["text"] == "дуюм"),
        "{changes}"
    );
    assert!(
        changes.as_array().unwrap().iter().any(|r| r["op"] == "removed" && r["text"] == "якум"),
        "{changes}"
    );
}

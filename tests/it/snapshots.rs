//! What readers receive, kept whole: the reference release's web pages,
//! archive, front door, feed, sitemap, ninjs document and e-mail (headers and
//! parts, the attachment by its size), compared byte for byte with
//! `tests/snapshots/publish/`, a diff printed on a difference.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test snapshots` accepts what is published now.

use crate::support::{Project, REFERENCE, repo};

/// The files of the site kept as snapshots.
fn site_files() -> Vec<String> {
    vec![
        "index.html".into(),
        "en/index.html".into(),
        "tg/index.html".into(),
        format!("en/{REFERENCE}.html"),
        format!("tg/{REFERENCE}.html"),
        "tg/feed.xml".into(),
        "sitemap.xml".into(),
        format!("tg/{REFERENCE}.ninjs.json"),
        "fonts.css".into(),
    ]
}

#[test]
fn published_pages_feeds_and_e_mails_match_their_snapshots() {
    let project = Project::reference();
    project.run(&["publish", "--email", "--now", "2015-03-11T12:00:00+05:00"]).success();
    let mut outputs: Vec<(String, String)> = site_files()
        .into_iter()
        .map(|rel| {
            let text = project.read(&format!("out/site/{rel}"));
            (rel, text)
        })
        .collect();
    for lang in ["en", "tg"] {
        let eml = project.read(&format!("out/email/{REFERENCE}.{lang}.eml"));
        outputs.push((format!("email/{lang}.eml.txt"), mail_view(&eml)));
    }
    let dir = repo().join("tests/snapshots/publish");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for (rel, actual) in outputs {
        let path = dir.join(rel.replace('/', "__"));
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if actual == expected {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &actual).unwrap();
        } else {
            let diff = similar::TextDiff::from_lines(&expected, &actual);
            failures.push(format!("--- {rel}\n{}", diff.unified_diff().context_radius(2)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} output(s) differ from tests/snapshots/publish (UPDATE_SNAPSHOTS=1 accepts them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An e-mail as a reader's client shows it: its headers, and each part's
/// headers with its text decoded; a binary part by its size.
fn mail_view(eml: &str) -> String {
    let mut out = String::new();
    let lines = eml.split("\r\n").flat_map(|l| l.split('\n'));
    let mut headers = true;
    let mut part_type = String::new();
    let mut base64 = false;
    let mut body = String::new();
    let flush = |out: &mut String, part_type: &str, base64: bool, body: &mut String| {
        if body.trim().is_empty() {
            body.clear();
            return;
        }
        if base64 && part_type.starts_with("text/") {
            out.push_str(&String::from_utf8_lossy(&decode_base64(body)));
            out.push('\n');
        } else if base64 {
            out.push_str(&format!("[{} bytes]\n", decode_base64(body).len()));
        } else {
            out.push_str(body);
        }
        body.clear();
    };
    for line in lines {
        if line.starts_with("--=_pressroom_") {
            flush(&mut out, &part_type, base64, &mut body);
            out.push_str(line);
            out.push('\n');
            headers = true;
            base64 = false;
            part_type.clear();
            continue;
        }
        if headers {
            out.push_str(line);
            out.push('\n');
            let lower = line.to_ascii_lowercase();
            if let Some(kind) = lower.strip_prefix("content-type: ") {
                part_type = kind.split(';').next().unwrap_or_default().trim().to_owned();
            }
            if lower.starts_with("content-transfer-encoding: base64") {
                base64 = true;
            }
            if line.is_empty() {
                headers = false;
            }
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut out, &part_type, base64, &mut body);
    out
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let n =
            chunk.iter().fold(0u32, |acc, &s| (acc << 6) | u32::from(s)) << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

#!/usr/bin/env python3
"""The web and e-mail editions, checked by independent readers.

Publishes a copy of a project (the shipped one by default) with
`pressroom publish --email`, then checks what it wrote:

- every HTML page and every e-mail's HTML part with the Nu HTML Checker
  (vnu.jar, warnings are errors too);
- every Atom feed against RFC 4287's RELAX NG schema (jing) and read back
  with feedparser (language, entries, links, the PDF enclosure's size);
- the sitemap: each URL is a page of the site, with a hreflang alternate
  per language version;
- every link and resource between the pages resolves to a file of the site;
- every .eml read back with Python's email package: the text and HTML parts
  in UTF-8, Subject, Content-Language, From/Reply-To, List-Unsubscribe, and
  the attached PDF byte for byte the one `build` wrote;
- every ninjs document against IPTC's ninjs 2.2 JSON schema (kept in
  scripts/schemas/ninjs/, validated offline with jsonschema), its language,
  renditions and associations matching the site;
- each release page's schema.org JSON-LD and Open Graph, read back with
  extruct: a NewsArticle in the page's language, og:locale and an
  og:locale:alternate per other language version;
- reproducible (two publishes into two folders give the same bytes) and
  incremental (publishing again writes nothing; one changed translation
  rewrites that page, its PDF and its language's archive and feed only).

usage: check-editions.py <pressroom> <vnu.jar> [--overlay DIR]

An overlay's files are laid over the copy of the shipped project (more
languages, say: tests/editions/more-languages).
"""

import argparse
import email
import email.policy
import filecmp
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse, unquote

import feedparser

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "scripts" / "schemas" / "atom.rnc"
NINJS = REPO / "scripts" / "schemas" / "ninjs" / "ninjs-schema_2.2.json"
FAILURES = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILURES.append(what)


def copy_project(overlay):
    root = Path(tempfile.mkdtemp(prefix="pressroom-editions-"))
    for item in ["pressroom.toml", "releases", "locales", "layouts", "fonts"]:
        path = REPO / item
        if path.is_dir():
            shutil.copytree(path, root / item)
        elif path.is_file():
            shutil.copy(path, root / item)
    if overlay:
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    return root


def publish(binary, root, *args):
    run = subprocess.run(
        [binary, "--root", str(root), "--color", "never", "publish", "--email", "-v", *args],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        print(run.stdout, run.stderr)
    return run


def toml_languages(root):
    import tomllib

    with open(root / "pressroom.toml", "rb") as f:
        config = tomllib.load(f)
    return config["languages"], config["publish"]


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.lang = None
        self.dir = None
        self.h1 = None
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang, self.dir = attrs.get("lang"), attrs.get("dir")
        if tag == "h1":
            self._in_h1, self.h1 = True, ""
        for key in ("href", "src"):
            if key in attrs and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append(attrs[key])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parse_html(path):
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def site_files(site):
    return sorted(p for p in site.rglob("*") if p.is_file() and not p.name.startswith("."))


def check_site(binary, vnu, root, artifacts):
    languages, config = toml_languages(root)
    base = config["base-url"].rstrip("/") + "/"
    first = publish(binary, root)
    check(first.returncode == 0, f"publish --email on {root.name} exits 0")
    site = root / "out" / "site"
    mail = root / "out" / "email"
    pages = [p for p in site_files(site) if p.suffix == ".html"]
    releases = sorted({p.stem for p in pages if p.parent != site and p.name != "index.html" and not p.name.startswith("page-")})
    check(len(releases) > 0, f"the site has release pages ({len(releases)} releases)")

    # The Nu HTML Checker on every page, warnings included.
    run = subprocess.run(["java", "-jar", vnu, "--Werror", *map(str, pages)], capture_output=True, text=True)
    check(run.returncode == 0, f"vnu: {len(pages)} pages valid HTML, no warnings" + ("" if run.returncode == 0 else "\n" + run.stderr[-3000:]))

    # Each page says its language and direction; every link resolves.
    for page in pages:
        parsed = parse_html(page)
        lang = page.parent.name if page.parent != site else None
        if lang:
            check(parsed.lang == lang, f"{page.relative_to(site)}: <html lang=\"{lang}\"> ({parsed.lang})")
            rtl = lang.split("-")[0] in ("fa", "ar", "he", "ur", "ps")
            check(parsed.dir == ("rtl" if rtl else "ltr"), f"{page.relative_to(site)}: dir=\"{parsed.dir}\"")
        for link in parsed.links:
            url = urlparse(link)
            if url.scheme or link.startswith("#"):
                continue
            target = (page.parent / unquote(url.path)).resolve()
            if not target.is_file():
                check(False, f"{page.relative_to(site)} links {link}, which the site lacks")
    check(True, "every link between the pages resolves")

    # Feeds: RFC 4287's schema, then feedparser.
    for lang in languages:
        feed = site / lang / "feed.xml"
        if not feed.exists():
            check(False, f"{lang} has a feed")
            continue
        run = subprocess.run(["jing", "-c", str(SCHEMA), str(feed)], capture_output=True, text=True)
        check(run.returncode == 0, f"{lang}/feed.xml is valid against RFC 4287's RELAX NG schema" + ("" if run.returncode == 0 else "\n" + run.stdout))
        parsed = feedparser.parse(str(feed))
        check(not parsed.bozo, f"{lang}/feed.xml: feedparser reads it cleanly")
        check(parsed.feed.get("language") == lang, f"{lang}/feed.xml: xml:lang is {lang} ({parsed.feed.get('language')})")
        in_lang = [p for p in pages if p.parent.name == lang and p.name != "index.html" and not p.name.startswith("page-")]
        check(len(parsed.entries) == min(50, len(in_lang)), f"{lang}/feed.xml: an entry per release ({len(parsed.entries)})")
        for entry in parsed.entries:
            page = site / lang / (Path(urlparse(entry.link).path).name)
            check(entry.link.startswith(base) and page.exists(), f"{lang} entry links its page {entry.link}")
            pdfs = [l for l in entry.links if l.get("type") == "application/pdf"]
            pdf = site / lang / Path(urlparse(pdfs[0].href).path).name if pdfs else None
            check(bool(pdfs) and pdf.exists() and int(pdfs[0].length) == pdf.stat().st_size, f"{lang} entry has its PDF as enclosure, with its size")
            check(bool(entry.title) and entry.get("content"), f"{lang} entry has a title and its text")

    # The sitemap: pages of the site, each with its language versions.
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "sitemap.xml")
    urls = tree.getroot().findall("s:url", ns)
    release_pages = [p for p in pages if p.parent != site and p.name != "index.html" and not p.name.startswith("page-")]
    archives = [p for p in pages if p.parent != site and p.name == "index.html"]
    check(len(urls) == len(release_pages) + len(archives), f"the sitemap lists every release page and archive ({len(urls)})")
    for url in urls:
        loc = url.find("s:loc", ns).text
        rel = loc[len(base):] if loc.startswith(base) else None
        path = site / rel if rel is not None else None
        if path is not None and (rel == "" or rel.endswith("/")):
            path = path / "index.html"
        check(path is not None and path.is_file(), f"sitemap: {loc} is a page of the site")
        alternates = url.findall("x:link", ns)
        hreflangs = {a.get("hreflang") for a in alternates}
        if alternates:
            check(url.find("s:loc", ns).text in {a.get("href") for a in alternates}, f"sitemap: {loc} lists itself among its alternates")
        check(hreflangs <= set(languages), f"sitemap: {loc} alternates are languages of the office")

    # Newsrooms: ninjs against IPTC's schema, JSON-LD and Open Graph read back.
    import json
    import extruct
    import jsonschema

    schema = json.loads(NINJS.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for page in release_pages:
        lang = page.parent.name
        ninjs_path = page.with_name(page.stem + ".ninjs.json")
        rel = page.relative_to(site)
        if not ninjs_path.exists():
            check(False, f"{rel} has a ninjs document beside it")
            continue
        item = json.loads(ninjs_path.read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(item), key=lambda e: e.path)
        check(not errors, f"{ninjs_path.relative_to(site)} is valid ninjs 2.2" + "".join(f"\n    {e.message}" for e in errors[:5]))
        check(item.get("language") == lang and item.get("uri") == base + str(rel), f"{ninjs_path.name}: language {lang}, its page as uri")
        others = {a["language"] for a in item.get("associations", [])}
        versions = {p.parent.name for p in release_pages if p.name == page.name} - {lang}
        check(others == versions, f"{ninjs_path.name}: the other languages as associations ({sorted(others)})")
        data = extruct.extract(page.read_text(encoding="utf-8"), base_url=base + str(rel), syntaxes=["json-ld", "opengraph"])
        articles = [d for d in data["json-ld"] if d.get("@type") == "NewsArticle"]
        check(len(articles) == 1 and articles[0].get("inLanguage") == lang and articles[0].get("headline") == parse_html(page).h1.strip(), f"{rel}: JSON-LD NewsArticle in {lang} with its headline")
        og = data["opengraph"][0]["properties"] if data["opengraph"] else []
        values = lambda key: [v for k, v in og if k == key]
        locale = values("og:locale")
        check(values("og:type") == ["article"] and len(locale) == 1 and locale[0].split("_")[0] == lang.split("-")[0], f"{rel}: Open Graph article, og:locale {locale}")
        check(len(values("og:locale:alternate")) == len(versions), f"{rel}: an og:locale:alternate per other language ({values('og:locale:alternate')})")

    # The e-mails.
    emls = sorted(mail.glob("*.eml"))
    check(len(emls) == len([p for p in pages if p.parent != site and p.name != "index.html" and not p.name.startswith("page-")]), f"an .eml per release page ({len(emls)})")
    html_parts = Path(tempfile.mkdtemp(prefix="pressroom-email-html-"))
    for eml in emls:
        release, lang = eml.stem.rsplit(".", 1)
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        page = parse_html(site / lang / f"{release}.html")
        check(message["Subject"] == page.h1.strip(), f"{eml.name}: Subject is the title")
        check(message["Content-Language"] == lang, f"{eml.name}: Content-Language {lang}")
        check("@" in str(message["From"]) and message["Reply-To"], f"{eml.name}: From and Reply-To ({message['From']})")
        if config.get("list-unsubscribe"):
            check(message["List-Unsubscribe"] == config["list-unsubscribe"], f"{eml.name}: List-Unsubscribe")
        plain = message.get_body(preferencelist=("plain",))
        rich = message.get_body(preferencelist=("html",))
        check(plain is not None and plain.get_content_charset() == "utf-8", f"{eml.name}: a text/plain part in UTF-8")
        check(rich is not None and rich.get_content_charset() == "utf-8", f"{eml.name}: a text/html part in UTF-8")
        check(page.h1.strip() in plain.get_content(), f"{eml.name}: the plain part has the title")
        body = rich.get_content()
        check(f'lang="{lang}"' in body and 'role="presentation"' in body, f"{eml.name}: the HTML part has lang and presentation tables")
        (html_parts / f"{eml.stem}.html").write_text(body, encoding="utf-8")
        attachments = list(message.iter_attachments())
        pdf = root / "out" / f"{release}.{lang}.pdf"
        check(
            len(attachments) == 1
            and attachments[0].get_content_type() == "application/pdf"
            and attachments[0].get_content() == pdf.read_bytes(),
            f"{eml.name}: the PDF attached, identical to {pdf.name}",
        )
    if emls:
        parts = sorted(map(str, html_parts.glob("*.html")))
        run = subprocess.run(["java", "-jar", vnu, "--Werror", *parts], capture_output=True, text=True)
        check(run.returncode == 0, f"vnu: the e-mails' HTML parts are valid" + ("" if run.returncode == 0 else "\n" + run.stderr[-2000:]))

    # Reproducible: the same sources, the same bytes, wherever written.
    other = Path(tempfile.mkdtemp(prefix="pressroom-site-again-"))
    again = publish(binary, root, "--out", str(other / "site"))
    check(again.returncode == 0, "publishing into another folder exits 0")
    # pressroom's own bookkeeping (dot files) records when it published.
    compared = filecmp.dircmp(site, other / "site", ignore=[".pressroom-publish.json", ".pressroom-editions.json", ".pressroom-models"])
    def same(cmp):
        return not (cmp.diff_files or cmp.left_only or cmp.right_only or cmp.funny_files) and all(same(s) for s in cmp.subdirs.values())
    check(same(compared), "two publishes give byte-identical sites")

    # Incremental: nothing to do, then one translation changed.
    nothing = publish(binary, root)
    check("site out/site: 0 file(s) written" in nothing.stdout and "e-mail out/email: 0 file(s) written" in nothing.stdout, "publishing again writes nothing")
    return site, mail, languages, releases


def check_incremental(binary, root, lang, release, old, new):
    ftl = root / "locales" / lang / "releases" / f"{release}.ftl"
    text = ftl.read_text(encoding="utf-8")
    check(old in text, f"{ftl.name} holds the word to change")
    ftl.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = publish(binary, root)
    wrote = sorted(line.split("wrote ", 1)[1] for line in run.stdout.splitlines() if line.startswith("  wrote "))
    expected = sorted([
        f"out/site/{lang}/{release}.html",
        f"out/site/{lang}/{release}.{lang}.pdf",
        f"out/site/{lang}/{release}.ninjs.json",
        f"out/site/{lang}/feed.xml",
        f"out/email/{release}.{lang}.eml",
    ])
    check(wrote == expected, f"one changed {lang} translation of the body rewrites only its page, PDF, ninjs, feed and e-mail (the archive lists titles): {wrote}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pressroom")
    parser.add_argument("vnu")
    parser.add_argument("--overlay")
    args = parser.parse_args()
    root = copy_project(Path(args.overlay) if args.overlay else None)
    try:
        _, _, languages, releases = check_site(os.path.abspath(args.pressroom), args.vnu, root, None)
        if not args.overlay:
            check_incremental(os.path.abspath(args.pressroom), root, "tg", releases[0], "Имрӯз дар Душанбе", "Имрӯз дар шаҳри Душанбе")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("editions: all checks passed")


if __name__ == "__main__":
    main()

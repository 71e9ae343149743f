#!/usr/bin/env python3
"""Every link of the built guide and of README.md leads somewhere: a relative
link to a file that exists, a `#fragment` to an id on that page. Links to
other sites are not fetched (CI has no internet); they must at least be
https:// or http:// URLs.

usage: scripts/check-guide-links.py <built guide folder> [README.md]
"""

import html.parser
import os
import re
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if key in attrs and attrs[key] is not None and tag in ("a", "img", "link", "script"):
                self.links.append(attrs[key])


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        page.feed(f.read())
    return page


def main():
    book = sys.argv[1]
    readme = sys.argv[2] if len(sys.argv) > 2 else None
    pages, broken = {}, []
    for folder, _, files in os.walk(book):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                pages[os.path.normpath(path)] = parse(path)
    for path, page in pages.items():
        for link in page.links:
            url = urllib.parse.urlsplit(link)
            if url.scheme in ("http", "https", "mailto") or link.startswith("javascript:"):
                continue
            if url.scheme:
                broken.append(f"{path}: {link} (scheme)")
                continue
            target = path if not url.path else os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(url.path)))
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.exists(target):
                broken.append(f"{os.path.relpath(path, book)}: {link} (no such file)")
                continue
            if url.fragment and target in pages and url.fragment not in pages[target].ids:
                broken.append(f"{os.path.relpath(path, book)}: {link} (no such anchor)")
    if readme:
        base = os.path.dirname(os.path.abspath(readme))
        text = open(readme, encoding="utf-8").read()
        for link in re.findall(r"\]\(([^)]+)\)", text):
            if re.match(r"[a-z]+:", link):
                continue
            if not os.path.exists(os.path.join(base, link.split("#")[0])):
                broken.append(f"{readme}: {link} (no such file)")
    for line in broken:
        print(f"broken link: {line}")
    print(f"{len(pages)} pages checked, {len(broken)} broken link(s)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

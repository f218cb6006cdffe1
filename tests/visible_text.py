"""What a person reads on a page, and the English words among it (tests of the Chinese interface).

The visible text, plus the attributes a person sees or hears (placeholder, title, aria-label,
alt, an input button's value). Runs of Latin letters are English words unless they are user
data of the demo company or words Chinese offices write in Latin letters too (CSV, PDF, IT...).
Text an author marks ``translate="no"`` (a command, a file path, recorded data) is a literal.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

#: Words a Chinese office writes in Latin letters, and the demo company's own data.
ALLOWED = {
    "CSV", "Excel", "PDF", "IT", "CEO", "KPI", "KB", "MB", "EN", "English", "UTF", "IP", "QR", "ID", "UTC", "PKCS",
    "PNG", "JPG", "JPEG", "DOC", "DOCX", "XLS", "XLSX", "PPT", "PPTX", "TXT", "ZIP",  # file formats
    "Example", "Technology", "Co", "Ltd",  # the company's English name (a setting)
    "CNY",  # a currency code, as data
    "VIP", "ABC", "RFM", "A", "B", "C",  # customer tags and segments (A类客户), as sales offices write them
}
#: Employee numbers (E0301), document numbers (GR-2026-000001-R2), verification codes, e-mail addresses.
DATA = re.compile(r"\b[A-Z]\d{3,}\b|\b[A-Z]{1,5}-\d{4}-\d+(?:-R\d+)?\b|\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-"
                  r"[A-HJ-NP-Z2-9]{2}\b|[\w.+-]+@[\w.-]+|\b[0-9a-f]{12,}\b")
WORD = re.compile(r"[A-Za-z]+")
SEEN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED = {"script", "style", "datalist", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The words a person reads on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []  # open elements whose content is not UI text

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if not self.hidden:
            self.parts += [attributes[a] or "" for a in SEEN_ATTRIBUTES if a in attributes]
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
                self.parts.append(attributes.get("value") or "")
        if tag in VOID:
            return
        if self.hidden or tag in SKIPPED or attributes.get("translate") == "no":
            self.hidden.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str, data: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = DATA.sub(" ", " ".join(parser.parts))
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED and w not in data})

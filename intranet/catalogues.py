"""Refresh the zh_CN catalogues of the core and of every module: ``make extract-messages``.

Run as ``python -m intranet.catalogues``. For the core and then each module under
plugins/ (a module without a catalogue yet gets one), messages are extracted from the
source, the catalogue keeps its translations and its header, gains the new messages
(untranslated, to be filled in) and loses those no longer used. A module's catalogue
leaves out what the core's already translates: the shared vocabulary (Title, Amount,
Status...) is translated once, in the core.
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans_CN"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None,
            "label": None}


def extract(directory: Path, mapping: Path) -> Catalog:
    """The messages of the source under ``directory``, by the Babel mapping file ``mapping``."""
    with mapping.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(locale=None, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(directory), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def refresh(translations: Path, template: Catalog, leave_out: set[str] = frozenset()) -> tuple[int, int]:
    """Bring ``translations/<locale>/LC_MESSAGES/messages.po`` in line with ``template``;
    returns (messages, untranslated)."""
    path = translations / LOCALE / "LC_MESSAGES" / "messages.po"
    if path.exists():
        header, catalog = _split_header(path.read_bytes()), read_po(path.open("rb"), locale="zh_CN")
    else:
        header, catalog = None, Catalog(locale="zh_CN", project="intranet", fuzzy=False)
        path.parent.mkdir(parents=True, exist_ok=True)
    known = {_key(m): m for m in catalog if m.id}
    fresh = Catalog(locale="zh_CN", project="intranet", fuzzy=False)
    fresh.mime_headers = catalog.mime_headers
    untranslated = 0
    for message in template:
        if not message.id or _key(message) in leave_out:
            continue
        old = known.get(_key(message))
        if old is not None:
            string = old.string
        else:
            string = ("",) if isinstance(message.id, tuple) else ""
        if not string or (isinstance(string, tuple) and not any(string)):
            untranslated += 1
        fresh.add(message.id, string, flags=[f for f in message.flags if f != "fuzzy"], context=message.context)
    buffer = io.BytesIO()
    write_po(buffer, fresh, omit_header=header is not None, no_location=True, sort_output=True, width=120)
    body = buffer.getvalue()
    path.write_bytes((header or b"") + body)
    return len(fresh), untranslated


def _split_header(data: bytes) -> bytes:
    """The catalogue's header as it is (comments and the metadata entry), kept byte for byte."""
    end = data.find(b"\n\n", data.find(b'msgid ""'))
    return data[:end + 2] if end != -1 else b""


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def main() -> int:
    core_template = extract(ROOT, ROOT / "babel.cfg")
    counts = {"core": refresh(ROOT / "intranet" / "translations", core_template)}
    core = {_key(m) for m in core_template if m.id}
    for module in sorted(p for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").is_file()):
        template = extract(module, ROOT / "plugins" / "babel.cfg")
        counts[module.name] = refresh(module / "translations", template, leave_out=core)
    for name, (total, untranslated) in counts.items():
        print(f"{name}: {total} messages, {untranslated} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())

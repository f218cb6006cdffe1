"""English and Simplified Chinese for every label; the reader's choice wins."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from intranet import db
from intranet.catalogues import extract
from intranet.org import User

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [(ROOT, ROOT / "babel.cfg", ROOT / "intranet" / "translations")] + [
    (plugin, ROOT / "plugins" / "babel.cfg", plugin / "translations")
    for plugin in sorted((ROOT / "plugins").iterdir()) if (plugin / "__init__.py").exists()]


def translated(translations: Path) -> set:
    with (translations / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}


@pytest.mark.parametrize("source, mapping, translations", CATALOGUES, ids=lambda v: Path(v).name)
def test_every_message_has_a_chinese_translation(source, mapping, translations):
    """In its own catalogue, or the core's: the shared vocabulary is translated once."""
    wanted = {m.id for m in extract(source, mapping) if m.id}
    known = translated(translations) | translated(ROOT / "intranet" / "translations")
    missing = sorted(str(m) for m in wanted - known)
    assert missing == [], f"{len(missing)} lack a zh_CN translation (run make extract-messages): {missing[:10]}"


def test_a_module_catalogue_does_not_translate_the_core_vocabulary_again():
    core = translated(ROOT / "intranet" / "translations")
    for _source, _mapping, translations in CATALOGUES[1:]:
        assert translated(translations) & core == set(), translations


def test_the_browser_language_is_used_before_the_company_default(app, company):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    assert "登录" in client.get("/auth/login").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-US"
    assert "Sign in" in client.get("/auth/login").get_data(as_text=True)


def test_a_users_choice_is_kept_across_sessions(app, client, auth, company):
    auth.login("zhangwei")
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    with app.app_context():
        assert db.session.get(User, company["zhangwei"]).language == "zh_CN"
    auth.logout()
    fresh = app.test_client()  # another browser that asks for English
    fresh.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    fresh.post("/auth/login", data={"login": "zhangwei", "password": "demo1234"})
    assert "工作台" in fresh.get("/").get_data(as_text=True)


def test_language_switch_before_signing_in(client, company):
    client.post("/language", data={"language": "zh_CN", "next": "/auth/login"})
    assert "登录" in client.get("/auth/login").get_data(as_text=True)


def test_unknown_languages_and_foreign_redirects_are_ignored(client, company):
    response = client.post("/language", data={"language": "klingon", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_forced_language_is_honoured_inside_a_request_that_already_translated(app):
    """The per-request catalogue follows ``force_locale``: an e-mail or a printed
    form written in another language during a page gets that language, and the
    page keeps its own."""
    from intranet.i18n import force_locale, gettext, lazy_gettext

    label = lazy_gettext("Sign in")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Sign in") == "Sign in"
        with force_locale("zh_CN"):
            assert gettext("Sign in") == "登录"
            assert str(label) == "登录"
        assert str(label) == "Sign in"


def test_extracting_gives_a_new_module_a_catalogue_and_keeps_headers(tmp_path):
    from intranet.catalogues import refresh

    module = tmp_path / "newmod"
    (module / "templates" / "newmod").mkdir(parents=True)
    (module / "__init__.py").write_text('from intranet import lazy_gettext as _l\nTITLE = _l("Rooms")\n'
                                        'LABEL = _l("Title")\n', encoding="utf-8")
    template = extract(module, ROOT / "plugins" / "babel.cfg")
    refresh(module / "translations", template, leave_out={"Title"})
    po = module / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Rooms"' in text and 'msgid "Title"' not in text  # the core translates Title
    header = text[:text.index('msgid "Rooms"')]
    po.write_text(text.replace('msgid "Rooms"\nmsgstr ""', 'msgid "Rooms"\nmsgstr "会议室"'), encoding="utf-8")
    refresh(module / "translations", template, leave_out={"Title"})
    again = po.read_text(encoding="utf-8")
    assert again.startswith(header) and 'msgstr "会议室"' in again

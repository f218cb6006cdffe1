"""A Chinese-speaking user in a real browser: signing in with Enter, pages that show whole
words, and screenshots of the main pages in zh_CN (test-artifacts/zh_CN-*.png)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from intranet import db
from intranet.approvals import ApprovalRequest
from intranet.org import Department, User
from tests.conftest import build_app
from tests.e2e.conftest import screenshot
from tests.visible_text import WORD, english_words


@pytest.fixture
def demo_server(database_url):
    """The product as shipped (no test modules) with the full demo data, CSRF on."""
    app = build_app(database_url, WTF_CSRF_ENABLED=True, PLUGINS_EXTRA=())
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def chinese(browser, demo_server):
    """A new zh-CN browser page: ``chinese(username)`` signs that person in."""
    contexts = []

    def open_page(username: str | None = None, locale: str = "zh-CN"):
        context = browser.new_context(base_url=demo_server[1], locale=locale, viewport={"width": 1366, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto("/auth/login")
            page.fill("input[name=login]", username)
            page.fill("input[name=password]", "demo1234")
            page.press("input[name=password]", "Enter")
            page.wait_for_url("**/")
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_enter_in_the_sign_in_form_signs_in_and_the_language_switch_comes_after(chinese):
    page = chinese()
    page.goto("/auth/login")
    page.keyboard.type("chenhao")  # the user name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("demo1234")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.title().startswith("工作台")
    page.context.clear_cookies()
    page.goto("/auth/login")
    # In the document and the tab order: the sign-in form, its button, then the language switch.
    assert page.evaluate("""() => {
        const form = document.getElementById('login-form'), language = document.querySelector('form.language');
        return !!(form.compareDocumentPosition(language) & Node.DOCUMENT_POSITION_FOLLOWING)
               && !form.contains(language) && form.querySelector('button[type=submit]') === form.elements[
                   [...form.elements].findIndex(e => e.type === 'submit')];
    }""")
    page.focus("#login-form button[type=submit]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('form.language') !== null")


#: What a control shows that does not fit in it: a select's chosen option (or, for a list box,
#: every option), an input's value or placeholder, measured in the control's own font.
CLIPPED = """(el) => {
    const style = getComputedStyle(el), canvas = document.createElement('canvas').getContext('2d');
    canvas.font = style.font;
    let texts, room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (el.tagName === 'SELECT' && el.multiple) { texts = [...el.options].map(o => o.text); }  // clientWidth leaves out the scroll bar
    else if (el.tagName === 'SELECT') { texts = [el.options[el.selectedIndex].text]; room -= 20; }
    else { texts = [el.value || el.placeholder]; }
    return texts.filter(text => canvas.measureText(text).width > room + 0.5);
}"""


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_policy_editor_shows_whole_words_and_the_demo_policy_saves_without_warnings(chinese, locale):
    page = chinese("hanmei", locale)
    page.goto("/approvals/policies/general.request")
    assert page.locator("#warnings").count() == 0
    clipped = {}
    for control in page.locator(".steps-editor input:not([type=checkbox]), .steps-editor select").all():
        texts = control.evaluate(CLIPPED)
        if texts:
            clipped[control.get_attribute("name")] = texts
    assert clipped == {}
    page.fill("input[name=note]", "保存一次")
    page.click("button[value=save]")
    page.wait_for_selector(".flash-success")
    assert page.locator("#warnings").count() == 0


def test_the_settings_save_bar_never_covers_the_field_being_edited(chinese):
    page = chinese("hanmei")
    page.goto("/admin/settings")
    # A field that gets the focus (from a script, a label, an error) scrolls into view above the bar.
    covered = page.evaluate("""() => {
        const bar = document.querySelector('.actions.sticky'), covered = [];
        for (const el of document.querySelectorAll('form section input:not([type=hidden]), form section select')) {
            el.focus();
            const a = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
            if (a.bottom > b.top && a.top < b.bottom) covered.push(el.name);
        }
        return covered;
    }""")
    assert covered == []


def test_chinese_column_headers_read_across_on_one_line(chinese):
    page = chinese("hanmei")
    page.goto("/admin/roles")
    modes = page.eval_on_selector_all(".matrix th.rot span", "els => els.map(e => getComputedStyle(e).writingMode)")
    assert modes and set(modes) == {"horizontal-tb"}
    page = chinese("chenhao")
    for tab in ("waiting", "done"):
        page.goto(f"/approvals/?tab={tab}")
        lines = page.eval_on_selector_all(".table.inbox thead th:not(.check)", """els => els
            .map(e => { const r = document.createRange(); r.selectNodeContents(e); return [e.textContent.trim(),
                        new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size]; })""")
        assert lines and all(count == 1 for _text, count in lines), (tab, lines)


def test_screenshots_of_the_main_pages_in_chinese_show_no_english_words(chinese, demo_server):
    app = demo_server[0]
    with app.app_context():
        returned = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.status == "returned"))
        requester = db.session.get(User, returned.requester_id).username
        data = {part for user in db.session.scalars(select(User))
                for part in (user.username, *WORD.findall(user.email or ""))}
        data |= set(db.session.scalars(select(Department.code)))
    page = chinese(requester)  # resubmits the request returned for a quote, with a new amount
    page.goto(f"/general/{returned.document_id}/edit")
    page.fill("input[name=amount]", "720")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/general/{returned.document_id}")
    pages = [("hanmei", "dashboard", "/"), ("hanmei", "settings", "/admin/settings"),
             ("hanmei", "roles", "/admin/roles"), ("hanmei", "audit", "/audit/"),
             ("hanmei", "policy", "/approvals/policies/general.request"),
             ("machao", "inbox", "/approvals/"), ("machao", "general-request", f"/general/{returned.document_id}"),
             ("machao", "approval", f"/approvals/{returned.id}")]
    found, signed_in = {}, {}
    for username, name, url in pages:
        page = signed_in.get(username) or signed_in.setdefault(username, chinese(username))
        page.goto(url)
        page.wait_for_load_state("networkidle")  # the dashboard's widgets arrive by htmx
        screenshot(page, f"zh_CN-{name}")
        words = english_words(page.content(), data)
        if words:
            found[name] = words
    assert found == {}

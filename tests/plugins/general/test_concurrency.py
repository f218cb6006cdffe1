"""A double click on a general request, from two sessions at the same moment: one wins, the other
gets 409 and nothing is written (issue 9). On SQLite and PostgreSQL."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from intranet import db
from intranet.approvals import ApprovalRequest
from intranet.audit import AuditEntry
from plugins.general.models import GeneralRequest
from tests.approvals.test_views import approval_of
from tests.conftest import AuthActions, in_parallel
from tests.plugins.general.test_general import FORM, file_request


def at_once(app, username: str, url: str, times: int = 2) -> list[int]:
    """POST ``url`` from ``times`` signed-in sessions of one person, released together."""
    clients = [app.test_client() for _ in range(times)]
    for client in clients:
        assert AuthActions(client).login(username).status_code == 302
    barrier, statuses = threading.Barrier(times, timeout=30), []

    def press(client):
        barrier.wait()
        response = client.post(url)
        statuses.append((response.status_code, response.get_data(as_text=True)))

    in_parallel(press, clients)
    return statuses


def test_two_submits_of_one_draft_at_once_start_one_approval(app, client, auth, company):
    auth.login("zhangwei")
    draft = int(client.post("/general/new", data={**FORM, "draft": "1"}).headers["Location"].rsplit("/", 1)[1])
    outcomes = at_once(app, "zhangwei", f"/documents/general.request/{draft}/submit")
    assert sorted(status for status, _page in outcomes) == [302, 409], outcomes
    refused = next(page for status, page in outcomes if status == 409)
    assert "cannot be submitted now" in refused
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApprovalRequest).where(
            ApprovalRequest.document_id == str(draft))) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "core_approval_request", AuditEntry.action == "create")) == 1
        assert db.session.get(GeneralRequest, draft).status == "pending"


def test_two_changes_of_one_approved_request_at_once_make_one_revision(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800)
    auth.login("chenhao")
    assert client.post(f"/approvals/{approval_of(app, document_id)}/approve").status_code == 302
    outcomes = at_once(app, "zhangwei", f"/general/{document_id}/change")
    assert sorted(status for status, _page in outcomes) == [302, 409], outcomes
    assert "already being changed" in next(page for status, page in outcomes if status == 409)
    with app.app_context():
        revisions = db.session.scalars(select(GeneralRequest).where(GeneralRequest.supersedes_id == document_id)).all()
        assert [r.revision for r in revisions] == [2]


def test_a_second_click_on_change_answers_409_and_names_the_open_revision(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, document_id)}/approve")
    auth.login("zhangwei")
    assert client.post(f"/general/{document_id}/change").status_code == 302
    again = client.post(f"/general/{document_id}/change")
    assert again.status_code == 409 and "-R2" in again.get_data(as_text=True)

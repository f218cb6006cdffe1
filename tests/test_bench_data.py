"""The benchmark's generated data is what the engine itself would write."""
from __future__ import annotations

from sqlalchemy import func, select

from intranet import db
from intranet.approvals import ApprovalRequest, ApprovalTask
from intranet.org import User


def test_generated_requests_are_decided_like_real_ones(app):
    from bench.generate import organisation, requests

    with app.app_context():
        org = organisation(db.session, 150)
        requests(db.session, org, 200, pending_share=0.5)
        db.session.commit()
        pending = db.session.execute(select(ApprovalTask.request_id, ApprovalTask.assignee_id)
                                     .where(ApprovalTask.status == "pending").limit(3)).all()
        assert db.session.scalar(select(func.count()).select_from(ApprovalRequest)) == 200
        token = {uid: db.session.get(User, uid).get_id() for _r, uid in pending}
    for request_id, assignee in pending:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = token[assignee], True
        assert "基准申请" in client.get("/approvals/").get_data(as_text=True)
        response = client.post(f"/approvals/{request_id}/approve")
        assert response.status_code == 302, response.get_data(as_text=True)[:300]  # the content hash matched

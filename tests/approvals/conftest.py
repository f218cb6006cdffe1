from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from intranet import db, utcnow
from intranet.approvals import ApprovalRequest, engine_for
from intranet.org import User
from plugins.general import services as general


class Desk:
    """Submitting and deciding general requests directly through the engine."""

    def __init__(self, app, company):
        self.app, self.company = app, company
        self.state = app.extensions["intranet"]
        self.now = utcnow()

    def engine(self, enabled=None):
        engine = engine_for(db.session, self.state, enabled=self.state.registry.modules if enabled is None else enabled)
        engine.now = self.now
        return engine

    def later(self, **delta):
        self.now += timedelta(**delta)

    def draft(self, username: str, amount, title: str = "测试申请", category: str = "办公用品"):
        requester = db.session.get(User, self.company[username])
        return general.create(db.session, general.RequestData(title=title, category=category,
                                                              amount=Decimal(str(amount))),
                              requester, ("办公用品", "差旅", "维修", "其他"))

    def submit(self, username: str, amount, **kwargs) -> tuple:
        document = self.draft(username, amount, **kwargs)
        general.submit(db.session, document, self.engine(), self.company[username])
        db.session.commit()
        return document, self.approval(document)

    def approval(self, document) -> ApprovalRequest:
        return self.engine().latest_request(general.APPROVAL_TYPE, document.id)

    def waiting_for(self, approval) -> set[str]:
        by_id = {v: k for k, v in self.company.ids.items()}
        return {by_id[t.assignee_id] for s in approval.steps if s.round == approval.round
                for t in s.tasks if t.status == "pending"}

    def act(self, action: str, approval, username: str, **kwargs):
        result = getattr(self.engine(), action)(approval.id, self.company[username], **kwargs)
        db.session.commit()
        db.session.expire_all()
        return result


@pytest.fixture
def desk(app, company):
    with app.app_context():
        yield Desk(app, company)
        db.session.rollback()

"""Building the engine for a request, a command or the reminder job."""
from __future__ import annotations

from flask import url_for
from sqlalchemy.orm import Session

from ..calendar import WorkCalendar, load_calendar_days
from ..db import db
from ..events import EventBus
from ..org.chart import load_org_chart
from ..settings import Settings, load_overrides
from ..web.context import calendar, enabled_hooks, enabled_modules, org_chart, settings, snapshot
from ..web.context import state as app_state
from .engine import ApprovalEngine


def current_engine(values: Settings | None = None) -> ApprovalEngine:
    """The engine for this web request (cached configuration, this user's session);
    ``values``: settings other than the request's (those just saved)."""
    return ApprovalEngine(db.session, types=app_state().approval_types, org=org_chart(), calendar=calendar(),
                          settings=values or settings(), enabled=enabled_modules(), delegations=snapshot()["delegations"],
                          link=lambda request_id: url_for("approvals.request_page", request_id=request_id),
                          events=EventBus(enabled_hooks()))


def engine_for(session: Session, state, enabled) -> ApprovalEngine:
    """An engine outside a web request (install, demo data, the reminder job)."""
    settings = Settings(state.settings, load_overrides(session))
    return ApprovalEngine(session, types=state.approval_types, org=load_org_chart(session),
                          calendar=WorkCalendar.from_settings(settings, load_calendar_days(session)),
                          settings=settings, enabled=enabled, events=EventBus(state.registry.hooks(enabled)))

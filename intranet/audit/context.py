"""The audit log's vocabulary for a web request."""
from __future__ import annotations

from sqlalchemy import select

from ..db import db
from ..org.models import Role, role_label
from ..web.context import state
from .labels import Vocabulary


def vocabulary() -> Vocabulary:
    """Names for the log's keys: tables by their models, forms and approval types by their titles."""
    current = state()
    models = {mapper.class_.__tablename__: mapper.class_ for mapper in db.Model.registry.mappers
              if hasattr(mapper.class_, "__tablename__")}
    entities = {**{key: kind.title for key, kind in current.approval_types.items()},
                **{key: template.title for key, template in current.pdf_templates.items()}}
    titles = {key: module.info.title for key, module in current.registry.modules.items()}
    roles = {role.key: role_label(role) for role in db.session.scalars(select(Role))}
    statuses = {kind.model.__tablename__: kind.statuses for kind in current.document_types.values()}
    return Vocabulary(models, entities, titles, roles, statuses)

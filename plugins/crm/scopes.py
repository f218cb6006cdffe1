"""Who sees which customers, and whose contact details (personal data)."""
from __future__ import annotations

from sqlalchemy import false

from intranet.documents import Scope, ScopeRule

VIEW_ALL = "crm.view_all"   # sales management: every customer and its contact details
USE = "crm.use"             # salespeople: customers, quotations, requests, the shared pool
MANAGE = "crm.manage"       # reassign, refresh segments, the clean-up list


def _in_pool(user, model):
    return model.owner_id.is_(None) if user.can(USE) else false()


#: Customers: their owner, the owner's department heads, sales management; the shared pool
#: 公海 is open to every salesperson (to claim).
CUSTOMER_SCOPE = Scope(owner="owner_id", department="department_id", widen=VIEW_ALL,
                       also=(ScopeRule(_in_pool, lambda user, c: c.owner_id is None and user.can(USE)),))

#: Contact details are personal data: the owner, their head, sales management; nobody else.
CONTACT_SCOPE = Scope(owner="owner_id", department="department_id", widen=VIEW_ALL)

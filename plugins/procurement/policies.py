"""The default approval policy of purchase requests: one rule per band of the total, each band's
limit following the ``procurement.bands`` setting by reference."""
from __future__ import annotations

from intranet import N_, force_locale, gettext

BANDS = "procurement.bands"
#: the limits of ``procurement.bands`` by their number in the setting (policies write ``@key[n]``)
FINANCE_LIMIT, OPEN_LIMIT, VP_LIMIT = 1, 2, 3


def _from_limit(number: int) -> dict:
    # Only the reference is written: the version saved takes the setting's value, and a changed
    # band makes the next version through the core (intranet_settings_changed).
    return {"field": "amount", "op": ">=", "value": {"setting": f"{BANDS}[{number}]"}}


def default_policy(settings) -> list[dict]:
    """Bands of the total (PROCESSES.md): below limit 1 the department head; from it the finance
    manager too; from limit 2 up to limit 3 the band the handbook leaves open (head and finance
    manager, its own rule so administrators can change it); from limit 3 the vice president in
    charge too. A request over its budget (stored at submission) gets the budget's extra step in
    every band: one step with its own condition."""
    # Step and rule names are the company's data, like department names: written once in its language.
    with force_locale(settings["core.default_language"]):
        names = {key: gettext(text) for key, text in (
            ("head", N_("Department head")), ("finance", N_("Finance manager")),
            ("vp", N_("Vice president in charge")), ("budget", N_("Over-budget approval")),
            ("vp_band", N_("Vice president's band")), ("open_band", N_("Band the handbook leaves open")),
            ("finance_band", N_("Finance manager's band")))}
    due = {"amount": settings["procurement.due_days"], "unit": "days"}
    head = {"name": names["head"], "approvers": {"kind": "department_head"}, "mode": "any", "due": due}
    finance = {"name": names["finance"], "approvers": {"kind": "role", "value": settings["procurement.finance_role"]},
               "mode": "any", "due": due}
    vp = {"name": names["vp"], "approvers": {"kind": "department_vp"}, "mode": "any", "due": due}
    budget = {"name": names["budget"], "approvers": {"kind": "role", "value": settings["procurement.over_budget_role"]},
              "mode": "any", "due": due, "conditions": [{"field": "over_budget", "op": "=", "value": True}]}
    return [
        {"label": names["vp_band"], "conditions": [_from_limit(VP_LIMIT)], "steps": [head, finance, vp, budget]},
        {"label": names["open_band"], "conditions": [_from_limit(OPEN_LIMIT)], "steps": [head, finance, budget]},
        {"label": names["finance_band"], "conditions": [_from_limit(FINANCE_LIMIT)], "steps": [head, finance, budget]},
        {"label": "", "conditions": [], "steps": [head, budget]},
    ]

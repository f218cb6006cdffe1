"""Default approval policies of the budget module, written from the budget handbook."""
from intranet import N_, force_locale, gettext


def by_total(settings) -> list[dict]:
    """Budgets and adjustments by their total: below budget.vp_threshold the department head,
    from it the vice president in charge, from budget.gm_threshold the general manager.

    Step names are the company's data, written once in its default language.
    """
    with force_locale(settings["core.default_language"]):
        head, vp, gm = (gettext(N_("Department head")), gettext(N_("Vice president in charge")),
                        gettext(N_("General manager")))
    due = {"amount": settings["budget.due_days"], "unit": "days"}
    gm_threshold, vp_threshold = str(settings["budget.gm_threshold"]), str(settings["budget.vp_threshold"])
    return [
        {"label": f"≥ {gm_threshold}", "conditions": [{"field": "amount", "op": ">=", "value": gm_threshold}],
         "steps": [{"name": gm, "approvers": {"kind": "role", "value": "general_manager"}, "mode": "any",
                    "due": due}]},
        {"label": f"≥ {vp_threshold}", "conditions": [{"field": "amount", "op": ">=", "value": vp_threshold}],
         "steps": [{"name": vp, "approvers": {"kind": "department_vp"}, "mode": "any", "due": due}]},
        {"label": "", "conditions": [],
         "steps": [{"name": head, "approvers": {"kind": "department_head"}, "mode": "any", "due": due}]},
    ]


def variance(settings) -> list[dict]:
    """A variance explanation: the department head confirms it, the finance manager takes note."""
    with force_locale(settings["core.default_language"]):
        head, finance = gettext(N_("Department head")), gettext(N_("Finance manager"))
    due = {"amount": settings["budget.due_days"], "unit": "days"}
    return [{"label": "", "conditions": [], "steps": [
        {"name": head, "approvers": {"kind": "department_head"}, "mode": "any", "due": due},
        {"name": finance, "approvers": {"kind": "role", "value": "finance_manager"}, "mode": "any", "due": due}]}]

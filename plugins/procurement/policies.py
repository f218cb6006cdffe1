"""The default approval policy of purchase requests, written from the bands in the settings."""
from __future__ import annotations

from intranet import N_, force_locale, gettext


def _steps(settings) -> dict[str, dict]:
    # Step names are the company's data, like department names: written once in its default language.
    with force_locale(settings["core.default_language"]):
        names = {key: gettext(text) for key, text in (
            ("head", N_("Department head")), ("finance", N_("Finance manager")),
            ("vp", N_("Vice president in charge")), ("budget", N_("Over-budget approval")))}
    due = {"amount": settings["procurement.due_days"], "unit": "days"}
    return {
        "head": {"name": names["head"], "approvers": {"kind": "department_head"}, "mode": "any", "due": due},
        "finance": {"name": names["finance"], "approvers": {"kind": "role", "value": settings["procurement.finance_role"]},
                    "mode": "any", "due": due},
        "vp": {"name": names["vp"], "approvers": {"kind": "department_vp"}, "mode": "any", "due": due},
        "budget": {"name": names["budget"],
                   "approvers": {"kind": "role", "value": settings["procurement.over_budget_role"]},
                   "mode": "any", "due": due},
    }


MIDDLE = {"head": ("head",), "head_finance": ("head", "finance"), "head_finance_vp": ("head", "finance", "vp")}


def default_policy(settings) -> list[dict]:
    """Bands of the total (PROCESSES.md): below ``finance_from`` the department head; from it the
    finance manager too; the band the handbook leaves open (``middle_band_from`` up to ``vp_from``)
    as administrators choose; from ``vp_from`` the vice president in charge too. A request over
    its budget (stored at submission) gets the budget's extra step after the others."""
    steps = _steps(settings)
    finance_from, middle_from, vp_from = (str(settings[f"procurement.{key}"])
                                          for key in ("finance_from", "middle_band_from", "vp_from"))
    bands = [(f"≥ {vp_from}", [{"field": "amount", "op": ">=", "value": vp_from}], ("head", "finance", "vp")),
             (f"≥ {middle_from}", [{"field": "amount", "op": ">=", "value": middle_from}],
              MIDDLE[settings["procurement.middle_band_steps"]]),
             (f"≥ {finance_from}", [{"field": "amount", "op": ">=", "value": finance_from}], ("head", "finance")),
             ("", [], ("head",))]
    over = {"field": "over_budget", "op": "=", "value": True}
    rules = [{"label": f"{label} + budget".strip(" +"), "conditions": [over, *conditions],
              "steps": [steps[k] for k in (*keys, "budget")]} for label, conditions, keys in bands]
    rules += [{"label": label, "conditions": conditions, "steps": [steps[k] for k in keys]}
              for label, conditions, keys in bands]
    return rules


def follow_bands(engine, type_key: str, settings) -> None:
    """A changed band is a new version of the policy, as long as administrators have not written
    their own: the module's versions carry no author."""
    current = engine.current_policy(type_key)
    if current.created_by_id is not None:
        return
    kind = engine.types[type_key]
    wanted = [rule.to_json() for rule in engine.parse(kind, default_policy(settings))]
    if wanted != current.rules:
        engine.save_policy(type_key, default_policy(settings), note="", actor_id=None)

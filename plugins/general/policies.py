"""The default approval policy of general requests."""
from intranet import N_, force_locale, gettext


def default_policy(settings) -> list[dict]:
    """Department head; from general.vp_threshold on, then the vice president in charge.

    The band follows the setting: changing it makes a new policy version. Step and rule names
    are the company's data, like department names: they are written in the company's default
    language, once, and edited as the company likes.
    """
    with force_locale(settings["core.default_language"]):
        head_name, vp_name = gettext(N_("Department head")), gettext(N_("Vice president in charge"))
        large = gettext(N_("Large amounts"))
    head = {"name": head_name, "approvers": {"kind": "department_head"}, "mode": "any",
            "due": {"amount": settings["general.head_due_days"], "unit": "days"}}
    vp = {"name": vp_name, "approvers": {"kind": "department_vp"}, "mode": "any",
          "due": {"amount": settings["general.vp_due_days"], "unit": "days"}}
    return [
        {"label": large, "conditions": [{"field": "amount", "op": ">=", "value": {"setting": "general.vp_threshold"}}],
         "steps": [head, vp]},
        {"label": "", "conditions": [], "steps": [head]},
    ]

"""The default approval policy of general requests."""


def default_policy(settings) -> list[dict]:
    """Department head; from general.vp_threshold on, then the vice president in charge."""
    head = {"name": "部门主管 Department head", "approvers": {"kind": "department_head"}, "mode": "any",
            "due": {"amount": settings["general.head_due_days"], "unit": "days"}}
    vp = {"name": "分管副总 Vice president", "approvers": {"kind": "department_vp"}, "mode": "any",
          "due": {"amount": settings["general.vp_due_days"], "unit": "days"}}
    threshold = str(settings["general.vp_threshold"])
    return [
        {"label": f"≥ {threshold}", "conditions": [{"field": "amount", "op": ">=", "value": threshold}],
         "steps": [head, vp]},
        {"label": "", "conditions": [], "steps": [head]},
    ]

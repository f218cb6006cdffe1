"""The role/permission matrix and record scopes."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet import db
from intranet.admin.setup import install
from intranet.audit import AuditEntry
from intranet.auth.models import RolePermission
from intranet.org import User
from tests.example_module.models import ExampleItem


def granted(app) -> set[tuple[str, str]]:
    with app.app_context():
        return set(db.session.execute(select(RolePermission.role_key, RolePermission.permission)).all())


def test_the_matrix_grants_and_revokes_and_a_revoked_default_stays_revoked(app, client, auth, runner, company):
    auth.login("hanmei")
    cells = granted(app) - {("sysadmin", "core.audit.view")} | {("hr_manager", "core.audit.view")}
    response = client.post("/admin/roles", data={"matrix": "1", "grant": [f"{r}|{p}" for r, p in cells]})
    assert response.status_code == 302
    assert granted(app) == cells
    auth.login("sunli")  # HR manager now reads the audit log
    assert client.get("/audit/").status_code == 200
    auth.login("hanmei")
    assert client.get("/audit/").status_code == 403
    assert runner.invoke(args=["init"]).exit_code == 0  # installing again does not undo the revocation
    assert ("sysadmin", "core.audit.view") not in granted(app)


def test_unknown_cells_are_ignored(app, client, auth, company):
    auth.login("hanmei")
    before = granted(app)
    client.post("/admin/roles", data={"matrix": "1", "grant": [f"{r}|{p}" for r, p in before] +
                                     ["emperor|core.audit.view", "sysadmin|launch.missiles", "junk"]})
    assert granted(app) == before


def test_a_matrix_that_leaves_nobody_to_manage_roles_is_refused(app, client, auth, company):
    auth.login("hanmei")
    before = granted(app)
    for cells in (set(), before - {("sysadmin", "core.roles.manage")},
                  before - {("sysadmin", "core.roles.manage")} | {("archivist", "core.roles.manage")}):
        if cells and ("archivist", "core.roles.manage") in cells:
            with app.app_context():  # the only archivist has left
                db.session.get(User, company["xiefang"]).active = False
                db.session.commit()
        response = client.post("/admin/roles", data={"matrix": "1", "grant": [f"{r}|{p}" for r, p in cells]})
        assert response.status_code == 422, cells
        assert "Nobody active would be left to manage roles and permissions." in response.get_data(as_text=True)
        assert granted(app) == before
    assert client.get("/admin/roles").status_code == 200  # still the administrator
    handed_over = before - {("sysadmin", "core.roles.manage")} | {("it_admin", "core.roles.manage")}
    response = client.post("/admin/roles", data={"matrix": "1", "grant": [f"{r}|{p}" for r, p in handed_over]})
    assert response.status_code == 302 and granted(app) == handed_over


def test_restore_defaults_gives_the_roles_their_declared_permissions_back(app, runner, company):
    declared = {(role, p.key) for p in app.extensions["intranet"].permissions.values() for role in p.default_roles}
    with app.app_context():
        db.session.add(RolePermission(role_key="hr_manager", permission="core.audit.view"))  # beyond the defaults
        db.session.execute(RolePermission.__table__.delete().where(RolePermission.role_key != "hr_manager"))
        db.session.commit()
    kept = granted(app)
    result = runner.invoke(args=["roles", "restore-defaults"])
    assert result.exit_code == 0, result.output
    assert f"{len(declared - kept)} default permissions restored." in result.output
    assert "韩梅 (hanmei)" in result.output
    assert granted(app) == declared | {("hr_manager", "core.audit.view")}
    again = runner.invoke(args=["roles", "restore-defaults"])
    assert again.exit_code == 0 and "Every default permission is granted already." in again.output
    assert granted(app) == declared | {("hr_manager", "core.audit.view")}
    with app.app_context():
        entries = db.session.execute(select(AuditEntry.actor_name, AuditEntry.action, AuditEntry.changes)
                                     .where(AuditEntry.action == "permissions_restored")).all()
    assert len(entries) == 1 and entries[0].actor_name == "cli:roles"
    assert "sysadmin|core.roles.manage" in entries[0].changes["granted"]


def test_a_new_role_and_its_permissions(app, client, auth, company):
    auth.login("hanmei")
    assert client.post("/admin/roles", data={"key": "Bad Key!", "name": "x"}).status_code == 422
    assert client.post("/admin/roles", data={"key": "auditor", "name": "审计员"}).status_code == 302
    assert client.post("/admin/roles", data={"key": "auditor", "name": "again"}).status_code == 422
    page = client.get("/admin/roles").get_data(as_text=True)
    assert "审计员" in page and 'value="auditor|core.audit.view"' in page


def test_new_permissions_reach_their_default_roles_once(app, company):
    with app.app_context():
        assert ("sysadmin", "example.manage") in granted(app)
        db.session.execute(RolePermission.__table__.delete().where(RolePermission.permission == "example.manage"))
        db.session.commit()
        install(db.session, app.extensions["intranet"])
        db.session.commit()
    assert ("sysadmin", "example.manage") not in granted(app)


def add(app, owner, title):
    with app.app_context():
        from intranet.org import User

        user = db.session.get(User, owner)
        db.session.add(ExampleItem(title=title, owner_id=owner, department_id=user.department_id, due_on=date.today()))
        db.session.commit()


def titles(client) -> set[str]:
    import re

    return set(re.findall(r"<li>(.*?)</li>", client.get("/example/").get_data(as_text=True)))


def test_scope_own_records_department_heads_vice_presidents_and_widening(app, client, auth, company):
    add(app, company["zhangwei"], "张伟的")
    add(app, company["lina"], "李娜的")
    add(app, company["hejing"], "何静的")
    auth.login("zhangwei")
    assert titles(client) == {"张伟的"}
    auth.login("chenhao")  # heads 研发部
    assert titles(client) == {"张伟的", "李娜的"}
    auth.login("liuyang")  # vice president in charge of 研发部 and 销售部
    assert titles(client) == {"张伟的", "李娜的", "何静的"}
    auth.login("zhaomin")  # in charge of other departments
    assert titles(client) == set()
    auth.login("hanmei")  # example.view_all
    assert titles(client) == {"张伟的", "李娜的", "何静的"}


def test_holders_of_a_permission_in_a_department_and_below(app, company):
    from intranet.auth import holders
    from intranet.org import Role
    from intranet.org.chart import load_org_chart

    with app.app_context():
        reviewer = db.session.get(Role, "example_reviewer")
        for name in ("lina", "luojun"):  # 研发部 (RD) and 仓库 (WH, under 采购部 PUR)
            person = db.session.get(User, company[name])
            person.roles.append(reviewer)
        db.session.commit()
        org = load_org_chart(db.session)
        everyone = holders(db.session, "example.manage")
        assert {company["lina"], company["luojun"], company["hanmei"]} <= set(everyone) and everyone == sorted(everyone)
        purchasing = org.by_code("PUR").id
        assert holders(db.session, "example.manage", department_id=purchasing, org=org) == [company["luojun"]]
        db.session.get(User, company["luojun"]).active = False
        db.session.commit()
        assert holders(db.session, "example.manage", department_id=purchasing, org=org) == []


def test_a_role_based_way_in_sees_every_order_but_obeys_restrictions(app, client, auth, company):
    """ScopeRule.holding: reviewers see every order in lists and on its page; a confidential order
    stays with its requester (and view_all), in lists and pages alike."""
    from intranet.org import Role
    from tests.conftest import file_order

    auth.login("zhangwei")
    plain = file_order(client, "普通订单", "800", submit=False)
    secret = file_order(client, "机密订单", "800", submit=False, category="机密")
    with app.app_context():
        keeper = db.session.get(User, company["luojun"])
        keeper.roles.append(db.session.get(Role, "example_reviewer"))
        db.session.commit()
    seen = {}
    for name in ("luojun", "chenhao", "machao", "zhangwei", "hanmei"):
        auth.login(name)
        listed = client.get("/example/orders/").get_data(as_text=True)
        seen[name] = ("普通订单" in listed, "机密订单" in listed,
                      client.get(f"/example/orders/{plain}").status_code,
                      client.get(f"/example/orders/{secret}").status_code)
    assert seen["luojun"] == (True, False, 200, 403)  # a reviewer, far from 研发部
    assert seen["chenhao"] == (True, False, 200, 403)  # the head of 研发部: the restriction holds for him too
    assert seen["machao"] == (False, False, 403, 403)  # head of another department, no role
    assert seen["zhangwei"] == (True, True, 200, 200)  # the requester
    assert seen["hanmei"] == (True, True, 200, 200)  # example.view_all widens past restrictions

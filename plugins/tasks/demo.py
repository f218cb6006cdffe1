"""Demo tasks in every state, moved through the real rules."""
from __future__ import annotations

from datetime import timedelta

from . import services
from .models import TaskDependency

#: (requester, owner, helpers, title, goal, acceptance, start (days from today), length in days,
#:  what happened: progress %, "deliver", "accept", "refuse", "delay")
STORIES = (
    ("chenhao", "zhangwei", ("lina",), "OA 系统单点登录改造",
     "在 11 月底前完成 OA 与企业微信的单点登录对接，\n覆盖全部 24 名员工账号，登录失败率低于 1%。",
     "全员可用企业微信扫码登录 OA；测试报告通过；运维手册已更新。", -20, 15, [60, "deliver", "accept"]),
    ("chenhao", "lina", (), "回归测试用例整理", "整理测试用例", "", -10, 7, [30]),
    ("chenhao", "zhangwei", ("tangjie",), "测试服务器迁移到新机房",
     "将 3 台测试服务器迁移至新机房机柜 B-04，\n停机时间不超过 4 小时。", "服务器在新机房开机运行，监控无告警。",
     -3, 10, [20]),
    ("chenhao", "tangjie", (), "机房 UPS 巡检", "完成机房 UPS 电池巡检并出具报告，\n更换容量低于 80% 的电池。",
     "巡检报告已归档。", -12, 5, ["delay"]),
    ("huanglei", "hejing", ("linna",), "华东区重点客户回访", "回访华东区 20 家重点客户，\n收集续约意向与服务意见。",
     "20 份回访记录录入 CRM；续约意向汇总表。", -6, 14, [40]),
    ("huanglei", "linna", (), "季度销售报表", "编制第四季度销售报表，\n按产品线与区域汇总。", "报表经销售经理审核。",
     -8, 6, [100, "deliver"]),
    ("sunli", "zhouting", (), "新员工入职培训安排", "为 12 月入职的 5 名新员工安排入职培训，\n含制度、安全与系统操作。",
     "培训签到表与考核成绩归档。", 2, 12, []),
    ("songjia", "xiefang", (), "年度档案整理", "完成 2026 年度行政档案整理与装订，\n编制归档清单。",
     "归档清单经行政经理签字。", -15, 20, [70, "deliver", "refuse"]),
    ("wangjg", "chenhao", ("zhangwei", "lina"), "研发部年度总结", "撰写研发部年度工作总结，\n包括项目完成率与下年计划。",
     "总经理审阅通过。", 5, 20, []),
)


def create(session, company) -> None:
    documents, settings = company.documents, company.settings
    today = documents.engine.calendar.today(company.now)
    made = []
    for requester, owner, helpers, title, goal, acceptance, start, length, story in STORIES:
        company.at(company.now + timedelta(days=min(start, 0) - 1))
        first = today + timedelta(days=start)
        data = services.TaskData(
            title=title, owner_id=company.users[owner].id, start_on=first, due_on=first + timedelta(days=length),
            goal=goal, acceptance=acceptance, helper_ids=[company.users[h].id for h in helpers],
            milestones=[services.MilestoneData("方案评审", first + timedelta(days=length // 3)),
                        services.MilestoneData("完成验证", first + timedelta(days=2 * length // 3))])
        task = services.create(documents, data, company.users[requester], settings)
        task.created_at = documents.now
        made.append(task)
        company.at(company.now)
        for step in story:
            if isinstance(step, int):
                services.record_progress(documents, task, task.owner_id, step, "执行中" if step < 100 else "收尾")
            elif step == "deliver":
                services.deliver(documents, task, task.owner_id, "交付物见附件与共享盘。")
            elif step == "accept":
                services.review(documents, task, task.requester_id, True, "符合验收标准，同意验收。")
            elif step == "refuse":
                services.review(documents, task, task.requester_id, False, "清单缺少 10 月份合同类档案，请补齐后再提交。")
    # The migration waits for the UPS check; the UPS check is late, so the migration's owner is warned.
    made[2].predecessors = [TaskDependency(depends_on_id=made[3].id)]
    services.mark_delayed(documents, settings, today)
    session.flush()

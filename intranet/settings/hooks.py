"""The company-wide settings that belong to no other core area (name, time zone, working days,
units, page size, attachments), declared through the same hook as any module's."""
from __future__ import annotations

from datetime import time

from ..calendar import OFFICIAL_CALENDARS
from ..calendar.services import WEEKDAY_NAMES
from ..i18n import lazy_gettext as _l
from ..i18n import lazy_timezone, lazy_weekday
from ..plugins import hookimpl
from .registry import Setting

TIME_ZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "UTC", "Europe/Berlin",
              "Europe/London", "America/New_York")
#: Each language by its own name, as language switches show them.
LANGUAGES = {"zh_CN": "中文", "en": "English"}


@hookimpl
def intranet_settings():
    return [
        Setting("core.company_name", "示例科技有限公司", _l("Company name"), type="str"),
        Setting("core.company_name_en", "Example Technology Co., Ltd.", _l("Company name in English"), type="str"),
        Setting("core.timezone", "Asia/Shanghai", _l("Company time zone"), type="choice", choices=TIME_ZONES,
                choice_labels={zone: lazy_timezone(zone) for zone in TIME_ZONES}),
        Setting("core.default_language", "zh_CN", _l("Default language"), type="choice", choices=tuple(LANGUAGES),
                choice_labels=LANGUAGES),
        Setting("core.weekend_days", ("sat", "sun"), _l("Weekend days"), _l("Days off every week."), type="list",
                choices=WEEKDAY_NAMES, choice_labels={day: lazy_weekday(i) for i, day in enumerate(WEEKDAY_NAMES)}),
        Setting("core.official_holidays", "CN", _l("Official holidays"),
                _l("Follow the country's public holidays and make-up working days; "
                   "days entered on the work calendar page take precedence."),
                type="choice", choices=OFFICIAL_CALENDARS,
                choice_labels={"CN": _l("China's public holidays"), "none": _l("None: weekends only")}),
        Setting("core.workday_start", time(9, 0), _l("Working day starts"), type="time"),
        Setting("core.workday_end", time(18, 0), _l("Working day ends"), type="time"),
        Setting("core.units", ("个", "台", "套", "件", "箱", "包", "本", "张", "米", "千克", "升", "次", "项", "人天"),
                _l("Units"), _l("Units to choose from in line items, separated by commas."), type="list"),
        Setting("core.page_size", 25, _l("Rows per page in lists"), type="int", minimum=5, maximum=200),
        Setting("core.attachment_max_kb", 10240, _l("Largest attachment (KB)"), type="int",
                minimum=1, maximum=30 * 1024),
        Setting("core.attachment_types",
                ("pdf", "png", "jpg", "jpeg", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "zip"),
                _l("Accepted attachment types"), type="list"),
    ]

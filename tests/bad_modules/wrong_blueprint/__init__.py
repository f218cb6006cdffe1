from flask import Blueprint

from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="wrongbp", title="Wrong blueprint")


@hookimpl
def intranet_blueprints():
    return [Blueprint("something_else", __name__)]

from flask import Blueprint

from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="stray", title="Templates outside its folder")


@hookimpl
def intranet_blueprints():
    return [Blueprint("stray", __name__, template_folder="templates")]

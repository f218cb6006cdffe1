from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="admin", title="Takes the core's name")

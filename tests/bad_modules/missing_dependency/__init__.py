from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="lonely", title="Needs a module that is not installed", depends_on=("nowhere",))

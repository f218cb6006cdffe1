from intranet import ModuleInfo, hookimpl
from intranet.auth import Permission


@hookimpl
def intranet_module():
    return ModuleInfo(key="wrongperm", title="Wrong permission")


@hookimpl
def intranet_permissions():
    return [Permission("approve_everything", "No prefix")]

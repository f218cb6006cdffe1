"""A module that needs the example module (proves dependency checks)."""
from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="needy", title="Needy", depends_on=("example",))

from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="shapeless", title="Answers a declared hook with the wrong parameters")


@hookimpl
def example_stock(item, warehouse):
    """The example module's specification has no ``warehouse``."""
    return None

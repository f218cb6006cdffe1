from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="misspeller", title="Misspells another module's hook", uses=("example",))


@hookimpl
def example_stok(item):
    """A typo in the name of a hook the example module declares must fail at start-up."""
    return None

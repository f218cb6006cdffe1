from intranet import ModuleInfo, hookimpl


@hookimpl
def intranet_module():
    return ModuleInfo(key="typo", title="Misspells a hook")


@hookimpl
def intranet_menu_itmes(user):
    """A typo in a hook name must fail loudly (check_pending)."""
    return []

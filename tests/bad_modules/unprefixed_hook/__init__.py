from intranet import ModuleInfo, hookimpl, hookspec


class Specs:
    @staticmethod
    @hookspec
    def stock_level(item):
        """A hook whose name does not start with the module's key."""


@hookimpl
def intranet_module():
    return ModuleInfo(key="prefixless", title="Declares a hook without its key")


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(Specs)

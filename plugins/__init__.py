"""The intranet's built-in process modules, one package each (see docs/writing-a-plugin.md)."""

"""The pages every employee starts from: the dashboard with each module's widgets, global search,
the language switch, the navigation's counts and the health check."""

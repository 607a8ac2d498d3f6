"""The main window's parts, one responsibility each, combined by
:class:`app.main_window.MainWindow` and :class:`app.workspace.Workspace`."""

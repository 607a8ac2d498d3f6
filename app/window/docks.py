"""The workspace's docks: the session browser and details, key moments and the Analysis
dock (the set's panel, or both sides while comparing), the drawing toolbar and the
status bar's save state and job indicator; their default widths.

A mixin of :class:`app.workspace.Workspace`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QStackedWidget, QTabWidget

from widgets.analysis_panel import AnalysisPanelWidget
from widgets.compare_analysis import CompareAnalysisWidget
from widgets.job_indicator import JobIndicatorWidget
from widgets.key_moments_panel import KeyMomentsPanelWidget
from widgets.readout_label import ReadoutLabel
from widgets.session_browser import SessionBrowserWidget
from widgets.session_form import SessionFormWidget
from widgets.tool_palette import ToolPaletteWidget


class WorkspaceDocks:
    """Builds and sizes the workspace's docks; puts some away while comparing."""

    def _build_docks(self) -> None:
        w = self.win
        self.browser = SessionBrowserWidget(self.model)
        self.form = SessionFormWidget()
        tabs = QTabWidget()
        tabs.addTab(self.browser, "Sessions")
        tabs.addTab(self.form, "Details")
        self.sessions_dock = QDockWidget("Sessions", w)
        self.sessions_dock.setObjectName("sessionsDock")
        self.sessions_dock.setWidget(tabs)
        w.addDockWidget(Qt.LeftDockWidgetArea, self.sessions_dock)
        self.moments = KeyMomentsPanelWidget()
        self.moments_dock = QDockWidget("Key moments", w)
        self.moments_dock.setObjectName("momentsDock")
        self.moments_dock.setWidget(self.moments)
        w.addDockWidget(Qt.LeftDockWidgetArea, self.moments_dock)
        w.resizeDocks([self.sessions_dock, self.moments_dock], [560, 200], Qt.Vertical)
        self.palette = ToolPaletteWidget(list(self.drawing.tools.values()), w)
        w.addToolBar(Qt.TopToolBarArea, self.palette)
        self.palette.set_current("select")
        self.save_label = ReadoutLabel()  # keeps the room of its longest state, never cut
        self.save_label.hold("All changes saved", "⚠ Saving is off", "⚠ Not saved", "Saving…")
        w.statusBar().addPermanentWidget(self.save_label)
        self.indicator = JobIndicatorWidget()
        w.statusBar().addPermanentWidget(self.indicator)
        self.panel = AnalysisPanelWidget(self.model)
        self.compare_panel = CompareAnalysisWidget()
        self.analysis_stack = QStackedWidget()
        self.analysis_stack.addWidget(self.panel)
        self.analysis_stack.addWidget(self.compare_panel)
        self.analysis_dock = QDockWidget("Analysis", w)
        self.analysis_dock.setObjectName("analysisDock")
        self.analysis_dock.setWidget(self.analysis_stack)
        w.addDockWidget(Qt.RightDockWidgetArea, self.analysis_dock)
        # narrowed by the user down to 460 px the tempo wraps at its dashes and every
        # number of the rep table (11 pt) stays whole
        self.analysis_stack.setMinimumWidth(460)
        self.size_docks()

    def _on_compare_entered(self) -> None:
        """Comparing: the Analysis dock shows both sides; the Sessions and Key moments
        docks make way for the two pictures (they come back on leaving)."""
        self.analysis_stack.setCurrentWidget(self.compare_panel)
        if not self._hidden_for_compare:
            self._hidden_for_compare = [d for d in (self.sessions_dock, self.moments_dock)
                                        if d.isVisible() and not d.isFloating()]
            for d in self._hidden_for_compare:
                d.hide()

    def _on_compare_left(self) -> None:
        self.analysis_stack.setCurrentWidget(self.panel)
        for d in self._hidden_for_compare:
            d.show()
        self._hidden_for_compare = []
        self._update_title()  # the clip and its session again (the comparison's was shown)

    def size_docks(self) -> None:
        """The side docks' default widths: the Analysis dock 540 px, a set's rep table
        whole at 11 pt with its tempo on two lines; the Sessions dock 300 px. The window
        applies them again when first shown at its size (not over a remembered layout)."""
        self.win.resizeDocks([self.sessions_dock, self.analysis_dock], [300, 540],
                             Qt.Horizontal)

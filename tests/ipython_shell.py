"""A stand-in for an IPython shell, for tests that pretend to run inside one."""

from __future__ import annotations

import matplotlib.pyplot as plt
from IPython.core.events import EventManager, available_events


class FakeShell:
    """What matplotlib and IPython call on `get_ipython()`: the shell's `events` (a real EventManager).

    pyplot hooks its redraw onto the first shell it meets (`install_repl_displayhook`) and remembers it
    for the whole process; `monkeypatch` restores that memory after the test, so no later test sees
    the fake shell's hook, whatever the order the tests run in.
    """

    def __init__(self, monkeypatch):
        self.events = EventManager(self, available_events)
        monkeypatch.setattr(plt, "_REPL_DISPLAYHOOK", plt._REPL_DISPLAYHOOK)

    def enable_gui(self, gui=None):  # pyplot asks for an event loop with interactive backends
        pass

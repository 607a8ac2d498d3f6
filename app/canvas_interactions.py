"""Several handlers of mouse input on the canvas, tried in order (tracking, then drawing)."""

from __future__ import annotations


class InteractionChain:
    """The first handler that takes a press also gets the moves and the release."""

    def __init__(self, *handlers) -> None:
        self.handlers = list(handlers)
        self._active = None

    def press(self, p, event) -> bool:
        for h in self.handlers:
            if h.press(p, event):
                self._active = h
                return True
        self._active = None
        return False

    def move(self, p, event) -> bool:
        if self._active is not None:
            return self._active.move(p, event)
        return any(h.move(p, event) for h in self.handlers)

    def release(self, p, event) -> bool:
        h, self._active = self._active, None
        return h.release(p, event) if h is not None else False

    def double_click(self, p, event) -> bool:
        return any(getattr(h, "double_click", lambda *a: False)(p, event) for h in self.handlers)

    def context_menu(self, p, global_pos) -> None:
        for h in self.handlers:
            if hasattr(h, "context_menu"):
                h.context_menu(p, global_pos)
                return

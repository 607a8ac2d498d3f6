"""Key moments: marked instants of a recording ("knees cave, rep 3").

They are a list of their own on the recording, not drawings: they have no
geometry and no style, and the timeline and the key-moment panel list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analysis.annotations.base import TIME_LIMIT, new_id
from analysis.annotations.style import AnnotationError, check_number

MAX_TITLE = 500
MAX_COMMENT = 20_000
_KEYS = {"id", "t", "title", "comment"}


@dataclass
class KeyMoment:
    """A marked instant.

    Attributes
    ----------
    t : float
        Clip time in seconds.
    title, comment : str
    id : str
        UUID.
    extra : dict
        Fields from a newer LiftLens, kept.
    """

    t: float
    title: str
    comment: str = ""
    id: str = field(default_factory=new_id)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The key moment as a JSON object."""
        d = dict(self.extra)
        d.update({"id": self.id, "t": self.t, "title": self.title, "comment": self.comment})
        return d

    @classmethod
    def from_dict(cls, d: Any) -> KeyMoment:
        """Read a key moment.

        Raises
        ------
        AnnotationError
            When a field is missing or has the wrong type.
        """
        if not isinstance(d, dict):
            raise AnnotationError("a key moment must be an object")
        title, comment, ident = d.get("title", ""), d.get("comment", ""), d.get("id")
        if not isinstance(title, str) or not isinstance(comment, str):
            raise AnnotationError("key moment title and comment must be text")
        if len(title) > MAX_TITLE or len(comment) > MAX_COMMENT:
            raise AnnotationError("key moment title or comment is too long")
        if not isinstance(ident, str) or not 0 < len(ident) <= 64:
            raise AnnotationError("key moment has no valid id")
        return cls(t=check_number(d.get("t"), "t", -TIME_LIMIT, TIME_LIMIT), title=title,
                   comment=comment, id=ident, extra={k: v for k, v in d.items() if k not in _KEYS})

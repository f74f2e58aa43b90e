"""Small helpers around Textual's workers, shared by screens."""

from __future__ import annotations

import contextlib

from textual.dom import DOMNode


async def finish_workers(node: DOMNode, group: str) -> None:
    """Wait for `node`'s workers in `group` to end (their errors are theirs to report): before a
    screen goes, since removing it cancels what is still running."""
    for worker in [w for w in node.workers if w.node is node and w.group == group]:
        with contextlib.suppress(Exception):
            await worker.wait()

"""Print the runtime dependencies pinned to the lowest version pyproject declares (">=X" -> "==X"),
and the test tools without the renderer pins, so CI can run the tests against the bounds we promise."""

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["project"]
# The test extra pins textual/rich for pixel-exact snapshots; the lowest run skips snapshots.
SNAPSHOT_ONLY = {"textual", "rich", "pytest-textual-snapshot", "ruff", "mypy"}


def name_of(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()


for requirement in project["dependencies"]:
    lowest = re.search(r">=\s*([\w.]+)", requirement)
    if lowest is None:
        sys.exit(f"no lower bound declared: {requirement}")
    print(f"{name_of(requirement)}=={lowest.group(1)}")
for requirement in project["optional-dependencies"]["test"]:
    if name_of(requirement) not in SNAPSHOT_ONLY:
        print(requirement)

"""Print the requirements that this Python does not satisfy.

    python scripts/_requirements.py FILE [FILE ...]

Reads pip requirement files (comments, environment markers and ``-r``
includes; other pip options are ignored) and prints each requirement that
applies to this Python but is not installed in a matching version, one a
line. Exits 1 when something is missing, 0 otherwise. scripts/start uses it
to run pip only when there is something to install.
"""

import sys
from importlib import metadata
from pathlib import Path

from pip._vendor.packaging.requirements import InvalidRequirement, Requirement


def requirement_lines(path):
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            included = line.split(None, 1)[1]
            yield from requirement_lines(Path(path).parent / included)
        elif not line.startswith("-"):
            yield line


def is_satisfied(line):
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return False
    if requirement.marker and not requirement.marker.evaluate():
        return True
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return False
    return requirement.specifier.contains(version, prereleases=True)


def main(paths):
    missing = [line for path in paths for line in requirement_lines(path) if not is_satisfied(line)]
    for line in missing:
        print(line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

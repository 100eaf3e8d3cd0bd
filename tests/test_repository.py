"""Repository-level checks of the addons: manifests and translations."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = [
    "sh_customers",
    "sh_loyalty",
    "sh_interactions",
    "sh_reports",
    "sh_loyalty_sale",
    "sh_interactions_loyalty",
    "sh_reports_loyalty",
    "sh_reports_interactions",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]|%[sdf]|\{\w*\}")


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_is_complete(addon):
    data = manifest(addon)
    assert data["version"].startswith("18.0.")
    assert data["license"] == "LGPL-3"
    assert data["installable"]
    for path in data.get("data", []) + data.get("demo", []):
        assert (ROOT / addon / path).is_file(), f"{addon}: {path} is listed but missing"


@pytest.mark.parametrize("addon", ADDONS)
def test_arabic_translation_is_complete(addon):
    pot_path = ROOT / addon / "i18n" / f"{addon}.pot"
    po_path = ROOT / addon / "i18n" / "ar.po"
    if not pot_path.exists():
        assert not manifest(addon).get("data"), f"{addon} has data files but no {pot_path.name}"
        return
    pot = polib.pofile(str(pot_path))
    po = polib.pofile(str(po_path))
    translated = {entry.msgid: entry.msgstr for entry in po if not entry.obsolete}
    missing = [entry.msgid for entry in pot if not translated.get(entry.msgid)]
    assert not missing, f"{addon}: {len(missing)} strings without Arabic: {missing[:10]}"
    for msgid, msgstr in translated.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (
            f"{addon}: placeholders differ in {msgid!r} -> {msgstr!r}"
        )


@pytest.mark.parametrize("addon", ADDONS)
def test_arabic_translation_compiles(addon):
    """What gettext itself checks (msgfmt -c): formats, and leading and
    trailing newlines that must match between a string and its translation."""
    po_path = ROOT / addon / "i18n" / "ar.po"
    if not po_path.exists():
        return
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed to check the translations"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(po_path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"{addon}: {result.stderr}"

"""The README's layout table names every module of geo/ and views/ (as Datasette tests its documentation)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layout() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Organisation"):text.index("## Sources et licences")]


def test_every_module_is_in_the_readme_layout():
    layout = _layout()
    modules = [p for d in ("geo", "views") for p in (ROOT / d).rglob("*.py") if p.name != "__init__.py"]
    missing = [str(p.relative_to(ROOT)) for p in modules if f"`{p.relative_to(ROOT)}`" not in layout]
    assert not missing, f"absent du tableau « Organisation » du README : {missing}"


def test_the_layout_names_no_module_that_is_gone():
    import re

    named = set(re.findall(r"`((?:geo|views|scripts)/[\w/]+\.py)`", _layout()))
    assert named and not [n for n in named if not (ROOT / n).exists()]


def test_each_package_says_what_it_exports():
    """A package's face: its docstring, and `__all__` for those that hand names on."""
    import importlib

    for pkg in ("store", "build", "io", "resolve", "imports", "data", "maps", "slides"):
        module = importlib.import_module(f"geo.{pkg}")
        assert module.__doc__, pkg
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), (pkg, name)


def test_every_setting_is_documented_and_printed():
    """Each TDJ_* setting: in the README's table with its default, and printed by `python -m geo reglages`."""
    import re
    import subprocess
    import sys

    from geo.settings import SETTINGS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert re.search(rf"^\| `{s.name}` \| {re.escape(f'`{s.default}`' if s.default else '(vide)')} \|", readme,
                         re.M), s.name
    code = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "geo").rglob("*.py"))
    used = set(re.findall(r"TDJ_[A-Z_]+", code))
    assert used - {"TDJ_LABEL"} <= {s.name for s in SETTINGS}  # TDJ_LABEL: a constant of geo/build/synth.py
    out = subprocess.run([sys.executable, "-m", "geo", "reglages"], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert all(s.name in out.stdout for s in SETTINGS)

"""The test suite's own rule: a test module never imports another test module (nor a conftest).

What tests share lives in tests/support/; importing a test module instead runs its tests' module code
twice, ties unrelated tests together and hides which helper is shared. The imports are read with `ast`,
so every form counts: `import tests.test_x`, `from tests import test_x`, `from .test_x import y`,
`from ..browser.test_kiosk import z`, `from . import conftest`.
"""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def is_test_module(name: str) -> bool:
    return name.startswith("test_") or name == "conftest"


def module_parts(path: Path) -> list[str]:
    """tests/browser/test_kiosk.py -> ["tests", "browser", "test_kiosk"]."""
    return ["tests", *path.relative_to(TESTS).with_suffix("").parts]


def imported_test_modules(source: str, parts: list[str]) -> list[str]:
    """The test modules (or conftests) that the module at `parts` imports, as dotted names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = parts[: -node.level] if node.level else []
            if node.module:
                base = base + node.module.split(".")
            names = [".".join(base)]
            if (TESTS.parent.joinpath(*base)).is_dir():  # `from package import name`: name may be a module
                names += [".".join(base + [alias.name]) for alias in node.names]
        else:
            continue
        found += [name for name in names if name and is_test_module(name.split(".")[-1])]
    return found


@pytest.mark.parametrize(
    "source, parts, expected",
    [
        ("from .test_health_flow import walk_to_confirm", ["tests", "test_x"], ["tests.test_health_flow"]),
        ("from . import test_signup_flow", ["tests", "test_x"], ["tests.test_signup_flow"]),
        ("from .. import conftest", ["tests", "browser", "test_x"], ["tests.conftest"]),
        ("from ..browser.test_kiosk import HOME", ["tests", "browser", "test_x"], ["tests.browser.test_kiosk"]),
        ("import tests.test_pages", ["tests", "test_x"], ["tests.test_pages"]),
        ("from tests import test_pages as pages", ["tests", "test_x"], ["tests.test_pages"]),
        ("from .conftest import KIOSK", ["tests", "browser", "test_x"], ["tests.browser.conftest"]),
        ("def f():\n    from .test_kiosk import issue_code\n", ["tests", "test_x"], ["tests.test_kiosk"]),
        (
            "from tests.support.flows import begin\nimport pytest\nfrom portal import create_app",
            ["tests", "test_x"],
            [],
        ),
        ("from .app import restore_snapshot, test_config", ["tests", "support", "browser"], []),
    ],
)
def test_the_import_reader_finds_every_form(source, parts, expected):
    assert imported_test_modules(source, parts) == expected


def test_no_test_module_imports_another_test_module():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        found = imported_test_modules(path.read_text(encoding="utf-8"), module_parts(path))
        if found:
            offenders[str(path.relative_to(TESTS.parent))] = found
    assert offenders == {}, f"move what they share into tests/support/ and import it from there: {offenders}"

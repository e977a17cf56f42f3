"""The package: version pinned to the npm/crate version, the engine's version, public names."""

import json
import re

import tidemark
from conftest import REPO


def test_version_equals_package_json_and_cargo_toml():
    npm = json.loads((REPO / "package.json").read_text())["version"]
    cargo = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "Cargo.toml").read_text(), re.M).group(1)
    pyproject = re.search(r'^version\s*=\s*"([^"]+)"', (REPO / "python/pyproject.toml").read_text(), re.M).group(1)
    assert tidemark.__version__ == npm == cargo == pyproject
    assert tidemark.engine_version() == tidemark.__version__


def test_public_names_have_docstrings():
    missing = [n for n in tidemark.__all__ if not n.startswith("__")
               and callable(getattr(tidemark, n)) and not (getattr(tidemark, n).__doc__ or "").strip()]
    assert missing == []

"""pytest in Pyodide: ``async def`` tests run to completion through ``pyodide.ffi.run_sync``
(JSPI; tests/python/run.mjs starts Node with it), and the ``engine_logs`` fixture collects the
engine's log records, printed with a failing test's report."""

import inspect
import json
import logging
import pathlib

import pytest
from pyodide.ffi import run_sync

REPO = pathlib.Path("/repo")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {a: pyfuncitem.funcargs[a] for a in pyfuncitem._fixtureinfo.argnames}
        run_sync(pyfuncitem.obj(**args))
        return True
    return None


class EngineLogs(logging.Handler):
    """Collects the records of the ``tidemark`` logger."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    @property
    def kinds(self):
        return [r.tidemark["kind"] for r in self.records]

    def text(self):
        return "\n".join(f"{r.levelname} {r.getMessage()} {json.dumps(r.tidemark.get('fields'))}" for r in self.records)


@pytest.fixture
def engine_logs(request):
    """The engine's log records during the test (shown in the report when the test fails)."""
    handler = EngineLogs()
    log = logging.getLogger("tidemark")
    old = log.level
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    request.node._engine_logs = handler
    yield handler
    log.removeHandler(handler)
    log.setLevel(old)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    handler = getattr(item, "_engine_logs", None)
    if handler is not None and report.failed and handler.records:
        report.sections.append(("engine log (tidemark)", handler.text()))


@pytest.fixture(scope="session")
def sp500_csv():
    return (REPO / "data/ohlcv/sp500.csv").read_text()


@pytest.fixture
def quick_config():
    return {"cash": 10_000, "commission": 0.002, "strategy": {"type": "sma_cross", "fast": 10, "slow": 20}}

"""Inside Jupyter: ProgressBoard redraws live via IPython.display, the Trainer shows no bar.

IPython is not a dependency, so a minimal fake kernel stands in for it.
"""
import sys
import types

import pytest

import ember
from ember import d2l
from ember.d2l.notebook import in_notebook
from ember.d2l.trainer import progress_wanted


class ZMQInteractiveShell:   # the class name Jupyter kernels use
    config = {"IPKernelApp": {}}


class TerminalInteractiveShell:
    config = {}


@pytest.fixture
def fake_ipython(monkeypatch):
    shown = []
    display = types.ModuleType("IPython.display")
    display.SVG = lambda data: ("svg", data)
    display.display = lambda obj: shown.append(obj)
    display.clear_output = lambda wait=False: shown.append(("clear", wait))
    ipython = types.ModuleType("IPython")
    ipython.display = display
    ipython.get_ipython = lambda: ZMQInteractiveShell()
    ipython.version_info = (9, 0)   # matplotlib checks it when making a canvas
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    return ipython, shown


def test_no_ipython_means_no_notebook(monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not in_notebook()


def test_terminal_ipython_is_not_a_notebook(fake_ipython):
    ipython, _ = fake_ipython
    ipython.get_ipython = lambda: TerminalInteractiveShell()
    assert not in_notebook()
    ipython.get_ipython = lambda: None
    assert not in_notebook()


def test_board_redraws_in_a_notebook(fake_ipython):
    _, shown = fake_ipython
    assert in_notebook()
    board = d2l.ProgressBoard("x")
    for i in range(4):
        board.draw(i, float(i), "y", every_n=2)
    svgs = [item for item in shown if item[0] == "svg"]
    assert len(svgs) == 2 and svgs[-1][1].lstrip().startswith("<?xml")
    assert shown[-1] == ("clear", True)


def test_board_with_display_off_shows_nothing(fake_ipython):
    _, shown = fake_ipython
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1.0, "y")
    assert shown == [] and len(board.data["y"]) == 1


def test_trainer_shows_no_bar_in_a_notebook(fake_ipython, monkeypatch):
    monkeypatch.delenv("EMBER_PROGRESS", raising=False)
    assert progress_wanted(None) is False and progress_wanted(True) is True

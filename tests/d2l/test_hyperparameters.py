"""d2l.HyperParameters.save_hyperparameters and d2l.add_to_class."""
import pytest

from ember import d2l


class Board(d2l.HyperParameters):
    def __init__(self, xlabel=None, ylabel="loss", _hidden=1, secret=2, *extra, **options):
        self.save_hyperparameters(ignore=["secret"])


def test_arguments_become_attributes_and_hparams():
    board = Board("epoch", extra_option=3)
    assert board.xlabel == "epoch" and board.ylabel == "loss"
    assert board.hparams == {"xlabel": "epoch", "ylabel": "loss", "extra": (),
                             "options": {"extra_option": 3}}


def test_ignored_private_and_self_are_skipped():
    board = Board()
    assert not hasattr(board, "secret") and not hasattr(board, "_hidden")
    assert "self" not in board.hparams


def test_locals_defined_before_the_call_are_saved_as_in_the_book():
    class Scaled(d2l.HyperParameters):
        def __init__(self, a):
            doubled = 2 * a
            self.save_hyperparameters()

    assert Scaled(3).hparams == {"a": 3, "doubled": 6}


def test_super_init_cell_is_not_saved():
    class Child(Board):
        def __init__(self, depth):
            super().__init__()
            self.save_hyperparameters()

    child = Child(4)
    assert child.hparams == {"depth": 4} and child.xlabel is None


def test_add_to_class_attaches_the_function():
    class A:
        pass

    @d2l.add_to_class(A)
    def twice(self, x):
        return 2 * x

    assert A().twice(21) == 42
    assert twice(None, 1) == 2   # the decorated name stays usable


def test_ignore_accepts_a_tuple():
    class T(d2l.HyperParameters):
        def __init__(self, a, b):
            self.save_hyperparameters(ignore=("b",))

    with pytest.raises(AttributeError):
        T(1, 2).b

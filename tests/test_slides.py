"""The lecture slides' preliminaries (../shared/seed), run on ember and on torch.

Each chapter is a list of cells run in order in one namespace, as in a
notebook: the value of a cell's last expression is shown with ``repr`` (as
Jupyter does) and anything printed is captured. ember's output must equal
torch's character for character; where the slides show an output, it must
also agree with the slides up to whitespace (their typesetting).
"""
import ast
import contextlib
import io
import re

import numpy as np
import pytest
import torch

import ember

DATA_MANIPULATION = [
    "x = torch.arange(12, dtype=torch.float32)\nx",
    "x.numel()",
    "x.shape",
    "X = x.reshape(3, 4)\nX",
    "x.reshape(-1, 4), x.reshape(3, -1)",
    "torch.zeros((2, 3, 4))",
    "torch.ones((2, 3, 4))",
    "X[-1], X[1:3]",
    "X[1, 2] = 17\nX",
    "X[:2, :] = 12\nX",
    "torch.exp(x)",
    "x = torch.tensor([1.0, 2, 4, 8])\ny = torch.tensor([2, 2, 2, 2])\n"
    "x + y, x - y, x * y, x / y, x ** y",
    "X = torch.arange(12, dtype=torch.float32).reshape((3,4))\n"
    "Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])\n"
    "torch.cat((X, Y), dim=0)",
    "torch.cat((X, Y), dim=1)",
]

LINEAR_ALGEBRA = [
    "x = torch.tensor(3.0)\ny = torch.tensor(2.0)\n\nx + y, x * y, x / y, x**y",
    "x = torch.arange(3)\nx",
    "A = torch.arange(6).reshape(3, 2)\nA",
    "A.T",
    "torch.arange(24).reshape(2, 3, 4)",
    "A = torch.arange(6, dtype=torch.float32).reshape(2, 3)\nB = A.clone()\nA, A + B",
    "A * B",
    "a = 2\nX = torch.arange(24).reshape(2, 3, 4)\na + X, (a * X).shape",
    "x = torch.arange(3, dtype=torch.float32)\nx, x.sum()",
    "A.shape, A.sum()",
    "A.shape, A.sum(axis=0), A.sum(axis=0).shape",
    "A.shape, A.sum(axis=1), A.sum(axis=1).shape",
    "sum_A = A.sum(axis=1, keepdims=True)\nA, sum_A, sum_A.shape",
    "A / sum_A",
    "y = torch.ones(3, dtype = torch.float32)\nx, y, torch.dot(x, y)",
    "A.shape, x.shape, torch.mv(A, x), A@x",
    "B = torch.ones(3, 4)\ntorch.mm(A, B), A@B",
    "u = torch.tensor([3.0, -4.0])\ntorch.norm(u)",
    "torch.abs(u).sum()",
]

CALCULUS = [
    "def f(x):\n    return 3 * x ** 2 - 4 * x",
    "for h in 10.0**np.arange(-1, -6, -1):\n"
    "    print(f'h={h:.5f}, numerical limit={(f(1+h)-f(1))/h:.5f}')",
]

AUTOMATIC_DIFFERENTIATION = [
    "x = torch.arange(4.0)\nx",
    "# Same thing: x = torch.arange(4.0, requires_grad=True)\nx.requires_grad_(True)\nx.grad",
    "y = 2 * torch.dot(x, x)\ny",
    "y.backward()",
    "x.grad",
]

CHAPTERS = {
    "data_manipulation": DATA_MANIPULATION,
    "linear_algebra": LINEAR_ALGEBRA,
    "calculus": CALCULUS,
    "automatic_differentiation": AUTOMATIC_DIFFERENTIATION,
}

# What the slides print under a cell (chapter, cell index) -> text, as typeset.
SLIDE_OUTPUTS = {
    ("data_manipulation", 0): "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7., 8.,  9., 10., "
                              "11.])",
    ("data_manipulation", 1): "12",
    ("data_manipulation", 2): "torch.Size([12])",
    ("data_manipulation", 3): "tensor([[ 0.,  1.,  2.,  3.], [ 4.,  5.,  6.,  7.], "
                              "[ 8.,  9., 10., 11.]])",
    ("data_manipulation", 7): "(tensor([ 8.,  9., 10., 11.]), tensor([[ 4.,  5.,  6.,  7.], "
                              "[ 8.,  9., 10., 11.]]))",
    ("data_manipulation", 8): "tensor([[ 0.,  1.,  2.,  3.], [ 4.,  5., 17.,  7.], "
                              "[ 8.,  9., 10., 11.]])",
    ("data_manipulation", 9): "tensor([[12., 12., 12., 12.], [12., 12., 12., 12.], "
                              "[ 8.,  9., 10., 11.]])",
    ("data_manipulation", 11): "(tensor([ 3.,  4.,  6., 10.]), tensor([-1.,  0.,  2.,  6.]), "
                               "tensor([ 2.,  4.,  8., 16.]), tensor([0.5000, 1.0000, 2.0000, "
                               "4.0000]), tensor([ 1.,  4., 16., 64.]))",
    ("data_manipulation", 12): "tensor([[ 0.,  1.,  2.,  3.], [ 4.,  5.,  6.,  7.], "
                               "[ 8.,  9., 10., 11.], [ 2.,  1.,  4.,  3.], [ 1.,  2.,  3.,  4.], "
                               "[ 4.,  3.,  2.,  1.]])",
    ("data_manipulation", 13): "tensor([[ 0.,  1.,  2.,  3.,  2.,  1.,  4.,  3.], "
                               "[ 4.,  5.,  6.,  7.,  1.,  2.,  3.,  4.], "
                               "[ 8.,  9., 10., 11.,  4.,  3.,  2.,  1.]])",
    ("linear_algebra", 0): "(tensor(5.), tensor(6.), tensor(1.5000), tensor(9.))",
    ("linear_algebra", 1): "tensor([0, 1, 2])",
    ("linear_algebra", 2): "tensor([[0, 1], [2, 3], [4, 5]])",
    ("linear_algebra", 3): "tensor([[0, 2, 4], [1, 3, 5]])",
    ("linear_algebra", 5): "(tensor([[0., 1., 2.], [3., 4., 5.]]), tensor([[ 0.,  2.,  4.], "
                           "[ 6.,  8., 10.]]))",
    ("linear_algebra", 6): "tensor([[ 0.,  1.,  4.], [ 9., 16., 25.]])",
    ("linear_algebra", 7): "(tensor([[[ 2,  3,  4,  5], [ 6,  7,  8,  9], [10, 11, 12, 13]], "
                           "[[14, 15, 16, 17], [18, 19, 20, 21], [22, 23, 24, 25]]]), "
                           "torch.Size([2, 3, 4]))",
    ("linear_algebra", 8): "(tensor([0., 1., 2.]), tensor(3.))",
    ("linear_algebra", 9): "(torch.Size([2, 3]), tensor(15.))",
    ("linear_algebra", 10): "(torch.Size([2, 3]), tensor([3., 5., 7.]), torch.Size([3]))",
    ("linear_algebra", 11): "(torch.Size([2, 3]), tensor([ 3., 12.]), torch.Size([2]))",
    ("linear_algebra", 12): "(tensor([[0., 1., 2.], [3., 4., 5.]]), tensor([[ 3.], [12.]]), "
                            "torch.Size([2, 1]))",
    ("linear_algebra", 13): "tensor([[0.0000, 0.3333, 0.6667], [0.2500, 0.3333, 0.4167]])",
    ("linear_algebra", 14): "(tensor([0., 1., 2.]), tensor([1., 1., 1.]), tensor(3.))",
    ("linear_algebra", 15): "(torch.Size([2, 3]), torch.Size([3]), tensor([ 5., 14.]), "
                            "tensor([ 5., 14.]))",
    ("linear_algebra", 17): "tensor(5.)",
    ("linear_algebra", 18): "tensor(7.)",
    ("calculus", 1): "h=0.10000, numerical limit=2.30000 h=0.01000, numerical limit=2.03000 "
                     "h=0.00100, numerical limit=2.00300 h=0.00010, numerical limit=2.00030 "
                     "h=0.00001, numerical limit=2.00003",
    ("automatic_differentiation", 0): "tensor([0., 1., 2., 3.])",
    ("automatic_differentiation", 2): "tensor(28., grad_fn=<MulBackward0>)",
    ("automatic_differentiation", 4): "tensor([ 0.,  4.,  8., 12.])",
}


def run_cell(source, namespace):
    """Run a notebook cell: everything printed, plus the repr of a final expression."""
    tree = ast.parse(source)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = tree.body[:-1] if last is not None else tree.body
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(ast.Module(body=body, type_ignores=[]), "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if value is not None:
                print(repr(value))
    return out.getvalue()


def run_chapter(module, cells):
    namespace = {"torch": module, "np": np}
    return [run_cell(cell, namespace) for cell in cells]


def _squash(text):
    """Whitespace-insensitive form, for comparing with the typeset slides."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_prints_what_torch_prints(chapter):
    cells = CHAPTERS[chapter]
    ours = run_chapter(ember, cells)
    theirs = run_chapter(torch, cells)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a == b, f"{chapter} cell {i}:\n{cells[i]}\n--- ember ---\n{a}--- torch ---\n{b}"


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_agrees_with_the_slides(chapter):
    ours = run_chapter(ember, CHAPTERS[chapter])
    shown = {i: text for (c, i), text in SLIDE_OUTPUTS.items() if c == chapter}
    assert shown, "every chapter has outputs on the slides"
    for i, text in shown.items():
        assert _squash(ours[i]) == _squash(text), f"{chapter} cell {i}: {ours[i]!r}"

"""Bad arguments to the shape ops (reshape, view, permute, transpose, ...): torch's
exception type and message, "(position N)" and all. Each case is ``lambda m: ...``
run with m = torch and m = ember."""
import pytest

from helpers import assert_same_error


def _x(m):
    return m.tensor([[1., 2., 3.], [4., 5., 6.]])


CASES = {}
# tuple-of-ints arguments, given as separate ints or as one sequence
for _op, _arg in [("reshape", "shape"), ("expand", "size"), ("repeat", "repeats"),
                  ("permute", "dims"), ("tile", "dims"), ("flip", "dims"),
                  ("broadcast_to", "size")]:
    CASES.update({
        f"x.{_op}('a')": lambda m, op=_op: getattr(_x(m), op)("a"),
        f"x.{_op}(2, 'a')": lambda m, op=_op: getattr(_x(m), op)(2, "a"),
        f"x.{_op}((2, 'a'))": lambda m, op=_op: getattr(_x(m), op)((2, "a")),
        f"x.{_op}(('a', 2))": lambda m, op=_op: getattr(_x(m), op)(("a", 2)),
        f"x.{_op}(2.5)": lambda m, op=_op: getattr(_x(m), op)(2.5),
        f"x.{_op}(None)": lambda m, op=_op: getattr(_x(m), op)(None),
        f"x.{_op}([2], 3)": lambda m, op=_op: getattr(_x(m), op)([2], 3),
        f"x.{_op}(2, None)": lambda m, op=_op: getattr(_x(m), op)(2, None),
        f"x.{_op}(True, 2)": lambda m, op=_op: getattr(_x(m), op)(True, 2),
    })
CASES.update({
    "x.broadcast_to()": lambda m: _x(m).broadcast_to(),
    "ember.reshape(x, 'a')": lambda m: m.reshape(_x(m), "a"),
    "ember.reshape(x, (2, 'a'))": lambda m: m.reshape(_x(m), (2, "a")),
    "ember.permute(x, 'a')": lambda m: m.permute(_x(m), "a"),
    "ember.tile(x, 'a')": lambda m: m.tile(_x(m), "a"),
    "ember.flip(x, 'a')": lambda m: m.flip(_x(m), "a"),
    "ember.broadcast_to(x, 'a')": lambda m: m.broadcast_to(_x(m), "a"),
    "x.view(2, 'a')": lambda m: _x(m).view(2, "a"),
    "x.view((2, 'a'))": lambda m: _x(m).view((2, "a")),
    "x.view(float)": lambda m: _x(m).view(float),
    # one int argument or two
    "x.transpose(0)": lambda m: _x(m).transpose(0),
    "x.transpose()": lambda m: _x(m).transpose(),
    "x.transpose(0, 'a')": lambda m: _x(m).transpose(0, "a"),
    "x.transpose('a', 1)": lambda m: _x(m).transpose("a", 1),
    "x.transpose(0, 1.5)": lambda m: _x(m).transpose(0, 1.5),
    "x.transpose(0, None)": lambda m: _x(m).transpose(0, None),
    "x.transpose(0, 1, 2)": lambda m: _x(m).transpose(0, 1, 2),
    "ember.transpose(x, 0)": lambda m: m.transpose(_x(m), 0),
    "ember.transpose(x, 0, 'a')": lambda m: m.transpose(_x(m), 0, "a"),
    "ember.transpose(x, 0, 1, 2)": lambda m: m.transpose(_x(m), 0, 1, 2),
    "x.swapaxes(0)": lambda m: _x(m).swapaxes(0),
    "x.swapaxes()": lambda m: _x(m).swapaxes(),
    "x.swapaxes(0, 'a')": lambda m: _x(m).swapaxes(0, "a"),
    "x.swapaxes(0, 1, 2)": lambda m: _x(m).swapaxes(0, 1, 2),
    "x.swapaxes(0, 1, foo=1)": lambda m: _x(m).swapaxes(0, 1, foo=1),
    "ember.swapaxes(x, 0)": lambda m: m.swapaxes(_x(m), 0),
    "ember.swapaxes(x, 'a', 1)": lambda m: m.swapaxes(_x(m), "a", 1),
    "x.swapdims(0, 1.5)": lambda m: _x(m).swapdims(0, 1.5),
    "x.swapdims()": lambda m: _x(m).swapdims(),
    "x.swapaxes_(0, 'a')": lambda m: _x(m).swapaxes_(0, "a"),
    "x.transpose_(0, 1.5)": lambda m: _x(m).transpose_(0, 1.5),
    "x.swapdims_()": lambda m: _x(m).swapdims_(),
    "x.unsqueeze('a')": lambda m: _x(m).unsqueeze("a"),
    "x.unsqueeze(1.5)": lambda m: _x(m).unsqueeze(1.5),
    "x.unsqueeze(None)": lambda m: _x(m).unsqueeze(None),
    "x.unsqueeze((0, 1))": lambda m: _x(m).unsqueeze((0, 1)),
    "x.unsqueeze()": lambda m: _x(m).unsqueeze(),
    "x.unsqueeze(0, 1)": lambda m: _x(m).unsqueeze(0, 1),
    "ember.unsqueeze(x, 'a')": lambda m: m.unsqueeze(_x(m), "a"),
    "x.flatten('a')": lambda m: _x(m).flatten("a"),
    "x.flatten(0, 'a')": lambda m: _x(m).flatten(0, "a"),
    "x.flatten(1.5)": lambda m: _x(m).flatten(1.5),
    "x.flatten(0, 1, 2)": lambda m: _x(m).flatten(0, 1, 2),
    "ember.flatten(x, 'a')": lambda m: m.flatten(_x(m), "a"),
    "x.chunk()": lambda m: _x(m).chunk(),
    "x.chunk('a')": lambda m: _x(m).chunk("a"),
    "x.chunk(1.5)": lambda m: _x(m).chunk(1.5),
    "x.chunk(2, 'a')": lambda m: _x(m).chunk(2, "a"),
    "ember.chunk(x, 'a')": lambda m: m.chunk(_x(m), "a"),
    "x.unbind('a')": lambda m: _x(m).unbind("a"),
    "x.unbind(0, 1)": lambda m: _x(m).unbind(0, 1),
})
# joins: the list of tensors and out=
for _op in ["cat", "stack", "hstack", "vstack", "concat", "concatenate", "dstack",
            "column_stack"]:
    CASES.update({
        f"{_op}('a')": lambda m, op=_op: getattr(m, op)("a"),
        f"{_op}(x)": lambda m, op=_op: getattr(m, op)(_x(m)),
        f"{_op}([x, 'a'])": lambda m, op=_op: getattr(m, op)([_x(m), "a"]),
        f"{_op}([x, 1])": lambda m, op=_op: getattr(m, op)([_x(m), 1]),
        f"{_op}((x, None))": lambda m, op=_op: getattr(m, op)((_x(m), None)),
        f"{_op}(lists)": lambda m, op=_op: getattr(m, op)([[1, 2], [3, 4]]),
        f"{_op}(out=1)": lambda m, op=_op: getattr(m, op)([_x(m), _x(m)], out=1),
    })
CASES.update({
    "concat([x, x], foo=1)": lambda m: m.concat([_x(m), _x(m)], foo=1),
    "concatenate([x, x], 0, 1)": lambda m: m.concatenate([_x(m), _x(m)], 0, 1),
    "concat([x, x], 'a')": lambda m: m.concat([_x(m), _x(m)], dim="a"),
})

CASES.update({
    "x.view_as('a')": lambda m: _x(m).view_as("a"),
    "x.reshape_as(list)": lambda m: _x(m).reshape_as([1, 2]),
    "x.expand_as(None)": lambda m: _x(m).expand_as(None),
    "x.roll('a')": lambda m: _x(m).roll("a"),
    "x.roll(1.5)": lambda m: _x(m).roll(1.5),
    "x.roll((1, 'a'), (0, 1))": lambda m: _x(m).roll((1, "a"), (0, 1)),
    "x.tril('a')": lambda m: _x(m).tril("a"),
    "x.triu(1.5)": lambda m: _x(m).triu(1.5),
    "ember.triu(x, 1.5)": lambda m: m.triu(_x(m), 1.5),
    "x.diag('a')": lambda m: _x(m).diag("a"),
    "x.diagonal('a')": lambda m: _x(m).diagonal("a"),
    "x.squeeze((0, 'a'))": lambda m: _x(m).squeeze((0, "a")),
    "x.squeeze(0, 'a')": lambda m: _x(m).squeeze(0, "a"),
    "x.squeeze(0, 1, 2)": lambda m: _x(m).squeeze(0, 1, 2),
    "ember.squeeze(list)": lambda m: m.squeeze([1.]),
    "x.split('a')": lambda m: _x(m).split("a"),
    "x.split(1.5)": lambda m: _x(m).split(1.5),
    "x.split([1, 'a'])": lambda m: _x(m).split([1, "a"]),
    "ember.split('a', 1)": lambda m: m.split("a", 1),
    "x.select('a', 0)": lambda m: _x(m).select("a", 0),
    "x.select(0, 1.5)": lambda m: _x(m).select(0, 1.5),
    "x.select(0)": lambda m: _x(m).select(0),
    "ember.select(x, 'a', 0)": lambda m: m.select(_x(m), "a", 0),
    "x.unflatten('a', (3,))": lambda m: _x(m).unflatten("a", (3,)),
    "x.unflatten(1, 'a')": lambda m: _x(m).unflatten(1, "a"),
    "x.movedim((0, 'a'), (1, 0))": lambda m: _x(m).movedim((0, "a"), (1, 0)),
    "ember.reshape(x, 3, 2)": lambda m: m.reshape(_x(m), 3, 2),
    "ember.permute(x, 1, 0)": lambda m: m.permute(_x(m), 1, 0),
    "ember.flip(x, 0, 1)": lambda m: m.flip(_x(m), 0, 1),
    "ember.tile(x, 2, 1)": lambda m: m.tile(_x(m), 2, 1),
    "ember.broadcast_to(x, 2, 3)": lambda m: m.broadcast_to(_x(m), 2, 3),
    "ember.split(list, 1)": lambda m: m.split([1, 2], 1),
})
SQUEEZE_FIRST_LINE = {
    "x.squeeze('a')": lambda m: _x(m).squeeze("a"),
    "x.squeeze(1.5)": lambda m: _x(m).squeeze(1.5),
    "x.squeeze(None)": lambda m: _x(m).squeeze(None),
    "x.squeeze(('a', 0))": lambda m: _x(m).squeeze(("a", 0)),
    "ember.squeeze(list, 0)": lambda m: m.squeeze([1.], 0),
    "ember.squeeze(x, 'a')": lambda m: m.squeeze(_x(m), "a"),
    "x.squeeze_('a')": lambda m: _x(m).squeeze_("a"),
    "x.view('a')": lambda m: _x(m).view("a"),
    "x.movedim('a', 1)": lambda m: _x(m).movedim("a", 1),
    "x.movedim(0)": lambda m: _x(m).movedim(0),
    "ember.movedim(x, 'a', 1)": lambda m: m.movedim(_x(m), "a", 1),
    "ember.movedim('a', 0, 1)": lambda m: m.movedim("a", 0, 1),
    "x.tensor_split('a')": lambda m: _x(m).tensor_split("a"),
    "x.tensor_split(2, 'a')": lambda m: _x(m).tensor_split(2, "a"),
    "ember.tensor_split(x, 'a')": lambda m: m.tensor_split(_x(m), "a"),
    "ember.tensor_split(list, 2)": lambda m: m.tensor_split([1], 2),
    "x.narrow()": lambda m: _x(m).narrow(),
    "x.narrow(0, 0)": lambda m: _x(m).narrow(0, 0),
    "x.narrow('a', 0, 1)": lambda m: _x(m).narrow("a", 0, 1),
    "x.narrow(0, 'a', 1)": lambda m: _x(m).narrow(0, "a", 1),
    "x.narrow(0, 0, 1.5)": lambda m: _x(m).narrow(0, 0, 1.5),
    "x.narrow(0, 0, 1, 2)": lambda m: _x(m).narrow(0, 0, 1, 2),
    "ember.narrow('a', 0, 0, 1)": lambda m: m.narrow("a", 0, 0, 1),
    "ember.narrow(x, 0, 'a', 1)": lambda m: m.narrow(_x(m), 0, "a", 1),
    "x.view(None)": lambda m: _x(m).view(None),
    "x.view([2], 3)": lambda m: _x(m).view([2], 3),
}


@pytest.mark.parametrize("case", SQUEEZE_FIRST_LINE.values(), ids=SQUEEZE_FIRST_LINE.keys())
def test_calls_no_signature_takes_raise_torchs_first_line(case):
    assert_same_error(case, first_line=True)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_arguments_raise_torchs_error(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.reshape(_x(m), (3, 2)), lambda m: _x(m).permute(1, 0),
    lambda m: m.transpose(_x(m), 0, 1), lambda m: m.swapaxes(_x(m), 0, 1),
    lambda m: _x(m).swapdims(1, 0), lambda m: m.flatten(_x(m), 0, 1),
    lambda m: _x(m).broadcast_to(3, 2, 3), lambda m: _x(m).broadcast_to(size=(2, 2, 3)),
    lambda m: _x(m).view(m.int32), lambda m: _x(m).unbind(1), lambda m: _x(m).chunk(2, 1),
    lambda m: _x(m).tile(2), lambda m: _x(m).flip(dims=[0]), lambda m: _x(m).unsqueeze(-1),
    lambda m: m.hstack([_x(m), _x(m)], out=m.empty(2, 6)),
    lambda m: m.vstack((_x(m), _x(m)), out=m.empty(4, 3)),
    lambda m: m.concat([_x(m), _x(m)], dim=1), lambda m: m.concatenate((_x(m), _x(m))),
    lambda m: m.cat([_x(m)[i] for i in range(2)]),
    lambda m: _x(m)[:1].squeeze(0), lambda m: _x(m)[:1, None].squeeze(0, 1),
    lambda m: m.squeeze(_x(m)[:1], (0,)), lambda m: _x(m).roll((1, 1), (0, 1)),
    lambda m: _x(m).triu(1), lambda m: m.diagonal(_x(m), 1), lambda m: _x(m).split([1, 2], 1),
    lambda m: _x(m).view_as(_x(m).t()), lambda m: _x(m).expand_as(m.ones(2, 2, 3)),
    lambda m: m.flip(_x(m), dims=(0,)), lambda m: m.tile(_x(m), (2,)),
    lambda m: m.broadcast_to(_x(m), size=(2, 2, 3)), lambda m: m.permute(_x(m), (1, 0)),
    lambda m: m.reshape(_x(m), shape=(6,)), lambda m: _x(m).reshape(shape=(3, 2)),
    lambda m: _x(m).narrow(1, 1, 2), lambda m: m.narrow(_x(m), 0, 1, 1),
    lambda m: _x(m).select(1, -1), lambda m: _x(m).unflatten(1, (3, 1)),
    lambda m: m.movedim(_x(m), 0, 1), lambda m: m.moveaxis(_x(m), (0,), (1,)),
    lambda m: _x(m).tensor_split(2, 1), lambda m: m.tensor_split(_x(m), [1], dim=1),
    lambda m: _x(m).tensor_split(m.tensor([1])),
])
def test_the_calls_next_to_them_still_work(case):
    import torch
    from helpers import assert_same
    assert_same(case(__import__("ember")), case(torch))

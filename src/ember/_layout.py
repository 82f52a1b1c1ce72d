"""Layouts: how a tensor's elements are stored.

ember has one, ``strided`` (torch's default): a dense block of memory read through
a shape and strides, which is what ``x.layout`` always gives. torch's other layouts
(``sparse_coo``, ``sparse_csr``, ...) exist as names, so that code naming them reads
as in torch, but a creation op asked for one raises NotImplementedError::

    >>> ember.zeros(2).layout, ember.zeros(2, layout=ember.strided).layout
    (torch.strided, torch.strided)
"""

from ._named_constant import NamedConstant

__all__ = ["layout", "strided", "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr",
           "sparse_bsc", "jagged", "check_layout"]


class layout(NamedConstant):
    """One of torch's layouts, printed as ``torch.strided``; each is a singleton
    (``ember.strided is ember.zeros(2).layout``)."""

    __slots__ = ()
    _instances = {}


strided = layout._define("strided")
sparse_coo = layout._define("sparse_coo")
sparse_csr = layout._define("sparse_csr")
sparse_csc = layout._define("sparse_csc")
sparse_bsr = layout._define("sparse_bsr")
sparse_bsc = layout._define("sparse_bsc")
jagged = layout._define("jagged")
_mkldnn = layout._define("_mkldnn")


def check_layout(fname, value):
    """Accept ``layout=`` of a creation op: None or ``strided``. Any other layout
    raises NotImplementedError (ember stores every tensor dense), anything that is no
    layout torch's TypeError naming the function.

    >>> check_layout("zeros", ember.strided)
    """
    if value is None or value is strided:
        return
    if not isinstance(value, layout):
        from .ops._common import _type_name     # (ops import this module)
        raise TypeError(f"{fname}(): argument 'layout' must be torch.layout, not "
                        f"{_type_name(value)}")
    raise NotImplementedError(f"{fname}(): layout={value!r} is not supported: ember stores "
                              "every tensor dense, in the torch.strided layout (use a dense "
                              "tensor, or torch itself for sparse ones)")

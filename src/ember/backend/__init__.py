"""The array-module seam.

All array maths in ember goes through NumPy's API. A GPU backend only needs to
supply a module with the same API (CuPy does) and map devices to it here;
nothing else in ember names ``numpy`` for computation on tensor data.
"""
import numpy

xp = numpy


def array_module(device=None):
    """The array module holding data for ``device`` (NumPy for the CPU)."""
    return numpy

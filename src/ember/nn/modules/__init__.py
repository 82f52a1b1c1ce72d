"""The layers of ember.nn, one concept per file."""
from .module import Module
from .linear import Identity, Linear, LazyLinear
from .lazy import LazyModuleMixin
from .activation import ReLU, Sigmoid, Tanh, LeakyReLU, GELU, Softmax, LogSoftmax, Softmin
from .activation import (ELU, CELU, SELU, SiLU, Mish, Hardsigmoid, Hardswish, Softsign,
                         LogSigmoid, Tanhshrink, Softplus, Hardtanh, ReLU6, Softshrink,
                         Hardshrink, Threshold, GLU, PReLU, Softmax2d, CosineSimilarity,
                         PairwiseDistance)
from .loss import MSELoss, L1Loss, HuberLoss, SmoothL1Loss, NLLLoss, CrossEntropyLoss
from .loss import BCELoss, BCEWithLogitsLoss, KLDivLoss
from .container import Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict
from .flatten import Flatten, Unflatten
from .dropout import Dropout

__all__ = ["Module", "Identity", "Linear", "LazyLinear", "LazyModuleMixin", "ReLU", "Sigmoid",
           "Tanh", "LeakyReLU", "GELU", "Softmax", "LogSoftmax", "Softmin", "MSELoss", "L1Loss",
           "HuberLoss", "SmoothL1Loss", "NLLLoss", "CrossEntropyLoss", "Sequential",
           "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Flatten", "Unflatten",
           "Dropout", "ELU", "CELU", "SELU", "SiLU", "Mish", "Hardsigmoid", "Hardswish",
           "Softsign", "LogSigmoid", "Tanhshrink", "Softplus", "Hardtanh", "ReLU6",
           "Softshrink", "Hardshrink", "Threshold", "GLU", "PReLU", "Softmax2d",
           "CosineSimilarity", "PairwiseDistance", "BCELoss", "BCEWithLogitsLoss",
           "KLDivLoss"]

"""The nn tests share nn_helpers.py (next to this file)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

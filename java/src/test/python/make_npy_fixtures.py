#!/usr/bin/env python3
"""Two small .npy files written by numpy itself, for NpyTest (byte-for-byte format parity).
Run: python3 java/src/test/python/make_npy_fixtures.py"""
import os
import numpy as np

here = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures")
np.save(os.path.join(here, "numpy_f4_3x2.npy"), np.array([[1.5, -2.0], [3.25, 0.0], [1e-3, 7.0]], dtype="<f4"))
np.save(os.path.join(here, "numpy_i8_4.npy"), np.array([3, -1, 0, 1 << 40], dtype="<i8"))
print("wrote", os.path.normpath(here))

"""The one thing pyproject.toml cannot say: packls's optional C extension, and how to leave it out.

`packls.syntax._compose` builds YAML trees from libyaml's events in C, some 4-5x faster than the
same builder in Python (`packls.syntax.fast`), which stays the fallback. The extension is optional:
without a C compiler or libyaml's headers the install goes on without it. PACKLS_PURE_PYTHON=1
builds a pure-Python wheel on purpose (the VS Code extension bundles one for every platform).
"""

import os

from setuptools import Extension, setup

COMPILED = [
    Extension("packls.syntax._compose", ["server/packls/syntax/_compose.c"], libraries=["yaml"], optional=True),
]

setup(ext_modules=[] if os.environ.get("PACKLS_PURE_PYTHON") == "1" else COMPILED)

"""Editor features as pure functions of the core: what is under the cursor, hover, completion, ...

Nothing here imports pygls or lsprotocol. Every function takes core objects (a Session or a
Workspace, a SourceFile, code-point offsets) and returns plain dataclasses with spans; the
language server (`packls.lsp`) only converts them to protocol types.
"""

from __future__ import annotations

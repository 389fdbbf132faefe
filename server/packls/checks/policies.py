"""Policies: controls (`parse_policy_controls`), pack_ref and action_ref as pack check reads them."""

from __future__ import annotations

from typing import Iterator

from packls.checks.base import finding, manifest_pack_ref, pack_of
from packls.checks.pack_fields import non_empty_string
from packls.checks.ref_grammar import component_ref_error, qualify
from packls.checks.rules import POLICY_INVALID_ACTION_REF, POLICY_INVALID_CONTROLS, POLICY_PACK_REF_MISMATCH
from packls.findings import Finding
from packls.syntax.nodes import Mapping, Node, Scalar, Sequence, Span
from packls.workspace import SourceFile, Workspace


class _ControlError(Exception):
    def __init__(self, message: str, node: Node | None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def check_policy(source: SourceFile, workspace: Workspace) -> Iterator[Finding]:
    """policy.invalid_controls, policy.pack_ref_mismatch and policy.invalid_action_ref."""
    component = source.component
    if component is None:
        return
    root = component.node
    try:
        parse_controls(root)
    except _ControlError as error:
        span = error.node.span if error.node is not None else (root.pairs[0].key.span if root.pairs else root.span)
        yield finding(source, _short(span, source.text), POLICY_INVALID_CONTROLS, error.message)
    pack_ref = manifest_pack_ref(pack_of(source, workspace))
    declared = non_empty_string(root.value("pack_ref"))
    if declared is not None and declared != pack_ref:
        yield finding(
            source, root.value("pack_ref").span, POLICY_PACK_REF_MISMATCH,  # type: ignore[union-attr]
            f"Policy pack_ref '{declared}' must equal the manifest ref",
            data={"replacement": pack_ref} if pack_ref else None,
        )
    action_ref = non_empty_string(root.value("action_ref"))
    if action_ref is not None:
        error = component_ref_error(qualify(action_ref, pack_ref))
        if error is not None:
            yield finding(source, root.value("action_ref").span, POLICY_INVALID_ACTION_REF, error)  # type: ignore[union-attr]


def parse_controls(root: Mapping) -> None:
    """`parse_policy_controls`, word for word; raises with the node to underline."""
    concurrency = root.value("concurrency")
    if concurrency is not None and not isinstance(concurrency, Mapping):
        raise _ControlError("Policy concurrency must be an object", concurrency)
    conc = concurrency if isinstance(concurrency, Mapping) else None
    threshold = _optional_i32(conc.value("limit") if conc else None, "concurrency.limit")
    method_node = conc.value("method") if conc else None
    method = None
    if method_node is not None:
        if not (isinstance(method_node, Scalar) and isinstance(method_node.value, str)):
            raise _ControlError("Policy concurrency.method must be cancel or enqueue", method_node)
        if method_node.value not in ("cancel", "enqueue"):
            raise _ControlError(f"Invalid policy method '{method_node.value}'; expected cancel or enqueue", method_node)
        method = method_node.value
    if (threshold is not None) != (method is not None):
        raise _ControlError("Policy concurrency must include both limit and method", concurrency)
    rate_limit = root.value("rate_limit")
    if rate_limit is not None and not isinstance(rate_limit, Mapping):
        raise _ControlError("Policy rate_limit must be an object", rate_limit)
    rate = rate_limit if isinstance(rate_limit, Mapping) else None
    executions = _optional_i32(rate.value("max_executions") if rate else None, "rate_limit.max_executions")
    window = _optional_i32(rate.value("window_seconds") if rate else None, "rate_limit.window_seconds")
    if (executions is not None) != (window is not None):
        raise _ControlError("Policy rate_limit must include both max_executions and window_seconds", rate_limit)
    quotas = _quotas(root.value("quotas"))
    if threshold is None and executions is None and quotas == 0:
        raise _ControlError("Policy must configure concurrency, rate_limit, or quotas", None)


def _optional_i32(node: Node | None, field: str) -> int | None:
    if node is None:
        return None
    if not (isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool)):
        raise _ControlError(f"Policy {field} must be an integer", node)
    if not -(2**31) <= node.value < 2**31:
        raise _ControlError(f"Policy {field} is outside the i32 range", node)
    if node.value <= 0:
        raise _ControlError(f"Policy {field} must be greater than zero", node)
    return node.value


def _quotas(node: Node | None) -> int:
    if node is None:
        return 0
    if not isinstance(node, Sequence):
        raise _ControlError("Policy quotas must be an array", node)
    for item in node.items:
        quota_type = item.value("quota_type") if isinstance(item, Mapping) else None
        if not (isinstance(quota_type, Scalar) and isinstance(quota_type.value, str) and quota_type.value.strip()):
            raise _ControlError("Policy quota entries require quota_type", item)
        limit = item.value("limit")  # type: ignore[union-attr]
        if not (isinstance(limit, Scalar) and isinstance(limit.value, int) and not isinstance(limit.value, bool) and limit.value > 0):
            raise _ControlError("Policy quota entries require positive limit", limit or item)
    return len(node.items)


def _short(span: Span, text: str) -> Span:
    end = text.find("\n", span.start)
    return Span(span.start, span.end if end < 0 else min(end, span.end))

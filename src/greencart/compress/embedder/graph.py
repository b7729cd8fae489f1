"""Inspect an ONNX graph: which nodes run quantised, how many weights it stores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

_SHAPE_OPS = {"Shape", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Slice", "Flatten"}
_QUANT_OPS = {"MatMulInteger": "MatMul", "QLinearMatMul": "MatMul", "ConvInteger": "Conv"}


def quantised_nodes(model_path: Path) -> dict[str, int]:
    """How many nodes of each original op type run quantised in the model at ``model_path``.

    Integer kernels (MatMulInteger) count as their float op; in QDQ graphs a node counts
    when all its inputs come out of DequantizeLinear nodes (shape-only ops aside); a
    Gather counts when its table is an integer initializer or dequantised (an int8 embedding).
    Weight-only int8 (an int8 initializer Cast to float and scaled by a Mul, then used by a
    float op, as in the vendor file) counts as ``"<op> (weight-only)"``.
    """
    import onnx

    graph = onnx.load(str(model_path), load_external_data=False).graph
    int_inits = {
        i.name
        for i in graph.initializer
        if i.data_type in (onnx.TensorProto.INT8, onnx.TensorProto.UINT8)
    }
    dq_outputs = {o for n in graph.node if n.op_type == "DequantizeLinear" for o in n.output}
    weight_only = _weight_only_outputs(graph.node, int_inits)
    counts: Counter[str] = Counter()
    for node in graph.node:
        if node.op_type in ("Cast", "Mul") and set(node.output) & weight_only:
            continue
        if any(i in weight_only for i in node.input):
            counts[f"{node.op_type} (weight-only)"] += 1
        elif node.op_type in _QUANT_OPS:
            counts[_QUANT_OPS[node.op_type]] += 1
        elif node.op_type in ("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"):
            continue
        elif (
            node.op_type == "Gather"
            and node.input
            and (node.input[0] in int_inits or node.input[0] in dq_outputs)
        ):
            counts["Gather"] += 1
        elif (
            node.op_type not in _SHAPE_OPS
            and node.input
            and all(i in dq_outputs for i in node.input if i)
        ):
            counts[node.op_type] += 1
    return dict(sorted(counts.items()))


def _weight_only_outputs(nodes: Any, int_inits: set[str]) -> set[str]:
    """Outputs of Cast(int8 initializer) and of the Mul that scales such a cast."""
    cast = {o for n in nodes if n.op_type == "Cast" and n.input[0] in int_inits for o in n.output}
    scaled = {o for n in nodes if n.op_type == "Mul" and set(n.input) & cast for o in n.output}
    return cast | scaled


def onnx_param_counts(model_path: Path) -> tuple[int, int]:
    """(weights, non-zero weights) stored as float or 8-bit initializers of more than one element.

    Scales and zero points (scalars) and integer shape constants are not weights.
    """
    import onnx
    from onnx import numpy_helper

    kinds = {
        onnx.TensorProto.FLOAT,
        onnx.TensorProto.FLOAT16,
        onnx.TensorProto.INT8,
        onnx.TensorProto.UINT8,
    }
    total = nonzero = 0
    for init in onnx.load(str(model_path)).graph.initializer:
        if init.data_type in kinds and int(np.prod(init.dims)) > 1:
            arr = numpy_helper.to_array(init)
            total += int(arr.size)
            nonzero += int(np.count_nonzero(arr))
    return total, nonzero

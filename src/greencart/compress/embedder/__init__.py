"""Lightweight variants of the search embedder (all-MiniLM-L6-v2), each an Artifact directory.

Export to ONNX, quantise (dynamic, static, fp16, the vendor int8), prune (magnitude,
heads, layers), serve any ``onnx-sentence-embedder`` artifact, and measure parity with
the torch original. torch is imported only inside the export and pruning functions.
"""

from greencart.compress.embedder.export import default_source_dir, export_onnx
from greencart.compress.embedder.graph import onnx_param_counts, quantised_nodes
from greencart.compress.embedder.parity import Parity, parity, torch_reference
from greencart.compress.embedder.prune import prune_heads, prune_layers, prune_magnitude
from greencart.compress.embedder.quantise import (
    quantise_dynamic,
    quantise_float16,
    quantise_static,
    vendor_int8,
)
from greencart.compress.embedder.runtime import OnnxEmbedder, load_onnx_embedder

__all__ = [
    "OnnxEmbedder",
    "Parity",
    "default_source_dir",
    "export_onnx",
    "load_onnx_embedder",
    "onnx_param_counts",
    "parity",
    "prune_heads",
    "prune_layers",
    "prune_magnitude",
    "quantise_dynamic",
    "quantise_float16",
    "quantise_static",
    "quantised_nodes",
    "torch_reference",
    "vendor_int8",
]

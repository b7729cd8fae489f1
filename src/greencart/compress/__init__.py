"""Model lightweighting: quantise, prune, distil, adapt and export greencart's models, measure each variant, promote one to serve (see docs/compress.md)."""

#!/usr/bin/env python3
"""Convert a PyTorch ConvNeXt checkpoint (.pth) to a .safetensors file the engine loads.

    python3 scripts/pth_to_safetensors.py convnext_tiny_22k_1k_224.pth convnext_tiny.safetensors

Accepts a bare state_dict or one under "model" / "state_dict" / "model_state" (the original ConvNeXt
release uses "model"); strips a "module." prefix (DataParallel). Key names are kept as they are: the
engine recognises the original release's, timm's and torchvision's. Needs torch, not the safetensors
package: the format is written directly (u64 little-endian header length, JSON header, raw data).
"""
import json
import struct
import sys

import torch


def state_dict(obj):
    for key in ("model", "state_dict", "model_state"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            return obj[key]
    return obj


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pth_to_safetensors.py IN.pth OUT.safetensors")
    sd = state_dict(torch.load(sys.argv[1], map_location="cpu"))
    header, blobs, offset = {}, [], 0
    for name, t in sd.items():
        if not torch.is_tensor(t) or not t.is_floating_point():
            continue  # e.g. BatchNorm counters; ConvNeXt has none
        name = name[len("module."):] if name.startswith("module.") else name
        raw = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(sys.argv[2], "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    print(f"wrote {len(header)} tensors to {sys.argv[2]}")


if __name__ == "__main__":
    main()

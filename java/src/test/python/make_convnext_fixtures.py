#!/usr/bin/env python3
"""Parity fixtures for the engine's ConvNeXt, from torchvision's ConvNeXt (Debian's python3-torch 1.13).

Run:  /usr/bin/python3 java/src/test/python/make_convnext_fixtures.py
Writes into java/src/test/resources/fixtures/:
  convnext_tv.safetensors     torchvision-named weights (F32), classifier included (the engine ignores it)
  convnext_tv_io.safetensors  inputs (NCHW), the loss weights, torchvision's embeddings and gradients
  halfprec.safetensors        a few values stored as F16 and BF16, with torch's rounding of them as F32
The network is atto's layout (depths 2,2,6,2, LayerNorm eps 1e-6) at widths 16/32/64/128: atto's own
widths would make a 14 MB fixture. Weights are random and seeded; layer scales, norm affines and biases
are random too, so every block and every norm changes the result. The reference is computed in float64
from the float32 weights, so the stored values are the exact answer rounded once. The tests never run Python.
"""
import json
import os
import struct

import torch
from torchvision.models.convnext import CNBlockConfig, ConvNeXt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "fixtures")
DIMS = (16, 32, 64, 128)
DEPTHS = (2, 2, 6, 2)


def write_safetensors(path, tensors, dtypes=None):
    """The safetensors layout, written by hand: u64 LE header length, JSON header, raw LE data."""
    dtypes = dtypes or {}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        dt = dtypes.get(name, "F32")
        t = t.detach().contiguous()
        if dt == "F32":
            raw = t.to(torch.float32).numpy().astype("<f4").tobytes()
        elif dt == "F16":
            raw = t.to(torch.float16).numpy().astype("<f2").tobytes()
        else:  # BF16: the top half of the float32 bits, from torch's own rounding
            raw = t.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    torch.manual_seed(2026)
    settings = [CNBlockConfig(DIMS[i], DIMS[i + 1] if i < 3 else None, DEPTHS[i]) for i in range(4)]
    model = ConvNeXt(settings, num_classes=5)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layer_scale"):
                p.copy_(torch.randn_like(p) * 0.5)
            elif name.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.05)
            elif p.dim() == 1:  # LayerNorm weights
                p.copy_(1 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(torch.randn_like(p) * (1.0 / p[0].numel()) ** 0.5)
    weights = {k: v.float() for k, v in model.state_dict().items()}
    write_safetensors(os.path.join(OUT, "convnext_tv.safetensors"), weights)

    model = model.double()
    images = torch.randn(3, 3, 64, 64, dtype=torch.float64)
    x = images.clone().requires_grad_()
    feats = model.avgpool(model.features(x))
    emb = torch.flatten(model.classifier[0](feats), 1)
    r = torch.randn_like(emb)
    (emb * r).sum().backward()
    grads = {
        "features.0.0.weight": None, "features.1.0.block.0.weight": None, "features.2.1.weight": None,
        "features.5.3.block.3.weight": None, "features.7.1.block.5.bias": None, "features.7.1.layer_scale": None,
        "classifier.0.weight": None,
    }
    named = dict(model.named_parameters())
    io = {"images": images, "loss_weights": r, "embeddings": emb, "grad.images": x.grad}
    for k in grads:
        io["grad." + k] = named[k].grad
    flipped = torch.flatten(model.classifier[0](model.avgpool(model.features(torch.flip(images, dims=[3])))), 1)
    io["flip_averaged"] = (emb + flipped) / 2
    write_safetensors(os.path.join(OUT, "convnext_tv_io.safetensors"), io)

    half = torch.tensor([1.0, -2.5, 0.1, 65504.0, 6.0e-8, -0.0, 3.14159])
    write_safetensors(os.path.join(OUT, "halfprec.safetensors"),
                      {"as_f16": half, "as_bf16": half,
                       "f16_expected": half.half().float(), "bf16_expected": half.bfloat16().float()},
                      {"as_f16": "F16", "as_bf16": "BF16"})
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The training step `engine.jar bench train-step` times, in PyTorch (eager; FP32, or AMP BF16 on a GPU).

torchvision's ConvNeXt backbone built to the same size (the classifier's Flatten + Linear left out:
the embedding is LayerNorm(avgpool(features))), loss = mean(embedding * R), backward, SGD (lr .01,
momentum .9, weight decay 5e-4), zero_grad. Threads: every core (torch.set_num_threads).
--device cuda runs on the GPU (synchronised before the clock stops); --precision bf16 wraps the forward
in torch.autocast(bfloat16), PyTorch's AMP, as the engine's BF16 GEMMs with float32 weights.
Prints one line per timed run and ends with "<n> img/s", which the engine's bench parses.
Never a test dependency.
"""
import argparse
import os
import time

import torch
from torchvision.models.convnext import CNBlockConfig, ConvNeXt

SIZES = {
    "atto": ((2, 2, 6, 2), (40, 80, 160, 320)), "femto": ((2, 2, 6, 2), (48, 96, 192, 384)),
    "pico": ((2, 2, 6, 2), (64, 128, 256, 512)), "nano": ((2, 2, 8, 2), (80, 160, 320, 640)),
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)), "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="atto", choices=sorted(SIZES))
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    depths, dims = SIZES[a.model]
    net = ConvNeXt([CNBlockConfig(dims[i], dims[i + 1] if i < 3 else None, depths[i]) for i in range(4)])
    net = net.to(a.device)
    norm = net.classifier[0]
    params = list(net.features.parameters()) + list(norm.parameters())
    opt = torch.optim.SGD(params, lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, 3, a.size, a.size, device=a.device)
    r = torch.randn(a.batch, dims[3], device=a.device)
    amp = a.precision == "bf16"

    def step():
        with torch.autocast(device_type=a.device, dtype=torch.bfloat16, enabled=amp):
            emb = torch.flatten(norm(net.avgpool(net.features(x))), 1)
        loss = (emb.float() * r).mean()
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    def sync():
        if a.device == "cuda":
            torch.cuda.synchronize()

    for _ in range(a.warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    sync()
    dt = time.perf_counter() - t0
    where = torch.cuda.get_device_name() if a.device == "cuda" else f"{a.threads} threads"
    label = "AMP BF16" if amp else "eager FP32"
    print(f"torch {torch.__version__} {a.device} ({where}) {label}, {a.model} {a.size}px batch {a.batch}: "
          f"{dt / a.steps:.2f} s/step, {a.steps * a.batch / dt:.1f} img/s")


if __name__ == "__main__":
    main()

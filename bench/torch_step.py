#!/usr/bin/env python3
"""The training step `engine.jar bench train-step` times, in PyTorch (eager; FP32, or AMP BF16 on a GPU).

torchvision's ConvNeXt backbone built to the same size, or timm's where torchvision is missing (the classifier's
Linear left out: the embedding is LayerNorm(avgpool(features))), loss = mean(embedding * R), backward, SGD (lr .01,
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

SIZES = {
    "atto": ((2, 2, 6, 2), (40, 80, 160, 320)), "femto": ((2, 2, 6, 2), (48, 96, 192, 384)),
    "pico": ((2, 2, 6, 2), (64, 128, 256, 512)), "nano": ((2, 2, 8, 2), (80, 160, 320, 640)),
    "tiny": ((3, 3, 9, 3), (96, 192, 384, 768)), "small": ((3, 3, 27, 3), (96, 192, 384, 768)),
}


def backbone(depths, dims):
    """The embedding network: torchvision's ConvNeXt where it is installed, else timm's (the GPU machine has timm)."""
    try:
        from torchvision.models.convnext import CNBlockConfig, ConvNeXt
    except ImportError:
        from timm.models.convnext import ConvNeXt as TimmConvNeXt
        return TimmConvNeXt(depths=depths, dims=dims, num_classes=0), "timm"
    net = ConvNeXt([CNBlockConfig(dims[i], dims[i + 1] if i < 3 else None, depths[i]) for i in range(4)])
    net.classifier = torch.nn.Sequential(net.classifier[0], torch.nn.Flatten(1))
    return net, "torchvision"


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
    net, source = backbone(depths, dims)
    amp = a.precision == "bf16"
    # AMP on a GPU as it is run for speed: channels_last, so cuDNN's tensor-core convolutions need no transposes.
    layout = torch.channels_last if amp and a.device == "cuda" else torch.contiguous_format
    net = net.to(a.device, memory_format=layout)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, 3, a.size, a.size, device=a.device).to(memory_format=layout)
    r = torch.randn(a.batch, dims[3], device=a.device)

    def step():
        with torch.autocast(device_type=a.device, dtype=torch.bfloat16, enabled=amp):
            emb = net(x)
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
    if a.device == "cuda":
        where += (f"; TF32 matmul {torch.backends.cuda.matmul.allow_tf32}, TF32 cuDNN {torch.backends.cudnn.allow_tf32}"
                  f", cudnn.benchmark {torch.backends.cudnn.benchmark}, peak {torch.cuda.max_memory_allocated()} B")
    label = ("AMP BF16" if amp else "eager FP32") + (", channels_last" if layout == torch.channels_last else "")
    label += f", {source}"
    print(f"torch {torch.__version__} {a.device} ({where}) {label}, {a.model} {a.size}px batch {a.batch}: "
          f"{dt / a.steps:.2f} s/step, {a.steps * a.batch / dt:.1f} img/s")


if __name__ == "__main__":
    main()

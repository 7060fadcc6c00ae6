#!/usr/bin/env python3
"""An upper bound for the end-to-end DMNIL target on the synthetic world: the same ConvNeXt (random
init, layer scale 1e-6), the same images and image size, trained WITH the true place labels.

No self-supervised method can beat supervised training on the same data and budget, so if this
script, given the true labels, cannot lift drone->satellite Recall@1 by 30 points within a number
of steps, DMNIL from scratch cannot either. Loss: cosine classifier over the train places
(normalised embedding . normalised class weights / tau, cross-entropy); each step 32 random drone
images + 32 satellite tiles (every other step h-flipped); AdamW lr 2e-3 (SGD by flag). Evaluation
as benchmarks.md section 3 (test/query_drone against test/gallery_satellite, bilinear resize, no
flip, L2-normalised, R@1 over the whole gallery with its distractors). Written for this project;
Debian's CPU PyTorch; never a test dependency.

  /usr/bin/python3 bench/supervised_ceiling.py --world WORLD --steps 600 --every 100
"""
import argparse
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.io import read_image

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def load(folder):
    xs, ys = [], []
    for pid in sorted(os.listdir(folder)):
        for f in sorted(os.listdir(os.path.join(folder, pid))):
            xs.append(read_image(os.path.join(folder, pid, f)).float() / 255)
            ys.append(int(pid))
    return torch.stack(xs), torch.tensor(ys)


class ChannelsLastNorm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln = nn.LayerNorm(c, eps=1e-6)

    def forward(self, x):
        return self.ln(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Block(nn.Module):
    def __init__(self, d, layer_scale):
        super().__init__()
        self.dw = nn.Conv2d(d, d, 7, padding=3, groups=d)
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.pw1, self.pw2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.gamma = nn.Parameter(layer_scale * torch.ones(d))

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.pw2(F.gelu(self.pw1(self.norm(y)))) * self.gamma
        return x + y.permute(0, 3, 1, 2)


class ConvNeXt(nn.Module):
    """dmnil.md section 2 at ConvNeXt-Atto size; embedding = LayerNorm(global average pool)."""

    def __init__(self, depths=(2, 2, 6, 2), dims=(40, 80, 160, 320), layer_scale=1e-6):
        super().__init__()
        down = [nn.Sequential(nn.Conv2d(3, dims[0], 4, 4), ChannelsLastNorm(dims[0]))]
        down += [nn.Sequential(ChannelsLastNorm(dims[i]), nn.Conv2d(dims[i], dims[i + 1], 2, 2)) for i in range(3)]
        self.down = nn.ModuleList(down)
        self.stages = nn.ModuleList([nn.Sequential(*[Block(dims[i], layer_scale) for _ in range(depths[i])])
                                     for i in range(4)])
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        for d, s in zip(self.down, self.stages):
            x = s(d(x))
        return self.norm(x.mean((2, 3)))


def prep(x, size):
    return (F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False, antialias=True) - MEAN) / STD


@torch.no_grad()
def features(model, x, size, bs=128):
    model.eval()
    out = torch.cat([F.normalize(model(prep(x[i:i + bs], size)), dim=1) for i in range(0, len(x), bs)])
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--world", required=True, help="what `engine.jar synth --out` wrote")
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--every", type=int, default=100, help="evaluate every N steps")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--opt", default="adamw", choices=["adamw", "sgd"])
    ap.add_argument("--tau", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=32, help="drone images per step (and as many satellite tiles)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    sat, sat_y = load(os.path.join(a.world, "train/satellite"))
    drone, drone_y = load(os.path.join(a.world, "train/drone"))
    query, query_y = load(os.path.join(a.world, "test/query_drone"))
    gallery, gallery_y = load(os.path.join(a.world, "test/gallery_satellite"))
    classes = {v: i for i, v in enumerate(sorted(set(sat_y.tolist())))}
    sat_y = torch.tensor([classes[v] for v in sat_y.tolist()])
    drone_y = torch.tensor([classes[v] for v in drone_y.tolist()])
    model = ConvNeXt()
    head = nn.Linear(320, len(classes), bias=False)
    params = list(model.parameters()) + list(head.parameters())
    opt = (torch.optim.AdamW(params, lr=a.lr, weight_decay=0.05) if a.opt == "adamw"
           else torch.optim.SGD(params, lr=a.lr, momentum=0.9, weight_decay=5e-4))

    def recall1():
        q, g = features(model, query, a.size), features(model, gallery, a.size)
        return (gallery_y[(q @ g.T).argmax(1)] == query_y).float().mean().item() * 100

    print(f"step 0 d2s R@1 {recall1():.2f} (untrained)", flush=True)
    t0 = time.time()
    for step in range(1, a.steps + 1):
        i, j = torch.randint(0, len(drone), (a.batch,)), torch.randint(0, len(sat), (a.batch,))
        tiles = torch.flip(sat[j], [3]) if step % 2 else sat[j]
        x, y = torch.cat([prep(drone[i], a.size), prep(tiles, a.size)]), torch.cat([drone_y[i], sat_y[j]])
        logits = F.normalize(model(x), dim=1) @ F.normalize(head.weight, dim=1).T / a.tau
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % a.every == 0:
            print(f"step {step} loss {loss.item():.3f} d2s R@1 {recall1():.2f} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()

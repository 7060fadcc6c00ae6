#!/usr/bin/env python3
"""Golden fixtures for DMNIL's per-step losses, memories and cross-view association (dmnil.md
sections 4, 5 and 7), from the authors' formulas re-stated on the CPU. Run from the repository root:

    /usr/bin/python3 java/src/test/python/make_dmnil_fixtures.py

(Debian's python3-torch, 1.13, and python3-numpy.) Writes java/src/test/resources/fixtures/dmnil/;
its README.md lists every file. The authors' code (github.com/ISChenawei/DMNIL) calls .cuda()
throughout; each function below says which part of it it mirrors, line by line for semantics.

Inputs are drawn in float64, rounded to float32 (the engine trains in float32 and reads them
exactly), then every result is computed in float64 and stored as float32. Discrete decisions
(neighbour masks at 0.9 x the row maximum, top-k lists) are checked for margins that float32
rounding could cross (1e-4 for masks, 1e-5 between ranked scores); a draw that has one is
redrawn from the next seed, so the engine's float32 run must make the same decisions.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "dmnil")
TAU = 0.05            # config.temp
THRESH = 0.9          # thresh = hm_thresh = 0.9 in Trainer_DMNIL.train
WISE_MOMENTUM = 0.9   # wise_momentum in train.py (ClusterMemoryV2)
MASK_MARGIN, RANK_MARGIN = 1e-4, 1e-5
D = 16


class Redraw(Exception):
    """A drawn case has a decision closer to its threshold than float32 can be trusted with."""


def f32(x):
    """Rounds to float32 and back: the values the engine will read."""
    return torch.as_tensor(np.asarray(x, dtype=np.float32), dtype=torch.float64)


def save(name, x):
    a = x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    if a.dtype.kind in "iub":
        np.save(os.path.join(OUT, name + ".npy"), a.astype("<i8").reshape(-1))
    else:
        a = a.astype("<f4")
        np.save(os.path.join(OUT, name + ".npy"), a.reshape(1) if a.ndim == 0 else a)


# ---------------------------------------------------------------- data

def centres(rng, c):
    g = rng.standard_normal((c, D))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def unit_rows_around(rng, cen, n, spread):
    """n unit rows, each near a random centre: clusters whose members score about 0.9 against each other."""
    x = cen[rng.integers(0, len(cen), n)] + spread * rng.standard_normal((n, D)) / np.sqrt(D)
    return f32(x / np.linalg.norm(x, axis=1, keepdims=True))


def renormalised_f32(x):
    """Unit rows computed in float64 from float32 inputs, then rounded: a memory's rows as stored."""
    return f32(F.normalize(x, dim=1))


def raw_features(rng, im, idx, noise):
    """Unnormalised embeddings near the indexed memory rows, of arbitrary norm (as a backbone's are)."""
    base = im[idx].numpy() + noise * rng.standard_normal((len(idx), D)) / np.sqrt(D)
    return f32(base * rng.uniform(0.5, 3.0, (len(idx), 1)))


def check_rank_margins(scores, k):
    """The k + 1 largest of each row must be at least RANK_MARGIN apart (order and cut are then sure)."""
    top = torch.topk(scores, min(k + 1, scores.size(1)), dim=1).values
    if (top[:, :-1] - top[:, 1:]).min().item() < RANK_MARGIN:
        raise Redraw("top-%d scores too close" % k)


# ---------------------------------------------------------------- instance memory (ClusterMemoryV2)

def update_em(features, inputs, indexes, momentum=WISE_MOMENTUM):
    """ClusterMemoryV2.updateEM (cluster_model.py): in batch order, unnormalised input, then renormalise."""
    for x, y in zip(inputs, indexes):
        features[y] = momentum * features[y] + (1. - momentum) * x
        features[y] = features[y] / features[y].norm()


# ---------------------------------------------------------------- neighbour loss (trainers.py)

def neighbour_mask(sim, sim_prob):
    """The no-grad block of Trainer_DMNIL.train: torch.gt(sim, max * thresh) on both paths, n = count + 1."""
    for s in (sim, sim_prob):
        nearest = s.max(dim=1, keepdim=True)[0]
        if (s - nearest * THRESH).abs().min().item() < MASK_MARGIN:
            raise Redraw("a similarity sits on the mask threshold")
    mask = torch.gt(sim, sim.max(dim=1, keepdim=True)[0] * THRESH)
    mask_prob = torch.gt(sim_prob, sim_prob.max(dim=1, keepdim=True)[0] * THRESH)
    num = mask.mul(mask_prob).sum(dim=1) + 1
    return mask, mask_prob, num


def neighbour_loss(f, memory, mask, mask_prob, num):
    """e.g. sat_sat_loss_s before its weight: softmax(normalize(f) . IM^T / 0.05).clamp_min(1e-8), masked -log,
    / n, mean.

    `memory.data.t()` shares the memory's storage, so the mm's backward reads it at backward time:
    moving its rows in place before backward() reproduces the reference's gradient (dmnil.md 4)."""
    sim = F.normalize(f, dim=1).mm(memory.data.t())
    score = F.softmax(sim / TAU, dim=1).clamp_min(1e-8)
    loss = -score.log().mul(mask).mul(mask_prob).sum(dim=1)
    return loss.div(num).mean(), sim


def consistency(sim, indices, per_row):
    """The consistency_loss lines: neighbor_sim = sim[:, indices] (B x B x k), softmax(dim=1), smoothing,
    kl_div(p.log(), uniform, 'batchmean'). per_row=True is the engine's selectable B x k variant."""
    neighbor_sim = torch.gather(sim, 1, indices) if per_row else sim[:, indices]
    p = F.softmax(neighbor_sim, dim=1)
    q = torch.ones_like(p) / p.size(1)
    epsilon = 1e-8
    p = (p + epsilon) / (1 + epsilon * p.size(1))
    return F.kl_div(p.log(), q, reduction='batchmean')


def intra_view(rng):
    """sat -> sat (the intra-view term), batch = two views of the same indices as the satellite batch is."""
    n, half = 96, 6
    cen = centres(rng, 8)
    im = unit_rows_around(rng, cen, n, 0.3)
    im_s = renormalised_f32(im + 0.08 * torch.as_tensor(rng.standard_normal((n, D))) / np.sqrt(D))
    idx = torch.as_tensor(np.concatenate([rng.choice(n, half, replace=False)] * 2))
    idx[3] = idx[2]  # a repeated index inside one view too: the in-place update runs in batch order
    idx[half + 3] = idx[half + 2]
    f = raw_features(rng, im, idx, 0.4)
    with torch.no_grad():
        mask, mask_prob, num = neighbour_mask(im[idx].mm(im.t()), im_s[idx].mm(im_s.t()))
    if (mask & mask_prob).sum(dim=1).max() < 2:
        raise Redraw("masks too thin")
    out = {"im": im, "im_s": im_s, "idx": idx, "f": f, "mask": (mask & mask_prob).double()}
    for path, mem in (("main", im), ("s", im_s)):
        fx = f.clone().requires_grad_(True)
        m = mem.clone()
        loss, _ = neighbour_loss(fx, m, mask, mask_prob, num)
        (grad_forward,) = torch.autograd.grad(loss, fx, retain_graph=True)
        with torch.no_grad():
            update_em(m, fx, idx)
        (grad_quirk,) = torch.autograd.grad(loss, fx)
        out.update({"loss_" + path: loss, "grad_" + path: grad_quirk, "grad_" + path + "_forward": grad_forward,
                    ("im_after" if path == "main" else "im_s_after"): m})
    return out


def cross_view(rng):
    """sat -> dro (even epochs): rows of IM_sat against all of IM_dro, the main-path regulariser (k = 10),
    then every IM updated with its own view's batch before the backward (trainers.py order)."""
    ns, nd, half, k = 60, 90, 6, 10
    cen = centres(rng, 6)
    im_sat, im_dro = unit_rows_around(rng, cen, ns, 0.3), unit_rows_around(rng, cen, nd, 0.45)
    im_sat_s = renormalised_f32(im_sat + 0.08 * torch.as_tensor(rng.standard_normal((ns, D))) / np.sqrt(D))
    im_dro_s = renormalised_f32(im_dro + 0.08 * torch.as_tensor(rng.standard_normal((nd, D))) / np.sqrt(D))
    idx_sat = torch.as_tensor(np.concatenate([rng.choice(ns, half, replace=False)] * 2))
    idx_dro = torch.as_tensor(rng.choice(nd, 2 * half, replace=True))
    f_sat, f_dro = raw_features(rng, im_sat, idx_sat, 0.4), raw_features(rng, im_dro, idx_dro, 0.4)
    with torch.no_grad():
        sim_nograd = im_sat[idx_sat].mm(im_dro.t())
        mask, mask_prob, num = neighbour_mask(sim_nograd, im_sat_s[idx_sat].mm(im_dro_s.t()))
        check_rank_margins(sim_nograd, k)
        _, indices = sim_nograd.topk(k, dim=1)
    if (mask & mask_prob).sum(dim=1).max() < 2:
        raise Redraw("masks too thin")
    out = {"im_sat": im_sat, "im_sat_s": im_sat_s, "im_dro": im_dro, "im_dro_s": im_dro_s, "idx_sat": idx_sat,
           "idx_dro": idx_dro, "f_sat": f_sat, "f_dro": f_dro, "mask": (mask & mask_prob).double(), "topk": indices}
    fx = f_sat.clone().requires_grad_(True)
    m, m_s = im_dro.clone(), im_dro_s.clone()
    loss, sim = neighbour_loss(fx, m, mask, mask_prob, num)
    loss_s, _ = neighbour_loss(fx, m_s, mask, mask_prob, num)
    kl_ref, kl_row = consistency(sim, indices, False), consistency(sim, indices, True)
    terms = {"loss_main": loss, "loss_s": loss_s, "kl_reference": kl_ref, "kl_per_row": kl_row}
    grads_forward = {name: torch.autograd.grad(v, fx, retain_graph=True)[0] for name, v in terms.items()}
    with torch.no_grad():
        update_em(m, f_dro, idx_dro)
        update_em(m_s, f_dro, idx_dro)
    for name, v in terms.items():
        out[name] = v
        out["grad_" + name[5:] if name.startswith("loss_") else "grad_" + name] = torch.autograd.grad(
            v, fx, retain_graph=True)[0]
    out["grad_main_forward"] = grads_forward["loss_main"]
    out["grad_kl_reference_forward"] = grads_forward["kl_reference"]
    out["im_dro_after"], out["im_dro_s_after"] = m, m_s
    return out


# ---------------------------------------------------------------- association (train.py, epoch >= cmlabel)

def associate(rng):
    """The `if epoch >= trainer.cmlabel` block of train.py: vote over top-10 lists, then top-5 smoothing.
    The satellite rows are tiles each repeated `copies` times (the virtual copies: bit-identical rows)."""
    tiles, copies, nd, top2, score_topk = 12, 4, 80, 10, 10
    cen = centres(rng, tiles)
    fs = f32(np.repeat(cen, copies, axis=0))
    fs = renormalised_f32(fs)
    owner = rng.integers(0, tiles, nd)
    fd = renormalised_f32(torch.as_tensor(cen[owner] + 0.5 * rng.standard_normal((nd, D)) / np.sqrt(D)))
    # Drone clusters: mostly one per tile, two tiles merged into one cluster, some drones outliers.
    cluster_of_tile = np.arange(tiles)
    cluster_of_tile[cluster_of_tile == tiles - 1] = 0
    ld = torch.as_tensor(np.where(rng.random(nd) < 0.2, -1, cluster_of_tile[owner]))
    num_cluster_dro = int(ld.max().item()) + 1
    # features_sat_s_ = features_sat_ori_ + torch.randn_like(features_sat_ori_) * 0.05, and the same for the
    # drones; the draw comes from numpy here and is saved, so the engine is fed the same noisy copies.
    fs_n = f32(fs + 0.05 * torch.as_tensor(rng.standard_normal(tuple(fs.shape))))
    fd_n = f32(fd + 0.05 * torch.as_tensor(rng.standard_normal(tuple(fd.shape))))
    ins_sim_sat_dro = fs.mm(fd.t())
    ins_sim_sat_dro_s = fs_n.mm(fd_n.t())
    check_rank_margins(ins_sim_sat_dro, score_topk)
    check_rank_margins(ins_sim_sat_dro_s, score_topk)
    _, ins_indices_sat_dro_s = torch.topk(ins_sim_sat_dro_s, score_topk)
    ins_label_sat_dro = ld[ins_indices_sat_dro_s]
    _, ins_indices_sat_dro = torch.topk(ins_sim_sat_dro, score_topk)
    cluster_label_sat_dro = ld[ins_indices_sat_dro]
    counts = torch.cat([(ins_label_sat_dro == cluster_label_sat_dro[:, l].view(-1, 1)).int().sum(1).view(-1, 1)
                        for l in range(top2)], 1)
    # torch.topk(counts, 1) picks an arbitrary one among tied counts; dmnil.md fixes it to the first.
    cluster_label_index = torch.as_tensor(np.argmax(counts.numpy(), axis=1)).view(-1, 1)
    voted = torch.gather(cluster_label_sat_dro, dim=1, index=cluster_label_index).view(-1)
    sat_cm_label = F.one_hot((voted + 1).long(), num_cluster_dro + 1).double()
    sat_self_sim = fs.mm(fs.t()) + fs_n.mm(fs_n.t())
    check_rank_margins(sat_self_sim, 5)
    _, indices_self = torch.topk(sat_self_sim, 5)
    mask_self = torch.zeros_like(sat_self_sim).scatter(1, indices_self, 1)
    smooth = torch.mm(mask_self, sat_cm_label)
    smoothed = torch.argmax(smooth, 1).view(-1) - 1  # argmax returns the first maximum: -1 wins a tie
    # rows where candidates of different labels share the best count: the tie rule decides them
    best = counts == counts.max(1, keepdim=True)[0]
    ties = sum(len(set(cluster_label_sat_dro[i][best[i]].tolist())) > 1 for i in range(len(fs)))
    if ties == 0 or (voted == -1).sum() == 0 or (smoothed != voted).sum() == 0:
        raise Redraw("association case should exercise vote ties, -1 votes and smoothing changes")
    return {"fs": fs, "fd": fd, "ld": ld, "fs_noisy": fs_n, "fd_noisy": fd_n, "voted": voted, "smoothed": smoothed,
            "vote_ties": torch.as_tensor([ties])}


# ---------------------------------------------------------------- the lead's pieces: cluster memories

def cm_step(inputs, targets, features, momentum):
    """CM.forward/backward (cluster_model.py) and ClusterMemory.forward: logits = x . M^T / temp,
    cross-entropy, grad = grad_outputs . M taken before the in-batch-order momentum update of M."""
    class CM(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.mm(features.t())

        @staticmethod
        def backward(ctx, grad_outputs):
            (x,) = ctx.saved_tensors
            grad_inputs = grad_outputs.mm(features)
            for xi, y in zip(x, targets):
                features[y] = momentum * features[y] + (1. - momentum) * xi
                features[y] /= features[y].norm()
            return grad_inputs
    return F.cross_entropy(CM.apply(inputs) / TAU, targets)


def pk_labels(rng, classes, per, used):
    lab = np.repeat(rng.choice(classes, used, replace=False), per)
    return torch.as_tensor(rng.permutation(lab))


def cluster_memory(rng):
    c, b = 8, 16
    cen = centres(rng, c)
    memory = renormalised_f32(torch.as_tensor(cen))
    labels = pk_labels(rng, c, 4, b // 4)
    f = raw_features(rng, memory, labels, 0.8)
    out = {"memory": memory, "labels": labels, "f": f}
    for m in (0.2, 0.1):
        feats = memory.clone()
        fx = f.clone().requires_grad_(True)
        loss = cm_step(F.normalize(fx, dim=1), labels, feats, m)
        loss.backward()
        out["loss"], out["grad"] = loss, fx.grad
        out["memory_after_m%.1f" % m] = feats
    return out


def dhml_step(f, labels, state, momentum):
    """DHML.forward (cluster_model.py) with ca = None: L1 via cm on `features`, ST/LT updates under no_grad
    (indexed assignments: with repeated labels the last write wins, checked below), alpha, combined,
    L2 via cm on a clone of the combination (its momentum update is thrown away), L1 + 0.2 L2."""
    fx = f.clone().requires_grad_(True)
    inputs = F.normalize(fx, dim=1)
    loss = cm_step(inputs, labels, state["features"], momentum)
    with torch.no_grad():
        st_before = state["st"].clone()
        state["st"][labels] = 0.2 * inputs + (1 - 0.3) * state["st"][labels]
        last_wins = st_before.clone()
        for x, y in zip(inputs, labels):
            last_wins[y] = 0.2 * x + 0.7 * st_before[y]
        assert torch.equal(last_wins, state["st"]), "index_put with repeated labels did not keep the last write"
    with torch.no_grad():
        alpha = torch.sigmoid(torch.mean(torch.norm(inputs - state["st"][labels], dim=1)))
        state["lt"][labels] = alpha * state["st"][labels] + (1 - alpha) * state["lt"][labels]
    combined = 0.7 * state["lt"].clone() + 0.3 * state["st"].clone()
    l2 = cm_step(inputs, labels, combined.clone(), momentum)
    total = loss + l2 * 0.2
    total.backward()
    return {"l1": loss, "l2": l2, "loss": total, "alpha": alpha, "grad": fx.grad, "st": state["st"].clone(),
            "lt": state["lt"].clone(), "memory_after": state["features"].clone()}


def dhml(rng):
    """Two steps from ST = LT = 0 (the second sees non-zero banks), momentum 0.2 (epoch 0)."""
    c, b = 8, 16
    memory = renormalised_f32(torch.as_tensor(centres(rng, c)))
    state = {"features": memory.clone(), "st": torch.zeros(c, D), "lt": torch.zeros(c, D)}
    out = {"memory": memory}
    for step in (1, 2):
        labels = pk_labels(rng, c, 4, b // 4)
        f = raw_features(rng, memory, labels, 0.8)
        out["labels_step%d" % step], out["f_step%d" % step] = labels, f
        for name, v in dhml_step(f, labels, state, 0.2).items():
            out[name + "_step%d" % step] = v
    return out


def instance_memory(rng):
    n, b = 40, 16
    memory = unit_rows_around(rng, centres(rng, 5), n, 0.4)
    idx = torch.as_tensor(rng.integers(0, n // 4, b))  # a small range: indices repeat
    f = raw_features(rng, memory, idx, 0.5)
    after = memory.clone()
    update_em(after, f, idx)
    return {"memory": memory, "idx": idx, "f": f, "memory_after": after}


def shared_memory(rng):
    """Two terms on one shared memory (dmnil.md 5 and 4): loss = cm(drone) + cm(satellite), created in that
    order, so torch's backward runs the satellite term first (newest node first), whose momentum update moves
    the rows before the drone term's backward multiplies ITS forward-time softmax gradient by them."""
    c, b = 8, 16
    memory = renormalised_f32(torch.as_tensor(centres(rng, c)))
    ld, ls = pk_labels(rng, c, 4, b // 4), pk_labels(rng, c, 4, b // 4)
    fd, fs = raw_features(rng, memory, ld, 3.0), raw_features(rng, memory, ls, 3.0)
    feats = memory.clone()
    order = []
    xd, xs = fd.clone().requires_grad_(True), fs.clone().requires_grad_(True)
    loss_d = cm_step_traced(F.normalize(xd, dim=1), ld, feats, 0.1, order, "drone")
    loss_s = cm_step_traced(F.normalize(xs, dim=1), ls, feats, 0.1, order, "satellite")
    (loss_d + loss_s).backward()
    assert order == ["satellite", "drone"], order
    # The same with every gradient from the forward-time memory: the fixture must tell the two apart.
    feats_f = memory.clone()
    xd_f = fd.clone().requires_grad_(True)
    xs_f = fs.clone().requires_grad_(True)
    (cm_step(F.normalize(xd_f, dim=1), ld, feats_f.clone(), 0.1)
     + cm_step(F.normalize(xs_f, dim=1), ls, feats_f.clone(), 0.1)).backward()
    return {"memory": memory, "labels_d": ld, "labels_s": ls, "fd": fd, "fs": fs, "loss_d": loss_d, "loss_s": loss_s,
            "grad_d": xd.grad, "grad_s": xs.grad, "memory_after": feats, "grad_d_forward_time": xd_f.grad}


def cm_step_traced(inputs, targets, features, momentum, order, name):
    """cm_step, recording when its backward runs."""
    class CM(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.mm(features.t())

        @staticmethod
        def backward(ctx, grad_outputs):
            (x,) = ctx.saved_tensors
            order.append(name)
            grad_inputs = grad_outputs.mm(features)
            for xi, y in zip(x, targets):
                features[y] = momentum * features[y] + (1. - momentum) * xi
                features[y] /= features[y].norm()
            return grad_inputs
    return F.cross_entropy(CM.apply(inputs) / TAU, targets)


# ---------------------------------------------------------------- main

CASES = {"intra": intra_view, "cross": cross_view, "assoc": associate, "cm": cluster_memory, "dhml": dhml,
         "im": instance_memory, "shared": shared_memory}


def draw(make, seed):
    for s in range(seed, seed + 1000):
        try:
            return s, make(np.random.default_rng(s))
        except Redraw:
            continue
    raise RuntimeError("no acceptable draw")


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".npy"):
            os.remove(os.path.join(OUT, old))
    for i, (prefix, make) in enumerate(CASES.items()):
        seed, values = draw(make, 1000 * (i + 1))
        for name, v in values.items():
            save(prefix + "_" + name, v)
        print("%-6s seed %d: %s" % (prefix, seed, ", ".join(sorted(values))))
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("total %d bytes" % total)


if __name__ == "__main__":
    main()

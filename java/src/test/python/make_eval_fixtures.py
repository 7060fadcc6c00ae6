"""University-1652's published evaluation (compute_mAP + CMC, evaluate_gpu.py), re-typed with numpy only,
run on random features with repeated ids, junk (-1) and distractor ids. Writes
java/src/test/resources/fixtures/eval_parity.txt; the Java test must reproduce its numbers exactly."""
import numpy as np

rng = np.random.default_rng(6)
D, NQ, NG = 16, 60, 250


def unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


ql = rng.integers(0, 40, NQ)
gl = np.concatenate([rng.integers(0, 45, 200), rng.integers(100, 120, 30), -np.ones(20, dtype=np.int64)])
rng.shuffle(gl)
centres = rng.normal(size=(200, D))
qf = unit(centres[ql % 200] + 1.3 * rng.normal(size=(NQ, D)))
gf = unit(centres[np.where(gl < 0, 199, gl) % 200] + 1.3 * rng.normal(size=(NG, D)))


def compute_mAP(index, good_index, junk_index):
    ap = 0
    cmc = np.zeros(len(index), dtype=np.int32)
    if good_index.size == 0:
        cmc[0] = -1
        return ap, cmc
    mask = np.in1d(index, junk_index, invert=True)
    index = index[mask]
    ngood = len(good_index)
    mask = np.in1d(index, good_index)
    rows_good = np.argwhere(mask == True).flatten()
    cmc[rows_good[0]:] = 1
    for i in range(ngood):
        d_recall = 1.0 / ngood
        precision = (i + 1) * 1.0 / (rows_good[i] + 1)
        if rows_good[i] != 0:
            old_precision = i * 1.0 / rows_good[i]
        else:
            old_precision = 1.0
        ap = ap + d_recall * (old_precision + precision) / 2
    return ap, cmc


def evaluate(qf1, ql1, gf, gl):
    score = gf @ qf1
    # stable descending order: equal scores keep the lower gallery index first (the engine's documented tie rule)
    index = np.argsort(-score, kind="stable")
    good_index = np.argwhere(gl == ql1)
    junk_index = np.argwhere(gl == -1)
    return compute_mAP(index, good_index, junk_index)


def run(gl_used):
    CMC = np.zeros(len(gl_used))
    ap = 0.0
    for i in range(NQ):
        ap_tmp, CMC_tmp = evaluate(qf[i], ql[i], gf, gl_used)
        if CMC_tmp[0] == -1:
            continue
        CMC = CMC + CMC_tmp
        ap += ap_tmp
    CMC = CMC / NQ
    return CMC, ap / NQ


with open("../resources/fixtures/eval_parity.txt", "w") as out:
    out.write(f"dims {NQ} {NG} {D}\n")
    out.write("ql " + " ".join(map(str, ql)) + "\n")
    out.write("gl " + " ".join(map(str, gl)) + "\n")
    out.write("qf " + " ".join(repr(float(v)) for v in qf.ravel()) + "\n")
    out.write("gf " + " ".join(repr(float(v)) for v in gf.ravel()) + "\n")
    for name, glu in [("standard", gl), ("reference", np.where(np.isin(gl, ql), gl, -1))]:
        CMC, mAP = run(glu)
        top1 = round(len(gl) * 0.01)
        out.write(f"{name} {CMC[0]!r} {CMC[4]!r} {CMC[9]!r} {CMC[top1]!r} {mAP!r}\n")

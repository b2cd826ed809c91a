"""Recomputes `roadsynth stats` from a dataset's raw arrays with numpy and compares with its JSON.

Usage: check_stats.py DATASET STATS_JSON [SPLIT]
An independent reference: it reads labels.json, manifest.jsonl and frames/*.npy itself and follows the definitions
in docs/formats.md (COCO area buckets 1024/9216 pixels, KITTI heights 40/25 rows, median frequency and ENet weights).
"""
import json
import math
import os
import sys

import numpy as np

root, stats_path = sys.argv[1], sys.argv[2]
only_split = sys.argv[3] if len(sys.argv) > 3 else None
labels = json.load(open(f"{root}/labels.json", encoding="utf-8"))["labels"]
stats = json.load(open(stats_path, encoding="utf-8"))
by_id = {l["id"]: l for l in labels}
with_instances = np.array(sorted(i for i, l in by_id.items() if l["hasInstances"]), dtype=np.int64)

pixels = {i: 0 for i in by_id}
samples = {i: 0 for i in by_id}
inst = {i: [0] * 7 for i in by_id}  # count, small, medium, large, >=40, >=25, <25
near = {i: [0] * 5 for i in by_id}  # nearest depth below 10, 20, 40, 80 m, from 80 m
with_depth = 0
train = {}  # train id -> [pixels, pixels of the samples it appears in]
unknown = {}
splits = {}
total = 0
count = 0
for line in open(f"{root}/manifest.jsonl", encoding="utf-8"):
    if not line.strip():
        continue
    m = json.loads(line)
    if only_split is not None and m["split"] != only_split:
        continue
    count += 1
    splits[m["split"]] = splits.get(m["split"], 0) + 1
    cls = np.load(f"{root}/frames/{m['id']}_labelIds.npy").astype(np.int64)
    ins = np.load(f"{root}/frames/{m['id']}_instanceIds.npy").astype(np.int64)
    depth_file = f"{root}/frames/{m['id']}_depth.npy"
    depth = np.load(depth_file) if os.path.exists(depth_file) else None
    with_depth += depth is not None
    n = cls.size
    total += n
    tpix = {}
    for i, c in zip(*[a.tolist() for a in np.unique(cls, return_counts=True)]):
        if i in by_id:
            pixels[i] += c
            samples[i] += 1
            t = by_id[i]["trainId"]
            if t != 255:
                tpix[t] = tpix.get(t, 0) + c
        else:
            unknown[str(i)] = unknown.get(str(i), 0) + c
    for t, c in tpix.items():
        acc = train.setdefault(t, [0, 0])
        acc[0] += c
        acc[1] += n
    mask = (ins != 0) & np.isin(cls, with_instances)
    rows = np.nonzero(mask)[0]
    pairs = np.stack([ins[mask], cls[mask]], axis=1)
    if len(pairs) == 0:
        continue
    keys, inverse, areas = np.unique(pairs, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    top = np.full(len(keys), np.iinfo(np.int64).max)
    bottom = np.full(len(keys), -1)
    np.minimum.at(top, inverse, rows)
    np.maximum.at(bottom, inverse, rows)
    nearest = np.full(len(keys), np.inf, dtype=np.float32)
    if depth is not None:
        d = depth[mask]
        d = np.where(d > 0, d, np.float32(np.inf))  # 0: nothing hit, never near
        np.minimum.at(nearest, inverse, d)
    for (iid, c), area, h, z in zip(keys.tolist(), areas.tolist(), (bottom - top + 1).tolist(), nearest.tolist()):
        if depth is not None and z != math.inf:
            near[c][sum(z >= b for b in (10, 20, 40, 80))] += 1
        k = inst[c]
        k[0] += 1
        k[1 if area < 1024 else 2 if area < 9216 else 3] += 1
        k[4 if h >= 40 else 5 if h >= 25 else 6] += 1

failures = []


def same(what, got, want):
    if isinstance(want, float):
        ok = math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    else:
        ok = got == want
    if not ok:
        failures.append(f"{what}: stats say {got}, numpy says {want}")


same("samples", stats["samples"], count)
same("splits", stats["splits"], splits)
same("pixels", stats["pixels"], total)
same("samplesWithDepth", stats["samplesWithDepth"], with_depth)
same("unknownIds", stats["unknownIds"], unknown)
for c in stats["classes"]:
    i = c["id"]
    same(f"{c['name']} pixels", c["pixels"], pixels[i])
    same(f"{c['name']} samples", c["samples"], samples[i])
    if by_id[i]["hasInstances"]:
        k = inst[i]
        same(f"{c['name']} instances", c["instances"], k[0])
        same(f"{c['name']} area", [c["area"]["small"], c["area"]["medium"], c["area"]["large"]], k[1:4])
        same(f"{c['name']} height", [c["height"]["atLeast40"], c["height"]["atLeast25"], c["height"]["below25"]], k[4:7])
        if with_depth:
            same(f"{c['name']} nearest depth", list(c["nearestDepth"].values()), near[i])
        elif "nearestDepth" in c:
            failures.append(f"{c['name']}: nearest depth reported for a dataset without depth")
freq = {t: p / sp for t, (p, sp) in train.items() if p > 0}
median = float(np.median(list(freq.values())))
not_ignored = sum(p for p, _ in train.values())
trained = sorted({l["trainId"] for l in labels if l["trainId"] != 255})
mf = stats["weights"]["medianFrequency"]
enet = stats["weights"]["enet"]
same("weights length", len(mf), trained[-1] + 1)
for t in range(trained[-1] + 1):
    same(f"median frequency weight {t}", mf[t], median / freq[t] if t in freq else 0.0)
    same(f"ENet weight {t}", enet[t], 1 / math.log(1.02 + train[t][0] / not_ignored) if t in freq else 0.0)

if "annotations" in stats:
    # COCO annotations of the counted splits: KITTI-style occlusion and truncation levels, KITTI difficulty.
    per = {i: [0] * 12 for i in by_id if by_id[i]["hasInstances"]}
    total_annotations = 0
    for split in splits:
        for a in json.load(open(f"{root}/coco/annotations/instances_{split}.json", encoding="utf-8"))["annotations"]:
            v, t, h = a["visible_fraction"], a["truncation"], a["amodal_bbox"][3]
            occ = 0 if v >= 0.99 else 1 if v >= 0.5 else 2
            k = per[a["category_id"]]
            total_annotations += 1
            k[0] += 1
            k[1 + occ] += 1
            k[4 if t <= 0.15 else 5 if t <= 0.3 else 6 if t <= 0.5 else 7] += 1
            if h >= 40 and occ == 0 and t <= 0.15:
                k[8] += 1
            elif h >= 25 and occ <= 1 and t <= 0.3:
                k[9] += 1
            elif h >= 25 and t <= 0.5:
                k[10] += 1
            else:
                k[11] += 1
    same("annotations", stats["annotations"]["annotations"], total_annotations)
    for c in stats["annotations"]["categories"]:
        k = per[c["id"]]
        got = [c["annotations"], *c["occlusion"].values(), *c["truncation"].values(), *c["kittiDifficulty"].values()]
        same(f"{c['name']} annotations", got, k)
    print(f"{total_annotations} COCO annotations checked")
elif os.path.isdir(f"{root}/coco/annotations"):
    failures.append("the dataset has COCO annotations but the statistics have none")

for f in failures:
    print(f)
print(f"{count} samples checked, {len(failures)} differences")
sys.exit(1 if failures else 0)

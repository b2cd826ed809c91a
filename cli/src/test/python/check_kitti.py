"""Reads a roadsynth dataset's KITTI object files as the KITTI object devkit defines them, and checks them.

Usage: check_kitti.py DATASET [--level] [--torchvision]

The layout is KITTI's own download's: kitti/training/{image_2,label_2,calib}/ and kitti/ImageSets/{split}.txt, each
sample's id in exactly the list of its split (the manifest's), and every label file's id in one. With --torchvision,
torchvision's datasets.Kitti (which expects Kitti/raw/training/{image_2,label_2} under its root: a link to the
kitti folder makes that) loads every sample, and its targets are the label files' lines.

Every label line: the 15 standard columns, a KITTI type, truncated in 0..1, occluded 0, 1 or 2, the 2D box inside
the image (its size from the PNG in image_2), alpha = rotation_y - atan2(x, z) (the observation angle). With
--level (the dataset's camera neither pitched nor rolled, so world-upright boxes are upright in the camera frame,
as KITTI's boxes are): every 2D box (amodal: around all of the object's pixels) lies within the projection of its
3D box, whose eight corners are computed as the devkit's computeBox3D does (x, y, z the bottom centre; height
along -y; length along x and width along z before the rotation by rotation_y about y) and projected with calib's
P2. The tolerance is half a pixel (a pixel counts as the object's where its centre is covered, and the box runs
along the pixels' edges) plus what the labels' two decimals can move a corner. Prints "N passed, M failed" and the
number of boxes whose projection was checked; exits 1 on any failure.

DontCare lines (objects the annotation policy left out while they show pixels) carry KITTI's "none" values in every
field but the box. Where the dataset has raw arrays (the raw format), each sample's lines are checked against them
and the manifest, whose "groups" are instances KITTI labels as one object (a rider and its bicycle: one Cyclist):
one DontCare line per object left out with pixels in instanceIds (an instance the manifest lists as dropped, not in a
group; a group it marks dropped), each around those pixels; one Cyclist line around each kept group's pixels; and
one line for each other object, so that no group member has a line of its own (valid for policies that keep no
object without visible pixels, as --min-visible-pixels 1 and more do).
"""
import glob
import json
import math
import os
import sys

import numpy as np
from PIL import Image

from checks import Checks

TYPES = {"Car", "Van", "Truck", "Pedestrian", "Person_sitting", "Cyclist", "Tram", "Misc", "DontCare"}

check = Checks()


def corners(h, w, l, x, y, z, ry):
    """The devkit's computeBox3D: the box's eight corners in camera coordinates, 3 x 8."""
    xs = [l / 2, l / 2, -l / 2, -l / 2, l / 2, l / 2, -l / 2, -l / 2]
    ys = [0, 0, 0, 0, -h, -h, -h, -h]
    zs = [w / 2, -w / 2, -w / 2, w / 2, w / 2, -w / 2, -w / 2, w / 2]
    r = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    return r @ np.array([xs, ys, zs], dtype=float) + np.array([[x], [y], [z]])


def wrap(a):
    return (a + math.pi) % (2 * math.pi) - math.pi


def read_by_torchvision(kitti, labels):
    """torchvision's datasets.Kitti over the kitti folder: every sample loads, with the label file's objects."""
    import tempfile
    from torchvision.datasets import Kitti
    with tempfile.TemporaryDirectory() as tv:
        os.makedirs(os.path.join(tv, "Kitti"))
        os.symlink(os.path.abspath(kitti), os.path.join(tv, "Kitti", "raw"))
        dataset = Kitti(tv, train=True)
        check(len(dataset) == len(labels), f"torchvision: {len(dataset)} samples, {len(labels)} label files")
        for i in range(len(dataset)):
            image, target = dataset[i]
            sid = os.path.splitext(os.path.basename(dataset.images[i]))[0]
            lines = [line.split() for line in open(os.path.join(kitti, "training", "label_2", sid + ".txt"))]
            check(len(target) == len(lines), f"torchvision: {sid}: {len(target)} objects, {len(lines)} lines")
            for t, c in zip(target, lines):
                check(t["type"] == c[0] and t["bbox"] == [float(v) for v in c[4:8]]
                      and t["occluded"] == int(c[2]) and t["rotation_y"] == float(c[14]),
                      f"torchvision: {sid}: {t} against {c}")
            check(image.size == Image.open(os.path.join(kitti, "training", "image_2", sid + ".png")).size,
                  f"torchvision: {sid}: image size {image.size}")


def main(root, level, torchvision=False):
    kitti = os.path.join(root, "kitti")
    labels = sorted(glob.glob(os.path.join(kitti, "training", "label_2", "*.txt")))
    check(len(labels) > 0, "no label files")
    manifest = {m["id"]: m for m in map(json.loads, open(os.path.join(root, "manifest.jsonl")))}
    raw = os.path.isdir(os.path.join(root, "frames"))
    objects = 0
    projected = 0
    dont_care = 0
    grouped = 0
    for path in labels:
        sid = os.path.splitext(os.path.basename(path))[0]
        width, height = Image.open(os.path.join(kitti, "training", "image_2", sid + ".png")).size
        calib = {}
        for line in open(os.path.join(kitti, "training", "calib", sid + ".txt")):
            key, values = line.split(":", 1)
            calib[key] = np.array([float(v) for v in values.split()])
        p2 = calib["P2"].reshape(3, 4)
        ignore_boxes = []
        cyclist_boxes = []
        object_lines = 0
        for n, line in enumerate(open(path), 1):
            where = f"{sid}.txt:{n}"
            c = line.split()
            check(len(c) == 15, f"{where}: {len(c)} columns")
            if len(c) != 15:
                continue
            objects += 1
            kind = c[0]
            if kind == "DontCare":
                dont_care += 1
                box = [float(v) for v in c[4:8]]
                ignore_boxes.append(box)
                check(c[1:4] == ["-1", "-1", "-10"] and c[8:15] == ["-1", "-1", "-1", "-1000", "-1000", "-1000", "-10"],
                      f"{where}: DontCare fields {c}")
                check(0 <= box[0] < box[2] <= width and 0 <= box[1] < box[3] <= height, f"{where}: DontCare box {box}")
                continue
            object_lines += 1
            truncated, occluded, alpha = float(c[1]), int(c[2]), float(c[3])
            left, top, right, bottom = (float(v) for v in c[4:8])
            if kind == "Cyclist":
                cyclist_boxes.append((left, top, right, bottom))
            h, w, l, x, y, z, ry = (float(v) for v in c[8:15])
            check(kind in TYPES, f"{where}: type {kind}")
            check(0 <= truncated <= 1, f"{where}: truncated {truncated}")
            check(occluded in (0, 1, 2), f"{where}: occluded {occluded}")
            check(0 <= left < right <= width and 0 <= top < bottom <= height,
                  f"{where}: box {left} {top} {right} {bottom} in a {width}x{height} image")
            check(min(h, w, l) > 0, f"{where}: dimensions {h} {w} {l}")
            check(-math.pi - 0.01 <= ry <= math.pi + 0.01, f"{where}: rotation_y {ry}")
            # Two decimals each: alpha and ry within 0.005, atan2(x, z) moved by the rounding of x and z.
            check(abs(wrap(alpha - (ry - math.atan2(x, z)))) <= 0.011 + 0.01 / math.hypot(x, z),
                  f"{where}: alpha {alpha} against rotation_y - atan2(x, z) = {wrap(ry - math.atan2(x, z)):.4f}")
            if not level:
                continue
            box = corners(h, w, l, x, y, z, ry)
            near = box[2].min()
            if near <= 0.05:
                continue  # a corner behind the camera: the projection is no finite box
            projected += 1
            uvw = p2 @ np.vstack([box, np.ones(8)])
            u, v = uvw[0] / uvw[2], uvw[1] / uvw[2]
            pu0, pv0 = max(0.0, u.min()), max(0.0, v.min())
            pu1, pv1 = min(float(width), u.max()), min(float(height), v.max())
            # A corner moves by up to 0.01 m for the rounding of x, y, z and the sizes, and by its distance from the
            # axis times 0.005 for rotation_y's: both for u and v about focal / depth pixels a metre, twice over
            # for the depth's part in the division.
            reach = math.hypot(l, w) / 2
            tol = 0.5 + 2 * p2[0, 0] * (0.01 + 0.005 * reach) / near
            check(left >= pu0 - tol and top >= pv0 - tol and right <= pu1 + tol and bottom <= pv1 + tol,
                  f"{where}: {kind} box {left} {top} {right} {bottom} outside its 3D box's projection "
                  f"{pu0:.2f} {pv0:.2f} {pu1:.2f} {pv1:.2f} (tolerance {tol:.2f} px)")
        if raw:
            instances = np.load(os.path.join(root, "frames", sid + "_instanceIds.npy"))
            groups = manifest[sid].get("groups", [])
            members = {m for g in groups for m in g["members"]}
            dropped = {d["instance_id"] for d in manifest[sid].get("dropped", [])}

            def pixels(ids):
                ys, xs = np.nonzero(np.isin(instances, list(ids)))
                return (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) if len(xs) else None

            shown = [(f"instance {i}", pixels([i])) for i in sorted(dropped - members)]
            shown += [(f"group {g['group_id']}", pixels(g["members"])) for g in groups if "dropped" in g]
            shown = [(what, box) for what, box in shown if box is not None]
            check(len(ignore_boxes) == len(shown),
                  f"{sid}: {len(ignore_boxes)} DontCare lines, {len(shown)} objects left out with pixels")
            for what, (x0, y0, x1, y1) in shown:
                check(any(b[0] <= x0 and b[1] <= y0 and x1 <= b[2] and y1 <= b[3] for b in ignore_boxes),
                      f"{sid}: dropped {what}'s pixels ({x0} {y0} {x1} {y1}) in no DontCare box")
            kept_groups = [(g["group_id"], pixels(g["members"])) for g in groups if "dropped" not in g]
            for gid, (x0, y0, x1, y1) in kept_groups:
                check(any(b[0] <= x0 and b[1] <= y0 and x1 <= b[2] and y1 <= b[3] for b in cyclist_boxes),
                      f"{sid}: group {gid}'s pixels ({x0} {y0} {x1} {y1}) in no Cyclist box")
            alone = set(np.unique(instances).tolist()) - {0} - dropped - members
            check(object_lines == len(alone) + len(kept_groups),
                  f"{sid}: {object_lines} object lines, expected {len(alone)} instances outside groups and "
                  f"{len(kept_groups)} groups")
            grouped += len(kept_groups)
    # ImageSets: each sample in the list of its split, once; nothing else listed.
    listed = {}
    for path in sorted(glob.glob(os.path.join(kitti, "ImageSets", "*.txt"))):
        split = os.path.splitext(os.path.basename(path))[0]
        for sid in open(path).read().split():
            check(sid not in listed, f"ImageSets: {sid} in {split}.txt and {listed.get(sid)}.txt")
            listed[sid] = split
    ids = [os.path.splitext(os.path.basename(p))[0] for p in labels]
    check(sorted(listed) == sorted(ids), f"ImageSets list {len(listed)} ids, label_2 holds {len(ids)}")
    for sid in ids:
        check(listed.get(sid) == manifest[sid]["split"],
              f"ImageSets: {sid} listed in {listed.get(sid)}, its split is {manifest[sid]['split']}")
    if torchvision:
        read_by_torchvision(kitti, labels)
    print(f"{objects} objects in {len(labels)} samples, {projected} boxes' projections checked, "
          f"{dont_care} DontCare lines, {grouped} groups as one object")


if __name__ == "__main__":
    main(sys.argv[1], "--level" in sys.argv[2:], "--torchvision" in sys.argv[2:])
    sys.exit(check.report())

"""Loads a roadsynth Cityscapes dataset with torchvision's own loader and compares it with the label planes.

Usage: check_cityscapes.py ROOT PLANES_DIR SPLIT COUNT
PLANES_DIR holds {i:06d}_semantic.npy and {i:06d}_instance.npy (uint32, the renderer's planes) for each sample.
Prints one line per sample and 'N passed, N failed' at the end; exits 1 on any failure.
"""
import json
import os
import sys

import numpy as np
import torchvision
from PIL import Image

root, planes, split, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ds = torchvision.datasets.Cityscapes(root, split=split, mode="fine",
                                     target_type=["semantic", "instance", "color", "polygon"])
# torchvision's own Cityscapes table: class id -> train id (255 ignored; its -1, the licence plate, as 255 too).
train_of = np.full(256, 255, dtype=np.int64)
for c in torchvision.datasets.Cityscapes.classes:
    if c.id >= 0:
        train_of[c.id] = 255 if c.train_id < 0 else c.train_id
passed = failed = 0
if len(ds) != count:
    print(f"expected {count} samples, torchvision found {len(ds)}")
    failed += 1
for i in range(len(ds)):
    image, (semantic, instance, color, polygon) = ds[i]
    name = os.path.basename(ds.images[i]).split("_")[2]
    ours = np.load(os.path.join(planes, f"{name}_semantic.npy"))
    inst = np.load(os.path.join(planes, f"{name}_instance.npy"))
    sem = np.array(semantic)
    problems = []
    if image.size != (ours.shape[1], ours.shape[0]):
        problems.append(f"image size {image.size}")
    if sem.dtype != np.uint8 or not np.array_equal(sem.astype(np.uint32), ours):
        problems.append(f"semantic differs at {int((sem != ours).sum())} pixels")
    ins = np.array(instance).astype(np.int64)
    # Cityscapes encoding: class * 1000 + index where the pixel has an instance of a class with instances.
    if not np.array_equal(np.where(ins >= 1000, ins // 1000, ins), ours.astype(np.int64)):
        problems.append("instanceIds do not decode to the class ids")
    if not np.all((ins >= 1000) <= (inst != 0)):
        problems.append("instance-encoded pixels where the renderer drew no instance")
    if polygon["imgWidth"] != ours.shape[1] or polygon["imgHeight"] != ours.shape[0] or not polygon["objects"]:
        problems.append("polygons header")
    if np.array(color).shape[:2] != ours.shape:
        problems.append("colour size")
    # labelTrainIds (mmsegmentation's target) beside the semantic target: the renderer's classes through torchvision's
    # train ids.
    train = np.array(Image.open(ds.targets[i][0].replace("_gtFine_labelIds.png", "_gtFine_labelTrainIds.png")))
    if train.dtype != np.uint8 or not np.array_equal(train.astype(np.int64), train_of[ours.astype(np.int64)]):
        problems.append(f"labelTrainIds differ from torchvision's train ids at {int((train != train_of[ours]).sum())} pixels")
    if problems:
        failed += 1
        print(f"FAIL {ds.images[i]}: {'; '.join(problems)}")
    else:
        passed += 1
        print(f"ok {ds.images[i]}: {sem.shape}, {len(np.unique(sem))} classes, {len(polygon['objects'])} outlines")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

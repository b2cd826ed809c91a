"""Reads roadsynth's COCO files the way pycocotools does (its mask API's uncompressed RLE: counts of alternating
0 and 1 runs, starting with 0, over the mask in column-major order, size [height, width]) and checks them against
the raw arrays of the same samples: every annotation's decoded mask is exactly its instance's pixels, its bbox the
tight box around them ([x, y, w, h] in pixels) and its area their count; image entries name the PNG that is there,
of the size given, with the sample's split; ids are unique, categories are the class table's classes with
instances, every instance of such a class the annotation policy kept is annotated (iscrowd 0), and every one it left
out (the manifest's "dropped") that shows pixels is an ignore region (iscrowd 1), with the same checks of its mask,
box and area. Prints 'N passed, M failed' and exits 1 on a failure."""
import glob
import json
import sys

import numpy as np
from PIL import Image

from checks import Checks

root = sys.argv[1]
labels = {l["id"]: l for l in json.load(open(f"{root}/labels.json"))["labels"]}
manifest = {m["index"]: m for m in map(json.loads, open(f"{root}/manifest.jsonl"))}
check = Checks()


def decode(rle):
    """pycocotools.mask.decode for an uncompressed RLE, written from its definition."""
    h, w = rle["size"]
    flat = np.zeros(h * w, dtype=np.uint8)
    at, value = 0, 0
    for run in rle["counts"]:
        flat[at:at + run] = value
        at += run
        value ^= 1
    check(at == h * w, f"RLE covers {at} of {h * w} pixels")
    return flat.reshape((w, h)).T  # column-major


annotation_ids = set()
images_seen = 0
crowds = 0
for path in sorted(glob.glob(f"{root}/coco/annotations/instances_*.json")):
    split = path.rsplit("instances_", 1)[1][:-len(".json")]
    coco = json.load(open(path))
    categories = {c["id"]: c for c in coco["categories"]}
    check(set(categories) == {i for i, l in labels.items() if l["hasInstances"]}, f"{path}: categories")
    check(all(categories[i]["name"] == labels[i]["name"] for i in categories), f"{path}: category names")
    image_ids = [im["id"] for im in coco["images"]]
    check(len(image_ids) == len(set(image_ids)), f"{path}: image ids unique")
    by_image = {}
    for a in coco["annotations"]:
        by_image.setdefault(a["image_id"], []).append(a)
        check(a["id"] not in annotation_ids, f"annotation id {a['id']} unique")
        annotation_ids.add(a["id"])
    for im in coco["images"]:
        images_seen += 1
        m = manifest[im["id"]]
        check(m["split"] == split and im["file_name"] == f"{split}/{m['id']}.png", f"image {im['id']} entry")
        png = Image.open(f"{root}/coco/images/{im['file_name']}")
        check(png.size == (im["width"], im["height"]), f"image {im['id']} size")
        classes = np.load(f"{root}/frames/{m['id']}_labelIds.npy")
        instances = np.load(f"{root}/frames/{m['id']}_instanceIds.npy")
        check(classes.shape == (im["height"], im["width"]), f"image {im['id']} planes' size")
        annotated = set()
        dropped = {d["instance_id"] for d in m.get("dropped", [])}
        for a in by_image.get(im["id"], []):
            mask = decode(a["segmentation"]).astype(bool)
            truth = instances == a["instance_id"]
            check(np.array_equal(mask, truth), f"annotation {a['id']}: mask is instance {a['instance_id']}'s pixels")
            check(a["area"] == int(truth.sum()), f"annotation {a['id']}: area")
            ys, xs = np.nonzero(truth)
            box = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
            check(a["bbox"] == box, f"annotation {a['id']}: bbox {a['bbox']} against {box}")
            check(set(np.unique(classes[truth]).tolist()) == {a["category_id"]}, f"annotation {a['id']}: category")
            check(a["iscrowd"] == (1 if a["instance_id"] in dropped else 0),
                  f"annotation {a['id']}: iscrowd {a['iscrowd']}, instance {a['instance_id']} "
                  f"{'dropped' if a['instance_id'] in dropped else 'kept'}")
            check(a["instance_id"] not in annotated, f"annotation {a['id']}: instance {a['instance_id']} twice")
            annotated.add(a["instance_id"])
            crowds += a["iscrowd"]
        # Every visible instance of a class with instances is annotated: kept, or dropped and an ignore region.
        for iid in np.unique(instances).tolist():
            if iid == 0:
                continue
            cls = int(np.unique(classes[instances == iid])[0])
            if labels[cls]["hasInstances"]:
                check(iid in annotated, f"image {im['id']}: instance {iid} ({'dropped' if iid in dropped else 'kept'})"
                      " not annotated")
check(images_seen == len(manifest), f"{images_seen} images in the COCO files, {len(manifest)} samples")
print(f"{len(annotation_ids)} annotations in {images_seen} images, {crowds} of them ignore regions (iscrowd 1)")
sys.exit(check.report())

"""Reads roadsynth's WebDataset shards with the standard library's tarfile and numpy, the way a WebDataset
loader groups members (by the key before the first dot of the name), and checks every array against the raw
.npy file it came from and every .json against the manifest line. Prints 'N passed, M failed'."""
import io
import json
import sys
import tarfile

import numpy as np

root, expected = sys.argv[1], int(sys.argv[2])
manifest = [json.loads(l) for l in open(f"{root}/manifest.jsonl")]
by_id = {m["id"]: m for m in manifest}
passed = failed = 0
seen = []
import glob
for shard in sorted(glob.glob(f"{root}/webdataset/*.tar")):
    samples = {}
    with tarfile.open(shard) as t:
        for member in t.getmembers():
            key, ext = member.name.split(".", 1)
            samples.setdefault(key, {})[ext] = t.extractfile(member).read()
    for key, parts in samples.items():
        ok = set(parts) == {"rgb.npy", "labelIds.npy", "instanceIds.npy", "depth.npy", "json"}
        meta = json.loads(parts["json"])
        ok = ok and meta == by_id[key] and shard.split("/")[-1].startswith(meta["split"] + "-")
        for ext, suffix in (("rgb.npy", "_rgb.npy"), ("labelIds.npy", "_labelIds.npy"),
                            ("instanceIds.npy", "_instanceIds.npy"), ("depth.npy", "_depth.npy")):
            a = np.load(io.BytesIO(parts[ext]))
            b = np.load(f"{root}/frames/{key}{suffix}")
            ok = ok and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        ok = ok and np.load(io.BytesIO(parts["rgb.npy"])).shape == (meta["height"], meta["width"], 3)
        seen.append(key)
        if ok:
            passed += 1
        else:
            failed += 1
            print("mismatch in", shard, key)
if sorted(seen) != sorted(by_id) or len(seen) != expected:
    failed += 1
    print("samples in shards", sorted(seen), "manifest", sorted(by_id))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)

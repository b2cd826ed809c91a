#!/usr/bin/env bash
# Session 25's plan for the next loan (from bundle/, .gl/ carried; about seven minutes on an H100 or H200 box).
# Session 25 made NVIDIA's default way out the compute pass into client memory mapped once (FrameReadback.Way) and
# found the driver's 2 ms a frame on the render thread beside the writers independent of the readback's size (2.1 ms
# at 7 bytes per pixel as at 14, in the unmap; with the buffers mapped once, at the next call after the fence, and
# with that call's glGetError skipped, in the next fence wait). The lead left: each frame's geometry goes in by
# glBufferData at the frame's own size (vertices 2.1 MB, indices 0.6 MB, the shadow casters' and the coverage
# passes' indices): new storage every frame, released once the GPU is done with the old, and pageable memory the
# driver must stage (the GPU's "upload" took 1.1 ms a frame). -Droadsynth.upload=orphan gives storage of steady
# power-of-two sizes (which drivers recycle), sub keeps the storage and refills it with glBufferSubData, mapped
# keeps it and copies into it on the GPU from staging buffers in client memory mapped once (BufferUploads).
# Exactness first (DriverPathsTest: the NVIDIA way, and every upload way, against the plain way; on llvmpipe,
# which copies at once, the staging's reuse cannot go wrong, here it could), then the urban bench with coverage
# each way, 3,000 samples each way in the order default, sub, orphan, mapped, default, each run's manifest compared
# with the first's; then 10,000 samples the default way, as two processes, and the fastest upload way of the
# 3,000-sample runs.
# Output goes to stdout and, if set, $OUT/gpu-uploads.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
U=-Droadsynth.upload
rate() { sed -n 's/^wrote .* (\([0-9.]*\) samples\/s)$/\1/p' "$1" | tail -1; }
same_as_first() {
  if cmp -s /tmp/first-manifest.jsonl /tmp/g/manifest.jsonl; then echo "manifest: identical to the first run's"
  else echo "manifest: DIFFERS from the first run's"; fi
}
{
  paths_test 150
  b "" --coverage
  for m in sub orphan mapped; do b "$U=$m" --coverage; done
  g 3000 -- "${F[@]}" | tee /tmp/rate-data.log
  cp /tmp/g/manifest.jsonl /tmp/first-manifest.jsonl
  for m in sub orphan mapped; do
    g 3000 $U=$m -- "${F[@]}" | tee /tmp/rate-$m.log
    same_as_first
  done
  g 3000 -- "${F[@]}"
  same_as_first
  best=sub
  for m in orphan mapped; do
    if awk -v a="$(rate /tmp/rate-$m.log)" -v b="$(rate /tmp/rate-$best.log)" 'BEGIN { exit !(a + 0 > b + 0) }'; then best=$m; fi
  done
  echo "-- fastest upload way over 3,000 samples: $best ($(rate /tmp/rate-$best.log) samples/s; default $(rate /tmp/rate-data.log))"
  g 10000 -- "${F[@]}"
  g2 10000 8 -- "${F[@]}"
  g 10000 $U=$best -- "${F[@]}"
  if cmp -s /tmp/g-manifest.jsonl /tmp/g/manifest.jsonl; then echo "manifest: identical to the default way's 10,000"
  else echo "manifest: DIFFERS from the default way's 10,000"; fi
} 2>&1 | tee "${OUT:-/tmp}/gpu-uploads.log"

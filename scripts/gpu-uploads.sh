#!/usr/bin/env bash
# Session 25's plan for the next loan (from bundle/, .gl/ carried; about six minutes on an H100 or H200 box).
# Session 25 made NVIDIA's default way out the compute pass into client memory mapped once (FrameReadback.Way) and
# found the driver's 2 ms a frame on the render thread beside the writers independent of the readback's size (2.1 ms
# at 7 bytes per pixel as at 14, in the unmap; with the buffers mapped once, at the next call after the fence, and
# with that call's glGetError skipped, in the next fence wait). One lead left: each frame's geometry goes in by
# glBufferData at the frame's own size (vertices 2.1 MB, indices 0.6 MB, the shadow casters' and the coverage
# passes' indices), new storage every frame whose old storage the driver releases once the GPU is done with it.
# -Droadsynth.upload=orphan gives it storage of steady power-of-two sizes (which drivers recycle), sub keeps the
# storage and refills it with glBufferSubData. Exactness first (DriverPathsTest: the NVIDIA way, and both upload
# ways, against the plain way), then the urban bench with coverage each way, 3,000-sample runs each way in the order
# default, sub, orphan, default, then 10,000 samples the default way and the sub way, and the default as two processes.
# Output goes to stdout and, if set, $OUT/gpu-uploads.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
U=-Droadsynth.upload
{
  paths_test 150
  b "" --coverage
  b "$U=sub" --coverage
  b "$U=orphan" --coverage
  g 3000 -- "${F[@]}"
  g 3000 $U=sub -- "${F[@]}"
  g 3000 $U=orphan -- "${F[@]}"
  g 3000 -- "${F[@]}"
  g 10000 -- "${F[@]}"
  g2 10000 8 -- "${F[@]}"
  g 10000 $U=sub -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-uploads.log"

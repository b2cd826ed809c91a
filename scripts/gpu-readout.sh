#!/usr/bin/env bash
# Which way out of the GPU spares the render thread the driver's per-frame copy (session 19's third call; from
# bundle/, .gl/ carried; about four minutes on an H100 box). On the H100 the render thread's unmap of each readback
# buffer took 0.85 ms without writers and 1.7 to 2.0 beside them, and buffers mapped once moved the same time into
# glReadPixels: as if the driver copied the frame on the CPU either way. Here the compute pass writes the frame
# (into the readback buffer, or into a GPU buffer then copied), mapped per frame or once (in memory of the driver's
# choice or client memory): the urban bench for each, then 3,000-sample runs of the shipped way and the two most
# likely others, then 10,000 samples as shipped.
# Output goes to stdout and, if set, $OUT/gpu-readout.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
P=-Droadsynth.readout=persistent
C=-Droadsynth.clientStorage=true
{
  b -Dx=shipped
  b -Droadsynth.readback=compute-copy
  b "-Droadsynth.readback=compute-copy $P"
  b "-Droadsynth.readback=compute-copy $P $C"
  b "-Droadsynth.readback=compute $P $C"
  g 3000 -Dx=shipped -- "${F[@]}"
  g 3000 -Droadsynth.readback=compute-copy -- "${F[@]}"
  g 3000 -Droadsynth.readback=compute-copy $P $C -- "${F[@]}"
  g 10000 -Dx=shipped -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-readout.log"

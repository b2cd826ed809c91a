#!/usr/bin/env bash
# Session 25's second loan (from bundle/, .gl/ carried; about four minutes on an H200 box). The first loan of the
# session (gpu-unmap.sh) found the render thread setting the pace of `generate` at 3.5 to 3.9 ms a frame, 2.0 to 2.3 of
# them in glUnmapBuffer of the frame's readback buffer (0.85 to 0.95 without writers), and the compute pass into
# buffers mapped once in client memory the fastest way out (227.0 samples/s over 3,000 against 186.7 to 202.3), its
# unmap gone but 1.9 ms a frame then spent after the fence, where the only call to the driver is glGetError.
# Here: that run again, with the error check every 64th frame (-Droadsynth.glCheck=sparse, diagnostic: does the cost
# leave the render thread or move to its next call?), and without client storage; then 10,000 samples: the default
# readback with narrow ids (the best of the first loan, 270.2 samples/s) as this machine's baseline, the compute
# pass into client memory, the same as two processes, and with sparse checks; each run's files compared by their
# manifest (every file's SHA-256) with the baseline's: the paths must give the same bytes.
# Output goes to stdout and, if set, $OUT/gpu-readout.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
CC=(-Droadsynth.readback=compute-copy -Droadsynth.readout=persistent -Droadsynth.clientStorage=true)
S=-Droadsynth.glCheck=sparse
same_as_baseline() {
  if cmp -s /tmp/base-manifest.jsonl /tmp/g/manifest.jsonl; then echo "manifest: identical to the baseline's"
  else echo "manifest: DIFFERS from the baseline's"; fi
}
{
  g 3000 "${CC[@]}" -- "${F[@]}"
  g 3000 "${CC[@]}" $S -- "${F[@]}"
  g 3000 -Droadsynth.readback=compute-copy -Droadsynth.readout=persistent -- "${F[@]}"
  g 10000 -Droadsynth.idBytes=fit -- "${F[@]}"
  cp /tmp/g/manifest.jsonl /tmp/base-manifest.jsonl
  g 10000 "${CC[@]}" -- "${F[@]}"
  same_as_baseline
  g2 10000 8 "${CC[@]}" -- "${F[@]}"
  g 10000 "${CC[@]}" $S -- "${F[@]}"
  same_as_baseline
} 2>&1 | tee "${OUT:-/tmp}/gpu-readout.log"

#!/usr/bin/env bash
# What lightens the driver's per-frame readback on a GPU machine (session 19's plan for the next loan; from bundle/,
# .gl/ carried; about seven minutes on an H100 box). Session 19 found the render thread spending 1.7 to 2.1 ms per
# frame in the driver on each 7.3 MB readback beside the writers (0.85 to 1.05 without), whichever way the frame left
# the GPU. With -Droadsynth.idBytes=fit class ids come back in 1 byte and instance ids in 2 where the scene's ids fit
# (an urban frame's do): 11 bytes per pixel instead of 14, drawn into id targets of those widths (session 24), so
# that the driver converts nothing on the way out. Exactness first (DriverPathsTest: narrow against full ids on
# every kind of scene and at the widths' edges; the other switches below against the default), then the urban bench
# full and fit alternating twice, and with the readback buffers hinted GL_DYNAMIC_READ or GL_STATIC_READ
# (-Droadsynth.packUsage) or invalidated once read (-Droadsynth.packInvalidate); then 3,000-sample runs, full and fit
# alternating twice, then 10,000 samples each way. Every generate run also shows whether the coverage counters' coming
# with the frame (session 19, the default now) took the render thread's "mapping" phase from the 0.40 to 0.47 ms per
# frame of session 19's runs (a glGetBufferSubData each frame) to near nothing. Session 21 added frames without depth
# (formats that do not read it: 10 bytes per pixel, 7 with fit): the bench with --no-depth both ways, and one
# 3,000-sample run of cityscapes and coco, which now render without depth. Session 22 added the 10,000 samples as two
# processes at once (`--shard 0/2` and `1/2`, 8 writer threads each; g2 in gpu-env.sh), merged and compared with the
# one-process run's manifest: whether separate processes get past the driver's per-frame readback, on which several
# contexts in one process queued (session 19). And first, `roadsynth devices` under several CUDA_VISIBLE_DEVICES
# values (cuda_visible): what NVIDIA's EGL reports as each device's CUDA device, on which auto's order now rests.
# Session 24 added one 3,000-sample run read out by the compute pass and a copy into buffers mapped once in client
# memory: session 19's fastest way out of the GPU without writers, slowed inside generate only by the coverage
# counters' read on the render thread, which now travel with the frame.
# Output goes to stdout and, if set, $OUT/gpu-unmap.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
# Since session 25 NVIDIA's default way out is the compute pass, where idBytes, packUsage and packInvalidate do not
# act: every JVM here reads out by glReadPixels unless its command line says otherwise, as when this was written.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-Droadsynth.readback=pixels"
F=(--format cityscapes,coco,depth)
I=-Droadsynth.idBytes
{
  cuda_visible
  cuda_order_or_off
  paths_test 150
  # The annotations as the GPU makes them, to look at (and to set beside the same preview from Mesa).
  echo "-- preview --boxes"
  timeout 60 $J -jar bundle/roadsynth-all.jar preview urban-intersection --boxes --samples 2 --size 1024x512 \
    --out "${OUT:-/tmp}/preview-boxes.png" 2>&1 | tail -1
  for round in 1 2; do
    b "$I=full"
    b "$I=fit"
  done
  b -Droadsynth.packUsage=dynamic
  b -Droadsynth.packUsage=static
  b -Droadsynth.packInvalidate=true
  b "$I=full" --no-depth
  b "$I=fit" --no-depth
  # full, fit, fit, full: the host's drift over the four runs falls on both alike
  g 3000 $I=full -- "${F[@]}"
  g 3000 $I=fit -- "${F[@]}"
  g 3000 $I=fit -- "${F[@]}"
  g 3000 $I=full -- "${F[@]}"
  # Session 19's fastest way out without writers (688 frames/s against 565), which inside generate then spent 2.44 ms
  # per frame reading the coverage counters on the render thread; they now come with the frame (session 24's note).
  g 3000 -Droadsynth.readback=compute-copy -Droadsynth.readout=persistent -Droadsynth.clientStorage=true -- "${F[@]}"
  g2 3000 8 $I=full -- "${F[@]}"
  g 3000 $I=fit -- --format cityscapes,coco
  g 10000 $I=full -- "${F[@]}"
  g2 10000 8 $I=full -- "${F[@]}"
  g 10000 $I=fit -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-unmap.log"

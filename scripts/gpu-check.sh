#!/usr/bin/env bash
# Runs on a GPU machine from bundle/ (see gpu-bundle.sh): lists EGL devices, runs the label exactness and
# renderer tests on the GPU, then the render benchmark. Output goes to stdout and, if set, $OUT/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
log=${OUT:-/tmp}/gpu-check.log
{
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
  nproc
  $J -jar bundle/roadsynth-all.jar devices --gpu auto
  renderer_tests
  $J -cp bundle/roadsynth-all.jar:bundle/renderer-test-classes dev.roadsynth.renderer.ReadbackProbe 1024x512 300
  $J -jar bundle/roadsynth-all.jar bench --gpu auto --objects 200 --sizes 1024x512,2048x1024 --frames 300 --runs 5 --warmup 50
  for p in urban-intersection suburban-street highway; do
    echo "scene $p"; $J -jar bundle/roadsynth-all.jar bench --gpu auto --scene $p --sizes 1024x512 --frames 300 --runs 3 --warmup 50
  done
  # End to end with every format (annotations use the GPU coverage pass).
  rm -rf /tmp/gen && $J -jar bundle/roadsynth-all.jar generate --count 200 --out /tmp/gen \
     --format cityscapes,coco,kitti,depth --split train=0.8,val=0.2 --size 1024x512 --timings
  $J -jar bundle/roadsynth-all.jar generate --count 200 --out /tmp/gen-raw --format raw --size 1024x512 --timings
  if [ "${PROFILE:-0}" = 1 ]; then
    # A flight recording of the 1024x512 benchmark, to see where the time goes.
    $J -XX:StartFlightRecording=filename=${OUT:-/tmp}/bench.jfr,settings=profile -jar bundle/roadsynth-all.jar \
       bench --gpu auto --objects 200 --sizes 1024x512 --frames 2000 --runs 2 --warmup 200
  fi
} 2>&1 | tee "$log"
cp hs_err_pid*.log "${OUT:-/tmp}/" 2>/dev/null || true

#!/usr/bin/env bash
# Whether drawing on several GL contexts at once lifts generate's pace on a GPU machine (session 19's plan; from
# bundle/, .gl/ carried; about five minutes on an H100 box). Session 19's gpu-threads.sh found 10,000 samples at
# 264.5 samples/s, the later quarters near 300, paced by the render thread (3.6 ms per frame, 2.0 of it in the
# driver's unmap of each readback buffer, 0.4 mapping) while the GPU was busy a third of the time and 11.5 of 16 cores
# were. With -Droadsynth.renderThreads=N (ParallelRenderer) N contexts draw every N-th scene each. This runs the
# exactness tests first (ParallelRendererTest, and DriverPathsTest: frames on 2 and 3 contexts against one), then
# compares generate's output bytes with 1 and 2 render threads, benches the urban scene with 1, 2 and 3, alternates
# 3,000-sample runs with 1, 2 and 3 twice, and ends with 10,000 samples with 2.
# Output goes to stdout and, if set, $OUT/gpu-lanes.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
R=-Droadsynth.renderThreads
{
  echo "-- ParallelRendererTest, DriverPathsTest"
  timeout 150 bash -c "$(declare -f renderer_tests); renderer_tests --include-classname '.*(ParallelRenderer|DriverPaths)Test'" > /tmp/lanes-tests.log 2>&1
  echo "exit $?"; grep -E "tests (successful|failed)|MethodSource|=> |expected|differ" /tmp/lanes-tests.log | head -20
  for n in 1 2; do
    rm -rf /tmp/same$n
    timeout 60 $J $R=$n -jar bundle/roadsynth-all.jar generate --gpu auto --count 400 --out /tmp/same$n --size 1024x512 \
      --format cityscapes,coco,depth,kitti,raw --split train=0.5,val=0.5 --quiet; echo "generate 400 with $n render threads: exit $?"
  done
  echo "files: $(find /tmp/same1 -type f | wc -l) and $(find /tmp/same2 -type f | wc -l); differing (the lock and the" \
    "written-list name their process): $(diff -rq /tmp/same1 /tmp/same2 | wc -l)"
  diff -rq /tmp/same1 /tmp/same2 | grep -v -E "roadsynth.lock|roadsynth-written" | head -5
  for n in 1 2 3; do b "$R=$n"; done
  for round in 1 2; do
    for n in 1 2 3; do g 3000 $R=$n -- "${F[@]}"; done
  done
  g 10000 $R=2 -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-lanes.log"

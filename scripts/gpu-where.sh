#!/usr/bin/env bash
# Where a GPU machine's CPU goes in `generate`, a stop by SIGTERM, and the renderer suite (from bundle/, .gl/ carried;
# about five minutes on an H100 box). Names the threads that take the CPU (scripts/thread-cpu.sh) in runs short
# enough to include the JIT's warm-up (--timings gives each quarter's rate and CPU per sample) and runs four times
# longer, with readback buffers mapped per frame (the default) and mapped once (-Droadsynth.readout=persistent),
# alternating; the urban bench both ways first. Then a run stopped by SIGTERM (143 is the JVM's own exit, 134 an abort
# in the driver's), and the whole renderer test suite with the end of its output (its JVM ended in SIGABRT after
# every test passed in session 15, when the suite left four contexts open; exit 0 since session 17's mend, session 18).
# (Sessions 15 to 17's version also compared glGetBufferSubData and the copy threads' shared contexts: measured in
# session 18, no better, removed.)
# Output goes to stdout and, if set, $OUT/gpu-where.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
{
  b -Dx=map
  b -Droadsynth.readout=persistent
  for round in 1 2; do
    g 1200 -Dx=map -- --format cityscapes,coco,depth
    g 1200 -Droadsynth.readout=persistent -- --format cityscapes,coco,depth
  done
  g 5000 -Dx=map -- --format cityscapes,coco,depth
  g 5000 -Droadsynth.readout=persistent -- --format cityscapes,coco,depth
  rm -rf /tmp/g; echo "-- generate stopped by SIGTERM after 5 s"
  timeout --preserve-status -s TERM 5 $J -jar bundle/roadsynth-all.jar generate --gpu auto --count 5000 --out /tmp/g --size 1024x512 \
    --format cityscapes,coco,depth 2>&1 | tail -1
  echo "exit ${PIPESTATUS[0]}"
  rm -rf /tmp/g
  echo "-- the renderer's tests, the end of the output"
  timeout 150 bash -c "$(declare -f renderer_tests); renderer_tests" > /tmp/tests.log 2>&1
  echo "exit $?"; grep -E "tests (successful|failed)" /tmp/tests.log; tail -15 /tmp/tests.log
} 2>&1 | tee "${OUT:-/tmp}/gpu-where.log"

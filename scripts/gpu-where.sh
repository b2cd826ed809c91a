#!/usr/bin/env bash
# Where a GPU machine's CPU goes in `generate` (session 15's plan for the next loan; from bundle/, .gl/ carried;
# about five minutes on an H100 box). At 160 to 190 samples/s there, the process took 65 to 83 ms of CPU per sample
# with 11 to 12 of 16 cores busy, twice the writers' CPU of the encode-only floor: this names the threads that take
# it (scripts/thread-cpu.sh), in runs short enough to include the JIT's warm-up (--timings gives each quarter's rate)
# and runs four times longer; and it compares reading frames out through a mapping on the render thread (the default)
# with glGetBufferSubData (-Droadsynth.readout=get) and with mapping, copying and unmapping on the copy threads' own
# shared contexts (-Droadsynth.readout=shared, session 16), alternating. Then a run stopped by SIGTERM, and the whole
# renderer test suite (the readout's exactness there) with the end of its output: its JVM ended in SIGABRT after every
# test passed in session 15, when the suite left four contexts open (mended in session 17).
# Output goes to stdout and, if set, $OUT/gpu-where.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
{
  for o in -Dx=map -Droadsynth.readout=get -Droadsynth.readout=shared; do
    echo "-- bench urban $o"
    timeout 40 $J $o -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50 \
      | grep -E "device|pipelined|render thread|GPU timeline|single"
  done
  for round in 1 2; do
    g 1200 -Dx=map -- --format cityscapes,coco,depth
    g 1200 -Droadsynth.readout=get -- --format cityscapes,coco,depth
    g 1200 -Droadsynth.readout=shared -- --format cityscapes,coco,depth
  done
  g 5000 -Dx=map -- --format cityscapes,coco,depth
  g 5000 -Droadsynth.readout=shared -- --format cityscapes,coco,depth
  # A run stopped by SIGTERM (Kubernetes, Slurm) closes its renderer before it exits (session 17): 143 is the JVM's
  # own exit on the signal, 134 an abort in the driver's exit even so (as the renderer suite's JVM ended, session 15).
  rm -rf /tmp/g; echo "-- generate stopped by SIGTERM after 5 s"
  timeout --preserve-status -s TERM 5 $J -jar bundle/roadsynth-all.jar generate --gpu auto --count 5000 --out /tmp/g --size 1024x512 \
    --format cityscapes,coco,depth 2>&1 | tail -1
  echo "exit ${PIPESTATUS[0]}"
  rm -rf /tmp/g
  echo "-- the renderer's tests, the end of the output"
  timeout 150 bash -c "$(declare -f renderer_tests); renderer_tests" > /tmp/tests.log 2>&1
  echo "exit $?"; grep -E "tests (successful|failed)" /tmp/tests.log; tail -15 /tmp/tests.log
} 2>&1 | tee "${OUT:-/tmp}/gpu-where.log"

#!/usr/bin/env bash
# Session 15's second GPU call (from bundle/, .gl/ carried): how long a frame's copy out of its readback buffer
# takes on a copy thread ("a copy took", the render thread's line), with and without the writers, and whether more
# readback slots (-Droadsynth.ring) or copies made by one thread each (-Droadsynth.copy=whole) keep the render
# thread from waiting for copies. Then why the test JVM ended in SIGABRT after the renderer tests passed.
# Output goes to stdout and, if set, $OUT/gpu-copies.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
{
  for o in "" "-Droadsynth.ring=6" "-Droadsynth.ring=6 -Droadsynth.copy=whole"; do
    echo "-- bench urban $o"
    timeout 40 $J $o -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50 | grep -E "pipelined|render thread"
  done
  BUILDS="main main:-Droadsynth.ring=4 main:-Droadsynth.ring=6 main:-Droadsynth.ring=6,-Droadsynth.copy=whole main:-Droadsynth.ring=8,-Droadsynth.copy=whole main:-Droadsynth.ring=6,-Droadsynth.readback=compute-copy" \
    FORMATS=cityscapes,coco,depth COUNT=${COUNT:-1200} RUN_LIMIT=40 timeout 200 bash scripts/gpu-ab.sh
  echo "-- one renderer test class, the JVM's own end"
  (cd renderer && timeout 60 ../$J -jar ../bundle/lib/junit-platform-console-standalone-1.14.4.jar execute --disable-banner \
     --details=summary -cp ../bundle/roadsynth-all.jar:../bundle/renderer-test-classes:../bundle/lib/assertj-core-3.27.7.jar \
     --select-class dev.roadsynth.renderer.RendererTest 2>&1 | tail -8; echo "exit ${PIPESTATUS[0]}")
} 2>&1 | tee "${OUT:-/tmp}/gpu-copies.log"

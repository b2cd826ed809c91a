#!/usr/bin/env bash
# Session 15's third GPU call (from bundle/, .gl/ carried): readback buffers mapped once (the new default on
# hardware) against mapped per frame (-Droadsynth.mapping=per-frame): the renderer's exactness tests of the new
# path on the driver, the urban bench, then `generate` alternating, each with its threads' CPU by name
# (scripts/thread-cpu.sh). Output goes to stdout and, if set, $OUT/gpu-mapping.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
N=${COUNT:-1200}
g() {
  rm -rf /tmp/g; echo "-- generate $*"
  LIMIT=45 scripts/thread-cpu.sh $J "$@" -jar bundle/roadsynth-all.jar generate --gpu auto --count $N --out /tmp/g --size 1024x512 2>&1 \
    | grep -E "^roadsynth:|^rendering with|^wrote|render thread|GPU timeline|^writers:|^threads'"
}
{
  (cd renderer && timeout 90 ../$J -jar ../bundle/lib/junit-platform-console-standalone-1.14.4.jar execute --disable-banner \
     --details=summary -cp ../bundle/roadsynth-all.jar:../bundle/renderer-test-classes:../bundle/lib/assertj-core-3.27.7.jar \
     --select-class dev.roadsynth.renderer.DriverPathsTest --select-class dev.roadsynth.renderer.RendererTest \
     --select-class dev.roadsynth.renderer.LabelExactnessTest 2>&1 \
     | grep -E "tests (successful|failed)|=>|Expecting|MethodSource|expected" | head -30)
  for o in "" "-Droadsynth.mapping=per-frame"; do
    echo "-- bench urban $o"
    timeout 40 $J $o -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50 | grep -E "device|pipelined|render thread|GPU timeline|single"
  done
  for round in 1 2; do
    g -Dx=main --format cityscapes,coco,depth
    g -Droadsynth.mapping=per-frame --format cityscapes,coco,depth
  done
  g -Droadsynth.readback=compute-copy --format cityscapes,coco,depth
  g -Dx=main --format cityscapes,coco,depth-png
  g -Dx=main --format cityscapes
  rm -rf /tmp/g
} 2>&1 | tee "${OUT:-/tmp}/gpu-mapping.log"

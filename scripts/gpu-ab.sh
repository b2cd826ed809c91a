#!/usr/bin/env bash
# A/B on one GPU machine: `generate` with other builds against the current one, alternating, twice. GPU hosts
# differ from one loan to the next by a third or more, so only figures from one run of this script compare.
# BUILDS names class-only jars in bundle/ (default: old.jar), each made by scripts/gpu-classes-jar.sh REV NAME
# after scripts/gpu-bundle.sh; the libraries come from the bundle's own jar. Each run has RUN_LIMIT seconds (default
# 60), so that a build that hangs (the reader-thread branch did on NVIDIA) cannot take the rest of a loan.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
N=${COUNT:-1500}
for round in 1 2; do
  for jar in ${BUILDS:-old.jar} roadsynth-all.jar; do
    cp="bundle/roadsynth-all.jar"
    [ "$jar" != roadsynth-all.jar ] && cp="bundle/$jar:$cp"
    for f in cityscapes,coco,depth cityscapes; do
      rm -rf /tmp/g; echo -n "$round $jar $f: "
      timeout ${RUN_LIMIT:-60} $J -cp "$cp" dev.roadsynth.cli.Main generate --gpu auto --count $N --out /tmp/g --format $f --size 1024x512 2>&1 | grep -E "^roadsynth:|^rendering with|^wrote|render thread|GPU timeline" | tr "\n" " "; echo
    done
  done
done

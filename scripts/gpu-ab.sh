#!/usr/bin/env bash
# A/B on one GPU machine: `generate` with an older build (bundle/old.jar, built from another commit with
# `mvn -DskipTests install` and copied there) against the current one, alternating, twice. GPU hosts differ from
# one loan to the next by a third or more, so only figures from one run of this script compare.
# Carry bundle/ without bundle/lib (the 64 MiB limit) and .gl/.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
for round in 1 2; do
  for jar in old.jar roadsynth-all.jar; do
    for f in cityscapes,coco,depth cityscapes; do
      rm -rf /tmp/g; echo -n "$round $jar $f: "
      $J -jar bundle/$jar generate --gpu auto --count 1500 --out /tmp/g --format $f --size 1024x512 | grep -E "^wrote|^the render thread" | tr "\n" " "; echo
    done
  done
done

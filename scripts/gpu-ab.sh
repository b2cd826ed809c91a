#!/usr/bin/env bash
# A/B on one GPU machine: `generate` with an older build against the current one, alternating, twice. GPU hosts
# differ from one loan to the next by a third or more, so only figures from one run of this script compare.
# bundle/old.jar holds only dev/roadsynth/ of the older build's shaded jar (the libraries come from the current
# one; the 64 MiB carry has no room for two whole jars):
#   git stash / checkout OLD; mvn -q -DskipTests install; cd /tmp && unzip -q -o .../cli/target/roadsynth-all.jar 'dev/roadsynth/*' -d old && (cd old && zip -qr ../old.jar .)
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
N=${COUNT:-1500}
for round in 1 2; do
  for jar in old.jar roadsynth-all.jar; do
    cp="bundle/roadsynth-all.jar"
    [ "$jar" = old.jar ] && cp="bundle/old.jar:$cp"
    for f in cityscapes,coco,depth cityscapes; do
      rm -rf /tmp/g; echo -n "$round $jar $f: "
      $J -cp "$cp" dev.roadsynth.cli.Main generate --gpu auto --count $N --out /tmp/g --format $f --size 1024x512 | grep -E "^wrote|render thread|GPU timeline" | tr "\n" " "; echo
    done
  done
done

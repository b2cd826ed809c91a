#!/usr/bin/env bash
# Issue #6's memory check: peak RSS of a 10,000-sample run within 10% of a 1,000-sample run (same settings,
# GNU time's maximum resident set size). Exits 1 when it is not.
# Usage: [SIZE=WxH] [FORMATS=...] [OUT=DIR] scripts/memory-check.sh [SMALL LARGE]   (default 1000 10000)
# The defaults are the issue's end-to-end settings (1024x512; cityscapes, coco, depth): about 7 minutes on
# 2 cores with Mesa and 24 GB of disk for the larger run (OUT picks where; the default is a temporary directory).
# SIZE=256x128 FORMATS=cityscapes,coco is the quicker check of earlier sessions (2 minutes, 1 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-1000}
large=${2:-10000}
jar=cli/target/roadsynth-all.jar
[ -f "$jar" ] || mvn -q -B -DskipTests install
size=${SIZE:-1024x512}
formats=${FORMATS:-cityscapes,coco,depth}
work=$(mktemp -d ${OUT:+-p "$OUT"})
trap 'rm -rf "$work"' EXIT
# A copy, so that a rebuild while this runs (./roadsynth rebuilds when sources change) cannot swap classes under it.
cp "$jar" "$work/roadsynth.jar"
rss() {
  /usr/bin/time -f "%M" -o "$work/time" java -jar "$work/roadsynth.jar" generate --count "$1" --out "$work/out-$1" \
    --format "$formats" --size "$size" --quiet >&2 || { echo "generate --count $1 failed" >&2; return 1; }
  tail -n 1 "$work/time"
  rm -rf "$work/out-$1"
}
a=$(rss "$small") || exit 1
b=$(rss "$large") || exit 1
echo "peak RSS ($size, $formats): $small samples $a kB, $large samples $b kB ($(awk "BEGIN{printf \"%+.1f\", ($b-$a)*100/$a}")%)"
awk "BEGIN{exit !($b <= $a * 1.10)}" || { echo "more than 10% above the smaller run"; exit 1; }

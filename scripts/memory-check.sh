#!/usr/bin/env bash
# Issue #6's memory check: peak RSS of a 10,000-sample run within 10% of a 1,000-sample run (same settings,
# GNU time's maximum resident set size). Exits 1 when it is not. About 5 minutes on 2 cores with Mesa.
# Usage: scripts/memory-check.sh [SMALL LARGE]   (default 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-1000}
large=${2:-10000}
jar=cli/target/roadsynth-all.jar
[ -f "$jar" ] || mvn -q -B -DskipTests install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rss() {
  /usr/bin/time -f "%M" -o "$work/time" java -jar "$jar" generate --count "$1" --out "$work/out-$1" \
    --format cityscapes,coco --size 256x128 --quiet
  cat "$work/time"
  rm -rf "$work/out-$1"
}
a=$(rss "$small")
b=$(rss "$large")
echo "peak RSS: $small samples $a kB, $large samples $b kB ($(awk "BEGIN{printf \"%+.1f\", ($b-$a)*100/$a}")%)"
awk "BEGIN{exit !($b <= $a * 1.10)}" || { echo "more than 10% above the smaller run"; exit 1; }

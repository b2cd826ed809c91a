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
# G1's heap expansions after its initial commit, in MB, from the run's GC log: the JVM's own sizing, decided in the
# first seconds from its pause times, not from the run's length, moved a 10,000-sample run's peak by 100 MB between
# otherwise identical runs (session 15), so each figure says how much of it that was.
grown() {
  grep -o "Expand the heap. requested expansion amount: [0-9]*B expansion amount: [0-9]*B" "$work/gc-$1.log" \
    | awk -F'expansion amount: ' 'NR > 1 { sub("B", "", $3); mb += $3 / 1048576; n++ }
        END { printf "heap grown %d MB in %d step%s after start", mb, n, n == 1 ? "" : "s" }'
}
rss() {
  /usr/bin/time -f "%M" -o "$work/time" java -Xlog:gc+ergo+heap=debug:file="$work/gc-$1.log" -jar "$work/roadsynth.jar" \
    generate --count "$1" --out "$work/out-$1" --format "$formats" --size "$size" --quiet >&2 \
    || { echo "generate --count $1 failed" >&2; return 1; }
  tail -n 1 "$work/time"
  rm -rf "$work/out-$1"
}
a=$(rss "$small") || exit 1
b=$(rss "$large") || exit 1
echo "peak RSS ($size, $formats): $small samples $a kB ($(grown "$small")), $large samples $b kB ($(grown "$large"))" \
  "($(awk "BEGIN{printf \"%+.1f\", ($b-$a)*100/$a}")%)"
awk "BEGIN{exit !($b <= $a * 1.10)}" || { echo "more than 10% above the smaller run"; exit 1; }

#!/usr/bin/env bash
# kill-soak.sh MODE [TRIALS]: kills a job with SIGKILL at random moments and reruns it, until a run ends by itself;
# then compares every file of the result (but the lock and the trust record) with an uninterrupted run's. MODE:
#   generate   generate of 80 samples, 320x160, two scenes, five formats, two splits
#   processes  the same with --processes 2 (a rerun refused while the killed run's processes still hold the lock
#              is retried after 2 s; they stop within a second or so)
#   extend     the same, 40 samples made first and then extended to 80
#   mend       the same, each trial from a copy of the finished run with one file of its dataset folders deleted
#              or cut to half its size (any sample's, COCO's JSON, KITTI's ImageSets), which validate must name
#              before and pass after (VICTIM=PATH: that file each time, e.g. coco/annotations/instances_val.json)
#   merge      merge (by copying, and with LINK=--link by linking) of two 300-sample shards
#   augment    augment of a 100-sample dataset, three copies each
#   augment-mend  the same, each trial from a copy of the finished output with 1 to 80 of its files deleted or cut
#              to half their size (DAMAGE=N: N files), which validate must name before and pass after
#   pack       pack of the merged shards, 20 samples a shard
# Prints a line per trial: identical or DIFFERS, after how many kills. Session 29 found two faults this way (a merge
# killed while writing left a temporary file in the finished dataset, or was refused when rerun). Works in
# ${SOAK:-/dev/shm/roadsynth-soak}; uses the jar ./roadsynth builds. About 20 s to a minute a trial on 2 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: kill-soak.sh generate|processes|extend|mend|merge|augment|augment-mend|pack [TRIALS]}
trials=${2:-8}
./roadsynth --version >/dev/null || exit 1
J=(java -jar cli/target/roadsynth-all.jar)
W=${SOAK:-/dev/shm/roadsynth-soak}
mkdir -p "$W"
G=(generate urban-intersection examples/night-rain.yaml --size 320x160 --format cityscapes,coco,kitti,depth,raw
  --split train=0.7,val=0.3 --seed 3 --quiet)
# job OUT: the job under test, writing into OUT (run in the background, so it execs java: the kill must reach the
# JVM, not a subshell); MIN, SPAN: kill after MIN + [0, SPAN) s.
case $mode in
  generate) job() { exec "${J[@]}" "${G[@]}" --count 80 --out "$1"; }; MIN=0.2 SPAN=2.5 ;;
  processes) job() { exec "${J[@]}" "${G[@]}" --count 80 --processes 2 --out "$1"; }; MIN=1 SPAN=6 ;;
  extend|mend) job() { exec "${J[@]}" "${G[@]}" --count 80 --out "$1"; }; MIN=0.2 SPAN=2.5 ;;
  merge) job() { exec "${J[@]}" merge --quiet ${LINK:-} --out "$1" "$W/shard0" "$W/shard1"; }; MIN=0.25 SPAN=0.9 ;;
  augment|augment-mend) job() { exec "${J[@]}" augment "$W/dataset" "$1" --spec examples/augment/train.yaml --copies 3 --quiet; }
    if [ "$mode" = augment ]; then MIN=0.6 SPAN=4; else MIN=0.4 SPAN=1.5; fi ;;
  pack) MIN=0.3 SPAN=1.2 ;; # job below
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
for k in 0 1; do
  [ -d "$W/shard$k" ] || "${J[@]}" generate --count 300 --size 320x160 --format raw,cityscapes,coco,kitti \
    --split train=0.5,val=0.5 --seed 4 --shard $k/2 --quiet --out "$W/shard$k" || exit 1
done
[ -d "$W/dataset" ] || "${J[@]}" generate --count 100 --size 320x160 --format cityscapes,depth \
  --split train=0.7,val=0.3 --seed 9 --quiet --out "$W/dataset" || exit 1
if [ "$mode" = pack ]; then
  # pack writes into the dataset itself: each try packs a fresh copy of the merged shards.
  [ -d "$W/merged" ] || "${J[@]}" merge --quiet --out "$W/merged" "$W/shard0" "$W/shard1" || exit 1
  job() { [ -d "$1" ] || cp -r "$W/merged" "$1"; exec "${J[@]}" pack "$1" --samples-per-shard 20 --quiet; }
fi
hashes() { (cd "$1" && find . -type f ! -name .roadsynth.lock ! -name .roadsynth-written -print0 | sort -z | xargs -0 sha256sum); }
ref="$W/ref-$mode"
rm -rf "$ref"
(job "$ref") >/dev/null || exit 1
hashes "$ref" > "$W/ref.txt"
for trial in $(seq 1 "$trials"); do
  out="$W/out-$mode"; rm -rf "$out"
  if [ "$mode" = extend ]; then "${J[@]}" "${G[@]}" --count 40 --out "$out" || exit 1; fi
  if [ "$mode" = mend ] || [ "$mode" = augment-mend ]; then
    cp -r "$ref" "$out" # a copy: another inode, so the rerun hashes every file
    if [ "$mode" = mend ]; then
      victims=${VICTIM:-$(cd "$out" && find cityscapes coco kitti depth frames -type f ! -path '*/.parts*' | shuf -n 1)}
    else
      victims=$(cd "$out" && find images masks instances depth -type f | shuf -n "${DAMAGE:-$((RANDOM % 80 + 1))}")
    fi
    deleted=0 halved=0
    for victim in $victims; do
      if [ $((RANDOM % 2)) = 0 ]; then rm "$out/$victim"; deleted=$((deleted + 1))
      else truncate -s $(( $(stat -c %s "$out/$victim") / 2 )) "$out/$victim"; halved=$((halved + 1)); fi
    done
    if [ $((deleted + halved)) = 1 ]; then how=$([ $deleted = 1 ] && echo deleted || echo halved)
    else victim="files:"; how="$deleted deleted, $halved halved"; fi
    "${J[@]}" validate --quiet "$out" >/dev/null 2>&1 && echo "trial $trial: validate passed with $victim $how"
  fi
  kills=0
  while :; do
    job "$out" > "$W/run.log" 2>&1 &
    pid=$!
    sleep "$(awk -v s=$RANDOM -v m=$MIN -v r=$SPAN 'BEGIN { srand(s); printf "%.2f", m + rand() * r }')"
    if kill -0 $pid 2>/dev/null; then
      kill -9 $pid; wait $pid 2>/dev/null; kills=$((kills + 1))
    else
      wait $pid; rc=$?
      if [ $rc -ne 0 ] && [ "$mode" = processes ] && grep -q "is writing into" "$W/run.log"; then sleep 2; continue; fi
      break
    fi
  done
  hashes "$out" > "$W/out.txt"
  if [ $rc -ne 0 ]; then echo "trial $trial: exit $rc: $(head -1 "$W/run.log")"; fi
  if [ "$mode" = mend ] || [ "$mode" = augment-mend ]; then
    "${J[@]}" validate --quiet "$out" >/dev/null 2>&1 || echo "trial $trial: validate failed after mending"
    echo -n "($victim $how) "
  fi
  if cmp -s "$W/ref.txt" "$W/out.txt"; then echo "trial $trial: identical after $kills kills"
  else echo "trial $trial: DIFFERS after $kills kills"; diff "$W/ref.txt" "$W/out.txt" | head -6; fi
done

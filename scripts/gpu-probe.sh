#!/usr/bin/env bash
# Where the render thread's time goes, from the scheduler's side (about two minutes on an H100 box), from bundle/
# (scripts/gpu-bundle.sh) with .gl/ carried: for the urban render bench alone and beside as many busy loops as cores,
# and for generate (cityscapes, coco, depth) as is and with its writer threads reniced to 5, the render thread's share
# of a few seconds on a CPU, runnable but waiting for one, and blocked (/proc/PID/task/TID/schedstat), its voluntary
# and forced context switches, and the CPU of the busiest thread groups. Session 8 ran it (PERFORMANCE.md).
# Output goes to stdout and, if set, $OUT/gpu-probe.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
JAR=bundle/roadsynth-all.jar
N=${COUNT:-2000}
tid_of() { for t in /proc/$1/task/*; do [ "$(cat $t/comm 2>/dev/null)" = "$2" ] && { basename $t; return; }; done; }
cpu_total() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5+$6}' /proc/stat; }
# probe PID DELAY SECS: the render thread's schedstat and the machine's CPU over SECS seconds
probe() {
  sleep $2
  local tid; tid=$(tid_of $1 roadsynth-rende)
  [ -z "$tid" ] && { echo "   probe: no render thread"; return; }
  local a b ca cb sa sb
  a=($(cat /proc/$1/task/$tid/schedstat)); ca=($(cpu_total))
  sa=$(awk '/nonvoluntary/{n=$2} /^voluntary/{v=$2} END{print v, n}' /proc/$1/task/$tid/status)
  ps -L -o comm=,pcpu= -p $1 2>/dev/null | awk '{c[$1]+=$2; n[$1]++} END{for(k in c) printf "   %-16s %2d threads %6.1f%% cpu\n", k, n[k], c[k]}' | sort -k4 -nr | head -6 > /tmp/ps.$$
  ps -L -o comm=,ni= -p $1 | awk '$1=="roadsynth-write"{print "   writer nice", $2; exit}'
  sleep $3
  b=($(cat /proc/$1/task/$tid/schedstat 2>/dev/null)); cb=($(cpu_total))
  sb=$(awk '/nonvoluntary/{n=$2} /^voluntary/{v=$2} END{print v, n}' /proc/$1/task/$tid/status 2>/dev/null)
  [ ${#b[@]} -lt 3 ] && { echo "   probe: ended early"; return; }
  awk -v s=$3 -v r0=${a[0]} -v r1=${b[0]} -v w0=${a[1]} -v w1=${b[1]} -v t0="${ca[0]}" -v t1="${cb[0]}" -v i0="${ca[1]}" -v i1="${cb[1]}" \
      -v sa="$sa" -v sb="$sb" 'BEGIN{split(sa,x," "); split(sb,y," ");
    run=(r1-r0)/1e9/s*100; wait=(w1-w0)/1e9/s*100;
    printf "   render thread: on cpu %.0f%%, runnable waiting for a cpu %.0f%%, blocked %.0f%%; switches voluntary %d/s, preempted %d/s; machine busy %.0f%%\n",
      run, wait, 100-run-wait, (y[1]-x[1])/s, (y[2]-x[2])/s, 100-(i1-i0)*100/(t1-t0)}'
  cat /tmp/ps.$$
}
BENCH=${BENCH:-"bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 1500 --runs 2 --warmup 100"}
rb() { # label, env/taskset prefix..., then java options via JOPT
  local label=$1; shift
  echo "== bench: $label"
  "$@" $J ${JOPT:-} -jar $JAR $BENCH > /tmp/rb.out 2>&1 & local p=$!
  probe $p 6 4
  wait $p; grep -E "pipelined|render thread|GPU timeline|single" /tmp/rb.out | sed 's/^/   /'
}
gen() { # label, prefix...; JOPT for java options; RENICE=n renices writers after 3 s
  local label=$1; shift
  rm -rf /tmp/rs-probe
  echo "== generate: $label"
  "$@" $J ${JOPT:-} -jar $JAR generate --gpu auto --count $N --out /tmp/rs-probe --size 1024x512 --format ${FMT:-cityscapes,coco,depth} --timings > /tmp/gen.out 2>&1 & local p=$!
  if [ -n "${RENICE:-}" ]; then sleep 3; for t in /proc/$p/task/*; do [ "$(cat $t/comm)" = roadsynth-write ] && renice -n $RENICE -p $(basename $t) >/dev/null; done; probe $p 1 5
  else probe $p 4 5; fi
  wait $p; grep -E "^wrote|render thread|GPU timeline" /tmp/gen.out | sed 's/^/   /'
}
{
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
  echo "cores $(nproc)"; lscpu | grep -E "^(Thread|Core|Model name)" || true
  rb "alone" env
  for i in $(seq $(nproc)); do (while :; do :; done) & done
  sleep 1
  rb "beside $(nproc) busy loops (CPU only)" env
  kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
  gen "as is" env
  RENICE=5 gen "writer threads at nice 5" env
  gen "as is, again" env
  RENICE=5 gen "writer threads at nice 5, again" env
  rm -rf /tmp/rs-probe
} 2>&1 | tee "${OUT:-/tmp}/gpu-probe.log"

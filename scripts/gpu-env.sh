# Sourced by the gpu-*.sh scripts on a GPU machine: unpacks the GL loader packages carried in .gl/ (see
# gpu-bundle.sh) and points glvnd at NVIDIA's EGL vendor file where the driver put it outside the usual place.
if [ -d .gl ]; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
if [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] && ! ls /usr/share/glvnd/egl_vendor.d/*nvidia* >/dev/null 2>&1; then
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
# The renderer's tests on this machine's GPU, from bundle/ (gpu-bundle.sh): run from renderer/, as under Maven (the
# scene tests read ../examples), with TEST_FIRST=../bundle/NAME.jar put before the bundle's classes
# (gpu-classes-jar.sh). Extra arguments go to the JUnit console; selects the whole renderer package.
renderer_tests() {
  (cd renderer && ../bundle/jre/bin/java -jar ../bundle/lib/junit-platform-console-standalone-1.14.4.jar execute \
     --disable-banner --details=summary \
     -cp ${TEST_FIRST:+$TEST_FIRST:}../bundle/roadsynth-all.jar:../bundle/renderer-test-classes:../bundle/lib/assertj-core-3.27.7.jar \
     --select-package dev.roadsynth.renderer --config=junit.platform.output.capture.stdout=false "$@")
}
# paths_test SECONDS: DriverPathsTest (every readback path and switch against the default, on this machine's GPU:
# exactness before any timing) and MultiDrawCoverageTest (the coverage passes multi-drawn against the CPU reference)
# within that limit, then their outcome lines; the test JVM takes options from JAVA_TOOL_OPTIONS.
paths_test() {
  echo "-- DriverPathsTest, MultiDrawCoverageTest ${JAVA_TOOL_OPTIONS:-}"
  timeout "$1" bash -c "$(declare -f renderer_tests); renderer_tests --include-classname '.*(DriverPathsTest|MultiDrawCoverageTest)'" > /tmp/paths.log 2>&1
  echo "exit $?"; grep -E "tests (successful|failed)|MethodSource|=> |differ" /tmp/paths.log | head -20
}
# smi_start, then smi_report: the GPU's busy share meanwhile (nvidia-smi every 0.2 s, where the driver installed it):
# near 100% means the GPU sets the pace, far below it the CPU side. Also the page cache's dirty and under-writeback
# memory (/proc/meminfo every second) against the kernel's thresholds: a long run writes more than a short one (10,000
# samples of cityscapes, coco and depth are 22.5 GB), and writers slow down once dirty memory passes the mean of the
# background and the dirty threshold (session 29: in case that is why 10,000-sample runs' later quarters ran slower
# than 3,000-sample runs').
SMI=
DIRTY=
smi_start() {
  SMI=
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits -lms 200 > /tmp/smi.log 2>/dev/null &
    SMI=$!
  fi
  (while :; do awk '/^Dirty:/ { d = $2 } /^Writeback:/ { w = $2 } END { print d, w }' /proc/meminfo; sleep 1; done) > /tmp/dirty.log 2>/dev/null &
  DIRTY=$!
}
smi_report() {
  if [ -n "$SMI" ]; then
    kill "$SMI" 2>/dev/null; wait "$SMI" 2>/dev/null
    awk '$1 ~ /^[0-9]+$/ { n++; s += $1; if ($1 > 0) busy++ } END { if (n) printf "GPU utilization: mean %.0f%% over %d readings (%d above 0)\n", s / n, n, busy }' /tmp/smi.log
  fi
  if [ -n "$DIRTY" ]; then
    kill "$DIRTY" 2>/dev/null; wait "$DIRTY" 2>/dev/null
    local bg th
    bg=$(awk '$1 == "nr_dirty_background_threshold" { print $2 }' /proc/vmstat)
    th=$(awk '$1 == "nr_dirty_threshold" { print $2 }' /proc/vmstat)
    awk -v bg="${bg:-0}" -v th="${th:-0}" '{ if ($1 > d) d = $1; if ($2 > w) w = $2 } END { printf "page cache: dirty up to %.2f GB, under writeback up to %.2f GB; thresholds: background %.2f GB, dirty %.2f GB (writers slowed past %.2f)\n", d / 1048576, w / 1048576, bg * 4 / 1048576, th * 4 / 1048576, (bg + th) * 2 / 1048576 }' /tmp/dirty.log
    DIRTY=
  fi
}
# keep_g_manifest: keeps a `g` run's manifest as /tmp/g-manifest.jsonl and deletes its other files (10,000 samples of
# cityscapes, coco and depth at 1024x512 are about 23 GB, 2.25 MB a sample, the GPU machine's disk 64 GiB);
# same_as_g FILE WHAT then says whether FILE is that manifest (every file's SHA-256), where one was kept.
keep_g_manifest() {
  rm -f /tmp/g-manifest.jsonl
  if [ -f /tmp/g/manifest.jsonl ]; then cp /tmp/g/manifest.jsonl /tmp/g-manifest.jsonl; rm -rf /tmp/g; fi
}
same_as_g() {
  if [ -f /tmp/g-manifest.jsonl ]; then
    if cmp -s /tmp/g-manifest.jsonl "$1"; then echo "$2: identical to the one-process run's"
    else echo "$2: DIFFERS from the one-process run's ($(wc -l < "$1") against $(wc -l < /tmp/g-manifest.jsonl) lines)"; fi
  fi
}
# The bundle's Java; g COUNT [JVM option...] -- [generate argument...] runs `generate --gpu auto` at 1024x512 with
# --timings into /tmp/g under scripts/thread-cpu.sh (CPU by thread name), printing the summary lines and the mean
# GPU utilization from nvidia-smi.
J=bundle/jre/bin/java
g() {
  local n=$1; shift
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  shift
  rm -rf /tmp/g; echo "-- generate $n ${jvm[*]} $*"
  smi_start
  LIMIT=90 scripts/thread-cpu.sh $J "${jvm[@]}" -jar bundle/roadsynth-all.jar generate --gpu auto --count "$n" --out /tmp/g \
    --size 1024x512 --timings "$@" 2>&1 | grep -E "^roadsynth:|^rendering with|^wrote|render thread|GPU timeline|^writers:|by quarter|^threads'|^minor page faults"
  smi_report
}
# b "JVM options" [bench argument...]: the urban scene's render bench (no writers) at 1024x512 with those options (one
# word, split) and arguments (--no-depth, say).
b() {
  local opts=$1; shift
  echo "-- bench urban $opts $*"
  # shellcheck disable=SC2086 # the options are meant to split
  timeout 40 $J $opts -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50 "$@" \
    | grep -E "device|pipe|render thread|GPU timeline|single"
}
# g2 COUNT THREADS [JVM option...] -- [generate argument...]: the same run as two processes at once on this machine,
# `--shard 0/2` and `--shard 1/2` with THREADS writer threads each (the same options otherwise, without thread-cpu.sh),
# into /tmp/g2-0 and /tmp/g2-1; prints each one's summary and the pair's rate over the wall-clock time until both
# have ended; then merges them (--link) into /tmp/g2 and compares the merged manifest.jsonl (every file's SHA-256)
# with /tmp/g's, when a `g` run of the same COUNT and arguments left one there (whose other files it deletes first,
# as it deletes its own at the end: two or three 10,000-sample datasets would fill the GPU machine's disk). Whether two processes, each with its
# own context and its own driver instance, get past the per-frame readback that one process's render thread queues
# on (several contexts in one process took turns, session 19).
g2() {
  local n=$1 threads=$2; shift 2
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  shift
  rm -rf /tmp/g2 /tmp/g2-0 /tmp/g2-1
  keep_g_manifest
  echo "-- generate $n as two processes, --threads $threads each, ${jvm[*]} $*"
  local start end k pids=()
  start=$(date +%s.%N)
  for k in 0 1; do
    timeout 120 $J "${jvm[@]}" -jar bundle/roadsynth-all.jar generate --gpu auto --count "$n" --shard $k/2 \
      --threads "$threads" --out /tmp/g2-$k --size 1024x512 --timings "$@" > /tmp/g2-$k.log 2>&1 &
    pids+=($!)
  done
  for k in 0 1; do wait "${pids[$k]}"; echo "shard $k/2: exit $?"; done
  end=$(date +%s.%N)
  for k in 0 1; do grep -E "^roadsynth:|^wrote|render thread:|by quarter" /tmp/g2-$k.log; done
  awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "two processes: %d samples in %.1f s, %.1f samples/s\n", n, e - s, n / (e - s) }'
  local start_merge end_merge
  start_merge=$(date +%s.%N)
  timeout 180 $J -jar bundle/roadsynth-all.jar merge --link --quiet --out /tmp/g2 /tmp/g2-0 /tmp/g2-1; echo "merge: exit $?"
  end_merge=$(date +%s.%N)
  awk -v s="$start_merge" -v e="$end_merge" 'BEGIN { printf "merge --link: %.1f s\n", e - s }'
  same_as_g /tmp/g2/manifest.jsonl "merged manifest"
  rm -rf /tmp/g2 /tmp/g2-0 /tmp/g2-1 # the disk, for the runs after this one (the logs stay)
}
# gp COUNT P [JVM option...] -- [generate argument...]: the same run by `generate --processes P` (session 26: the
# processes and their join as the product makes them, without --timings, which it refuses there) into /tmp/gp;
# prints its summary, the mean GPU utilization, and whether its manifest is /tmp/g's (a `g` run of the same COUNT
# and arguments before it, whose other files it deletes first for the disk's sake, as it deletes its own after).
gp() {
  local n=$1 p=$2; shift 2
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  shift
  rm -rf /tmp/gp
  keep_g_manifest
  echo "-- generate $n --processes $p ${jvm[*]} $*"
  smi_start
  timeout 150 $J "${jvm[@]}" -jar bundle/roadsynth-all.jar generate --gpu auto --count "$n" --out /tmp/gp \
    --size 1024x512 --processes "$p" "$@" 2>&1 | grep -E "^roadsynth:|^wrote"
  echo "exit ${PIPESTATUS[0]}"
  smi_report
  same_as_g /tmp/gp/manifest.jsonl manifest
  rm -rf /tmp/gp
}
# cuda_visible: `roadsynth devices` with CUDA_VISIBLE_DEVICES unset, 0, 1, empty and the first GPU's UUID (from
# nvidia-smi -L): which CUDA device NVIDIA's EGL reports for each EGL device, whether a GPU the variable hides
# reports none (auto then leaves it out: renderer.CudaOrder), and what auto renders with each time.
cuda_visible() {
  echo "-- devices under CUDA_VISIBLE_DEVICES (set here to '${CUDA_VISIBLE_DEVICES-<unset>}')"
  local uuid= v
  command -v nvidia-smi >/dev/null && uuid=$(nvidia-smi -L 2>/dev/null | sed -n 's/.*UUID: \(GPU-[^)]*\)).*/\1/p' | head -1)
  for v in unset 0 1 "" ${uuid:+"$uuid"}; do
    echo "CUDA_VISIBLE_DEVICES=$v:"
    if [ "$v" = unset ]; then
      env -u CUDA_VISIBLE_DEVICES timeout 30 $J -jar bundle/roadsynth-all.jar devices 2>&1 | tail -4
    else
      CUDA_VISIBLE_DEVICES=$v timeout 30 $J -jar bundle/roadsynth-all.jar devices 2>&1 | tail -4
    fi
    echo "exit ${PIPESTATUS[0]}"
  done
}
# After cuda_visible: if asking the driver for its devices' CUDA ordinals crashed the JVM (a signal's exit status,
# 128 and up), every later run here would crash too; they then go on without it (-Droadsynth.cudaOrder=off: EGL's
# order, as before), and the log says so.
cuda_order_or_off() {
  env -u CUDA_VISIBLE_DEVICES timeout 30 $J -jar bundle/roadsynth-all.jar devices >/dev/null 2>&1
  local rc=$?
  if [ "$rc" -ge 128 ] && [ "$rc" -ne 124 ]; then
    echo "-- devices crashed (exit $rc): the remaining runs use -Droadsynth.cudaOrder=off"
    export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Droadsynth.cudaOrder=off"
  fi
}

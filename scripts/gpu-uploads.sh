#!/usr/bin/env bash
# Sessions 25, 26 and 28's plan for the next loan (from bundle/, .gl/ carried; about nine minutes on an H100 or H200
# box; the last run, three processes, may be cut at a call's limit).
# Session 25 made NVIDIA's default way out the compute pass into client memory mapped once (FrameReadback.Way): 263.2
# samples/s over 10,000, the render thread at 3.57 ms a frame, about its own 1.0 ms of issuing plus the GPU's 2.5
# (timestamps) as if the two took turns, 2.1 ms of it at the first synchronising call after each frame whatever the
# readback's size (the unmap when mapped per frame; with the error check skipped, the next fence wait), the GPU's
# share 1.1 ms taking in each frame's 2.8 MB of geometry, and nvidia-smi's utilization 32%.
# Two leads, as switches with the same frames:
# - how geometry goes in (BufferUploads): glBufferData at each frame's size (the default: new storage every frame, from
#   pageable memory the driver stages); upload=orphan, storage of steady power-of-two sizes; sub, storage kept and
#   refilled by glBufferSubData; mapped, storage kept and filled on the GPU from staging buffers in client memory
#   mapped once;
# - inflight=2: the render thread waits for frame n - 2's fence instead of n - 1's, so the GPU has a frame queued.
# Session 26 added three runs on how the driver waits (3,000-sample runs only: in the bench no writers load the CPU):
# - glYield=nothing|usleep (DriverEnvironment: __GL_YIELD set in the process before the driver loads): NVIDIA's
#   driver yields its waits with sched_yield(), and beside writers on every other core the render thread's driver
#   time doubled (about 1 ms a frame in the bench, 2 in generate);
# - threaded: __GL_THREADED_OPTIMIZATIONS=1, the driver's own worker thread (from the environment);
# - nice19: the writers at nice 19 instead of 5, in case the render thread's core goes to a writer all the same.
# Session 28 added one more, first since it may matter most (bench and 3,000-sample runs):
# - multi: coverageDraws=multi, the coverage passes as one glMultiDrawElements per 32 instances instead of a draw
#   (with its stencil value and slot set) per instance: on an H100 the passes added about 1.3 ms a frame to the
#   render thread's first call that waits for the driver (sessions 8 and 15), a frame's 50 or so draws. The bench
#   row's GPU timeline says whether the GPU's own coverage time grows (per-pixel mask atomics and clears).
# and two on the run's slow first quarter (3,000-sample runs are mostly start: quarters 172, 335, 380, 382 on an
# H100, session 19), in case it is the JIT's compiler threads (about 12 on 16 cores, beside 16 writers) taking CPU
# from the render thread: c1, the C1 compiler only (-XX:TieredStopAtLevel=1: a tenth of the compiling, slower code);
# jit4, four compiler threads (-XX:CICompilerCount=4).
# Session 29 made the upload ways whole (the coverage passes' counters and rain and snow went in by glBufferData at a
# size per frame whatever the way; now as the geometry does, so that sub and mapped find no storage per frame at all)
# and added one way, all three leads together:
# - all: multi-drawn coverage, geometry through client memory mapped once, two frames in flight.
# To make room, it left out orphan (between data and sub), yield-usleep (yield-nothing asks the same) and nice19, and
# added a 10,000-sample run with depth as its PNG alone (depth-png), the issue's "PNG output" without the float32
# array that depth adds (2 MB a sample to write and hash).
# Exactness first (DriverPathsTest: the NVIDIA way, every upload way, two frames in flight, against the plain way;
# on llvmpipe, which copies at once, a staging buffer's early reuse cannot show, here it could), then the urban
# bench with coverage each way, then 3,000 samples each way between two default runs, each run's manifest against
# the first's; then 10,000 samples the default way, as two processes (since session 26 `generate --processes 2`), and
# the fastest way of the 3,000-sample runs; last, as three processes.
# Output goes to stdout and, if set, $OUT/gpu-uploads.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
declare -A OPTS=(
  [multi]="-Droadsynth.coverageDraws=multi"
  [sub]="-Droadsynth.upload=sub"
  [orphan]="-Droadsynth.upload=orphan"
  [mapped]="-Droadsynth.upload=mapped"
  [inflight2]="-Droadsynth.inflight=2"
  [all]="-Droadsynth.coverageDraws=multi -Droadsynth.upload=mapped -Droadsynth.inflight=2"
  [yield-nothing]="-Droadsynth.glYield=nothing"
  [yield-usleep]="-Droadsynth.glYield=usleep"
  [threaded]=""
  [nice19]="-Droadsynth.writerNice=19"
  [c1]="-XX:TieredStopAtLevel=1"
  [jit4]="-XX:CICompilerCount=4"
)
BENCH_WAYS=(multi sub mapped inflight2 all)
WAYS=(multi sub mapped inflight2 all yield-nothing threaded c1 jit4)
# way W COUNT: generate COUNT samples way W (its JVM options, or for threaded the driver's variable).
way() {
  echo "-- way $1"
  if [ "$1" = threaded ]; then __GL_THREADED_OPTIMIZATIONS=1 g "$2" -- "${F[@]}"
  # shellcheck disable=SC2086 # the options are meant to split
  else g "$2" ${OPTS[$1]} -- "${F[@]}"; fi
}
rate() { sed -n 's/^wrote .* (\([0-9.]*\) samples\/s)$/\1/p' "$1" | tail -1; }
same_as_first() {
  if cmp -s /tmp/first-manifest.jsonl /tmp/g/manifest.jsonl; then echo "manifest: identical to the first run's"
  else echo "manifest: DIFFERS from the first run's"; fi
}
{
  paths_test 170
  b ""   # without the coverage passes: what they add to the render thread's frame, drawn each way
  b "" --coverage
  for w in "${BENCH_WAYS[@]}"; do b "${OPTS[$w]}" --coverage; done
  g 3000 -- "${F[@]}" | tee /tmp/rate-default.log
  cp /tmp/g/manifest.jsonl /tmp/first-manifest.jsonl
  for w in "${WAYS[@]}"; do
    way "$w" 3000 | tee /tmp/rate-$w.log
    same_as_first
  done
  g 3000 -- "${F[@]}"
  same_as_first
  best=${WAYS[0]}
  for w in "${WAYS[@]}"; do
    if awk -v a="$(rate /tmp/rate-$w.log)" -v b="$(rate /tmp/rate-$best.log)" 'BEGIN { exit !(a + 0 > b + 0) }'; then best=$w; fi
  done
  echo "-- fastest way over 3,000 samples: $best ($(rate /tmp/rate-$best.log) samples/s; default $(rate /tmp/rate-default.log))"
  # The issue's "PNG output" with depth as its PNG alone (depth-png: the same frames, without the 2 MB float32 array
  # a sample that depth adds, and its write and hash); before the default run, whose manifest the runs after it
  # compare with.
  g 10000 -- --format cityscapes,coco,depth-png
  g 10000 -- "${F[@]}"
  gp 10000 2 -- "${F[@]}"
  way "$best" 10000
  if cmp -s /tmp/g-manifest.jsonl /tmp/g/manifest.jsonl; then echo "manifest: identical to the default way's 10,000"
  else echo "manifest: DIFFERS from the default way's 10,000"; fi
  # Last, where a call cut short loses least: three processes (gp compares with the run just before).
  gp 10000 3 -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-uploads.log"

#!/usr/bin/env bash
# The short check for a GPU loan of a few minutes (about two minutes of commands on an H100 box), from bundle/
# (scripts/gpu-bundle.sh) with .gl/ carried: exactness tests on the GPU, the urban render bench with the render
# thread's breakdown, the encode-only floor, and `generate` with its breakdown at all cores and at fewer writers,
# then raw output beside the disk's synced bandwidth. Compare the breakdown of `bench` (no writers) with that of
# `generate` to see which phase the writers' load slows; the driver's debug messages say what it does slowly.
# Output goes to stdout and, if set, $OUT/gpu-quick.log.
# TEST_FIRST=../bundle/NAME.jar runs the renderer tests against another build's classes (gpu-classes-jar.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
R="$J -jar bundle/roadsynth-all.jar"
N=${COUNT:-1500}
C=$(nproc)
g() { rm -rf /tmp/rs-quick; echo "-- generate $*"; timeout 120 $R generate --gpu auto --count $N --out /tmp/rs-quick --size 1024x512 --timings "$@" 2>&1 | grep -E "^roadsynth:|^rendering with|^wrote|render thread|GPU timeline|^writers:|by quarter"; }
{
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
  echo "cores $C"
  lscpu 2>/dev/null | grep -E "^(Model name|Thread\(s\) per core|Core\(s\) per socket|Socket\(s\)|L3 cache|NUMA node\(s\))" || true
  # Whether the writers' SHA-256 (every file is hashed as it is written) runs on the CPU's SHA instructions: without
  # them it is several times slower, which would show in the encode floor's CPU per sample.
  echo "cpu flags: $(grep -o -w -E 'sha_ni|avx2|avx512f' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  $J -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal -version 2>/dev/null \
    | grep -E " (UseSHA|UseSHA256Intrinsics|UseAVX|UseAdler32Intrinsics|UseCRC32Intrinsics) " | tr -s ' ' | tr '\n' ';' || true
  echo
  if [ -d bundle/lib ]; then
    timeout 120 bash -c "$(declare -f renderer_tests); renderer_tests" 2>&1 | grep -E "tests (successful|failed)|=>|Expecting|\(.*\): class"
  fi
  timeout 60 $R bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50
  for rb in compute compute-copy; do
    echo "-- the same, -Droadsynth.readback=$rb"
    timeout 60 $J -Droadsynth.readback=$rb -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50
  done
  for cv in atomics queries; do
    echo "-- the same with the coverage passes (COCO, KITTI), -Droadsynth.coverage=$cv"
    timeout 60 $J -Droadsynth.coverage=$cv -jar bundle/roadsynth-all.jar bench --gpu auto --scene urban-intersection --sizes 1024x512 --frames 300 --runs 3 --warmup 50 --coverage
  done
  echo "-- the driver's messages in a debug context (generate --count 300, cityscapes, coco, depth)"
  rm -rf /tmp/rs-quick
  timeout 60 $J -Droadsynth.gldebug=true -jar bundle/roadsynth-all.jar generate --gpu auto --count 300 --out /tmp/rs-quick --size 1024x512 --format cityscapes,coco,depth 2>&1 | grep -E "^GL debug|^wrote" | head -40
  # The floor writes into java.io.tmpdir (the disk's /tmp), then into memory (/dev/shm), each with its user and
  # system CPU (bash's time): 16 writers creating and renaming files in the same few folders may spend much of
  # their CPU in the kernel (directory locks, the journal) rather than encoding.
  TIMEFORMAT="   user %U s, system %S s, wall %R s"
  time timeout 90 $R bench --mode encode --gpu auto --formats cityscapes,coco,depth --sizes 1024x512 --frames 400 --runs 3
  [ "$(df --output=avail -k /dev/shm 2>/dev/null | tail -1)" -gt 4000000 ] 2>/dev/null && time timeout 90 $J -Djava.io.tmpdir=/dev/shm -jar bundle/roadsynth-all.jar bench --mode encode --gpu auto \
    --formats cityscapes,coco,depth --sizes 1024x512 --frames 400 --runs 3
  # One writer: its CPU per sample against the 16 writers' above tells contention (memory, file system) from a
  # slower core (43.9 ms per sample at 16 threads in session 11 there, against 10 to 15 on one core here).
  timeout 40 $R bench --mode encode --gpu auto --formats cityscapes,coco,depth --sizes 1024x512 --frames 100 --runs 2 --threads 1
  g --format cityscapes,coco,depth
  # depth-png: the same PNGs without the 2 MB float32 depth array (its write and hash) per sample.
  g --format cityscapes,coco,depth-png
  g --format cityscapes,coco,depth --threads $(( C * 3 / 4 ))
  g --format cityscapes
  g --format raw
  du -sh /tmp/rs-quick; rm -rf /tmp/rs-quick
  dd if=/dev/zero of=/tmp/rs-dd.bin bs=16M count=128 conv=fdatasync 2>&1 | tail -1; rm -f /tmp/rs-dd.bin
} 2>&1 | tee "${OUT:-/tmp}/gpu-quick.log"

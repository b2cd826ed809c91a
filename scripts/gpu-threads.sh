#!/usr/bin/env bash
# How a GPU machine's cores are best shared in `generate`, and whether readback buffers mapped once free them (session
# 18's plan; from bundle/, .gl/ carried; about seven minutes on an H100 box). Session 18's gpu-where.sh found the run
# at about 250 samples/s in its later quarters with 11.7 of 16 cores busy, the render thread's unmap of each readback
# buffer at 2.4 ms per frame beside the writers (0.9 without), the common fork-join pool's threads (the readback
# copies) waiting for a CPU longer than they ran, and the writers taking 37 ms of CPU per sample against about 23 in
# the encode-only floor. This names the machine's CPUs, takes the floor (from 8 and from 64 distinct frames), runs
# DriverPathsTest twice (every readout against the default, `persistent` included, its buffers in memory of the
# driver's choice and then in client memory: exactness first), benches the urban scene mapped per frame and once,
# then alternates 3,000-sample runs: as shipped; with the readback buffers mapped once (`-Droadsynth.readout=
# persistent`, both memories); with the copies spread over 4 fork-join workers, or 1, instead of 15; with
# transparent huge pages for the Java heap. Each run prints its rate and CPU per sample by quarter, its minor page
# faults and the TLB shootdowns meanwhile (thread-cpu.sh). Then 10,000 samples as shipped.
# Output goes to stdout and, if set, $OUT/gpu-threads.log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
F=(--format cityscapes,coco,depth)
{
  lscpu | grep -E "^Model name|^CPU\(s\)|^Thread|^Core|^Socket|^NUMA node\(s\)|MHz|^L2|^L3"
  echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null); cpu flags: $(grep -o -w -E "sha_ni|avx2|avx512f" /proc/cpuinfo | sort -u | tr "\n" " ")"
  # The floor as usual (8 frames cycled, which a large L3 may keep) and from 64 distinct frames (480 MB, as cold as
  # generate's fresh frames): whether the writers' 1.6 times their floor's CPU inside generate is the caches'.
  for d in 8 64; do
    echo "-- encode-only floor, all cores, $d distinct frames"
    timeout 60 $J -jar bundle/roadsynth-all.jar bench --mode encode --formats cityscapes,coco,depth --sizes 1024x512 \
      --frames 300 --runs 3 --warmup 100 --distinct $d | grep -E "samples/s|CPU"
  done
  # Twice: the persistent readout's buffers in memory of the driver's choice, then asking for client memory (the
  # test JVM takes the property from JAVA_TOOL_OPTIONS).
  for tool in "" "-Droadsynth.clientStorage=true"; do
    JAVA_TOOL_OPTIONS="$tool" paths_test 120
  done
  b -Dx=map
  b -Droadsynth.readout=persistent
  b "-Droadsynth.readout=persistent -Droadsynth.clientStorage=true"
  for round in 1 2; do
    g 3000 -Dx=shipped -- "${F[@]}"
    g 3000 -Droadsynth.readout=persistent -- "${F[@]}"
    g 3000 -Droadsynth.readout=persistent -Droadsynth.clientStorage=true -- "${F[@]}"
    g 3000 -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -- "${F[@]}"
    g 3000 -Djava.util.concurrent.ForkJoinPool.common.parallelism=1 -- "${F[@]}"
    g 3000 -XX:+UseTransparentHugePages -- "${F[@]}"
  done
  g 10000 -Dx=shipped -- "${F[@]}"
} 2>&1 | tee "${OUT:-/tmp}/gpu-threads.log"

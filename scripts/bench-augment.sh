#!/usr/bin/env bash
# Runs issue #5's JMH augmentation benchmark (augment/src/test/java/dev/roadsynth/augment/AugmentBenchmark.java)
# on one thread and on every core, roadsynth's pipeline beside the sequential OpenCV chain and the bare kernels.
# Usage: scripts/bench-augment.sh [extra JMH options, e.g. -wi 1 -i 2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests -pl core,augment -am
mvn -q -B dependency:build-classpath -pl augment -Dmdep.includeScope=test -Dmdep.outputFile=target/augment-bench.cp
cp="augment/target/test-classes:augment/target/classes:$(cat augment/target/augment-bench.cp)"
cores=$(nproc)
echo "== $cores cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# One JMH thread, OpenCV single-threaded: the one-thread figure.
# One JMH thread per core, OpenCV single-threaded: samples in parallel, as a data loader runs them.
# One JMH thread, OpenCV's own threads: one sample at a time spread over the cores.
java -cp "$cp" org.openjdk.jmh.Main AugmentBenchmark -t 1 -p openCvThreads=1 "$@"
java -cp "$cp" org.openjdk.jmh.Main AugmentBenchmark -t "$cores" -p openCvThreads=1 "$@"
java -cp "$cp" org.openjdk.jmh.Main AugmentBenchmark -t 1 -p openCvThreads=0 "$@"

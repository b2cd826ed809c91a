#!/usr/bin/env bash
# A/B on one GPU machine: `generate` with other builds or options against the current build, alternating, twice.
# GPU hosts differ from one loan to the next by a third or more, so only figures from one run of this script compare.
# BUILDS lists what to compare (default: "old.jar main"): NAME.jar is a class-only jar in bundle/ made by
# scripts/gpu-classes-jar.sh REV NAME after scripts/gpu-bundle.sh (the libraries come from the bundle's own jar);
# main is the bundle's own build; either may take JVM options after a colon, commas between them, e.g.
# main:-Droadsynth.readback=compute or main:-Droadsynth.readback=compute,-Droadsynth.vertices=static; an option
# ENV:NAME=VALUE sets an environment variable for the run instead, e.g. main:ENV:__GL_YIELD=USLEEP.
# FORMATS lists the --format values each build runs (default: "cityscapes,coco,depth cityscapes").
# Each run has RUN_LIMIT seconds (default 60), so that a build that hangs (the reader-thread branch did on NVIDIA)
# cannot take the rest of a loan.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu-env.sh
J=bundle/jre/bin/java
N=${COUNT:-1500}
for round in 1 2; do
  for entry in ${BUILDS:-old.jar main}; do
    jar=${entry%%:*}
    opts=""
    envs=""
    [ "$jar" != "$entry" ] && opts=${entry#*:} && opts=${opts//,/ }
    # ENV:NAME=VALUE among the options sets an environment variable for that run (e.g. the driver's __GL_YIELD).
    for o in $opts; do case "$o" in ENV:*) envs="$envs ${o#ENV:}";; esac; done
    opts=$(for o in $opts; do case "$o" in ENV:*) ;; *) printf '%s ' "$o";; esac; done)
    cp="bundle/roadsynth-all.jar"
    # generate prints its timings with --timings since session 15; builds from before print them anyway and refuse
    # the option, so jars get it only with JAR_TIMINGS=--timings.
    timings=--timings
    [ "$jar" != main ] && cp="bundle/$jar:$cp" && timings=${JAR_TIMINGS:-}
    for f in ${FORMATS:-cityscapes,coco,depth cityscapes}; do
      rm -rf /tmp/g; echo -n "$round $entry $f: "
      timeout ${RUN_LIMIT:-60} env $envs $J $opts -cp "$cp" dev.roadsynth.cli.Main generate --gpu auto --count $N --out /tmp/g --format $f --size 1024x512 $timings 2>&1 | grep -E "^roadsynth:|^rendering with|^wrote|render thread|GPU timeline|^writers:|by quarter" | tr "\n" " "; echo
    done
  done
done
rm -rf /tmp/g

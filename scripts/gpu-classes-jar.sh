#!/usr/bin/env bash
# Builds another revision's classes for scripts/gpu-ab.sh: bundle/NAME.jar holds only dev/roadsynth/ of REV's shaded
# jar (the libraries come from the bundle's own jar; the 64 MiB carry has no room for two whole jars). Run after
# scripts/gpu-bundle.sh, which empties bundle/. The build runs in a temporary worktree; this checkout is untouched.
# Usage: scripts/gpu-classes-jar.sh REV NAME     e.g. scripts/gpu-classes-jar.sh 9f8aa9b old
set -euo pipefail
cd "$(dirname "$0")/.."
rev=$1
name=$2
root=$(pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q "$work/tree" "$rev"
(cd "$work/tree" && mvn -q -B -o -DskipTests package)
mkdir -p "$work/classes" bundle
rm -f "bundle/$name.jar" # zip would add to an older one
(cd "$work/classes" && unzip -q "$work/tree/cli/target/roadsynth-all.jar" 'dev/roadsynth/*' && zip -qr "$root/bundle/$name.jar" .)
ls -l "bundle/$name.jar"

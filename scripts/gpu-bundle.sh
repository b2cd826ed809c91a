#!/usr/bin/env bash
# Builds bundle/: a self-contained roadsynth for a GPU machine without Java or network (jlink'd runtime, shaded
# jar, the renderer's test classes with JUnit to run the exactness tests there). Also fetches the GL loader
# packages into .gl/. Both folders are git-ignored; carry them to the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl renderer test-compile
rm -rf bundle && mkdir -p bundle/lib
jlink --add-modules java.base,java.desktop,java.logging,java.management,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output bundle/jre
find bundle/jre -name "*.so" -exec strip --strip-unneeded {} +
cp cli/target/roadsynth-all.jar bundle/
# Augmentation's native libraries (OpenCV, OpenBLAS) stay behind: GPU checks are for the renderer, and the carry
# to a GPU machine is limited to 64 MiB. `roadsynth augment` does not work from this bundle.
zip -q -d bundle/roadsynth-all.jar 'org/bytedeco/*/linux-x86_64/*' >/dev/null
cp -r renderer/target/test-classes bundle/renderer-test-classes
m2="${HOME}/.m2/repository"
mvn -q -B dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4
cp "$m2/org/junit/platform/junit-platform-console-standalone/1.14.4/junit-platform-console-standalone-1.14.4.jar" bundle/lib/
cp "$m2/org/assertj/assertj-core/3.27.7/assertj-core-3.27.7.jar" bundle/lib/
if [ ! -d .gl ] || [ -z "$(ls .gl/*.deb 2>/dev/null)" ]; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  apt-get $o update -qq
  (cd .gl && apt-get $o download libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh bundle .gl

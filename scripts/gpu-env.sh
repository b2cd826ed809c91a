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

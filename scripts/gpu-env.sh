# Sourced by the gpu-*.sh scripts on a GPU machine: unpacks the GL loader packages carried in .gl/ (see
# gpu-bundle.sh) and points glvnd at NVIDIA's EGL vendor file where the driver put it outside the usual place.
if [ -d .gl ]; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
if [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] && ! ls /usr/share/glvnd/egl_vendor.d/*nvidia* >/dev/null 2>&1; then
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi

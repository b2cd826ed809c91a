#version 430 core
// Counts each covered pixel once per instance: the stencil test runs before this shader (early fragment tests)
// and lets only the first fragment of the instance at each pixel through. Per slot, ten counters: pixels on the
// canvas, pixels inside the image, then min x, min y, max x, max y on the canvas, then the same inside the image,
// in canvas coordinates (image pixel + margin, so that they stay non-negative). Each pass keeps only what is read
// back from it: the image pass (margin 0, every fragment inside the image) the image pixels and box; the canvas
// pass (compiled with CANVAS defined) the canvas pixels and box and how many of its pixels lie inside the image.
layout(early_fragment_tests) in;
layout(std430, binding = 0) buffer Stats { uint stats[]; };
uniform uint uSlot;
uniform ivec2 uImage;
uniform int uMargin;
// The bounds only ever move outwards, so a plain read that already shows a value at least as far out as this
// pixel's makes its atomic unnecessary: a stale read can only cost an extra atomic, never a wrong bound. Atomics
// dominate these passes on software rasterizers.
void atomicMinIfLess(uint i, uint v) {
    if (v < stats[i]) {
        atomicMin(stats[i], v);
    }
}
void atomicMaxIfMore(uint i, uint v) {
    if (v > stats[i]) {
        atomicMax(stats[i], v);
    }
}
void main() {
    uvec2 canvas = uvec2(gl_FragCoord.xy);
    uint base = uSlot * 10u;
#ifdef CANVAS
    atomicAdd(stats[base], 1u);
    atomicMinIfLess(base + 2u, canvas.x);
    atomicMinIfLess(base + 3u, canvas.y);
    atomicMaxIfMore(base + 4u, canvas.x);
    atomicMaxIfMore(base + 5u, canvas.y);
    ivec2 image = ivec2(canvas) - ivec2(uMargin);
    if (image.x >= 0 && image.y >= 0 && image.x < uImage.x && image.y < uImage.y) {
        atomicAdd(stats[base + 1u], 1u);
    }
#else
    atomicAdd(stats[base + 1u], 1u);
    atomicMinIfLess(base + 6u, canvas.x);
    atomicMinIfLess(base + 7u, canvas.y);
    atomicMaxIfMore(base + 8u, canvas.x);
    atomicMaxIfMore(base + 9u, canvas.y);
#endif
}

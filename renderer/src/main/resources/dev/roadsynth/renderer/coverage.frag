#version 430 core
// The bounds of each covered pixel of one instance: the stencil test runs before this shader (early fragment
// tests) and lets only the first fragment of the instance at each pixel through; the pixels themselves are counted
// by occlusion queries around the draws (GlRenderer.coveragePass). Per slot four counters, min x, min y, max x,
// max y, in canvas coordinates (image pixel + margin, so that they stay non-negative); the image pass uses slots
// 0..n-1, the canvas pass n..2n-1.
layout(early_fragment_tests) in;
layout(std430, binding = 0) buffer Stats { uint stats[]; };
uniform uint uSlot;
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
    uint base = uSlot * 4u;
    atomicMinIfLess(base, canvas.x);
    atomicMinIfLess(base + 1u, canvas.y);
    atomicMaxIfMore(base + 2u, canvas.x);
    atomicMaxIfMore(base + 3u, canvas.y);
}

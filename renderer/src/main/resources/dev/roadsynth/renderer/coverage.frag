#version 430 core
// The bounds of each covered pixel of one instance: the stencil test runs before this shader (early fragment
// tests) and lets only the first fragment of the instance at each pixel through (with MULTI, the mask below). Per slot STATS counters: min x,
// min y, max x, max y, in canvas coordinates (image pixel + margin, so that they stay non-negative); with COUNT
// also the pixels inside and outside the image (CoveragePasses.Counting.ATOMICS), else the pixels are counted by
// occlusion queries around the draws. The image pass uses slots 0..n-1, the canvas pass n..2n-1.
#if defined(COUNT) && defined(BALLOT)
// Counting per subgroup: one atomic add per group of invocations running together (8 or 16 on llvmpipe, 32 on
// NVIDIA) instead of one per pixel; where the driver offers these extensions (CoveragePasses). The third brings
// gl_HelperInvocation to GLSL 4.30.
#extension GL_ARB_shader_ballot : require
#extension GL_ARB_gpu_shader_int64 : require
#extension GL_ARB_ES3_1_compatibility : require
#endif
layout(early_fragment_tests) in;
layout(std430, binding = 0) buffer Stats { uint stats[]; };
uniform uint uSlot;         // the slot of the draw's instance (not with MULTI)
#ifdef MULTI
uniform uint uSlots[32];    // the slots of the multi-draw's instances, by draw (CoveragePasses.MULTI_BATCH)
// With MULTI (CoveragePasses.Draws.MULTI) no stencil test runs: a bit per draw of the multi-draw per pixel, cleared
// before it, lets only the first fragment of each instance at each pixel through. imageAtomicOr returns the bits
// set before it, so exactly one fragment finds its bit clear, whatever order the fragments run in.
layout(r32ui, binding = 0) uniform uimage2D uMask;
flat in uint vDraw;
#endif
#ifdef COUNT
const uint STATS = 6u;
uniform uvec4 uImage;       // the image on this target: x0, y0, x1, y1 (exclusive), in its pixels
#else
const uint STATS = 4u;
#endif
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
#ifdef MULTI
    uint bit = 1u << vDraw;
    if ((imageAtomicOr(uMask, ivec2(canvas), bit) & bit) != 0u) {
        return; // the instance counted this pixel already
    }
    uint base = uSlots[vDraw] * STATS;
#else
    uint base = uSlot * STATS;
#endif
    atomicMinIfLess(base, canvas.x);
    atomicMinIfLess(base + 1u, canvas.y);
    atomicMaxIfMore(base + 2u, canvas.x);
    atomicMaxIfMore(base + 3u, canvas.y);
#ifdef COUNT
    bool inImage = all(greaterThanEqual(canvas, uImage.xy)) && all(lessThan(canvas, uImage.zw));
#ifdef BALLOT
    // Helper invocations (run only to complete a quad) take part in a ballot but must not count, and their atomics
    // would be discarded: the lowest live invocation adds for all.
    bool live = !gl_HelperInvocation;
#ifdef MULTI
    // A subgroup may hold fragments of several draws of the multi-draw, which count into different slots: those of
    // the first active invocation's draw add together, any others one by one below.
    bool together = vDraw == readFirstInvocationARB(vDraw);
    if (live && !together) {
        atomicAdd(stats[base + (inImage ? 4u : 5u)], 1u);
    }
    live = live && together;
#endif
    uvec2 liveBits = unpackUint2x32(ballotARB(live));
    uvec2 insideBits = unpackUint2x32(ballotARB(live && inImage));
    uint first = liveBits.x != 0u ? uint(findLSB(liveBits.x)) : 32u + uint(findLSB(liveBits.y));
    if (live && gl_SubGroupInvocationARB == first) {
        uint inside = uint(bitCount(insideBits.x) + bitCount(insideBits.y));
        uint total = uint(bitCount(liveBits.x) + bitCount(liveBits.y));
        if (inside > 0u) {
            atomicAdd(stats[base + 4u], inside);
        }
        if (total > inside) {
            atomicAdd(stats[base + 5u], total - inside);
        }
    }
#else
    atomicAdd(stats[base + (inImage ? 4u : 5u)], 1u);
#endif
#endif
}

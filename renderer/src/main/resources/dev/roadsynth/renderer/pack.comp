#version 430 core
// Packs a drawn frame's four targets into its readback buffer, laid out as ReadbackLayout.PACKED says, with RGB
// colour: plane stride S pixels (the pixel count rounded up to a multiple of 4); instance ids (4 bytes per pixel)
// from byte 0, depth (4) from 4S, class ids (2) from 8S, colour R, G, B (3) from 10S; row 0 first, as glReadPixels
// gives them. For frames made without depth (uDepthWords 0) there is no depth plane and the planes after it move up
// by 4S bytes: class ids from 4S, colour from 6S (ReadbackLayout.PACKED.withoutDepth()). Each invocation packs
// four consecutive pixels, so that its class ids fill two words and its colour three; pixels past the last (up to
// S) are written as zeros. Values are copied, never converted: ids as the integers they are, depth as its bits, colour bytes from unorm values (b / 255 * 255 rounds back to b exactly).
layout(local_size_x = 64) in;
layout(binding = 0) uniform usampler2D uClasses;   // R16UI
layout(binding = 1) uniform usampler2D uInstances; // R32UI
layout(binding = 2) uniform sampler2D uDepth;      // R32F
layout(binding = 3) uniform sampler2D uColour;     // RGBA8
layout(std430, binding = 1) writeonly buffer Frame { uint words[]; };
uniform int uWidth;
uniform int uPixels;
uniform int uStride; // S, a multiple of 4
uniform int uDepthWords; // 1 with a depth plane, 0 without
void main() {
    // Dispatched as a grid of work groups (x at most 65535 wide), read row by row.
    uint quad = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    int first = int(quad) * 4;
    if (first >= uStride) {
        return;
    }
    uint classes[4];
    uvec3 rgb[4];
    for (int j = 0; j < 4; j++) {
        int i = first + j;
        uint instance = 0u;
        uint depth = 0u;
        classes[j] = 0u;
        rgb[j] = uvec3(0u);
        if (i < uPixels) {
            ivec2 at = ivec2(i % uWidth, i / uWidth);
            instance = texelFetch(uInstances, at, 0).r;
            if (uDepthWords > 0) {
                depth = floatBitsToUint(texelFetch(uDepth, at, 0).r);
            }
            classes[j] = texelFetch(uClasses, at, 0).r & 0xffffu;
            rgb[j] = uvec3(round(clamp(texelFetch(uColour, at, 0).rgb, 0.0, 1.0) * 255.0));
        }
        words[i] = instance;
        if (uDepthWords > 0) {
            words[uStride + i] = depth;
        }
    }
    int classWord = (1 + uDepthWords) * uStride + first / 2;
    words[classWord] = classes[0] | (classes[1] << 16);
    words[classWord + 1] = classes[2] | (classes[3] << 16);
    // Little-endian words: byte 0 of a word is bits 0-7. Bytes r0 g0 b0 r1 | g1 b1 r2 g2 | b2 r3 g3 b3.
    int colourWord = (1 + uDepthWords) * uStride + uStride / 2 + 3 * int(quad);
    words[colourWord] = rgb[0].r | (rgb[0].g << 8) | (rgb[0].b << 16) | (rgb[1].r << 24);
    words[colourWord + 1] = rgb[1].g | (rgb[1].b << 8) | (rgb[2].r << 16) | (rgb[2].g << 24);
    words[colourWord + 2] = rgb[2].b | (rgb[3].r << 8) | (rgb[3].g << 16) | (rgb[3].b << 24);
}

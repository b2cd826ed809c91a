#version 330 core
// The sky behind everything: a gradient by the elevation of each pixel's viewing ray. Written to every target
// so that pixels showing no object carry the background class, no instance and no depth.
uniform vec4 uIntrinsics;      // fx, fy, cx, cy (pixels)
uniform mat3 uCameraToWorld;   // rotation only
uniform vec3 uZenith;
uniform vec3 uHorizon;
uniform uint uBackgroundClass;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oClass;
layout(location = 2) out uint oInstance;
layout(location = 3) out float oDepth;

void main() {
    // Window coordinates equal pixel coordinates (see Projection), so gl_FragCoord.xy is (u, v).
    vec3 ray = vec3((gl_FragCoord.x - uIntrinsics.z) / uIntrinsics.x, (gl_FragCoord.y - uIntrinsics.w) / uIntrinsics.y, 1.0);
    vec3 world = normalize(uCameraToWorld * ray);
    float up = clamp(world.z, 0.0, 1.0);
    oColor = vec4(mix(uHorizon, uZenith, sqrt(up)), 1.0);
    oClass = uBackgroundClass;
    oInstance = 0u;
    oDepth = 0.0;
}

#version 330 core
in vec3 vColor;
in float vDepth;
flat in uint vClass;
flat in uint vInstance;

uniform float uFogDensity; // 1/m along the viewing axis
uniform vec3 uFogColor;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oClass;
layout(location = 2) out uint oInstance;
layout(location = 3) out float oDepth;

void main() {
    // Fog touches colour only: labels and depth stay those of the surface.
    float visibility = exp(-uFogDensity * vDepth);
    oColor = vec4(mix(uFogColor, vColor, visibility), 1.0);
    oClass = vClass;
    oInstance = vInstance;
    oDepth = vDepth;
}

#version 330 core
in vec3 vNormal;
in vec3 vColor;
in float vDepth;
flat in uint vClass;
flat in uint vInstance;

uniform vec3 uTowardsSun; // camera frame, unit length
uniform vec3 uSun;
uniform vec3 uAmbient;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oClass;
layout(location = 2) out uint oInstance;
layout(location = 3) out float oDepth;

vec3 toLinear(vec3 c) { return pow(c, vec3(2.2)); }
vec3 toSrgb(vec3 c) { return pow(clamp(c, 0.0, 1.0), vec3(1.0 / 2.2)); }

void main() {
    // Meshes carry outward normals; faces turned away from the sun get ambient light only.
    float lambert = max(dot(normalize(vNormal), uTowardsSun), 0.0);
    vec3 albedo = toLinear(vColor);
    oColor = vec4(toSrgb(albedo * (uAmbient + uSun * lambert)), 1.0);
    oClass = vClass;
    oInstance = vInstance;
    oDepth = vDepth;
}

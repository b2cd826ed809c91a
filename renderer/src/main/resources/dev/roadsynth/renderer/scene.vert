#version 330 core
// Inputs are in the camera frame (x right, y down, z forward, metres); see PackedScene.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec4 aColor;
layout(location = 3) in uint aClass;
layout(location = 4) in uint aInstance;

uniform mat4 uProjection;
uniform vec3 uTowardsSun; // camera frame, unit length
uniform vec3 uSun;
uniform vec3 uAmbient;

out vec3 vColor;
out float vDepth;
flat out uint vClass;
flat out uint vInstance;

void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
    // Lit per vertex: the fragment stage stays trivial, which matters most on a software rasterizer. Meshes
    // carry outward normals; faces turned away from the sun get ambient light only.
    float lambert = max(dot(normalize(aNormal), uTowardsSun), 0.0);
    vec3 albedo = pow(aColor.rgb, vec3(2.2));
    vColor = pow(clamp(albedo * (uAmbient + uSun * lambert), 0.0, 1.0), vec3(1.0 / 2.2));
    // Interpolated perspective-correctly, this is the exact camera z of the surface at each pixel centre.
    vDepth = aPosition.z;
    vClass = aClass;
    vInstance = aInstance;
}

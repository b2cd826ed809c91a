#version 330 core
// Inputs are in the camera frame (x right, y down, z forward, metres); see PackedScene.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec4 aColor;
layout(location = 3) in uint aClass;
layout(location = 4) in uint aInstance;

uniform mat4 uProjection;

out vec3 vNormal;
out vec3 vColor;
out float vDepth;
flat out uint vClass;
flat out uint vInstance;

void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
    vNormal = aNormal;
    vColor = aColor.rgb;
    // Interpolated perspective-correctly, this is the exact camera z of the surface at each pixel centre.
    vDepth = aPosition.z;
    vClass = aClass;
    vInstance = aInstance;
}

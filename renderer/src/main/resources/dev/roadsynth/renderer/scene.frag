#version 330 core
in vec3 vColor;
in float vDepth;
flat in uint vClass;
flat in uint vInstance;

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oClass;
layout(location = 2) out uint oInstance;
layout(location = 3) out float oDepth;

void main() {
    oColor = vec4(vColor, 1.0);
    oClass = vClass;
    oInstance = vInstance;
    oDepth = vDepth;
}

#version 330 core
// Only the colour target is written (the label targets are masked off); blended over the scene.
in vec4 vColor;
layout(location = 0) out vec4 oColor;
void main() {
    oColor = vColor;
}

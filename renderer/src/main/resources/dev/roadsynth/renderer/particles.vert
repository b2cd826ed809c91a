#version 330 core
// Falling rain streaks and snowflakes, in the camera frame; colour only (see GlRenderer.drawParticles).
layout(location = 0) in vec3 aPosition;
layout(location = 2) in vec4 aColor;    // sRGB colour and opacity
uniform mat4 uProjection;
out vec4 vColor;
void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
    vColor = aColor;
}

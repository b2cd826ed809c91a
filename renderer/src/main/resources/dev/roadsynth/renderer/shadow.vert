#version 330 core
// Depth from the sun, for cast shadows: the scene's camera-frame vertices into the shadow map's clip space.
layout(location = 0) in vec3 aPosition;
uniform mat4 uLightFromCamera;
void main() {
    gl_Position = uLightFromCamera * vec4(aPosition, 1.0);
}

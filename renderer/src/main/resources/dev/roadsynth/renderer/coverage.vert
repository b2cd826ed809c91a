#version 430 core
// Amodal coverage: the instance's triangles alone, no depth test, on a canvas that extends the image by a
// margin on every side (see CoveragePasses).
layout(location = 0) in vec3 aPosition;
uniform mat4 uProjection;
void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
}

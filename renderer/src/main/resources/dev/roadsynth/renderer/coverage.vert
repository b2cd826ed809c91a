#version 430 core
// Amodal coverage: the instance's triangles alone, no depth test, on a canvas that extends the image by a
// margin on every side (see CoveragePasses).
#ifdef MULTI
// One multi-draw for several instances (CoveragePasses.Draws.MULTI): the draw's place in it tells them apart.
#extension GL_ARB_shader_draw_parameters : require
flat out uint vDraw;
#endif
layout(location = 0) in vec3 aPosition;
uniform mat4 uProjection;
void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
#ifdef MULTI
    vDraw = uint(gl_DrawIDARB);
#endif
}

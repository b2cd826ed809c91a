#version 330 core
// Compiled in variants: the renderer prepends "#define SHADOWS", "LAMPS", "REFLECTIONS", "FOG", "SNOW" as the
// scene needs them, so that a plain scene pays for none of it (a software rasterizer runs every branch).
// Inputs are in the camera frame (x right, y down, z forward, metres); see PackedScene.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in vec3 aNormal;
layout(location = 2) in vec4 aColor;   // sRGB; alpha carries the surface kind (Material.Surface ordinal)
layout(location = 3) in uint aClass;
layout(location = 4) in uint aInstance;

uniform mat4 uProjection;
#ifdef SHADOWS
uniform mat4 uLightFromCamera;         // camera frame -> shadow map texture coordinates and depth
out vec4 vShadowCoord;
#endif

out vec3 vPosition;
out vec3 vNormal;
out vec3 vAlbedo;                      // linear (gamma 2)
out float vDepth;
flat out int vSurface;
flat out uint vClass;
flat out uint vInstance;

void main() {
    gl_Position = uProjection * vec4(aPosition, 1.0);
    vPosition = aPosition;
    vNormal = aNormal;
    vAlbedo = aColor.rgb * aColor.rgb; // gamma 2: close to sRGB, and cheap on a software rasterizer
#ifdef SHADOWS
    vShadowCoord = uLightFromCamera * vec4(aPosition, 1.0);
#endif
    // Interpolated perspective-correctly, this is the exact camera z of the surface at each pixel centre.
    vDepth = aPosition.z;
    vSurface = int(aColor.a * 255.0 + 0.5);
    vClass = aClass;
    vInstance = aInstance;
}

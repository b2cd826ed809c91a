#version 330 core
// Shading only: class, instance and depth are written unchanged from the geometry. Variants as in scene.vert.
in vec3 vPosition;
in vec3 vNormal;
in vec3 vAlbedo;
in float vDepth;
flat in int vSurface;
flat in uint vClass;
flat in uint vInstance;

uniform vec3 uTowardsSun;   // camera frame, unit length
uniform vec3 uSun;
uniform vec3 uAmbient;
#ifdef SHADOWS
in vec4 vShadowCoord;
uniform sampler2DShadow uShadowMap;
#endif
#ifdef LAMPS
uniform int uLampCount;
uniform vec3 uLamps[32];    // camera frame
uniform float uLampStrength;
#endif
#ifdef REFLECTIONS
uniform vec3 uSkyColor;     // linear, for reflections
uniform float uWetness;
#endif
#ifdef FOG
uniform float uFogDensity;  // 1/m along the viewing axis
uniform vec3 uFogColor;
#endif
#ifdef SNOW
uniform vec3 uUp;           // world up in the camera frame
uniform float uSnow;
#endif

layout(location = 0) out vec4 oColor;
layout(location = 1) out uint oClass;
layout(location = 2) out uint oInstance;
layout(location = 3) out float oDepth;

const int MATTE = 0;
const int GROUND = 1;
const int GLASS = 2;
const int LAMP = 3;

float sunVisibility() {
#ifdef SHADOWS
    vec3 p = vShadowCoord.xyz / vShadowCoord.w; // already in texture coordinates and depth
    if (p.x <= 0.0 || p.x >= 1.0 || p.y <= 0.0 || p.y >= 1.0 || p.z >= 1.0) {
        return 1.0;
    }
    // One lookup: with linear filtering on a comparison sampler the hardware (or llvmpipe) already blends the
    // four nearest comparisons (2x2 percentage-closer filtering). A small bias against self-shadowing.
    return texture(uShadowMap, vec3(p.xy, p.z - 0.0015));
#else
    return 1.0;
#endif
}

void main() {
    vec3 n = normalize(vNormal);
    vec3 albedo = vAlbedo;
    float snow = 0.0;
#ifdef SNOW
    snow = uSnow;
    float upness = max(dot(n, uUp), 0.0);
    if (vSurface == GROUND || upness > 0.7) {
        albedo = mix(albedo, vec3(0.72), snow * (vSurface == GROUND ? 1.0 : smoothstep(0.7, 1.0, upness)));
    }
#endif
    float wet = 0.0;
#ifdef REFLECTIONS
    if (vSurface == GROUND) {
        wet = uWetness * (1.0 - snow);
        albedo *= 1.0 - 0.55 * wet;
    }
#endif
    float lambert = max(dot(n, uTowardsSun), 0.0);
    vec3 light = uAmbient + uSun * (lambert * sunVisibility());
#ifdef LAMPS
    for (int i = 0; i < uLampCount; i++) {
        vec3 d = uLamps[i] - vPosition;
        float dist2 = max(dot(d, d), 1.0);
        light += vec3(1.0, 0.85, 0.6) * (uLampStrength * 40.0 * max(dot(n, d), 0.0) * inversesqrt(dist2) / dist2);
    }
#endif
    vec3 color = albedo * light;
#ifdef LAMPS
    if (vSurface == LAMP) {
        color += vec3(1.0, 0.9, 0.7) * uLampStrength * 2.0;
    }
#endif
#ifdef REFLECTIONS
    if (vSurface == GLASS || wet > 0.0) {
        // Reflections of the sky, stronger at grazing angles (Schlick's Fresnel).
        vec3 view = normalize(-vPosition);
        float c = 1.0 - abs(dot(n, view));
        float fresnel = c * c * c * c * c;
        float reflectivity = vSurface == GLASS ? 0.08 + 0.6 * fresnel : wet * (0.05 + 0.75 * fresnel);
        color = mix(color, uSkyColor, reflectivity);
    }
#endif
#ifdef FOG
    color = mix(uFogColor, color, exp(-uFogDensity * vDepth));
#endif
    oColor = vec4(sqrt(clamp(color, 0.0, 1.0)), 1.0); // back to gamma 2
    oClass = vClass;
    oInstance = vInstance;
    oDepth = vDepth;
}

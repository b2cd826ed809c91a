package dev.roadsynth.core;

/**
 * What the labels say about one instance of a frame, all of it exact (counted on the pixel grid, no estimates).
 *
 * @param instanceId     the instance id in the instance plane
 * @param classId        its class id
 * @param kind           what it is in the scene ("car", "pedestrian", ...)
 * @param visiblePixels  pixels of the frame showing it
 * @param visibleBox     box around those pixels; null when none are visible
 * @param amodalPixels   pixels inside the image it would cover with nothing in front of it
 * @param amodalBox      box around those, clipped to the image; null when it projects entirely outside
 * @param amodalBoxUnclipped box around all pixels it would cover on an unbounded image plane (within the
 *                       renderer's margin); null when it is entirely behind the camera
 * @param visibleFraction visible pixels over amodal pixels inside the image; 0 when it covers no pixel there
 * @param truncation     the fraction of its projection outside the image: 1 - amodal pixels inside over amodal
 *                       pixels in all
 * @param box3d          its 3D box in the camera frame (KITTI convention)
 * @param alpha          KITTI's observation angle: rotationY minus the ray angle atan2(x, z), in [-pi, pi]
 * @param distance       metres from the camera centre to the 3D box's centre
 */
public record ObjectAnnotation(int instanceId, int classId, String kind, long visiblePixels, Box2 visibleBox,
                               long amodalPixels, Box2 amodalBox, Box2 amodalBoxUnclipped, double visibleFraction,
                               double truncation, Box3 box3d, double alpha, double distance) {
}

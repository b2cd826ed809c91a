package dev.roadsynth.core;

/**
 * An upright 3D box in the camera frame, KITTI's convention: (x, y, z) is the centre of the box's bottom face in
 * camera coordinates (x right, y down, z forward, metres); height, width and length are its extents along the
 * camera's y, across and along its heading; rotationY is the heading's rotation about the camera's y axis
 * (radians, 0 = facing the camera's x axis, in [-pi, pi]).
 */
public record Box3(double height, double width, double length, double x, double y, double z, double rotationY) {
}

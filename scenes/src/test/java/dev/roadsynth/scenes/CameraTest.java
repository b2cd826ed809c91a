package dev.roadsynth.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.joml.Vector3f;
import org.junit.jupiter.api.Test;

class CameraTest {
    private static final float EPS = 1e-5f;

    @Test
    void cameraFrameIsXRightYDownZForward() {
        Intrinsics k = Intrinsics.ofHorizontalFov(90, 200, 100, 0.1, 100);
        // At the origin, heading along world +x, level: world +x is forward, world +y (left) is camera -x,
        // world +z (up) is camera -y.
        Camera cam = Camera.at(k, new Vector3f(0, 0, 0), 0, 0, 0);
        Vector3f p = cam.worldToCamera().transformPosition(new Vector3f(10, 2, 3));
        assertThat(p.z).isCloseTo(10, within(EPS));
        assertThat(p.x).isCloseTo(-2, within(EPS));
        assertThat(p.y).isCloseTo(-3, within(EPS));
        assertThat(k.fx()).isCloseTo(100, within(1e-9));
    }

    @Test
    void yawAndPitchTurnTheViewingAxis() {
        Intrinsics k = Intrinsics.ofHorizontalFov(90, 200, 100, 0.1, 100);
        Camera left = Camera.at(k, new Vector3f(1, 2, 3), (float) Math.PI / 2, 0, 0);
        Vector3f ahead = left.worldToCamera().transformPosition(new Vector3f(1, 7, 3));
        assertThat(ahead.z).isCloseTo(5, within(EPS));
        assertThat(ahead.x).isCloseTo(0, within(EPS));
        Camera down = Camera.at(k, new Vector3f(0, 0, 0), 0, (float) Math.toRadians(45), 0);
        Vector3f below = down.worldToCamera().transformPosition(new Vector3f(1, 0, -1));
        assertThat(below.x).isCloseTo(0, within(EPS));
        assertThat(below.y).isCloseTo(0, within(EPS));
        assertThat(below.z).isCloseTo((float) Math.sqrt(2), within(EPS));
        assertThat(left.position().distance(new Vector3f(1, 2, 3))).isLessThan(EPS);
    }

    @Test
    void intrinsicsRejectNonsenseNamingTheValues() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Intrinsics.ofHorizontalFov(190, 100, 100, 0.1, 10))
                .hasMessageContaining("190").hasMessageContaining("(0, 180)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Intrinsics(1, 1, 0, 0, 100, 100, 5, 1))
                .hasMessageContaining("near=5.0, far=1.0");
    }
}

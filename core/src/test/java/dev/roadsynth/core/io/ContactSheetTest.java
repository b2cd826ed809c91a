package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.core.RgbImage;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactSheetTest {
    private static final int W = 80;
    private static final int H = 40;
    private static final int GAP = 4;
    private static final int CAR = 26;
    /** fx, fy, cx, cy. */
    private static final double[] K = {50, 50, 40, 20};

    private static Frame frame() {
        byte[] rgb = new byte[W * H * 3];
        java.util.Arrays.fill(rgb, (byte) 200); // light grey: dimmed to 100 in the fifth panel
        return new Frame(LabelSet.cityscapes(), RgbImage.copyOf(W, H, rgb), IdPlane.copyOf(W, H, new int[W * H]),
                IdPlane.copyOf(W, H, new int[W * H]), null);
    }

    private static ObjectAnnotation object(Box2 amodal, Box3 box3d) {
        return new ObjectAnnotation(3, CAR, "car", 10, amodal, 20, amodal, amodal, 0.5, 0, box3d, 0, 10);
    }

    /** The fifth panel's pixel (x, y) of row 0. */
    private static int fifth(BufferedImage sheet, int x, int y) {
        return sheet.getRGB(4 * (W + GAP) + x, y) & 0xffffff;
    }

    @Test
    void theFifthPanelDrawsTwoDimensionalBoxesAlongTheirPixelsAndLeftOutObjectsInGrey() {
        Frame f = frame();
        ObjectAnnotation car = object(new Box2(10, 5, 30, 20), null);
        ObjectAnnotation small = object(new Box2(50, 8, 54, 12), null);
        BufferedImage sheet = ContactSheet.of(List.of(f),
                List.of(new ContactSheet.Annotations(List.of(car), List.of(small), List.of(), K)), true);
        assertThat(sheet.getWidth()).isEqualTo(5 * W + 4 * GAP);
        int carColour = LabelSet.cityscapes().byId(CAR).color().packed();
        // The box runs along its first and last covered columns and rows.
        for (int[] p : new int[][] {{10, 5}, {29, 5}, {10, 19}, {29, 19}, {20, 5}, {10, 12}}) {
            assertThat(fifth(sheet, p[0], p[1])).as("edge pixel %d,%d", p[0], p[1]).isEqualTo(carColour);
        }
        assertThat(fifth(sheet, 20, 12)).as("inside").isEqualTo(0x646464);
        assertThat(fifth(sheet, 30, 12)).as("right of it").isEqualTo(0x646464);
        assertThat(fifth(sheet, 9, 12)).as("left of it").isEqualTo(0x646464);
        assertThat(fifth(sheet, 50, 8)).isEqualTo(ContactSheet.IGNORED);
        assertThat(fifth(sheet, 53, 11)).isEqualTo(ContactSheet.IGNORED);
        // The first four panels are the plain sheet's.
        BufferedImage plain = ContactSheet.of(List.of(f));
        for (int x = 0; x < plain.getWidth(); x++) {
            for (int y = 0; y < H; y++) {
                assertThat(sheet.getRGB(x, y)).isEqualTo(plain.getRGB(x, y));
            }
        }
    }

    @Test
    void threeDimensionalBoxesAreProjectedAsTheKittiDevkitProjectsTheirCorners() {
        // A box 10 m ahead, its bottom 1 m below the camera, facing the camera's x axis (rotation_y 0): its corners
        // at x = +-1, y = 1 or -0.5, z = 10 +- 0.5, computed here from the definition.
        Box3 box = new Box3(1.5, 1.0, 2.0, 0, 1, 10, 0);
        BufferedImage sheet = ContactSheet.of(List.of(frame()),
                List.of(new ContactSheet.Annotations(List.of(object(new Box2(30, 15, 50, 26), box)), List.of(), List.of(), K)),
                true);
        int found = 0;
        for (double[] c : new double[][] {{1, 1, 9.5}, {-1, 1, 10.5}, {1, -0.5, 10.5}, {-1, -0.5, 9.5}}) {
            double u = K[0] * c[0] / c[2] + K[2];
            double v = K[1] * c[1] / c[2] + K[3];
            boolean yellow = false;
            for (int dx = -1; dx <= 1; dx++) {
                for (int dy = -1; dy <= 1; dy++) {
                    int x = (int) Math.floor(u) + dx;
                    int y = (int) Math.floor(v) + dy;
                    yellow |= x >= 0 && y >= 0 && x < W && y < H && fifth(sheet, x, y) == ContactSheet.BOX3D;
                }
            }
            assertThat(yellow).as("corner %s at %.2f, %.2f", java.util.Arrays.toString(c), u, v).isTrue();
            found++;
        }
        assertThat(found).isEqualTo(4);
        // Without 3D boxes (augmented frames) no yellow at all.
        BufferedImage flat = ContactSheet.of(List.of(frame()),
                List.of(new ContactSheet.Annotations(List.of(object(new Box2(30, 15, 50, 26), box)), List.of(), List.of(), K)),
                false);
        for (int x = 0; x < W; x++) {
            for (int y = 0; y < H; y++) {
                assertThat(fifth(flat, x, y)).isNotEqualTo(ContactSheet.BOX3D);
            }
        }
    }

    /**
     * A kept group's 3D box (a rider and its bicycle: KITTI's Cyclist) is drawn in place of its members' own; a
     * dropped group's box and its members' are not drawn at all (KITTI has a DontCare line there).
     */
    @Test
    void aGroupsThreeDimensionalBoxStandsForItsMembers() {
        Box3 together = new Box3(1.5, 1.0, 2.0, 0, 1, 10, 0);
        Box3 own = new Box3(1.5, 1.0, 2.0, -3, 1, 10, 0);
        ObjectAnnotation member = object(new Box2(30, 15, 50, 26), own);
        ObjectAnnotation group = new ObjectAnnotation(9, CAR, "cyclist", 10, new Box2(30, 15, 50, 26), 20,
                new Box2(30, 15, 50, 26), new Box2(30, 15, 50, 26), 0.5, 0, together, 0, 10);
        BufferedImage kept = ContactSheet.of(List.of(frame()), List.of(new ContactSheet.Annotations(List.of(member),
                List.of(), List.of(new ObjectGroup(group, List.of(3, 4), null)), K)), true);
        assertThat(yellowNear(kept, together, 1, 1, 9.5)).isTrue();
        assertThat(yellowNear(kept, own, 1, 1, 9.5)).isFalse();
        BufferedImage dropped = ContactSheet.of(List.of(frame()), List.of(new ContactSheet.Annotations(List.of(member),
                List.of(), List.of(new ObjectGroup(group, List.of(3, 4), "too small")), K)), true);
        assertThat(yellowNear(dropped, together, 1, 1, 9.5)).isFalse();
        assertThat(yellowNear(dropped, own, 1, 1, 9.5)).isFalse();
        BufferedImage apart = ContactSheet.of(List.of(frame()), List.of(new ContactSheet.Annotations(List.of(member),
                List.of(), List.of(), K)), true);
        assertThat(yellowNear(apart, own, 1, 1, 9.5)).isTrue();
    }

    /**
     * Whether the fifth panel is yellow within a pixel of the projection of a corner of box b, given as (x, y, z) for
     * a box whose bottom centre is (0, 1, 10).
     */
    private static boolean yellowNear(BufferedImage sheet, Box3 b, double x, double y, double z) {
        double cx = x + b.x();
        double cy = y + b.y() - 1;
        double cz = z + b.z() - 10;
        double u = K[0] * cx / cz + K[2];
        double v = K[1] * cy / cz + K[3];
        for (int dx = -1; dx <= 1; dx++) {
            for (int dy = -1; dy <= 1; dy++) {
                int px = (int) Math.floor(u) + dx;
                int py = (int) Math.floor(v) + dy;
                if (px >= 0 && py >= 0 && px < W && py < H && fifth(sheet, px, py) == ContactSheet.BOX3D) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void annotationsMustMatchTheFrames() {
        assertThatThrownBy(() -> ContactSheet.of(List.of(frame()), List.of(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 frames, 0 sets");
    }
}

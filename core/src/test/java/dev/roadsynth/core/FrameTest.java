package dev.roadsynth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameTest {
    @Test
    void planesAreRowMajorTopDownAndImmutable() {
        int[] ids = {1, 2, 3, 4, 5, 6};
        IdPlane plane = IdPlane.copyOf(3, 2, ids);
        ids[0] = 99;
        assertThat(plane.get(0, 0)).isEqualTo(1);
        assertThat(plane.get(2, 0)).isEqualTo(3);
        assertThat(plane.get(0, 1)).isEqualTo(4);
        assertThat(plane.ids().isReadOnly()).isTrue();
        assertThatThrownBy(() -> plane.get(3, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("(3, 0)");
        RgbImage img = RgbImage.copyOf(1, 1, new byte[] {(byte) 255, 1, 2});
        assertThat(img.rgb(0, 0)).isEqualTo(0xff0102);
        assertThat(IdPlane.copyOf(1, 1, new int[] {-1}).get(0, 0)).as("unsigned 32-bit ids survive").isEqualTo(0xffffffff);
    }

    @Test
    void sizesMustAgree() {
        assertThatThrownBy(() -> IdPlane.copyOf(3, 2, new int[5])).hasMessageContaining("needs 6 values, got 5");
        LabelSet cs = LabelSet.cityscapes();
        assertThatThrownBy(() -> new Frame(cs, RgbImage.copyOf(2, 2, new byte[12]), IdPlane.copyOf(2, 2, new int[4]),
                IdPlane.copyOf(2, 1, new int[2]), DepthPlane.copyOf(2, 2, new float[4])))
                .hasMessageContaining("differ in size");
    }

    @Test
    void depthIsOptionalAndAskingForAbsentDepthSaysSo() {
        LabelSet cs = LabelSet.cityscapes();
        Frame without = new Frame(cs, RgbImage.copyOf(2, 2, new byte[12]), IdPlane.copyOf(2, 2, new int[4]),
                IdPlane.copyOf(2, 2, new int[4]), null);
        assertThat(without.hasDepth()).isFalse();
        assertThat(without.depth()).isNull();
        assertThatThrownBy(without::requireDepth).isInstanceOf(IllegalStateException.class)
                .hasMessage("this 2x2 frame was made without depth");
        Frame with = new Frame(cs, without.rgb(), without.semantic(), without.instance(), DepthPlane.copyOf(2, 2, new float[4]));
        assertThat(with.hasDepth()).isTrue();
        assertThat(with.requireDepth()).isSameAs(with.depth());
        // Sizes are checked against a depth plane that is there.
        assertThatThrownBy(() -> new Frame(cs, without.rgb(), without.semantic(), without.instance(),
                DepthPlane.copyOf(1, 2, new float[2]))).hasMessageContaining("differ in size");
    }
}

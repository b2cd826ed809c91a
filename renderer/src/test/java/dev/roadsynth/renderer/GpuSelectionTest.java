package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GpuSelectionTest {
    @Test
    void parsesTheThreeForms() {
        assertThat(GpuSelection.parse("auto")).isEqualTo(GpuSelection.AUTO);
        assertThat(GpuSelection.parse("software")).isEqualTo(GpuSelection.SOFTWARE);
        assertThat(GpuSelection.parse("2")).isEqualTo(new GpuSelection(GpuSelection.Mode.INDEX, 2));
        assertThat(GpuSelection.parse("2").toString()).isEqualTo("2");
    }

    @Test
    void rejectsOthersSayingWhatIsAllowed() {
        assertThatThrownBy(() -> GpuSelection.parse("-1")).hasMessageContaining("'-1'").hasMessageContaining("auto, software");
        assertThatThrownBy(() -> GpuSelection.parse("nvidia")).hasMessageContaining("'nvidia'");
    }
}

package dev.roadsynth.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a value may vary: every kind of distribution, at the edges where it cannot. */
class DistTest {
    @Test
    void alwaysHoldsExactlyWhereEveryDrawIsTheValue() {
        assertThat(new Dist.Constant<>(0.0).always(0.0)).isTrue();
        assertThat(new Dist.Constant<>(-0.0).always(0.0)).as("numbers by value").isTrue();
        assertThat(new Dist.Constant<>(2.0).always(0.0)).isFalse();
        assertThat(new Dist.Constant<>("four-way").always("four-way")).isTrue();
        assertThat(new Dist.Uniform(0, 0).always(0.0)).isTrue();
        assertThat(new Dist.Uniform(0, 4).always(0.0)).isFalse();
        assertThat(new Dist.Uniform(1, 1).always(0.0)).isFalse();
        assertThat(new Dist.UniformInt(3, 3).always(3L)).isTrue();
        assertThat(new Dist.UniformInt(3, 4).always(3L)).isFalse();
        assertThat(new Dist.Normal(0, 1, 0, 0).always(0.0)).as("clamped to one value").isTrue();
        assertThat(new Dist.Normal(0, 0, -1, 1).always(0.0)).as("no spread").isTrue();
        assertThat(new Dist.Normal(5, 0, -1, 1).always(1.0)).as("no spread, clamped").isTrue();
        assertThat(new Dist.Normal(0, 1, -1, 1).always(0.0)).isFalse();
        assertThat(new Dist.Choice<>(List.of(0.0, 0.0), List.of(1.0, 2.0)).always(0.0)).isTrue();
        assertThat(new Dist.Choice<>(List.of(0.0, 1.0), List.of(1.0, 1.0)).always(0.0)).isFalse();
    }
}

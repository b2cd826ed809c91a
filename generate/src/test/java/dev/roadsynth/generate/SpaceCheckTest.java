package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.DatasetWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceCheckTest {
    @Test
    void theNoteComesOnlyWhenTheSamplesLeftDoNotFit() {
        Path out = Path.of("out");
        assertThat(SpaceCheck.note(2_300_000, 1_000, 2_300_000_000L, out)).as("exactly fits").isNull();
        assertThat(SpaceCheck.note(2_300_000, 1_000, 2_299_999_999L, out)).isEqualTo("the 1000 samples left need"
                + " about 2.3 GB (2.3 MB a sample so far), and the file system of out has 2.3 GB free: the run will"
                + " stop when it is full, keeping every sample written by then; free space and rerun the same command"
                + " to resume");
        assertThat(SpaceCheck.note(812_000, 100_000, 9_800_000_000L, out)).contains("need about 81 GB (812 KB a"
                + " sample so far)").contains("has 9.8 GB free");
    }

    @Test
    void sizesReadInTheirUnit() {
        assertThat(SpaceCheck.size(999)).isEqualTo("999 bytes");
        assertThat(SpaceCheck.size(1_000)).isEqualTo("1.0 KB");
        assertThat(SpaceCheck.size(812_400)).isEqualTo("812 KB");
        assertThat(SpaceCheck.size(2_250_000)).isEqualTo("2.3 MB");
        assertThat(SpaceCheck.size(23.1e9)).isEqualTo("23 GB");
        assertThat(SpaceCheck.size(4.2e15)).isEqualTo("4200 TB");
    }

    /**
     * The estimate is made once, from the first samples' files, on the output's own file system: a run that fits
     * hears nothing; one that would need more than any disk holds hears it once, after the {@value SpaceCheck#AFTER}th sample.
     */
    @Test
    void theFirstSamplesFilesMakeTheEstimateOnce(@TempDir Path out) throws Exception {
        Path file = Files.write(out.resolve("a.bin"), new byte[1000]);
        List<String> said = new ArrayList<>();
        SpaceCheck fits = new SpaceCheck(out, 10);
        for (int i = 0; i < 10; i++) {
            fits.written(List.of(new DatasetWriter.Written(List.of(file))), said::add);
        }
        assertThat(said).isEmpty();
        SpaceCheck huge = new SpaceCheck(out, Long.MAX_VALUE / 1000);
        for (int i = 0; i < 10; i++) {
            huge.written(List.of(new DatasetWriter.Written(List.of(file)), new DatasetWriter.Written(List.of(file))),
                    said::add);
        }
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).startsWith("the " + (Long.MAX_VALUE / 1000 - SpaceCheck.AFTER) + " samples left need about ")
                .contains("(2.0 KB a sample so far)");
    }
}

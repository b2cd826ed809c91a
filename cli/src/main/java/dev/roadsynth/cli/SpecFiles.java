package dev.roadsynth.cli;

import dev.roadsynth.augment.AugmentSpecException;
import dev.roadsynth.augment.Pipeline;
import dev.roadsynth.augment.Pipelines;
import dev.roadsynth.core.spec.SpecException;
import dev.roadsynth.scenes.SceneSpecException;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Scene files and augmentation pipeline files as the commands read them: a file of the one kind given where the
 * other goes (both are YAML mappings) is refused in one line saying what it is and where it goes, instead of a line
 * for every key the wrong kind does not know.
 */
final class SpecFiles {
    private SpecFiles() {
    }

    /** The scene file or preset {@code f}; {@code pipelineGoes} says where a pipeline file goes instead. */
    static SceneSpec scene(String f, String pipelineGoes) {
        try {
            return SceneSpecs.resolve(f);
        } catch (SceneSpecException e) {
            throw new SceneSpecException(withMixUp(e, f, false, pipelineGoes), e);
        }
    }

    /**
     * Whether the argument {@code f}, where a scene file or preset goes, names a dataset's folder instead (preview and
     * validate take both): a folder, unless its name is a preset's, which stays the preset, as generate takes it
     * ({@code ./highway} is the folder).
     */
    static boolean isFolder(String f) {
        return !SceneSpecs.namesPreset(f) && Files.isDirectory(Path.of(f));
    }

    /** The pipeline file {@code f}; {@code sceneGoes} says where a scene file goes instead. */
    static Pipeline pipeline(Path f, String sceneGoes) {
        try {
            return Pipelines.load(f);
        } catch (AugmentSpecException e) {
            throw new AugmentSpecException(withMixUp(e, f.toString(), true, sceneGoes), e);
        }
    }

    /** Whether {@code f} is a valid augmentation pipeline file ({@code asPipeline}) or scene file. */
    static boolean isValid(String f, boolean asPipeline) {
        try {
            if (!asPipeline) {
                SceneSpecs.resolve(f);
            } else if (Files.isRegularFile(Path.of(f))) {
                Pipelines.load(Path.of(f));
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code e}'s problems with {@code f}, checked as a pipeline file ({@code checkedAsPipeline}) or scene file; or,
     * where {@code f} is a valid file of the other kind, one line saying so and then {@code otherwise} (where it goes).
     */
    static List<String> withMixUp(SpecException e, String f, boolean checkedAsPipeline, String otherwise) {
        if (isValid(f, !checkedAsPipeline)) {
            return List.of(f + ": " + (checkedAsPipeline ? "a scene file, not an augmentation pipeline file"
                    : "an augmentation pipeline file, not a scene file") + "; " + otherwise);
        }
        return e.problems();
    }
}

package dev.roadsynth.renderer;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test needs to start another JVM on the classes it runs with: under Maven the class path is
 * {@code java.class.path}; under the JUnit console launcher (the GPU machine's bundle, gpu-env.sh) the test classes
 * come from a class loader of the launcher's, whose entries are added here.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The java command of this JVM. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A class path for the other JVM: this JVM's, and the context class loader's entries where it has its own. */
    static String classPath() {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path")));
        if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader) {
            for (URL u : loader.getURLs()) {
                try {
                    entries.add(Path.of(u.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: nothing another JVM could load from
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}

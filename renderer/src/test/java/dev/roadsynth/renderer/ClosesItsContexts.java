package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Each test class of this module (registered for all of them through JUnit's extension auto-detection,
 * src/test/resources) must close every EGL context it opens: a renderer left open keeps its context and display
 * alive to the end of the JVM, and NVIDIA's EGL is known to abort processes that exit so (the suite's JVM ended in
 * SIGABRT there in session 15, when four such contexts were left). Compares the contexts open before the class's
 * first {@code @BeforeAll} with those open after its last {@code @AfterAll}, so that only the class that leaked fails.
 */
public final class ClosesItsContexts implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace HERE = ExtensionContext.Namespace.create(ClosesItsContexts.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(HERE).put("before", EglContext.openContexts());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int before = context.getStore(HERE).get("before", Integer.class);
        assertThat(EglContext.openContexts())
                .as("EGL contexts open after %s's tests, against %d before them (close every renderer it opens)",
                        context.getDisplayName(), before)
                .isEqualTo(before);
    }
}

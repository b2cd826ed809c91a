package dev.roadsynth.renderer;

import org.lwjgl.system.linux.DynamicLinkLoader;

/** The C library's functions that Java does not offer (thread priorities, the process's environment). */
final class Libc {
    private Libc() {
    }

    /** The address of libc's function {@code name}, or 0 where it is missing (not Linux with glibc). */
    static long function(String name) {
        long libc = DynamicLinkLoader.dlopen("libc.so.6", DynamicLinkLoader.RTLD_LAZY);
        return libc == 0 ? 0 : DynamicLinkLoader.dlsym(libc, name);
    }
}

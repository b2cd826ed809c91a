package dev.roadsynth.cli;

import dev.roadsynth.renderer.Renderer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "devices", mixinStandardHelpOptions = true,
        header = "List the EGL devices and open the one --gpu selects.", description = {
        "Prints a line per EGL device (its index for --gpu N, name and kind), then",
        "what --gpu selects renders with: device, OpenGL version, depth and read format."},
        footer = {"%nExample:%n  roadsynth devices --gpu software"})
final class DevicesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (String d : Renderer.devices()) {
            out.println(d);
        }
        try (Renderer r = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(r)) {
            out.println("--gpu " + common.gpu + " renders with: " + r.description());
            if (r.softwareNote() != null) {
                out.println("note: " + r.softwareNote());
            }
        }
        return Main.EXIT_OK;
    }
}

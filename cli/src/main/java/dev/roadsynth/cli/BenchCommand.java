package dev.roadsynth.cli;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.io.PngEncoder;
import dev.roadsynth.generate.Generation;
import dev.roadsynth.generate.Plan;
import dev.roadsynth.generate.PlanException;
import dev.roadsynth.generate.ProcessUsage;
import dev.roadsynth.generate.StepTimes;
import dev.roadsynth.renderer.Outputs;
import dev.roadsynth.renderer.RenderTimes;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.BoxField;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure render, scene, PNG or encode-only throughput.", description = {
        "--mode render: render plus readback of all targets (RGB, class ids, instance",
        "ids, depth) in frames/s; scenes are generated before timing. --mode scenes:",
        "scene generation from the presets in scenes/s. Each figure is the best of",
        "--runs runs after --warmup frames (or scenes)."},
        footer = {"%nExamples:%n  roadsynth bench --objects 200 --sizes 1024x512,2048x1024 --frames 200 --runs 5",
                "  roadsynth bench --scene urban-intersection --sizes 1024x512",
                "  roadsynth bench --scene urban-intersection --sizes 1024x512 --coverage",
                "  roadsynth bench --scene urban-intersection --sizes 1024x512 --no-depth",
                "  roadsynth bench --mode scenes --frames 500",
                "  roadsynth bench --mode png --sizes 1024x512 --frames 20 --runs 3 --warmup 5",
                "  roadsynth bench --mode encode --formats cityscapes --sizes 1024x512 \\",
                "      --frames 40 --runs 3"})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--mode", defaultValue = "render", description = "render, scenes, png or encode. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--scene", description = "Render mode: a scene file or preset instead of the box field (--objects is then ignored).")
    String scene;

    @Option(names = "--coverage", description = "Render mode: the pipelined rows also run the amodal coverage passes, as "
            + "generate does for COCO and KITTI (-Droadsynth.coverage=queries counts with occlusion queries).")
    boolean coverage;

    @Option(names = "--no-depth", description = "Render mode: the pipelined rows neither draw nor read back the depth "
            + "plane, as generate renders when none of its formats reads depth (raw, depth and depth-png do).")
    boolean noDepth;

    @Option(names = "--formats", defaultValue = "cityscapes", split = ",",
            description = "Encode mode: the generate formats to write. Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    @Option(names = "--threads", description = "Encode mode: writer threads. Default: the number of cores.")
    Integer threads;

    /** Encode mode's frames rendered up front unless --distinct says otherwise (the floor's figures before it). */
    private static final int DEFAULT_DISTINCT = 8;

    @Option(names = "--distinct", defaultValue = "" + DEFAULT_DISTINCT, description = "Encode mode: distinct frames rendered up front and"
            + " cycled; many (64: about 480 MB at 1024x512) keep each sample's planes out of the CPU's caches, as"
            + " generate's fresh frames are. Default: ${DEFAULT-VALUE}.")
    int distinct;

    @Option(names = "--objects", defaultValue = "200", description = "Boxes per scene. Default: ${DEFAULT-VALUE}.")
    int objects;

    @Option(names = "--sizes", defaultValue = "1024x512,2048x1024", split = ",",
            description = "Image sizes. Default: ${DEFAULT-VALUE}.")
    List<String> sizes;

    @Option(names = "--frames", defaultValue = "100", description = "Frames per timed run. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs; the best is reported. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed frames first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** --scene read (null without one), in {@link #call} before anything runs. */
    private SceneSpec sceneFile;

    /** --scene's scene, else the default preset, at {@code size}. */
    private SceneSpec sceneOrDefault(Size size) {
        return (sceneFile == null ? SceneSpecs.preset("urban-intersection") : sceneFile)
                .withResolution(size.width(), size.height());
    }

    @Override
    public Integer call() {
        if (objects < 0 || frames < 1 || runs < 1 || warmup < 0 || distinct < 1) {
            throw new IllegalArgumentException("--objects >= 0, --frames >= 1, --runs >= 1, --warmup >= 0 and"
                    + " --distinct >= 1 are required");
        }
        // All sizes checked before any run: a bad one fails at once, not after the good ones' minutes of benchmarks.
        boolean boxField = mode.equals("render") && scene == null;
        List<Size> sizeList = sizes.stream()
                .map(sz -> boxField ? Size.parseForRenderer("--sizes", sz) : Size.parse("--sizes", sz)).toList();
        // The scene file and the formats too, before a renderer is opened.
        sceneFile = scene == null ? null : SpecFiles.scene(scene, "bench takes scene files and presets");
        if (mode.equals("encode")) {
            try { // the plan's rules on formats (known ones, not both depths, the scene's class ids in cityscapes)
                encodePlan(sizeList.get(0), Path.of("."));
            } catch (PlanException e) {
                throw new IllegalArgumentException("--formats: " + e.detail(), e);
            }
        }
        var out = spec.commandLine().getOut();
        if (mode.equals("scenes")) {
            return scenes(out);
        }
        if (mode.equals("png")) {
            return png(out, sizeList);
        }
        if (mode.equals("encode")) {
            return encode(out, sizeList);
        }
        if (!mode.equals("render")) {
            throw new IllegalArgumentException("--mode: '" + mode + "' is not valid; allowed: render, scenes, png, encode");
        }
        try (Renderer renderer = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(renderer)) {
            out.println("device: " + renderer.description());
            out.printf("%-10s %-16s %8s %10s %10s%n", "size", "mode", "objects", "frames/s", "ms/frame");
            Outputs outputs = new Outputs(!noDepth, coverage);
            for (Size size : sizeList) {
                SceneSpec file = sceneFile == null ? null : sceneOrDefault(size);
                List<Scene> scenes = IntStream.range(0, 8)
                        .mapToObj(i -> file == null ? BoxField.generate(i, objects, size.width(), size.height())
                                : SceneGenerator.generate(file, i)).toList();
                for (boolean pipelined : new boolean[] {true, false}) {
                    run(renderer, scenes, warmup, pipelined, new RenderTimes(), outputs);
                    double best = Double.MAX_VALUE;
                    RenderTimes bestTimes = null;
                    for (int r = 0; r < runs; r++) {
                        RenderTimes times = new RenderTimes();
                        double secs = run(renderer, scenes, frames, pipelined, times, outputs);
                        if (secs < best) {
                            best = secs;
                            bestTimes = times;
                        }
                    }
                    double ms = best * 1e3 / frames;
                    out.printf("%-10s %-16s %8d %10.1f %10.3f%n", size,
                            pipelined ? (coverage ? "pipe+cover" : "pipelined") + (noDepth ? "-depth" : "") : "single",
                            scenes.get(0).objects().size(), 1e3 / ms, ms);
                    if (pipelined && bestTimes != null) {
                        // The same breakdown as generate's, without writers: compare the two to see what load costs.
                        out.println("           render thread: " + bestTimes.summary());
                        out.println("           GPU timeline: " + bestTimes.gpuSummary());
                    }
                    out.flush();
                }
            }
        }
        return Main.EXIT_OK;
    }

    /** What encode mode writes for each run at {@code size}: --frames samples of the scene in --formats into {@code dir}. */
    private Plan encodePlan(Size size, Path dir) {
        return Plan.builder(List.of(sceneOrDefault(size)), frames, dir).formats(formats)
                .version(Main.version()).build();
    }

    /**
     * The encode-only floor of generate: --distinct frames of the scene (--scene, default urban-intersection) rendered
     * once, then --frames samples annotated, encoded, written and hashed from them (cycled) on --threads threads,
     * exactly as generate does, into a temporary directory. Rendering is excluded.
     */
    private int encode(java.io.PrintWriter out, List<Size> sizeList) {
        int t = Pools.threads(threads);
        try (Renderer renderer = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(renderer)) {
            for (Size size : sizeList) {
                SceneSpec file = sceneOrDefault(size);
                List<dev.roadsynth.renderer.Rendered> rendered = new ArrayList<>();
                renderer.renderEach(IntStream.range(0, distinct).mapToObj(i -> SceneGenerator.generate(file, i)).iterator(),
                        Generation.outputs(encodePlan(size, Path.of("."))), rendered::add);
                double best = Double.MAX_VALUE;
                ProcessUsage bestUsage = null;
                StepTimes bestSteps = null;
                for (int r = 0; r < runs; r++) {
                    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("roadsynth-encode");
                    try {
                        ProcessUsage before = ProcessUsage.now();
                        long t0 = System.nanoTime();
                        StepTimes steps = Generation.encodeOnly(encodePlan(size, dir), rendered, renderer.identity(), t);
                        double wall = (System.nanoTime() - t0) / 1e9;
                        if (wall < best) {
                            best = wall;
                            bestUsage = ProcessUsage.now().minus(before);
                            bestSteps = steps;
                        }
                    } finally {
                        dev.roadsynth.core.io.FileTrees.delete(dir);
                    }
                }
                out.printf("%-10s formats %-32s threads %2d: %8.1f samples/s (encode only, best of %d x %d%s)%n", size,
                        String.join(",", formats), t, frames / best, runs, frames,
                        distinct == DEFAULT_DISTINCT ? "" : ", " + distinct + " distinct frames");
                // Whether the threads were busy, and what the collector cost: where a floor scales badly with
                // threads, this tells waiting (I/O, locks) from working.
                out.printf("%-10s   that run: CPU %.1f ms/sample (%.1f of %d cores busy), %d collections, %d ms%n", "",
                        bestUsage.cpuNanos() / 1e6 / frames, bestUsage.cpuNanos() / 1e9 / best,
                        Runtime.getRuntime().availableProcessors(), bestUsage.collections(), bestUsage.gcMillis());
                // Which step takes it (the writer threads' own CPU; the rest is the committing thread, the JVM's
                // threads and the kernel's work beyond the system calls), to compare machines step by step.
                out.printf("%-10s   writer threads' CPU per sample, ms: %s%n", "", bestSteps.perSample(frames));
                out.flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Main.EXIT_OK;
    }

    /**
     * PNG encoding of one rendered frame (the urban-intersection preset, or --scene) at each --sizes, one thread:
     * ImageIO's writer beside roadsynth's encoder at several levels and filters.
     */
    private int png(java.io.PrintWriter out, List<Size> sizeList) {
        out.printf("%-10s %-8s %-28s %10s %10s%n", "size", "image", "encoder", "ms/image", "KiB");
        try (Renderer renderer = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(renderer)) {
            for (Size size : sizeList) {
                SceneSpec file = sceneOrDefault(size);
                Frame f = renderer.render(SceneGenerator.generate(file, 1));
                byte[] rgb = f.rgb().toArray();
                int[] ids = f.semantic().toArray();
                int w = f.width();
                int h = f.height();
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
                byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < rgb.length; i += 3) {
                    bgr[i] = rgb[i + 2];
                    bgr[i + 1] = rgb[i + 1];
                    bgr[i + 2] = rgb[i];
                }
                java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                byte[] g = ((java.awt.image.DataBufferByte) grey.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < ids.length; i++) {
                    g[i] = (byte) ids[i];
                }
                for (boolean colour : new boolean[] {true, false}) {
                    String what = colour ? "rgb" : "labelIds";
                    java.awt.image.BufferedImage src = colour ? img : grey;
                    pngRow(out, size, what, "ImageIO", o -> javax.imageio.ImageIO.write(src, "png", o));
                    List<PngEncoder> encoders = new ArrayList<>();
                    for (var filter : PngEncoder.Filter.values()) {
                        encoders.add(new PngEncoder(1, filter, PngEncoder.Deflate.RUNS));
                    }
                    for (int level : new int[] {1, 6}) {
                        for (var filter : PngEncoder.Filter.values()) {
                            encoders.add(new PngEncoder(level, filter));
                        }
                    }
                    for (PngEncoder enc : encoders) {
                        String name = enc.deflate() == PngEncoder.Deflate.RUNS
                                ? "roadsynth runs " + enc.filter() : "roadsynth zlib " + enc.level() + " " + enc.filter();
                        pngRow(out, size, what, name, o -> {
                            if (colour) {
                                enc.writeRgb(o, w, h, rgb);
                            } else {
                                enc.writeGray8(o, w, h, ids);
                            }
                        });
                    }
                }
            }
        }
        return Main.EXIT_OK;
    }

    private void pngRow(java.io.PrintWriter out, Size size, String what, String encoder,
                        dev.roadsynth.core.io.AtomicFiles.Content write) {
        try {
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(1 << 20);
            for (int i = 0; i < warmup; i++) {
                buf.reset();
                write.writeTo(buf);
            }
            double best = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    buf.reset();
                    write.writeTo(buf);
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e6 / frames);
            }
            out.printf("%-10s %-8s %-28s %10.2f %10d%n", size, what, encoder, best, buf.size() / 1024);
            out.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int scenes(java.io.PrintWriter out) {
        out.printf("%-20s %10s %10s %10s %12s%n", "preset", "scenes/s", "ms/scene", "objects", "triangles");
        for (String preset : SceneSpecs.PRESETS) {
            SceneSpec sceneSpec = SceneSpecs.preset(preset);
            long[] sink = {0, 0};
            for (int i = 0; i < warmup; i++) {
                sink[0] += SceneGenerator.generate(sceneSpec, i).objects().size();
            }
            double best = Double.MAX_VALUE;
            for (int r = 0; r < runs; r++) {
                sink[0] = 0;
                sink[1] = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    Scene s = SceneGenerator.generate(sceneSpec, 1000L * r + i);
                    sink[0] += s.objects().size();
                    sink[1] += s.triangleCount();
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            double ms = best * 1e3 / frames;
            out.printf("%-20s %10.1f %10.3f %10d %12d%n", preset, 1e3 / ms, ms, sink[0] / frames, sink[1] / frames);
            out.flush();
        }
        return Main.EXIT_OK;
    }

    /**
     * Seconds for {@code n} frames; a checksum of every frame keeps the copies from being optimised away. The
     * pipelined frames come with what {@code outputs} asks for (the single frames always with depth, never with
     * coverage).
     */
    private static double run(Renderer renderer, List<Scene> scenes, int n, boolean pipelined, RenderTimes times,
                              Outputs outputs) {
        long[] sum = {0};
        List<Scene> seq = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            seq.add(scenes.get(i % scenes.size()));
        }
        long t0 = System.nanoTime();
        if (pipelined) {
            Iterator<Scene> it = seq.iterator();
            // Frames handed back as generate hands them back, so that their arrays are reused as there.
            renderer.renderEach(it, outputs, r -> {
                sum[0] += r.frame().instance().get(r.frame().width() / 2, r.frame().height() / 2) + r.coverage().size();
                renderer.recycle(r.frame());
            }, times);
        } else {
            for (Scene s : seq) {
                Frame f = renderer.render(s);
                sum[0] += f.instance().get(f.width() / 2, f.height() / 2);
                renderer.recycle(f);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (sum[0] == Long.MIN_VALUE) {
            System.out.print("");
        }
        return secs;
    }
}

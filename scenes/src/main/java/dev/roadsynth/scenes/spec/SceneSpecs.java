package dev.roadsynth.scenes.spec;

import dev.roadsynth.core.spec.Dist;
import dev.roadsynth.core.spec.Node;
import dev.roadsynth.core.spec.Problems;
import dev.roadsynth.core.spec.Section;
import dev.roadsynth.core.spec.YamlTree;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.LabelSetException;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.scenes.SceneSpecException;
import dev.roadsynth.scenes.spec.SceneSpec.AttachedObjects;
import dev.roadsynth.scenes.spec.SceneSpec.BillboardPerson;
import dev.roadsynth.scenes.spec.SceneSpec.LineStyle;
import dev.roadsynth.scenes.spec.SceneSpec.RoadLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads scene files and the built-in presets into validated {@link SceneSpec}s. */
public final class SceneSpecs {
    /**
     * The least spacing of poles, street lights and trees other than 0 (none), in metres: closer, a row of them is
     * a wall, and a few millimetres would be millions of objects.
     */
    static final double MIN_SPACING = 2;

    /** The built-in presets, each a resource {@code presets/NAME.yaml}. */
    public static final List<String> PRESETS = List.of("urban-intersection", "suburban-street", "highway");

    /** Object kinds the generator makes, with their default Cityscapes class names. */
    public static final Map<String, String> DEFAULT_CLASSES = defaults();

    public static final int MAX_SIZE = 8192;
    /** The smallest image side a scene file (or --size) may ask for, in pixels. */
    public static final int MIN_SIZE = 16;

    private SceneSpecs() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("road", "road");
        m.put("lane marking", "road");
        m.put("crosswalk", "road");
        m.put("parking", "parking");
        m.put("sidewalk", "sidewalk");
        m.put("verge", "terrain");
        m.put("building", "building");
        m.put("fence", "fence");
        m.put("wall", "wall");
        m.put("guard rail", "guard rail");
        m.put("pole", "pole");
        m.put("street light", "pole");
        m.put("traffic light", "traffic light");
        m.put("traffic sign", "traffic sign");
        m.put("billboard", "static");
        m.put("tree", "vegetation");
        m.put("bush", "vegetation");
        m.put("car", "car");
        m.put("truck", "truck");
        m.put("bus", "bus");
        m.put("motorcycle", "motorcycle");
        m.put("bicycle", "bicycle");
        m.put("rider", "rider");
        m.put("pedestrian", "person");
        m.put("stroller", "dynamic");
        m.put("wheelchair", "dynamic");
        m.put("ego vehicle", "ego vehicle");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Loads and validates a scene file (YAML or JSON).
     *
     * @throws SceneSpecException listing every problem as {@code file:line:column: field: message}
     */
    public static SceneSpec load(Path file) {
        String text = YamlTree.read(file, "scene files", SceneSpecException::new);
        return parse(new StringReader(text), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * A scene by reference: {@code preset:NAME} or a bare preset name for a built-in preset, else a file path.
     */
    public static SceneSpec resolve(String reference) {
        String name = reference.startsWith("preset:") ? reference.substring("preset:".length()) : reference;
        if (namesPreset(reference)) {
            return preset(name);
        }
        Path p = Path.of(reference);
        if (!Files.exists(p)) {
            throw new SceneSpecException(List.of(reference + ": no such file, and not a preset (" + String.join(", ", PRESETS) + ")"
                    + Section.suggest(name, PRESETS)));
        }
        return load(p);
    }

    /**
     * Whether {@link #resolve} takes {@code reference} for a preset ({@code preset:NAME}, or a bare preset name),
     * whatever files or folders have that name.
     */
    public static boolean namesPreset(String reference) {
        return reference.startsWith("preset:") || PRESETS.contains(reference);
    }

    /** A built-in preset by name. */
    public static SceneSpec preset(String name) {
        if (!PRESETS.contains(name)) {
            throw new SceneSpecException(List.of("preset '" + name + "' does not exist" + Section.suggest(name, PRESETS)
                    + "; presets: " + String.join(", ", PRESETS)));
        }
        try (InputStream in = SceneSpecs.class.getResourceAsStream("presets/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("preset resource presets/" + name + ".yaml is missing from the jar");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "preset:" + name, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Parses and validates scene text.
     *
     * @param source  name for messages
     * @param baseDir where relative paths in the file (a label table) resolve; null for none
     */
    public static SceneSpec parse(Reader text, String source, Path baseDir) {
        String content;
        try {
            StringWriter all = new StringWriter();
            text.transferTo(all);
            content = all.toString();
        } catch (IOException e) {
            throw new SceneSpecException(List.of(source + ": cannot be read (" + e.getMessage() + ")"));
        }
        Node root = YamlTree.parse(new StringReader(content), source, SceneSpecException::new);
        Problems problems = new Problems(source, SceneSpecException::new);
        Section doc = Section.root(problems, root, "scene settings");
        doc.integer("version", 1, 1, 1); // the format's version; only 1 exists
        String name = doc.string("name", source);
        SceneSpec.Labels labels = labels(doc.section("labels"), problems, baseDir);
        SceneSpec.Road road = road(doc.section("road"));
        SceneSpec.Statics statics = statics(doc.section("static"));
        SceneSpec.Vehicles vehicles = vehicles(doc.section("vehicles"));
        SceneSpec.Pedestrians pedestrians = pedestrians(doc.section("pedestrians"));
        SceneSpec.CameraSpec camera = camera(doc.section("camera"));
        SceneSpec.Environment env = environment(doc.section("environment"));
        doc.finish();
        problems.throwIfAny();
        return new SceneSpec(source, name, labels, road, statics, vehicles, pedestrians, camera, env,
                Manifest.sha256(content.getBytes(StandardCharsets.UTF_8), labels.set().toJson())); // see SceneSpec#digest
    }

    private static SceneSpec.Labels labels(Section s, Problems problems, Path baseDir) {
        String setName = s.string("set", "cityscapes");
        LabelSet set = LabelSet.cityscapes();
        // Where the named table cannot be read, class names are not checked against another: every name would be
        // "not a class of the label set", a screenful of problems that the one about the table explains.
        boolean setRead = true;
        if (!setName.equals("cityscapes")) {
            Path p = baseDir == null ? Path.of(setName) : baseDir.resolve(setName);
            try {
                set = LabelSet.load(p);
            } catch (LabelSetException e) {
                s.problem("set", "'" + setName + "' is not a usable label table (" + e.getMessage()
                        + "); allowed: cityscapes or a path to a YAML/JSON label table");
                setRead = false;
            }
        }
        // The table's class names, for suggestions (ignoring classes below changes their train ids, not their names).
        java.util.Set<String> names = new java.util.LinkedHashSet<>(set.labels().stream().map(l -> l.name()).toList());
        // Classes to ignore in training and evaluation: trainId 255 and ignoreInEval, ids unchanged.
        List<Node.ScalarNode> ignore = s.stringList("ignore");
        if (!ignore.isEmpty()) {
            java.util.Set<String> ignored = new java.util.HashSet<>();
            for (Node.ScalarNode n : ignore) {
                String name = (String) n.value();
                if (names.contains(name)) {
                    ignored.add(name);
                } else if (setRead) {
                    problems.add(n, "labels.ignore", "'" + name + "' is not a class of the label set" + Section.suggest(name, names));
                }
            }
            set = LabelSet.of(set.labels().stream().map(l -> ignored.contains(l.name())
                    ? new dev.roadsynth.core.Label(l.name(), l.id(), dev.roadsynth.core.Label.IGNORE_TRAIN_ID, l.category(),
                            l.hasInstances(), true, l.color())
                    : l).toList());
        }
        Map<String, Node.ScalarNode> overrides = s.stringMap("classes");
        Map<String, Integer> classOfKind = new LinkedHashMap<>();
        List<String> unmapped = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : DEFAULT_CLASSES.entrySet()) {
            if (!overrides.containsKey(e.getKey())) {
                if (set.labels().stream().anyMatch(l -> l.name().equals(e.getValue()))) {
                    classOfKind.put(e.getKey(), set.id(e.getValue()));
                } else {
                    unmapped.add(e.getKey() + " (default class '" + e.getValue() + "')");
                }
            }
        }
        if (!unmapped.isEmpty() && setRead) {
            s.problem("classes", "the label set lacks the default classes of these kinds; map each to a class of the set: "
                    + String.join(", ", unmapped));
        }
        for (Map.Entry<String, Node.ScalarNode> e : overrides.entrySet()) {
            String kind = e.getKey();
            String cls = (String) e.getValue().value();
            if (!DEFAULT_CLASSES.containsKey(kind)) {
                problems.add(e.getValue(), "labels.classes." + kind, "unknown object kind"
                        + Section.suggest(kind, DEFAULT_CLASSES.keySet()) + "; kinds: " + String.join(", ", DEFAULT_CLASSES.keySet()));
                continue;
            }
            try {
                classOfKind.put(kind, set.id(cls));
            } catch (LabelSetException ex) {
                if (!setRead) {
                    continue;
                }
                problems.add(e.getValue(), "labels.classes." + kind, "'" + cls + "' is not a class of the label set"
                        + Section.suggest(cls, names));
            }
        }
        String background = s.string("background", "sky");
        int backgroundId = 0;
        try {
            backgroundId = set.id(background);
        } catch (LabelSetException e) {
            if (setRead) {
                s.problem("background", "'" + background + "' is not a class of the label set"
                        + Section.suggest(background, names));
            }
        }
        BillboardPerson bp = s.fixedOption("billboardPerson", BillboardPerson.BILLBOARD,
                Map.of("person", BillboardPerson.PERSON, "billboard", BillboardPerson.BILLBOARD));
        AttachedObjects ao = s.fixedOption("attachedObjects", AttachedObjects.JOIN,
                Map.of("join", AttachedObjects.JOIN, "own-class", AttachedObjects.OWN_CLASS));
        s.finish();
        return new SceneSpec.Labels(set, classOfKind, backgroundId, bp, ao);
    }

    private static SceneSpec.Road road(Section s) {
        Map<String, RoadLayout> layouts = new LinkedHashMap<>();
        layouts.put("straight", RoadLayout.STRAIGHT);
        layouts.put("curved", RoadLayout.CURVED);
        layouts.put("t-intersection", RoadLayout.T_INTERSECTION);
        layouts.put("four-way", RoadLayout.FOUR_WAY);
        Map<String, LineStyle> styles = new LinkedHashMap<>();
        styles.put("solid", LineStyle.SOLID);
        styles.put("dashed", LineStyle.DASHED);
        styles.put("double", LineStyle.DOUBLE);
        styles.put("none", LineStyle.NONE);
        var layout = s.option("layout", RoadLayout.STRAIGHT, layouts);
        var length = s.number("length", Dist.of(200.0), 50, 1000, "m");
        var curvature = s.number("curvature", Dist.of(0.0), -0.02, 0.02, "1/m");
        var lanes = s.integer("lanesPerDirection", 2, 1, 4);
        var laneWidth = s.number("laneWidth", Dist.of(3.5), 2.5, 4.5, "m");
        var sidewalk = s.number("sidewalkWidth", Dist.of(3.5), 0, 10, "m");
        var curb = s.number("curbHeight", Dist.of(0.15), 0, 0.4, "m");
        var verge = s.number("vergeWidth", Dist.of(0.0), 0, 30, "m");
        var centre = s.option("centreLine", LineStyle.DOUBLE, styles);
        var laneLines = s.option("laneLines", LineStyle.DASHED, styles);
        var stopLines = s.bool("stopLines", true);
        var crosswalks = s.bool("crosswalks", true);
        Section parking = s.section("parking");
        SceneSpec.Road r = new SceneSpec.Road(layout, length, curvature, lanes, laneWidth, sidewalk, curb, verge,
                centre, laneLines, stopLines, crosswalks,
                parking.number("probability", Dist.of(0.0), 0, 1, ""),
                parking.number("occupancy", Dist.of(0.6), 0, 1, ""));
        parking.finish();
        s.finish();
        return r;
    }

    private static SceneSpec.Statics statics(Section s) {
        Section b = s.section("buildings");
        SceneSpec.Buildings buildings = new SceneSpec.Buildings(
                b.number("probability", Dist.of(0.85), 0, 1, ""),
                b.number("height", new Dist.Uniform(8, 30), 3, 150, "m"),
                b.number("depth", new Dist.Uniform(8, 15), 3, 50, "m"),
                b.number("width", new Dist.Uniform(8, 25), 3, 100, "m"),
                b.colour("facade", new Dist.Choice<>(List.of(new Rgb(150, 140, 125), new Rgb(175, 160, 140),
                        new Rgb(120, 115, 110), new Rgb(160, 110, 90), new Rgb(200, 195, 185)), List.of(1.0, 1.0, 1.0, 1.0, 1.0))),
                b.bool("windows", true));
        b.finish();
        Section bb = s.section("billboards");
        SceneSpec.Billboards billboards = new SceneSpec.Billboards(bb.integer("count", 0, 0, 20),
                bb.number("personProbability", Dist.of(0.5), 0, 1, ""));
        bb.finish();
        SceneSpec.Statics st = new SceneSpec.Statics(buildings,
                s.numberOrNone("poleSpacing", Dist.of(40.0), MIN_SPACING, 500, "m"),
                s.numberOrNone("streetLightSpacing", Dist.of(30.0), MIN_SPACING, 500, "m"),
                s.numberOrNone("treeSpacing", Dist.of(20.0), MIN_SPACING, 500, "m"),
                s.integer("bushes", 10, 0, 300),
                s.integer("trafficSigns", 4, 0, 50),
                s.bool("trafficLights", true),
                billboards,
                s.number("fenceProbability", Dist.of(0.3), 0, 1, ""),
                s.number("wallProbability", Dist.of(0.1), 0, 1, ""),
                s.bool("guardRails", false));
        s.finish();
        return st;
    }

    private static SceneSpec.Vehicles vehicles(Section s) {
        SceneSpec.Vehicles v = new SceneSpec.Vehicles(
                s.integer("cars", 8, 0, 200),
                s.integer("trucks", 1, 0, 50),
                s.integer("buses", 0, 0, 20),
                s.integer("motorcycles", 1, 0, 50),
                s.integer("bicycles", 1, 0, 50),
                s.colour("colour", new Dist.Choice<>(List.of(new Rgb(180, 20, 20), new Rgb(20, 40, 120), new Rgb(200, 200, 200),
                        new Rgb(30, 30, 30), new Rgb(90, 90, 95), new Rgb(230, 230, 225), new Rgb(20, 90, 50)),
                        List.of(1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0))));
        s.finish();
        return v;
    }

    private static SceneSpec.Pedestrians pedestrians(Section s) {
        SceneSpec.Pedestrians p = new SceneSpec.Pedestrians(
                s.integer("count", 10, 0, 500),
                s.number("height", new Dist.Normal(1.72, 0.09, 1.45, 2.0), 0.8, 2.3, "m"),
                s.number("walking", Dist.of(0.6), 0, 1, ""),
                s.number("onCrosswalk", Dist.of(0.2), 0, 1, ""),
                s.number("strollers", Dist.of(0.05), 0, 1, ""),
                s.number("wheelchairs", Dist.of(0.03), 0, 1, ""),
                s.colour("clothing", new Dist.Choice<>(List.of(new Rgb(200, 50, 50), new Rgb(50, 90, 170), new Rgb(230, 200, 60),
                        new Rgb(240, 240, 240), new Rgb(60, 60, 60), new Rgb(40, 120, 70)), List.of(1.0, 1.0, 1.0, 1.0, 2.0, 1.0))));
        s.finish();
        return p;
    }

    private static SceneSpec.CameraSpec camera(Section s) {
        int width = (int) s.constant("width", 1024, MIN_SIZE, MAX_SIZE, "px");
        int height = (int) s.constant("height", 512, MIN_SIZE, MAX_SIZE, "px");
        boolean focal = s.has("fx") || s.has("fy");
        if (focal && s.has("fov")) {
            s.problem("fov", "give either fov or fx and fy, not both");
        }
        if (s.has("fx") != s.has("fy")) {
            s.problem(s.has("fx") ? "fx" : "fy", "fx and fy go together; give both");
        }
        double near = s.constant("near", 0.1, 0.01, 10, "m");
        double far = s.constant("far", 500, 10, 5000, "m");
        if (far <= near) {
            s.problem("far", far + " must exceed near " + near);
        }
        SceneSpec.CameraSpec c = new SceneSpec.CameraSpec(width, height,
                s.number("fov", Dist.of(75.0), 10, 170, "degrees"),
                focal ? s.number("fx", Dist.of(width / 2.0), 1, 100_000, "px") : null,
                focal ? s.number("fy", Dist.of(width / 2.0), 1, 100_000, "px") : null,
                near, far,
                s.number("mountHeight", Dist.of(1.5), 0.3, 5, "m"),
                s.number("pitch", Dist.of(3.0), -30, 30, "degrees (down positive)"),
                s.number("roll", Dist.of(0.0), -15, 15, "degrees"),
                s.number("yaw", Dist.of(0.0), -45, 45, "degrees from the lane's heading"),
                s.integer("lane", 0, 0, 3),
                s.number("position", Dist.of(0.0), 0, 100, "m along the road"),
                s.bool("hood", false));
        s.finish();
        return c;
    }

    private static SceneSpec.Environment environment(Section s) {
        boolean clock = s.has("timeOfDay");
        if (clock && (s.has("sunElevation") || s.has("sunAzimuth"))) {
            s.problem("timeOfDay", "give either timeOfDay or sunElevation/sunAzimuth, not both");
        }
        Section fog = s.section("fog");
        SceneSpec.Environment e = new SceneSpec.Environment(
                clock ? s.number("timeOfDay", Dist.of(12.0), 0, 24, "hours") : null,
                s.number("sunElevation", new Dist.Uniform(20, 60), -10, 90, "degrees"),
                s.number("sunAzimuth", new Dist.Uniform(0, 360), 0, 360, "degrees"),
                s.number("overcast", Dist.of(0.0), 0, 1, ""),
                s.number("ambient", Dist.of(1.0), 0, 3, "(times the sky's own)"),
                fog.number("density", Dist.of(0.0), 0, 0.2, "1/m"),
                fog.colour("colour", Dist.of(new Rgb(200, 205, 210))),
                s.number("wetness", Dist.of(0.0), 0, 1, ""),
                s.number("rain", Dist.of(0.0), 0, 1, ""),
                s.number("snow", Dist.of(0.0), 0, 1, ""),
                s.bool("shadows", true));
        fog.finish();
        s.finish();
        return e;
    }
}

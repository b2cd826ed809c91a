package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.io.ImageFolder;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderCopiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachCopyDrawsFromItsNamesSeedAndItsManifestLineHashesItsFiles(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Path in = dir.resolve("in");
        ImageFolder.write(frame, in, "street", true, true); // raw arrays: its instance ids pass 16 bits
        ImageFolder.Item item = ImageFolder.list(in).get(0);
        Pipeline pipeline = new Pipeline(SpecAndBoxesTest.SPEC, 0, Pipeline.BoxMode.EXACT, false);
        FolderCopies copies = new FolderCopies(pipeline, in, dir.resolve("out"), "aug.yaml sha256:ab", 3, 17, "test");
        // Copy 1 is done already: only 0 and 2 are made.
        FolderCopies.Result r = copies.augment(item, frame.labels(), Set.of(FolderCopies.key("street", 1))::contains);
        assertThat(r.unreadable()).isNull();
        assertThat(r.lines()).hasSize(2);
        // The seed by its definition: the first 63 bits of the name's SHA-256, then copy k's stream of it.
        byte[] d = MessageDigest.getInstance("SHA-256").digest("street".getBytes(StandardCharsets.UTF_8));
        long nameKey = java.nio.ByteBuffer.wrap(d).getLong() & Long.MAX_VALUE;
        assertThat(FolderCopies.nameKey("street")).isEqualTo(nameKey);
        int[] made = {0, 2};
        for (int i = 0; i < 2; i++) {
            JsonNode line = JSON.readTree(r.lines().get(i));
            int k = made[i];
            long seed = Seeds.forSample(Seeds.forSample(17, nameKey), k);
            assertThat(line.get("name").asText()).isEqualTo("street");
            assertThat(line.get("copy").asInt()).isEqualTo(k);
            assertThat(line.get("seed").asLong()).isEqualTo(seed);
            assertThat(line.get("spec").asText()).isEqualTo("aug.yaml sha256:ab");
            // The parameters drawn from that seed, as the manifest records them.
            AugmentSpec.Params p = SpecAndBoxesTest.SPEC.sample(new SplittableRandom(seed), frame.width(), frame.height());
            assertThat(line.get("augment")).isEqualTo(JSON.readTree(JSON.writeValueAsString(p)));
            for (JsonNode f : line.get("files")) {
                Path file = dir.resolve("out").resolve(f.get("path").asText());
                assertThat(f.get("path").asText()).contains("street_" + k);
                assertThat(f.get("sha256").asText()).isEqualTo(
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                assertThat(Manifest.sha256(file)).isEqualTo(f.get("sha256").asText());
            }
        }
        assertThat(copies.allDone("street", Set.of("street#0", "street#1", "street#2")::contains)).isTrue();
        assertThat(copies.allDone("street", Set.of("street#0", "street#2")::contains)).isFalse();
    }

    /**
     * The inputs a manifest line names are the item's files with the SHA-256 of their bytes, each file read once (the
     * bytes decoded are the bytes hashed): raw arrays with instances and depth, and the plain layout's PNGs with its
     * depth array (without instances: this frame's ids pass 16 bits).
     */
    @Test
    void theInputsAreNamedWithTheHashesOfTheBytesDecoded(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        for (boolean raw : new boolean[] {true, false}) {
            Path in = dir.resolve(raw ? "raw" : "plain");
            ImageFolder.write(frame, in, "street", raw, raw);
            ImageFolder.Item item = ImageFolder.list(in).get(0);
            List<Path> files = FolderCopies.inputFiles(item);
            assertThat(files).hasSize(raw ? 4 : 3); // plain: image, mask and depth array
            List<Path> handed = new ArrayList<>();
            Frame read = ImageFolder.read(item, frame.labels(), (file, bytes) -> {
                handed.add(file);
                try {
                    assertThat(bytes).isEqualTo(Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(handed).containsExactlyInAnyOrderElementsOf(files);
            assertThat(read).isEqualTo(ImageFolder.read(item, frame.labels()));
            FolderCopies copies = new FolderCopies(Pipeline.of(AugmentSpec.NONE), in, dir.resolve("out-" + raw), "s", 1,
                    0, "test");
            JsonNode line = JSON.readTree(copies.augment(item, frame.labels(), k -> false).lines().get(0));
            List<String> named = new ArrayList<>();
            for (JsonNode input : line.get("inputs")) {
                Path file = in.resolve(input.get("path").asText());
                named.add(file.toString());
                assertThat(input.get("sha256").asText()).as(file.toString()).isEqualTo(Manifest.sha256(file));
            }
            assertThat(named).containsExactlyElementsOf(files.stream().map(Path::toString).toList());
        }
    }

    /**
     * A JPEG image with a palette PNG mask (the palette index is the class id), read from the bytes handed over: the
     * decoders ImageIO picks for a file pick the same from memory.
     */
    @Test
    void aJpegImageAndAPaletteMaskAreReadFromTheirBytes(@TempDir Path dir) throws Exception {
        int w = 40;
        int h = 24;
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] grey = new byte[256];
        for (int i = 0; i < 256; i++) {
            grey[i] = (byte) (255 - i); // colours unlike the indices: the ids are the indices, not the colours
        }
        BufferedImage mask = new BufferedImage(w, h,
                BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, grey, grey, grey));
        int[] ids = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = x < w / 2 ? 7 : 26;
                rgb.setRGB(x, y, x * 6 << 16 | y * 10 << 8 | 128);
            }
        }
        mask.getRaster().setSamples(0, 0, w, h, 0, ids);
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("images"));
        Files.createDirectories(in.resolve("masks"));
        assertThat(ImageIO.write(rgb, "jpg", in.resolve("images/a.jpg").toFile())).isTrue();
        assertThat(ImageIO.write(mask, "png", in.resolve("masks/a.png").toFile())).isTrue();
        ImageFolder.Item item = ImageFolder.list(in).get(0);
        List<Path> handed = new ArrayList<>();
        Frame read = ImageFolder.read(item, LabelSet.cityscapes(), (file, bytes) -> handed.add(file));
        assertThat(handed).containsExactly(item.image(), item.classes());
        assertThat(read.width()).isEqualTo(w);
        assertThat(read.height()).isEqualTo(h);
        int[] classes = new int[w * h];
        read.semantic().ids().get(0, classes);
        assertThat(classes).isEqualTo(ids);
        // The JPEG's pixels as ImageIO decodes the file itself.
        BufferedImage fromFile = ImageIO.read(item.image().toFile());
        for (int i = 0; i < w * h; i++) {
            int argb = fromFile.getRGB(i % w, i / w);
            assertThat(read.rgb().rgb(i % w, i / w)).as("pixel " + i).isEqualTo(argb & 0xffffff);
        }
    }

    @Test
    void anUnreadableInputSaysWhyAndWritesNothing(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Path in = dir.resolve("in");
        ImageFolder.write(frame, in, "broken", false);
        ImageFolder.Item item = ImageFolder.list(in).get(0);
        Files.write(item.image(), new byte[] {1, 2, 3});
        FolderCopies copies = new FolderCopies(Pipeline.of(AugmentSpec.NONE), in, dir.resolve("out"), "s", 1, 0, "test");
        FolderCopies.Result r = copies.augment(item, frame.labels(), k -> false);
        assertThat(r.unreadable()).isNotBlank();
        assertThat(r.lines()).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist();
        assertThatThrownBy(() -> new FolderCopies(Pipeline.of(AugmentSpec.NONE), in, dir, "s", 0, 0, "test"))
                .hasMessage("copies: 0 must be at least 1");
        assertThat(List.of(FolderCopies.key("a b", 3))).containsExactly("a b#3");
    }

    @Test
    void eachMaskKeepsItsInputsBitDepthWhateverIdsACopyHolds(@TempDir Path dir) throws Exception {
        int w = 32;
        int h = 16;
        int[] classes = new int[w * h];
        int[] instances = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            classes[i] = i % w < w / 2 ? 7 : 26;
            instances[i] = i % w < w / 2 ? 0 : 3; // small ids, which 8 bits would hold
        }
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Path in = dir.resolve("in");
        for (String d : List.of("images", "masks", "instances")) {
            Files.createDirectories(in.resolve(d));
        }
        // "wide": 16-bit masks; "narrow": 8-bit masks; the same ids in both.
        for (String name : List.of("wide", "narrow")) {
            int type = name.equals("wide") ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY;
            assertThat(ImageIO.write(rgb, "png", in.resolve("images/" + name + ".png").toFile())).isTrue();
            for (String d : List.of("masks", "instances")) {
                BufferedImage mask = new BufferedImage(w, h, type);
                mask.getRaster().setSamples(0, 0, w, h, 0, d.equals("masks") ? classes : instances);
                assertThat(ImageIO.write(mask, "png", in.resolve(d + "/" + name + ".png").toFile())).isTrue();
            }
        }
        Path out = dir.resolve("out");
        // fill 0 first, then a fill an 8-bit mask cannot hold, which widens the class masks of 8-bit inputs.
        for (int fill : new int[] {0, 300}) {
            Pipeline pipeline = new Pipeline(SpecAndBoxesTest.SPEC, fill, Pipeline.BoxMode.EXACT, false);
            FolderCopies copies = new FolderCopies(pipeline, in, out.resolve("fill" + fill), "s", 2, 3, "test");
            for (ImageFolder.Item item : ImageFolder.list(in)) {
                assertThat(copies.augment(item, LabelSet.cityscapes(), k -> false).unreadable()).isNull();
            }
            for (String name : List.of("wide_0", "wide_1", "narrow_0", "narrow_1")) {
                int bits = name.startsWith("wide") ? 16 : 8;
                int classBits = fill > 255 ? 16 : bits;
                Path dirOut = out.resolve("fill" + fill);
                assertThat(pixelSize(dirOut.resolve("masks/" + name + ".png"))).as(name).isEqualTo(classBits);
                assertThat(pixelSize(dirOut.resolve("instances/" + name + ".png"))).as(name).isEqualTo(bits);
            }
        }
        assertThat(ImageFolder.largestSample(Files.readAllBytes(in.resolve("masks/wide.png")))).isEqualTo(65535);
        assertThat(ImageFolder.largestSample(Files.readAllBytes(in.resolve("masks/narrow.png")))).isEqualTo(255);
        assertThat(ImageFolder.largestSample(new byte[] {1, 2, 3})).isZero();
    }

    private static int pixelSize(Path png) throws IOException {
        return ImageIO.read(png.toFile()).getColorModel().getPixelSize();
    }
}

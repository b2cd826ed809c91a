package dev.roadsynth.core.io;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A picture of frames for people to look at: one row per frame with four panels side by side: the RGB image, the
 * class ids in their label-table colours, the instance ids in arbitrary distinct colours (black = none), and depth
 * as grey on a log scale from 1 m (white) to 200 m (black), no depth in dark blue. With annotations, a fifth panel
 * shows what they say over the RGB image ({@link #of(List, List, boolean)}). For eyes only; never decode it.
 */
public final class ContactSheet {
    private static final int GAP = 4;
    /** The 3D boxes' wireframes, and the boxes of objects left out (KITTI's DontCare). */
    static final int BOX3D = 0xffff30;
    static final int IGNORED = 0x909090;

    private ContactSheet() {
    }

    public static BufferedImage of(List<Frame> frames) {
        return sheet(frames, 4);
    }

    /**
     * What a frame's annotations say, for the fifth panel.
     *
     * @param objects    the annotated objects
     * @param ignored    the objects left out while in view (KITTI's DontCare)
     * @param groups     instances annotated as one object as well (a rider and its bicycle: KITTI's Cyclist)
     * @param intrinsics the camera's {fx, fy, cx, cy}, pixels
     */
    public record Annotations(List<ObjectAnnotation> objects, List<ObjectAnnotation> ignored, List<ObjectGroup> groups,
                              double[] intrinsics) {
        public Annotations {
            objects = List.copyOf(objects);
            ignored = List.copyOf(ignored);
            groups = List.copyOf(groups);
            intrinsics = intrinsics.clone();
        }

        @Override
        public double[] intrinsics() {
            return intrinsics.clone();
        }
    }

    /**
     * The four panels of each frame and a fifth with its annotations drawn over its RGB image (dimmed): each
     * annotated object's amodal 2D box in its class's colour, the boxes of the objects left out in grey, and, with
     * {@code threeD}, each 3D box as KITTI's labels have them (a kept group's box in place of its members': a rider
     * and its bicycle in one) with its twelve edges in yellow, projected with the intrinsics as KITTI's devkit
     * projects them (edges reaching behind the camera are left out). Leave 3D boxes out for augmented frames: 2D
     * warps do not move them.
     *
     * @param annotations one per frame
     */
    public static BufferedImage of(List<Frame> frames, List<Annotations> annotations, boolean threeD) {
        if (annotations.size() != frames.size()) {
            throw new IllegalArgumentException("contact sheet: " + frames.size() + " frames, " + annotations.size()
                    + " sets of annotations");
        }
        BufferedImage sheet = sheet(frames, 5);
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        Graphics2D g = sheet.createGraphics();
        try {
            for (int k = 0; k < frames.size(); k++) {
                Annotations s = annotations.get(k);
                Frame f = frames.get(k);
                int left = 4 * (w + GAP);
                int top = k * (h + GAP);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int c = f.rgb().rgb(x, y);
                        sheet.setRGB(left + x, top + y, (c >> 1) & 0x7f7f7f); // half as bright, for the lines
                    }
                }
                g.setClip(left, top, w, h);
                g.translate(left, top);
                g.setStroke(new BasicStroke(1));
                double[] pinhole = s.intrinsics();
                for (ObjectAnnotation a : s.ignored()) {
                    rectangle(g, a.amodalBox(), IGNORED);
                }
                java.util.Set<Integer> grouped = ObjectGroup.memberIds(s.groups());
                for (ObjectGroup group : s.groups()) {
                    if (threeD && group.kept() && group.object().box3d() != null) {
                        wireframe(g, group.object().box3d(), pinhole);
                    }
                }
                for (ObjectAnnotation a : s.objects()) {
                    int colour = f.labels().contains(a.classId()) ? f.labels().byId(a.classId()).color().packed()
                            : 0xff00ff;
                    rectangle(g, a.amodalBox(), colour);
                    if (threeD && a.box3d() != null && !grouped.contains(a.instanceId())) {
                        wireframe(g, a.box3d(), pinhole);
                    }
                }
                g.translate(-left, -top);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /** A box along its pixels' outer edges: the first and last covered columns and rows. */
    private static void rectangle(Graphics2D g, Box2 b, int colour) {
        if (b != null) {
            g.setColor(new Color(colour));
            g.drawRect(b.x0(), b.y0(), b.width() - 1, b.height() - 1);
        }
    }

    /**
     * The eight corners of a KITTI box in camera coordinates, as the devkit's computeBox3D makes them: x, y, z the
     * bottom face's centre, height up (-y), length along x and width along z before the rotation about y.
     */
    static double[][] corners(Box3 b) {
        double[][] out = new double[8][];
        double c = Math.cos(b.rotationY());
        double s = Math.sin(b.rotationY());
        for (int i = 0; i < 8; i++) {
            double x = (i & 1) == 0 ? b.length() / 2 : -b.length() / 2;
            double z = (i & 2) == 0 ? b.width() / 2 : -b.width() / 2;
            double y = (i & 4) == 0 ? 0 : -b.height();
            out[i] = new double[] {c * x + s * z + b.x(), y + b.y(), -s * x + c * z + b.z()};
        }
        return out;
    }

    private static void wireframe(Graphics2D g, Box3 b, double[] k) {
        double[][] p = corners(b);
        g.setColor(new Color(BOX3D));
        for (int i = 0; i < 8; i++) {
            for (int bit = 1; bit < 8; bit <<= 1) {
                int j = i | bit;
                if (j != i && p[i][2] > 0.1 && p[j][2] > 0.1) {
                    // Pixel coordinates with (0, 0) the image's top-left corner, as Java2D's are.
                    g.draw(new Line2D.Double(k[0] * p[i][0] / p[i][2] + k[2], k[1] * p[i][1] / p[i][2] + k[3],
                            k[0] * p[j][0] / p[j][2] + k[2], k[1] * p[j][1] / p[j][2] + k[3]));
                }
            }
        }
    }

    private static BufferedImage sheet(List<Frame> frames, int panels) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("contact sheet: no frames");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        BufferedImage sheet = new BufferedImage(panels * w + (panels - 1) * GAP,
                frames.size() * h + (frames.size() - 1) * GAP, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < frames.size(); k++) {
            Frame f = frames.get(k);
            if (f.width() != w || f.height() != h) {
                throw new IllegalArgumentException("contact sheet: frame " + k + " is " + f.width() + "x" + f.height()
                        + ", the first is " + w + "x" + h);
            }
            int top = k * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    sheet.setRGB(x, top + y, f.rgb().rgb(x, y));
                    int cls = f.semantic().get(x, y);
                    sheet.setRGB(w + GAP + x, top + y, f.labels().contains(cls) ? f.labels().byId(cls).color().packed() : 0xff00ff);
                    sheet.setRGB(2 * (w + GAP) + x, top + y, instanceColour(f.instance().get(x, y)));
                    sheet.setRGB(3 * (w + GAP) + x, top + y,
                            depthGrey(f.hasDepth() ? f.depth().get(x, y) : DepthPlane.NO_DEPTH));
                }
            }
        }
        return sheet;
    }

    /** A bright colour per instance id, the same for the same id everywhere. */
    static int instanceColour(int id) {
        if (id == 0) {
            return 0;
        }
        int z = id * 0x9E3779B9;
        z ^= z >>> 15;
        z *= 0x85EBCA6B;
        z ^= z >>> 13;
        return (z | 0x404040) & 0xffffff;
    }

    static int depthGrey(float metres) {
        if (metres == DepthPlane.NO_DEPTH) {
            return 0x101830;
        }
        double t = Math.log(Math.max(1, metres)) / Math.log(200);
        int g = (int) Math.round(255 * (1 - Math.min(1, t)));
        return (g << 16) | (g << 8) | g;
    }
}

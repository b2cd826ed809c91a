package dev.roadsynth.core.io;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A picture of frames for people to look at: one row per frame with four panels side by side: the RGB image, the
 * class ids in their label-table colours, the instance ids in arbitrary distinct colours (black = none), and depth
 * as grey on a log scale from 1 m (white) to 200 m (black), no depth in dark blue. For eyes only; never decode it.
 */
public final class ContactSheet {
    private static final int GAP = 4;

    private ContactSheet() {
    }

    public static BufferedImage of(List<Frame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("contact sheet: no frames");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        BufferedImage sheet = new BufferedImage(4 * w + 3 * GAP, frames.size() * h + (frames.size() - 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
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

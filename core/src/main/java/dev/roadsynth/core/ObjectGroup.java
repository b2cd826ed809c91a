package dev.roadsynth.core;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Instances annotated together as one object as well as each on its own: a rider and the two-wheeler it rides,
 * which KITTI boxes as one {@code Cyclist} while COCO and Cityscapes keep them apart. As exact as an instance's
 * annotation.
 *
 * @param object  the group as one object: its own id (no instance's), the class and kind that name it; visible pixels
 *                the sum of its members' (they are disjoint in the instance plane) and the visible box around them;
 *                amodal pixels and boxes those of the union of its members' projections, each pixel counted once;
 *                visible fraction, truncation and 3D box those of the whole
 * @param members the members' instance ids, the first naming the group (the rider)
 * @param dropped why the annotation policy left the group out, as it says for an instance; null when it is kept
 */
public record ObjectGroup(ObjectAnnotation object, List<Integer> members, String dropped) {
    public ObjectGroup {
        Objects.requireNonNull(object, "object");
        members = List.copyOf(members);
    }

    /** Whether the annotation policy keeps the group. */
    public boolean kept() {
        return dropped == null;
    }

    /**
     * The instance ids of every member of {@code groups}: the objects that a format labelling groups as one object
     * (KITTI) gives no entry of their own.
     */
    public static Set<Integer> memberIds(List<ObjectGroup> groups) {
        Set<Integer> ids = new HashSet<>();
        groups.forEach(g -> ids.addAll(g.members()));
        return ids;
    }
}

package dev.roadsynth.scenes;

import java.util.List;
import java.util.Objects;

/**
 * Instances that one convention annotates as a single object while others keep them apart: a rider and the
 * two-wheeler it rides, which KITTI boxes together as one {@code Cyclist} (Cityscapes and COCO label the rider and
 * the bicycle each on its own). The members stay instances of their own in the label planes; the group adds an
 * annotation, nothing drawn.
 *
 * @param box     the group as one object: an id of its own, which no object of the scene carries (so that its amodal
 *                coverage can be told from its members'), its kind ("cyclist", "motorcyclist"), the class of its
 *                first member, and the smallest upright box with the first member's heading that encloses every
 *                vertex of every member (world frame, as {@link Instance})
 * @param members the members' instance ids, at least two and distinct; the first names the group (the rider)
 */
public record Group(Instance box, List<Integer> members) {
    public Group {
        Objects.requireNonNull(box, "box");
        members = List.copyOf(members);
        if (members.size() < 2 || members.stream().distinct().count() != members.size() || members.contains(0)) {
            throw new IllegalArgumentException("group " + Integer.toUnsignedString(box.id()) + " (" + box.kind()
                    + "): members " + members + " must be at least two distinct non-zero instance ids");
        }
    }

    /** The group's id (its box's): no object's instance id. */
    public int id() {
        return box.id();
    }
}

package dev.roadsynth.core;

import java.util.Arrays;

/**
 * A map from non-zero int ids (instance ids: unsigned 32-bit, 0 meaning "none") to int values, without boxing:
 * open addressing with linear probing, at most half full. The Cityscapes writer looks ids up per run of pixels; with
 * a {@code TreeMap} and a {@code HashMap<Integer, Integer>} (boxed keys, pointer chasing) its instanceIds rows took
 * 1.48 to 1.56 ms per 1024x512 urban frame, with this map 1.24 to 1.35 (session 18); {@link IdPlane#extents} finds
 * each id's statistics through it too. Not thread-safe.
 */
public final class IdMap {
    /** Slots' keys; 0 marks an empty slot, which is why 0 cannot be a key. */
    private int[] keys = new int[16];
    private int[] values = new int[16];
    private int size;

    /** Maps {@code key} (non-zero) to {@code value} unless it is mapped already; returns whether it was added. */
    public boolean putIfAbsent(int key, int value) {
        if (key == 0) {
            throw new IllegalArgumentException("id 0 cannot be a key");
        }
        int slot = slot(keys, key);
        if (keys[slot] == key) {
            return false;
        }
        keys[slot] = key;
        values[slot] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    /** The value of {@code key}, or {@code absent} if it has none (always for 0). */
    public int get(int key, int absent) {
        if (key == 0) {
            return absent;
        }
        int slot = slot(keys, key);
        return keys[slot] == key ? values[slot] : absent;
    }

    /** The keys, in ascending unsigned order. */
    public int[] keysUnsigned() {
        int[] out = new int[size];
        int n = 0;
        for (int k : keys) {
            if (k != 0) {
                out[n++] = k ^ Integer.MIN_VALUE; // signed order of the flipped keys = unsigned order of the keys
            }
        }
        Arrays.sort(out);
        for (int i = 0; i < n; i++) {
            out[i] ^= Integer.MIN_VALUE;
        }
        return out;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private static int slot(int[] keys, int key) {
        int mask = keys.length - 1;
        int slot = (key * 0x9E3779B9 >>> 16 ^ key) & mask; // Fibonacci hashing: nearby ids spread over the table
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}

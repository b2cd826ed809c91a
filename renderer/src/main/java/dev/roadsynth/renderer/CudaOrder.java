package dev.roadsynth.renderer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order in which {@code --gpu auto} tries the hardware EGL devices: by the CUDA device each one is, where the
 * driver says (NVIDIA's {@code EGL_NV_device_cuda}), so that auto renders on the GPU that CUDA, and so PyTorch's
 * {@code cuda:0}, calls device 0 in this process, and keeps to the GPUs {@code CUDA_VISIBLE_DEVICES} leaves visible.
 *
 * <p>Why: EGL enumerates devices in an order of its own, and {@code CUDA_VISIBLE_DEVICES}, which Slurm sets for each
 * job on a multi-GPU node and users set for each shard, changes CUDA's numbering but not EGL's list; without this,
 * every job on a node would render on EGL's first GPU. The CUDA device an EGL device reports is its ordinal in this
 * process's CUDA numbering (after {@code CUDA_VISIBLE_DEVICES}); a GPU the variable hides reports none.
 *
 * <p>The rule trusts the mapping only where it demonstrably works: at least one device reports an ordinal, and no
 * two report the same one (an old driver was seen to report the same ordinal for several GPUs). Then the devices
 * with ordinals come first, lowest first; with {@code CUDA_VISIBLE_DEVICES} set, devices that could report one but
 * do not are hidden (left out); devices of other kinds (no CUDA mapping at all) follow in EGL's order. Otherwise
 * EGL's order stands, and nothing is hidden.
 */
final class CudaOrder {
    private CudaOrder() {
    }

    /**
     * A hardware EGL device as far as the order goes.
     *
     * @param eglIndex    its index in EGL's device list (what {@code --gpu N} takes)
     * @param cudaCapable whether its driver maps it to CUDA devices ({@code EGL_NV_device_cuda})
     * @param cudaDevice  the CUDA device ordinal it reported in this process, or -1 if it reported none
     */
    record Device(int eglIndex, boolean cudaCapable, int cudaDevice) {
    }

    /**
     * The devices auto tries, in order, and those it leaves out.
     *
     * @param tried  EGL indices, in the order to try them
     * @param hidden EGL indices of the devices {@code CUDA_VISIBLE_DEVICES} hides, ascending
     */
    record Order(List<Integer> tried, List<Integer> hidden) {
        Order {
            tried = List.copyOf(tried);
            hidden = List.copyOf(hidden);
        }

        /**
         * This order with the devices tried begun at the {@code turn mod n}-th of the n (the rest after it, then
         * those before it): process j of {@code generate --processes} takes turn j, so that P processes on G GPUs
         * each render on a GPU of their own while P <= G, and share them evenly past that.
         */
        Order turned(int turn) {
            if (tried.isEmpty()) {
                return this;
            }
            int first = Math.floorMod(turn, tried.size());
            List<Integer> t = new ArrayList<>(tried.subList(first, tried.size()));
            t.addAll(tried.subList(0, first));
            return new Order(t, hidden);
        }
    }

    /**
     * @param hardware              the hardware devices, in EGL's order
     * @param cudaVisibleDevicesSet whether the {@code CUDA_VISIBLE_DEVICES} environment variable is set
     */
    static Order auto(List<Device> hardware, boolean cudaVisibleDevicesSet) {
        List<Integer> eglOrder = hardware.stream().map(Device::eglIndex).toList();
        List<Device> mapped = hardware.stream().filter(d -> d.cudaDevice() >= 0).toList();
        Set<Integer> ordinals = new HashSet<>();
        for (Device d : mapped) {
            if (!ordinals.add(d.cudaDevice())) {
                return new Order(eglOrder, List.of()); // two GPUs claim one ordinal: the mapping says nothing
            }
        }
        if (mapped.isEmpty()) {
            return new Order(eglOrder, List.of());
        }
        List<Integer> tried = new ArrayList<>();
        mapped.stream().sorted(Comparator.comparingInt(Device::cudaDevice)).forEach(d -> tried.add(d.eglIndex()));
        List<Integer> hidden = new ArrayList<>();
        for (Device d : hardware) {
            if (d.cudaCapable() && d.cudaDevice() < 0) {
                (cudaVisibleDevicesSet ? hidden : tried).add(d.eglIndex());
            }
        }
        hardware.stream().filter(d -> !d.cudaCapable()).forEach(d -> tried.add(d.eglIndex()));
        return new Order(tried, hidden);
    }
}

package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.renderer.CudaOrder.Device;
import dev.roadsynth.renderer.CudaOrder.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order auto tries hardware devices in, for the device lists NVIDIA's EGL gives in the situations that matter (a
 * multi-GPU node with and without {@code CUDA_VISIBLE_DEVICES}, an old driver's duplicate ordinals, other vendors).
 * The query itself runs against the real driver: on Mesa (CI) no device is CUDA-capable and EGL's order stands,
 * which every renderer test exercises; on NVIDIA, {@code scripts/gpu-unmap.sh} lists the devices under several
 * values of the variable.
 */
class CudaOrderTest {
    private static Device nvidia(int egl, int cuda) {
        return new Device(egl, true, cuda);
    }

    private static Device other(int egl) {
        return new Device(egl, false, -1);
    }

    @Test
    void aTurnBeginsTheTriedDevicesFurtherOnAndKeepsTheHiddenOnes() {
        Order order = CudaOrder.auto(List.of(nvidia(0, 3), nvidia(1, 2), nvidia(2, -1), nvidia(3, 0), nvidia(4, 1)), true);
        assertThat(order).isEqualTo(new Order(List.of(3, 4, 1, 0), List.of(2)));
        assertThat(order.turned(0)).isEqualTo(order);
        assertThat(order.turned(1)).isEqualTo(new Order(List.of(4, 1, 0, 3), List.of(2)));
        assertThat(order.turned(3)).isEqualTo(new Order(List.of(0, 3, 4, 1), List.of(2)));
        assertThat(order.turned(4)).isEqualTo(order); // processes past the GPUs' number share them in turn
        assertThat(order.turned(6)).isEqualTo(order.turned(2));
        assertThat(new Order(List.of(), List.of(0)).turned(5)).isEqualTo(new Order(List.of(), List.of(0)));
    }

    @Test
    void withoutCudaMappingsEglOrderStands() {
        List<Device> devices = List.of(other(0), other(1));
        assertThat(CudaOrder.auto(devices, false)).isEqualTo(new Order(List.of(0, 1), List.of()));
        assertThat(CudaOrder.auto(devices, true)).isEqualTo(new Order(List.of(0, 1), List.of()));
        assertThat(CudaOrder.auto(List.of(), true)).isEqualTo(new Order(List.of(), List.of()));
    }

    @Test
    void gpusComeInCudaOrderWhereEglListsThemOtherwise() {
        // EGL lists the GPUs in reverse of CUDA's order (seen on some hosts): CUDA device 0 first.
        List<Device> devices = List.of(nvidia(0, 3), nvidia(1, 2), nvidia(2, 1), nvidia(3, 0));
        assertThat(CudaOrder.auto(devices, false).tried()).containsExactly(3, 2, 1, 0);
    }

    @Test
    void cudaVisibleDevicesPicksTheJobsGpuAndHidesTheOthers() {
        // CUDA_VISIBLE_DEVICES=2 on a four-GPU node: GPU 2 is this process's CUDA device 0, the rest report none.
        List<Device> devices = List.of(nvidia(0, -1), nvidia(1, -1), nvidia(2, 0), nvidia(3, -1));
        assertThat(CudaOrder.auto(devices, true)).isEqualTo(new Order(List.of(2), List.of(0, 1, 3)));
        // CUDA_VISIBLE_DEVICES=3,1: GPU 3 is device 0, GPU 1 device 1.
        devices = List.of(nvidia(0, -1), nvidia(1, 1), nvidia(2, -1), nvidia(3, 0));
        assertThat(CudaOrder.auto(devices, true)).isEqualTo(new Order(List.of(3, 1), List.of(0, 2)));
    }

    @Test
    void devicesWithoutAnOrdinalAreTriedLastWhenNothingHidesThem() {
        List<Device> devices = List.of(nvidia(0, -1), nvidia(1, 0));
        assertThat(CudaOrder.auto(devices, false)).isEqualTo(new Order(List.of(1, 0), List.of()));
    }

    @Test
    void aMappingThatSaysNothingIsNotTrusted() {
        // An old driver reported the same CUDA device for several GPUs: EGL's order, nothing hidden.
        List<Device> duplicates = List.of(nvidia(0, 0), nvidia(1, 0), nvidia(2, -1));
        assertThat(CudaOrder.auto(duplicates, true)).isEqualTo(new Order(List.of(0, 1, 2), List.of()));
        // No GPU reports an ordinal (CUDA_VISIBLE_DEVICES empty, or no CUDA library in a graphics-only
        // container): the variable cannot be told from a missing library, so it hides nothing.
        List<Device> none = List.of(nvidia(0, -1), nvidia(1, -1));
        assertThat(CudaOrder.auto(none, true)).isEqualTo(new Order(List.of(0, 1), List.of()));
    }

    @Test
    void otherVendorsFollowTheCudaDevicesInEglOrder() {
        List<Device> devices = List.of(other(0), nvidia(1, -1), other(2), nvidia(3, 0));
        assertThat(CudaOrder.auto(devices, true)).isEqualTo(new Order(List.of(3, 0, 2), List.of(1)));
        assertThat(CudaOrder.auto(devices, false)).isEqualTo(new Order(List.of(3, 1, 0, 2), List.of()));
    }
}

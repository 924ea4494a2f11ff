package org.diffeo4j.cuda;

import jcuda.driver.JCudaDriver;
import org.diffeo4j.backend.BackendProvider.Availability;

/**
 * Whether the cuda backend can run here, found out once per JVM: kernels in the jar, JCuda's
 * driver binding loadable (it needs the driver's libcuda.so.1), cuInit succeeding, a device present.
 *
 * <p>Probed once because a failed load poisons the class: the first use of {@code JCudaDriver} on a
 * machine without libcuda throws {@link UnsatisfiedLinkError}, every later one
 * {@link NoClassDefFoundError}. Nothing here throws; every outcome is one line.
 */
final class CudaSupport {
    private static Availability cached;

    private CudaSupport() {
    }

    static synchronized Availability availability() {
        if (cached == null) {
            cached = probe();
        }
        return cached;
    }

    private static Availability probe() {
        var missing = Kernels.missing();
        if (missing.isPresent()) {
            return Availability.no(missing.get());
        }
        try {
            JCudaDevice.exceptionsOn();
            try {
                JCudaDriver.cuInit(0);
            } catch (jcuda.CudaException e) {
                String rc = firstLine(e);
                return rc.contains("CUDA_ERROR_NO_DEVICE")
                        ? Availability.absent("a CUDA driver but no CUDA device (cuInit: " + rc + ")")
                        : Availability.no("the CUDA driver is installed but cuInit failed: " + rc);
            }
            int[] count = {0};
            try {
                JCudaDriver.cuDeviceGetCount(count);
            } catch (jcuda.CudaException e) {
                return Availability.absent("no CUDA device (" + firstLine(e) + ")");
            }
            if (count[0] == 0) {
                return Availability.absent("no CUDA device (count 0)");
            }
            return Availability.yes();
        } catch (UnsatisfiedLinkError e) {
            return Availability.absent("no CUDA driver here (JCuda's driver binding needs libcuda.so.1: " + firstLine(e) + ")");
        } catch (LinkageError | RuntimeException e) {
            return Availability.no("JCuda could not be loaded: " + firstLine(e));
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 160 ? m.substring(0, 157) + "..." : m;
    }
}

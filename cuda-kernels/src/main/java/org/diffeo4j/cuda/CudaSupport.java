package org.diffeo4j.cuda;

import jcuda.driver.CUresult;
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
            JCudaDriver.setExceptionsEnabled(false);
            int rc = JCudaDriver.cuInit(0);
            if (rc == CUresult.CUDA_ERROR_NO_DEVICE) {
                return Availability.absent("a CUDA driver but no CUDA device (cuInit: " + CUresult.stringFor(rc) + ")");
            }
            if (rc != CUresult.CUDA_SUCCESS) {
                return Availability.no("the CUDA driver is installed but cuInit failed: " + CUresult.stringFor(rc));
            }
            int[] count = {0};
            rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS || count[0] == 0) {
                return Availability.absent("no CUDA device (" + (rc != CUresult.CUDA_SUCCESS ? CUresult.stringFor(rc) : "count 0") + ")");
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

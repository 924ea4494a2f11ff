package org.diffeo4j.cuda;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

/**
 * A GPU through the JCuda driver API, which needs only the driver's libcuda: the device's primary
 * context (shared with any CUDA runtime user in the process, e.g. ND4J), one non-blocking stream,
 * the kernel modules loaded on first use (fatbin; PTX JIT where the fatbin has no code for the GPU),
 * and two pinned host staging buffers so that copying a heap array into one overlaps the DMA of
 * the other. Every call makes the context current first: callers may come from any thread.
 */
final class JCudaDevice implements Device {
    /** Bytes per pinned staging buffer: large enough to run the copy engine at full speed. */
    static final int STAGING_BYTES = 32 << 20;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<Long, Allocation> allocations = new HashMap<>();
    private final Pointer[] staging = {new Pointer(), new Pointer()};
    private final ByteBuffer[] stagingBytes = new ByteBuffer[2];
    private final CUevent[] stagingFree = {new CUevent(), new CUevent()};
    private final String description;
    private final DeviceLimits limits;
    private boolean closed;

    /** A device allocation; a subclass so that its address is readable (getNativePointer is protected). */
    private static final class Allocation extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    /**
     * Every failed driver call throws a CudaException naming its CUresult. Switched on once, here,
     * for the whole JVM (the switch is global in JCuda): code that expects a failure catches it
     * instead of toggling the switch.
     */
    static synchronized void exceptionsOn() {
        JCudaDriver.setExceptionsEnabled(true);
    }

    private JCudaDevice(int ordinal) {
        exceptionsOn();
        cuInit(0);
        cuDeviceGet(device, ordinal);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        for (int b = 0; b < 2; b++) {
            cuMemAllocHost(staging[b], STAGING_BYTES);
            stagingBytes[b] = staging[b].getByteBuffer(0, STAGING_BYTES).order(ByteOrder.nativeOrder());
            cuEventCreate(stagingFree[b], CUevent_flags.CU_EVENT_DISABLE_TIMING);
        }
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int n = 0;
        while (n < name.length && name[n] != 0) {
            n++;
        }
        long[] total = {0};
        cuDeviceTotalMem(total, device);
        int[] driver = {0};
        cuDriverGetVersion(driver);
        int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        int shared = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK);
        limits = new DeviceLimits(sms, shared, total[0]);
        description = new String(name, 0, n, StandardCharsets.UTF_8) + " (sm_" + major + minor + ", " + sms + " SMs, "
                + String.format(java.util.Locale.ROOT, "%.1f GiB", total[0] / (double) (1L << 30)) + ", driver CUDA "
                + driver[0] / 1000 + "." + driver[0] % 1000 / 10 + ")";
    }

    /** Opens device {@code ordinal}; throws IllegalStateException with the CUDA error in one line. */
    static JCudaDevice open(int ordinal) {
        try {
            return new JCudaDevice(ordinal);
        } catch (CudaException e) {
            throw new IllegalStateException("could not open CUDA device " + ordinal + ": " + CudaSupport.firstLine(e), e);
        }
    }

    private int attribute(int which) {
        int[] v = {0};
        cuDeviceGetAttribute(v, which, device);
        return v[0];
    }

    private void current() {
        if (closed) {
            throw new IllegalStateException("cuda backend is closed");
        }
        cuCtxSetCurrent(context);
    }

    /** A device pointer at an address (JCuda adds byteOffset to the null native pointer). */
    private static CUdeviceptr at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public DeviceLimits limits() {
        return limits;
    }

    @Override
    public synchronized long alloc(long bytes) {
        current();
        Allocation a = new Allocation();
        try {
            cuMemAlloc(a, Math.max(1, bytes));
        } catch (CudaException e) {
            throw new OutOfMemoryError("cuda: could not allocate " + bytes + " bytes of device memory: "
                    + CudaSupport.firstLine(e));
        }
        allocations.put(a.address(), a);
        return a.address();
    }

    @Override
    public synchronized void free(long address) {
        Allocation a = allocations.remove(address);
        if (a == null) {
            throw new IllegalArgumentException("address must be an allocation of this device, found 0x" + Long.toHexString(address));
        }
        current();
        cuMemFree(a);
    }

    @Override
    public synchronized void upload(long dst, float[] src, int from, int count) {
        current();
        int piece = STAGING_BYTES / Float.BYTES;
        for (int done = 0, k = 0; done < count; done += piece, k++) {
            int b = k & 1, n = Math.min(piece, count - done);
            cuEventSynchronize(stagingFree[b]); // its last copy to the device has finished
            stagingBytes[b].clear();
            stagingBytes[b].asFloatBuffer().put(src, from + done, n);
            cuMemcpyHtoDAsync(at(dst + (long) done * Float.BYTES), staging[b], (long) n * Float.BYTES, stream);
            cuEventRecord(stagingFree[b], stream);
        }
    }

    @Override
    public synchronized void download(float[] dst, int from, long src, int count) {
        current();
        int piece = STAGING_BYTES / Float.BYTES, pieces = (count + piece - 1) / piece;
        if (pieces > 0) {
            fetch(src, 0, Math.min(piece, count), 0, Float.BYTES);
        }
        for (int k = 0; k < pieces; k++) { // piece k+1 is in flight while piece k is copied out
            int b = k & 1, done = k * piece, n = Math.min(piece, count - done);
            if (k + 1 < pieces) {
                fetch(src, (long) (k + 1) * piece, Math.min(piece, count - (k + 1) * piece), 1 - b, Float.BYTES);
            }
            cuEventSynchronize(stagingFree[b]);
            stagingBytes[b].clear();
            stagingBytes[b].asFloatBuffer().get(dst, from + done, n);
        }
    }

    @Override
    public synchronized void download(double[] dst, int from, long src, int count) {
        current();
        int piece = STAGING_BYTES / Double.BYTES;
        for (int done = 0; done < count; done += piece) {
            int n = Math.min(piece, count - done);
            fetch(src, done, n, 0, Double.BYTES);
            cuEventSynchronize(stagingFree[0]);
            stagingBytes[0].clear();
            stagingBytes[0].asDoubleBuffer().get(dst, from + done, n);
        }
    }

    private void fetch(long src, long offset, int n, int buffer, int elementBytes) {
        cuMemcpyDtoHAsync(staging[buffer], at(src + offset * elementBytes), (long) n * elementBytes, stream);
        cuEventRecord(stagingFree[buffer], stream);
    }

    @Override
    public synchronized void launch(Launch l) {
        current();
        Pointer[] params = new Pointer[l.args().size()];
        for (int k = 0; k < params.length; k++) {
            KernelArg a = l.args().get(k);
            params[k] = switch (a.tag()) {
                case 'P', 'L' -> Pointer.to(new long[] {a.bits()}); // a device pointer is 8 bytes, as a long long
                case 'I' -> Pointer.to(new int[] {(int) a.bits()});
                case 'D' -> Pointer.to(new double[] {Double.longBitsToDouble(a.bits())});
                default -> throw new IllegalArgumentException("kernel argument tag must be P, I, L or D, found " + a.tag());
            };
        }
        try {
            cuLaunchKernel(function(l), l.grid(), 1, 1, l.block(), 1, 1, l.sharedBytes(), stream, Pointer.to(params), null);
        } catch (CudaException e) {
            throw new IllegalStateException("cuda: launching " + l.kernel() + " (grid " + l.grid() + ", block " + l.block()
                    + ", shared " + l.sharedBytes() + " B) failed: " + CudaSupport.firstLine(e), e);
        }
    }

    private CUfunction function(Launch l) {
        CUfunction f = functions.get(l.kernel());
        if (f == null) {
            CUmodule m = modules.computeIfAbsent(l.module(), JCudaDevice::load);
            f = new CUfunction();
            cuModuleGetFunction(f, m, l.kernel());
            functions.put(l.kernel(), f);
        }
        return f;
    }

    /** The fatbin (SASS for sm_80/sm_90); for other GPUs the driver JITs its PTX, or ours. */
    private static CUmodule load(String module) {
        CUmodule m = new CUmodule();
        try {
            cuModuleLoadData(m, Kernels.fatbin(module));
            return m;
        } catch (jcuda.CudaException fatbin) {
            try {
                cuModuleLoadData(m, Kernels.ptx(module));
                return m;
            } catch (jcuda.CudaException ptx) {
                throw new IllegalStateException("cuda: could not load kernel module " + module + ": " + ptx.getMessage()
                        + " (the driver may be older than the nvcc that built the kernels: " + Kernels.provenance() + ")");
            }
        }
    }

    @Override
    public synchronized void synchronize() {
        current();
        cuStreamSynchronize(stream);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        cuCtxSetCurrent(context);
        cuStreamSynchronize(stream);
        allocations.values().forEach(JCudaDriver::cuMemFree);
        allocations.clear();
        modules.values().forEach(JCudaDriver::cuModuleUnload);
        for (int b = 0; b < 2; b++) {
            cuEventDestroy(stagingFree[b]);
            cuMemFreeHost(staging[b]);
        }
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
        closed = true;
    }
}

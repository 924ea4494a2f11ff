package org.diffeo4j.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.diffeo4j.model.Options;

import java.nio.file.Path;

/**
 * The one place that starts DJL's PyTorch engine and sets libtorch's thread count: offline (no
 * network, libtorch is unpacked from the {@code pytorch-native-cpu} jar), its cache under
 * {@code ~/.cache/diffeo4j/djl} unless the user set {@code DJL_CACHE_DIR} or {@code ENGINE_CACHE_DIR}
 * (environment or system property, DJL's cache_management.md), intra-op threads from the
 * {@link Options} of the work asked for, and OpenMP threads that sleep instead of spinning while
 * they wait (see {@link #passiveOpenMpWaits()}). Properties must be set before DJL's {@code Engine}
 * class loads, so every DJL use goes through here: TorchScript models (this module) and the train
 * module alike.
 *
 * <p>Why a static: libtorch's intra-op thread count is a setting of the process, not of a module or
 * a manager ({@code at::set_num_threads} sets one atomic that every pool thread reads at its next
 * parallel region), and its inter-op count can be set only once per process. So there is no
 * per-model setting to hold; each load or training run passes its {@link Options} to
 * {@link #engine(Options)}, which applies the count before the work starts. Two works with different
 * counts in one JVM at the same time would share the later count, which no command does.
 */
public final class TorchRuntime {
    private static volatile boolean started;
    private static int threads = Runtime.getRuntime().availableProcessors();

    private TorchRuntime() {
    }

    /**
     * The PyTorch engine, started on first use, running on {@code options.threads()} intra-op threads
     * from now on: before the engine starts through DJL's property, after it through libtorch's
     * {@code at::set_num_threads}, so a TorchScript model loaded first does not fix the count a
     * training run in the same JVM asks for. Inter-op threads stay 1 (libtorch allows setting them
     * only once; one graph run op after op would only compete with intra-op).
     */
    public static synchronized Engine engine(Options options) {
        int want = options.threads();
        if (started && want != threads) {
            JniUtils.setNumThreads(want);
        }
        threads = want;
        return engine();
    }

    /** The PyTorch engine, started on first use with the last count asked for (default: every core); the count is not changed. */
    public static synchronized Engine engine() {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            if (unset("DJL_CACHE_DIR") && unset("ENGINE_CACHE_DIR")) {
                System.setProperty("ENGINE_CACHE_DIR", Path.of(System.getProperty("user.home"), ".cache", "diffeo4j", "djl").toString());
            }
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            // One graph, run op after op: inter-op parallelism would only compete with intra-op.
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            System.setProperty("ai.djl.default_engine", "PyTorch");
            passiveOpenMpWaits();
            started = true;
        }
        return Engine.getEngine("PyTorch");
    }

    /** True once the engine has started. */
    public static synchronized boolean started() {
        return started;
    }

    /**
     * Sets OMP_WAIT_POLICY=PASSIVE in the process environment (unless the user set it) before
     * libtorch's own libgomp loads and reads it: with GNU OpenMP's default spinning, two intra-op
     * threads on two cores shared with other processes trained resnet at 19 img/s, with passive waits
     * at 413 img/s (lenet 602 vs 8,229; load 6, docs/BENCHMARKS.md). Java cannot change its own
     * environment, so libc's setenv is called through JNA (a dependency of DJL's api).
     */
    private static void passiveOpenMpWaits() {
        if (System.getenv("OMP_WAIT_POLICY") != null) {
            return;
        }
        try {
            LibC.INSTANCE.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // No libc through JNA (not Linux/macOS): OpenMP keeps its default, which is only slower under load.
        }
    }

    /** The OpenMP wait policy libtorch reads, as the process environment holds it now (not Java's cached copy). */
    public static String openMpWaitPolicy() {
        return LibC.INSTANCE.getenv("OMP_WAIT_POLICY");
    }

    private interface LibC extends com.sun.jna.Library {
        LibC INSTANCE = com.sun.jna.Native.load("c", LibC.class);

        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    /** Intra-op threads the engine runs with. */
    public static synchronized int threads() {
        return threads;
    }

    /** A fresh root manager on the CPU, the engine on the threads it runs with now. */
    public static NDManager newManager() {
        return engine().newBaseManager();
    }

    /** A fresh root manager on the CPU, the engine on {@code options.threads()} intra-op threads. */
    public static NDManager newManager(Options options) {
        return engine(options).newBaseManager();
    }

    /** "DJL 0.36.0 / PyTorch 2.7.1 (CPU, 2 intra-op threads, OMP_WAIT_POLICY PASSIVE)" for provenance. */
    public static String describe() {
        Engine e = engine();
        return "DJL " + Engine.getDjlVersion() + " / PyTorch " + e.getVersion() + " (CPU, " + threads() + " intra-op threads, OMP_WAIT_POLICY "
                + openMpWaitPolicy() + ")";
    }

    private static boolean unset(String name) {
        return System.getenv(name) == null && System.getProperty(name) == null;
    }
}

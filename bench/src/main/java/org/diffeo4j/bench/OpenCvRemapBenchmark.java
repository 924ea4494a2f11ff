package org.diffeo4j.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.field.FieldSynthesis;
import org.diffeo4j.field.Temperatures;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-JVM anchor for interpolation: OpenCV's {@code remap} (INTER_LINEAR, BORDER_REPLICATE,
 * which equals clamping the sample point) through Bytedeco's preset, on the same images and fields
 * as {@link RemapBenchmark}. Maps are {@code x - dx}, {@code y - dy} (CV_32FC1), built in set-up
 * like RemapBenchmark's fields. Each channel plane is remapped as a CV_32FC1 view of native
 * memory (our layout is planar); images are split over {@code threads} Java threads and OpenCV's
 * own pool is set to 1 thread so the two do not oversubscribe the cores. Note OpenCV's bilinear
 * uses 5-bit fixed-point weights (1/32 pixel), less exact than ours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OpenCvRemapBenchmark {
    @Param({"32"})
    public int size;
    @Param({"3"})
    public int channels;
    @Param({"15"})
    public int cut;
    @Param({"1024"})
    public int batch;
    @Param({"2"})
    public int threads;

    private FloatPointer src, dst, mapX, mapY;
    private Mat[] srcMats, dstMats, mapXMats, mapYMats;
    private Parallel parallel;
    private final Scalar border = new Scalar(0.0);

    @Setup(Level.Trial)
    public void setUp() {
        opencv_core.setNumThreads(1);
        ImageBatch images = BenchState.images(batch, channels, size, 42);
        FieldBatch f = FieldSynthesis.synthesize(CoefficientBatch.draw(cut, 42, 0, batch), Temperatures.temperature(1.0, cut, size), size, size);
        int plane = size * size;
        src = new FloatPointer(images.data());
        dst = new FloatPointer((long) images.data().length);
        float[] mx = new float[batch * plane], my = new float[batch * plane];
        for (int s = 0; s < batch; s++) {
            for (int p = 0; p < plane; p++) {
                mx[s * plane + p] = p % size - f.dx()[s * plane + p];
                my[s * plane + p] = p / size - f.dy()[s * plane + p];
            }
        }
        mapX = new FloatPointer(mx);
        mapY = new FloatPointer(my);
        srcMats = new Mat[batch * channels];
        dstMats = new Mat[batch * channels];
        mapXMats = new Mat[batch];
        mapYMats = new Mat[batch];
        for (int s = 0; s < batch; s++) {
            mapXMats[s] = new Mat(size, size, opencv_core.CV_32FC1, new FloatPointer(mapX).position((long) s * plane));
            mapYMats[s] = new Mat(size, size, opencv_core.CV_32FC1, new FloatPointer(mapY).position((long) s * plane));
            for (int c = 0; c < channels; c++) {
                long off = ((long) s * channels + c) * plane;
                srcMats[s * channels + c] = new Mat(size, size, opencv_core.CV_32FC1, new FloatPointer(src).position(off));
                dstMats[s * channels + c] = new Mat(size, size, opencv_core.CV_32FC1, new FloatPointer(dst).position(off));
            }
        }
        parallel = new Parallel(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public FloatPointer remap(ImageCounter counter) {
        parallel.forRange(batch, 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                for (int c = 0; c < channels; c++) {
                    opencv_imgproc.remap(srcMats[s * channels + c], dstMats[s * channels + c], mapXMats[s], mapYMats[s],
                            opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, border);
                }
            }
        });
        counter.images += batch;
        return dst;
    }
}

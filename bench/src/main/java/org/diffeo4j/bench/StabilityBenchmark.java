package org.diffeo4j.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.Idx;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.dl4j.Dl4jModel;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.Models;
import org.diffeo4j.stability.Average;
import org.diffeo4j.stability.CellResult;
import org.diffeo4j.stability.StabilityMeasurement;
import org.diffeo4j.stability.StabilitySpec;
import org.diffeo4j.stability.Statistics;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stability protocol (DESIGN.md section 1) on the first 500 MNIST test digits of ../shared, one
 * cut (c = 3, delta = 1, bilinear, median), one realisation, split into its phases:
 * {@code endToEnd} = clean forward and normalisation + {@code deform} + {@code noise} + two
 * {@code forward}s + {@code statistics} (two sensitivities; the normalisation is in endToEnd only).
 * Models: {@code onnx-lenet} = ../shared/models/lenet_visible.onnx on ONNX Runtime; {@code dl4j-lenet}
 * = the classic LeNet-5 shape in DL4J (6 and 16 5x5 convs, max pools, 120, 84, 10), random weights
 * (speed does not depend on them). Run from the project root so ../shared resolves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class StabilityBenchmark {
    @Param({"onnx-lenet", "dl4j-lenet"})
    public String model;
    @Param({"java", "native"})
    public String backend;
    @Param({"2"})
    public int threads;
    @Param({"500"})
    public int probes;
    @Param({"3"})
    public int cut;

    private DiffeoBackend b;
    private Model m;
    private ImageBatch x, deformed, noisy, out;
    private Activations clean, fd, fn;
    private DiffeoSpec spec;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        Path shared = shared();
        x = Idx.readImages(shared.resolve("data/mnist/t10k-images-idx3-ubyte.gz")).slice(0, probes);
        b = BenchState.open(backend, threads);
        if (!model.equals("onnx-lenet")) {
            Dl4jModel.useThreads(threads); // the model runs on the benchmark's threads, as measure --threads does
        }
        m = model.equals("onnx-lenet") ? Models.load(shared.resolve("models/lenet_visible.onnx"), org.diffeo4j.model.Options.threads(threads))
                : Dl4jModel.of("dl4j-lenet", dl4jLenet());
        spec = DiffeoSpec.ofDelta(cut, 1.0, 28, Interpolation.BILINEAR);
        deformed = b.deform(x, spec, 1, 0);
        noisy = b.addNoise(x, deformed, 1, 0);
        out = x.like();
        clean = m.forward(x);
        fd = m.forward(deformed);
        fn = m.forward(noisy);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        m.close();
        b.close();
    }

    @Benchmark
    public CellResult endToEnd() {
        StabilitySpec s = new StabilitySpec(List.of(cut), List.of(1.0), List.of(), Interpolation.BILINEAR, Average.MEDIAN, 1, next++, List.of());
        return new StabilityMeasurement(m, b).run(x, s, (d, t) -> { }).get(0);
    }

    /** The normalisation alone: the median of P(P-1)/2 pairwise distances. */
    @Benchmark
    public double deno() {
        return Statistics.deno(clean, Average.MEDIAN);
    }

    /** The deformation of a realisation, as the measurement runs it: into a batch it reuses. */
    @Benchmark
    public ImageBatch deform() {
        b.deformInto(x, spec, 7, next += probes, out);
        return out;
    }

    /** The noise of a realisation, on the backend, as the measurement runs it. */
    @Benchmark
    public ImageBatch noise() {
        b.addNoiseInto(x, deformed, 7, next += probes, out);
        return out;
    }

    @Benchmark
    public Activations forward() {
        return m.forward(noisy);
    }

    @Benchmark
    public double statistics() {
        return Statistics.sensitivity(clean, fd, Average.MEDIAN) + Statistics.sensitivity(clean, fn, Average.MEDIAN);
    }

    static MultiLayerNetwork dl4jLenet() {
        Dl4jModel.configureNatives();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static Path shared() {
        for (String p : new String[]{System.getProperty("diffeo4j.shared", "../shared"), "../shared", "../../shared"}) {
            if (Files.isDirectory(Path.of(p, "golden"))) {
                return Path.of(p);
            }
        }
        throw new IllegalStateException("../shared must be beside the project (run from the project root), found none");
    }
}

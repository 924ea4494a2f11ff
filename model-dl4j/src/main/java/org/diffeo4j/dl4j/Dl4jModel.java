package org.diffeo4j.dl4j;

import org.diffeo4j.model.Model;
import org.diffeo4j.model.ModelProvider;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Options;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.diffeo4j.data.ImageBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A DL4J {@code MultiLayerNetwork} or {@code ComputationGraph}, saved as a zip by
 * {@code ModelSerializer}, evaluated with ND4J in inference mode. The images go in as [B, C, H, W]
 * when the network starts with a convolution, else flattened [B, C*H*W] (C, H, W order, which is
 * what {@code InputType.convolutionalFlat} expects). Named layers: DL4J layer names (MultiLayerNetwork,
 * "layer0", "layer1", ... unless named) or graph vertex names.
 *
 * <p>ND4J's native backend is not a dependency of core: the application supplies one. JavaCPP's
 * cache goes to {@code ~/.cache/diffeo4j/javacpp} unless {@code org.bytedeco.javacpp.cachedir} is set.
 */
public final class Dl4jModel implements Model {
    private final String name;
    private final MultiLayerNetwork mln;
    private final ComputationGraph graph;
    private final int[] inputShape;
    private final int flatInputs;
    private final boolean image4d;
    private final List<String> layerNames = new ArrayList<>();
    private final int outputs;

    static {
        configureNatives();
    }

    /**
     * Points JavaCPP's cache (where ND4J's natives are unpacked) at {@code ~/.cache/diffeo4j/javacpp}
     * unless {@code org.bytedeco.javacpp.cachedir} is set. Runs when this class loads; code that
     * touches ND4J before (building a network to wrap) calls it first. Idempotent.
     */
    public static void configureNatives() {
        if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir",
                    Path.of(System.getProperty("user.home"), ".cache", "diffeo4j", "javacpp").toString());
        }
    }

    private Dl4jModel(String name, MultiLayerNetwork mln, ComputationGraph graph) {
        this.name = name;
        this.mln = mln;
        this.graph = graph;
        Layer first;
        InputPreProcessor pre;
        if (mln != null) {
            first = mln.getLayerWiseConfigurations().getConf(0).getLayer();
            pre = mln.getLayerWiseConfigurations().getInputPreProcess(0);
            for (int l = 0; l < mln.getnLayers() - 1; l++) {
                layerNames.add(mln.getLayerWiseConfigurations().getConf(l).getLayer().getLayerName());
            }
            outputs = (int) ((FeedForwardLayer) mln.getLayerWiseConfigurations().getConf(mln.getnLayers() - 1).getLayer()).getNOut();
        } else {
            String in = graph.getConfiguration().getNetworkInputs().get(0);
            first = null;
            pre = null;
            for (var v : graph.getConfiguration().getVertices().entrySet()) {
                if (graph.getConfiguration().getVertexInputs().getOrDefault(v.getKey(), List.of()).contains(in)
                        && v.getValue() instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                    first = lv.getLayerConf().getLayer();
                    pre = lv.getPreProcessor();
                }
            }
            String out = graph.getConfiguration().getNetworkOutputs().get(0);
            graph.getConfiguration().getVertices().keySet().stream()
                    .filter(k -> !k.equals(out) && !graph.getConfiguration().getNetworkInputs().contains(k)).forEach(layerNames::add);
            outputs = graph.getConfiguration().getVertices().get(out) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof FeedForwardLayer f ? (int) f.getNOut() : -1;
        }
        if (pre instanceof FeedForwardToCnnPreProcessor p) {
            inputShape = new int[]{(int) p.getNumChannels(), (int) p.getInputHeight(), (int) p.getInputWidth()};
            image4d = false;
            flatInputs = -1;
        } else if (first instanceof ConvolutionLayer || first instanceof SubsamplingLayer) {
            long ch = first instanceof FeedForwardLayer f ? f.getNIn() : -1;
            inputShape = new int[]{(int) ch, -1, -1};
            image4d = true;
            flatInputs = -1;
        } else {
            inputShape = new int[]{-1, -1, -1};
            image4d = false;
            flatInputs = first instanceof FeedForwardLayer f ? (int) f.getNIn() : -1;
        }
    }

    /** Wraps a network in memory (not copied; evaluated in inference mode). */
    public static Dl4jModel of(String name, MultiLayerNetwork net) {
        return new Dl4jModel(name, net, null);
    }

    /** Wraps a graph in memory (not copied; evaluated in inference mode). */
    public static Dl4jModel of(String name, ComputationGraph net) {
        return new Dl4jModel(name, null, net);
    }

    /**
     * Sets the thread counts ND4J's CPU backend uses to {@code threads}: libnd4j's own pool
     * ({@code Environment.maxMasterThreads}, the default of its {@code samediff::Threads::parallel_for},
     * which runs the layers' loops), its OpenMP regions ({@code omp_set_num_threads}) and OpenBLAS
     * ({@code Blas.setMaxThreads}, the GEMMs of dense and convolution layers). {@code maxThreads}, the
     * size of libnd4j's pool, cannot be lowered in 1.0.0-M2.1 (its setter is a no-op there), so the
     * master count is what caps a forward. At start ND4J takes all of them from OMP_NUM_THREADS or the
     * core count; they are settings of the native library for the whole process (one ND4J per JVM),
     * so this is the one place that sets them, from the options of each load: a later load with
     * another count changes them for every DL4J model in the process.
     */
    public static synchronized void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads); // a no-op in 1.0.0-M2.1; raising the master count above it needs it where it works
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The thread counts ND4J runs with now: {libnd4j's master threads, OpenMP's (this thread's), OpenBLAS's} (for tests and provenance). */
    public static int[] threadCounts() {
        return new int[]{Nd4j.getEnvironment().maxMasterThreads(), org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                Nd4j.factory().blas().getMaxThreads()};
    }

    /** Restores a ModelSerializer zip, either kind, to run on {@code options.threads()}; one-line error when it is not one. */
    public static Dl4jModel load(Path path, Options options) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model must be a readable DL4J zip, found no file at " + path);
        }
        String conf;
        try (ZipFile z = new ZipFile(path.toFile())) {
            ZipEntry e = z.getEntry("configuration.json");
            if (e == null) {
                throw new IllegalArgumentException("model must be a DL4J zip with configuration.json, found a zip without it: " + path);
            }
            try (InputStream in = z.getInputStream(e)) {
                conf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("model must be a DL4J zip (ModelSerializer), found unreadable content in "
                    + path + " (" + e.getMessage() + ")");
        }
        String name = path.getFileName().toString();
        useThreads(options.threads());
        try {
            return conf.contains("\"networkInputs\"")
                    ? of(name, ModelSerializer.restoreComputationGraph(path.toFile(), false))
                    : of(name, ModelSerializer.restoreMultiLayerNetwork(path.toFile(), false));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("model must be a DL4J zip that ModelSerializer can restore, found " + path
                    + " (" + Models.firstLine(e.getMessage()) + ")");
        }
    }

    /** The ND4J version and backend, for provenance. */
    public static String runtimeVersion() {
        return "nd4j " + Nd4j.class.getPackage().getImplementationVersion() + " (" + Nd4j.getBackend().getClass().getSimpleName() + ", "
                + Nd4j.getEnvironment().maxMasterThreads() + " threads)";
    }

    @Override
    public String runtime() {
        return runtimeVersion();
    }

    @Override
    public String description() {
        return "DL4J " + (mln != null ? "MultiLayerNetwork " : "ComputationGraph ") + name + " (" + outputs + " outputs)";
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int outputs() {
        return outputs;
    }

    /** Parameter keys of DL4J's BatchNormalization that hold running statistics, not parameters. */
    private static final java.util.Set<String> STATISTICS = java.util.Set.of("mean", "var", "log10stdev");
    /** Keys of weight tensors (dense and convolution "W", a separable convolution's pointwise "pW"): a layer with one is a weight layer. */
    private static final java.util.Set<String> WEIGHTS = java.util.Set.of("W", "pW");

    /** The layers' parameter tables, less batch-norm's running mean and variance (DL4J keeps them as parameters, PyTorch as buffers). */
    @Override
    public java.util.OptionalLong parameterCount() {
        long n = 0;
        for (org.deeplearning4j.nn.api.Layer l : mln != null ? mln.getLayers() : graph.getLayers()) {
            boolean bn = l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization;
            for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
                n += bn && STATISTICS.contains(e.getKey()) ? 0 : e.getValue().length();
            }
        }
        return java.util.OptionalLong.of(n);
    }

    /** Layers with a weight tensor on the longest path from the input to the output (a MultiLayerNetwork is one path). */
    @Override
    public java.util.OptionalInt depth() {
        if (mln != null) {
            int d = 0;
            for (org.deeplearning4j.nn.api.Layer l : mln.getLayers()) {
                d += weighted(l) ? 1 : 0;
            }
            return java.util.OptionalInt.of(d);
        }
        return java.util.OptionalInt.of(depthTo(graph.getConfiguration().getNetworkOutputs().get(0), new java.util.HashMap<>()));
    }

    private static boolean weighted(org.deeplearning4j.nn.api.Layer l) {
        return l.paramTable().keySet().stream().anyMatch(WEIGHTS::contains);
    }

    /** Weight layers on the longest path from a network input to vertex {@code v} of the graph (memoised in {@code seen}). */
    private int depthTo(String v, Map<String, Integer> seen) {
        Integer known = seen.get(v);
        if (known != null) {
            return known;
        }
        int before = 0;
        for (String in : graph.getConfiguration().getVertexInputs().getOrDefault(v, List.of())) {
            before = Math.max(before, depthTo(in, seen));
        }
        org.deeplearning4j.nn.graph.vertex.GraphVertex gv = graph.getVertex(v);
        int d = before + (gv != null && gv.hasLayer() && weighted(gv.getLayer()) ? 1 : 0);
        seen.put(v, d);
        return d;
    }

    @Override
    public List<String> layerNames() {
        return List.copyOf(layerNames);
    }

    @Override
    public void requireInput(ImageBatch images) {
        if (flatInputs > 0 && flatInputs != images.sampleSize()) {
            throw new IllegalArgumentException("model input must be images of " + flatInputs + " values [B, " + flatInputs
                    + "], found data of shape " + images.shapeString() + " (" + description() + ")");
        }
        Model.super.requireInput(images);
    }

    /** Every layer with the shape one forward of the probe's first image gives (inference mode). */
    @Override
    public List<org.diffeo4j.model.LayerInfo> layers(ImageBatch probe) {
        ImageBatch one = probe.slice(0, 1);
        requireInput(one);
        long[] shape = image4d ? new long[]{1, one.channels(), one.height(), one.width()} : new long[]{1, one.sampleSize()};
        INDArray x = Nd4j.create(one.data(), shape, 'c');
        Map<String, long[]> dims = new LinkedHashMap<>();
        if (mln != null) {
            List<INDArray> acts = mln.feedForward(x, false);
            for (int l = 0; l < layerNames.size(); l++) {
                dims.put(layerNames.get(l), acts.get(l + 1).shape());
            }
        } else {
            Map<String, INDArray> acts = graph.feedForward(x, false);
            layerNames.forEach(n -> dims.put(n, acts.get(n).shape()));
        }
        return layerNames.stream().map(n -> new org.diffeo4j.model.LayerInfo(n, List.of(), Model.batchShape(dims.get(n)))).toList();
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers) {
        long[] shape = image4d ? new long[]{images.count(), images.channels(), images.height(), images.width()}
                : new long[]{images.count(), images.sampleSize()};
        INDArray x = Nd4j.create(images.data(), shape, 'c');
        Map<String, Activations> out = new LinkedHashMap<>();
        if (mln != null) {
            List<INDArray> acts = mln.feedForward(x, false);
            for (int l = 0; l < mln.getnLayers() - 1; l++) {
                String n = layerNames.get(l);
                if (layers.contains(n)) {
                    out.put(n, flat(acts.get(l + 1), images.count()));
                }
            }
            out.put(OUTPUT, flat(acts.get(acts.size() - 1), images.count()));
        } else {
            Map<String, INDArray> acts = graph.feedForward(x, false);
            for (String n : layers) {
                out.put(n, flat(acts.get(n), images.count()));
            }
            out.put(OUTPUT, flat(acts.get(graph.getConfiguration().getNetworkOutputs().get(0)), images.count()));
        }
        return out;
    }

    private static Activations flat(INDArray a, int count) {
        float[] d = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new Activations(count, (int) (a.length() / Math.max(1, count)), d);
    }

    /** ServiceLoader entry: ModelSerializer zips (recognised by the zip signature). */
    public static final class Provider implements ModelProvider {
        @Override
        public String name() {
            return "dl4j";
        }

        @Override
        public String formats() {
            return "DL4J ModelSerializer zips (.zip)";
        }

        /**
         * 2 for a zip with ModelSerializer's configuration.json; 1 for any other zip (worth a try, and
         * DL4J's message is the useful one), so a TorchScript zip goes to its own runtime.
         */
        @Override
        public int accepts(Path path, byte[] head) {
            if (!Models.isZip(head)) {
                return 0;
            }
            try (ZipFile z = new ZipFile(path.toFile())) {
                return z.getEntry("configuration.json") != null ? 2 : 1;
            } catch (IOException e) {
                return 1;
            }
        }

        @Override
        public Model load(Path path, Options options) {
            return Dl4jModel.load(path, options);
        }
    }
}

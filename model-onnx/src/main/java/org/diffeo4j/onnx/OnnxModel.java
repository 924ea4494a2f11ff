package org.diffeo4j.onnx;

import org.diffeo4j.model.Model;
import org.diffeo4j.model.ModelProvider;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.LayerInfo;
import org.diffeo4j.model.Options;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.diffeo4j.data.ImageBatch;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX file (e.g. exported from PyTorch) evaluated with ONNX Runtime's Java API, float32 on the
 * CPU. The graph's first input takes the images [B, C, H, W] (or flattened [B, C*H*W]); its first
 * output is the model output. Any other node output can be asked for as a layer, by its name or a
 * PyTorch module name ({@link OnnxGraph}): ONNX Runtime returns only graph outputs, so the model is
 * rewritten in memory with those outputs added and the session rebuilt from the bytes.
 *
 * <p>SameDiff's ONNX importer is deliberately not used: it returns wrong outputs on PyTorch exports.
 */
public final class OnnxModel implements Model {
    private final String name;
    private final OrtEnvironment env;
    private final Path path;
    /** Threads and verbosity of every session this model builds (the first, and those with layers added). */
    private final Options options;
    /** Parsed on first need: measuring only the output never loads the protobuf classes. */
    private OnnxGraph graph;
    private OrtSession session;
    private final String input;
    private final long[] inputRank;
    private final List<String> outputNames;
    private final int[] inputShape;
    private final int outputs;

    private OnnxModel(Path path, Options options, OrtEnvironment env, OrtSession session) throws OrtException {
        this.name = path.getFileName().toString();
        this.path = path;
        this.options = options;
        this.env = env;
        this.session = session;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("model must take a single image input [B, C, H, W] or [B, C*H*W], found "
                    + inputs.size() + " inputs " + describe(inputs) + " in " + name);
        }
        Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
        if (!(in.getValue().getInfo() instanceof TensorInfo)) {
            throw new IllegalArgumentException("model input must be a float tensor of images, found " + describe(inputs) + " in " + name);
        }
        this.input = in.getKey();
        long[] shape = ((TensorInfo) in.getValue().getInfo()).getShape();
        this.inputRank = shape;
        this.inputShape = shape.length == 4 ? new int[]{(int) shape[1], (int) shape[2], (int) shape[3]} : new int[]{-1, -1, -1};
        this.outputNames = new ArrayList<>(session.getOutputNames());
        NodeInfo first = session.getOutputInfo().get(outputNames.get(0));
        if (!(first.getInfo() instanceof TensorInfo ti) || ti.getShape().length != 2 || ti.getShape()[1] == 0) {
            throw new IllegalArgumentException("model output must be [B, K] with K >= 1 (K values per image, e.g. logits), found '"
                    + outputNames.get(0) + "' " + shapeOf(first) + " in " + name);
        }
        long k = ti.getShape()[1];
        this.outputs = k > 0 ? (int) k : -1;
    }

    private static String describe(Map<String, NodeInfo> infos) {
        List<String> parts = new ArrayList<>();
        infos.forEach((n, i) -> parts.add("'" + n + "' " + shapeOf(i)));
        return String.join(", ", parts);
    }

    /** "[B, 10]" with B for a free (symbolic) axis; the value's kind when it is not a tensor. */
    private static String shapeOf(NodeInfo info) {
        if (!(info.getInfo() instanceof TensorInfo t)) {
            return "(" + info.getInfo().getClass().getSimpleName().replace("Info", "").toLowerCase(java.util.Locale.ROOT) + ", not a tensor)";
        }
        List<String> dims = new ArrayList<>();
        for (long d : t.getShape()) {
            dims.add(d < 0 ? "?" : Long.toString(d));
        }
        return "[" + String.join(", ", dims) + "]";
    }

    /**
     * Loads an ONNX file to run with {@code options}; a one-line error when it is missing or ONNX
     * Runtime cannot read it.
     */
    public static OnnxModel load(Path path, Options options) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model must be a readable ONNX file, found no file at " + path);
        }
        OrtEnvironment env = environment(options);
        try (OrtSession.SessionOptions opt = sessionOptions(options)) {
            OrtSession session = env.createSession(path.toString(), opt);
            try {
                return new OnnxModel(path, options, env, session);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("model must be an ONNX file that ONNX Runtime can load, found " + path
                    + " (" + Models.firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * A session on {@code options.threads()} threads: the intra-op pool has that many (the calling
     * thread included), the graph runs node after node (sequential execution, so the inter-op pool
     * is never used; set to 1 all the same), and no global thread pool of the environment is used.
     */
    static OrtSession.SessionOptions sessionOptions(Options options) throws OrtException {
        OrtSession.SessionOptions opt = new OrtSession.SessionOptions();
        opt.setSessionLogLevel(logLevel(options));
        opt.setIntraOpNumThreads(options.threads());
        opt.setInterOpNumThreads(1);
        opt.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        // ONNX Runtime's pool spins after each run by default; between forwards the protocol
        // deforms and draws noise on the same cores, which the spinning would slow down.
        opt.addConfigEntry("session.intra_op.allow_spinning", "0");
        return opt;
    }

    /**
     * ONNX Runtime writes its own log lines (with ANSI colours) straight to the process's stderr;
     * every failure also reaches us as an exception with the same text, so its log stays off
     * (fatal only) unless the user asked for it with {@code --verbose} ({@link Options#verbose()}).
     */
    private static OrtLoggingLevel logLevel(Options options) {
        return options.verbose() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
    }

    /** The ONNX Runtime version, for provenance. */
    public static String runtimeVersion() {
        return "onnxruntime " + environment(Options.defaults()).getVersion();
    }

    /** The process's ONNX Runtime environment; its native libraries' temporary folder goes at exit. */
    private static OrtEnvironment environment(Options options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment(logLevel(options), "diffeo4j");
        OrtTempFolder.cleanAtExit();
        return env;
    }

    @Override
    public String runtime() {
        return runtimeVersion() + " (" + options.threads() + " intra-op thread" + (options.threads() == 1 ? "" : "s") + ", sequential)";
    }

    @Override
    public String description() {
        return "ONNX " + name + " (input '" + input + "' " + Arrays.toString(inputRank) + ", output '" + outputNames.get(0)
                + "' with " + outputs + " values)";
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int outputs() {
        return outputs;
    }

    /** The float initializers' scalars less batch-norm running statistics ({@link OnnxGraph#parameterCount()}). */
    @Override
    public java.util.OptionalLong parameterCount() {
        return java.util.OptionalLong.of(graph().parameterCount());
    }

    /** Weight layers on the longest path of the graph ({@link OnnxGraph#depth()}). */
    @Override
    public java.util.OptionalInt depth() {
        return java.util.OptionalInt.of(graph().depth());
    }

    /** The graph, read again from the file on first need (ONNX Runtime has accepted it already). */
    private synchronized OnnxGraph graph() {
        if (graph == null) {
            try {
                graph = OnnxGraph.parse(Files.readAllBytes(path), path.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("model must be a readable ONNX file, found " + path + " (" + e.getMessage() + ")");
            }
        }
        return graph;
    }

    /** Every usable node output but the model's, by its outermost PyTorch module name where it has one ({@code layer1}). */
    @Override
    public List<String> layerNames() {
        return graph().nodeOutputs().stream().filter(n -> !n.equals(outputNames.get(0)))
                .map(n -> graph().aliases(n).isEmpty() ? n : graph().aliases(n).get(graph().aliases(n).size() - 1)).toList();
    }

    @Override
    public boolean hasLayer(String layer) {
        return graph().resolve(layer).filter(n -> !n.equals(outputNames.get(0))).isPresent();
    }

    /**
     * Every usable node output with its short forms and the shape ONNX Runtime infers for it, found
     * by loading the graph once with all of them as outputs; outputs that turn out not to be float
     * tensors (shape arithmetic) are left out.
     */
    @Override
    public List<LayerInfo> layers() {
        List<String> all = graph().nodeOutputs().stream().filter(n -> !n.equals(outputNames.get(0))).toList();
        try (OrtSession.SessionOptions opt = sessionOptions(options); OrtSession s = env.createSession(graph().withOutputs(all), opt)) {
            Map<String, NodeInfo> info = s.getOutputInfo();
            List<LayerInfo> out = new ArrayList<>();
            for (String n : all) {
                NodeInfo i = info.get(n);
                if (i != null && i.getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT) {
                    out.add(new LayerInfo(n, graph().aliases(n), batchShape(t.getShape())));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + name + " with its node outputs as graph outputs: "
                    + Models.firstLine(e.getMessage()));
        }
    }

    /** "[B, 6, 24, 24]": a free first axis is the batch, other free axes "?". */
    private static String batchShape(long[] dims) {
        List<String> s = new ArrayList<>();
        for (int a = 0; a < dims.length; a++) {
            s.add(dims[a] >= 0 ? Long.toString(dims[a]) : a == 0 ? "B" : "?");
        }
        return "[" + String.join(", ", s) + "]";
    }

    /** A session whose graph outputs include every node output of {@code names}, rebuilt when one is missing. */
    private synchronized OrtSession sessionWith(Collection<String> names) {
        if (session.getOutputNames().containsAll(names)) {
            return session;
        }
        Set<String> want = new LinkedHashSet<>(session.getOutputNames());
        want.addAll(names);
        try (OrtSession.SessionOptions opt = sessionOptions(options)) {
            OrtSession rebuilt = env.createSession(graph().withOutputs(want), opt);
            session.close();
            session = rebuilt;
            return rebuilt;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + name + " with " + names + " as graph outputs: "
                    + Models.firstLine(e.getMessage()));
        }
    }

    /**
     * A graph exported with a fixed batch size (no dynamic batch axis, e.g. [1, 1, 28, 28]) is fed
     * chunks of exactly that size; the last chunk is padded with zeros and the padding dropped.
     */
    @Override
    public int chunkSize(ImageBatch images) {
        return inputRank[0] > 0 ? (int) inputRank[0] : Model.super.chunkSize(images);
    }

    @Override
    public void requireInput(ImageBatch images) {
        if (inputRank.length == 2 && inputRank[1] > 0 && inputRank[1] != images.sampleSize()) {
            throw new IllegalArgumentException("model input must be flattened images of " + inputRank[1]
                    + " values [B, " + inputRank[1] + "], found data of shape " + images.shapeString() + " (" + description() + ")");
        }
        if (inputRank.length != 2 && inputRank.length != 4) {
            throw new IllegalArgumentException("model input must have rank 4 [B, C, H, W] or 2 [B, C*H*W], found rank "
                    + inputRank.length + " " + Arrays.toString(inputRank));
        }
        Model.super.requireInput(images);
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers) {
        int fixed = (int) inputRank[0];
        if (fixed > 0 && images.count() != fixed) {
            return padded(images, layers, fixed);
        }
        long[] shape = inputRank.length == 4
                ? new long[]{images.count(), images.channels(), images.height(), images.width()}
                : new long[]{images.count(), images.sampleSize()};
        Map<String, String> node = new LinkedHashMap<>(); // requested name -> node output
        node.put(OUTPUT, outputNames.get(0));
        for (String l : layers) {
            node.put(l, graph().resolve(l).orElseThrow(() -> new IllegalArgumentException("layer must be one of " + layerNames() + ", found '" + l + "'")));
        }
        Set<String> wanted = new LinkedHashSet<>(node.values());
        OrtSession s = sessionWith(wanted);
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.data()), shape);
             OrtSession.Result r = s.run(Map.of(input, x), wanted)) {
            Map<String, Activations> out = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : node.entrySet()) {
                out.put(e.getKey(), flat(r.get(e.getValue()).orElseThrow(), images.count(), e.getValue()));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + name + " with input " + Arrays.toString(shape)
                    + ": " + Models.firstLine(e.getMessage()));
        }
    }

    /** Evaluates a short chunk on a graph with fixed batch {@code fixed}: zero padding in, padding out. */
    private Map<String, Activations> padded(ImageBatch images, List<String> layers, int fixed) {
        if (images.count() > fixed) {
            throw new IllegalStateException("chunks of " + name + " must have its fixed batch " + fixed + ", found " + images.count());
        }
        ImageBatch pad = ImageBatch.zeros(fixed, images.channels(), images.height(), images.width());
        System.arraycopy(images.data(), 0, pad.data(), 0, images.data().length);
        Map<String, Activations> full = forwardChunk(pad, layers), out = new LinkedHashMap<>();
        full.forEach((k, a) -> out.put(k, new Activations(images.count(), a.units(),
                Arrays.copyOf(a.data(), images.count() * a.units()))));
        return out;
    }

    private static Activations flat(OnnxValue v, int count, String what) {
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalStateException("ONNX output '" + what + "' must be a tensor, found " + v.getType());
        }
        FloatBuffer b = t.getFloatBuffer();
        if (b == null) {
            throw new IllegalStateException("ONNX output '" + what + "' must be float32, found " + t.getInfo().type);
        }
        float[] d = new float[b.remaining()];
        b.get(d);
        return new Activations(count, d.length / Math.max(1, count), d);
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                session.close();
            }
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX session " + name + ": " + e.getMessage(), e);
        }
    }


    /** ServiceLoader entry: {@code .onnx} files, and as a fallback any file that is not a zip. */
    public static final class Provider implements ModelProvider {
        @Override
        public String name() {
            return "onnx";
        }

        @Override
        public String formats() {
            return "ONNX files (.onnx, e.g. exported from PyTorch)";
        }

        @Override
        public int accepts(Path path, byte[] head) {
            if (java.nio.file.Files.isDirectory(path)) {
                return 0;
            }
            return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? 2 : Models.isZip(head) ? 0 : 1;
        }

        @Override
        public Model load(Path path, Options options) {
            return OnnxModel.load(path, options);
        }
    }
}

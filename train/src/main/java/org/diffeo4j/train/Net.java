package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as named stages run one after the other, so every stage's output is a hidden layer that
 * R_f can be measured on (Fig. 14). Owns its parameters (in {@code manager}); close it to free them.
 */
public final class Net implements AutoCloseable {
    /** One stage: a name (the hidden layer's name) and its block. */
    public record Stage(String name, Block block) {
    }

    private final Arch arch;
    private final int[] input;
    private final int classes;
    private final List<Stage> stages;
    private final int depth;
    private final NDManager manager;
    private final ParameterStore store;

    /**
     * Whether the nets with convolutions run in channels-last memory order (on by default; the system
     * property {@code diffeo4j.channels_last=false} turns it off, for comparisons).
     */
    static final boolean CHANNELS_LAST = Boolean.parseBoolean(System.getProperty("diffeo4j.channels_last", "true"));

    /** Whether this net's inputs go to its stages in channels-last order ({@link #channelsLast(NDArray)}). */
    private final boolean channelsLast;

    /** A TorchScript module trained as a whole (--arch FILE.pt), or null for the nets built from stages. */
    private final ai.djl.pytorch.engine.PtSymbolBlock module;
    private final String name;

    /**
     * A TorchScript module as one stage: its parameters are the module's (loaded with gradients), its
     * buffers (batch-norm running statistics) stay inside it, so it is saved whole ({@link TorchModule}).
     */
    Net(String name, int[] input, int classes, ai.djl.pytorch.engine.PtSymbolBlock module, NDManager manager) {
        this.arch = null;
        this.name = name;
        this.module = module;
        this.input = input.clone();
        this.classes = classes;
        this.stages = List.of(new Stage("module", module));
        this.depth = -1; // unknown: TorchScript does not show the data flow between its modules
        this.channelsLast = false;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
    }

    Net(Arch arch, int[] input, int classes, List<Stage> stages, int depth, NDManager manager) {
        this.module = null;
        this.name = arch.id();
        this.arch = arch;
        this.input = input.clone();
        this.classes = classes;
        this.stages = List.copyOf(stages);
        this.depth = depth;
        // Not the dense nets (no convolution), nor the LeNets: their 6- and 16-channel convolutions and pools gain nothing
        // from channels-last on one thread and cost twice the CPU per image on two (libtorch 2.7.1, batch 64,
        // docs/BENCHMARKS.md "LeNet on two threads"); every other conv net gains from it on one thread and two.
        this.channelsLast = CHANNELS_LAST && arch != Arch.FC && arch != Arch.FC_L4 && arch != Arch.LENET && arch != Arch.LENET_PAPER;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        Shape shape = new Shape(1, input[0], input[1], input[2]);
        for (Stage s : this.stages) {
            s.block().initialize(manager, DataType.FLOAT32, shape);
            shape = s.block().getOutputShapes(new Shape[]{shape})[0];
        }
        if (shape.get(shape.dimension() - 1) != classes) {
            throw new IllegalStateException(arch.id() + " must end in " + classes + " outputs, found shape " + shape);
        }
    }

    /** The built-in architecture, or null for a TorchScript module. */
    public Arch arch() {
        return arch;
    }

    /** The architecture's id, or the module file's name. */
    public String id() {
        return name;
    }

    /** The TorchScript module of a net trained from a file, or null. */
    ai.djl.pytorch.engine.PtSymbolBlock module() {
        return module;
    }

    /** {C, H, W}. */
    public int[] input() {
        return input.clone();
    }

    public int classes() {
        return classes;
    }

    /** Weight layers (convs and dense) on the longest path from input to output; -1 when unknown (a TorchScript module: written nowhere). */
    public int depth() {
        return depth;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** Names of the hidden layers: every stage but the last (whose output is the network's). */
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < stages.size() - 1; i++) {
            names.add(stages.get(i).name());
        }
        return names;
    }

    /** Every parameter (weights, biases, batch-norm scales and running statistics) in a fixed order. */
    public List<Pair<String, Parameter>> parameters() {
        List<Pair<String, Parameter>> all = new ArrayList<>();
        for (Stage s : stages) {
            for (Pair<String, Parameter> p : s.block().getParameters()) {
                all.add(new Pair<>(s.name() + "." + p.getKey(), p.getValue()));
            }
        }
        return all;
    }

    /** Number of trainable scalars (running statistics excluded). */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : parameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /**
     * The logits [B, K] of {@code x} [B, C, H, W]. {@code training}: batch-norm uses (and updates)
     * batch statistics.
     */
    public NDArray forward(NDArray x, boolean training) {
        NDList h = new NDList(prepare(x));
        for (Stage s : stages) {
            h = s.block().forward(store, h, training);
        }
        return h.singletonOrThrow();
    }

    /** The shape of each hidden layer's output (every stage but the last) for input {@code x}, unflattened, in inference mode. */
    public Map<String, long[]> layerShapes(NDArray x) {
        Map<String, long[]> out = new LinkedHashMap<>();
        NDList h = new NDList(prepare(x));
        for (int i = 0; i < stages.size() - 1; i++) {
            h = stages.get(i).block().forward(store, h, false);
            out.put(stages.get(i).name(), h.singletonOrThrow().getShape().getShape());
        }
        return out;
    }

    /** The logits (key {@code "output"}) and the named stages' outputs, flattened to [B, units]. */
    public Map<String, NDArray> forward(NDArray x, List<String> layers, boolean training) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDList h = new NDList(prepare(x));
        for (Stage s : stages) {
            h = s.block().forward(store, h, training);
            if (layers.contains(s.name())) {
                NDArray a = h.singletonOrThrow();
                out.put(s.name(), a.reshape(a.getShape().get(0), -1));
            }
        }
        out.put("output", h.singletonOrThrow());
        return out;
    }

    private NDArray prepare(NDArray x) {
        return channelsLast && x.getShape().dimension() == 4 ? channelsLast(x) : x;
    }

    /**
     * {@code x} [B, C, H, W] with the same values, stored channels-last (B, H, W, C order; PyTorch's
     * {@code x.contiguous(memory_format=torch.channels_last)}), built from views and one reshape since
     * DJL has no memory-format call (for C = 1 no copy at all). libtorch then keeps that order through
     * the net: oneDNN convolutions take the input's format (ConvUtils mkldnn_conv_use_channels_last), and
     * the pooling, batch-norm and elementwise kernels theirs. On one CPU thread the channels-last
     * kernels are faster here: max-pooling 2x2 of 64x16x28x28 5.2 ms → 0.55 ms (libtorch 2.7.1's NCHW
     * max-pool loop is scalar), batch norm 2–4x, 3x3 convolutions 5–25% (docs/BENCHMARKS.md, 2026-12-07).
     * Values read back (toFloatArray, flattening reshapes) are in the logical [B, C, H, W] order as before.
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(b, h * w * c).reshape(b, h, w, c).transpose(0, 3, 1, 2);
    }

    @Override
    public void close() {
        manager.close();
    }
}

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
        NDList h = new NDList(x);
        for (Stage s : stages) {
            h = s.block().forward(store, h, training);
        }
        return h.singletonOrThrow();
    }

    /** The logits (key {@code "output"}) and the named stages' outputs, flattened to [B, units]. */
    /** The shape of each hidden layer's output (every stage but the last) for input {@code x}, unflattened, in inference mode. */
    public Map<String, long[]> layerShapes(NDArray x) {
        Map<String, long[]> out = new LinkedHashMap<>();
        NDList h = new NDList(x);
        for (int i = 0; i < stages.size() - 1; i++) {
            h = stages.get(i).block().forward(store, h, false);
            out.put(stages.get(i).name(), h.singletonOrThrow().getShape().getShape());
        }
        return out;
    }

    public Map<String, NDArray> forward(NDArray x, List<String> layers, boolean training) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDList h = new NDList(x);
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

    @Override
    public void close() {
        manager.close();
    }
}

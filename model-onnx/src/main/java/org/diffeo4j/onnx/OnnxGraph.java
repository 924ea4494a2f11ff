package org.diffeo4j.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import org.diffeo4j.onnx.proto.OnnxMl.GraphProto;
import org.diffeo4j.onnx.proto.OnnxMl.ModelProto;
import org.diffeo4j.onnx.proto.OnnxMl.NodeProto;
import org.diffeo4j.onnx.proto.OnnxMl.TensorProto;
import org.diffeo4j.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node outputs of an ONNX graph that can serve as layers, and the graph rewritten in memory so
 * that chosen ones become graph outputs (ONNX Runtime returns only graph outputs). Parsed with the
 * classes protoc generates from ONNX's own onnx-ml.proto; nothing is written to disk.
 *
 * <p>Short forms: PyTorch (1.13 and later) names a node after the modules that produced it, each
 * scope the module's qualified name, e.g. node {@code /features/features.4/Relu} with output
 * {@code /features/features.4/Relu_output_0}, or {@code /layer1/layer1.0/conv1/Conv} for module
 * {@code layer1.0.conv1} (see {@link #scopes}). The output of a module is taken to be the last usable
 * output, in graph order, of a node inside its scope; so {@code features.4} and {@code features} are
 * short forms of the outputs of their last nodes. This holds for modules whose
 * last operation produces their result (every module built from layers called in order); a module
 * whose result is computed earlier than some side computation would get the wrong node, which is why
 * {@code diffeo layers} prints both forms.
 */
public final class OnnxGraph {
    /** ONNX ops whose outputs are never activations: constants and shape arithmetic. */
    private static final Set<String> NOT_LAYERS = Set.of("Constant", "ConstantOfShape", "Shape", "Size");

    private final ModelProto model;
    private final List<String> outputs;
    private final Map<String, String> aliasToName;
    private final Map<String, List<String>> nameToAliases;

    private OnnxGraph(ModelProto model) {
        this.model = model;
        GraphProto g = model.getGraph();
        Set<String> known = new HashSet<>(), graphOutputs = new HashSet<>();
        Map<String, Integer> types = new HashMap<>();
        for (ValueInfoProto v : concat(g.getValueInfoList(), g.getOutputList())) {
            if (v.getType().hasTensorType()) {
                types.put(v.getName(), v.getType().getTensorType().getElemType());
            }
        }
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        g.getInitializerList().forEach(t -> known.add(t.getName()));
        List<String> list = new ArrayList<>();
        Map<String, String> alias = new LinkedHashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) {
                int type = types.getOrDefault(out, TensorProto.DataType.FLOAT_VALUE);
                if (out.isEmpty() || known.contains(out) || NOT_LAYERS.contains(n.getOpType()) || type != TensorProto.DataType.FLOAT_VALUE) {
                    continue;
                }
                known.add(out);
                list.add(out);
                for (String module : scopes(n.getName())) {
                    alias.put(module, out); // later nodes of the same scope overwrite: the module's last node
                }
            }
        }
        this.outputs = List.copyOf(list);
        this.aliasToName = new LinkedHashMap<>();
        this.nameToAliases = new HashMap<>();
        alias.forEach((a, name) -> {
            if (!list.contains(a)) { // a full name always means itself
                aliasToName.put(a, name);
                nameToAliases.computeIfAbsent(name, k -> new ArrayList<>()).add(a);
            }
        });
        nameToAliases.values().forEach(l -> l.sort((x, y) -> Integer.compare(y.length(), x.length())));
    }

    /** Parses an ONNX model; a one-line error naming {@code what} when the bytes are not one. */
    public static OnnxGraph parse(byte[] bytes, String what) {
        try {
            ModelProto m = ModelProto.parseFrom(bytes);
            if (!m.hasGraph() || m.getGraph().getInputCount() == 0) {
                throw new IllegalArgumentException("model must be an ONNX file with a graph and an input, found " + what);
            }
            return new OnnxGraph(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("model must be an ONNX file, found " + what + " (" + e.getMessage() + ")");
        }
    }

    /** Ops that apply a weight tensor: the weight layers {@link #depth()} counts when a weight input is constant. */
    private static final Set<String> WEIGHT_OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "ConvInteger", "MatMulInteger",
            "QLinearConv", "QLinearMatMul");
    /** Floating-point element types (float, float16, double, bfloat16): initializers of these hold weights; int64 ones hold shapes. */
    private static final Set<Integer> FLOAT_TYPES = Set.of(TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.FLOAT16_VALUE,
            TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.BFLOAT16_VALUE);

    /**
     * Scalars in the graph's floating-point initializers, less BatchNormalization's running mean and
     * variance (its inputs 3 and 4: buffers, not parameters). This is what the graph holds: an exporter
     * that folded batch-norm into the convolutions before it (PyTorch's in eval mode may) leaves fewer.
     */
    public long parameterCount() {
        GraphProto g = model.getGraph();
        Set<String> statistics = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("BatchNormalization")) {
                for (int i = 3; i < Math.min(5, n.getInputCount()); i++) {
                    statistics.add(n.getInput(i));
                }
            }
        }
        long total = 0;
        for (TensorProto t : g.getInitializerList()) {
            if (FLOAT_TYPES.contains(t.getDataType()) && !statistics.contains(t.getName())) {
                long n = 1;
                for (long d : t.getDimsList()) {
                    n *= d;
                }
                total += n;
            }
        }
        return total;
    }

    /**
     * Weight layers on the longest path from the input to the first graph output: nodes of
     * {@link #WEIGHT_OPS} with a constant weight input (an initializer, a Constant, or computed from
     * constants only, e.g. a transposed initializer), counted along the graph's data flow (nodes are
     * in topological order, as ONNX requires). A matrix product of two activations is not a layer.
     */
    public int depth() {
        GraphProto g = model.getGraph();
        Set<String> constant = new HashSet<>();
        g.getInitializerList().forEach(t -> constant.add(t.getName()));
        Map<String, Integer> layers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            boolean allConstant = true, weight = false;
            int before = 0;
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (in.isEmpty()) {
                    continue;
                }
                boolean c = constant.contains(in);
                allConstant &= c;
                weight |= c && (i > 0 || n.getOpType().startsWith("MatMul") || n.getOpType().equals("Gemm"));
                before = Math.max(before, layers.getOrDefault(in, 0));
            }
            int here = before + (WEIGHT_OPS.contains(n.getOpType()) && weight && !allConstant ? 1 : 0);
            for (String out : n.getOutputList()) {
                if (allConstant) {
                    constant.add(out);
                }
                layers.put(out, here);
            }
        }
        return layers.getOrDefault(g.getOutput(0).getName(), 0);
    }

    /** Names of the graph's outputs, in order (the first is the model's output). */
    public List<String> graphOutputs() {
        return model.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
    }

    /** Every node output usable as a layer, in graph order (graph outputs included). */
    public List<String> nodeOutputs() {
        return outputs;
    }

    /** Short forms of {@code name}, innermost module first (longest first); empty when it has none. */
    public List<String> aliases(String name) {
        return List.copyOf(nameToAliases.getOrDefault(name, List.of()));
    }

    /** The node output that {@code layer} names, given as the output's name or a short form. */
    public Optional<String> resolve(String layer) {
        if (outputs.contains(layer)) {
            return Optional.of(layer);
        }
        return Optional.ofNullable(aliasToName.get(layer));
    }

    /** The model with {@code names} (node outputs) appended to the graph's outputs where not there yet. */
    public byte[] withOutputs(Collection<String> names) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> present = new HashSet<>(graphOutputs());
        Map<String, ValueInfoProto> info = new HashMap<>();
        model.getGraph().getValueInfoList().forEach(v -> info.put(v.getName(), v));
        for (String n : names) {
            if (present.add(n)) {
                // The type is optional here: ONNX Runtime infers it when the graph is resolved.
                g.addOutput(info.getOrDefault(n, ValueInfoProto.newBuilder().setName(n).build()));
            }
        }
        return model.toBuilder().setGraph(g).build().toByteArray();
    }

    /**
     * The qualified module names of a node's scopes. PyTorch writes each scope as the attribute name,
     * prefixed by its container's for items of a Sequential or ModuleList:
     * "/layer2/layer2.0/downsample/downsample.0/Conv" -> [layer2, layer2.0, layer2.0.downsample,
     * layer2.0.downsample.0]; "/features/features.4/Relu" -> [features, features.4]. A module called
     * a second time gets a suffixed scope ("relu_1"), kept as it is.
     */
    static List<String> scopes(String nodeName) {
        if (!nodeName.startsWith("/")) {
            return List.of();
        }
        String[] parts = nodeName.substring(1).split("/");
        List<String> s = new ArrayList<>();
        String qualified = "", last = "";
        for (int i = 0; i < parts.length - 1; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            if (!last.isEmpty() && p.startsWith(last + ".")) {
                qualified = qualified + p.substring(last.length());
            } else {
                qualified = qualified.isEmpty() ? p : qualified + "." + p;
            }
            last = p;
            s.add(qualified);
        }
        return s;
    }

    private static List<ValueInfoProto> concat(List<ValueInfoProto> a, List<ValueInfoProto> b) {
        List<ValueInfoProto> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

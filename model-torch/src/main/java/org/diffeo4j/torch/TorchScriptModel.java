package org.diffeo4j.torch;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;
import org.diffeo4j.model.ModelProvider;
import org.diffeo4j.model.Models;
import org.diffeo4j.model.Options;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * A TorchScript file ({@code torch.jit.trace} or {@code torch.jit.script}, saved with
 * {@code torch.jit.save}) evaluated with DJL's PyTorch engine, float32 on the CPU, in inference mode
 * (batch-norm on running statistics, no autograd). The module takes images [B, C, H, W] and returns
 * [B, K] (or any shape, flattened per image).
 *
 * <p>Hidden layers are modules by their PyTorch names ({@code features.4}, {@code layer3}) where the
 * code shows how to reach them ({@link TorchScriptArchive}): a module's input must be its parent's
 * input or the output of the module called just before it. Each asked-for module is run alone on that
 * input; modules called after the first non-module operation (torchvision ResNet's
 * {@code torch.flatten}), inside residual blocks, or with several inputs are not layers, and the
 * message lists those that are.
 *
 * <p>Input gradients ({@link Differentiable}): the module's {@code forward} runs once more under
 * autograd, still in inference mode (batch-norm on running statistics), and the backward of
 * {@code sum v * f(x)} gives {@code J^T v} at the input. Its parameters are out of autograd (they are
 * never trained here), so the backward computes the input's gradient only. (An earlier probe that
 * found DJL's gradients wrong ran the module in training mode; in inference mode they equal
 * PyTorch's to 3e-7, {@code TorchScriptGradientTest}.)
 */
public final class TorchScriptModel implements Model, Differentiable {
    private final String name;
    private final PtNDManager manager;
    private final PtSymbolBlock block;
    private final Map<String, TorchScriptArchive.Reachable> modules = new LinkedHashMap<>();
    private final String noLayers;
    private final int channels;
    private final int outputs;
    /** Scalars in the module's parameters (libtorch's Module::parameters(): buffers such as running statistics excluded). */
    private final long parameters;
    /** The last input shape C x H x W that ran through the model. */
    private volatile String checkedShape;

    private TorchScriptModel(String name, PtNDManager manager, PtSymbolBlock block, List<TorchScriptArchive.Reachable> modules,
                             String noLayers) {
        this.name = name;
        this.manager = manager;
        this.block = block;
        modules.forEach(m -> this.modules.put(m.name(), m));
        this.noLayers = noLayers;
        NDList params = JniUtils.moduleGetParams(block, manager);
        int c = -1, k = -1;
        long n = 0;
        for (NDArray p : params) {
            if (p.hasGradient()) {
                p.setRequiresGradient(false); // inference only: input gradients need none of theirs
            }
            Shape s = p.getShape();
            n += s.size();
            if (c < 0 && s.dimension() == 4 && p.getName().endsWith("weight")) {
                c = (int) s.get(1); // the first convolution's input channels
            }
            if (p.getName().endsWith("bias") && s.dimension() == 1) {
                k = (int) s.get(0); // the last bias: the last layer's outputs, when it has one
            }
        }
        params.close();
        this.channels = c;
        this.outputs = k;
        this.parameters = n;
    }

    /**
     * Loads a TorchScript file. Methods are added for the reachable modules; if libtorch refuses that
     * rewrite, the file is loaded as it is, without layers (the reason goes into the layer message).
     * libtorch runs on {@code options.threads()} intra-op threads ({@link TorchRuntime#engine(Options)}).
     */
    public static TorchScriptModel load(Path path, Options options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("model must be a readable TorchScript file, found " + path + " (" + e.getMessage() + ")");
        }
        TorchScriptArchive archive = TorchScriptArchive.read(path);
        PtNDManager manager = (PtNDManager) TorchRuntime.newManager(options);
        List<TorchScriptArchive.Reachable> reach = archive.reachable();
        String reason = archive.noLayersReason();
        PtSymbolBlock block = null;
        if (!reach.isEmpty()) {
            try {
                block = open(manager, archive.withMethods(reach));
            } catch (EngineException | IOException e) {
                reason = "libtorch did not accept the methods that run its modules alone (" + Models.firstLine(e.getMessage()) + ")";
                reach = List.of();
            }
        }
        try {
            if (block == null) {
                block = open(manager, bytes);
            }
        } catch (EngineException | IOException e) {
            manager.close();
            throw new IllegalArgumentException("model must be a TorchScript file that libtorch can load, found " + path
                    + " (" + Models.firstLine(e.getMessage()) + ")");
        }
        return new TorchScriptModel(path.getFileName().toString(), manager, block, reach, reason);
    }

    private static PtSymbolBlock open(PtNDManager manager, byte[] archive) throws IOException {
        PtSymbolBlock b = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), true, false);
        JniUtils.enableInferenceMode(b);
        return b;
    }

    @Override
    public String description() {
        return "TorchScript " + name + " (" + (channels > 0 ? channels + " input channels" : "input channels unknown")
                + (outputs > 0 ? ", " + outputs + " outputs" : "") + ", " + modules.size() + " modules reachable as layers)";
    }

    @Override
    public String runtime() {
        return TorchRuntime.describe();
    }

    /** The module's parameters, as PyTorch's {@code sum(p.numel() for p in net.parameters())} counts them. */
    @Override
    public java.util.OptionalLong parameterCount() {
        return java.util.OptionalLong.of(parameters);
    }

    /**
     * Unknown (empty): TorchScript's code does not give the data flow between modules in general (a
     * residual block's shortcut convolution is called from the same input as its main branch), so
     * the longest path of weight layers cannot be read off the file; depth stays unknown rather than a guess.
     */
    @Override
    public java.util.OptionalInt depth() {
        return java.util.OptionalInt.empty();
    }

    /** The channels of the first convolution when there is one; height and width are not recorded in TorchScript. */
    @Override
    public int[] inputShape() {
        return new int[]{channels, -1, -1};
    }

    /** From the last bias when the model ends with one, else -1 (unknown until run). */
    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public List<String> layerNames() {
        return List.copyOf(modules.keySet());
    }

    @Override
    public Map<String, Activations> forward(ImageBatch images, List<String> layers) {
        for (String l : layers) {
            if (!modules.containsKey(l)) {
                throw new IllegalArgumentException("layer must be a module of " + name + " reachable from its input, one of "
                        + (modules.isEmpty() ? "none (" + noLayers + ")" : String.join(", ", modules.keySet())) + "; found '" + l + "'");
            }
        }
        return Model.super.forward(images, layers);
    }

    /**
     * The channel check, then, since TorchScript records no height and width, one image through the
     * model: a size it cannot take is bad input found before any work, in one line.
     */
    @Override
    public void requireInput(ImageBatch images) {
        Model.super.requireInput(images);
        String shape = images.channels() + "x" + images.height() + "x" + images.width();
        if (images.count() == 0 || shape.equals(checkedShape)) {
            return;
        }
        try {
            forwardChunk(images.slice(0, 1), List.of());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("model input must be images " + name + " can take, found data of shape "
                    + images.shapeString() + " (" + e.getMessage() + ")");
        }
        checkedShape = shape;
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers) {
        try (PtNDManager m = (PtNDManager) manager.newSubManager()) {
            PtNDArray x = (PtNDArray) m.create(images.data(), new Shape(images.count(), images.channels(), images.height(), images.width()));
            Map<String, Activations> out = new LinkedHashMap<>();
            out.put(OUTPUT, activations(call("forward", x, m), images.count(), "the output"));
            Map<String, PtNDArray> values = new HashMap<>();
            for (String l : layers) {
                value(l, x, values, m, layers, out); // copies l out when it computes it
            }
            return out;
        } catch (EngineException e) {
            throw new IllegalStateException("libtorch failed on " + name + " with input " + images.shapeString() + ": "
                    + Models.firstLine(e.getMessage()));
        }
    }

    /** Every reachable module with the shape its chain gives on the first image of {@code probe}. */
    @Override
    public List<org.diffeo4j.model.LayerInfo> layers(ImageBatch probe) {
        ImageBatch one = probe.slice(0, 1);
        requireInput(one);
        try (PtNDManager m = (PtNDManager) manager.newSubManager()) {
            PtNDArray x = (PtNDArray) m.create(one.data(), new Shape(1, one.channels(), one.height(), one.width()));
            Map<String, PtNDArray> values = new HashMap<>();
            List<org.diffeo4j.model.LayerInfo> out = new ArrayList<>();
            for (String l : modules.keySet()) {
                long[] dims = value(l, x, values, m, List.of(), new LinkedHashMap<>()).getShape().getShape();
                out.add(new org.diffeo4j.model.LayerInfo(l, List.of(), Model.batchShape(dims)));
            }
            return out;
        } catch (EngineException e) {
            throw new IllegalStateException("libtorch failed on " + name + " with input " + one.shapeString() + ": " + Models.firstLine(e.getMessage()));
        }
    }

    /**
     * The output of module {@code name}: its method applied to its input (its parent's input when it
     * comes first in the parent's chain, else its predecessor's output). Each computed module's value is
     * kept for the others; a layer asked for is copied out as soon as it is computed, before a later
     * in-place operation (ReLU(inplace=True)) can change it.
     */
    private PtNDArray value(String module, PtNDArray x, Map<String, PtNDArray> values, PtNDManager m, List<String> layers,
                            Map<String, Activations> out) {
        PtNDArray known = values.get(module);
        if (known != null) {
            return known;
        }
        TorchScriptArchive.Reachable r = modules.get(module);
        PtNDArray input = r.position() > 0 ? value(sibling(r), x, values, m, layers, out)
                : r.parent().isEmpty() ? x : input(modules.get(r.parent()), x, values, m, layers, out);
        PtNDArray v = call(r.method(), input, m);
        values.put(module, v);
        if (layers.contains(module) && !out.containsKey(module)) {
            out.put(module, activations(v, (int) x.getShape().get(0), module));
        }
        return v;
    }

    private PtNDArray input(TorchScriptArchive.Reachable r, PtNDArray x, Map<String, PtNDArray> values, PtNDManager m,
                            List<String> layers, Map<String, Activations> out) {
        if (r.position() > 0) {
            return value(sibling(r), x, values, m, layers, out);
        }
        return r.parent().isEmpty() ? x : input(modules.get(r.parent()), x, values, m, layers, out);
    }

    /** The module called just before {@code r} in its parent's chain. */
    private String sibling(TorchScriptArchive.Reachable r) {
        return modules.values().stream().filter(o -> o.parent().equals(r.parent()) && o.position() == r.position() - 1)
                .findFirst().orElseThrow().name();
    }

    private PtNDArray call(String method, PtNDArray input, PtNDManager m) {
        IValue in = IValue.from(input);
        try (IValue result = IValueUtils.runMethod(block, method, in)) {
            if (!result.isTensor()) {
                throw new IllegalArgumentException("model must return one tensor [B, ...] from its forward, found " + result.getType()
                        + " from " + (method.equals("forward") ? "forward" : "a module") + " of TorchScript " + name);
            }
            return result.toTensor(m);
        } finally {
            in.close();
        }
    }

    /** The outputs and {@code J^T v} of one chunk: forward under autograd in inference mode, then one backward. */
    @Override
    public InputGradient inputGradient(ImageBatch images, java.util.function.Function<Activations, float[]> cotangent) {
        try (PtNDManager m = (PtNDManager) manager.newSubManager()) {
            PtNDArray x = (PtNDArray) m.create(images.data(), new Shape(images.count(), images.channels(), images.height(), images.width()));
            x.setRequiresGradient(true);
            Activations out;
            try (ai.djl.training.GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                // IValueUtils.forward with isTrain=true runs forward with autograd on; unlike PtSymbolBlock.forward it leaves the
                // module in its mode, which load set to inference (eval)
                NDArray y = ai.djl.pytorch.jni.IValueUtils.forward(block, new NDList(x), true).singletonOrThrow();
                out = activations(y, images.count(), "the output");
                NDArray v = m.create(cotangent.apply(out), y.getShape());
                gc.backward(y.mul(v).sum());
            }
            return new InputGradient(out, x.getGradient().toFloatArray());
        } catch (EngineException e) {
            throw new IllegalStateException("libtorch failed on the gradient of " + name + " with input " + images.shapeString() + ": "
                    + Models.firstLine(e.getMessage()));
        }
    }

    private static Activations activations(NDArray a, int count, String what) {
        if (a.getShape().dimension() == 0 || a.getShape().get(0) != count) {
            throw new IllegalStateException("TorchScript " + what + " must have the batch first, [" + count + ", ...], found " + a.getShape());
        }
        float[] d = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        return new Activations(count, d.length / Math.max(1, count), d);
    }

    @Override
    public void close() {
        block.close();
        manager.close();
    }

    /** ServiceLoader entry: zips holding a TorchScript module (data.pkl and code/), whatever their extension. */
    public static final class Provider implements ModelProvider {
        @Override
        public String name() {
            return "torchscript";
        }

        @Override
        public String formats() {
            return "TorchScript files (.pt from torch.jit.trace or torch.jit.script)";
        }

        @Override
        public int accepts(Path path, byte[] head) {
            if (!Models.isZip(head)) {
                return 0;
            }
            try (ZipFile z = new ZipFile(path.toFile())) {
                List<String> names = new ArrayList<>();
                z.stream().limit(10_000).forEach(e -> names.add(e.getName()));
                return TorchScriptArchive.looksLikeOne(names) ? 2 : 0;
            } catch (IOException e) {
                String ext = path.getFileName().toString().toLowerCase(Locale.ROOT);
                return ext.endsWith(".pt") || ext.endsWith(".pth") ? 1 : 0;
            }
        }

        @Override
        public Model load(Path path, Options options) {
            return TorchScriptModel.load(path, options);
        }
    }
}

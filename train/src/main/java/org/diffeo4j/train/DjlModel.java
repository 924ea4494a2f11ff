package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link Net} as a {@link Model} for the stability measurement: hidden layers by stage name.
 * Trained nets run in inference mode; a net at initialisation ({@code batchStatistics}) normalises
 * each chunk with its own batch statistics, as the authors' measurement of untrained nets does, and
 * its running statistics are left untouched (they are restored after every chunk).
 *
 * <p>Input gradients ({@link Differentiable}) come from libtorch's autograd through the same inference
 * forward: the net's parameters are taken out of autograd once (a loaded net is never trained), so a
 * backward pass computes the input's gradient only.
 */
public final class DjlModel implements Model, Differentiable {
    private final Net net;
    private final String name;
    private final boolean batchStatistics;

    private final boolean owns;
    private boolean frozen;

    /** Wraps {@code net} (closed with this model). */
    public DjlModel(Net net, String name, boolean batchStatistics) {
        this(net, name, batchStatistics, true);
    }

    private DjlModel(Net net, String name, boolean batchStatistics, boolean owns) {
        this.net = net;
        this.name = name;
        this.batchStatistics = batchStatistics && net.arch() != null && net.arch().batchNorm();
        this.owns = owns;
    }

    /** {@code net} in inference mode as a model that leaves it open when closed: a net measured while it trains. */
    static DjlModel borrowing(Net net, String name) {
        return new DjlModel(net, name, false, false);
    }

    @Override
    public String description() {
        return "diffeo4j " + net.id() + " " + name + " (" + net.parameterCount() + " parameters" + (net.depth() >= 0 ? ", depth " + net.depth() : "")
                + (batchStatistics ? ", batch-norm on batch statistics" : "") + ")";
    }

    @Override
    public String runtime() {
        return TorchRuntime.describe();
    }

    @Override
    public java.util.OptionalLong parameterCount() {
        return java.util.OptionalLong.of(net.parameterCount());
    }

    @Override
    public java.util.OptionalInt depth() {
        return net.depth() >= 0 ? java.util.OptionalInt.of(net.depth()) : java.util.OptionalInt.empty();
    }

    @Override
    public int[] inputShape() {
        return net.input();
    }

    @Override
    public int outputs() {
        return net.classes();
    }

    @Override
    public List<String> layerNames() {
        return net.layerNames();
    }

    /** Every stage but the last with the shape one forward of the probe's first image gives (inference mode). */
    @Override
    public List<org.diffeo4j.model.LayerInfo> layers(ImageBatch probe) {
        ImageBatch one = probe.slice(0, 1);
        requireInput(one);
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.create(one.data(), new Shape(1, one.channels(), one.height(), one.width()));
            Map<String, long[]> shapes = net.layerShapes(x);
            return layerNames().stream().map(l -> new org.diffeo4j.model.LayerInfo(l, List.of(), Model.batchShape(shapes.get(l)))).toList();
        }
    }

    /** The whole batch in one chunk when batch-norm uses batch statistics (chunks would change them). */
    @Override
    public int chunkSize(ImageBatch images) {
        return batchStatistics ? Math.max(1, images.count()) : Model.super.chunkSize(images);
    }

    @Override
    public Map<String, Activations> forwardChunk(ImageBatch images, List<String> layers) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.create(images.data(), new Shape(images.count(), images.channels(), images.height(), images.width()));
            Map<String, NDArray> raw;
            if (batchStatistics) {
                List<float[]> saved = runningStatistics();
                raw = net.forward(x, layers, true);
                restore(saved);
            } else {
                raw = net.forward(x, layers, false);
            }
            Map<String, Activations> out = new LinkedHashMap<>();
            out.put(OUTPUT, activations(raw.get("output")));
            for (String l : layers) {
                out.put(l, activations(raw.get(l)));
            }
            return out;
        }
    }

    @Override
    public String noGradientReason() {
        if (!owns) {
            return "a net measured while it trains gives no input gradients";
        }
        if (batchStatistics) {
            return description() + " normalises each batch with its own statistics (a net at initialisation): an image's outputs depend on the "
                    + "other images', so it has no per-image gradients";
        }
        if (net.module() != null) {
            return description() + " is a TorchScript module: measure its model.pt, which gives gradients";
        }
        return null;
    }

    /** One inference forward under autograd, then the backward of {@code sum v * f(x)} to the input. */
    @Override
    public InputGradient inputGradient(ImageBatch images, Function<Activations, float[]> cotangent) {
        String why = noGradientReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        freeze();
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.create(images.data(), new Shape(images.count(), images.channels(), images.height(), images.width()));
            x.setRequiresGradient(true);
            Activations out;
            try (ai.djl.training.GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray y = net.forward(x, false);
                out = activations(y);
                NDArray v = m.create(cotangent.apply(out), y.getShape());
                gc.backward(y.mul(v).sum());
            }
            return new InputGradient(out, x.getGradient().toFloatArray());
        }
    }

    /** The parameters out of autograd (once): only the input's gradient is wanted. */
    private void freeze() {
        if (!frozen) {
            Arrays2.withoutGrad(() -> net.parameters().forEach(p -> {
                if (p.getValue().getArray().hasGradient()) {
                    p.getValue().getArray().setRequiresGradient(false);
                }
            }));
            frozen = true;
        }
    }

    private static Activations activations(NDArray a) {
        return new Activations((int) a.getShape().get(0), (int) (a.size() / a.getShape().get(0)), a.toFloatArray());
    }

    private List<float[]> runningStatistics() {
        return net.parameters().stream().filter(p -> !p.getValue().requiresGradient()).map(p -> p.getValue().getArray().toFloatArray()).toList();
    }

    private void restore(List<float[]> saved) {
        var running = net.parameters().stream().filter(p -> !p.getValue().requiresGradient()).toList();
        for (int i = 0; i < saved.size(); i++) {
            Arrays2.assign(running.get(i).getValue().getArray(), saved.get(i));
        }
    }

    @Override
    public void close() {
        if (owns) {
            net.close();
        }
    }
}

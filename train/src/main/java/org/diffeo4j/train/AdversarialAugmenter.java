package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.diffeo4j.attack.ModeVectors;
import org.diffeo4j.attack.WorstDeformations;
import org.diffeo4j.augment.AdversarialSpec;
import org.diffeo4j.augment.AugmentAddress;
import org.diffeo4j.augment.DiffeoAugment;
import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.torch.TorchRuntime;

import java.util.List;
import java.util.function.Function;

/**
 * Adversarial diffeo augmentation of a training batch (issue 22, item 2; {@link AdversarialSpec}): image
 * i of epoch e gets the (c, T) of the authors' transform at (seed, e, i) ({@link DiffeoAugment#cut},
 * {@link DiffeoAugment#temperature}), starts from that draw's coefficients (the field {@code diffeo}
 * augmentation would apply, streams 0 and 1 at {@code AugmentAddress.of(e, i, 0)}) scaled onto the sphere
 * of the typical energy, and climbs {@code steps} steps of {@code diffeo attack}'s projected ascent with
 * the current net's input gradients ({@link WorstDeformations}).
 *
 * <p>The net is evaluated in inference mode (batch-norm on its running statistics, as {@code diffeo attack}
 * evaluates a trained net): each image's worst case is its own, not one of the batch. Its weights are
 * taken out of autograd for the ascent's backward passes and put back after, so the ascent leaves no
 * gradient on them and costs an input gradient only. Deterministic given the weights: the starts are
 * addressed by (seed, epoch, image), the ascent draws nothing.
 */
final class AdversarialAugmenter implements AutoCloseable {
    private final AdversarialSpec spec;
    private final DiffeoAugment sampling;
    private final Net net;
    private final List<NDArray> weights;
    private final Parallel parallel;
    private final DjlModel model;
    private double seconds;

    /** @param weights the net's trained arrays (those that require gradients in training) */
    AdversarialAugmenter(AdversarialSpec spec, long seed, Net net, List<NDArray> weights) {
        this.spec = spec;
        this.sampling = new DiffeoAugment(spec.sampling(), seed);
        this.net = net;
        this.weights = weights;
        this.parallel = new Parallel(Math.max(1, TorchRuntime.threads()));
        this.model = DjlModel.borrowing(net, "in training");
    }

    /**
     * The batch's images replaced by their worst deformations.
     *
     * @param x b x c x h x w, as the net reads them (normalised: the bilinear remap commutes with a per-channel affine map); not modified
     * @param images the training-set index of each image
     * @param labels the label of each image
     */
    float[] apply(int epoch, long[] images, int[] labels, float[] x, int c, int h, int w) {
        long t0 = System.nanoTime();
        int b = images.length;
        int[] cuts = new int[b];
        double[] temps = new double[b];
        double[][] starts = new double[b][];
        for (int i = 0; i < b; i++) {
            cuts[i] = sampling.cut(epoch, images[i], w);
            temps[i] = sampling.temperature(epoch, images[i], cuts[i], w);
            CoefficientBatch z = CoefficientBatch.draw(cuts[i], sampling.seed(), AugmentAddress.of(epoch, images[i], 0), 1);
            starts[i] = new ModeVectors(cuts[i]).fromGrid(z.zu(), z.zv(), 0);
        }
        ImageBatch batch = new ImageBatch(b, c, h, w, x);
        WorstDeformations.Result r = WorstDeformations.climb(model, this::inputGradient, batch, labels, cuts, temps, starts, spec.target(),
                spec.steps(), parallel);
        seconds += (System.nanoTime() - t0) / 1e9;
        return r.images().data();
    }

    /** One inference forward under autograd with the weights out of it, then the backward of {@code sum v * f(x)} to the input. */
    private Differentiable.InputGradient inputGradient(ImageBatch images, Function<Activations, float[]> cotangent) {
        Arrays2.withoutGrad(() -> weights.forEach(a -> a.setRequiresGradient(false)));
        try (NDManager m = net.manager().newSubManager()) {
            NDArray in = m.create(images.data(), new Shape(images.count(), images.channels(), images.height(), images.width()));
            in.setRequiresGradient(true);
            Activations out;
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray y = net.forward(in, false);
                out = new Activations((int) y.getShape().get(0), (int) (y.size() / y.getShape().get(0)), y.toFloatArray());
                NDArray v = m.create(cotangent.apply(out), y.getShape());
                gc.backward(y.mul(v).sum());
            }
            return new Differentiable.InputGradient(out, in.getGradient().toFloatArray());
        } finally {
            Arrays2.withoutGrad(() -> weights.forEach(a -> a.setRequiresGradient(true)));
        }
    }

    /** Seconds spent since the last call (and resets the count). */
    double takeSeconds() {
        double s = seconds;
        seconds = 0;
        return s;
    }

    @Override
    public void close() {
        parallel.close();
    }
}

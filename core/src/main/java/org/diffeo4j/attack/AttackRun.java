package org.diffeo4j.attack;

import org.diffeo4j.validate.BadInputException;
import org.diffeo4j.backend.Parallel;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.CoefficientBatch;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Differentiable;
import org.diffeo4j.model.Model;
import org.diffeo4j.stability.LayerResult;
import org.diffeo4j.stability.Noise;
import org.diffeo4j.stability.Sensitivities;
import org.diffeo4j.stability.Statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Worst-case diffeomorphisms of a given norm (issue 22): for every probe and (c, T) cell, the
 * coefficients z on the sphere {@code T |z|^2 = 2 M T} (the ensemble's expected energy
 * {@code sum (i^2 + j^2) C_ij^2}, so the typical {@code ||grad tau||}; {@link ModeVectors}) that
 * maximise the {@link Target}, by {@link SphereAscent} from the typical draws of {@code restarts}
 * realisations, the best kept; then the worst-case noise of the typical diffeo's norm
 * ({@link NoiseAttack}), and the statistics. Deformations are the Java backend's
 * ({@link BilinearDeformer}), so the written coefficients replay exactly.
 */
public final class AttackRun implements AutoCloseable {
    /** Told after each batch of walkers. */
    public interface Listener {
        void step(long done, long total);
    }

    /** Finished cells, and cells of an interrupted run found again (a journal): a cell found is not recomputed. */
    public interface CellStore {
        Optional<AttackCell> find(int cut, double temperature);

        void finished(AttackCell cell);

        CellStore NONE = new CellStore() {
            @Override
            public Optional<AttackCell> find(int cut, double temperature) {
                return Optional.empty();
            }

            @Override
            public void finished(AttackCell cell) {
            }
        };
    }

    private final Model model;
    private final Differentiable autograd;
    private final Parallel parallel;
    private final AttackCounters counters = new AttackCounters();

    /**
     * @param model used, not closed; it must implement {@link Differentiable} (with no
     *              {@link Differentiable#noGradientReason}) for {@link AttackMethod#GRADIENT}
     * @param threads for the deformations (the model's runtime has its own)
     */
    public AttackRun(Model model, int threads) {
        this.model = model;
        this.autograd = model instanceof Differentiable d && d.noGradientReason() == null ? d : null;
        this.parallel = new Parallel(threads);
    }

    /** Why {@code model} gives no gradients (the message of a refused {@link AttackMethod#GRADIENT}), or null when it does. */
    public static String noGradientReason(Model model) {
        if (model instanceof Differentiable d) {
            return d.noGradientReason();
        }
        return model.description() + " gives no gradients (only TorchScript models and folders of diffeo train do)";
    }

    public AttackCounters counters() {
        return counters;
    }

    /**
     * Attacks every cell of {@code spec}, cut-major, skipping those {@code store} holds.
     *
     * @param probes x, [P, C, H, W]; not modified
     * @param labels the probes' classes, or null (margins then count against the clean prediction)
     * @param dataIndex each probe's index in its data set (written with the coefficients)
     */
    public List<AttackCell> run(ImageBatch probes, int[] labels, int[] dataIndex, AttackSpec spec, Listener listener, CellStore store) {
        if (spec.method() == AttackMethod.GRADIENT && autograd == null) {
            throw new BadInputException("method gradient needs a model with gradients, found " + noGradientReason(model));
        }
        model.requireInput(probes);
        Listener given = listener;
        long[] told = {-1};
        listener = (d, t) -> { // forward only: a cell's end is reported by the cell and by the sweep
            if (d > told[0]) {
                told[0] = d;
                given.step(d, t);
            }
        };
        ImageBatch x = probes.toHeap();
        int p = x.count(), n = Math.max(x.height(), x.width());
        long perCell = (long) p * spec.restarts() + p, total = perCell * spec.cuts().size() * spec.strengths(), done = 0;
        Activations clean = null;
        double deno = Double.NaN;
        int[] classes = null;
        List<AttackCell> cells = new ArrayList<>();
        for (int cut : spec.cuts()) {
            for (int t = 0; t < spec.strengths(); t++) {
                double temperature = spec.temperature(cut, t, n);
                Optional<AttackCell> known = store.find(cut, temperature);
                if (known.isPresent()) {
                    cells.add(known.get());
                    done += perCell;
                    listener.step(done, total);
                    continue;
                }
                if (clean == null) {
                    long t0 = System.nanoTime();
                    clean = model.forward(x);
                    counters.forward += System.nanoTime() - t0;
                    counters.forwardImages += p;
                    deno = Statistics.deno(clean, spec.average());
                    classes = labels != null ? labels.clone() : predictions(clean);
                }
                long base = done;
                Listener tell = listener;
                Cell cell = new Cell(x, clean, deno, classes, labels, dataIndex, spec, cut, spec.delta(t), temperature,
                        d -> tell.step(base + d, total));
                AttackCell result = cell.run();
                store.finished(result);
                cells.add(result);
                done += perCell;
                listener.step(done, total);
            }
        }
        return cells;
    }

    /** One cell's work. */
    private final class Cell {
        final ImageBatch x;
        final Activations clean;
        final double deno;
        final int[] classes, labels, dataIndex;
        final AttackSpec spec;
        final int cut, p, size, k;
        final double delta, temperature;
        final ModeVectors modes;
        final java.util.function.LongConsumer progress;

        Cell(ImageBatch x, Activations clean, double deno, int[] classes, int[] labels, int[] dataIndex, AttackSpec spec, int cut, double delta,
             double temperature, java.util.function.LongConsumer progress) {
            this.x = x;
            this.clean = clean;
            this.deno = deno;
            this.classes = classes;
            this.labels = labels;
            this.dataIndex = dataIndex;
            this.spec = spec;
            this.cut = cut;
            this.delta = delta;
            this.temperature = temperature;
            this.progress = progress;
            this.p = x.count();
            this.size = x.sampleSize();
            this.k = clean.units();
            this.modes = new ModeVectors(cut);
        }

        AttackCell run() {
            int restarts = spec.restarts();
            // The typical draws: realisation r deforms probe i by the draw at sample r*P + i, as a measurement does.
            CoefficientBatch draws = CoefficientBatch.draw(cut, spec.seed(), 0, restarts * p);
            List<Sensitivities> typical = new ArrayList<>();
            double flipTypical = 0;
            float[] typical0 = null;
            double[] rho = new double[p];
            for (int r = 0; r < restarts; r++) {
                float[] deformed = deformAll(draws.zu(), draws.zv(), r * p);
                Activations fd = forward(deformed);
                ImageBatch tx = batch(deformed);
                long t0 = System.nanoTime();
                ImageBatch noisy = Noise.add(x, tx, spec.seed(), (long) r * p);
                counters.other += System.nanoTime() - t0;
                Activations fn = forward(noisy.data());
                typical.add(new Sensitivities(deno, Statistics.sensitivity(clean, fd, spec.average()) / deno,
                        Statistics.sensitivity(clean, fn, spec.average()) / deno));
                flipTypical += flips(fd) / (double) p / restarts;
                if (r == 0) {
                    typical0 = fd.data();
                    rho = Noise.displacementNorms(x, tx);
                }
            }
            Best worst = attackDiffeos(draws);
            // The written coefficients are floats: their deformation, evaluated in one batch, is f(tau* x) as reported and replayed.
            float[] zu = new float[p * cut * cut], zv = new float[p * cut * cut];
            for (int i = 0; i < p; i++) {
                modes.toGrid(worst.point[i], zu, zv, i * cut * cut);
            }
            Activations fw = forward(deformAll(zu, zv, 0));
            progress.accept((long) p * restarts);
            double[][] eta = attackNoise(rho);
            float[] noisy = new float[p * size];
            for (int i = 0; i < p; i++) {
                NoiseAttack.add(x.data(), i * size, eta[i], noisy, i * size);
            }
            Activations fe = forward(noisy);
            List<ProbeOutcome> outcomes = new ArrayList<>();
            double energyError = 0, budget = modes.energyBudget(temperature);
            int[] flips = new int[3];
            for (int i = 0; i < p; i++) {
                int[] predicted = {Target.argmax(clean.data(), i * k, k), Target.argmax(typical0, i * k, k), Target.argmax(fw.data(), i * k, k), Target.argmax(fe.data(), i * k, k)};
                double[] distances = {0, distance(typical0, i), distance(fw.data(), i), distance(fe.data(), i)};
                double energy = modes.energy(temperature, zu, zv, i * cut * cut);
                energyError = Math.max(energyError, Math.abs(energy - budget) / budget);
                ProbeOutcome o = new ProbeOutcome(i, dataIndex[i], labels == null ? -1 : labels[i], predicted, distances,
                        spec.target().value(fw.data(), i * k, clean.data(), i * k, k, classes[i]), worst.restart[i], energy,
                        java.util.Arrays.copyOfRange(zu, i * cut * cut, (i + 1) * cut * cut),
                        java.util.Arrays.copyOfRange(zv, i * cut * cut, (i + 1) * cut * cut),
                        java.util.Arrays.copyOfRange(fw.data(), i * k, (i + 1) * k));
                for (int w = 1; w <= 3; w++) {
                    flips[w - 1] += o.flipped(w) ? 1 : 0;
                }
                outcomes.add(o);
            }
            // Folds of the worst fields (Appendix B's check on the pixel grid, the written float coefficients).
            org.diffeo4j.field.CoefficientBatch written = new org.diffeo4j.field.CoefficientBatch(cut, p, zu, zv);
            int folded = 0;
            double minDet = Double.POSITIVE_INFINITY;
            for (int i = 0; i < p; i++) {
                org.diffeo4j.field.Jacobian.Check check = org.diffeo4j.field.Jacobian.check(written, i, temperature, x.height(), x.width());
                folded += check.isDiffeomorphism() ? 0 : 1;
                minDet = Math.min(minDet, check.minDeterminant());
            }
            double dWorst = Statistics.sensitivity(clean, fw, spec.average()) / deno;
            double gWorst = Statistics.sensitivity(clean, fe, spec.average()) / deno;
            progress.accept((long) p * restarts + p);
            return new AttackCell(cut, delta, temperature, spec.target(), spec.method(), spec.average(), restarts, spec.steps(), deno,
                    LayerResult.of(typical), dWorst, gWorst, flipTypical, flips[1] / (double) p, flips[2] / (double) p, budget, energyError,
                    folded / (double) p, minDet, outcomes);
        }

        /** Every walker (r, i) climbs from the draw at sample r*P + i scaled onto the sphere; per probe the best restart. */
        Best attackDiffeos(CoefficientBatch draws) {
            int walkers = spec.restarts() * p, dim = modes.dimension();
            boolean grad = spec.method() == AttackMethod.GRADIENT;
            int chunk = grad ? DiffeoOracle.GRADIENT_BATCH : Math.max(1, Math.min(512, 8192 / (2 * dim)));
            Best best = new Best(p);
            for (int from = 0; from < walkers; from += chunk) {
                int n = Math.min(chunk, walkers - from);
                double[][] starts = new double[n][];
                int[] probeOf = new int[n];
                for (int a = 0; a < n; a++) {
                    int w = from + a;
                    starts[a] = ModeVectors.scaleTo(modes.fromGrid(draws.zu(), draws.zv(), w * cut * cut), modes.radiusSquared());
                    probeOf[a] = w % p;
                }
                DiffeoOracle oracle = new DiffeoOracle(model, autograd, x, clean, classes, spec.target(), modes, temperature, probeOf, parallel,
                        counters);
                SphereAscent.Result r = SphereAscent.run(starts, spec.steps(), grad, oracle);
                for (int a = 0; a < n; a++) {
                    int w = from + a, i = w % p;
                    if (best.point[i] == null || r.value()[a] > best.value[i]) {
                        best.point[i] = r.best()[a];
                        best.value[i] = r.value()[a];
                        best.restart[i] = w / p;
                    }
                }
                progress.accept(from + n);
            }
            return best;
        }

        /** The worst-case noise of norm rho_i per probe ({@link NoiseAttack}). */
        double[][] attackNoise(double[] rho) {
            double[][] eta = new double[p][];
            boolean grad = spec.method() == AttackMethod.GRADIENT;
            int chunk = grad ? DiffeoOracle.GRADIENT_BATCH : 16;
            SphereAscent.Oracle oracle = NoiseAttack.oracle(model, autograd, x, clean, classes, spec.target(), counters);
            for (int from = 0; from < p; from += chunk) {
                int n = Math.min(chunk, p - from);
                double[][] starts = new double[n][];
                for (int a = 0; a < n; a++) {
                    starts[a] = NoiseAttack.gaussianStart(size, spec.seed(), from + a, rho[from + a]);
                }
                if (grad) {
                    int first = from;
                    SphereAscent.Oracle shifted = (w, pts, v, o, g) -> oracle.evaluate(shift(w, first), pts, v, o, g);
                    SphereAscent.Result r = SphereAscent.run(starts, spec.steps(), true, shifted);
                    System.arraycopy(r.best(), 0, eta, from, n);
                } else {
                    List<Integer> who = new ArrayList<>();
                    List<double[]> candidates = new ArrayList<>();
                    for (int a = 0; a < n; a++) {
                        int i = from + a;
                        who.add(i);
                        candidates.add(starts[a]);
                        for (double[] c : NoiseAttack.linearisedCandidates(model, x, clean, i, classes[i], spec.target(), rho[i], counters)) {
                            who.add(i);
                            candidates.add(c);
                        }
                    }
                    double[] v = new double[who.size()];
                    oracle.evaluate(who.stream().mapToInt(Integer::intValue).toArray(), candidates.toArray(double[][]::new), v,
                            new float[who.size()][], null);
                    double[] bestValue = new double[n];
                    java.util.Arrays.fill(bestValue, Double.NEGATIVE_INFINITY);
                    for (int c = 0; c < v.length; c++) {
                        int a = who.get(c) - from;
                        if (v[c] > bestValue[a]) {
                            bestValue[a] = v[c];
                            eta[who.get(c)] = candidates.get(c);
                        }
                    }
                }
                progress.accept((long) p * spec.restarts() + from + n);
            }
            return eta;
        }

        float[] deformAll(float[] zu, float[] zv, int firstDraw) {
            float[] out = new float[p * size];
            long t0 = System.nanoTime();
            parallel.forRange(p, 8, (a, b) -> {
                BilinearDeformer d = new BilinearDeformer(modes, x.channels(), x.height(), x.width());
                for (int i = a; i < b; i++) {
                    d.deform(x.data(), i * size, zu, zv, (firstDraw + i) * cut * cut, temperature, out, i * size);
                }
            });
            counters.deform += System.nanoTime() - t0;
            return out;
        }

        Activations forward(float[] images) {
            long t0 = System.nanoTime();
            Activations a = model.forward(batch(images));
            counters.forward += System.nanoTime() - t0;
            counters.forwardImages += p;
            return a;
        }

        ImageBatch batch(float[] images) {
            return new ImageBatch(images.length / size, x.channels(), x.height(), x.width(), images);
        }

        double distance(float[] out, int i) {
            double s = 0;
            for (int u = 0; u < k; u++) {
                double d = (double) out[i * k + u] - clean.get(i, u);
                s += d * d;
            }
            return s;
        }

        int flips(Activations out) {
            int f = 0;
            for (int i = 0; i < p; i++) {
                f += Target.argmax(out.data(), i * k, k) != Target.argmax(clean.data(), i * k, k) ? 1 : 0;
            }
            return f;
        }
    }

    private static int[] shift(int[] walkers, int by) {
        int[] s = new int[walkers.length];
        for (int a = 0; a < s.length; a++) {
            s[a] = walkers[a] + by;
        }
        return s;
    }

    /** Per probe: the best point over restarts, its value and restart. */
    private static final class Best {
        final double[][] point;
        final double[] value;
        final int[] restart;

        Best(int p) {
            point = new double[p][];
            value = new double[p];
            restart = new int[p];
        }
    }

    private static int[] predictions(Activations clean) {
        int[] out = new int[clean.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Target.argmax(clean.data(), i * clean.units(), clean.units());
        }
        return out;
    }

    @Override
    public void close() {
        parallel.close();
    }
}

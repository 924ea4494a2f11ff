package org.diffeo4j.stability;

import org.diffeo4j.backend.DiffeoBackend;
import org.diffeo4j.data.ImageBatch;
import org.diffeo4j.field.DiffeoSpec;
import org.diffeo4j.field.FieldBatch;
import org.diffeo4j.interp.Interpolation;
import org.diffeo4j.model.Activations;
import org.diffeo4j.model.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference protocol (DESIGN.md section 1; Petrini et al. 2021, Sections 3 and 5) for a model on
 * probe images, over a {@link StabilitySpec} sweep. Realisation r of every cell draws probe i's diffeo
 * and noise at sample address {@code r*P + i} (see the package documentation).
 */
public final class StabilityMeasurement {
    /** Told after each realisation. */
    public interface Listener {
        void step(int done, int total);
    }

    /**
     * Where finished cells go, and where cells of an interrupted run are found again (a JSONL log):
     * a cell found is not recomputed. Realisation addresses do not depend on the cell, so a resumed
     * sweep gives the same numbers as an uninterrupted one.
     */
    public interface CellStore {
        /** The stored result of the cell at (cut, temperature), if any. */
        Optional<CellResult> find(int cut, double temperature);

        /** Records a finished cell. */
        void finished(CellResult cell);

        /** Keeps nothing. */
        CellStore NONE = new CellStore() {
            @Override
            public Optional<CellResult> find(int cut, double temperature) {
                return Optional.empty();
            }

            @Override
            public void finished(CellResult cell) {
            }
        };
    }

    /**
     * Where the output's per-probe distances go ({@code measure --per-probe}): the clean outputs once,
     * then every realisation measured (cells found in a {@link CellStore} are not measured, so they
     * tell nothing).
     */
    public interface ProbeSink {
        /** f(x) of the probes on the output layer, before the first realisation measured. */
        void clean(Activations output);

        /** One realisation's per-probe distances. */
        void realisation(ProbeResult probes);
    }

    private final Model model;
    private final DiffeoBackend backend;
    private final Timings timings = new Timings();

    /** @param model and backend are used, not closed */
    public StabilityMeasurement(Model model, DiffeoBackend backend) {
        this.model = model;
        this.backend = backend;
    }

    /** Time spent so far, by phase. */
    public Timings timings() {
        return timings;
    }

    /** Runs the sweep: cells in order cut-major, then strength. {@code probes} is not modified. */
    public List<CellResult> run(ImageBatch probes, StabilitySpec spec, Listener listener) {
        return run(probes, spec, listener, CellStore.NONE);
    }

    /** Runs the sweep, skipping the cells {@code store} already holds and giving it each new one. */
    public List<CellResult> run(ImageBatch probes, StabilitySpec spec, Listener listener, CellStore store) {
        return run(probes, spec, listener, store, null);
    }

    /** Runs the sweep as {@link #run(ImageBatch, StabilitySpec, Listener, CellStore)}, telling {@code sink} (if not null) every probe. */
    public List<CellResult> run(ImageBatch probes, StabilitySpec spec, Listener listener, CellStore store, ProbeSink sink) {
        model.requireInput(probes);
        Clean clean = null; // prepared on the first cell not found in the store; closed however the run ends
        int n = Math.max(probes.height(), probes.width()), total = spec.steps(), done = 0;
        List<CellResult> cells = new ArrayList<>();
        try {
            for (int cut : spec.cuts()) {
                for (int t = 0; t < spec.strengths(); t++) {
                    double delta = spec.deltas().isEmpty() ? Double.NaN : spec.deltas().get(t);
                    DiffeoSpec d = spec.deltas().isEmpty() ? new DiffeoSpec(cut, spec.temperatures().get(t), spec.interp())
                            : DiffeoSpec.ofDelta(cut, delta, n, spec.interp());
                    Optional<CellResult> known = store.find(cut, d.temperature());
                    if (known.isPresent()) {
                        cells.add(known.get());
                        done += spec.realisations();
                        listener.step(done, total);
                        continue;
                    }
                    if (clean == null) {
                        clean = prepare(probes, spec.interp(), spec.average(), spec.layers());
                        if (sink != null) {
                            sink.clean(clean.activations().get(Model.OUTPUT));
                        }
                    }
                    Map<String, List<Sensitivities>> perLayer = new LinkedHashMap<>();
                    for (int r = 0; r < spec.realisations(); r++) {
                        Measured one = measure(clean, d, spec.average(), spec.noise(), spec.seed(), (long) r * probes.count(), sink != null);
                        one.layers().forEach((k, v) -> perLayer.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                        if (sink != null) {
                            sink.realisation(new ProbeResult(cut, delta, d.temperature(), r, one.layers().get(Model.OUTPUT).deno(),
                                    one.d(), one.g()));
                        }
                        listener.step(++done, total);
                    }
                    Map<String, LayerResult> layers = new LinkedHashMap<>();
                    for (String l : spec.layers()) {
                        layers.put(l, LayerResult.of(perLayer.get(l)));
                    }
                    CellResult cell = new CellResult(cut, delta, d.temperature(), spec.interp(), spec.average(),
                            LayerResult.of(perLayer.get(Model.OUTPUT)), layers, spec.noise());
                    store.finished(cell);
                    cells.add(cell);
                }
            }
        } finally {
            if (clean != null) {
                clean.close();
            }
        }
        return cells;
    }

    /**
     * The clean side, shared by every cell: the images x (Gaussian-smoothed for Gaussian
     * interpolation, as the reference does), their activations and normalisations, and the working
     * batches of the realisations in the backend's own memory (so a GPU keeps the images on the
     * device between deformation and noise and copies back only what the model reads). Close it to
     * free that memory.
     *
     * @param raw the images as loaded (heap); deformations start from them
     * @param base x of the protocol (heap): the noise is added to it and f(x) computed from it
     */
    public record Clean(ImageBatch raw, ImageBatch base, Map<String, Activations> activations, Map<String, Double> deno,
                        List<String> layers, Work work) implements AutoCloseable {
        @Override
        public void close() {
            if (work != null) {
                work.close();
            }
        }
    }

    /** raw and base as the backend reads them without copying, and the two outputs of a realisation. */
    record Work(ImageBatch raw, ImageBatch base, ImageBatch deformed, ImageBatch noisy, List<ImageBatch> owned)
            implements AutoCloseable {
        static Work on(DiffeoBackend backend, ImageBatch raw, ImageBatch base) {
            List<ImageBatch> owned = new ArrayList<>();
            ImageBatch r = resident(backend, raw, owned);
            ImageBatch b = base == raw ? r : resident(backend, base, owned);
            ImageBatch d = backend.allocateImages(raw.count(), raw.channels(), raw.height(), raw.width());
            ImageBatch n = backend.allocateImages(raw.count(), raw.channels(), raw.height(), raw.width());
            owned.add(d);
            owned.add(n);
            return new Work(r, b, d, n, owned);
        }

        private static ImageBatch resident(DiffeoBackend backend, ImageBatch x, List<ImageBatch> owned) {
            if (backend.memories().contains(x.memory())) {
                return x;
            }
            ImageBatch copy = backend.allocateImages(x.count(), x.channels(), x.height(), x.width());
            owned.add(copy);
            x.copyTo(copy);
            return copy;
        }

        @Override
        public void close() {
            owned.forEach(ImageBatch::close);
        }
    }

    /** Smooths (when Gaussian), evaluates and normalises the clean probes. */
    public Clean prepare(ImageBatch probes, Interpolation interp, Average average, List<String> layers) {
        long t0 = System.nanoTime();
        ImageBatch raw = probes.toHeap();
        ImageBatch base = smoothed(backend, raw, interp);
        long t1 = System.nanoTime();
        Map<String, Activations> act = model.forward(base, layers);
        long t2 = System.nanoTime();
        Map<String, Double> deno = new LinkedHashMap<>();
        act.forEach((k, v) -> deno.put(k, Statistics.deno(v, average)));
        long t3 = System.nanoTime();
        timings.deform += t1 - t0;
        timings.forward += t2 - t1;
        timings.statistics += t3 - t2;
        return new Clean(raw, base, act, deno, List.copyOf(layers), Work.on(backend, raw, base));
    }

    /**
     * One realisation at sample addresses {@code firstSample + i}: sensitivities per layer (key
     * {@link Model#OUTPUT} first). Deformation and noise run on the backend, in its memory; only the
     * two batches the model reads come back to the heap.
     */
    public Map<String, Sensitivities> realisation(Clean clean, DiffeoSpec d, Average average, long seed, long firstSample) {
        return realisation(clean, d, average, NoiseKind.GAUSSIAN, seed, firstSample);
    }

    /** {@link #realisation(Clean, DiffeoSpec, Average, long, long)} with G_f against {@code noise}. */
    public Map<String, Sensitivities> realisation(Clean clean, DiffeoSpec d, Average average, NoiseKind noise, long seed, long firstSample) {
        return measure(clean, d, average, noise, seed, firstSample, false).layers();
    }

    /** One realisation's sensitivities, and the output's per-probe distances when asked (else null). */
    private record Measured(Map<String, Sensitivities> layers, double[] d, double[] g) {
    }

    private Measured measure(Clean clean, DiffeoSpec d, Average average, NoiseKind noise, long seed, long firstSample, boolean probes) {
        Work w = clean.work();
        long t0 = System.nanoTime();
        backend.deformInto(w.raw(), d, seed, firstSample, w.deformed());
        long t1 = System.nanoTime();
        ImageBatch deformed, noisy;
        if (noise == NoiseKind.GAUSSIAN) {
            backend.addNoiseInto(w.base(), w.deformed(), seed, firstSample, w.noisy());
            long t2 = System.nanoTime();
            deformed = w.deformed().toHeap();
            noisy = w.noisy().toHeap();
            long t3 = System.nanoTime();
            timings.noise += t2 - t1;
            timings.transfer += t3 - t2;
        } else {
            // Every backend, the Java one included, draws the spectral noise on the heap: addNoiseInto is Gaussian only.
            deformed = w.deformed().toHeap();
            long t2 = System.nanoTime();
            noisy = SpectralNoise.add(clean.base(), deformed, seed, firstSample);
            timings.transfer += t2 - t1;
            timings.noise += System.nanoTime() - t2;
        }
        timings.deform += t1 - t0;
        return compare(clean, deformed, noisy, average, probes);
    }

    /** D and G of every layer from the deformed and noisy images. */
    Map<String, Sensitivities> compare(Clean clean, ImageBatch deformed, ImageBatch noisy, Average average) {
        return compare(clean, deformed, noisy, average, false).layers();
    }

    private Measured compare(Clean clean, ImageBatch deformed, ImageBatch noisy, Average average, boolean probes) {
        long t0 = System.nanoTime();
        Map<String, Activations> fd = model.forward(deformed, clean.layers());
        Map<String, Activations> fn = model.forward(noisy, clean.layers());
        long t1 = System.nanoTime();
        Map<String, Sensitivities> out = new LinkedHashMap<>();
        for (Map.Entry<String, Activations> e : clean.activations().entrySet()) {
            double deno = clean.deno().get(e.getKey());
            out.put(e.getKey(), new Sensitivities(deno,
                    Statistics.sensitivity(e.getValue(), fd.get(e.getKey()), average) / deno,
                    Statistics.sensitivity(e.getValue(), fn.get(e.getKey()), average) / deno));
        }
        double[] pd = null, pg = null;
        if (probes) {
            Activations before = clean.activations().get(Model.OUTPUT);
            pd = ProbeResult.distances(before, fd.get(Model.OUTPUT));
            pg = ProbeResult.distances(before, fn.get(Model.OUTPUT));
        }
        timings.statistics += System.nanoTime() - t1;
        timings.forward += t1 - t0;
        return new Measured(out, pd, pg);
    }

    /** x itself, or for Gaussian interpolation its remap through the zero field (the reference's smoothing). */
    public static ImageBatch smoothed(DiffeoBackend backend, ImageBatch images, Interpolation interp) {
        if (interp != Interpolation.GAUSSIAN) {
            return images;
        }
        return backend.remap(images, FieldBatch.zeros(images.count(), images.height(), images.width()), interp);
    }
}

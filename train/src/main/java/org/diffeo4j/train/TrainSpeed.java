package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;

import java.nio.file.Path;
import java.util.List;

/**
 * Training speed of each architecture here, in the protocol of tools/torch_train_speed.py (batch 64,
 * Adam 1e-3 or with SPEED_OPTIMIZER=sgd the paper recipe's SGD, images/s of the second of two passes over the first N MNIST
 * images (2,048 for the six reduced nets, fc-l4 and lenet-paper, 512 for the other full-width nets; SPEED_PASSES=K: the last of K), in wall time and per
 * CPU-second), for
 * tools/train_speed.sh, which runs the PyTorch twins in the same window.
 * Usage: {@code TrainSpeed MNIST_IMAGES THREADS [ARCH...]}.
 */
public final class TrainSpeed {
    private TrainSpeed() {
    }

    public static void main(String[] args) throws Exception {
        LabeledImages all = Datasets.load(Path.of(args[0]));
        TorchRuntime.engine(org.diffeo4j.model.Options.threads(Integer.parseInt(args[1])));
        List<String> archs = args.length > 2 ? List.of(args).subList(2, args.length)
                : java.util.Arrays.stream(Arch.values()).map(Arch::id).toList();
        // SPEED_PASSES: passes over the images, the last one timed (default 2, the protocol of torch_train_speed.py; more
        // measure the JVM after its compilers have settled, as in a training run of many epochs)
        int passes = Integer.parseInt(System.getenv().getOrDefault("SPEED_PASSES", "2"));
        if (passes < 2) {
            throw new IllegalArgumentException("SPEED_PASSES must be an integer >= 2, found " + passes);
        }
        System.out.println("engine: " + TorchRuntime.describe());
        for (String name : archs) {
            Arch arch = Arch.parse(name);
            // 2,048 images (32 steps a pass) for the six reduced nets and fc-l4, lenet-paper: with 512 the tiny nets
            // pass in 30-150 ms, too short for CPU time to tell the step from the neighbours, and the reduced resnet's
            // 8-step second pass still carried HotSpot's C2 compiling DJL's per-op Java paths (docs/BENCHMARKS.md,
            // "What was left below 0.8x"), a one-off cost a training run of thousands of steps does not pay per step.
            // The slow full-width conv nets keep 512 (a 2,048-image pass of resnet50 would take minutes).
            int n = !arch.fullWidth() || arch == Arch.FC_L4 || arch == Arch.LENET_PAPER ? 2048 : 512;
            LabeledImages data = Probes.first(all, n);
            // SPEED_OPTIMIZER=sgd: the paper recipe's update (momentum 0.9, weight decay 5e-4 on weights; lr 0.01 keeps every net finite)
            boolean sgd = "sgd".equals(System.getenv("SPEED_OPTIMIZER"));
            TrainSpec spec = sgd ? new TrainSpec(arch, n, false, passes, 64, "sgd", 0.01, 0).with(Recipe.DEFAULT.withWeightDecay(5e-4))
                    : new TrainSpec(arch, n, false, passes, 64, "adam", 1e-3, 0);
            try (Net net = Architectures.build(arch, new int[]{1, 28, 28}, 10, 0)) {
                double[] rate = new double[1], cpu = new double[passes + 1], main = new double[passes + 1];
                java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                cpu[0] = os.getProcessCpuTime();
                main[0] = tm.getCurrentThreadCpuTime();
                Path tmp = java.nio.file.Files.createTempFile("speed", ".bin");
                NetTrainer.train(net, spec, data, new NetTrainer.Sets(Probes.first(all, 10), null), tmp, new java.util.ArrayList<>(), (e, d, t, l, ips) -> {
                }, (nn, log) -> {
                    rate[0] = log.imagesPerSecond();
                    cpu[log.epoch()] = os.getProcessCpuTime();
                    main[log.epoch()] = tm.getCurrentThreadCpuTime();
                });
                java.nio.file.Files.deleteIfExists(tmp);
                // Images per CPU-second of the process over the last pass: on a loaded machine wall time measures the
                // neighbours, CPU time (with one thread) mostly the work; the main thread's alone leaves out the JIT compiler's.
                System.out.printf("%s: train %.0f img/s, %.0f img/cpu-s (batch 64, %s, %d threads, %d parameters; main thread %.0f img/cpu-s)%n", arch.id(), rate[0],
                        n / ((cpu[passes] - cpu[passes - 1]) / 1e9), spec.optimizer(), TorchRuntime.threads(), net.parameterCount(),
                        n / ((main[passes] - main[passes - 1]) / 1e9));
            }
        }
    }
}

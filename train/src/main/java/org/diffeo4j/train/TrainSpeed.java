package org.diffeo4j.train;

import org.diffeo4j.torch.TorchRuntime;
import org.diffeo4j.data.Datasets;
import org.diffeo4j.data.LabeledImages;
import org.diffeo4j.data.Probes;

import java.nio.file.Path;
import java.util.List;

/**
 * Training speed of each architecture here, in the protocol of tools/torch_train_speed.py (batch 64,
 * Adam 1e-3, images/s of the second of two passes over the first N MNIST images, in wall time and per CPU-second), for
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
        System.out.println("engine: " + TorchRuntime.describe());
        for (String name : archs) {
            Arch arch = Arch.parse(name);
            int n = arch == Arch.FC || arch == Arch.LENET ? 2048 : 512;
            LabeledImages data = Probes.first(all, n);
            // SPEED_OPTIMIZER=sgd: the paper recipe's update (momentum 0.9, weight decay 5e-4 on weights; lr 0.01 keeps every net finite)
            boolean sgd = "sgd".equals(System.getenv("SPEED_OPTIMIZER"));
            TrainSpec spec = sgd ? new TrainSpec(arch, n, false, 2, 64, "sgd", 0.01, 0).with(Recipe.DEFAULT.withWeightDecay(5e-4))
                    : new TrainSpec(arch, n, false, 2, 64, "adam", 1e-3, 0);
            try (Net net = Architectures.build(arch, new int[]{1, 28, 28}, 10, 0)) {
                double[] rate = new double[1], cpu = new double[3];
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                cpu[0] = os.getProcessCpuTime();
                Path tmp = java.nio.file.Files.createTempFile("speed", ".bin");
                NetTrainer.train(net, spec, data, new NetTrainer.Sets(Probes.first(all, 10), null), tmp, new java.util.ArrayList<>(), (e, d, t, l, ips) -> {
                }, (nn, log) -> {
                    rate[0] = log.imagesPerSecond();
                    cpu[log.epoch()] = os.getProcessCpuTime();
                });
                java.nio.file.Files.deleteIfExists(tmp);
                // Images per CPU-second of the process over the second epoch: on a loaded machine wall time
                // measures the neighbours, CPU time (with one thread) mostly the work.
                System.out.printf("%s: train %.0f img/s, %.0f img/cpu-s (batch 64, %s, %d threads, %d parameters)%n", arch.id(), rate[0],
                        n / ((cpu[2] - cpu[1]) / 1e9), spec.optimizer(), TorchRuntime.threads(), net.parameterCount());
            }
        }
    }
}

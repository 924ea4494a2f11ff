package org.diffeo4j.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.diffeo4j.data.ImageBatch;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Path;

/** Small DL4J networks built and briefly trained for tests (seeded; a few seconds on 2 cores). */
public final class Dl4jNets {
    private Dl4jNets() {
    }

    /** A LeNet-like conv net on [B, 1, 28, 28] (convolutionalFlat input: fed flattened). */
    public static MultiLayerNetwork smallConv(long seed) {
        Dl4jModel.configureNatives();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(2e-3)).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).name("conv1").build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool1").build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).name("fc1").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).name("out").build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A dense graph 784 -> 32 tanh -> 10 softmax. */
    public static ComputationGraph denseGraph(long seed) {
        Dl4jModel.configureNatives();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(2e-3)).graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(32).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** {@code epochs} full-batch steps on the images and one-hot labels. */
    public static void train(MultiLayerNetwork net, ImageBatch x, int[] labels, int epochs) {
        INDArray in = Nd4j.create(x.data(), new long[]{x.count(), x.sampleSize()}, 'c');
        INDArray y = oneHot(labels, x.count());
        for (int e = 0; e < epochs; e++) {
            net.fit(in, y);
        }
    }

    /** {@code epochs} full-batch steps on the images and one-hot labels. */
    public static void train(ComputationGraph net, ImageBatch x, int[] labels, int epochs) {
        INDArray in = Nd4j.create(x.data(), new long[]{x.count(), x.sampleSize()}, 'c');
        INDArray y = oneHot(labels, x.count());
        for (int e = 0; e < epochs; e++) {
            net.fit(new INDArray[]{in}, new INDArray[]{y});
        }
    }

    private static INDArray oneHot(int[] labels, int n) {
        INDArray y = Nd4j.zeros(n, 10);
        for (int s = 0; s < n; s++) {
            y.putScalar(s, labels[s], 1.0);
        }
        return y;
    }

    /** Saves with ModelSerializer (no updater). */
    public static Path save(MultiLayerNetwork net, Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file;
    }

    /** Saves with ModelSerializer (no updater). */
    public static Path save(ComputationGraph net, Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file;
    }
}

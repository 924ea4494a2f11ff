package org.diffeo4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The authors' DenseBlock (models/simplenets.py): weights w [d, h] and bias b [h], both N(0, 1) at
 * initialisation (SeededInit), and the width scaling in the forward, relu(x w / sqrt(d) + b) for a
 * hidden layer and x w / d for the last (mean-field scaling: the output stays O(1/sqrt d) as d grows).
 * The last layer holds a bias it never adds, as theirs: it counts among the parameters, its gradient is 0.
 */
final class ScaledDense extends AbstractBlock {
    private final int units;
    private final boolean last;
    private final Parameter w, b;

    ScaledDense(int units, boolean last) {
        this.units = units;
        this.last = last;
        w = addParameter(Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build());
        b = addParameter(Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build());
    }

    @Override
    protected void prepare(Shape[] in) {
        w.setShape(new Shape(features(in[0]), units));
        b.setShape(new Shape(units));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        x = x.reshape(x.getShape().get(0), -1);
        long d = x.getShape().get(1);
        NDArray y = x.matMul(store.getValue(w, x.getDevice(), training));
        if (last) {
            return new NDList(y.div((float) d));
        }
        return new NDList(Activation.relu(y.div((float) Math.sqrt(d)).add(store.getValue(b, x.getDevice(), training))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[]{new Shape(in[0].get(0), units)};
    }

    private static long features(Shape s) {
        return s.size() / s.get(0);
    }
}

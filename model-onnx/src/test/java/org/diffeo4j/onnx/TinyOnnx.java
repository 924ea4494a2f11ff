package org.diffeo4j.onnx;

import org.diffeo4j.onnx.proto.OnnxMl.AttributeProto;
import org.diffeo4j.onnx.proto.OnnxMl.GraphProto;
import org.diffeo4j.onnx.proto.OnnxMl.ModelProto;
import org.diffeo4j.onnx.proto.OnnxMl.NodeProto;
import org.diffeo4j.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.diffeo4j.onnx.proto.OnnxMl.TensorProto;
import org.diffeo4j.onnx.proto.OnnxMl.TensorShapeProto;
import org.diffeo4j.onnx.proto.OnnxMl.TypeProto;
import org.diffeo4j.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * Minimal ONNX files for tests, built with the classes protoc generates from onnx-ml.proto (the ones
 * the layer rewriting uses): valid graphs ONNX Runtime loads, some of them unfit for the protocol on
 * purpose. Dimensions of -1 are symbolic ("N"). Opset 13, IR version 8.
 */
public final class TinyOnnx {
    private TinyOnnx() {
    }

    /** Input {@code x} of shape {@code dims} to output {@code y} = Flatten(x). */
    public static byte[] flatten(long... dims) {
        long rest = 1;
        for (int a = 1; a < dims.length; a++) {
            rest *= dims[a];
        }
        NodeProto node = NodeProto.newBuilder().addInput("x").addOutput("y").setOpType("Flatten").build();
        return model(GraphProto.newBuilder().addNode(node).setName("g").addInput(value("x", dims)).addOutput(value("y", dims[0], rest)));
    }

    /** y = x + z: two image inputs [N, 1, 28, 28] (the protocol needs one). */
    public static byte[] twoInputs() {
        NodeProto node = NodeProto.newBuilder().addInput("x").addInput("z").addOutput("y").setOpType("Add").build();
        return model(GraphProto.newBuilder().addNode(node).setName("g").addInput(value("x", -1, 1, 28, 28))
                .addInput(value("z", -1, 1, 28, 28)).addOutput(value("y", -1, 1, 28, 28)));
    }

    /** y = the mean of each image: input [N, 1, 28, 28], output [N] (one number, no class axis). */
    public static byte[] scalarOutput() {
        NodeProto node = NodeProto.newBuilder().addInput("x").addOutput("y").setOpType("ReduceMean")
                .addAttribute(AttributeProto.newBuilder().setName("axes").setType(AttributeProto.AttributeType.INTS)
                        .addInts(1).addInts(2).addInts(3))
                .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT).setI(0))
                .build();
        return model(GraphProto.newBuilder().addNode(node).setName("g").addInput(value("x", -1, 1, 28, 28)).addOutput(value("y", -1)));
    }

    /** y = Flatten(Log(-x)): input [N, 1, 28, 28], output [N, 784], every value NaN or -Infinity for pixels in [0, 1]. */
    public static byte[] nonFiniteOutput() {
        NodeProto neg = NodeProto.newBuilder().addInput("x").addOutput("n").setOpType("Neg").build();
        NodeProto log = NodeProto.newBuilder().addInput("n").addOutput("l").setOpType("Log").build();
        NodeProto flat = NodeProto.newBuilder().addInput("l").addOutput("y").setOpType("Flatten").build();
        return model(GraphProto.newBuilder().addNode(neg).addNode(log).addNode(flat).setName("g").addInput(value("x", -1, 1, 28, 28))
                .addOutput(value("y", -1, 784)));
    }

    private static byte[] model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("diffeo4j-test").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build().toByteArray();
    }

    private static ValueInfoProto value(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }
}

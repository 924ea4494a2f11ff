/**
 * The ONNX Runtime adapter: {@link org.diffeo4j.onnx.OnnxModel} evaluates ONNX files (PyTorch
 * exports) on the CPU; any node output is a layer, through {@link org.diffeo4j.onnx.OnnxGraph},
 * which reads the graph with the classes protoc generates from ONNX's onnx-ml.proto at build time
 * ({@code org.diffeo4j.onnx.proto}) and adds graph outputs in memory. Its
 * {@link org.diffeo4j.onnx.OnnxModel.Provider} is found by core's
 * {@link org.diffeo4j.model.Models#load} through ServiceLoader. ONNX Runtime's and protobuf's types stay here.
 */
package org.diffeo4j.onnx;

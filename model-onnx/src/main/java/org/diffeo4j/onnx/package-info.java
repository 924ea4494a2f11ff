/**
 * The ONNX Runtime adapter: {@link org.diffeo4j.onnx.OnnxModel} evaluates ONNX files (PyTorch
 * exports) on the CPU; its {@link org.diffeo4j.onnx.OnnxModel.Provider} is found by core's
 * {@link org.diffeo4j.model.Models#load} through ServiceLoader. ONNX Runtime's types stay here.
 */
package org.diffeo4j.onnx;

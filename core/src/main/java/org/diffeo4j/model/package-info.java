/**
 * Networks behind one {@link org.diffeo4j.model.Model} interface: images in, outputs [B, K] (and
 * optionally named hidden layers) out, evaluated in chunks that fit memory.
 *
 * <p>Core names no model runtime. Each runtime is an adapter module that registers a
 * {@link org.diffeo4j.model.ModelProvider} through ServiceLoader (Tribuo's Interop pattern):
 * {@code diffeo4j-model-onnx} (ONNX Runtime, for PyTorch exports), {@code diffeo4j-model-torch}
 * (TorchScript files on DJL's PyTorch engine) and {@code diffeo4j-model-dl4j} (DL4J zips, evaluated
 * with ND4J). {@link org.diffeo4j.model.Model#layers} says which hidden layers a model returns
 * ({@link org.diffeo4j.model.LayerInfo}), {@link org.diffeo4j.model.Model#hasLayer} which names it
 * accepts. {@link org.diffeo4j.model.Models#load} picks the provider that reads a file best and says
 * in one line what is readable when none does.
 * {@link org.diffeo4j.model.DenseMlp} is a plain-Java dense network (the golden replay's MLP, the
 * random linear model of the R_f ~ 1 check).
 */
package org.diffeo4j.model;

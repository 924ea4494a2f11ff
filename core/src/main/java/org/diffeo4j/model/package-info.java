/**
 * Networks behind one {@link org.diffeo4j.model.Model} interface: images in, outputs [B, K] (and
 * optionally named hidden layers) out, evaluated in chunks that fit memory.
 *
 * <p>Adapters for third-party runtimes live here and keep their types to themselves (Tribuo's habit):
 * {@link org.diffeo4j.model.OnnxModel} (ONNX Runtime, for PyTorch exports) and
 * {@link org.diffeo4j.model.Dl4jModel} (DL4J zips, evaluated with ND4J). Both runtimes are optional
 * dependencies of core: an application (cli, bench) puts ONNX Runtime and an ND4J native backend on
 * its class path; {@link org.diffeo4j.model.Models#load} says so in one line when one is missing.
 * {@link org.diffeo4j.model.DenseMlp} is a plain-Java dense network (the golden replay's MLP, the
 * random linear model of the R_f ~ 1 check).
 */
package org.diffeo4j.model;

/**
 * The TorchScript adapter: {@link org.diffeo4j.torch.TorchScriptModel} evaluates {@code .pt} files
 * written by {@code torch.jit.trace} or {@code torch.jit.script} with DJL's PyTorch engine (libtorch
 * on the CPU, started offline by {@link org.diffeo4j.torch.TorchRuntime}); hidden layers by module
 * name come from {@link org.diffeo4j.torch.TorchScriptArchive}, which reads the archive's TorchScript
 * code and adds one method per reachable module. Its provider is found by core's
 * {@link org.diffeo4j.model.Models#load} through ServiceLoader; DJL's types stay here.
 */
package org.diffeo4j.torch;

/**
 * The paper's experiments inside the engine: the architectures of its comparison built with DJL on
 * libtorch ({@link org.diffeo4j.train.Architectures}), their training with resumable checkpoints
 * ({@link org.diffeo4j.train.NetTrainer}, {@link org.diffeo4j.train.TrainRun}), trained nets as
 * {@link org.diffeo4j.model.Model}s ({@link org.diffeo4j.train.DjlModelProvider}), and studies over
 * datasets x architectures x training-set sizes x seeds ({@link org.diffeo4j.train.study}).
 */
package org.diffeo4j.train;

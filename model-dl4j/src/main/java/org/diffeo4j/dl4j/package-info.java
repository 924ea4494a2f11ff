/**
 * The DL4J adapter: {@link org.diffeo4j.dl4j.Dl4jModel} evaluates ModelSerializer zips (and networks
 * in memory) with ND4J; its {@link org.diffeo4j.dl4j.Dl4jModel.Provider} is found by core's
 * {@link org.diffeo4j.model.Models#load} through ServiceLoader; {@link org.diffeo4j.dl4j.DiffeoAugmentPreProcessor}
 * applies core's diffeo augmentation to DL4J minibatches. DL4J's and ND4J's types stay here.
 */
package org.diffeo4j.dl4j;

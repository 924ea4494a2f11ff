/**
 * The run store every command writes through: {@link org.diffeo4j.run.RunFolder} (the folder lock
 * naming its holder, the manifest, atomic commit of outputs), {@link org.diffeo4j.run.Journal} (the
 * one append-only JSON Lines journal of finished cells, with one policy for a torn last line),
 * {@link org.diffeo4j.run.Provenance} (one record of where a result comes from, written the same way
 * by every command) and {@link org.diffeo4j.run.RunFailedException}, the failure of a run as opposed
 * to bad input ({@link org.diffeo4j.validate.BadInputException}).
 */
package org.diffeo4j.run;

/**
 * The {@code diffeo} command line (picocli). Subcommands parse and check every input before any
 * work and delegate to core. Exit codes are decided in one place, from the failure's type
 * ({@link org.diffeo4j.cli.DiffeoCli#exitCode}): bad input ({@link org.diffeo4j.validate.BadInputException})
 * 2 (one {@code error:} line naming the option, nothing written), any other failure of the run or a
 * runtime 1, SIGINT/SIGTERM 130/143 ({@link org.diffeo4j.cli.Interruption}). Output folders go through
 * core's run store ({@link org.diffeo4j.run.RunFolder}, {@link org.diffeo4j.run.Journal},
 * {@link org.diffeo4j.run.Provenance}); resume keys hash content ({@link org.diffeo4j.cli.RunKeys}).
 */
package org.diffeo4j.cli;

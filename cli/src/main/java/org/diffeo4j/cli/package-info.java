/**
 * The {@code diffeo} command line (picocli). Subcommands parse and check every input before any
 * work and delegate to core. Exit codes are decided in one place ({@link org.diffeo4j.cli.DiffeoCli}):
 * bad input 2 (one {@code error:} line naming the option, nothing written), a failure of the run or a
 * runtime 1, SIGINT/SIGTERM 130/143 ({@link org.diffeo4j.cli.Interruption}). Output folders are
 * locked, manifest-listed runs written under temporary names ({@link org.diffeo4j.cli.RunFolder});
 * resume keys hash content ({@link org.diffeo4j.cli.RunKeys}).
 */
package org.diffeo4j.cli;

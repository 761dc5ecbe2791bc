/**
 * The checks behind the {@code derive} command: each result of the canon's mathematics (#13-#24)
 * measured numerically and compared with its derivation ({@code docs/derivations.md}).
 */
package dev.paperlab.examples.derive;

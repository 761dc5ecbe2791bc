/**
 * Command-line examples: one picocli command per model plus {@code tour}, each training end to
 * end and writing {@code runs/<command>/summary.json}, {@code metrics.csv} and pictures.
 */
package dev.paperlab.examples;

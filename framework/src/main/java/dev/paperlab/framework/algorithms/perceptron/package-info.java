/**
 * The online perceptron and its averaged variant.
 *
 * <p>References: F. Rosenblatt, "The Perceptron: A Probabilistic Model for Information Storage
 * and Organization in the Brain", Psychological Review 65(6), 1958; A. B. J. Novikoff, "On
 * Convergence Proofs on Perceptrons", Symposium on the Mathematical Theory of Automata, 1962;
 * Y. Freund and R. E. Schapire, "Large Margin Classification Using the Perceptron Algorithm",
 * Machine Learning 37(3), 1999.
 */
package dev.paperlab.framework.algorithms.perceptron;

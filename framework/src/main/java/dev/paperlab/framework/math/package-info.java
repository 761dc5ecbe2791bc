/**
 * The mathematics of the canon as executable checks, one class per result: Eckart-Young ({@link
 * dev.paperlab.framework.math.EckartYoung}, #14), Gibbs' inequality ({@link
 * dev.paperlab.framework.math.KlDivergence}, #19), Gaussian-mixture entropy and its bounds ({@link
 * dev.paperlab.framework.math.MixtureEntropy}, #20), the bias-variance decomposition and double
 * descent ({@link dev.paperlab.framework.math.BiasVariance}, {@link
 * dev.paperlab.framework.math.DoubleDescent}, #21), MC dropout ({@link dev.paperlab.framework.math.McDropout},
 * #22) and SGD convergence rates ({@link dev.paperlab.framework.math.SgdConvergence}, #23). Plain double arithmetic (EJML for the SVD), so
 * every check is exact to rounding or carries its own standard error. The derivations are written
 * out in {@code docs/derivations.md}.
 */
package dev.paperlab.framework.math;

/**
 * Experiments a reader can rerun: declarative sweeps ({@link dev.paperlab.training.experiments.Sweep})
 * run as child processes with resume and failure records ({@link
 * dev.paperlab.training.experiments.SweepRunner}), results with 95% intervals over seeds ({@link
 * dev.paperlab.training.experiments.SeedStats}), and the Chinchilla scaling-law fit ({@link
 * dev.paperlab.training.experiments.ScalingLaw}) on our L-BFGS ({@link
 * dev.paperlab.training.experiments.Lbfgs}).
 */
package dev.paperlab.training.experiments;

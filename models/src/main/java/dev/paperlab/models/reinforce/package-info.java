/**
 * REINFORCE (Williams 1992) with baselines (Sutton et al. 2000; RLOO, Ahmadian et al. 2024): a
 * categorical MLP policy ({@link dev.paperlab.models.reinforce.Mlp}), discounted returns and
 * leave-one-out baselines ({@link dev.paperlab.models.reinforce.Returns}), the agent as a DJL
 * {@code RlAgent} ({@link dev.paperlab.models.reinforce.ReinforceAgent}), its harness task
 * ({@link dev.paperlab.models.reinforce.ReinforceTask}) and the gradient-variance study ({@link
 * dev.paperlab.models.reinforce.GradientStudy}).
 */
package dev.paperlab.models.reinforce;

/**
 * Reinforcement-learning environments as DJL {@link ai.djl.modality.rl.env.RlEnv}s with a
 * primitive fast path for rollouts: the classic cart-pole ({@link
 * dev.paperlab.datasets.envs.CartPole}, Barto, Sutton &amp; Anderson 1983, Gym's CartPole-v1
 * limits) and a grid world with walls, slip and a goal ({@link
 * dev.paperlab.datasets.envs.GridWorld}) whose optimal path length comes from A*.
 */
package dev.paperlab.datasets.envs;

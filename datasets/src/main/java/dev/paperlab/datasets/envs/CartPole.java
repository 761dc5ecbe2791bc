package dev.paperlab.datasets.envs;

import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * The cart-pole balancing task of Barto, Sutton &amp; Anderson (1983), "Neuronlike adaptive
 * elements that can solve difficult learning control problems", with the constants, the explicit
 * Euler integration and the limits of Gym's {@code CartPole-v1} ({@code
 * gym/envs/classic_control/cartpole.py}).
 *
 * <p>State {@code (x, x', theta, theta')}; action 0 pushes the cart left with force {@code -F},
 * action 1 right with {@code +F}. Frictionless form of the paper's equations (its appendix, with
 * {@code mu_c = mu_p = 0}), l the half-length of the pole:
 *
 * <pre>
 *   temp    = (F + m_p l theta'^2 sin theta) / (m_c + m_p)
 *   theta'' = (g sin theta - cos theta temp) / (l (4/3 - m_p cos^2 theta / (m_c + m_p)))
 *   x''     = temp - m_p l theta'' cos theta / (m_c + m_p)
 * </pre>
 *
 * then one Euler step of {@code tau = 0.02 s}: {@code x += tau x', x' += tau x'', theta += tau
 * theta', theta' += tau theta''} (positions from the old velocities, as Gym's "euler" mode).
 * Reward 1 for every step, the last included. The episode terminates when {@code |x| > 2.4} or
 * {@code |theta| > 12 degrees}, and is truncated after {@link #MAX_STEPS} = 500 steps (v1; v0 had
 * 200). v1 counts as solved at an average return of {@link #SOLVED_RETURN} = 475. Initial state:
 * each component uniform in {@code [-0.05, 0.05)}.
 */
public final class CartPole extends DiscreteEnv {
    /** g, m/s^2 (Gym uses 9.8, the paper -9.8 with its opposite sign convention). */
    public static final double GRAVITY = 9.8;
    /** m_c, kg. */
    public static final double CART_MASS = 1.0;
    /** m_p, kg. */
    public static final double POLE_MASS = 0.1;
    /** l, half the pole's length, m. */
    public static final double HALF_LENGTH = 0.5;
    /** |F|, N. */
    public static final double FORCE = 10.0;
    /** tau, s. */
    public static final double TAU = 0.02;
    /** Termination threshold on |x|, m. */
    public static final double X_LIMIT = 2.4;
    /** Termination threshold on |theta|, rad (12 degrees). */
    public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
    /** Truncation of CartPole-v1. */
    public static final int MAX_STEPS = 500;
    /** Solved threshold of CartPole-v1. */
    public static final double SOLVED_RETURN = 475;

    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;
    private int elapsed;

    /** A cart-pole whose initial states are drawn from a RNG seeded {@code seed}. */
    public CartPole(NDManager manager, long seed) {
        super(manager, 2, seed);
    }

    @Override
    public int observationSize() {
        return 4;
    }

    @Override
    public double[] observation() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    /** Steps taken in the current episode. */
    public int elapsed() {
        return elapsed;
    }

    /** Puts the system in a given state (tests, demonstrations); starts a new episode there. */
    public void setState(double x, double xDot, double theta, double thetaDot) {
        reset();
        this.x = x;
        this.xDot = xDot;
        this.theta = theta;
        this.thetaDot = thetaDot;
    }

    @Override
    protected void resetState(Random random) {
        x = uniform(random);
        xDot = uniform(random);
        theta = uniform(random);
        thetaDot = uniform(random);
        elapsed = 0;
    }

    private static double uniform(Random random) {
        return -0.05 + 0.1 * random.nextDouble();
    }

    @Override
    protected Transition advance(int action, Random random) {
        double force = action == 1 ? FORCE : -FORCE;
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double total = CART_MASS + POLE_MASS;
        double temp = (force + POLE_MASS * HALF_LENGTH * thetaDot * thetaDot * sin) / total;
        double thetaAcc = (GRAVITY * sin - cos * temp) / (HALF_LENGTH * (4.0 / 3.0 - POLE_MASS * cos * cos / total));
        double xAcc = temp - POLE_MASS * HALF_LENGTH * thetaAcc * cos / total;
        x += TAU * xDot;
        xDot += TAU * xAcc;
        theta += TAU * thetaDot;
        thetaDot += TAU * thetaAcc;
        elapsed++;
        boolean terminated = x < -X_LIMIT || x > X_LIMIT || theta < -THETA_LIMIT || theta > THETA_LIMIT;
        return new Transition(1.0, terminated, !terminated && elapsed >= MAX_STEPS);
    }
}

package dev.paperlab.training.experiments;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal &amp; Wright 2006, Algorithm 7.4 and 7.5) for small
 * smooth problems in double precision, such as the five parameters of a scaling law. The
 * search direction {@code p = -H g} comes from the two-loop recursion over the last {@code m}
 * pairs {@code s = x_{k+1} - x_k}, {@code y = g_{k+1} - g_k}, with the initial Hessian guess
 * {@code gamma I}, {@code gamma = s'y / y'y} (Eq. 7.20); the step length from a backtracking line
 * search on the Armijo condition {@code f(x + t p) <= f(x) + c1 t g'p}. A pair whose curvature
 * {@code s'y} is not positive is skipped, which keeps {@code H} positive definite.
 *
 * <p>Written here because neither DJL nor Commons Math (whose optimisers are derivative-free or
 * nonlinear conjugate gradient) has a quasi-Newton method; it is tested against known minima.
 */
public final class Lbfgs {
    private static final double ARMIJO = 1e-4;

    /** An objective that writes its gradient into {@code gradient} and returns its value. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /**
     * A minimisation's end point.
     *
     * @param x the minimiser found
     * @param value objective there
     * @param iterations iterations taken
     * @param converged whether the gradient or value test stopped it (not the iteration limit)
     */
    public record Result(double[] x, double value, int iterations, boolean converged) {}

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double valueTolerance;

    /**
     * @param memory pairs kept (m), at least 1
     * @param maxIterations iteration limit, at least 1
     * @param gradientTolerance stop when {@code max |g_i| <= tol}
     * @param valueTolerance stop when {@code |f_k - f_{k+1}| <= tol max(1, |f_k|)}
     */
    public Lbfgs(int memory, int maxIterations, double gradientTolerance, double valueTolerance) {
        if (memory < 1) {
            throw new IllegalArgumentException("memory must be >= 1, got " + memory);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
        this.valueTolerance = valueTolerance;
    }

    /** Defaults: m = 10, 500 iterations, gradient tolerance 1e-9, value tolerance 1e-12. */
    public static Lbfgs create() {
        return new Lbfgs(10, 500, 1e-9, 1e-12);
    }

    /** Minimises {@code f} from {@code x0} (not modified). */
    public Result minimize(Objective f, double[] x0) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        if (!Double.isFinite(fx)) {
            throw new IllegalArgumentException("objective is not finite at the start point: " + fx);
        }
        Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {rho}}
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        for (int k = 0; k < maxIterations; k++) {
            if (maxAbs(g) <= gradientTolerance) {
                return new Result(x, fx, k, true);
            }
            double[] p = direction(g, pairs);
            double slope = dot(g, p);
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                pairs.clear();
                p = scale(g, -1);
                slope = dot(g, p);
            }
            double t = pairs.isEmpty() ? Math.min(1, 1 / Math.max(1e-12, norm(g))) : 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 60; tries++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + t * p[i];
                }
                fNew = f.evaluate(xNew, gNew);
                if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * t * slope) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (!accepted) {
                return new Result(x, fx, k, true); // no decrease along a descent direction: at float precision
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * norm(s) * norm(y)) {
                pairs.addLast(new double[][] {s, y, {1 / sy}});
                if (pairs.size() > memory) {
                    pairs.removeFirst();
                }
            }
            double change = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (change <= valueTolerance * Math.max(1, Math.abs(fx))) {
                return new Result(x, fx, k + 1, true);
            }
        }
        return new Result(x, fx, maxIterations, maxAbs(g) <= gradientTolerance);
    }

    /** Two-loop recursion: {@code -H g} (Algorithm 7.4). */
    private static double[] direction(double[] g, Deque<double[][]> pairs) {
        double[] q = g.clone();
        double[] alpha = new double[pairs.size()];
        int i = pairs.size() - 1;
        for (var it = pairs.descendingIterator(); it.hasNext(); i--) {
            double[][] p = it.next();
            alpha[i] = p[2][0] * dot(p[0], q);
            axpy(-alpha[i], p[1], q);
        }
        if (!pairs.isEmpty()) {
            double[][] last = pairs.peekLast();
            double gamma = dot(last[0], last[1]) / dot(last[1], last[1]); // Eq. 7.20
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        i = 0;
        for (double[][] p : pairs) {
            double beta = p[2][0] * dot(p[1], q);
            axpy(alpha[i] - beta, p[0], q);
            i++;
        }
        return scale(q, -1);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double[] scale(double[] a, double c) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = c * a[i];
        }
        return r;
    }
}

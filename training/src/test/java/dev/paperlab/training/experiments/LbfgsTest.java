package dev.paperlab.training.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {

    @Test
    void findsTheRosenbrockMinimumFromTheClassicStart() {
        // f = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1); start (-1.2, 1) (Nocedal & Wright, Ex. 2.1)
        Lbfgs.Objective rosenbrock = (x, g) -> {
            double a = 1 - x[0];
            double b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        };
        Lbfgs.Result r = Lbfgs.create().minimize(rosenbrock, new double[] {-1.2, 1});
        assertTrue(r.converged());
        // the gradient test stops at |g| <= 1e-9, i.e. within ~1e-8 of (1, 1) on this curvature
        assertArrayEquals(new double[] {1, 1}, r.x(), 1e-6);
        assertTrue(r.iterations() < 100, "iterations " + r.iterations());
    }

    @Test
    void solvesAnIllConditionedQuadraticExactly() {
        // f = sum_i c_i (x_i - i)^2 / 2 with c_i from 1 to 1e4: minimiser x_i = i
        int n = 20;
        Lbfgs.Objective q = (x, g) -> {
            double f = 0;
            for (int i = 0; i < n; i++) {
                double c = Math.pow(1e4, i / (n - 1.0));
                g[i] = c * (x[i] - i);
                f += 0.5 * c * (x[i] - i) * (x[i] - i);
            }
            return f;
        };
        Lbfgs.Result r = new Lbfgs(10, 2000, 1e-10, 0).minimize(q, new double[n]);
        for (int i = 0; i < n; i++) {
            assertEquals(i, r.x()[i], 1e-8, "x_" + i); // |g| <= 1e-10 with curvature >= 1
        }
    }
}

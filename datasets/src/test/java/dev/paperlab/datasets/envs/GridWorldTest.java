package dev.paperlab.datasets.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class GridWorldTest {

    @Test
    void optimalStepsIsTheShortestPathAroundTheWalls() {
        // counted by hand: right 4 along the top is blocked at (0,5); down the left side is 4 + 5 = 9
        try (GridWorld w = new GridWorld(NDManager.newBaseManager(), new String[] {"S..#", ".#.#", "...G"}, 0, 50, 1)) {
            assertEquals(5, w.optimalSteps()); // down 2, right 3
        }
    }

    @Test
    void movesStopAtWallsAndTheGoalEndsTheEpisode() {
        try (GridWorld w = new GridWorld(NDManager.newBaseManager(), new String[] {"S#G", "..."}, 0, 50, 1)) {
            w.reset();
            assertEquals(GridWorld.STEP_REWARD, w.act(1).reward()); // into the wall
            assertArrayEquals(new int[] {0, 0}, w.position());
            w.act(2);
            w.act(1);
            w.act(1);
            DiscreteEnv.Transition t = w.act(0);
            assertTrue(t.terminated());
            assertEquals(GridWorld.GOAL_REWARD, t.reward());
        }
    }

    @Test
    void slipReplacesAboutTheGivenShareOfMoves() {
        try (GridWorld w =
                new GridWorld(NDManager.newBaseManager(), new String[] {"S....", ".....", "....G"}, 0.4, 1, 7)) {
            int moved = 0;
            int n = 4000;
            for (int i = 0; i < n; i++) {
                w.reset();
                w.act(0); // up from the top row: stays unless a slip turns it right or down
                if (w.position()[0] != 0 || w.position()[1] != 0) {
                    moved++;
                }
            }
            // P(move) = slip * 2/4 = 0.2; binomial sd over 4000 is 0.0063, 5 sd allowed
            assertEquals(0.2, moved / (double) n, 0.032);
        }
    }

    @Test
    void badMapsAndSettingsAreRefusedWithAClearMessage() {
        NDManager m = NDManager.newBaseManager();
        try (m) {
            assertEquals(
                    "map has no path from S to G: S#G",
                    assertThrows(IllegalArgumentException.class, () -> new GridWorld(m, new String[] {"S#G"}, 0, 5, 1))
                            .getMessage());
            assertEquals(
                    "slip must be in [0, 1], got 1.5",
                    assertThrows(IllegalArgumentException.class, () -> new GridWorld(m, new String[] {"SG"}, 1.5, 5, 1))
                            .getMessage());
        }
    }
}

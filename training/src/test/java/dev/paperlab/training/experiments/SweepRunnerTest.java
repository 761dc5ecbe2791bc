package dev.paperlab.training.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRunnerTest {

    private static Sweep sweep() throws Exception {
        // 2 grid points x 3 seeds; seed 3 fails everywhere
        return Sweep.parse(new ObjectMapper()
                .readTree("{\"name\": \"fake\", \"command\": \"fake\", \"options\": {\"--fail-seed\": 3},"
                        + " \"grid\": {\"--x\": [1, 2]}, \"seeds\": [1, 2, 3], \"metrics\": [\"score\"]}"));
    }

    private static SweepRunner runner(Path out) {
        return new SweepRunner(
                out, SweepRunner.java(FakeTrial.class.getName(), List.of("-Xmx64m"), java.util.Map.of()), 2, 60);
    }

    private static List<String> runs(Path out) throws Exception {
        return Files.readAllLines(out.resolve("runs.log"));
    }

    @Test
    void recordsFailuresCollectsResultsAndResumesWithoutRerunningFinishedTrials(@TempDir Path out) throws Exception {
        SweepResults first = runner(out).run(sweep());
        assertEquals(6, runs(out).size());
        assertEquals(2, first.failures().size());
        SweepRunner.Outcome failed = first.failures().get(0);
        assertEquals(3, failed.trial().seed());
        assertEquals("exit code 2: seed 3 diverged", failed.error());
        first.write(out, 2);

        // score = 10 x + seed over the finished seeds 1 and 2: x = 1 gives {11, 12}, mean 11.5,
        // s = 0.7071, t_{0.975, 1} = 12.706: half-width 12.706 * 0.7071 / sqrt(2) = 6.35
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 1 | 2/3 | 11.50 ± 6.35 |"), md);
        assertTrue(md.contains("| 2 | 2/3 | 21.50 ± 6.35 |"), md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("x,seed,status,seconds,score,error", csv.get(0));
        assertTrue(csv.get(1).startsWith("1,1,ok,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",11.0,"), csv.get(1));
        assertTrue(csv.get(3).startsWith("1,3,failed,"), csv.get(3));
        assertTrue(csv.get(3).endsWith(",,exit code 2: seed 3 diverged"), csv.get(3));

        // half-finished: one finished trial lost its record (killed before it was written)
        Path lost = out.resolve("trials").resolve(sweep().trials().get(4).id()); // x = 2, seed 2
        Files.delete(lost.resolve("trial.json"));
        SweepResults second = runner(out).run(sweep());
        List<String> rerun = runs(out).subList(6, runs(out).size());
        // only the lost trial and the two failed ones run again
        assertEquals(
                List.of("x-1__seed-3", "x-2__seed-2", "x-2__seed-3"),
                rerun.stream().sorted().toList());
        assertEquals("x-2__seed-2", lost.getFileName().toString());
        assertEquals(
                4, second.outcomes().stream().filter(SweepRunner.Outcome::ok).count());
        assertEquals(
                3,
                second.outcomes().stream().filter(SweepRunner.Outcome::reused).count());
        assertFalse(second.outcomes().get(4).reused());
        assertEquals(22.0, SweepResults.value(second.outcomes().get(4).summary(), "score"));
    }

    @Test
    void aSweepResumedUnderAnotherSpellingOfItsFolderRerunsNothing(@TempDir Path out) throws Exception {
        runner(out).run(sweep());
        int before = runs(out).size();
        // the same folder as "dir/." : every finished trial is kept, only the failing seed reruns
        SweepResults again = runner(out.resolve(".")).run(sweep());
        List<String> rerun = runs(out).subList(before, runs(out).size());
        assertEquals(
                List.of("x-1__seed-3", "x-2__seed-3"), rerun.stream().sorted().toList());
        assertEquals(
                4, again.outcomes().stream().filter(SweepRunner.Outcome::reused).count());
    }

    @Test
    void recordedArgumentsMatchWhenOnlyTheOutputFolderDiffers() {
        List<String> now = List.of("lm", "--steps", "100", "--seed", "1", "--out", "/w/runs/s/trials/a");
        assertTrue(
                SweepRunner.sameRun(now, List.of("lm", "--steps", "100", "--seed", "1", "--out", "runs/s/trials/a")));
        assertFalse(
                SweepRunner.sameRun(now, List.of("lm", "--steps", "200", "--seed", "1", "--out", "runs/s/trials/a")));
        assertFalse(SweepRunner.sameRun(now, List.of("lm", "--steps", "100", "--seed", "1", "--log", "x")));
        assertFalse(SweepRunner.sameRun(now, List.of("lm", "--steps", "100", "--seed", "1")));
        assertFalse(SweepRunner.sameRun(now, "lm --steps 100"));
    }

    @Test
    void childClassPathIncludesTheContextLoadersEntriesAsUnderMavenExec(@TempDir Path dir) throws Exception {
        // exec:java runs main in a URL class loader while java.class.path is Maven's own launcher
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (java.net.URLClassLoader loader =
                new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, before)) {
            t.setContextClassLoader(loader);
            List<String> entries = List.of(SweepRunner.classPath().split(java.io.File.pathSeparator));
            assertEquals(dir.toString(), entries.get(0));
            assertTrue(entries.containsAll(
                    List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))));
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void lastErrorPrefersTheErrorLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.txt");
        Files.writeString(log, "step 1\nerror: --lr must be > 0, got -1\n\n");
        assertEquals("--lr must be > 0, got -1", SweepRunner.lastError(log));
        Files.writeString(log, "step 1\nException in thread main\n");
        assertEquals("Exception in thread main", SweepRunner.lastError(log));
    }
}

package dev.paperlab.training.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Sweep parse(String json) throws Exception {
        return Sweep.parse(JSON.readTree(json.replace('\'', '"')));
    }

    @Test
    void gridTimesSeedsWithBundlesAndFlags() throws Exception {
        Sweep s = parse("{'name': 's', 'command': 'lm', 'options': {'--no-progress': true, '--dropout': 0},"
                + " 'grid': {'size': [{'--layers': 1, '--d-model': 32}, {'--layers': 2, '--d-model': 64}],"
                + " '--steps': [100, 200, 400]}, 'seeds': [1, 2], 'metrics': ['val_loss']}");
        List<Trial> trials = s.trials();
        assertEquals(2 * 3 * 2, trials.size());
        Trial t = trials.get(3); // size 0, steps 200, seed 2
        assertEquals(
                List.of(
                        "lm",
                        "--no-progress",
                        "--dropout",
                        "0",
                        "--layers",
                        "1",
                        "--d-model",
                        "32",
                        "--steps",
                        "200",
                        "--seed",
                        "2"),
                t.arguments());
        assertEquals("size=layers=1 d-model=32, steps=200", t.point());
        assertEquals("size-layers_1_d-model_32__steps-200__seed-2", t.id());
        assertEquals(12, trials.stream().map(Trial::id).distinct().count());
        assertEquals(trials, Sweep.parse(s.toJson()).trials()); // the written form runs the same trials
    }

    @Test
    void namedBundlesLabelTrialsAndPassOnlyTheirOptions() throws Exception {
        Sweep s = parse("{'name': 's', 'command': 'lm', 'grid': {'variant': [{'name': 'baseline'},"
                + " {'name': 'rope', '--position': 'rope'}]}, 'seeds': [3]}");
        assertEquals(List.of("lm", "--seed", "3"), s.trials().get(0).arguments());
        assertEquals(
                List.of("lm", "--position", "rope", "--seed", "3"),
                s.trials().get(1).arguments());
        assertEquals("variant=rope", s.trials().get(1).point());
        assertEquals("variant-rope__seed-3", s.trials().get(1).id());
    }

    @Test
    void falseLeavesAFlagOut() throws Exception {
        Sweep s =
                parse("{'name': 's', 'command': ['bpe', 'train'], 'grid': {'--no-tie': [true, false]}, 'seeds': [1]}");
        assertEquals(
                List.of("bpe", "train", "--no-tie", "--seed", "1"),
                s.trials().get(0).arguments());
        assertEquals(List.of("bpe", "train", "--seed", "1"), s.trials().get(1).arguments());
    }

    @Test
    void badSweepFilesNameTheFileAndTheKey(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"{'name': 's', 'command': 'lm', 'seeds': [1], 'sedes': [2]}", "unknown sweep key 'sedes'"},
            {"{'name': 's', 'seeds': [1]}", "sweep key 'command'"},
            {"{'name': 's', 'command': 'lm', 'seeds': [1, 'x']}", "sweep key 'seeds' must hold integers"},
            {"{'name': 's', 'command': 'lm', 'seeds': []}", "sweep key 'seeds' must list at least one seed"},
            {"{'name': 's', 'command': 'lm', 'seeds': [1], 'grid': {'--steps': 5}}", "sweep key 'grid.--steps'"},
            {"{'name': 's', 'command': 'lm', 'seeds': [1], 'grid': {'--steps': []}}", "sweep key 'grid.--steps'"},
            {
                "{'name': 's', 'command': 'lm', 'seeds': [1], 'grid': {'size': [{'layers': 1}]}}",
                "sweep key 'grid.size.layers' is not an option"
            },
            {"{'name': 'a b', 'command': 'lm', 'seeds': [1]}", "sweep key 'name'"},
            {
                "{'name': 's', 'command': 'lm', 'seeds': [1], 'grid': {'--tag': ['a b', 'a/b']}}",
                "give the same folder name"
            },
        };
        for (String[] c : cases) {
            Path file = dir.resolve("sweep.json");
            Files.writeString(file, c[0].replace('\'', '"'));
            String message = assertThrows(IllegalArgumentException.class, () -> Sweep.read(file))
                    .getMessage();
            assertTrue(message.startsWith("sweep file " + file + ": "), message);
            assertTrue(message.contains(c[1]), message + " should contain " + c[1]);
        }
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"name\": ");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Sweep.read(broken))
                .getMessage()
                .contains("is not valid JSON"));
    }
}

package dev.paperlab.examples;

import dev.paperlab.training.listeners.SummaryJsonListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: runs every registered model briefly, each into {@code <out>/<command>}, and
 * collects their results into one {@code summary.json}.
 */
@Command(
        name = "tour",
        mixinStandardHelpOptions = true,
        description = "Run every model briefly on real data and collect the results.")
public final class TourCommand extends ExampleCommand {
    @Mixin
    RunOptions run;

    @Option(names = "--scale", description = "Multiplies every stop's step budget (default: ${DEFAULT-VALUE}).")
    double scale = 1.0;

    /** One stop of the tour: a command and its arguments (without --out, and --seed/--device where it has them). */
    record Stop(String name, ExampleCommand command, List<String> args) {}

    List<Stop> stops() {
        Path out = run.out("tour");
        List<Stop> stops = new ArrayList<>();
        stops.add(new Stop("vae", new VaeCommand(), List.of("--steps", steps(300))));
        stops.add(new Stop("gan", new GanCommand(), List.of("--steps", steps(1000))));
        stops.add(new Stop(
                "ddpm",
                new DdpmCommand(),
                List.of(
                        "--steps",
                        steps(50),
                        "--batch-size",
                        "32",
                        "--sample-steps",
                        "10",
                        "--scored-samples",
                        "200")));
        stops.add(new Stop("lm", new LmCommand(), List.of("--steps", steps(150))));
        stops.add(new Stop(
                "generate",
                new GenerateCommand(),
                List.of(
                        "--model",
                        out.resolve("lm/model").toString(),
                        "--strategy",
                        "beam",
                        "--beams",
                        "4",
                        "--num-return",
                        "2",
                        "--max-tokens",
                        "40")));
        stops.add(new Stop("lora", new LoraCommand(), List.of("--pretrain-steps", steps(100), "--steps", steps(60))));
        stops.add(new Stop("bpe-train", new BpeCommand.Train(), List.of("--vocab-size", "512")));
        stops.add(new Stop("bpe-encode", new BpeCommand.Encode(), List.of("--encoding", "r50k_base")));
        stops.add(new Stop("reinforce", new ReinforceCommand(), List.of("--episodes", steps(300))));
        stops.add(new Stop(
                "simclr",
                new SimclrCommand(),
                List.of("--steps", steps(40), "--eval-train", "5000", "--eval-test", "1000", "--probe-epochs", "2")));
        stops.add(new Stop("derive", new DeriveCommand(), List.of()));
        stops.add(new Stop("experiment-scaling", new ScalingExperiment(), List.of("--quick")));
        return stops;
    }

    private String steps(int base) {
        return Long.toString(Math.max(1, Math.round(base * scale)));
    }

    @Override
    public Map<String, Object> runExample() {
        Path out = run.out("tour");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "tour");
        summary.put("seed", run.seed);
        long start = System.nanoTime();
        Map<String, Object> results = new LinkedHashMap<>();
        for (Stop stop : stops()) {
            CommandLine cli = Main.configure(new CommandLine(stop.command()));
            List<String> args = new ArrayList<>(stop.args());
            args.addAll(List.of("--out", out.resolve(stop.name()).toString()));
            if (cli.getCommandSpec().findOption("--seed") != null) { // a tokenizer has no seed or device
                args.addAll(List.of("--seed", Long.toString(run.seed)));
            }
            if (run.device != null && cli.getCommandSpec().findOption("--device") != null) {
                args.addAll(List.of("--device", run.device.toString()));
            }
            System.out.println("== tour: " + stop.name() + " " + String.join(" ", args));
            cli.parseArgs(args.toArray(String[]::new));
            try {
                results.put(stop.name(), stop.command().runExample());
            } catch (Exception e) {
                throw new IllegalStateException("tour stop '" + stop.name() + "' failed: " + e.getMessage(), e);
            }
        }
        summary.put("results", results);
        summary.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        SummaryJsonListener.write(out.resolve("summary.json"), summary);
        return summary;
    }
}

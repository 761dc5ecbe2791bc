package dev.paperlab.examples;

import dev.paperlab.training.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code mvn -q -pl examples exec:java -Dexec.args="vae --epochs 1"}. */
@Command(
        name = "paperlab",
        mixinStandardHelpOptions = true,
        version = "paperlab 0.1.0",
        description = "Research-paper implementations on DJL, trained end to end.",
        subcommands = {TourCommand.class, VaeCommand.class, LmCommand.class, LoraCommand.class,
                GenerateCommand.class, BpeCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line: offline, headless, clear messages for bad input. */
    public static CommandLine commandLine() {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof IllegalArgumentException || e instanceof DivergenceException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
        return cli;
    }

    public static void main(String[] args) {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            // libtorch's OpenMP threads spin by default; on a busy machine that costs up to 10x
            System.err.println("hint: export OMP_NUM_THREADS=<cores> OMP_WAIT_POLICY=PASSIVE"
                    + " ATEN_CPU_CAPABILITY=avx2 (README, Performance settings)");
        }
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}

package dev.paperlab.examples;

import dev.paperlab.training.RunState;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command: runs {@link #runExample()}, writes nothing itself but prints the last
 * line {@code RESULT <json>} with the same content as the command's {@code summary.json}.
 * Bad input ({@link IllegalArgumentException}, an I/O failure reading input) becomes one clear
 * line and exit code 2 ({@link Main#configure}).
 */
public abstract class ExampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs the example and returns its summary (already written to {@code summary.json}). */
    public abstract Map<String, Object> runExample() throws Exception;

    /**
     * Rewrites {@code summary.json} of a finished training run with what the command added to
     * {@link RunState#summary()} after the run (the harness wrote it once already, so a crash
     * after training still leaves one), and returns it.
     */
    protected static Map<String, Object> finalSummary(RunState state) {
        Map<String, Object> summary = SummaryJsonListener.summarize(state);
        SummaryJsonListener.write(state.outDir().resolve("summary.json"), summary);
        return summary;
    }

    /**
     * Whether the user set the training budget: --steps, or --epochs (even at its default value).
     * Commands whose default budget differs from one epoch apply theirs only when not.
     */
    protected boolean budgetGiven(CommonOptions common) {
        return common.steps != 0 || optionGiven("--epochs");
    }

    /** Whether the command line named {@code option}, whatever its value (false outside picocli). */
    protected boolean optionGiven(String option) {
        return spec != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = runExample();
        System.out.println("RESULT " + SummaryJsonListener.toJsonLine(result));
        return 0;
    }
}

package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunConfigTest {

    @Test
    void toBuilderKeepsEverySettingExceptThoseChanged() {
        RunConfig a = RunConfig.builder()
                .optEpochs(3)
                .optMaxSteps(70)
                .optBatchSize(9)
                .optLearningRate(0.25f)
                .optSeed(11)
                .optDevice(Device.cpu())
                .optOutDir(Path.of("x", "y"))
                .optCheckpointEvery(5)
                .optEvalEvery(7)
                .optResume(true)
                .optProgress(false)
                .optThreads(1)
                .build();
        RunConfig b = a.toBuilder().optEvalEvery(8).build();
        assertEquals(3, b.epochs());
        assertEquals(70, b.maxSteps());
        assertEquals(9, b.batchSize());
        assertEquals(0.25f, b.learningRate());
        assertEquals(11, b.seed());
        assertEquals(Device.cpu(), b.device());
        assertEquals(Path.of("x", "y"), b.outDir());
        assertEquals(5, b.checkpointEvery());
        assertEquals(8, b.evalEvery());
        assertEquals(true, b.resume());
        assertEquals(false, b.progress());
        assertEquals(1, b.threads());
        assertEquals(7, a.evalEvery(), "the original is unchanged");
    }
}

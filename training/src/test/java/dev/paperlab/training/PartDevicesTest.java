package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step scope hangs under the first part's manager: parts on two devices are refused up front. */
class PartDevicesTest {

    @Test
    void partsOnDifferentDevicesAreRejectedNamingPartsAndDevices(@TempDir Path dir) {
        // Declared on a GPU but never initialised there: the check must run before any parameter moves.
        Device gpu = Device.gpu(1);
        Model model = Model.newInstance("critic", gpu);
        model.setBlock(Linear.builder().setUnits(1).build());
        Optimizer sgd =
                Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new SquaredErrorLoss())
                .optOptimizer(sgd)
                .optDevices(new Device[] {gpu}));
        TrainedPart critic = new TrainedPart("critic", model, trainer, sgd);
        TinyTask task = new TinyTask(5) {
            @Override
            public List<TrainedPart> parts() {
                return List.of(part, critic);
            }
        };
        try (task) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Harness.of(RunConfig.builder()
                                    .optOutDir(dir)
                                    .optProgress(false)
                                    .build())
                            .fit(task));
            String m = e.getMessage();
            assertTrue(m.contains("'tiny' on cpu()") && m.contains("'critic' on gpu(1)"), m);
        }
    }
}

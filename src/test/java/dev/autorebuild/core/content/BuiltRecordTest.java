package dev.autorebuild.core.content;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltRecordTest {
    private static final FileFingerprint ONE = new FileFingerprint(1, 1, 1, 1);
    private static final FileFingerprint TWO = new FileFingerprint(2, 2, 2, 2);

    @Test
    void changedPaths_areTheAddedChangedAndRemovedOnes_inPathOrder() {
        BuiltRecord built = new BuiltRecord("web", "sha256:x",
                FileTable.of(new TreeMap<>(Map.of("web/same", ONE, "web/edited", ONE, "web/removed", ONE))));

        assertThat(built.changedPaths(FileTable.of(new TreeMap<>(Map.of("web/same", ONE, "web/edited", TWO, "web/added", ONE)))))
                .containsExactly("web/added", "web/edited", "web/removed");
        assertThat(built.changedPaths(built.files())).isEmpty();
    }
}

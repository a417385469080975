package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's lines as bin/auto-rebuild reads them (its loop: "out " to stdout, "err " to stderr, "exit " ends). */
class StartReportTest {

    @Test
    void eachLineOfTheText_goesToItsStream_andTheExitCodeComesLast() {
        assertThat(StartReport.encode("auto-rebuild: daemon 7 is watching /ws\n  log:     /ws/.dab/auto-rebuild.log\n", "out", 0))
                .isEqualTo("out auto-rebuild: daemon 7 is watching /ws\nout   log:     /ws/.dab/auto-rebuild.log\nexit 0\n");
        assertThat(StartReport.encode("why\n\nand what to do", "err", 1)).as("an empty line stays one")
                .isEqualTo("err why\nerr \nerr and what to do\nexit 1\n");
    }

    @Test
    void aTextTooLongForThePipe_isCut_andSaysWhereTheRestIs() {
        String longText = ("x".repeat(99) + "\n").repeat(2000); // 200,000 chars
        String report = StartReport.encode(longText, "err", 1);
        assertThat(report.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StartReport.MAX_BYTES);
        assertThat(report).endsWith("err (cut here: the daemon's log has the rest)\nexit 1\n").startsWith("err xxx");
    }

    @Test
    void aDaemonStartedAnyOtherWay_reportsNothing() {
        StartReport.NONE.ready("never read");
        assertThat(StartReport.NONE.piped()).isFalse();
        assertThat(StartReport.toDescriptor(3).piped()).isTrue();
    }
}

package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TargetResolverTest {
    private static final Path CWD = Path.of("/home/ann/code/shop/frontend/src");

    private static DaemonRegistry.Entry daemon(String workspace, long pid) {
        return new DaemonRegistry.Entry(Path.of(workspace), new ProcessStart(pid, 1));
    }

    @Test
    void anExplicitTarget_wins() {
        var choice = TargetResolver.choose(Optional.of(Path.of("/srv/other")), CWD, List.of(daemon("/home/ann/code/shop", 7)), dir -> false);
        assertThat(choice).isEqualTo(new TargetResolver.Target(Path.of("/srv/other")));
    }

    @Test
    void theRunningDaemonWhoseWorkspaceHoldsTheCurrentFolder_isChosen_theDeepestIfNested() {
        var choice = TargetResolver.choose(Optional.empty(), CWD,
                List.of(daemon("/home/ann/code", 5), daemon("/home/ann/code/shop", 7), daemon("/srv/x", 9)), dir -> false);
        assertThat(choice).isEqualTo(new TargetResolver.Target(Path.of("/home/ann/code/shop")));
    }

    @Test
    void aWorkspaceFolderAboveTheCurrentFolder_isChosen_evenWithoutARunningDaemon() {
        var choice = TargetResolver.choose(Optional.empty(), CWD, List.of(daemon("/srv/x", 9)),
                dir -> dir.equals(Path.of("/home/ann/code/shop")));
        assertThat(choice).isEqualTo(new TargetResolver.Target(Path.of("/home/ann/code/shop")));
    }

    @Test
    void elsewhere_theOnlyRunningDaemon_isChosen() {
        var choice = TargetResolver.choose(Optional.empty(), Path.of("/tmp"), List.of(daemon("/srv/x", 9)), dir -> false);
        assertThat(choice).isEqualTo(new TargetResolver.Target(Path.of("/srv/x")));
    }

    @Test
    void elsewhere_withSeveralDaemons_theErrorListsThem() {
        var choice = TargetResolver.choose(Optional.empty(), Path.of("/tmp"), List.of(daemon("/srv/a", 3), daemon("/srv/b", 4)), dir -> false);
        assertThat(choice).isInstanceOf(TargetResolver.Ambiguous.class);
        assertThat(((TargetResolver.Ambiguous) choice).message()).contains("-t DIR", "/srv/a  (pid 3)", "/srv/b  (pid 4)");
    }

    @Test
    void withNoDaemonAnywhere_noneIsRunning() {
        assertThat(TargetResolver.choose(Optional.empty(), Path.of("/tmp"), List.of(), dir -> false))
                .isInstanceOf(TargetResolver.NoneRunning.class);
    }
}

package dev.autorebuild.core.sync;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What changed paths call for under a set of rules; each expectation written out by hand. */
class SyncPlannerTest {
    private static WatchRule rule(String path, WatchRule.Action action, String target, List<String> ignore) {
        return new WatchRule(path, action, Optional.ofNullable(target), ignore, List.of(),
                action == WatchRule.Action.SYNC_EXEC ? Optional.of(List.of("reload")) : Optional.empty(), false);
    }

    private final List<WatchRule> rules = List.of(
            rule("web/src", WatchRule.Action.SYNC, "/app/src", List.of("*.draft", "cache/")),
            rule("web/conf", WatchRule.Action.SYNC_EXEC, "/etc/app", List.of()),
            rule("web/package.json", WatchRule.Action.REBUILD, null, List.of()),
            rule("web/web.ini", WatchRule.Action.RESTART, null, List.of()));

    private static Map<String, Boolean> changes(Object... pathThenExists) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (int i = 0; i < pathThenExists.length; i += 2) {
            out.put((String) pathThenExists[i], (Boolean) pathThenExists[i + 1]);
        }
        return out;
    }

    @Test
    void changesUnderSyncRules_areCopiedToTheirTargets_andDeletesRemoved() {
        SyncPlan.Live live = (SyncPlan.Live) SyncPlanner.plan(rules, changes("web/src/a.js", true, "web/src/lib/b.js", true, "web/src/old.js", false));
        assertThat(live.copies()).isEqualTo(Map.of("web/src/a.js", "/app/src/a.js", "web/src/lib/b.js", "/app/src/lib/b.js"));
        assertThat(live.deletes()).containsExactly("/app/src/old.js");
        assertThat(live.restart()).isFalse();
        assertThat(live.commands()).isEmpty();
        assertThat(live.action()).isEqualTo("sync");
    }

    @Test
    void anExecRule_runsItsCommandOnce_andARestartRuleRestarts() {
        SyncPlan.Live live = (SyncPlan.Live) SyncPlanner.plan(rules, changes("web/conf/a.conf", true, "web/conf/b.conf", true));
        assertThat(live.commands()).containsExactly(List.of("reload"));
        assertThat(live.action()).isEqualTo("sync+exec");
        SyncPlan.Live restart = (SyncPlan.Live) SyncPlanner.plan(rules, changes("web/web.ini", true));
        assertThat(restart.copies()).isEmpty();
        assertThat(restart.restart()).isTrue();
        assertThat(restart.action()).isEqualTo("restart");
    }

    @Test
    void oneChangeOutsideTheSyncRules_rebuildsItAll() {
        assertThat(SyncPlanner.plan(rules, changes("web/src/a.js", true, "web/Dockerfile", true)))
                .isEqualTo(new SyncPlan.Rebuild("web/Dockerfile is under no sync rule"));
        assertThat(SyncPlanner.plan(rules, changes("web/package.json", true)))
                .isEqualTo(new SyncPlan.Rebuild("web/package.json is under a rebuild rule (web/package.json)"));
    }

    @Test
    void pathsARuleIgnores_andNoOtherHolds_areLeftAlone() {
        assertThat(SyncPlanner.plan(rules, changes("web/src/notes.draft", true, "web/src/cache/x.bin", true))).isEqualTo(new SyncPlan.Nothing());
        SyncPlan.Live live = (SyncPlan.Live) SyncPlanner.plan(rules, changes("web/src/notes.draft", true, "web/src/a.js", true));
        assertThat(live.copies()).containsOnlyKeys("web/src/a.js");
        assertThat(live.paths()).containsExactly("web/src/a.js");
    }

    @Test
    void theFirstRuleThatHoldsAPath_decides() {
        List<WatchRule> ordered = List.of(rule("web/src/vendor", WatchRule.Action.REBUILD, null, List.of()),
                rule("web/src", WatchRule.Action.SYNC, "/app", List.of()));
        assertThat(SyncPlanner.plan(ordered, changes("web/src/vendor/lib.js", true))).isInstanceOf(SyncPlan.Rebuild.class);
        assertThat(SyncPlanner.plan(ordered, changes("web/src/main.js", true))).isInstanceOf(SyncPlan.Live.class);
        assertThat(SyncPlanner.plan(List.of(rule("web/index.html", WatchRule.Action.SYNC, "/www/index.html", List.of())),
                changes("web/index.html", true))).isEqualTo(new SyncPlan.Live(Map.of("web/index.html", "/www/index.html"), List.of(), false,
                List.of(), List.of("web/index.html")));
    }
}

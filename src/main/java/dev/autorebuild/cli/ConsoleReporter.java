package dev.autorebuild.cli;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/** Shows the engine's events as timestamped log lines, build output prefixed with its component. */
public final class ConsoleReporter implements RebuildListener {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final int FAILURE_LINES = 15;

    /** False under the terminal's live view: build output stays out of the scrollback, but a failure shows its last lines. */
    private final boolean buildOutput;
    private final java.util.Map<String, java.util.ArrayDeque<String>> tails = new java.util.concurrent.ConcurrentHashMap<>();

    public ConsoleReporter() {
        this(true);
    }

    ConsoleReporter(boolean buildOutput) {
        this.buildOutput = buildOutput;
    }

    @Override
    public void on(RebuildEvent event) {
        if (event instanceof RebuildEvent.Watching w) {
            LOG.infof("watching %s: %d component(s)%s (ready in %s)", w.workspace(), w.components().size(),
                    w.components().isEmpty() ? " - add a sub-folder with a Dockerfile to make one"
                            : " " + w.components().stream().map(c -> c.folder() + " -> " + c.image()).collect(Collectors.joining(", ")),
                    Durations.format(w.setup()));
        } else if (event instanceof RebuildEvent.ComponentAdded a) {
            LOG.infof("%s new component -> %s", tag(a.component()), a.component().image());
        } else if (event instanceof RebuildEvent.ComponentRemoved r) {
            LOG.infof("%s no longer a component: %s", tag(r.component()), r.reason());
        } else if (event instanceof RebuildEvent.UpToDate u) {
            LOG.infof("%s up to date (%d files, %s)", tag(u.component()), u.files(), shortDigest(u.digest()));
        } else if (event instanceof RebuildEvent.ChangedWhileStopped c) {
            LOG.infof("%s changed while auto-rebuild was not running: %s", tag(c.component()), listed(c.firstPaths(), c.changed()));
        } else if (event instanceof RebuildEvent.NoContentChange n) {
            LOG.debugf("%s %d event(s), no content change: nothing to build", tag(n.component()), n.events());
        } else if (event instanceof RebuildEvent.BuildQueued q) {
            LOG.debugf("%s build queued", tag(q.component()));
        } else if (event instanceof RebuildEvent.BuildStarted s) {
            tails.remove(s.component().folder());
            LOG.infof("%s building %s with %s (%d file(s) changed)", tag(s.component()), s.component().image(), s.builder().shown(),
                    s.changedFiles());
        } else if (event instanceof RebuildEvent.BuildOutput o) {
            if (buildOutput) {
                LOG.infof("%s   %s", tag(o.component()), o.line());
            } else {
                java.util.ArrayDeque<String> tail = tails.computeIfAbsent(o.component().folder(), k -> new java.util.ArrayDeque<>());
                synchronized (tail) {
                    tail.addLast(o.line());
                    if (tail.size() > FAILURE_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } else if (event instanceof RebuildEvent.BuildSucceeded s) {
            LOG.infof("%s built %s in %s (%s)", tag(s.component()), s.component().image(), Durations.format(s.took()), shortDigest(s.digest()));
        } else if (event instanceof RebuildEvent.BuildFailed f) {
            java.util.ArrayDeque<String> tail = tails.remove(f.component().folder());
            String output = tail == null || tail.isEmpty() ? "" : "\n  its last output:\n    " + String.join("\n    ", tail);
            LOG.errorf("%s build FAILED after %s%s: %s - the previous image stays; the next change retries%s",
                    tag(f.component()), Durations.format(f.took()), f.step().map(s -> " at \"" + s + "\"").orElse(""), f.message(), output);
        } else if (event instanceof RebuildEvent.BuildCancelled c) {
            tails.remove(c.component().folder());
            LOG.infof("%s build cancelled after %s: %s", tag(c.component()), Durations.format(c.took()), c.reason());
        } else if (event instanceof RebuildEvent.Rescan r) {
            LOG.infof("rescanning %s: %s", String.join(", ", r.components()), r.reason());
        } else if (event instanceof RebuildEvent.EngineDown d) {
            LOG.errorf("the container engine does not answer (%s): still watching; changes are kept and built once it is back (retrying in %s, then less and less often, at most every %s)",
                    d.reason(), Durations.format(d.nextTry()), "30s");
        } else if (event instanceof RebuildEvent.EngineBack b) {
            LOG.infof("the container engine answers again (it was away %s): building what changed meanwhile", Durations.format(b.downFor()));
        } else if (event instanceof RebuildEvent.BuildWaiting w) {
            LOG.infof("%s changed; its build waits (%s)", tag(w.component()), w.reason());
        } else if (event instanceof RebuildEvent.BuildsHeld h) {
            LOG.infof("builds held: %s", h.reason());
        } else if (event instanceof RebuildEvent.BuildsResumed r) {
            LOG.infof("builds resume: %s%s", r.reason(), r.components().isEmpty() ? "; nothing changed"
                    : "; checking " + String.join(", ", r.components()));
        } else if (event instanceof RebuildEvent.RedeployStarted r) {
            LOG.infof("%s redeploying: %s -> %s", tag(r.component()), r.container().startsWith("service ") ? r.container() : "container " + r.container(),
                    r.component().image());
        } else if (event instanceof RebuildEvent.Redeployed r) {
            LOG.infof("%s redeployed: %s runs %s (%s), ready in %s", tag(r.component()), r.container(), r.component().image(),
                    r.containerId().substring(0, Math.min(12, r.containerId().length())), Durations.format(r.took()));
        } else if (event instanceof RebuildEvent.RedeployFailed r) {
            LOG.errorf("%s redeploy FAILED: %s%s", tag(r.component()), r.reason(),
                    r.logTail().isEmpty() ? "" : "\n  its last output:\n    " + String.join("\n    ", r.logTail()));
        } else if (event instanceof RebuildEvent.SyncStarted s) {
            LOG.infof("%s syncing %d file(s) into the running container (%s)", tag(s.component()), s.files(), s.action());
        } else if (event instanceof RebuildEvent.Synced s) {
            LOG.infof("%s synced (%s): %d copied, %d deleted in %s%s", tag(s.component()), s.action(), s.copied(), s.deleted(),
                    Durations.format(s.took()), s.execOutput().map(o -> "; " + o).orElse(""));
        } else if (event instanceof RebuildEvent.SyncFailed s) {
            LOG.warnf("%s sync failed: %s", tag(s.component()), s.why());
        } else if (event instanceof RebuildEvent.ConfigReloaded c) {
            LOG.infof("configuration reloaded from %s: %s", c.origin(), c.changes());
        } else if (event instanceof RebuildEvent.ConfigRejected c) {
            LOG.errorf("configuration NOT reloaded, the previous one stays in force:%n%s", c.problems());
        } else if (event instanceof RebuildEvent.BuilderFallback f) {
            LOG.warnf("builds use the classic builder (build.builder: auto): %s", f.reason());
        } else if (event instanceof RebuildEvent.PipelineStopped p) {
            LOG.errorf("the change pipeline stopped: %s; nothing is watched any more, so the daemon ends", p.reason());
        } else if (event instanceof RebuildEvent.Warning w) {
            LOG.warn(w.message());
        }
    }

    private static String tag(Component c) {
        return "[" + c.folder() + "]";
    }

    private static String shortDigest(String digest) {
        return dev.autorebuild.core.Sha256.shortForm(digest);
    }

    /** At most five of {@code total} paths, then how many more: a start after a branch switch may find thousands. */
    static String listed(java.util.List<String> paths, int total) {
        int shown = Math.min(5, paths.size());
        String names = String.join(", ", paths.subList(0, shown));
        return total > shown ? names + " (+" + (total - shown) + " more)" : names;
    }
}

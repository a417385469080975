package dev.autorebuild.cli;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The foreground daemon's view on a terminal: log lines scroll as usual, and below them a block of one
 * line per component (spinner, state, build step) is redrawn in place. It takes over the console while
 * it runs ({@link #install}: the log's console handlers are swapped for its own, so a log line and the
 * block never tear each other), and gives it back on {@link #close}. Colours unless {@code NO_COLOR}.
 */
final class TerminalView implements RebuildListener, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final long FRAME_MS = 100;

    private final PrintStream out;
    private final boolean color;
    private final int width;
    private final Map<String, Slot> slots = new TreeMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(dev.autorebuild.core.Threads.daemon("dab-terminal"));
    private final Handler handler = new LineHandler();
    private java.util.logging.Logger root;
    private Handler[] replaced = new Handler[0];
    private int drawn;
    private int frame;

    /** What the block knows of one component. */
    private static final class Slot {
        String state = "idle";
        Optional<String> step = Optional.empty();
        String detail = "";
        long buildStarted;
    }

    TerminalView(PrintStream out, Map<String, String> env, int width) {
        this.out = out;
        this.color = !env.containsKey("NO_COLOR");
        this.width = width;
    }

    /**
     * Whether this process writes to a terminal that can redraw: both ends a TTY (a pipe or a log file
     * gets plain lines), and not {@code TERM=dumb}.
     */
    static boolean supported(Map<String, String> env) {
        return System.console() != null && !"dumb".equals(env.getOrDefault("TERM", "dumb"));
    }

    /** The terminal's width in columns ({@code stty size} on the controlling terminal), 80 when unknown. */
    static int columns() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(stty.getInputStream().readAllBytes()).trim().split("\\s+");
            int columns = stty.waitFor() == 0 && size.length == 2 ? Integer.parseInt(size[1]) : 0;
            return columns >= 20 ? columns : 80; // a pseudo-terminal without a size says 0
        } catch (java.io.IOException | NumberFormatException e) {
            return 80;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }

    /** Takes over the console: the root logger's handlers are replaced by this view's until {@link #close}. */
    TerminalView install() {
        root = java.util.logging.Logger.getLogger("");
        replaced = root.getHandlers();
        for (Handler h : replaced) {
            root.removeHandler(h);
        }
        root.addHandler(handler);
        ticker.scheduleAtFixedRate(this::tick, FRAME_MS, FRAME_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void on(RebuildEvent event) {
        boolean changed = true;
        if (event instanceof RebuildEvent.Watching w) {
            w.components().forEach(c -> slots.putIfAbsent(c.folder(), new Slot()));
        } else if (event instanceof RebuildEvent.ComponentAdded a) {
            slots.putIfAbsent(a.component().folder(), new Slot());
        } else if (event instanceof RebuildEvent.ComponentRemoved r) {
            slots.remove(r.component().folder());
        } else if (event instanceof RebuildEvent.UpToDate u) {
            slot(u.component().folder()).detail = "up to date";
        } else if (event instanceof RebuildEvent.BuildQueued q) {
            set(q.component().folder(), "queued", "waits for a build slot");
        } else if (event instanceof RebuildEvent.BuildWaiting w) {
            set(w.component().folder(), "waiting", w.reason());
        } else if (event instanceof RebuildEvent.NoContentChange n) {
            Slot s = slot(n.component().folder());
            if (s.state.equals("queued")) {
                s.state = "idle";
            }
        } else if (event instanceof RebuildEvent.BuildStarted b) {
            Slot s = set(b.component().folder(), "building", "");
            s.step = Optional.empty();
            s.buildStarted = System.nanoTime();
        } else if (event instanceof RebuildEvent.BuildOutput o) {
            Optional<String> step = LiveLines.step(o.line());
            changed = step.isPresent();
            step.ifPresent(st -> slot(o.component().folder()).step = step);
        } else if (event instanceof RebuildEvent.BuildSucceeded b) {
            set(b.component().folder(), "idle", "built " + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                    + " in " + Durations.format(b.took()));
        } else if (event instanceof RebuildEvent.BuildCancelled c) {
            set(c.component().folder(), "queued", c.reason());
        } else if (event instanceof RebuildEvent.BuildFailed f) {
            set(f.component().folder(), "failed", f.step().map(st -> "at \"" + st + "\": ").orElse("") + f.message());
        } else {
            changed = false;
        }
        if (changed) {
            redraw();
        }
    }

    private Slot slot(String name) {
        return slots.computeIfAbsent(name, k -> new Slot());
    }

    private Slot set(String name, String state, String detail) {
        Slot s = slot(name);
        s.state = state;
        s.detail = detail;
        return s;
    }

    /** Animates the spinner, only while something builds (an idle daemon draws nothing). */
    private synchronized void tick() {
        if (slots.values().stream().anyMatch(s -> s.state.equals("building"))) {
            frame++;
            redraw();
        }
    }

    /** Prints a log line above the block. */
    synchronized void printLine(String line) {
        clear();
        out.print(line);
        draw();
    }

    private void redraw() {
        clear();
        draw();
    }

    private void clear() {
        if (drawn > 0) {
            out.print("\r\u001b[" + drawn + "A\u001b[J"); // up to the block's first line, then erase to the end
            drawn = 0;
        }
    }

    private void draw() {
        List<LiveLines.Row> rows = new ArrayList<>();
        long now = System.nanoTime();
        slots.forEach((name, s) -> rows.add(new LiveLines.Row(name, s.state, s.step, s.detail,
                s.state.equals("building") ? Duration.ofNanos(now - s.buildStarted) : Duration.ZERO)));
        List<String> lines = LiveLines.render(rows, frame, color, width);
        lines.forEach(l -> out.print(l + "\n"));
        out.flush();
        drawn = lines.size();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (root != null) {
            root.removeHandler(handler);
            for (Handler h : replaced) {
                root.addHandler(h);
            }
            root = null;
        }
        out.flush();
    }

    /** Log records as the plain console shows them ({@code HH:mm:ss.SSS LEVEL message}), level in colour. */
    private final class LineHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String level = level(record.getLevel());
            String tint = record.getLevel().intValue() >= Level.SEVERE.intValue() ? LiveLines.RED
                    : record.getLevel().intValue() >= Level.WARNING.intValue() ? LiveLines.YELLOW : "";
            String message = record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : new java.util.logging.SimpleFormatter().formatMessage(record);
            if (record.getThrown() != null) {
                message += ": " + record.getThrown();
            }
            String shown = String.format("%s %-5s %s", LocalTime.now().format(TIME), level, message);
            printLine((color && !tint.isEmpty() ? tint + shown + LiveLines.RESET : shown) + "\n");
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }

        private String level(Level level) {
            int v = level.intValue();
            return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN" : v >= Level.INFO.intValue() ? "INFO" : "DEBUG";
        }
    }
}

package dev.autorebuild.pipeline;

import dev.autorebuild.core.debounce.Batch;
import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.core.debounce.QuietPeriodDebouncer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The debounce operator Mutiny lacks: groups items by key and emits one {@link Batch} per key once
 * that key has been quiet for the quiet period, or its maximum wait has passed.
 *
 * <p>Use with {@code multi.plug(PerKeyDebounce.of(...))}. Upstream items and timer callbacks must
 * all arrive on the ticker's thread (the production pipeline hands every watcher event to that
 * thread); the operator requests unbounded demand, so nothing upstream ever buffers or drops.
 */
public final class PerKeyDebounce<T, K, V> {
    private final QuietPeriodDebouncer<K, V> debouncer;
    private final Supplier<DebounceSettings> settings;
    private final Function<T, K> keyOf;
    private final Function<T, V> valueOf;
    private final Ticker ticker;
    private MultiEmitter<? super Batch<K, V>> downstream;
    /** Told of an item that could not be taken in; the item is skipped and the stream lives on. */
    private final java.util.function.Consumer<RuntimeException> skipped;
    private Ticker.Cancellable timer;
    private long timerDeadline;

    private PerKeyDebounce(Supplier<DebounceSettings> settings, Function<T, K> keyOf, Function<T, V> valueOf, Ticker ticker,
                           java.util.function.Consumer<RuntimeException> skipped) {
        this.skipped = skipped;
        this.settings = settings;
        this.debouncer = new QuietPeriodDebouncer<>(settings.get());
        this.keyOf = keyOf;
        this.valueOf = valueOf;
        this.ticker = ticker;
    }

    public static <T, K, V> Function<Multi<T>, Multi<Batch<K, V>>> of(
            DebounceSettings settings, Function<T, K> keyOf, Function<T, V> valueOf, Ticker ticker) {
        return of(() -> settings, keyOf, valueOf, ticker);
    }

    /** With settings that may change while running (read on every item: a configuration reload applies at once). */
    public static <T, K, V> Function<Multi<T>, Multi<Batch<K, V>>> of(
            Supplier<DebounceSettings> settings, Function<T, K> keyOf, Function<T, V> valueOf, Ticker ticker) {
        return of(settings, keyOf, valueOf, ticker, e -> {
            throw e;
        });
    }

    /**
     * As above; an item that cannot be taken in (its key or settings fail) is handed to {@code skipped}
     * and dropped, and the stream lives on: one bad event must not end the daemon's watching.
     */
    public static <T, K, V> Function<Multi<T>, Multi<Batch<K, V>>> of(Supplier<DebounceSettings> settings, Function<T, K> keyOf,
            Function<T, V> valueOf, Ticker ticker, java.util.function.Consumer<RuntimeException> skipped) {
        return upstream -> Multi.createFrom().emitter(emitter -> {
            PerKeyDebounce<T, K, V> operator = new PerKeyDebounce<>(settings, keyOf, valueOf, ticker, skipped);
            operator.downstream = emitter;
            Cancellable subscription = upstream.subscribe().with(
                    operator::onItem, emitter::fail, () -> ticker.execute(operator::onComplete));
            emitter.onTermination(() -> {
                subscription.cancel();
                ticker.execute(operator::cancelTimer);
            });
        });
    }

    private void onItem(T item) {
        try {
            debouncer.use(settings.get());
            debouncer.offer(keyOf.apply(item), valueOf.apply(item), ticker.nanoTime());
        } catch (RuntimeException e) {
            skipped.accept(e);
        }
        armTimer();
    }

    private void onTimer() {
        timer = null;
        emit(debouncer.drainDue(ticker.nanoTime()));
        armTimer();
    }

    private void onComplete() {
        cancelTimer();
        emit(debouncer.drainAll());
        downstream.complete();
    }

    private void emit(List<Batch<K, V>> batches) {
        for (Batch<K, V> batch : batches) {
            if (downstream.isCancelled()) {
                return;
            }
            downstream.emit(batch);
        }
    }

    /** Keeps exactly one timer, set to the earliest deadline of any open window. */
    private void armTimer() {
        OptionalLong next = debouncer.nextDeadline();
        if (next.isEmpty()) {
            cancelTimer();
            return;
        }
        if (timer != null && timerDeadline - next.getAsLong() <= 0) {
            return; // the armed timer fires no later than needed; it re-arms itself
        }
        cancelTimer();
        timerDeadline = next.getAsLong();
        long delay = Math.max(0, timerDeadline - ticker.nanoTime());
        timer = ticker.schedule(this::onTimer, Duration.ofNanos(delay));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}

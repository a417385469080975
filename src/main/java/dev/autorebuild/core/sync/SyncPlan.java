package dev.autorebuild.core.sync;

import java.util.List;
import java.util.Map;

/** What a component's changes call for, given its watch rules: pure data for the engine to carry out. */
public sealed interface SyncPlan {
    /** A change no rule covers (or a {@code rebuild} rule's): the component is built and redeployed as always. */
    record Rebuild(String why) implements SyncPlan {}

    /** Only paths the rules leave alone changed. */
    record Nothing() implements SyncPlan {}

    /**
     * @param copies   workspace path → container path, for files whose content changed
     * @param deletes  container paths of files that are gone
     * @param restart  restart the container afterwards
     * @param commands run in the container afterwards, in order, once each
     * @param paths    every workspace path this plan settles (copied, deleted, or only restarting)
     */
    record Live(Map<String, String> copies, List<String> deletes, boolean restart, List<List<String>> commands, List<String> paths)
            implements SyncPlan {
        public Live {
            copies = Map.copyOf(copies);
            deletes = List.copyOf(deletes);
            commands = List.copyOf(commands);
            paths = List.copyOf(paths);
        }

        /** The action to report: what the strongest rule involved asked for. */
        public String action() {
            return !commands.isEmpty() ? "sync+exec" : restart ? (copies.isEmpty() && deletes.isEmpty() ? "restart" : "sync+restart") : "sync";
        }
    }
}

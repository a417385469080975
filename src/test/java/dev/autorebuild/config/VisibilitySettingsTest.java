package dev.autorebuild.config;

import dev.autorebuild.core.config.ConfigDiff;
import dev.autorebuild.core.config.DabConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** dab.yml's http, log and notify keys: read, checked with line:column, and named as start-only in a reload. */
class VisibilitySettingsTest {
    private static final Path WS = Path.of("/work/shop");

    private static ConfigReader.Result parse(String yaml) {
        return ConfigReader.parse("dab.yml", yaml, WS);
    }

    private static DabConfig ok(String yaml) {
        ConfigReader.Result result = parse(yaml);
        assertThat(result).as("%s", result).isInstanceOf(ConfigReader.Loaded.class);
        return ((ConfigReader.Loaded) result).config();
    }

    @Test
    void theDefaults_areLoopbackOnAFreePort_plainLogs_noNotifications() {
        DabConfig d = ok("");
        assertThat(d.http()).isEqualTo(new DabConfig.Http("127.0.0.1", 0));
        assertThat(d.jsonLog()).isFalse();
        assertThat(d.notifyDesktop()).isFalse();
    }

    @Test
    void everyKey_isRead() {
        DabConfig c = ok("http:\n  host: ::1\n  port: 9911\nlog:\n  format: json\nnotify: true\n");
        assertThat(c.http()).isEqualTo(new DabConfig.Http("::1", 9911));
        assertThat(c.jsonLog()).isTrue();
        assertThat(c.notifyDesktop()).isTrue();
    }

    @Test
    void badValues_areReportedWhereTheyAre() {
        ConfigReader.Invalid invalid = (ConfigReader.Invalid) parse("http:\n  port: 70000\n  host: \"my host\"\nlog:\n  format: xml\n");
        assertThat(invalid.problems()).extracting(Object::toString).containsExactly(
                "dab.yml:2:3: port must be between 1 and 65535, or 0 for a free port chosen at start; got 70000",
                "dab.yml:3:3: 'my host' is not an address to listen on; write 127.0.0.1 (this machine only), ::1 or 0.0.0.0",
                "dab.yml:5:3: log format is text or json; got 'xml'");
        assertThat(parse("notfy: true\n").toString()).contains("did you mean 'notify'?");
    }

    @Test
    void listeningBeyondThisMachine_isAllowed_withAWarning() {
        ConfigReader.Loaded loaded = (ConfigReader.Loaded) parse("http:\n  host: 0.0.0.0\n");
        assertThat(loaded.warnings()).containsExactly(
                "http.host 0.0.0.0 makes the dashboard reachable from other machines; its token still guards every request");
    }

    @Test
    void aReload_saysWhichChangesWaitForTheNextStart() {
        String diff = ConfigDiff.describe(ok(""), ok("http:\n  port: 9911\nnotify: true\n"));
        assertThat(diff).isEqualTo("http.port: 0 (a free port) (applies at the next start) -> 9911 (applies at the next start), notify: false -> true");
    }
}

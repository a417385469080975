package dev.autorebuild.config;

import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.build.BuilderPreference;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.TriggerPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** dab.yml: every key read, and every class of error reported as file:line:column with what to do. */
class ConfigReaderTest {
    private static final Path WS = Path.of("/work/shop");

    private static DabConfig ok(String yaml) {
        ConfigReader.Result result = ConfigReader.parse("dab.yml", yaml, WS);
        assertThat(result).as("%s", result).isInstanceOf(ConfigReader.Loaded.class);
        return ((ConfigReader.Loaded) result).config();
    }

    private static List<ConfigProblem> problems(String yaml) {
        ConfigReader.Result result = ConfigReader.parse("dab.yml", yaml, WS);
        assertThat(result).as("%s", result).isInstanceOf(ConfigReader.Invalid.class);
        return ((ConfigReader.Invalid) result).problems();
    }

    private static String only(String yaml) {
        List<ConfigProblem> problems = problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.get(0).toString();
    }

    @Test
    void anEmptyFile_meansTheDefaults() {
        assertThat(ok("")).isEqualTo(DabConfig.DEFAULTS);
        assertThat(ok("# nothing yet\n")).isEqualTo(DabConfig.DEFAULTS);
    }

    @Test
    void everyKey_isRead() {
        DabConfig c = ok("""
                blacklist:
                  - "**/*.log"
                  - docs/
                debounce:
                  quiet-period: 500ms
                  max-wait: 1h30m
                deployment:
                  auto: true
                  builds:
                    delay: 0
                build:
                  parallelism: 3
                  builder: classic
                  args: {VERSION: 1.2, DEBUG: "true"}
                  no-cache: true
                ignore:
                  gitignore: true
                daemon:
                  quit-timeout: 30s
                watch:
                  poll: true
                  poll-interval: 2s
                components:
                  web:
                    image: shop/web:dev
                    dockerfile: docker/Dockerfile.dev
                    context: .
                    args: {NODE_ENV: development}
                    target: dev
                    builder: buildkit
                    watch: [../shared]
                    run:
                      ports: ["8080:80", "0.0.0.0:8443:443/tcp"]
                      env: {A: "1"}
                      command: httpd -f -p 80
                      volumes: ["./data:/data:ro"]
                      network: shop-net
                      restart: unless-stopped
                      readiness: {http: /health, port: 80, timeout: 1m}
                  old-api:
                    enabled: false
                """);
        assertThat(c.triggers().kind()).isEqualTo(TriggerPaths.Kind.BLACKLIST);
        assertThat(c.triggers().whyExcluded("api/server.log", false)).contains("dab.yml:2:**/*.log");
        assertThat(c.triggers().whyExcluded("docs/a/b.md", false)).contains("dab.yml:3:docs/");
        assertThat(c.triggers().whyExcluded("web/index.html", false)).isEmpty();
        assertThat(c.debounce().quiet()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.debounce().maxWait()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.deployment()).isEqualTo(new DabConfig.Deployment(true, Duration.ZERO));
        assertThat(c.build()).isEqualTo(new DabConfig.Build(3, BuilderPreference.CLASSIC, Map.of("VERSION", "1.2", "DEBUG", "true"), true));
        assertThat(c.useGitignore()).isTrue();
        assertThat(c.quitTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.watch()).isEqualTo(new DabConfig.Watch(true, Duration.ofSeconds(2)));
        DabConfig.ComponentSettings web = c.component("web", "web");
        assertThat(web.image()).contains("shop/web:dev");
        assertThat(web.dockerfile()).isEqualTo("docker/Dockerfile.dev");
        assertThat(web.target()).contains("dev");
        assertThat(web.builder()).contains(BuilderPreference.BUILDKIT);
        assertThat(web.watch()).containsExactly("../shared");
        assertThat(web.run().ports()).containsExactly("8080:80", "0.0.0.0:8443:443/tcp");
        assertThat(web.run().command()).contains(List.of("sh", "-c", "httpd -f -p 80"));
        assertThat(web.run().restart()).isEqualTo("unless-stopped");
        assertThat(web.run().readiness()).isEqualTo(new DabConfig.Readiness(Optional.empty(), Optional.of("/health"), Optional.of(80), Duration.ofMinutes(1)));
        assertThat(c.component("old-api", "old-api").enabled()).isFalse();
        assertThat(c.component("Payments", "payments")).as("unlisted: defaults").isEqualTo(DabConfig.ComponentSettings.DEFAULTS);
    }

    @Test
    void watchRules_areComposesDevelopWatch_withPathsInTheComponentsFolder() {
        DabConfig c = ok("""
                components:
                  web:
                    watch-rules:
                      - path: src
                        action: sync
                        target: /app/src
                        ignore: ["*.draft"]
                      - path: conf
                        action: sync+exec
                        target: /etc/app
                        exec:
                          command: nginx -s reload
                      - path: package.json
                        action: rebuild
                """);
        assertThat(c.component("web", "web").watchRules()).containsExactly(
                new dev.autorebuild.core.sync.WatchRule("web/src", dev.autorebuild.core.sync.WatchRule.Action.SYNC, Optional.of("/app/src"),
                        List.of("*.draft"), List.of(), Optional.empty(), false),
                new dev.autorebuild.core.sync.WatchRule("web/conf", dev.autorebuild.core.sync.WatchRule.Action.SYNC_EXEC, Optional.of("/etc/app"),
                        List.of(), List.of(), Optional.of(List.of("nginx", "-s", "reload")), false),
                new dev.autorebuild.core.sync.WatchRule("web/package.json", dev.autorebuild.core.sync.WatchRule.Action.REBUILD, Optional.empty(),
                        List.of(), List.of(), Optional.empty(), false));
        assertThat(only("components:\n  web:\n    watch-rules:\n      - path: src\n        action: copy\n"))
                .isEqualTo("dab.yml:5:9: 'copy' is not an action; write rebuild, sync, sync+restart, sync+exec or restart");
        assertThat(only("components:\n  web:\n    watch-rules:\n      - path: ../api\n        action: restart\n"))
                .isEqualTo("dab.yml:4:9: path ../api leaves the component's folder; a rule's path is relative to web/");
        assertThat(only("components:\n  web:\n    watch-rules:\n      - path: src\n        action: sync\n"))
                .isEqualTo("dab.yml:5:9: sync needs target: (the folder in the container to copy to)");
    }

    @Test
    void theDocumentedExample_isValid_andMeansWhatItSays() throws Exception {
        String example = java.nio.file.Files.readString(Path.of("dab.yml.example"));
        DabConfig c = ok(example);
        int pngLine = example.lines().toList().indexOf("  - \"**/*.png\"") + 1; // the example's own line for it, wherever the file moves it
        assertThat(pngLine).isPositive();
        assertThat(c.triggers().whyExcluded("frontend/logo.png", false)).contains("dab.yml:" + pngLine + ":**/*.png");
        assertThat(c.component("backend", "backend").watch()).containsExactly("../shared");
        assertThat(c.component("backend", "backend").run().readiness().httpPath()).contains("/status");
        assertThat(c.build().args()).containsEntry("APP_ENV", "development");
    }

    @Test
    void theProjectName_namesImagesAndContainers_andOnlyComposesFormIsTaken() {
        assertThat(DabConfig.DEFAULTS.projectName("shop")).isEqualTo("shop");
        assertThat(ok("name: new-shop_2\n").projectName("shop")).isEqualTo("new-shop_2");
        assertThat(only("debounce:\n  quiet-period: 1s\nname: My Shop\n"))
                .isEqualTo("dab.yml:3:1: 'My Shop' is not a valid project name: lower-case letters, digits, '-' and '_', "
                        + "starting with a letter or digit, at most 63 characters (e.g. my-shop)");
        assertThat(only("name: -shop\n")).startsWith("dab.yml:1:1: '-shop' is not a valid project name");
    }

    @Test
    void anAbsurdlyLongDuration_isRefusedWithItsPlace_beforeItCanOverflowAClock() {
        assertThat(only("debounce:\n  quiet-period: 300000000h\n"))
                .isEqualTo("dab.yml:2:3: '300000000h' is longer than any wait auto-rebuild needs; write at most 24h");
        assertThat(only("deployment:\n  builds:\n    delay: 25h\n")).startsWith("dab.yml:3:5: '25h' is longer");
        assertThat(ok("daemon:\n  quit-timeout: 24h\n").quitTimeout()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void theBuilder_isAutoByDefault_andAnUnknownOneIsNamedWithTheChoices() {
        assertThat(ok("debounce:\n  quiet-period: 1s\n").build().builder()).isEqualTo(BuilderPreference.AUTO);
        assertThat(ok("debounce:\n  quiet-period: 1s\n").component("web", "web").builder()).isEmpty();
        assertThat(only("build:\n  builder: kaniko\n"))
                .isEqualTo("dab.yml:2:3: builder is auto (BuildKit where the engine can, else classic), buildkit or classic; got 'kaniko'");
        assertThat(only("components:\n  web:\n    builder: BuildKit\n"))
                .startsWith("dab.yml:3:5: builder is auto");
    }

    @Test
    void aComponentIsFound_byItsSanitisedNameToo() {
        DabConfig c = ok("components:\n  my-api:\n    target: prod\n");
        assertThat(c.component("My API", "my-api").target()).contains("prod");
    }

    @Test
    void aMisspeltKey_givesItsPlace_andTheNearestValidKey() {
        assertThat(only("build:\n  paralelism: 3\n"))
                .startsWith("dab.yml:2:3: unknown key 'paralelism' in build; did you mean 'parallelism'?")
                .contains("valid keys here: args, builder, no-cache, parallelism");
        assertThat(only("debounce:\n  quiet-period: 1s\nblaklist: [a]\n"))
                .startsWith("dab.yml:3:1: unknown key 'blaklist'; did you mean 'blacklist'?");
        assertThat(only("components:\n  web:\n    run:\n      port: [\"80:80\"]\n"))
                .startsWith("dab.yml:4:7: unknown key 'port' in components.web.run; did you mean 'ports'?");
    }

    @Test
    void aWrongType_saysWhatWasExpected() {
        assertThat(only("deployment:\n  auto: sometimes\n"))
                .isEqualTo("dab.yml:2:9: deployment.auto: expected true or false, got 'sometimes'");
        assertThat(only("build:\n  parallelism: many\n"))
                .startsWith("dab.yml:2:16: build.parallelism: expected a whole number");
        assertThat(only("whitelist: frontend/\n"))
                .startsWith("dab.yml:1:12: whitelist: expected a list");
    }

    @Test
    void aBadDuration_isReportedAtItsKey() {
        assertThat(only("deployment:\n  builds:\n    delay: 10 minutes\n"))
                .isEqualTo("dab.yml:3:5: '10 minutes' is not a duration; write e.g. 500ms, 2s, 10m or 1h30m");
        assertThat(only("debounce:\n  quiet-period: 2s\n  max-wait: 1s\n"))
                .isEqualTo("dab.yml:3:3: the maximum wait (1000ms) must be at least the quiet period (2000ms)");
    }

    @Test
    void aBadGlob_isReportedAtItsListItem() {
        assertThat(only("blacklist:\n  - '*.log'\n  - 'src/[a-z.ts'\n"))
                .isEqualTo("dab.yml:3:5: 'src/[a-z.ts' has a '[' at position 5 that is never closed; write \\[ for a literal bracket");
        assertThat(only("whitelist: [\"../other\"]\n")).startsWith("dab.yml:1:13: '../other' leaves the workspace");
    }

    @Test
    void whitelistAndBlacklist_areExclusive() {
        assertThat(only("whitelist: [web/]\nblacklist: ['*.log']\n"))
                .startsWith("dab.yml:2:1: whitelist and blacklist cannot both be set");
    }

    @Test
    void componentSettings_areChecked() {
        List<String> all = problems("""
                components:
                  web:
                    image: Shop/Web
                    context: ../..
                    run:
                      ports: ["80"]
                      restart: sometimes
                """).stream().map(ConfigProblem::toString).toList();
        assertThat(all).containsExactly(
                "dab.yml:3:5: 'Shop/Web' is not a valid image reference (lower-case name[:tag], e.g. shop/web:dev)",
                "dab.yml:4:5: '../..' leaves the workspace; it must stay inside /work/shop",
                "dab.yml:6:15: '80' is not a port mapping; write HOST:CONTAINER (e.g. \"8080:80\"), optionally ADDRESS:HOST:CONTAINER and /udp",
                "dab.yml:7:7: restart must be one of no, always, unless-stopped, on-failure; got 'sometimes'");
    }

    @Test
    void secrets_areReadFromAFileOrAVariable_andEachMistakeIsPlaced() {
        DabConfig c = ok("""
                build:
                  secrets:
                    npm: {file: secrets/npmrc}
                    token: {env: GH_TOKEN}
                components:
                  web:
                    secrets:
                      key: {file: ~/keys/web.key}
                """);
        assertThat(c.build().secrets()).containsOnly(
                Map.entry("npm", new DabConfig.Secret(DabConfig.Secret.Kind.FILE, "/work/shop/secrets/npmrc")),
                Map.entry("token", new DabConfig.Secret(DabConfig.Secret.Kind.ENV, "GH_TOKEN")));
        assertThat(c.component("web", "web").secrets()).containsOnly(Map.entry("key",
                new DabConfig.Secret(DabConfig.Secret.Kind.FILE, Path.of(System.getProperty("user.home"), "keys/web.key").toString())));

        List<String> all = problems("""
                build:
                  secrets:
                    both: {file: a, env: B}
                    none: {}
                    "bad id": {env: X}
                    var: {env: 2FAST}
                """).stream().map(ConfigProblem::toString).toList();
        assertThat(all).containsExactly(
                "dab.yml:3:5: secret both needs exactly one source: file: PATH (relative to the workspace, or ~/…) or env: VARIABLE",
                "dab.yml:4:5: secret none needs exactly one source: file: PATH (relative to the workspace, or ~/…) or env: VARIABLE",
                "dab.yml:5:5: 'bad id' cannot be a secret id; use letters, digits, '_', '.' and '-' (the id= of RUN --mount=type=secret)",
                "dab.yml:6:11: '2FAST' is not an environment variable's name");
    }

    @Test
    void aDockerfileOutsideItsContext_isRefused() {
        assertThat(only("components:\n  web:\n    dockerfile: ../Dockerfile\n"))
                .isEqualTo("dab.yml:3:5: the Dockerfile (Dockerfile) must be inside the build context (web)");
    }

    @Test
    void brokenYaml_isAnErrorWithItsPlace() {
        assertThat(only("debounce:\n  quiet-period: [1s\n")).isEqualTo("dab.yml:3:1: not valid YAML: expected ',' or ']', but got <stream end>");
        assertThat(only("just words\n")).isEqualTo("dab.yml:1:1: expected a mapping of keys (key: value lines) at the top of the file");
        assertThat(only("a: b\n\tc: d\n")).startsWith("dab.yml:2:1: not valid YAML: found character '\\t(TAB)' that cannot start any token");
    }

    @Test
    // quickly: within a minute even on a cold, loaded JVM (16 s seen in CI); a parser that expanded the aliases would run out of memory or time
    @org.junit.jupiter.api.Timeout(60)
    void hostileYaml_isRefusedQuickly_withAnError() {
        // billion laughs: nine levels of nine aliases each, under keys that are allowed to hold lists
        StringBuilder laughs = new StringBuilder("components:\n  l0:\n    watch: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++) {
            String previous = "*l" + (level - 1);
            laughs.append("  l").append(level).append(":\n    watch: &l").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, previous))).append("]\n");
        }
        assertThat(only(laughs.toString()))
                .isEqualTo("dab.yml:5:17: YAML aliases (*name) are not supported in dab.yml; write the value out in full");
        assertThat(only("whitelist: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"))
                .startsWith("dab.yml: far too big or too deeply nested for a configuration file: Document nesting depth (1001) exceeds");
        assertThat(only("blacklist: [\"" + "a".repeat(4_000_000) + "\"]\n")).startsWith("dab.yml:");
    }

    @Test
    void randomBytes_neverCrashTheReader() {
        Random random = new Random(20261126);
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            String text = round % 2 == 0 ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                    : mutate("debounce:\n  quiet-period: 1s\nblacklist: ['*.log']\ncomponents:\n  web: {image: a/b}\n", random);
            ConfigReader.Result result = ConfigReader.parse("dab.yml", text, WS);
            assertThat(result).isNotNull();
            if (result instanceof ConfigReader.Invalid invalid) {
                assertThat(invalid.problems()).allSatisfy(p -> assertThat(p.toString()).startsWith("dab.yml"));
            }
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, ":-[]{}#&*!|>'\"%@` \t\n".charAt(random.nextInt(20)));
                default -> out.setCharAt(at, (char) (32 + random.nextInt(95)));
            }
        }
        return out.toString();
    }

    @Test
    void engine_isAnAddressWithTlsFiles_orAContext_checkedAtItsKeys() {
        ConfigReader.Result read = ConfigReader.parse("dab.yml", "engine:\n  host: tcp://build:2376\n  cert-path: certs\n", WS);
        assertThat(((ConfigReader.Loaded) read).engine()).contains(new dev.autorebuild.core.config.EngineSettings(Optional.of("tcp://build:2376"),
                Optional.of("/work/shop/certs"), true, Optional.empty()));
        assertThat(only("engine:\n  host: tcp://build:2376\n  context: build\n"))
                .isEqualTo("dab.yml:3:3: engine: give host (an address) or context (a Docker CLI context), not both");
        assertThat(only("engine:\n  host: http://build:2376\n")).startsWith("dab.yml:2:3: engine.host: 'http://build:2376' is not an engine address");
        assertThat(only("engine:\n  context: build\n  cert-path: certs\n")).startsWith("dab.yml:3:3: engine.cert-path: a context brings its own TLS files");
        assertThat(only("engine:\n  hots: tcp://build:2376\n")).contains("did you mean 'host'");
    }
}

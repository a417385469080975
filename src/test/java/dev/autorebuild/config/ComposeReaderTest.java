package dev.autorebuild.config;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.config.ConfigProblem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A Compose file read into components, against values written out by hand from the fixture. */
class ComposeReaderTest {
    @TempDir
    Path root;
    Path ws;

    @BeforeEach
    void workspace() throws IOException {
        ws = Files.createDirectories(root.resolve("My Shop"));
        for (String folder : List.of("web", "api", "docs")) {
            Files.createDirectories(ws.resolve(folder));
        }
        Files.writeString(ws.resolve("web/Dockerfile"), "FROM busybox:stable\n");
        Files.writeString(ws.resolve("api/Api.Dockerfile"), "FROM busybox:stable\n");
    }

    private ComposeReader.Result read(String compose, Map<String, String> env) throws IOException {
        Files.writeString(ws.resolve("compose.yaml"), compose);
        return ComposeReader.read(ws, ws.resolve("compose.yaml"), "compose.yaml", env);
    }

    private ComposeReader.Project ok(String compose, Map<String, String> env) throws IOException {
        ComposeReader.Result r = read(compose, env);
        assertThat(r).as("%s", r).isInstanceOf(ComposeReader.Read.class);
        return ((ComposeReader.Read) r).project();
    }

    private List<String> problems(String compose) throws IOException {
        ComposeReader.Result r = read(compose, Map.of());
        assertThat(r).as("%s", r).isInstanceOf(ComposeReader.Invalid.class);
        return ((ComposeReader.Invalid) r).problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void builtServices_becomeTheirContextFoldersComponents_runAsTheServiceSays() throws IOException {
        Files.writeString(ws.resolve(".env"), "WEB_PORT=18080\nGREETING='hello from .env'\nTAG=from-dotenv\n");
        Files.writeString(ws.resolve("api/api.env"), "# the api's own\nLEVEL=debug\nGREETING=overridden below\n");
        ComposeReader.Project p = ok("""
                services:
                  web:
                    build: ./web
                    ports:
                      - "${WEB_PORT:-8080}:80"
                      - target: 443
                        published: 8443
                        host_ip: 0.0.0.0
                    environment:
                      MODE: dev
                      FROM_SHELL:
                  api:
                    build:
                      context: api
                      dockerfile: Api.Dockerfile
                      target: dev
                      args:
                        - VERSION=${TAG}
                    image: registry.local/shop-api:${TAG}
                    env_file: api/api.env
                    environment:
                      - GREETING=${GREETING}
                    command: sh -c 'echo "$$GREETING"; sleep 1d'
                    entrypoint: ["/bin/tini", "--"]
                    volumes:
                      - ./data:/data:ro
                      - cache:/cache
                    restart: on-failure:3
                    init: false
                    stop_signal: SIGINT
                    stop_grace_period: 1m30s
                    healthcheck:
                      test: wget -q -O- http://localhost/health
                      interval: 5s
                      retries: 3
                    networks: [backend]
                  db:
                    image: busybox:stable
                networks:
                  backend:
                """, Map.of("FROM_SHELL", "shell", "TAG", "from-shell"));

        assertThat(p.name()).as("the folder's name, lower-cased as Compose does").isEqualTo("myshop");
        assertThat(p.compose().folders()).isEqualTo(Map.of("web", "web", "api", "api"));
        assertThat(p.compose().notBuilt()).isEqualTo(Map.of("db", "image only"));

        DabConfig.ComponentSettings web = p.components().get("web");
        assertThat(web.image()).contains("myshop-web");
        assertThat(web.dockerfile()).isEqualTo("Dockerfile");
        assertThat(web.run().ports()).containsExactly("18080:80", "0.0.0.0:8443:443");
        assertThat(web.run().env()).isEqualTo(Map.of("MODE", "dev", "FROM_SHELL", "shell"));
        assertThat(web.run().network()).contains("myshop_default");
        DabConfig.ComposeService webService = web.compose().orElseThrow();
        assertThat(webService.containerName()).isEqualTo("myshop-web-1");
        assertThat(webService.networkLabels()).isEqualTo(Map.of("com.docker.compose.project", "myshop", "com.docker.compose.network", "default"));

        DabConfig.ComponentSettings api = p.components().get("api");
        assertThat(api.image()).as("the shell's TAG wins over .env's").contains("registry.local/shop-api:from-shell");
        assertThat(api.dockerfile()).isEqualTo("Api.Dockerfile");
        assertThat(api.target()).contains("dev");
        assertThat(api.args()).isEqualTo(Map.of("VERSION", "from-shell"));
        assertThat(api.run().env()).isEqualTo(Map.of("LEVEL", "debug", "GREETING", "hello from .env"));
        assertThat(api.run().command()).contains(List.of("sh", "-c", "echo \"$GREETING\"; sleep 1d"));
        assertThat(api.run().volumes()).containsExactly(ws.resolve("data") + ":/data:ro", "myshop_cache:/cache");
        assertThat(api.run().restart()).isEqualTo("on-failure");
        assertThat(api.run().init()).isFalse();
        assertThat(api.run().stopTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(api.run().network()).contains("myshop_backend");
        DabConfig.ComposeService apiService = api.compose().orElseThrow();
        assertThat(apiService.entrypoint()).contains(List.of("/bin/tini", "--"));
        assertThat(apiService.stopSignal()).contains("SIGINT");
        assertThat(apiService.healthcheck()).contains(new DabConfig.Healthcheck(List.of("CMD-SHELL", "wget -q -O- http://localhost/health"),
                Duration.ofSeconds(5), Duration.ZERO, 3, Duration.ZERO));
    }

    @Test
    void theProjectName_comesFromTheEnvironment_thenName_thenTheFolder() throws IOException {
        String file = "name: Web_Shop\nservices:\n  web:\n    build: web\n";
        assertThat(ok(file, Map.of()).name()).isEqualTo("web_shop");
        assertThat(ok(file, Map.of("COMPOSE_PROJECT_NAME", "staging")).name()).isEqualTo("staging");
        assertThat(ok(file, Map.of()).components().get("web").compose().orElseThrow().containerName()).isEqualTo("web_shop-web-1");
    }

    @Test
    void servicesAutoRebuildCannotBuild_areLeftToCompose_withAWarningThatSaysWhy() throws IOException {
        ComposeReader.Project p = ok("""
                services:
                  whole:
                    build: .
                  web:
                    build: ./web
                    depends_on: [whole]
                  web-again:
                    build: ./web
                """, Map.of());
        assertThat(p.compose().folders()).isEqualTo(Map.of("web", "web"));
        assertThat(p.compose().notBuilt()).isEqualTo(Map.of("whole", "context .", "web-again", "shares web/"));
        assertThat(p.warnings()).containsExactly(
                "compose.yaml:3:5: services.whole is not built here: its build context . is not one of the workspace's sub-folders, which is what auto-rebuild builds; Compose still can",
                "compose.yaml:6:5: services.web.depends_on: not applied by auto-rebuild's redeploys; the container runs without it",
                "compose.yaml:8:5: services.web-again is not built here: another service already builds web/");
    }

    @Test
    void mistakes_areReportedAtTheirLineAndColumn() throws IOException {
        assertThat(problems("""
                services:
                  web:
                    build: ./web
                    portz: ["8080:80"]
                """)).containsExactly("compose.yaml:4:5: 'portz' is not a Compose key in services.web; did you mean 'ports'?");
        assertThat(problems("""
                services:
                  web:
                    build: ./web
                    environment:
                      TOKEN: ${TOKEN?the API token}
                """)).containsExactly("compose.yaml:5:14: services.web.environment.TOKEN: required variable TOKEN is not set: the API token "
                + "(set it in the environment or in .env)");
        assertThat(problems("services:\n  web:\n    build: ./web\n    ports: [\"80:eighty\"]\n"))
                .singleElement().asString().startsWith("compose.yaml:4:13: services.web.ports: '80:eighty' is not a port");
        assertThat(problems("servises:\n  web: {}\n")).contains("compose.yaml:1:1: 'servises' is not a Compose key at the top of the file; did you mean 'services'?");
        assertThat(problems("services:\n  web:\n    build: ./web\n  web:\n    build: ./web\n"))
                .contains("compose.yaml:4:3: services: 'web' is written twice; keep one (YAML does not merge them)");
    }

    @Test
    void extends_inTheSameFile_andMergeKeys_areApplied() throws IOException {
        ComposeReader.Project p = ok("""
                x-common: &common
                  environment:
                    LEVEL: info
                  restart: always
                services:
                  base:
                    image: busybox:stable
                    stop_signal: SIGQUIT
                  web:
                    <<: *common
                    extends: base
                    build: ./web
                """, Map.of());
        DabConfig.ComponentSettings web = p.components().get("web");
        assertThat(web.run().env()).isEqualTo(Map.of("LEVEL", "info"));
        assertThat(web.run().restart()).isEqualTo("always");
        assertThat(web.compose().orElseThrow().stopSignal()).contains("SIGQUIT");
        assertThat(web.image()).as("extends brings the base's image: the tag the build gets").contains("busybox:stable");
    }

    @Test
    void include_andExtendsFile_bringServicesFromOtherFiles_withPathsAndVariablesOfTheirOwnFolder() throws IOException {
        Files.createDirectories(ws.resolve("infra"));
        Files.createDirectories(ws.resolve("common"));
        Files.writeString(ws.resolve(".env"), "REGION=eu\n");
        Files.writeString(ws.resolve("infra/.env"), "API_PORT=7000\n");
        Files.writeString(ws.resolve("infra/compose.yaml"), """
                services:
                  api:
                    build:
                      context: ../api
                      dockerfile: Api.Dockerfile
                    ports: ["${API_PORT}:80"]
                    volumes: ["./data:/data"]
                  db:
                    image: postgres:16
                """);
        Files.writeString(ws.resolve("common/base.env"), "FROM_BASE=yes\n");
        Files.writeString(ws.resolve("common/base.yml"), """
                services:
                  webbase:
                    env_file: base.env
                    environment: {LEVEL: info, REGION: "${REGION}"}
                    ports: ["9090:90"]
                    command: ["httpd", "-f"]
                """);
        ComposeReader.Project p = ok("""
                include:
                  - infra/compose.yaml
                services:
                  web:
                    extends: {file: common/base.yml, service: webbase}
                    build: ./web
                    ports: ["8080:80"]
                    environment: {LEVEL: debug}
                """, Map.of());
        assertThat(p.components()).containsOnlyKeys("web", "api");
        DabConfig.ComponentSettings api = p.components().get("api");
        assertThat(api.dockerfile()).isEqualTo("Api.Dockerfile");
        assertThat(api.run().ports()).as("interpolated from infra/.env, the included file's own").containsExactly("7000:80");
        assertThat(api.run().volumes()).as("relative to the included file's folder")
                .containsExactly(ws.toAbsolutePath().resolve("infra/data") + ":/data");
        DabConfig.ComponentSettings web = p.components().get("web");
        assertThat(web.run().env()).as("env_file read from common/, then the base's environment, then web's own over it")
                .isEqualTo(Map.of("FROM_BASE", "yes", "LEVEL", "debug", "REGION", "eu"));
        assertThat(web.run().ports()).as("lists are appended, as Compose merges extends").containsExactly("9090:90", "8080:80");
        assertThat(web.run().command()).contains(List.of("httpd", "-f"));
        assertThat(p.compose().notBuilt()).isEqualTo(Map.of("db", "image only"));
        assertThat(p.compose().files()).containsExactly("compose.yaml", "infra/compose.yaml", "common/base.yml", "infra/.env");
    }

    @Test
    void include_andExtendsFile_mistakes_nameTheFileTheyAreIn() throws IOException {
        Files.writeString(ws.resolve("other.yml"), "services:\n  web:\n    image: nginx\n    portz: []\n");
        assertThat(problems("""
                include: [other.yml]
                services:
                  web:
                    build: ./web
                """)).containsExactlyInAnyOrder(
                "other.yml:4:5: 'portz' is not a Compose key in services.web; did you mean 'ports'?",
                "compose.yaml:3:3: services.web is also defined in other.yml:2; a project defines each name once, so rename or remove one");
        assertThat(problems("include:\n  - missing.yml\nservices: {}\n")).singleElement().asString()
                .startsWith("compose.yaml:2:5: cannot read missing.yml (NoSuchFile); check the path");
        Files.writeString(ws.resolve("loop.yml"), "include: [compose.yaml]\nservices: {}\n");
        assertThat(problems("include: [loop.yml]\nservices: {}\n")).singleElement().asString()
                .startsWith("loop.yml:1:11: include: compose.yaml includes itself");
        assertThat(problems("""
                services:
                  web:
                    build: ./web
                    extends: {file: other.yml, service: nope}
                """)).contains("compose.yaml:4:5: services.web.extends: no service 'nope' in other.yml");
    }

    @Test
    void developWatch_isReadIntoRules_withPathsMadeWorkspaceRelative() throws IOException {
        ComposeReader.Project p = ok("""
                services:
                  web:
                    build: ./web
                    develop:
                      watch:
                        - path: ./web/src
                          action: sync
                          target: /app/src
                          ignore: [node_modules/]
                        - path: web/conf
                          action: sync+exec
                          target: /etc/app
                          exec:
                            command: ["nginx", "-s", "reload"]
                        - path: ./web/package.json
                          action: rebuild
                        - path: ./api
                          action: restart
                """, Map.of());
        assertThat(p.components().get("web").watchRules()).containsExactly(
                new dev.autorebuild.core.sync.WatchRule("web/src", dev.autorebuild.core.sync.WatchRule.Action.SYNC, Optional.of("/app/src"),
                        List.of("node_modules/"), List.of(), Optional.empty(), false),
                new dev.autorebuild.core.sync.WatchRule("web/conf", dev.autorebuild.core.sync.WatchRule.Action.SYNC_EXEC, Optional.of("/etc/app"),
                        List.of(), List.of(), Optional.of(List.of("nginx", "-s", "reload")), false),
                new dev.autorebuild.core.sync.WatchRule("web/package.json", dev.autorebuild.core.sync.WatchRule.Action.REBUILD, Optional.empty(),
                        List.of(), List.of(), Optional.empty(), false));
        assertThat(p.warnings()).containsExactly("compose.yaml:17:17: services.web.develop.watch.path: ./api is outside the service's build "
                + "context web/; auto-rebuild watches a component's own folder, so this rule is not applied");

        assertThat(problems("""
                services:
                  web:
                    build: ./web
                    develop:
                      watch:
                        - path: ./web/src
                          action: sync
                        - path: ./web/src
                          action: copy
                """)).containsExactly(
                "compose.yaml:7:19: services.web.develop.watch: sync needs target: (the folder in the container to copy to)",
                "compose.yaml:9:19: services.web.develop.watch.action: 'copy' is not an action; write rebuild, sync, sync+restart, sync+exec or restart");
    }

    @Test
    void dabYml_winsKeyByKey_andCanTurnComposeOff() throws IOException {
        Files.writeString(ws.resolve("compose.yaml"), """
                services:
                  web:
                    build: ./web
                    ports: ["8080:80"]
                    environment: {MODE: dev, LEVEL: info}
                """);
        Files.writeString(ws.resolve("dab.yml"), """
                components:
                  web:
                    run:
                      env: {LEVEL: debug}
                      stop-timeout: 3s
                """);
        DabConfig c = ((ConfigReader.Loaded) ConfigReader.read(ws, Optional.empty())).config();
        DabConfig.ComponentSettings web = c.components().get("web");
        assertThat(web.run().ports()).as("from compose.yaml").containsExactly("8080:80");
        assertThat(web.run().env()).isEqualTo(Map.of("MODE", "dev", "LEVEL", "debug"));
        assertThat(web.run().stopTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.compose()).isPresent();
        assertThat(c.projectName("My Shop")).isEqualTo("myshop");

        Files.writeString(ws.resolve("dab.yml"), "compose: false\n");
        assertThat(((ConfigReader.Loaded) ConfigReader.read(ws, Optional.empty())).config().compose()).isEmpty();
        Files.writeString(ws.resolve("dab.yml"), "compose: 12\n");
        assertThat(ConfigReader.read(ws, Optional.empty())).isInstanceOf(ConfigReader.Invalid.class);
    }
}

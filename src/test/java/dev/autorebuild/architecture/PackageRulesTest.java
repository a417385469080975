package dev.autorebuild.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of ARCHITECTURE.md, checked on the compiled classes: a change that breaks one
 * fails here, with the class and the dependency that break it. The table there and this test say the
 * same thing; change both together.
 */
class PackageRulesTest {
    private static final String APP = "dev.autorebuild";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(APP);
        // rules over no classes would pass whatever the code does
        org.assertj.core.api.Assertions.assertThat(classes.contain("dev.autorebuild.engine.Rebuilder")
                && classes.contain("dev.autorebuild.docker.DockerImageBuilder") && classes.contain("dev.autorebuild.cli.Main")).isTrue();
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void theCore_isPure_itUsesNoAdapterNoShellAndNoFramework() {
        check(noClasses().that().resideInAPackage(APP + ".core..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".engine..", APP + ".docker..", APP + ".fs..", APP + ".watch..",
                        APP + ".config..", APP + ".daemon..", APP + ".web..", APP + ".cli..", APP + ".pipeline..",
                        "io.quarkus..", "io.smallrye..", "com.github.dockerjava..", "com.fasterxml..", "org.jboss.logging..")
                .because("core.* never does I/O and depends on the JDK only (ARCHITECTURE.md)"));
    }

    @Test
    void theEngine_reachesDockerAndTheConfigurationOnlyThroughItsPorts() {
        check(noClasses().that().resideInAPackage(APP + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".docker..", APP + ".config..", APP + ".daemon..",
                        APP + ".web..", APP + ".cli..", "com.github.dockerjava..", "io.quarkus..")
                .because("the engine uses ImageBuilder, ContainerRuntime and ConfigSource; adapters depend on it, never the reverse"));
    }

    @Test
    void theWebSide_neverReachesTheShellOrTheAdapters() {
        check(noClasses().that().resideInAPackage(APP + ".web..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".cli..", APP + ".docker..", APP + ".config..", APP + ".daemon..")
                .because("the HTTP side sees only what the daemon hands it (LiveDaemon)"));
    }

    @Test
    void theDaemonsOsAdapters_useTheJdkAndJacksonsStreamingApiOnly() {
        check(noClasses().that().resideInAPackage(APP + ".daemon..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".engine..", APP + ".docker..", APP + ".config..", APP + ".web..",
                        APP + ".cli..", "io.quarkus..", "com.github.dockerjava..", "com.fasterxml.jackson.databind..")
                .because("lock, PID file, registry, socket and signals are plain OS adapters, and the -s client must start fast"));
    }

    @Test
    void adapters_neverReachTheShell() {
        check(noClasses().that().resideInAnyPackage(APP + ".docker..", APP + ".config..", APP + ".fs..", APP + ".watch..", APP + ".pipeline..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".cli..", APP + ".web..", APP + ".daemon..")
                .because("adapters are wired by the shell, never the other way round"));
    }

    @Test
    void theBuildKitSession_knowsNeitherTheEngineNorDockerJava() {
        check(noClasses().that().resideInAPackage(APP + ".docker.session..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".docker", APP + ".engine..", "com.github.dockerjava..")
                .because("the session is the client side of BuildKit's protocol: it is handed folders and secrets, and docker-java"
                        + " cannot carry it (its hijack asks for 'tcp')"));
    }

    @Test
    void redeploysAreOrchestratedInDeploy_whichReachesNeitherTheShellNorTheAdapters() {
        check(noClasses().that().resideInAPackage(APP + ".deploy..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".cli..", APP + ".web..", APP + ".daemon..", APP + ".docker..",
                        APP + ".config..", "com.github.dockerjava..")
                .because("deploy decides when and what to redeploy, through the engine's Redeployer; the shell only wires it"));
    }

    @Test
    void theReadModels_areBuiltFromEventsAlone() {
        check(noClasses().that().resideInAPackage(APP + ".view..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".cli..", APP + ".web..", APP + ".daemon..", APP + ".docker..",
                        APP + ".config..", APP + ".deploy..", APP + ".fs..", APP + ".watch..", "io.quarkus..", "com.github.dockerjava..")
                .because("StatusBoard and BuildHistory are read models: events in, state out (the engine's RebuildListener and the core)"));
        check(noClasses().that().resideInAPackage(APP + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(APP + ".view..", APP + ".deploy..")
                .because("the engine emits events; who reads them is not its business"));
    }

    @Test
    void thePackages_haveNoCycles() {
        check(slices().matching(APP + ".(*)..").should().beFreeOfCycles());
    }
}

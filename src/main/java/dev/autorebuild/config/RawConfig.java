package dev.autorebuild.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * dab.yml as written, before defaults and checks: every field may be absent (null). Keys are
 * kebab-case ({@code quiet-period}); an unknown key is an error, reported with the nearest valid one.
 * Durations and globs stay strings here: {@link ConfigReader} checks them and says where they are.
 */
record RawConfig(List<String> whitelist, List<String> blacklist, Debounce debounce, Deployment deployment, Build build,
                 Ignore ignore, Daemon daemon, Watch watch, Http http, Log log,
                 @com.fasterxml.jackson.annotation.JsonProperty("notify") Boolean notifyDesktop, Map<String, Component> components, String name,
                 JsonNode compose, Engine engine) {

    record Engine(String host, String certPath, Boolean tlsVerify, String context) {}

    record Http(String host, Integer port) {}

    record Log(String format) {}

    record Watch(Boolean poll, String pollInterval) {}

    record Debounce(String quietPeriod, String maxWait) {}

    /** {@code target}: containers or swarm; {@code registry}: HOST[:PORT][/PREFIX]. */
    record Deployment(Boolean auto, Builds builds, String target, String registry) {}

    /** A component's own {@code deployment:}: its target only. */
    record ComponentDeployment(String target) {}

    /** A Swarm service's update settings ({@code run.update}). */
    record Update(Integer parallelism, String delay, String order, String failureAction, String monitor) {}

    record Builds(String delay) {}

    record Build(Integer parallelism, String builder, Map<String, String> args, Boolean noCache, Map<String, Secret> secrets) {}

    /** A BuildKit secret's source: one of the two. */
    record Secret(String file, String env) {}

    record Ignore(Boolean gitignore) {}

    record Daemon(String quitTimeout) {}

    record Component(Boolean enabled, String image, String dockerfile, String context, Map<String, String> args,
                     String target, String builder, List<String> watch, Run run, Map<String, Secret> secrets, List<WatchRule> watchRules,
                     ComponentDeployment deployment) {}

    /** A live sync rule, as Compose's develop.watch writes one; {@code path} relative to the component's folder. */
    record WatchRule(String path, String action, String target, List<String> ignore, List<String> include, Exec exec, Boolean initialSync) {}

    /** {@code command} is a string (split into words) or a list. */
    record Exec(JsonNode command) {}

    /** {@code command} is a string (run by {@code sh -c}) or a list of arguments. */
    record Run(List<String> ports, Map<String, String> env, JsonNode command, List<String> volumes, String network,
               String restart, Boolean init, String stopTimeout, Readiness readiness, Integer replicas, String publish, Update update,
               Boolean staging) {}

    record Readiness(Integer tcp, String http, Integer port, String timeout) {}
}

package dev.autorebuild.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Compose's interpolation forms, each against a value written out by hand. */
class ComposeVariablesTest {
    private final ComposeVariables vars = ComposeVariables.of(Map.of("PORT", "8080", "EMPTY", "", "NAME", "shop"));

    private String ok(String text) {
        return ((ComposeVariables.Replaced) vars.interpolate(text)).value();
    }

    private String failure(String text) {
        return ((ComposeVariables.Failed) vars.interpolate(text)).message();
    }

    @Test
    void plainAndBracedNames_areReplaced() {
        assertThat(ok("${PORT}:80")).isEqualTo("8080:80");
        assertThat(ok("$PORT:80")).isEqualTo("8080:80");
        assertThat(ok("$NAME-web")).isEqualTo("shop-web");
        assertThat(ok("no variables")).isEqualTo("no variables");
    }

    @Test
    void defaults_tellUnsetFromEmpty() {
        assertThat(ok("${MISSING:-3000}")).isEqualTo("3000");
        assertThat(ok("${EMPTY:-3000}")).isEqualTo("3000");
        assertThat(ok("${EMPTY-3000}")).isEqualTo("");
        assertThat(ok("${MISSING-3000}")).isEqualTo("3000");
        assertThat(ok("${PORT:-3000}")).isEqualTo("8080");
        assertThat(ok("${MISSING:-${PORT}}")).as("a default holding a variable").isEqualTo("8080");
        assertThat(ok("${PORT:+set}|${MISSING:+set}")).isEqualTo("set|");
    }

    @Test
    void aDoubledDollar_isALiteralDollar() {
        assertThat(ok("echo $$HOME costs $$5")).isEqualTo("echo $HOME costs $5");
    }

    @Test
    void anUnsetVariable_isEmpty_andNamed() {
        ComposeVariables.Replaced r = (ComposeVariables.Replaced) vars.interpolate("a${MISSING}b$ALSO_MISSING");
        assertThat(r.value()).isEqualTo("ab");
        assertThat(r.unset()).isEqualTo(List.of("MISSING", "ALSO_MISSING"));
    }

    @Test
    void requiredVariables_andMistakes_areErrorsThatSayWhatToDo() {
        assertThat(failure("${TOKEN?set the API token}")).isEqualTo("required variable TOKEN is not set: set the API token (set it in the environment or in .env)");
        assertThat(failure("${EMPTY:?}")).isEqualTo("required variable EMPTY is empty (set it in the environment or in .env)");
        assertThat(ok("${EMPTY?fine when merely empty}")).isEqualTo("");
        assertThat(failure("${PORT")).contains("without its closing }");
        assertThat(failure("${PORT/8/9}")).contains("unknown operator after PORT");
        assertThat(failure("${1X}")).contains("is not a variable");
    }
}

package dev.autorebuild.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Debian's chromium, headless, driven through chromium-driver (both installed by .ci/run): the dashboard as a browser shows it. */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {}

    /** A fresh browser with a profile of its own under {@code dir}; the caller quits it. */
    public static WebDriver start(Path dir) throws IOException {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1280,720");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** Waits (at most a minute) until the element's text satisfies {@code ok}; fails with its last text. */
    public static void awaitText(WebDriver browser, By by, Predicate<String> ok) {
        String[] last = {"(never found)"};
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(WebDriverException.class)
                    .until(() -> ok.test(last[0] = browser.findElement(by).getText()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(by + " never read as expected; its last text: " + last[0], e);
        }
    }
}

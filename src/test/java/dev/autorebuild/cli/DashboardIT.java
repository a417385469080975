package dev.autorebuild.cli;

import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): the page follows the daemon live, without reloading, and its buttons act.
 */
class DashboardIT extends DaemonProcessTest {
    /** A component whose build visibly takes a while (so the page can be seen showing it), served by httpd. */
    private static final String SLOW_HTTPD = "FROM busybox:stable\nCOPY . /www/\nRUN sleep 2\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n";

    private WebDriver browser;

    @BeforeEach
    void browser() throws Exception {
        browser = dev.autorebuild.support.HeadlessChromium.start(dir);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePage_followsBuildsLive_andItsButtonsRebuildAndRedeploy() throws Exception {
        ws.write("web/Dockerfile", SLOW_HTTPD.replace("RUN sleep 2", "RUN sleep 2" + TestWorkspace.uncached()));
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        Dashboard d = Dashboard.of(ws.root());

        browser.get(d.url());
        awaitState("idle");
        // the page re-renders a row whenever an event arrives: every read finds its element afresh, inside the wait
        awaitText(By.id("workspace"), text -> text.equals(ws.root().toString()));
        awaitText(ROW, text -> text.contains("demo-web:latest") && text.contains("succeeded") && text.contains("pending"));
        awaitText(By.cssSelector("tr[data-component='web'] [data-builder]"), text -> text.contains("BuildKit"));
        awaitText(By.id("connection"), text -> text.equals("live"));

        // redeploy what is pending, from the page
        awaitText(By.id("redeploy"), text -> text.equals("Redeploy pending (1)"));
        click(By.id("redeploy"));
        awaitText(By.id("notice"), text -> text.equals("redeployed web"));
        awaitText(ROW, text -> text.contains("demo-web · running"));
        awaitText(By.id("redeploy"), text -> text.equals("Nothing to redeploy"));

        // an edit: the row goes to building and back to idle, with the build's steps in its log pane
        ws.write("web/index.html", "edited in the test\n");
        awaitState("building");
        awaitState("idle");
        click(By.cssSelector("#logs details summary"));
        awaitText(LOG_PANE, text -> text.lines().anyMatch(line -> line.matches("#\\d+ \\[3/3\\] RUN sleep 2 # test .*")));
        awaitText(By.id("redeploy"), text -> text.equals("Redeploy pending (1)"));

        // the rebuild button builds again though nothing changed (from BuildKit's cache: too quick to watch it build)
        click(By.cssSelector("[data-rebuild='web']"));
        await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token())
                .get("/api/builds?component=web").jsonPath().getList("result").equals(List.of("succeeded", "succeeded", "succeeded")));
        awaitState("idle");
        as(d).then().statusCode(200);

        // a failing build: red, with the failing step and its error
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /www/\nRUN echo about to fail && exit 3\n");
        awaitState("failed");
        awaitAttribute(ROW, "class", "failed");
        awaitText(By.cssSelector("tr[data-failure-for='web']"),
                text -> text.contains("[3/3] RUN echo about to fail && exit 3") && text.contains("exit code: 3"));
        awaitAttribute(By.cssSelector("[data-state='failed']"), "style:color", "rgba(198, 40, 40, 1)");
        awaitText(LOG_PANE, text -> text.contains("about to fail"));
        // the same failure in -s status and the API: the step, the error, the builder
        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.out()).contains("web  failed", "build:     FAILED, ", ", BuildKit: at \"[3/3] RUN echo about to fail && exit 3\": ",
                "exit code: 3");
        assertThat(RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token())
                .get("/api/builds?component=web").jsonPath().getString("[0].detail"))
                .startsWith("at \"[3/3] RUN echo about to fail && exit 3\": ").contains("exit code: 3");

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard-it.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void liveSyncs_showInTheComponentsRow_andItsLogPane_andSoDoesASyncThatFellBackToABuild() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "home").webSyncingSite(port);
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        browser.get(Dashboard.of(ws.root()).url());
        awaitText(By.id("redeploy"), text -> text.equals("Redeploy pending (1)"));
        click(By.id("redeploy"));
        awaitText(ROW, text -> text.contains("demo-web · running"));
        click(By.cssSelector("#logs details summary"));

        ws.write("web/site/index.html", "v2\n");
        awaitText(By.cssSelector("tr[data-component='web'] [data-sync='succeeded']"), text -> text.startsWith("synced: sync, 1 copied, 0 deleted"));
        awaitText(LOG_PANE, text -> text.lines().anyMatch(line -> line.matches("synced \\(sync\\): 1 copied, 0 deleted in \\d+ ms")));
        assertThat(DockerEngine.httpGet(port, "/site/index.html")).contains("v2");

        DockerEngine.cli("stop", "demo-web");
        ws.write("web/site/index.html", "v3\n");
        awaitText(By.cssSelector("tr[data-component='web'] [data-sync='failed']"), text -> text.startsWith("sync failed, rebuilt instead: "));
        awaitText(LOG_PANE, text -> text.contains("sync failed, rebuilding instead: "));
        awaitLog("[web] built demo-web:latest", 2);
    }

    private io.restassured.response.Response as(Dashboard d) {
        return RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token()).get("/api/components");
    }

    private static final By ROW = By.cssSelector("tr[data-component='web']");
    private static final By LOG_PANE = By.cssSelector("pre[data-log='web']");

    private void awaitState(String state) {
        awaitText(By.cssSelector("tr[data-component='web'] [data-state]"), text -> text.equals(state));
    }

    /**
     * Waits until the element's text passes {@code ok}, finding the element afresh at every poll: a live
     * page replaces rows between a find and a read (StaleElementReferenceException), so one read is never enough.
     */
    private void awaitText(By by, java.util.function.Predicate<String> ok) {
        dev.autorebuild.support.HeadlessChromium.awaitText(browser, by, ok);
    }

    /** Waits for an attribute ({@code name}) or a computed style ({@code style:name}) of a freshly found element. */
    private void awaitAttribute(By by, String name, String expected) {
        await().atMost(Duration.ofSeconds(60)).alias(by + " " + name + " = " + expected)
                .ignoreExceptionsInstanceOf(WebDriverException.class)
                .until(() -> {
                    WebElement element = browser.findElement(by);
                    return expected.equals(name.startsWith("style:") ? element.getCssValue(name.substring(6)) : element.getAttribute(name));
                });
    }

    /** Clicks an element found afresh, again if the page replaced it between the find and the click. */
    private void click(By by) {
        await().atMost(Duration.ofSeconds(30)).alias("click " + by).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(by).click();
                    return true;
                });
    }
}

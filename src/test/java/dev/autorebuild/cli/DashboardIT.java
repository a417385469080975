package dev.autorebuild.cli;

import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.PackagedApp;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): the page follows the daemon live, without reloading, and its buttons act.
 */
class DashboardIT extends DaemonProcessTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A component whose build visibly takes a while (so the page can be seen showing it), served by httpd. */
    private static final String SLOW_HTTPD = "FROM busybox:stable\nCOPY . /www/\nRUN sleep 2\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n";

    private WebDriver browser;

    @BeforeEach
    void browser() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1280,720");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePage_followsBuildsLive_andItsButtonsRebuildAndRedeploy() throws Exception {
        ws.write("web/Dockerfile", SLOW_HTTPD);
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        Dashboard d = Dashboard.of(ws.root());

        browser.get(d.url());
        awaitState("idle");
        assertThat(browser.findElement(By.id("workspace")).getText()).isEqualTo(ws.root().toString());
        assertThat(row().getText()).contains("demo-web:latest", "succeeded", "pending");
        assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");

        // redeploy what is pending, from the page
        WebElement redeploy = browser.findElement(By.id("redeploy"));
        assertThat(redeploy.getText()).isEqualTo("Redeploy pending (1)");
        redeploy.click();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("notice")).getText().equals("redeployed web"));
        await().atMost(Duration.ofSeconds(10)).until(() -> row().getText().contains("demo-web · running"));
        assertThat(browser.findElement(By.id("redeploy")).getText()).isEqualTo("Nothing to redeploy");

        // an edit: the row goes to building and back to idle, with the build's steps in its log pane
        ws.write("web/index.html", "edited in the test\n");
        awaitState("building");
        awaitState("idle");
        browser.findElement(By.cssSelector("#logs details summary")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> logPane().contains("Step 3/7 : RUN sleep 2"));
        assertThat(browser.findElement(By.id("redeploy")).getText()).isEqualTo("Redeploy pending (1)");

        // the rebuild button builds again though nothing changed
        browser.findElement(By.cssSelector("[data-rebuild='web']")).click();
        awaitState("building");
        awaitState("idle");
        as(d).then().statusCode(200);
        assertThat(RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token())
                .get("/api/builds?component=web").jsonPath().getList("result")).containsExactly("succeeded", "succeeded", "succeeded");

        // a failing build: red, with the failing step's output
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /www/\nRUN echo about to fail && exit 3\n");
        awaitState("failed");
        assertThat(row().getAttribute("class")).isEqualTo("failed");
        assertThat(browser.findElement(By.cssSelector("tr[data-failure-for='web']")).getText())
                .contains("RUN echo about to fail && exit 3", "non-zero code: 3");
        assertThat(browser.findElement(By.cssSelector("[data-state='failed']")).getCssValue("color")).isEqualTo("rgba(198, 40, 40, 1)");
        await().atMost(Duration.ofSeconds(10)).until(() -> logPane().contains("about to fail"));

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard-it.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private io.restassured.response.Response as(Dashboard d) {
        return RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token()).get("/api/components");
    }

    private WebElement row() {
        return browser.findElement(By.cssSelector("tr[data-component='web']"));
    }

    private String logPane() {
        return browser.findElement(By.cssSelector("pre[data-log='web']")).getText();
    }

    private void awaitState(String state) {
        await().atMost(Duration.ofSeconds(60)).alias("the page shows web as " + state).ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector("tr[data-component='web'] [data-state]")).getText().equals(state));
    }
}

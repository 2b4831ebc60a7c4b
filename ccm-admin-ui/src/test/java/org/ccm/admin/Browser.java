package org.ccm.admin;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (never a downloaded
 * browser), with a screenshot of each step under {@code target/browser-screenshots} and
 * axe-core run inside the page. Skips when Chromium is not installed, except on CI, where
 * {@code .ci/run} installs it and its absence is a failure.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

	private final ChromeDriver driver;

	private final Path profile;

	private final String baseUrl;

	private final String journey;

	private int step;

	private Browser(ChromeDriver driver, Path profile, String baseUrl, String journey) {
		this.driver = driver;
		this.profile = profile;
		this.baseUrl = baseUrl;
		this.journey = journey;
	}

	static void assumeInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String message = "Chromium is not installed: apt-get install chromium chromium-driver (Debian) to run the "
				+ "browser tests";
		if (!installed && System.getenv("CI") != null) {
			Assertions.fail(message + "; .ci/run should have installed it");
		}
		Assumptions.assumeTrue(installed, message);
	}

	static Browser open(String baseUrl, String journey) throws IOException {
		Path profile = Files.createTempDirectory("ccm-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1440,2000", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
		Files.createDirectories(SCREENSHOTS);
		return new Browser(driver, profile, baseUrl, journey);
	}

	WebDriver driver() {
		return this.driver;
	}

	void go(String path) {
		this.driver.get(this.baseUrl + path);
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	List<WebElement> findAll(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	<T> T waitFor(Function<WebDriver, T> condition) {
		return waitFor(Duration.ofSeconds(30), condition);
	}

	<T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout).ignoring(StaleElementReferenceException.class).until(condition);
	}

	WebElement waitFor(String css) {
		return waitFor((d) -> {
			List<WebElement> found = d.findElements(By.cssSelector(css));
			return (!found.isEmpty() && found.get(0).isDisplayed()) ? found.get(0) : null;
		});
	}

	Object script(String script, Object... arguments) {
		return this.driver.executeScript(script, arguments);
	}

	void logIn(String user, String password) {
		go("/admin/login");
		find("#username").sendKeys(user);
		find("#password").sendKeys(password);
		find("form[action='/admin/login'] button[type=submit]").click();
		waitFor("form.signout");
	}

	void logOut() {
		find("form.signout button").click();
		waitFor("#username");
	}

	/**
	 * Keeps a screenshot of the page as it is now.
	 */
	Path screenshot(String name) throws IOException {
		this.step++;
		this.driver.executeScript("window.scrollTo(0, 0)");
		Path file = SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", this.journey, this.step, name));
		Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		return file;
	}

	/**
	 * Runs axe-core in the page and fails on any serious or critical violation, naming
	 * the rule and the elements.
	 */
	void assertAccessible(String page) {
		this.driver.executeScript(axeSource());
		Object result = this.driver.executeAsyncScript(
				"""
						const done = arguments[arguments.length - 1];
						axe.run(document, { resultTypes: ['violations'] })
						  .then((r) => done(JSON.stringify(r.violations)))
						  .catch((e) => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
						""");
		JsonNode violations = JsonMapper.builder().build().readTree(String.valueOf(result));
		List<String> serious = new ArrayList<>();
		for (JsonNode violation : violations) {
			String impact = violation.path("impact").asString("");
			if (impact.equals("serious") || impact.equals("critical")) {
				List<String> targets = new ArrayList<>();
				violation.path("nodes").forEach((node) -> targets.add(node.path("target").toString()));
				serious.add(violation.path("id").asString() + " (" + impact + "): " + violation.path("help").asString()
						+ " " + targets);
			}
		}
		Assertions.assertTrue(serious.isEmpty(), () -> page + " has accessibility violations: " + serious);
	}

	private static String axeSource() {
		try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

}

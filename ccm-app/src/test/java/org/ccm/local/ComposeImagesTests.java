package org.ccm.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local run and the container tests start the very images that
 * {@code docker-compose.yml} describes for production-like runs.
 */
class ComposeImagesTests {

	@Test
	void theContainersAreTheImagesOfTheComposeFile() throws IOException {
		Map<String, String> compose = composeImages();
		Map<String, String> infrastructure = new LinkedHashMap<>(compose);
		// the application itself is not a server it runs against
		infrastructure.remove("app");
		// ServerImages is where LocalContainers takes its images from
		assertThat(infrastructure).isEqualTo(ServerImages.byComposeService());
	}

	@Test
	void theComposeBrokerIsTheKafkaVersionTheBuildPins() throws IOException {
		String pom = Files.readString(Path.of("..", "pom.xml"));
		String pinned = pom.replaceAll("(?s).*<kafka.version>([^<]+)</kafka.version>.*", "$1");
		assertThat(composeImages().get("kafka")).isEqualTo("apache/kafka:" + pinned);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> composeImages() throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
			Map<String, Object> compose = new Yaml().load(reader);
			Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
			Map<String, String> images = new LinkedHashMap<>();
			services.forEach((name, service) -> images.put(name, String.valueOf(service.get("image"))));
			return images;
		}
	}

}

package org.ccm.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalServersTests {

	@Test
	void containersWhereADockerEngineAnswersEmbeddedServersOtherwise() {
		assertThat(LocalServers.choose(null, () -> true)).isEqualTo(LocalServers.CONTAINERS);
		assertThat(LocalServers.choose("auto", () -> false)).isEqualTo(LocalServers.EMBEDDED);
	}

	@Test
	void theSettingOverridesWhatDockerSays() {
		assertThat(LocalServers.choose("embedded", () -> true)).isEqualTo(LocalServers.EMBEDDED);
		assertThat(LocalServers.choose(" Containers ", () -> false)).isEqualTo(LocalServers.CONTAINERS);
		assertThat(LocalServers.choose("--ccm.local.servers=embedded")).isEqualTo(LocalServers.EMBEDDED);
		assertThatIllegalArgumentException().isThrownBy(() -> LocalServers.choose("docker", () -> true))
			.withMessageContaining("auto, containers or embedded");
	}

	@Test
	void eachChoiceSaysWhichServersItRuns() {
		assertThat(LocalServers.CONTAINERS.description()).contains(ServerImages.POSTGRES, ServerImages.KAFKA,
				ServerImages.MAILPIT);
		assertThat(LocalServers.EMBEDDED.description()).startsWith("embedded");
	}

}

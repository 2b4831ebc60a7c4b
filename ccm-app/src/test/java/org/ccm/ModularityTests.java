package org.ccm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the module structure honest: no module may use another's internals or form a
 * cycle. Also writes the module diagram that {@code docs/} shows.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(CcmApplication.class);

	@Test
	void modulesOnlyUseEachOthersPublicApi() {
		modules.verify();
	}

	@Test
	void findsOneModulePerBoundedContext() {
		assertThat(modules.stream().map((module) -> module.getIdentifier().toString())).contains("core", "templates",
				"delivery", "tracking", "campaigns", "admin", "security");
	}

	@Test
	void writesModuleDiagramIntoDocs() throws IOException {
		Path output = Path.of("target", "spring-modulith-docs");
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml();
		Path diagram = output.resolve("components.puml");
		assertThat(diagram).exists();
		Path docs = Path.of("..", "docs");
		if (Files.isDirectory(docs)) {
			Files.copy(diagram, docs.resolve("modules.puml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
